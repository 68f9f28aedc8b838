//! Rows to records: each cell read for its field (reporting the cell when
//! it cannot be), then the party organizations assembled from the
//! 党组织名称/类型/上级党组织 columns and the party organizations' sheet,
//! then ids given.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::headers::{Header, OrgField, TreeField};
use super::mapfile::MapFile;
use super::problem::{Place, Problem, Problems};
use super::read::{Cell, Sheet};
use super::text;
use crate::diagnostics::{did_you_mean, Severity};
use crate::model::{Date, Form, Kind, Level, Status};
use crate::vocabulary;

/// The longest text `check` accepts in a field (resolve's cap on names,
/// townships and industries).
const MAX_TEXT_CHARS: usize = 2_000;
const TOO_LONG_HELP: &str =
    "shorten the text; long notes belong in a column mapped to `private.note`";

/// A sheet and how to name its cells.
#[derive(Clone, Copy)]
pub struct SheetRef<'a> {
    /// 0 the register, 1 the file of `--tree`.
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
        if self.csv && self.file == 1 {
            "the --tree file".into()
        } else if self.csv {
            "the file".into()
        } else {
            format!("sheet {}", self.sheet.name)
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

/// Reads the cells of one sheet, reporting each that cannot be read.
pub struct Reader<'a> {
    pub sheet: SheetRef<'a>,
    pub map: &'a MapFile,
    pub limits: Limits,
    pub problems: &'a mut Problems,
    /// Header text per column, for messages.
    pub headers: HashMap<u32, String>,
    /// Errors reported since the row began.
    errors: usize,
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

    fn header(&self, col: u32) -> String {
        self.headers.get(&col).cloned().unwrap_or_default()
    }

    fn error(&mut self, row: u32, col: u32, message: String, help: impl Into<String>) {
        self.errors += 1;
        self.problems.error(self.sheet.at(row, col), message, help);
    }

    fn cell(&self, row: u32, col: u32) -> &'a Cell {
        self.sheet.sheet.cell(row, col)
    }

    /// The cell as text, `None` when blank. Excel errors are reported.
    fn text(&mut self, row: u32, col: u32, field: &str) -> Option<String> {
        let cell = self.cell(row, col);
        if cell.is_empty() {
            return None;
        }
        if let Cell::Error(e) = cell {
            let h = self.header(col);
            self.error(
                row,
                col,
                format!("{h} holds the Excel error `{e}`"),
                "type the value itself, or fix the formula that gives the error",
            );
            return None;
        }
        let t = cell.display();
        let t = self.map.translate(field, &t).into_owned();
        Some(text::normalize(&t))
    }

    /// A text field, capped at the length the site allows.
    fn plain(&mut self, row: u32, col: u32, field: &str) -> Option<String> {
        let t = self.text(row, col, field)?;
        if t.len() > MAX_TEXT_CHARS && t.chars().count() > MAX_TEXT_CHARS {
            let h = self.header(col);
            self.error(
                row,
                col,
                format!(
                    "{h} is {} characters long, more than the {MAX_TEXT_CHARS} allowed",
                    t.chars().count()
                ),
                TOO_LONG_HELP,
            );
            return None;
        }
        Some(t)
    }

    fn count(&mut self, row: u32, col: u32) -> Option<u64> {
        let cell = self.cell(row, col);
        let result = match cell {
            Cell::Number(v) => text::count_number(*v),
            Cell::Date(_) => Err("is formatted as a date".into()),
            Cell::Bool(_) => Err("is TRUE or FALSE".into()),
            _ => text::count(&self.text(row, col, "")?),
        };
        match result {
            Ok(n) => Some(n),
            Err(why) => {
                let h = self.header(col);
                let shown = cell.display();
                self.error(
                    row,
                    col,
                    format!("{h} `{shown}` {why}"),
                    "expected a whole number of 0 or more, in digits (e.g. 12); leave the cell blank when unknown",
                );
                None
            }
        }
    }

    fn date(&mut self, row: u32, col: u32) -> Option<Date> {
        let cell = self.cell(row, col);
        let result = match cell {
            Cell::Date(d) => d.clone(),
            Cell::Number(v) if (1900.0..=2999.0).contains(v) && v.fract() == 0.0 => {
                Err("is a year, not a day".into())
            }
            Cell::Number(v) => text::serial(*v),
            Cell::Bool(_) => Err("is TRUE or FALSE".into()),
            _ => text::date(&self.text(row, col, "")?),
        };
        let h = self.header(col);
        let shown = cell.display();
        match result {
            Ok(d) => {
                let late = match (self.limits.as_of, self.limits.year) {
                    (Some(a), _) if d > a => Some(format!("{a}, the as_of date of metrics.yaml")),
                    (None, Some(y)) if d.year > y => Some(format!("the year {y}")),
                    _ => None,
                };
                if let Some(limit) = late {
                    self.error(
                        row,
                        col,
                        format!("{h} {d} is after {limit}"),
                        "a party organization formed later does not belong in this year's register: correct the date, or import into a later year",
                    );
                    return None;
                }
                Some(d)
            }
            Err(why) => {
                let why = if why.is_empty() {
                    "is not a date".to_string()
                } else {
                    why
                };
                self.error(
                    row,
                    col,
                    format!("{h} `{shown}` {why}"),
                    "expected a date such as 2016-06-15, 2016/6/15 or 2016年6月15日, or a date cell",
                );
                None
            }
        }
    }

    fn yes_no(&mut self, row: u32, col: u32, field: &str) -> Option<bool> {
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
                format!("{h} `{t}` is neither yes nor no"),
                format!("expected {}", text::YES_NO),
            );
        }
        v
    }

    fn keyword<T>(
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
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            self.error(
                row,
                col,
                format!("{h} `{t}` is not one of the known values"),
                format!(
                    "{hint}expected {expected}; other spellings can be mapped in MAP.yaml (`values: {{{field}: {{{t}: …}}}}`)"
                ),
            );
        }
        v
    }

    fn id(&mut self, row: u32, col: u32) -> Option<Val<String>> {
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
                format!("{h} `{t}` is not a valid id"),
                "ids become file names and links: lowercase letters, digits and '-', starting with a letter or digit (e.g. ent-0003); or leave the column out and ids are made from the row order",
            );
            return None;
        }
        Some(Val { v: t, col })
    }
}

