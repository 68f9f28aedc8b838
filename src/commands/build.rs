//! `nianbao build`: content/ → output/, swapped in only on success.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use nianbao::diagnostics::Diagnostics;

pub fn run(content: &Path, output: &Path, year: Option<i32>, quiet: bool) -> ExitCode {
    if let Err(code) = super::require_content(content) {
        return code;
    }
    let start = Instant::now();
    let out = match nianbao::write::check_output(output, content) {
        Ok(o) => o,
        Err(e) => return super::environment_error(format!("{e:#}")),
    };
    let mut diags = Diagnostics::default();
    let rendered = nianbao::compile(content, year, &mut diags);
    eprint!("{}", diags.render());
    let Some(site) = rendered else {
        eprintln!("build failed: {} left as it was", output.display());
        return super::content_errors();
    };
    if let Err(e) = nianbao::write::write_site(&site.files, &out) {
        return super::environment_error(format!("{e:#}"));
    }
    if !quiet {
        println!(
            "built {}: {} pages, {} charts, {} files in {:.2} s",
            output.display(),
            site.pages,
            site.charts,
            site.files.len() + 1,
            start.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}
