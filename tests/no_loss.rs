//! Nothing lost: a command that writes a file never writes into the content
//! folder (also through symbolic links), replaces only a file it wrote
//! before unless `--force`, and a register emptied by mistake stops the
//! build instead of publishing a site of zero organizations.

mod common;

use std::path::Path;

use common::*;

/// Every command that writes one file, with its arguments before `-o`.
const WRITERS: &[&[&str]] = &[
    &["brief", "-c", "content"],
    &["export", "-c", "content"],
    &["chart", "coverage-by-kind", "-c", "content"],
    &[
        "chart",
        "coverage-by-kind",
        "--format",
        "png",
        "-c",
        "content",
    ],
    &[
        "chart",
        "coverage-by-kind",
        "--format",
        "csv",
        "-c",
        "content",
    ],
];

fn with_output(args: &[&str], output: &str, force: bool) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    all.extend(["-o".to_string(), output.to_string()]);
    if force {
        all.push("--force".into());
    }
    all
}

fn run(dir: &Path, args: &[String]) -> std::process::Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    nianbao(dir, &args)
}

/// Names of the files in `dir` (not recursive): temporary files show up.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn no_command_writes_into_the_content_folder_even_through_links() {
    let site = site_copy("minimal");
    let d = site.path();
    std::os::unix::fs::symlink(d.join("content"), d.join("linked")).unwrap();
    std::os::unix::fs::symlink(d.join("content/site.yaml"), d.join("site-link.yaml")).unwrap();
    let before = tree(&d.join("content"));
    let targets = [
        "content/site.yaml",
        "content/data/2016/organizations.yaml",
        "content/pages/about.md",
        "content/new-file.docx",
        "./content/../content/pages/new.svg",
        "linked/site.yaml",
        "linked/data/2016/branches.yaml",
        "site-link.yaml",
    ];
    // Every target with one command, every command with a few targets.
    let cases = targets.iter().map(|t| (WRITERS[0], *t)).chain(
        WRITERS[1..]
            .iter()
            .flat_map(|w| [(*w, targets[1]), (*w, targets[6]), (*w, targets[7])]),
    );
    for (writer, target) in cases {
        for force in [false, true] {
            let out = run(d, &with_output(writer, target, force));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{writer:?} -o {target}: {stderr}"
            );
            assert!(
                stderr.contains("inside the content folder"),
                "{writer:?} -o {target}: {stderr}"
            );
            assert_eq!(tree(&d.join("content")), before, "{writer:?} -o {target}");
        }
    }
}

#[test]
fn a_file_nianbao_did_not_write_is_replaced_only_with_force() {
    let site = site_copy("minimal");
    let d = site.path();
    for (i, writer) in WRITERS.iter().enumerate() {
        // A user's file of every kind nianbao writes, and a text file.
        for name in [
            "mine.docx",
            "mine.xlsx",
            "mine.svg",
            "mine.png",
            "mine.csv",
            "mine.txt",
        ] {
            let target = format!("{i}-{name}");
            let theirs = match name {
                "mine.csv" => "\u{feff}类别,纳入基数\r\n我的,1\r\n".to_string(),
                "mine.svg" => "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>".to_string(),
                _ => format!("my own {name}"),
            };
            std::fs::write(d.join(&target), &theirs).unwrap();
            let out = run(d, &with_output(writer, &target, false));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{writer:?} -o {target}: {stderr}"
            );
            assert!(stderr.contains("--force"), "{stderr}");
            assert!(
                stderr.contains("exists and is not a file nianbao wrote"),
                "{stderr}"
            );
            assert_eq!(read(&d.join(&target)), theirs, "{writer:?} -o {target}");
            let out = run(d, &with_output(writer, &target, true));
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_ne!(std::fs::read(d.join(&target)).unwrap(), theirs.as_bytes());
        }
    }
    assert!(
        !names(d).iter().any(|n| n.contains("nianbao-tmp")),
        "{:?}",
        names(d)
    );
}

