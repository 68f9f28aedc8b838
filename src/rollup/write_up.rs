//! A roll-up's own write-up: Markdown pages whose `figure` shortcodes read
//! the rolled-up figures (or the roll-up's declared ones).

use crate::diagnostics::Diagnostic;
use crate::model::{Page, YearData};
use crate::present::escape;
use crate::present::format::Formatter;
use crate::present::markdown::{self, Expansion, Shortcode};
use crate::present::shortcodes::Call;
use crate::summary::Summary;

/// The page's body as HTML; problems of its shortcodes go to `out`.
pub fn render(
    page: &Page,
    f: &Formatter,
    total: &Summary,
    data: &YearData,
    out: &mut Vec<Diagnostic>,
) -> String {
    markdown::render(
        &page.body,
        &page.source,
        page.body_line,
        |sc| expand(sc, f, total, data),
        out,
    )
}

fn expand(
    sc: &Shortcode,
    f: &Formatter,
    total: &Summary,
    data: &YearData,
) -> Result<Expansion, Diagnostic> {
    let call = match Call::parse(sc)? {
        Call::Figure(call) => call,
        Call::Chart(_) => {
            return Err(
                Diagnostic::error(sc.span.clone(), crate::msg!("rollup.no_chart"))
                    .help(crate::msg!("rollup.no_chart.help")),
            );
        }
    };
    if call.in_park.is_some() {
        return Err(
            Diagnostic::error(sc.span.clone(), crate::msg!("rollup.in_park"))
                .help(crate::msg!("rollup.in_park.help")),
        );
    }
    let (text, label) = match (call.derivable, call.declared) {
        (Some(k), false) => (f.figure(k, total.figure(&k.to_string())), f.key_label(k)),
        _ => {
            let Some(m) = data.metrics.iter().find(|m| m.key == call.key) else {
                return Err(Diagnostic::error(
                    sc.span.clone(),
                    crate::msg!("rollup.no_figure", key = call.key),
                )
                .help(crate::msg!(
                    "rollup.no_figure.help",
                    key = call.key,
                    year = data.year
                )));
            };
            let label = m.label.clone().unwrap_or_else(|| call.key.clone());
            (f.declared(m), label)
        }
    };
    Ok(Expansion::Inline(format!(
        "<span class=\"figure\" title=\"{}\">{}</span>",
        escape(&label),
        escape(&text)
    )))
}
