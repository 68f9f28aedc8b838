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
- the register lists, each in pages of 250 rows: the full organization list,
  the branch tree, and the filter lists by township and by coverage
  (nianbao's organizations/<filter>/index_<n>.html, the peers' taxonomy
  pages filters/<filter>[/page/<n>]): the set of lists and their number of
  pages; on each list its heading, the text above it, the filter links
  (label, count, target) and the in-page filter's choices on every page, the
  pagination line of every page, and every row (the record it links, the
  text of its cells) in order across the pages. A list a peer writes in one
  page (Zola's taxonomy terms are not paginated: see gen_site.py) is
  compared on its first page and its rows;
- the report pages built from the registers and the Markdown (townships,
  industries, data quality and the three narrative pages): their headings,
  paragraphs, list items and table rows in order, a chart standing as its
  caption, description and data table (the peers draw no pictures).

Pages nianbao writes beyond these (search, charts, years, briefing) and
pages only a peer writes (Zola's taxonomy index and 404, the redirects from
page 1 of a paginated list) are listed, not compared. Prints one line per
tool and at most 10 differences; exits 1 if any tool differs. Python 3
standard library only.
"""

import argparse
import html
import os
import re
import sys

RECORD = re.compile(r"^(organizations|branches)/([^/]+?)(?:\.html|/index\.html)$")
FILTER = r"township-\d+|coverage-[a-z-]+|excluded|no-party-org"
# The list pages of nianbao, Hugo (ugly URLs) and Zola: group 1 names the
# list, group 2 (if any) is the page number, none for page 1.
LISTS = [
    re.compile(r"^(organizations|branches)(?:/index(?:_(\d+))?)?\.html$"),
    re.compile(r"^(organizations|branches)/page/(\d+)(?:/index)?\.html$"),
    re.compile(rf"^organizations/({FILTER})/index(?:_(\d+))?\.html$"),
    re.compile(rf"^filters/({FILTER})(?:/index)?\.html$"),
    re.compile(rf"^filters/({FILTER})/page/(\d+)(?:/index)?\.html$"),
]
OTHER = ("townships", "industries", "data-quality", "overview", "structure", "notes")
SENTENCES = ("没有直接覆盖的组织。", "该组织未纳入党建基数。", "尚未被党组织覆盖。")
HREF = re.compile(r'<a (?:[^>]*? )?href="?([^" >]+)"?[^>]*>(.*?)</a>', re.S)
PAGED = re.compile(r"/page/(\d+)(?:/index)?\.html$")


def text(fragment):
    """The visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def classify(rel):
    """('organizations'|'branches', id), ('list', name, page), ('page', slug) or
    None for the redirect a peer writes at page 1 of a paginated list."""
    for pattern in LISTS:
        m = pattern.match(rel)
        if m:
            page = int(m.group(2)) if pattern.groups == 2 and m.group(2) else 1
            if page == 1 and PAGED.search(rel):
                return None
            return ("list", m.group(1), page)
    m = RECORD.match(rel)
    if m:
        return (m.group(1), m.group(2))
    return ("page", re.sub(r"^pages/", "", re.sub(r"(/index)?\.html$", "", rel)))


def pages(out):
    """{key: path} of every .html file under out, by classify()."""
    found = {}
    for d, _, files in os.walk(out):
        for f in files:
            if f.endswith(".html"):
                rel = os.path.relpath(os.path.join(d, f), out).replace(os.sep, "/")
                key = classify(rel)
                if key:
                    found[key] = os.path.join(out, rel)
    return found


def link_key(href):
    """The record a link points at, or None: '../branches/gw.html', '../../branches/gw/'."""
    m = re.search(r"(organizations|branches)/([^/#?]+?)(?:\.html|/index\.html|/)?$", href)
    if not m or re.fullmatch(rf"index(_\d+)?|{FILTER}", m.group(2)):
        return None
    return f"{m.group(1)}/{m.group(2)}"


def list_link(href):
    """The list a filter link points at: a filter's name or 'organizations'."""
    m = re.search(rf"(?:organizations|filters)/({FILTER})(?:/|\.html|$)", href)
    return m.group(1) if m else "organizations" if "organizations" in href else href


def main_of(path):
    with open(path, encoding="utf-8") as f:
        s = f.read()
    m = re.search(r"<main[^>]*>(.*)</main>", s, re.S)
    return m.group(1) if m else s


def record(path):
    """What must agree on a record page: heading, fields, links, sentences."""
    main = main_of(path)
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
    links = [k for k in (link_key(h) for h, _ in HREF.findall(main)) if k]
    return {
        "heading": text(h1.group(1)) if h1 else None,
        "fields": fields,
        "links": links,
        "sentences": [x for x in SENTENCES if x in text(main)],
    }


def list_page(path):
    """One page of a register list: its heading, the text above the list,
    filter links, filter choices, pagination line and rows."""
    main = main_of(path)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", main, re.S)
    rest = main[h1.end():] if h1 else main
    cut = re.search(r'<details|<nav|<ul class=|<form|<table class="?register', rest)
    details = re.search(r"<details.*?</details>", rest, re.S)
    form = re.search(r"<form.*?</form>", rest, re.S)
    nav = re.search(r"<nav.*?</nav>", rest, re.S)
    rows = []
    body = re.search(r'<table class="?register.*?<tbody>(.*?)(?:</tbody>|</table>)', rest, re.S)
    if body:
        for row in re.split(r"<tr[^>]*>", body.group(1))[1:]:
            a = HREF.search(row)
            cells = tuple(text(c) for c in re.split(r"<t[hd][^>]*>", row)[1:])
            rows.append((link_key(a.group(1)) if a else None, cells))
    tree = re.search(r'<ul class="?tree"?>(.*?)</ul>', rest, re.S)
    if tree:
        for attrs, item in re.findall(r"<li([^>]*)>(.*?)(?=<li[ >]|$)", tree.group(1), re.S):
            a = HREF.search(item)
            depth = re.search(r'depth-(\d+)', attrs)
            rows.append((link_key(a.group(1)) if a else None, (depth and depth.group(1), text(item))))
    filters = []
    if details:
        for href, label in HREF.findall(details.group(0)):
            filters.append((list_link(href), text(label)))
        filters.append(text(re.sub(r"<a .*?</a>", "", details.group(0), flags=re.S)))
    return {
        "heading": text(h1.group(1)) if h1 else None,
        "intro": text(rest[:cut.start()] if cut else rest),
        "filters": filters,
        "choices": text(form.group(0)) if form else None,
        "pagination": text(nav.group(0)) if nav else None,
        "rows": rows,
    }


BLOCK = re.compile(r"<(h[1-6]|p|figcaption|tr|li)\b[^>]*>")
# Where a block ends when its closing tag is left out (Zola's minified pages).
BLOCK_END = re.compile(r"<(?:h[1-6]|p|figcaption|tr|li|table|thead|tbody|tfoot|ul|ol|div|figure|details)\b"
                       r"|</(?:h[1-6]|p|figcaption|tr|li|table|thead|tbody|tfoot|ul|ol|div|figure|details|article)>")


def prose(fragment):
    """Text as read: tags dropped without a space (a figure inside a sentence)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def report(path):
    """A report page as a list of blocks: headings, paragraphs (a chart's
    caption is one), list items and table rows (their cells). nianbao's
    chart pictures, download links and "数据表" toggles are left out: the
    peers print a chart as its caption, description and data table."""
    main = main_of(path)
    main = re.sub(r"<svg.*?</svg>|<summary>.*?</summary>", "", main, flags=re.S)
    main = re.sub(r'<span class="?downloads"?>.*?</span>', "", main, flags=re.S)
    blocks = []
    for m in BLOCK.finditer(main):
        end = BLOCK_END.search(main, m.end())
        body = main[m.end():end.start() if end else len(main)]
        if m.group(1) == "tr":
            blocks.append(tuple(prose(c) for c in re.split(r"<t[hd][^>]*>", body)[1:]))
        elif prose(body):
            blocks.append(("p" if m.group(1) == "figcaption" else m.group(1), prose(body)))
    return blocks


def compare_report(slug, tool, base, other, diffs):
    a, b = report(base), report(other)
    if a != b:
        i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        diffs.append(f"{slug}: {len(a)} blocks in nianbao, {len(b)} in {tool}; block {i + 1}: "
                     f"nianbao {a[i] if i < len(a) else None!r}, {tool} {b[i] if i < len(b) else None!r}")


def compare_list(name, tool, base, other, diffs):
    """Differences between the pages of one list in nianbao (base) and a peer."""
    a = [list_page(base[n]) for n in sorted(base)]
    b = [list_page(other[n]) for n in sorted(other)]
    if sorted(base) != list(range(1, len(base) + 1)) or sorted(other) != list(range(1, len(other) + 1)):
        diffs.append(f"list {name}: pages nianbao {sorted(base)}, {tool} {sorted(other)}")
        return
    # A list in one page where nianbao has several (Zola's taxonomy terms):
    # its first page and rows must agree, there is no pagination to compare.
    whole = len(b) == 1 and len(a) > 1
    if len(a) != len(b) and not whole:
        diffs.append(f"list {name}: {len(a)} pages in nianbao, {len(b)} in {tool}")
    for what in ("heading", "intro"):
        if a[0][what] != b[0][what]:
            diffs.append(f"list {name} {what}: nianbao {a[0][what]!r}, {tool} {b[0][what]!r}")
    for n, (pa, pb) in enumerate(zip(a, b), 1):
        for what in ("filters", "choices") if whole else ("filters", "choices", "pagination"):
            va, vb = pa[what], pb[what]
            if va != vb and what == "filters":
                i = next((i for i, (x, y) in enumerate(zip(va, vb)) if x != y), min(len(va), len(vb)))
                va, vb = va[i:i + 1], vb[i:i + 1]
            if va != vb:
                diffs.append(f"list {name} page {n} {what}: nianbao {va!r}, {tool} {vb!r}"[:400])
    ra = [r for p in a for r in p["rows"]]
    rb = [r for p in b for r in p["rows"]]
    if ra != rb:
        first = next((i for i, (x, y) in enumerate(zip(ra, rb)) if x != y), min(len(ra), len(rb)))
        diffs.append(f"list {name} rows: {len(ra)} in nianbao, {len(rb)} in {tool}; row {first + 1}: "
                     f"nianbao {ra[first] if first < len(ra) else None!r}, {tool} {rb[first] if first < len(rb) else None!r}")


def compare(name, base, other, limit=10):
    """Differences between nianbao's pages (base) and a peer's, as lines;
    stops looking after limit * 10."""
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
        elif ("page", slug) in base:
            compare_report(slug, name, base[("page", slug)], other[("page", slug)], diffs)
    lists_a, lists_b = lists(base), lists(other)
    for x in sorted(set(lists_a) - set(lists_b)):
        diffs.append(f"list {x}: only nianbao has it")
    for x in sorted(set(lists_b) - set(lists_a)):
        diffs.append(f"list {x}: only {name} has it")
    checked = 0
    for x in sorted(set(lists_a) & set(lists_b)):
        compare_list(x, name, lists_a[x], lists_b[x], diffs)
        checked += len(lists_b[x])
    for key in sorted(k for k in base if k[0] in ("organizations", "branches") and k in other):
        if len(diffs) > limit * 10:
            break
        ra, rb = record(base[key]), record(other[key])
        checked += 1
        for what in ("heading", "fields", "links", "sentences"):
            if ra[what] != rb[what]:
                va, vb = ra[what], rb[what]
                if what == "fields":
                    keys = sorted(set(va) | set(vb))
                    keys = [k for k in keys if va.get(k) != vb.get(k)]
                    va, vb = {k: va.get(k) for k in keys}, {k: vb.get(k) for k in keys}
                diffs.append(f"{key[0]}/{key[1]} {what}: nianbao {va!r}, {name} {vb!r}")
    return checked, diffs


def lists(found):
    """{list: {page number: path}}."""
    out = {}
    for k, path in found.items():
        if k[0] == "list":
            out.setdefault(k[1], {})[k[2]] = path
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("nianbao")
    ap.add_argument("--hugo")
    ap.add_argument("--zola")
    args = ap.parse_args()
    base = pages(args.nianbao)
    records = sum(1 for k in base if k[0] in ("organizations", "branches"))
    listed = lists(base)
    extra = sorted(k[1] for k in base if k[0] == "page" and k[1] not in OTHER and k[1] != "index")
    print(f"nianbao: {records} record pages, {len(listed)} lists in {sum(map(len, listed.values()))} pages, "
          f"{len(base)} pages; not compared: {', '.join(extra)}")
    failed = False
    for name, out in (("hugo", args.hugo), ("zola", args.zola)):
        if not out:
            continue
        other = pages(out)
        checked, diffs = compare(name, base, other)
        if not diffs:
            state = "same pages"
        else:
            state = f"{len(diffs)}{' or more' if len(diffs) > 100 else ''} differences"
        theirs = lists(other)
        own = sorted(k[1] for k in other if k[0] == "page" and ("page", k[1]) not in base)
        whole = sum(1 for x, p in theirs.items() if len(p) == 1 and len(listed.get(x, ())) > 1)
        print(f"{name}: {sum(1 for k in other if k[0] in ('organizations', 'branches'))} record pages, "
              f"{len(theirs)} lists in {sum(map(len, theirs.values()))} pages"
              + (f" ({whole} in one page where nianbao has several)" if whole else "")
              + f", {checked} pages compared: {state}"
              + (f"; not in nianbao: {', '.join(own)}" if own else ""))
        for d in diffs[:10]:
            print(f"  {d}")
        failed |= bool(diffs)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
