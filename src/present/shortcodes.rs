//! The two shortcodes of Markdown pages: `figure` prints a derived or
//! declared figure, `chart` embeds a chart with its data table. Their
//! arguments are checked here, once for every output; each output turns
//! the resolved value into its own form (HTML in `render::write_up`).

use super::charts::ChartId;
use super::format::Formatter;
use super::markdown::{self, Arg, Expansion, Shortcode};
use crate::derive::Report;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{FigureKey, Page};
use crate::resolve::parse_key;

fn only_args(sc: &Shortcode, allowed: &[&str]) -> Result<(), Diagnostic> {
    for (name, _) in &sc.args {
        if !allowed.contains(&name.as_str()) {
            let help = match did_you_mean(name, allowed.iter().copied()) {
                Some(s) => crate::msg!(
                    "shortcode.takes.did_you_mean",
                    guess = s,
                    shortcode = sc.name,
                    args = allowed.join(", ")
                ),
                None => crate::msg!(
                    "shortcode.takes",
                    shortcode = sc.name,
                    args = allowed.join(", ")
                ),
            };
            return Err(Diagnostic::error(
                sc.span.clone(),
                crate::msg!("shortcode.unknown_arg", name = name, shortcode = sc.name),
            )
            .help(help));
        }
    }
    Ok(())
}

fn string_arg<'a>(sc: &'a Shortcode, name: &str, example: &str) -> Result<&'a str, Diagnostic> {
    match sc.arg(name) {
        Some(Arg::Str(s)) => Ok(s),
        Some(_) => Err(Diagnostic::error(
            sc.span.clone(),
            crate::msg!("shortcode.arg_not_text", name = name, shortcode = sc.name),
        )
        .help(crate::msg!(
            "shortcode.write",
            shortcode = sc.name,
            name = name,
            example = example
        ))),
        None => Err(Diagnostic::error(
            sc.span.clone(),
            crate::msg!("shortcode.arg_missing", name = name, shortcode = sc.name),
        )
        .help(crate::msg!(
            "shortcode.write",
            shortcode = sc.name,
            name = name,
            example = example
        ))),
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

/// A shortcode, its arguments checked once: what every output expands.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    Figure(FigureCall),
    Chart(ChartId),
}

/// `figure(key="…", in_park=…, source="…")`.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureCall {
    pub key: String,
    /// The figure the key names when it is derivable.
    pub derivable: Option<FigureKey>,
    /// Only organizations inside (or outside) the park.
    pub in_park: Option<bool>,
    /// `source="declared"`: as metrics.yaml declares it.
    pub declared: bool,
}

