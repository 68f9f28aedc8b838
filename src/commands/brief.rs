//! `nianbao brief`: the annual summary as an editable Word document, the
//! two-page summary brief or the slide deck: the same files the site
//! offers on its briefing page.

use std::path::{Path, PathBuf};

use nianbao::brief::Document;
use nianbao::build::{self, Options, Output, Source};

use crate::cli::{BriefFormat, BriefKind};

pub fn run(
    content: &Path,
    year: Option<i32>,
    kind: BriefKind,
    format: BriefFormat,
    output: Option<PathBuf>,
    force: bool,
) -> super::Outcome {
    super::require_content(content)?;
    let document = match (format, kind) {
        (BriefFormat::Pptx, _) => Document::Deck,
        (BriefFormat::Docx, BriefKind::Summary) => Document::Summary,
        (BriefFormat::Docx, BriefKind::Report) => Document::Report,
    };
    let options = Options {
        year,
        ..Options::presented(Output::Brief(document))
    };
    let built = build::run(Source::Dir(content), &options);
    super::write_one(built, content, output, force)
}
