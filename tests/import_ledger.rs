//! `nianbao import` on ledgers as a district office keeps them: one kind
//! per workbook said only in a merged title row, no 类型 column, no sheet
//! of party organizations, the parents named in 上级党组织. They import,
//! check and build with no hand editing; their usual slips are reported at
//! their cells, in Chinese and in English, and nothing is written.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{fixture, nianbao};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

const HEADERS: [&str; 14] = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所属乡镇",
    "行业",
    "职工人数",
    "党员人数",
    "是否建立党组织",
    "党组织名称",
    "党组织类型",
    "上级党组织",
    "成立时间",
    "联系人",
    "联系电话",
];

const COMMITTEE: &str = "经开区非公企业综合党委";
const INDUSTRY_COMMITTEE: &str = "经开区电子信息产业党委";
const PANLONG: &str = "蟠龙镇非公企业党总支";
const FENGGANG: &str = "凤岗街道非公企业党总支";
const JOINT: &str = "蟠龙镇非公企业第一联合党支部";

/// A cell of the ledger.
#[derive(Clone, Debug)]
enum V {
    S(String),
    N(f64),
    D(u16, u8, u8),
    E,
}

fn s(x: impl Into<String>) -> V {
    V::S(x.into())
}

/// Forty enterprises: single branches under the two general branches and
/// the two committees, one joint branch over three rows, the rest without
/// a branch; dates as date cells and as text.
fn enterprise_rows() -> Vec<Vec<V>> {
    let townships = ["蟠龙镇", "凤岗街道", "湖边镇"];
    let industries = ["电子信息", "新材料", "现代物流", "食品加工"];
    (1..=40)
        .map(|i: u32| {
            let township = townships[(i % 3) as usize];
            let industry = industries[(i % 4) as usize];
            let name = format!("经开区示例企业{i:02}有限公司");
            let members = f64::from(i % 6);
            let (branch, form, parent, formed) = if (5..=7).contains(&i) {
                (s(JOINT), s("联合组建"), s(PANLONG), V::D(2014, 7, 1))
            } else if members >= 3.0 {
                let parent = match township {
                    _ if industry == "电子信息" => INDUSTRY_COMMITTEE,
                    "蟠龙镇" => PANLONG,
                    "凤岗街道" => FENGGANG,
                    _ => COMMITTEE,
                };
                let formed = if i.is_multiple_of(2) {
                    s(format!("2015年{}月{}日", i % 12 + 1, i % 27 + 1))
                } else {
                    V::D(2012 + (i % 4) as u16, (i % 12 + 1) as u8, 10)
                };
                (s(format!("{name}党支部")), s("单独组建"), s(parent), formed)
            } else {
                (V::E, V::E, V::E, V::E)
            };
            let has = if matches!(branch, V::E) { "否" } else { "是" };
            vec![
                V::N(f64::from(i)),
                s(name),
                s(format!("91360700MA35{i:06}")),
                s(township),
                s(industry),
                V::N(f64::from(10 + i * 3)),
                V::N(members),
                s(has),
                branch,
                form,
                parent,
                formed,
                s(format!("联系人{i:02}")),
                s(format!("0797-83{i:05}")),
            ]
        })
        .collect()
}

/// Twelve social organizations under one general branch of their own.
fn social_rows() -> Vec<Vec<V>> {
    (1..=12)
        .map(|i: u32| {
            let name = format!("经开区示例协会{i:02}");
            let has_branch = i.is_multiple_of(3);
            vec![
                V::N(f64::from(i)),
                s(name.clone()),
                s(format!("51360700MJ{i:08}")),
                s(if i.is_multiple_of(2) {
                    "蟠龙镇"
                } else {
                    "湖边镇"
                }),
                s("社会服务"),
                V::N(f64::from(5 + i)),
                V::N(if has_branch { 3.0 } else { 0.0 }),
                s(if has_branch { "是" } else { "否" }),
                if has_branch {
                    s(format!("{name}党支部"))
                } else {
                    V::E
                },
                if has_branch { s("单独组建") } else { V::E },
                if has_branch {
                    s("经开区社会组织党总支")
                } else {
                    V::E
                },
                if has_branch {
                    V::D(2016, 3, i as u8)
                } else {
                    V::E
                },
                V::E,
                V::E,
            ]
        })
        .collect()
}