/// The words "did you mean" suggests for a cell of each keyword column.
fn kind_words() -> Vec<&'static str> {
    vocabulary::suggestions(vocabulary::KINDS, Kind::as_str)
}

fn status_words() -> Vec<&'static str> {
    vocabulary::suggestions(vocabulary::STATUSES, Status::as_str)
}

fn party_words() -> Vec<&'static str> {
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
fn default_of<T>(map: &MapFile, field: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    map.defaults.get(field).and_then(|v| parse(v))
}

/// Checks the mapping file's defaults; a bad one is an error of the sheet.
pub fn check_defaults(map: &MapFile, sheet: SheetRef, problems: &mut Problems) {
    for (field, value) in &map.defaults {
        let ok = match field.as_str() {
            "kind" => text::kind(value).is_some(),
            "status" => text::status(value).is_some(),
            "in_park" | "instructor" => text::yes_no(value).is_some(),
            _ => true,
        };
        if !ok {
            problems.error(
                sheet.place(None, None),
                format!(
                    "the default `{field}: {value}` of the mapping file is not a value of {field}"
                ),
                match field.as_str() {
                    "kind" => format!("expected {}", text::KINDS),
                    "status" => format!("expected {}", text::STATUSES),
                    _ => format!("expected {}", text::YES_NO),
                },
            );
        }
    }
}

/// Reads the organizations' rows under `header`.
pub fn read_orgs(r: &mut Reader, header: &Header<OrgField>) -> Vec<OrgRow> {
    let sheet = r.sheet.sheet;
    let cols: Vec<(u32, OrgField)> = header
        .columns
        .iter()
        .filter_map(|(c, _, f)| f.clone().map(|f| (*c, f)))
        .filter(|(_, f)| *f != OrgField::Ignore)
        .collect();
    let ignored: Vec<u32> = header
        .columns
        .iter()
        .filter(|(_, _, f)| *f == Some(OrgField::Ignore))
        .map(|(c, _, _)| *c)
        .collect();
    let name_col = header.find(&OrgField::Name).unwrap_or(0);
    let total_words = ["合计", "总计", "小计", "合 计", "总 计"];
    let mut rows = Vec::new();
    let mut first = true;
    for row in header.row + 1..sheet.rows.len() as u32 {
        let cells = &sheet.rows[row as usize];
        let filled: Vec<u32> = (0..cells.len() as u32)
            .filter(|&c| !cells[c as usize].is_empty())
            .collect();
        if filled.is_empty() {
            continue;
        }
        // A row of column numbers (1, 2, 3, …) right under the headers.
        if first {
            first = false;
            let numbers: Vec<f64> = filled
                .iter()
                .filter_map(|&c| match &cells[c as usize] {
                    Cell::Number(v) => Some(*v),
                    Cell::Text(t) => text::normalize_token(t).parse().ok(),
                    _ => None,
                })
                .collect();
            if numbers.len() == filled.len()
                && numbers.len() >= 3
                && numbers
                    .iter()
                    .enumerate()
                    .all(|(i, v)| *v == (i + 1) as f64)
            {
                continue;
            }
        }
        let name_cell = sheet.cell(row, name_col);
        let lead = filled
            .iter()
            .map(|&c| sheet.cell(row, c).display())
            .next()
            .unwrap_or_default();
        if total_words.contains(&name_cell.display().as_str())
            || total_words.contains(&lead.as_str())
        {
            r.problems.warning(
                r.sheet.place(Some(row), None),
                format!("row {} (`{lead}`) is read as a total and skipped", row + 1),
                "",
            );
            continue;
        }
        let mapped = filled
            .iter()
            .filter(|c| cols.iter().any(|(k, _)| k == *c))
            .count();
        // Only asked of rows without a name: a scan of the merged blocks.
        let one_block = || {
            filled.iter().all(|&c| {
                sheet.region(row, c).is_some_and(|g| {
                    g.first_col != g.last_col
                        && filled
                            .iter()
                            .all(|&d| (g.first_col..=g.last_col).contains(&d))
                })
            })
        };
        // A template's numbered but empty rows (only 序号 filled).
        let numbered = |c: &u32| {
            ignored.contains(c)
                && match &cells[*c as usize] {
                    Cell::Number(_) => true,
                    Cell::Text(t) => text::normalize_token(t).parse::<f64>().is_ok(),
                    _ => false,
                }
        };
        if mapped == 0 && filled.iter().all(numbered) {
            continue;
        }
        if name_cell.is_empty() && (filled.len() == 1 || mapped == 0 || one_block()) {
            let short: String = lead.chars().take(30).collect();
            r.problems.warning(
                r.sheet.place(Some(row), None),
                format!(
                    "row {} is not an organization and is skipped: `{short}`",
                    row + 1
                ),
                "a note or a title under the table; delete the row if it should not be there",
            );
            continue;
        }
        rows.push(read_org_row(r, row, &cols, name_col));
    }
    rows
}

