//! `nianbao import`: registers kept as spreadsheets (台账) → the data
//! files `organizations.yaml` and `branches.yaml` (README.md, "Data format").
//!
//! The phases, each its own function of [`Import::go`]:
//! 1. read every file (calamine, CSV) — [`sources`];
//! 2. recognise the header rows, which column is which field, and each
//!    sheet's kind — [`sources`], [`headers`], [`kind`];
//! 3. read the rows into records, each value with its cell — [`rows`],
//!    [`cells`];
//! 4. build the party organizations' tree (a top made when the ledger has
//!    no tree sheet) and give ids — [`tree`];
//! 5. validate what would be written as `check` would, in memory, and
//!    report it cell by cell — [`validate`];
//! 6. compare with the files there ([`plan`]) and write all or none —
//!    [`write`].
//!
//! Every problem names its cell (`台账.xlsx!Sheet1!D17`); with any error
//! nothing is written, unless `--partial`, which writes the good rows and
//! a report of the rest.

mod assemble;
pub mod cells;
mod cfb;
pub mod headers;
pub mod kind;
pub mod mapfile;
pub mod plan;
pub mod private;
pub mod problem;
pub mod read;
pub mod records;
pub mod rows;
pub mod sources;
pub mod summary;
pub mod text;
pub mod tree;
pub mod unzip;
pub mod validate;
pub mod write;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostics, Severity};
use crate::load::yaml::{self, Value};
use crate::model::{Date, Kind};
use crate::msg;
use headers::{Header, OrgField, TreeField};
use problem::Problems;
use records::{Limits, Org, OrgRow, OrgSheets, SheetRef, TreeRow};
use sources::{OrgSheet, Sources, TreeSheet};
use tree::{Assembly, TreeInput};

pub struct Options<'a> {
    /// The registers: one or more spreadsheets.
    pub files: Vec<&'a Path>,
    pub into: &'a Path,
    pub sheet: Option<&'a str>,
    pub map: Option<&'a Path>,
    pub force: bool,
    pub partial: bool,
    /// The party organizations from another file (a CSV register has no
    /// second sheet).
    pub tree: Option<&'a Path>,
    /// The kind of every row no 类型 cell gives (`--kind`).
    pub kind: Option<Kind>,
    /// The work committee over the parents when there is no tree sheet
    /// (`--top`; else named from site.yaml).
    pub top: Option<&'a str>,
    /// Replace registers even though private fields they hold would be lost.
    pub drop_private: bool,
}

/// The name of the report `--partial` writes into the year folder.
pub const REPORT_FILE: &str = "import-report.txt";

/// Runs an import, printing the summary to `out` and problems to `err`;
/// returns the exit code: 0 written, 1 the spreadsheet (or the mapping
/// file) has errors and nothing was written, 2 a usage or file error.
pub fn run(opts: &Options, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> u8 {
    if let Some(content) = validate::content_of(opts.into) {
        crate::messages::from_site(&content);
    }
    match Import::new(opts).and_then(|mut i| i.go(out, err)) {
        Ok(code) => code,
        Err(Stop(code, message)) => {
            if !message.is_empty() {
                let _ = write!(err, "{message}");
                if !message.ends_with('\n') {
                    let _ = writeln!(err);
                }
            }
            code
        }
    }
}

/// An import stopped early: the exit code and what to print.
pub struct Stop(pub u8, pub String);

pub fn usage(message: impl Into<String>) -> Stop {
    Stop(2, format!("{}: {}", msg!("diag.error"), message.into()))
}

struct Import<'a> {
    opts: &'a Options<'a>,
    map: mapfile::MapFile,
    sources: Sources,
    /// When the import began, before the spreadsheet was read.
    started: std::time::Instant,
    limits: Limits,
    /// The work committee over the parents when there is no tree sheet.
    top: Option<String>,
}

/// The rows read, and what became of them.
struct Read<'s> {
    sheets: OrgSheets<'s>,
    rows: Vec<OrgRow>,
    tree_ref: Option<SheetRef<'s>>,
    tree_rows: Vec<TreeRow>,
}

/// The records to write.
struct Records {
    orgs: Vec<Org>,
    assembly: Assembly,
    /// Rows left out (`--partial`), by row key.
    bad_rows: BTreeSet<u32>,
    partial: bool,
}

impl<'a> Import<'a> {
    /// Phase 1: read the mapping file and every spreadsheet.
    fn new(opts: &'a Options<'a>) -> Result<Self, Stop> {
        let started = std::time::Instant::now();
        let mut map = mapfile::MapFile::default();
        if let Some(path) = opts.map {
            let mut diags = Diagnostics::default();
            match mapfile::read(path, &mut diags) {
                Some(m) => map = m,
                None => {
                    return Err(Stop(
                        1,
                        format!("{}{}\n", diags.render(), msg!("import.map.fix_first")),
                    ))
                }
            }
        }
        let sources = Sources::read(opts)?;
        Ok(Import {
            opts,
            map,
            sources,
            started,
            limits: limits_of(opts.into),
            top: opts
                .top
                .map(str::to_string)
                .or_else(|| validate::top_from_site(opts.into)),
        })
    }

