//! Several years: the presented year at the root, every other year as a
//! site of its own under `years/<Y>/`, linked both ways, and a comparison
//! page with trend charts and what changed.

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
