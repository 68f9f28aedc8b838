//! The command line in the run's language: `--help` and clap's usage errors.
//!
//! The `///` comments of `cli.rs` stay the English help. For a Chinese run
//! the built command is walked and every about, argument help, heading and
//! built-in (`-h`, `-V`, `help`) is replaced from the `cli` catalogue, under
//! `cli.<command>` and `cli.<command>.<argument>` (`cli.about` and
//! `cli.lang` for the top level). Clap's own wording never reaches a
//! Chinese reader: its common errors are said again from the catalogue.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgMatches, Command, CommandFactory, FromArgMatches};
use nianbao::messages::{self, text_in, Lang};
use nianbao::msg;

use crate::cli::Cli;

/// Parses the command line, printing help, version or a usage error in the
/// run's language and exiting as clap does (0 for help, 2 for errors).
pub fn parse() -> Cli {
    let mut cmd = command(messages::lang());
    let matches = match cmd.try_get_matches_from_mut(std::env::args_os()) {
        Ok(m) => m,
        Err(e) => fail(e),
    };
    from_matches(&matches)
}

fn from_matches(matches: &ArgMatches) -> Cli {
    Cli::from_arg_matches(matches).unwrap_or_else(|e| fail(e))
}

fn fail(e: clap::Error) -> ! {
    if messages::lang() == Lang::Zh {
        if let Some(text) = error_zh(&e) {
            eprintln!("{text}");
            std::process::exit(2);
        }
    }
    e.exit()
}

/// The command line of `lang`: the derive's as it is for English, the
/// catalogue's words for Chinese.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command();
    if lang == Lang::Zh {
        // Building first adds the help and version flags and the `help`
        // subcommand, so that they can be said in Chinese too.
        cmd.build();
        localize(&mut cmd, None, lang);
    }
    cmd
}

/// The catalogue key of a command's about: `cli.about` for the program,
/// `cli.<name>` for a subcommand.
pub fn command_key(parent: Option<&str>, name: &str) -> String {
    match parent {
        None => "cli.about".to_string(),
        Some(_) => format!("cli.{name}"),
    }
}

/// The catalogue key of an argument's help. Built-ins and the global
/// `--lang` have one key wherever they appear.
pub fn arg_key(command: Option<&str>, id: &str) -> String {
    match (command, id) {
        (_, "help") => "cli.help_flag".to_string(),
        (_, "version") => "cli.version_flag".to_string(),
        (_, "lang") => "cli.lang".to_string(),
        (None, id) => format!("cli.{id}"),
        (Some(c), id) => format!("cli.{c}.{id}"),
    }
}

/// The catalogue key of a value name (`<CONTENT>` → `cli.value.CONTENT`):
/// one word for a kind of value, wherever it is asked for.
pub fn value_key(name: &str) -> String {
    format!("cli.value.{name}")
}

fn localize(cmd: &mut Command, parent: Option<&str>, lang: Lang) {
    let name = cmd.get_name().to_string();
    let own = parent.map(|_| name.as_str());
    // The subcommands of `help` are copies of the commands: same words.
    let about = text_in(lang, &command_key(parent, &name), &[]);
    let shape = cmd_shape(cmd);
    // The arguments first: the usage line shows their value names.
    let mut c = std::mem::take(cmd).mut_args(|a| localize_arg(a, own, lang));
    let usage = usage_in(&mut c, lang);
    let mut c = c
        .about(about)
        .long_about(None)
        .override_usage(usage)
        .help_template(template(shape, lang));
    for sub in c.get_subcommands_mut() {
        localize(sub, Some(&name), lang);
    }
    *cmd = c;
}

fn localize_arg(a: Arg, command: Option<&str>, lang: Lang) -> Arg {
    let id = a.get_id().as_str().to_string();
    let mut help = text_in(lang, &arg_key(command, &id), &[]);
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    // Flags have a default too (false), which clap does not show.
    if !defaults.is_empty() && !a.is_hide_default_value_set() && a.get_action().takes_values() {
        help = format!(
            "{help} {}",
            text_in(lang, "cli.default", &[("value", &defaults.join(", "))])
        );
    }
    let possible: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|p| !p.is_hide_set())
        .map(|p| p.get_name().to_string())
        .collect();
    // A value list the user cannot miss: the argument's own default is
    // already said, and `--lang` takes free text.
    if !possible.is_empty() && !a.is_hide_possible_values_set() {
        help = format!(
            "{help} {}",
            text_in(lang, "cli.possible", &[("values", &possible.join(", "))])
        );
    }
    let a = match a.get_value_names() {
        // Flags carry a value name too, never shown.
        Some(names) if a.get_action().takes_values() => {
            let names: Vec<String> = names
                .iter()
                .map(|n| text_in(lang, &value_key(n), &[]))
                .collect();
            a.value_names(names)
        }
        _ => a,
    };
    a.help(help)
        .long_help(None)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// Which sections a command's help has: subcommands, positionals, options.
