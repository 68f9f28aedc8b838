//! Removing `private:` fields from a register before it is archived.
//!
//! The text is edited by line ranges, so that everything else (comments,
//! key order, quoting) stays byte for byte as the user wrote it: a `private`
//! key runs from its own line to the line before the next node that is not
//! inside it. The result is parsed again and compared with the original
//! tree less its private entries; a file whose layout does not allow a clean
//! cut (a flow mapping `{…, private: …}` on one line, anchors, …) is refused
//! rather than archived with a leak.

use std::collections::BTreeSet;
use std::path::Path;

use crate::load::yaml::{self, Node, Value};

/// The field that is never published.
pub const PRIVATE: &str = "private";

/// `text` without any `private:` entry, at any depth.
pub fn redact(path: &Path, text: &str) -> Result<String, String> {
    let root = yaml::parse(path, text, 0).map_err(|d| d.message)?;
    let mut cuts = Vec::new(); // (line, col) of each private key
    let mut kept_lines = BTreeSet::new();
    collect(&root, &mut cuts, &mut kept_lines);
    if cuts.is_empty() {
        return Ok(text.to_string());
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut drop = vec![false; lines.len() + 1];
    for &(line, col) in &cuts {
        let before: String = lines[line - 1].chars().take(col - 1).collect();
        if kept_lines.contains(&line) || !before.trim().is_empty() {
            return Err(crate::msg!("redact.shared_line", line = line));
        }
        let end = kept_lines
            .range(line + 1..)
            .next()
            .copied()
            .unwrap_or(lines.len() + 1);
        // Comments and blank lines just before the next node stay, unless
        // they are indented under the private key (then they belong to it).
        let mut last = end - 1;
        while last > line {
            let l = lines[last - 1];
            let trimmed = l.trim_start();
            let indent = l.len() - trimmed.len();
            let belongs = !trimmed.trim().is_empty() && indent >= col;
            if trimmed.trim().is_empty() || (trimmed.starts_with('#') && !belongs) {
                last -= 1;
            } else {
                break;
            }
        }
        for d in drop.iter_mut().take(last + 1).skip(line) {
            *d = true;
        }
    }
    let out: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !drop[i + 1])
        .map(|(_, l)| *l)
        .collect();
    let again =
        yaml::parse(path, &out, 0).map_err(|d| crate::msg!("redact.broke", problem = d.message))?;
    if !same(&without_private(&root), &again) || has_private(&again) {
        return Err(crate::msg!("redact.not_by_lines"));
    }
    Ok(out)
}

/// Positions of private keys, and the lines of every node outside them.
fn collect(node: &Node, cuts: &mut Vec<(usize, usize)>, kept: &mut BTreeSet<usize>) {
    // Scalars mark the lines that must stay. A mapping or list starts where
    // its first entry does, and an empty value has no text of its own (the
    // parser may place it on the next line).
    if !matches!(node.value, Value::Null | Value::Map(_) | Value::Seq(_)) {
        kept.insert(node.line);
    }
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|n| collect(n, cuts, kept)),
        Value::Map(entries) => {
            for (k, v) in entries {
                if k.as_str() == Some(PRIVATE) {
                    cuts.push((k.line, k.col));
                } else {
                    collect(k, cuts, kept);
                    collect(v, cuts, kept);
                }
            }
        }
        _ => {}
    }
}

fn without_private(node: &Node) -> Node {
    let value = match &node.value {
        Value::Seq(items) => Value::Seq(items.iter().map(without_private).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .filter(|(k, _)| k.as_str() != Some(PRIVATE))
                .map(|(k, v)| (without_private(k), without_private(v)))
                .collect(),
        ),
        v => v.clone(),
    };
    Node { value, ..*node }
}

/// Equal values, wherever they stand.
fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| same(ka, kb) && same(va, vb))
        }
        (x, y) => x == y,
    }
}

/// Whether any mapping of the tree has a `private` key.
pub fn has_private(node: &Node) -> bool {
    match &node.value {
        Value::Seq(items) => items.iter().any(has_private),
        Value::Map(entries) => entries
            .iter()
            .any(|(k, v)| k.as_str() == Some(PRIVATE) || has_private(v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<String, String> {
        redact(Path::new("organizations.yaml"), text)
    }

    #[test]
    fn removes_a_private_block_in_the_middle_and_at_the_end() {
        let text = "\
# header
organizations:
  - id: a
    private:
      contact: secret-1
      # a private comment
      note: |
        secret-2
        more
    status: active
  - id: b
    status: active
    private: {contact: secret-3}
  # section comment
  - id: c
    private:
      contact: secret-4

# trailing comment
";
        let out = run(text).unwrap();
        assert_eq!(
            out,
            "\
# header
organizations:
  - id: a
    status: active
  - id: b
    status: active
  # section comment
  - id: c

# trailing comment
"
        );
        assert!(!out.contains("secret"));
    }

    #[test]
    fn leaves_files_without_private_fields_alone() {
        let text = "organizations:\n  - id: a # note\n    status: active\n";
        assert_eq!(run(text).unwrap(), text);
    }

    #[test]
    fn removes_nested_and_scalar_private_fields() {
        let text = "a:\n  private: x\n  b:\n    private:\n    - 1\n    - 2\n    c: 3\n";
        assert_eq!(run(text).unwrap(), "a:\n  b:\n    c: 3\n");
    }

    #[test]
    fn refuses_what_it_cannot_cut_cleanly() {
        let flow = "organizations:\n  - {id: a, private: {c: secret}, status: active}\n";
        assert!(run(flow).unwrap_err().contains("line 2"), "{:?}", run(flow));
        let first = "organizations:\n  - private:\n      c: secret\n    id: a\n";
        assert!(run(first).is_err());
    }

    #[test]
    fn keeps_crlf_line_endings() {
        let text = "o:\r\n  - id: a\r\n    private:\r\n      c: s\r\n    k: v\r\n";
        assert_eq!(run(text).unwrap(), "o:\r\n  - id: a\r\n    k: v\r\n");
    }
}
