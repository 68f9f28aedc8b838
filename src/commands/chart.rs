//! `nianbao chart ID --format svg|png|csv`: one chart for a briefing,
//! drawn exactly as the site draws it, without writing the site.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nianbao::diagnostics::Diagnostics;
use nianbao::render::charts::CHART_IDS;

use crate::cli::ChartFormat;

pub fn run(
    id: &str,
    format: ChartFormat,
    content: &Path,
    year: Option<i32>,
    output: Option<PathBuf>,
    force: bool,
) -> ExitCode {
    if !CHART_IDS.contains(&id) {
        return super::environment_error(format!(
            "no chart `{id}`\n  = help: the charts are: {}",
            CHART_IDS.join(", ")
        ));
    }
    if let Err(code) = super::require_content(content) {
        return code;
    }
    let mut diags = Diagnostics::default();
    let site = nianbao::compile(content, year, &mut diags);
    if diags.has_errors() {
        eprint!("{}", diags.render());
    }
    let Some(site) = site else {
        return super::content_errors();
    };
    let name = format!("{id}.{}", format.extension());
    let Some(bytes) = site.files.get(&PathBuf::from("charts").join(&name)) else {
        return super::environment_error(format!("chart `{id}` was not drawn"));
    };
    let target = output.unwrap_or_else(|| PathBuf::from(&name));
    if let Err(code) = super::write_output(content, &target, bytes, force) {
        return code;
    }
    println!("wrote {} ({} bytes)", target.display(), bytes.len());
    ExitCode::SUCCESS
}
