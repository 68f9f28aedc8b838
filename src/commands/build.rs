//! `nianbao build`: content/ → output/, swapped in only on success.

use std::path::Path;
use std::time::Instant;

use nianbao::build::{self, Options, Source};

pub fn run(
    content: &Path,
    output: &Path,
    year: Option<i32>,
    quiet: bool,
    no_carry: bool,
) -> super::Outcome {
    super::require_content(content)?;
    let start = Instant::now();
    let out = match nianbao::write::check_output(output, content) {
        Ok(o) => o,
        Err(e) => return Err(super::environment_error(format!("{e:#}"))),
    };
    let progress = super::progress::Progress::new(quiet);
    progress.stage(&nianbao::msg!("build.stage.render"));
    // The register pages are written as they are rendered, into the folder
    // that replaces the output only when everything succeeded.
    let staging = match nianbao::write::Staging::begin(&out) {
        Ok(s) => s,
        Err(e) => return Err(super::environment_error(format!("{e:#}"))),
    };
    let options = Options {
        year,
        sink: Some(&staging),
        no_carry,
        ..Options::site()
    };
    let built = build::run(Source::Dir(content), &options);
    if !built.ok() {
        progress.finish();
    }
    progress.eprint(&built.report());
    let Some(files) = built.files.as_ref().filter(|_| built.ok()) else {
        eprintln!(
            "{}",
            nianbao::msg!("build.failed", folder = output.display())
        );
        return Err(super::content_errors());
    };
    progress.stage(&nianbao::msg!("build.stage.write"));
    let written = match staging.commit(files) {
        Ok(n) => n,
        Err(e) => return Err(super::environment_error(format!("{e:#}"))),
    };
    progress.finish();
    if !quiet {
        println!(
            "{}",
            nianbao::msg!(
                "build.done",
                folder = output.display(),
                pages = built.pages,
                charts = built.charts,
                files = written,
                seconds = format!("{:.2}", start.elapsed().as_secs_f64())
            )
        );
        if built.archived > 0 {
            println!(
                "{}",
                nianbao::msg!(
                    "build.carried",
                    n = built.archived,
                    folder = output.display()
                )
            );
        }
    }
    Ok(())
}
