//! Stage 4, present: the derived figures → what every output shows,
//! computed once per year: figures formatted for the language, the charts
//! (SVG, and PNG only when an output asks for it), the pages' shortcodes
//! resolved, and the key tables (reconciliation, indicators, records
//! outside the base, the mismatch count). The HTML site (`render`), the
//! Word briefing (`brief`), the workbook (`export`) and a single chart read
//! this; none of them imports another, and nothing here imports them.

pub mod charts;
pub mod format;
pub mod markdown;
pub mod shortcodes;
pub mod tables;

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Mutex;

use crate::derive::Report;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::model::Language;
use charts::{Chart, ChartId, Format};
use format::Formatter;
pub use shortcodes::{resolve_page, Resolved, ResolvedPage};
pub use tables::Tables;

/// Files by their path in a year's site.
pub use crate::layout::Files;

/// Escapes text for HTML and XML element content and attribute values.
/// Characters XML 1.0 forbids are left out (sources holding them are
/// refused when read; this keeps every SVG and XML file well formed).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if crate::load::xml_forbidden(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The look the outputs share: the interface language, its strings and
/// the fonts charts are drawn with (from the theme).
pub struct Style<'a> {
    pub language: Language,
    pub strings: &'a BTreeMap<String, String>,
    pub fonts: &'a [Vec<u8>],
    /// PNGs drawn by earlier builds of this process (`serve`).
    pub png_cache: Option<&'a PngCache>,
    /// Charts drawn by earlier builds of this process, with the print of
    /// what a year's charts are drawn from besides its year: the
    /// registers' parses (every year's, for the trends), the language and
    /// the theme's strings.
    pub chart_cache: Option<(&'a ChartCache, u64)>,
}

/// Charts drawn by earlier builds (`serve`), by year and the print of what
/// they were drawn from: a save of a page draws none again.
#[derive(Default)]
pub struct ChartCache(Mutex<BTreeMap<(i32, u64), Vec<Chart>>>);

impl ChartCache {
    fn get_or_draw(&self, key: (i32, u64), draw: impl FnOnce() -> Vec<Chart>) -> Vec<Chart> {
        if let Some(charts) = self.0.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return charts;
        }
        let charts = draw();
        if let Ok(mut m) = self.0.lock() {
            // A site has a few years; older prints are of no use.
            m.retain(|k, _| k.1 == key.1);
            m.insert(key, charts.clone());
        }
        charts
    }
}

/// Which charts to draw, and in which forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charts {
    /// No chart: for outputs of figures and tables alone.
    None,
    /// Every chart, as SVG and CSV files; their PNGs are drawn apart
    /// (`png_files`), so that an output can draw them while it does other
    /// work, and one that has no use for them does not pay for them.
    All,
    /// One chart, in one form.
    One(ChartId, Format),
}

/// One year, ready for the outputs.
pub struct Presented<'a> {
    pub report: &'a Report<'a>,
    pub f: Formatter,
    pub charts: Vec<Chart>,
    /// `charts/<id>.svg|png|csv`.
    pub chart_files: Files,
    pub tables: Tables,
    /// The write-up's pages (`Site::pages`, in order) with their shortcodes
    /// resolved, for outputs other than the site.
    pub pages: Vec<ResolvedPage>,
    /// What is wrong with their shortcodes. The site reports the same
    /// problems as it renders the pages, so only other outputs add these.
    pub page_problems: Vec<Diagnostic>,
}

/// Presents one year's report. Charts that cannot be drawn are errors in
/// `out`.
pub fn present<'a>(
    report: &'a Report<'a>,
    pages: &[crate::model::Page],
    style: &Style,
    which: Charts,
    out: &mut Vec<Diagnostic>,
) -> Presented<'a> {
    let f = Formatter::new(style.language, style.strings.clone());
    let charts: Vec<Chart> = match which {
        Charts::None => Vec::new(),
        Charts::All => match style.chart_cache {
            Some((cache, print)) => {
                cache.get_or_draw((report.data.year, print), || charts::all(report, &f))
            }
            None => charts::all(report, &f),
        },
        Charts::One(id, _) => vec![id.draw(report, &f)],
    };
    let formats: &[Format] = match which {
        Charts::None => &[],
        Charts::All => &[Format::Svg, Format::Csv],
        Charts::One(_, format) => &[format][..],
    };
    let chart_files = chart_files(&charts, formats, style, out);
    let tables = Tables::new(report, &f);
    let mut page_problems = Vec::new();
    let pages = pages
        .iter()
        .map(|p| resolve_page(p, report, &f, &mut page_problems))
        .collect();
    Presented {
        report,
        f,
        charts,
        chart_files,
        tables,
        pages,
        page_problems,
    }
}

/// Reports shortcode problems of every page when the registers could not be
/// resolved, so that one run still lists every problem.
pub fn check_pages(raw: &crate::load::RawSite, diags: &mut Diagnostics) {
    let mut out = Vec::new();
    for page in &raw.pages {
        shortcodes::check_page(page, &mut out);
    }
    out.into_iter().for_each(|d| diags.push(d));
}

/// PNGs drawn by earlier builds, by chart SVG and theme fonts: `serve`
/// builds again on every save, and an edit leaves most charts as they were.
#[derive(Default)]
pub struct PngCache(Mutex<BTreeMap<u64, Vec<u8>>>);
const PNG_CACHE_MAX: usize = 256;

