//! Charts drawn with plotters as static SVG: no JavaScript, deterministic
//! bytes, each with a title, a description and the table of the numbers
//! it draws. Bars are plain `Rectangle`s (plotters' `Histogram` buckets
//! through a HashMap and would not give the same bytes twice).

use plotters::coord::ranged1d::{IntoSegmentedCoord, SegmentValue};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::format::Formatter;
use crate::derive::{BreakdownRow, Coverage, Report};
use crate::model::{FigureKey, Kind, Measure, Scope};

/// The chart ids a page may embed with `{{ chart(id="…") }}`.
pub const CHART_IDS: &[&str] = &[
    "coverage-by-kind",
    "coverage-by-township",
    "coverage-by-industry",
];

pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// A standalone SVG document (also inlined in pages).
    pub svg: String,
}

/// Okabe–Ito colours: distinguishable with the common colour-vision
/// deficiencies, and of distinct lightness so that grey prints stay readable.
const PALETTE: [RGBColor; 5] = [
    RGBColor(0, 114, 178),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(230, 159, 0),
    RGBColor(213, 94, 0),
];
const FONT: &str = "sans-serif";

pub fn all(report: &Report, f: &Formatter) -> Vec<Chart> {
    vec![
        coverage_by_kind(report, f),
        stacked_breakdown(
            "coverage-by-township",
            "chart_by_township",
            &report.by_township,
            f,
        ),
        stacked_breakdown(
            "coverage-by-industry",
            "chart_by_industry",
            &report.by_industry,
            f,
        ),
    ]
}

fn coverage_by_kind(report: &Report, f: &Formatter) -> Chart {
    let kinds: Vec<Kind> = Kind::ALL
        .iter()
        .copied()
        .filter(|&k| report.figures[&key(k, Measure::Base)].unwrap_or(0.0) > 0.0)
        .collect();
    let value = |k: Kind, m: Measure| report.figures[&key(k, m)];
    let labels: Vec<String> = kinds
        .iter()
        .map(|k| f.t(&format!("kind_{}", k.as_str())))
        .collect();
    let series = vec![
        (
            f.t("measure_coverage_rate"),
            kinds
                .iter()
                .map(|&k| value(k, Measure::CoverageRate).unwrap_or(0.0) * 100.0)
                .collect(),
        ),
        (
            f.t("measure_work_coverage_rate"),
            kinds
                .iter()
                .map(|&k| value(k, Measure::WorkCoverageRate).unwrap_or(0.0) * 100.0)
                .collect(),
        ),
    ];
    let title = f.t("chart_by_kind");
    let svg = grouped_percent_bars(&title, &labels, &series);
    let columns = [
        "col_kind",
        "measure_base",
        "measure_covered",
        "measure_coverage_rate",
        "measure_work_covered",
        "measure_work_coverage_rate",
    ]
    .iter()
    .map(|c| f.t(c))
    .collect();
    let rows = kinds
        .iter()
        .zip(&labels)
        .map(|(&k, label)| {
            let mut row = vec![label.clone()];
            for m in [
                Measure::Base,
                Measure::Covered,
                Measure::CoverageRate,
                Measure::WorkCovered,
                Measure::WorkCoverageRate,
            ] {
                row.push(f.figure(key(k, m), value(k, m)));
            }
            row
        })
        .collect();
    let description = f.t("chart_by_kind_desc");
    finish("coverage-by-kind", title, description, columns, rows, svg)
}

fn key(kind: Kind, measure: Measure) -> FigureKey {
    let scope = match kind {
        Kind::Enterprise => Scope::Enterprise,
        Kind::SocialOrg => Scope::SocialOrg,
        Kind::Individual => Scope::Individual,
    };
    FigureKey { scope, measure }
}

fn stacked_breakdown(
    id: &'static str,
    title_key: &str,
    rows_in: &[BreakdownRow],
    f: &Formatter,
) -> Chart {
    let labels: Vec<String> = rows_in
        .iter()
        .map(|r| r.name.clone().unwrap_or_else(|| f.t("unspecified")))
        .collect();
    let used: Vec<usize> = (0..Coverage::ALL.len())
        .filter(|&c| rows_in.iter().any(|r| r.by_coverage[c] > 0))
        .collect();
    let series: Vec<(String, RGBColor, Vec<f64>)> = used
        .iter()
        .map(|&c| {
            (
                f.t(&format!("coverage_{}", Coverage::ALL[c].key())),
                PALETTE[c],
                rows_in.iter().map(|r| r.by_coverage[c] as f64).collect(),
            )
        })
        .collect();
    let title = f.t(title_key);
    let svg = stacked_bars(&title, &labels, &series, &f.t("chart_axis_organizations"));
    let mut columns = vec![f.t("col_name"), f.t("measure_base")];
    columns.extend(
        Coverage::ALL
            .iter()
            .map(|c| f.t(&format!("coverage_{}", c.key()))),
    );
    columns.push(f.t("measure_coverage_rate"));
    let rows = rows_in
        .iter()
        .zip(&labels)
        .map(|(r, label)| {
            let mut row = vec![label.clone(), f.count(r.base as f64)];
            row.extend(r.by_coverage.iter().map(|&n| f.count(n as f64)));
            row.push(f.rate(r.rate(r.covered())));
            row
        })
        .collect();
    let description = f.t(&format!("{title_key}_desc"));
    finish(id, title, description, columns, rows, svg)
}