/// Writes a ledger: the merged title over the columns, the headers on row
/// 2, the rows from row 3 (so rows[k] is Excel row k + 3).
fn write_ledger(path: &Path, title: &str, name_header: &str, rows: &[Vec<V>]) {
    let mut wb = Workbook::new();
    let props =
        DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2016, 11, 30).unwrap());
    wb.set_properties(&props);
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    ws.merge_range(0, 0, 0, 13, title, &Format::new().set_bold())
        .unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        let h = if c == 1 { name_header } else { h };
        ws.write_string(1, c as u16, h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (k, row) in rows.iter().enumerate() {
        let r = k as u32 + 2;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                V::S(t) => {
                    ws.write_string(r, c, t).unwrap();
                }
                V::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                V::D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                V::E => {}
            }
        }
    }
    wb.save(path).unwrap();
}

const ENTERPRISE_TITLE: &str = "2016年经开区非公企业党建工作台账";

/// A copy of the minimal site without its registers of 2016.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &fixture("minimal").join("content"),
        &dir.path().join("content"),
    );
    for f in ["organizations.yaml", "branches.yaml"] {
        std::fs::remove_file(dir.path().join("content/data/2016").join(f)).unwrap();
    }
    dir
}

fn data(dir: &Path) -> PathBuf {
    dir.join("content/data/2016")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn ok(o: &Output, what: &str) -> (String, String) {
    let (out, err) = text(o);
    assert!(o.status.success(), "{what} failed:\n{out}\n{err}");
    (out, err)
}

#[test]
fn an_office_ledger_of_one_kind_imports_checks_and_builds_with_no_edits() {
    let site = site();
    write_ledger(
        &site.path().join("非公企业台账.xlsx"),
        ENTERPRISE_TITLE,
        "企业名称",
        &enterprise_rows(),
    );
    let o = nianbao(
        site.path(),
        &["import", "非公企业台账.xlsx", "--into", "content/data/2016"],
    );
    let (out, err) = ok(&o, "import");
    assert_eq!(err, "", "a clean ledger gives no warning");
    assert!(
        out.contains(&format!(
            "all enterprise as the title `{ENTERPRISE_TITLE}` says"
        )),
        "{out}"
    );
    assert!(out.contains("40 organizations (40 active)"), "{out}");
    let orgs = common::read(&data(site.path()).join("organizations.yaml"));
    assert_eq!(orgs.matches("    kind: enterprise\n").count(), 40, "{orgs}");
    let branches = common::read(&data(site.path()).join("branches.yaml"));
    // The top from site.yaml's title, the parents as nodes of the level
    // their names end in, under it.
    for want in [
        "  - id: wc-1\n    name: 测试开发区党工委\n    level: work_committee\n",
        &format!("name: {COMMITTEE}\n    level: committee\n    parent: wc-1\n"),
        &format!("name: {INDUSTRY_COMMITTEE}\n    level: committee\n    parent: wc-1\n"),
        &format!("name: {PANLONG}\n    level: general_branch\n    parent: wc-1\n"),
        &format!("name: {FENGGANG}\n    level: general_branch\n    parent: wc-1\n"),
        &format!("name: {JOINT}\n    level: branch\n"),
    ] {
        assert!(branches.contains(want), "{want} not in\n{branches}");
    }
    assert_eq!(branches.matches("level: work_committee").count(), 1);
    let c = nianbao(site.path(), &["check", "-c", "content"]);
    ok(&c, "check");
    common::build(site.path());
    assert!(site.path().join("output/index.html").is_file());
}

#[test]
fn the_top_can_be_named_and_the_kind_given() {
    let site = site();
    // No kind in the title, the sheet's name or the file's name.
    write_ledger(
        &site.path().join("台账.xlsx"),
        "2016年经开区党建工作台账",
        "单位名称",
        &enterprise_rows(),
    );
    let o = nianbao(
        site.path(),
        &["import", "台账.xlsx", "--into", "content/data/2016"],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "台账.xlsx!Sheet1!2: error: nothing says the kind of organization of these rows"
        ),
        "{err}"
    );
    assert!(
        err.contains("run with --kind enterprise") && err.contains("add a column 类型"),
        "the three ways: {err}"
    );
    assert!(!data(site.path()).join("organizations.yaml").exists());
    let o = nianbao(
        site.path(),
        &[
            "import",
            "台账.xlsx",
            "--into",
            "content/data/2016",
            "--kind",
            "非公企业",
            "--top",
            "赣州经开区党工委",
        ],
    );
    let (out, _) = ok(&o, "import --kind --top");
    assert!(out.contains("all enterprise as --kind says"), "{out}");
    let branches = common::read(&data(site.path()).join("branches.yaml"));
    assert!(
        branches.contains("  - id: wc-1\n    name: 赣州经开区党工委\n    level: work_committee\n"),
        "{branches}"
    );
    ok(&nianbao(site.path(), &["check", "-c", "content"]), "check");
    // An unknown kind is a usage error that says what to write.
    let o = nianbao(
        site.path(),
        &[
            "import",
            "台账.xlsx",
            "--into",
            "content/data/2016",
            "--kind",
            "学校",
        ],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--kind `学校` is not a kind of organization"),
        "{err}"
    );
}

