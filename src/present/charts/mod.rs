//! Charts: static SVG drawn with plotters from the derived figures, no
//! JavaScript. Each chart has a stable id, a title, a description and the
//! table of the exact numbers it draws; the site has it in four
//! forms: inline SVG, a standalone `.svg`, a 2× `.png` and a `.csv`.

mod draw;
mod plain;
pub mod png;
mod set;

use super::format::Formatter;
use crate::derive::Report;

pub use plain::{plain_bars, Plain};
pub use set::ChartId;

/// The forms a chart is written in besides the inline SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Csv => "csv",
        }
    }
}
pub use draw::{Size, PRINT, SLIDE};

/// A cell of a chart's data table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Count(f64),
    Rate(Option<f64>),
}

#[derive(Clone)]
pub struct Chart {
    pub id: ChartId,
    pub title: String,
    pub description: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// A standalone SVG document, titled and described for screen readers:
    /// the chart for wide screens, files and briefings.
    pub svg: String,
    /// The same chart drawn for phones, shown inline on narrow screens.
    pub svg_narrow: String,
    /// Drawn for the size it is placed at in Word documents (`PRINT`) and
    /// on slides (`SLIDE`), without the title, which captions hold.
    pub svg_print: String,
    pub svg_slide: String,
}

pub fn all(report: &Report, f: &Formatter) -> Vec<Chart> {
    set::all(report, f)
}

impl Chart {
    fn new(
        id: ChartId,
        f: &Formatter,
        columns: Vec<String>,
        rows: Vec<Vec<Cell>>,
        draw: impl Fn(draw::Size) -> String,
    ) -> Chart {
        let key = id.title_key();
        let title = f.t(&key);
        let description = f.t(&format!("{key}_desc"));
        let label = |size, variant: &str| {
            let svg = draw(size);
            label_svg(&svg, id.as_str(), variant, &title, &description)
        };
        let svg = label(draw::WIDE, "wide");
        let svg_narrow = label(draw::NARROW, "narrow");
        let svg_print = label(draw::PRINT, "print");
        let svg_slide = label(draw::SLIDE, "slide");
        Chart {
            id,
            title,
            description,
            columns,
            rows,
            svg,
            svg_narrow,
            svg_print,
            svg_slide,
        }
    }

    /// The table as the site prints it.
    pub fn table(&self, f: &Formatter) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Cell::Text(s) => s.clone(),
                        Cell::Count(n) => f.count(*n),
                        Cell::Rate(r) => f.rate(*r),
                    })
                    .collect()
            })
            .collect()
    }

    /// UTF-8 with a byte-order mark, so that Excel opens Chinese text
    /// correctly; numbers unformatted, rates as percentages Excel reads.
    pub fn csv(&self) -> Vec<u8> {
        let mut out = String::from("\u{feff}");
        let line = |cells: Vec<String>| {
            cells
                .iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(",")
                + "\r\n"
        };
        out.push_str(&line(self.columns.clone()));
        for r in &self.rows {
            out.push_str(&line(
                r.iter()
                    .map(|c| match c {
                        Cell::Text(s) => s.clone(),
                        Cell::Count(n) => format!("{n}"),
                        Cell::Rate(Some(r)) => format!("{}%", trim(r * 100.0)),
                        Cell::Rate(None) => String::new(),
                    })
                    .collect(),
            ));
        }
        out.into_bytes()
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Quotes a CSV field when needed, and defuses text that a spreadsheet
/// would run as a formula (`=`, `+`, `-`, `@` at the start).
pub(crate) fn csv_field(s: &str) -> String {
    let numeric = s.trim_end_matches('%').parse::<f64>().is_ok();
    let s = if !numeric && s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Adds `<title>` and `<desc>` as the first children of the root element,
/// so that screen readers and file browsers name the chart, and the class
/// `chart-<variant>` by which the stylesheet shows the one that fits.
fn label_svg(svg: &str, id: &str, variant: &str, title: &str, desc: &str) -> String {
    let Some(open_end) = svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| s + e))
    else {
        return svg.to_string();
    };
    format!(
        "{} {} class=\"chart-{variant}\" role=\"img\" aria-labelledby=\"chart-{id}-{variant}-title chart-{id}-{variant}-desc\"><title id=\"chart-{id}-{variant}-title\">{}</title><desc id=\"chart-{id}-{variant}-desc\">{}</desc>{}",
        &svg[..open_end],
        crate::mark::SVG_ATTRIBUTE,
        super::escape(title),
        super::escape(desc),
        &svg[open_end + 1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("-3"), "-3");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