fn finish(
    id: &'static str,
    title: String,
    description: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    svg: String,
) -> Chart {
    let svg = label_svg(&svg, id, &title, &description);
    Chart {
        id,
        title,
        description,
        columns,
        rows,
        svg,
    }
}

/// Adds `<title>` and `<desc>` as the first children of the root element,
/// so that screen readers and file browsers name the chart.
fn label_svg(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let Some(open_end) = svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| s + e))
    else {
        return svg.to_string();
    };
    format!(
        "{} role=\"img\" aria-labelledby=\"chart-{id}-title chart-{id}-desc\"><title id=\"chart-{id}-title\">{}</title><desc id=\"chart-{id}-desc\">{}</desc>{}",
        &svg[..open_end],
        super::escape(title),
        super::escape(desc),
        &svg[open_end + 1..]
    )
}

const SIZE: (u32, u32) = (720, 420);

fn grouped_percent_bars(title: &str, cats: &[String], series: &[(String, Vec<f64>)]) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        let _ = root.fill(&WHITE);
        let n = cats.len().max(1) as f64;
        let mut chart = match ChartBuilder::on(&root)
            .caption(title, (FONT, 22))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..n, 0f64..110f64)
        {
            Ok(c) => c,
            Err(_) => return empty_svg(),
        };
        let _ = chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .label_style((FONT, 15))
            .draw();
        let k = series.len().max(1) as f64;
        for (s, (name, values)) in series.iter().enumerate() {
            let color = PALETTE[s * 2 % PALETTE.len()];
            let bars: Vec<(f64, f64, f64)> = values
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let x0 = i as f64 + 0.15 + 0.7 * s as f64 / k;
                    (x0, x0 + 0.7 / k, v)
                })
                .collect();
            let drawn = chart.draw_series(
                bars.iter()
                    .map(|&(x0, x1, v)| Rectangle::new([(x0, 0.0), (x1, v)], color.filled())),
            );
            if let Ok(a) = drawn {
                a.label(name.as_str()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 12, y + 6)], color.filled())
                });
            }
            let _ = chart.draw_series(bars.iter().map(|&(x0, x1, v)| {
                Text::new(
                    percent_label(v),
                    ((x0 + x1) / 2.0, v + 5.0),
                    (FONT, 13)
                        .into_font()
                        .color(&BLACK)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )
            }));
        }
        // Category names under the groups, placed in pixels: a continuous
        // axis has no ticks at the group centres.
        for (i, c) in cats.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            let style = (FONT, 15)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Top));
            let _ = root.draw(&Text::new(c.clone(), (px, py + 8), style));
        }
        let _ = chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .label_font((FONT, 13))
            .draw();
        let _ = root.present();
    }
    out
}

fn percent_label(v: f64) -> String {
    let s = format!("{v:.1}");
    format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
}

fn empty_svg() -> String {
    String::from("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
}

fn stacked_bars(
    title: &str,
    cats: &[String],
    series: &[(String, RGBColor, Vec<f64>)],
    y_desc: &str,
) -> String {
    let mut out = String::new();
    {
        let height = SIZE.1.max(200 + 28 * cats.len() as u32);
        let root = SVGBackend::with_string(&mut out, (SIZE.0, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let totals: Vec<f64> = (0..cats.len())
            .map(|i| series.iter().map(|s| s.2[i]).sum())
            .collect();
        let max = totals.iter().copied().fold(1.0, f64::max) * 1.15;
        let n = cats.len().max(1) as u32;
        let longest = cats.iter().map(|c| c.chars().count()).max().unwrap_or(4) as u32;
        let mut chart = match ChartBuilder::on(&root)
            .caption(title, (FONT, 22))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size((longest * 15 + 12).min(260))
            .build_cartesian_2d(0f64..max, (0u32..n).into_segmented())
        {
            Ok(c) => c,
            Err(_) => return empty_svg(),
        };
        let _ = chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(y_desc)
            .y_labels(cats.len().max(1))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => cats.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|v| format!("{v:.0}"))
            .label_style((FONT, 14))
            .draw();
        let mut start = vec![0.0; cats.len()];
        for (name, color, values) in series {
            let color = *color;
            let rects: Vec<_> = values
                .iter()
                .enumerate()
                .filter(|(_, &v)| v > 0.0)
                .map(|(i, &v)| {
                    let r = Rectangle::new(
                        [
                            (start[i], SegmentValue::Exact(i as u32)),
                            (start[i] + v, SegmentValue::Exact(i as u32 + 1)),
                        ],
                        color.filled(),
                    );
                    start[i] += v;
                    r
                })
                .collect();
            if let Ok(a) = chart.draw_series(rects) {
                a.label(name.as_str()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 12, y + 6)], color.filled())
                });
            }
        }
        let _ = chart.draw_series(totals.iter().enumerate().map(|(i, &t)| {
            Text::new(
                format!("{t:.0}"),
                (t + max * 0.01, SegmentValue::CenterOf(i as u32)),
                (FONT, 13)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            )
        }));
        let _ = chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .label_font((FONT, 13))
            .draw();
        let _ = root.present();
    }
    out
}
