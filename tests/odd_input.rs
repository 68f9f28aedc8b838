//! Odd but possible input: characters XML forbids, whole numbers beyond
//! what `f64` holds, files in other encodings, names other systems
//! reserve. Each is refused with its position and a way out, and every
//! file nianbao writes parses in a strict reader it does not contain.

mod common;

use std::io::Read;
use std::path::Path;

use common::{build, nianbao, site_copy, written};

/// Every XML part of a .docx, .xlsx or .pptx, and an SVG, parse as XML 1.0.
fn assert_well_formed(name: &str, bytes: &[u8]) {
    let xml = |part: &str, bytes: &[u8]| {
        let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{part}: {e}"));
        if let Err(e) = roxmltree::Document::parse(text) {
            panic!("{part} is not well-formed XML: {e}");
        }
    };
    if name.ends_with(".svg") {
        return xml(name, bytes);
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let part = f.name().unwrap().to_string();
        if part.ends_with(".xml") || part.ends_with(".rels") {
            let mut text = Vec::new();
            f.read_to_end(&mut text).unwrap();
            xml(&format!("{name}:{part}"), &text);
            parts += 1;
        }
    }
    assert!(parts >= 5, "{name}: {parts} XML parts");
}

fn xml_outputs(root: &Path) -> usize {
    let mut n = 0;
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        let name = entry.path().to_string_lossy().to_string();
        if [".docx", ".xlsx", ".pptx", ".svg"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            assert_well_formed(&name, &std::fs::read(entry.path()).unwrap());
            n += 1;
        }
    }
    n
}

#[test]
fn every_xml_file_of_the_example_parses_in_a_strict_reader() {
    let site = common::build_example();
    let d = site.path();
    assert!(xml_outputs(&d.join("output")) > 10);
    for year in ["2016", "2015"] {
        let out = format!("registers-{year}.xlsx");
        let bytes = written(d, &["export", "--year", year, "-c", "content", "-o", &out]);
        assert_well_formed(&out, &bytes);
    }
}

#[test]
fn characters_xml_forbids_in_a_page_are_refused_with_their_position() {
    let site = site_copy("minimal");
    let d = site.path();
    let chars = ['\u{b}', '\u{c}', '\u{1}', '\u{1b}', '\u{fffe}', '\u{ffff}'];
    let mut page = String::from("---\ntitle: 控制字符\n---\n\n");
    for c in chars {
        page.push_str(&format!("文字{c}文字\n\n"));
    }
    std::fs::write(d.join("content/pages/odd.md"), page).unwrap();
    for args in [
        &["check", "-c", "content"][..],
        &["build", "-c", "content", "-o", "output"],
        &[
            "brief",
            "--year",
            "2016",
            "-c",
            "content",
            "-o",
            "brief.docx",
        ],
    ] {
        let out = nianbao(d, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        for (i, c) in chars.iter().enumerate() {
            let kind = if c.is_control() {
                "control character"
            } else {
                "non-character"
            };
            let at = format!(
                "content/pages/odd.md:{}:3: error: the page holds the {kind} U+{:04X}",
                5 + 2 * i,
                *c as u32
            );
            assert!(err.contains(&at), "{at}\n{err}");
        }
        assert!(!err.chars().any(|c| c.is_control() && c != '\n'), "{err:?}");
    }
    assert!(!d.join("output").exists() && !d.join("brief.docx").exists());
    // Written as character references, they are left out of every file.
    let page = "---\ntitle: 引用\n---\n\n文字&#11;&#12;&#1;&#27;&#xFFFE;&#xFFFF;文字\n";
    std::fs::write(d.join("content/pages/odd.md"), page).unwrap();
    build(d);
    assert!(xml_outputs(&d.join("output")) > 3);
}

#[test]
fn whole_numbers_stay_exact_or_are_refused_as_written() {
    let site = site_copy("minimal");
    let d = site.path();
    let orgs = d.join("content/data/2016/organizations.yaml");
    let metrics = d.join("content/data/2016/metrics.yaml");
    common::edit(
        &orgs,
        "party_members: 3",
        "party_members: 18446744073709551617",
    );
    common::edit(&orgs, "employees: 120", "employees: 9007199254740993");
    common::edit(&metrics, "value: 4", "value: 9007199254740993");
    let out = nianbao(d, &["check", "-c", "content"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for expected in [
        "organizations.yaml:9:20: error: `party_members` is 18446744073709551617, more than the 1000000000 a count may be",
        "organizations.yaml:8:16: error: `employees` is 9007199254740993, more than the 1000000000 a count may be",
        "metrics.yaml:11:12: error: `value` is 9007199254740993, more than 9007199254740991, the largest whole number nianbao keeps exact",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    // At the limits, every digit reaches the output.
    common::edit(
        &orgs,
        "party_members: 18446744073709551617",
        "party_members: 1000000000",
    );
    common::edit(&orgs, "employees: 9007199254740993", "employees: 999999999");
    common::edit(
        &metrics,
        "value: 9007199254740993",
        "value: 9007199254740991",
    );
    build(d);
    let shown = |digits: &str| {
        common::tree(&d.join("output")).values().any(|b| {
            let t = String::from_utf8_lossy(b).replace(',', "");
            t.contains(digits)
        })
    };
    assert!(shown("9007199254740991") && !shown("9007199254740992"));
    assert!(shown("999999999") && shown("1000000000"));
}

#[test]
fn names_other_systems_reserve_or_cannot_show_are_refused() {
    let site = site_copy("minimal");
    let d = site.path();
    let orgs = d.join("content/data/2016/organizations.yaml");
    common::edit(&orgs, "id: ent-0001", "id: con");
    common::edit(&orgs, "branch: br-0001", "branch: lpt9");
    common::edit(
        &orgs,
        "name: 示例企业 0002",
        "name: \"\\u200B\\u2060\\u00A0\"",
    );
    common::edit(&orgs, "name: 示例企业 0003", "name: \"示例\\u202E企业\"");
    // Raw on the line a message quotes: printed escaped.
    common::edit(&orgs, "township: 乙镇", "township: 乙\u{2067}镇\u{2069}");
    let branches = d.join("content/data/2016/branches.yaml");
    common::edit(&branches, "id: br-0001", "id: lpt9");
    for name in ["nul.md", "com3.md", "aux.md"] {
        std::fs::write(
            d.join("content/pages").join(name),
            "---\ntitle: 保留名\n---\n\n正文。\n",
        )
        .unwrap();
    }
    let out = nianbao(d, &["check", "-c", "content"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for expected in [
        "organizations.yaml:2:9: error: id `con` is a device name that Windows reserves",
        "branches.yaml:",
        "error: id `lpt9` is a device name that Windows reserves",
        "organizations.yaml:13:11: error: `name` holds only invisible characters (3 of them)",
        "organizations.yaml:22:11: error: `name` holds the bidirectional control U+202E (character 3 of the text)",
        "error: `township` holds the bidirectional control U+2067 (character 2 of the text)",
        "township: 乙\\u{2067}镇\\u{2069}",
        "content/pages/nul.md: error: page file name `nul` is a device name that Windows reserves",
        "content/pages/com3.md: error: page file name `com3`",
        "content/pages/aux.md: error: page file name `aux`",
        "help: ids become file names, and Windows cannot open `con.html`",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert!(
        !err.contains('\u{202E}') && !err.contains('\u{2067}'),
        "{err}"
    );
}
