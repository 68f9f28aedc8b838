//! The annual summary as an editable Word document (.docx): title, the key
//! figures as a Word table, the write-up converted from Markdown with its
//! shortcodes resolved as the site resolves them, the charts as the site's
//! 2× PNGs with numbered captions, and the data-quality notes.
//!
//! The document is laid out after GB/T 9704 (see `style`), built with
//! docx-rs and packed by `package` so that the same input gives the same
//! bytes. `build` puts it on the site as `brief-<year>.docx`; `nianbao
//! brief` writes the same file.

mod markdown;
pub(crate) mod package;
pub mod style;
// The summary brief and the slide deck, and what they share with the
// full briefing.
pub mod deck;
pub mod findings;
pub mod placed;
pub mod summary;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, FieldCharType, InstrText, Level, LevelJc,
    LevelOverride, LevelText, NumberFormat, Numbering, PageMargin, Paragraph, Pic, Run,
    SpecialIndentType, Start, Table, TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

use crate::derive::Report;
use crate::model::{FigureKey, Language, Measure, Scope, Site};
use crate::present::charts::Chart;
use crate::present::charts::ChartId;
use crate::present::format::Formatter;
use crate::present::Presented;
use markdown::{Block, Ids};

/// The file name of a year's briefing, at the root of that year's site.
pub fn file_name(year: i32) -> String {
    format!("brief-{year}.docx")
}

/// Everything the briefing is made from: the same values the site's pages
/// are rendered from.
pub struct Input<'a> {
    pub site: &'a Site,
    pub presented: &'a Presented<'a>,
    /// A file of the site by its path (`static/…`), for images of the pages.
    pub file: &'a dyn Fn(&Path) -> Option<Vec<u8>>,
    /// The year's write-up, the pages `presented` was made from (in order).
    pub write_up: &'a [crate::model::Page],
    /// The theme's fonts, for charts drawn at the size they are placed at.
    pub fonts: &'a [Vec<u8>],
}

/// The briefing documents of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// The whole report as an editable Word document.
    Report,
    /// The two-page 简报.
    Summary,
    /// The 16:9 slide deck.
    Deck,
}

impl Document {
    pub const ALL: &'static [Document] = &[Document::Report, Document::Summary, Document::Deck];

    /// Its file name in the site and by default for `nianbao brief`.
    pub fn file_name(self, year: i32) -> String {
        match self {
            Document::Report => file_name(year),
            Document::Summary => summary::file_name(year),
            Document::Deck => deck::file_name(year),
        }
    }

    /// Its bytes.
    pub fn make(self, input: &Input) -> Result<Vec<u8>, String> {
        match self {
            Document::Report => docx(input),
            Document::Summary => summary::docx(input),
            Document::Deck => deck::pptx(input),
        }
    }
}

impl Input<'_> {
    /// The year's derived figures.
    pub fn report(&self) -> &Report<'_> {
        self.presented.report
    }

    /// Numbers, dates and interface strings in the site's language.
    pub fn f(&self) -> &Formatter {
        &self.presented.f
    }

    /// The year's charts.
    pub fn charts(&self) -> &[Chart] {
        &self.presented.charts
    }
}

/// The columns of the key-figures table, as on the briefing page.
const KEY_MEASURES: [Measure; 7] = [
    Measure::Base,
    Measure::Covered,
    Measure::CoverageRate,
    Measure::WorkCoverageRate,
    Measure::PartyOrgs,
    Measure::JointBranches,
    Measure::NewPartyOrgs,
];

/// Charts of the key-figures section and of the data-quality section, each
/// shown there unless the write-up already places it.
const KEY_CHARTS: [ChartId; 2] = [ChartId::CoverageByKind, ChartId::CoverageByTownship];
const QUALITY_CHARTS: [ChartId; 1] = [ChartId::DeclaredVsDerived];

/// Builds the .docx. A shortcode with a problem is left out (the problem
/// is in `Presented::page_problems`).
pub fn docx(input: &Input) -> Result<Vec<u8>, String> {
    let mut w = Writer::new(input);
    let pages: Vec<_> = input.write_up.iter().zip(&input.presented.pages).collect();
    let embedded: BTreeSet<ChartId> = pages
        .iter()
        .flat_map(|(_, r)| r.shortcodes.iter())
        .filter_map(|s| match s {
            crate::present::Resolved::Chart(id) => Some(*id),
            _ => None,
        })
        .collect();

    w.front_matter();
    w.key_figures(&embedded);
    for (page, resolved) in &pages {
        w.heading(0, &page.title);
        let lookup = |url: &str| resolve_url(url).and_then(|p| (input.file)(&p));
        let blocks = markdown::convert(
            &resolved.markdown,
            &resolved.shortcodes,
            &mut w.ids,
            &|url| lookup(url),
        );
        for b in blocks {
            w.block(b);
        }
    }
    w.data_quality(&embedded);
    w.finish()
}

