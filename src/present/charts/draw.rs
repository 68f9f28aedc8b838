//! Drawing primitives on plotters' SVG backend. Bars are `Rectangle`s
//! (plotters' `Histogram` buckets through a HashMap and would not give the
//! same bytes twice). Titles, legends, category and value labels are placed
//! in pixels by nianbao: the legend sits between the title and the plot,
//! and a value label that would touch another is moved or left out (the
//! chart's data table holds every number).
//!
//! Every chart is drawn at two sizes (`WIDE`, `NARROW`): a page shows each
//! at about its own width, so its text keeps the size it was drawn at.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The family named in every SVG `<text>`; PNG rendering maps it to the
/// pinned fonts, browsers to their own sans-serif.
pub const FONT: &str = "sans-serif";

/// plotters' SVG backend writes `font-size` as the style's size ÷ 1.24;
/// sizes here are the pixels written.
const PLOTTERS_SCALE: f64 = 1.24;

/// The size a chart is drawn at: its width and its text sizes, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub width: u32,
    /// Category labels, ticks and the legend.
    pub text: f64,
    /// Value labels on bars and points.
    pub small: f64,
    pub title: f64,
    margin: i32,
    /// Height of the plot of a column or line chart.
    plot: u32,
}

/// For a page's main column (up to 760 px): text of 13 px and more stays
/// at 12 px or more down to a 700 px wide column.
pub const WIDE: Size = Size {
    width: 760,
    text: 14.0,
    small: 13.0,
    title: 19.0,
    margin: 16,
    plot: 370,
};

/// For phones: drawn 360 px wide, shown 330–360 px wide, so its 12 px text
/// stays above 10 px on a 360 px screen.
pub const NARROW: Size = Size {
    width: 360,
    text: 13.0,
    small: 12.0,
    title: 16.0,
    margin: 8,
    plot: 300,
};

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

/// For Word documents, placed over the 156 mm type area (442 pt): a pixel
/// becomes 0.85 pt, so 13 px value labels print at 11 pt, above 五号
/// (10.5 pt). No title: the caption under the picture holds it.
pub const PRINT: Size = Size {
    width: 520,
    text: 14.0,
    small: 13.0,
    title: 0.0,
    margin: 10,
    plot: 180,
};

/// For 16:9 slides, placed at least 1.16 pt to a pixel (see
/// `crate::brief::deck`), so 15 px text shows at 17 pt or more, above the 14 pt
/// read from the back of a room. No title: the slide's title holds it.
pub const SLIDE: Size = Size {
    width: 600,
    text: 16.0,
    small: 15.0,
    title: 0.0,
    margin: 12,
    plot: 300,
};

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

fn text_style(px: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    (FONT, px * PLOTTERS_SCALE)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(h, v))
}

fn font(px: f64) -> (&'static str, f64) {
    (FONT, px * PLOTTERS_SCALE)
}

