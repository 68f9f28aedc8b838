//! The page and the named styles of the briefing, after the conventions of
//! Chinese official documents (GB/T 9704-2012 《党政机关公文格式》):
//!
//! - A4, type area 156 mm × 225 mm: top margin 37 mm, left 28 mm, so right
//!   26 mm and bottom 35 mm;
//! - title in 2号 (22 pt) 方正小标宋简体, centred;
//! - body in 3号 (16 pt) 仿宋_GB2312, 28 pt exact line spacing (22 lines a
//!   page), first line indented two characters, justified;
//! - headings: first level 黑体, second 楷体_GB2312, third 仿宋_GB2312 bold,
//!   all 3号 and indented like the body;
//! - page numbers in 4号 (14 pt) 宋体 as "— 1 —", odd pages on the right
//!   and even pages on the left, one character in from the edge of the type
//!   area.
//!
//! Fonts are named, never embedded: Word and LibreOffice substitute a font
//! that is missing, and the font table names the usual substitute of each
//! (仿宋 for 仿宋_GB2312, 楷体 for 楷体_GB2312, 黑体 for 方正小标宋简体).
//! Every style is a named Word style, so a user can restyle the document.
//! Latin letters and digits use Times New Roman, as is customary.

use docx_rs::{
    AlignmentType, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Run,
    RunFonts, SpecialIndentType, Style, StyleType, VertAlignType,
};

/// Sizes are in half-points, lengths in twentieths of a point (twips).
pub const SIZE_2: usize = 44; // 2号, 22 pt
pub const SIZE_3: usize = 32; // 3号, 16 pt
pub const SIZE_4: usize = 28; // 4号, 14 pt
pub const SIZE_SMALL_4: usize = 24; // 小四, 12 pt
/// 28 pt, the fixed line pitch of the body.
pub const LINE: i32 = 560;
/// Two characters of 3号 text: the indent of a paragraph's first line.
pub const INDENT: i32 = 640;

/// A4 in twips.
pub const PAGE_W: u32 = 11906;
pub const PAGE_H: u32 = 16838;
/// Millimetres to twips.
const fn mm(v: i32) -> i32 {
    v * 1440 * 10 / 254
}
/// The width of the type area (156 mm) in twips, and in EMU for images.
pub const TEXT_W: i32 = mm(156);
pub const TEXT_W_EMU: u32 = 156 * 36_000;
/// The tallest an image may be (so that it and its caption fit a page).
pub const MAX_IMAGE_H_EMU: u32 = 190 * 36_000;

pub const LATIN: &str = "Times New Roman";
pub const FANGSONG: &str = "仿宋_GB2312";
pub const KAITI: &str = "楷体_GB2312";
pub const HEITI: &str = "黑体";
pub const XIAOBIAOSONG: &str = "方正小标宋简体";
pub const SONGTI: &str = "宋体";
pub const MONO: &str = "Courier New";

/// Style ids. Word's built-in ones (Title, Heading1…, Caption, Quote,
/// FootnoteText) keep their built-in names, so that the navigation pane,
/// outline view and caption numbering treat them as Word's own.
pub const TITLE: &str = "Title";
pub const SUBTITLE: &str = "Subtitle";
pub const HEADINGS: [&str; 4] = ["Heading1", "Heading2", "Heading3", "Heading4"];
pub const CAPTION: &str = "Caption";
pub const QUOTE: &str = "Quote";
pub const LIST: &str = "ListParagraph";
pub const FIGURE: &str = "Figure";
pub const TABLE_TEXT: &str = "TableText";
pub const TABLE_HEADING: &str = "TableHeading";
pub const FOOTNOTE_TEXT: &str = "FootnoteText";
pub const FOOTNOTE_REF: &str = "FootnoteReference";
pub const CODE: &str = "Code";
pub const FOOTER: &str = "Footer";
pub const NOTE: &str = "Note";

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
        .east_asia(east_asia)
}

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(line)
        .before(0)
        .after(0)
}

fn single() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240)
        .before(0)
        .after(0)
}

fn paragraph(id: &str, name: &str, east_asia: &str, size: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .fonts(fonts(east_asia))
        .size(size)
}

fn no_indent(s: Style) -> Style {
    s.indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None)
}

fn keep_next(mut s: Style) -> Style {
    s.paragraph_property = s.paragraph_property.keep_next(true);
    s
}

