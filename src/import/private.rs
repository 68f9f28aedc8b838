//! The private fields an import would lose. An organization's `private:`
//! (联系人, 联系电话 …) is never published, so a spreadsheet made from the
//! published registers (`nianbao export` without `--include-private`) does
//! not have it; importing such a spreadsheet with `--force` would silently
//! delete every contact the office typed. Before anything is written, the
//! registers there are compared with the ones about to replace them: a
//! private value of a kept organization that the new file lacks is a loss,
//! refused unless `--drop-private` says it is meant.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crate::export::private::fields_of;
use crate::load::yaml::{self, Value};
use crate::vocabulary::private_header;

/// An organization as compared: id, name, private fields.
type Record = (Option<String>, Option<String>, Vec<(String, String)>);

/// The organizations of an organizations.yaml text; `None` when it is not
/// one (the import's own diff already says it will be replaced whole).
fn records(path: &Path, text: &str) -> Option<Vec<Record>> {
    let root = yaml::parse(path, text.trim_start_matches('\u{feff}'), 0).ok()?;
    let Value::Map(top) = root.value else {
        return None;
    };
    let (_, list) = top
        .iter()
        .find(|(k, _)| k.as_str() == Some("organizations"))?;
    let Value::Seq(items) = &list.value else {
        return Some(Vec::new());
    };
    let records = items.iter().filter_map(|item| {
        let Value::Map(fields) = &item.value else {
            return None;
        };
        let get = |name: &str| fields.iter().find(|(k, _)| k.as_str() == Some(name));
        let text = |name: &str| get(name).and_then(|(_, v)| v.as_str()).map(str::to_string);
        let private = get("private").map_or_else(Vec::new, |(_, v)| fields_of(&v.value));
        Some((text("id"), text("name"), private))
    });
    Some(records.collect())
}

/// How many private values of each field (by key, in the order met) the
/// records `old` hold that `new` lacks. An organization that is gone
/// altogether is not counted: its removal is listed with the changes.
pub fn lost(old: &[Record], new: &[Record]) -> Vec<(String, usize)> {
    let by_id: BTreeMap<&str, &Record> = new
        .iter()
        .filter_map(|r| Some((r.0.as_deref()?, r)))
        .collect();
    let by_name: BTreeMap<&str, &Record> = new
        .iter()
        .filter_map(|r| Some((r.1.as_deref()?, r)))
        .collect();
    let mut out: Vec<(String, usize)> = Vec::new();
    for (id, name, private) in old {
        // By id when the name agrees; else by name, since ids made from
        // the rows shift when a row is inserted; else by id alone.
        let same_id = id.as_deref().and_then(|i| by_id.get(i));
        let kept = same_id
            .filter(|r| r.1 == *name)
            .or_else(|| name.as_deref().and_then(|n| by_name.get(n)))
            .or(same_id);
        let Some(kept) = kept else { continue };
        for (key, _) in private {
            if kept.2.iter().any(|(k, _)| k == key) {
                continue;
            }
            match out.iter_mut().find(|(k, _)| k == key) {
                Some((_, n)) => *n += 1,
                None => out.push((key.clone(), 1)),
            }
        }
    }
    out
}

/// `联系人（contact）12 个、联系电话（phone）12 个`, in the run's language.
fn describe(lost: &[(String, usize)]) -> String {
    lost.iter()
        .map(|(key, count)| {
            crate::msg!(
                "office.private.field",
                header = private_header(key),
                key = key,
                count = count
            )
        })
        .collect::<Vec<_>>()
        .join(&crate::msg!("office.list_sep"))
}

/// Compares the organizations.yaml at `path` (if any) with `new_text`,
/// which is about to replace it. `Err` holds the refusal to print when
/// private values would be lost without `drop_private`; with it, the loss
/// is noted on `err` and the import goes on.
pub fn guard(
    path: &Path,
    new_text: &str,
    drop_private: bool,
    err: &mut dyn Write,
) -> Result<(), String> {
    let Ok(old_text) = std::fs::read_to_string(path) else {
        return Ok(());
    };
    let (Some(old), Some(new)) = (records(path, &old_text), records(path, new_text)) else {
        return Ok(());
    };
    let lost = lost(&old, &new);
    if lost.is_empty() {
        return Ok(());
    }
    let count: usize = lost.iter().map(|(_, n)| n).sum();
    let fields = describe(&lost);
    let file = path.display();
    if drop_private {
        let _ = writeln!(
            err,
            "{}: {}",
            crate::msg!("diag.warning"),
            crate::msg!(
                "office.import.private_dropped",
                count = count,
                fields = fields,
                file = file
            )
        );
        return Ok(());
    }
    Err(format!(
        "{}: {}\n  = {}: {}",
        crate::msg!("diag.error"),
        crate::msg!(
            "office.import.private_lost",
            count = count,
            fields = fields,
            file = file
        ),
        crate::msg!("diag.help"),
        crate::msg!("office.import.private_lost.help")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, name: &str, private: &[(&str, &str)]) -> Record {
        (
            Some(id.into()),
            Some(name.into()),
            private
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn counts_values_of_kept_organizations_only() {
        let old = vec![
            rec("ent-1", "甲", &[("contact", "张三"), ("phone", "1")]),
            rec("ent-2", "乙", &[("contact", "李四")]),
            rec("ent-3", "丙", &[("contact", "王五")]),
        ];
        let new = vec![
            // Kept with a changed contact: a change, not a loss.
            rec("ent-1", "甲", &[("contact", "赵六")]),
            // Kept under another id: matched by name.
            rec("ent-9", "乙", &[]),
            // A row inserted before it took ent-2's id: not 乙.
            rec("ent-2", "丁", &[("contact", "李四")]),
            // ent-3 is gone altogether.
        ];
        assert_eq!(
            lost(&old, &new),
            vec![("phone".to_string(), 1), ("contact".to_string(), 1)]
        );
        assert!(lost(&old, &old).is_empty());
    }
}
