//! The two shortcodes of Markdown pages: `figure` prints a derived or
//! declared figure, `chart` embeds a chart with its data table. Their
//! arguments are checked here, once for every output; each output turns
//! the resolved value into its own form (HTML in `render::write_up`).

use super::charts::ChartId;
use super::format::Formatter;
use super::markdown::{self, Arg, Expansion, Shortcode};
use crate::derive::Report;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::Page;
use crate::resolve::parse_key;

pub(crate) fn only_args(sc: &Shortcode, allowed: &[&str]) -> Result<(), Diagnostic> {
    for (name, _) in &sc.args {
        if !allowed.contains(&name.as_str()) {
            let help = match did_you_mean(name, allowed.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? {}() takes: {}",
                    sc.name,
                    allowed.join(", ")
                ),
                None => format!("{}() takes: {}", sc.name, allowed.join(", ")),
            };
            return Err(Diagnostic::error(
                sc.span.clone(),
                format!("unknown argument `{name}` of {}()", sc.name),
            )
            .help(help));
        }
    }
    Ok(())
}

pub(crate) fn string_arg<'a>(
    sc: &'a Shortcode,
    name: &str,
    example: &str,
) -> Result<&'a str, Diagnostic> {
    match sc.arg(name) {
        Some(Arg::Str(s)) => Ok(s),
        Some(_) => Err(Diagnostic::error(
            sc.span.clone(),
            format!("`{name}` of {}() must be quoted text", sc.name),
        )
        .help(format!("write {}({name}=\"{example}\")", sc.name))),
        None => Err(
            Diagnostic::error(sc.span.clone(), format!("{}() needs `{name}`", sc.name))
                .help(format!("write {}({name}=\"{example}\")", sc.name)),
        ),
    }
}

/// What a shortcode stands for outside the site's HTML.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    /// A figure, formatted as the site prints it, and its readable name.
    Figure { text: String, label: String },
    /// A chart, by id.
    Chart(ChartId),
}

/// A page's Markdown with each shortcode replaced by a token (see
/// [`super::markdown::tokens`]) that indexes `shortcodes`.
pub struct ResolvedPage {
    pub markdown: String,
    pub shortcodes: Vec<Resolved>,
}

/// Resolves the shortcodes of a page as the site does, to text and chart
/// ids instead of HTML: for documents other than the site (`brief`).
pub fn resolve_page(
    page: &Page,
    report: &Report,
    f: &Formatter,
    out: &mut Vec<Diagnostic>,
) -> ResolvedPage {
    let (markdown, shortcodes) = markdown::substitute(
        &page.body,
        &page.source,
        page.body_line,
        |sc| {
            if sc.name == "chart" {
                Ok(Resolved::Chart(chart_arg(sc)?))
            } else {
                let (text, label) = figure_text(report, f, sc)?;
                Ok(Resolved::Figure { text, label })
            }
        },
        out,
    );
    ResolvedPage {
        markdown,
        shortcodes,
    }
}

/// A figure as text, and its readable name.
pub(crate) fn figure_text(
    report: &Report,
    f: &Formatter,
    sc: &Shortcode,
) -> Result<(String, String), Diagnostic> {
    only_args(sc, &["key", "in_park", "source"])?;
    let key = string_arg(sc, "key", "enterprise.base")?;
    let source = match sc.arg("source") {
        None => "derived",
        Some(Arg::Str(s)) if s == "derived" || s == "declared" => s.as_str(),
        Some(_) => {
            return Err(Diagnostic::error(
                sc.span.clone(),
                "`source` is \"derived\" or \"declared\"",
            )
            .help("source=\"declared\" prints the figure as metrics.yaml declares it"))
        }
    };
    let in_park = match sc.arg("in_park") {
        None => None,
        Some(Arg::Bool(b)) => Some(*b),
        Some(_) => {
            return Err(
                Diagnostic::error(sc.span.clone(), "`in_park` is true or false")
                    .help("write in_park=true (inside the park) or in_park=false"),
            )
        }
    };
    let derivable = parse_key(key).map_err(|help| {
        Diagnostic::error(sc.span.clone(), format!("unknown measure in key `{key}`")).help(help)
    })?;
    let metrics = &report.data.metrics;
    let declared = metrics.iter().find(|m| m.key == key);
    let (text, label) = match derivable {
        Some(fk) if source == "derived" => {
            let value = match in_park {
                None => report.figures[&fk],
                Some(p) => report.figures_where(|o| o.in_park == p)[&fk],
            };
            (f.figure(fk, value), f.key_label(fk))
        }
        _ => {
            if in_park.is_some() {
                return Err(Diagnostic::error(
                    sc.span.clone(),
                    "`in_park` applies only to figures derived from the registers",
                )
                .help("remove in_park, or drop source=\"declared\""));
            }
            let Some(m) = declared else {
                let help = match did_you_mean(key, metrics.iter().map(|m| m.key.as_str())) {
                    Some(s) => format!("did you mean `{s}`? or declare `{key}` in metrics.yaml"),
                    None => format!("declare `{key}` in data/{}/metrics.yaml", report.data.year),
                };
                return Err(Diagnostic::error(
                    sc.span.clone(),
                    format!("no figure `{key}` is declared"),
                )
                .help(help));
            };
            (
                f.declared(m),
                m.label
                    .clone()
                    .or_else(|| m.derivable.map(|k| f.key_label(k)))
                    .unwrap_or_else(|| key.to_string()),
            )
        }
    };
    Ok((text, label))
}

/// Checks the shortcodes of a page without a report, for runs in which the
/// registers have errors: names, arguments, chart ids and key syntax are
/// still reported with the other problems.
pub fn check_page(page: &crate::load::RawPage, out: &mut Vec<Diagnostic>) {
    let _ = markdown::render(
        &page.body,
        &page.path,
        page.body_line,
        |sc| {
            if sc.name == "chart" {
                chart_arg(sc)?;
            } else {
                only_args(sc, &["key", "in_park", "source"])?;
                let key = string_arg(sc, "key", "enterprise.base")?;
                parse_key(key).map_err(|help| {
                    Diagnostic::error(sc.span.clone(), format!("unknown measure in key `{key}`"))
                        .help(help)
                })?;
            }
            Ok(Expansion::Inline(String::new()))
        },
        out,
    );
}

/// The chart a `chart(id="…")` shortcode names.
pub(crate) fn chart_arg(sc: &Shortcode) -> Result<ChartId, Diagnostic> {
    only_args(sc, &["id"])?;
    let id = string_arg(sc, "id", "coverage-by-kind")?;
    ChartId::parse(id).ok_or_else(|| unknown_chart(sc, id))
}

fn unknown_chart(sc: &Shortcode, id: &str) -> Diagnostic {
    let ids = ChartId::ALL.iter().map(|c| c.as_str());
    let help = match did_you_mean(id, ids) {
        Some(s) => format!("did you mean `{s}`? charts are: {}", ChartId::list()),
        None => format!("charts are: {}", ChartId::list()),
    };
    Diagnostic::error(sc.span.clone(), format!("chart `{id}` does not exist")).help(help)
}
