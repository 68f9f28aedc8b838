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
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// How the value reads in an error message ("found …").
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "nothing".into(),
            Value::Bool(b) => format!("`{b}`"),
            Value::Int(i) => format!("the number {i}"),
            Value::Float(f) => format!("the number {f}"),
            Value::Str(s) => {
                let short: String = s.chars().take(40).collect();
                format!("the text \"{short}\"")
            }
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping".into(),
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
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Node>()? {
            let v = map.next_value::<Node>()?;
            entries.push((k, v));
        }
        Ok(Value::Map(entries))
    }
}

/// Parses one YAML document. A syntax error (or a budget breach) becomes a
/// diagnostic at the position the parser reports.
pub fn parse(file: &std::path::Path, text: &str, line_offset: usize) -> Result<Node, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            line: 1 + line_offset,
            col: 1,
        });
    }
    serde_saphyr::from_str::<Node>(text)
        .map(|mut n| {
            shift(&mut n, line_offset);
            n
        })
        .map_err(|e| {
            let (line, col) = e
                .location()
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((0, 0));
            let plain = e.without_snippet().to_string();
            Diagnostic::error(
                Span::new(file, if line > 0 { line + line_offset } else { 0 }, col),
                format!("invalid YAML: {}", strip_location(&plain)),
            )
            .help("fix the YAML syntax at this place (indentation, a missing ':' or an unclosed quote are the usual causes)")
        })
}

fn shift(n: &mut Node, by: usize) {
    if by == 0 {
        return;
    }
    n.line += by;
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
    fn reports_syntax_errors_with_position() {
        let e = parse(Path::new("x.yaml"), "a: [1, 2\nb: 3\n", 0).unwrap_err();
        assert!(e.span.line > 0, "{e:?}");
        assert!(e.message.starts_with("invalid YAML"));
    }
}
