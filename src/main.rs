//! Entry point: parse the command line and run the subcommand. Exit codes:
//! 0 success, 1 the content has errors, 2 usage or environment errors.

mod cli;
mod commands;
mod help;

use std::path::PathBuf;
use std::process::ExitCode;

use cli::Command;

fn main() -> ExitCode {
    // The language is chosen before clap parses, so that --help and
    // clap's own errors can already speak it.
    if let Err(value) = nianbao::messages::choose(lang_flag().as_deref()) {
        // Said in the language the environment asks for, as --lang could not.
        let _ = nianbao::messages::choose(None);
        return commands::exit(Err(commands::environment_error(commands::with_help(
            nianbao::msg!("cmd.lang_unknown", value = value),
            nianbao::msg!("cmd.lang_unknown.help"),
        ))));
    }
    commands::exit(run(help::parse().command))
}

/// The value of `--lang X` or `--lang=X`, wherever it stands.
fn lang_flag() -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return args.next();
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_string());
        }
    }
    None
}

fn run(command: Command) -> commands::Outcome {
    match command {
        Command::Build {
            content,
            output,
            year,
            quiet,
            no_carry,
        } => commands::build::run(&content, &output, year, quiet, no_carry),
        Command::Check { content, year } => commands::check::run(&content, year),
        Command::Import {
            files,
            into,
            sheet,
            map,
            force,
            partial,
            tree,
            drop_private,
            kind,
            top,
        } => commands::import::run(commands::import::Args {
            files: files.iter().map(PathBuf::as_path).collect(),
            into: &into,
            sheet: sheet.as_deref(),
            map: map.as_deref(),
            tree: tree.as_deref(),
            force,
            partial,
            drop_private,
            kind: kind.as_deref(),
            top: top.as_deref(),
        }),
        Command::Chart {
            id,
            format,
            content,
            year,
            output,
            force,
        } => commands::chart::run(&id, format, &content, year, output, force),
        Command::Brief {
            content,
            year,
            kind,
            format,
            output,
            force,
        } => commands::brief::run(&content, year, kind, format, output, force),
        Command::Export {
            content,
            year,
            format,
            output,
            force,
            include_private,
        } => commands::export::run(&content, year, format, output, force, include_private),
        Command::Archive { content, year } => commands::archive::run(&content, year),
        Command::Verify { dir } => commands::verify::run(&dir),
        Command::Serve {
            content,
            port,
            bind,
            open,
            year,
        } => commands::serve::run(commands::serve::Options {
            content: &content,
            year,
            port: port.as_deref(),
            bind: bind.as_deref(),
            open,
        }),
        Command::New {
            dir,
            language,
            year,
        } => commands::new::run(&dir, &language, year),
    }
}