#[test]
fn enterprises_and_social_organizations_in_one_run() {
    let site = site();
    write_ledger(
        &site.path().join("企业.xlsx"),
        ENTERPRISE_TITLE,
        "企业名称",
        &enterprise_rows(),
    );
    write_ledger(
        &site.path().join("社会组织.xlsx"),
        "2016年经开区社会组织党建工作台账",
        "组织名称",
        &social_rows(),
    );
    let o = nianbao(
        site.path(),
        &[
            "import",
            "企业.xlsx",
            "社会组织.xlsx",
            "--into",
            "content/data/2016",
        ],
    );
    let (out, _) = ok(&o, "import of two files");
    assert!(out.contains("read 企业.xlsx: sheet Sheet1"), "{out}");
    assert!(out.contains("read 社会组织.xlsx: sheet Sheet1"), "{out}");
    assert!(out.contains("52 organizations"), "{out}");
    let orgs = common::read(&data(site.path()).join("organizations.yaml"));
    assert_eq!(orgs.matches("    kind: enterprise\n").count(), 40);
    assert_eq!(orgs.matches("    kind: social_org\n").count(), 12);
    assert!(
        orgs.contains("  - id: soc-012\n    name: 经开区示例协会12\n"),
        "{orgs}"
    );
    let branches = common::read(&data(site.path()).join("branches.yaml"));
    assert!(
        branches
            .contains("name: 经开区社会组织党总支\n    level: general_branch\n    parent: wc-1\n"),
        "{branches}"
    );
    ok(&nianbao(site.path(), &["check", "-c", "content"]), "check");
}

/// The ledger with the slips offices make, each in a cell of its own.
fn ledger_with_slips(path: &Path) {
    let mut rows = enterprise_rows();
    // rows[k] is Excel row k + 3.
    rows[1][3] = V::E; // D4: blank 所属乡镇
    rows[2][8] = V::E; // I5 blank, J5 still says 单独组建: type without name
    rows[8][10] = s("蟠龙镇非公企业党总枝"); // K11: one character off
    rows[21][11] = s("2015年5月"); // L24: no day
    rows[3][5] = s("约30人"); // F6: not a number
    write_ledger(path, ENTERPRISE_TITLE, "企业名称", &rows);
}

