//! Invalid-input fixtures: each folder of `tests/invalid/` holds a broken
//! `content/` and the exact stderr `nianbao check` must print for it in
//! English (`expected.stderr`), positions included; a sample of them also
//! pins the Chinese output (`expected.zh-CN.stderr`, `check --lang zh-CN`).
//! Run with `BLESS=1` to rewrite the expected files after a deliberate
//! change of wording; the test also fails on an expected file without a
//! case, so stale goldens are noticed.

mod common;

use std::path::Path;
use std::process::Command;

/// The fixtures whose Chinese output is pinned too: the commonest mistakes
/// and every kind of YAML problem the parser reports.
const CHINESE_SAMPLE: &[&str] = &[
    "dangling-references-with-suggestion",
    "duplicate-key",
    "every-problem-in-one-run",
    "metrics-empty-file",
    "page-shortcode-errors",
    "register-not-utf8-gbk",
    "site-config-errors",
    "theme-template-errors",
    "unknown-field-with-suggestion",
    "yaml-syntax-bad-indentation",
    "yaml-syntax-unclosed-bracket",
    "yaml-tab-indentation",
];

const ZH_GOLDEN: &str = "expected.zh-CN.stderr";

/// `nianbao check` on `case`'s content in the language `lang`; `None` is
/// English through `NIANBAO_LANG`, as the other tests run.
fn check(case: &Path, lang: Option<&str>) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    match lang {
        Some(l) => cmd.env_remove("NIANBAO_LANG").args(["--lang", l]),
        None => cmd.env("NIANBAO_LANG", "en"),
    };
    let out = cmd
        .args(["check", "-c", "content"])
        .current_dir(case)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Compares `stderr` with the golden at `path`, or rewrites it under BLESS.
fn compare(name: &str, path: &Path, stderr: &str, failures: &mut Vec<String>) {
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path, stderr).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if stderr != expected {
        failures.push(format!(
            "{name} ({}): stderr differs\n--- expected\n{expected}\n--- actual\n{stderr}",
            path.file_name().unwrap().to_string_lossy()
        ));
    }
}

#[test]
fn invalid_content_reports_every_problem_with_position() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let mut failures = Vec::new();
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 10,
        "expected the invalid-input fixtures in {}",
        root.display()
    );
    for name in CHINESE_SAMPLE {
        if !root.join(name).is_dir() {
            failures.push(format!("{name}: in CHINESE_SAMPLE but not a fixture"));
        }
    }
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        if !case.join("content").is_dir() {
            failures.push(format!("{name}: has no content/ folder (stale case?)"));
            continue;
        }
        let (code, stderr) = check(&case, None);
        if code != Some(1) {
            failures.push(format!("{name}: exit code {code:?}, expected 1\n{stderr}"));
        }
        compare(&name, &case.join("expected.stderr"), &stderr, &mut failures);
        let zh = case.join(ZH_GOLDEN);
        if CHINESE_SAMPLE.contains(&name.as_str()) {
            let (code, stderr) = check(&case, Some("zh-CN"));
            if code != Some(1) {
                failures.push(format!("{name}: --lang zh-CN exits {code:?}, expected 1"));
            }
            compare(&name, &zh, &stderr, &mut failures);
        } else if zh.exists() {
            failures.push(format!(
                "{name}: has {ZH_GOLDEN} but is not in CHINESE_SAMPLE (stale golden?)"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// No word of the English output and no word of the YAML parser's own
/// (`DuplicateKeyPolicy`, `mapping values`, `scalar`…) is left in the
/// Chinese goldens: what a Chinese reader sees is ours.
#[test]
fn chinese_goldens_hold_no_english_sentence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    for name in CHINESE_SAMPLE {
        let path = root.join(name).join(ZH_GOLDEN);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // reported by the golden test
        };
        for bad in [
            "error:",
            "help:",
            "did you mean",
            "invalid YAML",
            "DuplicateKeyPolicy",
            "mapping values",
            "scalar",
            "Options",
            " is missing",
            "errors\n",
        ] {
            assert!(
                !text.contains(bad),
                "{name}: `{bad}` in {ZH_GOLDEN}:\n{text}"
            );
        }
        assert!(text.contains("错误"), "{name}: {text}");
    }
}

/// A copy of a broken fixture whose site says `language: en`, so that only
/// the locale or the flag can make the output Chinese.
fn english_site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid/unknown-field-with-suggestion");
    common::copy_dir(&from.join("content"), &dir.path().join("content"));
    common::edit(
        &dir.path().join("content/site.yaml"),
        "language: zh-CN",
        "language: en",
    );
    dir
}

fn check_with_locale(dir: &Path, locale: &str, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .env_remove("NIANBAO_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", locale)
        .args(extra)
        .args(["check", "-c", "content"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn a_chinese_locale_prints_chinese_diagnostics_with_positions() {
    let dir = english_site_copy();
    let zh = check_with_locale(dir.path(), "zh_CN.UTF-8", &[]);
    assert!(
        zh.contains("content/data/2016/organizations.yaml:5:5: 错误: 组织中有未知字段 `townshp`"),
        "{zh}"
    );
    assert!(zh.contains("= 提示: 是不是 `township`？"), "{zh}");
    assert!(zh.ends_with("4 个错误\n"), "{zh}");
}

#[test]
fn lang_en_overrides_a_chinese_locale() {
    let dir = english_site_copy();
    let en = check_with_locale(dir.path(), "zh_CN.UTF-8", &["--lang", "en"]);
    assert!(
        en.contains(
            "content/data/2016/organizations.yaml:5:5: error: unknown field `townshp` in organization"
        ),
        "{en}"
    );
    assert!(!en.contains("错误") && !en.contains("提示"), "{en}");
    // Without a Chinese locale, the English site speaks English.
    let plain = check_with_locale(dir.path(), "C.UTF-8", &[]);
    assert_eq!(plain, en);
}
