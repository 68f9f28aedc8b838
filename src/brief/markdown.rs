//! A page's Markdown (its shortcodes already resolved by the site's own
//! code) → Word blocks: headings, paragraphs, block quotes, lists (Word
//! numbering), tables, footnotes (Word footnotes), code, images, and the
//! charts that `{{ chart(...) }}` places.

use std::collections::HashMap;

use docx_rs::{
    AlignmentType, BreakType, Footnote, IndentLevel, NumberingId, Paragraph, Run, RunFonts,
    SpecialIndentType,
};
use pulldown_cmark::{Alignment, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use super::style;
use crate::present::markdown::{options as markdown_options, tokens, Token};
use crate::present::Resolved;

/// What a page becomes, in order.
pub enum Block {
    Paragraph(Box<Paragraph>),
    /// Rows of cells (each cell its paragraphs), whether the first row is a
    /// header, the column alignments and the longest text of each column.
    Table {
        rows: Vec<Vec<Vec<Paragraph>>>,
        header: bool,
        widths: Vec<usize>,
    },
    Chart(crate::present::charts::ChartId),
    /// A PNG of the site's files that the page shows, with its alt text.
    Image {
        bytes: Vec<u8>,
        alt: String,
    },
}

/// Counters that run through the whole document.
#[derive(Default)]
pub struct Ids {
    pub footnotes: usize,
    /// Paragraphs and runs made so far, against `MAX_ELEMENTS`.
    pub elements: usize,
    /// Numbering instances to declare: (id, abstract id, start).
    pub numberings: Vec<(usize, usize, usize)>,
}

/// Paragraphs and runs one briefing holds (a 300-page write-up has about
/// 15,000). docx-rs keeps a few kilobytes for each, so a page of 400,000
/// one-letter paragraphs or emphasis markers took 1 to 2 GB: past this,
/// the rest of the write-up is left to the site, and the briefing says so.
pub const MAX_ELEMENTS: usize = 30_000;

/// The last paragraph of a briefing cut at `MAX_ELEMENTS`.
pub const CUT_NOTE: &str =
    "（以下内容过长，未收入简报，请见网站。）(The rest of the write-up is too long for the briefing: see the site.)";

// docx-rs declares a numbering of its own with ids 1: ours start at 11.
pub const BULLET_ABSTRACT: usize = 11;
pub const DECIMAL_ABSTRACT: usize = 12;
/// The numbering instance every bullet list shares.
pub const BULLET_NUM: usize = 11;

/// Finds a file of the site by its path relative to the page
/// (`../static/x.png`), for images.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<Vec<u8>>;

pub fn convert(
    markdown: &str,
    shortcodes: &[Resolved],
    ids: &mut Ids,
    lookup: Lookup,
) -> Vec<Block> {
    // Footnote definitions are taken out first, in a pass of their own: a
    // reference may come before its definition. The body is then converted
    // as it is parsed, never held whole as events (a page of emphasis
    // markers is millions of them).
    let mut notes: HashMap<String, Vec<Event>> = HashMap::new();
    let mut it = Parser::new_ext(markdown, markdown_options());
    while let Some(e) = it.next() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = &e {
            let label = label.to_string();
            let mut depth = 1;
            let mut inner = Vec::new();
            for e in it.by_ref() {
                match &e {
                    Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
                    Event::End(TagEnd::FootnoteDefinition) => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                inner.push(e);
            }
            notes.entry(label).or_insert(inner);
        }
    }
    // The parser holds a tree of the whole page (some 60 bytes a byte of
    // emphasis markers): gone before the second one is made.
    drop(it);
    let mut depth = 0usize;
    let body = Parser::new_ext(markdown, markdown_options()).filter(move |e| match e {
        Event::Start(Tag::FootnoteDefinition(_)) => {
            depth += 1;
            false
        }
        Event::End(TagEnd::FootnoteDefinition) => {
            depth = depth.saturating_sub(1);
            false
        }
        _ => depth == 0,
    });
    let mut c = Converter {
        shortcodes,
        notes: &notes,
        ids,
        lookup,
        base: None,
        blocks: Vec::new(),
        para: None,
        bold: 0,
        italic: 0,
        strike: 0,
        links: Vec::new(),
        quote: 0,
        lists: Vec::new(),
        item_first: false,
        heading: None,
        table: None,
        code: None,
        image: None,
        charts: Vec::new(),
    };
    c.run(body);
    c.blocks
}

struct Para {
    p: Paragraph,
    content: bool,
    last: Option<char>,
}

struct List {
    num: usize,
}

struct TableState {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<Vec<Paragraph>>>,
    row: Vec<Vec<Paragraph>>,
    cell: Vec<Paragraph>,
    widths: Vec<usize>,
    cell_width: usize,
    head: bool,
    header: bool,
}

struct Converter<'a, 'e> {
    shortcodes: &'a [Resolved],
    notes: &'a HashMap<String, Vec<Event<'e>>>,
    ids: &'a mut Ids,
    lookup: Lookup<'a>,
    /// The style of every paragraph (in footnotes), instead of the usual.
    base: Option<&'static str>,
    blocks: Vec<Block>,
    para: Option<Para>,
    bold: u32,
    italic: u32,
    strike: u32,
    links: Vec<Option<String>>,
    quote: u32,
    lists: Vec<List>,
    item_first: bool,
    heading: Option<&'static str>,
    table: Option<TableState>,
    code: Option<String>,
    image: Option<(String, String)>,
    /// Charts met inside a paragraph: placed after it.
    charts: Vec<crate::present::charts::ChartId>,
}

impl Converter<'_, '_> {
    fn run<'x>(&mut self, events: impl IntoIterator<Item = Event<'x>>) {
        for e in events {
            if self.ids.elements >= MAX_ELEMENTS && self.code.is_none() && self.image.is_none() {
                self.cut();
                return;
            }
            self.event(e);
        }
        self.finish_para();
    }

    /// Ends the document here (see `MAX_ELEMENTS`), once for the briefing.
    fn cut(&mut self) {
        if self.table.is_some() {
            self.event(Event::End(TagEnd::Table));
        }
        self.finish_para();
        if self.ids.elements != usize::MAX {
            self.ids.elements = usize::MAX;
            self.blocks.push(Block::Paragraph(Box::new(
                Paragraph::new().add_run(Run::new().add_text(CUT_NOTE).italic()),
            )));
        }
    }

    fn event(&mut self, e: Event) {
        if let Some((_, alt)) = &mut self.image {
            match e {
                Event::End(TagEnd::Image) => self.end_image(),
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
            return;
        }
        if let Some(code) = &mut self.code {
            match e {
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
            return;
        }
        match e {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                let run = Run::new()
                    .add_text(&*t)
                    .fonts(RunFonts::new().ascii(style::MONO).hi_ansi(style::MONO));
                self.push_run(run, &t);
            }
            Event::SoftBreak => {
                if self
                    .para
                    .as_ref()
                    .and_then(|p| p.last)
                    .is_some_and(|c| c.is_ascii() && !c.is_ascii_whitespace())
                {
                    self.plain(" ");
                }
            }
            Event::HardBreak => {
                self.ensure_para();
                if let Some(p) = self.para.take() {
                    self.para = Some(Para {
                        p: p.p.add_run(Run::new().add_break(BreakType::TextWrapping)),
                        ..p
                    });
                }
            }
            Event::Rule => {
                self.finish_para();
                self.blocks.push(Block::Paragraph(Box::new(
                    Paragraph::new()
                        .style(style::CAPTION)
                        .add_run(Run::new().add_text("＊　＊　＊")),
                )));
            }
            Event::FootnoteReference(label) => self.footnote(&label),
            // Raw HTML has no Word form; its text is not shown either.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::TaskListMarker(done) => self.plain(if done { "☑ " } else { "☐ " }),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.plain(&t),
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => {
                self.finish_para();
                self.ensure_para();
            }
            Tag::Heading { level, .. } => {
                self.finish_para();
                let i = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 1,
                    HeadingLevel::H3 => 2,
                    _ => 3,
                };
                self.heading = Some(style::HEADINGS[i]);
                self.ensure_para();
            }
            Tag::BlockQuote(_) => {
                self.finish_para();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.finish_para();
                self.code = Some(String::new());
            }
            Tag::List(start) => {
                self.finish_para();
                let num = match start {
                    None => BULLET_NUM,
                    Some(n) => {
                        // Each ordered list is a numbering instance of its
                        // own, so that it restarts at its first number.
                        let id = BULLET_NUM + 1 + self.ids.numberings.len();
                        self.ids.numberings.push((id, DECIMAL_ABSTRACT, n as usize));
                        id
                    }
                };
                self.lists.push(List { num });
            }
            Tag::Item => {
                self.finish_para();
                self.item_first = true;
            }
            Tag::Table(aligns) => {
                self.finish_para();
                self.table = Some(TableState {
                    widths: vec![0; aligns.len()],
                    aligns,
                    rows: Vec::new(),
                    row: Vec::new(),
                    cell: Vec::new(),
                    cell_width: 0,
                    head: false,
                    header: false,
                });
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.head = true;
                    t.header = true;
                    t.row.clear();
                }
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.row.clear();
                }
            }
            Tag::TableCell => {
                if let Some(t) = &mut self.table {
                    t.cell.clear();
                    t.cell_width = 0;
                }
                self.ensure_para();
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let external = dest_url.starts_with("http://") || dest_url.starts_with("https://");
                let show = external && !matches!(link_type, LinkType::Autolink);
                self.links.push(show.then(|| dest_url.to_string()));
            }
            Tag::Image { dest_url, .. } => {
                self.image = Some((dest_url.to_string(), String::new()));
            }
            Tag::FootnoteDefinition(_)
            | Tag::HtmlBlock
            | Tag::MetadataBlock(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.finish_para(),
            TagEnd::Heading(_) => {
                self.finish_para();
                self.heading = None;
            }
            TagEnd::BlockQuote(_) => {
                self.finish_para();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::List(_) => {
                self.finish_para();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.finish_para();
                self.item_first = false;
            }
            TagEnd::TableCell => {
                self.finish_para();
                if let Some(t) = &mut self.table {
                    let col = t.row.len();
                    // A header may wrap onto two lines.
                    let width = if t.head {
                        t.cell_width.div_ceil(2)
                    } else {
                        t.cell_width
                    };
                    if let Some(w) = t.widths.get_mut(col) {
                        *w = (*w).max(width);
                    }
                    let cell = std::mem::take(&mut t.cell);
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    t.head = false;
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.blocks.push(Block::Table {
                        rows: t.rows,
                        header: t.header,
                        widths: t.widths,
                    });
                }
                self.place_charts();
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => {
                if let Some(Some(url)) = self.links.pop() {
                    self.plain(&format!("（{url}）"));
                }
            }
            _ => {}
        }
    }

    /// Opens a paragraph in the style of where we are, if none is open.
    fn ensure_para(&mut self) {
        if self.para.is_some() {
            return;
        }
        self.ids.elements = self.ids.elements.saturating_add(1);
        let mut p = Paragraph::new();
        if let Some(base) = self.base {
            p = p.style(base);
        } else if let Some(t) = &self.table {
            let align = match t.aligns.get(t.row.len()) {
                Some(Alignment::Left) => Some(AlignmentType::Left),
                Some(Alignment::Right) => Some(AlignmentType::Right),
                Some(Alignment::Center) => Some(AlignmentType::Center),
                _ if t.row.is_empty() && !t.head => Some(AlignmentType::Left),
                _ => None,
            };
            p = p.style(if t.head {
                style::TABLE_HEADING
            } else {
                style::TABLE_TEXT
            });
            if let Some(a) = align {
                p = p.align(a);
            }
        } else if let Some(h) = self.heading {
            p = p.style(h);
        } else if let Some(list) = self.lists.last() {
            let level = self.lists.len() - 1;
            p = p.style(style::LIST);
            if self.item_first {
                p = p.numbering(NumberingId::new(list.num), IndentLevel::new(level));
                self.item_first = false;
            } else {
                // A later paragraph of the item lines up with its text.
                p = p.indent(
                    Some(list_text_indent(level)),
                    Some(SpecialIndentType::FirstLine(0)),
                    None,
                    None,
                );
            }
        } else if self.quote > 0 {
            p = p.style(style::QUOTE);
        }
        self.para = Some(Para {
            p,
            content: false,
            last: None,
        });
    }

    fn finish_para(&mut self) {
        if let Some(para) = self.para.take() {
            if let Some(t) = &mut self.table {
                t.cell.push(para.p);
            } else if para.content {
                self.blocks.push(Block::Paragraph(Box::new(para.p)));
            }
        }
        if self.table.is_none() {
            self.place_charts();
        }
    }

    fn place_charts(&mut self) {
        for id in std::mem::take(&mut self.charts) {
            self.blocks.push(Block::Chart(id));
        }
    }

    fn push_run(&mut self, mut run: Run, text: &str) {
        if text.is_empty() {
            return;
        }
        self.ids.elements = self.ids.elements.saturating_add(1);
        self.ensure_para();
        if self.bold > 0 {
            run = run.bold();
        }
        if self.italic > 0 {
            run = run.italic();
        }
        if self.strike > 0 {
            run = run.strike();
        }
        if let Some(t) = &mut self.table {
            t.cell_width += display_width(text);
        }
        if let Some(p) = self.para.take() {
            self.para = Some(Para {
                p: p.p.add_run(run),
                content: true,
                last: text.chars().last(),
            });
        }
    }

    fn plain(&mut self, text: &str) {
        self.push_run(Run::new().add_text(text), text);
    }

    /// Text with the tokens of resolved shortcodes: figures as text, charts
    /// after the paragraph.
    fn text(&mut self, text: &str) {
        for token in tokens(text) {
            match token {
                Token::Text(t) => self.plain(t),
                Token::Expansion(n) => match self.shortcodes.get(n) {
                    Some(Resolved::Figure { text, .. }) => {
                        let text = text.clone();
                        self.plain(&text);
                    }
                    Some(Resolved::Chart(id)) => self.charts.push(*id),
                    None => {}
                },
            }
        }
    }

    fn end_code(&mut self) {
        let code = self.code.take().unwrap_or_default();
        for line in code.trim_end_matches('\n').split('\n') {
            self.blocks.push(Block::Paragraph(Box::new(
                Paragraph::new()
                    .style(self.base.unwrap_or(style::CODE))
                    .add_run(Run::new().add_text(line)),
            )));
        }
    }

    fn end_image(&mut self) {
        let Some((url, alt)) = self.image.take() else {
            return;
        };
        let png = (self.lookup)(&url).filter(|b| b.starts_with(b"\x89PNG\r\n\x1a\n"));
        match png {
            Some(bytes) if self.table.is_none() && self.base.is_none() => {
                self.finish_para();
                self.blocks.push(Block::Image { bytes, alt });
            }
            _ => self.plain(&alt),
        }
    }

    /// A Word footnote with the definition's text; a label without a
    /// definition stays as written.
    fn footnote(&mut self, label: &str) {
        let Some(events) = self.notes.get(label) else {
            self.plain(&format!("[^{label}]"));
            return;
        };
        self.ids.footnotes += 1;
        let id = self.ids.footnotes;
        let mut inner = Converter {
            shortcodes: self.shortcodes,
            notes: &HashMap::new(),
            ids: &mut *self.ids,
            lookup: self.lookup,
            base: Some(style::FOOTNOTE_TEXT),
            blocks: Vec::new(),
            para: None,
            bold: 0,
            italic: 0,
            strike: 0,
            links: Vec::new(),
            quote: 0,
            lists: Vec::new(),
            item_first: false,
            heading: None,
            table: None,
            code: None,
            image: None,
            charts: Vec::new(),
        };
        inner.run(events.clone());
        let mut content: Vec<Paragraph> = inner
            .blocks
            .into_iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(*p),
                _ => None,
            })
            .collect();
        if content.is_empty() {
            content.push(Paragraph::new().style(style::FOOTNOTE_TEXT));
        }
        self.ensure_para();
        if let Some(p) = self.para.take() {
            self.para = Some(Para {
                p: p.p
                    .add_run(Run::new().add_footnote_reference(Footnote { id, content })),
                content: true,
                last: None,
            });
        }
    }
}

