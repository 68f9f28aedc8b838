//! `nianbao brief`: the annual summary as an editable Word document, the
//! same file the site offers on its briefing page (`brief-<year>.docx`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nianbao::diagnostics::Diagnostics;

pub fn run(content: &Path, year: Option<i32>, output: Option<PathBuf>, force: bool) -> ExitCode {
    if let Err(code) = super::require_content(content) {
        return code;
    }
    let mut diags = Diagnostics::default();
    // Only the presented year's site: the briefing is one of its files.
    let site = nianbao::compile_with(content, year, &[], false, &mut diags);
    if diags.has_errors() {
        eprint!("{}", diags.render());
    }
    let Some(site) = site else {
        return super::content_errors();
    };
    let Some((name, bytes)) = site.files.iter().find(|(p, _)| {
        p.parent() == Some(Path::new(""))
            && p.extension().is_some_and(|e| e == "docx")
            && p.to_string_lossy().starts_with("brief-")
    }) else {
        return super::environment_error("the briefing was not made");
    };
    let target = output.unwrap_or_else(|| name.clone());
    if let Err(code) = super::write_output(content, &target, bytes, force) {
        return code;
    }
    println!("wrote {} ({} bytes)", target.display(), bytes.len());
    ExitCode::SUCCESS
}