fn cmd_shape(c: &Command) -> (bool, bool, bool) {
    let shown = |a: &&Arg| !a.is_hide_set();
    (
        c.has_subcommands(),
        c.get_positionals().any(|a| shown(&a)),
        c.get_arguments().any(|a| !a.is_positional() && shown(&a)),
    )
}

/// Clap's help layout with the headings in Chinese: clap writes its
/// English headings itself in `{all-args}`, so each section is laid out
/// here from its parts.
fn template((commands, arguments, options): (bool, bool, bool), lang: Lang) -> String {
    let mut t = format!(
        "{{before-help}}{{about-with-newline}}\n{}：{{usage}}",
        text_in(lang, "cli.heading.usage", &[])
    );
    for (present, heading, tag) in [
        (commands, "cli.heading.commands", "{subcommands}"),
        (arguments, "cli.heading.arguments", "{positionals}"),
        (options, "cli.heading.options", "{options}"),
    ] {
        if present {
            t.push_str(&format!("\n\n{}：\n{tag}", text_in(lang, heading, &[])));
        }
    }
    t.push_str("{after-help}");
    t
}

/// Clap's usage line with its placeholders in Chinese (`[OPTIONS]`,
/// `<COMMAND>`); the value names of arguments stay as they are typed.
fn usage_in(cmd: &mut Command, lang: Lang) -> String {
    let usage = cmd.render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
    usage
        .replace(
            "[OPTIONS]",
            &format!("[{}]", text_in(lang, "cli.usage.options", &[])),
        )
        .replace(
            "<COMMAND>",
            &format!("<{}>", text_in(lang, "cli.usage.command", &[])),
        )
        .replace(
            "[COMMAND]",
            &format!("[{}]", text_in(lang, "cli.usage.command", &[])),
        )
}

fn string(v: Option<&ContextValue>) -> Option<String> {
    match v? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(s) => Some(s.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(s) => Some(
            s.iter()
                .map(StyledStr::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

/// Clap's error said in Chinese, for the kinds a user meets; `None` for
/// the rest, which clap prints as it does.
fn error_zh(e: &clap::Error) -> Option<String> {
    let arg = string(e.get(ContextKind::InvalidArg));
    let value = string(e.get(ContextKind::InvalidValue));
    let line = match e.kind() {
        ErrorKind::UnknownArgument => msg!("cli.error.unknown_argument", arg = arg?),
        ErrorKind::InvalidSubcommand => msg!(
            "cli.error.unknown_command",
            command = string(e.get(ContextKind::InvalidSubcommand))?
        ),
        ErrorKind::InvalidValue => match value.filter(|v| !v.is_empty()) {
            Some(value) => msg!("cli.error.invalid_value", arg = arg?, value = value),
            None => msg!("cli.error.missing_value", arg = arg?),
        },
        ErrorKind::ValueValidation => {
            msg!("cli.error.invalid_value", arg = arg?, value = value?)
        }
        ErrorKind::MissingRequiredArgument => msg!("cli.error.missing_argument", arg = arg?),
        ErrorKind::MissingSubcommand => {
            msg!("cli.error.missing_command")
        }
        _ => return None,
    };
    // Said as the other errors of a run are: `错误: …`, `  = 提示: …`.
    let mut out = format!("{}: {line}", msg!("diag.error"));
    let suggestion = string(e.get(ContextKind::SuggestedArg))
        .or_else(|| string(e.get(ContextKind::SuggestedSubcommand)));
    if let Some(s) = suggestion {
        out.push_str(&format!(
            "\n  = {}: {}",
            msg!("diag.help"),
            msg!("cli.error.did_you_mean", suggestion = s)
        ));
    } else if let Some(valid) = string(e.get(ContextKind::ValidValue))
        .or_else(|| string(e.get(ContextKind::ValidSubcommand)))
        .filter(|v| !v.is_empty())
    {
        out.push_str(&format!(
            "\n  = {}: {}",
            msg!("diag.help"),
            msg!("cli.error.valid_values", values = valid)
        ));
    }
    if let Some(usage) = string(e.get(ContextKind::Usage)) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage: ").unwrap_or(usage);
        out.push_str(&format!("\n\n{}：{usage}", msg!("cli.heading.usage")));
    }
    out.push_str(&format!("\n\n{}", msg!("cli.error.more")));
    Some(out)
}

#[cfg(test)]
mod tests;
