//! `summary.json`: every year's figures for machines, in every site and
//! snapshot, with the same bytes from every build.

mod common;

use common::*;
use serde_json::Value;

fn summary(path: &std::path::Path) -> Value {
    serde_json::from_str(&read(path)).unwrap()
}

#[test]
fn every_site_has_its_year_summary() {
    let dir = build_example();
    let o = dir.path().join("output");
    let s = summary(&o.join("summary.json"));
    assert_eq!(s["schema"], 1);
    assert_eq!(s["year"], 2016);
    assert_eq!(s["as_of"], "2016-11-30");
    assert_eq!(s["figures"]["enterprise.base"], 755);
    assert_eq!(s["figures"]["social_org.base"], 59);
    let rate = s["figures"]["enterprise.coverage_rate"].as_f64().unwrap();
    let (covered, base) = (
        s["figures"]["enterprise.covered"].as_f64().unwrap(),
        s["figures"]["enterprise.base"].as_f64().unwrap(),
    );
    assert_eq!(rate, covered / base);
    let townships = s["breakdowns"]["township"].as_array().unwrap();
    let sum: u64 = townships.iter().map(|r| r["base"].as_u64().unwrap()).sum();
    assert_eq!(sum, 814, "every base organization in one township row");
    assert!(!s["breakdowns"]["industry"].as_array().unwrap().is_empty());
    // The example's declared figures do not all agree with its registers.
    assert_eq!(s["reconciliation"]["agrees"], false);
    let rows = s["reconciliation"]["rows"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["matches"] == false));
    let indicators = s["indicators"].as_array().unwrap();
    assert!(indicators
        .iter()
        .any(|i| i["key"] == "instructors.part_time" && i["value"] == 217));
    let older = summary(&o.join("years/2015/summary.json"));
    assert_eq!(older["year"], 2015);
    assert_eq!(older["figures"]["enterprise.base"], 691);
}

#[test]
fn the_same_bytes_from_every_build_and_in_the_snapshot() {
    let site = site_copy("minimal");
    build(site.path());
    let first = std::fs::read(site.path().join("output/summary.json")).unwrap();
    let out = nianbao(site.path(), &["archive", "--year", "2016", "-c", "content"]);
    assert!(out.status.success());
    let bag = site.path().join("content/archive/2016");
    let archived = std::fs::read(bag.join("data/site/summary.json")).unwrap();
    assert_eq!(first, archived);
    assert!(read(&bag.join("manifest-sha256.txt")).contains("data/site/summary.json"));
    build(site.path());
    let again = std::fs::read(site.path().join("output/summary.json")).unwrap();
    assert_eq!(first, again);
    assert!(first.ends_with(b"}\n"));
}
