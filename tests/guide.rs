//! The documents stay true to the program: the guide for office staff
//! (docs/使用说明.md) shows only pictures this suite makes of the example site
//! and an error example that is the program's own output, and the links of
//! README.md and docs/ lead to files and headings that exist.
//! `NIANBAO_UPDATE_GUIDE=1` writes the pictures into docs/images/ and the
//! example into the guide; otherwise the pictures go to target/ and the
//! committed ones are only checked.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const GUIDE: &str = "docs/使用说明.md";

/// The pictures of the guide: file name (without .png), page of the example
/// site, window width and height. A picture the guide links that is not
/// here fails `every_picture_of_the_guide_is_one_the_suite_makes`.
const SHOTS: &[(&str, &str, u32, u32)] = &[
    ("home-1366", "index.html", 1366, 900),
    (
        "township-1366",
        "organizations/township-1/index.html",
        1366,
        900,
    ),
    ("charts-1366", "charts.html", 1366, 900),
    ("home-390", "index.html", 390, 844),
];

/// Large pictures make the repository heavy for every clone.
const MAX_PICTURE_BYTES: u64 = 300 * 1024;

fn updating() -> bool {
    std::env::var_os("NIANBAO_UPDATE_GUIDE").is_some_and(|v| v == "1")
}

fn images() -> PathBuf {
    manifest().join("docs/images")
}

/// Relative link targets of a Markdown text, `](target)`, outside code.
fn links(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in prose(markdown) {
        // Code spans show Markdown as text: `[a](b)` there is no link.
        let line: String = line.split('`').step_by(2).collect();
        let mut rest = line.as_str();
        while let Some(i) = rest.find("](") {
            rest = &rest[i + 2..];
            let end = rest.find(')').unwrap_or(rest.len());
            let target = &rest[..end];
            if !target.contains("://") && !target.starts_with("mailto:") {
                out.push(target.to_string());
            }
            rest = &rest[end..];
        }
    }
    out
}

/// The lines of a Markdown text outside fenced code blocks.
fn prose(markdown: &str) -> Vec<&str> {
    let mut fenced = false;
    markdown
        .lines()
        .filter(|l| {
            if l.trim_start().starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

/// The anchors GitHub gives the headings of a Markdown text: lowercased,
/// everything but letters, digits, `-`, `_` and spaces dropped, spaces made
/// `-`, repeats numbered.
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for line in prose(markdown) {
        let Some(text) = line.strip_prefix('#') else {
            continue;
        };
        let text = text.trim_start_matches('#').trim();
        let slug: String = text
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let mut unique = slug.clone();
        let mut n = 1;
        while seen.contains(&unique) {
            unique = format!("{slug}-{n}");
            n += 1;
        }
        seen.insert(unique);
    }
    seen
}

#[test]
fn every_picture_of_the_guide_is_one_the_suite_makes() {
    if updating() {
        // The screenshot test is writing them at this moment; checked next run.
        return;
    }
    let guide = read(&manifest().join(GUIDE));
    let made: BTreeSet<String> = SHOTS.iter().map(|s| format!("{}.png", s.0)).collect();
    let mut linked = BTreeSet::new();
    for target in links(&guide) {
        let Some(name) = target.strip_prefix("images/") else {
            continue;
        };
        assert!(
            made.contains(name),
            "{GUIDE} shows {target}, which tests/guide.rs does not make: add it to SHOTS"
        );
        let file = images().join(name);
        assert!(
            file.is_file(),
            "{GUIDE} shows {target}, missing: NIANBAO_UPDATE_GUIDE=1 cargo test --test guide"
        );
        linked.insert(name.to_string());
    }
    assert!(!linked.is_empty(), "the guide shows the example site");
    for entry in std::fs::read_dir(images()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            linked.contains(&name),
            "docs/images/{name} is not shown by {GUIDE}: remove it"
        );
    }
    for &(name, _, width, height) in SHOTS {
        if linked.contains(&format!("{name}.png")) {
            check_picture(&images().join(format!("{name}.png")), width, height);
        }
    }
}

/// A PNG of the window's size, small enough to keep in git.
fn check_picture(file: &Path, width: u32, height: u32) {
    let bytes = std::fs::metadata(file).unwrap().len();
    assert!(
        bytes <= MAX_PICTURE_BYTES,
        "{}: {bytes} bytes, more than {MAX_PICTURE_BYTES}",
        file.display()
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(file).unwrap()));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    assert_eq!(
        (info.width, info.height),
        (width, height),
        "{}: the window's size",
        file.display()
    );
}

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .map(|n| Path::new("/usr/bin").join(n))
        .find(|p| p.is_file());
    let node = Command::new("node").arg("--version").output().is_ok();
    let modules = manifest()
        .join("tests/browser/node_modules/playwright-core")
        .is_dir();
    if found.is_some() && node && modules {
        return found;
    }
    assert!(
        std::env::var_os("CI").is_none() && !updating(),
        "the guide's screenshots need chromium, node and `npm ci --prefix tests/browser` (see .ci/run)"
    );
    eprintln!(
        "note: chromium, node or tests/browser/node_modules missing; guide screenshots skipped"
    );
    None
}

