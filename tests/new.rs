//! `nianbao new DIR`: the scaffold builds and passes `check` as it is, in
//! Chinese and in English (where no Chinese interface string is left), for
//! the year `--year` names; a folder that is not empty is refused; the
//! ledger template beside it has the sheets, headers, drop-down lists and
//! frozen header row an office needs, and imports into a site that checks.

mod common;

use common::*;

/// CJK ideographs and fullwidth punctuation: none may show in an English
/// site whose data are English.
fn has_cjk(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        ('\u{4e00}'..='\u{9fff}').contains(&c)
            || ('\u{3000}'..='\u{303f}').contains(&c)
            || ('\u{ff00}'..='\u{ffef}').contains(&c)
    })
}

#[test]
fn scaffold_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["new", "site"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("site");
    for f in [
        "content/site.yaml",
        "content/pages/overview.md",
        "content/pages/work.md",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    let years: Vec<_> = std::fs::read_dir(site.join("content/data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(years.len(), 1);
    for f in ["organizations.yaml", "branches.yaml", "metrics.yaml"] {
        assert!(years[0].join(f).is_file(), "{f}");
    }
    assert!(read(&site.join("content/site.yaml")).contains("language: zh-CN"));

    let check = nianbao(&site, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // The declared figures reconcile: the only warning is the one that
    // says the registers are still the scaffold's invented ones.
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("no errors, 1 warnings"),
        "{stderr}"
    );
    assert!(
        stderr.contains("organizations.yaml:5:11: warning: the registers of ")
            && stderr.contains(
                " still hold 8 sample records that nianbao new wrote (such as `示例企业 001`)"
            ),
        "{stderr}"
    );
    build(&site);
    let page = read(&site.join("output/pages/overview.html"));
    assert!(page.contains("工作概况"), "{page}");
    assert!(page.contains("60%"), "coverage rate 3 of 5: {page}");
    assert!(site.join("output/organizations/ent-001.html").is_file());
}

#[test]
fn english_scaffold_has_no_chinese_interface_string() {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["new", "site", "--language", "en"]);
    assert!(out.status.success());
    let site = dir.path().join("site");
    let check = nianbao(&site, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    build(&site);
    for (path, bytes) in tree(&site.join("output")) {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["html", "svg", "csv", "js"].contains(&ext) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Some(c) = has_cjk(&text) {
            let at = text.find(c).unwrap();
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(60)
                .map_or(0, |(i, _)| i);
            panic!(
                "{} holds `{c}`: …{}…",
                path.display(),
                &text[from..(at + 40).min(text.len())]
            );
        }
    }
    let home = read(&site.join("output/index.html"));
    assert!(
        home.contains("lang=\"en\""),
        "{}",
        &home[..200.min(home.len())]
    );
    assert!(home.contains("December"), "dates in English");
}

#[test]
fn refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = nianbao(dir.path(), &["new", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing written"
    );
    // An empty folder is fine.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(nianbao(dir.path(), &["new", "empty"]).status.success());
    assert!(empty.join("content/site.yaml").is_file());
}

fn new_site(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec!["new", "site"];
    all.extend_from_slice(args);
    let out = nianbao(dir.path(), &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("site");
    (dir, site)
}

#[test]
fn year_flag_sets_the_presented_year_and_its_folder() {
    let (_dir, site) = new_site(&["--year", "2019"]);
    assert!(read(&site.join("content/site.yaml")).contains("\nyear: 2019\n"));
    let years: Vec<_> = std::fs::read_dir(site.join("content/data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(years, ["2019"]);
    assert!(read(&site.join("content/data/2019/metrics.yaml")).contains("as_of: 2019-12-31"));
    let check = nianbao(&site, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // A year no register can hold is a usage error.
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["new", "x", "--year", "19"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("x").exists());
}

/// The rows of a sheet of an .xlsx as text.
fn sheet_rows(book: &[u8], sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(book.to_vec())).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// A part of an .xlsx (a zip) as text.
fn part(book: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book.to_vec())).unwrap();
    let mut f = zip.by_name(name).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut f, &mut s).unwrap();
    s
}

const TEMPLATE_ORG_HEADERS: [&str; 12] = [
    "单位名称",
    "类型",
    "所属乡镇/街道",
    "是否在园区",
    "行业",
    "从业人员",
    "党员人数",
    "状态",
    "党组织名称",
    "党建指导员",
    "联系人",
    "联系电话",
];
const TEMPLATE_BRANCH_HEADERS: [&str; 6] = [
    "党组织名称",
    "层级",
    "上级党组织",
    "党组织类型",
    "成立时间",
    "党员人数",
];

#[test]
fn the_template_has_sheets_headers_lists_and_a_frozen_header_row() {
    let (_dir, site) = new_site(&[]);
    let path = site.join("台账模板.xlsx");
    let book = std::fs::read(&path).unwrap();
    {
        use calamine::Reader;
        let wb = calamine::Xlsx::new(std::io::Cursor::new(book.clone())).unwrap();
        assert_eq!(wb.sheet_names(), ["组织名录", "党组织", "填写说明"]);
    }
    let orgs = sheet_rows(&book, "组织名录");
    assert_eq!(orgs[0], TEMPLATE_ORG_HEADERS);
    assert_eq!(orgs.len(), 2, "headers and one example row");
    assert!(orgs[1][0].contains("示例"), "{:?}", orgs[1]);
    let tree = sheet_rows(&book, "党组织");
    assert_eq!(tree[0], TEMPLATE_BRANCH_HEADERS);
    assert_eq!(tree.len(), 3, "headers and two example rows");
    assert!(tree[1..].iter().all(|r| r[0].contains("示例")));
    let notes = sheet_rows(&book, "填写说明");
    assert!(notes
        .iter()
        .any(|r| r[0].contains("--drop-private") || r[0].contains("nianbao import")));

    // Drop-down lists: 类型, 是否在园区, 状态 on the first sheet; 层级 and
    // 党组织类型 on the second.
    let s1 = part(&book, "xl/worksheets/sheet1.xml");
    let s2 = part(&book, "xl/worksheets/sheet2.xml");
    for (xml, list) in [
        (&s1, "\"企业,社会组织,个体工商户\""),
        (&s1, "\"是,否\""),
        (&s1, "\"正常,空壳,僵尸,重复注册\""),
        (&s2, "\"工委,党委,党总支部,党支部\""),
        (&s2, "\"单独组建,联合组建\""),
    ] {
        assert!(
            xml.contains(&format!("<formula1>{list}</formula1>")),
            "{list} missing"
        );
    }
    for xml in [&s1, &s2] {
        assert!(xml.contains("state=\"frozen\""), "the header row is frozen");
        assert!(xml.contains("<col "), "columns have widths");
    }
    assert!(nianbao::mark::written_by_nianbao(&path, &book));
}

#[test]
fn the_untouched_template_imports_and_check_says_its_rows_are_examples() {
    let (_dir, site) = new_site(&["--year", "2019"]);
    let out = nianbao(
        &site,
        &[
            "import",
            "台账模板.xlsx",
            "--into",
            "content/data/2019",
            "--force",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let orgs = read(&site.join("content/data/2019/organizations.yaml"));
    assert!(
        orgs.contains("contact: 张某"),
        "private columns are read: {orgs}"
    );
    let check = nianbao(&site, &["check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    assert!(
        stderr.contains("still hold 1 sample records")
            && stderr.contains("（示例）某某科技有限公司"),
        "{stderr}"
    );
    assert!(
        stderr.contains("still hold 2 sample records")
            && stderr.contains("（示例）某某区非公有制经济组织和社会组织工委"),
        "{stderr}"
    );
}

#[test]
fn a_filled_template_imports_into_a_site_that_checks_clean() {
    use rust_xlsxwriter::Workbook;
    let (_dir, site) = new_site(&["--year", "2019"]);
    let template = std::fs::read(site.join("台账模板.xlsx")).unwrap();
    // The headers as the template has them; rows as an office fills them.
    let org_headers = sheet_rows(&template, "组织名录").remove(0);
    let tree_headers = sheet_rows(&template, "党组织").remove(0);
    let orgs: [[&str; 12]; 4] = [
        [
            "红星电子有限公司",
            "企业",
            "城关街道",
            "是",
            "电子信息",
            "200",
            "8",
            "正常",
            "红星电子有限公司党支部",
            "是",
            "王红",
            "0797-1111111",
        ],
        [
            "绿洲物流有限公司",
            "企业",
            "东湖镇",
            "否",
            "商贸物流",
            "30",
            "2",
            "正常",
            "园区第二联合党支部",
            "否",
            "",
            "",
        ],
        [
            "蓝天建材有限公司",
            "企业",
            "东湖镇",
            "否",
            "新材料",
            "25",
            "1",
            "正常",
            "园区第二联合党支部",
            "李指导员",
            "",
            "",
        ],
        [
            "城关律师协会",
            "社会组织",
            "城关街道",
            "否",
            "",
            "12",
            "",
            "正常",
            "",
            "否",
            "",
            "",
        ],
    ];
    let tree: [[&str; 6]; 4] = [
        [
            "开发区非公有制经济组织和社会组织工委",
            "工委",
            "",
            "",
            "",
            "",
        ],
        [
            "园区非公企业党委",
            "党委",
            "开发区非公有制经济组织和社会组织工委",
            "",
            "",
            "",
        ],
        [
            "红星电子有限公司党支部",
            "党支部",
            "园区非公企业党委",
            "单独组建",
            "",
            "8",
        ],
        [
            "园区第二联合党支部",
            "党支部",
            "园区非公企业党委",
            "联合组建",
            "",
            "3",
        ],
    ];
    let mut wb = Workbook::new();
    for (name, headers, rows) in [
        (
            "组织名录",
            &org_headers,
            orgs.iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        ),
        (
            "党组织",
            &tree_headers,
            tree.iter().map(|r| r.to_vec()).collect(),
        ),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                match v.parse::<f64>() {
                    Ok(n) => ws.write_number(r as u32 + 1, c as u16, n),
                    Err(_) => ws.write_string(r as u32 + 1, c as u16, *v),
                }
                .unwrap();
            }
        }
    }
    wb.save(site.join("台账.xlsx")).unwrap();
    let out = nianbao(
        &site,
        &[
            "import",
            "台账.xlsx",
            "--into",
            "content/data/2019",
            "--force",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("not imported"),
        "every template column is read: {stderr}"
    );
    let check = nianbao(&site, &["check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    assert!(
        !stderr.contains("sample records"),
        "the scaffold's records are replaced: {stderr}"
    );
    let orgs = read(&site.join("content/data/2019/organizations.yaml"));
    assert!(orgs.contains("instructor: 李指导员"), "{orgs}");
    assert!(
        orgs.contains("phone: 0797-1111111") || orgs.contains("phone: \"0797-1111111\""),
        "{orgs}"
    );
}
