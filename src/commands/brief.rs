//! `nianbao brief`: the annual summary as an editable Word document, the
//! same file the site offers on its briefing page (`brief-<year>.docx`).

use std::path::{Path, PathBuf};

use nianbao::build::{self, Options, Output, Source};

pub fn run(
    content: &Path,
    year: Option<i32>,
    output: Option<PathBuf>,
    force: bool,
) -> super::Outcome {
    super::require_content(content)?;
    let options = Options {
        year,
        ..Options::presented(Output::Brief)
    };
    let built = build::run(Source::Dir(content), &options);
    super::write_one(built, content, output, force)
}
