//! Drawing primitives on plotters' SVG backend. Bars are `Rectangle`s
//! (plotters' `Histogram` buckets through a HashMap and would not give the
//! same bytes twice). Category labels and legends are placed in pixels, so
//! labels sit under their bars and a legend never covers the data.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The family named in every SVG `<text>`; PNG rendering maps it to the
/// pinned fonts, browsers to their own sans-serif.
pub const FONT: &str = "sans-serif";
pub const WIDTH: u32 = 760;
const LEGEND_HEIGHT: u32 = 36;

/// The largest magnitude an axis spans or a bar reaches. plotters looks for
/// tick marks by stepping through the range: an infinite or NaN bound
/// (a declared `1.7976931348623157e308` times the headroom) never ends
/// that search, and above 2^53 whole numbers stop being exact anyway.
/// Labels still print the value as declared; only the geometry is bounded.
pub const AXIS_LIMIT: f64 = 1e15;

/// `v` as the chart's geometry may use it: finite and within `AXIS_LIMIT`.
pub fn on_axis(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(-AXIS_LIMIT, AXIS_LIMIT)
    }
}

/// The top of an axis whose largest value is `max`, with `headroom` above
/// it for the labels: always finite, positive and within the bound.
fn axis_top(max: f64, headroom: f64) -> f64 {
    let max = on_axis(max);
    if max > 0.0 {
        max * headroom
    } else {
        1.0
    }
}

/// Okabe–Ito and ColorBrewer colours: safe for colour-blind readers, and of
/// distinct lightness so that a grey print keeps them apart.
pub mod colors {
    use plotters::style::RGBColor;
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const GREY: RGBColor = RGBColor(150, 150, 150);
    /// Coverage classes, dark to light, with uncovered in orange.
    pub const COVERAGE: [RGBColor; 5] = [
        RGBColor(8, 48, 107),
        RGBColor(33, 113, 181),
        RGBColor(107, 174, 214),
        RGBColor(198, 219, 239),
        RGBColor(230, 85, 13),
    ];
}

pub struct Series {
    pub name: String,
    pub color: RGBColor,
    pub values: Vec<f64>,
}

/// How values print on the axis and on the bars.
pub type Fmt<'a> = &'a dyn Fn(f64) -> String;

/// One category singled out, e.g. joint branches of five ("一管五").
pub struct Highlight {
    pub index: usize,
    pub label: String,
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn text_style(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    (FONT, size).into_font().color(&BLACK).pos(Pos::new(h, v))
}

fn empty_svg() -> String {
    String::from("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
}

/// Draws `draw` on a white canvas with a legend row under it when there is
/// more than one series, and returns the SVG text.
fn canvas(height: u32, series: &[Series], draw: impl FnOnce(&Area) -> Option<()>) -> String {
    let mut out = String::new();
    {
        let legend = series.len() > 1;
        let total = height + if legend { LEGEND_HEIGHT } else { 0 };
        let root = SVGBackend::with_string(&mut out, (WIDTH, total)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let (plot, below) = root.split_vertically(height);
        if draw(&plot).is_none() {
            return empty_svg();
        }
        if legend {
            draw_legend(&below, series);
        }
        let _ = root.present();
    }
    out
}

fn draw_legend(area: &Area, series: &[Series]) {
    let mut x = 24i32;
    for s in series {
        let _ = area.draw(&Rectangle::new([(x, 8), (x + 14, 22)], s.color.filled()));
        let _ = area.draw(&Text::new(
            s.name.clone(),
            (x + 20, 15),
            text_style(13, HPos::Left, VPos::Center),
        ));
        x += 20 + text_width(&s.name, 13) as i32 + 28;
    }
}

/// Vertical bars, one group per category, one bar per series.
pub fn grouped_bars(
    title: &str,
    cats: &[String],
    series: &[Series],
    max: f64,
    fmt: Fmt,
    highlight: Option<&Highlight>,
) -> String {
    canvas(440, series, |area| {
        let n = cats.len().max(1) as f64;
        let top = axis_top(max, 1.2);
        let mut chart = ChartBuilder::on(area)
            .caption(title, (FONT, 22))
            .margin(18)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..n, 0f64..top)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(BLACK.mix(0.12))
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&|v| fmt(*v))
            .label_style((FONT, 14))
            .draw()
            .ok()?;
        let k = series.len().max(1) as f64;
        for (s, ser) in series.iter().enumerate() {
            let bars: Vec<(usize, f64, f64, f64)> = ser
                .values
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let x0 = i as f64 + 0.12 + 0.76 * s as f64 / k;
                    (i, x0, x0 + 0.76 / k, v)
                })
                .collect();
            let color = |i: usize| match highlight {
                Some(h) if h.index == i => colors::ORANGE,
                _ => ser.color,
            };
            chart
                .draw_series(bars.iter().map(|&(i, x0, x1, v)| {
                    Rectangle::new([(x0, 0.0), (x1, on_axis(v))], color(i).filled())
                }))
                .ok()?;
            let labels = bars.iter().map(|&(_, x0, x1, v)| {
                Text::new(
                    fmt(v),
                    ((x0 + x1) / 2.0, on_axis(v) + top * 0.01),
                    text_style(13, HPos::Center, VPos::Bottom),
                )
            });
            chart.draw_series(labels).ok()?;
        }
        if let Some(h) = highlight {
            let v = series
                .iter()
                .filter_map(|s| s.values.get(h.index))
                .copied()
                .fold(0.0, f64::max);
            let v = on_axis(v);
            let label = Text::new(
                h.label.clone(),
                (h.index as f64 + 0.5, v + top * 0.07),
                text_style(14, HPos::Center, VPos::Bottom),
            );
            chart.draw_series(std::iter::once(label)).ok()?;
        }
        for (i, c) in cats.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            area.draw(&Text::new(
                c.clone(),
                (px, py + 8),
                text_style(14, HPos::Center, VPos::Top),
            ))
            .ok()?;
        }
        Some(())
    })
}

