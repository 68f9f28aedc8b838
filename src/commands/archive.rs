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
                "{}",
                nianbao::msg!(
                    "archive.done",
                    year = year,
                    folder = c.dir.display(),
                    files = c.files,
                    payload_files = c.payload_files,
                    bytes = c.payload_bytes,
                    seconds = format!("{:.2}", start.elapsed().as_secs_f64())
                )
            );
            Ok(())
        }
        Err(Error::Content) => {
            eprintln!("{}", nianbao::msg!("archive.failed"));
            Err(super::content_errors())
        }
        Err(Error::Exists(dir)) => Err(super::environment_error(super::with_help(
            nianbao::msg!("archive.exists", folder = dir.display()),
            nianbao::msg!(
                "archive.exists.help",
                year = year,
                parent = dir.parent().unwrap_or(&dir).display()
            ),
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
