//! Cells to values: each cell of a register read for its field, and the
//! cell named when it cannot be (what it holds, what to type instead).

use std::collections::HashMap;

use super::mapfile::MapFile;
use super::problem::Problems;
use super::read::Cell;
use super::records::{Limits, SheetRef, Val};
use super::text;
use crate::diagnostics::did_you_mean;
use crate::model::{Date, Kind, Status};
use crate::msg;
use crate::vocabulary;

/// The longest text `check` accepts in a field (resolve's cap on names,
/// townships and industries).
const MAX_TEXT_CHARS: usize = 2_000;

/// Reads the cells of one sheet, reporting each that cannot be read.
pub struct Reader<'a> {
    pub sheet: SheetRef<'a>,
    pub map: &'a MapFile,
    pub limits: Limits,
    pub problems: &'a mut Problems,
    /// Header text per column, for messages.
    pub headers: HashMap<u32, String>,
    /// Errors reported since the row began.
    pub errors: usize,
}

impl<'a> Reader<'a> {
    pub fn new(
        sheet: SheetRef<'a>,
        map: &'a MapFile,
        limits: Limits,
        headers: HashMap<u32, String>,
        problems: &'a mut Problems,
    ) -> Self {
        Reader {
            sheet,
            map,
            limits,
            problems,
            headers,
            errors: 0,
        }
    }

    pub fn header(&self, col: u32) -> String {
        self.headers.get(&col).cloned().unwrap_or_default()
    }

    pub fn error(&mut self, row: u32, col: u32, message: String, help: impl Into<String>) {
        self.errors += 1;
        self.problems.error(self.sheet.at(row, col), message, help);
    }

    pub fn warning(&mut self, row: u32, col: u32, message: String, help: impl Into<String>) {
        self.problems
            .warning(self.sheet.at(row, col), message, help);
    }

