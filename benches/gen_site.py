#!/usr/bin/env python3
"""Generate a synthetic nianbao site, and the same pages as a Hugo and a Zola site.

    benches/gen_site.py N OUT_DIR [--seed S]

writes

    OUT_DIR/nianbao/content/   site.yaml, data/<year>/*.yaml, pages/*.md
    OUT_DIR/hugo/              config.toml, layouts/, content/, data/lists.json
    OUT_DIR/zola/              config.toml, templates/, content/, lists.json
    OUT_DIR/stats.json         counts of what was generated

The register has N organizations (示例企业 000123, 示例社会组织 000124, …) in
zones of about 1,000 organizations each. Every zone has the shape of the
bundled example: under the work committee, a park committee with 13 industry
general branches (single branches and joint branches of about five
enterprises), a social-organization committee (single and joint branches),
and six township general branches that cover the enterprises outside the
park directly. Some records are shell, zombie or duplicate, some active ones
are covered only by an instructor or not at all. metrics.yaml declares a few
derivable figures (all equal to what the registers give, so `nianbao check`
prints no warning) and a few indicators.

Hugo and Zola get one Markdown page per organization and per branch whose
text is the text of nianbao's organization or branch page (the same record
fields, labels, links and lists), the same three narrative pages with the
shortcodes replaced by their values (and a chart by its data table), and
pages for townships, industries and data quality. They build nianbao's
register lists with their own features: the organization list and the
branch tree are sections in pages of 250 rows, and the filter lists (one per
township, per coverage state, the excluded records and the organizations
with no party organization) are the terms of a taxonomy "filters" that every
organization page names, with the same heading, intro, filter links, filter
choices and rows (lists.json holds the labels and counts). Hugo paginates
the terms like nianbao; Zola writes each term in one page, because every
page of a paginated term gets all the term's pages in its context, which
costs Zola time quadratic in the list's length. Their layouts print the same
header, navigation, notice and footer as nianbao's default theme, so pages
are of about the same size. `benches/same_pages.py` checks the result.
Output is deterministic for a given N and seed. Python 3 standard library
only.
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil

YEAR = 2024
AS_OF = datetime.date(YEAR, 11, 30)
ORGS_PER_ZONE = 1000
TOWNSHIPS_PER_ZONE = 6

TITLE = "示例省非公有制经济组织和社会组织党建工作报告（基准测试用合成数据）"
NOTICE = (
    "本站登记册中的组织（示例企业 000001 等）均为基准测试脚本按固定随机种子生成的虚构数据，"
    "片区、乡镇、行业和党组织的名称与数字都不对应任何真实组织，仅用于比较静态网站生成工具的构建速度。"
)

INDUSTRIES = [
    ("nev", "新能源汽车"),
    ("elec", "电子信息"),
    ("bio", "生物医药"),
    ("text", "现代轻纺"),
    ("mat", "新材料"),
    ("rare", "稀土钨深加工"),
    ("food", "食品加工"),
    ("equip", "装备制造"),
    ("furn", "家具制造"),
    ("metal", "铜铝加工"),
    ("logi", "现代物流"),
    ("ecom", "电子商务"),
    ("build", "建筑建材"),
]
SOCIAL_FIELDS = ["社会服务", "行业协会", "教育培训", "民办医疗", "文化体育"]
TOWN_FIRST = "金银青白红黄龙凤云山水石东西南北安平兴和长新茅竹梅桃柳松"
TOWN_SECOND = "岭坪口塘田湾溪坑岗桥源林亭坝洲陂墟埠"
TOWN_SUFFIX = ["镇", "乡", "街道"]

# Interface strings of nianbao's default theme (themes/default/i18n/zh-CN.yaml).
T = {
    "skip": "跳到正文",
    "notice_label": "说明",
    "footer_year": "报告年度",
    "footer_as_of": "数据截至",
    "footer_built_with": "本站由 nianbao 根据登记数据生成，可离线浏览。",
    "kind": {"enterprise": "非公有制企业", "social_org": "社会组织", "individual": "个体工商户"},
    "status": {"active": "正常运营", "shell": "空壳", "zombie": "僵尸", "duplicate": "重复注册"},
    "level": {"work_committee": "工委", "committee": "党委", "general_branch": "党总支部", "branch": "党支部"},
    "form": {"single": "单独组建", "joint": "联合组建"},
    "coverage": {
        "single": "单独党支部覆盖",
        "joint": "联合党支部覆盖",
        "direct": "党总支部直接覆盖",
        "work_only": "仅工作覆盖",
        "uncovered": "未覆盖",
    },
    "yes": "是",
    "no": "否",
    "none": "—",
}
COVERAGES = ["single", "joint", "direct", "work_only", "uncovered"]
ORG_INTRO = "登记册中的全部组织。只有状态为“正常运营”的组织计入党建基数。"
LIST_INTRO = {
    "single": "由本组织单独建立的党支部覆盖的组织。",
    "joint": "由联合党支部覆盖的组织。",
    "direct": "由党总支部或党委直接覆盖的组织。",
    "work_only": "纳入基数、尚未建立党组织，但已选派党建指导员的组织（仅工作覆盖）。",
    "uncovered": "纳入基数、既未建立党组织也未选派党建指导员的组织。",
    "excluded": "状态为空壳、僵尸或重复注册，不计入党建基数的登记记录。",
    "no-party-org": "纳入党建基数、尚未被任何党组织覆盖的组织，含仅工作覆盖的组织：这是下一步组建工作的名单。",
}
# Rows per list page (src/render/paginate.rs PAGE_SIZE) and the most
# townships linked from every list page (src/render/lists.rs).
PAGE_SIZE = 250
MAX_LINKED_TOWNSHIPS = 40
NAV = [
    ("home", "首页", ""),
    ("organizations", "组织名录", "organizations"),
    ("branches", "党组织", "branches"),
    ("townships", "按乡镇", "townships"),
    ("industries", "按行业", "industries"),
    ("data-quality", "数据质量", "data-quality"),
]


def count(v):
    """nianbao's Formatter::count: thousands grouped from five digits on."""
    if v != int(v):
        s = f"{v:.2f}".rstrip("0").rstrip(".")
        return s
    d = str(abs(int(v)))
    if len(d) >= 5:
        d = f"{int(d):,}"
    return ("-" if v < 0 else "") + d


def rate(n, base):
    if base == 0:
        return "—"
    s = f"{n / base * 100:.1f}"
    return (s[:-2] if s.endswith(".0") else s) + "%"


def zh_date(d):
    """nianbao's Formatter::date in zh-CN: 2024年8月30日, no leading zeros."""
    return f"{d.year}年{d.month}月{d.day}日"


def rand_date(rng, lo, hi):
    return lo + datetime.timedelta(days=rng.randrange((hi - lo).days + 1))


def q(s):
    """A YAML/TOML double-quoted string."""
    return json.dumps(s, ensure_ascii=False)