#[test]
fn screenshots_of_the_example_site_for_the_guide() {
    let Some(chromium) = chromium() else { return };
    let site = build_example();
    let out = if updating() {
        images()
    } else {
        manifest().join("target/guide-images")
    };
    let args: Vec<String> = SHOTS
        .iter()
        .map(|(name, page, w, h)| format!("{name}={page}@{w}x{h}"))
        .collect();
    let run = Command::new("node")
        .arg(manifest().join("tests/browser/guide.mjs"))
        .arg(site.path().join("output"))
        .arg(&out)
        .args(&args)
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "guide.mjs failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let written: Vec<String> = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(written.len(), SHOTS.len());
    for &(name, _, width, height) in SHOTS {
        check_picture(&out.join(format!("{name}.png")), width, height);
    }
}

/// The fenced block under the marker comment of the guide, and where it is.
fn example_block(guide: &str) -> (usize, usize) {
    let marker = guide
        .find("<!-- 由测试生成（tests/guide.rs）")
        .expect("the guide's error example has its marker");
    let open = marker + guide[marker..].find("```text\n").unwrap() + "```text\n".len();
    let close = open + guide[open..].find("```\n").unwrap();
    (open, close)
}

/// The guide's error example: the example site with two mistakes, as the
/// guide describes them, checked in Chinese.
#[test]
fn the_guide_s_error_example_is_the_program_s_own_output() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest().join("content"), &dir.path().join("content"));
    let file = dir.path().join("content/data/2016/organizations.yaml");
    let text = read(&file);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(lines[30], "    employees: 16", "line 31 of the example");
    assert_eq!(lines[54], "    branch: gb-t-hjl", "line 55 of the example");
    lines[30] = "    employees: 十六".into();
    lines[54] = "    branch: gb-t-hj1".into();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = nianbao(dir.path(), &["--lang", "zh-CN", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8(out.stderr).unwrap() + &String::from_utf8(out.stdout).unwrap();
    let shown = shown.trim_end().to_string() + "\n";
    let path = manifest().join(GUIDE);
    let guide = read(&path);
    let (open, close) = example_block(&guide);
    if updating() {
        let updated = format!("{}{}{}", &guide[..open], shown, &guide[close..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &guide[open..close],
        shown,
        "{GUIDE}'s error example is not what `nianbao check` prints: NIANBAO_UPDATE_GUIDE=1 cargo test --test guide"
    );
}

/// Every relative link of README.md and docs/*.md names a file that exists
/// and, after `#`, a heading of it.
#[test]
fn links_of_the_documents_lead_somewhere() {
    let mut documents = vec![manifest().join("README.md")];
    for entry in std::fs::read_dir(manifest().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            documents.push(path);
        }
    }
    assert!(
        documents.len() >= 4,
        "README, guide, reference, development"
    );
    let mut broken = Vec::new();
    for doc in &documents {
        let text = read(doc);
        for target in links(&text) {
            let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let linked = if file.is_empty() {
                doc.clone()
            } else {
                doc.parent().unwrap().join(file)
            };
            if !linked.exists() {
                broken.push(format!("{}: {target}: no such file", doc.display()));
                continue;
            }
            if !anchor.is_empty() && !anchors(&read(&linked)).contains(anchor) {
                broken.push(format!("{}: {target}: no such heading", doc.display()));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Flags the guide teaches that come with the Excel round trip (`new
/// --year`, `import --kind/--top/--drop-private`, `export
/// --include-private`): checked like the others once `--help` lists them.
const COMING: &[(&str, &str)] = &[("import", "--kind"), ("import", "--top")];

/// The command lines of the guide: the lines of its `sh` blocks and its code
/// spans that start with `nianbao `.
fn command_lines(guide: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut fenced_sh = false;
    let mut fenced = false;
    for line in guide.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            fenced_sh = fenced && line == "```sh";
            continue;
        }
        if fenced {
            if fenced_sh && line.starts_with("nianbao ") {
                lines.push(line.split(" #").next().unwrap().to_string());
            }
            continue;
        }
        for (i, span) in line.split('`').enumerate() {
            if i % 2 == 1 && span.starts_with("nianbao ") {
                lines.push(span.to_string());
            }
        }
    }
    lines
}

/// The guide teaches the commands and flags the program has: every `nianbao
/// COMMAND --flag` it shows is in `nianbao COMMAND --help`.
#[test]
fn the_guide_s_commands_and_flags_exist() {
    let guide = read(&manifest().join(GUIDE));
    let lines = command_lines(&guide);
    assert!(
        lines.len() >= 20,
        "the guide's commands were found: {lines:?}"
    );
    let mut helps = std::collections::BTreeMap::new();
    for line in &lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        let command = words[1];
        // `nianbao …` stands for any command; `nianbao --version` for none.
        if !command.chars().all(|c| c.is_ascii_lowercase()) {
            continue;
        }
        let help = helps.entry(command.to_string()).or_insert_with(|| {
            let out = nianbao(&manifest(), &[command, "--help"]);
            assert!(
                out.status.success(),
                "{GUIDE}: `{line}`: nianbao has no command {command}"
            );
            String::from_utf8(out.stdout).unwrap()
        });
        for flag in words.iter().filter(|w| w.starts_with("--")) {
            let flag = flag.split('=').next().unwrap();
            if help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n")) {
                continue;
            }
            if COMING.contains(&(command, flag)) {
                eprintln!("note: {GUIDE} teaches `{command} {flag}`, which this nianbao lacks");
                continue;
            }
            panic!("{GUIDE}: `{line}`: nianbao {command} has no {flag}");
        }
    }
}
