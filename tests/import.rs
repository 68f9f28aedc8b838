//! `nianbao import`: spreadsheets written with rust_xlsxwriter (a writer
//! nianbao does not contain) and GB18030 CSV files, imported into a copy of
//! a site, checked and built, their registers and figures compared with
//! the YAML they were made from.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{copy_dir, fixture, manifest, nianbao};
use nianbao::diagnostics::Diagnostics;
use nianbao::load::yaml::{self, Value};
use nianbao::model::{Form, Level, YearData};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

// ---------------------------------------------------------------------
// Writing spreadsheets

/// A cell to write.
#[derive(Clone, Debug)]
enum V {
    /// Text.
    S(String),
    /// A number.
    N(f64),
    /// A date cell (a serial number with a date format).
    D(u16, u8, u8),
    /// Nothing.
    E,
}

fn s(x: impl Into<String>) -> V {
    V::S(x.into())
}

fn opt_s(x: &Option<String>) -> V {
    x.as_ref().map_or(V::E, |t| V::S(t.clone()))
}

fn opt_n(x: Option<u64>) -> V {
    x.map_or(V::E, |n| V::N(n as f64))
}

fn put(ws: &mut Worksheet, row: u32, cells: &[V]) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, v) in cells.iter().enumerate() {
        let c = c as u16;
        match v {
            V::S(t) => {
                ws.write_string(row, c, t).unwrap();
            }
            V::N(n) => {
                ws.write_number(row, c, *n).unwrap();
            }
            V::D(y, m, d) => {
                let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                ws.write_datetime_with_format(row, c, &dt, &date).unwrap();
            }
            V::E => {}
        }
    }
}

fn title(ws: &mut Worksheet, row: u32, last_col: u16, text: &str) {
    ws.merge_range(row, 0, row, last_col, text, &Format::new().set_bold())
        .unwrap();
}

fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    // A fixed creation time keeps the file the same from run to run.
    let props =
        DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2016, 11, 30).unwrap());
    wb.set_properties(&props);
    wb
}