/// Every chart's 2× PNG file (`charts/<id>.png`); a chart that cannot be
/// drawn is an error in `out`.
pub fn png_files(charts: &[Chart], style: &Style, out: &mut Vec<Diagnostic>) -> Files {
    chart_files(charts, &[Format::Png], style, out)
}

/// Each chart in `formats`: a standalone SVG (never passed through the
/// HTML minifier, which would lowercase `viewBox`), a CSV, a 2× PNG. PNGs
/// are drawn in parallel: they are most of the work of charts.
fn chart_files(
    charts: &[Chart],
    formats: &[Format],
    style: &Style,
    out: &mut Vec<Diagnostic>,
) -> Files {
    let mut files = Files::new();
    for c in charts {
        let base = format!("charts/{}", c.id);
        if formats.contains(&Format::Svg) {
            files.insert(
                PathBuf::from(format!("{base}.svg")),
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", c.svg)
                    .into_bytes()
                    .into(),
            );
        }
        if formats.contains(&Format::Csv) {
            files.insert(PathBuf::from(format!("{base}.csv")), c.csv().into());
        }
    }
    if formats.contains(&Format::Png) {
        for (c, png) in charts.iter().zip(pngs(charts, style)) {
            match png {
                Ok(bytes) => {
                    files.insert(PathBuf::from(format!("charts/{}.png", c.id)), bytes.into());
                }
                Err(d) => out.push(d),
            }
        }
    }
    files
}

/// Every chart's PNG, from the cache when an earlier build drew it.
fn pngs(charts: &[Chart], style: &Style) -> Vec<Result<Vec<u8>, Diagnostic>> {
    use rayon::prelude::*;
    let fonts = {
        let mut h = DefaultHasher::new();
        style.fonts.hash(&mut h);
        h.finish()
    };
    let cache = style.png_cache;
    // Each chart's cache key and, when this process drew it before, its PNG.
    let known: Vec<(u64, Option<Vec<u8>>)> = {
        let cached = cache.and_then(|c| c.0.lock().ok());
        charts
            .iter()
            .map(|c| {
                let mut h = DefaultHasher::new();
                (fonts, &c.svg).hash(&mut h);
                let key = h.finish();
                (key, cached.as_ref().and_then(|m| m.get(&key).cloned()))
            })
            .collect()
    };
    // Made only when a PNG is not in the cache: loading the fonts costs.
    let renderer = std::sync::OnceLock::new();
    let pngs: Vec<Result<Vec<u8>, Diagnostic>> = charts
        .par_iter()
        .zip(&known)
        .map(|(c, (_, cached))| match cached {
            Some(png) => Ok(png.clone()),
            None => png(
                renderer.get_or_init(|| charts::png::PngRenderer::new(style.fonts)),
                c,
            ),
        })
        .collect();
    if let Some(Ok(mut m)) = cache.map(|c| c.0.lock()) {
        for ((key, cached), png) in known.iter().zip(&pngs) {
            if let (None, Ok(bytes)) = (cached, png) {
                if m.len() >= PNG_CACHE_MAX {
                    m.clear();
                }
                m.insert(*key, bytes.clone());
            }
        }
    }
    pngs
}

/// One chart's PNG, or why it cannot be drawn.
fn png(renderer: &charts::png::PngRenderer, c: &Chart) -> Result<Vec<u8>, Diagnostic> {
    let missing = renderer.missing_glyphs(&c.svg);
    if !missing.is_empty() {
        let list: String = missing
            .iter()
            .map(|ch| format!("'{ch}' (U+{:04X}) ", *ch as u32))
            .collect();
        return Err(Diagnostic::error(
            chart_span(c.id.as_str()),
            crate::msg!("chart.no_glyph", chars = list.trim_end(), chart = c.id),
        )
        .help(crate::msg!("chart.no_glyph.help")));
    }
    renderer
        .render(&c.svg)
        .map_err(|e| Diagnostic::error(chart_span(c.id.as_str()), e))
}

/// Where a chart's own problem is reported until a source line is found:
/// the chart's name in place of a file.
fn chart_span(id: &str) -> Span {
    Span::file(crate::msg!("chart.span", id = id))
}

/// A chart's missing glyph (from `png`) named at the first line of the
/// sources (a register, a page, site.yaml) that holds the character: that
/// line is the one to change, not the chart.
pub fn glyph_at_source(d: Diagnostic, sources: &Diagnostics) -> Diagnostic {
    let prefix = crate::msg!("chart.span", id = "");
    if !d.span.file.to_str().is_some_and(|f| f.starts_with(&prefix)) {
        return d;
    }
    let Some(c) = d
        .message
        .split("(U+")
        .nth(1)
        .filter(|_| d.span.line == 0)
        .and_then(|m| u32::from_str_radix(m.split(')').next()?, 16).ok())
        .and_then(char::from_u32)
    else {
        return d;
    };
    // As written, or as a YAML escape (`\u00e9`, `\U0010fffd`).
    let code = c as u32;
    let escapes = [format!("\\u{code:04x}"), format!("\\U{code:08x}")];
    for (path, text) in sources.sources() {
        for (i, line) in text.lines().enumerate() {
            let lower = line.to_ascii_lowercase();
            let byte = line.find(c).or_else(|| {
                escapes
                    .iter()
                    .filter(|e| e.len() == 6 || code > 0xFFFF)
                    .find_map(|e| lower.find(&e.to_ascii_lowercase()))
            });
            if let Some(col) = byte.map(|b| line[..b].chars().count()) {
                return Diagnostic {
                    span: Span::new(path, i + 1, col + 1),
                    ..d
                };
            }
        }
    }
    d
}
