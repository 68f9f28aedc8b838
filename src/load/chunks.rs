//! Large registers parsed in parallel. A register is one top-level key
//! holding a block list of records; its text is cut at the lines where a
//! record starts, each piece is parsed on its own (after the same header,
//! so it is a whole document), and the records are joined again. A
//! province's `organizations.yaml` of 100,000 records is 23 MB, and
//! serde-saphyr reads about 10 MB a second on one core.
//!
//! Cutting is only tried where it cannot change the meaning: no anchors or
//! aliases (`&`, `*` anywhere in the text), a header whose last line is
//! `key:`, and no line of the list less indented than its records other
//! than a record's own `- `. Whenever a piece does not parse, or the
//! records add up to more values than one file may hold, the whole text is
//! parsed again in one go, so errors and limits are exactly those of
//! `yaml::parse`.

use rayon::prelude::*;

use super::yaml::{self, limits, Node, Value};
use crate::diagnostics::Diagnostic;

/// Texts shorter than this are parsed in one go: cutting costs more than
/// it saves.
const MIN_PIECE: usize = 512 * 1024;

/// Parses `text` like `yaml::parse(file, text, 0)`, in pieces when it is
/// a large register.
pub fn parse(file: &std::path::Path, text: &str) -> Result<Node, Diagnostic> {
    let pieces = rayon::current_num_threads().min(text.len() / MIN_PIECE);
    if pieces >= 2 {
        if let Some(node) = cut(text, pieces).and_then(|cut| parse_cut(file, text, &cut)) {
            return Ok(node);
        }
    }
    yaml::parse(file, text, 0)
}

/// Where a register's text may be cut.
struct Cut {
    /// Bytes of the header (every line before the first record).
    header: usize,
    /// Lines of the header.
    header_lines: usize,
    /// The top-level key of the list.
    key: String,
    /// Byte offset and 1-based line of each piece's first record.
    starts: Vec<(usize, usize)>,
}

fn cut(text: &str, pieces: usize) -> Option<Cut> {
    if text.contains(['&', '*', '\t', '\r']) {
        return None;
    }
    // The header: lines up to the first record, the last one `key:`.
    let mut offset = 0;
    let mut line_no = 0;
    let mut key = None;
    let mut indent = None;
    for line in text.split_inclusive('\n') {
        line_no += 1;
        let body = line.trim_end_matches('\n');
        let trimmed = body.trim_start();
        if is_record(trimmed) {
            indent = Some(body.len() - trimmed.len());
            break;
        }
        if !(trimmed.is_empty() || trimmed.starts_with('#')) {
            // Any other line before the first record must be a plain
            // `key:`; the last one names the list.
            let plain = body
                .strip_suffix(':')
                .filter(|k| !k.is_empty() && !k.starts_with([' ', '-', '"', '\'']))
                .filter(|k| !k.contains([':', '#', '{', '[', '"', '\'']))?;
            key = Some(plain.to_string());
        }
        offset += line.len();
    }
    let (key, indent) = (key?, indent?);
    let header = offset;
    let header_lines = line_no - 1;
    let target = (text.len() - header) / pieces;
    let mut starts = vec![(header, line_no)];
    let mut at = header;
    let mut n = header_lines;
    for line in text[header..].split_inclusive('\n') {
        n += 1;
        let body = line.trim_end_matches('\n');
        let trimmed = body.trim_start();
        let depth = body.len() - trimmed.len();
        if !(trimmed.is_empty() || trimmed.starts_with('#')) && depth <= indent {
            if depth < indent || !is_record(trimmed) {
                return None;
            }
            if at - starts[starts.len() - 1].0 >= target && starts.len() < pieces {
                starts.push((at, n));
            }
        }
        at += line.len();
    }
    (starts.len() >= 2).then_some(Cut {
        header,
        header_lines,
        key,
        starts,
    })
}

fn is_record(trimmed: &str) -> bool {
    trimmed == "-" || trimmed.starts_with("- ")
}

