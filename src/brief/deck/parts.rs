//! The parts of the .pptx: one master, one layout (a title only) and one
//! theme, each slide with explicit positions and sizes so that nothing
//! depends on inheritance a reader may not follow. Text is 黑体 for
//! titles and 微软雅黑 for the rest, in sizes read from across a room.

use super::Slide;
use crate::brief::package::{self, Properties};

pub const SLIDE_W: u64 = 12_192_000;
pub const SLIDE_H: u64 = 6_858_000;
pub const MARGIN: u64 = 457_200;
const TITLE_Y: u64 = 228_600;
const TITLE_H: u64 = 914_400;
const BODY_Y: u64 = 1_250_000;
const SOURCE_Y: u64 = 6_200_000;
const SOURCE_H: u64 = 457_200;

const HEAD_FONT: &str = "黑体";
const BODY_FONT: &str = "微软雅黑";

const NS: &str = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#;
const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn esc(s: &str) -> String {
    crate::present::escape(s)
}

/// A run of text: size in points.
fn run(text: &str, pt: u32, font: &str, bold: bool, color: &str) -> String {
    format!(
        "<a:r><a:rPr lang=\"zh-CN\" altLang=\"en-US\" sz=\"{}\" b=\"{}\" dirty=\"0\"><a:solidFill><a:srgbClr val=\"{color}\"/></a:solidFill><a:latin typeface=\"{font}\"/><a:ea typeface=\"{font}\"/></a:rPr><a:t>{}</a:t></a:r>",
        pt * 100,
        u8::from(bold),
        esc(text)
    )
}

fn para(text: &str, pt: u32, font: &str, align: &str, color: &str) -> String {
    format!(
        "<a:p><a:pPr algn=\"{align}\"><a:spcBef><a:spcPts val=\"600\"/></a:spcBef></a:pPr>{}</a:p>",
        run(text, pt, font, false, color)
    )
}

fn xfrm(x: u64, y: u64, w: u64, h: u64) -> String {
    format!("<a:xfrm><a:off x=\"{x}\" y=\"{y}\"/><a:ext cx=\"{w}\" cy=\"{h}\"/></a:xfrm>")
}

/// The slide's title placeholder, where readers look for its title.
fn title(id: u32, text: &str, y: u64, h: u64, pt: u32, align: &str) -> String {
    format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"Title {id}\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr><p:nvPr><p:ph type=\"title\"/></p:nvPr></p:nvSpPr><p:spPr>{}</p:spPr><p:txBody><a:bodyPr wrap=\"square\" anchor=\"ctr\"><a:normAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr algn=\"{align}\"/>{}</a:p></p:txBody></p:sp>",
        xfrm(MARGIN, y, SLIDE_W - 2 * MARGIN, h),
        run(text, pt, HEAD_FONT, true, "C00000")
    )
}

fn text_box(id: u32, paras: &str, x: u64, y: u64, w: u64, h: u64) -> String {
    format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"Text {id}\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr><p:spPr>{}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody><a:bodyPr wrap=\"square\" anchor=\"t\"/><a:lstStyle/>{paras}</p:txBody></p:sp>",
        xfrm(x, y, w, h)
    )
}

fn table(id: u32, rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1) as u64;
    let width = SLIDE_W - 2 * MARGIN;
    let first = width * 2 / (cols + 1);
    let rest = (width - first) / (cols - 1).max(1);
    let row_h: u64 = 560_000;
    let mut grid = format!("<a:gridCol w=\"{first}\"/>");
    for _ in 1..cols {
        grid.push_str(&format!("<a:gridCol w=\"{rest}\"/>"));
    }
    let mut body = String::new();
    for (i, r) in rows.iter().enumerate() {
        body.push_str(&format!("<a:tr h=\"{row_h}\">"));
        for (j, cell) in r.iter().enumerate() {
            let align = if j == 0 { "l" } else { "r" };
            let fill = if i == 0 { "F2F2F2" } else { "FFFFFF" };
            let text = format!(
                "<a:p><a:pPr algn=\"{align}\"/>{}</a:p>",
                run(cell, 20, BODY_FONT, i == 0, "000000")
            );
            body.push_str(&format!(
                "<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{text}</a:txBody><a:tcPr anchor=\"ctr\">{border}<a:solidFill><a:srgbClr val=\"{fill}\"/></a:solidFill></a:tcPr></a:tc>",
                border = ["lnL", "lnR", "lnT", "lnB"]
                    .iter()
                    .map(|l| format!("<a:{l} w=\"12700\"><a:solidFill><a:srgbClr val=\"808080\"/></a:solidFill></a:{l}>"))
                    .collect::<String>()
            ));
        }
        body.push_str("</a:tr>");
    }
    let h = row_h * rows.len() as u64;
    format!(
        "<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"{id}\" name=\"Table {id}\"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp=\"1\"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x=\"{MARGIN}\" y=\"{BODY_Y}\"/><a:ext cx=\"{width}\" cy=\"{h}\"/></p:xfrm><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/table\"><a:tbl><a:tblPr firstRow=\"1\"/><a:tblGrid>{grid}</a:tblGrid>{body}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    )
}

