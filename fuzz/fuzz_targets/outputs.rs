//! What the files nianbao writes must be whatever its input: shared by the
//! fuzz targets `brief`, `charts` and `spreadsheet` and by
//! tests/fuzz_corpus.rs, which replays their corpus on stable Rust.
#![allow(dead_code)]

use std::io::Read;

use nianbao::standalone::{render, Source};

/// `bytes` is well-formed XML 1.0, read by a parser nianbao does not use
/// to write it.
pub fn xml(name: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
    if let Err(e) = roxmltree::Document::parse(text) {
        panic!("{name} is not well-formed XML: {e}");
    }
}

/// Every XML part of a .docx, .xlsx or .pptx (a zip) is well formed.
pub fn package(name: &str, bytes: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("{name} is not a zip: {e}"));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let part_name = part.name().unwrap().to_string();
        if part_name.ends_with(".xml") || part_name.ends_with(".rels") {
            let mut text = Vec::new();
            part.read_to_end(&mut text).unwrap();
            xml(&format!("{name}:{part_name}"), &text);
        }
    }
}

/// The site with `text` as its page, if it builds: the Word briefing and
/// every SVG parse. Returns how many files were checked.
pub fn brief(text: &str) -> usize {
    let Some(site) = render(Source::Page, text) else {
        return 0;
    };
    outputs(&site.files)
}

/// The site with `data` as its organizations (first byte even) or its
/// metrics: every chart is drawn, as SVG that parses and as PNG.
pub fn charts(data: &[u8]) -> usize {
    let Some((first, rest)) = data.split_first() else {
        return 0;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return 0;
    };
    let source = if first % 2 == 0 {
        Source::Organizations
    } else {
        Source::Metrics
    };
    let Some(site) = render(source, text) else {
        return 0;
    };
    outputs(&site.files)
}

fn outputs(files: &nianbao::layout::Files) -> usize {
    let mut n = 0;
    for (path, bytes) in files {
        let name = path.to_string_lossy();
        match path.extension().and_then(|e| e.to_str()) {
            Some("docx" | "xlsx" | "pptx") => package(&name, bytes),
            Some("svg") => xml(&name, bytes),
            Some("png") => assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}"),
            _ => continue,
        }
        n += 1;
    }
    n
}

/// Any bytes as a spreadsheet file (the first byte picks the kind): read
/// or refused with a reason, never a panic.
pub fn spreadsheet(data: &[u8]) -> bool {
    let Some((first, rest)) = data.split_first() else {
        return false;
    };
    let ext = ["xlsx", "xls", "ods", "csv"][usize::from(*first) % 4];
    let path = std::env::temp_dir().join(format!(
        "nianbao-fuzz-{}-{:?}.{ext}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&path, rest).unwrap();
    let read = nianbao::import::read::read(&path);
    let _ = std::fs::remove_file(&path);
    read.is_ok()
}