/// The pieces parsed and joined, or `None` when any does not parse.
fn parse_cut(file: &std::path::Path, text: &str, cut: &Cut) -> Option<Node> {
    let ends = cut.starts.iter().skip(1).map(|s| s.0).chain([text.len()]);
    let ranges: Vec<(usize, usize, usize)> = cut
        .starts
        .iter()
        .zip(ends)
        .map(|(&(start, line), end)| (start, end, line))
        .collect();
    // Each piece may hold its share of the file's values and a tenth
    // more: a file over the limit then stops early instead of being read
    // whole in every piece (and then again, for the error).
    let budget = limits::MAX_NODES / ranges.len() + limits::MAX_NODES / 50;
    let parsed: Vec<Option<Node>> = ranges
        .par_iter()
        .enumerate()
        .map(|(i, &(start, end, line))| {
            if i == 0 {
                return yaml::parse_limited(file, &text[..end], 0, budget).ok();
            }
            let piece = format!("{}{}", &text[..cut.header], &text[start..end]);
            // The piece's first record is on line header_lines + 1 of the
            // piece and on `line` of the file.
            yaml::parse_limited(file, &piece, line - cut.header_lines - 1, budget).ok()
        })
        .collect();
    let mut parsed = parsed.into_iter();
    let mut root = parsed.next()??;
    for piece in parsed {
        let records = take_list(piece?, &cut.key)?;
        list_of(&mut root, &cut.key)?.extend(records);
    }
    (count(&root) <= limits::MAX_NODES).then_some(root)
}

fn list_of<'a>(root: &'a mut Node, key: &str) -> Option<&'a mut Vec<Node>> {
    let Value::Map(entries) = &mut root.value else {
        return None;
    };
    entries
        .iter_mut()
        .rev()
        .find(|(k, _)| k.as_str() == Some(key))
        .and_then(|(_, v)| match &mut v.value {
            Value::Seq(items) => Some(items),
            _ => None,
        })
}

fn take_list(mut root: Node, key: &str) -> Option<Vec<Node>> {
    list_of(&mut root, key).map(std::mem::take)
}

/// Values, lists and mappings, as the parser's budget counts them.
fn count(n: &Node) -> usize {
    1 + match &n.value {
        Value::Seq(items) => items.iter().map(count).sum(),
        Value::Map(entries) => entries.iter().map(|(k, v)| count(k) + count(v)).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn register(n: usize) -> String {
        let mut text = String::from("# 组织名录\norganizations:\n");
        for i in 0..n {
            text.push_str(&format!(
                "  - id: ent-{i}\n    name: \"示例企业 {i}\"\n    employees: {i}\n    note: |\n      第一行\n      - 不是记录\n"
            ));
        }
        text
    }

    #[test]
    fn pieces_join_into_the_same_tree() {
        let text = register(4000);
        let c = cut(&text, 4).expect("a register can be cut");
        assert_eq!(c.key, "organizations");
        assert_eq!(c.starts.len(), 4);
        let whole = yaml::parse(Path::new("o.yaml"), &text, 0).unwrap();
        let joined = parse_cut(Path::new("o.yaml"), &text, &c).unwrap();
        assert_eq!(joined, whole);
    }

    #[test]
    fn texts_that_might_change_meaning_are_not_cut() {
        let text = register(50);
        for spoiled in [
            text.replacen("  - id: ent-3\n", "  - id: &a ent-3\n", 1),
            format!("{text}other: 1\n"),
            text.replacen("organizations:\n", "organizations: # 名录\n", 1),
            format!("{text}---\n"),
            text.replacen("  - id: ent-9\n", "- id: ent-9\n", 1),
        ] {
            assert!(cut(&spoiled, 4).is_none(), "{spoiled:.200}");
        }
    }

    #[test]
    fn a_piece_that_does_not_parse_falls_back_to_the_whole_error() {
        let text = register(4000).replacen("name: \"示例企业 3900\"", "name: \"示例企业 3900", 1);
        let c = cut(&text, 4).unwrap();
        assert!(parse_cut(Path::new("o.yaml"), &text, &c).is_none());
        let whole = yaml::parse(Path::new("o.yaml"), &text, 0).unwrap_err();
        assert_eq!(
            parse(Path::new("o.yaml"), &text).unwrap_err().span,
            whole.span
        );
    }
}
