//! `nianbao import FILE… --into DIR`: spreadsheet registers → the data
//! files of a year (see `nianbao::import`).

use std::path::Path;

use nianbao::import::{self, Options};

/// The command line's words, before `--kind` is read.
pub struct Args<'a> {
    pub files: Vec<&'a Path>,
    pub into: &'a Path,
    pub sheet: Option<&'a str>,
    pub map: Option<&'a Path>,
    pub tree: Option<&'a Path>,
    pub force: bool,
    pub partial: bool,
    pub kind: Option<&'a str>,
    pub top: Option<&'a str>,
    pub drop_private: bool,
}

pub fn run(args: Args) -> super::Outcome {
    let kind = match args.kind.map(|k| (k, import::text::kind(k))) {
        None => None,
        Some((_, Some(k))) => Some(k),
        Some((value, None)) => {
            return Err(super::environment_error(format!(
                "{}\n  = {}: {}",
                nianbao::msg!("import.kind.unknown_flag", value = value),
                nianbao::msg!("diag.help"),
                nianbao::msg!("import.kind.unknown_flag.help")
            )))
        }
    };
    let options = Options {
        files: args.files,
        into: args.into,
        sheet: args.sheet,
        map: args.map,
        force: args.force,
        partial: args.partial,
        tree: args.tree,
        kind,
        top: args.top,
        drop_private: args.drop_private,
    };
    let code = import::run(
        &options,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    match code {
        0 => Ok(()),
        code => Err(super::Failure::Code(code)),
    }
}
