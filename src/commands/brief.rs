//! `nianbao brief`: the annual summary as an editable Word document, the
//! two-page summary brief or the slide deck: the same files the site
//! offers on its briefing page.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nianbao::diagnostics::Diagnostics;

use crate::cli::{BriefFormat, BriefKind};

/// The site's file of a kind and format, for a year.
fn file_name(kind: BriefKind, format: BriefFormat, year: i32) -> String {
    match (format, kind) {
        (BriefFormat::Pptx, _) => nianbao::deck::file_name(year),
        (BriefFormat::Docx, BriefKind::Summary) => nianbao::brief::summary::file_name(year),
        (BriefFormat::Docx, BriefKind::Report) => nianbao::brief::file_name(year),
    }
}

pub fn run(
    content: &Path,
    year: Option<i32>,
    kind: BriefKind,
    format: BriefFormat,
    output: Option<PathBuf>,
) -> ExitCode {
    if let Err(code) = super::require_content(content) {
        return code;
    }
    let mut diags = Diagnostics::default();
    // Only the presented year's site: the briefing is one of its files.
    let site = nianbao::compile_with(content, year, &[], false, &mut diags);
    if diags.has_errors() {
        eprint!("{}", diags.render());
    }
    let Some(site) = site else {
        return super::content_errors();
    };
    let wanted = site
        .files
        .keys()
        .filter(|p| p.parent() == Some(Path::new("")))
        .find_map(|p| {
            let year: i32 = p.to_str()?.strip_prefix("brief-")?.get(..4)?.parse().ok()?;
            (p == Path::new(&file_name(kind, format, year))).then_some(p)
        });
    let Some((name, bytes)) = wanted.and_then(|p| site.files.get_key_value(p)) else {
        return super::environment_error("the briefing was not made");
    };
    let target = output.unwrap_or_else(|| name.clone());
    if let Err(code) = super::write_output(&target, bytes) {
        return code;
    }
    println!("wrote {} ({} bytes)", target.display(), bytes.len());
    ExitCode::SUCCESS
}
