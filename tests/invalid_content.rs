//! Invalid-input fixtures: each folder of `tests/invalid/` holds a broken
//! `content/` and the exact stderr `nianbao check` must print for it
//! (`expected.stderr`), positions included. Run with `BLESS=1` to rewrite
//! the expected files after a deliberate change of wording; the test also
//! fails on an expected file without a case, so stale goldens are noticed.

use std::path::Path;
use std::process::Command;

#[test]
fn invalid_content_reports_every_problem_with_position() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let bless = std::env::var_os("BLESS").is_some();
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
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let expected_path = case.join("expected.stderr");
        if !case.join("content").is_dir() {
            failures.push(format!("{name}: has no content/ folder (stale case?)"));
            continue;
        }
        let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .env("NIANBAO_LANG", "en")
            .args(["check", "-c", "content"])
            .current_dir(&case)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        if out.status.code() != Some(1) {
            failures.push(format!(
                "{name}: exit code {:?}, expected 1\n{stderr}",
                out.status.code()
            ));
        }
        if bless {
            std::fs::write(&expected_path, &stderr).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if stderr != expected {
            failures.push(format!(
                "{name}: stderr differs\n--- expected\n{expected}\n--- actual\n{stderr}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
