//! Yearly snapshots: `archive` writes a BagIt bag that `verify` (and the
//! Library of Congress's `bagit` validator) accept, never rewrites it, makes
//! the same bytes twice, leaks no private field, and `build` carries it
//! byte for byte or stops when it was tampered with.

mod common;

use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};

use common::*;

const SNAPSHOT: &str = "content/archive/2016";

fn archive(dir: &Path) -> Output {
    let out = nianbao(dir, &["archive", "--year", "2016", "-c", "content"]);
    assert!(
        out.status.success(),
        "archive failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn verify(dir: &Path) -> Output {
    nianbao(dir, &["verify", SNAPSHOT])
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// A copy of the bundled example (content/ only, without any snapshot).
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = manifest().join("content");
    for sub in ["site.yaml", "data", "pages", "static"] {
        let from = content.join(sub);
        if from.is_dir() {
            copy_dir(&from, &dir.path().join("content").join(sub));
        } else if from.is_file() {
            std::fs::create_dir_all(dir.path().join("content")).unwrap();
            std::fs::copy(&from, dir.path().join("content").join(sub)).unwrap();
        }
    }
    dir
}

#[test]
fn archive_then_verify_passes() {
    let site = site_copy("minimal");
    let out = archive(site.path());
    assert!(
        stdout(&out).contains("archived 2016 into"),
        "{}",
        stdout(&out)
    );
    let bag = site.path().join(SNAPSHOT);
    for f in [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "manifest-sha512.txt",
        "tagmanifest-sha256.txt",
        "data/site/index.html",
        "data/source/site.yaml",
        "data/source/data/2016/organizations.yaml",
        "data/source/data/2016/branches.yaml",
        "data/source/data/2016/metrics.yaml",
        "data/source/pages/about.md",
    ] {
        assert!(bag.join(f).is_file(), "missing {f}");
    }
    assert_eq!(
        read(&bag.join("bagit.txt")),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    );
    let info = read(&bag.join("bag-info.txt"));
    for field in [
        "Bagging-Date: 2016-11-30\n",
        &format!(
            "Bag-Software-Agent: nianbao {}\n",
            env!("CARGO_PKG_VERSION")
        ),
        "Source-Organization: 测试开发区党建工作报告\n",
        "External-Identifier: nianbao-2016-",
        "Payload-Oxum: ",
    ] {
        assert!(info.contains(field), "{field:?} not in\n{info}");
    }
    // Manifest lines are sorted, with '/' paths under data/.
    let manifest = read(&bag.join("manifest-sha256.txt"));
    let paths: Vec<&str> = manifest.lines().map(|l| &l[66..]).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths
        .iter()
        .all(|p| p.starts_with("data/") && !p.contains('\\')));
    let out = verify(site.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("content/archive/2016: valid BagIt bag"),
        "{}",
        stdout(&out)
    );
    // No temporary folder is left beside the snapshot.
    let names: Vec<String> = std::fs::read_dir(site.path().join("content/archive"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, ["2016"]);
}

#[test]
fn archiving_twice_is_refused() {
    let site = site_copy("minimal");
    archive(site.path());
    let bag = site.path().join(SNAPSHOT);
    let before = tree(&bag);
    edit(
        &site.path().join("content/pages/about.md"),
        "---\n",
        "---\n# changed\n",
    );
    let out = nianbao(site.path(), &["archive", "--year", "2016", "-c", "content"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("content/archive/2016 already exists: archives are never rewritten"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&bag), before, "the snapshot was touched");
    // An empty folder in its place is refused as well.
    let other = site_copy("minimal");
    std::fs::create_dir_all(other.path().join(SNAPSHOT)).unwrap();
    let out = nianbao(
        other.path(),
        &["archive", "--year", "2016", "-c", "content"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn leftovers_of_a_killed_archive_are_removed() {
    let site = site_copy("minimal");
    let leftover = site
        .path()
        .join("content/archive/.2016.nianbao-tmp-999999/data");
    std::fs::create_dir_all(&leftover).unwrap();
    archive(site.path());
    assert!(!leftover.parent().unwrap().exists());
    assert!(verify(site.path()).status.success());
}

#[test]
fn a_year_without_data_is_a_content_error() {
    let site = site_copy("minimal");
    let out = nianbao(site.path(), &["archive", "--year", "2015", "-c", "content"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no data for year 2015"),
        "{}",
        stderr(&out)
    );
    assert!(!site.path().join("content/archive/2015").exists());
}

#[test]
fn the_bag_is_byte_identical_when_made_twice() {
    let (a, b) = (site_copy("minimal"), site_copy("minimal"));
    archive(a.path());
    archive(b.path());
    let (ta, tb) = (
        tree(&a.path().join(SNAPSHOT)),
        tree(&b.path().join(SNAPSHOT)),
    );
    assert!(ta.len() > 10);
    assert_eq!(ta, tb);
}

#[test]
fn verify_catches_a_changed_byte() {
    let site = site_copy("minimal");
    archive(site.path());
    let page = site.path().join(SNAPSHOT).join("data/site/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    let out = verify(site.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .lines()
            .any(|l| l
                == "content/archive/2016/data/site/index.html: sha256 mismatch, sha512 mismatch"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn verify_catches_a_missing_and_an_extra_file() {
    let site = site_copy("minimal");
    archive(site.path());
    let bag = site.path().join(SNAPSHOT);
    std::fs::remove_file(bag.join("data/site/static/style.css")).unwrap();
    let out = verify(site.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/archive/2016/data/site/static/style.css: missing (listed in manifest-sha256.txt, manifest-sha512.txt)"),
        "{err}"
    );
    assert!(
        err.contains("content/archive/2016/bag-info.txt: Payload-Oxum is "),
        "{err}"
    );

    let site = site_copy("minimal");
    archive(site.path());
    let bag = site.path().join(SNAPSHOT);
    std::fs::write(bag.join("data/site/extra.html"), "<p>added later</p>").unwrap();
    let out = verify(site.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/archive/2016/data/site/extra.html: extra payload file, not listed in manifest-sha256.txt, manifest-sha512.txt"),
        "{err}"
    );
    // A changed tag file is caught by the tag manifest.
    let site = site_copy("minimal");
    archive(site.path());
    edit(
        &site.path().join(SNAPSHOT).join("bag-info.txt"),
        "Bagging-Date: 2016-11-30",
        "Bagging-Date: 2016-12-31",
    );
    let err = stderr(&verify(site.path()));
    assert!(
        err.contains("content/archive/2016/bag-info.txt: sha256 mismatch (tagmanifest-sha256.txt)"),
        "{err}"
    );
}

#[test]
fn verify_of_a_folder_that_is_no_bag() {
    let site = site_copy("minimal");
    let out = nianbao(site.path(), &["verify", "content"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/bagit.txt: missing: not a BagIt bag"),
        "{}",
        stderr(&out)
    );
    let out = nianbao(site.path(), &["verify", "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Every YAML mapping key `private`, anywhere in the file.
fn has_private(path: &Path, text: &str) -> bool {
    let root = nianbao::load::yaml::parse(path, text, 0).expect("the archived YAML parses");
    nianbao::archive::redact::has_private(&root)
}

#[test]
fn no_private_field_survives_in_the_bag() {
    let site = example_copy();
    let orgs = site.path().join("content/data/2016/organizations.yaml");
    let original = read(&orgs);
    assert!(
        has_private(&orgs, &original),
        "the example has private fields"
    );
    assert!(original.contains("示例联系人"));
    archive(site.path());
    let bag = site.path().join(SNAPSHOT);
    for (path, bytes) in tree(&bag) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("示例联系人") && !text.contains("内部备注"),
            "private data in {}",
            path.display()
        );
        if path.extension().is_some_and(|e| e == "yaml") {
            assert!(
                !has_private(&path, &text),
                "private field in {}",
                path.display()
            );
        }
    }
    // Nothing else changed: the archived register has the same records.
    let archived = read(&bag.join("data/source/data/2016/organizations.yaml"));
    let kept: Vec<&str> = original
        .lines()
        .filter(|l| !l.contains("private:") && !l.contains("示例联系人") && !l.contains("内部备注"))
        .collect();
    assert_eq!(archived.lines().collect::<Vec<_>>(), kept);
}

#[test]
fn the_source_in_the_bag_rebuilds_the_archived_site() {
    let site = example_copy();
    archive(site.path());
    let bag = site.path().join(SNAPSHOT);
    let out = nianbao(
        &bag,
        &["build", "-q", "-c", "data/source", "-o", "../../../rebuilt"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // The rebuild also has the sites of the other years (years/<Y>/) and
    // links to them from every page, which a snapshot leaves out: it stands
    // alone. Everything else comes out the same.
    let rebuilt = tree(&site.path().join("rebuilt"));
    let archived = tree(&bag.join("data/site"));
    assert!(archived.len() > 100);
    for (path, bytes) in &archived {
        let again = rebuilt.get(path);
        assert!(again.is_some(), "{} is not rebuilt", path.display());
        if path.extension().is_none_or(|e| e != "html") {
            assert!(
                again == Some(bytes),
                "{} differs when rebuilt from the archived source",
                path.display()
            );
        }
    }
    // Every year's register is in the source.
    assert!(bag
        .join("data/source/data/2015/organizations.yaml")
        .is_file());
}

#[test]
fn a_past_year_is_archived_without_the_years_after_it() {
    let site = example_copy();
    let out = nianbao(site.path(), &["archive", "--year", "2015", "-c", "content"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bag = site.path().join("content/archive/2015");
    assert!(bag
        .join("data/source/data/2015/organizations.yaml")
        .is_file());
    assert!(!bag.join("data/source/data/2016").exists());
    assert!(read(&bag.join("bag-info.txt")).contains("Bagging-Date: 2015-12-31\n"));
    for (path, bytes) in tree(&bag.join("data/site")) {
        if path.extension().is_some_and(|e| e == "csv") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.lines().any(|l| l.starts_with("2016,")),
                "{} shows 2016 in the 2015 snapshot",
                path.display()
            );
        }
    }
    assert!(nianbao(site.path(), &["verify", "content/archive/2015"])
        .status
        .success());
}

/// `href`/`src` of a page at `page` (relative to the site root) → the
/// file it names, or `None` for in-page anchors.
fn target(page: &Path, link: &str) -> Option<PathBuf> {
    let link = link.split(['#', '?']).next().unwrap_or("");
    if link.is_empty() {
        return None;
    }
    let mut out = PathBuf::new();
    for c in page
        .parent()
        .unwrap_or(Path::new(""))
        .join(link)
        .components()
    {
        match c {
            Component::ParentDir => {
                assert!(out.pop(), "{link} in {} leaves the site", page.display());
            }
            Component::Normal(n) => out.push(n),
            _ => panic!("{link} in {} is not relative", page.display()),
        }
    }
    Some(out)
}

#[test]
fn the_archived_site_stands_alone() {
    let site = example_copy();
    archive(site.path());
    let files = tree(&site.path().join(SNAPSHOT).join("data/site"));
    assert!(!files.contains_key(Path::new("archives.html")));
    for (path, bytes) in &files {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for link in links(&html) {
            assert!(
                !link.contains("://") && !link.starts_with("//") && !link.starts_with('/'),
                "{link} in {} is not relative",
                path.display()
            );
            if let Some(t) = target(path, &link) {
                assert!(
                    files.contains_key(&t),
                    "{link} in {} names {}, which is not in the snapshot",
                    path.display(),
                    t.display()
                );
            }
        }
    }
}

#[test]
fn build_carries_the_snapshot_and_lists_it() {
    let site = site_copy("minimal");
    build(site.path());
    let out_dir = site.path().join("output");
    assert!(!out_dir.join("archives.html").exists());
    assert!(!read(&out_dir.join("index.html")).contains("archives.html"));
    let pages_before: Vec<PathBuf> = tree(&out_dir.join("pages")).into_keys().collect();

    archive(site.path());
    let out = build(site.path());
    assert!(
        stdout(&out).contains("carried 1 archived snapshot"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        tree(&out_dir.join("archive/2016")),
        tree(&site.path().join(SNAPSHOT)),
        "the snapshot is copied byte for byte (not minified)"
    );
    let page = read(&out_dir.join("archives.html"));
    let sha = nianbao::archive::manifest::Algorithm::Sha256
        .hex(&std::fs::read(site.path().join(SNAPSHOT).join("manifest-sha256.txt")).unwrap());
    assert!(page.contains(&sha), "{page}");
    assert!(page.contains("2016-11-30"), "{page}");
    assert!(
        links(&page).contains(&"archive/2016/data/site/index.html".to_string()),
        "{page}"
    );
    assert!(links(&read(&out_dir.join("index.html"))).contains(&"archives.html".to_string()));
    // The snapshot is not read as content: no page comes from its source.
    let pages_after: Vec<PathBuf> = tree(&out_dir.join("pages")).into_keys().collect();
    assert_eq!(pages_before, pages_after);
    let check = nianbao(site.path(), &["check", "-c", "content"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn a_tampered_snapshot_stops_the_build_and_leaves_the_output_untouched() {
    let site = site_copy("minimal");
    archive(site.path());
    build(site.path());
    let before = tree(&site.path().join("output"));
    edit(
        &site.path().join(SNAPSHOT).join("data/source/site.yaml"),
        "title: ",
        "title: X",
    );
    let out = nianbao(site.path(), &["build", "-c", "content", "-o", "output"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/archive/2016/data/source/site.yaml: sha256 mismatch"),
        "{err}"
    );
    assert!(
        err.contains("snapshot content/archive/2016 does not verify"),
        "{err}"
    );
    assert!(err.contains("build failed: output left as it was"), "{err}");
    assert_eq!(tree(&site.path().join("output")), before);
}

/// The Library of Congress's validator, where it is installed (`.ci/run`
/// installs it from PyPI).
fn bagit_python() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import bagit"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: python3 with the bagit package is not available; skipping the bagit-python check (pip install bagit)");
    }
    ok
}

#[test]
fn the_library_of_congress_validator_accepts_the_bag() {
    if !bagit_python() {
        return;
    }
    let site = example_copy();
    archive(site.path());
    let run = || {
        Command::new("python3")
            .args(["-m", "bagit", "--validate", "--quiet", SNAPSHOT])
            .current_dir(site.path())
            .output()
            .unwrap()
    };
    let out = run();
    assert!(out.status.success(), "bagit: {}", stderr(&out));
    let page = site.path().join(SNAPSHOT).join("data/site/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes.push(b'\n');
    std::fs::write(&page, bytes).unwrap();
    assert!(!run().status.success(), "bagit must reject a changed file");
}

#[test]
fn the_example_2015_register_checks_clean() {
    let out = nianbao(&manifest(), &["check", "-c", "content", "--year", "2015"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The 3 warnings of the example are 2016's published mismatches.
    assert!(
        stdout(&out).contains("content: no errors"),
        "{}",
        stdout(&out)
    );
    assert!(!stderr(&out).contains("data/2015"), "{}", stderr(&out));
}

#[test]
fn the_sample_ledger_beside_the_content_changes_no_snapshot() {
    // The example's content/台账样例.xlsx is the office's input to
    // `import`, not part of the site: it is neither built nor archived
    // (it could hold private fields the snapshot must not).
    let with = example();
    assert!(with.path().join("content/台账样例.xlsx").is_file());
    let without = example_copy();
    assert!(!without.path().join("content/台账样例.xlsx").exists());
    archive(with.path());
    archive(without.path());
    let a = tree(&with.path().join(SNAPSHOT));
    let b = tree(&without.path().join(SNAPSHOT));
    assert!(a.keys().all(|p| !p.to_string_lossy().contains("台账")));
    assert!(a == b, "the snapshots differ");
}
