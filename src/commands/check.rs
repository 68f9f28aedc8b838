//! `nianbao check`: every validation of a build, writing nothing.

use std::path::Path;
use std::process::ExitCode;

use nianbao::diagnostics::{Diagnostics, Severity};

pub fn run(content: &Path, year: Option<i32>) -> ExitCode {
    if let Err(code) = super::require_content(content) {
        return code;
    }
    let mut diags = Diagnostics::default();
    let ok = nianbao::compile(content, year, &mut diags).is_some();
    eprint!("{}", diags.render());
    if ok && !diags.has_errors() {
        println!(
            "{}: no errors, {} warnings",
            content.display(),
            diags.count(Severity::Warning)
        );
        ExitCode::SUCCESS
    } else {
        super::content_errors()
    }
}
