//! `nianbao archive --year Y`: freezes year Y's site and its source into
//! `content/archive/Y/` as a BagIt bag. An existing snapshot is never
//! touched.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use nianbao::archive::{self, Error};
use nianbao::diagnostics::Diagnostics;

pub fn run(content: &Path, year: i32) -> ExitCode {
    if let Err(code) = super::require_content(content) {
        return code;
    }
    let start = Instant::now();
    let mut diags = Diagnostics::default();
    let result = archive::create(content, year, &mut diags);
    eprint!("{}", diags.render());
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
            ExitCode::SUCCESS
        }
        Err(Error::Content) => {
            eprintln!("archive failed: nothing written");
            super::content_errors()
        }
        Err(Error::Exists(dir)) => super::environment_error(format!(
            "{} already exists: archives are never rewritten\n  = help: a snapshot is a record of what was published; to archive {year} again, move the old snapshot out of {} yourself first",
            dir.display(),
            dir.parent().unwrap_or(&dir).display()
        )),
        Err(Error::Other(e)) => super::environment_error(format!("{e:#}")),
    }
}
