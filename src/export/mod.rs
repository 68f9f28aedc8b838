//! `nianbao export`: a year's registers back as an Excel workbook (.xlsx),
//! the form offices keep them in. Two sheets, 组织名录 (organizations) and
//! 党组织 (party organizations), with the Chinese headers and values that
//! `nianbao import` recognises, so that exporting and importing again gives
//! the same records. After the recorded columns come derived ones
//! (纳入基数, 覆盖方式 …), shaded, which `import` does not read.
//!
//! Headers stay in the first row, frozen, with a filter; columns are as
//! wide as their text (Chinese characters count twice). The bytes depend on
//! the registers alone: the workbook's creation time is the data's cut-off
//! date and rust_xlsxwriter stamps its zip entries with a fixed time.
//!
//! With `--include-private` the organizations' private fields come too, in
//! columns between the recorded and the derived ones, so that the workbook
//! imports back into the very same registers; every sheet is then marked
//! 内部资料 in a title row above its headers and in its printed header.

pub mod private;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use crate::derive::{Coverage, Report};
use crate::model::{Date, Form, Kind, Level, Status};
use crate::vocabulary::{self, INTERNAL};
pub use private::Private;

pub use crate::vocabulary::{BRANCH_SHEET, ORG_SHEET};
pub const NOTES_SHEET: &str = "说明";

/// The default file name of a year's export.
pub fn file_name(year: i32) -> String {
    format!("registers-{year}.xlsx")
}

pub use crate::vocabulary::{BRANCH_DERIVED, BRANCH_HEADERS, ORG_DERIVED, ORG_HEADERS};

/// The words of the cells, as `import` reads them (see `vocabulary`).
pub fn kind_word(k: Kind) -> &'static str {
    vocabulary::word(vocabulary::KINDS, k)
}

pub fn status_word(s: Status) -> &'static str {
    vocabulary::word(vocabulary::STATUSES, s)
}

pub fn level_word(l: Level) -> &'static str {
    vocabulary::word(vocabulary::LEVELS, l)
}

pub fn form_word(f: Form) -> &'static str {
    vocabulary::word(vocabulary::FORMS, f)
}

pub fn coverage_word(c: Coverage) -> &'static str {
    match c {
        Coverage::Single => "单独党支部覆盖",
        Coverage::Joint => "联合党支部覆盖",
        Coverage::Direct => "党总支部直接覆盖",
        Coverage::WorkOnly => "仅工作覆盖",
        Coverage::Uncovered => "未覆盖",
    }
}

fn yes_no(b: bool) -> Cell {
    Cell::Text(if b { "是" } else { "否" }.to_string())
}

/// A cell of the workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
}

impl Cell {
    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn opt_text(s: Option<&str>) -> Cell {
        s.map_or(Cell::Empty, Cell::text)
    }

    fn count(n: Option<u64>) -> Cell {
        n.map_or(Cell::Empty, |n| Cell::Number(n as f64))
    }

    /// Columns the cell's text takes, for the column width.
    fn width(&self) -> usize {
        match self {
            Cell::Empty => 0,
            Cell::Text(s) => unicode_width::UnicodeWidthStr::width(s.as_str()),
            Cell::Number(n) => format!("{n}").len(),
            Cell::Date(_) => 10,
        }
    }
}

/// One sheet: headers (with how many of them, at the end, are derived)
/// and rows.
pub struct Table {
    pub name: &'static str,
    pub headers: Vec<String>,
    pub derived: usize,
    pub rows: Vec<Vec<Cell>>,
    /// Columns of private fields, just before the derived ones.
    pub private: usize,
}

/// The organizations of the year, in file order.
pub fn organizations(report: &Report) -> Table {
    organizations_with(report, None)
}