#[test]
fn the_slips_of_a_ledger_are_reported_at_their_cells_and_nothing_is_written() {
    let site = site();
    ledger_with_slips(&site.path().join("台账.xlsx"));
    assert!(
        matches!(&enterprise_rows()[8][10], V::S(p) if p == PANLONG),
        "row 11 names 蟠龙镇's general branch"
    );
    let before = common::tree(&data(site.path()));
    let args = ["import", "台账.xlsx", "--into", "content/data/2016"];
    let o = nianbao(site.path(), &args);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for want in [
        "台账.xlsx!Sheet1!D4: warning: 所属乡镇 is empty: the site will show it as 未填写",
        "台账.xlsx!Sheet1!J5: error: 党组织类型 is given, but 党组织名称 is empty",
        "台账.xlsx!Sheet1!K11: error: 上级党组织 `蟠龙镇非公企业党总枝` differs by a character or two from `蟠龙镇非公企业党总支`\n  = help: did you mean `蟠龙镇非公企业党总支`?",
        "台账.xlsx!Sheet1!L24: warning: 成立时间 `2015年5月` has no day: read as 2015-05-01, the first of the month",
        "台账.xlsx!Sheet1!F6: error: 职工人数 `约30人` is not a number\n  = help: expected a whole number of 0 or more, in digits: type 30 for `约30人`",
        "\n3 errors, 2 warnings\n",
        "nothing written",
    ] {
        assert!(err.contains(want), "missing:\n{want}\nin:\n{err}");
    }
    // The slip is no new top.
    assert!(!err.contains("have no 上级党组织"), "{err}");
    assert_eq!(
        common::tree(&data(site.path())),
        before,
        "nothing was written"
    );

    // The same, in Chinese.
    let o = nianbao(
        site.path(),
        &[
            "import",
            "台账.xlsx",
            "--into",
            "content/data/2016",
            "--lang",
            "zh-CN",
        ],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for want in [
        "台账.xlsx!Sheet1!D4: 警告: 所属乡镇 为空：网站上将显示为“未填写”",
        "台账.xlsx!Sheet1!J5: 错误: 填写了党组织类型，但党组织名称为空",
        "台账.xlsx!Sheet1!K11: 错误: 上级党组织“蟠龙镇非公企业党总枝”与“蟠龙镇非公企业党总支”只差一两个字",
        "是不是“蟠龙镇非公企业党总支”？",
        "台账.xlsx!Sheet1!L24: 警告: 成立时间“2015年5月”没有日，按当月 1 日（2015-05-01）读入",
        "台账.xlsx!Sheet1!F6: 错误: 职工人数“约30人”不是数字",
        "把“约30人”改为 30",
        "未写入任何文件",
    ] {
        assert!(err.contains(want), "missing:\n{want}\nin:\n{err}");
    }
    assert!(!err.contains(" is not "), "no English: {err}");
    assert_eq!(
        common::tree(&data(site.path())),
        before,
        "nothing was written"
    );
}

#[test]
fn a_bad_date_says_exactly_what_to_type() {
    let site = site();
    let mut rows = enterprise_rows();
    rows[9][11] = s("2015年13月"); // L12
    write_ledger(
        &site.path().join("台账.xlsx"),
        ENTERPRISE_TITLE,
        "企业名称",
        &rows,
    );
    let o = nianbao(
        site.path(),
        &["import", "台账.xlsx", "--into", "content/data/2016"],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("台账.xlsx!Sheet1!L12: error: 成立时间 `2015年13月` ")
            && err.contains("= help: type the date as 2019-05-01 or 2019年5月1日"),
        "{err}"
    );
}

/// What only `check` knows (here: an id Windows cannot open as a file) is
/// found before writing, at the cell it came from.
#[test]
fn what_check_would_refuse_is_reported_at_its_cell_before_writing() {
    let site = site();
    let path = site.path().join("台账.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 3, ENTERPRISE_TITLE, &Format::new())
        .unwrap();
    for (c, h) in ["标识", "企业名称", "所属乡镇", "行业"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, (id, name)) in [("ent-0001", "甲公司"), ("con", "乙公司")]
        .iter()
        .enumerate()
    {
        let r = r as u32 + 2;
        for (c, v) in [*id, *name, "蟠龙镇", "电子信息"].iter().enumerate() {
            ws.write_string(r, c as u16, *v).unwrap();
        }
    }
    wb.save(&path).unwrap();
    let before = common::tree(&data(site.path()));
    let o = nianbao(
        site.path(),
        &["import", "台账.xlsx", "--into", "content/data/2016"],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("台账.xlsx!Sheet1!A4: error: id `con` is a device name that Windows reserves (`check` on the organizations.yaml import would write, line "),
        "{err}"
    );
    assert!(
        err.contains("nothing written: `check` would refuse"),
        "{err}"
    );
    assert_eq!(
        common::tree(&data(site.path())),
        before,
        "nothing was written"
    );
}
