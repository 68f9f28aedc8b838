//! `nianbao brief`: the annual summary as a Word document. The same bytes
//! from every run and from the site's download link; the structure a
//! reader sees (checked in the XML, and with python-docx where it is
//! installed: `.ci/run` installs it); converted by LibreOffice where that
//! is installed (it is too heavy for CI).

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::*;

/// The parts of a .docx, by name, and the time stamp of its entries.
fn unzip(bytes: &[u8]) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut parts = BTreeMap::new();
    let mut times = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if let Some(t) = f.last_modified() {
            times.push(format!(
                "{}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute()
            ));
        }
        parts.insert(f.name().unwrap().to_string(), data);
    }
    (parts, times)
}

fn part(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        parts
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}"))
            .clone(),
    )
    .unwrap()
}

fn brief(dir: &Path, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["brief", "-c", "content"];
    all.extend_from_slice(args);
    written(dir, &all)
}

#[test]
fn the_same_bytes_from_every_run_and_on_the_site() {
    let dir = example();
    let a = brief(dir.path(), &[]);
    assert!(dir.path().join("brief-2016.docx").is_file());
    let b = brief(dir.path(), &["--year", "2016", "-o", "again.docx"]);
    assert!(a == b, "two runs gave different bytes");
    build(dir.path());
    let site = std::fs::read(dir.path().join("output/brief-2016.docx")).unwrap();
    assert!(
        site == a,
        "the site's briefing differs from `nianbao brief`"
    );
    let briefing = read(&dir.path().join("output/briefing.html"));
    assert!(
        links(&briefing).iter().any(|l| l == "brief-2016.docx"),
        "the briefing page links to the .docx"
    );
    // Each year's site has its own, with that year's own write-up
    // (`pages/2015/`), the same as `brief --year` of that year.
    let older = std::fs::read(dir.path().join("output/years/2015/brief-2015.docx")).unwrap();
    let briefing = read(&dir.path().join("output/years/2015/briefing.html"));
    assert!(links(&briefing).iter().any(|l| l == "brief-2015.docx"));
    let doc = part(&unzip(&older).0, "word/document.xml");
    assert!(doc.contains(">年度主要数据<") && !doc.contains(">一、背景<"));
    assert!(doc.contains("年底的底数"));
    let y2015 = brief(dir.path(), &["--year", "2015", "-o", "b2015.docx"]);
    let doc = part(&unzip(&y2015).0, "word/document.xml");
    assert!(doc.contains("年底的底数") && !doc.contains(">一、背景<"));
    assert!(
        y2015 == older,
        "the site's 2015 briefing differs from `brief --year 2015`"
    );
    assert!(y2015 != a);
}

#[test]
fn fixed_dates_in_the_zip_and_the_properties() {
    let dir = example();
    let bytes = brief(dir.path(), &[]);
    let (parts, times) = unzip(&bytes);
    assert!(!times.is_empty());
    assert!(
        times.iter().all(|t| t == "2016-11-30 00:00"),
        "every entry carries the data's cut-off date: {times:?}"
    );
    let core = part(&parts, "docProps/core.xml");
    assert!(
        core.contains(">2016-11-30T00:00:00Z</dcterms:created>")
            && core.contains(">2016-11-30T00:00:00Z</dcterms:modified>"),
        "{core}"
    );
    assert!(core.contains("<dc:title>赣州经开区非公有制经济组织和社会组织党建工作报告</dc:title>"));
}

