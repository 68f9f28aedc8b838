#!/usr/bin/env python3
"""Splits a `perf record --call-graph dwarf` profile of `nianbao build` by stage.

    perf script -i perf.data | benches/perf_stages.py

Each sample goes to the first bucket whose pattern appears anywhere in its
call stack (buckets are tried in order, most specific first), so that a
sample in malloc called from the HTML compaction counts there, not as malloc.
Samples whose stack was cut short by perf's 32 KiB stack copy still carry
their innermost frames, which is what the patterns look at.
"""

import re
import sys
from collections import Counter

BUCKETS = [
    ("compact HTML (write::compact; minify-html before)", re.compile(r"minify_html::|nianbao::write::compact|nianbao::write::minify")),
    ("writing files (fs::write, create_dir_all, open/close)", re.compile(r"std::fs::write|create_dir_all|nianbao::write::")),
    ("serializing views into tera contexts", re.compile(r"Serialize for nianbao::render::views|tera::context::Context::insert|serde_core::ser")),
    ("tera template rendering", re.compile(r"\btera::")),
    ("YAML parsing (serde-saphyr)", re.compile(r"serde_saphyr|granit_parser|nianbao::load::yaml")),
    ("load: reading files, front matter", re.compile(r"nianbao::load::")),
    ("resolve: typed model, checks", re.compile(r"nianbao::resolve::")),
    ("derive: figures, breakdowns", re.compile(r"nianbao::derive::")),
    ("charts (plotters SVG)", re.compile(r"plotters|nianbao::render::charts")),
    ("Markdown pages and shortcodes", re.compile(r"pulldown_cmark|nianbao::render::(markdown|shortcodes)")),
    ("render: building views (clones, formatting)", re.compile(r"nianbao::render::")),
    ("freeing memory (drop_in_place, free, munmap)", re.compile(r"drop_in_place|\bfree\b|_int_free|munmap|__x64_sys_exit")),
]


def main():
    counts = Counter()
    total = 0
    stack = []
    for line in sys.stdin:
        if not line.strip():
            if stack:
                total += 1
                text = "\n".join(stack)
                for name, pat in BUCKETS:
                    if pat.search(text):
                        counts[name] += 1
                        break
                else:
                    counts["other (start-up, kernel, unattributed)"] += 1
            stack = []
            continue
        stack.append(line)
    if total == 0:
        sys.exit("no samples on stdin")
    print(f"{total} samples")
    print("| stage | share of samples |")
    print("|---|---:|")
    for name, n in counts.most_common():
        print(f"| {name} | {100 * n / total:.1f}% |")


if __name__ == "__main__":
    main()