/// Every style the briefing uses.
pub fn styles() -> Vec<Style> {
    let normal = Style::new("Normal", StyleType::Paragraph)
        .name("Normal")
        .fonts(fonts(FANGSONG))
        .size(SIZE_3)
        .line_spacing(exact(LINE))
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None);
    let title = keep_next(no_indent(
        paragraph(TITLE, "Title", XIAOBIAOSONG, SIZE_2)
            .align(AlignmentType::Center)
            .line_spacing(exact(700).after(0)),
    ))
    .outline_lvl(9);
    let subtitle = no_indent(
        paragraph(SUBTITLE, "Subtitle", KAITI, SIZE_3)
            .align(AlignmentType::Center)
            .line_spacing(exact(LINE).after(LINE as u32)),
    );
    let heading = |i: usize, font: &str| {
        let s = keep_next(
            paragraph(HEADINGS[i], &format!("heading {}", i + 1), font, SIZE_3)
                .outline_lvl(i)
                .line_spacing(exact(LINE)),
        );
        if i == 2 {
            s.bold()
        } else {
            s
        }
    };
    let caption = no_indent(
        paragraph(CAPTION, "caption", HEITI, SIZE_4)
            .align(AlignmentType::Center)
            .line_spacing(exact(LINE).after(280)),
    );
    let table_caption = keep_next(no_indent(
        paragraph(TABLE_CAPTION, "table caption", HEITI, SIZE_4)
            .align(AlignmentType::Center)
            .line_spacing(exact(LINE)),
    ));
    let figure = keep_next(no_indent(
        paragraph(FIGURE, "figure", FANGSONG, SIZE_3)
            .align(AlignmentType::Center)
            .line_spacing(single().before(120)),
    ));
    let table_text = no_indent(
        paragraph(TABLE_TEXT, "table text", FANGSONG, SIZE_4)
            .align(AlignmentType::Center)
            .line_spacing(exact(400)),
    );
    let table_heading = no_indent(
        paragraph(TABLE_HEADING, "table heading", HEITI, SIZE_4)
            .align(AlignmentType::Center)
            .line_spacing(exact(400)),
    );
    let quote = paragraph(QUOTE, "Quote", KAITI, SIZE_3);
    let note = paragraph(NOTE, "note", KAITI, SIZE_4).line_spacing(exact(440));
    let list = paragraph(LIST, "List Paragraph", FANGSONG, SIZE_3);
    let footnote_text = no_indent(
        paragraph(FOOTNOTE_TEXT, "footnote text", FANGSONG, SIZE_SMALL_4)
            .align(AlignmentType::Left)
            .line_spacing(single()),
    );
    let mut footnote_ref =
        Style::new(FOOTNOTE_REF, StyleType::Character).name("footnote reference");
    footnote_ref.run_property = footnote_ref
        .run_property
        .vert_align(VertAlignType::SuperScript);
    let code = no_indent(
        paragraph(CODE, "code", FANGSONG, SIZE_SMALL_4)
            .fonts(
                RunFonts::new()
                    .ascii(MONO)
                    .hi_ansi(MONO)
                    .east_asia(FANGSONG),
            )
            .align(AlignmentType::Left)
            .line_spacing(exact(320)),
    );
    let footer = no_indent(paragraph(FOOTER, "footer", SONGTI, SIZE_4).line_spacing(single()))
        .fonts(fonts(SONGTI));
    vec![
        normal,
        title,
        subtitle,
        heading(0, HEITI),
        heading(1, KAITI),
        heading(2, FANGSONG),
        heading(3, FANGSONG),
        caption,
        table_caption,
        figure,
        table_text,
        table_heading,
        quote,
        note,
        list,
        footnote_text,
        footnote_ref,
        code,
        footer,
    ]
}

pub const TABLE_CAPTION: &str = "TableCaption";

/// The type area of GB/T 9704 on A4; the footer sits 7 mm under it.
pub fn margins() -> PageMargin {
    PageMargin {
        top: mm(37),
        left: mm(28),
        bottom: mm(35),
        right: mm(26),
        header: mm(15),
        footer: mm(21),
        gutter: 0,
    }
}

/// "— 1 —", on the right of odd pages and the left of even ones, one
/// character (of 4号) in from the edge of the type area.
pub fn footer(odd: bool) -> Footer {
    let dash = |t: &str| Run::new().add_text(t).fonts(fonts(SONGTI)).size(SIZE_4);
    let p = Paragraph::new()
        .style(FOOTER)
        .add_run(dash("— "))
        .add_page_num(PageNum::new())
        .add_run(dash(" —"));
    let p = if odd {
        p.align(AlignmentType::Right).indent(
            Some(0),
            Some(SpecialIndentType::FirstLine(0)),
            Some(280),
            None,
        )
    } else {
        p.align(AlignmentType::Left).indent(
            Some(280),
            Some(SpecialIndentType::FirstLine(0)),
            None,
            None,
        )
    };
    Footer::new().add_paragraph(p)
}

/// The font table: each font the styles name, with the substitute Word
/// takes when it is missing (`w:altName`) and its character set (86:
/// GB2312), so that nothing is embedded and every machine shows Chinese.
pub fn font_table() -> Vec<u8> {
    let font = |name: &str, alt: Option<&str>, charset: &str, family: &str, pitch: &str| {
        let alt = alt
            .map(|a| format!("<w:altName w:val=\"{a}\"/>"))
            .unwrap_or_default();
        format!(
            "<w:font w:name=\"{name}\">{alt}<w:charset w:val=\"{charset}\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/></w:font>"
        )
    };
    let fonts = [
        font(LATIN, None, "00", "roman", "variable"),
        font(FANGSONG, Some("仿宋"), "86", "modern", "fixed"),
        font(KAITI, Some("楷体"), "86", "modern", "fixed"),
        font(HEITI, Some("SimHei"), "86", "modern", "fixed"),
        font(XIAOBIAOSONG, Some(HEITI), "86", "script", "fixed"),
        font(SONGTI, Some("SimSun"), "86", "auto", "variable"),
        font(MONO, None, "00", "modern", "fixed"),
    ];
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">{}</w:fonts>",
        fonts.concat()
    )
    .into_bytes()
}
