//! `nianbao new DIR`: the scaffold builds and passes `check` as it is, in
//! Chinese and in English (where no Chinese interface string is left), and
//! a folder that is not empty is refused.

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
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("no errors, 0 warnings"),
        "the scaffold's declared figures reconcile: {}",
        String::from_utf8_lossy(&check.stderr)
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
