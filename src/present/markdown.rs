//! Markdown pages: shortcodes (`figure`, `chart`) are expanded first into
//! placeholders, the Markdown is rendered with pulldown-cmark (tables,
//! footnotes, heading ids that keep Chinese text), then the placeholders
//! are filled with their HTML.

use std::collections::{HashMap, VecDeque};
use std::path::Path;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{did_you_mean, Diagnostic, Span};

/// A parsed shortcode call such as `figure(key="enterprise.base", in_park=true)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortcode {
    pub name: String,
    pub args: Vec<(String, Arg)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Bool(bool),
    Number(f64),
}

impl Shortcode {
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| n == name).map(|(_, a)| a)
    }
}

/// What a shortcode expands to: inline HTML, or a block that replaces the
/// paragraph it stands alone in.
pub enum Expansion {
    Inline(String),
    Block(String),
}

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Renders a page body. `expand` turns each shortcode into HTML or a
/// diagnostic; every problem of the page is collected.
pub fn render(
    body: &str,
    file: &Path,
    first_line: usize,
    expand: impl FnMut(&Shortcode) -> Result<Expansion, Diagnostic>,
    out: &mut Vec<Diagnostic>,
) -> String {
    let (text, expansions) = substitute(body, file, first_line, expand, out);
    let html = markdown_to_html(&text);
    fill(&html, &expansions)
}

/// The page body with each shortcode (outside code) replaced by a token
/// that indexes the returned expansions; the text is still Markdown, for
/// renderers other than the HTML one (`brief` reads it with
/// [`tokens`] and [`options`]).
pub fn substitute<T>(
    body: &str,
    file: &Path,
    first_line: usize,
    mut expand: impl FnMut(&Shortcode) -> Result<T, Diagnostic>,
    out: &mut Vec<Diagnostic>,
) -> (String, Vec<T>) {
    let mut expansions = Vec::new();
    let mut text = String::with_capacity(body.len());
    let mut fence: Option<String> = None;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
            text.push_str(line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_string());
            text.push_str(line);
            continue;
        }
        let line_no = first_line + i;
        // Shortcodes in indented code blocks and `code spans` stay text, as
        // in fenced blocks: that is how a page shows one.
        if line.starts_with("    ") || line.starts_with('\t') {
            text.push_str(line);
            continue;
        }
        let code = code_spans(line);
        // Positions only grow along the line: the code span to test and the
        // column are carried forward, never counted again from the start
        // (a line of 100,000 shortcodes took quadratic time).
        let mut next_code = 0;
        let (mut counted_to, mut chars_before) = (0, 0);
        let mut rest = line;
        let mut col_base = 0;
        while let Some(start) = rest.find("{{") {
            let at = col_base + start;
            while code.get(next_code).is_some_and(|r| r.end <= at) {
                next_code += 1;
            }
            // Tested before looking for the `}}`: braces in code spans
            // would each search the rest of the line.
            if code.get(next_code).is_some_and(|r| r.contains(&at)) {
                text.push_str(&rest[..start + 2]);
                col_base += start + 2;
                rest = &rest[start + 2..];
                continue;
            }
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let call = &rest[start + 2..start + len];
            chars_before += line[counted_to..at].chars().count();
            counted_to = at;
            let col = chars_before + 1;
            let span = Span::new(file, line_no, col);
            text.push_str(&rest[..start]);
            match parse_call(call, span.clone()).and_then(|sc| expand(&sc)) {
                Ok(e) => {
                    text.push(OPEN);
                    text.push_str(&expansions.len().to_string());
                    text.push(CLOSE);
                    expansions.push(e);
                }
                Err(d) => out.push(d),
            }
            col_base += start + len + 2;
            rest = &rest[start + len + 2..];
        }
        text.push_str(rest);
    }
    (text, expansions)
}

/// A piece of text that went through [`substitute`]: plain text, or the
/// index of an expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    Text(&'a str),
    Expansion(usize),
}