fn read_org_row(r: &mut Reader, row: u32, cols: &[(u32, OrgField)], name_col: u32) -> OrgRow {
    r.errors = 0;
    let mut o = OrgRow {
        row,
        name_col,
        ..OrgRow::default()
    };
    let map = r.map;
    let mut kind_seen = false;
    let mut private_instructor = None;
    for (col, field) in cols {
        let col = *col;
        match field {
            OrgField::Id => o.id = r.id(row, col),
            OrgField::Name => o.name = r.plain(row, col, "name"),
            OrgField::Kind => {
                kind_seen = !r.cell(row, col).is_empty();
                o.kind = r.keyword(row, col, "kind", text::kind, text::KINDS, &kind_words());
            }
            OrgField::Township => o.township = r.plain(row, col, "township"),
            OrgField::InPark => o.in_park = r.yes_no(row, col, "in_park"),
            OrgField::Industry => o.industry = r.plain(row, col, "industry"),
            OrgField::Employees => o.employees = r.count(row, col),
            OrgField::PartyMembers => o.party_members = r.count(row, col),
            OrgField::Status => {
                o.status = r.keyword(
                    row,
                    col,
                    "status",
                    text::status,
                    text::STATUSES,
                    &status_words(),
                )
            }
            OrgField::Instructor => {
                if let Cell::Bool(b) = r.cell(row, col) {
                    o.instructor = Some(*b);
                } else if let Some(t) = r.text(row, col, "instructor") {
                    // A yes or no, or the instructor's name: then yes, and
                    // the name is kept where it is never published.
                    o.instructor = Some(text::yes_no(&t).unwrap_or_else(|| {
                        private_instructor = Some(t.clone());
                        true
                    }));
                }
            }
            OrgField::Branch => o.branch = r.plain(row, col, "branch").map(|v| Val { v, col }),
            OrgField::BranchForm => {
                o.branch_kind = r
                    .keyword(
                        row,
                        col,
                        "branch_form",
                        text::party_org_kind,
                        text::PARTY_ORG_KINDS,
                        &party_words(),
                    )
                    .map(|v| Val { v, col })
            }
            OrgField::BranchParent => {
                o.branch_parent = r.plain(row, col, "branch_parent").map(|v| Val { v, col })
            }
            OrgField::BranchFormed => o.branch_formed = r.date(row, col).map(|v| Val { v, col }),
            OrgField::BranchMembers => o.branch_members = r.count(row, col).map(|v| Val { v, col }),
            OrgField::Private(key) => {
                if let Some(t) = r.text(row, col, "") {
                    o.private.push((key.clone(), t));
                }
            }
            OrgField::Ignore => {}
        }
    }
    if let Some(name) = private_instructor {
        o.private.push(("instructor".into(), name));
    }
    o.kind = o.kind.or(if kind_seen {
        None
    } else {
        default_of(map, "kind", text::kind)
    });
    if o.township.is_none() {
        o.township = map.defaults.get("township").cloned();
    }
    if o.industry.is_none() {
        o.industry = map.defaults.get("industry").cloned();
    }
    o.status = o.status.or_else(|| default_of(map, "status", text::status));
    o.in_park = o
        .in_park
        .or_else(|| default_of(map, "in_park", text::yes_no));
    o.instructor = o
        .instructor
        .or_else(|| default_of(map, "instructor", text::yes_no));
    let name_blank = r.cell(row, name_col).is_empty();
    if name_blank {
        r.error(
            row,
            name_col,
            format!(
                "{} is empty, but the row has other cells",
                r.header(name_col)
            ),
            "every organization needs its name; delete the row if it is not an organization",
        );
    }
    let kind_col = cols
        .iter()
        .find(|(_, f)| *f == OrgField::Kind)
        .map(|(c, _)| *c);
    if o.kind.is_none() && !kind_seen && !name_blank {
        if let Some(col) = kind_col {
            r.error(
                row,
                col,
                format!("{} is empty", r.header(col)),
                format!(
                    "expected {}; or give a default in MAP.yaml (`defaults: {{kind: enterprise}}`)",
                    text::KINDS
                ),
            );
        }
    }
    if o.branch.is_none() {
        let attrs = [
            o.branch_kind.as_ref().map(|v| v.col),
            o.branch_parent.as_ref().map(|v| v.col),
            o.branch_formed.as_ref().map(|v| v.col),
            o.branch_members.as_ref().map(|v| v.col),
        ];
        if let Some(col) = attrs.into_iter().flatten().min() {
            let branch_header = cols
                .iter()
                .find(|(_, f)| *f == OrgField::Branch)
                .map(|(c, _)| r.header(*c))
                .unwrap_or_else(|| "党组织名称".into());
            r.error(
                row,
                col,
                format!("{} is given, but {branch_header} is empty", r.header(col)),
                format!("name the party organization that covers this organization in {branch_header}, or clear this cell"),
            );
        }
    }
    o.errors = r.errors;
    o
}

