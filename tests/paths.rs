//! Paths: the output folder nianbao refuses to replace, symbolic links in
//! `content/`, hostile ids and page names, and a build that writes and
//! deletes nothing outside `output/` and its temporary folder.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{build, edit, nianbao, site_copy, tree};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Every file and folder under `root` (folders as `None`), for before and
/// after comparisons.
fn listing(root: &Path, skip: &[&str]) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| {
            !skip
                .iter()
                .any(|s| e.path().strip_prefix(root).unwrap() == Path::new(s))
        })
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .collect()
}

fn build_to(dir: &Path, output: &str, envs: &[(&str, &Path)]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"));
    cmd.env("NIANBAO_LANG", "en")
        .args(["build", "-c", "content", "-o", output])
        .current_dir(dir);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn refuses_the_root_the_home_folder_and_the_content_folder_or_its_ancestors() {
    let site = site_copy("minimal");
    let d = site.path();
    let before = listing(d, &[]);
    // The home folder: HOME points at the site folder here (it holds
    // content/, so it is refused on two counts), and at a folder of its own.
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("notes.txt"), "mine").unwrap();
    let home_str = home.path().to_str().unwrap().to_string();
    let cases: &[(&str, &str)] = &[
        ("/", "refusing to write the site to /"),
        (&home_str, "refusing to replace the home folder"),
        ("content", "holds or is inside the content folder"),
        ("content/data", "holds or is inside the content folder"),
        ("content/pages/out", "holds or is inside the content folder"),
        (".", "holds or is inside the content folder"),
        ("..", "holds or is inside the content folder"),
        ("content/..", "holds or is inside the content folder"),
    ];
    for (target, message) in cases {
        let out = build_to(d, target, &[("HOME", home.path())]);
        assert_eq!(out.status.code(), Some(2), "-o {target}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(message),
            "-o {target}: {}",
            stderr(&out)
        );
    }
    // Through a symbolic link, to the home folder and to the root.
    symlink(home.path(), d.join("to-home")).unwrap();
    symlink("/", d.join("to-root")).unwrap();
    let out = build_to(d, "to-home", &[("HOME", home.path())]);
    assert!(stderr(&out).contains("home folder"), "{}", stderr(&out));
    let out = build_to(d, "to-root", &[]);
    assert!(
        stderr(&out).contains("refusing to write the site to"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(d.join("to-home")).unwrap();
    std::fs::remove_file(d.join("to-root")).unwrap();
    assert_eq!(
        listing(d, &[]),
        before,
        "a refused build changed the site folder"
    );
    assert_eq!(
        std::fs::read_to_string(home.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

/// Changes a copy of `content/`.
type Mutation<'a> = dyn Fn(&Path) + 'a;

#[test]
fn symbolic_links_in_content_are_errors_and_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    let o = outside.path();
    std::fs::write(o.join("secret.txt"), "机密 外部文件").unwrap();
    std::fs::create_dir_all(o.join("dir")).unwrap();
    std::fs::write(o.join("dir/secret.txt"), "机密 外部文件").unwrap();
    let fixture = common::fixture("minimal").join("content");
    // Each place nianbao reads, replaced or joined by a link.
    let cases: &[(&str, &Mutation<'_>)] = &[
        ("content/site.yaml", &|c: &Path| {
            std::fs::rename(c.join("site.yaml"), o.join("site.yaml")).unwrap();
            symlink(o.join("site.yaml"), c.join("site.yaml")).unwrap();
        }),
        ("content/data/2016/organizations.yaml", &|c: &Path| {
            symlink(
                o.join("secret.txt"),
                c.join("data/2016/organizations.yaml.tmp"),
            )
            .unwrap();
            std::fs::remove_file(c.join("data/2016/organizations.yaml")).unwrap();
            std::fs::rename(
                c.join("data/2016/organizations.yaml.tmp"),
                c.join("data/2016/organizations.yaml"),
            )
            .unwrap();
        }),
        ("content/data/2017", &|c: &Path| {
            symlink(o.join("dir"), c.join("data/2017")).unwrap();
        }),
        ("content/data", &|c: &Path| {
            std::fs::rename(c.join("data"), o.join("data")).unwrap();
            symlink(o.join("data"), c.join("data")).unwrap();
        }),
        ("content/pages/secret.md", &|c: &Path| {
            symlink(o.join("secret.txt"), c.join("pages/secret.md")).unwrap();
        }),
        ("content/static/secret.txt", &|c: &Path| {
            std::fs::create_dir_all(c.join("static")).unwrap();
            symlink(o.join("secret.txt"), c.join("static/secret.txt")).unwrap();
        }),
        ("content/static/dir", &|c: &Path| {
            std::fs::create_dir_all(c.join("static")).unwrap();
            symlink(o.join("dir"), c.join("static/dir")).unwrap();
        }),
        ("content/static", &|c: &Path| {
            symlink(o.join("dir"), c.join("static")).unwrap();
        }),
    ];
    for (link, make) in cases {
        let site = tempfile::tempdir().unwrap();
        let d = site.path();
        common::copy_dir(&fixture, &d.join("content"));
        make(&d.join("content"));
        let out = nianbao(d, &["build", "-c", "content", "-o", "output"]);
        assert_eq!(out.status.code(), Some(1), "{link}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "{link}: error: symbolic link in the content folder"
            )),
            "{link}: {}",
            stderr(&out)
        );
        assert!(!d.join("output").exists(), "{link}");
        // Put whatever was moved out back for the next case.
        for name in ["site.yaml", "data"] {
            let _ = std::fs::remove_dir_all(o.join(name));
            let _ = std::fs::remove_file(o.join(name));
        }
    }
}

#[test]
fn hostile_ids_and_page_names_never_become_paths() {
    let site = site_copy("minimal");
    let d = site.path();
    let orgs = d.join("content/data/2016/organizations.yaml");
    edit(&orgs, "id: ent-0001", "id: ../../x");
    edit(&orgs, "id: ent-0002", "id: 企业二");
    edit(
        &d.join("content/data/2016/branches.yaml"),
        "id: gw",
        "id: \"/etc/passwd\"",
    );
    for name in ["..md", "关于.md", "a b.md", "Up.md", ".hidden.md"] {
        std::fs::write(d.join("content/pages").join(name), "---\ntitle: 页\n---\n").unwrap();
    }
    let out = nianbao(d, &["build", "-c", "content", "-o", "output"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for expected in [
        "id `../../x` may only use lowercase letters, digits and '-'",
        "id `企业二` may only use lowercase letters, digits and '-'",
        "id `/etc/passwd` may only use lowercase letters, digits and '-'",
        "page file name `.` may only use",
        "page file name `关于` may only use",
        "page file name `a b` may only use",
        "page file name `Up` may only use",
    ] {
        assert!(err.contains(expected), "no `{expected}` in:\n{err}");
    }
    assert!(!d.join("output").exists());
    assert!(!d.parent().unwrap().join("x.html").exists());
}

#[test]
fn a_build_touches_nothing_outside_the_output_and_its_temporary_folder() {
    let site = site_copy("minimal");
    let d = site.path();
    // Neighbours of every kind, some named like nianbao's own folders.
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    std::fs::create_dir_all(d.join("docs")).unwrap();
    std::fs::write(d.join("docs/a.txt"), "mine").unwrap();
    std::fs::create_dir_all(d.join(".output.nianbao-tmp-mine")).unwrap();
    std::fs::write(d.join(".output.nianbao-tmp-mine/a.txt"), "mine").unwrap();
    std::fs::create_dir_all(d.join(".output2.nianbao-tmp-123")).unwrap();
    // The temporary folder of a build that is still running (this test's
    // own process stands for it) is left alone too.
    let running = format!(".output.nianbao-tmp-{}", std::process::id());
    std::fs::create_dir_all(d.join(&running)).unwrap();
    // A leftover of a killed build is removed: pid 0 never names one.
    std::fs::create_dir_all(d.join(".output.nianbao-tmp-0/pages")).unwrap();
    let mut before = listing(d, &["output"]);
    build(d);
    build(d);
    before.retain(|p, _| !p.starts_with(".output.nianbao-tmp-0"));
    assert_eq!(listing(d, &["output"]), before);
    assert!(d.join(&running).is_dir());
    assert!(!d.join(".output.nianbao-tmp-0").exists());
    assert!(tree(&d.join("output")).contains_key(Path::new("index.html")));
}
