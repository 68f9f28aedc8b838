//! `nianbao build`: content/ → output/, swapped in only on success.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use nianbao::diagnostics::{Diagnostic, Diagnostics, Span};

pub fn run(content: &Path, output: &Path, year: Option<i32>, quiet: bool) -> ExitCode {
    if let Err(code) = super::require_content(content) {
        return code;
    }
    let start = Instant::now();
    let out = match nianbao::write::check_output(output, content) {
        Ok(o) => o,
        Err(e) => return super::environment_error(format!("{e:#}")),
    };
    let progress = super::progress::Progress::new(quiet);
    progress.stage("checking archived snapshots");
    let mut diags = Diagnostics::default();
    // Snapshots are verified, then carried byte for byte: a tampered one
    // stops the build like a content error.
    let carried = nianbao::archive::carry(content);
    for other in nianbao::archive::snapshots(content).1 {
        diags.push(
            Diagnostic::warning(Span::file(&other), "not a snapshot, ignored")
                .help("content/archive/ holds only the snapshot folders that `nianbao archive --year Y` writes, named after their year"),
        );
    }
    // `compile`, stage by stage for the progress line.
    progress.stage("reading content");
    let raw = nianbao::load::load(content, &mut diags);
    progress.stage("checking, deriving and rendering");
    let listed = nianbao::archive::list(content);
    // The register pages are written as they are rendered, into the folder
    // that replaces the output only when everything succeeded.
    let staging = match nianbao::write::Staging::begin(&out) {
        Ok(s) => s,
        Err(e) => return super::environment_error(format!("{e:#}")),
    };
    let rendered = nianbao::compile_into(raw, year, &listed, true, &staging, &mut diags);
    if rendered.is_none() || carried.is_err() {
        progress.finish();
    }
    progress.eprint(&diags.render());
    if let Err(bad) = &carried {
        for line in &bad.lines {
            eprintln!("{line}");
        }
        eprintln!(
            "error: snapshot {} does not verify: archives are never rewritten, so restore it from a copy (its manifest SHA-256 is on the archive page of the published site)",
            bad.dir.display()
        );
    }
    let (Some(mut site), Ok(snapshots)) = (rendered, carried) else {
        eprintln!("build failed: {} left as it was", output.display());
        return super::content_errors();
    };
    let archived = nianbao::archive::snapshots(content).0.len();
    site.files.extend(snapshots);
    progress.stage("writing the site");
    let written = match staging.commit(&site.files) {
        Ok(n) => n,
        Err(e) => return super::environment_error(format!("{e:#}")),
    };
    progress.finish();
    if !quiet {
        println!(
            "built {}: {} pages, {} charts, {} files in {:.2} s",
            output.display(),
            site.pages,
            site.charts,
            written,
            start.elapsed().as_secs_f64()
        );
        if archived > 0 {
            println!(
                "carried {archived} archived snapshot(s) into {}/archive/",
                output.display()
            );
        }
    }
    ExitCode::SUCCESS
}