fn empty_svg() -> String {
    String::from("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
}

/// The box a label takes, `[left, top, right, bottom]` in pixels, estimated
/// from its characters the way the SVG backend anchors it (`dy` of 0.76em
/// for top, 0.5ex for centre, -0.5ex for bottom). Generous: a CJK glyph is
/// a full em, digits and Latin letters 0.62 em, `%` and wide letters 0.95.
pub fn text_box(text: &str, px: f64, x: f64, y: f64, h: HPos, v: VPos) -> [f64; 4] {
    let w = text_width(text, px);
    let left = match h {
        HPos::Left => x,
        HPos::Center => x - w / 2.0,
        HPos::Right => x - w,
    };
    let baseline = y + px
        * match v {
            VPos::Top => 0.76,
            VPos::Center => 0.25,
            VPos::Bottom => -0.25,
        };
    [left, baseline - 0.88 * px, left + w, baseline + 0.22 * px]
}

/// Whether two boxes share more than a touching edge.
pub fn overlap(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5
}

/// Labels drawn so far on one chart, so that the next one goes where no
/// other is.
#[derive(Default)]
struct Labels {
    boxes: Vec<[f64; 4]>,
}

impl Labels {
    /// Draws `text` at the first of `spots` (pixel position and anchor)
    /// where it touches no label drawn before; none free: left out.
    fn put(
        &mut self,
        root: &Area,
        text: &str,
        px: f64,
        spots: &[(i32, i32, HPos, VPos)],
        bounds: [f64; 4],
    ) -> bool {
        for &(x, y, h, v) in spots {
            let b = text_box(text, px, x as f64, y as f64, h, v);
            let inside =
                b[0] >= bounds[0] && b[1] >= bounds[1] && b[2] <= bounds[2] && b[3] <= bounds[3];
            if inside && !self.boxes.iter().any(|o| overlap(o, &b)) {
                self.boxes.push(b);
                let _ = root.draw(&Text::new(text.to_string(), (x, y), text_style(px, h, v)));
                return true;
            }
        }
        false
    }
}

/// The title in lines that fit the width, and the legend in rows.
struct Header {
    title: Vec<String>,
    legend: Vec<Vec<usize>>,
    height: u32,
}

fn header(title: &str, series: &[Series], size: Size) -> Header {
    let room = (size.width as i32 - 2 * size.margin) as f64;
    // Sizes without a title size leave the title to the document.
    let title = if size.title > 0.0 {
        wrap(title, size.title, room)
    } else {
        Vec::new()
    };
    let mut legend: Vec<Vec<usize>> = Vec::new();
    if series.len() > 1 {
        let mut used = room;
        for (i, s) in series.iter().enumerate() {
            let w = legend_item_width(&s.name, size);
            if used + w > room {
                legend.push(Vec::new());
                used = 0.0;
            }
            used += w;
            legend.last_mut().expect("a row").push(i);
        }
    }
    let height =
        10.0 + title.len() as f64 * size.title * 1.35 + legend.len() as f64 * size.text * 1.7 + 4.0;
    Header {
        title,
        legend,
        height: height.ceil() as u32,
    }
}

fn legend_item_width(name: &str, size: Size) -> f64 {
    size.text + 6.0 + text_width(name, size.text) + 18.0
}

/// Breaks `text` into lines no wider than `room`, between any two
/// characters (Chinese has no spaces to break at).
fn wrap(text: &str, px: f64, room: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for c in text.chars() {
        let line = lines.last_mut().expect("a line");
        if !line.is_empty() && text_width(&format!("{line}{c}"), px) > room {
            lines.push(String::new());
        }
        lines.last_mut().expect("a line").push(c);
    }
    lines
}

/// Draws the title and legend, then `draw` on the plot area below them,
/// and returns the SVG text.
/// The plot of a column or line chart over `n` categories: values from 0
/// to `top` up the left, five labelled ticks with faint lines across, no
/// category labels (the caller places them where they fit).
fn value_plot<'a, 'b>(
    area: &'a Area<'b>,
    size: Size,
    n: f64,
    top: f64,
    fmt: Fmt,
) -> Option<ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
    let mut chart = ChartBuilder::on(area)
        .margin(size.margin)
        .x_label_area_size(size.text as u32 * 2 + 8)
        .y_label_area_size(text_width(&fmt(top), size.text) as u32 + 16)
        .build_cartesian_2d(0f64..n, 0f64..top)
        .ok()?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .x_labels(0)
        .y_labels(5)
        .y_label_formatter(&|v| fmt(*v))
        .label_style(font(size.text))
        .draw()
        .ok()?;
    Some(chart)
}

