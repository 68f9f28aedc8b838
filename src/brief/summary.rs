//! The summary brief (简报): two A4 pages a leader reads, in the layout of
//! the full briefing (GB/T 9704, `style`). A red masthead with the issue
//! number, the issuing body and the date over a red rule; the title; the
//! key figures against the year before; three findings (`findings`), which
//! a reader takes in first; and the two charts of the year's story, drawn
//! for the width they print at.

use crate::present::charts::ChartId;

use docx_rs::{
    AlignmentType, BorderType, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, RunFonts, SpecialIndentType, Tab, TabValueType,
};

use super::findings;
use super::{style, Input, Writer};
use crate::model::{FigureKey, Measure, Scope};

/// The file name of a year's summary brief.
pub fn file_name(year: i32) -> String {
    format!("brief-{year}-summary.docx")
}

/// The two charts of the summary: where the district stands by kind of
/// organization, and where the gap is by township.
pub const CHARTS: [ChartId; 2] = [ChartId::CoverageByKind, ChartId::CoverageByTownship];

/// The rows of the key-figures table, district-wide.
pub const KEY_MEASURES: [Measure; 5] = [
    Measure::Base,
    Measure::Covered,
    Measure::CoverageRate,
    Measure::WorkCoverageRate,
    Measure::PartyOrgs,
];

/// The tallest a chart may print: two of them, the table and the findings
/// fit two pages.
const MAX_CHART_H_EMU: u64 = 86 * 36_000;

const RED: &str = "C00000";

pub fn docx(input: &Input) -> Result<Vec<u8>, String> {
    let mut w = Writer::new(input);
    masthead(&mut w);
    let year = input.report().data.year.to_string();
    let title = w.t("summary_title").replace("{year}", &year);
    w.add(Writer::text(style::TITLE, &title));

    w.heading(0, &w.t("summary_key_figures"));
    let rows = key_rows(input);
    w.table_caption(&w.t("home_key_figures"));
    w.table(rows, true);

    w.heading(0, &w.t("summary_findings"));
    for (i, text) in findings::findings(input.report(), input.f())
        .iter()
        .enumerate()
    {
        w.para(&format!("{}. {text}", i + 1));
    }

    w.heading(0, &w.t("summary_charts"));
    for id in CHARTS {
        chart(&mut w, id)?;
    }

    let source = w
        .t("summary_source")
        .replace("{as_of}", &input.f().date(input.report().data.as_of));
    w.add(Writer::text(style::NOTE, &source));
    w.finish()
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .ascii(style::LATIN)
        .hi_ansi(style::LATIN)
        .east_asia(east_asia)
}

/// "简报" in red, the issue number, then the issuing body on the left and
/// the date on the right above a red rule.
fn masthead(w: &mut Writer) {
    let input = w.input;
    let c = &input.site.config;
    let flush = |p: Paragraph| p.indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None);
    w.add(
        flush(Paragraph::new().align(AlignmentType::Center)).add_run(
            Run::new()
                .add_text(w.t("summary_masthead"))
                .fonts(fonts(style::XIAOBIAOSONG))
                .size(64)
                .color(RED),
        ),
    );
    if let Some(number) = &c.brief_number {
        w.add(
            flush(Paragraph::new().align(AlignmentType::Center))
                .add_run(Run::new().add_text(number).fonts(fonts(style::KAITI))),
        );
    }
    let issuer = c.issuer.clone().unwrap_or_else(|| c.title.clone());
    let rule = ParagraphBorders::with_empty().set(
        ParagraphBorder::new(ParagraphBorderPosition::Bottom)
            .val(BorderType::Single)
            .size(18)
            .space(4)
            .color(RED),
    );
    w.add(
        flush(Paragraph::new())
            .add_tab(
                Tab::new()
                    .val(TabValueType::Right)
                    .pos(style::TEXT_W as usize),
            )
            .set_borders(rule)
            .add_run(Run::new().add_text(issuer).fonts(fonts(style::FANGSONG)))
            .add_run(Run::new().add_tab())
            .add_run(Run::new().add_text(input.f().date(input.report().data.as_of))),
    );
}

/// Indicator, this year, the year before and the change, district-wide;
/// without a year before, indicator and this year.
pub fn key_rows(input: &Input) -> Vec<Vec<String>> {
    let f = input.f();
    let report = input.report();
    let year = report.data.year;
    let history = &report.history;
    let prev = history
        .years
        .iter()
        .position(|&y| y == year)
        .filter(|&i| i > 0);
    let col = |y: i32| f.t("summary_year_col").replace("{year}", &y.to_string());
    let mut header = vec![f.t("col_key"), col(year)];
    if let Some(i) = prev {
        header.push(col(history.years[i - 1]));
        header.push(f.t("col_change"));
    }
    let mut rows = vec![header];
    for m in KEY_MEASURES {
        let key = FigureKey {
            scope: Scope::All,
            measure: m,
        };
        let now = report.figures.get(&key).copied().flatten();
        let mut row = vec![f.t(&format!("measure_{}", m.as_str())), f.figure(key, now)];
        if let Some(i) = prev {
            let before = history
                .trends
                .iter()
                .find(|t| t.key == key)
                .and_then(|t| t.values[i - 1]);
            row.push(f.figure(key, before));
            row.push(match (before, now) {
                (Some(a), Some(b)) if m.is_rate() => signed(f.points(b - a), b - a),
                (Some(a), Some(b)) => signed(f.count(b - a), b - a),
                _ => "—".into(),
            });
        }
        rows.push(row);
    }
    rows
}

fn signed(text: String, v: f64) -> String {
    if v > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// A chart drawn for the type area, with "图N　title" under it.
fn chart(w: &mut Writer, id: ChartId) -> Result<(), String> {
    w.placed_chart(id, MAX_CHART_H_EMU)
}
