//! Phase 4 of an import: the rows read become the records to write. The
//! tree is built from every row as a strict import sees it; with
//! `--partial` and errors, the bad rows are left out, then whatever rested
//! on them, and the tree is built again from the rows kept.

use std::collections::{BTreeSet, HashMap};

use super::problem::{Problem, Problems};
use super::records::{Org, OrgRow, OrgSheets};
use super::sources::OrgSheet;
use super::{rows, tree, Import, Read, Records};
use crate::diagnostics::Severity;
use crate::msg;

impl Import<'_> {
    /// The records, or `None` when errors stop the import (printed).
    pub(super) fn build(
        &self,
        read: &Read,
        sheets: &[OrgSheet],
        problems: &mut Problems,
        err: &mut dyn std::io::Write,
    ) -> Option<Records> {
        let tree_errors = problems.items.iter().any(|p| {
            p.severity == Severity::Error
                && read
                    .tree_ref
                    .is_some_and(|t| p.place.file == t.file && p.place.sheet_index == t.index)
        });
        let all: Vec<&OrgRow> = read.rows.iter().collect();
        let strict = tree::assemble(&self.tree_input(read, &all, false));
        let cross = rows::cross_row(&all, &read.sheets);
        let mut bad_rows: BTreeSet<u32> = read
            .rows
            .iter()
            .filter(|o| o.errors > 0)
            .map(|o| o.row)
            .collect();
        for (row, p) in strict.row_problems.iter().chain(cross.iter()) {
            if p.severity == Severity::Error {
                bad_rows.insert(*row);
            }
            problems.items.push(p.clone());
        }
        let fatal = tree_errors
            || strict
                .other_problems
                .iter()
                .any(|p| p.severity == Severity::Error);
        problems.items.extend(strict.other_problems.iter().cloned());
        // Sheet-level errors (no kind, a bad default, two columns for one
        // field) stop a partial import too.
        let sheet_errors = problems.items.iter().any(|p| {
            p.severity == Severity::Error
                && (p.place.row.is_none()
                    || sheets.iter().any(|s| {
                        s.file == p.place.file
                            && s.index == p.place.sheet_index
                            && p.place.row == Some(s.header.row)
                    }))
        });
        let partial = self.opts.partial && problems.has_errors();
        if problems.has_errors() && (!self.opts.partial || fatal || sheet_errors) {
            let _ = write!(err, "{}", problems.render(&self.sources.files));
            let why = if self.opts.partial {
                msg!("import.partial.cannot")
            } else {
                msg!("import.errors.nothing_written")
            };
            let _ = writeln!(err, "{why}");
            return None;
        }
        let (kept, assembly) = if partial {
            self.leave_out(read, &mut bad_rows, problems)
        } else {
            (read.rows.iter().collect(), strict)
        };
        let orgs = orgs_of(&read.rows, &kept, &assembly.branch_of);
        if orgs.is_empty() {
            let _ = write!(err, "{}", problems.render(&self.sources.files));
            let _ = writeln!(err, "{}", msg!("import.no_row"));
            return None;
        }
        Some(Records {
            orgs,
            assembly,
            bad_rows,
            partial,
        })
    }

    /// With `--partial`: leave out the bad rows, then whatever rested on
    /// them (a later row's branch whose only definition was dropped…).
    fn leave_out<'r>(
        &self,
        read: &'r Read,
        bad_rows: &mut BTreeSet<u32>,
        problems: &mut Problems,
    ) -> (Vec<&'r OrgRow>, tree::Assembly) {
        let mut kept: Vec<&OrgRow> = read
            .rows
            .iter()
            .filter(|o| !bad_rows.contains(&o.row))
            .collect();
        let mut notes: Vec<Problem> = Vec::new();
        let mut assembly = tree::assemble(&self.tree_input(read, &kept, true));
        for _ in 0..50 {
            let newly: Vec<(u32, Problem)> = assembly
                .row_problems
                .iter()
                .filter(|(_, p)| p.severity == Severity::Error)
                .cloned()
                .collect();
            if newly.is_empty() {
                break;
            }
            for (row, p) in newly {
                if bad_rows.insert(row) {
                    notes.push(Problem {
                        severity: Severity::Warning,
                        message: msg!(
                            "import.partial.row_left_out",
                            row = OrgSheets::row_no(row),
                            why = p.message
                        ),
                        ..p
                    });
                }
            }
            kept.retain(|o| !bad_rows.contains(&o.row));
            assembly = tree::assemble(&self.tree_input(read, &kept, true));
        }
        for d in &assembly.dropped_forms {
            notes.push(Problem {
                severity: Severity::Warning,
                place: read.sheets.place(None, None),
                message: msg!("import.partial.form_dropped", what = d),
                help: Some(msg!("import.partial.form_dropped.help")),
            });
        }
        problems.items.extend(notes);
        (kept, assembly)
    }

    /// Names the sources in the header of the files written.
    pub(super) fn source_line(&self, read: &Read) -> String {
        let name_of = |r: super::records::SheetRef| {
            let file = std::path::Path::new(&self.sources.files[r.file])
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if r.csv {
                file
            } else {
                format!("{file}, sheet {}", r.sheet.name)
            }
        };
        let mut parts: Vec<String> = Vec::new();
        for (i, r) in read.sheets.0.iter().enumerate() {
            let same_file = i > 0 && read.sheets.0[i - 1].file == r.file && !r.csv;
            if same_file {
                let last = parts.pop().unwrap_or_default();
                parts.push(
                    last.replace(", sheet ", ", sheets ") + &format!(" and {}", r.sheet.name),
                );
            } else {
                parts.push(name_of(*r));
            }
        }
        let mut source = parts.join("; ");
        match read.tree_ref {
            Some(t) if read.sheets.0.iter().any(|s| s.file == t.file) && !t.csv => {
                source = source.replace(", sheet ", ", sheets ") + &format!(" and {}", t.sheet.name)
            }
            Some(t) => source = format!("{source}, and {}", name_of(t)),
            None => {}
        }
        source
    }
}

/// The organizations kept, ready to write. Ids follow the order of all
/// rows, so that rows left out by `--partial` leave gaps instead of
/// shifting the ids after them.
fn orgs_of(all: &[OrgRow], kept: &[&OrgRow], branch_of: &HashMap<u32, usize>) -> Vec<Org> {
    let with_kind: Vec<&OrgRow> = all.iter().filter(|o| o.kind.is_some()).collect();
    let ids: HashMap<u32, String> = with_kind
        .iter()
        .map(|o| o.row)
        .zip(rows::org_ids(&with_kind))
        .collect();
    kept.iter()
        .filter_map(|o| {
            Some(Org {
                row: o.row,
                id: ids.get(&o.row)?.clone(),
                name: o.name.clone()?,
                kind: o.kind?,
                township: o.township.clone(),
                in_park: o.in_park,
                industry: o.industry.clone(),
                employees: o.employees,
                party_members: o.party_members,
                status: o.status,
                branch: branch_of.get(&o.row).copied(),
                instructor: o.instructor,
                private: o.private.clone(),
            })
        })
        .collect()
}
