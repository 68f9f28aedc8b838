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

    /// Takes every diagnostic and source of `other` (collected apart, e.g.
    /// by a parallel stage).
    pub fn append(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
        self.sources.extend(other.sources);
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

    /// Renders every diagnostic and a closing count line. Each quoted
    /// file's lines are found once, so that thousands of diagnostics in a
    /// long file cost time in proportion to the two, not their product.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut lines: BTreeMap<&Path, Vec<&str>> = BTreeMap::new();
        for d in self.sorted() {
            let quoted = self.sources.get(&d.span.file).and_then(|text| {
                let file_lines = lines.entry(d.span.file.as_path()).or_insert_with(|| {
                    #[cfg(test)]
                    tests::LINE_SCANS.with(|n| n.set(n.get() + 1));
                    text.lines().collect()
                });
                file_lines
                    .get(d.span.line.checked_sub(1)?)
                    .map(|l| l.trim_end_matches('\r'))
            });
            out.push_str(&self.render_one(d, quoted));
        }
        let (e, w) = (self.count(Severity::Error), self.count(Severity::Warning));
        if e + w > 0 {
            let _ = writeln!(out, "{}", summary(e, w));
        }
        printable(&out)
    }

    fn render_one(&self, d: &Diagnostic, quoted: Option<&str>) -> String {
        let mut out = String::new();
        let kind = match d.severity {
            Severity::Error => crate::msg!("diag.error"),
            Severity::Warning => crate::msg!("diag.warning"),
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
        if let Some(full) = quoted.filter(|_| d.span.line > 0 && d.quote) {
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
            let label = crate::msg!("diag.help");
            // Continuation lines start under the help text, by display width.
            let indent = " ".repeat(4 + unicode_width::UnicodeWidthStr::width(label.as_str()) + 2);
            let _ = writeln!(
                out,
                "  = {label}: {}",
                help.replace('\n', &format!("\n{indent}"))
            );
        }
        out.push('\n');
        out
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
    use crate::msg;
    let errors_text = |n: usize| match n {
        1 => msg!("diag.count.one_error"),
        n => msg!("diag.count.errors", n = n),
    };
    let warnings_text = |n: usize| match n {
        1 => msg!("diag.count.one_warning"),
        n => msg!("diag.count.warnings", n = n),
    };
    match (errors, warnings) {
        (0, w) => warnings_text(w),
        (e, 0) => errors_text(e),
        (e, w) => msg!(
            "diag.count.both",
            errors = errors_text(e),
            warnings = warnings_text(w)
        ),
    }
}

/// The closest candidate within a small edit distance, for "did you mean".
/// For many words against the same candidates, build one `Suggestions`.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    Suggestions::new(candidates).best(word)
}

/// Edit-distance cells one `Suggestions` computes at most, over all its
/// words: past it, the remaining words get no suggestion. This keeps
/// thousands of unknown names against thousands of candidates linear (a
/// few seconds at most), instead of their product.
pub const SUGGESTION_WORK: u64 = 20_000_000;

/// "Did you mean" for many words against one set of candidates: the
/// candidates grouped by length (only those of a near length are compared),
/// a distance that stops as soon as it exceeds the limit, one answer per
/// distinct word, and at most `SUGGESTION_WORK` cells in all.
pub struct Suggestions<'a> {
    sorted: Vec<&'a str>,
    by_len: BTreeMap<usize, Vec<&'a str>>,
    answers: std::collections::HashMap<String, Option<&'a str>>,
    /// Edit-distance cells computed so far.
    pub work: u64,
}