/// A URL of a page (`../static/a.png`, the page being under `pages/`) as
/// the path of a file of the site, or `None` for URLs that leave the site.
fn resolve_url(url: &str) -> Option<PathBuf> {
    if url.contains("://") || url.starts_with('/') || url.starts_with("data:") {
        return None;
    }
    let path = url.split(['?', '#']).next()?;
    let mut out: Vec<String> = Vec::new();
    let mut up = 0;
    for c in Path::new(path).components() {
        match c {
            Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                if out.pop().is_none() {
                    up += 1;
                }
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    // Relative to pages/: one level up is the site root.
    if up > 1 {
        return None;
    }
    let rel: PathBuf = out.iter().collect();
    Some(if up == 1 {
        rel
    } else {
        Path::new("pages").join(rel)
    })
}

struct Writer<'a> {
    input: &'a Input<'a>,
    docx: Docx,
    ids: Ids,
    figures: usize,
    tables: usize,
    images: usize,
    placed: BTreeSet<ChartId>,
}

impl<'a> Writer<'a> {
    /// A writer with an empty document.
    fn new(input: &'a Input<'a>) -> Self {
        Writer {
            input,
            docx: Docx::new(),
            ids: Ids::default(),
            figures: 0,
            tables: 0,
            images: 0,
            placed: BTreeSet::new(),
        }
    }

    fn t(&self, key: &str) -> String {
        self.input.presented.f.t(key)
    }

    fn add(&mut self, p: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    fn add_table(&mut self, t: Table) {
        self.docx = std::mem::take(&mut self.docx).add_table(t);
    }

    fn text(style_id: &str, text: &str) -> Paragraph {
        Paragraph::new()
            .style(style_id)
            .add_run(Run::new().add_text(text))
    }

    fn heading(&mut self, level: usize, text: &str) {
        self.add(Self::text(style::HEADINGS[level], text));
    }

    fn para(&mut self, text: &str) {
        self.add(Paragraph::new().add_run(Run::new().add_text(text)));
    }

    fn front_matter(&mut self) {
        let input = self.input;
        let c = &input.site.config;
        self.add(Self::text(style::TITLE, &c.title));
        let subtitle = self
            .t("brief_subtitle")
            .replace("{year}", &input.presented.report.data.year.to_string())
            .replace(
                "{as_of}",
                &input.presented.f.date(input.presented.report.data.as_of),
            );
        self.add(Self::text(style::SUBTITLE, &subtitle));
        if let Some(notice) = &c.notice {
            let label = self.t("notice_label");
            let sep = self.colon();
            self.add(Self::text(style::NOTE, &format!("{label}{sep}{notice}")));
        }
    }

    fn colon(&self) -> &'static str {
        if self.input.presented.f.language == Language::ZhCn {
            "："
        } else {
            ": "
        }
    }

    fn key_figures(&mut self, embedded: &BTreeSet<ChartId>) {
        let input = self.input;
        let f = &input.presented.f;
        let figures = &input.presented.report.figures;
        self.heading(0, &self.t("home_key_figures"));
        let mut header = vec![self.t("col_kind")];
        header.extend(KEY_MEASURES.iter().map(|m| self.t(m.label_key())));
        let mut rows = vec![header];
        let mut kinds = 0;
        for scope in Scope::ALL {
            let fig = |m: Measure| {
                let key = FigureKey {
                    scope: *scope,
                    measure: m,
                };
                (key, figures.get(&key).copied().flatten())
            };
            let row = || {
                let mut row = vec![self.t(scope.label_key())];
                row.extend(KEY_MEASURES.iter().map(|&m| {
                    let (key, v) = fig(m);
                    f.figure(key, v)
                }));
                row
            };
            if *scope == Scope::All {
                if kinds > 1 {
                    rows.push(row());
                }
            } else if fig(Measure::Base).1.unwrap_or(0.0) > 0.0 {
                kinds += 1;
                rows.push(row());
            }
        }
        let caption = self.t("home_by_kind");
        self.table_caption(&caption);
        self.table(rows, true);

        let tables = &input.presented.tables;
        if !tables.excluded.is_empty() {
            let list: Vec<String> = tables
                .excluded
                .iter()
                .map(|c| format!("{} {}", c.label, c.count))
                .collect();
            let sep = if f.language == Language::ZhCn {
                "，"
            } else {
                ", "
            };
            let end = if f.language == Language::ZhCn {
                "。"
            } else {
                "."
            };
            self.para(&format!(
                "{}{}{}{end}",
                self.t("home_excluded"),
                self.colon(),
                list.join(sep)
            ));
        }
        let mismatches = tables.mismatches;
        if mismatches > 0 {
            self.para(&format!(
                "{mismatches} {}{}",
                self.t("dq_mismatch_count"),
                self.t("brief_see_dq")
            ));
        }
        for id in KEY_CHARTS {
            if !embedded.contains(&id) {
                self.chart(id);
            }
        }
    }

    fn data_quality(&mut self, embedded: &BTreeSet<ChartId>) {
        let tables = &self.input.presented.tables;
        self.heading(0, &self.t("dq_title"));
        self.para(&self.t("dq_intro"));
        let mismatches = tables.mismatches;
        if mismatches > 0 {
            self.para(&format!("{mismatches} {}", self.t("dq_mismatch_count")));
        } else {
            self.para(&self.t("dq_all_match"));
        }
        if !tables.reconciliation.is_empty() {
            let mut rows = vec![vec![
                self.t("col_key"),
                self.t("col_declared"),
                self.t("col_derived"),
                self.t("col_result"),
            ]];
            for r in &tables.reconciliation {
                rows.push(vec![
                    r.label.clone(),
                    r.declared.clone(),
                    r.derived.clone(),
                    if r.matches {
                        format!("✓ {}", self.t("dq_match"))
                    } else {
                        format!("✗ {}", self.t("dq_mismatch"))
                    },
                ]);
            }
            let caption = self.t("chart_declared_vs_derived");
            self.table_caption(&caption);
            self.table(rows, true);
        }
        for id in QUALITY_CHARTS {
            if !embedded.contains(&id) {
                self.chart(id);
            }
        }
        let indicators: Vec<Vec<String>> = tables
            .indicators
            .iter()
            .map(|i| vec![i.label.clone(), i.value.clone()])
            .collect();
        if !indicators.is_empty() {
            self.heading(1, &self.t("dq_indicators"));
            let mut rows = vec![vec![self.t("col_key"), self.t("col_value")]];
            rows.extend(indicators);
            let caption = self.t("dq_indicators");
            self.table_caption(&caption);
            self.table(rows, true);
        }
        if !tables.excluded.is_empty() {
            self.heading(1, &self.t("dq_excluded"));
            for c in &tables.excluded {
                let text = format!("{}{}{}", c.label, self.colon(), c.count);
                self.para(&text);
            }
        }
    }

    /// "表1　…" above a table.
    fn table_caption(&mut self, text: &str) {
        self.tables += 1;
        let label = self.t("brief_table");
        let p = caption(
            style::TABLE_CAPTION,
            &label,
            self.tables,
            &self.t("brief_caption_sep"),
            text,
        );
        self.add(p);
    }

    /// A table of text; the first row is the header when `header`.
    fn table(&mut self, rows: Vec<Vec<String>>, header: bool) {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; cols];
        for (j, r) in rows.iter().enumerate() {
            for (i, c) in r.iter().enumerate() {
                // A header may wrap onto two lines.
                let w = markdown::display_width(c);
                let w = if header && j == 0 { w.div_ceil(2) } else { w };
                widths[i] = widths[i].max(w);
            }
        }
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                r.into_iter()
                    .enumerate()
                    .map(|(j, c)| {
                        let head = header && i == 0;
                        let p = Self::text(
                            if head {
                                style::TABLE_HEADING
                            } else {
                                style::TABLE_TEXT
                            },
                            &c,
                        );
                        vec![if j == 0 && !head {
                            p.align(AlignmentType::Left)
                        } else {
                            p
                        }]
                    })
                    .collect()
            })
            .collect();
        let t = word_table(rows, header, &widths);
        self.add_table(t);
    }

    fn block(&mut self, b: Block) {
        match b {
            Block::Paragraph(p) => self.add(*p),
            Block::Table {
                rows,
                header,
                widths,
            } => {
                let t = word_table(rows, header, &widths);
                self.add_table(t);
            }
            Block::Chart(id) => self.chart(id),
            Block::Image { bytes, alt } => {
                if let Some(pic) = self.picture(bytes) {
                    self.add(
                        Paragraph::new()
                            .style(style::FIGURE)
                            .add_run(Run::new().add_image(pic)),
                    );
                    if !alt.is_empty() {
                        self.figures += 1;
                        let label = self.t("brief_figure");
                        let sep = self.t("brief_caption_sep");
                        self.add(caption(style::CAPTION, &label, self.figures, &sep, &alt));
                    }
                }
            }
        }
    }

    /// A chart drawn for the page, with "图N　title" under it. A chart is
    /// shown once: a second shortcode for it is left out.
    fn chart(&mut self, id: ChartId) {
        if !self.placed.insert(id) {
            return;
        }
        let _ = self.placed_chart(id, style::MAX_IMAGE_H_EMU as u64);
    }

    /// Chart `id` drawn for the type area's width (so that its text prints
    /// at 五号 or larger) and at most `max_h` EMU high, with "图N　title"
    /// under it: its title is the caption's alone.
    pub(crate) fn placed_chart(&mut self, id: ChartId, max_h: u64) -> Result<(), String> {
        let input = self.input;
        let Some(chart) = input.charts().iter().find(|c| c.id == id) else {
            return Ok(());
        };
        let max = (style::TEXT_W_EMU as u64, max_h);
        let p = placed::place(chart, placed::Medium::Word, input.fonts, max)?;
        self.images += 1;
        let pic = Pic::new_with_dimensions(p.png, p.px.0, p.px.1)
            .id(format!("rIdImage{}", self.images))
            .size(p.emu.0 as u32, p.emu.1 as u32);
        self.add(
            Paragraph::new()
                .style(style::FIGURE)
                .add_run(Run::new().add_image(pic)),
        );
        self.figures += 1;
        let label = self.t("brief_figure");
        let sep = self.t("brief_caption_sep");
        self.add(caption(
            style::CAPTION,
            &label,
            self.figures,
            &sep,
            &chart.title,
        ));
        Ok(())
    }

    /// A PNG sized to the type area: its CSS size (half its pixels) when
    /// that fits, else scaled down to the width of the text and to a height
    /// that leaves room for the caption.
    fn picture(&mut self, png: Vec<u8>) -> Option<Pic> {
        let (w, h) = png_size(&png)?;
        self.images += 1;
        // 9525 EMU to a CSS pixel; the PNG has two pixels to one.
        let mut cx = (w as u64 * 9525 / 2).min(style::TEXT_W_EMU as u64);
        let mut cy = cx * h as u64 / w as u64;
        if cy > style::MAX_IMAGE_H_EMU as u64 {
            cy = style::MAX_IMAGE_H_EMU as u64;
            cx = cy * w as u64 / h as u64;
        }
        Some(
            Pic::new_with_dimensions(png, w, h)
                .id(format!("rIdImage{}", self.images))
                .size(cx as u32, cy as u32),
        )
    }

    fn finish(self) -> Result<Vec<u8>, String> {
        let input = self.input;
        let c = &input.site.config;
        let mut docx = self
            .docx
            .page_size(style::PAGE_W, style::PAGE_H)
            .page_margin(margins())
            .footer(style::footer(true))
            .even_footer(style::footer(false))
            .add_abstract_numbering(bullets())
            .add_abstract_numbering(decimals())
            .add_numbering(Numbering::new(
                markdown::BULLET_NUM,
                markdown::BULLET_ABSTRACT,
            ));
        for (id, abs, start) in &self.ids.numberings {
            docx = docx.add_numbering(
                Numbering::new(*id, *abs).add_override(LevelOverride::new(0).start(*start)),
            );
        }
        let mut styles = docx_rs::Styles::new()
            .default_fonts(
                docx_rs::RunFonts::new()
                    .ascii(style::LATIN)
                    .hi_ansi(style::LATIN)
                    .cs(style::LATIN)
                    .east_asia(style::FANGSONG),
            )
            .default_size(style::SIZE_3);
        for s in style::styles() {
            styles = styles.add_style(s);
        }
        docx = docx.styles(styles);
        let xml = docx.build();
        let subject = input
            .presented
            .f
            .t("brief_subtitle")
            .replace("{year}", &input.presented.report.data.year.to_string())
            .replace(
                "{as_of}",
                &input.presented.f.date(input.presented.report.data.as_of),
            );
        package::pack(
            xml,
            &package::Properties {
                title: &c.title,
                subject: &subject,
                language: c.language.as_str(),
                date: input.presented.report.data.as_of,
            },
            style::font_table(),
        )
    }
}

