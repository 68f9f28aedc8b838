//! The HTML site: one year's presented figures → in-memory files (pages
//! through the theme's templates, the chart files, theme and content static
//! files). Nothing here touches the output folder or knows of the other
//! outputs; `build` runs it for each year and puts the briefing beside it.

mod archives;
mod contexts;
mod lists;
pub mod memo;
mod pages;
mod paginate;
pub mod search;
pub mod theme;
mod views;
mod write_up;

use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostics::{Diagnostic, Span};
use crate::layout::{Listed, Stream};
use crate::model::Site;
use crate::present::charts::ChartId;
pub use crate::present::escape;
use crate::present::{charts, format, Presented};
use pages::Renderer;

pub struct Rendered {
    pub files: crate::layout::Files,
    pub pages: usize,
    pub charts: usize,
}

/// One year's site: what it shows and where it goes.
pub struct Year<'a> {
    pub site: &'a Site,
    pub presented: &'a Presented<'a>,
    pub theme: &'a theme::Theme,
    /// The files of `content/static/`.
    pub extra_static: &'a [(PathBuf, Vec<u8>)],
    /// Snapshots for the archive page (none inside a snapshot or for the
    /// sites of other years).
    pub archives: &'a [Listed],
    /// Every year of the registers, and the presented one.
    pub all_years: &'a [i32],
    /// This year's write-up (`Site::write_up`).
    pub write_up: &'a [crate::model::Page],
    /// The stream for its register pages, and this year's folder in the
    /// output (`years/<Y>/`, or empty for the presented year).
    pub stream: Option<(&'a dyn Stream, &'a str)>,
    /// Register pages of earlier builds (`serve`), this year's folder, and
    /// the print of the parses the registers were resolved from.
    pub memo: Option<(&'a memo::Memo, &'a str, u64)>,
}

/// The chart the home page shows when site.yaml names none: where the
/// organizations are and how they are covered.
pub const DEFAULT_HOME_CHART: ChartId = ChartId::CoverageByTownship;

/// The chart `home_chart` names, or the default.
pub fn home_chart(site: &Site) -> ChartId {
    site.config
        .home_chart
        .as_ref()
        .and_then(|(id, _)| ChartId::parse(id))
        .unwrap_or(DEFAULT_HOME_CHART)
}

/// A `home_chart` that names no chart is an error at its line.
pub fn check_home_chart(site: &Site, out: &mut Vec<Diagnostic>) {
    let Some((id, span)) = &site.config.home_chart else {
        return;
    };
    if ChartId::parse(id).is_some() {
        return;
    }
    let list = ChartId::list();
    let ids = ChartId::ALL.iter().map(|c| c.as_str());
    let help = match crate::diagnostics::did_you_mean(id, ids) {
        Some(s) => crate::msg!("chart.unknown.did_you_mean", guess = s, charts = list),
        None => crate::msg!("chart.unknown.help", charts = list),
    };
    out.push(
        Diagnostic::error(
            span.clone(),
            crate::msg!("site.home_chart_unknown", id = id),
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

/// Renders one year's site; its files are relative to that site's root.
/// `None` when a template fails (the error is in `out`).
pub fn year(y: Year, out: &mut Vec<Diagnostic>) -> Option<Rendered> {
    let Year {
        site,
        presented,
        theme,
        extra_static,
        archives,
        all_years,
        write_up,
        stream,
        memo,
    } = y;
    let report = presented.report;
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
                crate::msg!("theme.template_error", detail = template_detail(&e)),
            )
            .help(crate::msg!("theme.template_error.help")),
        );
        return None;
    }
    let mut files = presented.chart_files.clone();
    let years = year_links(
        all_years.iter().copied(),
        site.config.year,
        report.data.year,
    );
    let mut r = Renderer::new(
        site,
        presented,
        tera,
        theme.origins.clone(),
        pages::Links {
            archives,
            years,
            write_up,
        },
    );
    if let Some((sink, prefix)) = stream {
        r.stream_to(sink, prefix);
    }
    if let Some((m, prefix, registers)) = memo {
        let mut templates = memo::Fingerprint::default();
        templates.add("templates", &theme.templates);
        r.memo_to(m, prefix, templates.finish(), registers);
    }
    let pages = r.render_pages(&mut files);
    out.append(&mut r.out);
    for (p, b) in &theme.static_files {
        files.insert(Path::new("static").join(p), b.clone());
    }
    // The content's own files come after the theme's: a file of both is
    // the content's.
    for (p, b) in extra_static {
        files.insert(Path::new("static").join(p), b.clone().into());
    }
    Some(Rendered {
        files,
        pages,
        charts: presented.charts.len(),
    })
}

/// A template error with its causes, which hold the position.
/// A template engine's error as its reader is told it: in English the
/// engine's own words; in Chinese each common kind of mistake in ours,
/// followed by the engine's pointer to the place (`--> page.html:9:8`).
pub fn template_detail(e: &dyn std::error::Error) -> String {
    use crate::messages::{lang, Lang};
    use crate::msg;
    let chain = error_chain(e);
    if lang() == Lang::En {
        return chain;
    }
    let (first, place) = chain.split_once('\n').unwrap_or((&chain, ""));
    let what = first.trim().trim_start_matches("error: ");
    let quoted = |prefix: &str| {
        what.split_once(prefix)
            .and_then(|(_, r)| r.split(['`', '\'']).next())
            .map(str::to_string)
    };
    let ours = if let Some(name) = quoted("Variable `") {
        match what.split("Available variables: ").nth(1) {
            Some(vars) => msg!("theme.detail.variable_known", name = name, vars = vars),
            None => msg!("theme.detail.variable", name = name),
        }
    } else if let Some(name) = quoted("Field `") {
        msg!("theme.detail.field", name = name)
    } else if let Some(name) = quoted("Unknown template `") {
        msg!("theme.detail.template", name = name)
    } else if let Some(name) = quoted("Unknown filter `").or_else(|| quoted("Unknown function `")) {
        msg!("theme.detail.filter", name = name)
    } else if what.contains("Unexpected end of input") || what.contains("Unclosed") {
        msg!("theme.detail.unclosed")
    } else if what.contains("Closing tag") {
        msg!("theme.detail.closing_tag")
    } else if what.contains("expected") || what.contains("expecting") || what.contains("Unexpected")
    {
        msg!("theme.detail.syntax")
    } else {
        msg!("theme.detail.other", detail = what)
    };
    if place.is_empty() {
        ours
    } else {
        format!("{ours}\n{place}")
    }
}

pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(&format!(": {s}"));
        src = s.source();
    }
    msg
}
