//! The example site in a real browser: headless Chromium opens pages from
//! `file://`, with no console error and no request leaving the site, and
//! prints the briefing on one A4 page. Screenshots are kept in
//! `target/browser-artifacts/` (not in git). Without Chromium the test is
//! skipped, except in CI (`CI` set), where `.ci/run` installs it. The page
//! checks (axe-core, sideways scroll, text sizes, chart labels) run
//! tests/browser/check.mjs with node.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .map(|n| Path::new("/usr/bin").join(n))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("note: chromium not found; browser test skipped");
    }
    found
}

fn run(chromium: &Path, profile: &Path, args: &[String]) -> std::process::Output {
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.display()));
    cmd.args(args);
    cmd.output().unwrap()
}

/// Requests a page made (not the browser's own) to anything but a file.
fn outside_requests(net_log: &Path) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_str(&read(net_log)).unwrap();
    let mut out = Vec::new();
    for e in log["events"].as_array().into_iter().flatten() {
        let p = &e["params"];
        let (Some(url), Some(key)) = (p["url"].as_str(), p["network_isolation_key"].as_str())
        else {
            continue;
        };
        if key.contains("file://") && !url.starts_with("file:") && !url.starts_with("data:") {
            out.push(url.to_string());
        }
    }
    out
}

fn artifacts() -> PathBuf {
    let dir = manifest().join("target/browser-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn pages_open_from_file_without_errors_or_outside_requests() {
    let Some(chromium) = chromium() else { return };
    let site = build_example();
    let o = site.path().join("output");
    let pages = [
        "index.html",
        "pages/case-study.html",
        "charts.html",
        "data-quality.html",
        "briefing.html",
        "organizations/index.html",
        "organizations/ent-0001.html",
        "branches/index.html",
        "branches/gw.html",
        "townships.html",
        "industries.html",
    ];
    for page in pages {
        let net = site.path().join("net.json");
        let url = format!("file://{}", o.join(page).display());
        let out = run(
            &chromium,
            &site.path().join("profile"),
            &[
                format!("--log-net-log={}", net.display()),
                "--dump-dom".into(),
                url,
            ],
        );
        let dom = String::from_utf8_lossy(&out.stdout);
        assert!(
            dom.contains("<main id=\"main\">"),
            "{page} did not load: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        let console: Vec<&str> = stderr.lines().filter(|l| l.contains(":CONSOLE")).collect();
        assert!(console.is_empty(), "{page}: console messages {console:?}");
        let outside = outside_requests(&net);
        assert!(
            outside.is_empty(),
            "{page}: requests outside the site {outside:?}"
        );
    }
    let shot = artifacts().join("index.png");
    let url = format!("file://{}", o.join("index.html").display());
    run(
        &chromium,
        &site.path().join("profile"),
        &[
            "--window-size=1280,2000".into(),
            format!("--screenshot={}", shot.display()),
            url,
        ],
    );
    assert!(shot.is_file());
}

#[test]
fn briefing_prints_on_one_a4_page() {
    let Some(chromium) = chromium() else { return };
    let site = build_example();
    let pdf = artifacts().join("briefing.pdf");
    let _ = std::fs::remove_file(&pdf);
    let url = format!(
        "file://{}",
        site.path().join("output/briefing.html").display()
    );
    run(
        &chromium,
        &site.path().join("profile"),
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            url,
        ],
    );
    let bytes = std::fs::read(&pdf).expect("a PDF");
    let text = String::from_utf8_lossy(&bytes);
    let pages: Vec<&str> = text
        .match_indices("/Count ")
        .map(|(i, _)| &text[i + 7..i + 9])
        .collect();
    assert_eq!(
        pages
            .first()
            .map(|p| p.trim_end_matches(|c: char| !c.is_ascii_digit())),
        Some("1"),
        "pages: {pages:?}"
    );
    // A4 is 595 × 842 points.
    assert!(
        text.contains("/MediaBox [0 0 595") || text.contains("/MediaBox [0 0 594"),
        "A4 paper"
    );
}

/// The first result of a search, as the results page shows it.
fn first_result(chromium: &Path, site: &Path, query: &str) -> (String, String) {
    let q: String = query
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let url = format!("file://{}?q={q}", site.join("output/search.html").display());
    let out = run(
        chromium,
        &site.join("profile"),
        &[
            "--virtual-time-budget=5000".into(),
            "--dump-dom".into(),
            url,
        ],
    );
    let dom = String::from_utf8_lossy(&out.stdout).to_string();
    let list = dom
        .split("id=\"search-results\"")
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .map(|(_, list)| list)
        .unwrap_or_else(|| panic!("no results list for {query}: {dom}"));
    let href = list
        .split("href=\"")
        .nth(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .unwrap_or_default();
    let title = list
        .split("\">")
        .nth(1)
        .map(|s| s.split('<').next().unwrap().to_string())
        .unwrap_or_default();
    (href, title)
}

#[test]
fn search_finds_chinese_names_phrases_and_ids_from_file() {
    let Some(chromium) = chromium() else { return };
    let site = build_example();
    let (href, _) = first_result(&chromium, site.path(), "示例企业 0001");
    assert_eq!(href, "organizations/ent-0001.html");
    let (_, title) = first_result(&chromium, site.path(), "党总支");
    assert!(
        title.contains("党总支"),
        "a title match ranks first: {title}"
    );
    let (_, title) = first_result(&chromium, site.path(), "新能源");
    assert!(title.contains("新能源"), "{title}");
    let (href, _) = first_result(&chromium, site.path(), "GB-T-HJL");
    assert_eq!(
        href, "branches/gb-t-hjl.html",
        "ids are found, whatever their case"
    );
}

/// Every kind of page, once.
const PAGE_KINDS: &[&str] = &[
    "index.html",
    "pages/case-study.html",
    "charts.html",
    "data-quality.html",
    "briefing.html",
    "years.html",
    "townships.html",
    "industries.html",
    "organizations/index.html",
    "organizations/township-1/index.html",
    "organizations/no-party-org/index.html",
    "organizations/ent-0001.html",
    "branches/index.html",
    "branches/gw.html",
    "search.html",
];

/// The checker in tests/browser/ (axe-core and playwright-core from npm,
/// installed by `.ci/run`), or why it cannot run here.
fn checker() -> Option<PathBuf> {
    let dir = manifest().join("tests/browser");
    let node = Command::new("node").arg("--version").output().is_ok();
    let modules = dir.join("node_modules/axe-core").is_dir()
        && dir.join("node_modules/playwright-core").is_dir();
    if node && modules {
        return Some(dir.join("check.mjs"));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install node and `npm ci --prefix tests/browser` (see .ci/run)"
    );
    eprintln!("note: node or tests/browser/node_modules missing (run `npm ci --prefix tests/browser`); page checks skipped");
    None
}

/// At a phone's and a desktop's width (and, for layout, at 360 and 768):
/// no page scrolls sideways, no text is under 12 px (chart text under 10 px
/// on a phone), no two chart labels overlap, axe-core finds no WCAG 2.1 A
/// or AA violation, no console error and no request leaves the site. Each
/// page is kept as a screenshot in target/browser-artifacts/.
#[test]
fn every_page_kind_reads_well_on_a_phone_and_a_desktop() {
    let Some(chromium) = chromium() else { return };
    let Some(check) = checker() else { return };
    let site = build_example();
    let out = Command::new("node")
        .arg(&check)
        .arg(site.path().join("output"))
        .arg(artifacts())
        .arg("390,1366,~360,~768")
        .args(PAGE_KINDS)
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the checker failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let runs = report.as_array().unwrap();
    assert_eq!(
        runs.len(),
        PAGE_KINDS.len() * 4,
        "every page at every width"
    );
    let mut problems = Vec::new();
    for run in runs {
        for p in run["problems"].as_array().unwrap() {
            problems.push(format!(
                "{} at {} px: {}: {}",
                run["page"], run["width"], p["kind"], p["detail"]
            ));
        }
        if let Some(shot) = run["screenshot"].as_str() {
            assert!(Path::new(shot).is_file(), "screenshot {shot}");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The charts were there to be measured.
    let charts = runs
        .iter()
        .find(|r| r["page"] == "charts.html" && r["width"] == 390)
        .unwrap();
    assert_eq!(
        charts["charts"], 11,
        "the gallery shows one chart of each at 390 px"
    );
}

/// English labels are longer than Chinese ones: the same layout checks on
/// the English site (no axe-core run, no screenshot, to keep CI short).
#[test]
fn the_english_site_fits_phones_and_desktops_too() {
    let Some(chromium) = chromium() else { return };
    let Some(check) = checker() else { return };
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest().join("content"), &dir.path().join("content"));
    edit(
        &dir.path().join("content/site.yaml"),
        "language: zh-CN",
        "language: en",
    );
    build(dir.path());
    let pages = [
        "index.html",
        "charts.html",
        "data-quality.html",
        "years.html",
        "organizations/index.html",
        "briefing.html",
    ];
    let out = Command::new("node")
        .arg(&check)
        .arg(dir.path().join("output"))
        .arg(artifacts().join("en"))
        .arg("~360,~390,~768,~1366")
        .args(pages)
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let runs = report.as_array().unwrap();
    assert_eq!(runs.len(), pages.len() * 4);
    let problems: Vec<String> = runs
        .iter()
        .flat_map(|r| {
            r["problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |p| format!("{} at {}: {}", r["page"], r["width"], p))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