/// Reads the party organizations' sheet. Its problems are never partial:
/// the tree must be whole.
pub fn read_tree(r: &mut Reader, header: &Header<TreeField>) -> Vec<TreeRow> {
    let sheet = r.sheet.sheet;
    let cols: Vec<(u32, TreeField)> = header
        .columns
        .iter()
        .filter_map(|(c, _, f)| f.map(|f| (*c, f)))
        .filter(|(_, f)| *f != TreeField::Ignore)
        .collect();
    let name_col = header.find(&TreeField::Name).unwrap_or(0);
    let mut out: Vec<TreeRow> = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for row in header.row + 1..sheet.rows.len() as u32 {
        if sheet.rows[row as usize].iter().all(Cell::is_empty) {
            continue;
        }
        let Some(name) = r.plain(row, name_col, "name") else {
            if !sheet.cell(row, name_col).is_empty() {
                continue; // reported
            }
            r.error(
                row,
                name_col,
                format!(
                    "{} is empty, but the row has other cells",
                    r.header(name_col)
                ),
                "every party organization needs its name; delete the row if it is not one",
            );
            continue;
        };
        if let Some(first) = seen.get(&name) {
            r.error(
                row,
                name_col,
                format!("`{name}` is listed twice (also on row {})", first + 1),
                "each party organization is listed once; delete or rename one of the rows",
            );
            continue;
        }
        seen.insert(name.clone(), row);
        let mut t = TreeRow {
            row,
            id: None,
            name,
            name_col,
            level: None,
            form: None,
            parent: None,
            formed: None,
            members: None,
        };
        for &(col, field) in &cols {
            match field {
                TreeField::Id => t.id = r.id(row, col),
                TreeField::Name | TreeField::Ignore => {}
                TreeField::Level | TreeField::Form => {
                    let f = if field == TreeField::Level {
                        "level"
                    } else {
                        "form"
                    };
                    if let Some((l, fm)) = r.keyword(
                        row,
                        col,
                        f,
                        text::party_org_kind,
                        text::PARTY_ORG_KINDS,
                        &party_words(),
                    ) {
                        if let Some(l) = l {
                            if t.level.is_none() || field == TreeField::Level {
                                t.level = Some(Val { v: l, col });
                            }
                        }
                        if let Some(fm) = fm {
                            t.form = Some(Val { v: fm, col });
                        }
                    }
                }
                TreeField::Parent => t.parent = r.plain(row, col, "parent").map(|v| Val { v, col }),
                TreeField::Formed => t.formed = r.date(row, col).map(|v| Val { v, col }),
                TreeField::Members => t.members = r.count(row, col),
            }
        }
        if t.level.is_none() {
            match text::level_from_name(&t.name) {
                Some(l) => {
                    t.level = Some(Val {
                        v: l,
                        col: name_col,
                    })
                }
                None => {
                    let col = header.find(&TreeField::Level).unwrap_or(name_col);
                    r.error(
                        row,
                        col,
                        format!("the level of `{}` is not known", t.name),
                        "write its level in a column 层级: 工委, 党委, 党总支部 or 党支部",
                    );
                }
            }
        }
        out.push(t);
    }
    out
}

/// Where a node of the tree came from, for ordering and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    /// A row of the party organizations' sheet.
    Tree(u32),
    /// Named by 上级党组织 only, found nowhere else (no tree sheet):
    /// placed before the row that first names it.
    Implicit(u32),
    /// Named first by an organization's row.
    Org(u32),
}

