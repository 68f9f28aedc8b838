//! The private fields of a year's organizations, for `export
//! --include-private`. The model never holds them (so that no page, chart
//! or document can show them): they are taken from the loaded register
//! itself, before its tree is dropped, and go only into the workbook.

use std::collections::BTreeMap;

use crate::load::{RawSite, Value};
use crate::vocabulary::PRIVATE_HEADERS;

/// Each organization's private fields by its id: key and value as text,
/// in the order of the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Private {
    pub by_org: BTreeMap<String, Vec<(String, String)>>,
}

impl Private {
    /// The private fields of year `year` as `raw` holds them.
    pub fn collect(raw: &RawSite, year: i32) -> Private {
        let mut out = Private::default();
        let Some(file) = raw.years.get(&year).and_then(|y| y.organizations.as_ref()) else {
            return out;
        };
        let Value::Map(top) = &file.root.value else {
            return out;
        };
        let Some(Value::Seq(items)) = top
            .iter()
            .find(|(k, _)| k.as_str() == Some("organizations"))
            .map(|(_, v)| &v.value)
        else {
            return out;
        };
        for item in items {
            let Value::Map(fields) = &item.value else {
                continue;
            };
            let field = |name: &str| fields.iter().find(|(k, _)| k.as_str() == Some(name));
            let (Some((_, id)), Some((_, private))) = (field("id"), field("private")) else {
                continue;
            };
            let Some(id) = id.as_str() else { continue };
            let values = fields_of(&private.value);
            if !values.is_empty() {
                out.by_org.insert(id.to_string(), values);
            }
        }
        out
    }

    /// The value of `key` for organization `id`.
    pub fn get(&self, id: &str, key: &str) -> Option<&str> {
        self.by_org
            .get(id)?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The keys that need a column of their own: those with a Chinese
    /// header first, in the vocabulary's order, then the others in the
    /// order they first appear. `in_instructor_column(id)` says for which
    /// organizations `instructor` goes in the 党建指导员 column instead.
    pub fn columns(&self, in_instructor_column: impl Fn(&str) -> bool) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for (id, values) in &self.by_org {
            for (k, _) in values {
                if k == "instructor" && in_instructor_column(id) {
                    continue;
                }
                if !seen.contains(k) {
                    seen.push(k.clone());
                }
            }
        }
        let mut out: Vec<String> = PRIVATE_HEADERS
            .iter()
            .filter(|(k, _)| seen.iter().any(|s| s == k))
            .map(|(k, _)| k.to_string())
            .collect();
        // `by_org` is ordered by id: the other keys in that order too.
        out.extend(
            seen.into_iter()
                .filter(|k| !PRIVATE_HEADERS.iter().any(|(p, _)| p == k)),
        );
        out
    }
}

/// The fields of a `private:` value: each entry of a mapping as text; a
/// lone value as the field `private`.
pub fn fields_of(value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Map(entries) => entries
            .iter()
            .filter_map(|(k, v)| {
                let key = scalar_text(&k.value)?;
                let text = scalar_text(&v.value)?;
                (!text.is_empty()).then_some((key, text))
            })
            .collect(),
        v => scalar_text(v)
            .filter(|t| !t.is_empty())
            .map(|t| vec![("private".to_string(), t)])
            .unwrap_or_default(),
    }
}

/// A scalar as a cell shows it; `None` for lists and mappings, which a
/// register's private fields do not hold (the loader refuses the depth).
pub fn scalar_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Big(s) | Value::Str(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => return None,
    })
}
