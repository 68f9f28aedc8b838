//! Rows to records: the rows of the organizations' sheets and of the
//! party organizations' sheet, each read cell by cell through a
//! [`Reader`]; then what is wrong between rows, and the ids.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::cells::{default_of, kind_words, party_words, status_words, Reader};
use super::headers::{Header, OrgField, TreeField};
use super::mapfile::MapFile;
use super::problem::{Problem, Problems};
use super::read::Cell;
use super::records::{OrgRow, OrgSheets, SheetRef, TreeRow, Val};
use super::text;
use crate::diagnostics::Severity;
use crate::model::Kind;
use crate::msg;

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
                msg!("import.map.bad_default", field = field, value = value),
                msg!(
                    "import.cell.expected",
                    values = match field.as_str() {
                        "kind" => text::kinds_words(),
                        "status" => text::statuses_words(),
                        _ => text::yes_no_words(),
                    }
                ),
            );
        }
    }
}

/// A row of column numbers (1, 2, 3, …), as some ledgers put under the
/// headers.
fn column_numbers(cells: &[Cell], filled: &[u32]) -> bool {
    let numbers: Vec<f64> = filled
        .iter()
        .filter_map(|&c| match &cells[c as usize] {
            Cell::Number(v) => Some(*v),
            Cell::Text(t) => text::normalize_token(t).parse().ok(),
            _ => None,
        })
        .collect();
    numbers.len() == filled.len()
        && numbers.len() >= 3
        && numbers
            .iter()
            .enumerate()
            .all(|(i, v)| *v == (i + 1) as f64)
}

