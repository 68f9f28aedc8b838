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

/// Why a command failed. Every command returns an [`Outcome`]; `main`
/// turns it into the exit code through [`exit`], the one place that maps
/// failures to codes and prints environment errors.
#[derive(Debug)]
pub enum Failure {
    /// The content has errors (their diagnostics were printed): exit 1.
    Content,
    /// A usage or environment error, printed as `error: …`: exit 2.
    Environment(String),
    /// The code a tool beside the pipeline decided (`import`).
    Code(u8),
}

pub type Outcome = Result<(), Failure>;

/// The exit code of an outcome: 0 success, 1 the content has errors,
/// 2 usage or environment errors.
pub fn exit(outcome: Outcome) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Content) => ExitCode::from(1),
        Err(Failure::Environment(e)) => {
            eprintln!("{}: {e}", nianbao::msg!("diag.error"));
            ExitCode::from(2)
        }
        Err(Failure::Code(code)) => ExitCode::from(code),
    }
}

/// The content has errors (diagnostics were printed).
pub fn content_errors() -> Failure {
    Failure::Content
}

/// What is wrong with the environment or the command line.
pub fn environment_error(e: impl std::fmt::Display) -> Failure {
    Failure::Environment(e.to_string())
}

/// The content folder must exist before anything is read from it.
pub fn require_content(content: &Path) -> Outcome {
    nianbao::messages::from_site(content);
    if content.is_dir() {
        Ok(())
    } else {
        Err(environment_error(with_help(
            nianbao::msg!("cmd.content_missing", folder = content.display()),
            nianbao::msg!("cmd.content_missing.help"),
        )))
    }
}

/// A message with its fix on the next line, as diagnostics print it.
pub fn with_help(what: String, help: String) -> String {
    format!("{what}\n  = {}: {help}", nianbao::msg!("diag.help"))
}

/// "1 error" or "N errors" in the run's language.
pub fn errors(n: usize) -> String {
    match n {
        1 => nianbao::msg!("diag.count.one_error"),
        n => nianbao::msg!("diag.count.errors", n = n),
    }
}

/// The end of `brief`, `chart` and `export`: prints the problems of a
/// failed build, or writes its one file to `output` (default: the file's
/// name in the current folder).
pub fn write_one(
    built: nianbao::build::Built,
    content: &Path,
    output: Option<PathBuf>,
    force: bool,
) -> Outcome {
    let (target, bytes) = one_file(built, content, output, force)?;
    println!(
        "{}",
        nianbao::msg!("cmd.wrote", file = target.display(), bytes = bytes.len())
    );
    Ok(())
}

/// `write_one` without the last line: the file written and its bytes.
pub fn one_file(
    built: nianbao::build::Built,
    content: &Path,
    output: Option<PathBuf>,
    force: bool,
) -> Result<(PathBuf, Vec<u8>), Failure> {
    if !built.ok() {
        eprint!("{}", built.report());
        return Err(content_errors());
    }
    let Some((name, bytes)) = built.files.and_then(|f| f.into_iter().next()) else {
        return Err(environment_error(nianbao::msg!("cmd.nothing_made")));
    };
    let target = output.unwrap_or_else(|| PathBuf::from(name.file_name().unwrap_or_default()));
    // Never inside `content`, never over a file nianbao did not write
    // unless `force`, never half-written (`nianbao::write::file`).
    nianbao::write::file::write_file(&target, &bytes, content, force).map_err(environment_error)?;
    Ok((target, std::sync::Arc::unwrap_or_clone(bytes)))
}