impl Call {
    /// Checks a shortcode's name and arguments; needs no register.
    pub fn parse(sc: &Shortcode) -> Result<Call, Diagnostic> {
        if sc.name == "chart" {
            return Ok(Call::Chart(chart_arg(sc)?));
        }
        only_args(sc, &["key", "in_park", "source"])?;
        let key = string_arg(sc, "key", "enterprise.base")?;
        let declared = match sc.arg("source") {
            None => false,
            Some(Arg::Str(s)) if s == "derived" || s == "declared" => s == "declared",
            Some(_) => {
                return Err(
                    Diagnostic::error(sc.span.clone(), crate::msg!("shortcode.source"))
                        .help(crate::msg!("shortcode.source.help")),
                )
            }
        };
        let in_park = match sc.arg("in_park") {
            None => None,
            Some(Arg::Bool(b)) => Some(*b),
            Some(_) => {
                return Err(
                    Diagnostic::error(sc.span.clone(), crate::msg!("shortcode.in_park"))
                        .help(crate::msg!("shortcode.in_park.help")),
                )
            }
        };
        let derivable = parse_key(key).map_err(|help| {
            Diagnostic::error(
                sc.span.clone(),
                crate::msg!("shortcode.unknown_measure", key = key),
            )
            .help(help)
        })?;
        if in_park.is_some() && (derivable.is_none() || declared) {
            return Err(Diagnostic::error(
                sc.span.clone(),
                crate::msg!("shortcode.in_park_derived"),
            )
            .help(crate::msg!("shortcode.in_park_derived.help")));
        }
        Ok(Call::Figure(FigureCall {
            key: key.to_string(),
            derivable,
            in_park,
            declared,
        }))
    }
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
        |sc| match Call::parse(sc)? {
            Call::Chart(id) => Ok(Resolved::Chart(id)),
            Call::Figure(call) => {
                let (text, label) = figure_text(report, f, &call, sc)?;
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

/// A figure as text, and its readable name; an error (at `sc`) when the
/// figure is declared nowhere.
pub(crate) fn figure_text(
    report: &Report,
    f: &Formatter,
    call: &FigureCall,
    sc: &Shortcode,
) -> Result<(String, String), Diagnostic> {
    let key = call.key.as_str();
    if let (Some(fk), false) = (call.derivable, call.declared) {
        let value = match call.in_park {
            None => report.figures[&fk],
            Some(p) => report.figures_where(|o| o.in_park == p)[&fk],
        };
        return Ok((f.figure(fk, value), f.key_label(fk)));
    }
    let metrics = &report.data.metrics;
    let Some(m) = metrics.iter().find(|m| m.key == key) else {
        let help = match did_you_mean(key, metrics.iter().map(|m| m.key.as_str())) {
            Some(s) => crate::msg!("shortcode.undeclared.did_you_mean", guess = s, key = key),
            None => crate::msg!(
                "shortcode.undeclared.help",
                key = key,
                year = report.data.year
            ),
        };
        return Err(Diagnostic::error(
            sc.span.clone(),
            crate::msg!("shortcode.undeclared", key = key),
        )
        .help(help));
    };
    let label = m
        .label
        .clone()
        .or_else(|| m.derivable.map(|k| f.key_label(k)))
        .unwrap_or_else(|| key.to_string());
    Ok((f.declared(m), label))
}

/// Checks the shortcodes of a page without a report, for runs in which the
/// registers have errors: names, arguments, chart ids and key syntax are
/// still reported with the other problems.
pub fn check_page(page: &crate::load::RawPage, out: &mut Vec<Diagnostic>) {
    let _ = markdown::render(
        &page.body,
        &page.path,
        page.body_line,
        |sc| Call::parse(sc).map(|_| Expansion::Inline(String::new())),
        out,
    );
}

/// The chart a `chart(id="…")` shortcode names.
fn chart_arg(sc: &Shortcode) -> Result<ChartId, Diagnostic> {
    only_args(sc, &["id"])?;
    let id = string_arg(sc, "id", "coverage-by-kind")?;
    ChartId::parse(id).ok_or_else(|| unknown_chart(sc, id))
}

fn unknown_chart(sc: &Shortcode, id: &str) -> Diagnostic {
    let ids = ChartId::ALL.iter().map(|c| c.as_str());
    let help = match did_you_mean(id, ids) {
        Some(s) => crate::msg!(
            "chart.unknown.did_you_mean",
            guess = s,
            charts = ChartId::list()
        ),
        None => crate::msg!("chart.unknown.help", charts = ChartId::list()),
    };
    Diagnostic::error(sc.span.clone(), crate::msg!("chart.unknown", id = id)).help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Span;
    use crate::model::{Measure, Scope};

    fn call(text: &str) -> Result<Call, String> {
        let sc = markdown::parse_call(text, Span::file("p.md")).map_err(|d| d.message)?;
        Call::parse(&sc).map_err(|d| d.message)
    }

    #[test]
    fn shortcodes_parse_into_typed_calls() {
        assert_eq!(
            call(r#"chart(id="base-funnel")"#),
            Ok(Call::Chart(ChartId::BaseFunnel))
        );
        assert_eq!(
            call(r#"figure(key="all.base", in_park=true)"#),
            Ok(Call::Figure(FigureCall {
                key: "all.base".into(),
                derivable: Some(FigureKey {
                    scope: Scope::All,
                    measure: Measure::Base
                }),
                in_park: Some(true),
                declared: false,
            }))
        );
        let declared = call(r#"figure(key="instructors", source="declared")"#).unwrap();
        assert!(matches!(
            declared,
            Call::Figure(FigureCall {
                derivable: None,
                declared: true,
                ..
            })
        ));
    }

    #[test]
    fn bad_arguments_are_refused_before_any_register_is_read() {
        let err = |t: &str| call(t).unwrap_err();
        assert_eq!(
            err(r#"chart(id="base-funel")"#),
            "chart `base-funel` does not exist"
        );
        assert_eq!(
            err(r#"figure(key="all.base", park=true)"#),
            "unknown argument `park` of figure()"
        );
        assert_eq!(
            err(r#"figure(key="all.base", source="typed")"#),
            "`source` is \"derived\" or \"declared\""
        );
        assert_eq!(
            err(r#"figure(key="all.base", in_park="yes")"#),
            "`in_park` is true or false"
        );
        assert_eq!(
            err(r#"figure(key="all.bsae")"#),
            "unknown measure in key `all.bsae`"
        );
        assert_eq!(
            err(r#"figure(key="instructors", in_park=true)"#),
            "`in_park` applies only to figures derived from the registers"
        );
    }
}
