//! Several years: the presented year at the root, every other year as a
//! site of its own under `years/<Y>/`, linked both ways, and a comparison
//! page with trend charts and what changed. The year cannot silently go
//! wrong: `check` warns when data/ holds a year after site.yaml's, and
//! while the presented year still holds the records `nianbao new` wrote.

mod common;

use common::*;

#[test]
fn every_year_is_built_and_linked_both_ways() {
    let site = build_example();
    let o = site.path().join("output");
    let home = read(&o.join("index.html"));
    assert!(
        home.contains("href=\"years/2015/index.html\""),
        "the 2016 site links 2015"
    );
    let old = read(&o.join("years/2015/index.html"));
    assert!(
        old.contains("href=\"../../index.html\""),
        "the 2015 site links back to 2016"
    );
    assert!(
        old.contains("2015年12月31日"),
        "the 2015 site presents 2015's figures"
    );
    assert!(o.join("years/2015/organizations/index.html").is_file());
    assert!(o.join("years/2015/charts/coverage-by-kind.png").is_file());
    assert!(
        o.join("years/2015/static/style.css").is_file(),
        "a year's site stands on its own"
    );
}

#[test]
fn comparison_page_shows_each_figure_for_every_year_and_the_change() {
    let site = build_example();
    let o = site.path().join("output");
    let page = read(&o.join("years.html"));
    for y in ["2015", "2016"] {
        assert!(page.contains(&format!(">{y}<")), "a column for {y}");
    }
    let row: String = page
        .split("非公有制企业纳入基数")
        .nth(1)
        .expect("a row for the enterprise base")
        .chars()
        .take(200)
        .collect();
    assert!(row.contains(">755<"), "{row}");
    assert!(row.contains(">+"), "the change into 2016 is signed: {row}");
    // A rate's change is in percentage points, never a relative percentage.
    let rate: String = page
        .split("非公有制企业组织覆盖率")
        .nth(1)
        .expect("a row for the enterprise coverage rate")
        .split("<tr>")
        .next()
        .unwrap()
        .to_string();
    assert!(rate.contains("个百分点"), "{rate}");
    assert_eq!(
        rate.matches('%').count(),
        2,
        "the two years' rates only: {rate}"
    );
    for form in ["svg", "png", "csv"] {
        assert!(o.join(format!("charts/trend-coverage.{form}")).is_file());
        assert!(o.join(format!("charts/trend-party-orgs.{form}")).is_file());
    }
    let csv = read(&o.join("charts/trend-party-orgs.csv"));
    assert!(csv.lines().nth(1).unwrap().starts_with("2015,"), "{csv}");
    assert!(
        page.contains("新增的组织")
            && page.contains("不再在册的组织")
            && page.contains("所属党组织有变化的组织")
    );
}

#[test]
fn a_new_year_builds_without_the_indicators_of_the_write_up() {
    // The write-up tells the presented year's story; other years' sites
    // leave it out, so their metrics need not declare what it cites.
    let site = site_copy("minimal");
    let data = site.path().join("content/data");
    copy_dir(&data.join("2016"), &data.join("2015"));
    let metrics = "as_of: 2015-12-31\nmetrics: []\n";
    std::fs::write(data.join("2015/metrics.yaml"), metrics).unwrap();
    let branches = data.join("2015/branches.yaml");
    let text = read(&branches)
        .replace("formed: 2016-06-01", "formed: 2015-06-01")
        .replace("formed: 2016-07-01", "formed: 2015-07-01");
    std::fs::write(&branches, text).unwrap();
    build(site.path());
    let o = site.path().join("output");
    assert!(o.join("pages/about.html").is_file());
    assert!(o.join("years/2015/index.html").is_file());
    assert!(
        !o.join("years/2015/pages").exists(),
        "no write-up in another year's site"
    );
}

