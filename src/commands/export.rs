//! `nianbao export --format xlsx`: a year's registers as an Excel workbook
//! that `nianbao import` reads back into the same records.

use std::path::{Path, PathBuf};

use nianbao::build::{self, Options, Output, Source};

use crate::cli::ExportFormat;

pub fn run(
    content: &Path,
    year: Option<i32>,
    format: ExportFormat,
    output: Option<PathBuf>,
    force: bool,
    include_private: bool,
) -> super::Outcome {
    let ExportFormat::Xlsx = format;
    super::require_content(content)?;
    let options = Options {
        year,
        include_private,
        ..Options::presented(Output::Export)
    };
    let built = build::run(Source::Dir(content), &options);
    let model = built.model.as_ref();
    let data = model.and_then(|m| m.years.get(&m.config.year));
    let counts = data.map_or((0, 0), |d| (d.organizations.len(), d.branches.len()));
    let twice = data
        .map(nianbao::export::duplicate_branch_names)
        .unwrap_or_default();
    let (target, bytes) = super::one_file(built, content, output, force)?;
    if !twice.is_empty() {
        eprintln!(
            "warning: more than one party organization is named `{}`{}: the sheets refer to them by name, so `nianbao import` cannot read this workbook back\n  = help: give each party organization a name of its own in branches.yaml",
            twice[0],
            match twice.len() {
                1 => String::new(),
                n => format!(" (and {} more names)", n - 1),
            }
        );
    }
    println!(
        "wrote {} ({} organizations, {} party organizations, {} bytes)",
        target.display(),
        counts.0,
        counts.1,
        bytes.len()
    );
    if include_private {
        println!(
            "{}",
            nianbao::msg!("office.export.internal", file = target.display())
        );
    }
    Ok(())
}
