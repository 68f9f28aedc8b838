//! Helpers shared by the integration tests: fixture copies, running the
//! binary, reading output trees.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod office;

pub fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    manifest().join("tests/fixtures").join(name)
}

/// Copies `from` into `to` recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary site folder holding a copy of the fixture's `content/`.
pub fn site_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name).join("content"), &dir.path().join("content"));
    dir
}

pub fn nianbao(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .env("NIANBAO_LANG", "en")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

pub fn build(dir: &Path) -> Output {
    let out = nianbao(dir, &["build", "-c", "content", "-o", "output"]);
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every file of a tree, by relative path.
pub fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The values of every href= and src= attribute of an HTML document,
/// quoted or not (the minifier drops quotes where it can).
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=", "src="] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let before = rest[..i].chars().last();
            rest = &rest[i + attr.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '-') {
                continue;
            }
            let value: String = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].chars().take_while(|&c| c != q).collect(),
                _ => rest
                    .chars()
                    .take_while(|&c| !c.is_whitespace() && c != '>')
                    .collect(),
            };
            out.push(value);
        }
    }
    out
}

/// A temporary folder with a copy of the bundled example, built.
pub fn build_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest().join("content"), &dir.path().join("content"));
    build(dir.path());
    dir
}

/// Runs a command that writes one file (`wrote NAME (N bytes)` on stdout)
/// and returns that file's bytes.
pub fn written(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = nianbao(dir, args);
    assert!(
        out.status.success(),
        "{} failed:\n{}",
        args[0],
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let name = stdout
        .strip_prefix("wrote ")
        .and_then(|s| s.split(" (").next())
        .unwrap_or_else(|| panic!("unexpected output: {stdout}"));
    std::fs::read(dir.join(name)).unwrap()
}

/// A temporary folder with a copy of the bundled example, not built.
pub fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest().join("content"), &dir.path().join("content"));
    dir
}
