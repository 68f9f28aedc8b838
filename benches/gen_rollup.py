#!/usr/bin/env python3
"""Write a roll-up site of N members, all snapshots of one archived site.

    benches/gen_rollup.py BAG N OUT_DIR

BAG is a snapshot written by `nianbao archive` (for example of a site made
by gen_site.py). Each member OUT_DIR/members/mNN is a hard-linked copy of
BAG (no extra disk space; each is verified on its own by the build), and
OUT_DIR/content is the roll-up site listing them. Build it with

    /usr/bin/time -v nianbao build -c OUT_DIR/content -o OUT_DIR/output [--no-carry]
"""

import json
import os
import shutil
import subprocess
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    bag, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(os.path.join(bag, "data", "site", "summary.json"), encoding="utf-8") as f:
        year = json.load(f)["year"]
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "members"))
    lines = [f"title: 汇总测试（{n}个成员）", f"year: {year}", "rollup:"]
    for i in range(1, n + 1):
        mid = f"m{i:02d}"
        subprocess.run(["cp", "-al", bag, os.path.join(out, "members", mid)], check=True)
        lines += [f"  - id: {mid}", f"    name: 成员{i:02d}",
                  f"    snapshot: ../members/{mid}",
                  f"    url: https://example.org/{mid}/"]
    content = os.path.join(out, "content")
    os.makedirs(os.path.join(content, "data", str(year)))
    with open(os.path.join(content, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(content, "data", str(year), "metrics.yaml"), "w", encoding="utf-8") as f:
        f.write(f"as_of: {year}-12-31\nmetrics: []\n")


if __name__ == "__main__":
    main()