fn canvas(
    size: Size,
    plot_height: u32,
    title: &str,
    series: &[Series],
    draw: impl FnOnce(&Area, &Area, &mut Labels) -> Option<()>,
) -> String {
    let head = header(title, series, size);
    let mut out = String::new();
    {
        let total = head.height + plot_height;
        let root = SVGBackend::with_string(&mut out, (size.width, total)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let mut labels = Labels::default();
        let mut y = 8.0;
        for line in &head.title {
            let at = (size.width as i32 / 2, y as i32);
            let style = text_style(size.title, HPos::Center, VPos::Top);
            let _ = root.draw(&Text::new(line.clone(), at, style));
            labels.boxes.push(text_box(
                line,
                size.title,
                at.0 as f64,
                at.1 as f64,
                HPos::Center,
                VPos::Top,
            ));
            y += size.title * 1.35;
        }
        for row in &head.legend {
            let mut x = size.margin as f64;
            let mid = y + size.text * 0.8;
            for &i in row {
                let s = &series[i];
                let sw = size.text;
                let top = (mid - sw / 2.0) as i32;
                let _ = root.draw(&Rectangle::new(
                    [(x as i32, top), ((x + sw) as i32, top + sw as i32)],
                    s.color.filled(),
                ));
                let at = ((x + sw + 6.0) as i32, mid as i32);
                let _ = root.draw(&Text::new(
                    s.name.clone(),
                    at,
                    text_style(size.text, HPos::Left, VPos::Center),
                ));
                labels.boxes.push(text_box(
                    &s.name,
                    size.text,
                    at.0 as f64,
                    at.1 as f64,
                    HPos::Left,
                    VPos::Center,
                ));
                x += legend_item_width(&s.name, size);
            }
            y += size.text * 1.7;
        }
        let (_, plot) = root.split_vertically(head.height);
        if draw(&root, &plot, &mut labels).is_none() {
            return empty_svg();
        }
        let _ = root.present();
    }
    out
}

/// The bounds labels must stay in: the whole canvas.
fn bounds(root: &Area) -> [f64; 4] {
    let (w, h) = root.dim_in_pixel();
    [0.0, 0.0, w as f64, h as f64]
}

/// Every how many categories a label fits under its slot.
fn label_step(cats: &[String], px: f64, slot: f64) -> usize {
    let widest = cats.iter().map(|c| text_width(c, px)).fold(0.0, f64::max) + 6.0;
    ((widest / slot.max(1.0)).ceil() as usize).max(1)
}

/// Vertical bars, one group per category, one bar per series.
pub fn grouped_bars(
    size: Size,
    title: &str,
    cats: &[String],
    series: &[Series],
    max: f64,
    fmt: Fmt,
    highlight: Option<&Highlight>,
) -> String {
    canvas(size, size.plot, title, series, |root, area, labels| {
        let n = cats.len().max(1) as f64;
        let top = axis_top(max, 1.25);
        let mut chart = value_plot(area, size, n, top, fmt)?;
        let k = series.len().max(1) as f64;
        let within = bounds(root);
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
            for &(_, x0, x1, v) in &bars {
                let (px, py) = chart.backend_coord(&((x0 + x1) / 2.0, on_axis(v)));
                let line = size.small as i32 + 2;
                let spots: Vec<_> = (0..3)
                    .map(|j| (px, py - 2 - j * line, HPos::Center, VPos::Bottom))
                    .collect();
                labels.put(root, &fmt(v), size.small, &spots, within);
            }
        }
        if let Some(h) = highlight {
            let v = series
                .iter()
                .filter_map(|s| s.values.get(h.index))
                .copied()
                .fold(0.0, f64::max);
            let (px, py) = chart.backend_coord(&(h.index as f64 + 0.5, on_axis(v)));
            let line = size.text as i32 + 2;
            let spots: Vec<_> = (1..5)
                .map(|j| (px, py - 2 - j * line, HPos::Center, VPos::Bottom))
                .collect();
            labels.put(root, &h.label, size.text, &spots, within);
        }
        let (x0, _) = chart.backend_coord(&(0.0, 0.0));
        let (x1, _) = chart.backend_coord(&(1.0, 0.0));
        let step = label_step(cats, size.text, (x1 - x0) as f64);
        for (i, c) in cats.iter().enumerate().step_by(step) {
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            let spot = [(px, py + 6, HPos::Center, VPos::Top)];
            labels.put(root, c, size.text, &spot, within);
        }
        Some(())
    })
}

