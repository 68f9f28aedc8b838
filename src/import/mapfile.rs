//! The mapping file (`--map MAP.yaml`): which sheet, which header row,
//! which column is which field, how to read odd values, and defaults.
//!
//! ```yaml
//! sheet: 台账            # the organizations' sheet
//! header_row: 3          # its header row, as Excel numbers it
//! tree_sheet: 党组织      # the party organizations' sheet (optional)
//! tree_header_row: 2
//! columns:               # header → field
//!   企业全称: name
//!   联系电话: private.phone
//!   经营范围: ignore
//! tree_columns:
//!   组织名称: name
//! values:                # per field: what a cell says → what it means
//!   kind: { 民营: enterprise }
//!   township: { 黄金岭: 黄金岭街道 }
//! defaults:              # for a blank cell or a missing column
//!   kind: enterprise
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use super::headers::{OrgField, TreeField, ORG_FIELDS, TREE_FIELDS};
use super::text;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::yaml::{self, Node, Value};
use crate::msg;

const KEYS: &[&str] = &[
    "sheet",
    "header_row",
    "tree_sheet",
    "tree_header_row",
    "columns",
    "tree_columns",
    "values",
    "defaults",
];

/// Fields whose values `values:` may translate.
const VALUE_FIELDS: &[&str] = &[
    "kind",
    "township",
    "in_park",
    "industry",
    "status",
    "instructor",
    "branch",
    "branch_form",
    "branch_parent",
    "level",
    "form",
    "parent",
];

/// Fields a default may be given for.
const DEFAULT_FIELDS: &[&str] = &[
    "kind",
    "township",
    "in_park",
    "industry",
    "status",
    "instructor",
];

#[derive(Debug, Default, Clone)]
pub struct MapFile {
    pub sheet: Option<String>,
    /// 0-based.
    pub header_row: Option<u32>,
    pub tree_sheet: Option<String>,
    pub tree_header_row: Option<u32>,
    pub columns: BTreeMap<String, OrgField>,
    pub tree_columns: BTreeMap<String, TreeField>,
    /// Field → normalized cell text → the text to read instead.
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    pub defaults: BTreeMap<String, String>,
}

impl MapFile {
    /// `text` as the cell of `field` should be read: translated by `values:`.
    pub fn translate<'a>(&'a self, field: &str, text: &'a str) -> std::borrow::Cow<'a, str> {
        match self
            .values
            .get(field)
            .and_then(|m| m.get(&text::normalize(text)))
        {
            Some(v) => std::borrow::Cow::Borrowed(v.as_str()),
            None => std::borrow::Cow::Borrowed(text),
        }
    }
}

/// Reads the mapping file; every problem goes to `diags` (with its line).
pub fn read(path: &Path, diags: &mut Diagnostics) -> Option<MapFile> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                crate::diagnostics::Span::file(path),
                msg!("import.map.cannot_read", why = e),
            ));
            return None;
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        diags.push(
            Diagnostic::error(
                crate::diagnostics::Span::file(path),
                msg!("import.map.not_utf8"),
            )
            .help(msg!("import.map.not_utf8.help")),
        );
        return None;
    };
    diags.add_source(path, &text);
    let root = match yaml::parse(path, &text, 0) {
        Ok(n) => n,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let before = diags.count(crate::diagnostics::Severity::Error);
    let map = from_node(path, &root, diags);
    (diags.count(crate::diagnostics::Severity::Error) == before).then_some(map)
}

fn err(path: &Path, node: &Node, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(node.span(path), message).help(help.to_string())
}

fn entries<'a>(
    path: &Path,
    node: &'a Node,
    what: &str,
    diags: &mut Diagnostics,
) -> &'a [(Node, Node)] {
    match &node.value {
        Value::Map(e) => e,
        Value::Null => &[],
        other => {
            diags.push(err(
                path,
                node,
                msg!(
                    "import.map.not_a_mapping",
                    what = what,
                    found = other.describe()
                ),
                &msg!("import.map.not_a_mapping.help"),
            ));
            &[]
        }
    }
}

fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) | Value::Big(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn row_number(path: &Path, node: &Node, diags: &mut Diagnostics) -> Option<u32> {
    match node.value {
        Value::Int(i) if (1..=1_048_576).contains(&i) => Some(i as u32 - 1),
        _ => {
            diags.push(err(
                path,
                node,
                msg!("import.map.bad_row", found = node.value.describe()),
                &msg!("import.map.bad_row.help"),
            ));
            None
        }
    }
}

fn from_node(path: &Path, root: &Node, diags: &mut Diagnostics) -> MapFile {
    let mut map = MapFile::default();
    for (k, v) in entries(path, root, &msg!("import.map.the_file"), diags) {
        let Some(key) = k.as_str() else {
            diags.push(err(
                path,
                k,
                msg!("import.map.key_not_text"),
                &msg!("import.map.key_not_text.help"),
            ));
            continue;
        };
        match key {
            "sheet" | "tree_sheet" => match scalar(v) {
                Some(s) if key == "sheet" => map.sheet = Some(s),
                Some(s) => map.tree_sheet = Some(s),
                None => diags.push(err(
                    path,
                    v,
                    msg!("import.map.not_a_sheet_name", key = key),
                    &msg!("import.map.not_a_sheet_name.help"),
                )),
            },
            "header_row" => map.header_row = row_number(path, v, diags),
            "tree_header_row" => map.tree_header_row = row_number(path, v, diags),
            "columns" => {
                for (h, f) in entries(path, v, key, diags) {
                    let (Some(header), Some(field)) = (scalar(h), f.as_str()) else {
                        diags.push(err(
                            path,
                            f,
                            msg!("import.map.expected_header_field"),
                            &msg!("import.map.example", example = "`企业全称: name`"),
                        ));
                        continue;
                    };
                    match OrgField::parse(field) {
                        Some(of) => {
                            map.columns.insert(header, of);
                        }
                        None => diags.push(unknown(path, f, field, ORG_FIELDS)),
                    }
                }
            }
            "tree_columns" => {
                for (h, f) in entries(path, v, key, diags) {
                    let (Some(header), Some(field)) = (scalar(h), f.as_str()) else {
                        diags.push(err(
                            path,
                            f,
                            msg!("import.map.expected_header_field"),
                            &msg!("import.map.example", example = "`组织名称: name`"),
                        ));
                        continue;
                    };
                    match TreeField::parse(field) {
                        Some(tf) => {
                            map.tree_columns.insert(header, tf);
                        }
                        None => diags.push(unknown(path, f, field, TREE_FIELDS)),
                    }
                }
            }
            "values" => read_values(path, v, &mut map, diags),
            "defaults" => read_defaults(path, v, &mut map, diags),
            other => diags.push(unknown(path, k, other, KEYS)),
        }
    }
    map
}

/// `values:`: per field, what a cell says → what it means.
fn read_values(path: &Path, v: &Node, map: &mut MapFile, diags: &mut Diagnostics) {
    for (f, table) in entries(path, v, "values", diags) {
        let Some(field) = f.as_str() else { continue };
        if !VALUE_FIELDS.contains(&field) {
            diags.push(unknown(path, f, field, VALUE_FIELDS));
            continue;
        }
        let mut m = BTreeMap::new();
        for (from, to) in entries(path, table, field, diags) {
            match (scalar(from), scalar(to)) {
                (Some(a), Some(b)) => {
                    m.insert(text::normalize(&a), b);
                }
                _ => diags.push(err(
                    path,
                    to,
                    msg!("import.map.expected_value"),
                    &msg!("import.map.example", example = "`民营: enterprise`"),
                )),
            }
        }
        map.values.insert(field.to_string(), m);
    }
}

/// `defaults:`: a value for a blank cell or a missing column.
fn read_defaults(path: &Path, v: &Node, map: &mut MapFile, diags: &mut Diagnostics) {
    for (f, value) in entries(path, v, "defaults", diags) {
        let Some(field) = f.as_str() else { continue };
        if !DEFAULT_FIELDS.contains(&field) {
            diags.push(unknown(path, f, field, DEFAULT_FIELDS));
            continue;
        }
        match scalar(value) {
            Some(s) => {
                map.defaults.insert(field.to_string(), s);
            }
            None => diags.push(err(
                path,
                value,
                msg!("import.map.default_not_one"),
                &msg!("import.map.example", example = "`kind: enterprise`"),
            )),
        }
    }
}

fn unknown(path: &Path, node: &Node, word: &str, known: &[&str]) -> Diagnostic {
    let help = match did_you_mean(word, known.iter().copied()) {
        Some(s) => msg!(
            "import.map.unknown.help_hint",
            name = s,
            known = known.join(", ")
        ),
        None => msg!("import.map.unknown.help", known = known.join(", ")),
    };
    Diagnostic::error(node.span(path), msg!("import.map.unknown", word = word)).help(help)
}
