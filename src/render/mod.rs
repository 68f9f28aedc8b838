//! Stage 4, render: the report → in-memory files (HTML pages, charts in
//! SVG, PNG and CSV, theme assets). Nothing here touches the output folder,
//! so `check`, `build`, `chart` and tests share it.

mod archives;
pub mod charts;
mod contexts;
pub mod format;
mod lists;
mod markdown;
mod pages;
mod paginate;
pub mod search;
mod shortcodes;
pub mod theme;
mod views;

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tera::Tera;

use crate::derive::Report;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, Span};
use crate::model::Site;
use format::Formatter;
pub use markdown::{options as markdown_options, tokens, Token};
use pages::Renderer;
pub use shortcodes::{resolve_page, Resolved, ResolvedPage};

pub struct Rendered {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    pub pages: usize,
    pub charts: usize,
}

/// Where pages go as soon as they are rendered, instead of being kept in
/// `Rendered::files`: `build` scans, minifies and writes each one, so that
/// a large register never sits in memory whole. Called from many threads.
pub trait Stream: Sync {
    fn put(&self, path: &Path, bytes: Vec<u8>);
}

/// Escapes text for HTML and XML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
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

/// Reports shortcode problems of every page when the registers could not be
/// resolved, so that one run still lists every problem.
pub fn check_pages(raw: &crate::load::RawSite, diags: &mut Diagnostics) {
    let mut out = Vec::new();
    for page in &raw.pages {
        shortcodes::check_page(page, &mut out);
    }
    extend(diags, out);
}

/// Renders the presented year (site.yaml's `year`, or `--year`) at the
/// root and every other year of `reports` as a site of its own under
/// `years/<Y>/`; the archive page lists `archives` in the presented site.
pub fn render(
    site: &Site,
    reports: &BTreeMap<i32, Report>,
    content_dir: &Path,
    extra_static: &[(PathBuf, Vec<u8>)],
    archives: &[crate::archive::Listed],
    stream: Option<&dyn Stream>,
    diags: &mut Diagnostics,
) -> Option<Rendered> {
    let mut out = Vec::new();
    let theme = theme::load(content_dir, &site.config, &mut out);
    check_home_chart(site, &mut out);
    let presented = site.config.year;
    let mut all = Rendered {
        files: BTreeMap::new(),
        pages: 0,
        charts: 0,
    };
    for (&year, report) in reports {
        let (prefix, listed) = if year == presented {
            (String::new(), archives)
        } else {
            (format!("years/{year}/"), &[][..])
        };
        let links = year_links(reports.keys().copied(), presented, year);
        let target = Target {
            archives: listed,
            years: links,
            stream: stream.map(|s| (s, prefix.as_str())),
        };
        let Some(r) = render_year(site, report, &theme, extra_static, target, &mut out) else {
            break;
        };
        all.pages += r.pages;
        all.charts += r.charts;
        all.files.extend(
            r.files
                .into_iter()
                .map(|(p, b)| (PathBuf::from(format!("{prefix}{}", p.display())), b)),
        );
    }
    let failed = out.iter().any(|d| d.severity == Severity::Error);
    extend(diags, out);
    (!failed).then_some(all)
}

/// The chart the home page shows when site.yaml names none: where the
/// organizations are and how they are covered.
pub const DEFAULT_HOME_CHART: &str = "coverage-by-township";

/// The id `home_chart` names, or the default.
pub fn home_chart(site: &Site) -> &str {
    site.config
        .home_chart
        .as_ref()
        .map_or(DEFAULT_HOME_CHART, |(id, _)| id.as_str())
}

fn check_home_chart(site: &Site, out: &mut Vec<Diagnostic>) {
    let Some((id, span)) = &site.config.home_chart else {
        return;
    };
    if charts::CHART_IDS.contains(&id.as_str()) {
        return;
    }
    let list = charts::CHART_IDS.join(", ");
    let help = match crate::diagnostics::did_you_mean(id, charts::CHART_IDS.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? charts are: {list}"),
        None => format!("charts are: {list}"),
    };
    out.push(
        Diagnostic::error(
            span.clone(),
            format!("`home_chart`: chart `{id}` does not exist"),
        )
        .help(help),
    );
}

/// Where each year's site is, seen from the root of `from`'s site.
fn year_links(years: impl Iterator<Item = i32>, presented: i32, from: i32) -> Vec<pages::YearLink> {
    years
        .map(|year| {
            let path = match (year == from, from == presented, year == presented) {
                (true, _, _) => "index.html".to_string(),
                (false, true, _) => format!("years/{year}/index.html"),
                (false, false, true) => "../../index.html".to_string(),
                (false, false, false) => format!("../{year}/index.html"),
            };
            pages::YearLink {
                year,
                path,
                current: year == from,
            }
        })
        .collect()
}

/// Where one year's site goes and what it links to.
struct Target<'a> {
    archives: &'a [crate::archive::Listed],
    years: Vec<pages::YearLink>,
    /// The stream for its register pages, and its folder in the output.
    stream: Option<(&'a dyn Stream, &'a str)>,
}

