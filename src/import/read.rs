//! Reading a spreadsheet into plain grids of cells: .xlsx, .xlsm, .xls,
//! .xlsb and .ods through calamine, .csv (and tab-separated .txt/.tsv)
//! decoded from UTF-8 or GB18030.

use std::path::Path;

use calamine::{Data, Reader};

use super::text;
use crate::model::Date;
use crate::msg;

/// The largest spreadsheet read: a register of 100,000 rows fits in a few
/// MiB, and calamine holds the whole file in memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// One cell as the spreadsheet stored it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell with a date format; `Err` for a serial that is no day.
    Date(Result<Date, String>),
    /// An Excel error value such as `#VALUE!`.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => text::normalize(s).is_empty(),
            _ => false,
        }
    }

    /// How the cell reads, as text (numbers without a trailing `.0`).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => text::normalize(s),
            Cell::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", *v as i64),
            Cell::Number(v) => v.to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            Cell::Date(Ok(d)) => d.to_string(),
            Cell::Date(Err(_)) => "(a date)".into(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A block of merged cells, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    /// Cells by 0-based row and column, as Excel places them (row 0 is
    /// Excel's row 1).
    pub rows: Vec<Vec<Cell>>,
    pub merged: Vec<Region>,
}

impl Sheet {
    pub fn cell(&self, row: u32, col: u32) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
            .unwrap_or(&EMPTY)
    }

    /// The merged block holding (row, col), if any.
    pub fn region(&self, row: u32, col: u32) -> Option<&Region> {
        self.merged.iter().find(|r| {
            (r.first_row..=r.last_row).contains(&row) && (r.first_col..=r.last_col).contains(&col)
        })
    }

    /// The value shown at (row, col): a merged block shows its first cell's.
    pub fn shown(&self, row: u32, col: u32) -> &Cell {
        match self.region(row, col) {
            Some(r) => self.cell(r.first_row, r.first_col),
            None => self.cell(row, col),
        }
    }

    pub fn width(&self) -> u32 {
        self.rows.iter().map(Vec::len).max().unwrap_or(0) as u32
    }

    /// Blocks merged down one column (a joint branch's name over its
    /// organizations' rows) are read as if every cell held the value.
    /// Blocks across several columns (titles, notes) are left alone.
    fn fill_vertical_merges(&mut self) {
        let regions: Vec<Region> = self.merged.clone();
        for r in regions {
            if r.first_col != r.last_col || r.first_row == r.last_row {
                continue;
            }
            let value = self.cell(r.first_row, r.first_col).clone();
            for row in r.first_row + 1..=r.last_row {
                let Some(cells) = self.rows.get_mut(row as usize) else {
                    break;
                };
                let col = r.first_col as usize;
                if cells.len() <= col {
                    cells.resize(col + 1, Cell::Empty);
                }
                if cells[col].is_empty() {
                    cells[col] = value.clone();
                }
            }
        }
    }
}

#[derive(Debug)]
pub struct Workbook {
    /// CSV files have one sheet and no sheet name in cell references.
    pub csv: bool,
    pub sheets: Vec<Sheet>,
}

/// Reads every sheet of `path`. `Err` says why the file cannot be read.
pub fn read(path: &Path) -> Result<Workbook, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| msg!("import.file.cannot_read", file = path.display(), why = e))?;
    if !meta.is_file() {
        return Err(msg!("import.file.not_a_file", file = path.display()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(msg!(
            "import.file.too_big",
            file = path.display(),
            mib = meta.len() >> 20,
            max = MAX_FILE_BYTES >> 20
        ));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "tsv" | "txt" => {
            let bytes = std::fs::read(path)
                .map_err(|e| msg!("import.file.cannot_read", file = path.display(), why = e))?;
            let text = decode(&bytes).ok_or_else(|| {
                format!(
                    "{}\n  = {}: {}",
                    msg!("import.file.not_text", file = path.display()),
                    msg!("diag.help"),
                    msg!("import.file.not_text.help")
                )
            })?;
            Ok(Workbook {
                csv: true,
                sheets: vec![csv_sheet(&text, path)?],
            })
        }
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_book(path),
        _ => Err(format!(
            "{}\n  = {}: {}",
            msg!("import.file.not_a_spreadsheet", file = path.display()),
            msg!("diag.help"),
            msg!("import.file.not_a_spreadsheet.help")
        )),
    }
}

/// UTF-8 (with or without a byte-order mark), else GB18030 (a superset of
/// GBK and GB2312, what Excel writes for "CSV" on a Chinese Windows).
pub fn decode(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!had_errors).then(|| text.into_owned())
}

/// Lines looked at to tell the separator of a CSV file.
const HEADER_LINES: usize = 30;

fn csv_sheet(text: &str, path: &Path) -> Result<Sheet, String> {
    // The separator found most in the first lines (titles above the
    // header have none); a comma when in doubt.
    let head: Vec<&str> = text.lines().take(HEADER_LINES).collect();
    let count = |d: u8| {
        head.iter()
            .map(|l| l.bytes().filter(|&b| b == d).count())
            .sum::<usize>()
    };
    let delimiter =
        [b'\t', b';'].into_iter().fold(
            b',',
            |best, d| if count(d) > count(best) { d } else { best },
        );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
        rows.push(
            record
                .iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Sheet {
        name: String::new(),
        rows,
        merged: Vec::new(),
    })
}

fn read_book(path: &Path) -> Result<Workbook, String> {
    super::unzip::check(path)?;
    super::cfb::check(path)?;
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        msg!(
            "import.file.not_readable_book",
            file = path.display(),
            why = e
        )
    })?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    for name in names {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            // Chart sheets and the like hold no cells.
            Err(_) => continue,
        };
        let merged = match &mut book {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut sheet = Sheet {
            name,
            rows: Vec::new(),
            merged: merged
                .iter()
                .map(|d| Region {
                    first_row: d.start.0,
                    first_col: d.start.1,
                    last_row: d.end.0,
                    last_col: d.end.1,
                })
                .collect(),
        };
        if let Some((r0, c0)) = range.start() {
            sheet.rows = vec![Vec::new(); r0 as usize];
            for row in range.rows() {
                let mut cells = vec![Cell::Empty; c0 as usize];
                cells.extend(row.iter().map(cell));
                while cells.last().is_some_and(Cell::is_empty) {
                    cells.pop();
                }
                sheet.rows.push(cells);
            }
        }
        sheet.fill_vertical_merges();
        sheets.push(sheet);
    }
    Ok(Workbook { csv: false, sheets })
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let v = dt.as_f64();
            if !(0.0..2_958_466.0).contains(&v) || v < 1.0 {
                Cell::Date(Err(msg!("import.why.not_a_date")))
            } else {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                let date = Date {
                    year: i32::from(y),
                    month: u32::from(m),
                    day: u32::from(d),
                };
                Cell::Date(
                    Date::parse(&date.to_string()).ok_or_else(|| msg!("import.why.no_such_day")),
                )
            }
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_and_gb18030() {
        assert_eq!(decode("单位名称".as_bytes()).as_deref(), Some("单位名称"));
        let (gb, _, _) = encoding_rs::GB18030.encode("单位名称,类型");
        assert_eq!(decode(&gb).as_deref(), Some("单位名称,类型"));
        assert_eq!(decode(b"\xef\xbb\xbfA").as_deref(), Some("A"));
    }
}