/// Splits text (e.g. one text event of the Markdown parser) into plain
/// text and expansion tokens.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(OPEN) {
        let Some(j) = rest[i..].find(CLOSE) else {
            break;
        };
        let n = rest[i + OPEN.len_utf8()..i + j].parse().ok();
        if i > 0 {
            out.push(Token::Text(&rest[..i]));
        }
        if let Some(n) = n {
            out.push(Token::Expansion(n));
        }
        rest = &rest[i + j + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push(Token::Text(rest));
    }
    out
}

/// The Markdown extensions of pages: tables, footnotes, strikethrough and
/// `{#id}` heading attributes.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Byte ranges of the `code spans` of a line (a run of backticks up to the
/// next run of the same length).
fn code_spans(line: &str) -> Vec<std::ops::Range<usize>> {
    // Every run of backticks, then each opening run closed by the next run
    // of the same length (CommonMark), found through a table of the next
    // run of each length: one pass, whatever the runs.
    let bytes = line.as_bytes();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            runs.push((i, run));
            i += run;
        } else {
            i += 1;
        }
    }
    let mut next_same = vec![None; runs.len()];
    let mut last_of_len: std::collections::HashMap<usize, usize> = Default::default();
    for (k, &(_, len)) in runs.iter().enumerate().rev() {
        next_same[k] = last_of_len.insert(len, k);
    }
    let mut spans = Vec::new();
    let mut k = 0;
    while k < runs.len() {
        match next_same[k] {
            Some(m) => {
                let (start, _) = runs[k];
                let (end, len) = runs[m];
                spans.push(start..end + len);
                k = m + 1;
            }
            None => k += 1,
        }
    }
    spans
}

fn fill(html: &str, expansions: &[Expansion]) -> String {
    let mut out = String::with_capacity(html.len());
    // One pass over the text: replace tokens (and paragraphs made of one
    // block token) in order.
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        let Some(j) = rest[i..].find(CLOSE) else {
            break;
        };
        let n: usize = rest[i + OPEN.len_utf8()..i + j]
            .parse()
            .unwrap_or(usize::MAX);
        let before = &rest[..i];
        let after = &rest[i + j + CLOSE.len_utf8()..];
        match expansions.get(n) {
            Some(Expansion::Block(b)) if before.ends_with("<p>") && after.starts_with("</p>") => {
                out.push_str(&before[..before.len() - 3]);
                out.push_str(b);
                rest = &after[4..];
            }
            Some(Expansion::Block(b)) | Some(Expansion::Inline(b)) => {
                out.push_str(before);
                out.push_str(b);
                rest = after;
            }
            None => {
                out.push_str(before);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn markdown_to_html(text: &str) -> String {
    let events = HeadingIds {
        events: Parser::new_ext(text, options()),
        used: HashMap::new(),
        held: VecDeque::new(),
    };
    let mut html_out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut html_out, events);
    html_out
}

/// The parser's events with an id given to each heading that has none.
/// Only a heading's own events are held until its title is known: the
/// whole page's events, held at once, took some 70 bytes per byte of a
/// page of emphasis markers.
struct HeadingIds<'a, I> {
    events: I,
    used: HashMap<String, usize>,
    held: VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for HeadingIds<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(e) = self.held.pop_front() {
            return Some(e);
        }
        let (level, classes, attrs) = match self.events.next()? {
            Event::Start(Tag::Heading {
                level,
                id: None,
                classes,
                attrs,
            }) => (level, classes, attrs),
            other => return Some(other),
        };
        let mut title = String::new();
        for e in self.events.by_ref() {
            let end = matches!(e, Event::End(TagEnd::Heading(_)));
            if let Event::Text(t) | Event::Code(t) = &e {
                title.push_str(t);
            }
            self.held.push_back(e);
            if end {
                break;
            }
        }
        let id = unique(slug(&title), &mut self.used);
        Some(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes,
            attrs,
        }))
    }
}

/// Heading ids keep letters of any script (HTML5 allows them), so Chinese
/// headings get readable anchors: "一、背景" → "一-背景".
pub fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "section".into()
    } else {
        s
    }
}

