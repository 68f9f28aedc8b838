//! The blank ledger (台账模板.xlsx) `nianbao new` puts beside a new site:
//! the sheet of organizations and the sheet of party organizations with
//! the very headers `import` reads (taken from the ledger vocabulary that
//! `export` and `import` share, so the three cannot drift apart), a worked
//! example row marked （示例）, drop-down lists for the columns that take
//! one of a few words, frozen headers, and a sheet of instructions. An
//! office fills it in Excel or WPS and imports it.
//!
//! An example row left in is imported like any other; `check` then warns
//! that the presented year still holds sample records (their names are in
//! `scaffold::SAMPLES`), so it cannot reach a published site unnoticed.

use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet, XlsxError,
};

use super::{EXAMPLE_BRANCH, EXAMPLE_COMMITTEE, EXAMPLE_ORG};
use crate::vocabulary::{self, Entry};

/// The sheet of instructions (it names no column `import` reads).
pub const NOTES_SHEET: &str = "填写说明";

/// Rows given the drop-down lists and the date format.
const ROWS: u32 = 2000;

/// The header `标识` is left out: `import` makes the ids.
const ID_HEADER: &str = "标识";

/// The private columns the template offers (contact person and phone).
const PRIVATE_KEYS: &[&str] = &["contact", "phone"];

/// A value of the example row.
#[derive(Debug, Clone, Copy)]
enum Example {
    Text(&'static str),
    Number(f64),
    Date(u16, u8, u8),
}

/// The headers of the organizations' sheet.
pub fn org_headers() -> Vec<String> {
    vocabulary::ORG_HEADERS
        .iter()
        .filter(|h| **h != ID_HEADER)
        .map(|h| h.to_string())
        .chain(PRIVATE_KEYS.iter().map(|k| vocabulary::private_header(k)))
        .collect()
}

/// The headers of the party organizations' sheet.
pub fn branch_headers() -> Vec<String> {
    vocabulary::BRANCH_HEADERS
        .iter()
        .filter(|h| **h != ID_HEADER)
        .map(|h| h.to_string())
        .collect()
}

fn first_words<T>(table: &[Entry<T>]) -> Vec<&'static str> {
    table.iter().map(|e| e.words[0]).collect()
}

/// The drop-down list of a column, if it takes one of a few words.
fn choices(header: &str) -> Option<Vec<&'static str>> {
    Some(match header {
        "类型" => first_words(vocabulary::KINDS),
        "状态" => first_words(vocabulary::STATUSES),
        "是否在园区" => vec!["是", "否"],
        "层级" => first_words(vocabulary::LEVELS),
        "党组织类型" => first_words(vocabulary::FORMS),
        _ => return None,
    })
}

/// The example organization's value under `header`.
fn org_example(header: &str) -> Option<Example> {
    use Example::*;
    Some(match header {
        "单位名称" => Text(EXAMPLE_ORG),
        "类型" => Text(vocabulary::KINDS[0].words[0]),
        "所属乡镇/街道" => Text("某某街道"),
        "是否在园区" => Text("是"),
        "行业" => Text("电子信息"),
        "从业人员" => Number(120.0),
        "党员人数" => Number(5.0),
        "状态" => Text(vocabulary::STATUSES[0].words[0]),
        "党组织名称" => Text(EXAMPLE_BRANCH),
        "党建指导员" => Text("否"),
        "联系人" => Text("张某"),
        "联系电话" => Text("0797-0000000"),
        _ => return None,
    })
}

/// The example party organizations' values under `header`: the work
/// committee at the top of the tree, and the branch of the example
/// organization under it.
fn branch_examples(header: &str) -> [Option<Example>; 2] {
    use Example::*;
    match header {
        "党组织名称" => [Some(Text(EXAMPLE_COMMITTEE)), Some(Text(EXAMPLE_BRANCH))],
        "层级" => [
            Some(Text(vocabulary::word(
                vocabulary::LEVELS,
                crate::model::Level::WorkCommittee,
            ))),
            Some(Text(vocabulary::word(
                vocabulary::LEVELS,
                crate::model::Level::Branch,
            ))),
        ],
        "上级党组织" => [None, Some(Text(EXAMPLE_COMMITTEE))],
        "党组织类型" => [
            None,
            Some(Text(vocabulary::word(
                vocabulary::FORMS,
                crate::model::Form::Single,
            ))),
        ],
        // Well before any year a site presents: a date may not be later
        // than the year imported into.
        "成立时间" => [None, Some(Date(2010, 6, 1))],
        "党员人数" => [None, Some(Number(5.0))],
        _ => [None, None],
    }
}

/// The instructions, one line a row.
const NOTES: &[&str] = &[
    "台账模板填写说明",
    "",
    "1. “组织名录”表每行一个组织（企业、社会组织、个体工商户）；“党组织”表每行一个党组织，从工委到党支部。",
    "2. 两张表的第 2 行（党组织表为第 2、3 行）是示例，名称带“（示例）”：填写时请改写或删除。留在表中的示例会被导入，nianbao check 会提醒。",
    "3. 类型、状态、是否在园区、层级、党组织类型可从下拉列表中选择；其他列按原样填写，没有的可以空着。",
    "4. “党组织名称”（组织名录表）填写覆盖该组织的党组织，须与“党组织”表中的名称一字不差。",
    "5. “上级党组织”填写上一级党组织的名称；工委没有上级。党支部的“党组织类型”为单独组建（覆盖一个组织）或联合组建（覆盖两个及以上组织）。",
    "6. “党建指导员”填“是”“否”或指导员姓名（姓名只保存在内部字段，不公开）。联系人、联系电话同样只保存在内部字段，不会出现在网站上。",
    "7. 填好后运行：nianbao import 台账模板.xlsx --into content/data/年度/ --force，再运行 nianbao check 检查。出错时会指明单元格（如 台账模板.xlsx!组织名录!C5）。",
    "8. 可以增加列，但请不要修改已有列的标题：nianbao 按标题识别每一列。",
];

