//! Building fixture sites end to end and checking the pages users see.

mod common;

use common::*;

#[test]
fn builds_a_page_for_every_organization_and_branch() {
    let site = site_copy("minimal");
    let out = build(site.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("pages"), "{stdout}");
    let o = site.path().join("output");
    for page in [
        "index.html",
        "pages/about.html",
        "organizations/index.html",
        "branches/index.html",
        "townships.html",
        "industries.html",
        "data-quality.html",
        "charts/coverage-by-kind.svg",
        "static/style.css",
        "static/print.css",
    ] {
        assert!(o.join(page).is_file(), "missing {page}");
    }
    for id in [
        "ent-0001", "ent-0002", "ent-0003", "ent-0004", "ent-0005", "ent-0006", "soc-001",
    ] {
        assert!(
            o.join(format!("organizations/{id}.html")).is_file(),
            "missing page of {id}"
        );
    }
    for id in ["gw", "park", "gb-elec", "br-0001", "br-joint", "gb-town"] {
        let html = read(&o.join(format!("branches/{id}.html")));
        assert!(html.contains("<h1>"), "{id}");
    }
    let joint = read(&o.join("branches/br-joint.html"));
    assert!(
        joint.contains("示例企业 0002") && joint.contains("示例企业 0003"),
        "a branch page lists what it covers"
    );
}

#[test]
fn pages_print_derived_and_declared_figures() {
    let site = site_copy("minimal");
    build(site.path());
    let about = read(&site.path().join("output/pages/about.html"));
    // base 5 (one shell record excluded), 3 of 5 covered, 3 covered in the park.
    assert!(about.contains(">5</span> 家"), "{about}");
    assert!(about.contains(">60%</span>"), "{about}");
    assert!(
        about.contains(
            "园区内覆盖 <span class=\"figure\" title=\"非公有制企业组织覆盖数\">3</span>"
        ),
        "{about}"
    );
    assert!(about.contains(">9</span>"), "declared figure: {about}");
    assert!(
        about.contains(">4名</span>"),
        "indicator with unit: {about}"
    );
    assert!(about.contains("<table>"), "Markdown tables: {about}");
    assert!(about.contains("footnote"), "footnotes: {about}");
    assert!(about.contains("id=\"概况\""), "Chinese heading id: {about}");
    assert!(
        about.contains("<svg")
            && about.contains("<title id=\"chart-coverage-by-kind-wide-title\">"),
        "inline chart: {about}"
    );
}

#[test]
fn home_page_shows_key_figures_and_a_chart() {
    let site = site_copy("minimal");
    build(site.path());
    let home = read(&site.path().join("output/index.html"));
    assert!(home.contains("非公有制企业"));
    assert!(home.contains("60%"), "coverage rate on the home page");
    assert!(
        home.contains("80%"),
        "work coverage rate (4 of 5) on the home page"
    );
    assert!(home.contains("<svg"), "a chart on the home page");
    assert!(
        home.contains("1 项填报数与登记册推算数不一致"),
        "mismatch flag: {home}"
    );
}

#[test]
fn data_quality_page_shows_declared_beside_derived() {
    let site = site_copy("minimal");
    let out = build(site.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("metrics.yaml:8:12: warning: declared `enterprise.party_orgs` is 9, but the registers give 3"), "{stderr}");
    let dq = read(&site.path().join("output/data-quality.html"));
    // The published page names the figure; its key is for `serve`'s preview.
    assert!(
        !dq.contains("enterprise.party_orgs"),
        "no keys on a published page"
    );
    let row = dq
        .split("非公有制企业党组织数")
        .nth(1)
        .expect("a row for the mismatch");
    let cells: String = row.chars().take(200).collect();
    assert!(
        cells.contains(">9<") && cells.contains(">3<") && cells.contains("不一致"),
        "{cells}"
    );
    assert!(dq.contains("非公有制企业组织覆盖率") && dq.contains("一致"));
}

#[test]
fn private_fields_never_reach_the_output() {
    let site = site_copy("minimal");
    build(site.path());
    for (path, bytes) in tree(&site.path().join("output")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("内部联系人甲"),
            "private field leaked into {}",
            path.display()
        );
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let site = site_copy("minimal");
    build(site.path());
    let first = tree(&site.path().join("output"));
    build(site.path());
    assert_eq!(first, tree(&site.path().join("output")));
}

