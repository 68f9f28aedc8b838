#!/usr/bin/env python3
"""Save-to-reload time of `nianbao serve`: the time from writing a file to
the moment the page the browser would reload has arrived with the edit.

    benches/serve_reload.py BINARY CONTENT_DIR PAGE_MD ORG_YAML RUNS

e.g. on a copy of the example (the script edits the files it is given):

    cp -r content /tmp/ex-content
    benches/serve_reload.py target/release/nianbao /tmp/ex-content \
        /tmp/ex-content/pages/case-study.md /tmp/ex-content/data/2016/organizations.yaml 7

and on a generated site:

    benches/gen_site.py 10000 /tmp/g10k --only nianbao
    benches/serve_reload.py target/release/nianbao /tmp/g10k/nianbao/content \
        /tmp/g10k/nianbao/content/pages/overview.md \
        /tmp/g10k/nianbao/content/data/2024/organizations.yaml 7

It starts `nianbao serve --port 0` and measures two edits RUNS times each:
one paragraph of PAGE_MD gets a few more characters, and the first
`employees:` of ORG_YAML a new value. For each run a long poll of
/__nianbao/version is open (as the injected script keeps one open); the file
is written; when the poll returns with a new site version, the edited page
is fetched (what location.reload() does). It prints the median, least and
most time from the write to the moment the page with the edit has arrived,
and the CPU time (user + system, from /proc) the server spent meanwhile:
on a loaded machine the wall time waits for the cores, the CPU time less so.
Python 3 standard library only.
"""
import http.client, re, statistics, subprocess, sys, threading, time, os

binary, content, page_md, org_yaml, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
proc = subprocess.Popen([binary, "serve", "-c", content, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
lines = []
addr = None
t_start = time.time()
for line in proc.stdout:
    lines.append(line.rstrip())
    m = re.match(r"serving http://([\d.]+:\d+)/", line)
    if m:
        addr = m.group(1)
        break
print("first build:", [l for l in lines if l.startswith("built")], "startup %.2f s" % (time.time() - t_start))
def drain():
    for line in proc.stdout:
        lines.append(line.rstrip())
threading.Thread(target=drain, daemon=True).start()
host, port = addr.split(":")

def get(path, timeout=120):
    c = http.client.HTTPConnection(host, int(port), timeout=timeout)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body

def version(since=None):
    _, body = get("/__nianbao/version" + ("" if since is None else "?since=%d" % since))
    return tuple(int(re.search(r'"%s":(\d+)' % k, body.decode()).group(1)) for k in ("serial", "site", "errors"))

def cpu():
    # utime + stime of the server, in seconds (Linux).
    try:
        fields = open("/proc/%d/stat" % proc.pid).read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")

def one(path, edit, url, marker):
    serial, site, _ = version()
    c0 = cpu()
    text = open(path, encoding="utf-8").read()
    new = edit(text)
    assert new != text
    t0 = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    while True:
        serial, site2, errors = version(serial)
        if errors:
            transient.append(path)
        if site2 != site:
            break
    t1 = time.perf_counter()
    status, body = get(url)
    t2 = time.perf_counter()
    assert status == 200 and marker.encode() in body, (status, marker)
    return t1 - t0, t2 - t0, cpu() - c0

results = {}
transient = []
slug = os.path.splitext(os.path.basename(page_md))[0]
for kind in ("paragraph", "record"):
    times = []
    for i in range(runs):
        tag = "测量%d%s" % (i, kind)
        if kind == "paragraph":
            edit = lambda t, tag=tag: re.sub(r"\n\n([^\n#{|-][^\n]{10,})\n", lambda m: "\n\n" + m.group(1) + tag + "\n", t, count=1)
            r = one(page_md, edit, "/pages/%s.html" % slug, tag)
        else:
            n = 50000 + i
            tag = "%d" % n
            edit = lambda t, n=n: re.sub(r"employees: \d+", "employees: %d" % n, t, count=1)
            # the first organization's page
            text = open(org_yaml, encoding="utf-8").read()
            oid = re.search(r"- id: (\S+)", text).group(1)
            r = one(org_yaml, edit, "/organizations/%s.html" % oid, "{:,}".format(n) if n >= 10000 else tag)
        times.append(r)
        time.sleep(0.5)
    results[kind] = times
proc.terminate()
proc.wait()
for l in lines:
    if l.startswith("built") or l.startswith("changed"):
        print("  " + l)
print("builds that failed on a half-written file:", len(transient))
for kind, times in results.items():
    poll = [t[0] for t in times]
    page = [t[1] for t in times]
    used = [t[2] for t in times]
    print("%-9s version moved: median %.3f s (min %.3f, max %.3f); page with the edit: median %.3f s (min %.3f, max %.3f); server CPU: median %.3f s" % (
        kind, statistics.median(poll), min(poll), max(poll), statistics.median(page), min(page), max(page), statistics.median(used)))
