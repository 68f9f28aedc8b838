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
    let count = |dir: &str| std::fs::read_dir(o.join(dir)).unwrap().count() - 1;
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
    for (key, declared, derived) in [
        ("enterprise.party_orgs", "209", "157"),
        ("enterprise.joint_branches", "146", "78"),
        ("enterprise.new_party_orgs", "146", "94"),
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
        dq.matches("class=mismatch").count(),
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