#[test]
fn every_link_is_relative_and_resolves_inside_the_site() {
    let site = site_copy("minimal");
    build(site.path());
    let root = site.path().join("output");
    let mut checked = 0;
    for (path, bytes) in tree(&root) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for link in links(&html) {
            if link.starts_with('#') {
                continue;
            }
            assert!(
                !link.contains("://") && !link.starts_with('/'),
                "{}: absolute or external link {link}",
                path.display()
            );
            let target = root
                .join(path.parent().unwrap())
                .join(link.split('#').next().unwrap());
            let target = std::fs::canonicalize(&target)
                .unwrap_or_else(|_| panic!("{}: broken link {link}", path.display()));
            assert!(
                target.starts_with(std::fs::canonicalize(&root).unwrap()),
                "{}: {link} leaves the site",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn failed_build_leaves_the_previous_site_untouched() {
    let site = site_copy("minimal");
    build(site.path());
    let before = tree(&site.path().join("output"));
    edit(
        &site.path().join("content/data/2016/organizations.yaml"),
        "branch: br-0001",
        "branch: br-9999",
    );
    let out = nianbao(site.path(), &["build", "-c", "content", "-o", "output"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("branch `br-9999` does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("output left as it was"), "{stderr}");
    assert_eq!(before, tree(&site.path().join("output")));
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary folder left: {leftovers:?}"
    );
}

#[test]
fn check_writes_nothing() {
    let site = site_copy("minimal");
    let out = nianbao(site.path(), &["check", "-c", "content"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.path().join("output").exists());
    assert_eq!(std::fs::read_dir(site.path()).unwrap().count(), 1);
}

#[test]
fn refuses_to_replace_content_or_foreign_folders() {
    let site = site_copy("minimal");
    for target in ["content", ".", "content/data"] {
        let out = nianbao(site.path(), &["build", "-c", "content", "-o", target]);
        assert_eq!(out.status.code(), Some(2), "-o {target}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("refusing"),
            "-o {target}"
        );
    }
    std::fs::create_dir(site.path().join("docs")).unwrap();
    std::fs::write(site.path().join("docs/notes.txt"), "mine").unwrap();
    let out = nianbao(site.path(), &["build", "-c", "content", "-o", "docs"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(&site.path().join("docs/notes.txt")), "mine");
}

#[test]
fn user_text_is_escaped_everywhere() {
    let site = site_copy("minimal");
    let orgs = site.path().join("content/data/2016/organizations.yaml");
    edit(
        &orgs,
        "name: 示例企业 0001",
        "name: \"<script>alert(1)</script>企业\"",
    );
    edit(
        &orgs,
        "township: 甲街道",
        "township: \"<script>alert(2)</script>\"",
    );
    edit(
        &orgs,
        "industry: 电子信息",
        "industry: \"<img src=x onerror=alert(3)>\"",
    );
    edit(
        &site.path().join("content/data/2016/branches.yaml"),
        "name: 电子信息第1联合党支部",
        "name: \"<script>alert(4)</script>\"",
    );
    edit(
        &site.path().join("content/site.yaml"),
        "title: 测试开发区党建工作报告",
        "title: \"</title><script>alert(5)</script>\"",
    );
    build(site.path());
    let mut seen = 0;
    for (path, bytes) in tree(&site.path().join("output")) {
        let text = String::from_utf8_lossy(&bytes).to_string();
        if path
            .extension()
            .is_some_and(|e| e == "csv" || e == "png" || e == "json")
            || path.starts_with("static")
        {
            // CSV is plain text for spreadsheets and summary.json data for
            // programs: names stay as written; the theme's assets hold no
            // user text.
            continue;
        }
        // <title> holds text only (RCDATA): the minifier may leave `<` bare
        // there, which browsers show as text. It must not close the element.
        let head = text.split("<body").next().unwrap_or("");
        assert!(
            head.matches("</title>").count() <= 1,
            "title closed early in {}",
            path.display()
        );
        let text = match (text.find("<title>"), text.find("</title>")) {
            (Some(a), Some(b)) => format!("{}{}", &text[..a], &text[b..]),
            _ => text,
        };
        // The theme's scripts (search, list filter), loaded from the site itself.
        let text = without_theme_script(&text);
        assert!(
            !text.contains("<script"),
            "unescaped <script> in {}",
            path.display()
        );
        assert!(
            !text.contains("<img src=x"),
            "unescaped <img> in {}",
            path.display()
        );
        seen += text.matches("&lt;script>").count() + text.matches("&lt;script&gt;").count();
    }
    assert!(seen > 10, "the names should appear escaped ({seen})");
}

#[test]
fn a_site_theme_overrides_the_built_in_one_file_by_file() {
    let site = site_copy("minimal");
    let theme = site.path().join("themes/plain/templates");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("page.html"), "{% extends \"base.html\" %}{% block content %}<p class=mine>OWN {{ page.title }}</p>{{ page.content | safe }}{% endblock %}").unwrap();
    edit(
        &site.path().join("content/site.yaml"),
        "theme: default",
        "theme: plain",
    );
    build(site.path());
    let about = read(&site.path().join("output/pages/about.html"));
    assert!(about.contains("OWN 关于本报告"), "{about}");
    assert!(
        about.contains("site-header"),
        "base.html still comes from the built-in theme"
    );
}

#[test]
fn english_interface_with_language_en() {
    let site = site_copy("minimal");
    edit(
        &site.path().join("content/site.yaml"),
        "language: zh-CN",
        "language: en",
    );
    build(site.path());
    let home = read(&site.path().join("output/index.html"));
    assert!(home.contains("lang=\"en\""), "{home}");
    assert!(
        home.contains("Key figures of the year") && home.contains("Coverage rate"),
        "{home}"
    );
    assert!(!home.contains("年度主要数据"));
}

#[test]
fn keeps_a_users_gitignore_in_the_output_folder() {
    let site = site_copy("minimal");
    std::fs::create_dir(site.path().join("output")).unwrap();
    std::fs::write(site.path().join("output/.gitignore"), "*\n").unwrap();
    build(site.path());
    build(site.path());
    assert_eq!(read(&site.path().join("output/.gitignore")), "*\n");
    assert!(site.path().join("output/index.html").is_file());
}

#[test]
fn a_missing_content_folder_is_an_environment_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["check", "-c", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("content folder nowhere not found"));
}

/// The page without the theme's own `<script src=…static/search.js>` tags.
fn without_theme_script(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        let end = rest[i..]
            .find("</script>")
            .map(|e| i + e + 9)
            .unwrap_or(rest.len());
        let tag = &rest[i..end];
        out.push_str(&rest[..i]);
        if !((tag.contains("static/search.js") || tag.contains("static/filter.js"))
            && tag.ends_with("></script>")
            && tag.matches('<').count() == 2)
        {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