fn margins() -> PageMargin {
    style::margins()
}

/// "图1　title": the label, a SEQ field Word can renumber (with its
/// current number as the result), the separator and the text.
fn caption(style_id: &str, label: &str, n: usize, sep: &str, text: &str) -> Paragraph {
    let seq = label.trim();
    Paragraph::new()
        .style(style_id)
        .add_run(Run::new().add_text(label))
        .add_run(
            Run::new()
                .add_field_char(FieldCharType::Begin, false)
                .add_instr_text(InstrText::Unsupported(format!(" SEQ {seq} \\* ARABIC ")))
                .add_field_char(FieldCharType::Separate, false)
                .add_text(n.to_string())
                .add_field_char(FieldCharType::End, false),
        )
        .add_run(Run::new().add_text(format!("{sep}{text}")))
}

/// A bordered table over the width of the type area, columns in proportion
/// to their longest text (header texts count half: they may wrap), a wide
/// one no more than four times a narrow one.
fn word_table(rows: Vec<Vec<Vec<Paragraph>>>, header: bool, widths: &[usize]) -> Table {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let weights: Vec<usize> = (0..cols)
        .map(|i| widths.get(i).copied().unwrap_or(1).clamp(6, 24))
        .collect();
    let total: usize = weights.iter().sum();
    let grid: Vec<usize> = weights
        .iter()
        .map(|w| w * style::TEXT_W as usize / total)
        .collect();
    let rows: Vec<TableRow> = rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| {
            let n = cells.len();
            let mut cells: Vec<TableCell> = cells
                .into_iter()
                .enumerate()
                .map(|(j, paras)| {
                    let mut cell = TableCell::new()
                        .width(grid[j.min(cols - 1)], WidthType::Dxa)
                        .vertical_align(VAlignType::Center);
                    if paras.is_empty() {
                        cell = cell.add_paragraph(Paragraph::new().style(style::TABLE_TEXT));
                    }
                    for p in paras {
                        cell = cell.add_paragraph(p);
                    }
                    if header && i == 0 {
                        cell = cell.shading(docx_rs::Shading::new().fill("F2F2F2"));
                    }
                    cell
                })
                .collect();
            for &w in &grid[n.min(cols)..] {
                cells.push(
                    TableCell::new()
                        .width(w, WidthType::Dxa)
                        .add_paragraph(Paragraph::new().style(style::TABLE_TEXT)),
                );
            }
            TableRow::new(cells).cant_split()
        })
        .collect();
    Table::new(rows)
        .set_grid(grid)
        .width(style::TEXT_W as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .align(docx_rs::TableAlignmentType::Center)
}

