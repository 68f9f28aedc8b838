//! Packs the parts that docx-rs renders into a .docx whose bytes depend on
//! the content alone: every zip entry carries one fixed time (the data's
//! cut-off date), XML is deflated and images stored, the document
//! properties are written here (title, language, fixed dates), and each
//! drawing gets its own id (docx-rs gives every one `id="1"`, which Word
//! may report as a damaged file).

use std::io::{Cursor, Write};

use docx_rs::XMLDocx;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::model::Date;

pub struct Properties<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub language: &'a str,
    /// Stamped as created and modified: the data's cut-off date.
    pub date: Date,
}

pub fn pack(xml: XMLDocx, props: &Properties, font_table: Vec<u8>) -> Result<Vec<u8>, String> {
    // Paragraph ids come from a counter of docx-rs that lives as long as
    // the thread: numbered again here, so that they depend on this
    // document alone.
    let mut para = 0;
    let document = number_paragraphs(&repeat_headers(&number_drawings(&xml.document)), &mut para);
    let footnotes = number_paragraphs(&xml.footnotes, &mut para);
    let footers: Vec<Vec<u8>> = xml
        .footers
        .iter()
        .map(|f| number_paragraphs(f, &mut para))
        .collect();
    let headers: Vec<Vec<u8>> = xml
        .headers
        .iter()
        .map(|h| number_paragraphs(h, &mut para))
        .collect();
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), xml.content_type),
        ("_rels/.rels".into(), xml.rels),
        ("docProps/app.xml".into(), app_xml()),
        ("docProps/core.xml".into(), core_xml(props)),
        ("docProps/custom.xml".into(), xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), xml.document_rels),
        ("word/document.xml".into(), document),
        ("word/styles.xml".into(), default_style(&xml.styles)),
        ("word/settings.xml".into(), xml.settings),
        ("word/fontTable.xml".into(), font_table),
        ("word/comments.xml".into(), xml.comments),
        ("word/numbering.xml".into(), xml.numberings),
        ("word/commentsExtended.xml".into(), xml.comments_extended),
        ("word/footnotes.xml".into(), footnotes),
    ];
    // Relationships only for the headers and footers there are.
    for (kind, items, rels) in [
        ("header", headers, xml.header_rels),
        ("footer", footers, xml.footer_rels),
    ] {
        for (i, (part, rels)) in items.into_iter().zip(rels).enumerate() {
            parts.push((format!("word/{kind}{}.xml", i + 1), part));
            parts.push((format!("word/_rels/{kind}{}.xml.rels", i + 1), rels));
        }
    }
    let media: Vec<(String, Vec<u8>)> = xml
        .media
        .into_iter()
        .map(|(id, bytes)| (format!("word/media/{id}.png"), bytes))
        .collect();

    zip(parts, media, props.date, "docx")
}

