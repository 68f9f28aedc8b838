//! `nianbao import`: a register kept as a spreadsheet (台账) → the data
//! files `organizations.yaml` and `branches.yaml` (README.md, "Data format").
//!
//! read (calamine, CSV) → headers (which column is which field) → records
//! (cells to values, party organizations assembled, ids) → write (YAML,
//! diff against the files there, atomic replace). Every problem names its
//! cell (`台账.xlsx!Sheet1!D17`); with any error nothing is written, unless
//! `--partial`, which writes the good rows and a report of the rest.

mod cfb;
pub mod headers;
pub mod mapfile;
pub mod private;
pub mod problem;
pub mod read;
pub mod records;
pub mod text;
pub mod unzip;
pub mod write;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostics::{did_you_mean, Diagnostics, Severity};
use crate::load::yaml::{self, Value};
use crate::model::{Date, Level, Status};
use headers::{Header, OrgField, TreeField};
use problem::{Problem, Problems};
use read::Workbook;
use records::{Limits, Org, OrgRow, Reader, SheetRef};

pub struct Options<'a> {
    pub file: &'a Path,
    pub into: &'a Path,
    pub sheet: Option<&'a str>,
    pub map: Option<&'a Path>,
    pub force: bool,
    pub partial: bool,
    /// The party organizations from another file (a CSV register has no
    /// second sheet).
    pub tree: Option<&'a Path>,
    /// Replace registers even though private fields they hold would be lost.
    pub drop_private: bool,
}

/// The name of the report `--partial` writes into the year folder.
pub const REPORT_FILE: &str = "import-report.txt";

