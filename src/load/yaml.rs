//! YAML documents as trees of nodes that remember where they stood.
//!
//! The registers are read into this generic tree first (with serde-saphyr,
//! its budgets guarding against hostile input) and only then into typed
//! records, field by field, so that one bad field does not hide the others:
//! every problem of a file can be reported at once, each with its position.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Span};

/// A YAML node with its 1-based line and column.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A whole number too large for `Int`, as written in the file: it
    /// would change on its way through `f64` (`18446744073709551617`
    /// becomes `18446744073709552000`), so messages quote it exactly.
    Big(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// How the value reads in an error message ("found …").
    pub fn describe(&self) -> String {
        match self {
            Value::Null => crate::msg!("value.nothing"),
            Value::Bool(b) => format!("`{b}`"),
            Value::Int(i) => crate::msg!("value.number", n = i),
            Value::Float(f) => crate::msg!("value.number", n = f),
            Value::Big(s) => crate::msg!("value.number", n = s),
            Value::Str(s) => {
                let short: String = s.chars().take(40).collect();
                crate::msg!("value.text", text = short)
            }
            Value::Seq(_) => crate::msg!("value.list"),
            Value::Map(_) => crate::msg!("value.mapping"),
        }
    }
}

impl Node {
    pub fn span(&self, file: &std::path::Path) -> Span {
        Span::new(file, self.line, self.col)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<Value>::deserialize(d)?;
        Ok(Node {
            value: s.value,
            line: s.referenced.line() as usize,
            col: s.referenced.column() as usize,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        // A register holds millions of small collections: the spare
        // capacity of a growing vector would be most of their memory.
        items.shrink_to_fit();
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Node>()? {
            let v = map.next_value::<Node>()?;
            entries.push((k, v));
        }
        entries.shrink_to_fit();
        Ok(Value::Map(entries))
    }
}

/// Limits on one YAML text (a data file, `site.yaml` or a page's front
/// matter). They bound the memory a hostile or broken file can take:
/// README.md ("Limits") gives the numbers a build was measured at.
pub mod limits {
    /// Bytes of one YAML or Markdown source file.
    pub const MAX_SOURCE_BYTES: usize = 64 * 1024 * 1024;
    /// Values, lists and mappings of one file (a 12-field organization
    /// takes 25, a 5-field one 11).
    pub const MAX_NODES: usize = 2_500_000;
    /// Parser events of one file (about one per node, two per collection).
    pub const MAX_EVENTS: usize = 5_000_000;
    /// Nesting of lists and mappings (a register needs 4).
    pub const MAX_DEPTH: usize = 32;
    /// Anchors (`&a`) and aliases (`*a`) of one file.
    pub const MAX_ANCHORS: usize = 10_000;
    pub const MAX_ALIASES: usize = 10_000;
    /// Nodes that aliases may copy in all ("billion laughs" stop here).
    pub const MAX_ALIAS_NODES: usize = 100_000;
}

/// The parser's options, with `max_nodes` values allowed (`MAX_NODES`
/// but in tests, which need not make a 4-million-value text).
fn options(max_nodes: usize) -> serde_saphyr::Options {
    use limits::*;
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = MAX_ALIAS_NODES;
    alias_limits.max_replay_stack_depth = MAX_DEPTH;
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_reader_input_bytes: Some(MAX_SOURCE_BYTES),
            max_events: max_nodes * (MAX_EVENTS / MAX_NODES),
            max_nodes: max_nodes,
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_anchors: MAX_ANCHORS,
            max_aliases: MAX_ALIASES,
            max_total_scalar_bytes: MAX_SOURCE_BYTES,
            max_documents: 1,
        },
        alias_limits: alias_limits,
    }
}

/// What a budget breach means, in the user's terms.
fn budget_message(debug: &str, max_nodes: usize) -> Option<(String, String)> {
    use crate::msg;
    use limits::*;
    let (what, help) = if debug.contains("Nodes") || debug.contains("Events") {
        (
            msg!("yaml.too_many_values", max = max_nodes),
            msg!("yaml.too_many_values.help"),
        )
    } else if debug.contains("Depth") || debug.contains("recursion limit") {
        (
            msg!("yaml.too_deep", max = MAX_DEPTH),
            msg!("yaml.too_deep.help"),
        )
    } else if debug.contains("Alias") || debug.contains("Anchor") || debug.contains("replay") {
        (
            msg!("yaml.aliases_too_many", max = MAX_ALIAS_NODES),
            msg!("yaml.aliases_too_many.help"),
        )
    } else if debug.contains("ScalarBytes") || debug.contains("InputBytes") {
        (
            msg!("yaml.too_much_text", mib = MAX_SOURCE_BYTES >> 20),
            msg!("yaml.too_large.help"),
        )
    } else if debug.contains("Documents") {
        (
            msg!("yaml.many_documents"),
            msg!("yaml.many_documents.help"),
        )
    } else {
        return None;
    };
    Some((what, help))
}

