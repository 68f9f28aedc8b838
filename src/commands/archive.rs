//! `nianbao archive --year Y`: freezes year Y's site and its source into
//! `content/archive/Y/` as a BagIt bag. An existing snapshot is never
//! touched.

use std::path::Path;
use std::time::Instant;

use nianbao::archive::{self, Error};
use nianbao::build::{self, Options, Output, Source, Years};

pub fn run(content: &Path, year: i32) -> super::Outcome {
    super::require_content(content)?;
    let start = Instant::now();
    let result = freeze(content, year);
    match result {
        Ok(c) => {
            println!(
                "archived {year} into {}: {} files, {} payload files, {} bytes in {:.2} s",
                c.dir.display(),
                c.files,
                c.payload_files,
                c.payload_bytes,
                start.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Err(Error::Content) => {
            eprintln!("archive failed: nothing written");
            Err(super::content_errors())
        }
        Err(Error::Exists(dir)) => Err(super::environment_error(format!(
            "{} already exists: archives are never rewritten\n  = help: a snapshot is a record of what was published; to archive {year} again, move the old snapshot out of {} yourself first",
            dir.display(),
            dir.parent().unwrap_or(&dir).display()
        ))),
        Err(Error::Other(e)) => Err(super::environment_error(format!("{e:#}"))),
    }
}

/// Builds year `year` as it could be published then (later years left
/// out, no archive page: the snapshot stands alone) and bags it with its
/// source. The diagnostics are printed.
fn freeze(content: &Path, year: i32) -> Result<archive::Created, Error> {
    archive::exists(content, year)?;
    let options = Options {
        year: Some(year),
        years: Years::AsOfPresented,
        ..Options::presented(Output::Site)
    };
    let built = build::run(Source::Dir(content), &options);
    let mut diags = built.diagnostics;
    let result = match built.files {
        Some(site) if !diags.has_errors() => archive::create(content, year, &site, &mut diags),
        _ => Err(Error::Content),
    };
    eprint!("{}", diags.render());
    result
}
