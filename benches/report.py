#!/usr/bin/env python3
"""Turns the results of benches/run.sh into the Markdown of BENCHMARKS.md.

    report.py RESULTS_DIR "1000 10000"        prints the generated section
    report.py --update BENCHMARKS.md SECTION  puts SECTION between the markers
"""

import json
import os
import statistics
import sys

BEGIN = "<!-- bench:begin (written by benches/run.sh; edit outside the markers) -->"
END = "<!-- bench:end -->"
TOOLS = [("nianbao", "nianbao"), ("nianbao-alt", "nianbao-alt"), ("hugo", "Hugo"), ("zola", "Zola"),
         ("copy", "`cp -r` of nianbao's output (floor)")]


def load(res, tool, n):
    base = os.path.join(res, f"{tool}-{n}")
    if os.path.exists(base + ".fail"):
        with open(base + ".fail") as f:
            reason = f.read().strip()
        with open(base + ".cmd") as f:
            cmd = f.read().strip()
        bench = os.path.dirname(os.path.abspath(res))
        return {"fail": reason.replace(bench + "/", "$BENCH_DIR/"), "cmd": cmd.replace(bench + "/", "$BENCH_DIR/")}
    if not os.path.exists(base + ".json"):
        return None
    with open(base + ".json") as f:
        h = json.load(f)["results"][0]
    with open(base + ".time") as f:
        times = [list(map(float, line.split())) for line in f if line.strip()]
    with open(base + ".out") as f:
        html, files, size = map(int, f.read().split())
    with open(base + ".cmd") as f:
        cmd = f.read().strip()
    bench = os.path.dirname(os.path.abspath(res))
    cmd = cmd.replace(bench + "/", "$BENCH_DIR/")
    return {
        "median": h["median"],
        "runs": len(h["times"]),
        "min": h["min"],
        "max": h["max"],
        "cpu": h["user"] + h["system"],
        "user": h["user"],
        "system": h["system"],
        "rss": statistics.median(t[3] for t in times) / 1024,
        "html": html,
        "files": files,
        "size": size / 1024 / 1024,
        "cmd": cmd,
    }


def report(res, sizes):
    out = []
    with open(os.path.join(res, "machine.txt")) as f:
        machine = f.read().rstrip()
    out.append("### Build time, CPU time and peak memory\n")
    out.append("| N | tool | pages (.html) | files | output | median wall | min–max wall | CPU (user+sys) | peak RSS | wall ÷ Hugo | wall ÷ Zola |")
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    cmds = []
    labels = dict(TOOLS)
    alt = os.path.join(res, "alt-label.txt")
    if os.path.exists(alt):
        with open(alt) as f:
            labels["nianbao-alt"] = f.read().strip()
    for n in sizes:
        rows = {t: load(res, t, n) for t, _ in TOOLS}
        hugo = rows.get("hugo")
        if hugo is not None and "fail" in hugo:
            hugo = None
        zola = rows.get("zola")
        if zola is not None and "fail" in zola:
            zola = None
        for t, _ in TOOLS:
            label = labels[t]
            r = rows[t]
            if r is None:
                if t == "zola":
                    out.append(f"| {int(n):,} | Zola | — | — | — | not installed | | | | | |")
                continue
            if "fail" in r:
                out.append(f"| {int(n):,} | {label} | — | — | — | **fails**: `{r['fail'][:160]}` | | | | | |")
                cmds.append((n, label, r["cmd"]))
                continue
            ratio = f"{r['median'] / hugo['median']:.2f}" if hugo else "—"
            ratio_zola = f"{r['median'] / zola['median']:.2f}" if zola else "—"
            out.append(
                f"| {int(n):,} | {label} | {r['html']:,} | {r['files']:,} | {r['size']:.1f} MiB | "
                f"**{r['median']:.2f} s** | {r['min']:.2f}–{r['max']:.2f} s ({r['runs']} runs) | "
                f"{r['cpu']:.2f} s ({r['user']:.2f} + {r['system']:.2f}) | {r['rss']:.0f} MiB | {ratio} | {ratio_zola} |"
            )
            cmds.append((n, label, r["cmd"]))
        gen = os.path.join(res, f"gen-{n}.json")
        if os.path.exists(gen):
            with open(gen) as f:
                g = json.load(f)
            cmds.append((n, "generator", f"benches/gen_site.py {n} DIR --seed {g['seed']}  # "
                         f"{g['organizations']:,} organizations, {g['branches']:,} branches, "
                         f"{g['pages_expected']:,} pages expected"))
    out.append("")
    same = [os.path.join(res, f"same-{n}.txt") for n in sizes]
    if any(os.path.exists(p) for p in same):
        out.append("### Same pages (benches/same_pages.py on the last timed outputs)\n")
        out.append("```text")
        for n, p in zip(sizes, same):
            if os.path.exists(p):
                with open(p) as f:
                    out.append(f"N = {int(n):,}\n" + f.read().rstrip())
        out.append("```\n")
    out.append("### Machine and versions\n")
    out.append("```text\n" + machine + "\n```\n")
    out.append("### Commands\n")
    out.append("Paths are under `$BENCH_DIR/N/`. Every timed run writes into a missing output folder: "
               "`hyperfine --prepare` renames the previous output aside (`mv OUT OUT.old.<ns>`), and the "
               "old outputs are deleted after the tool's runs, outside the timing.\n")
    out.append("```sh")
    for n, label, cmd in cmds:
        out.append(f"# N = {int(n):,}, {label}\n{cmd}")
    out.append("```")
    return "\n".join(out) + "\n"


def update(path, section_file):
    with open(section_file) as f:
        section = f.read()
    text = ""
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    block = f"{BEGIN}\n\n{section}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = (text.rstrip() + "\n\n" if text else "# Benchmarks\n\n") + block + "\n"
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    if sys.argv[1] == "--update":
        update(sys.argv[2], sys.argv[3])
    else:
        sys.stdout.write(report(sys.argv[1], sys.argv[2].split()))
