//! The summary brief (`brief --kind summary`) and the slide deck (`brief
//! --format pptx`): the same bytes from every run and on the site, read by
//! python-docx and python-pptx where installed (`.ci/run` installs them),
//! converted to PDF by LibreOffice where it has Writer and Impress, and
//! with chart text that reads at the size it is placed at.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::*;

fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut parts = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        parts.insert(f.name().unwrap().to_string(), data);
    }
    parts
}

fn brief(dir: &Path, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["brief", "-c", "content"];
    all.extend_from_slice(args);
    written(dir, &all)
}

/// The example with an issuing body and an issue number.
fn example_with_header() -> tempfile::TempDir {
    let dir = example();
    let site = dir.path().join("content/site.yaml");
    let mut text = std::fs::read_to_string(&site).unwrap();
    text.push_str("issuer: 赣州经开区非公经济组织和社会组织党工委\nbrief_number: 第3期\n");
    std::fs::write(&site, text).unwrap();
    dir
}

#[test]
fn the_same_bytes_from_every_run_and_on_the_site() {
    let dir = example();
    let summary = brief(dir.path(), &["--kind", "summary"]);
    assert!(dir.path().join("brief-2016-summary.docx").is_file());
    let again = brief(dir.path(), &["--kind", "summary", "-o", "again.docx"]);
    assert!(summary == again, "two runs gave different summaries");
    let deck = brief(dir.path(), &["--format", "pptx"]);
    assert!(dir.path().join("brief-2016.pptx").is_file());
    let again = brief(dir.path(), &["--format", "pptx", "-o", "again.pptx"]);
    assert!(deck == again, "two runs gave different decks");
    let report = brief(dir.path(), &["--kind", "report"]);
    assert!(report != summary);

    build(dir.path());
    let out = dir.path().join("output");
    assert!(std::fs::read(out.join("brief-2016-summary.docx")).unwrap() == summary);
    assert!(std::fs::read(out.join("brief-2016.pptx")).unwrap() == deck);
    let briefing = read(&out.join("briefing.html"));
    let links = links(&briefing);
    for file in [
        "brief-2016-summary.docx",
        "brief-2016.pptx",
        "brief-2016.docx",
    ] {
        assert!(links.iter().any(|l| l == file), "{file} in {links:?}");
    }
    // Entries sorted after [Content_Types].xml, each with the data's date.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&deck)).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(names[0], "[Content_Types].xml");
    let xml: Vec<&String> = names.iter().filter(|n| !n.ends_with(".png")).collect();
    assert!(xml[1..].windows(2).all(|w| w[0] < w[1]), "{names:?}");
    for i in 0..zip.len() {
        let t = zip.by_index(i).unwrap().last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2016, 11, 30, 0));
    }
}

/// Chart text at placed size: the smallest text is drawn at 13 px in
/// Word charts and 15 px in slide charts (src/render/charts/draw.rs,
/// PRINT and SLIDE); the PNG has two pixels to one.
fn points(min_px: f64, placed_emu: u64, png_px: u32) -> f64 {
    min_px * 2.0 * (placed_emu as f64 / 12_700.0) / png_px as f64
}