#[test]
fn word_structure_after_gb_t_9704() {
    let dir = example();
    let bytes = brief(dir.path(), &[]);
    let (parts, _) = unzip(&bytes);
    let doc = part(&parts, "word/document.xml");
    let styles = part(&parts, "word/styles.xml");
    let fonts = part(&parts, "word/fontTable.xml");

    // A4, type area 156 × 225 mm (top 37 mm, left 28 mm).
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    assert!(doc.contains(r#"w:top="2097""#) && doc.contains(r#"w:left="1587""#));
    // Named styles with the fonts of official documents, named not embedded.
    for (id, font) in [
        ("Title", "方正小标宋简体"),
        ("Normal", "仿宋_GB2312"),
        ("Heading1", "黑体"),
        ("Heading2", "楷体_GB2312"),
    ] {
        let at = styles
            .find(&format!(r#"w:styleId="{id}""#))
            .unwrap_or_else(|| panic!("style {id}"));
        let end = at + styles[at..].find("</w:style>").unwrap();
        assert!(
            styles[at..end].contains(&format!(r#"w:eastAsia="{font}""#)),
            "{id} in {font}"
        );
    }
    assert_eq!(styles.matches(r#"w:styleId="Normal""#).count(), 1);
    assert!(styles.contains(r#"w:default="1" w:styleId="Normal""#));
    // Body 3号 (16 pt) on 28 pt lines; title 2号.
    assert!(styles.contains(r#"<w:sz w:val="32" />"#) && styles.contains(r#"<w:sz w:val="44" />"#));
    assert!(styles.contains(r#"w:line="560" w:lineRule="exact""#));
    assert!(fonts.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
    assert!(
        !parts.keys().any(|k| k.contains("fonts/")),
        "no embedded font"
    );

    // The key figures as a real table; the write-up with its figures.
    assert!(doc.contains("<w:tbl>") && doc.contains("<w:tblHeader />"));
    assert!(doc.contains(">纳入基数<") && doc.contains(">755<"));
    assert!(
        !doc.contains("{{") && !doc.contains("figure(key"),
        "a shortcode is left"
    );
    // The charts: PNGs drawn for the page, each drawing with its own id,
    // captioned.
    let media: Vec<&String> = parts
        .keys()
        .filter(|k| k.starts_with("word/media/"))
        .collect();
    assert!(media.len() >= 4, "{media:?}");
    for m in &media {
        assert!(parts[*m].starts_with(b"\x89PNG"), "{m} is a PNG");
    }
    let ids: Vec<&str> = doc
        .match_indices("<wp:docPr id=\"")
        .map(|(i, _)| {
            let rest = &doc[i + 14..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "drawing ids are unique: {ids:?}");
    assert!(doc.contains(" SEQ 图 \\* ARABIC "), "numbered captions");
    assert!(doc.contains(">图<") && doc.contains("　党建基数的确定<"));
    // Page numbers "— 1 —", odd on the right and even on the left.
    let footers = part(&parts, "word/footer1.xml") + &part(&parts, "word/footer2.xml");
    assert!(footers.contains("PAGE") && footers.contains("— "));
    assert!(part(&parts, "word/settings.xml").contains("evenAndOddHeaders"));
}

/// A 2 × 2 PNG.
fn tiny_png() -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, 2, 2);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().unwrap();
    w.write_image_data(&[0, 255, 255, 0]).unwrap();
    w.finish().unwrap();
    out
}

/// A page with every Markdown construct the converter knows.
const FEATURES: &str = r#"---
title: 格式示例
weight: 2
---

## 二级标题

段落里有**加粗**、*强调*、`代码`和数字 {{ figure(key="enterprise.base") }} 家，以及链接[说明](about.html)和<https://example.org>。

> 引用的一段话。

3. 第三
4. 第四
   - 嵌套一
   - 嵌套二

- 甲
- 乙

| 左 | 中 | 右 |
|:---|:---:|---:|
| a | b | 12 |
| c | {{ figure(key="enterprise.coverage_rate") }} | 3 |

正文带脚注[^n]，再来一个[^m]。

```
{{ figure(key="enterprise.base") }} 在代码里原样保留
```

{{ chart(id="party-orgs-by-level") }}

![示意图](../static/dot.png)

### 三级标题

[^n]: 第一个脚注，含数字 {{ figure(key="enterprise.base") }}。
[^m]: 第二个脚注。
"#;

#[test]
fn markdown_becomes_word_structure() {
    let dir = site_copy("minimal");
    std::fs::write(dir.path().join("content/pages/features.md"), FEATURES).unwrap();
    std::fs::create_dir_all(dir.path().join("content/static")).unwrap();
    std::fs::write(dir.path().join("content/static/dot.png"), tiny_png()).unwrap();
    let bytes = brief(dir.path(), &[]);
    let (parts, _) = unzip(&bytes);
    let doc = part(&parts, "word/document.xml");
    let notes = part(&parts, "word/footnotes.xml");
    let numbering = part(&parts, "word/numbering.xml");

    assert!(doc.contains(r#"<w:pStyle w:val="Heading2" />"#));
    assert!(doc.contains(r#"<w:pStyle w:val="Heading3" />"#));
    assert!(doc.contains(r#"<w:pStyle w:val="Quote" />"#));
    assert!(doc.contains(r#"<w:pStyle w:val="Code" />"#));
    assert!(doc.contains("<w:b />") && doc.contains("<w:i />"));
    // Links: the text; an address outside the site is written out.
    assert!(doc.contains(">说明<") && !doc.contains("about.html"));
    assert!(doc.contains("https://example.org"));
    // Footnotes as Word footnotes, their shortcodes resolved too.
    // (about.md of the fixture has one more.)
    assert_eq!(doc.matches("<w:footnoteReference").count(), 3);
    assert!(notes.contains("第一个脚注，含数字 ") && notes.contains("第二个脚注"));
    assert!(!notes.contains("{{"));
    // An ordered list keeps its first number; bullets nest.
    assert!(
        numbering.contains(r#"<w:startOverride w:val="3" />"#),
        "{numbering}"
    );
    assert!(numbering.contains(r#"w:val="bullet""#));
    assert!(doc.contains(r#"<w:ilvl w:val="1" />"#));
    // Tables with their alignment; the code block keeps its shortcode.
    assert!(doc.matches("<w:tbl>").count() >= 3);
    assert!(doc.contains(r#"<w:jc w:val="right" />"#));
    let code = "{{ figure(key=&quot;enterprise.base&quot;) }} 在代码里原样保留";
    assert!(doc.contains(code), "{doc}");
    let outside_code = doc.replace(code, "");
    assert!(!outside_code.contains("{{"));
    // The chart of the page, and those of the key figures and data quality
    // that the pages do not place; a PNG of content/static/ that the page
    // shows, captioned with its alt text.
    assert!(doc.contains("　示意图<"));
    let media = parts
        .keys()
        .filter(|k| k.starts_with("word/media/"))
        .count();
    assert_eq!(
        media, 5,
        "coverage-by-kind, party-orgs-by-level, coverage-by-township, declared-vs-derived, dot.png"
    );
}

#[test]
fn english_sites_get_english_labels() {
    let dir = site_copy("minimal");
    let site_yaml = dir.path().join("content/site.yaml");
    edit(&site_yaml, "language: zh-CN", "language: en");
    let bytes = brief(dir.path(), &[]);
    let (parts, _) = unzip(&bytes);
    let doc = part(&parts, "word/document.xml");
    assert!(doc.contains(" SEQ Figure \\* ARABIC "));
    assert!(doc.contains(">Year 2016, data as of "), "subtitle");
}

#[test]
fn refuses_missing_or_broken_content() {
    let dir = tempfile::tempdir().unwrap();
    let out = nianbao(dir.path(), &["brief", "-c", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    let dir = site_copy("minimal");
    edit(
        &dir.path().join("content/pages/about.md"),
        "enterprise.base",
        "enterprise.bsae",
    );
    let out = nianbao(dir.path(), &["brief", "-c", "content"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("enterprise.bsae"));
    assert!(!dir.path().join("brief-2016.docx").exists());
}

fn python_has(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "note: python3 with {module} is not available; skipping the check by a reader nianbao did not write (pip install python-docx openpyxl)"
        );
    }
    ok
}

const READ_DOCX: &str = r#"
import json, sys, docx
d = docx.Document(sys.argv[1])
s = d.sections[0]
print(json.dumps({
    "paragraphs": [[p.style.name, p.text] for p in d.paragraphs],
    "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables],
    "images": len(d.inline_shapes),
    "page": [s.page_width.mm, s.page_height.mm, s.top_margin.mm, s.left_margin.mm],
    "title": d.core_properties.title,
}, ensure_ascii=False))
"#;

#[test]
fn python_docx_reads_headings_table_and_charts() {
    if !python_has("docx") {
        return;
    }
    let dir = example();
    brief(dir.path(), &[]);
    let out = Command::new("python3")
        .args(["-c", READ_DOCX, "brief-2016.docx"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python-docx: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paragraphs: Vec<(String, String)> = v["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let styled = |style: &str| -> Vec<&str> {
        paragraphs
            .iter()
            .filter(|(s, _)| s == style)
            .map(|(_, t)| t.as_str())
            .collect()
    };
    assert_eq!(
        styled("Title"),
        ["赣州经开区非公有制经济组织和社会组织党建工作报告"]
    );
    let h1 = styled("Heading 1");
    for heading in [
        "年度主要数据",
        "赣州经开区以“五个查、六个一、七个规范”推进“两个覆盖”",
        "数据说明",
        "工作建议",
        "数据质量",
    ] {
        assert!(h1.contains(&heading), "{heading} in {h1:?}");
    }
    assert!(styled("Heading 2").contains(&"一、背景"));
    let captions = styled("Caption");
    assert!(captions.len() >= 4, "{captions:?}");
    assert!(captions[0].starts_with("图1　"), "{captions:?}");
    // The key figures: a real table, header and one row per kind.
    let tables = v["tables"].as_array().unwrap();
    let key = &tables[0];
    assert_eq!(key[0][0], "类别");
    assert_eq!(key[0][1], "纳入基数");
    assert_eq!(key[1][0], "非公有制企业");
    assert_eq!(key[1][1], "755");
    assert_eq!(key[2][0], "社会组织");
    assert_eq!(key[2][1], "59");
    // The data-quality table shows the published figures that disagree.
    let dq = tables
        .iter()
        .find(|t| t[0][1] == "公布数")
        .expect("the declared vs derived table");
    assert!(dq
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r[1] == "209" && r[2] == "157"));
    assert!(v["images"].as_u64().unwrap() >= 4, "{}", v["images"]);
    let all = serde_json::to_string(&v).unwrap();
    assert!(!all.contains("{{"), "a shortcode is left");
    let page = v["page"].as_array().unwrap();
    assert!((page[0].as_f64().unwrap() - 210.0).abs() < 0.5);
    assert!((page[1].as_f64().unwrap() - 297.0).abs() < 0.5);
    assert!((page[2].as_f64().unwrap() - 37.0).abs() < 0.5);
    assert!((page[3].as_f64().unwrap() - 28.0).abs() < 0.5);
}

#[test]
fn libreoffice_converts_the_brief_to_pdf() {
    let Some(office) =
        office::libreoffice(office::Component::Writer, "the PDF conversion of the brief")
    else {
        return;
    };
    let dir = example();
    brief(dir.path(), &[]);
    let profile = dir.path().join("lo-profile");
    let out = Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            "pdf",
            "brief-2016.docx",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(dir.path().join("pdf/brief-2016.pdf")).expect("a PDF");
    assert!(
        pdf.starts_with(b"%PDF") && pdf.len() > 100_000,
        "{} bytes",
        pdf.len()
    );
}

#[test]
fn markup_in_the_content_stays_text() {
    let dir = site_copy("minimal");
    let content = dir.path().join("content");
    edit(
        &content.join("site.yaml"),
        "title: 测试开发区党建工作报告",
        "title: \"A <b>&amp; 'x' \\\"y\\\" </w:t>\"",
    );
    edit(
        &content.join("pages/about.md"),
        "title: 关于本报告",
        "title: \"<w:p>关于 & 报告\"",
    );
    let bytes = brief(dir.path(), &[]);
    let (parts, _) = unzip(&bytes);
    let doc = part(&parts, "word/document.xml");
    assert!(!doc.contains("<b>") && !doc.contains("</w:t>\"") && !doc.contains("<w:p>关于"));
    assert!(
        doc.contains("&lt;w:p&gt;关于 &amp; 报告"),
        "page title escaped"
    );
    let core = part(&parts, "docProps/core.xml");
    assert!(
        core.contains(
            "<dc:title>A &lt;b&gt;&amp;amp; &#39;x&#39; &quot;y&quot; &lt;/w:t&gt;</dc:title>"
        ),
        "{core}"
    );
    if python_has("docx") {
        let out = Command::new("python3")
            .args(["-c", READ_DOCX, "brief-2016.docx"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["title"], "A <b>&amp; 'x' \"y\" </w:t>");
        assert_eq!(v["paragraphs"][0][1], "A <b>&amp; 'x' \"y\" </w:t>");
    }
}

/// The briefing is scanned for personal numbers like the site: a number in
/// the write-up stops `brief`, and nothing is written.
#[test]
fn refuses_a_personal_number_in_the_write_up() {
    let dir = site_copy("minimal");
    edit(
        &dir.path().join("content/pages/about.md"),
        "## 概况\n",
        "## 概况\n\n联系电话 13812345678。\n",
    );
    let out = nianbao(dir.path(), &["brief", "-c", "content"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("brief-2016.docx"), "{err}");
    assert!(err.contains("138****5678"), "{err}");
    assert!(
        !err.contains("13812345678"),
        "the number itself is not printed"
    );
    assert!(!dir.path().join("brief-2016.docx").exists());
}