fn picture(id: u32, descr: &str, rel: &str, x: u64, y: u64, w: u64, h: u64) -> String {
    format!(
        "<p:pic><p:nvPicPr><p:cNvPr id=\"{id}\" name=\"Picture {id}\" descr=\"{}\"/><p:cNvPicPr><a:picLocks noChangeAspect=\"1\"/></p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed=\"{rel}\"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr>{}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr></p:pic>",
        esc(descr),
        xfrm(x, y, w, h)
    )
}

/// One slide's XML and, for a chart, its PNG.
fn slide(s: &Slide) -> (String, Option<Vec<u8>>) {
    let (shapes, png) = match s {
        Slide::Title { title: t, subtitle } => {
            let paras: String = subtitle
                .iter()
                .map(|l| para(l, 24, BODY_FONT, "ctr", "404040"))
                .collect();
            (
                title(2, t, 1_900_000, 1_300_000, 40, "ctr")
                    + &text_box(
                        3,
                        &paras,
                        MARGIN,
                        3_400_000,
                        SLIDE_W - 2 * MARGIN,
                        1_600_000,
                    ),
                None,
            )
        }
        Slide::Table { title: t, rows } => (
            title(2, t, TITLE_Y, TITLE_H, 32, "l") + &table(3, rows),
            None,
        ),
        Slide::Chart {
            title: t,
            chart,
            source,
        } => {
            let (w, h) = chart.emu;
            let x = (SLIDE_W - w) / 2;
            let pic = picture(3, source, "rId2", x, BODY_Y, w, h);
            let src = text_box(
                4,
                &para(source, 14, BODY_FONT, "l", "595959"),
                MARGIN,
                SOURCE_Y,
                SLIDE_W - 2 * MARGIN,
                SOURCE_H,
            );
            (
                title(2, t, TITLE_Y, TITLE_H, 28, "l") + &pic + &src,
                Some(chart.png.clone()),
            )
        }
        Slide::Text {
            title: t,
            paragraphs,
        } => {
            let paras: String = paragraphs
                .iter()
                .map(|p| para(p, 22, BODY_FONT, "l", "000000"))
                .collect();
            (
                title(2, t, TITLE_Y, TITLE_H, 32, "l")
                    + &text_box(3, &paras, MARGIN, BODY_Y, SLIDE_W - 2 * MARGIN, 4_900_000),
                None,
            )
        }
    };
    (
        format!(
            "{XML}<p:sld {NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>{shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
        ),
        png,
    )
}

fn rels(items: &[(String, &str, String)]) -> String {
    let body: String = items
        .iter()
        .map(|(id, kind, target)| {
            format!("<Relationship Id=\"{id}\" Type=\"{REL}/{kind}\" Target=\"{target}\"/>")
        })
        .collect();
    format!("{XML}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{body}</Relationships>")
}