/// Horizontal bars, one row per category: stacked by series with the total
/// at the end, or (`stacked: false`) one thin bar per series side by side.
pub fn rows(
    title: &str,
    cats: &[String],
    series: &[Series],
    axis: &str,
    fmt: Fmt,
    stacked: bool,
) -> String {
    let per_row = if stacked {
        30
    } else {
        16 + 14 * series.len() as u32
    };
    let height = 140 + per_row * cats.len().max(3) as u32;
    canvas(height, series, |area| {
        let totals: Vec<f64> = (0..cats.len())
            .map(|i| {
                let values = series.iter().map(|s| on_axis(s.values[i]));
                if stacked {
                    values.sum()
                } else {
                    values.fold(0.0, f64::max)
                }
            })
            .collect();
        let max = axis_top(totals.iter().copied().fold(1.0, f64::max), 1.15);
        let n = cats.len().max(1) as f64;
        let label_width = cats.iter().map(|c| text_width(c, 14)).max().unwrap_or(40) + 16;
        let mut chart = ChartBuilder::on(area)
            .caption(title, (FONT, 22))
            .margin(18)
            .x_label_area_size(40)
            .y_label_area_size(label_width.min(300))
            .build_cartesian_2d(0f64..max, 0f64..n)
            .ok()?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(BLACK.mix(0.12))
            .y_labels(0)
            .x_desc(axis)
            .x_label_formatter(&|v| fmt(*v))
            .label_style((FONT, 14))
            .draw()
            .ok()?;
        // Rows run top to bottom in category order; the first series on top.
        let row = |i: usize| n - i as f64 - 1.0;
        let k = series.len().max(1) as f64;
        let mut start = vec![0.0; cats.len()];
        for (s, ser) in series.iter().enumerate() {
            let mut rects = Vec::new();
            let mut labels = Vec::new();
            for (i, &declared) in ser.values.iter().enumerate() {
                let v = on_axis(declared);
                if stacked {
                    if v > 0.0 {
                        rects.push(Rectangle::new(
                            [(start[i], row(i) + 0.18), (start[i] + v, row(i) + 0.82)],
                            ser.color.filled(),
                        ));
                    }
                    start[i] += v;
                } else {
                    let y1 = row(i) + 0.9 - 0.8 * s as f64 / k;
                    rects.push(Rectangle::new(
                        [(0.0, y1 - 0.8 / k), (v, y1)],
                        ser.color.filled(),
                    ));
                    labels.push(Text::new(
                        fmt(declared),
                        (v + max * 0.01, y1 - 0.4 / k),
                        text_style(12, HPos::Left, VPos::Center),
                    ));
                }
            }
            chart.draw_series(rects).ok()?;
            chart.draw_series(labels).ok()?;
        }
        if stacked {
            let labels = totals.iter().enumerate().map(|(i, &t)| {
                Text::new(
                    fmt(t),
                    (t + max * 0.01, row(i) + 0.5),
                    text_style(13, HPos::Left, VPos::Center),
                )
            });
            chart.draw_series(labels).ok()?;
        }
        for (i, c) in cats.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(0.0, row(i) + 0.5));
            area.draw(&Text::new(
                c.clone(),
                (px - 8, py),
                text_style(14, HPos::Right, VPos::Center),
            ))
            .ok()?;
        }
        Some(())
    })
}

/// A line through the points of each series, with the values marked.
pub fn lines(title: &str, xs: &[String], series: &[Series], axis: &str, fmt: Fmt) -> String {
    canvas(440, series, |area| {
        let n = xs.len().max(1) as f64;
        let max = axis_top(
            series
                .iter()
                .flat_map(|s| s.values.iter().copied())
                .fold(1.0, f64::max),
            1.18,
        );
        let mut chart = ChartBuilder::on(area)
            .caption(title, (FONT, 22))
            .margin(18)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..n, 0f64..max)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(BLACK.mix(0.12))
            .x_labels(0)
            .y_desc(axis)
            .y_label_formatter(&|v| fmt(*v))
            .label_style((FONT, 14))
            .draw()
            .ok()?;
        for ser in series {
            let points: Vec<(f64, f64)> = ser
                .values
                .iter()
                .enumerate()
                .map(|(i, &v)| (i as f64 + 0.5, on_axis(v)))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), ser.color.stroke_width(3)))
                .ok()?;
            chart
                .draw_series(
                    points
                        .iter()
                        .map(|&p| Circle::new(p, 4, ser.color.filled())),
                )
                .ok()?;
            let labels = points.iter().zip(&ser.values).map(|(&(x, v), &declared)| {
                Text::new(
                    fmt(declared),
                    (x, v + max * 0.03),
                    text_style(12, HPos::Center, VPos::Bottom),
                )
            });
            chart.draw_series(labels).ok()?;
        }
        for (i, c) in xs.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            area.draw(&Text::new(
                c.clone(),
                (px, py + 8),
                text_style(13, HPos::Center, VPos::Top),
            ))
            .ok()?;
        }
        Some(())
    })
}

/// Approximate pixel width of a label: CJK characters are square, Latin
/// ones about half as wide.
pub fn text_width(s: &str, size: u32) -> u32 {
    s.chars()
        .map(|c| {
            if unicode_width::UnicodeWidthChar::width(c).unwrap_or(1) >= 2 {
                size
            } else {
                size * 6 / 10
            }
        })
        .sum()
}
