//! Registers larger than a page can show: lists split into pages of 250
//! rows, breakdown charts capped at 30 bars (their tables keep every
//! row), and large files read in pieces without moving any position.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;

use common::{build, links, nianbao, read, site_copy};

/// Appends `n` enterprises outside the park, spread over `townships`
/// townships, covered directly by the township general branch.
fn add_organizations(dir: &Path, n: usize, townships: usize) {
    let path = dir.join("content/data/2016/organizations.yaml");
    let mut f = fs::OpenOptions::new().append(true).open(path).unwrap();
    for i in 0..n {
        write!(
            f,
            "  - id: big-{i:05}\n    name: 大型登记册企业 {i:05}\n    kind: enterprise\n    township: 第{:02}乡镇\n    status: active\n    branch: gb-town\n",
            i % townships
        )
        .unwrap();
    }
}

fn rows(html: &str) -> usize {
    // Each row starts with `<tr>`, the head's included.
    html.matches("<tr>").count() - 1
}

#[test]
fn register_lists_come_in_pages_of_250_rows() {
    let site = site_copy("minimal");
    let d = site.path();
    add_organizations(d, 600, 5);
    build(d);
    let out = d.join("output/organizations");
    let total = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".html") && !n.starts_with("index"))
        .count();
    assert!(total > 600, "{total} organization pages");
    let pages: Vec<String> = ["index.html", "index_2.html", "index_3.html"]
        .iter()
        .map(|p| read(&out.join(p)))
        .collect();
    assert!(!out.join("index_4.html").exists());
    assert_eq!(rows(&pages[0]), 250);
    assert_eq!(rows(&pages[1]), 250);
    assert_eq!(rows(&pages[2]), total - 500);
    // Every organization is listed once, on one of the pages.
    let listed: usize = pages
        .iter()
        .map(|p| p.matches("大型登记册企业").count())
        .sum();
    assert_eq!(listed, 600);
    // The township lists are pages of the same size, with no record page
    // of their own.
    let township = out.join("township-1");
    assert!(rows(&read(&township.join("index.html"))) <= 250);
    assert!(fs::read_dir(&township).unwrap().all(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with("index")));
    // The pages link each other, and every link leads to a file.
    assert!(pages[0].contains("index_2.html") && pages[0].contains("index_3.html"));
    assert!(pages[2].contains("index_2.html") && pages[2].contains("index.html"));
    for (name, html) in ["index.html", "index_2.html", "index_3.html"]
        .iter()
        .zip(&pages)
    {
        for link in links(html) {
            let target = out.join(link.split('#').next().unwrap());
            assert!(target.exists(), "{name}: broken link {link}");
        }
    }
    // A short list has one page and no page links.
    let branches = read(&d.join("output/branches/index.html"));
    assert!(!d.join("output/branches/index_2.html").exists());
    assert!(!branches.contains("index_2.html"));
}

#[test]
fn breakdown_charts_draw_thirty_bars_and_keep_every_row() {
    let site = site_copy("minimal");
    let d = site.path();
    add_organizations(d, 200, 40);
    build(d);
    let charts = d.join("output/charts");
    let csv = read(&charts.join("coverage-by-township.csv"));
    let townships = csv.lines().count() - 1;
    assert!(townships >= 40, "{csv}");
    let svg = read(&charts.join("coverage-by-township.svg"));
    let others = format!("其余 {} 项", townships - 29);
    assert!(svg.contains(&others), "no `{others}` in the chart");
    // 29 townships keep their own bar: the largest ones (5 organizations
    // each, where the fixture's own townships have fewer).
    let drawn = (0..40)
        .filter(|i| svg.contains(&format!("第{i:02}乡镇")))
        .count();
    assert_eq!(drawn, 29);
    // The page's table lists them all.
    let page = read(&d.join("output/townships.html"));
    assert!((0..40).all(|i| page.contains(&format!("第{i:02}乡镇"))));
}

#[test]
fn a_large_register_is_read_in_pieces_without_moving_positions() {
    let site = site_copy("minimal");
    let d = site.path();
    add_organizations(d, 8_000, 5);
    let path = d.join("content/data/2016/organizations.yaml");
    let mut text = read(&path);
    assert!(
        text.len() > 1 << 20,
        "{} bytes: too small to be cut",
        text.len()
    );
    // One error near the start, one near the end of the file.
    text = text.replacen("    name: 大型登记册企业 00010\n", "    name: [大型]\n", 1);
    text = text.replacen(
        "  - id: big-07990\n",
        "  - id: big-07990\n    employees: 很多\n",
        1,
    );
    fs::write(&path, &text).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l == needle).unwrap() + 1;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .env("NIANBAO_LANG", "en")
        .args(["check", "-c", "content"])
        .current_dir(d)
        // Two threads, so that the file is cut on any machine.
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for (needle, col) in [("    name: [大型]", 11), ("    employees: 很多", 16)] {
        let at = format!("organizations.yaml:{}:{col}: error", line_of(needle));
        assert!(stderr.contains(&at), "no `{at}` in:\n{stderr}");
    }
    // And the same file without errors builds every page.
    let fixed = text
        .replace("    name: [大型]\n", "    name: 大型登记册企业 00010\n")
        .replace("    employees: 很多\n", "");
    fs::write(&path, fixed).unwrap();
    let out = nianbao(d, &["check", "-c", "content"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Townships that grow with the register would put every township's link
/// and filter choice on every list page (pages × townships, the square of
/// the register). Past 40 townships the links stand on the first page of
/// the full and coverage lists only, a township's list links back there,
/// and the in-page filter offers no township; with few townships every
/// page keeps them all.
#[test]
fn many_townships_are_linked_from_first_pages_only() {
    let count_links = |html: &str| html.matches("organizations/township-").count();
    let site = site_copy("minimal");
    let d = site.path();
    add_organizations(d, 600, 50);
    build(d);
    let out = d.join("output/organizations");
    let first = read(&out.join("index.html"));
    let second = read(&out.join("index_2.html"));
    let township = read(&out.join("township-7/index.html"));
    let townships = fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with("township-")
        })
        .count();
    assert!(townships > 40, "{townships} township lists");
    assert!(count_links(&first) >= townships, "{first}");
    assert_eq!(count_links(&second), 0);
    assert_eq!(count_links(&township), 0);
    assert!(township.contains("全部乡镇"), "{township}");
    assert!(township.contains("href=\"../../organizations/index.html\">全部乡镇"));
    assert!(!first.contains("第07乡镇</option>"));

    let few = site_copy("minimal");
    let d = few.path();
    add_organizations(d, 600, 5);
    build(d);
    let second = read(&d.join("output/organizations/index_2.html"));
    assert!(count_links(&second) >= 5, "{second}");
    assert!(second.contains("第03乡镇</option>"), "{second}");
}
