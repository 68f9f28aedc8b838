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

/// `text` encoded as UTF-16, little- or big-endian, with a byte-order mark or not.
fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
    for u in units {
        out.extend(if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

#[test]
fn files_in_other_encodings_say_which_and_how_to_convert() {
    let site = site_copy("minimal");
    let d = site.path();
    let data = d.join("content/data/2016");
    let orgs = read_text(&data.join("organizations.yaml"));
    let branches = read_text(&data.join("branches.yaml"));
    let metrics = read_text(&data.join("metrics.yaml"));
    // GBK: the first Chinese character of branches.yaml is on line 3.
    let (gbk, _, _) = encoding_rs::GBK.encode(&branches);
    std::fs::write(data.join("branches.yaml"), gbk).unwrap();
    let cases = [
        (
            true,
            true,
            "UTF-16 (little-endian, with a byte-order mark)",
            "iconv -f UTF-16 ",
        ),
        (true, false, "UTF-16 (little-endian)", "iconv -f UTF-16LE "),
        (
            false,
            true,
            "UTF-16 (big-endian, with a byte-order mark)",
            "iconv -f UTF-16 ",
        ),
        (false, false, "UTF-16 (big-endian)", "iconv -f UTF-16BE "),
    ];
    for (little, bom, looks, iconv) in cases {
        std::fs::write(data.join("organizations.yaml"), utf16(&orgs, little, bom)).unwrap();
        std::fs::write(data.join("metrics.yaml"), utf16(&metrics, !little, bom)).unwrap();
        let out = nianbao(d, &["check", "-c", "content"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("content/data/2016/organizations.yaml:1:1: error: file is not UTF-8 text (invalid byte at offset 0): it looks like {looks}")),
            "{looks}\n{err}"
        );
        assert!(
            err.contains(&format!("{iconv}-t UTF-8 organizations.yaml")),
            "{err}"
        );
        assert!(
            err.contains("content/data/2016/branches.yaml:3:11: error: file is not UTF-8 text (invalid byte at offset 31): it looks like GBK/GB18030"),
            "{err}"
        );
        assert!(
            err.contains("iconv -f GB18030 -t UTF-8 branches.yaml"),
            "{err}"
        );
    }
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_duplicate_key_and_a_missing_year_are_told_in_our_words() {
    let site = site_copy("minimal");
    let d = site.path();
    let orgs = d.join("content/data/2016/organizations.yaml");
    common::edit(
        &orgs,
        "    in_park: true\n",
        "    in_park: true\n    in_park: false\n",
    );
    let out = nianbao(d, &["check", "-c", "content"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "organizations.yaml:7:5: error: the key `in_park` is given twice in the same mapping"
        ),
        "{err}"
    );
    assert!(
        err.contains("remove one of the two `in_park:` lines"),
        "{err}"
    );
    assert!(
        !err.contains("DuplicateKeyPolicy") && !err.contains("Options"),
        "{err}"
    );
    common::edit(&orgs, "    in_park: false\n", "");
    let out = nianbao(
        d,
        &["build", "--year", "2015", "-c", "content", "-o", "output"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("<command line>: error: `--year 2015`: no data for year 2015"),
        "{err}"
    );
    assert!(err.contains("the years with data are 2016"), "{err}");
    assert!(!err.contains("site.yaml"), "{err}");
}

#[test]
fn a_character_no_font_draws_is_named_at_its_register_line() {
    let site = site_copy("minimal");
    let d = site.path();
    let orgs = d.join("content/data/2016/organizations.yaml");
    // A private-use character: no font has it. Once raw, once escaped.
    common::edit(&orgs, "township: 乙镇", "township: 乙\u{10FFFD}镇");
    let out = nianbao(d, &["build", "-c", "content", "-o", "output"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/data/2016/organizations.yaml:24:16: error: no font can draw '\u{10FFFD}' (U+10FFFD) in the PNG of chart `coverage-by-township`"),
        "{err}"
    );
    common::edit(
        &orgs,
        "township: 乙\u{10FFFD}镇",
        "township: \"乙\\U0010FFFD镇\"",
    );
    let out = nianbao(d, &["build", "-c", "content", "-o", "output"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/data/2016/organizations.yaml:24:17: error: no font can draw"),
        "{err}"
    );
}

#[test]
fn verify_prints_paths_escaped_and_decodes_bagit_escapes() {
    let site = site_copy("minimal");
    let d = site.path();
    let out = nianbao(d, &["archive", "--year", "2016", "-c", "content"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bag = d.join("content/archive/2016");
    // A payload file whose name holds an escape sequence and a CR, listed
    // with BagIt's %0D; and a listed file with %0A and %25 that is missing.
    let name = "evil\u{1b}[2Jred\rname.txt";
    std::fs::write(bag.join("data").join(name), "x").unwrap();
    let manifest = bag.join("manifest-sha256.txt");
    let sha = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
    let text = read_text(&manifest)
        + &format!("{sha}  data/evil\u{1b}[2Jred%0Dname.txt\n{sha}  data/gone%0Aline%25x.txt\n");
    std::fs::write(&manifest, text).unwrap();
    let out = nianbao(d, &["verify", "content/archive/2016"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.chars().any(|c| c.is_control() && c != '\n'), "{err:?}");
    // Listed with %0D: found, so only the SHA-512 manifest misses it.
    assert!(
        err.contains("content/archive/2016/data/evil\\u{1b}[2Jred\\u{d}name.txt: extra payload file, not listed in manifest-sha512.txt"),
        "{err}"
    );
    assert!(
        err.contains("content/archive/2016/data/gone\\u{a}line%x.txt: missing (listed in manifest-sha256.txt)"),
        "{err}"
    );
}