    pub fn cell(&self, row: u32, col: u32) -> &'a Cell {
        self.sheet.sheet.cell(row, col)
    }

    /// The cell as text, `None` when blank. Excel errors are reported.
    pub fn text(&mut self, row: u32, col: u32, field: &str) -> Option<String> {
        let cell = self.cell(row, col);
        if cell.is_empty() {
            return None;
        }
        if let Cell::Error(e) = cell {
            let h = self.header(col);
            self.error(
                row,
                col,
                msg!("import.cell.excel_error", header = h, value = e),
                msg!("import.cell.excel_error.help"),
            );
            return None;
        }
        let t = cell.display();
        let t = self.map.translate(field, &t).into_owned();
        Some(text::normalize(&t))
    }

    /// A text field, capped at the length the site allows.
    pub fn plain(&mut self, row: u32, col: u32, field: &str) -> Option<String> {
        let t = self.text(row, col, field)?;
        if t.len() > MAX_TEXT_CHARS && t.chars().count() > MAX_TEXT_CHARS {
            let h = self.header(col);
            self.error(
                row,
                col,
                msg!(
                    "import.cell.too_long",
                    header = h,
                    chars = t.chars().count(),
                    max = MAX_TEXT_CHARS
                ),
                msg!("import.cell.too_long.help"),
            );
            return None;
        }
        Some(t)
    }

    pub fn count(&mut self, row: u32, col: u32) -> Option<u64> {
        let cell = self.cell(row, col);
        let result = match cell {
            Cell::Number(v) => text::count_number(*v),
            Cell::Date(_) => Err(msg!("import.why.date_format")),
            Cell::Bool(_) => Err(msg!("import.why.true_false")),
            _ => text::count(&self.text(row, col, "")?),
        };
        match result {
            Ok(n) => Some(n),
            Err(why) => {
                let h = self.header(col);
                let shown = cell.display();
                // Words around a number, or a number in words: say which
                // digits to type.
                let worded = matches!(cell, Cell::Text(_))
                    && shown.chars().any(|c| !c.is_ascii() && !c.is_whitespace());
                let hint = text::count_hint(&shown).filter(|_| worded);
                let help = match hint {
                    Some(n) => msg!("import.cell.count.help_typed", value = shown, number = n),
                    None => msg!("import.cell.count.help"),
                };
                self.error(
                    row,
                    col,
                    msg!("import.cell.bad", header = h, value = shown, why = why),
                    help,
                );
                None
            }
        }
    }

    pub fn date(&mut self, row: u32, col: u32) -> Option<Date> {
        let cell = self.cell(row, col);
        let result = match cell {
            Cell::Date(d) => d.clone(),
            Cell::Number(v) if (1900.0..=2999.0).contains(v) && v.fract() == 0.0 => {
                Err(msg!("import.why.a_year"))
            }
            Cell::Number(v) => match text::month_number(*v) {
                Some(d) => return self.month(row, col, d),
                None => text::serial(*v),
            },
            Cell::Bool(_) => Err(msg!("import.why.true_false")),
            _ => {
                let t = self.text(row, col, "")?;
                match (text::date(&t), text::month(&t)) {
                    (Err(_), Some(d)) => return self.month(row, col, d),
                    (r, _) => r,
                }
            }
        };
        match result {
            Ok(d) => self.not_late(row, col, d),
            Err(why) => {
                let h = self.header(col);
                let why = if why.is_empty() {
                    msg!("import.why.not_a_date")
                } else {
                    why
                };
                self.error(
                    row,
                    col,
                    msg!(
                        "import.cell.bad",
                        header = h,
                        value = cell.display(),
                        why = why
                    ),
                    msg!("import.cell.date.help"),
                );
                None
            }
        }
    }

    /// A date given to the month: the first of the month, said so.
    fn month(&mut self, row: u32, col: u32, d: Date) -> Option<Date> {
        let d = self.not_late(row, col, d)?;
        let h = self.header(col);
        let shown = self.cell(row, col).display();
        let day = format!("{}年{}月1日", d.year, d.month);
        self.warning(
            row,
            col,
            msg!(
                "import.cell.month_only",
                header = h,
                value = shown,
                date = d
            ),
            msg!("import.cell.month_only.help", date = d, day = day),
        );
        Some(d)
    }

    /// A date after the year's `as_of` (or its end) cannot be right.
    fn not_late(&mut self, row: u32, col: u32, d: Date) -> Option<Date> {
        let late = match (self.limits.as_of, self.limits.year) {
            (Some(a), _) if d > a => Some(msg!("import.cell.late.as_of", date = a)),
            (None, Some(y)) if d.year > y => Some(msg!("import.cell.late.year", year = y)),
            _ => None,
        };
        if let Some(limit) = late {
            let h = self.header(col);
            self.error(
                row,
                col,
                msg!("import.cell.late", header = h, date = d, limit = limit),
                msg!("import.cell.late.help"),
            );
            return None;
        }
        Some(d)
    }

    pub fn yes_no(&mut self, row: u32, col: u32, field: &str) -> Option<bool> {
        if let Cell::Bool(b) = self.cell(row, col) {
            return Some(*b);
        }
        let t = self.text(row, col, field)?;
        let v = text::yes_no(&t);
        if v.is_none() {
            let h = self.header(col);
            self.error(
                row,
                col,
                msg!("import.cell.not_yes_no", header = h, value = t),
                msg!("import.cell.expected", values = text::yes_no_words()),
            );
        }
        v
    }

    pub fn keyword<T>(
        &mut self,
        row: u32,
        col: u32,
        field: &str,
        parse: impl Fn(&str) -> Option<T>,
        expected: &str,
        candidates: &[&str],
    ) -> Option<T> {
        let t = self.text(row, col, field)?;
        let v = parse(&t);
        if v.is_none() {
            let h = self.header(col);
            let hint = did_you_mean(&t, candidates.iter().copied())
                .map(|s| msg!("import.did_you_mean", name = s))
                .unwrap_or_default();
            self.error(
                row,
                col,
                msg!("import.cell.unknown_value", header = h, value = t),
                msg!(
                    "import.cell.unknown_value.help",
                    hint = hint,
                    expected = expected,
                    field = field,
                    value = t
                ),
            );
        }
        v
    }

    pub fn id(&mut self, row: u32, col: u32) -> Option<Val<String>> {
        let t = self.text(row, col, "id")?.to_ascii_lowercase();
        let ok = t.len() <= 64
            && t.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && t.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            let h = self.header(col);
            self.error(
                row,
                col,
                msg!("import.cell.bad_id", header = h, value = t),
                msg!("import.cell.bad_id.help"),
            );
            return None;
        }
        Some(Val { v: t, col })
    }
}

/// The words "did you mean" suggests for a cell of each keyword column.
pub fn kind_words() -> Vec<&'static str> {
    vocabulary::suggestions(vocabulary::KINDS, Kind::as_str)
}

pub fn status_words() -> Vec<&'static str> {
    vocabulary::suggestions(vocabulary::STATUSES, Status::as_str)
}

pub fn party_words() -> Vec<&'static str> {
    let mut out = vocabulary::suggestions(vocabulary::FORMS, |_| "");
    out.retain(|w| !w.is_empty());
    out.extend([
        "党支部",
        "联合党支部",
        "党总支部",
        "党委",
        "工委",
        "single",
        "joint",
    ]);
    out
}

/// What a default of the mapping file gives for `field` (already checked).
pub fn default_of<T>(map: &MapFile, field: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    map.defaults.get(field).and_then(|v| parse(v))
}