/// What is wrong with the YAML, in the run's language. The parser's own
/// words are English and name its internals; in English they are quoted
/// as they are (they are precise), in Chinese each kind of mistake is said
/// in ours.
fn syntax_detail(plain: &str) -> String {
    use crate::messages::{lang, Lang};
    use crate::msg;
    if lang() == Lang::En {
        return strip_location(plain);
    }
    let has = |s: &str| plain.contains(s);
    if has(" tab") || has("tabs") {
        msg!("yaml.syntax.tab")
    } else if has("mapping values are not allowed") || has("illegal placement of ':'") {
        msg!("yaml.syntax.colon")
    } else if has("quoted scalar") || has("quote") {
        msg!("yaml.syntax.quote")
    } else if has("bracket")
        || has("flow sequence")
        || has("flow mapping")
        || has("',' or ']'")
        || has("',' or '}'")
    {
        msg!("yaml.syntax.bracket")
    } else if has("expected ':'") || has("simple key") {
        msg!("yaml.syntax.missing_colon")
    } else if has("indent") || has("block mapping") || has("block sequence") || has("expected key")
    {
        msg!("yaml.syntax.indentation")
    } else if has("unknown anchor") {
        msg!("yaml.syntax.unknown_anchor")
    } else if has("cannot start any token") {
        msg!("yaml.syntax.bad_start")
    } else if has("anchor") || has("alias") {
        msg!("yaml.syntax.anchor")
    } else if has("tag") || has("directive") {
        msg!("yaml.syntax.tag")
    } else if has("escape") {
        msg!("yaml.syntax.escape")
    } else {
        msg!("yaml.syntax.other")
    }
}

/// Parses one YAML document. A syntax error (or a budget breach) becomes a
/// diagnostic at the position the parser reports.
pub fn parse(file: &std::path::Path, text: &str, line_offset: usize) -> Result<Node, Diagnostic> {
    parse_limited(file, text, line_offset, limits::MAX_NODES)
}

pub(super) fn parse_limited(
    file: &std::path::Path,
    text: &str,
    line_offset: usize,
    max_nodes: usize,
) -> Result<Node, Diagnostic> {
    if text.len() > limits::MAX_SOURCE_BYTES {
        return Err(Diagnostic::error(
            Span::new(file, 0, 0),
            crate::msg!("load.file_too_large", mib = limits::MAX_SOURCE_BYTES >> 20),
        )
        .help(crate::msg!("yaml.too_large.help")));
    }
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            line: 1 + line_offset,
            col: 1,
        });
    }
    serde_saphyr::from_str_with_options::<Node>(text, options(max_nodes))
        .map(|mut n| {
            whole_numbers_as_written(&mut n, text, &mut None);
            shift(&mut n, line_offset as isize);
            n
        })
        .map_err(|e| {
            let (line, col) = e
                .location()
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((0, 0));
            let span = Span::new(file, if line > 0 { line + line_offset } else { 0 }, col);
            let plain = e.without_snippet().to_string();
            if plain.contains("budget breached")
                || plain.contains("limit exceeded")
                || plain.contains("nesting")
            {
                if let Some((what, help)) = budget_message(&plain, max_nodes) {
                    return Diagnostic::error(span, what).help(help);
                }
            }
            if let Some(rest) = plain.split("duplicate mapping key: ").nth(1) {
                let key = rest
                    .split(", set DuplicateKeyPolicy")
                    .next()
                    .unwrap_or(rest);
                let key = strip_location(key);
                return Diagnostic::error(span, crate::msg!("yaml.duplicate_key", key = key))
                    .help(crate::msg!("yaml.duplicate_key.help", key = key));
            }
            if plain.contains("duplicate mapping key") {
                return Diagnostic::error(span, crate::msg!("yaml.duplicate_key_unnamed"))
                    .help(crate::msg!("yaml.duplicate_key_unnamed.help"));
            }
            Diagnostic::error(
                span,
                crate::msg!("yaml.invalid", detail = syntax_detail(&plain)),
            )
            .help(crate::msg!("yaml.invalid.help"))
        })
}

