//! The command line speaks Chinese when `--lang zh-CN` or a Chinese locale
//! asks for it (help, usage errors, environment errors, snapshots, the
//! output guard), and today's English with `--lang en`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

/// How a run chooses its language.
#[derive(Clone, Copy, Debug)]
enum Way {
    /// `--lang zh-CN`.
    Flag,
    /// `LANG=zh_CN.UTF-8`, nothing else set.
    Locale,
    /// `--lang en` against a Chinese locale: the flag wins.
    English,
}

const CHINESE: [Way; 2] = [Way::Flag, Way::Locale];

fn run(dir: &Path, way: Way, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    cmd.env_remove("NIANBAO_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "zh_CN.UTF-8")
        .current_dir(dir);
    match way {
        Way::Flag => {
            cmd.env("LANG", "C.UTF-8").args(["--lang", "zh-CN"]);
        }
        Way::Locale => {}
        Way::English => {
            cmd.args(["--lang", "en"]);
        }
    }
    cmd.args(args).output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_is_chinese_by_flag_and_by_locale() {
    let d = tempfile::tempdir().unwrap();
    for way in CHINESE {
        let o = run(d.path(), way, &["--help"]);
        assert_eq!(o.status.code(), Some(0), "{way:?}");
        let text = out(&o);
        for want in [
            "用法：nianbao [选项] <命令>",
            "命令：\n  build    生成网站",
            "  help     显示本帮助，或某个命令的帮助",
            "选项：\n      --lang <语言>  提示信息的语言",
            "  -h, --help         显示帮助",
            "  -V, --version      显示版本",
        ] {
            assert!(text.contains(want), "{way:?}: no {want:?} in\n{text}");
        }
        for english in ["Usage", "Commands:", "Options:", "Print help"] {
            assert!(!text.contains(english), "{way:?}: {english:?} in\n{text}");
        }

        let text = out(&run(d.path(), way, &["build", "--help"]));
        for want in [
            "用法：nianbao build [选项]",
            "选项：\n  -c, --content <文件夹>  内容文件夹 [默认：content]",
        ] {
            assert!(text.contains(want), "{way:?}: no {want:?} in\n{text}");
        }
        // A flag says nothing of its default, as in English.
        assert!(
            text.lines()
                .any(|l| l.starts_with("  -q, --quiet  ") && l.ends_with(" 只显示问题")),
            "{text}"
        );
        assert!(!text.contains("[default"), "{text}");
    }
}

#[test]
fn lang_en_gives_todays_english_help() {
    let d = tempfile::tempdir().unwrap();
    for args in [&["--help"][..], &["build", "--help"], &["chart", "--help"]] {
        let english = out(&run(d.path(), Way::English, args));
        assert_eq!(english, out(&nianbao(d.path(), args)), "{args:?}");
        assert!(english.contains("Usage: nianbao "), "{english}");
        assert!(english.contains("Print help"), "{english}");
    }
    let text = out(&run(d.path(), Way::English, &["build", "--help"]));
    assert!(
        text.contains("  -c, --content <CONTENT>  The content folder [default: content]"),
        "{text}"
    );
}

#[test]
fn usage_mistakes_are_said_in_chinese() {
    let d = tempfile::tempdir().unwrap();
    for way in CHINESE {
        let o = run(d.path(), way, &["build", "--bogus"]);
        assert_eq!(o.status.code(), Some(2));
        let e = err(&o);
        assert!(e.contains("错误: 无法识别的参数 '--bogus'"), "{e}");
        assert!(e.contains("用法：nianbao build [选项]"), "{e}");

        let e = err(&run(d.path(), way, &["biuld"]));
        assert!(e.contains("没有 'biuld' 这个命令"), "{e}");
        assert!(e.contains("= 提示: 是不是要写 'build'"), "{e}");

        // Without a command: the commands there are, and the usage.
        let o = run(d.path(), way, &[]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err(&o).contains("用法：nianbao [选项] <命令>"),
            "{}",
            err(&o)
        );

        let e = err(&run(d.path(), way, &["chart", "x", "--format", "gif"]));
        assert!(e.contains("'--format <格式>' 的值 'gif' 不正确"), "{e}");
        assert!(e.contains("可以写：svg, png, csv"), "{e}");
    }
    let e = err(&run(d.path(), Way::English, &["build", "--bogus"]));
    assert!(
        e.contains("error: unexpected argument '--bogus' found"),
        "{e}"
    );
}

#[test]
fn an_unknown_lang_is_said_in_the_locales_language() {
    let d = tempfile::tempdir().unwrap();
    let o = run(d.path(), Way::Locale, &["--lang", "fr", "check"]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains("--lang 的语言 `fr` 无法识别"), "{e}");
    assert!(e.contains("请写 --lang zh-CN 或 --lang en"), "{e}");
    let e = err(&nianbao(d.path(), &["--lang", "fr", "check"]));
    assert!(e.contains("error: unknown language `fr` for --lang"), "{e}");
}

#[test]
fn a_missing_content_folder_is_said_in_chinese() {
    let d = tempfile::tempdir().unwrap();
    for way in CHINESE {
        let o = run(d.path(), way, &["build", "-c", "nowhere"]);
        assert_eq!(o.status.code(), Some(2));
        let e = err(&o);
        assert!(e.contains("找不到内容文件夹 nowhere"), "{way:?}: {e}");
        assert!(e.contains("= 提示: 请在 content/ 所在的文件夹运行"), "{e}");
    }
    let e = err(&run(d.path(), Way::English, &["build", "-c", "nowhere"]));
    assert!(
        e.contains(
            "error: content folder nowhere not found\n  = help: run nianbao where content/ is"
        ),
        "{e}"
    );
}

#[test]
fn an_unknown_chart_is_said_in_chinese() {
    let site = site_copy("minimal");
    for way in CHINESE {
        let o = run(site.path(), way, &["chart", "nope", "-c", "content"]);
        assert_eq!(o.status.code(), Some(2));
        let e = err(&o);
        assert!(e.contains("没有编号为 `nope` 的图表"), "{e}");
        assert!(
            e.contains("图表编号有：") && e.contains("coverage-by-kind"),
            "{e}"
        );
    }
    let e = err(&run(site.path(), Way::English, &["chart", "nope"]));
    assert!(
        e.contains("error: no chart `nope`\n  = help: the charts are: "),
        "{e}"
    );
}

const SNAPSHOT: &str = "content/archive/2016";

fn archived() -> tempfile::TempDir {
    let site = site_copy("minimal");
    let o = nianbao(site.path(), &["archive", "--year", "2016", "-c", "content"]);
    assert!(o.status.success(), "{}", err(&o));
    site
}

#[test]
fn verify_of_a_tampered_snapshot_is_said_in_chinese() {
    let site = archived();
    let page = site.path().join(SNAPSHOT).join("data/site/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    std::fs::remove_file(
        site.path()
            .join(SNAPSHOT)
            .join("data/site/static/style.css"),
    )
    .unwrap();
    for way in CHINESE {
        let o = run(site.path(), way, &["verify", SNAPSHOT]);
        assert_eq!(o.status.code(), Some(1));
        let e = err(&o);
        for want in [
            "content/archive/2016/data/site/index.html: sha256 校验值不符；sha512 校验值不符\n",
            "content/archive/2016/data/site/static/style.css: 文件缺失（manifest-sha256.txt, manifest-sha512.txt 中列有它）\n",
            "content/archive/2016/bag-info.txt: Payload-Oxum 写的是 ",
            "content/archive/2016：快照有问题，共 3 处\n",
        ] {
            assert!(e.contains(want), "{way:?}: no {want:?} in\n{e}");
        }
    }
    let e = err(&run(site.path(), Way::English, &["verify", SNAPSHOT]));
    assert!(
        e.contains("content/archive/2016/data/site/index.html: sha256 mismatch, sha512 mismatch\n"),
        "{e}"
    );
    assert!(
        e.contains("content/archive/2016: not valid, 3 problems\n"),
        "{e}"
    );

    // A good snapshot says so in Chinese too.
    let good = archived();
    let o = run(good.path(), Way::Flag, &["verify", SNAPSHOT]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).starts_with("content/archive/2016：快照完好（BagIt），"),
        "{}",
        out(&o)
    );
}

#[test]
fn verify_of_a_missing_snapshot_is_said_in_chinese() {
    let d = tempfile::tempdir().unwrap();
    for way in CHINESE {
        let o = run(d.path(), way, &["verify", "no-such-folder"]);
        assert_eq!(o.status.code(), Some(2));
        let e = err(&o);
        assert!(e.contains("错误: no-such-folder 不是文件夹"), "{e}");
        assert!(e.contains("请指定一个快照文件夹"), "{e}");
    }
    let e = err(&run(d.path(), Way::English, &["verify", "no-such-folder"]));
    assert!(
        e.contains("error: no-such-folder is not a folder\n  = help: name a snapshot folder"),
        "{e}"
    );
}

#[test]
fn the_output_guard_is_said_in_chinese() {
    let site = site_copy("minimal");
    let content = site.path().join("content");
    let before = tree(&content);
    for (command, file) in [("export", "content/x.xlsx"), ("brief", "content/b.docx")] {
        for way in CHINESE {
            let o = run(site.path(), way, &[command, "-c", "content", "-o", file]);
            assert_eq!(o.status.code(), Some(2), "{command}: {}", err(&o));
            let e = err(&o);
            assert!(
                e.contains(&format!(
                    "拒绝写入 {file}：它在内容文件夹 content 之内，会覆盖源文件"
                )),
                "{command} {way:?}: {e}"
            );
            assert!(e.contains("用 -o 选内容文件夹之外的路径"), "{e}");
            assert!(!e.contains("refusing"), "{e}");
        }
        let e = err(&run(site.path(), Way::English, &[command, "-o", file]));
        assert!(
            e.contains(&format!(
                "refusing to write {file}: it is inside the content folder content"
            )),
            "{e}"
        );
        assert!(!e.contains("拒绝"), "{e}");
    }
    assert_eq!(tree(&content), before);
}
