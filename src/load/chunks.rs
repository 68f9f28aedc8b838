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
//!
//! A long-running process (`serve`) remembers how it cut each register
//! (`keep_pieces`): it cuts registers into small pieces at the same places
//! each time, and a save that changes one record parses again only the
//! piece that holds it; the records of the other pieces are moved over
//! from the tree of the last parse, to their new lines, without a copy.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::yaml::{self, limits, Node, Value};
use crate::diagnostics::Diagnostic;

/// Texts shorter than twice this are parsed in one go: cutting costs more
/// than it saves.
const MIN_PIECE: usize = 256 * 1024;

/// Pieces per thread: more pieces than threads keep every core busy to the
/// end when the registers of a year are parsed side by side.
const PIECES_PER_THREAD: usize = 4;

/// Pieces of a register kept between parses: about this many bytes each.
const KEPT_PIECE: usize = 32 * 1024;

/// One record in this many starts a kept piece (once the piece has a
/// quarter of `KEPT_PIECE`): records are a few hundred bytes.
const KEPT_SPREAD: u64 = 128;

/// How the last parse of each file was cut: per piece, the hash of its
/// text (header included), its records, their values (as the parser's
/// budget counts them) and the lines they were moved down by. `None` until
/// `keep_pieces`.
type Kept = HashMap<PathBuf, Vec<Piece>>;
static KEPT: Mutex<Option<Kept>> = Mutex::new(None);

#[derive(Clone, Copy)]
struct Piece {
    hash: u64,
    records: usize,
    nodes: usize,
    shift: usize,
}

/// From now on, this process keeps the pieces of the registers it parses.
pub fn keep_pieces() {
    if let Ok(mut kept) = KEPT.lock() {
        kept.get_or_insert_with(HashMap::new);
    }
}

/// `parse`, where `last` is the tree the last parse of `file` gave (when
/// this process keeps pieces): the records of the pieces whose text is the
/// same are taken from it.
pub fn parse_over(file: &Path, text: &str, last: Option<Node>) -> Result<Node, Diagnostic> {
    let keeping = KEPT.lock().is_ok_and(|k| k.is_some());
    if keeping && text.len() >= 2 * KEPT_PIECE {
        if let Some(node) = cut_by_content(text).and_then(|c| parse_kept(file, text, &c, last)) {
            return Ok(node);
        }
        // The tree this parse gives is not cut as the kept pieces say.
        if let Ok(mut kept) = KEPT.lock() {
            kept.as_mut().map(|k| k.remove(file));
        }
    }
    let pieces = (rayon::current_num_threads() * PIECES_PER_THREAD).min(text.len() / MIN_PIECE);
    if pieces >= 2 {
        if let Some(node) = cut(text, pieces).and_then(|cut| parse_cut(file, text, &cut)) {
            return Ok(node);
        }
    }
    yaml::parse(file, text, 0)
}

/// A piece's text by its length and SipHash: two pieces with the same are
/// taken for the same text (a chance of 2^-64 per piece and save).
fn text_hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.len().hash(&mut h);
    s.hash(&mut h);
    h.finish()
}