impl<'a> Suggestions<'a> {
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut sorted: Vec<&str> = candidates.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut by_len: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for c in &sorted {
            by_len.entry(c.chars().count()).or_default().push(c);
        }
        Suggestions {
            sorted,
            by_len,
            answers: Default::default(),
            work: 0,
        }
    }

    pub fn best(&mut self, word: &str) -> Option<&'a str> {
        if let Some(&known) = self.answers.get(word) {
            return known;
        }
        let answer = self.search(word);
        self.answers.insert(word.to_string(), answer);
        answer
    }

    fn search(&mut self, word: &str) -> Option<&'a str> {
        let len = word.chars().count();
        // A cut-off word ("coverage-by-town") means the one it begins.
        if len >= 4 {
            let from = self.sorted.partition_point(|c| *c < word);
            if let Some(c) = self.sorted[from..]
                .iter()
                .take_while(|c| c.starts_with(word))
                .find(|c| c.len() > word.len())
            {
                return Some(c);
            }
        }
        let text = word;
        let word: Vec<char> = word.chars().collect();
        // The names that sort next to the word share its beginning: try
        // them first. A typo of one character among them is as close as
        // any, and ends the search; a farther one narrows it.
        let from = self.sorted.partition_point(|c| *c < text);
        let near = &self.sorted[from.saturating_sub(4)..(from + 4).min(self.sorted.len())];
        let mut best: Option<(usize, &str)> = None;
        for c in near {
            if self.work > SUGGESTION_WORK {
                break;
            }
            let clen = c.chars().count();
            let limit = (clen.max(len) / 3).max(1);
            let bound = best.map_or(limit, |(d, _)| d.saturating_sub(1).min(limit));
            if let Some(d) = bounded_distance(&word, c, bound, &mut self.work) {
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, c));
                }
            }
        }
        if best.is_some_and(|(d, _)| d <= 1) {
            return best.map(|(_, c)| c);
        }
        // The limit grows with the longer word: a third of its length.
        let widest = ((len * 3) / 2 + 2).max(len + 1);
        let lo = len.saturating_sub(len / 3 + 1);
        for (&clen, cands) in self.by_len.range(lo..=widest) {
            let limit = (clen.max(len) / 3).max(1);
            if clen.abs_diff(len) > limit {
                continue;
            }
            for c in cands {
                if self.work > SUGGESTION_WORK {
                    return best.map(|(_, c)| c);
                }
                let bound = best.map_or(limit, |(d, _)| d.saturating_sub(1).min(limit));
                if let Some(d) = bounded_distance(&word, c, bound, &mut self.work) {
                    if best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, c));
                    }
                }
            }
        }
        best.map(|(_, c)| c)
    }
}

