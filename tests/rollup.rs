//! Roll-up sites: a city made of three archived districts, a province made
//! of two cities. Every figure is checked against the sums of the members'
//! own summary.json.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

const MEMBERS: [(&str, &str); 3] = [("da", "甲区"), ("db", "乙区"), ("dc", "丙区")];

/// Three small districts under `root/districts/`, each archived; district
/// `db` has one more organization, not covered.
fn districts(root: &Path) {
    for (id, _) in MEMBERS {
        let content = root.join("districts").join(id).join("content");
        copy_dir(&fixture("minimal").join("content"), &content);
        if id == "db" {
            let orgs = content.join("data/2016/organizations.yaml");
            let extra = "  - id: ent-0901\n    name: 示例企业 0901\n    kind: enterprise\n    township: 丙镇\n    industry: 新材料\n    status: active\n";
            std::fs::write(&orgs, read(&orgs) + extra).unwrap();
        }
        let c = content.to_str().unwrap();
        let out = nianbao(root, &["archive", "--year", "2016", "-c", c]);
        assert!(out.status.success(), "{}", err(&out));
    }
}

/// A roll-up site at `root/<dir>/content` of `members` (id, name, source).
fn rollup_site(root: &Path, dir: &str, title: &str, members: &[(&str, &str, String)], extra: &str) {
    let content = root.join(dir).join("content");
    std::fs::create_dir_all(content.join("data/2016")).unwrap();
    let mut yaml = format!("title: {title}\nyear: 2016\nrollup:\n");
    for (id, name, source) in members {
        yaml.push_str(&format!("  - id: {id}\n    name: {name}\n    {source}\n"));
    }
    std::fs::write(content.join("site.yaml"), yaml).unwrap();
    let metrics = format!("as_of: 2016-12-31\nmetrics:\n{extra}");
    std::fs::write(content.join("data/2016/metrics.yaml"), metrics).unwrap();
}

fn city(root: &Path) {
    districts(root);
    let members: Vec<(&str, &str, String)> = MEMBERS
        .iter()
        .map(|(id, name)| {
            let source = format!("snapshot: ../../districts/{id}/content/archive/2016");
            (*id, *name, source)
        })
        .collect();
    rollup_site(
        root,
        "city",
        "测试市党建工作报告",
        &members,
        "  - key: enterprise.base\n    value: 16\n",
    );
}

fn err(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn build_at(root: &Path, dir: &str, extra: &[&str]) -> std::process::Output {
    let content = format!("{dir}/content");
    let output = format!("{dir}/output");
    let mut args = vec!["build", "-c", &content, "-o", &output];
    args.extend(extra);
    nianbao(root, &args)
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap()
}

fn figure(s: &Value, key: &str) -> f64 {
    s["figures"][key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key}: {}", s["figures"][key]))
}

/// Every count of `total` is the sum of the members' counts; every rate
/// is the summed numerator over the summed base.
fn assert_sums(total: &Value, members: &[Value]) {
    for (key, v) in total["figures"].as_object().unwrap() {
        if key.ends_with("_rate") {
            continue;
        }
        let sum: f64 = members.iter().map(|m| figure(m, key)).sum();
        assert_eq!(v.as_f64().unwrap(), sum, "{key}");
    }
    for scope in ["all", "enterprise"] {
        let sum = |k: &str| {
            members
                .iter()
                .map(|m| figure(m, &format!("{scope}.{k}")))
                .sum::<f64>()
        };
        assert_eq!(
            figure(total, &format!("{scope}.coverage_rate")),
            sum("covered") / sum("base")
        );
        assert_eq!(
            figure(total, &format!("{scope}.work_coverage_rate")),
            sum("work_covered") / sum("base")
        );
    }
}

fn district_summary(root: &Path, id: &str) -> Value {
    json(&root.join(format!(
        "districts/{id}/content/archive/2016/data/site/summary.json"
    )))
}

#[test]
fn a_city_of_three_archived_districts() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    city(root);
    let out = build_at(root, "city", &[]);
    assert!(out.status.success(), "{}", err(&out));
    let o = root.join("city/output");
    let total = json(&o.join("summary.json"));
    let members: Vec<Value> = MEMBERS
        .iter()
        .map(|(id, _)| district_summary(root, id))
        .collect();
    assert_sums(&total, &members);
    assert_eq!(figure(&total, "all.base"), 19.0);
    // Not the mean of the members' rates.
    let mean = members
        .iter()
        .map(|m| figure(m, "all.coverage_rate"))
        .sum::<f64>()
        / 3.0;
    assert!((figure(&total, "all.coverage_rate") - mean).abs() > 1e-6);
    assert_eq!(total["schema"], 1);
    assert_eq!(total["year"], 2016);
    // The declared base (16) is not the sum (16 enterprises? no: 5 + 6 + 5).
    let row = &total["reconciliation"]["rows"][0];
    assert_eq!(row["key"], "enterprise.base");
    assert_eq!(row["derived"], 16);
    assert_eq!(row["matches"], true);
    // Townships merged by name.
    let townships = total["breakdowns"]["township"].as_array().unwrap();
    let base: u64 = townships.iter().map(|r| r["base"].as_u64().unwrap()).sum();
    assert_eq!(base, 19);
    // Ranked by coverage: 乙区 (4 of 7) last, with its gap to 100%.
    let compare = read(&o.join("compare.html"));
    let pos = |name: &str| compare.find(name).unwrap();
    assert!(pos("甲区") < pos("乙区") && pos("丙区") < pos("乙区"));
    assert!(compare.contains("42.9个百分点"), "{compare}");
    for chart in ["coverage-by-member", "party-orgs-by-member"] {
        for ext in ["svg", "png", "csv"] {
            assert!(
                o.join(format!("charts/{chart}.{ext}")).is_file(),
                "{chart}.{ext}"
            );
        }
    }
    assert!(read(&o.join("charts/coverage-by-member.csv")).contains("乙区,57.1429%"));
    // Each member's page links its own site, carried byte for byte.
    for (id, name) in MEMBERS {
        let page = read(&o.join(format!("members/{id}.html")));
        assert!(page.contains(name));
        assert!(links(&page).contains(&format!("{id}/index.html")));
        let bag = root.join(format!("districts/{id}/content/archive/2016/data/site"));
        for (rel, bytes) in tree(&bag) {
            let carried = std::fs::read(o.join("members").join(id).join(&rel)).unwrap();
            assert!(carried == bytes, "{id}/{}", rel.display());
        }
    }
    // Every relative link of the roll-up's own pages resolves.
    for page in ["index.html", "compare.html", "members/da.html"] {
        let at = o.join(page);
        for l in links(&read(&at)) {
            assert!(at.parent().unwrap().join(&l).exists(), "{page}: {l}");
        }
    }
    let again = nianbao(root, &["build", "-c", "city/content", "-o", "city/again"]);
    assert!(again.status.success());
    assert!(
        tree(&o) == tree(&root.join("city/again")),
        "two builds differ"
    );
}