/// The blank ledger as the bytes of an .xlsx file (the same bytes on
/// every run).
pub fn xlsx() -> Result<Vec<u8>, String> {
    let err = |e: XlsxError| format!("{e}");
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2016, 1, 1).map_err(err)?;
    book.set_properties(
        &DocProperties::new()
            .set_title("台账模板")
            .set_author("nianbao")
            .set_creation_datetime(&created),
    );
    let org_rows: Vec<Vec<Option<Example>>> =
        vec![org_headers().iter().map(|h| org_example(h)).collect()];
    sheet(
        book.add_worksheet(),
        vocabulary::ORG_SHEET,
        &org_headers(),
        &org_rows,
    )
    .map_err(err)?;
    let headers = branch_headers();
    let examples: Vec<[Option<Example>; 2]> = headers.iter().map(|h| branch_examples(h)).collect();
    let branch_rows: Vec<Vec<Option<Example>>> = (0..2)
        .map(|r| examples.iter().map(|e| e[r]).collect())
        .collect();
    sheet(
        book.add_worksheet(),
        vocabulary::BRANCH_SHEET,
        &headers,
        &branch_rows,
    )
    .map_err(err)?;
    notes(book.add_worksheet()).map_err(err)?;
    book.save_to_buffer()
        .map(crate::mark::mark_zip)
        .map_err(err)
}

const FONT: &str = "宋体";

fn sheet(
    sheet: &mut Worksheet,
    name: &str,
    headers: &[String],
    examples: &[Vec<Option<Example>>],
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let header = Format::new()
        .set_bold()
        .set_font_name(FONT)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xDDEBF7));
    let private_header = header.clone().set_background_color(Color::RGB(0xFCE4D6));
    let example = Format::new()
        .set_font_name(FONT)
        .set_italic()
        .set_font_color(Color::RGB(0x7F7F7F));
    let example_date = example.clone().set_num_format("yyyy-mm-dd");
    let date = Format::new()
        .set_font_name(FONT)
        .set_num_format("yyyy-mm-dd");
    let private: Vec<String> = PRIVATE_KEYS
        .iter()
        .map(|k| vocabulary::private_header(k))
        .collect();
    for (c, h) in headers.iter().enumerate() {
        let col = c as u16;
        let f = if private.contains(h) {
            &private_header
        } else {
            &header
        };
        sheet.write_string_with_format(0, col, h, f)?;
        let mut width = unicode_width::UnicodeWidthStr::width(h.as_str());
        for (r, row) in examples.iter().enumerate() {
            let r = r as u32 + 1;
            match row[c] {
                Some(Example::Text(t)) => {
                    sheet.write_string_with_format(r, col, t, &example)?;
                    width = width.max(unicode_width::UnicodeWidthStr::width(t));
                }
                Some(Example::Number(n)) => {
                    sheet.write_number_with_format(r, col, n, &example)?;
                }
                Some(Example::Date(y, m, d)) => {
                    let dt = ExcelDateTime::from_ymd(y, m, d)?;
                    sheet.write_datetime_with_format(r, col, &dt, &example_date)?;
                    width = width.max(10);
                }
                None => {}
            }
        }
        if h.contains("时间") {
            sheet.set_column_format(col, &date)?;
        }
        if let Some(words) = choices(h) {
            let rule = DataValidation::new()
                .allow_list_strings(&words)?
                .set_error_title(h.as_str())?
                .set_error_message(format!("请从下拉列表中选择：{}", words.join("、")))?;
            sheet.add_data_validation(1, col, ROWS, col, &rule)?;
        }
        sheet.set_column_width(col, (width as f64 + 4.0).clamp(10.0, 60.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn notes(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_name(NOTES_SHEET)?;
    let title = Format::new()
        .set_bold()
        .set_font_name(FONT)
        .set_font_size(14);
    let text = Format::new().set_font_name(FONT).set_text_wrap();
    for (r, line) in NOTES.iter().enumerate() {
        let f = if r == 0 { &title } else { &text };
        sheet.write_string_with_format(r as u32, 0, *line, f)?;
    }
    sheet.set_column_width(0, 110)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_an_example_and_every_header_is_the_vocabularys() {
        for h in org_headers() {
            assert!(org_example(&h).is_some(), "no example under {h}");
            assert!(
                vocabulary::ORG_HEADERS.contains(&h.as_str())
                    || vocabulary::PRIVATE_HEADERS.iter().any(|(_, p)| *p == h),
                "{h}"
            );
        }
        for h in branch_headers() {
            assert!(branch_examples(&h)[1].is_some(), "no example under {h}");
        }
    }

    #[test]
    fn the_same_bytes_every_time() {
        assert_eq!(xlsx().unwrap(), xlsx().unwrap());
    }
}