/// The minimal fixture with a copy of its 2016 registers as `year`.
fn with_year(year: i32) -> tempfile::TempDir {
    let site = site_copy("minimal");
    let data = site.path().join("content/data");
    let dir = data.join(year.to_string());
    copy_dir(&data.join("2016"), &dir);
    let y = year.to_string();
    for f in ["metrics.yaml", "branches.yaml"] {
        let text = read(&dir.join(f)).replace("2016-", &format!("{y}-"));
        std::fs::write(dir.join(f), text).unwrap();
    }
    site
}

#[test]
fn a_year_after_the_presented_one_is_warned_of_at_the_year_line() {
    let site = with_year(2017);
    let out = nianbao(site.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let line = read(&site.path().join("content/site.yaml"))
        .lines()
        .position(|l| l.starts_with("year:"))
        .unwrap()
        + 1;
    let want = format!(
        "content/site.yaml:{line}:7: warning: data/2017/ is newer than year: 2016, so the site still presents 2016\n"
    );
    assert!(stderr.contains(&want), "{want} not in\n{stderr}");
    assert!(
        stderr.contains("help: set year: 2017 in site.yaml to present it"),
        "{stderr}"
    );
    // The same in Chinese, and from `build`, which shares the check.
    let zh = nianbao(site.path(), &["--lang", "zh-CN", "check"]);
    let stderr = String::from_utf8_lossy(&zh.stderr);
    assert!(
        stderr.contains("data/2017/ 比 year: 2016 新：网站仍展示 2016 年"),
        "{stderr}"
    );
    let built = nianbao(site.path(), &["build", "-c", "content", "-o", "output"]);
    assert!(String::from_utf8_lossy(&built.stderr).contains("data/2017/ is newer than year: 2016"));

    // Presenting the newest year, or an earlier year beside it, is quiet.
    edit(
        &site.path().join("content/site.yaml"),
        "year: 2016",
        "year: 2017",
    );
    let out = nianbao(site.path(), &["check"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("is newer than"));
    let earlier = with_year(2015);
    let out = nianbao(earlier.path(), &["check"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("is newer than"));
}

#[test]
fn the_scaffolds_records_in_the_presented_year_are_warned_of() {
    // An office makes a site for 2020, then imports its ledger into 2019:
    // the site still presents 2020, which holds the invented records.
    let dir = tempfile::tempdir().unwrap();
    assert!(nianbao(dir.path(), &["new", "site", "--year", "2020"])
        .status
        .success());
    let site = dir.path().join("site");
    let data = site.join("content/data");
    let minimal = fixture("minimal").join("content/data/2016");
    copy_dir(&minimal, &data.join("2019"));
    for f in ["metrics.yaml", "branches.yaml"] {
        let text = read(&data.join("2019").join(f)).replace("2016-", "2019-");
        std::fs::write(data.join("2019").join(f), text).unwrap();
    }
    let out = nianbao(&site, &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("content/data/2020/organizations.yaml:5:11: warning: the registers of 2020 still hold 8 sample records that nianbao new wrote (such as `示例企业 001`)"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("import it with nianbao import 台账.xlsx --into content/data/2020/ --force"),
        "{stderr}"
    );
    let zh = nianbao(&site, &["--lang", "zh-CN", "check"]);
    assert!(
        String::from_utf8_lossy(&zh.stderr)
            .contains("2020 年的登记册里还有 8 条 nianbao new 写入的示例记录"),
        "{}",
        String::from_utf8_lossy(&zh.stderr)
    );
    // Presenting the imported year: no sample left, no warning.
    edit(&site.join("content/site.yaml"), "year: 2020", "year: 2019");
    let out = nianbao(&site, &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("sample records"), "{stderr}");
    // 2020 is newer than 2019 now, and says so.
    assert!(
        stderr.contains("data/2020/ is newer than year: 2019"),
        "{stderr}"
    );
}

#[test]
fn the_bundled_example_has_neither_warning() {
    let site = example();
    let out = nianbao(site.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("no errors, 3 warnings"),
        "{stderr}"
    );
    assert!(!stderr.contains("sample records") && !stderr.contains("is newer than"));
}
