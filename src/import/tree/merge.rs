//! What the rows naming one party organization say of it, merged: the
//! first row to say a thing sets it, a later one that says otherwise is an
//! error at its cell.

use super::{level_word, party_word, Draft, Origin};
use crate::import::records::{OrgRow, OrgSheets};
use crate::msg;

/// What an organization's row says of the node it names, merged into the
/// node: the first row to say a thing sets it, a later one that says
/// otherwise is a conflict (column, message, help).
pub(super) fn merge_row(d: &mut Draft, o: &OrgRow, tree_name: &str) -> Vec<(u32, String, String)> {
    let row = o.row;
    let origin = d.origin;
    let from = |at: Option<(u32, u32)>| match at {
        Some((r, _)) if matches!(origin, Origin::Tree(_)) => {
            msg!("import.tree.from_sheet_row", sheet = tree_name, row = r + 1)
        }
        Some((r, _)) => msg!("import.tree.from_row", row = OrgSheets::row_no(r)),
        None => msg!("import.tree.from_another_row"),
    };
    let (level_given, form_given) = o.branch_kind.as_ref().map_or((None, None), |v| v.v);
    let mut conflicts: Vec<(u32, String, String)> = Vec::new();
    if let (Some(l), Some(v)) = (level_given, &o.branch_kind) {
        if l != d.level {
            conflicts.push((
                v.col,
                msg!(
                    "import.tree.conflict.level",
                    name = d.name,
                    here = level_word(l),
                    there = level_word(d.level),
                    from = from(d.level_at)
                ),
                msg!("import.tree.conflict.level.help"),
            ));
        }
    }
    if let (Some(f), Some(v)) = (form_given, &o.branch_kind) {
        if let Some((g, at)) = settle(&mut d.form, &f, (row, v.col)) {
            conflicts.push((
                v.col,
                msg!(
                    "import.tree.conflict.form",
                    name = d.name,
                    here = party_word(f),
                    there = party_word(g),
                    from = from(at)
                ),
                msg!("import.tree.conflict.form.help"),
            ));
        }
    }
    if let Some(v) = &o.branch_parent {
        if let Some((p, at)) = settle(&mut d.parent, &v.v, (row, v.col)) {
            conflicts.push((
                v.col,
                msg!(
                    "import.tree.conflict.parent",
                    name = d.name,
                    here = v.v,
                    there = p,
                    from = from(at)
                ),
                msg!("import.tree.conflict.parent.help"),
            ));
        }
    }
    if let Some(v) = &o.branch_formed {
        if let Some((f, at)) = settle(&mut d.formed, &v.v, (row, v.col)) {
            conflicts.push((
                v.col,
                msg!(
                    "import.tree.conflict.formed",
                    name = d.name,
                    here = v.v,
                    there = f,
                    from = from(at)
                ),
                msg!("import.tree.conflict.formed.help"),
            ));
        }
    }
    if let Some(v) = &o.branch_members {
        match d.members {
            Some(m) if m != v.v => conflicts.push((
                v.col,
                msg!(
                    "import.tree.conflict.members",
                    name = d.name,
                    here = v.v,
                    there = m,
                    from = from(d.members_at)
                ),
                msg!("import.tree.conflict.members.help"),
            )),
            Some(_) => {}
            None => {
                d.members = Some(v.v);
                d.members_at = Some((row, v.col));
            }
        }
    }
    conflicts
}

/// Where a row says a thing of a node: the first to say it sets it (with
/// its cell); a later one that says otherwise gets back what was said
/// first and where, for its conflict message.
type Said<T> = Option<(T, Option<(u32, u32)>)>;

fn settle<T: PartialEq + Clone>(slot: &mut Said<T>, given: &T, at: (u32, u32)) -> Said<T> {
    match slot {
        Some((had, when)) if had != given => Some((had.clone(), *when)),
        Some(_) => None,
        None => {
            *slot = Some((given.clone(), Some(at)));
            None
        }
    }
}
