//! Diagnostics: every problem found in the content, printed like a compiler.
//!
//! Positions travel with the data from loading to here, so each message can
//! name `file:line:col`, quote the source line with a caret and say how to
//! fix it. Stages collect diagnostics instead of stopping at the first one.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a content file. Lines and columns count from 1; 0 means
/// "the whole file" (no snippet is printed).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Span {
    pub fn new(file: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        Span {
            file: file.into(),
            line,
            col,
        }
    }

    pub fn file(file: impl Into<PathBuf>) -> Self {
        Span::new(file, 0, 0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    /// Whether the printer quotes the source line (not when the line holds
    /// what the message masks, such as a personal number).
    pub quote: bool,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            help: None,
            quote: true,
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Names the position without quoting the source line.
    pub fn unquoted(mut self) -> Self {
        self.quote = false;
        self
    }
}

/// The diagnostics of one run, with the source text of the files they name
/// so that they can quote the offending line.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    sources: BTreeMap<PathBuf, String>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn add_source(&mut self, path: &Path, text: &str) {
        self.sources.insert(path.to_path_buf(), text.to_string());
    }

    /// Drops what was said about `path` and its source text, before the
    /// file is read again (`serve` reloads only the files that changed).
    pub fn forget_file(&mut self, path: &Path) {
        self.items.retain(|d| d.span.file != path);
        self.sources.remove(path);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// The source files read, by path, with their text.
    pub fn sources(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.sources.iter().map(|(p, t)| (p.as_path(), t.as_str()))
    }

    /// Errors first, then by file and position, so output is stable whatever
    /// order the stages found them in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| (a.severity, &a.span, &a.message).cmp(&(b.severity, &b.span, &b.message)));
        v.dedup_by(|a, b| a == b);
        v
    }

    /// Renders every diagnostic and a closing count line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            out.push_str(&self.render_one(d));
        }
        let (e, w) = (self.count(Severity::Error), self.count(Severity::Warning));
        if e + w > 0 {
            let _ = writeln!(out, "{}", summary(e, w));
        }
        printable(&out)
    }

    fn render_one(&self, d: &Diagnostic) -> String {
        let mut out = String::new();
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = d.span.file.display();
        if d.span.line > 0 {
            let _ = writeln!(
                out,
                "{file}:{}:{}: {kind}: {}",
                d.span.line, d.span.col, d.message
            );
        } else {
            let _ = writeln!(out, "{file}: {kind}: {}", d.message);
        }
        if let Some(full) = self.source_line(&d.span).filter(|_| d.quote) {
            let (line, col) = excerpt(full, d.span.col);
            let line = line.as_str();
            let number = d.span.line.to_string();
            let pad = " ".repeat(number.len());
            // Pad by display width: CJK characters take two columns.
            let caret_pad: String = line
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| match c {
                    '\t' => "\t".to_string(),
                    c => " ".repeat(unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)),
                })
                .collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {line}");
            let _ = writeln!(out, "{pad} | {caret_pad}^");
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  = help: {}", help.replace('\n', "\n          "));
        }
        out.push('\n');
        out
    }

    fn source_line(&self, span: &Span) -> Option<&str> {
        if span.line == 0 {
            return None;
        }
        let text = self.sources.get(&span.file)?;
        text.lines()
            .nth(span.line - 1)
            .map(|l| l.trim_end_matches('\r'))
    }
}

/// The most characters of a source line quoted whole.
const QUOTED_CHARS: usize = 160;

/// `line` as quoted under a message: whole when short, else the part
/// around column `col` (a page of one 30 MiB line must not be copied into
/// every message about it), with the column in the excerpt.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    if line.len() <= QUOTED_CHARS || line.chars().count() <= QUOTED_CHARS {
        return (line.to_string(), col);
    }
    let start = col.saturating_sub(1 + QUOTED_CHARS / 2);
    let mut out = if start > 0 {
        "…".to_string()
    } else {
        String::new()
    };
    let mut chars = line.chars().skip(start);
    out.extend(chars.by_ref().take(QUOTED_CHARS));
    if chars.next().is_some() {
        out.push('…');
    }
    (out, col - start + usize::from(start > 0))
}

/// `text` with control characters (other than tab and newline) and
/// bidirectional controls written as `\u{1b}`: register text quoted in a
/// message must not drive the terminal (escape sequences), hide what
/// follows (carriage returns) or reorder it (U+202E).
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if (c.is_control() && c != '\n' && c != '\t') || bidi {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` as one line: as `printable`, and line breaks and tabs written
/// `\u{a}` and `\u{9}` too (file names quoted by `verify`, which may
/// hold any character).
pub fn printable_line(text: &str) -> String {
    printable(text)
        .replace('\n', "\\u{a}")
        .replace('\t', "\\u{9}")
}

pub fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    match (errors, warnings) {
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// The closest candidate within a small edit distance, for "did you mean".
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    // A cut-off word ("coverage-by-town") means the one it begins.
    if word.chars().count() >= 4 {
        if let Some(c) = candidates
            .iter()
            .find(|c| c.starts_with(word) && c.len() > word.len())
        {
            return Some(c);
        }
    }
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        let limit = (c.chars().count().max(word.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let c = ["coverage_rate", "covered", "base"];
        assert_eq!(did_you_mean("coverge_rate", c), Some("coverage_rate"));
        assert_eq!(did_you_mean("bse", c), Some("base"));
        assert_eq!(did_you_mean("population", c), None);
    }

    #[test]
    fn quotes_only_the_part_of_a_long_line_around_the_column() {
        let line = format!("{}^{}", "a".repeat(10_000), "b".repeat(10_000));
        let (text, col) = excerpt(&line, 10_001);
        assert!(text.chars().count() <= QUOTED_CHARS + 2, "{}", text.len());
        assert_eq!(text.chars().nth(col - 1), Some('^'));
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(excerpt("short", 3), ("short".to_string(), 3));
    }

    #[test]
    fn renders_caret_under_column() {
        let mut d = Diagnostics::default();
        d.add_source(Path::new("a.yaml"), "x: 1\n  bad: 2\n");
        d.push(Diagnostic::error(Span::new("a.yaml", 2, 3), "unknown field").help("remove it"));
        assert_eq!(
            d.render(),
            "a.yaml:2:3: error: unknown field\n  |\n2 |   bad: 2\n  |   ^\n  = help: remove it\n\n1 error\n"
        );
    }
}
