//! The theme's interface strings: both languages have the same keys, and
//! every key the templates and the code ask for exists.

mod common;

use std::collections::BTreeSet;

use common::*;

fn keys(lang: &str) -> BTreeSet<String> {
    read(&manifest().join(format!("themes/default/i18n/{lang}.yaml")))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim().to_string()))
        .filter(|k| !k.is_empty())
        .collect()
}

#[test]
fn both_languages_have_the_same_keys() {
    let (zh, en) = (keys("zh-CN"), keys("en"));
    let only_zh: Vec<_> = zh.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    assert!(
        only_zh.is_empty() && only_en.is_empty(),
        "missing in en: {only_zh:?}; missing in zh-CN: {only_en:?}"
    );
}

#[test]
fn every_key_used_by_templates_exists() {
    let zh = keys("zh-CN");
    let dir = manifest().join("themes/default/templates");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = read(&path);
        for (i, _) in text.match_indices("t.") {
            if text[..i]
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            {
                continue;
            }
            let key: String = text[i + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !key.is_empty() && !zh.contains(&key) {
                missing.push(format!("{}: {key}", path.display()));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn no_built_page_shows_a_raw_key() {
    for lang in ["zh-CN", "en"] {
        let site = site_copy("minimal");
        edit(
            &site.path().join("content/site.yaml"),
            "language: zh-CN",
            &format!("language: {lang}"),
        );
        build(site.path());
        let zh = keys("zh-CN");
        for (path, bytes) in tree(&site.path().join("output")) {
            let text = String::from_utf8_lossy(&bytes);
            for key in &zh {
                // A key printed as itself means the code asked for a string the theme lacks.
                assert!(
                    !text.contains(&format!(">{key}<")),
                    "{lang}: {} shows the raw key {key}",
                    path.display()
                );
            }
        }
    }
}
