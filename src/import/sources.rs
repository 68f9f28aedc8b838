//! The first two phases of an import: read every file given (and the
//! `--tree` file), then recognise in them the organizations' sheets (each
//! with its header row and its kind) and the party organizations' sheet.

use std::path::Path;

use super::headers::{self, Header, OrgField, TreeField};
use super::kind;
use super::mapfile::MapFile;
use super::read::{self, Workbook};
use super::records::SheetRef;
use super::{usage, Options, Stop};
use crate::diagnostics::did_you_mean;
use crate::model::Kind;
use crate::msg;

/// The files of an import, read.
pub struct Sources {
    /// One per file given, then the `--tree` file.
    pub books: Vec<Workbook>,
    /// The files as named in messages: the paths as given.
    pub files: Vec<String>,
    /// Where the `--tree` file is among them.
    pub tree_file: Option<usize>,
}

/// An organizations' sheet: where it is, its header row, and the mapping
/// it is read with (the mapping file's, with the sheet's kind as the
/// default of `kind`).
pub struct OrgSheet {
    pub file: usize,
    pub index: usize,
    pub header: Header<OrgField>,
    pub map: MapFile,
    /// The kind every row takes unless a 类型 cell says otherwise.
    pub kind: Option<(Kind, kind::From)>,
}

/// The party organizations' sheet.
pub struct TreeSheet {
    pub file: usize,
    pub index: usize,
    pub header: Header<TreeField>,
}

impl Sources {
    pub fn read(opts: &Options) -> Result<Sources, Stop> {
        let mut books = Vec::new();
        let mut files = Vec::new();
        for f in opts.files.iter().copied().chain(opts.tree) {
            books.push(read::read(f).map_err(usage)?);
            files.push(f.display().to_string());
        }
        let tree_file = opts.tree.map(|_| books.len() - 1);
        Ok(Sources {
            books,
            files,
            tree_file,
        })
    }

