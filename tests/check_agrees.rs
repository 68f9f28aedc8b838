//! `check` is `build` without writing: on every invalid fixture, on a valid
//! site and on a site whose archived snapshot was tampered with, the two
//! print the same problems and exit with the same code, and `check` writes
//! nothing.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

/// `check` and `build` run on a copy of `content`: (check, build).
fn both(content: &Path) -> (Output, Output) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(content, &dir.path().join("content"));
    let check = nianbao(dir.path(), &["check", "-c", "content"]);
    assert!(
        !dir.path().join("output").exists(),
        "check wrote an output folder"
    );
    let build = nianbao(
        dir.path(),
        &["build", "--quiet", "-c", "content", "-o", "output"],
    );
    (check, build)
}

/// What `build` prints of the content's problems: its stderr without the
/// last line, which says that the output was left as it was.
fn problems(build: &Output) -> String {
    let err = String::from_utf8_lossy(&build.stderr).to_string();
    match err.strip_suffix("build failed: output left as it was\n") {
        Some(rest) => rest.to_string(),
        None => err,
    }
}

fn assert_agree(name: &str, check: &Output, build: &Output) -> Option<String> {
    let check_err = String::from_utf8_lossy(&check.stderr).to_string();
    let build_err = problems(build);
    if check.status.code() != build.status.code() || check_err != build_err {
        return Some(format!(
            "{name}: check exits {:?}, build {:?}\n--- check\n{check_err}\n--- build\n{build_err}",
            check.status.code(),
            build.status.code()
        ));
    }
    None
}

#[test]
fn check_and_build_agree_on_every_invalid_fixture() {
    let root = manifest().join("tests/invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("content").is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "expected the fixtures of tests/invalid/");
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let (check, build) = both(&case.join("content"));
        assert_eq!(check.status.code(), Some(1), "{name}: check passed");
        failures.extend(assert_agree(&name, &check, &build));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn check_and_build_agree_on_a_valid_site() {
    let (check, build) = both(&fixture("minimal").join("content"));
    assert_eq!(check.status.code(), Some(0));
    assert_eq!(build.status.code(), Some(0));
}

#[test]
fn check_and_build_both_stop_on_a_tampered_snapshot() {
    let site = site_copy("minimal");
    let out = nianbao(site.path(), &["archive", "--year", "2016", "-c", "content"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (check, build) = both(&site.path().join("content"));
    assert_eq!(check.status.code(), Some(0), "an intact snapshot passes");
    assert_eq!(build.status.code(), Some(0));
    edit(
        &site
            .path()
            .join("content/archive/2016/data/source/site.yaml"),
        "title: ",
        "title: X",
    );
    let (check, build) = both(&site.path().join("content"));
    assert_eq!(
        check.status.code(),
        Some(1),
        "check passed a tampered snapshot"
    );
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(
        err.contains("snapshot content/archive/2016 does not verify"),
        "{err}"
    );
    assert!(err.contains("sha256 mismatch"), "{err}");
    if let Some(f) = assert_agree("tampered snapshot", &check, &build) {
        panic!("{f}");
    }
}