/// Where the text of a list item starts, by nesting level.
pub fn list_text_indent(level: usize) -> i32 {
    style::INDENT * (level as i32 + 2)
}

/// Columns a text takes: two for CJK and other wide characters.
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .filter(|b| matches!(b, Block::Paragraph(_)))
            .count()
    }

    /// A page of 100,000 one-letter paragraphs, or of emphasis in one
    /// paragraph, makes a bounded briefing that says it was cut.
    #[test]
    fn a_huge_page_is_cut_at_the_element_limit() {
        for page in ["a\n\n".repeat(100_000), "_a_ *b ".repeat(100_000)] {
            let mut ids = Ids::default();
            let blocks = convert(&page, &[], &mut ids, &|_| None);
            assert!(paragraphs(&blocks) <= MAX_ELEMENTS + 1, "{}", blocks.len());
            let Some(Block::Paragraph(last)) = blocks.last() else {
                panic!("no closing note");
            };
            let xml = String::from_utf8(docx_rs::BuildXML::build(last.as_ref())).unwrap();
            assert!(
                xml.contains("未收入简报") && xml.contains("too long"),
                "{xml}"
            );
            // A second page adds nothing, not even a second note.
            let more = convert("b\n", &[], &mut ids, &|_| None);
            assert_eq!(paragraphs(&more), 0);
        }
        let mut ids = Ids::default();
        let blocks = convert(&"a\n\n".repeat(1_000), &[], &mut ids, &|_| None);
        assert_eq!(
            paragraphs(&blocks),
            1_000,
            "a long page within the limit is whole"
        );
    }
}
