//! One module per subcommand; each returns the process exit code:
//! 0 success, 1 the content has errors, 2 usage or environment errors.

pub mod archive;
pub mod brief;
pub mod build;
pub mod chart;
pub mod check;
pub mod export;
pub mod import;
pub mod new;
pub mod progress;
pub mod serve;
pub mod verify;

use std::path::Path;
use std::process::ExitCode;

/// Exit code 1: the content has errors (diagnostics were printed).
pub fn content_errors() -> ExitCode {
    ExitCode::from(1)
}

/// Exit code 2, after printing what is wrong with the environment.
pub fn environment_error(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

/// The content folder must exist before anything is read from it.
pub fn require_content(content: &Path) -> Result<(), ExitCode> {
    if content.is_dir() {
        Ok(())
    } else {
        Err(environment_error(format!(
            "content folder {} not found\n  = help: run nianbao where content/ is, or name it with -c DIR",
            content.display()
        )))
    }
}

/// Writes the one file of `brief`, `export` or `chart` (see
/// `nianbao::write::file`: never inside `content`, never over a file
/// nianbao did not write unless `force`, never half-written).
pub fn write_output(
    content: &Path,
    target: &Path,
    bytes: &[u8],
    force: bool,
) -> Result<(), ExitCode> {
    nianbao::write::file::write_file(target, bytes, content, force).map_err(environment_error)
}
