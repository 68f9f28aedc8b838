//! `nianbao check`: `build` without writing. The same build runs, snapshot
//! verification included; the pages go to a stream that drops them.

use std::path::Path;

use nianbao::build::{self, Options, Source};
use nianbao::diagnostics::Severity;
use nianbao::layout::Discard;

pub fn run(content: &Path, year: Option<i32>) -> super::Outcome {
    super::require_content(content)?;
    let options = Options {
        year,
        sink: Some(&Discard),
        ..Options::site()
    };
    let built = build::run(Source::Dir(content), &options);
    eprint!("{}", built.report());
    if built.ok() {
        println!(
            "{}",
            nianbao::msg!(
                "check.ok",
                folder = content.display(),
                warnings = built.diagnostics.count(Severity::Warning)
            )
        );
        Ok(())
    } else {
        Err(super::content_errors())
    }
}
