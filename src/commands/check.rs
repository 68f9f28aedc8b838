//! `nianbao check`: every validation of a build, writing nothing.

use std::path::Path;
use std::process::ExitCode;

use nianbao::diagnostics::{Diagnostics, Severity};

/// Where `check` sends the pages it renders.
struct Discard;

impl nianbao::render::Stream for Discard {
    fn put(&self, _path: &Path, _bytes: Vec<u8>) {}
}

pub fn run(content: &Path, year: Option<i32>) -> ExitCode {
    if let Err(code) = super::require_content(content) {
        return code;
    }
    let mut diags = Diagnostics::default();
    // Pages are rendered (templates and shortcodes can fail) and scanned
    // for personal numbers, then dropped: memory does not grow with them.
    let raw = nianbao::load::load(content, &mut diags);
    let listed = nianbao::archive::list(content);
    let ok = nianbao::compile_into(raw, year, &listed, true, &Discard, &mut diags).is_some();
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
