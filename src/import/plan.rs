//! Phase 6a of an import: the registers about to be written, compared with
//! the files already in the year folder — what is added, removed and
//! changed — and whether the import may replace them (`--force`). This is
//! the one place where the new registers meet the old ones before
//! anything is written: a check that needs both (such as values the new
//! files would lose) belongs in [`Plan::refuse`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::write::{self, Texts};
use super::Options;
use crate::msg;

/// What writing the registers would change.
pub struct Plan {
    pub org_path: PathBuf,
    pub branch_path: PathBuf,
    /// The changes per file, as printed.
    pub diffs: String,
    /// The register files already there.
    pub existing: Vec<PathBuf>,
}

impl Plan {
    pub fn new(into: &Path, texts: &Texts) -> Plan {
        let org_path = into.join("organizations.yaml");
        let branch_path = into.join("branches.yaml");
        let mut diffs = String::new();
        let mut existing = Vec::new();
        for (path, text, key) in [
            (&org_path, &texts.organizations, "organizations"),
            (&branch_path, &texts.branches, "branches"),
        ] {
            let Ok(old) = std::fs::read_to_string(path) else {
                if path.exists() {
                    existing.push(path.clone());
                    let _ = writeln!(
                        diffs,
                        "{}",
                        msg!("import.plan.not_text", file = path.display())
                    );
                }
                continue;
            };
            existing.push(path.clone());
            let new = write::records(path, text, key).unwrap_or_default();
            match write::records(path, &old, key) {
                Some(old) => {
                    diffs.push_str(&write::diff(&old, &new).render(&path.display().to_string(), 20))
                }
                None => {
                    let _ = writeln!(
                        diffs,
                        "{}",
                        msg!(
                            "import.plan.not_a_list",
                            file = path.display(),
                            key = key,
                            n = new.len()
                        )
                    );
                }
            }
        }
        Plan {
            org_path,
            branch_path,
            diffs,
            existing,
        }
    }

    /// The exit code when the import may not replace the files there
    /// (printed), `None` when it may write.
    pub fn refuse(
        &self,
        opts: &Options,
        out: &mut dyn std::io::Write,
        err: &mut dyn std::io::Write,
    ) -> Option<u8> {
        if self.existing.is_empty() || opts.force {
            return None;
        }
        let _ = write!(out, "{}", self.diffs);
        let names: Vec<String> = self
            .existing
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let files = names.join(" and ");
        let (message, help) = if names.len() == 1 {
            (
                msg!("import.plan.exists.one", files = files),
                msg!("import.plan.exists.one.help"),
            )
        } else {
            (
                msg!("import.plan.exists.many", files = files),
                msg!("import.plan.exists.many.help"),
            )
        };
        let _ = writeln!(
            err,
            "{}: {message}\n  = {}: {help}",
            msg!("diag.error"),
            msg!("diag.help")
        );
        Some(2)
    }
}
