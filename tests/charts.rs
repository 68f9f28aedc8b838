//! Charts in their four forms, the `chart` command, and Chinese text that
//! is really drawn in PNGs.

mod common;

use common::*;

const IDS: &[&str] = &[
    "coverage-by-kind",
    "coverage-by-township",
    "coverage-by-industry",
    "coverage-by-park",
    "party-orgs-by-level",
    "joint-branch-sizes",
    "coverage-build-up",
    "base-funnel",
    "declared-vs-derived",
    "trend-coverage",
    "trend-party-orgs",
];

#[test]
fn every_chart_is_written_as_svg_png_and_csv_and_listed_in_the_gallery() {
    let site = site_copy("minimal");
    build(site.path());
    let o = site.path().join("output");
    let gallery = read(&o.join("charts.html"));
    for id in IDS {
        let svg = read(&o.join(format!("charts/{id}.svg")));
        assert!(
            svg.starts_with("<?xml")
                && svg.contains("viewBox")
                && svg.contains(&format!("<title id=\"chart-{id}-title\">")),
            "{id}.svg"
        );
        assert!(svg.contains("<desc"), "{id}.svg has a description");
        let png = std::fs::read(o.join(format!("charts/{id}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{id}.png");
        let csv = std::fs::read(o.join(format!("charts/{id}.csv"))).unwrap();
        assert!(
            csv.starts_with("\u{feff}".as_bytes()),
            "{id}.csv starts with a byte-order mark for Excel"
        );
        for form in ["svg", "png", "csv"] {
            assert!(
                gallery.contains(&format!("charts/{id}.{form}")),
                "gallery links {id}.{form}"
            );
        }
        assert!(
            gallery.contains(&format!("{{{{ chart(id=\"{id}\") }}}}")),
            "gallery shows the embed snippet of {id}"
        );
    }
}

#[test]
fn csv_holds_the_numbers_drawn() {
    let site = site_copy("minimal");
    build(site.path());
    let csv = read(&site.path().join("output/charts/coverage-by-kind.csv"));
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "类别,纳入基数,组织覆盖数,组织覆盖率,工作覆盖数,工作覆盖率"
    );
    assert_eq!(lines[1], "非公有制企业,5,3,60%,4,80%");
    assert_eq!(lines[2], "社会组织,1,1,100%,1,100%");
}

#[test]
fn chart_command_writes_one_chart_and_lists_ids_when_unknown() {
    let site = site_copy("minimal");
    let out = nianbao(
        site.path(),
        &[
            "chart",
            "coverage-by-kind",
            "--format",
            "csv",
            "-o",
            "k.csv",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let built = {
        build(site.path());
        std::fs::read(site.path().join("output/charts/coverage-by-kind.csv")).unwrap()
    };
    assert_eq!(
        std::fs::read(site.path().join("k.csv")).unwrap(),
        built,
        "the same bytes as the site's"
    );
    let out = nianbao(
        site.path(),
        &["chart", "coverage-by-kin", "--format", "png"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for id in IDS {
        assert!(stderr.contains(id), "lists {id}: {stderr}");
    }
    let out = nianbao(site.path(), &["chart", "base-funnel", "--format", "png"]);
    assert!(out.status.success());
    assert!(site.path().join("base-funnel.png").is_file());
}

/// Dark pixels in the top band of a PNG, where the title is drawn.
fn ink_in_title_band(png: &[u8]) -> usize {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.line_size / info.width as usize;
    let band = 80 * info.line_size;
    buf[..band]
        .chunks(channels)
        .filter(|p| p[0] < 128 && p[1] < 128 && p[2] < 128)
        .count()
}

#[test]
fn chinese_titles_are_drawn_in_png() {
    let titled = site_copy("minimal");
    build(titled.path());
    let untitled = site_copy("minimal");
    std::fs::write(
        untitled.path().join("content/site.yaml"),
        read(&untitled.path().join("content/site.yaml"))
            + "labels:\n  chart_coverage_by_kind: \" \"\n",
    )
    .unwrap();
    build(untitled.path());
    let with = ink_in_title_band(
        &std::fs::read(titled.path().join("output/charts/coverage-by-kind.png")).unwrap(),
    );
    let without = ink_in_title_band(
        &std::fs::read(untitled.path().join("output/charts/coverage-by-kind.png")).unwrap(),
    );
    assert_eq!(without, 0, "no title, no ink");
    assert!(
        with > 500,
        "the Chinese title 各类组织覆盖率 leaves ink ({with} dark pixels)"
    );
}

#[test]
fn text_no_font_can_draw_stops_the_build() {
    let site = site_copy("minimal");
    std::fs::write(
        site.path().join("content/site.yaml"),
        read(&site.path().join("content/site.yaml"))
            + "labels:\n  chart_base_funnel: \"基数\u{10FFFD}\"\n",
    )
    .unwrap();
    let out = nianbao(site.path(), &["build", "-c", "content", "-o", "output"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/site.yaml:")
            && stderr.contains(": error: no font can draw")
            && stderr.contains("U+10FFFD")
            && stderr.contains("in the PNG of chart `base-funnel`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("themes/<theme>/fonts/"),
        "names the fix: {stderr}"
    );
    assert!(!site.path().join("output").exists());
}

/// `chart` draws its chart alone: a theme whose templates do not parse
/// stops `build`, but not `chart`, which renders no page.
#[test]
fn chart_draws_its_chart_without_rendering_the_site() {
    let site = site_copy("minimal");
    let templates = site.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("base.html"), "{% if %}").unwrap();
    let out = nianbao(site.path(), &["build", "-c", "content", "-o", "output"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the broken template stops build"
    );
    let out = nianbao(
        site.path(),
        &["chart", "base-funnel", "--format", "csv", "-c", "content"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.path().join("base-funnel.csv").exists());
}

/// What `chart` writes is scanned for personal numbers as the site is.
#[test]
fn chart_refuses_a_personal_number_that_it_would_draw() {
    let site = site_copy("minimal");
    edit(
        &site.path().join("content/data/2016/organizations.yaml"),
        "township: 甲街道",
        "township: 甲街道13812345678",
    );
    for format in ["svg", "png", "csv"] {
        let out = nianbao(
            site.path(),
            &[
                "chart",
                "coverage-by-township",
                "--format",
                format,
                "-c",
                "content",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{format}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("138****5678"), "{format}: {err}");
        let written = site.path().join(format!("coverage-by-township.{format}"));
        assert!(!written.exists(), "{format}");
    }
}
