//! `nianbao chart ID --format svg|png|csv`: one chart for a briefing,
//! drawn exactly as the site draws it, without writing the site.

use std::path::{Path, PathBuf};

use nianbao::build::{self, Options, Output, Source};
use nianbao::present::charts::ChartId;

use crate::cli::ChartFormat;

pub fn run(
    id: &str,
    format: ChartFormat,
    content: &Path,
    year: Option<i32>,
    output: Option<PathBuf>,
    force: bool,
) -> super::Outcome {
    let Some(id) = ChartId::parse(id) else {
        return Err(super::environment_error(super::with_help(
            nianbao::msg!("chart.command_unknown", id = id),
            nianbao::msg!("chart.command_unknown.help", charts = ChartId::list()),
        )));
    };
    super::require_content(content)?;
    let options = Options {
        year,
        ..Options::presented(Output::Chart(id, format.into()))
    };
    let built = build::run(Source::Dir(content), &options);
    super::write_one(built, content, output, force)
}
