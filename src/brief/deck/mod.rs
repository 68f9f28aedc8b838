//! The slide deck (.pptx, 16:9) for a report upward: a title slide, the
//! key figures, one slide per chart (the chart drawn for the slide, its
//! one-line message as the title, the source under it) and the findings.
//!
//! Written as OOXML by hand and packed by the briefing's zip packer: the
//! Rust crates for .pptx are young (one or two releases) and say nothing
//! of reproducible bytes, and a deck of text, one table and pictures needs
//! a dozen small parts.

mod parts;

use crate::brief::findings;
use crate::brief::placed::{self, Medium};
use crate::brief::summary;
use crate::brief::Input;
use crate::present::charts::ChartId;

/// The file name of a year's deck.
pub fn file_name(year: i32) -> String {
    format!("brief-{year}.pptx")
}

/// The charts of the deck, in order; one without data is left out, and so
/// is one too tall for its text to show at `MIN_TEXT_PT` (the data-quality
/// chart, a pair of bars per declared figure, is: the findings say what
/// disagrees).
pub const CHARTS: [ChartId; 3] = [
    ChartId::CoverageByKind,
    ChartId::CoverageByTownship,
    ChartId::TrendCoverage,
];

/// The smallest chart text on a slide, in points: read from the back of
/// a room.
pub const MIN_TEXT_PT: f64 = 14.0;

/// The box a chart is fitted into on its slide, in EMU.
pub const CHART_BOX: (u64, u64) = (parts::SLIDE_W - 2 * parts::MARGIN, 4_850_000);

pub enum Slide {
    Title {
        title: String,
        subtitle: Vec<String>,
    },
    Table {
        title: String,
        rows: Vec<Vec<String>>,
    },
    Chart {
        title: String,
        chart: placed::Placed,
        source: String,
    },
    Text {
        title: String,
        paragraphs: Vec<String>,
    },
}

/// The slides, in order.
pub fn slides(input: &Input) -> Result<Vec<Slide>, String> {
    let f = input.f();
    let report = input.report();
    let c = &input.site.config;
    let as_of = f.date(report.data.as_of);
    let mut subtitle = vec![f
        .t("brief_subtitle")
        .replace("{year}", &report.data.year.to_string())
        .replace("{as_of}", &as_of)];
    if let Some(issuer) = &c.issuer {
        subtitle.push(issuer.clone());
    }
    let mut slides = vec![
        Slide::Title {
            title: c.title.clone(),
            subtitle,
        },
        Slide::Table {
            title: f.t("deck_key_figures"),
            rows: summary::key_rows(input),
        },
    ];
    let source = f.t("deck_source").replace("{as_of}", &as_of);
    for id in CHARTS {
        let Some(chart) = input.charts().iter().find(|c| c.id == id) else {
            continue;
        };
        if !has_data(id, input) {
            continue;
        }
        let fits = placed::text_pt(chart, Medium::Slide, CHART_BOX);
        if fits.is_none_or(|pt| pt < MIN_TEXT_PT) {
            continue;
        }
        let placed = placed::place(chart, Medium::Slide, input.fonts, CHART_BOX)?;
        slides.push(Slide::Chart {
            title: findings::takeaway(id, report, f).unwrap_or_else(|| chart.title.clone()),
            chart: placed,
            source: format!("{}{}{source}", chart.title, f.t("brief_caption_sep")),
        });
    }
    slides.push(Slide::Text {
        title: f.t("deck_findings"),
        paragraphs: findings::findings(report, f)
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{}. {t}", i + 1))
            .collect(),
    });
    Ok(slides)
}

/// A trend needs two years, the reconciliation a declared figure.
fn has_data(id: ChartId, input: &Input) -> bool {
    match id {
        ChartId::TrendCoverage => input.report().history.years.len() > 1,
        _ => true,
    }
}

/// The .pptx file.
pub fn pptx(input: &Input) -> Result<Vec<u8>, String> {
    let slides = slides(input)?;
    let c = &input.site.config;
    let subject = input
        .f()
        .t("brief_subtitle")
        .replace("{year}", &input.report().data.year.to_string())
        .replace("{as_of}", &input.f().date(input.report().data.as_of));
    parts::package(
        &slides,
        &crate::brief::package::Properties {
            title: &c.title,
            subject: &subject,
            language: c.language.as_str(),
            date: input.report().data.as_of,
        },
    )
}
