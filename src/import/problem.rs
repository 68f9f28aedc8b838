//! Problems with a spreadsheet, each named by the cell a user would click
//! on: `台账.xlsx!Sheet1!D17`.

use std::fmt::Write as _;

use super::text::column_letters;
use crate::diagnostics::{summary, Severity};

/// Where a problem is: a cell, a whole row, a whole sheet or the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Place {
    /// Which file: 0 the register, 1 the file of `--tree`.
    pub file: usize,
    /// Position of the sheet in the workbook, for ordering.
    pub sheet_index: usize,
    /// `None` for a CSV file, which has no sheet names.
    pub sheet: Option<String>,
    /// 0-based row, 0-based column.
    pub row: Option<u32>,
    pub col: Option<u32>,
}

impl Place {
    /// `台账.xlsx!Sheet1!D17`, `台账.csv!D17`, `台账.xlsx!Sheet1!17` (a row),
    /// `台账.xlsx!Sheet1` (the sheet).
    pub fn display(&self, files: &[String]) -> String {
        let mut out = files.get(self.file).cloned().unwrap_or_default();
        if let Some(sheet) = &self.sheet {
            let _ = write!(out, "!{sheet}");
        }
        match (self.row, self.col) {
            (Some(r), Some(c)) => {
                let _ = write!(out, "!{}{}", column_letters(c), r + 1);
            }
            (Some(r), None) => {
                let _ = write!(out, "!{}", r + 1);
            }
            (None, Some(c)) => {
                let _ = write!(out, "!{}", column_letters(c));
            }
            (None, None) => {}
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub place: Place,
    pub message: String,
    pub help: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct Problems {
    pub items: Vec<Problem>,
}

impl Problems {
    pub fn error(&mut self, place: Place, message: impl Into<String>, help: impl Into<String>) {
        self.push(Severity::Error, place, message.into(), help.into());
    }

    pub fn warning(&mut self, place: Place, message: impl Into<String>, help: impl Into<String>) {
        self.push(Severity::Warning, place, message.into(), help.into());
    }

    fn push(&mut self, severity: Severity, place: Place, message: String, help: String) {
        self.items.push(Problem {
            severity,
            place,
            message,
            help: (!help.is_empty()).then_some(help),
        });
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|p| p.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Every problem, errors first, each group in the order of the cells
    /// (sheet, row, column), then a count line.
    pub fn render(&self, files: &[String]) -> String {
        let mut items: Vec<&Problem> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (a.severity, &a.place, &a.message).cmp(&(b.severity, &b.place, &b.message))
        });
        items.dedup();
        let mut out = String::new();
        for p in &items {
            let kind = match p.severity {
                Severity::Error => crate::msg!("diag.error"),
                Severity::Warning => crate::msg!("diag.warning"),
            };
            let _ = writeln!(out, "{}: {kind}: {}", p.place.display(files), p.message);
            if let Some(help) = &p.help {
                let help_word = crate::msg!("diag.help");
                let _ = writeln!(
                    out,
                    "  = {help_word}: {}",
                    help.replace('\n', "\n          ")
                );
            }
            out.push('\n');
        }
        let n = |s: Severity| items.iter().filter(|p| p.severity == s).count();
        let (e, w) = (n(Severity::Error), n(Severity::Warning));
        if e + w > 0 {
            let _ = writeln!(out, "{}", summary(e, w));
        }
        out
    }
}