#[test]
fn a_mismatch_with_the_sums_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    city(root);
    edit(
        &root.join("city/content/data/2016/metrics.yaml"),
        "value: 16",
        "value: 18",
    );
    let out = build_at(root, "city", &[]);
    assert!(
        out.status.success(),
        "a mismatch is a warning: {}",
        err(&out)
    );
    assert!(err(&out).contains("declared `enterprise.base` is 18, but the members add up to 16"));
    let total = json(&root.join("city/output/summary.json"));
    assert_eq!(total["reconciliation"]["agrees"], false);
}

#[test]
fn a_tampered_member_stops_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    city(root);
    let page = root.join("districts/db/content/archive/2016/data/site/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    let out = build_at(root, "city", &[]);
    assert!(!out.status.success());
    let e = err(&out);
    assert!(e.contains("site.yaml:7:5"), "{e}");
    assert!(
        e.contains("member `db`") && e.contains("does not verify"),
        "{e}"
    );
    assert!(!root.join("city/output").exists());
    // `check` is the same build without the writing.
    let out = nianbao(root, &["check", "-c", "city/content"]);
    assert!(!out.status.success());
    assert!(err(&out).contains("member `db`"), "{}", err(&out));
}

#[test]
fn a_missing_snapshot_a_duplicate_id_and_another_year_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    city(root);
    let site = root.join("city/content/site.yaml");
    edit(
        &site,
        "districts/dc/content/archive/2016",
        "districts/dx/content/archive/2016",
    );
    edit(&site, "id: db", "id: da");
    let out = build_at(root, "city", &[]);
    assert!(!out.status.success());
    let e = err(&out);
    assert!(
        e.contains("site.yaml:7:5") && e.contains("member id `da` is already used on line 4"),
        "{e}"
    );
    // Members are read once site.yaml is right.
    edit(&site, "id: da\n    name: 乙区", "id: db\n    name: 乙区");
    let out = build_at(root, "city", &[]);
    let e = err(&out);
    assert!(
        e.contains("site.yaml:10:5") && e.contains("member `dc`: no snapshot at"),
        "{e}"
    );
    // A city of 2017 cannot add up reports of 2016.
    edit(&site, "districts/dx/", "districts/dc/");
    edit(&site, "year: 2016", "year: 2017");
    let data = root.join("city/content/data");
    std::fs::rename(data.join("2016"), data.join("2017")).unwrap();
    edit(&data.join("2017/metrics.yaml"), "2016-12-31", "2017-12-31");
    let out = build_at(root, "city", &[]);
    assert!(!out.status.success());
    assert!(
        err(&out).contains("member `da` reports year 2016, this site year 2017"),
        "{}",
        err(&out)
    );
}