/// A CSV line, quoting what needs it.
fn csv_line(cells: &[V]) -> String {
    cells
        .iter()
        .map(|v| {
            let t = match v {
                V::S(t) => t.clone(),
                V::N(n) => n.to_string(),
                V::D(y, m, d) => format!("{y}/{m}/{d}"),
                V::E => String::new(),
            };
            if t.contains([',', '"', '\n']) {
                format!("\"{}\"", t.replace('"', "\"\""))
            } else {
                t
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

// ---------------------------------------------------------------------
// Reading sites

fn year_data(content: &Path, year: i32) -> YearData {
    let mut d = Diagnostics::default();
    let raw = nianbao::load::load(content, &mut d);
    let site = nianbao::resolve::resolve(&raw, Some(year), &mut d)
        .unwrap_or_else(|| panic!("{}", d.render()));
    (*site.years[&year]).clone()
}

fn figures(content: &Path, year: i32) -> String {
    let data = year_data(content, year);
    let mut d = Diagnostics::default();
    let report = nianbao::derive::derive(&data, &mut d);
    report
        .figures
        .iter()
        .map(|(k, v)| format!("{k} = {v:?}\n"))
        .collect()
}

/// Each organization as one line, its branch by name (ids of branches
/// are made anew by an import).
fn org_lines(data: &YearData) -> Vec<String> {
    data.organizations
        .iter()
        .map(|o| {
            format!(
                "{} {} {} {:?} {} {:?} {:?} {:?} {} {:?} {}",
                o.id,
                o.name,
                o.kind.as_str(),
                o.township,
                o.in_park,
                o.industry,
                o.employees,
                o.party_members,
                o.status.as_str(),
                o.branch.map(|b| &data.branches[b].name),
                o.instructor
            )
        })
        .collect()
}

fn branch_lines(data: &YearData) -> BTreeSet<String> {
    data.branches
        .iter()
        .map(|b| {
            format!(
                "{} {} {:?} {:?} {:?} {:?}",
                b.name,
                b.level.as_str(),
                b.parent.map(|p| &data.branches[p].name),
                b.form.map(Form::as_str),
                b.formed.map(|d| d.to_string()),
                b.members
            )
        })
        .collect()
}

/// `private:` of each organization, by id, as text.
fn privates(file: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(file).unwrap();
    let root = yaml::parse(file, &text, 0).unwrap();
    let mut out = BTreeMap::new();
    let Value::Map(top) = root.value else {
        panic!()
    };
    let Value::Seq(items) = &top[0].1.value else {
        panic!()
    };
    for item in items {
        let Value::Map(fields) = &item.value else {
            panic!()
        };
        let get = |k: &str| fields.iter().find(|(n, _)| n.as_str() == Some(k));
        let id = get("id").unwrap().1.as_str().unwrap().to_string();
        if let Some((_, p)) = get("private") {
            let Value::Map(p) = &p.value else { panic!() };
            let kv: Vec<String> = p
                .iter()
                .map(|(k, v)| format!("{}={}", k.as_str().unwrap(), v.as_str().unwrap()))
                .collect();
            out.insert(id, kv.join(";"));
        }
    }
    out
}

/// The registers of two sites are the same, but for the ids of branches.
fn assert_same_registers(expected: &Path, got: &Path, year: i32) {
    let (a, b) = (year_data(expected, year), year_data(got, year));
    let (la, lb) = (org_lines(&a), org_lines(&b));
    assert_eq!(la.len(), lb.len());
    for (x, y) in la.iter().zip(&lb) {
        assert_eq!(x, y);
    }
    let (ba, bb) = (branch_lines(&a), branch_lines(&b));
    let only_a: Vec<_> = ba.difference(&bb).collect();
    let only_b: Vec<_> = bb.difference(&ba).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "branches differ:\nexpected only: {only_a:#?}\nimported only: {only_b:#?}"
    );
    let data = |c: &Path| c.join(format!("data/{year}/organizations.yaml"));
    assert_eq!(privates(&data(expected)), privates(&data(got)));
    assert_eq!(figures(expected, year), figures(got, year));
}

/// A copy of `content` whose year has no organizations.yaml nor
/// branches.yaml: the import writes them.
fn site_without_registers(content: &Path, year: i32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(content, &dir.path().join("content"));
    for f in ["organizations.yaml", "branches.yaml"] {
        std::fs::remove_file(dir.path().join(format!("content/data/{year}/{f}"))).unwrap();
    }
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = nianbao(dir, args);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn import_ok(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let r = run(dir, &all);
    assert_eq!(r.code, 0, "import failed:\n{}\n{}", r.stdout, r.stderr);
    r
}

fn check_ok(dir: &Path) -> Run {
    let r = run(dir, &["check", "-c", "content"]);
    assert_eq!(r.code, 0, "check failed:\n{}", r.stderr);
    r
}

// ---------------------------------------------------------------------
// The sample ledger: the bundled example's 2016 register as a ledger

const ORG_HEADERS: [&str; 17] = [
    "序号",
    "单位名称",
    "类型",
    "所属乡镇（街道）",
    "是否在园区",
    "行业",
    "从业人员（人）",
    "党员人数",
    "状态",
    "党组织名称",
    "党组织类型",
    "上级党组织",
    "成立时间",
    "党组织党员人数",
    "党建指导员",
    "联系人",
    "备注",
];

fn level_word(l: Level) -> &'static str {
    match l {
        Level::WorkCommittee => "工委",
        Level::Committee => "党委",
        Level::GeneralBranch => "党总支",
        Level::Branch => "党支部",
    }
}

fn date_cell(d: Option<nianbao::model::Date>) -> V {
    d.map_or(V::E, |d| V::D(d.year as u16, d.month as u8, d.day as u8))
}

/// Writes a site's register of `year` as an office would keep it: sheet
/// 组织台账 (one row per organization, under two merged title rows) and
/// sheet 党组织 (the work committee, committees and general branches).
fn write_ledger_from(content: &Path, year: i32, path: &Path) {
    let data = year_data(content, year);
    let private = privates(&content.join(format!("data/{year}/organizations.yaml")));
    let mut wb = workbook();
    let last = (ORG_HEADERS.len() - 1) as u16;
    let ws = wb.add_worksheet();
    ws.set_name("组织台账").unwrap();
    title(
        ws,
        0,
        last,
        &format!("非公有制经济组织和社会组织党建工作台账（{year}年，示例数据）"),
    );
    title(
        ws,
        1,
        last,
        &format!(
            "填报单位：区非公有制经济组织和社会组织工委　　截止日期：{}年{}月{}日",
            data.as_of.year, data.as_of.month, data.as_of.day
        ),
    );
    put(ws, 2, &ORG_HEADERS.map(s));
    for (i, o) in data.organizations.iter().enumerate() {
        let b = o.branch.map(|b| &data.branches[b]);
        let at_branch = b.filter(|b| b.level == Level::Branch);
        let p: BTreeMap<&str, &str> = private
            .get(&o.id)
            .map(|t| t.split(';').filter_map(|kv| kv.split_once('=')).collect())
            .unwrap_or_default();
        let kind = match o.kind.as_str() {
            "enterprise" => "企业",
            "social_org" => "社会组织",
            _ => "个体工商户",
        };
        let status = match o.status.as_str() {
            "active" => "正常",
            "shell" => "空壳",
            "zombie" => "僵尸",
            _ => "重复注册",
        };
        put(
            ws,
            3 + i as u32,
            &[
                V::N((i + 1) as f64),
                s(&o.name),
                s(kind),
                opt_s(&o.township),
                s(if o.in_park { "是" } else { "否" }),
                opt_s(&o.industry),
                opt_n(o.employees),
                opt_n(o.party_members),
                s(status),
                b.map_or(V::E, |b| s(&b.name)),
                at_branch.and_then(|b| b.form).map_or(V::E, |f| {
                    s(if f == Form::Single {
                        "单独组建"
                    } else {
                        "联合组建"
                    })
                }),
                at_branch
                    .and_then(|b| b.parent)
                    .map_or(V::E, |p| s(&data.branches[p].name)),
                date_cell(at_branch.and_then(|b| b.formed)),
                opt_n(at_branch.and_then(|b| b.members)),
                if o.instructor { s("是") } else { V::E },
                p.get("contact").map_or(V::E, |t| s(*t)),
                p.get("note").map_or(V::E, |t| s(*t)),
            ],
        );
    }
    let ws = wb.add_worksheet();
    ws.set_name("党组织").unwrap();
    title(ws, 0, 5, "党组织设置情况（支部以上）");
    put(
        ws,
        1,
        &[
            "序号",
            "党组织名称",
            "层级",
            "上级党组织",
            "成立时间",
            "党员人数",
        ]
        .map(s),
    );
    let upper = data.branches.iter().filter(|b| b.level != Level::Branch);
    for (i, b) in upper.enumerate() {
        put(
            ws,
            2 + i as u32,
            &[
                V::N((i + 1) as f64),
                s(&b.name),
                s(level_word(b.level)),
                b.parent.map_or(V::E, |p| s(&data.branches[p].name)),
                date_cell(b.formed),
                opt_n(b.members),
            ],
        );
    }
    wb.save(path).unwrap();
}

fn sample_ledger() -> PathBuf {
    manifest().join("content/台账样例.xlsx")
}

/// Writes content/台账样例.xlsx from the bundled example:
/// `cargo test --test import -- --ignored write_sample_ledger`.
#[test]
#[ignore]
fn write_sample_ledger() {
    write_ledger_from(&manifest().join("content"), 2016, &sample_ledger());
}

#[test]
fn sample_ledger_builds_into_the_examples_figures() {
    let example = manifest().join("content");
    let site = site_without_registers(&example, 2016);
    let ledger = sample_ledger();
    let r = import_ok(
        site.path(),
        &[
            "import",
            ledger.to_str().unwrap(),
            "--into",
            "content/data/2016",
        ][1..],
    );
    assert!(
        r.stdout.contains("855 organizations (814 active)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("176 party organizations (1 work committee, 2 committees, 19 general branches, 154 branches)"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "", "a clean ledger gives no warning");
    // The example's own three warnings (published figures that do not
    // add up), and nothing else.
    let c = check_ok(site.path());
    assert!(c.stdout.contains("no errors, 3 warnings"), "{}", c.stdout);
    assert_same_registers(&example, &site.path().join("content"), 2016);
    let f = figures(&site.path().join("content"), 2016);
    for want in [
        "enterprise.base = Some(755.0)",
        "social_org.base = Some(59.0)",
        "enterprise.coverage_rate = Some(1.0)",
        "enterprise.single_branches = Some(60.0)",
        "enterprise.joint_branches = Some(78.0)",
        "enterprise.general_branches = Some(19.0)",
    ] {
        assert!(f.contains(want), "{want} not in\n{f}");
    }
}

#[test]
fn sample_ledger_is_small_and_current() {
    let size = std::fs::metadata(sample_ledger()).unwrap().len();
    assert!(size <= 200 * 1024, "the sample ledger is {size} bytes");
    // Made again from the example, it reads the same (the file itself may
    // differ with the writer's version).
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.xlsx");
    write_ledger_from(&manifest().join("content"), 2016, &fresh);
    let site_a = site_without_registers(&manifest().join("content"), 2016);
    let site_b = site_without_registers(&manifest().join("content"), 2016);
    let into = ["--into", "content/data/2016"];
    import_ok(
        site_a.path(),
        &[&[sample_ledger().to_str().unwrap()], &into[..]].concat(),
    );
    import_ok(
        site_b.path(),
        &[&[fresh.to_str().unwrap()], &into[..]].concat(),
    );
    let read = |d: &Path, f: &str| {
        common::read(&d.join("content/data/2016").join(f))
            .lines()
            .skip(3)
            .collect::<Vec<_>>()
            .join("\n")
    };
    for f in ["organizations.yaml", "branches.yaml"] {
        assert!(
            read(site_a.path(), f) == read(site_b.path(), f),
            "{f}: the sample ledger is out of date; run `cargo test --test import -- --ignored write_sample_ledger`"
        );
    }
}

// ---------------------------------------------------------------------
// The small fixture site's register, as ledgers in several states

const MINI_HEADERS: [&str; 16] = [
    "序号",
    "单位名称",
    "类型",
    "所属乡镇（街道）",
    "是否在园区",
    "行业",
    "从业人员（人）",
    "党员人数",
    "状态",
    "党组织名称",
    "党组织类型",
    "上级党组织",
    "成立时间",
    "党组织党员人数",
    "党建指导员",
    "联系人",
];

const GB_ELEC: &str = "电子信息产业党总支部";
const JOINT: &str = "电子信息第1联合党支部";

/// tests/fixtures/minimal's seven organizations, one row each, written
/// the ways ledgers write them: full-width digits, text dates, a serial
/// number for a date.
fn mini_rows() -> Vec<Vec<V>> {
    vec![
        vec![
            V::N(1.0),
            s("示例企业 0001"),
            s("企业"),
            s("甲街道"),
            s("是"),
            s("电子信息"),
            V::N(120.0),
            V::N(3.0),
            s("正常"),
            s("示例企业 0001 党支部"),
            s("单独组建"),
            s(GB_ELEC),
            V::D(2010, 3, 1),
            V::N(3.0),
            V::E,
            V::E,
        ],
        vec![
            V::N(2.0),
            s("示例企业　０００２"),
            s("企业"),
            s("甲街道"),
            s("是"),
            s("电子信息"),
            V::E,
            s("２"),
            s("正常"),
            s(JOINT),
            s("联合组建"),
            s(GB_ELEC),
            s("2016年7月1日"),
            V::N(3.0),
            V::E,
            V::E,
        ],
        vec![
            V::N(3.0),
            s("示例企业 0003"),
            s("企业"),
            s("乙镇"),
            s("是"),
            s("新材料"),
            V::E,
            V::N(1.0),
            s("正常"),
            s(JOINT),
            s("联合组建"),
            s(GB_ELEC),
            V::N(42552.0),
            s("３"),
            V::E,
            s("内部联系人甲"),
        ],
        vec![
            V::N(4.0),
            s("示例企业 0004"),
            s("企业"),
            s("乙镇"),
            s("否"),
            V::E,
            V::E,
            V::E,
            s("空壳"),
        ],
        vec![
            V::N(5.0),
            s("示例企业 0005"),
            s("企业"),
            s("乙镇"),
            s("否"),
            V::E,
            V::E,
            V::E,
            s("正常"),
            V::E,
            V::E,
            V::E,
            V::E,
            V::E,
            s("是"),
        ],
        vec![
            V::N(6.0),
            s("示例企业 0006"),
            s("企业"),
            s("乙镇"),
            s("否"),
            V::E,
            V::E,
            V::E,
            s("正常"),
        ],
        vec![
            V::N(7.0),
            s("示例社会组织 001"),
            s("社会组织"),
            s("甲街道"),
            s("否"),
            V::E,
            V::E,
            V::E,
            s("正常"),
            s("甲街道党总支部"),
        ],
    ]
}

fn mini_tree() -> Vec<Vec<V>> {
    vec![
        vec![V::N(1.0), s("测试工委"), s("工委")],
        vec![V::N(2.0), s("园区党委"), s("党委"), s("测试工委")],
        vec![
            V::N(3.0),
            s(GB_ELEC),
            s("党总支"),
            s("园区党委"),
            s("2016.6.1"),
        ],
        vec![V::N(4.0), s("甲街道党总支部"), s("党总支"), s("测试工委")],
    ]
}

const TREE_HEADERS: [&str; 6] = [
    "序号",
    "党组织名称",
    "层级",
    "上级党组织",
    "成立时间",
    "党员人数",
];

/// A tidy ledger: a title row, the headers on row 3, one row per
/// organization from row 4, and a sheet 党组织. `edit` changes the rows
/// before they are written.
fn tidy_ledger(path: &Path, edit: impl FnOnce(&mut Vec<Vec<V>>)) {
    let mut rows = mini_rows();
    edit(&mut rows);
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name("组织台账").unwrap();
    title(ws, 0, 15, "测试开发区党建工作台账");
    put(ws, 2, &MINI_HEADERS.map(s));
    for (i, r) in rows.iter().enumerate() {
        put(ws, 3 + i as u32, r);
    }
    let ws = wb.add_worksheet();
    ws.set_name("党组织").unwrap();
    put(ws, 0, &TREE_HEADERS.map(s));
    for (i, r) in mini_tree().iter().enumerate() {
        put(ws, 1 + i as u32, r);
    }
    wb.save(path).unwrap();
}

fn minimal_content() -> PathBuf {
    fixture("minimal").join("content")
}

#[test]
fn messy_ledger_imports_checks_and_builds() {
    let site = site_without_registers(&minimal_content(), 2016);
    let path = site.path().join("台账.xlsx");
    let mut wb = workbook();
    // A chart-free cover sheet first: not a register, skipped.
    let cover = wb.add_worksheet();
    cover.set_name("说明").unwrap();
    cover.write_string(0, 0, "本台账每季度更新一次。").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    title(
        ws,
        0,
        15,
        "测试开发区非公有制经济组织和社会组织党建工作台账",
    );
    title(
        ws,
        1,
        15,
        "填报单位：测试工委　　　　截止日期：2016年11月30日",
    );
    put(ws, 3, &MINI_HEADERS.map(s));
    let mut row = 4;
    for (i, r) in mini_rows().into_iter().enumerate() {
        if i == 1 {
            row += 1; // a blank row in the middle
        }
        let mut r = r;
        if i == 2 {
            // the joint branch's name merged down over its two rows
            r[9] = V::E;
        }
        put(ws, row, &r);
        row += 1;
    }
    ws.merge_range(6, 9, 7, 9, JOINT, &Format::new()).unwrap();
    // A template's numbered rows, left empty: skipped without a word.
    for k in 0..2 {
        put(ws, row, &[V::N(8.0 + k as f64)]);
        row += 1;
    }
    let total = row + 1;
    put(
        ws,
        row,
        &[s("合计"), V::E, V::E, V::E, V::E, V::E, V::N(120.0)],
    );
    let note = row + 3;
    title(ws, row + 2, 15, "填表人：某某　　审核人：某某");
    let tree = wb.add_worksheet();
    tree.set_name("党组织").unwrap();
    title(tree, 0, 5, "党组织设置情况");
    put(tree, 1, &TREE_HEADERS.map(s));
    for (i, r) in mini_tree().iter().enumerate() {
        put(tree, 2 + i as u32, r);
    }
    wb.save(&path).unwrap();

    let r = import_ok(site.path(), &["台账.xlsx", "--into", "content/data/2016"]);
    // The blank row and the merged cell are read through, the total and
    // the note below the table are skipped with a word each.
    let want = [
        format!("台账.xlsx!Sheet1!{total}: warning: row {total} (`合计`) is read as a total and skipped\n"),
        format!("台账.xlsx!Sheet1!{note}: warning: row {note} is not an organization and is skipped: `填表人：某某 审核人：某某`\n"),
    ];
    for w in &want {
        assert!(r.stderr.contains(w.as_str()), "{w} not in\n{}", r.stderr);
    }
    // Rows 5 to 8 leave 行业 blank: the site would show 未填写.
    for cell in ["F9", "F10", "F11", "F12"] {
        let w = format!("台账.xlsx!Sheet1!{cell}: warning: 行业 is empty");
        assert!(r.stderr.contains(&w), "{w} not in\n{}", r.stderr);
    }
    assert!(r.stderr.ends_with("\n6 warnings\n"), "{}", r.stderr);
    let c = check_ok(site.path());
    assert!(c.stdout.contains("no errors, 1 warnings"), "{}", c.stdout);
    assert_same_registers(&minimal_content(), &site.path().join("content"), 2016);
    common::build(site.path());
    let home = common::read(&site.path().join("output/index.html"));
    assert!(
        home.contains("示例企业") || home.contains("60%"),
        "the site was built"
    );
}

#[test]
fn two_row_headers_are_read_under_their_groups() {
    let site = site_without_registers(&minimal_content(), 2016);
    let path = site.path().join("台账.xlsx");
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name("台账").unwrap();
    title(ws, 0, 15, "党建工作台账");
    // Row 2: groups; row 3: the headers under them. 序号, 党建指导员 and
    // 联系人 stand in blocks merged over both rows.
    let f = Format::new();
    ws.merge_range(1, 0, 2, 0, "序号", &f).unwrap();
    ws.merge_range(1, 1, 1, 8, "单位基本情况", &f).unwrap();
    ws.merge_range(1, 9, 1, 13, "党组织情况", &f).unwrap();
    ws.merge_range(1, 14, 2, 14, "党建指导员", &f).unwrap();
    ws.merge_range(1, 15, 2, 15, "联系人", &f).unwrap();
    put(
        ws,
        2,
        &[
            V::E,
            s("名称"),
            s("类型"),
            s("所属乡镇"),
            s("是否在园区"),
            s("行业"),
            s("从业人员"),
            s("党员人数"),
            s("状态"),
            s("名称"),
            s("类型"),
            s("上级党组织"),
            s("成立时间"),
            s("党员人数"),
        ],
    );
    for (i, r) in mini_rows().iter().enumerate() {
        put(ws, 3 + i as u32, r);
    }
    let tree = wb.add_worksheet();
    tree.set_name("党组织").unwrap();
    put(tree, 0, &TREE_HEADERS.map(s));
    for (i, r) in mini_tree().iter().enumerate() {
        put(tree, 1 + i as u32, r);
    }
    wb.save(&path).unwrap();
    let r = import_ok(site.path(), &["台账.xlsx", "--into", "content/data/2016"]);
    assert!(
        r.stdout.contains("名称→name")
            && r.stdout.contains("名称→branch")
            && r.stdout.contains("党员人数→branch_members"),
        "{}",
        r.stdout
    );
    check_ok(site.path());
    assert_same_registers(&minimal_content(), &site.path().join("content"), 2016);
}

#[test]
fn gb18030_csv_with_its_tree_in_a_second_csv() {
    let site = site_without_registers(&minimal_content(), 2016);
    let mut text = String::from("测试开发区党建工作台账\n\n");
    text.push_str(&csv_line(&MINI_HEADERS.map(s)));
    text.push('\n');
    for r in mini_rows() {
        text.push_str(&csv_line(&r));
        text.push_str("\r\n");
    }
    std::fs::write(site.path().join("台账.csv"), gb18030(&text)).unwrap();
    let mut tree = csv_line(&TREE_HEADERS.map(s)) + "\n";
    for r in mini_tree() {
        tree.push_str(&csv_line(&r));
        tree.push('\n');
    }
    std::fs::write(site.path().join("党组织.csv"), gb18030(&tree)).unwrap();
    assert!(
        std::str::from_utf8(&gb18030(&text)).is_err(),
        "the file is not UTF-8"
    );
    import_ok(
        site.path(),
        &[
            "台账.csv",
            "--tree",
            "党组织.csv",
            "--into",
            "content/data/2016",
        ],
    );
    check_ok(site.path());
    assert_same_registers(&minimal_content(), &site.path().join("content"), 2016);
    common::build(site.path());
}

/// Without a tree, the general branches named in 上级党组织 go under a
/// work committee named from site.yaml's title, and the site checks.
#[test]
fn csv_without_a_tree_gets_one_top_named_from_site_yaml() {
    let site = site_without_registers(&minimal_content(), 2016);
    let mut text = csv_line(&MINI_HEADERS.map(s)) + "\n";
    for r in mini_rows() {
        text.push_str(&csv_line(&r));
        text.push('\n');
    }
    std::fs::write(site.path().join("台账.csv"), text).unwrap();
    let r = import_ok(site.path(), &["台账.csv", "--into", "content/data/2016"]);
    assert!(!r.stderr.contains("top"), "{}", r.stderr);
    let branches = common::read(&site.path().join("content/data/2016/branches.yaml"));
    for want in [
        "  - id: wc-1\n    name: 测试开发区党工委\n    level: work_committee\n",
        "name: 电子信息产业党总支部\n    level: general_branch\n    parent: wc-1\n",
        "name: 甲街道党总支部\n    level: general_branch\n    parent: wc-1\n",
    ] {
        assert!(branches.contains(want), "{want} not in\n{branches}");
    }
    check_ok(site.path());
}

/// The tidy ledger with ten mistakes, each in a cell of its own.
fn ledger_with_ten_mistakes(path: &Path) {
    tidy_ledger(path, |rows| {
        for r in rows.iter_mut() {
            r.resize(16, V::E);
        }
        for i in 7..13 {
            rows.push(vec![
                V::N(i as f64 + 1.0),
                s(format!("示例企业 {:04}", i)),
                s("企业"),
                s("乙镇"),
                s("否"),
                s("新材料"),
                V::N(10.0),
                V::N(0.0),
                s("正常"),
                V::E,
                V::E,
                V::E,
                V::E,
                V::E,
                V::E,
                V::E,
            ]);
        }
        // Rows are written from Excel row 4: rows[k] is row k + 4.
        rows[7][6] = s("十二"); // G11
        rows[8][7] = V::N(-2.0); // H12
        rows[9][2] = s("企事业"); // C13
        rows[10][8] = s("停业"); // I14
        rows[11][4] = s("待定"); // E15
        rows[12][1] = V::E; // B16
        rows[1][12] = s("2016-13-01"); // M5
        rows[0][12] = V::D(2017, 3, 1); // M4: after as_of
        rows[0][11] = s("电子信息产业党总只部"); // L4
        rows[5][9] = s("示例企业 0001 党支部"); // J9: a second row for a single branch
    });
}

const TEN_CELLS: [&str; 10] = [
    "G11", "H12", "C13", "I14", "E15", "B16", "M5", "M4", "L4", "J9",
];

#[test]
fn ten_planted_mistakes_are_all_reported_and_nothing_is_written() {
    let site = site_without_registers(&minimal_content(), 2016);
    ledger_with_ten_mistakes(&site.path().join("台账.xlsx"));
    let data = site.path().join("content/data/2016");
    let before = common::tree(&data);
    let r = run(
        site.path(),
        &["import", "台账.xlsx", "--into", "content/data/2016"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    for cell in TEN_CELLS {
        let at = format!("台账.xlsx!组织台账!{cell}: error: ");
        assert_eq!(
            r.stderr.matches(&at).count(),
            1,
            "{at} once in\n{}",
            r.stderr
        );
    }
    assert!(
        r.stderr.contains("\n10 errors, 4 warnings\n"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.matches(": error: ").count(), 10, "{}", r.stderr);
    assert!(r.stderr.contains("nothing written"), "{}", r.stderr);
    assert_eq!(common::tree(&data), before, "nothing was written");
    // What is wrong and what is expected, for a few of them.
    for want in [
        "台账.xlsx!组织台账!G11: error: 从业人员（人） `十二` is not a number\n  = help: expected a whole number of 0 or more",
        "台账.xlsx!组织台账!H12: error: 党员人数 `-2` is negative",
        "台账.xlsx!组织台账!C13: error: 类型 `企事业` is not one of the known values\n  = help: did you mean `企业`? expected 企业, 社会组织 or 个体工商户",
        "台账.xlsx!组织台账!M4: error: 成立时间 2017-03-01 is after 2016-11-30, the as_of date of metrics.yaml",
        "台账.xlsx!组织台账!L4: error: 上级党组织 `电子信息产业党总只部` is not a party organization of sheet 党组织\n  = help: did you mean `电子信息产业党总支部`?",
        "台账.xlsx!组织台账!J9: error: `示例企业 0001 党支部` is 单独组建 (single), but rows 4, 9 all name it",
        "台账.xlsx!组织台账!B16: error: 单位名称 is empty, but the row has other cells",
    ] {
        assert!(r.stderr.contains(want), "missing:\n{want}\nin:\n{}", r.stderr);
    }
}

#[test]
fn partial_writes_the_good_rows_and_a_report() {
    let site = site_without_registers(&minimal_content(), 2016);
    ledger_with_ten_mistakes(&site.path().join("台账.xlsx"));
    let r = import_ok(
        site.path(),
        &["台账.xlsx", "--into", "content/data/2016", "--partial"],
    );
    let report = common::read(&site.path().join("content/data/2016/import-report.txt"));
    for cell in TEN_CELLS {
        assert!(
            report.contains(&format!("台账.xlsx!组织台账!{cell}: error: ")),
            "{cell} in\n{report}"
        );
    }
    assert!(
        report.contains("rows not imported (9): 4, 5, 9, 11, 12, 13, 14, 15, 16"),
        "{report}"
    );
    assert!(
        r.stdout.contains("3 organizations (3 active)") || r.stdout.contains("organizations ("),
        "{}",
        r.stdout
    );
    // Rows 6, 7, 8 and 10 are in; ids keep their places (ent-0003 stays
    // ent-0003 though rows 4 and 5 are out).
    let data = year_data(&site.path().join("content"), 2016);
    let ids: Vec<&str> = data.organizations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["ent-0003", "ent-0004", "ent-0005", "soc-001"]);
    // The joint branch lost row 5, so it covers one organization: its form
    // is left out (and said so) rather than written wrong.
    assert!(
        report.contains("`电子信息第1联合党支部`: 联合组建 left out"),
        "{report}"
    );
    check_ok(site.path());
}

#[test]
fn existing_files_are_replaced_only_with_force_and_the_changes_listed() {
    let site = site_without_registers(&minimal_content(), 2016);
    let data = site.path().join("content/data/2016");
    tidy_ledger(&site.path().join("台账.xlsx"), |_| {});
    import_ok(site.path(), &["台账.xlsx", "--into", "content/data/2016"]);
    // The office updates its ledger: one organization grows, one closes,
    // one is new.
    tidy_ledger(&site.path().join("台账.xlsx"), |rows| {
        rows[0][6] = V::N(130.0);
        rows.remove(6);
        rows.push(vec![
            V::N(8.0),
            s("示例企业 0007"),
            s("企业"),
            s("乙镇"),
            s("否"),
            V::E,
            V::N(8.0),
            V::E,
            s("正常"),
            s("甲街道党总支部"),
        ]);
    });
    let before = common::tree(&data);
    let r = run(
        site.path(),
        &["import", "台账.xlsx", "--into", "content/data/2016"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("already exist; nothing written"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("run again with --force"), "{}", r.stderr);
    assert_eq!(common::tree(&data), before, "nothing was written");
    let diff = "organizations.yaml: 1 added, 1 removed, 1 changed, 5 unchanged\n  + ent-0007 示例企业 0007\n  - soc-001 示例社会组织 001\n  ~ ent-0001 示例企业 0001: employees 120 → 130\n";
    assert!(r.stdout.contains(diff), "{}", r.stdout);
    let r = import_ok(
        site.path(),
        &["台账.xlsx", "--into", "content/data/2016", "--force"],
    );
    assert!(r.stdout.contains(diff), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("branches.yaml: 0 added, 0 removed, 0 changed, 6 unchanged"),
        "{}",
        r.stdout
    );
    let orgs = common::read(&data.join("organizations.yaml"));
    assert!(
        orgs.contains("employees: 130") && !orgs.contains("soc-001"),
        "{orgs}"
    );
    // No temporary file is left beside them.
    let names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("nianbao-tmp")),
        "{names:?}"
    );
    check_ok(site.path());
}

#[test]
fn a_mapping_file_reads_a_ledger_with_its_own_words() {
    let site = site_without_registers(&minimal_content(), 2016);
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name("名录").unwrap();
    put(ws, 0, &[s("备用行")]);
    put(ws, 1, &[s("备用行")]);
    // Headers nianbao does not know, on row 4, and a kind spelled 民营.
    put(
        ws,
        3,
        &[
            "企业全称",
            "单位属性",
            "属地街镇",
            "园区",
            "经营范围",
            "党组织",
        ]
        .map(s),
    );
    put(
        ws,
        4,
        &[s("甲公司"), s("民营"), s("甲街"), s("是"), s("软件开发")],
    );
    put(
        ws,
        5,
        &[
            s("乙协会"),
            s("协会"),
            s("乙镇"),
            s("否"),
            V::E,
            s("甲街道党总支部"),
        ],
    );
    put(ws, 6, &[s("丙公司"), V::E, s("乙镇"), s("否")]);
    wb.save(site.path().join("名录.xlsx")).unwrap();
    std::fs::write(
        site.path().join("map.yaml"),
        "sheet: 名录\nheader_row: 4\ncolumns:\n  企业全称: name\n  单位属性: kind\n  属地街镇: township\n  经营范围: ignore\nvalues:\n  kind: { 民营: enterprise, 协会: social_org }\n  township: { 甲街: 甲街道 }\ndefaults:\n  kind: enterprise\n",
    )
    .unwrap();
    let r = import_ok(
        site.path(),
        &[
            "名录.xlsx",
            "--map",
            "map.yaml",
            "--into",
            "content/data/2016",
        ],
    );
    assert_eq!(r.stderr, "", "every column is mapped or ignored");
    let orgs = common::read(&site.path().join("content/data/2016/organizations.yaml"));
    assert!(orgs.contains("  - id: ent-0001\n    name: 甲公司\n    kind: enterprise\n    township: 甲街道\n    in_park: true\n"), "{orgs}");
    assert!(
        orgs.contains("  - id: soc-001\n    name: 乙协会\n    kind: social_org\n"),
        "{orgs}"
    );
    assert!(
        orgs.contains("  - id: ent-0002\n    name: 丙公司\n    kind: enterprise\n"),
        "{orgs}"
    );
    // A mistake in the mapping file is reported at its line.
    std::fs::write(
        site.path().join("bad.yaml"),
        "columns:\n  企业全称: townshp\n",
    )
    .unwrap();
    let r = run(
        site.path(),
        &[
            "import",
            "名录.xlsx",
            "--map",
            "bad.yaml",
            "--into",
            "content/data/2016",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("bad.yaml:2:"), "{}", r.stderr);
    assert!(
        r.stderr.contains(": error: unknown field `townshp`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `township`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let site = site_without_registers(&minimal_content(), 2016);
    tidy_ledger(&site.path().join("台账.xlsx"), |_| {});
    let r = run(
        site.path(),
        &[
            "import",
            "台账.xlsx",
            "--sheet",
            "组织台帐",
            "--into",
            "content/data/2016",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("has no sheet `组织台帐`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `组织台账`?"),
        "{}",
        r.stderr
    );
    let r = run(
        site.path(),
        &["import", "missing.xlsx", "--into", "content/data/2016"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    std::fs::write(site.path().join("notes.docx"), "x").unwrap();
    let r = run(
        site.path(),
        &["import", "notes.docx", "--into", "content/data/2016"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not a spreadsheet nianbao reads"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_new_year_folder_gets_a_starter_metrics_file() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&minimal_content(), &site.path().join("content"));
    tidy_ledger(&site.path().join("台账.xlsx"), |_| {});
    let r = import_ok(site.path(), &["台账.xlsx", "--into", "content/data/2017"]);
    assert!(
        r.stdout.contains("metrics.yaml: as_of 2017-12-31"),
        "{}",
        r.stdout
    );
    // Every year is checked: 2017's registers are valid beside 2016's (its
    // pages want figures that no one has declared for 2017 yet).
    let c = run(site.path(), &["check", "-c", "content"]);
    assert!(!c.stderr.contains("content/data/2017/"), "{}", c.stderr);
    assert!(site.path().join("content/data/2017/metrics.yaml").is_file());
}

/// A register of `n` organizations for timing: `NIANBAO_LEDGER=/tmp/big.xlsx
/// NIANBAO_LEDGER_ROWS=10000 cargo test --release --test import -- --ignored write_big_ledger`.
#[test]
#[ignore]
fn write_big_ledger() {
    let path = std::env::var("NIANBAO_LEDGER").unwrap_or_else(|_| "big-ledger.xlsx".into());
    let n: usize = std::env::var("NIANBAO_LEDGER_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name("组织台账").unwrap();
    title(ws, 0, 15, "大型台账");
    put(ws, 2, &MINI_HEADERS.map(s));
    let towns = ["甲街道", "乙镇", "丙乡", "丁镇"];
    let industries = ["电子信息", "新材料", "食品加工", "现代物流", "装备制造"];
    let mut row = 3;
    let mut i = 0;
    while i < n {
        // Groups of five: one single branch, four under a joint branch.
        let group = 5.min(n - i);
        for k in 0..group {
            let (name, form) = if k == 0 || group < 3 {
                (format!("示例企业 {:05} 党支部", i + 1), "单独组建")
            } else {
                (format!("第{}联合党支部", i / 5 + 1), "联合组建")
            };
            let g = i / 5;
            put(
                ws,
                row,
                &[
                    V::N((i + 1) as f64),
                    s(format!("示例企业 {:05}", i + 1)),
                    s("企业"),
                    s(towns[i % 4]),
                    s(if i % 3 == 0 { "是" } else { "否" }),
                    s(industries[i % 5]),
                    V::N((10 + i % 90) as f64),
                    V::N((i % 7) as f64),
                    s("正常"),
                    s(name),
                    s(form),
                    s(GB_ELEC),
                    V::D(2016, 1 + (g % 11) as u8, 1 + (i % 5 == 0) as u8),
                    V::E,
                    if i % 4 == 0 { s("是") } else { V::E },
                ],
            );
            row += 1;
            i += 1;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("党组织").unwrap();
    put(ws, 0, &TREE_HEADERS.map(s));
    for (k, r) in mini_tree().iter().enumerate() {
        put(ws, 1 + k as u32, r);
    }
    wb.save(&path).unwrap();
}

/// A legacy .xls workbook (Excel 97-2003), written by Python's xlwt:
/// tests/fixtures/ledger/make_xls.py.
#[test]
fn xls_workbook_imports_like_xlsx() {
    let site = site_without_registers(&minimal_content(), 2016);
    let xls = manifest().join("tests/fixtures/ledger/测试台账.xls");
    import_ok(
        site.path(),
        &[xls.to_str().unwrap(), "--into", "content/data/2016"],
    );
    check_ok(site.path());
    assert_same_registers(&minimal_content(), &site.path().join("content"), 2016);
}
