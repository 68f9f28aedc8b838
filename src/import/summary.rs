//! What an import says when it has written: what it read, which column
//! became which field, what changed, what it wrote.

use std::path::PathBuf;

use super::headers::{Header, OrgField};
use super::plan::Plan;
use super::records::SheetRef;
use super::sources::{OrgSheet, TreeSheet};
use super::{Import, Read, Records, REPORT_FILE};
use crate::model::{Level, Status};
use crate::msg;

pub fn print(out: &mut dyn std::io::Write, lines: &[String]) {
    for l in lines {
        let _ = write!(out, "{l}");
        if !l.ends_with('\n') {
            let _ = writeln!(out);
        }
    }
}

fn describe_sheet<F>(sheet: SheetRef, header: &Header<F>) -> String {
    let rows = msg!(
        "import.summary.rows",
        header = header.row + 1,
        last = sheet.sheet.rows.len()
    );
    if sheet.csv {
        rows
    } else {
        msg!(
            "import.summary.sheet",
            sheet = sheet.sheet.name,
            rows = rows
        )
    }
}

impl Import<'_> {
    pub(super) fn summary(
        &self,
        read: &Read,
        sheets: &[OrgSheet],
        tree: Option<&TreeSheet>,
        records: &Records,
        plan: &Plan,
        files: &[(PathBuf, String)],
    ) -> Vec<String> {
        let mut lines = self.read_lines(read, sheets, tree);
        let mut columns: Vec<String> = Vec::new();
        for s in sheets {
            for (_, t, f) in &s.header.columns {
                let Some(f) = f.as_ref().filter(|f| **f != OrgField::Ignore) else {
                    continue;
                };
                let c = format!("{t}→{}", f.name());
                if !columns.contains(&c) {
                    columns.push(c);
                }
            }
        }
        lines.push(msg!("import.summary.columns", columns = columns.join(", ")));
        if !plan.diffs.is_empty() {
            lines.push(plan.diffs.clone());
        }
        let orgs = &records.orgs;
        let active = orgs
            .iter()
            .filter(|o| o.status.unwrap_or(Status::Active) == Status::Active)
            .count();
        lines.push(msg!(
            "import.summary.wrote_orgs",
            file = plan.org_path.display(),
            n = orgs.len(),
            active = active
        ));
        let nodes = &records.assembly.nodes;
        let n = |l: Level| nodes.iter().filter(|b| b.level == l).count();
        let (wc, cm, gb, br) = (
            n(Level::WorkCommittee),
            n(Level::Committee),
            n(Level::GeneralBranch),
            n(Level::Branch),
        );
        let by_level = [
            if wc == 1 {
                msg!("import.summary.work_committee", n = wc)
            } else {
                msg!("import.summary.work_committees", n = wc)
            },
            if cm == 1 {
                msg!("import.summary.committee", n = cm)
            } else {
                msg!("import.summary.committees", n = cm)
            },
            if gb == 1 {
                msg!("import.summary.general_branch", n = gb)
            } else {
                msg!("import.summary.general_branches", n = gb)
            },
            if br == 1 {
                msg!("import.summary.branch", n = br)
            } else {
                msg!("import.summary.branches", n = br)
            },
        ];
        lines.push(msg!(
            "import.summary.wrote_nodes",
            file = plan.branch_path.display(),
            n = nodes.len(),
            levels = by_level.join(", ")
        ));
        let metrics = self.opts.into.join("metrics.yaml");
        if files.iter().any(|(p, _)| *p == metrics) {
            let year = self.limits.year.unwrap_or(0);
            lines.push(msg!(
                "import.summary.wrote_metrics",
                file = metrics.display(),
                year = year
            ));
        }
        if records.partial {
            let report = self.opts.into.join(REPORT_FILE);
            lines.push(msg!(
                "import.summary.wrote_report",
                file = report.display(),
                n = records.bad_rows.len()
            ));
        }
        let secs = format!("{:.2}", self.started.elapsed().as_secs_f64());
        lines.push(msg!("import.summary.took", seconds = secs));
        lines
    }

    /// One line per organizations' sheet; the tree sheet on the last.
    fn read_lines(
        &self,
        read: &Read,
        sheets: &[OrgSheet],
        tree: Option<&TreeSheet>,
    ) -> Vec<String> {
        let tree_line = tree.map(|t| {
            let file = if Some(t.file) == self.sources.tree_file {
                format!("{}: ", self.sources.files[t.file])
            } else {
                String::new()
            };
            msg!(
                "import.summary.tree",
                file = file,
                sheet = describe_sheet(self.sources.sheet(t.file, t.index), &t.header),
                n = read.tree_rows.len()
            )
        });
        let mut lines = Vec::new();
        for (nth, s) in sheets.iter().enumerate() {
            let sheet = read.sheets.0[nth];
            let rows = read
                .rows
                .iter()
                .filter(|o| {
                    let (r, _) = read.sheets.split(o.row);
                    r.file == s.file && r.index == s.index
                })
                .count();
            let kind = match &s.kind {
                Some((k, from)) if s.header.find(&OrgField::Kind).is_none() => {
                    msg!(
                        "import.summary.kind",
                        kind = k.as_str(),
                        from = from.describe()
                    )
                }
                _ => String::new(),
            };
            let tree = if nth + 1 == sheets.len() {
                tree_line.clone().unwrap_or_default()
            } else {
                String::new()
            };
            lines.push(msg!(
                "import.summary.read",
                file = self.sources.files[s.file],
                sheet = describe_sheet(sheet, &s.header),
                n = rows,
                kind = kind,
                tree = tree
            ));
        }
        lines
    }
}