impl Origin {
    fn order(self) -> (u8, u32, u8) {
        match self {
            Origin::Tree(r) => (0, r, 0),
            Origin::Implicit(r) => (1, r, 0),
            Origin::Org(r) => (1, r, 1),
        }
    }
}

#[derive(Debug, Clone)]
struct Draft {
    name: String,
    origin: Origin,
    id: Option<String>,
    level: Level,
    /// The cell that gave each attribute, for "row 12 says otherwise".
    level_at: Option<(u32, u32)>,
    form: Option<(Form, Option<(u32, u32)>)>,
    parent: Option<(String, Option<(u32, u32)>)>,
    formed: Option<(Date, Option<(u32, u32)>)>,
    members: Option<u64>,
    members_at: Option<(u32, u32)>,
    /// Organization rows naming it, in order.
    covers: Vec<u32>,
    parent_index: Option<usize>,
}

/// The outcome of assembling the tree from a set of rows.
pub struct Assembly {
    pub nodes: Vec<BranchNode>,
    /// Per organization row (by row number): its node.
    pub branch_of: HashMap<u32, usize>,
    /// Problems caused by a row of the organizations' sheet.
    pub row_problems: Vec<(u32, Problem)>,
    /// Problems of the tree sheet or of the tree as a whole.
    pub other_problems: Vec<Problem>,
    /// Nodes whose form was left out (partial imports only).
    pub dropped_forms: Vec<String>,
}

fn party_word(f: Form) -> &'static str {
    vocabulary::word(vocabulary::FORMS, f)
}

fn level_word(l: Level) -> &'static str {
    vocabulary::word(vocabulary::LEVELS, l)
}