/// The organizations of the year, with their private fields when given.
pub fn organizations_with(report: &Report, private: Option<&Private>) -> Table {
    let data = report.data;
    // An instructor's name goes where `import` reads it: in the 党建指导员
    // column, which then means "yes, this person".
    let named_instructor = |i: usize| -> Option<&str> {
        let o = &data.organizations[i];
        private
            .filter(|_| o.instructor)
            .and_then(|p| p.get(&o.id, "instructor"))
    };
    let by_id: std::collections::HashMap<&str, usize> = data
        .organizations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    let keys = private.map_or_else(Vec::new, |p| {
        p.columns(|id| {
            by_id
                .get(id)
                .is_some_and(|&i| named_instructor(i).is_some())
        })
    });
    let rows = data
        .organizations
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let coverage = report.coverage[i];
            let instructor = named_instructor(i).map_or_else(|| yes_no(o.instructor), Cell::text);
            let private_cells = keys.iter().map(|k| {
                if k == "instructor" && named_instructor(i).is_some() {
                    return Cell::Empty;
                }
                Cell::opt_text(private.and_then(|p| p.get(&o.id, k)))
            });
            let mut row = vec![
                Cell::text(&o.id),
                Cell::text(&o.name),
                Cell::text(kind_word(o.kind)),
                Cell::opt_text(o.township.as_deref()),
                yes_no(o.in_park),
                Cell::opt_text(o.industry.as_deref()),
                Cell::count(o.employees),
                Cell::count(o.party_members),
                Cell::text(status_word(o.status)),
                Cell::opt_text(o.branch.map(|b| data.branches[b].name.as_str())),
                instructor,
            ];
            row.extend(private_cells);
            row.extend([
                yes_no(coverage.is_some()),
                coverage.map_or(Cell::Empty, |c| Cell::text(coverage_word(c))),
                coverage.map_or(Cell::Empty, |c| yes_no(c.organizational())),
                coverage.map_or(Cell::Empty, |c| yes_no(c != Coverage::Uncovered)),
            ]);
            row
        })
        .collect();
    let headers = ORG_HEADERS
        .iter()
        .map(|h| h.to_string())
        .chain(keys.iter().map(|k| vocabulary::private_header(k)))
        .chain(ORG_DERIVED.iter().map(|h| h.to_string()))
        .collect();
    Table {
        name: ORG_SHEET,
        headers,
        derived: ORG_DERIVED.len(),
        rows,
        private: keys.len(),
    }
}

/// The party organizations of the year, in file order.
pub fn branches(report: &Report) -> Table {
    let data = report.data;
    let rows = data
        .branches
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let direct = b
                .covers
                .iter()
                .filter(|&&o| report.coverage[o].is_some())
                .count();
            let new = b
                .formed
                .is_some_and(|d| d.year == data.year && d <= data.as_of);
            vec![
                Cell::text(&b.id),
                Cell::text(&b.name),
                Cell::text(level_word(b.level)),
                Cell::opt_text(b.parent.map(|p| data.branches[p].name.as_str())),
                Cell::opt_text(b.form.map(form_word)),
                b.formed.map_or(Cell::Empty, Cell::Date),
                Cell::count(b.members),
                Cell::Number(direct as f64),
                Cell::Number(report.subtree[i].len() as f64),
                yes_no(new),
            ]
        })
        .collect();
    Table {
        name: BRANCH_SHEET,
        headers: BRANCH_HEADERS
            .iter()
            .chain(BRANCH_DERIVED)
            .map(|h| h.to_string())
            .collect(),
        derived: BRANCH_DERIVED.len(),
        rows,
        private: 0,
    }
}

/// Names given to more than one party organization: the sheets refer to
/// party organizations by name, as ledgers do, so `import` cannot read
/// such a workbook back.
pub fn duplicate_branch_names(data: &crate::model::YearData) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::new();
    for b in &data.branches {
        *seen.entry(b.name.as_str()).or_insert(0) += 1;
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(name, _)| name.to_string())
        .collect()
}

