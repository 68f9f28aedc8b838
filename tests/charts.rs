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
                && svg.contains(&format!("<title id=\"chart-{id}-wide-title\">")),
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
        // The snippet is for the author (`serve`), not the published site.
        assert!(
            !gallery.contains(&format!("{{{{ chart(id=\"{id}\") }}}}")),
            "published gallery shows the embed snippet of {id}"
        );
        assert!(
            gallery.contains(&format!("chart-{id}-narrow-title")),
            "the gallery holds the narrow chart of {id}"
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
    // Kinds are categories: the highest coverage rate first.
    assert_eq!(lines[1], "社会组织,1,1,100%,1,100%");
    assert_eq!(lines[2], "非公有制企业,5,3,60%,4,80%");
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
    // The title's lines (the legend is under them).
    let band = 56 * info.line_size;
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

/// A `<text>` of a chart: its attributes and its content.
struct Label {
    text: String,
    size: f64,
    x: f64,
    y: f64,
    dy: f64,
    anchor: String,
}

/// The `<text>` elements of an SVG, as written by nianbao or after the HTML
/// minifier (which drops quotes around attribute values).
fn labels(svg: &str) -> Vec<Label> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let rest = &tag[at..];
        let value = match rest.strip_prefix('"') {
            Some(q) => q.split('"').next()?,
            None => rest.split([' ', '>']).next()?,
        };
        Some(value.to_string())
    };
    let mut out = Vec::new();
    for part in svg.split("<text").skip(1) {
        let (tag, rest) = part.split_once('>').unwrap();
        let text = rest.split("</text>").next().unwrap().trim().to_string();
        let size: f64 = attr(tag, "font-size").unwrap().parse().unwrap();
        let num = |n: &str| attr(tag, n).map_or(0.0, |v| v.parse::<f64>().unwrap());
        let dy = match attr(tag, "dy").as_deref() {
            Some("0.76em") => 0.76 * size,
            Some("0.5ex") => 0.25 * size,
            Some("-0.5ex") => -0.25 * size,
            other => panic!("unexpected dy {other:?}"),
        };
        out.push(Label {
            text,
            size,
            x: num("x"),
            y: num("y"),
            dy,
            anchor: attr(tag, "text-anchor").unwrap_or_else(|| "start".into()),
        });
    }
    out
}

/// A label's box from its font size and characters: CJK a full em, `%`
/// nearly so, digits and Latin letters 0.55 em, narrow punctuation 0.3; from
/// ascent (0.85 em above the baseline) to descent (0.2 em below).
fn text_box(l: &Label) -> [f64; 4] {
    let w: f64 = l
        .text
        .chars()
        .map(|c| {
            let em = if c as u32 >= 0x2E80 {
                1.0
            } else if c == '%' {
                0.9
            } else if ",. :;'il|".contains(c) {
                0.3
            } else {
                0.55
            };
            em * l.size
        })
        .sum();
    let left = match l.anchor.as_str() {
        "middle" => l.x - w / 2.0,
        "end" => l.x - w,
        _ => l.x,
    };
    let base = l.y + l.dy;
    [left, base - 0.85 * l.size, left + w, base + 0.2 * l.size]
}

fn overlapping(svg: &str) -> Vec<(String, String)> {
    let ls = labels(svg);
    let boxes: Vec<[f64; 4]> = ls.iter().map(text_box).collect();
    let mut out = Vec::new();
    for i in 0..ls.len() {
        for j in i + 1..ls.len() {
            let (a, b) = (boxes[i], boxes[j]);
            if a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3] {
                out.push((ls[i].text.clone(), ls[j].text.clone()));
            }
        }
    }
    out
}

#[test]
fn chart_labels_do_not_overlap_and_are_drawn_readable_at_both_sizes() {
    let site = build_example();
    let o = site.path().join("output");
    // The wide charts as files, the narrow ones inline in the gallery.
    let mut charts: Vec<(String, String)> = std::fs::read_dir(o.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .map(|p| (p.display().to_string(), read(&p)))
        .collect();
    let gallery = read(&o.join("charts.html"));
    for part in gallery.split("<svg").skip(1) {
        let svg = part.split("</svg>").next().unwrap();
        if svg.contains("chart-narrow") {
            charts.push((format!("narrow {}", &svg[..80]), svg.to_string()));
        }
    }
    assert_eq!(charts.len(), 22, "11 charts, wide and narrow");
    for (name, svg) in &charts {
        let ls = labels(svg);
        assert!(ls.len() > 3, "{name}: {} labels", ls.len());
        // Drawn at the size shown: 12 px and more (the page shows the wide
        // chart at up to its width, the narrow one at 330-360 px of 360).
        let small: Vec<_> = ls
            .iter()
            .filter(|l| l.size < 11.99)
            .map(|l| (&l.text, l.size))
            .collect();
        assert!(small.is_empty(), "{name}: text under 12 px {small:?}");
        let over = overlapping(svg);
        assert!(over.is_empty(), "{name}: overlapping labels {over:?}");
    }
}

#[test]
fn the_overlap_check_sees_two_labels_at_one_place() {
    let svg = r#"<svg><text x="10" y="10" dy="0.76em" text-anchor="middle" font-size="12">100%</text><text x="14" y="12" dy="0.76em" text-anchor="middle" font-size="12">100%</text><text x="200" y="12" dy="0.76em" text-anchor="middle" font-size="12">50%</text></svg>"#;
    assert_eq!(overlapping(svg), vec![("100%".into(), "100%".into())]);
}

#[test]
fn categorical_bars_run_largest_first() {
    let site = build_example();
    let svg = read(&site.path().join("output/charts/coverage-by-township.svg"));
    let csv = read(&site.path().join("output/charts/coverage-by-township.csv"));
    // name, base, … per township in the table; the chart's rows by base.
    let mut rows: Vec<(String, u64)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (
                cells[0].trim_start_matches('\u{feff}').to_string(),
                cells[1].parse().unwrap(),
            )
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    let drawn = labels(&svg);
    // Rows run down the chart: a larger y is further down.
    let at = |name: &str| {
        drawn
            .iter()
            .find(|l| l.text == name)
            .map(|l| l.y)
            .unwrap_or_else(|| panic!("{name} not drawn"))
    };
    // Equal bases may come in either order; different ones never.
    for w in rows.windows(2) {
        if w[0].1 > w[1].1 {
            assert!(
                at(&w[0].0) < at(&w[1].0),
                "{} ({}) drawn after {} ({})",
                w[0].0,
                w[0].1,
                w[1].0,
                w[1].1
            );
        }
    }
}
