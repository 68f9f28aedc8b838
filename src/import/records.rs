//! The records of an import, between the cells and the YAML: a row of an
//! organizations' sheet, a row of the party organizations' sheet, and an
//! organization and a party organization ready to write; and how each is
//! named in messages (its sheet, its row, its cell).

use super::problem::Place;
use super::read::Sheet;
use crate::model::{Date, Form, Kind, Level, Status};

/// A sheet and how to name its cells.
#[derive(Clone, Copy)]
pub struct SheetRef<'a> {
    /// Which file, in the order given (the `--tree` file last).
    pub file: usize,
    pub sheet: &'a Sheet,
    pub index: usize,
    pub csv: bool,
}

impl SheetRef<'_> {
    pub fn place(&self, row: Option<u32>, col: Option<u32>) -> Place {
        Place {
            file: self.file,
            sheet_index: self.index,
            sheet: (!self.csv).then(|| self.sheet.name.clone()),
            row,
            col,
        }
    }

    pub fn at(&self, row: u32, col: u32) -> Place {
        self.place(Some(row), Some(col))
    }

    /// `sheet 党组织` or `the file`, in messages.
    pub fn describe(&self) -> String {
        if self.csv {
            crate::msg!("import.sheet.the_csv_file")
        } else {
            crate::msg!("import.sheet.named", name = self.sheet.name)
        }
    }
}

/// What the year folder allows: dates after `as_of` (or the year's end)
/// cannot be right.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    pub year: Option<i32>,
    pub as_of: Option<Date>,
}

/// A value and the column it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Val<T> {
    pub v: T,
    pub col: u32,
}

#[derive(Debug, Clone, Default)]
pub struct OrgRow {
    pub row: u32,
    pub id: Option<Val<String>>,
    pub name: Option<String>,
    pub name_col: u32,
    pub kind: Option<Kind>,
    pub township: Option<String>,
    pub in_park: Option<bool>,
    pub industry: Option<String>,
    pub employees: Option<u64>,
    pub party_members: Option<u64>,
    pub status: Option<Status>,
    pub instructor: Option<bool>,
    pub branch: Option<Val<String>>,
    pub branch_kind: Option<Val<(Option<Level>, Option<Form>)>>,
    pub branch_parent: Option<Val<String>>,
    pub branch_formed: Option<Val<Date>>,
    pub branch_members: Option<Val<u64>>,
    pub private: Vec<(String, String)>,
    /// Errors found in this row's own cells.
    pub errors: usize,
}

impl OrgRow {
    /// The column of a branch cell of this row, else that of its branch
    /// name, else 0: where a problem of the row's branch is pointed at.
    pub fn branch_col<T>(&self, cell: impl Fn(&OrgRow) -> Option<&Val<T>>) -> u32 {
        cell(self)
            .map(|v| v.col)
            .or(self.branch.as_ref().map(|b| b.col))
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
pub struct TreeRow {
    pub row: u32,
    pub id: Option<Val<String>>,
    pub name: String,
    pub name_col: u32,
    pub level: Option<Val<Level>>,
    pub form: Option<Val<Form>>,
    pub parent: Option<Val<String>>,
    pub formed: Option<Val<Date>>,
    pub members: Option<u64>,
}

/// An organization ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    pub row: u32,
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub township: Option<String>,
    pub in_park: Option<bool>,
    pub industry: Option<String>,
    pub employees: Option<u64>,
    pub party_members: Option<u64>,
    pub status: Option<Status>,
    /// Index into the branches.
    pub branch: Option<usize>,
    pub instructor: Option<bool>,
    pub private: Vec<(String, String)>,
}

/// A node of the party organizations' tree, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchNode {
    pub id: String,
    pub name: String,
    pub level: Level,
    pub parent: Option<usize>,
    pub form: Option<Form>,
    pub formed: Option<Date>,
    pub members: Option<u64>,
}

/// Rows of every organizations' sheet in one numbering (a *row key*): the
/// sheet's place among them above `ROW_BITS`, its 0-based row below. The
/// first sheet's keys are its rows, so one sheet reads as before.
const ROW_BITS: u32 = 21;

/// The organizations' sheets of one import, in order.
#[derive(Clone)]
pub struct OrgSheets<'a>(pub Vec<SheetRef<'a>>);

impl<'a> OrgSheets<'a> {
    pub fn key(nth: usize, row: u32) -> u32 {
        ((nth as u32) << ROW_BITS) | row
    }

    /// The sheet and the row of a row key.
    pub fn split(&self, key: u32) -> (SheetRef<'a>, u32) {
        let nth = (key >> ROW_BITS) as usize;
        (
            self.0[nth.min(self.0.len() - 1)],
            key & ((1 << ROW_BITS) - 1),
        )
    }

    /// The row as Excel numbers it.
    pub fn row_no(key: u32) -> u32 {
        (key & ((1 << ROW_BITS) - 1)) + 1
    }

    pub fn at(&self, key: u32, col: u32) -> Place {
        let (sheet, row) = self.split(key);
        sheet.at(row, col)
    }

    /// A whole row (`None`: the first sheet as a whole).
    pub fn place(&self, key: Option<u32>, col: Option<u32>) -> Place {
        match key {
            Some(k) => {
                let (sheet, row) = self.split(k);
                sheet.place(Some(row), col)
            }
            None => self.0[0].place(None, col),
        }
    }
}