/// Every text the workbook holds, one cell a line (for the scan for
/// personal numbers that `build` runs on the site).
pub fn all_text(report: &Report) -> String {
    let mut out = String::new();
    for t in [organizations(report), branches(report)] {
        for row in &t.rows {
            for cell in row {
                if let Cell::Text(s) = cell {
                    out.push_str(s);
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// What the workbook is, for whoever opens it: a third sheet that neither
/// `import` nor a person mistakes for a register.
fn notes(title: &str, report: &Report, private: bool) -> Vec<[String; 2]> {
    let data = report.data;
    let mut notes = vec![
        ["项目".into(), "内容".into()],
        ["标题".into(), title.to_string()],
        ["年度".into(), data.year.to_string()],
        ["数据截至".into(), data.as_of.to_string()],
        [
            "组织名录".into(),
            format!("{} 条记录", data.organizations.len()),
        ],
        ["党组织".into(), format!("{} 条记录", data.branches.len())],
        [
            "推算列".into(),
            format!(
                "底色较深的列（{}；{}）由登记册推算，仅供查阅；用 nianbao import 导回时不读取这些列。",
                ORG_DERIVED.join("、"),
                BRANCH_DERIVED.join("、")
            ),
        ],
        [
            "生成".into(),
            format!("nianbao {} export", env!("CARGO_PKG_VERSION")),
        ],
    ];
    if private {
        notes.push([
            INTERNAL.into(),
            "本工作簿含组织的内部字段（联系人、联系电话等，登记册中 private: 下的内容），只供内部使用，不得公开或上传到网站；网站、简报和归档都不含这些字段。".into(),
        ]);
    }
    notes
}

/// The workbook of a year's registers. `title` is the site's; with
/// `private`, the organizations' private fields are in it and every sheet
/// is marked 内部资料.
pub fn xlsx(title: &str, report: &Report, private: Option<&Private>) -> Result<Vec<u8>, String> {
    let err = |e: rust_xlsxwriter::XlsxError| crate::msg!("export.workbook_failed", error = e);
    let mut book = Workbook::new();
    let as_of = report.data.as_of;
    let created = ExcelDateTime::from_ymd(
        as_of.year.clamp(1900, 9999) as u16,
        as_of.month as u8,
        as_of.day as u8,
    )
    .map_err(err)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{title}（{}年登记册{}）",
                report.data.year,
                if private.is_some() {
                    "，内部资料"
                } else {
                    ""
                }
            ))
            .set_author("nianbao")
            .set_creation_datetime(&created),
    );
    let internal = private.is_some();
    for table in [organizations_with(report, private), branches(report)] {
        let sheet = book.add_worksheet();
        write_table(sheet, &table, internal).map_err(err)?;
    }
    let notes = notes(title, report, internal);
    let sheet = book.add_worksheet();
    write_table(
        sheet,
        &Table {
            name: NOTES_SHEET,
            headers: vec!["项目".into(), "内容".into()],
            derived: 0,
            rows: notes[1..]
                .iter()
                .map(|[a, b]| vec![Cell::Text(a.clone()), Cell::Text(b.clone())])
                .collect(),
            private: 0,
        },
        internal,
    )
    .map_err(err)?;
    book.save_to_buffer()
        .map(crate::mark::mark_zip)
        .map_err(err)
}

const FONT: &str = "宋体";

/// Writes one sheet; an `internal` one gets a title row 内部资料 above its
/// headers (which `import` passes over as it looks for the header row) and
/// 内部资料 at the top of every printed page.
fn write_table(
    sheet: &mut Worksheet,
    t: &Table,
    internal: bool,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    sheet.set_name(t.name)?;
    let top = u32::from(internal);
    if internal {
        let mark = Format::new()
            .set_bold()
            .set_font_name(FONT)
            .set_font_color(Color::RGB(0xC00000));
        sheet.write_string_with_format(0, 0, INTERNAL, &mark)?;
        sheet.set_header(format!("&C{INTERNAL}"));
    }
    let header = Format::new()
        .set_bold()
        .set_font_name(FONT)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xDDEBF7));
    let derived_header = header.clone().set_background_color(Color::RGB(0xBFBFBF));
    let text = Format::new().set_font_name(FONT);
    let derived_text = text.clone().set_background_color(Color::RGB(0xF2F2F2));
    let date = text.clone().set_num_format("yyyy-mm-dd");
    let derived_date = derived_text.clone().set_num_format("yyyy-mm-dd");
    let private_header = header.clone().set_background_color(Color::RGB(0xFCE4D6));
    let first_derived = t.headers.len() - t.derived;
    let first_private = first_derived - t.private;

    let mut widths: Vec<usize> = t
        .headers
        .iter()
        .map(|h| unicode_width::UnicodeWidthStr::width(h.as_str()))
        .collect();
    for (c, h) in t.headers.iter().enumerate() {
        let f = if c >= first_derived {
            &derived_header
        } else if c >= first_private {
            &private_header
        } else {
            &header
        };
        sheet.write_string_with_format(top, c as u16, h, f)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1 + top;
        for (c, cell) in row.iter().enumerate() {
            let derived = c >= first_derived;
            let (tf, df) = if derived {
                (&derived_text, &derived_date)
            } else {
                (&text, &date)
            };
            let col = c as u16;
            match cell {
                Cell::Empty if derived => {
                    sheet.write_blank(r, col, tf)?;
                }
                Cell::Empty => {}
                Cell::Text(s) => {
                    sheet.write_string_with_format(r, col, s, tf)?;
                }
                Cell::Number(n) => {
                    sheet.write_number_with_format(r, col, *n, tf)?;
                }
                Cell::Date(d) => {
                    let dt = ExcelDateTime::from_ymd(d.year as u16, d.month as u8, d.day as u8)?;
                    sheet.write_datetime_with_format(r, col, &dt, df)?;
                }
            }
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(cell.width());
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        // Excel's width unit is about one Latin character; a little room
        // for the filter button of the header.
        let w = (*w as f64 + 4.0).min(80.0);
        sheet.set_column_width(c as u16, w)?;
    }
    sheet.set_freeze_panes(top + 1, 0)?;
    if t.name != NOTES_SHEET {
        let last_row = t.rows.len() as u32 + top;
        sheet.autofilter(top, 0, last_row, t.headers.len().saturating_sub(1) as u16)?;
    }
    Ok(())
}
