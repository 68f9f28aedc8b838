#!/usr/bin/env python3
"""Check that nianbao, Hugo and Zola wrote the same pages of a gen_site.py site.

    benches/same_pages.py OUT_NIANBAO [--hugo OUT_HUGO] [--zola OUT_ZOLA]

A benchmark only compares like with like if every tool builds the same pages
with the same text. This compares, per tool against nianbao:

- the set of organization and branch pages (organizations/<id> and
  branches/<id>, whatever the URL style: <id>.html or <id>/index.html);
- on each of them: the heading, every record field (label and value: nianbao's
  <dt>/<dd>, the peers' "label：value" list items), the records linked from
  the page, in order, and the fixed sentences (no coverage, not in the base);
- the report pages built from the registers and the Markdown (townships,
  industries, data quality and the three narrative pages).

Pages nianbao writes beyond these (search, charts, years, briefing, 404) are
listed, not compared. Prints one line per tool and at most 10 differences;
exits 1 if any tool differs. Python 3 standard library only.
"""

import argparse
import html
import os
import re
import sys

RECORD = re.compile(r"^(organizations|branches)/([^/]+?)(?:\.html|/index\.html)$")
OTHER = ("townships", "industries", "data-quality", "overview", "structure", "notes")
SENTENCES = ("没有直接覆盖的组织。", "该组织未纳入党建基数。", "尚未被党组织覆盖。")
HREF = re.compile(r'<a href="?([^" >]+)"?[^>]*>')


def text(fragment):
    """The visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def pages(out):
    """{key: path}: ('organizations', id), ('branches', id) or ('page', slug)."""
    found = {}
    for d, _, files in os.walk(out):
        for f in files:
            if not f.endswith(".html"):
                continue
            rel = os.path.relpath(os.path.join(d, f), out).replace(os.sep, "/")
            m = RECORD.match(rel)
            # index.html, index_2.html …: nianbao's register lists, 1,000 rows a page.
            if m and not re.fullmatch(r"index(_\d+)?", m.group(2)):
                found[(m.group(1), m.group(2))] = rel
                continue
            slug = re.sub(r"^pages/", "", re.sub(r"(/index)?\.html$", "", rel))
            found[("page", slug)] = rel
    return found


def link_key(href):
    """The record a link points at, or None: '../branches/gw.html', '../../branches/gw/'."""
    m = re.search(r"(organizations|branches)/([^/#?]+?)(?:\.html|/index\.html|/)?$", href)
    if not m or re.fullmatch(r"index(_\d+)?", m.group(2)):
        return None
    return f"{m.group(1)}/{m.group(2)}"


def record(path):
    """What must agree on a record page: heading, fields, links, sentences."""
    with open(path, encoding="utf-8") as f:
        s = f.read()
    m = re.search(r"<main[^>]*>(.*)</main>", s, re.S)
    main = m.group(1) if m else s
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", main, re.S)
    fields = {}
    for k, v in re.findall(r"<dt>(.*?)<dd>(.*?)(?=<dt>|</dl>)", main, re.S):
        fields[text(k)] = text(v)
    if not fields:
        ul = re.search(r"<ul>(.*?)</ul>", main, re.S)
        for item in re.split(r"<li>", ul.group(1) if ul else "")[1:]:
            t = text(item)
            if "：" in t:
                k, v = t.split("：", 1)
                fields[k.strip()] = v.strip()
    links = [k for k in (link_key(h) for h in HREF.findall(main)) if k]
    return {
        "heading": text(h1.group(1)) if h1 else None,
        "fields": fields,
        "links": links,
        "sentences": [x for x in SENTENCES if x in text(main)],
    }


def compare(name, base, other, limit=10):
    """Differences between nianbao's pages (base) and a peer's, as lines."""
    diffs = []
    for section in ("organizations", "branches"):
        a = {k[1] for k in base if k[0] == section}
        b = {k[1] for k in other if k[0] == section}
        for x in sorted(a - b)[:3]:
            diffs.append(f"{section}/{x}: only nianbao has it")
        for x in sorted(b - a)[:3]:
            diffs.append(f"{section}/{x}: only {name} has it")
    for slug in OTHER:
        if ("page", slug) in base and ("page", slug) not in other:
            diffs.append(f"{slug}: only nianbao has it")
    checked = 0
    for key in sorted(k for k in base if k[0] != "page" and k in other):
        ra, rb = record(base[key][0]), record(other[key][0])
        checked += 1
        for what in ("heading", "fields", "links", "sentences"):
            if ra[what] != rb[what]:
                va, vb = ra[what], rb[what]
                if what == "fields":
                    keys = sorted(set(va) | set(vb))
                    keys = [k for k in keys if va.get(k) != vb.get(k)]
                    va, vb = {k: va.get(k) for k in keys}, {k: vb.get(k) for k in keys}
                diffs.append(f"{key[0]}/{key[1]} {what}: nianbao {va!r}, {name} {vb!r}")
        if len(diffs) > limit * 10:
            break
    return checked, diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("nianbao")
    ap.add_argument("--hugo")
    ap.add_argument("--zola")
    args = ap.parse_args()
    base = {k: (os.path.join(args.nianbao, p),) for k, p in pages(args.nianbao).items()}
    records = sum(1 for k in base if k[0] != "page")
    extra = sorted(k[1] for k in base if k[0] == "page" and k[1] not in OTHER and k[1] != "index")
    print(f"nianbao: {records} record pages, {len(base)} pages; not compared: {', '.join(extra)}")
    failed = False
    for name, out in (("hugo", args.hugo), ("zola", args.zola)):
        if not out:
            continue
        other = {k: (os.path.join(out, p),) for k, p in pages(out).items()}
        checked, diffs = compare(name, base, other)
        state = "same pages" if not diffs else f"{len(diffs)} differences"
        print(f"{name}: {sum(1 for k in other if k[0] != 'page')} record pages, {checked} compared: {state}")
        for d in diffs[:10]:
            print(f"  {d}")
        failed |= bool(diffs)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