#[test]
fn chart_text_reads_at_its_placed_size() {
    let dir = example();
    let summary = unzip(&brief(dir.path(), &["--kind", "summary"]));
    let doc = String::from_utf8(summary["word/document.xml"].clone()).unwrap();
    // wp:extent gives each picture's size in Word.
    let mut placed = Vec::new();
    let mut rest = doc.as_str();
    while let Some(i) = rest.find("<wp:extent cx=\"") {
        rest = &rest[i + 15..];
        placed.push(rest[..rest.find('"').unwrap()].parse::<u64>().unwrap());
    }
    let pngs: Vec<u32> = summary
        .iter()
        .filter(|(n, _)| n.ends_with(".png"))
        .map(|(_, b)| u32::from_be_bytes(b[16..20].try_into().unwrap()))
        .collect();
    assert_eq!(placed.len(), 2, "two charts in the summary");
    assert_eq!(pngs.len(), 2);
    for (emu, px) in placed.iter().zip(&pngs) {
        let pt = points(13.0, *emu, *px);
        assert!(pt >= 10.5, "Word chart text at {pt:.2} pt");
    }

    let deck = unzip(&brief(dir.path(), &["--format", "pptx"]));
    let mut charts = 0;
    for (name, xml) in deck
        .iter()
        .filter(|(n, _)| n.starts_with("ppt/slides/slide"))
    {
        let xml = String::from_utf8(xml.clone()).unwrap();
        let Some(pic) = xml.find("<p:pic>") else {
            continue;
        };
        charts += 1;
        let n = name
            .trim_start_matches("ppt/slides/slide")
            .trim_end_matches(".xml");
        let png = &deck[&format!("ppt/media/image{n}.png")];
        let px = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let one = &xml[pic..];
        let at = one.find("<a:ext cx=\"").unwrap() + 11;
        let ext: u64 = one[at..at + one[at..].find('"').unwrap()].parse().unwrap();
        let pt = points(15.0, ext, px);
        assert!(pt >= 14.0, "slide chart text at {pt:.2} pt on {name}");
    }
    assert_eq!(charts, 3);

    // The full report's charts are drawn for the type area too: 1,040
    // pixels for 520 drawn (pictures of the write-up keep their own size).
    let report = unzip(&brief(dir.path(), &[]));
    let doc = String::from_utf8(report["word/document.xml"].clone()).unwrap();
    let mut print = 0;
    for (i, _) in doc.match_indices("<wp:extent cx=\"") {
        let rest = &doc[i + 15..];
        let emu: u64 = rest[..rest.find('"').unwrap()].parse().unwrap();
        let at = rest.find("r:embed=\"").unwrap() + 9;
        let id = &rest[at..at + rest[at..].find('"').unwrap()];
        let png = &report[&format!("word/media/{id}.png")];
        let px = u32::from_be_bytes(png[16..20].try_into().unwrap());
        if px == 1040 {
            print += 1;
            let pt = points(13.0, emu, px);
            assert!(pt >= 10.5, "report chart {id} text at {pt:.2} pt");
        }
    }
    assert!(print >= 3, "{print} charts drawn for print in the report");
}

fn python_has(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "note: python3 with {module} is not available; skipping the check by a reader nianbao did not write (pip install python-docx python-pptx)"
        );
    }
    ok
}

fn python(script: &str, file: &str, dir: &Path) -> serde_json::Value {
    let out = Command::new("python3")
        .args(["-c", script, file])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const READ_PPTX: &str = r#"
import json, sys, pptx
from pptx.enum.shapes import MSO_SHAPE_TYPE
p = pptx.Presentation(sys.argv[1])
print(json.dumps({
    "size": [p.slide_width, p.slide_height],
    "slides": [{
        "title": s.shapes.title.text if s.shapes.title is not None else None,
        "pictures": sum(1 for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE),
        "tables": [[[c.text for c in r.cells] for r in sh.table.rows] for sh in s.shapes if sh.has_table],
        "text": [sh.text_frame.text for sh in s.shapes if sh.has_text_frame],
    } for s in p.slides],
}, ensure_ascii=False))
"#;

#[test]
fn python_pptx_reads_slides_titles_and_pictures() {
    if !python_has("pptx") {
        return;
    }
    let dir = example_with_header();
    brief(dir.path(), &["--format", "pptx"]);
    let v = python(READ_PPTX, "brief-2016.pptx", dir.path());
    assert_eq!(
        v["size"][0].as_u64().unwrap() * 9,
        v["size"][1].as_u64().unwrap() * 16
    );
    let slides = v["slides"].as_array().unwrap();
    // Title, key figures, three charts, findings.
    assert_eq!(slides.len(), 6, "{slides:?}");
    let titles: Vec<&str> = slides
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles[0],
        "赣州经开区非公有制经济组织和社会组织党建工作报告"
    );
    assert!(slides[0]["text"]
        .to_string()
        .contains("赣州经开区非公经济组织和社会组织党工委"));
    assert_eq!(titles[1], "主要指标");
    assert_eq!(titles[5], "几点发现");
    // The trend's slide says what changed, from the figures.
    assert_eq!(titles[4], "全区组织覆盖率由2015年的31.9%升至2016年的100%");
    let pictures: Vec<u64> = slides
        .iter()
        .map(|s| s["pictures"].as_u64().unwrap())
        .collect();
    assert_eq!(pictures, [0, 0, 1, 1, 1, 0]);
    for s in &slides[2..5] {
        assert!(s["text"].to_string().contains("数据来源"), "{s}");
    }
    let table = &slides[1]["tables"][0];
    assert_eq!(table[0][0], "指标");
    assert_eq!(table[0][1], "2016年");
    assert_eq!(table[0][2], "2015年");
    assert_eq!(table[1][0], "纳入基数");
    assert_eq!(table[1][1], "814");
    assert_eq!(table[1][2], "747");
    assert_eq!(table[1][3], "+67");
    let findings = slides[5]["text"].to_string();
    for n in ["1. ", "2. ", "3. "] {
        assert!(findings.contains(n), "{findings}");
    }
}