#[cfg(test)]
thread_local! {
    /// How many pieces the last `parse_kept` of this thread parsed.
    static PARSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A piece of this parse: where its records come from.
enum Records {
    /// Moved from the last tree, which had them `shift` lines down.
    Moved {
        records: Vec<Node>,
        shift: usize,
        nodes: usize,
    },
    /// Parsed now (with the header, so the first piece gives the root).
    Parsed(Option<Node>),
}

/// `parse_cut` taking from `last` the records of the pieces whose text is
/// that of a piece of the last parse of `file`; how this parse was cut
/// replaces how the last one was.
fn parse_kept(file: &Path, text: &str, cut: &Cut, last: Option<Node>) -> Option<Node> {
    let ends = cut.starts.iter().skip(1).map(|s| s.0).chain([text.len()]);
    let pieces: Vec<(String, usize)> = cut
        .starts
        .iter()
        .zip(ends)
        .map(|(&(start, line), end)| {
            let piece = format!("{}{}", &text[..cut.header], &text[start..end]);
            (piece, line - cut.header_lines - 1)
        })
        .collect();
    let before = KEPT.lock().ok()?.as_mut()?.remove(file).unwrap_or_default();
    // The last tree's records, by the piece that gave them; its root
    // without them is the root again when the first piece is the same.
    let mut skeleton = last;
    let mut by_piece: Vec<Option<Vec<Node>>> = Vec::new();
    if let Some(list) = skeleton.as_mut().and_then(|r| list_of(r, &cut.key)) {
        if before.iter().map(|p| p.records).sum::<usize>() == list.len() {
            let mut rest = std::mem::take(list).into_iter();
            by_piece = before
                .iter()
                .map(|p| Some(rest.by_ref().take(p.records).collect()))
                .collect();
        }
    }
    let mut index: HashMap<u64, usize> = HashMap::new();
    for (i, p) in before.iter().enumerate().rev() {
        index.insert(p.hash, i);
    }
    let budget = limits::MAX_NODES / pieces.len() + limits::MAX_NODES / 50;
    let mut slots: Vec<(String, usize, u64, Records)> = pieces
        .into_iter()
        .map(|(piece, shift)| {
            let hash = text_hash(&piece);
            let moved = index
                .get(&hash)
                .and_then(|&i| Some((by_piece.get_mut(i)?.take()?, before[i])));
            let records = match moved {
                Some((records, p)) => Records::Moved {
                    records,
                    shift: p.shift,
                    nodes: p.nodes,
                },
                None => Records::Parsed(None),
            };
            (piece, shift, hash, records)
        })
        .collect();
    // The first piece gives the root: parsed when the header or its
    // records changed, else the last tree's.
    let first_moved = matches!(slots.first(), Some((_, _, _, Records::Moved { .. })));
    if !first_moved {
        skeleton = None;
    }
    #[cfg(test)]
    PARSED.with(|p| {
        let parsed = slots.iter().filter(|s| matches!(s.3, Records::Parsed(_)));
        p.set(parsed.count());
    });
    slots.par_iter_mut().for_each(|(piece, _, _, records)| {
        if let Records::Parsed(node) = records {
            *node = yaml::parse_limited(file, piece, 0, budget).ok();
        }
    });
    let mut root = skeleton;
    let mut kept = Vec::with_capacity(slots.len());
    let mut total = root.as_ref().map_or(0, count);
    for (_, shift, hash, records) in slots {
        let (mut records, nodes) = match records {
            Records::Moved {
                records,
                shift: was,
                nodes,
            } => {
                let by = shift as isize - was as isize;
                let mut records = records;
                records.iter_mut().for_each(|r| yaml::shift(r, by));
                (records, nodes)
            }
            Records::Parsed(node) => {
                let mut node = node?;
                yaml::shift(&mut node, shift as isize);
                let records = match &mut root {
                    None => {
                        // The first piece: its root is the tree's.
                        let records = list_of(&mut node, &cut.key).map(std::mem::take)?;
                        total += count(&node);
                        root = Some(node);
                        records
                    }
                    Some(_) => take_list(node, &cut.key)?,
                };
                let nodes = records.iter().map(count).sum();
                (records, nodes)
            }
        };
        total += nodes;
        kept.push(Piece {
            hash,
            records: records.len(),
            nodes,
            shift,
        });
        list_of(root.as_mut()?, &cut.key)?.append(&mut records);
    }
    if let Ok(mut all) = KEPT.lock() {
        if let Some(all) = all.as_mut() {
            all.insert(file.to_path_buf(), kept);
        }
    }
    root.filter(|_| total <= limits::MAX_NODES)
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
    let target = |header| (text.len() - header) / pieces;
    cut_every(text, |header, size, _| size >= target(header), pieces)
}

/// Cuts for pieces kept between parses: before a record whose first line
/// hashes to a multiple of `KEPT_SPREAD`, once a piece has a quarter of
/// `KEPT_PIECE`, or wherever it has four times that. The places depend on
/// the records around them only, so an edit that adds or removes text
/// moves no cut but its neighbours': the pieces after it are the same
/// texts as before, and are not parsed again.
fn cut_by_content(text: &str) -> Option<Cut> {
    let cut_before = |_, size: usize, line: &str| {
        size >= 4 * KEPT_PIECE
            || (size >= KEPT_PIECE / 4 && text_hash(line).is_multiple_of(KEPT_SPREAD))
    };
    cut_every(text, cut_before, text.len() / (KEPT_PIECE / 4) + 2)
}

/// Cuts before each record for which `cut_before(header bytes, bytes since
/// the start of the last piece, the record's first line)` holds, into at
/// most `pieces` pieces.
fn cut_every(
    text: &str,
    cut_before: impl Fn(usize, usize, &str) -> bool,
    pieces: usize,
) -> Option<Cut> {
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
            let size = at - starts[starts.len() - 1].0;
            if starts.len() < pieces && cut_before(header, size, body) {
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

    fn parse(file: &Path, text: &str) -> Result<Node, Diagnostic> {
        parse_over(file, text, None)
    }

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
    fn kept_pieces_give_the_tree_of_a_whole_parse_after_edits() {
        keep_pieces();
        let file = Path::new("kept/organizations.yaml");
        let text = register(3000);
        assert!(text.len() > 8 * KEPT_PIECE);
        let whole = |t: &str| yaml::parse(file, t, 0).unwrap();
        assert_eq!(parse(file, &text).unwrap(), whole(&text));
        // A value changed, then a line added, then a record removed: the
        // pieces after each edit move to their new lines.
        let edits = [
            text.replacen("employees: 1500\n", "employees: 15000\n", 1),
            text.replacen(
                "    employees: 1500\n",
                "    employees: 1500\n    status: active\n",
                1,
            ),
            text.replacen("  - id: ent-20\n    name: \"示例企业 20\"\n", "", 1)
                .replacen(
                    "    employees: 20\n    note: |\n      第一行\n      - 不是记录\n",
                    "",
                    1,
                ),
        ];
        let mut last = parse(file, &text).unwrap();
        let pieces = PARSED.with(|p| p.get());
        for edited in edits.iter().chain([&text]) {
            assert_ne!(edited, &text.replace("ent-1", "x"));
            let tree = parse_over(file, edited, Some(last)).unwrap();
            assert_eq!(tree, whole(edited));
            // Only the pieces around an edit are parsed again.
            let parsed = PARSED.with(|p| p.get());
            assert!((1..=4).contains(&parsed), "{parsed} of {pieces}");
            last = tree;
        }
        // The same text again: every piece is moved over.
        let tree = parse_over(file, &text, Some(last)).unwrap();
        assert_eq!((tree, PARSED.with(|p| p.get())), (whole(&text), 0));
        // A broken piece gives the error of the whole text.
        let broken = text.replacen("name: \"示例企业 2900\"", "name: \"示例企业 2900", 1);
        let err = yaml::parse(file, &broken, 0).unwrap_err();
        assert_eq!(parse(file, &broken).unwrap_err().span, err.span);
        assert_eq!(parse(file, &text).unwrap(), whole(&text));
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
