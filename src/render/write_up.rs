//! The Markdown pages of the write-up as HTML: each shortcode expands to
//! the site's markup for the value `present::shortcodes` resolves it to.

use super::escape;
use super::pages::Renderer;
use crate::diagnostics::Diagnostic;
use crate::model::Page;
use crate::present::markdown::{self, Expansion, Shortcode};
use crate::present::shortcodes::{figure_text, Call};

pub fn render_page(r: &mut Renderer, page: &Page, out: &mut Vec<Diagnostic>) -> String {
    markdown::render(
        &page.body,
        &page.source,
        page.body_line,
        |sc| expand(r, sc),
        out,
    )
}

fn expand(r: &mut Renderer, sc: &Shortcode) -> Result<Expansion, Diagnostic> {
    match Call::parse(sc)? {
        Call::Chart(id) => Ok(Expansion::Block(
            r.chart_html(id, "../").unwrap_or_default(),
        )),
        Call::Figure(call) => {
            let (text, label) = figure_text(r.report, r.f, &call, sc)?;
            Ok(Expansion::Inline(format!(
                "<span class=\"figure\" title=\"{}\">{}</span>",
                escape(&label),
                escape(&text)
            )))
        }
    }
}