fn render_year(
    site: &Site,
    report: &Report,
    theme: &theme::Theme,
    extra_static: &[(PathBuf, Vec<u8>)],
    target: Target,
    out: &mut Vec<Diagnostic>,
) -> Option<Rendered> {
    let Target {
        archives,
        years,
        stream,
    } = target;
    let f = Formatter::new(site.config.language, theme.strings.clone());
    let mut tera = Tera::new();
    if let Err(e) = tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    ) {
        let origin = theme.origin_in(&e.to_string());
        out.push(
            Diagnostic::error(
                Span::file(origin),
                format!("template error: {}", error_chain(&e)),
            )
            .help("fix the template syntax of the theme"),
        );
        return None;
    }
    let charts = charts::all(report, &f);
    let mut files = BTreeMap::new();
    chart_files(&charts, theme, &mut files, out);
    let mut r = Renderer::new(
        site,
        report,
        f,
        tera,
        charts,
        theme.origins.clone(),
        pages::Links {
            archives,
            years,
            write_up: report.data.year == site.config.year,
        },
    );
    if let Some((sink, prefix)) = stream {
        r.stream_to(sink, prefix);
    }
    let pages = r.render_pages(&mut files);
    out.append(&mut r.out);
    for (p, b) in theme
        .static_files
        .iter()
        .chain(extra_static.iter().map(|(p, b)| (p, b)))
    {
        files.insert(Path::new("static").join(p), b.clone());
    }
    // The annual summary as a Word document, the two-page summary brief
    // and the slide deck, for the briefing page's download links (`nianbao
    // brief` writes the same files).
    let input = crate::brief::Input {
        site,
        report,
        f: &r.f,
        charts: &r.charts,
        files: &files,
        write_up: report.data.year == site.config.year,
        fonts: &theme.fonts,
    };
    let year = report.data.year;
    let documents = [
        (crate::brief::file_name(year), crate::brief::docx(&input)),
        (
            crate::brief::summary::file_name(year),
            crate::brief::summary::docx(&input),
        ),
        (crate::deck::file_name(year), crate::deck::pptx(&input)),
    ];
    for (name, made) in documents {
        match made {
            Ok(bytes) => {
                files.insert(PathBuf::from(name), bytes);
            }
            Err(e) => out.push(Diagnostic::error(Span::file(name), e)),
        }
    }
    let charts = r.charts.len();
    Some(Rendered {
        files,
        pages,
        charts,
    })
}

/// PNGs drawn in this process, by chart SVG and theme fonts: `serve`
/// builds again on every save, and an edit leaves most charts as they were.
static PNG_CACHE: Mutex<BTreeMap<u64, Vec<u8>>> = Mutex::new(BTreeMap::new());
const PNG_CACHE_MAX: usize = 256;

/// Every chart as a standalone SVG (never passed through the HTML minifier,
/// which would lowercase `viewBox`), a 2× PNG and a CSV. PNGs are drawn in
/// parallel: they are most of the work of charts.
fn chart_files(
    charts: &[charts::Chart],
    theme: &theme::Theme,
    files: &mut BTreeMap<PathBuf, Vec<u8>>,
    out: &mut Vec<Diagnostic>,
) {
    use rayon::prelude::*;
    let fonts = {
        let mut h = DefaultHasher::new();
        theme.fonts.hash(&mut h);
        h.finish()
    };
    // Each chart's cache key and, when this process drew it before, its PNG.
    let known: Vec<(u64, Option<Vec<u8>>)> = {
        let cache = PNG_CACHE.lock().ok();
        charts
            .iter()
            .map(|c| {
                let mut h = DefaultHasher::new();
                (fonts, &c.svg).hash(&mut h);
                let key = h.finish();
                (key, cache.as_ref().and_then(|m| m.get(&key).cloned()))
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
                renderer.get_or_init(|| charts::png::PngRenderer::new(&theme.fonts)),
                c,
            ),
        })
        .collect();
    for ((c, png), (key, cached)) in charts.iter().zip(pngs).zip(known) {
        let base = format!("charts/{}", c.id);
        files.insert(
            PathBuf::from(format!("{base}.svg")),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", c.svg).into_bytes(),
        );
        files.insert(PathBuf::from(format!("{base}.csv")), c.csv());
        match png {
            Ok(bytes) => {
                if cached.is_none() {
                    if let Ok(mut m) = PNG_CACHE.lock() {
                        if m.len() >= PNG_CACHE_MAX {
                            m.clear();
                        }
                        m.insert(key, bytes.clone());
                    }
                }
                files.insert(PathBuf::from(format!("{base}.png")), bytes);
            }
            Err(d) => out.push(d),
        }
    }
}

/// One chart's PNG, or why it cannot be drawn.
fn png(renderer: &charts::png::PngRenderer, c: &charts::Chart) -> Result<Vec<u8>, Diagnostic> {
    let missing = renderer.missing_glyphs(&c.svg);
    if !missing.is_empty() {
        let list: String = missing
            .iter()
            .map(|ch| format!("'{ch}' (U+{:04X}) ", *ch as u32))
            .collect();
        return Err(Diagnostic::error(
            Span::file(format!("chart {}", c.id)),
            format!("no font can draw {}in the PNG of this chart", list),
        )
        .help("put a .ttf or .otf font that has these characters in themes/<theme>/fonts/"));
    }
    renderer
        .render(&c.svg)
        .map_err(|e| Diagnostic::error(Span::file(format!("chart {}", c.id)), e))
}

fn extend(diags: &mut Diagnostics, out: Vec<Diagnostic>) {
    for d in out {
        diags.push(d);
    }
}

/// A template error with its causes, which hold the position.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(&format!(": {s}"));
        src = s.source();
    }
    msg
}