#[test]
fn each_command_replaces_what_it_wrote_before() {
    let site = site_copy("minimal");
    let d = site.path();
    for writer in WRITERS {
        let first = written(d, writer);
        // Written again to the default name, then to an explicit one twice.
        assert_eq!(written(d, writer), first, "{writer:?}");
        let args = with_output(writer, "again.out", false);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(written(d, &args), first);
        assert_eq!(written(d, &args), first, "{writer:?} over its own file");
    }
    // One kind over another of nianbao's files is still nianbao's.
    let out = nianbao(
        d,
        &[
            "chart",
            "base-funnel",
            "-c",
            "content",
            "-o",
            "brief-2016.docx",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_folder_or_a_missing_folder_is_refused() {
    let site = site_copy("minimal");
    let d = site.path();
    std::fs::create_dir(d.join("folder")).unwrap();
    for target in ["folder", "nowhere/brief.docx"] {
        let out = nianbao(d, &["brief", "-c", "content", "-o", target, "--force"]);
        assert_eq!(out.status.code(), Some(2), "{target}");
    }
    assert!(d.join("folder").is_dir());
    assert!(!d.join("nowhere").exists());
}

fn ledger() -> std::path::PathBuf {
    manifest().join("content/台账样例.xlsx")
}

#[test]
fn import_force_replaces_both_registers_or_neither() {
    let site = site_copy("minimal");
    let d = site.path();
    let year = d.join("content/data/2016");
    let ledger = ledger();
    let args = [
        "import",
        ledger.to_str().unwrap(),
        "--into",
        "content/data/2016",
        "--force",
        // The ledger has no 联系人 column: the fixture's one contact goes.
        "--drop-private",
    ];
    // A folder where the second register goes: the first is kept too.
    std::fs::remove_file(year.join("branches.yaml")).unwrap();
    std::fs::create_dir(year.join("branches.yaml")).unwrap();
    let before = tree(&year);
    let out = nianbao(d, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("branches.yaml") && stderr.contains("every file was left as it was"),
        "{stderr}"
    );
    assert_eq!(tree(&year), before, "organizations.yaml was replaced alone");
    assert_eq!(
        names(&year),
        ["branches.yaml", "metrics.yaml", "organizations.yaml"]
    );
    // With the folder gone, both are replaced.
    std::fs::remove_dir(year.join("branches.yaml")).unwrap();
    let out = nianbao(d, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(read(&year.join("organizations.yaml")).contains("Imported by `nianbao import`"));
    assert!(read(&year.join("branches.yaml")).contains("Imported by `nianbao import`"));
    assert_eq!(
        names(&year),
        ["branches.yaml", "metrics.yaml", "organizations.yaml"]
    );
}

#[test]
fn an_empty_or_key_less_register_is_an_error_with_a_position() {
    let cases: &[(&str, &str, &str)] = &[
        ("organizations.yaml", "", "organizations"),
        ("organizations.yaml", "# 只有注释\n", "organizations"),
        ("organizations.yaml", "organizations: ~\n", "organizations"),
        ("organizations.yaml", "organizations:\n", "organizations"),
        ("organizations.yaml", "{}\n", "organizations"),
        ("branches.yaml", "", "branches"),
        ("branches.yaml", "branches: ~\n", "branches"),
        ("branches.yaml", "branches: null\n# end\n", "branches"),
        ("metrics.yaml", "", "metrics"),
        ("metrics.yaml", "as_of: 2016-11-30\n", "metrics"),
        (
            "metrics.yaml",
            "as_of: 2016-11-30\n\nmetrics: ~\n",
            "metrics",
        ),
    ];
    let site = site_copy("minimal");
    let d = site.path();
    build(d);
    let good = tree(&d.join("output"));
    for (file, text, key) in cases {
        let path = d.join("content/data/2016").join(file);
        let original = read(&path);
        std::fs::write(&path, text).unwrap();
        for command in ["check", "build"] {
            let out = nianbao(
                d,
                &[command, "-c", "content", "-o", "output"]
                    [..if command == "check" { 3 } else { 5 }],
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{file} {text:?}: {stderr}");
            let line = text.lines().position(|l| l.starts_with(key)).unwrap_or(0) + 1;
            let at = format!("content/data/2016/{file}:{line}:1: error:");
            assert!(stderr.contains(&at), "{file} {text:?}: {stderr}");
            assert!(
                stderr.contains(&format!("`{key}: []`")) && stderr.contains(&format!("`{key}:`")),
                "{file} {text:?}: {stderr}"
            );
        }
        assert_eq!(tree(&d.join("output")), good, "{file} {text:?}");
        std::fs::write(&path, original).unwrap();
    }
}