    pub fn sheet(&self, file: usize, index: usize) -> SheetRef<'_> {
        let book = &self.books[file];
        SheetRef {
            file,
            sheet: &book.sheets[index],
            index,
            csv: book.csv,
        }
    }

    /// The registers' files (not the `--tree` file).
    fn registers(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.books.len()).filter(|f| Some(*f) != self.tree_file)
    }

    fn sheet_named(&self, file: usize, name: &str, what: &str) -> Result<usize, Stop> {
        let book = &self.books[file];
        let shown = &self.files[file];
        if let Some(i) = book.sheets.iter().position(|s| s.name == name) {
            return Ok(i);
        }
        if book.csv {
            return Err(usage(msg!(
                "import.sheet.csv_has_none",
                file = shown,
                name = name,
                what = what
            )));
        }
        let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
        let hint = did_you_mean(name, names.iter().copied())
            .map(|s| msg!("import.did_you_mean", name = s))
            .unwrap_or_default();
        Err(usage(msg!(
            "import.sheet.none",
            file = shown,
            name = name,
            what = what,
            hint = hint,
            sheets = names.join(", ")
        )))
    }

    /// Every organizations' sheet of every register file: the sheet
    /// `--sheet` (or the mapping file) names, else each sheet with a
    /// header row that is not a party organizations' sheet.
    pub fn org_sheets(&self, opts: &Options, map: &MapFile) -> Result<Vec<OrgSheet>, Stop> {
        let wanted = opts.sheet.map(str::to_string).or(map.sheet.clone());
        let mut out = Vec::new();
        for file in self.registers() {
            let book = &self.books[file];
            let candidates: Vec<usize> = match &wanted {
                Some(name) => vec![self.sheet_named(file, name, "--sheet")?],
                None => (0..book.sheets.len()).collect(),
            };
            let before = out.len();
            for &i in &candidates {
                let sheet = &book.sheets[i];
                let Some(header) = headers::org_header(sheet, map.header_row, &map.columns) else {
                    continue;
                };
                if wanted.is_none() {
                    let as_tree = headers::tree_header(sheet, None, &map.tree_columns);
                    if as_tree.is_some_and(|t| headers::looks_like_tree(sheet, &t)) {
                        continue;
                    }
                }
                let kind = sheet_kind(opts, map, sheet, &header, Path::new(&self.files[file]));
                let mut map = map.clone();
                if let Some((k, _)) = &kind {
                    map.defaults.insert("kind".into(), k.as_str().into());
                }
                out.push(OrgSheet {
                    file,
                    index: i,
                    header,
                    map,
                    kind,
                });
            }
            if out.len() == before {
                return Err(self.no_header(file, &candidates));
            }
        }
        Ok(out)
    }

    fn no_header(&self, file: usize, candidates: &[usize]) -> Stop {
        let book = &self.books[file];
        let place = if book.csv {
            self.files[file].clone()
        } else {
            let names: Vec<&str> = candidates
                .iter()
                .map(|&i| book.sheets[i].name.as_str())
                .collect();
            format!("{}!{}", self.files[file], names.join(", "))
        };
        Stop(
            1,
            format!(
                "{place}: {}: {}\n  = {}: {}\n\n{}\n",
                msg!("diag.error"),
                msg!("import.sheet.no_header", rows = headers::HEADER_SEARCH_ROWS),
                msg!("diag.help"),
                msg!("import.sheet.no_header.help"),
                msg!("import.nothing_written")
            ),
        )
    }

    /// The party organizations' sheet, if there is one: in the `--tree`
    /// file, the sheet the mapping file names, or a sheet of a register
    /// file that looks like one.
    pub fn tree_sheet(&self, map: &MapFile, orgs: &[OrgSheet]) -> Result<Option<TreeSheet>, Stop> {
        let found = |file: usize, i: usize| {
            headers::tree_header(
                &self.books[file].sheets[i],
                map.tree_header_row,
                &map.tree_columns,
            )
            .map(|header| TreeSheet {
                file,
                index: i,
                header,
            })
        };
        if let Some(file) = self.tree_file {
            let book = &self.books[file];
            let named = |i: &usize| {
                map.tree_sheet
                    .as_ref()
                    .is_none_or(|n| *n == book.sheets[*i].name)
            };
            return match (0..book.sheets.len())
                .filter(named)
                .find_map(|i| found(file, i))
            {
                Some(t) => Ok(Some(t)),
                None => Err(self.no_tree_header(&self.files[file], true)),
            };
        }
        if let Some(name) = &map.tree_sheet {
            let file = self.registers().next().unwrap_or(0);
            if self.books[file].csv {
                return Ok(None);
            }
            let i = self.sheet_named(file, name, &msg!("import.sheet.what_tree_sheet"))?;
            return match found(file, i) {
                Some(t) => Ok(Some(t)),
                None => Err(self.no_tree_header(&format!("{}!{name}", self.files[file]), false)),
            };
        }
        for file in self.registers() {
            for i in 0..self.books[file].sheets.len() {
                if orgs.iter().any(|o| o.file == file && o.index == i) {
                    continue;
                }
                if let Some(t) = found(file, i) {
                    if headers::looks_like_tree(&self.books[file].sheets[i], &t.header) {
                        return Ok(Some(t));
                    }
                }
            }
        }
        Ok(None)
    }

    fn no_tree_header(&self, place: &str, nothing_written: bool) -> Stop {
        let tail = if nothing_written {
            format!("\n{}\n", msg!("import.nothing_written"))
        } else {
            String::new()
        };
        Stop(
            1,
            format!(
                "{place}: {}: {}\n  = {}: {}\n{tail}",
                msg!("diag.error"),
                msg!(
                    "import.sheet.no_tree_header",
                    rows = headers::HEADER_SEARCH_ROWS
                ),
                msg!("diag.help"),
                msg!("import.sheet.no_tree_header.help"),
            ),
        )
    }
}

/// The kind of a whole sheet: `--kind`, the mapping file's default, then
/// what the ledger says (title, sheet name, file name).
fn sheet_kind(
    opts: &Options,
    map: &MapFile,
    sheet: &read::Sheet,
    header: &Header<OrgField>,
    file: &Path,
) -> Option<(Kind, kind::From)> {
    if let Some(k) = opts.kind {
        return Some((k, kind::From::Flag));
    }
    if let Some(k) = map.defaults.get("kind").and_then(|v| super::text::kind(v)) {
        return Some((k, kind::From::Map));
    }
    kind::of_sheet(sheet, header.row, file)
}
