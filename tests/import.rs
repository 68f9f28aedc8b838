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
    let props = DocProperties::new()
        .set_creation_datetime(&ExcelDateTime::from_ymd(2016, 11, 30).unwrap());
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
    site.years[&year].clone()
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
    let Value::Map(top) = root.value else { panic!() };
    let Value::Seq(items) = &top[0].1.value else { panic!() };
    for item in items {
        let Value::Map(fields) = &item.value else { panic!() };
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
    title(ws, 0, last, &format!("非公有制经济组织和社会组织党建工作台账（{year}年，示例数据）"));
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
                at_branch
                    .and_then(|b| b.form)
                    .map_or(V::E, |f| s(if f == Form::Single { "单独组建" } else { "联合组建" })),
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
        &["序号", "党组织名称", "层级", "上级党组织", "成立时间", "党员人数"].map(s),
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
    manifest().join("tests/fixtures/ledger/台账-2016.xlsx")
}

/// Writes tests/fixtures/ledger/台账-2016.xlsx from the bundled example:
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
        &["import", ledger.to_str().unwrap(), "--into", "content/data/2016"][1..],
    );
    assert!(r.stdout.contains("855 organizations (814 active)"), "{}", r.stdout);
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
    import_ok(site_a.path(), &[&[sample_ledger().to_str().unwrap()], &into[..]].concat());
    import_ok(site_b.path(), &[&[fresh.to_str().unwrap()], &into[..]].concat());
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