    fn go(
        &mut self,
        out: &mut dyn std::io::Write,
        err: &mut dyn std::io::Write,
    ) -> Result<u8, Stop> {
        // Phase 2: which sheets, which columns, which kind.
        let org_sheets = self.sources.org_sheets(self.opts, &self.map)?;
        let tree_sheet = self.sources.tree_sheet(&self.map, &org_sheets)?;
        let mut problems = Problems::default();
        self.check_sheets(&org_sheets, tree_sheet.as_ref(), &mut problems);
        // Phase 3: rows into records.
        let read = self.read_rows(&org_sheets, tree_sheet.as_ref(), &mut problems);
        // Phase 4: the tree, and the rows a partial import keeps.
        let Some(records) = self.build(&read, &org_sheets, &mut problems, err) else {
            return Ok(1);
        };
        let source = self.source_line(&read);
        let texts = write::Texts::new(&records.orgs, &records.assembly.nodes, &source);
        if let Some(message) = too_big(&texts.organizations, records.orgs.len()) {
            let _ = write!(err, "{}", problems.render(&self.sources.files));
            let _ = writeln!(
                err,
                "{}: {message}\n{}",
                msg!("diag.error"),
                msg!("import.nothing_written")
            );
            return Ok(1);
        }
        // Phase 5: what `check` would say of the files.
        let found = validate::registers(self.opts.into, &texts, &records, &read, &org_sheets);
        let invalid = found.iter().any(|p| p.severity == Severity::Error);
        problems.items.extend(found);
        if invalid {
            let _ = write!(err, "{}", problems.render(&self.sources.files));
            let _ = writeln!(err, "{}", msg!("import.validate.nothing_written"));
            return Ok(1);
        }
        // Phase 6: what changes, whether we may, and the writing.
        let plan = plan::Plan::new(self.opts.into, &texts);
        let _ = write!(err, "{}", problems.render(&self.sources.files));
        if let Some(code) = plan.refuse(self.opts, out, err) {
            return Ok(code);
        }
        if let Err(refusal) = private::guard(
            &plan.org_path,
            &texts.organizations,
            self.opts.drop_private,
            err,
        ) {
            let _ = writeln!(err, "{refusal}");
            return Ok(2);
        }
        let files = self.files_to_write(&texts, &records, &problems);
        if let Err(e) = std::fs::create_dir_all(self.opts.into) {
            return Err(usage(msg!(
                "import.cannot_create",
                dir = self.opts.into.display(),
                why = e
            )));
        }
        write::write_atomically(&files).map_err(usage)?;
        summary::print(
            out,
            &self.summary(
                &read,
                &org_sheets,
                tree_sheet.as_ref(),
                &records,
                &plan,
                &files,
            ),
        );
        Ok(0)
    }

    /// Columns nothing reads, two columns for one field, the mapping
    /// file's defaults, and a sheet that says nowhere what kind its rows are.
    fn check_sheets(&self, orgs: &[OrgSheet], tree: Option<&TreeSheet>, problems: &mut Problems) {
        for o in orgs {
            let sheet = self.sources.sheet(o.file, o.index);
            check_columns(sheet, &o.header, OrgField::name, "columns", problems);
            rows::check_defaults(&self.map, sheet, problems);
            if o.header.find(&OrgField::Kind).is_none() && o.kind.is_none() {
                problems.error(
                    sheet.place(Some(o.header.row), None),
                    msg!("import.kind.none"),
                    msg!("import.kind.none.help", kinds = text::kinds_words()),
                );
            }
        }
        if let Some(t) = tree {
            let name = |f: &TreeField| format!("{f:?}").to_lowercase();
            let sheet = self.sources.sheet(t.file, t.index);
            check_columns(sheet, &t.header, name, "tree_columns", problems);
        }
    }

    /// Every organizations' sheet's rows, in one numbering (row keys), and
    /// the tree sheet's.
    fn read_rows<'s>(
        &'s self,
        orgs: &'s [OrgSheet],
        tree: Option<&TreeSheet>,
        problems: &mut Problems,
    ) -> Read<'s> {
        let mut rows = Vec::new();
        let mut refs = Vec::new();
        for (nth, o) in orgs.iter().enumerate() {
            let sheet = self.sources.sheet(o.file, o.index);
            refs.push(sheet);
            let mut r = cells::Reader::new(
                sheet,
                &o.map,
                self.limits,
                header_names(&o.header),
                problems,
            );
            for mut row in rows::read_orgs(&mut r, &o.header) {
                row.row = OrgSheets::key(nth, row.row);
                rows.push(row);
            }
        }
        let (tree_ref, tree_rows) = match tree {
            Some(t) => {
                let sheet = self.sources.sheet(t.file, t.index);
                let mut r = cells::Reader::new(
                    sheet,
                    &self.map,
                    self.limits,
                    header_names(&t.header),
                    problems,
                );
                (Some(sheet), rows::read_tree(&mut r, &t.header))
            }
            None => (None, Vec::new()),
        };
        Read {
            sheets: OrgSheets(refs),
            rows,
            tree_ref,
            tree_rows,
        }
    }

    fn tree_input<'r>(
        &'r self,
        read: &'r Read<'r>,
        kept: &'r [&'r OrgRow],
        lenient: bool,
    ) -> TreeInput<'r> {
        TreeInput {
            orgs: kept,
            sheets: &read.sheets,
            tree: &read.tree_rows,
            tree_sheet: read.tree_ref,
            top: self.top.as_deref(),
            lenient_forms: lenient,
        }
    }
}

