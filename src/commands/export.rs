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
        .map(|d| nianbao::export::duplicate_branch_names(d))
        .unwrap_or_default();
    let (target, bytes) = super::one_file(built, content, output, force)?;
    if !twice.is_empty() {
        let what = match twice.len() {
            1 => nianbao::msg!("export.same_name", name = twice[0]),
            n => nianbao::msg!("export.same_names", name = twice[0], more = n - 1),
        };
        eprintln!(
            "{}: {}",
            nianbao::msg!("diag.warning"),
            super::with_help(what, nianbao::msg!("export.same_name.help"))
        );
    }
    println!(
        "{}",
        nianbao::msg!(
            "export.wrote",
            file = target.display(),
            organizations = counts.0,
            branches = counts.1,
            bytes = bytes.len()
        )
    );
    if include_private {
        println!(
            "{}",
            nianbao::msg!("office.export.internal", file = target.display())
        );
    }
    Ok(())
}