const READ_DOCX: &str = r#"
import json, sys, docx
d = docx.Document(sys.argv[1])
print(json.dumps({
    "paragraphs": [[p.style.name, p.text] for p in d.paragraphs],
    "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables],
    "images": len(d.inline_shapes),
}, ensure_ascii=False))
"#;

#[test]
fn python_docx_reads_the_summary() {
    if !python_has("docx") {
        return;
    }
    let dir = example_with_header();
    brief(dir.path(), &["--kind", "summary"]);
    let v = python(READ_DOCX, "brief-2016-summary.docx", dir.path());
    let paragraphs: Vec<(String, String)> = v["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    let texts: Vec<&str> = paragraphs.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts[0], "简　　报");
    assert_eq!(texts[1], "第3期");
    assert_eq!(
        texts[2],
        "赣州经开区非公经济组织和社会组织党工委\t2016年11月30日"
    );
    let title: Vec<&str> = paragraphs
        .iter()
        .filter(|(s, _)| s == "Title")
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(title, ["2016年度党建工作情况"]);
    assert_eq!(v["images"], 2);
    let tables = v["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0][3][0], "组织覆盖率");
    assert_eq!(tables[0][3][3], "+68.1个百分点");
    let findings: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|t| t.starts_with("1. ") || t.starts_with("2. ") || t.starts_with("3. "))
        .collect();
    assert_eq!(findings.len(), 3, "{texts:?}");
    // Rule 2 against 2015, rule 3 on the declared figures.
    assert!(findings[1].contains("由31.9%升至100%"), "{}", findings[1]);
    assert!(
        findings[2].starts_with("3. 公布的数字中有3项"),
        "{}",
        findings[2]
    );
}

/// LibreOffice with both Writer and Impress, where installed.
fn office() -> Option<&'static str> {
    let bin = ["libreoffice", "soffice"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })?;
    let program = ["/usr/lib/libreoffice/program", "/opt/libreoffice/program"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.is_dir())?;
    for (lib, name) in [("libswlo.so", "Writer"), ("libsdlo.so", "Impress")] {
        if !program.join(lib).exists() {
            eprintln!(
                "note: LibreOffice has no {name}; skipping the PDF conversion of the briefings"
            );
            return None;
        }
    }
    Some(bin)
}

/// The pages of a PDF LibreOffice wrote (its page objects are not in
/// compressed streams).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type/Page")
        .filter(|(i, _)| !text[i + 10..].starts_with('s'))
        .count()
}