/// Whether a filled row under the headers is an organization: not a
/// total (said so), not a template's numbered empty row, not a note or a
/// title under the table (said so).
fn is_organization(
    r: &mut Reader,
    row: u32,
    filled: &[u32],
    cols: &[(u32, OrgField)],
    ignored: &[u32],
    name_col: u32,
) -> bool {
    let sheet = r.sheet.sheet;
    let cells = &sheet.rows[row as usize];
    let total_words = ["合计", "总计", "小计", "合 计", "总 计"];
    let name_cell = sheet.cell(row, name_col);
    let lead = filled
        .iter()
        .map(|&c| sheet.cell(row, c).display())
        .next()
        .unwrap_or_default();
    if total_words.contains(&name_cell.display().as_str()) || total_words.contains(&lead.as_str()) {
        r.problems.warning(
            r.sheet.place(Some(row), None),
            msg!("import.row.total", row = row + 1, text = lead),
            "",
        );
        return false;
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
        return false;
    }
    if name_cell.is_empty() && (filled.len() == 1 || mapped == 0 || one_block()) {
        let short: String = lead.chars().take(30).collect();
        r.problems.warning(
            r.sheet.place(Some(row), None),
            msg!(
                "import.row.not_an_organization",
                row = row + 1,
                text = short
            ),
            msg!("import.row.not_an_organization.help"),
        );
        return false;
    }
    true
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
        if std::mem::take(&mut first) && column_numbers(cells, &filled) {
            continue;
        }
        if !is_organization(r, row, &filled, &cols, &ignored, name_col) {
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
    let kind_seen = read_org_cells(r, &mut o, cols);
    apply_defaults(r.map, &mut o, kind_seen);
    check_org_row(r, &mut o, cols, kind_seen);
    o.errors = r.errors;
    o
}

/// Each mapped cell of the row into its field. Returns whether the kind
/// cell was filled (a filled one that cannot be read takes no default).
fn read_org_cells(r: &mut Reader, o: &mut OrgRow, cols: &[(u32, OrgField)]) -> bool {
    let row = o.row;
    let mut kind_seen = false;
    let mut private_instructor = None;
    for (col, field) in cols {
        let col = *col;
        match field {
            OrgField::Id => o.id = r.id(row, col),
            OrgField::Name => o.name = r.plain(row, col, "name"),
            OrgField::Kind => {
                kind_seen = !r.cell(row, col).is_empty();
                let words = text::kinds_words();
                o.kind = r.keyword(row, col, "kind", text::kind, &words, &kind_words());
            }
            OrgField::Township => o.township = r.plain(row, col, "township"),
            OrgField::InPark => o.in_park = r.yes_no(row, col, "in_park"),
            OrgField::Industry => o.industry = r.plain(row, col, "industry"),
            OrgField::Employees => o.employees = r.count(row, col),
            OrgField::PartyMembers => o.party_members = r.count(row, col),
            OrgField::Status => {
                let words = text::statuses_words();
                o.status = r.keyword(row, col, "status", text::status, &words, &status_words())
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
                let words = text::party_org_kinds_words();
                o.branch_kind = r
                    .keyword(
                        row,
                        col,
                        "branch_form",
                        text::party_org_kind,
                        &words,
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
    kind_seen
}

/// The mapping file's defaults (and the sheet's kind) for blank cells.
fn apply_defaults(map: &MapFile, o: &mut OrgRow, kind_seen: bool) {
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
}

/// What is missing from the row: its name, its kind, a branch's name
/// where the branch's type or parent is given (errors); its township or
/// industry (warnings: the site would show 未填写).
fn check_org_row(r: &mut Reader, o: &mut OrgRow, cols: &[(u32, OrgField)], kind_seen: bool) {
    let row = o.row;
    let col_of = |f: OrgField| cols.iter().find(|(_, g)| *g == f).map(|(c, _)| *c);
    let name_blank = r.cell(row, o.name_col).is_empty();
    if name_blank {
        r.error(
            row,
            o.name_col,
            msg!("import.row.no_name", header = r.header(o.name_col)),
            msg!("import.row.no_name.help"),
        );
    }
    if o.kind.is_none() && !kind_seen && !name_blank {
        if let Some(col) = col_of(OrgField::Kind) {
            r.error(
                row,
                col,
                msg!("import.row.empty", header = r.header(col)),
                msg!("import.row.no_kind.help", kinds = text::kinds_words()),
            );
        }
    }
    for (field, blank) in [
        (OrgField::Township, o.township.is_none()),
        (OrgField::Industry, o.industry.is_none()),
    ] {
        match col_of(field) {
            Some(col) if blank && !name_blank && r.cell(row, col).is_empty() => r.warning(
                row,
                col,
                msg!("import.row.blank_shown_unfilled", header = r.header(col)),
                msg!(
                    "import.row.blank_shown_unfilled.help",
                    header = r.header(col)
                ),
            ),
            _ => {}
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
            let branch_header = col_of(OrgField::Branch)
                .map(|c| r.header(c))
                .unwrap_or_else(|| "党组织名称".into());
            r.error(
                row,
                col,
                msg!(
                    "import.row.branch_without_name",
                    header = r.header(col),
                    branch = branch_header
                ),
                msg!(
                    "import.row.branch_without_name.help",
                    branch = branch_header
                ),
            );
        }
    }
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
                msg!("import.row.no_name", header = r.header(name_col)),
                msg!("import.tree.no_name.help"),
            );
            continue;
        };
        if let Some(first) = seen.get(&name) {
            r.error(
                row,
                name_col,
                msg!("import.tree.twice", name = name, row = first + 1),
                msg!("import.tree.twice.help"),
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
        read_tree_cells(r, &mut t, &cols);
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
                        msg!("import.tree.unknown_level", name = t.name),
                        msg!("import.tree.unknown_level.help"),
                    );
                }
            }
        }
        out.push(t);
    }
    out
}

/// The cells of a row of the party organizations' sheet.
fn read_tree_cells(r: &mut Reader, t: &mut TreeRow, cols: &[(u32, TreeField)]) {
    let row = t.row;
    for &(col, field) in cols {
        match field {
            TreeField::Id => t.id = r.id(row, col),
            TreeField::Name | TreeField::Ignore => {}
            TreeField::Level | TreeField::Form => {
                let f = if field == TreeField::Level {
                    "level"
                } else {
                    "form"
                };
                let words = text::party_org_kinds_words();
                let read = r.keyword(row, col, f, text::party_org_kind, &words, &party_words());
                if let Some((l, fm)) = read {
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
pub fn cross_row(rows: &[&OrgRow], sheets: &OrgSheets) -> Vec<(u32, Problem)> {
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
                        place: sheets.at(o.row, id.col),
                        message: msg!(
                            "import.row.id_twice",
                            id = id.v,
                            row = OrgSheets::row_no(first)
                        ),
                        help: Some(msg!("import.row.id_twice.help")),
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
                        place: sheets.at(o.row, o.name_col),
                        message: msg!(
                            "import.row.name_twice",
                            name = name,
                            row = OrgSheets::row_no(first)
                        ),
                        help: Some(msg!("import.row.name_twice.help")),
                    },
                ));
            } else {
                names.insert(name, o.row);
            }
        }
    }
    out
}