/// Header text per column, for messages.
fn header_names<F>(h: &Header<F>) -> HashMap<u32, String> {
    h.columns.iter().map(|(c, t, _)| (*c, t.clone())).collect()
}

impl Import<'_> {
    /// The registers, a starter metrics.yaml for a new year folder, and
    /// the report of a partial import.
    fn files_to_write(
        &self,
        texts: &write::Texts,
        records: &Records,
        problems: &Problems,
    ) -> Vec<(PathBuf, String)> {
        let into = self.opts.into;
        let mut files = vec![
            (into.join("organizations.yaml"), texts.organizations.clone()),
            (into.join("branches.yaml"), texts.branches.clone()),
        ];
        let metrics = into.join("metrics.yaml");
        if let (false, Some(year)) = (metrics.exists(), self.limits.year) {
            files.push((metrics, write::metrics_yaml(year)));
        }
        if records.partial {
            let names = self.sources.files[..self.opts.files.len()].join(" ");
            let mut report = format!(
                "{}\n\n{}",
                msg!("import.partial.report_head", files = names),
                problems.render(&self.sources.files)
            );
            let dropped: Vec<String> = records
                .bad_rows
                .iter()
                .map(|r| OrgSheets::row_no(*r).to_string())
                .collect();
            let _ = writeln!(
                report,
                "\n{}",
                msg!(
                    "import.partial.report_rows",
                    n = dropped.len(),
                    rows = dropped.join(", ")
                )
            );
            files.push((into.join(REPORT_FILE), report));
        }
        files
    }
}

/// Warnings for columns nothing reads, errors for two columns read as the
/// same field.
fn check_columns<F: Clone + PartialEq>(
    sheet: SheetRef,
    header: &Header<F>,
    name: impl Fn(&F) -> String,
    map_key: &str,
    problems: &mut Problems,
) {
    let mut seen: HashMap<String, (u32, String)> = HashMap::new();
    for (col, text, field) in &header.columns {
        let Some(f) = field else {
            problems.warning(
                sheet.at(header.row, *col),
                msg!("import.column.not_imported", header = text),
                msg!(
                    "import.column.not_imported.help",
                    key = map_key,
                    header = text
                ),
            );
            continue;
        };
        let n = name(f);
        if n == "ignore" {
            continue;
        }
        if let Some((first_col, first_text)) = seen.get(&n) {
            problems.error(
                sheet.at(header.row, *col),
                msg!(
                    "import.column.twice",
                    header = text,
                    field = n,
                    col = text::column_letters(*first_col),
                    first = first_text
                ),
                msg!("import.column.twice.help", key = map_key, header = text),
            );
        } else {
            seen.insert(n, (*col, text.clone()));
        }
    }
}

/// The year of the folder (`data/2016/`) and the `as_of` of its
/// metrics.yaml, when there is one: no date may be later.
fn limits_of(into: &Path) -> Limits {
    let name = into
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let year = name
        .parse::<i32>()
        .ok()
        .filter(|y| name.len() == 4 && (1900..=2999).contains(y));
    let as_of = std::fs::read_to_string(into.join("metrics.yaml"))
        .ok()
        .and_then(|text| yaml::parse(&into.join("metrics.yaml"), &text, 0).ok())
        .and_then(|root| match root.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some("as_of"))
                .and_then(|(_, v)| v.as_str().and_then(Date::parse)),
            _ => None,
        });
    Limits { year, as_of }
}

/// The loader's limits on one data file, checked before writing one it
/// would refuse.
fn too_big(text: &str, records: usize) -> Option<String> {
    use crate::load::yaml::limits::{MAX_NODES, MAX_SOURCE_BYTES};
    // About two nodes per field and one per record.
    let nodes = text.lines().filter(|l| l.contains(": ")).count() * 2 + records;
    if text.len() > MAX_SOURCE_BYTES || nodes > MAX_NODES {
        Some(msg!(
            "import.too_big",
            n = records,
            mib = MAX_SOURCE_BYTES >> 20,
            values = MAX_NODES
        ))
    } else {
        None
    }
}