/// An Office package: `parts` deflated, `media` stored, in the order
/// given, every entry stamped with `date` at midnight and mode 0644, so
/// that the bytes depend on the content alone. `kind` names the file in
/// errors.
pub fn zip(
    parts: Vec<(String, Vec<u8>)>,
    media: Vec<(String, Vec<u8>)>,
    date: Date,
    kind: &str,
) -> Result<Vec<u8>, String> {
    let time = DateTime::from_date_and_time(
        date.year.clamp(1980, 2107) as u16,
        date.month as u8,
        date.day as u8,
        0,
        0,
        0,
    )
    .map_err(|e| crate::msg!("brief.bad_date", date = date, error = e))?;
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(time)
        .unix_permissions(0o644);
    let stored = deflated
        .compression_method(CompressionMethod::Stored)
        .compression_level(None);

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let io = |e: zip::result::ZipError| crate::msg!("brief.cannot_write", kind = kind, error = e);
    for (name, bytes) in parts {
        zip.start_file(name, deflated).map_err(io)?;
        zip.write_all(&xml_chars_only(bytes))
            .map_err(|e| e.to_string())?;
    }
    for (name, bytes) in media {
        zip.start_file(name, stored).map_err(io)?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    let cursor = zip.finish().map_err(io)?;
    Ok(crate::mark::mark_zip(cursor.into_inner()))
}

/// Gives each `<wp:docPr>` a unique id and a name ("图1" …).
fn number_drawings(document: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(document);
    const DOC_PR: &str = "<wp:docPr id=\"1\" name=\"Figure\"";
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    let mut n = 0;
    while let Some(i) = rest.find(DOC_PR) {
        n += 1;
        out.push_str(&rest[..i]);
        out.push_str(&format!("<wp:docPr id=\"{n}\" name=\"Picture {n}\""));
        rest = &rest[i + DOC_PR.len()..];
    }
    out.push_str(rest);
    out.into_bytes()
}

/// docx-rs writes an empty "Normal" style before ours: it goes, and ours
/// is marked as the default paragraph style (docx-rs cannot), which
/// paragraphs without a style of their own take.
fn default_style(styles: &[u8]) -> Vec<u8> {
    const EMPTY_NORMAL: &str = "<w:style w:type=\"paragraph\" w:styleId=\"Normal\"><w:name w:val=\"Normal\" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style>";
    String::from_utf8_lossy(styles)
        .replacen(EMPTY_NORMAL, "", 1)
        .replacen(
            "<w:style w:type=\"paragraph\" w:styleId=\"Normal\">",
            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">",
            1,
        )
        .into_bytes()
}

/// Marks the first row of every table as its header, which Word repeats
/// at the top of each page the table runs onto (docx-rs cannot). Every
/// table of the briefing has a header row, and every row `cantSplit`.
fn repeat_headers(document: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(document);
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest: &str = &text;
    while let Some(i) = rest.find("<w:tbl>") {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let row = tail.find("<w:cantSplit />");
        let end = tail.find("</w:tr>");
        match (row, end) {
            (Some(r), Some(e)) if r < e => {
                let at = r + "<w:cantSplit />".len();
                out.push_str(&tail[..at]);
                out.push_str("<w:tblHeader />");
                rest = &tail[at..];
            }
            _ => {
                out.push_str("<w:tbl>");
                rest = &tail["<w:tbl>".len()..];
            }
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

/// Numbers the `w14:paraId` attributes 1, 2, … in order, across parts.
fn number_paragraphs(part: &[u8], n: &mut u32) -> Vec<u8> {
    const ATTR: &str = "w14:paraId=\"";
    let text = String::from_utf8_lossy(part);
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(i) = rest.find(ATTR) {
        let start = i + ATTR.len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        *n += 1;
        out.push_str(&rest[..start]);
        out.push_str(&format!("{:08X}", *n));
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out.into_bytes()
}

/// `part` without the characters XML 1.0 forbids. Sources holding them
/// are refused with a position when they are read (`load`, `resolve`);
/// this is the last guard, for what Markdown makes of character
/// references such as `&#11;`: Word refuses a document that holds one.
fn xml_chars_only(part: Vec<u8>) -> Vec<u8> {
    match String::from_utf8(part) {
        Ok(text) if text.chars().any(crate::load::xml_forbidden) => text
            .chars()
            .filter(|c| !crate::load::xml_forbidden(*c))
            .collect::<String>()
            .into_bytes(),
        Ok(text) => text.into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

fn xml_escape(s: &str) -> String {
    crate::present::escape(s)
}

pub(crate) fn core_xml(p: &Properties) -> Vec<u8> {
    let date = format!("{}T00:00:00Z", p.date);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>nianbao</dc:creator><cp:lastModifiedBy>nianbao</cp:lastModifiedBy><dc:language>{}</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        xml_escape(p.title),
        xml_escape(p.subject),
        xml_escape(p.language),
    )
    .into_bytes()
}

fn app_xml() -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>nianbao {}</Application></Properties>",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_lose_the_characters_xml_forbids() {
        let part = "<w:t>a\u{b}b\u{c}c\u{1}d\u{1b}e\u{fffe}f\u{ffff}g\th\ni</w:t>";
        let out = String::from_utf8(xml_chars_only(part.as_bytes().to_vec())).unwrap();
        assert_eq!(out, "<w:t>abcdefg\th\ni</w:t>");
    }

    #[test]
    fn drawings_get_their_own_ids() {
        let doc =
            br#"<w:p><wp:docPr id="1" name="Figure" /></w:p><wp:docPr id="1" name="Figure" />"#;
        let out = String::from_utf8(number_drawings(doc)).unwrap();
        assert!(out.contains(r#"id="1" name="Picture 1""#), "{out}");
        assert!(out.contains(r#"id="2" name="Picture 2""#), "{out}");
    }

    #[test]
    fn first_rows_repeat_as_headers() {
        let doc = b"<w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl><w:tbl><w:tr></w:tr></w:tbl>";
        let out = String::from_utf8(repeat_headers(doc)).unwrap();
        assert_eq!(out.matches("<w:tblHeader />").count(), 1, "{out}");
        assert!(out.starts_with("<w:tbl><w:tr><w:trPr><w:cantSplit /><w:tblHeader />"));
    }

    #[test]
    fn paragraph_ids_are_numbered_across_parts() {
        let mut n = 0;
        let a = number_paragraphs(
            br#"<w:p w14:paraId="0000002A"/><w:p w14:paraId="0000002B"/>"#,
            &mut n,
        );
        let b = number_paragraphs(br#"<w:p w14:paraId="00000001"/>"#, &mut n);
        assert_eq!(
            a,
            br#"<w:p w14:paraId="00000001"/><w:p w14:paraId="00000002"/>"#
        );
        assert_eq!(b, br#"<w:p w14:paraId="00000003"/>"#);
    }
}