pub fn package(slides: &[Slide], props: &Properties) -> Result<Vec<u8>, String> {
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut media: Vec<(String, Vec<u8>)> = Vec::new();
    let n = slides.len();
    let mut overrides = String::new();
    let mut ct = |name: &str, kind: &str| {
        overrides.push_str(&format!(
            "<Override PartName=\"/{name}\" ContentType=\"application/vnd.openxmlformats-{kind}+xml\"/>"
        ));
    };
    ct(
        "ppt/presentation.xml",
        "officedocument.presentationml.presentation.main",
    );
    ct(
        "ppt/slideMasters/slideMaster1.xml",
        "officedocument.presentationml.slideMaster",
    );
    ct(
        "ppt/slideLayouts/slideLayout1.xml",
        "officedocument.presentationml.slideLayout",
    );
    ct("ppt/theme/theme1.xml", "officedocument.theme");
    ct(
        "ppt/presProps.xml",
        "officedocument.presentationml.presProps",
    );
    ct(
        "ppt/viewProps.xml",
        "officedocument.presentationml.viewProps",
    );
    ct(
        "ppt/tableStyles.xml",
        "officedocument.presentationml.tableStyles",
    );
    ct("docProps/core.xml", "package.core-properties");
    ct("docProps/app.xml", "officedocument.extended-properties");
    for i in 1..=n {
        ct(
            &format!("ppt/slides/slide{i}.xml"),
            "officedocument.presentationml.slide",
        );
    }
    let content_types = format!(
        "{XML}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/>{overrides}</Types>"
    );
    parts.push(("[Content_Types].xml".into(), content_types.into_bytes()));
    parts.push((
        "_rels/.rels".into(),
        format!("{XML}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"ppt/presentation.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"{REL}/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>").into_bytes(),
    ));
    parts.push(("docProps/app.xml".into(), format!("{XML}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>nianbao</Application><Slides>{n}</Slides></Properties>").into_bytes()));
    parts.push(("docProps/core.xml".into(), package::core_xml(props)));

    let mut pres_rels = vec![(
        "rId1".to_string(),
        "slideMaster",
        "slideMasters/slideMaster1.xml".to_string(),
    )];
    let mut ids = String::new();
    for i in 1..=n {
        pres_rels.push((
            format!("rId{}", i + 1),
            "slide",
            format!("slides/slide{i}.xml"),
        ));
        ids.push_str(&format!(
            "<p:sldId id=\"{}\" r:id=\"rId{}\"/>",
            255 + i,
            i + 1
        ));
    }
    for (kind, target) in [
        ("presProps", "presProps.xml"),
        ("viewProps", "viewProps.xml"),
        ("theme", "theme/theme1.xml"),
        ("tableStyles", "tableStyles.xml"),
    ] {
        pres_rels.push((
            format!("rId{}", pres_rels.len() + 1),
            kind,
            target.to_string(),
        ));
    }
    parts.push((
        "ppt/presentation.xml".into(),
        format!("{XML}<p:presentation {NS} saveSubsetFonts=\"1\"><p:sldMasterIdLst><p:sldMasterId id=\"2147483648\" r:id=\"rId1\"/></p:sldMasterIdLst><p:sldIdLst>{ids}</p:sldIdLst><p:sldSz cx=\"{SLIDE_W}\" cy=\"{SLIDE_H}\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/></p:presentation>").into_bytes(),
    ));
    parts.push((
        "ppt/_rels/presentation.xml.rels".into(),
        rels(&pres_rels).into_bytes(),
    ));
    parts.push((
        "ppt/presProps.xml".into(),
        format!("{XML}<p:presentationPr {NS}/>").into_bytes(),
    ));
    parts.push((
        "ppt/viewProps.xml".into(),
        format!("{XML}<p:viewPr {NS}/>").into_bytes(),
    ));
    parts.push(("ppt/tableStyles.xml".into(), format!("{XML}<a:tblStyleLst xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" def=\"{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}\"/>").into_bytes()));
    parts.push((
        "ppt/slideMasters/slideMaster1.xml".into(),
        master().into_bytes(),
    ));
    parts.push((
        "ppt/slideMasters/_rels/slideMaster1.xml.rels".into(),
        rels(&[
            (
                "rId1".into(),
                "slideLayout",
                "../slideLayouts/slideLayout1.xml".into(),
            ),
            ("rId2".into(), "theme", "../theme/theme1.xml".into()),
        ])
        .into_bytes(),
    ));
    parts.push((
        "ppt/slideLayouts/slideLayout1.xml".into(),
        layout().into_bytes(),
    ));
    parts.push((
        "ppt/slideLayouts/_rels/slideLayout1.xml.rels".into(),
        rels(&[(
            "rId1".into(),
            "slideMaster",
            "../slideMasters/slideMaster1.xml".into(),
        )])
        .into_bytes(),
    ));
    parts.push(("ppt/theme/theme1.xml".into(), theme().into_bytes()));
    for (i, s) in slides.iter().enumerate() {
        let (xml, png) = slide(s);
        let mut r = vec![(
            "rId1".to_string(),
            "slideLayout",
            "../slideLayouts/slideLayout1.xml".to_string(),
        )];
        if let Some(png) = png {
            let name = format!("image{}.png", i + 1);
            r.push(("rId2".into(), "image", format!("../media/{name}")));
            media.push((format!("ppt/media/{name}"), png));
        }
        parts.push((format!("ppt/slides/slide{}.xml", i + 1), xml.into_bytes()));
        parts.push((
            format!("ppt/slides/_rels/slide{}.xml.rels", i + 1),
            rels(&r).into_bytes(),
        ));
    }
    // [Content_Types].xml first, as Office writes it; the rest by name.
    parts[1..].sort_by(|a, b| a.0.cmp(&b.0));
    media.sort_by(|a, b| a.0.cmp(&b.0));
    package::zip(parts, media, props.date, "pptx")
}

