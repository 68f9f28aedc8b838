//! The catalogues say the same things in both languages, and every key the
//! code asks for is in them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{fill, parse, parse_file, EN, ZH};

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if !after[..close].is_empty()
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out.insert(after[..close].to_string());
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Every `msg!("key"` in the sources, with the file it is in.
fn keys_in_code() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut keys = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        // The module's own docs show made-up keys.
        if entry.path().parent() == Some(src.join("messages").as_path()) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for marker in ["msg!(", "text(", "text_in(Lang::Zh,", "text_in(Lang::En,"] {
            let mut rest = text.as_str();
            while let Some(at) = rest.find(marker) {
                rest = rest[at + marker.len()..].trim_start();
                let Some(quoted) = rest.strip_prefix('"') else {
                    continue;
                };
                if let Some(end) = quoted.find('"') {
                    let key = &quoted[..end];
                    if !key.is_empty() && !key.contains(' ') && key.contains('.') {
                        keys.insert(key.to_string(), entry.path().display().to_string());
                    }
                }
            }
        }
    }
    keys
}

#[test]
fn both_catalogues_hold_the_same_keys_with_the_same_placeholders() {
    let zh = parse(ZH);
    let en = parse(EN);
    let mut problems = Vec::new();
    for key in zh.keys() {
        if !en.contains_key(key) {
            problems.push(format!("`{key}` is in zh-CN/ only"));
        }
    }
    for (key, text) in &en {
        match zh.get(key) {
            None => problems.push(format!("`{key}` is in en/ only")),
            Some(z) if placeholders(z) != placeholders(text) => problems.push(format!(
                "`{key}` has placeholders {:?} in zh-CN.yaml but {:?} in en.yaml",
                placeholders(z),
                placeholders(text)
            )),
            Some(z) if z.trim().is_empty() || text.trim().is_empty() => {
                problems.push(format!("`{key}` is empty in one language"))
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_key_is_in_two_files_of_a_language() {
    let mut problems = Vec::new();
    for (lang, files) in [("zh-CN", ZH), ("en", EN)] {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (name, text) in files {
            for key in parse_file(text).into_keys() {
                if let Some(first) = seen.insert(key.clone(), name) {
                    problems.push(format!(
                        "`{key}` is in {lang}/{first}.yaml and {lang}/{name}.yaml"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_key_the_code_asks_for_is_in_the_catalogues() {
    let zh = parse(ZH);
    let missing: Vec<_> = keys_in_code()
        .into_iter()
        .filter(|(k, _)| !zh.contains_key(k))
        .map(|(k, f)| format!("`{k}` (asked for in {f})"))
        .collect();
    assert!(
        missing.is_empty(),
        "keys missing from the catalogues:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_key_in_the_catalogues_is_used() {
    let used = keys_in_code();
    let unused: Vec<_> = parse(EN)
        .into_keys()
        // The --help text is looked up by the names of the commands and
        // their options (`cli.<command>.<option>`), not by literal keys.
        .filter(|k| !k.starts_with("cli.") && !used.contains_key(k))
        .collect();
    assert!(unused.is_empty(), "unused catalogue keys: {unused:?}");
}

#[test]
fn the_chinese_catalogue_is_chinese() {
    // A message copied across untranslated is the usual slip.
    let zh = parse(ZH);
    let en = parse(EN);
    let same: Vec<_> = zh
        .iter()
        .filter(|(k, v)| en.get(*k) == Some(*v) && v.chars().any(|c| c.is_ascii_alphabetic()))
        .filter(|(_, v)| {
            // Texts that are only a placeholder, a code or a path are alike.
            let words: String = v.chars().filter(|c| !"{}`_-./:<>= ".contains(*c)).collect();
            words.chars().filter(|c| c.is_ascii_alphabetic()).count() > 12
        })
        .map(|(k, _)| k.clone())
        .collect();
    assert!(same.is_empty(), "untranslated in zh-CN.yaml: {same:?}");
}

#[test]
fn placeholders_are_filled_and_unknown_braces_kept() {
    assert_eq!(fill("第 {n} 行", &[("n", &3)]), "第 3 行");
    assert_eq!(fill("`{x}` and {y}", &[("x", &"a")]), "`a` and {y}");
    assert_eq!(fill("{{", &[]), "{{");
}

#[test]
fn locales_are_read() {
    use super::Lang;
    assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
    assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
    assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::parse("C.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::parse("fr"), None);
}
