//! The diagnostics of the build's stages come from the message catalogues:
//! in the files below, a `Diagnostic::error(`, `Diagnostic::warning(`,
//! `.help(` or a record's `.error(` given a sentence of its own (a string
//! literal or a `format!` with words in it) instead of a `msg!` fails this
//! test, as it would print English to a Chinese reader.

use std::path::{Path, PathBuf};

/// The stages whose messages are the core catalogue's.
const AREAS: &[&str] = &[
    "src/diagnostics.rs",
    "src/load",
    "src/resolve",
    "src/derive",
    "src/present",
    "src/render",
    "src/build.rs",
    "src/scan.rs",
    "src/layout.rs",
    "src/summary.rs",
    "src/vocabulary.rs",
];

/// A call and which of its arguments (from 0) are words a user reads.
const CALLS: &[(&str, &[usize])] = &[
    ("Diagnostic::error(", &[1]),
    ("Diagnostic::warning(", &[1]),
    (".help(", &[0]),
    ("rec.error(", &[1, 2]),
    ("self.error(", &[1, 2]),
    ("io::Error::other(", &[0]),
];

fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for area in AREAS {
        for entry in walkdir::WalkDir::new(root.join(area)) {
            let entry = entry.unwrap();
            let p = entry.path();
            let is_test = p.file_name().is_some_and(|n| n == "tests.rs");
            if p.extension().is_some_and(|e| e == "rs") && !is_test {
                files.push(p.to_path_buf());
            }
        }
    }
    files
}

/// The text between the parentheses that open at `open`, cut at its
/// top-level commas; string literals are kept whole.
fn arguments(text: &str, open: usize) -> Vec<String> {
    let mut args = vec![String::new()];
    let mut depth = 0usize;
    let mut chars = text[open..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let last = args.last_mut().unwrap();
                last.push('"');
                while let Some(s) = chars.next() {
                    last.push(s);
                    if s == '\\' {
                        last.extend(chars.next());
                    } else if s == '"' {
                        break;
                    }
                }
                continue;
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            ',' if depth == 0 => {
                args.push(String::new());
                continue;
            }
            _ => {}
        }
        args.last_mut().unwrap().push(c);
    }
    args.into_iter().map(|a| a.trim().to_string()).collect()
}

/// Whether the literal at the start of `arg` (after `format!(`, if any)
/// has ASCII letters outside its `{…}` placeholders.
fn has_words(arg: &str) -> bool {
    let arg = arg.strip_prefix("format!(").unwrap_or(arg);
    let Some(lit) = arg.strip_prefix('"') else {
        return false;
    };
    let mut depth = 0;
    for c in lit.chars() {
        match c {
            '"' => break,
            '{' => depth += 1,
            '}' => depth -= 1,
            c if depth == 0 && c.is_ascii_alphabetic() => return true,
            _ => {}
        }
    }
    false
}

fn offences(text: &str) -> Vec<(usize, String)> {
    // Unit tests at the end of a file build diagnostics of their own.
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = Vec::new();
    for (call, checked) in CALLS {
        for (at, _) in code.match_indices(call) {
            let args = arguments(code, at + call.len());
            for &i in *checked {
                if let Some(arg) = args.get(i).filter(|a| has_words(a)) {
                    let line = code[..at].matches('\n').count() + 1;
                    out.push((line, arg.chars().take(80).collect()));
                }
            }
        }
    }
    out
}

#[test]
fn stage_diagnostics_come_from_the_catalogues() {
    let files = sources();
    assert!(files.len() >= 30, "the stages' sources were not found");
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, arg) in offences(&text) {
            problems.push(format!("{}:{line}: {arg}", file.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "messages written in the code instead of `msg!`:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_guard_sees_literals_and_formats_but_not_messages() {
    let bad =
        "d = Diagnostic::error(span, \"file missing\").help(format!(\"add `{x}`, e.g. {y}\"));";
    assert_eq!(offences(bad).len(), 2, "{:?}", offences(bad));
    let bad_record = "rec.error(node, format!(\"`{name}` is empty\"), \"remove it\");";
    assert_eq!(offences(bad_record).len(), 2);
    let good = "Diagnostic::error(span, msg!(\"load.x\", a = f(b, c))).help(format!(\"{a}{b}\"));";
    assert!(offences(good).is_empty(), "{:?}", offences(good));
    let chinese = "Diagnostic::error(span, \"文件不存在\")";
    assert!(offences(chinese).is_empty());
}
