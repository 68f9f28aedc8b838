//! The release archive of `.ci/release`, packed from the debug binary
//! (`NIANBAO_BIN`; a release build is too heavy for every test run): it
//! holds what an office needs without the repository, the same bytes on
//! every run, and the program runs from the unpacked folder.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn pack(dist: &Path) -> PathBuf {
    let out = Command::new(manifest().join(".ci/release"))
        .env("NIANBAO_BIN", env!("CARGO_BIN_EXE_nianbao"))
        .env("NIANBAO_DIST", dist)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        ".ci/release failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let name = format!("nianbao-{}-x86_64-linux.tar.gz", env!("CARGO_PKG_VERSION"));
    let archive = dist.join(name);
    assert!(
        archive.is_file(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    archive
}

/// Whether this binary's `new` writes the blank ledger, and so whether the
/// archive must carry it.
fn new_writes_template() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["new", "site"]);
    assert!(out.status.success());
    walkdir::WalkDir::new(dir.path())
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| e.file_name() == "台账模板.xlsx")
}

#[test]
fn the_archive_holds_the_program_the_ledger_the_example_and_the_guide() {
    let dist = tempfile::tempdir().unwrap();
    let archive = pack(dist.path());
    let first = std::fs::read(&archive).unwrap();
    let unpacked = tempfile::tempdir().unwrap();
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&archive)
        .arg("-C")
        .arg(unpacked.path())
        .status()
        .unwrap();
    assert!(status.success());
    let root = unpacked.path().join(format!(
        "nianbao-{}-x86_64-linux",
        env!("CARGO_PKG_VERSION")
    ));
    let files = tree(&root);
    for expected in [
        "nianbao",
        "自述.txt",
        "使用说明.md",
        "reference.md",
        "content/site.yaml",
        "content/data/2016/organizations.yaml",
        "content/pages/case-study.md",
    ] {
        assert!(files.contains_key(Path::new(expected)), "{expected}");
    }
    // Every picture the guide shows, where its links point.
    for entry in std::fs::read_dir(manifest().join("docs/images")).unwrap() {
        let name = entry.unwrap().file_name();
        assert!(
            files.contains_key(&Path::new("images").join(&name)),
            "images/{name:?}"
        );
    }
    assert_eq!(
        files.contains_key(Path::new("台账模板.xlsx")),
        new_writes_template(),
        "the blank ledger is packed when `new` writes one"
    );
    assert_eq!(
        files[Path::new("使用说明.md")],
        std::fs::read(manifest().join("docs/使用说明.md")).unwrap()
    );
    assert!(
        String::from_utf8_lossy(&files[Path::new("自述.txt")]).contains("./nianbao build"),
        "自述.txt says how to try it"
    );
    // Nothing but the one folder at the top.
    assert_eq!(std::fs::read_dir(unpacked.path()).unwrap().count(), 1);

    // The program runs from the unpacked folder, and builds the example there.
    let bin = root.join("nianbao");
    let version = Command::new(&bin).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("nianbao {}", env!("CARGO_PKG_VERSION"))
    );
    let built = Command::new(&bin)
        .arg("build")
        .current_dir(&root)
        .env("NIANBAO_LANG", "en")
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(root.join("output/index.html").is_file());

    // Packed again: the same bytes.
    std::fs::remove_file(&archive).unwrap();
    assert_eq!(std::fs::read(pack(dist.path())).unwrap(), first);
}