fn title_ph() -> String {
    format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr><p:nvPr><p:ph type=\"title\"/></p:nvPr></p:nvSpPr><p:spPr>{}</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang=\"zh-CN\"/></a:p></p:txBody></p:sp>",
        xfrm(MARGIN, TITLE_Y, SLIDE_W - 2 * MARGIN, TITLE_H)
    )
}

fn master() -> String {
    let level = |pt: u32| {
        format!("<a:lvl1pPr><a:defRPr sz=\"{}\"><a:latin typeface=\"{BODY_FONT}\"/><a:ea typeface=\"{BODY_FONT}\"/></a:defRPr></a:lvl1pPr>", pt * 100)
    };
    format!(
        "{XML}<p:sldMaster {NS}><p:cSld><p:bg><p:bgPr><a:solidFill><a:srgbClr val=\"FFFFFF\"/></a:solidFill><a:effectLst/></p:bgPr></p:bg><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>{}</p:spTree></p:cSld><p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\" accent2=\"accent2\" accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\" accent6=\"accent6\" hlink=\"hlink\" folHlink=\"folHlink\"/><p:sldLayoutIdLst><p:sldLayoutId id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst><p:txStyles><p:titleStyle>{}</p:titleStyle><p:bodyStyle>{}</p:bodyStyle><p:otherStyle>{}</p:otherStyle></p:txStyles></p:sldMaster>",
        title_ph(),
        level(32),
        level(22),
        level(18)
    )
}

fn layout() -> String {
    format!(
        "{XML}<p:sldLayout {NS} type=\"titleOnly\" preserve=\"1\"><p:cSld name=\"Title Only\"><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>{}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>",
        title_ph()
    )
}

fn theme() -> String {
    let colors = [
        ("dk1", "000000"),
        ("lt1", "FFFFFF"),
        ("dk2", "1F2937"),
        ("lt2", "F2F2F2"),
        ("accent1", "0072B2"),
        ("accent2", "E69F00"),
        ("accent3", "009E73"),
        ("accent4", "C00000"),
        ("accent5", "56B4E9"),
        ("accent6", "969696"),
        ("hlink", "0563C1"),
        ("folHlink", "954F72"),
    ]
    .iter()
    .map(|(k, v)| format!("<a:{k}><a:srgbClr val=\"{v}\"/></a:{k}>"))
    .collect::<String>();
    let fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
    let line = "<a:ln w=\"9525\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln>";
    let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
    let font = |f: &str| {
        format!("<a:latin typeface=\"{f}\"/><a:ea typeface=\"{f}\"/><a:cs typeface=\"\"/>")
    };
    format!(
        "{XML}<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"nianbao\"><a:themeElements><a:clrScheme name=\"nianbao\">{colors}</a:clrScheme><a:fontScheme name=\"nianbao\"><a:majorFont>{}</a:majorFont><a:minorFont>{}</a:minorFont></a:fontScheme><a:fmtScheme name=\"nianbao\"><a:fillStyleLst>{fill}{fill}{fill}</a:fillStyleLst><a:lnStyleLst>{line}{line}{line}</a:lnStyleLst><a:effectStyleLst>{effect}{effect}{effect}</a:effectStyleLst><a:bgFillStyleLst>{fill}{fill}{fill}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>",
        font(HEAD_FONT),
        font(BODY_FONT)
    )
}