/// The edit distance of `a` and `b` when it is at most `limit`, else None;
/// it gives up as soon as a whole row exceeds the limit. `work` counts the
/// cells computed.
fn bounded_distance(a: &[char], b: &str, limit: usize, work: &mut u64) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // Only the band |i - j| <= limit can stay within the limit; cells
    // outside it count as over.
    let over = limit + 1;
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j.min(over)).collect();
    let mut cur = vec![over; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let (from, to) = ((i + 1).saturating_sub(limit), (i + 1 + limit).min(b.len()));
        cur[0] = (i + 1).min(over);
        if from > 1 {
            cur[from - 1] = over;
        }
        let mut row_min = if from == 0 { cur[0] } else { over };
        for j in from.max(1)..=to {
            let cost = usize::from(*ca != b[j - 1]);
            let v = (prev[j - 1] + cost)
                .min(prev[j] + 1)
                .min(cur[j - 1] + 1)
                .min(over);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if to < b.len() {
            cur[to + 1] = over;
        }
        *work += (to + 1 - from.max(1)) as u64 + 1;
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= limit).then_some(prev[b.len()])
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

    /// The banded, bounded distance agrees with the full table whenever
    /// the distance is within the limit, and says None otherwise.
    #[test]
    fn the_bounded_distance_is_the_edit_distance() {
        fn full(a: &[char], b: &[char]) -> usize {
            let mut prev: Vec<usize> = (0..=b.len()).collect();
            for (i, ca) in a.iter().enumerate() {
                let mut cur = vec![i + 1; b.len() + 1];
                for (j, cb) in b.iter().enumerate() {
                    cur[j + 1] = (prev[j] + usize::from(ca != cb))
                        .min(prev[j + 1] + 1)
                        .min(cur[j] + 1);
                }
                prev = cur;
            }
            prev[b.len()]
        }
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "党支部",
            "党总支部",
            "kitten",
            "sitting",
            "br-0001",
            "rb-0010",
            "gb-elec",
            "abcdefgh",
            "bcdefgha",
        ];
        for a in words {
            for b in words {
                let ac: Vec<char> = a.chars().collect();
                let bc: Vec<char> = b.chars().collect();
                let d = full(&ac, &bc);
                for limit in 0..6 {
                    let got = bounded_distance(&ac, b, limit, &mut 0);
                    assert_eq!(got, (d <= limit).then_some(d), "{a} {b} {limit}");
                }
            }
        }
    }

    #[test]
    fn keeps_the_closest_and_the_first_of_equals() {
        let c = ["br-0001", "br-0002", "br-0010", "gb-elec"];
        assert_eq!(did_you_mean("br-0O01", c), Some("br-0001"));
        assert_eq!(did_you_mean("gb-ele", c), Some("gb-elec"));
        assert_eq!(
            did_you_mean("coverage-by-town", ["coverage-by-township"]),
            Some("coverage-by-township")
        );
        assert_eq!(did_you_mean("zzzzzzz", c), None);
        let mut s = Suggestions::new(c);
        assert_eq!(s.best("br-0003"), Some("br-0001"));
        let work = s.work;
        assert_eq!(s.best("br-0003"), Some("br-0001"));
        assert_eq!(s.work, work, "a word asked again is not searched again");
    }

    /// Unknown ids against as many known ids of the same shape (the worst
    /// case: every candidate has a near length, none is close enough):
    /// the work stays within the budget plus a little per word, so doubling
    /// both words and candidates cannot quadruple it.
    #[test]
    fn work_grows_linearly_when_words_and_candidates_double() {
        let work = |n: usize| {
            let known: Vec<String> = (0..n).map(|i| format!("br-{i:05}")).collect();
            let mut s = Suggestions::new(known.iter().map(String::as_str));
            for i in 0..n {
                s.best(&format!("gb-{i:05}x"));
            }
            s.work
        };
        let (w1, w2) = (work(3000), work(6000));
        // Compared in full, every pair would cost about 80 cells.
        assert!(w1 < 3000 * 3000 * 80 / 4, "{w1}");
        for (n, w) in [(3000, w1), (6000, w2)] {
            assert!(w <= SUGGESTION_WORK + 100 * n as u64, "{n}: {w}");
        }
        assert!(w2 * 10 <= w1 * 25, "{w1} → {w2}");
    }

    thread_local! {
        /// How many times `render` split a source file into lines.
        pub static LINE_SCANS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// A diagnostic on every line of a long file: the file is split into
    /// lines once, not once per diagnostic (which made printing grow with
    /// the square of the lines), so the work grows linearly.
    #[test]
    fn printing_reads_each_file_s_lines_once() {
        let n = 2_000;
        let mut d = Diagnostics::default();
        let text: String = (0..n).map(|i| format!("- id: x{i}\n")).collect();
        d.add_source(Path::new("a.yaml"), &text);
        d.add_source(Path::new("b.yaml"), &text);
        for i in 0..n {
            d.push(Diagnostic::error(Span::new("a.yaml", i + 1, 3), "bad"));
            d.push(Diagnostic::error(Span::new("b.yaml", i + 1, 3), "bad"));
        }
        LINE_SCANS.with(|c| c.set(0));
        let out = d.render();
        assert!(out.contains(&format!("{n} | - id: x{}", n - 1)));
        assert_eq!(LINE_SCANS.with(|c| c.get()), 2, "one split per file");
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