/// Builds the tree: the party organizations' sheet first, then each node
/// that rows of `orgs` name, with its form, parent, date and members from
/// those rows. `lenient_forms` leaves out a form the rows no longer bear
/// out (with `--partial`, after rows were dropped) instead of failing.
pub fn assemble(
    orgs: &[&OrgRow],
    org_sheet: SheetRef,
    tree: &[TreeRow],
    tree_sheet: Option<SheetRef>,
    lenient_forms: bool,
) -> Assembly {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut row_problems: Vec<(u32, Problem)> = Vec::new();
    let mut other_problems: Vec<Problem> = Vec::new();
    let err = |place: Place, message: String, help: &str| Problem {
        severity: Severity::Error,
        place,
        message,
        help: (!help.is_empty()).then(|| help.to_string()),
    };
    let tree_place = |row: u32, col: u32| tree_sheet.map(|s| s.at(row, col)).unwrap_or_default();
    for t in tree {
        by_name.insert(t.name.clone(), drafts.len());
        drafts.push(Draft {
            name: t.name.clone(),
            origin: Origin::Tree(t.row),
            id: t.id.as_ref().map(|v| v.v.clone()),
            level: t.level.as_ref().map_or(Level::Branch, |v| v.v),
            level_at: t.level.as_ref().map(|v| (t.row, v.col)),
            form: t.form.as_ref().map(|v| (v.v, Some((t.row, v.col)))),
            parent: t
                .parent
                .as_ref()
                .map(|v| (v.v.clone(), Some((t.row, v.col)))),
            formed: t.formed.as_ref().map(|v| (v.v, Some((t.row, v.col)))),
            members: t.members,
            members_at: None,
            covers: Vec::new(),
            parent_index: None,
        });
    }
    let tree_name = tree_sheet.map(|s| s.describe()).unwrap_or_default();
    let mut branch_of = HashMap::new();
    for o in orgs {
        let Some(b) = &o.branch else { continue };
        let row = o.row;
        let (level_given, form_given) = o.branch_kind.as_ref().map_or((None, None), |v| v.v);
        let i = match by_name.get(&b.v) {
            Some(&i) => i,
            None => {
                let level = level_given
                    .or_else(|| text::level_from_name(&b.v))
                    .unwrap_or(Level::Branch);
                by_name.insert(b.v.clone(), drafts.len());
                drafts.push(Draft {
                    name: b.v.clone(),
                    origin: Origin::Org(row),
                    id: None,
                    level,
                    level_at: o
                        .branch_kind
                        .as_ref()
                        .filter(|_| level_given.is_some())
                        .map(|v| (row, v.col)),
                    form: None,
                    parent: None,
                    formed: None,
                    members: None,
                    members_at: None,
                    covers: Vec::new(),
                    parent_index: None,
                });
                drafts.len() - 1
            }
        };
        let d = &mut drafts[i];
        d.covers.push(row);
        branch_of.insert(row, i);
        let from = |at: Option<(u32, u32)>| match at {
            Some((r, _)) if matches!(d.origin, Origin::Tree(_)) => {
                format!("{tree_name} row {}", r + 1)
            }
            Some((r, _)) => format!("row {}", r + 1),
            None => "another row".into(),
        };
        let mut conflicts: Vec<(u32, String, &str)> = Vec::new();
        if let (Some(l), Some(v)) = (level_given, &o.branch_kind) {
            if l != d.level {
                conflicts.push((
                    v.col,
                    format!(
                        "`{}` is a {} here, but a {} on {}",
                        d.name,
                        level_word(l),
                        level_word(d.level),
                        from(d.level_at)
                    ),
                    "one party organization has one level: correct the cell or the name",
                ));
            }
        }
        if let (Some(f), Some(v)) = (form_given, &o.branch_kind) {
            match &d.form {
                Some((g, at)) if *g != f => conflicts.push((
                    v.col,
                    format!(
                        "`{}` is {} here, but {} on {}",
                        d.name,
                        party_word(f),
                        party_word(*g),
                        from(*at)
                    ),
                    "every row naming the same party organization gives it the same type",
                )),
                Some(_) => {}
                None => d.form = Some((f, Some((row, v.col)))),
            }
        }
        if let Some(v) = &o.branch_parent {
            match &d.parent {
                Some((p, at)) if *p != v.v => conflicts.push((
                    v.col,
                    format!(
                        "`{}` is under `{}` here, but under `{p}` on {}",
                        d.name,
                        v.v,
                        from(*at)
                    ),
                    "every row naming the same party organization gives it the same 上级党组织",
                )),
                Some(_) => {}
                None => d.parent = Some((v.v.clone(), Some((row, v.col)))),
            }
        }
        if let Some(v) = &o.branch_formed {
            match &d.formed {
                Some((f, at)) if *f != v.v => conflicts.push((
                    v.col,
                    format!(
                        "`{}` was formed on {} here, but on {f} on {}",
                        d.name,
                        v.v,
                        from(*at)
                    ),
                    "every row naming the same party organization gives it the same date",
                )),
                Some(_) => {}
                None => d.formed = Some((v.v, Some((row, v.col)))),
            }
        }
        if let Some(v) = &o.branch_members {
            match d.members {
                Some(m) if m != v.v => conflicts.push((
                    v.col,
                    format!(
                        "`{}` has {} members here, but {m} on {}",
                        d.name,
                        v.v,
                        from(d.members_at)
                    ),
                    "every row naming the same party organization gives it the same number of members",
                )),
                Some(_) => {}
                None => {
                    d.members = Some(v.v);
                    d.members_at = Some((row, v.col));
                }
            }
        }
        for (col, message, help) in conflicts {
            row_problems.push((row, err(org_sheet.at(row, col), message, help)));
        }
    }

    // Parents, by name: a node of the tree sheet or one the rows name;
    // without a tree sheet, a name found nowhere becomes a node of its own.
    let names: Vec<String> = drafts.iter().map(|d| d.name.clone()).collect();
    let mut suggest = crate::diagnostics::Suggestions::new(names.iter().map(String::as_str));
    let mut i = 0;
    while i < drafts.len() {
        let Some((pname, at)) = drafts[i].parent.clone() else {
            i += 1;
            continue;
        };
        let place = |at: Option<(u32, u32)>, origin: Origin| match (origin, at) {
            (Origin::Tree(_), Some((r, c))) => tree_place(r, c),
            (_, Some((r, c))) => org_sheet.at(r, c),
            _ => org_sheet.place(None, None),
        };
        let blame = |origin: Origin, at: Option<(u32, u32)>| match (origin, at) {
            (Origin::Tree(_), _) | (Origin::Implicit(_), _) => None,
            (_, Some((r, _))) => Some(r),
            _ => None,
        };
        let p = match by_name.get(&pname) {
            Some(&p) => Some(p),
            None if tree_sheet.is_none() => match text::level_from_name(&pname) {
                Some(level) => {
                    let first = drafts[i].covers.first().copied().unwrap_or(0);
                    by_name.insert(pname.clone(), drafts.len());
                    drafts.push(Draft {
                        name: pname.clone(),
                        origin: Origin::Implicit(first),
                        id: None,
                        level,
                        level_at: None,
                        form: None,
                        parent: None,
                        formed: None,
                        members: None,
                        members_at: None,
                        covers: Vec::new(),
                        parent_index: None,
                    });
                    Some(drafts.len() - 1)
                }
                None => {
                    let pr = err(
                        place(at, drafts[i].origin),
                        format!("the level of 上级党组织 `{pname}` is not known"),
                        "add a sheet 党组织 listing the party organizations above the branches with their 层级 (工委, 党委, 党总支部), or use a name that ends in one of these",
                    );
                    match blame(drafts[i].origin, at) {
                        Some(r) => row_problems.push((r, pr)),
                        None => other_problems.push(pr),
                    }
                    None
                }
            },
            None => {
                let hint = suggest
                    .best(&pname)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                let pr = err(
                    place(at, drafts[i].origin),
                    format!("上级党组织 `{pname}` is not a party organization of {tree_name}"),
                    &format!("{hint}add it to {tree_name}, or correct the name"),
                );
                match blame(drafts[i].origin, at) {
                    Some(r) => row_problems.push((r, pr)),
                    None => other_problems.push(pr),
                }
                None
            }
        };
        if let Some(p) = p {
            if drafts[p].level >= drafts[i].level {
                let pr = err(
                    place(at, drafts[i].origin),
                    format!(
                        "`{}` ({}) cannot be under `{}` ({}): a parent is of a higher level",
                        drafts[i].name,
                        level_word(drafts[i].level),
                        drafts[p].name,
                        level_word(drafts[p].level)
                    ),
                    "the levels run 工委 → 党委 → 党总支部 → 党支部; correct 上级党组织 or the level",
                );
                match blame(drafts[i].origin, at) {
                    Some(r) => row_problems.push((r, pr)),
                    None => other_problems.push(pr),
                }
            } else {
                drafts[i].parent_index = Some(p);
            }
        }
        i += 1;
    }

    // Forms: a single branch covers exactly one organization, a joint one
    // two or more.
    let mut dropped_forms = Vec::new();
    for d in drafts.iter_mut() {
        let Some((form, at)) = d.form else { continue };
        let n = d.covers.len();
        let wrong = match form {
            Form::Single => n != 1,
            Form::Joint => n < 2,
        };
        if !wrong {
            continue;
        }
        if lenient_forms {
            dropped_forms.push(format!(
                "`{}`: {} left out, it now covers {n} organization{}",
                d.name,
                party_word(form),
                if n == 1 { "" } else { "s" }
            ));
            d.form = None;
            continue;
        }
        let rows: Vec<String> = d.covers.iter().map(|r| (r + 1).to_string()).collect();
        match (form, n) {
            (Form::Single, n) if n > 1 => {
                for &r in &d.covers[1..] {
                    let o = orgs.iter().find(|o| o.row == r);
                    let col = o.and_then(|o| o.branch.as_ref()).map_or(0, |b| b.col);
                    row_problems.push((
                        r,
                        err(
                            org_sheet.at(r, col),
                            format!(
                                "`{}` is 单独组建 (single), but rows {} all name it",
                                d.name,
                                rows.join(", ")
                            ),
                            "a single branch covers exactly one organization: make it 联合组建 (joint), or correct 党组织名称 on the rows it does not cover",
                        ),
                    ));
                }
            }
            (Form::Joint, 1) => {
                let r = d.covers[0];
                let o = orgs.iter().find(|o| o.row == r);
                let col = o
                    .and_then(|o| {
                        o.branch_kind
                            .as_ref()
                            .map(|v| v.col)
                            .or(o.branch.as_ref().map(|b| b.col))
                    })
                    .unwrap_or(0);
                row_problems.push((
                    r,
                    err(
                        org_sheet.at(r, col),
                        format!("`{}` is 联合组建 (joint), but no other row names it", d.name),
                        "a joint branch covers two or more organizations: make it 单独组建 (single), or check the spelling of its name on the other rows",
                    ),
                ));
            }
            _ => {
                let place = match at {
                    Some((r, c)) if matches!(d.origin, Origin::Tree(_)) => tree_place(r, c),
                    _ => org_sheet.place(None, None),
                };
                other_problems.push(err(
                    place,
                    format!(
                        "`{}` is {}, but no organization names it",
                        d.name,
                        party_word(form)
                    ),
                    "name it in 党组织名称 of the organizations it covers, or leave its 类型 blank",
                ));
            }
        }
    }

    // Order: the tree sheet's rows, then in order of first appearance.
    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by_key(|&i| drafts[i].origin.order());
    let mut new_index = vec![0; drafts.len()];
    for (n, &i) in order.iter().enumerate() {
        new_index[i] = n;
    }
    let ids = node_ids(&order.iter().map(|&i| &drafts[i]).collect::<Vec<_>>());
    let nodes = order
        .iter()
        .zip(ids)
        .map(|(&i, id)| {
            let d = &drafts[i];
            BranchNode {
                id,
                name: d.name.clone(),
                level: d.level,
                parent: d.parent_index.map(|p| new_index[p]),
                form: d.form.map(|f| f.0),
                formed: d.formed.map(|f| f.0),
                members: d.members,
            }
        })
        .collect::<Vec<_>>();
    let branch_of = branch_of
        .into_iter()
        .map(|(r, i)| (r, new_index[i]))
        .collect();

    // One root: with a tree sheet its nodes decide; a branch the rows name
    // without a parent is then an error at its row.
    let roots: Vec<usize> = order
        .iter()
        .enumerate()
        .filter(|(_, &i)| drafts[i].parent.is_none())
        .map(|(n, _)| n)
        .collect();
    if roots.len() > 1 {
        if tree_sheet.is_some() {
            let first_root = &nodes[roots[0]].name;
            for &n in &roots[1..] {
                let d = &drafts[order[n]];
                match d.origin {
                    Origin::Tree(r) => other_problems.push(err(
                        tree_place(r, tree.iter().find(|t| t.row == r).map_or(0, |t| t.name_col)),
                        format!(
                            "`{}` has no 上级党组织, and neither has `{first_root}`: the tree has one top",
                            d.name
                        ),
                        "give every party organization but the work committee its 上级党组织",
                    )),
                    Origin::Org(r) | Origin::Implicit(r) => {
                        let o = orgs.iter().find(|o| o.row == r);
                        let col = o
                            .and_then(|o| o.branch_parent.as_ref().map(|v| v.col).or(o.branch.as_ref().map(|b| b.col)))
                            .unwrap_or(0);
                        row_problems.push((
                            r,
                            err(
                                org_sheet.at(r, col),
                                format!("`{}` has no 上级党组织 and is not in {tree_name}", d.name),
                                &format!("give it a 上级党组织 from {tree_name}, or add it there"),
                            ),
                        ));
                    }
                }
            }
        } else {
            let names: Vec<&str> = roots
                .iter()
                .take(5)
                .map(|&n| nodes[n].name.as_str())
                .collect();
            other_problems.push(Problem {
                severity: Severity::Warning,
                place: org_sheet.place(None, None),
                message: format!(
                    "{} party organizations have no 上级党组织 ({}{}), but the tree has one top",
                    roots.len(),
                    names.join(", "),
                    if roots.len() > 5 { ", …" } else { "" }
                ),
                help: Some(
                    "`nianbao check` will refuse branches.yaml until they share one: add a sheet 党组织 listing the work committee, committees and general branches with their 上级党组织, or fill in 上级党组织, or edit branches.yaml".into(),
                ),
            });
        }
    }

    Assembly {
        nodes,
        branch_of,
        row_problems,
        other_problems,
        dropped_forms,
    }
}