/// Runs an import, printing the summary to `out` and problems to `err`;
/// returns the exit code: 0 written, 1 the spreadsheet (or the mapping
/// file) has errors and nothing was written, 2 a usage or file error.
pub fn run(opts: &Options, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> u8 {
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

struct Stop(u8, String);

fn usage(message: impl Into<String>) -> Stop {
    Stop(2, format!("error: {}", message.into()))
}

struct Import<'a> {
    opts: &'a Options<'a>,
    /// The spreadsheet as named in messages: the path as given.
    shown: String,
    map: mapfile::MapFile,
    book: Workbook,
    tree_book: Option<Workbook>,
    /// The register and the `--tree` file as named in messages.
    files: Vec<String>,
    /// When the import began, before the spreadsheet was read.
    started: std::time::Instant,
    limits: Limits,
}

impl<'a> Import<'a> {
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
                        format!(
                            "{}nothing written: correct the mapping file first\n",
                            diags.render()
                        ),
                    ))
                }
            }
        }
        let book = read::read(opts.file).map_err(usage)?;
        let tree_book = match opts.tree {
            Some(t) => Some(read::read(t).map_err(usage)?),
            None => None,
        };
        let mut files = vec![opts.file.display().to_string()];
        files.extend(opts.tree.map(|t| t.display().to_string()));
        let limits = limits_of(opts.into);
        Ok(Import {
            opts,
            shown: opts.file.display().to_string(),
            map,
            book,
            tree_book,
            files,
            started,
            limits,
        })
    }

    fn sheet_ref(&self, index: usize) -> SheetRef<'_> {
        self.sheet_in(0, index)
    }

    /// A sheet of the register (`file` 0) or of the `--tree` file (1).
    fn sheet_in(&self, file: usize, index: usize) -> SheetRef<'_> {
        let book = match (&self.tree_book, file) {
            (Some(t), 1) => t,
            _ => &self.book,
        };
        SheetRef {
            file,
            sheet: &book.sheets[index],
            index,
            csv: book.csv,
        }
    }

    fn sheet_named(&self, name: &str, what: &str) -> Result<usize, Stop> {
        if let Some(i) = self.book.sheets.iter().position(|s| s.name == name) {
            return Ok(i);
        }
        if self.book.csv {
            return Err(usage(format!(
                "{} is a CSV file and has no sheet `{name}` ({what})",
                self.shown
            )));
        }
        let names: Vec<&str> = self.book.sheets.iter().map(|s| s.name.as_str()).collect();
        let hint = did_you_mean(name, names.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        Err(usage(format!(
            "{} has no sheet `{name}` ({what})\n  = help: {hint}its sheets: {}",
            self.shown,
            names.join(", ")
        )))
    }

    /// The organizations' sheet and its header row.
    fn org_sheet(&self) -> Result<(usize, Header<OrgField>), Stop> {
        let wanted = self
            .opts
            .sheet
            .map(str::to_string)
            .or(self.map.sheet.clone());
        let candidates: Vec<usize> = match &wanted {
            Some(name) => vec![self.sheet_named(name, "--sheet")?],
            None => (0..self.book.sheets.len()).collect(),
        };
        for &i in &candidates {
            let sheet = &self.book.sheets[i];
            let Some(h) = headers::org_header(sheet, self.map.header_row, &self.map.columns) else {
                continue;
            };
            if wanted.is_none() {
                let as_tree = headers::tree_header(sheet, None, &self.map.tree_columns);
                if as_tree.is_some_and(|t| headers::looks_like_tree(sheet, &t)) {
                    continue;
                }
            }
            return Ok((i, h));
        }
        let place = if self.book.csv {
            self.shown.clone()
        } else {
            let names: Vec<&str> = candidates
                .iter()
                .map(|&i| self.book.sheets[i].name.as_str())
                .collect();
            format!("{}!{}", self.shown, names.join(", "))
        };
        Err(Stop(
            1,
            format!(
                "{place}: error: no header row found: none of the first {} rows names the organization (单位名称, 企业名称 or 组织名称) beside another known column\n  = help: name the columns as in README.md (\"From your spreadsheet to a site\"), or write a mapping file: `header_row: 3` and `columns: {{你的列名: name}}`, then --map MAP.yaml\n\nnothing written\n",
                headers::HEADER_SEARCH_ROWS
            ),
        ))
    }

    /// The party organizations' sheet, if there is one.
    fn tree_sheet(&self, org: usize) -> Result<Option<(usize, usize, Header<TreeField>)>, Stop> {
        if let Some(book) = &self.tree_book {
            for (i, sheet) in book.sheets.iter().enumerate() {
                if self
                    .map
                    .tree_sheet
                    .as_ref()
                    .is_some_and(|n| *n != sheet.name)
                {
                    continue;
                }
                let found =
                    headers::tree_header(sheet, self.map.tree_header_row, &self.map.tree_columns);
                if let Some(h) = found {
                    return Ok(Some((1, i, h)));
                }
            }
            return Err(Stop(
                1,
                format!(
                    "{}: error: no header row found: none of the first {} rows names the party organization (党组织名称 or 名称)\n  = help: give its row as `tree_header_row:` and map its columns under `tree_columns:` in the mapping file\n\nnothing written\n",
                    self.files[1],
                    headers::HEADER_SEARCH_ROWS
                ),
            ));
        }
        if self.book.csv {
            return Ok(None);
        }
        if let Some(name) = &self.map.tree_sheet {
            let i = self.sheet_named(name, "tree_sheet of the mapping file")?;
            let sheet = &self.book.sheets[i];
            return match headers::tree_header(sheet, self.map.tree_header_row, &self.map.tree_columns) {
                Some(h) => Ok(Some((0, i, h))),
                None => Err(Stop(
                    1,
                    format!(
                        "{}!{name}: error: no header row found: none of the first {} rows names the party organization (党组织名称 or 名称)\n  = help: give its row as `tree_header_row:` and map its columns under `tree_columns:` in the mapping file\n",
                        self.shown,
                        headers::HEADER_SEARCH_ROWS
                    ),
                )),
            };
        }
        for (i, sheet) in self.book.sheets.iter().enumerate() {
            if i == org {
                continue;
            }
            if let Some(h) =
                headers::tree_header(sheet, self.map.tree_header_row, &self.map.tree_columns)
            {
                if headers::looks_like_tree(sheet, &h) {
                    return Ok(Some((0, i, h)));
                }
            }
        }
        Ok(None)
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
                    format!("column `{text}` is not imported"),
                    format!(
                        "to import it, map it to a field in MAP.yaml (`{map_key}: {{{text}: …}}`); to silence this, map it to `ignore`"
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
                    format!(
                        "column `{text}` is read as {n}, like column {} `{first_text}`",
                        text::column_letters(*first_col)
                    ),
                    format!("map one of them to another field or to `ignore` in MAP.yaml (`{map_key}: {{{text}: ignore}}`)"),
                );
        } else {
            seen.insert(n, (*col, text.clone()));
        }
    }
}

