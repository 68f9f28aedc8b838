//! Each year's own write-up: `pages/<year>/*.md` on that year's site, its
//! archive and its figures; `pages/*.md` stays the presented year's.

mod common;

use common::*;
use std::path::Path;

/// The minimal site with a year 2015 whose write-up is `pages/2015/notes.md`.
fn two_years() -> tempfile::TempDir {
    let site = site_copy("minimal");
    let content = site.path().join("content");
    let data = content.join("data");
    copy_dir(&data.join("2016"), &data.join("2015"));
    let metrics = "as_of: 2015-12-31\nmetrics:\n  - key: instructors.part_time\n    value: 2\n";
    std::fs::write(data.join("2015/metrics.yaml"), metrics).unwrap();
    let branches = data.join("2015/branches.yaml");
    let text = read(&branches)
        .replace("formed: 2016-06-01", "formed: 2015-06-01")
        .replace("formed: 2016-07-01", "formed: 2015-07-01");
    std::fs::write(&branches, text).unwrap();
    std::fs::create_dir_all(content.join("pages/2015")).unwrap();
    let page =
        "---\ntitle: 2015年概况\n---\n\n指导员 {{ figure(key=\"instructors.part_time\") }} 名。\n";
    std::fs::write(content.join("pages/2015/notes.md"), page).unwrap();
    site
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn every_year_carries_its_own_write_up() {
    let site = two_years();
    build(site.path());
    let o = site.path().join("output");
    assert!(o.join("pages/about.html").is_file());
    assert!(!o.join("pages/notes.html").exists());
    assert!(!o.join("years/2015/pages/about.html").exists());
    let notes = read(&o.join("years/2015/pages/notes.html"));
    // 2015's own declared figure, not 2016's (4).
    assert!(notes.contains(">2</span>"), "{notes}");
    assert!(read(&o.join("years/2015/index.html")).contains("pages/notes.html"));
    assert!(!read(&o.join("index.html")).contains("pages/notes.html"));
}

#[test]
fn another_year_presented_shows_its_own_write_up() {
    let site = two_years();
    let out = nianbao(
        site.path(),
        &["build", "-c", "content", "-o", "output", "--year", "2015"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let o = site.path().join("output");
    assert!(o.join("pages/notes.html").is_file());
    assert!(
        !o.join("pages/about.html").exists(),
        "2016's text is not 2015's"
    );
    assert!(o.join("years/2016/pages/about.html").is_file());
}

#[test]
fn a_year_write_up_is_checked_against_its_own_figures() {
    let site = two_years();
    // Declared for 2016 only: 2015's page cannot cite it.
    edit(
        &site.path().join("content/pages/2015/notes.md"),
        "指导员",
        "党组织 {{ figure(key=\"enterprise.party_orgs\", source=\"declared\") }} 个，指导员",
    );
    let out = nianbao(site.path(), &["build", "-c", "content", "-o", "output"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "pages{0}2015{0}notes.md",
            std::path::MAIN_SEPARATOR
        )),
        "{err}"
    );
    assert!(err.contains("enterprise.party_orgs"), "{err}");
}

#[test]
fn a_page_twice_in_the_presented_year_is_an_error() {
    let site = two_years();
    let content = site.path().join("content");
    std::fs::create_dir_all(content.join("pages/2016")).unwrap();
    std::fs::copy(
        content.join("pages/about.md"),
        content.join("pages/2016/about.md"),
    )
    .unwrap();
    let out = nianbao(site.path(), &["build", "-c", "content", "-o", "output"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("page `about` of year 2016 is also"), "{err}");
}

#[test]
fn the_archive_of_a_year_holds_its_write_up() {
    let site = two_years();
    let out = nianbao(site.path(), &["archive", "--year", "2015", "-c", "content"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bag = site.path().join("content/archive/2015/data");
    assert!(bag.join("site/pages/notes.html").is_file());
    assert!(!bag.join("site/pages/about.html").exists());
    assert!(bag.join("source/pages/2015/notes.md").is_file());
    // The snapshot's source builds the same write-up again.
    let again = nianbao(
        Path::new("."),
        &[
            "check",
            "-c",
            bag.join("source").to_str().unwrap(),
            "--year",
            "2015",
        ],
    );
    assert!(again.status.success(), "{}", stderr(&again));
}

#[test]
fn the_example_has_a_write_up_for_2015() {
    let dir = build_example();
    let o = dir.path().join("output");
    let page = read(&o.join("years/2015/pages/overview.html"));
    assert!(page.contains("691"), "2015's base, not 2016's");
    assert!(o.join("pages/case-study.html").is_file());
    assert!(!o.join("years/2015/pages/case-study.html").exists());
}