#[test]
fn a_member_of_another_schema_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    city(root);
    // A bag whose summary.json is of a later schema, with its manifests
    // made to match: it verifies, but this nianbao cannot read it.
    let bag = root.join("districts/da/content/archive/2016");
    let summary = bag.join("data/site/summary.json");
    let old = std::fs::read(&summary).unwrap();
    let new = String::from_utf8(old.clone())
        .unwrap()
        .replace("\"schema\": 1", "\"schema\": 2");
    std::fs::write(&summary, &new).unwrap();
    fn hex<D: sha2::Digest>(b: &[u8]) -> String {
        D::digest(b).iter().map(|x| format!("{x:02x}")).collect()
    }
    type Hex = fn(&[u8]) -> String;
    let digests: [(&str, Hex); 2] = [
        ("sha256", hex::<sha2::Sha256>),
        ("sha512", hex::<sha2::Sha512>),
    ];
    for (alg, h) in digests {
        let manifest = bag.join(format!("manifest-{alg}.txt"));
        let before = std::fs::read(&manifest).unwrap();
        edit(&manifest, &h(&old), &h(new.as_bytes()));
        let after = std::fs::read(&manifest).unwrap();
        for (tag_alg, th) in digests {
            let tags = bag.join(format!("tagmanifest-{tag_alg}.txt"));
            edit(&tags, &th(&before), &th(&after));
        }
    }
    let out = build_at(root, "city", &[]);
    assert!(!out.status.success());
    let e = err(&out);
    assert!(e.contains("site.yaml:4:5") && e.contains("schema 2"), "{e}");
}

#[test]
fn no_carry_links_where_members_are_published() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    city(root);
    edit(
        &root.join("city/content/site.yaml"),
        "    name: 甲区\n",
        "    name: 甲区\n    url: https://example.org/da/\n",
    );
    let out = build_at(root, "city", &["--no-carry"]);
    assert!(out.status.success(), "{}", err(&out));
    let o = root.join("city/output");
    assert!(!o.join("members/da").exists());
    let page = read(&o.join("members/da.html"));
    assert!(links(&page).contains(&"https://example.org/da/".to_string()));
}

#[test]
fn a_province_of_two_cities() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    city(root);
    // The first city archived, the second a live content folder of the
    // same districts.
    let out = nianbao(root, &["archive", "--year", "2016", "-c", "city/content"]);
    assert!(out.status.success(), "{}", err(&out));
    let members: Vec<(&str, &str, String)> = MEMBERS
        .iter()
        .map(|(id, name)| (*id, *name, format!("content: ../../districts/{id}/content")))
        .collect();
    rollup_site(root, "city2", "测试二市", &members, "  []\n");
    let cities = vec![
        (
            "c1",
            "一市",
            "snapshot: ../../city/content/archive/2016".to_string(),
        ),
        ("c2", "二市", "content: ../../city2/content".to_string()),
    ];
    rollup_site(root, "province", "测试省", &cities, "  []\n");
    let out = build_at(root, "province", &[]);
    assert!(out.status.success(), "{}", err(&out));
    let o = root.join("province/output");
    let total = json(&o.join("summary.json"));
    let city1 = json(&root.join("city/content/archive/2016/data/site/summary.json"));
    let city2 = json(&o.join("members/c2/summary.json"));
    assert_sums(&total, &[city1.clone(), city2]);
    assert_eq!(figure(&total, "all.base"), 38.0);
    // A district's own site, two levels down, still opens.
    assert!(o.join("members/c1/members/da/index.html").is_file());
    assert!(o.join("members/c2/members/db/index.html").is_file());
    assert_eq!(city1["figures"]["all.base"], 19);
}

#[test]
fn a_city_write_up_cites_the_rolled_up_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    city(root);
    let pages = root.join("city/content/pages");
    std::fs::create_dir_all(&pages).unwrap();
    let page = "---\ntitle: 全市概况\n---\n\n全市纳入基数 {{ figure(key=\"all.base\") }} 家，公布 {{ figure(key=\"enterprise.base\", source=\"declared\") }}。\n";
    std::fs::write(pages.join("overview.md"), page).unwrap();
    let out = build_at(root, "city", &[]);
    assert!(out.status.success(), "{}", err(&out));
    let o = root.join("city/output");
    let html = read(&o.join("pages/overview.html"));
    assert!(
        html.contains(">19</span>") && html.contains(">16</span>"),
        "{html}"
    );
    assert!(links(&read(&o.join("index.html"))).contains(&"pages/overview.html".to_string()));
    // A chart of registers, or a figure of the park, has nothing to read.
    edit(
        &pages.join("overview.md"),
        "。",
        "。{{ chart(id=\"coverage-by-kind\") }}",
    );
    let out = build_at(root, "city", &[]);
    assert!(!out.status.success());
    assert!(
        err(&out).contains("overview.md:5:") && err(&out).contains("no chart of registers"),
        "{}",
        err(&out)
    );
}