/// Horizontal bars, one row per category: stacked by series with the total
/// at the end, or (`stacked: false`) one thin bar per series side by side.
pub fn rows(
    size: Size,
    title: &str,
    cats: &[String],
    series: &[Series],
    axis: &str,
    fmt: Fmt,
    stacked: bool,
) -> String {
    // Names too long for the side of a narrow chart go above their bars,
    // whole, rather than cut short.
    let cap = size.width as f64 * 0.4;
    let above = size.width < 500 && cats.iter().any(|c| text_width(c, size.text) > cap);
    let line = if above { (size.text * 1.4) as u32 } else { 0 };
    let per_row = line
        + if stacked {
            size.text as u32 * 2 + 2
        } else {
            8 + (size.small as u32 + 3) * series.len() as u32
        };
    // The part of a row its bars take, from the bottom; the rest holds the
    // name when it goes above.
    let band = match (above, stacked) {
        (false, true) => (0.18, 0.82),
        (false, false) => (0.1, 0.9),
        (true, _) => {
            let top = 1.0 - line as f64 / per_row as f64;
            (0.08, top - 0.04)
        }
    };
    let height = 70 + per_row * cats.len().max(3) as u32;
    canvas(size, height, title, series, |root, area, labels| {
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
        let most = totals.iter().copied().fold(1.0, f64::max);
        // Long names are cut (the data table has them whole), so that the
        // bars keep most of a wide chart; above the bars they have the width.
        let full = size.width as f64 - 2.0 * size.margin as f64 - 16.0;
        let names: Vec<String> = cats
            .iter()
            .map(|c| cut(c, size.text, if above { full } else { cap }))
            .collect();
        let label_width = if above {
            8.0
        } else {
            names
                .iter()
                .map(|c| text_width(c, size.text))
                .fold(40.0, f64::max)
                + 14.0
        };
        // Room at the right of the longest bar for its label.
        let plot = size.width as f64 - 2.0 * size.margin as f64 - label_width;
        let room = text_width(&fmt(most), size.small) + 10.0;
        let max = most * plot / (plot - room).max(plot / 2.0);
        let ticks = if size.width < 500 { 4 } else { 7 };
        let mut chart = ChartBuilder::on(area)
            .margin(size.margin)
            .x_label_area_size(size.text as u32 * 3 + 10)
            .y_label_area_size(label_width as u32)
            .build_cartesian_2d(0f64..max, 0f64..cats.len().max(1) as f64)
            .ok()?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(BLACK.mix(0.12))
            .y_labels(0)
            .x_labels(ticks)
            .x_desc(axis)
            .x_label_formatter(&|v| fmt(*v))
            .label_style(font(size.text))
            .axis_desc_style(font(size.text))
            .draw()
            .ok()?;
        // Rows run top to bottom in category order; the first series on top.
        let n = cats.len().max(1) as f64;
        let row = |i: usize| n - i as f64 - 1.0;
        let k = series.len().max(1) as f64;
        let within = bounds(root);
        let mut start = vec![0.0; cats.len()];
        for (s, ser) in series.iter().enumerate() {
            let mut rects = Vec::new();
            let mut ends = Vec::new();
            for (i, &declared) in ser.values.iter().enumerate() {
                let v = on_axis(declared);
                if stacked {
                    if v > 0.0 {
                        rects.push(Rectangle::new(
                            [(start[i], row(i) + band.0), (start[i] + v, row(i) + band.1)],
                            ser.color.filled(),
                        ));
                    }
                    start[i] += v;
                } else {
                    let h = band.1 - band.0;
                    let y1 = row(i) + band.1 - h * s as f64 / k;
                    rects.push(Rectangle::new(
                        [(0.0, y1 - h / k), (v, y1)],
                        ser.color.filled(),
                    ));
                    ends.push((v, y1 - h / k / 2.0, declared));
                }
            }
            chart.draw_series(rects).ok()?;
            for (v, y, declared) in ends {
                let (px, py) = chart.backend_coord(&(v, y));
                let spot = [(px + 4, py, HPos::Left, VPos::Center)];
                labels.put(root, &fmt(declared), size.small, &spot, within);
            }
        }
        if stacked {
            for (i, &t) in totals.iter().enumerate() {
                let (px, py) = chart.backend_coord(&(t, row(i) + (band.0 + band.1) / 2.0));
                let spot = [(px + 4, py, HPos::Left, VPos::Center)];
                labels.put(root, &fmt(t), size.small, &spot, within);
            }
        }
        for (i, c) in names.iter().enumerate() {
            let spot = if above {
                let (px, py) = chart.backend_coord(&(0.0, row(i) + band.1));
                [(px + 2, py - 3, HPos::Left, VPos::Bottom)]
            } else {
                let (px, py) = chart.backend_coord(&(0.0, row(i) + (band.0 + band.1) / 2.0));
                [(px - 6, py, HPos::Right, VPos::Center)]
            };
            labels.put(root, c, size.text, &spot, within);
        }
        Some(())
    })
}