impl Import<'_> {
    fn go(
        &mut self,
        out: &mut dyn std::io::Write,
        err: &mut dyn std::io::Write,
    ) -> Result<u8, Stop> {
        let (org_index, org_header) = self.org_sheet()?;
        let tree = self.tree_sheet(org_index)?;
        let mut problems = Problems::default();
        let org_sheet = self.sheet_ref(org_index);
        check_columns(
            org_sheet,
            &org_header,
            OrgField::name,
            "columns",
            &mut problems,
        );
        if let Some((tf, ti, th)) = &tree {
            let name = |f: &TreeField| format!("{f:?}").to_lowercase();
            check_columns(
                self.sheet_in(*tf, *ti),
                th,
                name,
                "tree_columns",
                &mut problems,
            );
        }
        records::check_defaults(&self.map, org_sheet, &mut problems);
        if org_header.find(&OrgField::Kind).is_none() && !self.map.defaults.contains_key("kind") {
            problems.error(
                org_sheet.place(Some(org_header.row), None),
                "no column gives the kind of organization (类型)",
                format!(
                    "add a column 类型 with {}, or map a column to `kind`, or set a default in MAP.yaml (`defaults: {{kind: enterprise}}`)",
                    text::KINDS
                ),
            );
        }

        // Cells → rows.
        let header_names = |h: &Header<OrgField>| -> HashMap<u32, String> {
            h.columns.iter().map(|(c, t, _)| (*c, t.clone())).collect()
        };
        let rows: Vec<OrgRow> = {
            let mut r = Reader::new(
                org_sheet,
                &self.map,
                self.limits,
                header_names(&org_header),
                &mut problems,
            );
            records::read_orgs(&mut r, &org_header)
        };
        let (tree_ref, tree_rows) = match &tree {
            Some((tf, ti, th)) => {
                let sr = self.sheet_in(*tf, *ti);
                let names = th.columns.iter().map(|(c, t, _)| (*c, t.clone())).collect();
                let mut r = Reader::new(sr, &self.map, self.limits, names, &mut problems);
                (Some(sr), records::read_tree(&mut r, th))
            }
            None => (None, Vec::new()),
        };
        let tree_errors = problems.items.iter().any(|p| {
            p.severity == Severity::Error
                && tree_ref
                    .is_some_and(|t| p.place.file == t.file && p.place.sheet_index == t.index)
        });

        // Rows → records, with every problem, as a strict import sees them.
        let all: Vec<&OrgRow> = rows.iter().collect();
        let strict = records::assemble(&all, org_sheet, &tree_rows, tree_ref, false);
        let cross = records::cross_row(&all, org_sheet);
        let mut bad_rows: BTreeSet<u32> = rows
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
        let fatal = strict
            .other_problems
            .iter()
            .any(|p| p.severity == Severity::Error)
            || tree_errors;
        problems.items.extend(strict.other_problems.iter().cloned());
        // Sheet-level errors (no kind column, a bad default, two columns
        // for one field) stop a partial import too.
        let sheet_errors = problems.items.iter().any(|p| {
            p.severity == Severity::Error
                && (p.place.row.is_none() || p.place.row == Some(org_header.row))
        });

        let partial = self.opts.partial && problems.has_errors();
        if problems.has_errors() && (!self.opts.partial || fatal || sheet_errors) {
            let _ = write!(err, "{}", problems.render(&self.files));
            let why = if self.opts.partial {
                "nothing written: --partial skips bad rows of the organizations, but these errors concern the sheet or the party organizations' tree"
            } else {
                "nothing written: correct the cells above and import again, or use --partial to write the good rows now"
            };
            let _ = writeln!(err, "{why}");
            return Ok(1);
        }

        // With --partial: leave out the bad rows, then whatever rested on
        // them (a later row's branch whose only definition was dropped…).
        let mut assembly = strict;
        let mut kept: Vec<&OrgRow> = rows.iter().filter(|o| !bad_rows.contains(&o.row)).collect();
        let mut notes: Vec<Problem> = Vec::new();
        if partial {
            for _ in 0..50 {
                let a = records::assemble(&kept, org_sheet, &tree_rows, tree_ref, true);
                let newly: Vec<(u32, Problem)> = a
                    .row_problems
                    .iter()
                    .filter(|(_, p)| p.severity == Severity::Error)
                    .cloned()
                    .collect();
                if newly.is_empty() {
                    assembly = a;
                    break;
                }
                for (row, p) in newly {
                    if bad_rows.insert(row) {
                        notes.push(Problem {
                            severity: Severity::Warning,
                            message: format!("row {} not imported: {}", row + 1, p.message),
                            ..p
                        });
                    }
                }
                kept.retain(|o| !bad_rows.contains(&o.row));
            }
            for d in &assembly.dropped_forms {
                notes.push(Problem {
                    severity: Severity::Warning,
                    place: org_sheet.place(None, None),
                    message: format!("party organization {d}"),
                    help: Some("import again once the rows are corrected".into()),
                });
            }
        }
        problems.items.extend(notes);

        // Ids follow the order of all rows, so that rows left out by
        // --partial leave gaps instead of shifting the ids after them.
        let ids: HashMap<u32, String> = {
            let with_kind: Vec<&OrgRow> = rows.iter().filter(|o| o.kind.is_some()).collect();
            with_kind
                .iter()
                .map(|o| o.row)
                .zip(records::org_ids(&with_kind))
                .collect()
        };
        let orgs: Vec<Org> = kept
            .iter()
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
                    branch: assembly.branch_of.get(&o.row).copied(),
                    instructor: o.instructor,
                    private: o.private.clone(),
                })
            })
            .collect();
        if orgs.is_empty() {
            let _ = write!(err, "{}", problems.render(&self.files));
            let _ = writeln!(err, "nothing written: no row could be imported");
            return Ok(1);
        }

        let name_of = |r: SheetRef, file: &str| {
            let file = Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if r.csv {
                file
            } else {
                format!("{file}, sheet {}", r.sheet.name)
            }
        };
        let mut source = name_of(org_sheet, &self.files[0]);
        match tree_ref {
            Some(t) if t.file == 0 => {
                source = source.replace(", sheet ", ", sheets ") + &format!(" and {}", t.sheet.name)
            }
            Some(t) => source = format!("{source}, and {}", name_of(t, &self.files[t.file])),
            None => {}
        }
        let org_text = write::organizations_yaml(&orgs, &assembly.nodes, &source);
        let branch_text = write::branches_yaml(&assembly.nodes, &source);
        if let Some(message) = too_big(&org_text, orgs.len()) {
            let _ = write!(err, "{}", problems.render(&self.files));
            let _ = writeln!(err, "error: {message}\nnothing written");
            return Ok(1);
        }

        // What changes, and whether we may.
        let into = self.opts.into;
        let org_path = into.join("organizations.yaml");
        let branch_path = into.join("branches.yaml");
        let mut diffs = String::new();
        let mut existing = Vec::new();
        for (path, text, key) in [
            (&org_path, &org_text, "organizations"),
            (&branch_path, &branch_text, "branches"),
        ] {
            let Ok(old) = std::fs::read_to_string(path) else {
                if path.exists() {
                    existing.push(path.clone());
                    let _ = writeln!(
                        diffs,
                        "{}: cannot be read as text; it would be replaced whole",
                        path.display()
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
                        "{}: not a readable `{key}:` list; it would be replaced whole by {} records",
                        path.display(),
                        new.len()
                    );
                }
            }
        }
        let _ = write!(err, "{}", problems.render(&self.files));
        if !existing.is_empty() && !self.opts.force {
            let _ = write!(out, "{diffs}");
            let names: Vec<String> = existing.iter().map(|p| p.display().to_string()).collect();
            let _ = writeln!(
                err,
                "error: {} already exist{}; nothing written\n  = help: the changes are listed above; run again with --force to replace {}",
                names.join(" and "),
                if names.len() == 1 { "s" } else { "" },
                if names.len() == 1 { "it" } else { "them" }
            );
            return Ok(2);
        }
        if let Err(refusal) = private::guard(&org_path, &org_text, self.opts.drop_private, err) {
            let _ = writeln!(err, "{refusal}");
            return Ok(2);
        }

        let mut files: Vec<(PathBuf, String)> = vec![
            (org_path.clone(), org_text),
            (branch_path.clone(), branch_text),
        ];
        let metrics_path = into.join("metrics.yaml");
        let new_metrics = !metrics_path.exists() && self.limits.year.is_some();
        if new_metrics {
            files.push((
                metrics_path.clone(),
                write::metrics_yaml(self.limits.year.unwrap_or(0)),
            ));
        }
        let report_path = into.join(REPORT_FILE);
        if partial {
            let mut report = format!(
                "nianbao import --partial {}\n\n{}",
                self.shown,
                problems.render(&self.files)
            );
            let dropped: Vec<String> = bad_rows.iter().map(|r| (r + 1).to_string()).collect();
            let _ = writeln!(
                report,
                "\nrows not imported ({}): {}\ncorrect them in the spreadsheet and import it again with --force.",
                dropped.len(),
                dropped.join(", ")
            );
            files.push((report_path.clone(), report));
        }
        if let Err(e) = std::fs::create_dir_all(into) {
            return Err(usage(format!("cannot create {}: {e}", into.display())));
        }
        write::write_atomically(&files).map_err(usage)?;

        // Summary.
        let data_rows = rows.len();
        let _ = writeln!(
            out,
            "read {}: {} ({} organization rows{})",
            self.shown,
            describe_sheet(org_sheet, &org_header),
            data_rows,
            tree.as_ref()
                .map(|(tf, ti, th)| format!(
                    "; {}{}, {} party organizations",
                    if *tf == 1 {
                        format!("{}: ", self.files[1])
                    } else {
                        String::new()
                    },
                    describe_sheet(self.sheet_in(*tf, *ti), th),
                    tree_rows.len()
                ))
                .unwrap_or_default()
        );
        let columns: Vec<String> = org_header
            .columns
            .iter()
            .filter_map(|(_, t, f)| {
                f.as_ref()
                    .filter(|f| **f != OrgField::Ignore)
                    .map(|f| format!("{t}→{}", f.name()))
            })
            .collect();
        let _ = writeln!(out, "columns: {}", columns.join(", "));
        if !diffs.is_empty() {
            let _ = write!(out, "{diffs}");
        }
        let active = orgs
            .iter()
            .filter(|o| o.status.unwrap_or(Status::Active) == Status::Active)
            .count();
        let _ = writeln!(
            out,
            "wrote {}: {} organizations ({} active)",
            org_path.display(),
            orgs.len(),
            active
        );
        let by_level = |l: Level, one: &str, many: &str| {
            let n = assembly.nodes.iter().filter(|b| b.level == l).count();
            format!("{n} {}", if n == 1 { one } else { many })
        };
        let _ = writeln!(
            out,
            "wrote {}: {} party organizations ({}, {}, {}, {})",
            branch_path.display(),
            assembly.nodes.len(),
            by_level(Level::WorkCommittee, "work committee", "work committees"),
            by_level(Level::Committee, "committee", "committees"),
            by_level(Level::GeneralBranch, "general branch", "general branches"),
            by_level(Level::Branch, "branch", "branches")
        );
        if new_metrics {
            let _ = writeln!(
                out,
                "wrote {}: as_of {}-12-31 and no figures; edit it",
                metrics_path.display(),
                self.limits.year.unwrap_or(0)
            );
        }
        if partial {
            let _ = writeln!(
                out,
                "wrote {}: {} rows not imported, listed with their problems",
                report_path.display(),
                bad_rows.len()
            );
        }
        let _ = writeln!(
            out,
            "imported in {:.2} s",
            self.started.elapsed().as_secs_f64()
        );
        Ok(0)
    }
}

fn describe_sheet<F>(sheet: SheetRef, header: &Header<F>) -> String {
    let last = sheet.sheet.rows.len();
    let rows = format!("header on row {}, data to row {last}", header.row + 1);
    if sheet.csv {
        rows
    } else {
        format!("sheet {}, {rows}", sheet.sheet.name)
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
        Some(format!(
            "{records} organizations make an organizations.yaml larger than nianbao reads ({} MiB, {MAX_NODES} values)",
            MAX_SOURCE_BYTES >> 20
        ))
    } else {
        None
    }
}
