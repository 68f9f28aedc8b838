//! The bundled example (content/): the 2016 case study builds, every
//! organization and branch has a page, the published aggregates come out
//! of the synthetic registers, and the figures that do not add up show.

mod common;

use common::*;

#[test]
fn example_reproduces_the_published_aggregates() {
    let site = build_example();
    let o = site.path().join("output");
    let home = read(&o.join("index.html"));
    for figure in ["755", "59", "100%", "157", "16"] {
        assert!(
            home.contains(&format!(">{figure}<")),
            "home page lacks {figure}"
        );
    }
    // Record pages: the list's pages (index*.html) and folders aside.
    let count = |dir: &str| {
        std::fs::read_dir(o.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".html") && !n.starts_with("index"))
            .count()
    };
    assert_eq!(
        count("organizations"),
        855,
        "one page per organization of the register"
    );
    assert_eq!(count("branches"), 176, "one page per branch");
    let case = read(&o.join("pages/case-study.html"));
    for figure in [">755<", ">59<", ">429<", ">60<", ">78<", ">13<", ">217名<"] {
        assert!(case.contains(figure), "case study lacks {figure}");
    }
}

#[test]
fn example_shows_the_published_figures_that_do_not_add_up() {
    let site = build_example();
    let dq = read(&site.path().join("output/data-quality.html"));
    // Rows by the figure's name: keys are not printed on a published page.
    for (key, declared, derived) in [
        ("非公有制企业党组织数", "209", "157"),
        ("非公有制企业联合党支部", "146", "78"),
        ("非公有制企业本年新建党组织", "146", "94"),
    ] {
        let row: String = dq
            .split(key)
            .nth(1)
            .unwrap_or_else(|| panic!("no row for {key}"))
            .chars()
            .take(160)
            .collect();
        assert!(
            row.contains(&format!(">{declared}<"))
                && row.contains(&format!(">{derived}<"))
                && row.contains("不一致"),
            "{key}: {row}"
        );
    }
    assert_eq!(
        dq.matches("class=\"mismatch\"").count(),
        3,
        "exactly the three published inconsistencies"
    );
}

#[test]
fn example_write_up_types_no_figure() {
    let text = read(&manifest().join("content/pages/case-study.md"));
    let body = text.splitn(3, "---").nth(2).unwrap();
    let mut rest = body.to_string();
    while let (Some(a), Some(b)) = (rest.find("{{"), rest.find("}}")) {
        rest.replace_range(a..b + 2, "");
    }
    let digits: String = rest.chars().filter(|c| c.is_ascii_digit()).collect();
    assert!(digits.is_empty(), "typed figures in the write-up: {digits}");
}

#[test]
fn example_labels_the_register_as_synthetic_on_every_page() {
    let site = build_example();
    for (path, bytes) in tree(&site.path().join("output")) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes).unwrap();
            assert!(
                html.contains("虚构的示例数据"),
                "{} lacks the synthetic-data notice",
                path.display()
            );
        }
    }
}

/// The visible text of a page: tags, scripts and styles removed.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = &rest[i..];
        let skip = ["<script", "<style", "<title"]
            .iter()
            .find(|t| rest.starts_with(*t))
            .map(|t| format!("</{}", &t[1..]));
        let end = match skip {
            Some(close) => rest
                .find(&close)
                .and_then(|e| rest[e..].find('>').map(|g| e + g)),
            None => rest.find('>'),
        };
        rest = &rest[end.map_or(rest.len(), |e| e + 1)..];
    }
    out.push_str(rest);
    out
}

#[test]
fn published_pages_speak_plain_words() {
    let site = build_example();
    let o = site.path().join("output");
    // Ids with a dash (ent-0001, gb-mat): the short ones are words too.
    let mut ids: Vec<String> = Vec::new();
    for f in ["organizations", "branches"] {
        let text = read(&site.path().join(format!("content/data/2016/{f}.yaml")));
        ids.extend(
            text.lines()
                .filter_map(|l| l.trim().strip_prefix("- id: "))
                .filter(|id| id.contains('-'))
                .map(str::to_string),
        );
    }
    assert!(ids.len() > 800, "{} ids", ids.len());
    let key = |t: &str| {
        ["enterprise.", "social_org.", "individual.", "all."]
            .iter()
            .any(|k| t.contains(k))
    };
    let mut pages = 0;
    for (path, bytes) in tree(&o) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let text = visible_text(&String::from_utf8_lossy(&bytes));
        let p = path.display();
        assert!(!text.contains("{{"), "{p}: a shortcode");
        assert!(!text.contains(".yaml"), "{p}: a file name");
        assert!(!key(&text), "{p}: an internal key");
        // Record pages are named after their id: check the text, not links.
        if let Some(id) = ids.iter().find(|id| text.contains(id.as_str())) {
            panic!("{p}: the id {id} in the text");
        }
    }
    assert!(pages > 1_000, "{pages} pages");
    // And the lists an office works from exist, as pages and CSV files.
    let csv = read(&o.join("organizations/no-party-org.csv"));
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
    assert!(read(&o.join("organizations/no-party-org/index.html")).contains("未建党组织"));
    assert!(o.join("organizations/work-covered-only.csv").is_file());
}
