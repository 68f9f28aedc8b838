//! Every command and argument has its help in both catalogues, the English
//! catalogue says what `cli.rs` says, and the Chinese help has no English
//! frame left.

use super::*;

/// Every (key, English text of the derive) of the built command line:
/// commands, their arguments, and clap's built-ins.
fn keys() -> Vec<(String, Option<String>)> {
    fn walk(c: &Command, parent: Option<&str>, out: &mut Vec<(String, Option<String>)>) {
        let own = parent.map(|_| c.get_name());
        let about = c.get_about().map(|a| a.to_string());
        out.push((command_key(parent, c.get_name()), about));
        for a in c.get_arguments() {
            let help = a.get_help().map(|h| h.to_string());
            out.push((arg_key(own, a.get_id().as_str()), help));
            let names = a
                .get_value_names()
                .filter(|_| a.get_action().takes_values());
            for name in names.unwrap_or_default() {
                out.push((value_key(name), Some(name.to_string())));
            }
        }
        for s in c.get_subcommands() {
            walk(s, Some(c.get_name()), out);
        }
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, None, &mut out);
    out
}

#[test]
fn every_command_and_argument_has_help_in_both_languages() {
    let mut missing = Vec::new();
    for (key, _) in keys() {
        for lang in [Lang::Zh, Lang::En] {
            if text_in(lang, &key, &[]) == key {
                missing.push(format!("`{key}` is not in {}/cli.yaml", lang.as_str()));
            }
        }
    }
    missing.dedup();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_english_catalogue_says_what_the_doc_comments_say() {
    let mut stale = Vec::new();
    for (key, derive) in keys() {
        let Some(derive) = derive else { continue };
        let catalogue = text_in(Lang::En, &key, &[]);
        if catalogue != derive {
            stale.push(format!(
                "`{key}`: cli.rs says {derive:?}, en/cli.yaml {catalogue:?}"
            ));
        }
    }
    stale.dedup();
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

fn help_of(cmd: &mut Command, path: &[&str]) -> String {
    let mut c = cmd;
    for name in path {
        c = c.find_subcommand_mut(name).unwrap();
    }
    c.render_help().to_string()
}

#[test]
fn chinese_help_keeps_no_english_frame() {
    let mut cmd = command(Lang::Zh);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let mut pages = vec![help_of(&mut cmd, &[])];
    for n in &names {
        pages.push(help_of(&mut cmd, &[n]));
    }
    for page in pages {
        for english in [
            "Usage",
            "Options",
            "Arguments",
            "Commands",
            "Print help",
            "Print version",
            "[default",
            "[possible",
            "OPTIONS",
            "COMMAND",
        ] {
            assert!(!page.contains(english), "`{english}` in:\n{page}");
        }
        assert!(page.contains("用法："), "{page}");
    }
}

#[test]
fn chinese_help_shows_defaults_and_values() {
    let mut cmd = command(Lang::Zh);
    let chart = help_of(&mut cmd, &["chart"]);
    assert!(
        chart.contains("用法：nianbao chart [选项] <编号>"),
        "{chart}"
    );
    assert!(chart.contains("参数：\n  <编号>  图表编号"), "{chart}");
    assert!(
        chart.contains("[默认：svg] [可选：svg, png, csv]"),
        "{chart}"
    );
    // Columns line up with Chinese value names (two columns a character).
    for line in [
        "\n  -c, --content <文件夹>  内容文件夹",
        "\n      --format <格式>     写出的格式",
        "\n  -h, --help              显示帮助",
    ] {
        assert!(chart.contains(line), "no {line:?} in {chart}");
    }
    // Flags say nothing of their default, as in English.
    assert!(!chart.contains("[默认：false]"), "{chart}");
}

#[test]
fn english_help_is_the_derive_untouched() {
    let mut ours = command(Lang::En);
    let mut derive = Cli::command();
    assert_eq!(
        ours.render_help().to_string(),
        derive.render_help().to_string()
    );
}