#[test]
fn libreoffice_converts_the_summary_to_two_pages_and_every_slide() {
    let Some(office) = office() else {
        eprintln!(
            "note: LibreOffice (Writer and Impress) is not installed; skipping the PDF conversion"
        );
        return;
    };
    let dir = example_with_header();
    brief(dir.path(), &["--kind", "summary"]);
    brief(dir.path(), &["--format", "pptx"]);
    let profile = dir.path().join("lo-profile");
    let out = Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir", "pdf"])
        .args(["brief-2016-summary.docx", "brief-2016.pptx"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = std::fs::read(dir.path().join("pdf/brief-2016-summary.pdf")).expect("a PDF");
    let pages = pdf_pages(&summary);
    assert!((1..=2).contains(&pages), "the summary has {pages} pages");
    let deck = std::fs::read(dir.path().join("pdf/brief-2016.pdf")).expect("a PDF");
    assert_eq!(pdf_pages(&deck), 6, "every slide converts");
}

#[test]
fn issuer_and_brief_number_must_be_one_short_line() {
    let dir = example();
    let site = dir.path().join("content/site.yaml");
    let mut text = std::fs::read_to_string(&site).unwrap();
    text.push_str("issuer: \"\"\nbrief_number: \"第一期第一期第一期第一期第一期第一期第一期第一期第一期第一期第一期第一期第一期第一期第一期\"\n");
    std::fs::write(&site, text).unwrap();
    let out = nianbao(dir.path(), &["brief", "-c", "content", "--kind", "summary"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`issuer` is empty"), "{err}");
    assert!(err.contains("`brief_number` has 45 characters"), "{err}");
    assert!(err.contains("site.yaml:7:"), "{err}");
    assert!(!dir.path().join("brief-2016-summary.docx").exists());
}

/// The text of a slide, run by run.
fn slide_text(deck: &[u8], n: usize) -> String {
    let parts = unzip(deck);
    let xml = String::from_utf8(parts[&format!("ppt/slides/slide{n}.xml")].clone()).unwrap();
    xml.split("<a:t>")
        .skip(1)
        .map(|s| s.split("</a:t>").next().unwrap())
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn findings_follow_their_rules_and_fall_back() {
    let dir = site_copy("minimal");
    let deck = brief(dir.path(), &["--format", "pptx"]);
    // One year, two kinds, two townships: slides for both charts, none
    // for the trend.
    assert_eq!(slide_text(&deck, 3), "社会组织覆盖率最高（100%），非公有制企业最低（60%）|各类组织覆盖率　数据来源：组织和党组织登记册，截至2016年11月30日");
    assert!(slide_text(&deck, 4).starts_with("乙镇覆盖率最低（33.3%），比全区低33.3个百分点|"));
    let findings = slide_text(&deck, 5);
    assert_eq!(
        findings,
        "几点发现|1. 乙镇组织覆盖率最低，为33.3%，比全区低33.3个百分点；尚有2家组织未建立党组织。|2. 2016年是登记册的第一个年度，尚无上年数据可比；全区纳入基数的组织共6家。|3. 公布的数字中有1项与登记册推算数不一致，差距最大的是非公有制企业党组织数：公布9，登记册推算为3。"
    );
    // The declared figure put right: rule 3 says all agree.
    let metrics = dir.path().join("content/data/2016/metrics.yaml");
    let text = std::fs::read_to_string(&metrics).unwrap();
    std::fs::write(&metrics, text.replace("value: 9", "value: 3")).unwrap();
    let deck = brief(dir.path(), &["--format", "pptx", "-o", "b.pptx"]);
    assert!(slide_text(&deck, 5).ends_with("|3. 公布的3项数字与登记册推算数全部一致。"));
    // No derivable figure declared (and no page citing one): rule 3 has
    // nothing to check.
    std::fs::remove_dir_all(dir.path().join("content/pages")).unwrap();
    std::fs::write(
        &metrics,
        "as_of: 2016-11-30\nmetrics:\n  - key: instructors.part_time\n    label: 党建指导员\n    value: 4\n    unit: 名\n",
    )
    .unwrap();
    let deck = brief(dir.path(), &["--format", "pptx", "-o", "c.pptx"]);
    assert!(slide_text(&deck, 5).ends_with("|3. 本年度没有公布可与登记册核对的数字。"));
}