/// Turns each `Float` that the file writes as a whole number (too large
/// for `Int`) into `Big`, with the digits as written. `lines` is the byte
/// offset of each line of `text`, made the first time it is needed.
fn whole_numbers_as_written(n: &mut Node, text: &str, lines: &mut Option<Vec<usize>>) {
    match &mut n.value {
        Value::Float(_) => {
            let starts = lines.get_or_insert_with(|| {
                std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect()
            });
            let Some(&start) = n.line.checked_sub(1).and_then(|l| starts.get(l)) else {
                return;
            };
            let token: String = text[start..]
                .chars()
                .skip(n.col.saturating_sub(1))
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '#'))
                .collect();
            let digits = token.strip_prefix(['+', '-']).unwrap_or(&token);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
                n.value = Value::Big(token.replace('_', ""));
            }
        }
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|i| whole_numbers_as_written(i, text, lines)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            whole_numbers_as_written(k, text, lines);
            whole_numbers_as_written(v, text, lines);
        }),
        _ => {}
    }
}

pub(super) fn shift(n: &mut Node, by: isize) {
    if by == 0 {
        return;
    }
    n.line = n.line.saturating_add_signed(by);
    match &mut n.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| shift(i, by)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            shift(k, by);
            shift(v, by);
        }),
        _ => {}
    }
}

/// serde-saphyr appends "at line L column C" to its messages; the position is
/// already printed in front of ours.
fn strip_location(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg);
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
    .trim_end_matches(['.', ','])
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn keeps_positions_of_nested_nodes() {
        let n = parse(Path::new("x.yaml"), "a:\n  - id: one\n    n: 3\n", 0).unwrap();
        let Value::Map(top) = &n.value else { panic!() };
        let Value::Seq(items) = &top[0].1.value else {
            panic!()
        };
        let Value::Map(rec) = &items[0].value else {
            panic!()
        };
        assert_eq!((rec[1].0.line, rec[1].0.col), (3, 5));
        assert_eq!(rec[1].1.value, Value::Int(3));
        assert_eq!((rec[1].1.line, rec[1].1.col), (3, 8));
    }

    #[test]
    fn whole_numbers_too_large_for_int_keep_their_digits() {
        let text = "a: 18446744073709551617\nb: [340282366920938463463374607431768211457, 1.5e300]\nc: 9007199254740993\n";
        let n = parse(Path::new("x.yaml"), text, 0).unwrap();
        let Value::Map(top) = &n.value else { panic!() };
        assert_eq!(top[0].1.value, Value::Big("18446744073709551617".into()));
        let Value::Seq(items) = &top[1].1.value else {
            panic!()
        };
        assert_eq!(
            items[0].value,
            Value::Big("340282366920938463463374607431768211457".into())
        );
        assert_eq!(items[1].value, Value::Float(1.5e300));
        assert_eq!(top[2].1.value, Value::Int(9007199254740993));
    }

    #[test]
    fn a_duplicate_key_is_named_in_our_words() {
        let e = parse(
            Path::new("x.yaml"),
            "a:\n  - id: x\n    kind: one\n    kind: two\n",
            0,
        )
        .unwrap_err();
        assert_eq!((e.span.line, e.span.col), (4, 5), "{e:?}");
        assert_eq!(
            e.message,
            "the key `kind` is given twice in the same mapping"
        );
        assert!(!format!("{e:?}").contains("DuplicateKeyPolicy"), "{e:?}");
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let e = parse(Path::new("x.yaml"), "a: [1, 2\nb: 3\n", 0).unwrap_err();
        assert!(e.span.line > 0, "{e:?}");
        assert!(e.message.starts_with("invalid YAML"));
    }

    #[test]
    fn budget_breaches_print_what_to_do() {
        let deep = format!("a: {}1{}\n", "[".repeat(100), "]".repeat(100));
        let deep_block: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        let many: String = "l:\n".to_string() + &"- 1\n".repeat(600_000);
        for (text, expected) in [
            (deep.as_str(), "nested more than 32 deep"),
            (&deep_block, "nested more than 32 deep"),
            (laughs, "expand to more than 100000 values"),
            (&many, "more than 500000 values in one file"),
            ("a: 1\n---\nb: 2\n", "more than one YAML document"),
        ] {
            let e = parse_limited(Path::new("x.yaml"), text, 0, 500_000).unwrap_err();
            assert!(e.message.contains(expected), "{e:?}");
            assert!(e.help.is_some());
        }
    }
}
