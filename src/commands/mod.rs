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

use std::path::{Path, PathBuf};
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

/// The end of `brief`, `chart` and `export`: prints the problems of a
/// failed build, or writes its one file to `output` (default: the file's
/// name in the current folder).
pub fn write_one(built: nianbao::build::Built, output: Option<PathBuf>) -> ExitCode {
    match one_file(built, output) {
        Ok((target, bytes)) => {
            println!("wrote {} ({} bytes)", target.display(), bytes.len());
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

/// `write_one` without the last line: the file written and its bytes.
pub fn one_file(
    built: nianbao::build::Built,
    output: Option<PathBuf>,
) -> Result<(PathBuf, Vec<u8>), ExitCode> {
    if !built.ok() {
        eprint!("{}", built.report());
        return Err(content_errors());
    }
    let Some((name, bytes)) = built.files.and_then(|f| f.into_iter().next()) else {
        return Err(environment_error("nothing was made"));
    };
    let target = output.unwrap_or_else(|| PathBuf::from(name.file_name().unwrap_or_default()));
    write_output(&target, &bytes)?;
    Ok((target, bytes))
}

/// Writes a file beside `target` and renames it into place, so that a
/// half-written file never replaces a good one (`brief`, `export`).
pub fn write_output(target: &Path, bytes: &[u8]) -> Result<(), ExitCode> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.nianbao-tmp"));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, target));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        environment_error(format!("cannot write {}: {e}", target.display()))
    })
}