/// Ids of the nodes in order: an explicit id, else one from the level and
/// the order of appearance: `wc-1`, `cm-01`, `gb-01`, `br-0001`.
fn node_ids(drafts: &[&Draft]) -> Vec<String> {
    let taken: BTreeSet<&str> = drafts.iter().filter_map(|d| d.id.as_deref()).collect();
    let mut next: BTreeMap<Level, usize> = BTreeMap::new();
    drafts
        .iter()
        .map(|d| {
            if let Some(id) = &d.id {
                return id.clone();
            }
            let (prefix, width) = match d.level {
                Level::WorkCommittee => ("wc", 1),
                Level::Committee => ("cm", 2),
                Level::GeneralBranch => ("gb", 2),
                Level::Branch => ("br", 4),
            };
            loop {
                let n = next.entry(d.level).or_insert(0);
                *n += 1;
                let id = format!("{prefix}-{:0width$}", *n);
                if !taken.contains(id.as_str()) {
                    return id;
                }
            }
        })
        .collect()
}

/// Organization ids: an explicit id, else `ent-0001`, `soc-001`,
/// `ind-0001` by kind in row order.
pub fn org_ids(rows: &[&OrgRow]) -> Vec<String> {
    let taken: BTreeSet<&str> = rows
        .iter()
        .filter_map(|o| o.id.as_ref().map(|v| v.v.as_str()))
        .collect();
    let mut next: BTreeMap<Kind, usize> = BTreeMap::new();
    rows.iter()
        .map(|o| {
            if let Some(id) = &o.id {
                return id.v.clone();
            }
            let kind = o.kind.unwrap_or(Kind::Enterprise);
            let (prefix, width) = match kind {
                Kind::Enterprise => ("ent", 4),
                Kind::SocialOrg => ("soc", 3),
                Kind::Individual => ("ind", 4),
            };
            loop {
                let n = next.entry(kind).or_insert(0);
                *n += 1;
                let id = format!("{prefix}-{:0width$}", *n);
                if !taken.contains(id.as_str()) {
                    return id;
                }
            }
        })
        .collect()
}

/// Problems between rows of the organizations' sheet: a repeated explicit
/// id (error) or name (warning).
pub fn cross_row(rows: &[&OrgRow], sheet: SheetRef) -> Vec<(u32, Problem)> {
    let mut out = Vec::new();
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut names: HashMap<&str, u32> = HashMap::new();
    for o in rows {
        if let Some(id) = &o.id {
            if let Some(first) = ids.insert(&id.v, o.row) {
                out.push((
                    o.row,
                    Problem {
                        severity: Severity::Error,
                        place: sheet.at(o.row, id.col),
                        message: format!("id `{}` is also on row {}", id.v, first + 1),
                        help: Some("ids are unique: change one of them".into()),
                    },
                ));
                ids.insert(&id.v, first);
            }
        }
        if let Some(name) = &o.name {
            if let Some(&first) = names.get(name.as_str()) {
                out.push((
                    o.row,
                    Problem {
                        severity: Severity::Warning,
                        place: sheet.at(o.row, o.name_col),
                        message: format!("`{name}` is also on row {}", first + 1),
                        help: Some("if it is the same organization registered twice, set 状态 to 重复注册 on one row".into()),
                    },
                ));
            } else {
                names.insert(name, o.row);
            }
        }
    }
    out
}
