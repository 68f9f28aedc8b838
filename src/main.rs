//! Entry point: parse the command line, run the command, print diagnostics,
//! exit 0 (success), 1 (the content has errors) or 2 (usage or environment).

mod cli;

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use cli::{Cli, Command};
use nianbao::diagnostics::{Diagnostics, Severity};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let content = match &cli.command {
        Command::Build { content, .. } | Command::Check { content } => content,
    };
    if !content.is_dir() {
        eprintln!(
            "error: content folder {} not found\n  = help: run nianbao where content/ is, or name it with -c DIR",
            content.display()
        );
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Build {
            content,
            output,
            quiet,
        } => {
            let start = Instant::now();
            let out = match nianbao::write::check_output(&output, &content) {
                Ok(o) => o,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    return ExitCode::from(2);
                }
            };
            let mut diags = Diagnostics::default();
            let rendered = nianbao::compile(&content, &mut diags);
            eprint!("{}", diags.render());
            let Some(site) = rendered else {
                eprintln!("build failed: {} left as it was", output.display());
                return ExitCode::from(1);
            };
            if let Err(e) = nianbao::write::write_site(&site.files, &out) {
                eprintln!("error: {e:#}");
                return ExitCode::from(2);
            }
            if !quiet {
                println!(
                    "built {}: {} pages, {} charts, {} files in {:.2} s",
                    output.display(),
                    site.pages,
                    site.charts,
                    site.files.len() + 1,
                    start.elapsed().as_secs_f64()
                );
            }
            ExitCode::SUCCESS
        }
        Command::Check { content } => {
            let mut diags = Diagnostics::default();
            let ok = nianbao::compile(&content, &mut diags).is_some();
            eprint!("{}", diags.render());
            if ok && !diags.has_errors() {
                println!(
                    "{}: no errors, {} warnings",
                    content.display(),
                    diags.count(Severity::Warning)
                );
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}
