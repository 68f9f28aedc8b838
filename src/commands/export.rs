//! `nianbao export --format xlsx`: a year's registers as an Excel workbook
//! that `nianbao import` reads back into the same records.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nianbao::diagnostics::Diagnostics;

use crate::cli::ExportFormat;

pub fn run(
    content: &Path,
    year: Option<i32>,
    format: ExportFormat,
    output: Option<PathBuf>,
) -> ExitCode {
    let ExportFormat::Xlsx = format;
    if let Err(code) = super::require_content(content) {
        return code;
    }
    let mut diags = Diagnostics::default();
    let raw = nianbao::load::load(content, &mut diags);
    let Some(site) = nianbao::resolve::resolve(&raw, year, &mut diags) else {
        eprint!("{}", diags.render());
        return super::content_errors();
    };
    let year = site.config.year;
    let Some(data) = site.years.get(&year) else {
        eprint!("{}", diags.render());
        return super::content_errors();
    };
    let report = nianbao::derive::derive(data, &mut diags);
    if diags.has_errors() {
        eprint!("{}", diags.render());
        return super::content_errors();
    }
    // Names and the like are published by the site as well: what `build`
    // refuses to publish is not exported either.
    if !site.config.allow_personal_numbers {
        let text: Vec<u8> = nianbao::export::all_text(&report).into_bytes();
        let file = PathBuf::from(nianbao::export::file_name(year));
        let found = nianbao::scan::scan_files_traced([(&file, &text)], Path::new(""), &diags);
        if !found.is_empty() {
            let mut d = Diagnostics::default();
            found.into_iter().for_each(|f| d.push(f));
            eprint!("{}", d.render());
            return super::content_errors();
        }
    }
    let bytes = match nianbao::export::xlsx(&site.config.title, &report) {
        Ok(b) => b,
        Err(e) => return super::environment_error(e),
    };
    let target = output.unwrap_or_else(|| PathBuf::from(nianbao::export::file_name(year)));
    if let Err(code) = super::write_output(&target, &bytes) {
        return code;
    }
    let twice = nianbao::export::duplicate_branch_names(&report);
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
        data.organizations.len(),
        data.branches.len(),
        bytes.len()
    );
    ExitCode::SUCCESS
}
