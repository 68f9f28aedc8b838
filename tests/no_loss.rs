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
                stderr.contains("内容文件夹") && stderr.contains("content folder"),
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
                stderr.contains("已存在") && stderr.contains("exists"),
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