class Site:
    def __init__(self, n, seed):
        self.n = n
        self.rng = random.Random(seed)
        self.zones = max(1, round(n / ORGS_PER_ZONE))
        self.orgs = []
        self.branches = []
        self.by_id = {}
        self._townships()
        self._organizations()
        self._branches()
        self._derive()

    # --- register -----------------------------------------------------------
    def _townships(self):
        names = [a + b + s for s in TOWN_SUFFIX for a in TOWN_FIRST for b in TOWN_SECOND]
        self.rng.shuffle(names)
        need = self.zones * TOWNSHIPS_PER_ZONE
        if need > len(names):
            names += [f"示例镇 {i:04d}" for i in range(1, need - len(names) + 1)]
        self.townships = [names[z * TOWNSHIPS_PER_ZONE:(z + 1) * TOWNSHIPS_PER_ZONE] for z in range(self.zones)]

    def _organizations(self):
        rng = self.rng
        width = max(6, len(str(self.n)))
        for i in range(1, self.n + 1):
            zone = (i - 1) * self.zones // self.n
            r = rng.random()
            kind = "enterprise" if r < 0.92 else "social_org" if r < 0.98 else "individual"
            prefix, label = {
                "enterprise": ("ent", "示例企业"),
                "social_org": ("soc", "示例社会组织"),
                "individual": ("ind", "示例个体工商户"),
            }[kind]
            s = rng.random()
            status = "active" if s < 0.95 else "shell" if s < 0.975 else "zombie" if s < 0.99 else "duplicate"
            ti = rng.randrange(TOWNSHIPS_PER_ZONE)
            employees = int(rng.lognormvariate(3.0, 1.0)) + 1
            o = {
                "id": f"{prefix}-{i:0{width}d}",
                "name": f"{label} {i:0{width}d}",
                "kind": kind,
                "zone": zone,
                "township_i": ti,
                "township": self.townships[zone][ti],
                "in_park": False,
                "industry": None,
                "employees": employees,
                "party_members": min(employees, int(rng.expovariate(1 / 3.0))),
                "status": status,
                "plan": None,  # single | joint | direct | None
                "instructor": False,
                "private": rng.random() < 0.1,
            }
            u = rng.random()
            if kind == "enterprise":
                o["in_park"] = rng.random() < 0.57
                o["industry_i"] = rng.randrange(len(INDUSTRIES))
                o["industry"] = INDUSTRIES[o["industry_i"]][1]
                if o["in_park"]:
                    plan = "single" if u < 0.15 else "joint" if u < 0.96 else "instructor" if u < 0.98 else None
                else:
                    plan = "direct" if u < 0.95 else "instructor" if u < 0.98 else None
            elif kind == "social_org":
                o["industry"] = SOCIAL_FIELDS[rng.randrange(len(SOCIAL_FIELDS))]
                plan = "single" if u < 0.3 else "joint" if u < 0.9 else "instructor" if u < 0.96 else None
            else:
                if rng.random() < 0.5:
                    o["industry"] = "个体零售"
                plan = "instructor" if u < 0.5 else None
            if status != "active":
                plan = None
            if plan == "instructor":
                o["instructor"] = True
                plan = None
            elif plan and rng.random() < 0.3:
                o["instructor"] = True
            o["plan"] = plan
            self.orgs.append(o)

    def _add_branch(self, b):
        b.setdefault("parent", None)
        b.setdefault("form", None)
        b.setdefault("formed", None)
        b.setdefault("members", None)
        b["children"] = []
        b["covers"] = []
        b["index"] = len(self.branches)
        self.branches.append(b)
        self.by_id[b["id"]] = b
        if b["parent"]:
            self.by_id[b["parent"]]["children"].append(b["index"])
        return b

    def _cover(self, b, orgs):
        for o in orgs:
            o["branch"] = b["id"]
            b["covers"].append(o["index"])
        b["members"] = sum(o["party_members"] for o in orgs)

    def _branch_date(self):
        rng = self.rng
        if rng.random() < 0.4:
            return rand_date(rng, datetime.date(YEAR, 1, 1), AS_OF)
        return rand_date(rng, datetime.date(2005, 1, 1), datetime.date(YEAR - 1, 12, 31))

    def _branches(self):
        rng = self.rng
        for i, o in enumerate(self.orgs):
            o["index"] = i
            o["branch"] = None
        self._add_branch({"id": "gw", "name": "示例省非公有制经济组织和社会组织工委", "level": "work_committee"})
        for z in range(self.zones):
            zc = f"{z + 1:03d}"
            zn = f"示例片区 {zc} "
            park = self._add_branch({"id": f"park-{zc}", "name": zn + "园区非公企业党委", "level": "committee", "parent": "gw"})
            social = self._add_branch({"id": f"social-{zc}", "name": zn + "社会组织党委", "level": "committee", "parent": "gw"})
            towns = []
            for ti, t in enumerate(self.townships[z]):
                towns.append(self._add_branch({
                    "id": f"gb-{zc}-t{ti + 1}", "name": t + "非公有制企业党总支部", "level": "general_branch",
                    "parent": "gw", "formed": rand_date(rng, datetime.date(2005, 1, 1), datetime.date(YEAR - 1, 12, 31)),
                }))
            inds = []
            for code, name in INDUSTRIES:
                inds.append(self._add_branch({
                    "id": f"gb-{zc}-{code}", "name": zn + name + "产业党总支部", "level": "general_branch",
                    "parent": park["id"], "formed": self._branch_date(),
                }))
            zone_orgs = [o for o in self.orgs if o["zone"] == z]
            # Enterprises outside the park: their township's general branch, directly.
            for o in zone_orgs:
                if o["plan"] == "direct":
                    b = towns[o["township_i"]]
                    o["branch"] = b["id"]
                    b["covers"].append(o["index"])
            for b in towns:
                b["members"] = sum(self.orgs[i]["party_members"] for i in b["covers"])
            groups = [(inds[k], name, code, [o for o in zone_orgs if o["kind"] == "enterprise" and o.get("industry_i") == k])
                      for k, (code, name) in enumerate(INDUSTRIES)]
            groups.append((social, "社会组织", "soc", [o for o in zone_orgs if o["kind"] == "social_org"]))
            for parent, name, code, members in groups:
                joint = [o for o in members if o["plan"] == "joint"]
                if len(joint) == 1:
                    joint[0]["plan"] = "single"
                for o in members:
                    if o["plan"] == "single":
                        b = self._add_branch({
                            "id": f"br-{o['id']}", "name": o["name"] + " 党支部", "level": "branch",
                            "parent": parent["id"], "form": "single", "formed": self._branch_date(),
                        })
                        self._cover(b, [o])
                chunks = []
                while joint:
                    size = rng.choice([3, 4, 5, 5, 5, 6, 7])
                    chunks.append(joint[:size])
                    joint = joint[size:]
                if len(chunks) > 1 and len(chunks[-1]) == 1:
                    last = chunks.pop()
                    chunks[-1] += last
                for k, chunk in enumerate(chunks, 1):
                    b = self._add_branch({
                        "id": f"jb-{zc}-{code}-{k:02d}", "name": f"{zn}{name}{'' if code == 'soc' else '产业'}第{k}联合党支部",
                        "level": "branch", "parent": parent["id"], "form": "joint", "formed": self._branch_date(),
                    })
                    self._cover(b, chunk)

    # --- what nianbao derives (kept in step with src/derive) ------------------
    def _derive(self):
        for o in self.orgs:
            if o["status"] != "active":
                o["coverage"] = None
            elif o["branch"]:
                b = self.by_id[o["branch"]]
                o["coverage"] = b["form"] if b["form"] else "direct"
            else:
                o["coverage"] = "work_only" if o["instructor"] else "uncovered"
        for b in self.branches:
            b["subtree"] = 0
            b["kinds"] = set()
        for o in self.orgs:
            if o["coverage"] is None or not o["branch"]:
                continue
            b = self.by_id[o["branch"]]
            while b is not None:
                b["subtree"] += 1
                b["kinds"].add(o["kind"])
                b = self.by_id[b["parent"]] if b["parent"] else None
        self.order = []
        stack = [0]
        while stack:
            i = stack.pop()
            self.order.append(i)
            stack.extend(reversed(self.branches[i]["children"]))
        self.depth = {}
        for i in self.order:
            p = self.branches[i]["parent"]
            self.depth[i] = 0 if p is None else self.depth[self.by_id[p]["index"]] + 1

    def figure(self, scope, measure):
        base = [o for o in self.orgs if o["coverage"] and (scope == "all" or o["kind"] == scope)]
        covered = sum(1 for o in base if o["coverage"] in ("single", "joint", "direct"))
        work = sum(1 for o in base if o["coverage"] != "uncovered")
        kinds = {"enterprise", "social_org", "individual"} if scope == "all" else {scope}
        orgs = [b for b in self.branches if b["level"] in ("general_branch", "branch") and b["kinds"] & kinds]
        if measure == "base":
            return len(base)
        if measure == "covered":
            return covered
        if measure == "coverage_rate":
            return covered / len(base) if base else None
        if measure == "work_covered":
            return work
        if measure == "party_orgs":
            return len(orgs)
        if measure == "joint_branches":
            return sum(1 for b in orgs if b["form"] == "joint")
        if measure == "single_branches":
            return sum(1 for b in orgs if b["form"] == "single")
        if measure == "general_branches":
            return sum(1 for b in orgs if b["level"] == "general_branch")
        if measure == "new_party_orgs":
            return sum(1 for b in orgs if b["formed"] and b["formed"].year == YEAR and b["formed"] <= AS_OF)
        if measure == "members":
            return sum(o["party_members"] for o in base)
        raise KeyError(measure)

    def breakdown(self, field):
        rows = {}
        for o in self.orgs:
            if o["coverage"] is None:
                continue
            row = rows.setdefault(o[field], [0] * len(COVERAGES))
            row[COVERAGES.index(o["coverage"])] += 1
        return sorted(rows.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))

    # --- the organization lists (kept in step with src/render/lists.rs) --------
    def lists(self):
        """nianbao's organization lists in its order: (key, label, intro, rows).

        key is the list's folder under organizations/ ("" for the full list),
        label None on the full list, rows the organizations' indices in
        register order."""
        out = [("", None, ORG_INTRO, list(range(len(self.orgs))))]
        towns = {}
        for i, o in enumerate(self.orgs):
            towns.setdefault(o["township"], []).append(i)
        for k, name in enumerate(sorted(towns), 1):
            out.append((f"township-{k}", name, f"{name}登记在册的全部组织。", towns[name]))
        for c in COVERAGES:
            rows = [i for i, o in enumerate(self.orgs) if o["coverage"] == c]
            out.append(("coverage-" + c.replace("_", "-"), T["coverage"][c], LIST_INTRO[c], rows))
        out.append(("excluded", "未纳入基数", LIST_INTRO["excluded"],
                    [i for i, o in enumerate(self.orgs) if o["coverage"] is None]))
        out.append(("no-party-org", "未建党组织", LIST_INTRO["no-party-org"],
                    [i for i, o in enumerate(self.orgs) if o["coverage"] in ("work_only", "uncovered")]))
        return out

    # --- declared figures -------------------------------------------------------
    def metrics(self):
        instructors = sum(1 for o in self.orgs if o["instructor"])
        derived = [
            ("all.base", self.figure("all", "base")),
            ("enterprise.base", self.figure("enterprise", "base")),
            ("enterprise.covered", self.figure("enterprise", "covered")),
            ("enterprise.coverage_rate", round(self.figure("enterprise", "coverage_rate"), 4)),
            ("enterprise.joint_branches", self.figure("enterprise", "joint_branches")),
            ("enterprise.single_branches", self.figure("enterprise", "single_branches")),
            ("social_org.base", self.figure("social_org", "base")),
            ("social_org.covered", self.figure("social_org", "covered")),
        ]
        indicators = [
            ("instructors.part_time", "党建指导员（兼职）", instructors, "名"),
            ("instructors.full_time", "专职党建指导员", max(1, instructors // 50), "名"),
            ("activity_center.days_per_month", "党员活动中心每月安排的党员活动日", 13, "天"),
            ("zone.count", "片区", self.zones, "个"),
            ("zone.townships", "乡镇（街道）", self.zones * TOWNSHIPS_PER_ZONE, "个"),
        ]
        return derived, indicators


# --- narrative pages -----------------------------------------------------------

SENTENCES = [
    "各片区按照属地管理、分级负责的原则，逐家核实企业和社会组织的登记信息，及时剔除空壳、僵尸和重复注册的记录。",
    "党建指导员每月至少走访联系企业一次，帮助企业党组织规范“三会一课”，把组织生活同生产经营结合起来。",
    "对暂不具备单独组建条件的企业，按照产业相近、地域相邻的原则组建联合党支部，一个支部一般联系五家左右企业。",
    "园区内按产业设立党总支部，统筹同一产业的单独党支部和联合党支部，定期召开产业党建联席会议。",
    "园区以外的企业由所在乡镇（街道）的非公有制企业党总支部直接管理，做到底数清、情况明。",
    "社会组织党委按照行业分类指导，推动行业协会、民办学校和民办医疗机构等社会组织建立党组织。",
    "登记册每季度更新一次，企业新设、迁出、注销和党员流动情况都要及时记入台账，保证数字经得起核对。",
    "各级党组织把发展党员的重点放在生产经营一线、技术骨干和青年职工中，注意培养入党积极分子。",
    "党员活动中心按产业安排固定活动日，为规模较小、场地不足的企业党员提供集中学习和开展活动的场所。",
    "年度述职评议把覆盖情况、组织生活和党员教育管理作为主要内容，评议结果作为评先评优的重要依据。",
    "对工作覆盖但尚未建立党组织的企业，由党建指导员联系指导，具备条件后及时单独或联合组建党组织。",
    "统计口径以登记册为准：只有状态为正常运营的组织计入党建基数，覆盖率按覆盖数除以基数计算。",
]


def paragraph(rng, k):
    return "".join(rng.sample(SENTENCES, k))


def narrative_pages(site):
    """(slug, title, weight, summary, body) with nianbao shortcodes."""
    rng = random.Random(site.n * 7919 + 1)
    return [
        ("overview", "年度工作概况", 1, "全省非公有制企业和社会组织党组织覆盖的总体情况。",
         "## 基本情况\n\n"
         f"截至{YEAR}年11月底，登记册中纳入党建基数的组织共{{{{ figure(key=\"all.base\") }}}}家，"
         "其中非公有制企业{{ figure(key=\"enterprise.base\") }}家，"
         "园区内{{ figure(key=\"enterprise.base\", in_park=true) }}家、园区外{{ figure(key=\"enterprise.base\", in_park=false) }}家；"
         "社会组织{{ figure(key=\"social_org.base\") }}家。\n\n"
         + paragraph(rng, 3) + "\n\n## 覆盖情况\n\n"
         "非公有制企业中有党组织覆盖的{{ figure(key=\"enterprise.covered\") }}家，覆盖率{{ figure(key=\"enterprise.coverage_rate\") }}；"
         "社会组织覆盖率{{ figure(key=\"social_org.coverage_rate\") }}。全省共有党建指导员{{ figure(key=\"instructors.part_time\") }}。\n\n"
         "{{ chart(id=\"coverage-by-kind\") }}\n\n" + paragraph(rng, 3) + "\n"),
        ("structure", "组织体系", 2, "工委、党委、党总支部和党支部的设置，以及单独组建和联合组建的情况。",
         "## 组织设置\n\n"
         "非公有制企业党组织共{{ figure(key=\"enterprise.party_orgs\") }}个，其中党总支部{{ figure(key=\"enterprise.general_branches\") }}个、"
         "单独党支部{{ figure(key=\"enterprise.single_branches\") }}个、联合党支部{{ figure(key=\"enterprise.joint_branches\") }}个，"
         "本年新建{{ figure(key=\"enterprise.new_party_orgs\") }}个。\n\n"
         + paragraph(rng, 3) + "\n\n## 分布\n\n{{ chart(id=\"coverage-by-industry\") }}\n\n" + paragraph(rng, 2) + "\n"),
        ("notes", "数据说明", 3, "登记册的来源、统计口径和示例数据的说明。",
         "## 数据来源\n\n" + paragraph(rng, 3) + "\n\n"
         "本年度共有{{ figure(key=\"zone.townships\") }}乡镇（街道）报送登记册，"
         "党员共{{ figure(key=\"all.members\") }}名。\n\n{{ chart(id=\"coverage-by-township\") }}\n\n"
         "## 口径\n\n" + paragraph(rng, 3) + "\n"),
    ]


SHORTCODE = re.compile(r"\{\{\s*(figure|chart)\((.*?)\)\s*\}\}")
ARG = re.compile(r'(\w+)=("([^"]*)"|true|false)')


def peer_text(site, body, indicators):
    """nianbao's shortcodes replaced by what they print (charts by their data table)."""
    ind = {k: (v, u) for k, _, v, u in indicators}
    park = {}

    def fig(scope, measure, in_park):
        if in_park is None:
            return site.figure(scope, measure)
        key = (scope, measure, in_park)
        if key not in park:
            saved = site.orgs
            site.orgs = [o for o in saved if o["in_park"] == in_park]
            try:
                park[key] = site.figure(scope, measure)
            finally:
                site.orgs = saved
        return park[key]

    def sub(m):
        args = {a.group(1): a.group(3) if a.group(3) is not None else a.group(2) for a in ARG.finditer(m.group(2))}
        if m.group(1) == "chart":
            return chart_table(site, args["id"])
        key = args["key"]
        if key in ind:
            return count(ind[key][0]) + ind[key][1]
        scope, measure = key.split(".")
        in_park = {"true": True, "false": False}.get(args.get("in_park"))
        v = fig(scope, measure, in_park)
        if measure.endswith("rate"):
            return rate(v, 1) if v is not None else "—"
        return count(v)

    return SHORTCODE.sub(sub, body)


def table(head, rows):
    """A Markdown table."""
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def coverage_rows(rows, work_rate):
    """Rows of a breakdown by coverage state: name, base, the five states,
    the organizational (and the work) coverage rate."""
    out = []
    for name, cells in rows:
        base = sum(cells)
        row = [name or "未填写", count(base)] + [count(c) for c in cells] + [rate(sum(cells[:3]), base)]
        out.append(row + ([rate(base - cells[4], base)] if work_rate else []))
    return out


def coverage_head(work_rate):
    return ["名称", "纳入基数"] + [T["coverage"][c] for c in COVERAGES] + ["组织覆盖率"] + (["工作覆盖率"] if work_rate else [])


def chart(title, desc, head, rows):
    """What a chart prints besides its picture: nianbao's caption, the
    description above its data table and the data table."""
    return f"**{title}**\n\n{desc}\n\n" + table(head, rows)


SEGMENTS = "按覆盖方式分段：单独党支部、联合党支部、党总支部直接覆盖、仅工作覆盖、未覆盖。"


def chart_table(site, chart_id):
    """nianbao's chart, without the picture (src/charts, the theme's zh-CN strings)."""
    if chart_id == "coverage-by-kind":
        rows = []
        for kind in ("enterprise", "social_org", "individual"):
            base = site.figure(kind, "base")
            covered, work = site.figure(kind, "covered"), site.figure(kind, "work_covered")
            rows.append([T["kind"][kind], count(base), count(covered), rate(covered, base), count(work), rate(work, base)])
        return chart("各类组织覆盖率", "非公有制企业、社会组织等各类组织的党组织覆盖率和党的工作覆盖率（百分比）。",
                     ["类别", "纳入基数", "组织覆盖数", "组织覆盖率", "工作覆盖数", "工作覆盖率"], rows)
    if chart_id == "coverage-by-township":
        return chart("各乡镇（街道）组织覆盖情况", "各乡镇（街道）纳入基数的组织数，" + SEGMENTS,
                     coverage_head(False), coverage_rows(site.breakdown("township"), False))
    return chart("各行业组织覆盖情况", "各行业纳入基数的组织数，" + SEGMENTS,
                 coverage_head(False), coverage_rows(site.breakdown("industry"), False))


# --- writers -----------------------------------------------------------------------

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_nianbao(site, root):
    c = os.path.join(root, "content")
    write(os.path.join(c, "site.yaml"),
          f"# Synthetic benchmark site written by benches/gen_site.py (N = {site.n}).\n"
          f"title: {TITLE}\nlanguage: zh-CN\nyear: {YEAR}\ntheme: default\nnotice: {NOTICE}\n")
    d = os.path.join(c, "data", str(YEAR))
    lines = ["# SYNTHETIC BENCHMARK DATA (基准测试合成数据), written by benches/gen_site.py.", "organizations:"]
    for o in site.orgs:
        lines += [f"  - id: {o['id']}", f"    name: {o['name']}", f"    kind: {o['kind']}",
                  f"    township: {o['township']}", f"    in_park: {'true' if o['in_park'] else 'false'}"]
        if o["industry"]:
            lines.append(f"    industry: {o['industry']}")
        lines += [f"    employees: {o['employees']}", f"    party_members: {o['party_members']}",
                  f"    status: {o['status']}"]
        if o["branch"]:
            lines.append(f"    branch: {o['branch']}")
        if o["instructor"]:
            lines.append("    instructor: true")
        if o["private"]:
            lines += ["    private:", f"      contact: 联系人 {o['id']}", "      phone: 0000-0000000"]
    write(os.path.join(d, "organizations.yaml"), "\n".join(lines) + "\n")
    lines = ["# SYNTHETIC BENCHMARK DATA (基准测试合成数据), written by benches/gen_site.py.", "branches:"]
    for b in site.branches:
        lines += [f"  - id: {b['id']}", f"    name: {b['name']}", f"    level: {b['level']}"]
        if b["parent"]:
            lines.append(f"    parent: {b['parent']}")
        if b["form"]:
            lines.append(f"    form: {b['form']}")
        if b["formed"]:
            lines.append(f"    formed: {b['formed'].isoformat()}")
        if b["members"] is not None:
            lines.append(f"    members: {b['members']}")
    write(os.path.join(d, "branches.yaml"), "\n".join(lines) + "\n")
    derived, indicators = site.metrics()
    lines = ["# SYNTHETIC BENCHMARK DATA (基准测试合成数据), written by benches/gen_site.py.",
             f"as_of: {AS_OF.isoformat()}", "metrics:"]
    for k, v in derived:
        lines += [f"  - key: {k}", f"    value: {v}"]
    for k, label, v, unit in indicators:
        lines += [f"  - key: {k}", f"    label: {label}", f"    value: {v}", f"    unit: {unit}"]
    write(os.path.join(d, "metrics.yaml"), "\n".join(lines) + "\n")
    for slug, title, weight, summary, body in narrative_pages(site):
        write(os.path.join(c, "pages", slug + ".md"),
              f"---\ntitle: {title}\nweight: {weight}\nsummary: {summary}\n---\n\n{body}")


def org_body(site, o, link):
    """The text of nianbao's organization.html, as Markdown."""
    t = T
    branch = t["none"]
    if o["branch"]:
        b = site.by_id[o["branch"]]
        branch = f"[{b['name']}]({link('branches', b['id'])})"
    rows = [
        ("类别", t["kind"][o["kind"]]), ("乡镇（街道）", o["township"]),
        ("是否在园区", t["yes"] if o["in_park"] else t["no"]), ("行业", o["industry"] or t["none"]),
        ("职工人数", count(o["employees"])), ("党员人数", count(o["party_members"])),
        ("状态", t["status"][o["status"]]), ("党建指导员", t["yes"] if o["instructor"] else t["no"]),
        ("覆盖方式", t["coverage"][o["coverage"]] if o["coverage"] else t["none"]), ("所属党组织", branch),
    ]
    out = f"[组织名录]({link('organizations', None)})\n\n" + "\n".join(f"- {k}：{v}" for k, v in rows) + "\n"
    if o["coverage"] is None:
        out += "\n该组织未纳入党建基数。\n"
    elif not o["branch"]:
        out += "\n尚未被党组织覆盖。\n"
    return out


def branch_body(site, b, link):
    """The text of nianbao's branch.html, as Markdown."""
    t = T
    anc = []
    p = b["parent"]
    while p:
        anc.append(site.by_id[p])
        p = site.by_id[p]["parent"]
    crumbs = "".join(f" › [{a['name']}]({link('branches', a['id'])})" for a in reversed(anc))
    rows = [
        ("层级", t["level"][b["level"]]),
        ("组建方式", t["form"][b["form"]] if b["form"] else t["none"]),
        ("成立日期", zh_date(b["formed"]) if b["formed"] else t["none"]),
        ("党员人数", count(b["members"]) if b["members"] is not None else t["none"]),
        ("下辖覆盖组织", count(b["subtree"])),
    ]
    out = f"[党组织]({link('branches', None)}){crumbs}\n\n" + "\n".join(f"- {k}：{v}" for k, v in rows) + "\n"
    if b["children"]:
        out += "\n## 下级组织\n\n"
        for ci in b["children"]:
            c = site.branches[ci]
            form = f" · {t['form'][c['form']]}" if c["form"] else ""
            out += f"- [{c['name']}]({link('branches', c['id'])}) {t['level'][c['level']]}{form}\n"
    out += "\n## 直接覆盖的组织\n\n"
    if b["covers"]:
        for oi in b["covers"]:
            o = site.orgs[oi]
            out += f"- [{o['name']}]({link('organizations', o['id'])}) {t['kind'][o['kind']]} · {t['status'][o['status']]}\n"
    else:
        out += "没有直接覆盖的组织。\n"
    return out


MEASURE = {"base": "纳入基数", "covered": "组织覆盖数", "coverage_rate": "组织覆盖率",
           "joint_branches": "联合党支部", "single_branches": "单独党支部"}


def breakdown_page(site, field, intro, chart_id):
    """nianbao's townships or industries page: the chart, then the full table with a total."""
    rows = site.breakdown(field)
    total = [0] * len(COVERAGES)
    for _, cells in rows:
        total = [a + b for a, b in zip(total, cells)]
    return (intro + "\n\n" + chart_table(site, chart_id) + "\n\n"
            + table(coverage_head(True), coverage_rows(rows + [("合计", total)], True)) + "\n")


def other_pages(site, indicators):
    """(slug, title, weight, body) of the pages nianbao builds from the registers."""
    levels = ["work_committee", "committee", "general_branch", "branch"]
    derived, _ = site.metrics()
    rows, counts = [], []
    for k, v in derived:
        scope, measure = k.split(".")
        d = site.figure(scope, measure)
        fmt = (lambda x: rate(x, 1)) if measure.endswith("rate") else count
        label = T["kind"].get(scope, "合计") + MEASURE[measure]
        rows.append([label, fmt(v), fmt(d), "✓ 一致"])
        if not measure.endswith("rate"):
            counts.append([label, fmt(v), fmt(d), "一致"])
    head = ["指标", "公布数", "登记册推算数", "核对结果"]
    dq = ("凡能由登记册推算的数字，本站一律推算，不直接采用填报数。同一数字若另有填报，二者在此并列核对；不一致之处如实列出，不作取舍。\n\n"
          "所有填报数与登记册推算数一致。\n\n" + table(head, rows) + "\n\n"
          + chart("公布数与登记册推算数对照", "每个同时公布了数字、又能由登记册推算的计数指标，两者并列；比率指标见数据质量页的表格。", head, counts)
          + "\n\n## 只能填报、无法推算的指标\n\n"
          + table(["指标", "数值"], [[label, count(v) + unit] for _, label, v, unit in indicators]) + "\n\n")
    excluded = {}
    for o in site.orgs:
        if o["status"] != "active":
            excluded[o["status"]] = excluded.get(o["status"], 0) + 1
    dq += "## 未纳入基数的记录\n\n" + "".join(
        f"- {T['status'][s]}：{count(excluded[s])}\n" for s in ("shell", "zombie", "duplicate") if s in excluded)
    return [
        ("townships", "按乡镇（街道）统计", 11,
         breakdown_page(site, "township", "纳入基数的组织按所在乡镇（街道）统计的覆盖情况。", "coverage-by-township")),
        ("industries", "按行业统计", 12,
         breakdown_page(site, "industry", "纳入基数的组织按所属行业统计的覆盖情况。", "coverage-by-industry")),
        ("data-quality", "数据质量", 13, dq),
    ], levels


def home_body(site, pages):
    out = "## 年度主要数据\n\n| 类别 | 纳入基数 | 组织覆盖数 | 组织覆盖率 | 党组织数 | 联合党支部 | 本年新建党组织 |\n|---|---|---|---|---|---|---|\n"
    for scope in ["enterprise", "social_org", "individual", "all"]:
        f = lambda m: site.figure(scope, m)
        cr = f("coverage_rate")
        out += (f"| {T['kind'].get(scope, '合计')} | {count(f('base'))} | {count(f('covered'))} | "
                f"{rate(cr, 1) if cr is not None else '—'} | {count(f('party_orgs'))} | {count(f('joint_branches'))} | {count(f('new_party_orgs'))} |\n")
    out += "\n" + chart_table(site, "coverage-by-kind") + "\n\n## 报告正文\n\n"
    for slug, title, _, summary, _ in pages:
        out += f"- **{title}**：{summary}\n"
    return out


def levels_table(site):
    out = "| 层级 | 数量 | 单独组建 | 联合组建 |\n|---|---|---|---|\n"
    for lv in ["work_committee", "committee", "general_branch", "branch"]:
        bs = [b for b in site.branches if b["level"] == lv]
        out += (f"| {T['level'][lv]} | {count(len(bs))} | {count(sum(1 for b in bs if b['form'] == 'single'))} | "
                f"{count(sum(1 for b in bs if b['form'] == 'joint'))} |\n")
    return out


def list_data(site, lists):
    """What a list page prints besides its rows, as nianbao works it out from
    the register: each filter list's label and intro, the groups of links to
    the lists with their counts (key "" is the full list), and the choices
    of the in-page filter. The peers get it as site data."""
    def link(key, label, rows):
        return {"key": key, "label": label, "count": count(len(rows))}
    towns = [link(k, lb, r) for k, lb, _, r in lists if k.startswith("township-")]
    coverage = [link(k, lb, r) for k, lb, _, r in lists if k.startswith("coverage-") or k == "excluded"]
    work = [link(k, lb, r) for k, lb, _, r in lists if k == "no-party-org"]
    many = len(towns) > MAX_LINKED_TOWNSHIPS
    groups = [
        {"title": "乡镇（街道）", "first_page_only": many, "links": towns},
        {"title": "覆盖方式", "first_page_only": False, "links": coverage},
        {"title": "工作名单", "first_page_only": False, "links": work},
    ]
    # Past MAX_LINKED_TOWNSHIPS a township's own list links back to the
    # full list's first page instead of every other township.
    back = [{"key": "", "label": "全部乡镇（见组织名录首页）", "count": count(len(towns))}]
    township_groups = [dict(groups[0], links=back if many else towns)] + groups[1:]
    none = T["none"]

    def values(get):
        return sorted({get(o) for o in site.orgs})
    selects = [
        {"label": "类别", "column": 1, "options": values(lambda o: T["kind"][o["kind"]])},
        {"label": "乡镇（街道）", "column": 2, "options": values(lambda o: o["township"])},
        {"label": "行业", "column": 3, "options": values(lambda o: o["industry"] or none)},
        {"label": "覆盖方式", "column": 5,
         "options": values(lambda o: T["coverage"][o["coverage"]] if o["coverage"] else none)},
    ]
    if many:
        del selects[1]
    return {
        "lists": {k: {"label": lb, "intro": i} for k, lb, i, _ in lists if k},
        "groups": groups,
        "township_groups": township_groups,
        "selects": selects,
    }


def write_peer(site, root, tool):
    """Hugo or Zola: same pages, front matter in the tool's style."""
    c = os.path.join(root, "content")
    _, indicators = site.metrics()
    pages = narrative_pages(site)
    others, _ = other_pages(site, indicators)
    lists = site.lists()
    # The filter lists each organization is on, as terms of a taxonomy
    # "filters": the peers build nianbao's township and coverage lists with
    # their own taxonomy pages.
    terms = [[] for _ in site.orgs]
    for key, _, _, rows in lists:
        for i in rows if key else ():
            terms[i].append(key)
    if tool == "hugo":
        # uglyURLs: organizations/ent-000001.html, as nianbao writes it.
        def link(section, ident):
            return f"../{section}/{ident}.html" if ident else f"../{section}.html"

        def front(title, weight, params, filters=None):
            lines = ["---", f"title: {q(title)}", f"weight: {weight}"] + [f"{k}: {q(v)}" for k, v in params.items()]
            if filters:
                lines.append(f"filters: [{', '.join(q(f) for f in filters)}]")
            return "\n".join(lines) + "\n---\n\n"
    else:
        # Zola has no ugly URLs: organizations/ent-000001/index.html.
        def link(section, ident):
            return f"../../{section}/{ident}/" if ident else f"../../{section}/"

        def front(title, weight, params, filters=None):
            lines = ["+++", f"title = {q(title)}", f"weight = {weight}"]
            if filters:
                # Zola lists a term's pages newest first and those without a
                # date in no fixed order: dates a second apart keep the
                # register order.
                date = datetime.datetime(YEAR, 11, 30) - datetime.timedelta(seconds=weight)
                lines += [f"date = {date.isoformat()}Z", "[taxonomies]",
                          f"filters = [{', '.join(q(f) for f in filters)}]"]
            lines += ["[extra]"] + [f"{k} = {q(v)}" for k, v in params.items()]
            return "\n".join(lines) + "\n+++\n\n"

    def section(title, weight, body, params=None):
        if tool == "hugo":
            return front(title, weight, params or {}) + body
        # Zola's templates fail on a missing key, so every section says which list it has.
        params = {"list": "", **(params or {})}
        extra = "".join(f"{k} = {q(v)}\n" for k, v in params.items())
        paginate = f"paginate_by = {PAGE_SIZE}\n" if params["list"] else ""
        return (f"+++\ntitle = {q(title)}\nsort_by = \"weight\"\n{paginate}"
                f"[extra]\n{extra}+++\n\n{body}")

    write(os.path.join(c, "_index.md"), section(TITLE, 0, home_body(site, pages)))
    write(os.path.join(c, "organizations", "_index.md"),
          section("组织名录", 1, ORG_INTRO + "\n", {"list": "organizations"}))
    write(os.path.join(c, "branches", "_index.md"),
          section("党组织", 2, "党组织体系按工委、党委、党总支部、党支部逐级排列。\n\n" + levels_table(site), {"list": "branches"}))
    for k, o in enumerate(site.orgs, 1):
        params = {
            "kind": T["kind"][o["kind"]], "township": o["township"],
            "industry": o["industry"] or T["none"], "status": T["status"][o["status"]],
            "coverage": T["coverage"][o["coverage"]] if o["coverage"] else T["none"],
        }
        write(os.path.join(c, "organizations", o["id"] + ".md"),
              front(o["name"], k, params, terms[k - 1]) + org_body(site, o, link))
    for k, i in enumerate(site.order, 1):
        b = site.branches[i]
        params = {
            "level": T["level"][b["level"]], "form": T["form"][b["form"]] if b["form"] else T["none"],
            "subtree": count(b["subtree"]), "depth": str(site.depth[i]),
        }
        write(os.path.join(c, "branches", b["id"] + ".md"), front(b["name"], k, params) + branch_body(site, b, link))
    for slug, title, weight, summary, body in pages:
        write(os.path.join(c, slug + ".md"), front(title, weight, {"summary": summary}) + peer_text(site, body, indicators))
    for slug, title, weight, body in others:
        write(os.path.join(c, slug + ".md"), front(title, weight, {}) + body)
    # Site data the list templates read (Hugo: data/, Zola: load_data), not
    # configuration: Zola would copy config.extra into every page's context.
    data = json.dumps(list_data(site, lists), ensure_ascii=False, indent=0) + "\n"
    if tool == "hugo":
        write(os.path.join(root, "data", "lists.json"), data)
        write_hugo_theme(root)
    else:
        write(os.path.join(root, "lists.json"), data)
        write_zola_theme(root)


# The text around an organization list: nianbao's organizations.html and
# pagination.html with the theme's zh-CN strings.
FILTER_SUMMARY = "按乡镇、覆盖方式查看名单"
FORM_OPEN = '<form class="filters" id="org-filters" hidden aria-label="在本页筛选组织">'
FORM_CLOSE = '<p id="org-filter-status" role="status" class="meta" data-shown="本页显示 {n} 个组织"></p>\n</form>'
REGISTER_HEAD = ('<div class="table-wrap" role="region" aria-label="组织名录" tabindex="0">\n'
                 '<table class="register" id="org-list">\n<thead><tr><th scope="col">名称</th><th scope="col">类别</th>'
                 '<th scope="col">乡镇（街道）</th><th scope="col">行业</th><th scope="col">状态</th>'
                 '<th scope="col">覆盖方式</th></tr></thead>\n<tbody>\n')


def write_hugo_theme(root):
    write(os.path.join(root, "config.toml"), f"""\
baseURL = "/"
languageCode = "zh-CN"
title = {q(TITLE)}
uglyURLs = true
relativeURLs = true
hasCJKLanguage = true
paginate = {PAGE_SIZE}
# No page listing the taxonomy's terms (nianbao has none); its term pages are the filter lists.
disableKinds = ["taxonomy", "RSS", "sitemap", "robotsTXT", "404"]
ignoreErrors = ["error-disable-taxonomy"]
enableGitInfo = false

[taxonomies]
filter = "filters"

[params]
notice = {q(NOTICE)}
year = "{YEAR}"
as_of = "{zh_date(AS_OF)}"

[markup.goldmark.renderer]
unsafe = false
""")
    nav = "".join(f'<li><a href="{{{{ "{p + ".html" if p else "index.html"}" | relURL }}}}">{t}</a></li>'
                  for _, t, p in NAV)
    write(os.path.join(root, "layouts", "_default", "baseof.html"), f"""\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{{{ .Title }}}} · {{{{ .Site.Title }}}}</title>
</head>
<body>
<a class="skip" href="#main">{T['skip']}</a>
<header class="site-header">
  <p class="site-title"><a href="{{{{ "index.html" | relURL }}}}">{{{{ .Site.Title }}}}</a> <span class="site-year">{{{{ .Site.Params.year }}}}</span></p>
  <nav class="site-nav" aria-label="首页"><ul>{nav}</ul></nav>
</header>
<p class="notice"><strong>{T['notice_label']}</strong> {{{{ .Site.Params.notice }}}}</p>
<main id="main">
{{{{ block "main" . }}}}{{{{ end }}}}
</main>
<footer class="site-footer">
  <p>{T['footer_year']} {{{{ .Site.Params.year }}}} · {T['footer_as_of']} {{{{ .Site.Params.as_of }}}}</p>
  <p>{T['footer_built_with']}</p>
</footer>
</body>
</html>
""")
    write(os.path.join(root, "layouts", "_default", "single.html"),
          '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ with .Params.summary }}<p class="lead">{{ . }}</p>\n{{ end }}'
          '{{ .Content }}\n{{ end }}\n')
    write(os.path.join(root, "layouts", "_default", "list.html"), """\
{{ define "main" }}{{ if eq .Params.list "organizations" }}{{ partial "orglist.html" (dict "page" . "key" "" "label" "" "intro" .Content) }}
{{ else }}<h1>{{ .Title }}</h1>
{{ .Content }}
{{ if eq .Params.list "branches" }}{{ $p := .Paginator }}{{ partial "pagination.html" $p }}
<ul class="tree">
{{ range $p.Pages }}<li class="depth-{{ .Params.depth }}"><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="meta">{{ .Params.level }} · {{ .Params.form }} · {{ .Params.subtree }}</span></li>
{{ end }}</ul>
{{ partial "pagination.html" $p }}
{{ end }}{{ end }}{{ end }}
""")
    write(os.path.join(root, "layouts", "_default", "term.html"), """\
{{ define "main" }}{{ $l := index site.Data.lists.lists .Data.Term }}{{ partial "orglist.html" (dict "page" . "key" .Data.Term "label" $l.label "intro" (printf "<p>%s</p>" $l.intro | safeHTML)) }}{{ end }}
""")
    write(os.path.join(root, "layouts", "partials", "orglist.html"), f"""\
{{{{ $page := .page }}}}{{{{ $key := .key }}}}{{{{ $p := $page.Paginator }}}}{{{{ $d := site.Data.lists }}}}
<h1>组织名录{{{{ with .label }}}}：{{{{ . }}}}{{{{ end }}}}</h1>
{{{{ .intro }}}}
<details class="filter-links"{{{{ if $key }}}} open{{{{ end }}}}>
<summary>{FILTER_SUMMARY}</summary>
{{{{ $groups := $d.groups }}}}{{{{ if hasPrefix $key "township-" }}}}{{{{ $groups = $d.township_groups }}}}{{{{ end }}}}
{{{{ range $groups }}}}{{{{ if or (not .first_page_only) (eq $p.PageNumber 1) (eq (len .links) 1) }}}}
<p class="meta">{{{{ .title }}}}</p>
<ul>{{{{ range .links }}}}<li><a href="{{{{ if .key }}}}{{{{ printf "filters/%s.html" .key | relURL }}}}{{{{ else }}}}{{{{ "organizations.html" | relURL }}}}{{{{ end }}}}"{{{{ if eq .key $key }}}} aria-current="page"{{{{ end }}}}>{{{{ .label }}}}</a> <span class="meta">({{{{ .count }}}})</span></li>{{{{ end }}}}</ul>
{{{{ end }}}}{{{{ end }}}}
</details>
{FORM_OPEN}
{{{{ range $d.selects }}}}<label>{{{{ .label }}}}<select data-column="{{{{ .column }}}}"><option value="">全部</option>{{{{ range .options }}}}<option>{{{{ . }}}}</option>{{{{ end }}}}</select></label>
{{{{ end }}}}{FORM_CLOSE}
{{{{ partial "pagination.html" $p }}}}
{REGISTER_HEAD}{{{{ range $p.Pages }}}}<tr><th scope="row"><a href="{{{{ .RelPermalink }}}}">{{{{ .Title }}}}</a></th><td>{{{{ .Params.kind }}}}</td><td>{{{{ .Params.township }}}}</td><td>{{{{ .Params.industry }}}}</td><td>{{{{ .Params.status }}}}</td><td>{{{{ .Params.coverage }}}}</td></tr>
{{{{ end }}}}</tbody>
</table>
</div>
{{{{ partial "pagination.html" $p }}}}
""")
    # nianbao's pagination.html: the range of rows, the first and last page
    # and two on each side of the current one, "…" where pages are left out.
    write(os.path.join(root, "layouts", "partials", "pagination.html"), """\
{{ $p := . }}{{ if gt $p.TotalPages 1 }}{{ $cur := $p.PageNumber }}{{ $n := $p.TotalPages }}{{ $first := add (mul (sub $cur 1) $p.PageSize) 1 }}
<nav class="pagination" aria-label="分页">
  <span class="range">第 {{ $first }}–{{ add $first (sub (len $p.Pages) 1) }} / {{ $p.TotalNumberOfElements }}</span>
  {{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}" rel="prev">上一页</a>{{ end }}
  {{ range $p.Pagers }}{{ $k := .PageNumber }}{{ if or (eq $k 1) (eq $k $n) (and (ge $k (sub $cur 2)) (le $k (add $cur 2))) }}{{ if eq $k $cur }}<span aria-current="page">{{ $k }}</span>{{ else }}<a href="{{ .URL }}">{{ $k }}</a>{{ end }} {{ else if or (eq $k 2) (eq $k (add $cur 3)) }}<span aria-hidden="true">…</span> {{ end }}{{ end }}
  {{ if $p.HasNext }}<a href="{{ $p.Next.URL }}" rel="next">下一页</a>{{ end }}
</nav>
{{ end }}
""")
    write(os.path.join(root, "layouts", "index.html"),
          '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n{{ end }}\n')


def write_zola_theme(root):
    write(os.path.join(root, "config.toml"), f"""\
base_url = "https://example.com"
title = {q(TITLE)}
default_language = "zh"
minify_html = true
# Not paginated: Zola gives every page of a term all the term's pages,
# which costs time quadratic in the term's size (see BENCHMARKS.md).
taxonomies = [{{ name = "filters" }}]

[extra]
notice = {q(NOTICE)}
year = "{YEAR}"
as_of = "{zh_date(AS_OF)}"
""")
    nav = "".join(f'<li><a href="{{{{ get_url(path="{"@/" + (p + "/_index.md" if p in ("organizations", "branches") else p + ".md") if p else "@/_index.md"}") }}}}">{t}</a></li>'
                  for _, t, p in NAV)
    write(os.path.join(root, "templates", "base.html"), f"""\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{% block title %}}{{{{ config.title }}}}{{% endblock %}}</title>
</head>
<body>
<a class="skip" href="#main">{T['skip']}</a>
<header class="site-header">
  <p class="site-title"><a href="{{{{ get_url(path="@/_index.md") }}}}">{{{{ config.title }}}}</a> <span class="site-year">{{{{ config.extra.year }}}}</span></p>
  <nav class="site-nav" aria-label="首页"><ul>{nav}</ul></nav>
</header>
<p class="notice"><strong>{T['notice_label']}</strong> {{{{ config.extra.notice }}}}</p>
<main id="main">
{{% block content %}}{{% endblock %}}
</main>
<footer class="site-footer">
  <p>{T['footer_year']} {{{{ config.extra.year }}}} · {T['footer_as_of']} {{{{ config.extra.as_of }}}}</p>
  <p>{T['footer_built_with']}</p>
</footer>
</body>
</html>
""")
    write(os.path.join(root, "templates", "page.html"), """\
{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ config.title }}{% endblock %}
{% block content %}<h1>{{ page.title }}</h1>
{% if page.extra.summary is defined %}<p class="lead">{{ page.extra.summary }}</p>
{% endif %}{{ page.content | safe }}
{% endblock %}
""")
    write(os.path.join(root, "templates", "section.html"), """\
{% extends "base.html" %}
{% block title %}{{ section.title }} · {{ config.title }}{% endblock %}
{% block content %}{% if section.extra.list == "organizations" %}{% set key = "" %}{% set label = "" %}{% set intro = section.content %}{% set rows = paginator.pages %}{% set first_page = paginator.current_index == 1 %}{% set paged = true %}{% include "orglist.html" %}
{% else %}<h1>{{ section.title }}</h1>
{{ section.content | safe }}
{% if section.extra.list == "branches" %}{% include "pagination.html" %}
<ul class="tree">
{% for p in paginator.pages %}<li class="depth-{{ p.extra.depth }}"><a href="{{ p.permalink }}">{{ p.title }}</a> <span class="meta">{{ p.extra.level }} · {{ p.extra.form }} · {{ p.extra.subtree }}</span></li>
{% endfor %}</ul>
{% include "pagination.html" %}
{% endif %}{% endif %}
{% endblock %}
""")
    write(os.path.join(root, "templates", "index.html"), """\
{% extends "section.html" %}
""")
    write(os.path.join(root, "templates", "taxonomy_single.html"), """\
{% extends "base.html" %}
{% block title %}{% set d = load_data(path="lists.json") %}组织名录：{{ d.lists[term.name].label }} · {{ config.title }}{% endblock %}
{% block content %}{% set d = load_data(path="lists.json") %}{% set l = d.lists[term.name] %}{% set key = term.name %}{% set label = l.label %}{% set intro = "<p>" ~ l.intro ~ "</p>" %}{% set rows = term.pages %}{% set first_page = true %}{% set paged = false %}{% include "orglist.html" %}
{% endblock %}
""")
    # Zola always writes the taxonomy's own page (filters/index.html);
    # nianbao has none, so it says no more than its heading.
    write(os.path.join(root, "templates", "taxonomy_list.html"), """\
{% extends "base.html" %}
{% block content %}<h1>组织名录</h1>
{% endblock %}
""")
    write(os.path.join(root, "templates", "orglist.html"), f"""\
<h1>组织名录{{% if label %}}：{{{{ label }}}}{{% endif %}}</h1>
{{{{ intro | safe }}}}
<details class="filter-links"{{% if key %}} open{{% endif %}}>
<summary>{FILTER_SUMMARY}</summary>
{{% set d = load_data(path="lists.json") %}}{{% if key is starting_with("township-") %}}{{% set groups = d.township_groups %}}{{% else %}}{{% set groups = d.groups %}}{{% endif %}}
{{% for g in groups %}}{{% if not g.first_page_only or first_page or g.links | length == 1 %}}
<p class="meta">{{{{ g.title }}}}</p>
<ul>{{% for f in g.links %}}<li><a href="{{% if f.key %}}{{{{ get_url(path="filters/" ~ f.key) }}}}/{{% else %}}{{{{ get_url(path="@/organizations/_index.md") }}}}{{% endif %}}"{{% if f.key == key %}} aria-current="page"{{% endif %}}>{{{{ f.label }}}}</a> <span class="meta">({{{{ f.count }}}})</span></li>{{% endfor %}}</ul>
{{% endif %}}{{% endfor %}}
</details>
{FORM_OPEN}
{{% for s in d.selects %}}<label>{{{{ s.label }}}}<select data-column="{{{{ s.column }}}}"><option value="">全部</option>{{% for o in s.options %}}<option>{{{{ o }}}}</option>{{% endfor %}}</select></label>
{{% endfor %}}{FORM_CLOSE}
{{% if paged %}}{{% include "pagination.html" %}}{{% endif %}}
{REGISTER_HEAD}{{% for p in rows %}}<tr><th scope="row"><a href="{{{{ p.permalink }}}}">{{{{ p.title }}}}</a></th><td>{{{{ p.extra.kind }}}}</td><td>{{{{ p.extra.township }}}}</td><td>{{{{ p.extra.industry }}}}</td><td>{{{{ p.extra.status }}}}</td><td>{{{{ p.extra.coverage }}}}</td></tr>
{{% endfor %}}</tbody>
</table>
</div>
{{% if paged %}}{{% include "pagination.html" %}}{{% endif %}}
""")
    # nianbao's pagination.html: the range of rows, the first and last page
    # and two on each side of the current one, "…" where pages are left out.
    write(os.path.join(root, "templates", "pagination.html"), """\
{% if paginator.number_pagers > 1 %}{% set cur = paginator.current_index %}{% set n = paginator.number_pagers %}{% set first = (cur - 1) * paginator.paginate_by + 1 %}{% set shown = paginator.pages | length %}
<nav class="pagination" aria-label="分页">
  <span class="range">第 {{ first }}–{{ first + shown - 1 }} / {{ paginator.total_pages }}</span>
  {% if paginator.previous %}<a href="{{ paginator.previous }}" rel="prev">上一页</a>{% endif %}
  {% for k in range(start=1, end=n + 1) %}{% if k == 1 or k == n or (k >= cur - 2 and k <= cur + 2) %}{% if k == cur %}<span aria-current="page">{{ k }}</span>{% elif k == 1 %}<a href="{{ paginator.first }}">1</a>{% else %}<a href="{{ paginator.base_url }}{{ k }}/">{{ k }}</a>{% endif %} {% elif k == 2 or k == cur + 3 %}<span aria-hidden="true">…</span> {% endif %}{% endfor %}
  {% if paginator.next %}<a href="{{ paginator.next }}" rel="next">下一页</a>{% endif %}
</nav>
{% endif %}
""")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of organizations")
    ap.add_argument("out", help="output folder (replaced if it exists)")
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--only", choices=["nianbao", "hugo", "zola"], action="append",
                    help="write only these sites (default: all three)")
    args = ap.parse_args()
    if args.n < 1:
        ap.error("N must be at least 1")
    site = Site(args.n, args.seed)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    only = args.only or ["nianbao", "hugo", "zola"]
    if "nianbao" in only:
        write_nianbao(site, os.path.join(args.out, "nianbao"))
    for tool in ("hugo", "zola"):
        if tool in only:
            write_peer(site, os.path.join(args.out, tool), tool)
    pages = lambda rows: max(1, -(-rows // PAGE_SIZE))
    lists = site.lists()
    list_pages = pages(len(site.branches)) + sum(pages(len(rows)) for _, _, _, rows in lists)
    stats = {
        "lists": len(lists) + 1,
        "n": args.n,
        "seed": args.seed,
        "zones": site.zones,
        "organizations": len(site.orgs),
        "branches": len(site.branches),
        # Record pages, list pages of PAGE_SIZE rows (nianbao's and Hugo's
        # split), the home page and the six report pages.
        "list_pages": list_pages,
        "pages_expected": len(site.orgs) + len(site.branches) + list_pages + 7,
        "enterprise_base": site.figure("enterprise", "base"),
        "enterprise_coverage_rate": site.figure("enterprise", "coverage_rate"),
    }
    write(os.path.join(args.out, "stats.json"), json.dumps(stats, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps(stats, ensure_ascii=False))


if __name__ == "__main__":
    main()