/// Bullets: level by level "•", "◦", "▪", "•".
fn bullets() -> AbstractNumbering {
    let mut a = AbstractNumbering::new(markdown::BULLET_ABSTRACT);
    for (level, text) in ["•", "◦", "▪", "•"].into_iter().enumerate() {
        a = a.add_level(list_level(level, "bullet", text));
    }
    a
}

/// Numbers as GB/T 9704's third and fourth levels: "1." then "（1）".
fn decimals() -> AbstractNumbering {
    let mut a = AbstractNumbering::new(markdown::DECIMAL_ABSTRACT);
    for (level, text) in ["%1.", "（%2）", "%3)", "%4."].into_iter().enumerate() {
        a = a.add_level(list_level(level, "decimal", text));
    }
    a
}

fn list_level(level: usize, format: &str, text: &str) -> Level {
    Level::new(
        level,
        Start::new(1),
        NumberFormat::new(format),
        LevelText::new(text),
        LevelJc::new("left"),
    )
    .indent(
        Some(markdown::list_text_indent(level)),
        Some(SpecialIndentType::Hanging(style::INDENT)),
        None,
        None,
    )
}

/// Width and height of a PNG, from its header.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.len() < 24 || !png.starts_with(b"\x89PNG\r\n\x1a\n") {
        return None;
    }
    let w = u32::from_be_bytes(png[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(png[20..24].try_into().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_resolve_inside_the_site() {
        assert_eq!(
            resolve_url("../static/a.png"),
            Some(PathBuf::from("static/a.png"))
        );
        assert_eq!(
            resolve_url("img/b.png"),
            Some(PathBuf::from("pages/img/b.png"))
        );
        assert_eq!(resolve_url("../../etc/passwd"), None);
        assert_eq!(resolve_url("https://example.org/a.png"), None);
    }
}