/// `text` shortened with "…" to at most `room` pixels.
fn cut(text: &str, px: f64, room: f64) -> String {
    if text_width(text, px) <= room {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&format!("{out}{c}…"), px) > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A line through the points of each series, with the values marked.
pub fn lines(
    size: Size,
    title: &str,
    xs: &[String],
    series: &[Series],
    axis: &str,
    fmt: Fmt,
) -> String {
    canvas(size, size.plot, title, series, |root, area, labels| {
        let n = xs.len().max(1) as f64;
        let max = axis_top(
            series
                .iter()
                .flat_map(|s| s.values.iter().copied())
                .fold(1.0, f64::max),
            1.25,
        );
        // The axis name sits above the axis, level: a turned label is hard
        // to read on a phone.
        let axis_line = (size.text * 1.6) as i32;
        let (_, plot) = area.split_vertically(axis_line);
        let mut chart = value_plot(&plot, size, n, max, fmt)?;
        let within = bounds(root);
        let (ax, ay) = chart.backend_coord(&(0.0, max));
        let spot = [(ax, ay - 6, HPos::Left, VPos::Bottom)];
        labels.put(root, axis, size.text, &spot, within);
        let mut marks = Vec::new();
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
            marks.extend(
                points
                    .iter()
                    .zip(&ser.values)
                    .map(|(&(x, v), &d)| (x, v, d)),
            );
        }
        // A value label above its point, else below; two series at the
        // same value share the label already there.
        let line = size.small as i32 + 2;
        for (x, v, declared) in marks {
            let (px, py) = chart.backend_coord(&(x, v));
            let text = fmt(declared);
            let spots = [
                (px, py - 6, HPos::Center, VPos::Bottom),
                (px, py + 8, HPos::Center, VPos::Top),
                (px, py - 6 - line, HPos::Center, VPos::Bottom),
                (px, py + 8 + line, HPos::Center, VPos::Top),
            ];
            labels.put(root, &text, size.small, &spots, within);
        }
        let (x0, _) = chart.backend_coord(&(0.0, 0.0));
        let (x1, _) = chart.backend_coord(&(1.0, 0.0));
        let step = label_step(xs, size.text, (x1 - x0) as f64);
        for (i, c) in xs.iter().enumerate().step_by(step) {
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            let spot = [(px, py + 6, HPos::Center, VPos::Top)];
            labels.put(root, c, size.text, &spot, within);
        }
        Some(())
    })
}

/// Approximate pixel width of a label: CJK characters are square, digits
/// and most Latin letters about 0.62 of the size, `%` and wide letters
/// nearly square, punctuation narrow.
pub fn text_width(s: &str, px: f64) -> f64 {
    s.chars()
        .map(|c| {
            let em = if unicode_width::UnicodeWidthChar::width(c).unwrap_or(1) >= 2 {
                1.0
            } else if matches!(c, '%' | 'M' | 'W' | 'm' | 'w' | '—' | '…') {
                0.95
            } else if matches!(c, ',' | '.' | ' ' | ':' | ';' | '\'' | 'i' | 'l' | '|') {
                0.34
            } else {
                0.62
            };
            em * px
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smallest_font(svg: &str) -> f64 {
        svg.split(" font-size=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse::<f64>().ok())
            .fold(f64::INFINITY, f64::min)
    }

    /// Documents and slides caption the chart themselves, and the size
    /// their text prints at is computed from `small` (brief::placed).
    #[test]
    fn print_and_slide_sizes_leave_the_title_out_and_keep_their_text_sizes() {
        let series = [
            Series {
                name: "组织覆盖率".into(),
                color: colors::BLUE,
                values: vec![0.5, 1.0],
            },
            Series {
                name: "工作覆盖率".into(),
                color: colors::ORANGE,
                values: vec![0.75, 1.0],
            },
        ];
        let cats = vec!["非公有制企业".to_string(), "社会组织".to_string()];
        let fmt = |v: f64| format!("{}%", v * 100.0);
        for size in [PRINT, SLIDE] {
            let svg = grouped_bars(size, "各类组织覆盖率", &cats, &series, 1.0, &fmt, None);
            assert!(!svg.contains("各类组织覆盖率"));
            let min = smallest_font(&svg);
            assert!((min - size.small).abs() < 0.01, "{min} for {}", size.small);
        }
        let wide = grouped_bars(WIDE, "各类组织覆盖率", &cats, &series, 1.0, &fmt, None);
        assert!(wide.contains("各类组织覆盖率"));
    }
}