fn unique(id: String, used: &mut HashMap<String, usize>) -> String {
    let n = used.entry(id.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        id
    } else {
        format!("{id}-{}", *n - 1)
    }
}

const SHORTCODES: &[&str] = &["figure", "chart"];

pub(crate) fn parse_call(call: &str, span: Span) -> Result<Shortcode, Diagnostic> {
    let bad = |what: String| {
        Diagnostic::error(
            span.clone(),
            crate::msg!("shortcode.malformed", what = what),
        )
        .help(crate::msg!("shortcode.malformed.help"))
    };
    let call = call.trim();
    let open = call
        .find('(')
        .ok_or_else(|| bad(crate::msg!("shortcode.missing_open")))?;
    if !call.ends_with(')') {
        return Err(bad(crate::msg!("shortcode.missing_close")));
    }
    let name = call[..open].trim().to_string();
    if !SHORTCODES.contains(&name.as_str()) {
        let help = match did_you_mean(&name, SHORTCODES.iter().copied()) {
            Some(s) => crate::msg!("shortcode.unknown.did_you_mean", guess = s),
            None => crate::msg!("shortcode.unknown.help"),
        };
        return Err(
            Diagnostic::error(span, crate::msg!("shortcode.unknown", name = name)).help(help),
        );
    }
    let mut args = Vec::new();
    let mut rest = call[open + 1..call.len() - 1].trim();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or_else(|| bad(crate::msg!("shortcode.needs_equals")))?;
        let arg = rest[..eq].trim().to_string();
        if arg.is_empty() || !arg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(bad(crate::msg!("shortcode.arg_name")));
        }
        rest = rest[eq + 1..].trim_start();
        let (value, after) =
            if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let end = rest[1..]
                    .find(q)
                    .ok_or_else(|| bad(crate::msg!("shortcode.unclosed_quote")))?;
                (Arg::Str(rest[1..1 + end].to_string()), &rest[end + 2..])
            } else {
                let end = rest.find(',').unwrap_or(rest.len());
                let word = rest[..end].trim();
                let v = match word {
                    "true" => Arg::Bool(true),
                    "false" => Arg::Bool(false),
                    w => Arg::Number(
                        w.parse()
                            .map_err(|_| bad(crate::msg!("shortcode.value_kind")))?,
                    ),
                };
                (v, &rest[end..])
            };
        args.push((arg, value));
        rest = after.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else if !rest.is_empty() {
            return Err(bad(crate::msg!("shortcode.separator")));
        }
    }
    Ok(Shortcode { name, args, span })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_headings_get_readable_ids() {
        let html = markdown_to_html("## 一、背景\n\n## 一、背景\n");
        assert!(html.contains("<h2 id=\"一-背景\">"), "{html}");
        assert!(html.contains("<h2 id=\"一-背景-1\">"), "{html}");
    }

    /// CPU time of this thread, which other processes of a loaded machine
    /// do not add to as they add to the clock on the wall.
    #[cfg(target_os = "linux")]
    fn thread_time() -> std::time::Duration {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: a valid pointer to a timespec, filled by the call.
        let r = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
        assert_eq!(r, 0);
        std::time::Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
    }

    /// The least thread CPU time of three substitutions of `text`.
    #[cfg(target_os = "linux")]
    fn substitute_time(text: &str) -> std::time::Duration {
        (0..3)
            .map(|_| {
                let start = thread_time();
                let _ = substitute(text, Path::new("p.md"), 1, |_| Ok(()), &mut Vec::new());
                thread_time() - start
            })
            .min()
            .unwrap()
    }

    /// Braces in code spans with one `}}` at the end of the line: each
    /// `{{` looked for the `}}` before it was known to be in code, so the
    /// line was read once for every brace.
    #[cfg(target_os = "linux")]
    #[test]
    fn braces_in_code_spans_take_linear_time() {
        let line = |n: usize| format!("{}}}}}\n", "`{{` 码 ".repeat(n));
        let (t1, t16) = (
            substitute_time(&line(4_000)),
            substitute_time(&line(64_000)),
        );
        assert!(
            t16 < t1 * 48 + std::time::Duration::from_millis(5),
            "{t1:?} → {t16:?}"
        );
    }

    /// Shortcodes on one long line, beside code spans and Chinese text:
    /// the columns are right, and sixteen times the line costs about
    /// sixteen times the CPU time, not 256 times (it was the square: each
    /// column was counted from the start of the line). Thread CPU time,
    /// the least of three runs, and a limit three times the linear ratio
    /// keep a loaded machine from failing it; the square exceeds it fivefold.
    #[cfg(target_os = "linux")]
    #[test]
    fn many_shortcodes_on_one_line_take_linear_time() {
        let line = |n: usize| {
            let mut s = String::new();
            for i in 0..n {
                s.push_str(if i % 3 == 0 {
                    "`{{ x }}` 说明 "
                } else {
                    "{{ figure(key=\"k\") }} 数 "
                });
            }
            s.push('\n');
            s
        };
        let time = |text: &str| {
            (0..3)
                .map(|_| {
                    let start = thread_time();
                    let mut cols = Vec::new();
                    let (_, n) = substitute(
                        text,
                        Path::new("p.md"),
                        1,
                        |sc| {
                            cols.push(sc.span.col);
                            Ok(())
                        },
                        &mut Vec::new(),
                    );
                    let spent = thread_time() - start;
                    assert_eq!(n.len(), cols.len());
                    assert_eq!(n.len(), text.matches("figure").count());
                    assert_eq!(&cols[..2], [14, 38]);
                    spent
                })
                .min()
                .unwrap()
        };
        let (small, large) = (line(4_000), line(64_000));
        let (t1, t16) = (time(&small), time(&large));
        assert!(
            t16 < t1 * 48 + std::time::Duration::from_millis(5),
            "{t1:?} → {t16:?}"
        );
    }

    #[test]
    fn substitute_leaves_tokens_for_other_renderers() {
        let (text, expansions) = substitute(
            "A {{ figure(key=\"k\") }} b {{ chart(id=\"c\") }}\n",
            Path::new("p.md"),
            1,
            |sc| Ok(sc.name.clone()),
            &mut Vec::new(),
        );
        assert_eq!(
            tokens(&text),
            [
                Token::Text("A "),
                Token::Expansion(0),
                Token::Text(" b "),
                Token::Expansion(1),
                Token::Text("\n"),
            ]
        );
        assert_eq!(expansions, ["figure", "chart"]);
    }

    #[test]
    fn parses_shortcode_arguments() {
        let sc = parse_call(
            r#"figure(key="enterprise.covered", in_park=true)"#,
            Span::default(),
        )
        .unwrap();
        assert_eq!(sc.arg("key"), Some(&Arg::Str("enterprise.covered".into())));
        assert_eq!(sc.arg("in_park"), Some(&Arg::Bool(true)));
    }

    #[test]
    fn expands_inline_and_block_shortcodes_outside_code() {
        let mut diags = Vec::new();
        let html = render(
            "A {{ figure(key=\"k\") }} b.\n\n{{ chart(id=\"c\") }}\n\n```\n{{ figure(key=\"x\") }}\n```\n",
            Path::new("p.md"),
            1,
            |sc| Ok(if sc.name == "chart" { Expansion::Block("<figure>C</figure>".into()) } else { Expansion::Inline("<b>7</b>".into()) }),
            &mut diags,
        );
        assert!(html.contains("A <b>7</b> b."), "{html}");
        assert!(
            html.contains("<figure>C</figure>") && !html.contains("<p><figure>"),
            "{html}"
        );
        assert!(html.contains("{{ figure(key=\"x\") }}"), "{html}");
        let html = render(
            "Write `{{ chart(id=\"y\") }}` to embed.\n",
            Path::new("p.md"),
            1,
            |_| Err(Diagnostic::error(Span::default(), "expanded")),
            &mut diags,
        );
        assert!(
            diags.is_empty() && html.contains("<code>{{ chart(id=\"y\") }}</code>"),
            "{html}"
        );
    }
}
