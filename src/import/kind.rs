//! The kind of organization a sheet holds when no column says it: from
//! `--kind`, or from a title row, the sheet's name or the file's name that
//! says 非公企业/企业, 社会组织 or 个体工商户 (one kind per sheet is how
//! offices keep their ledgers). A 类型 column still decides row by row.

use std::path::Path;

use super::read::{Cell, Sheet};
use crate::model::Kind;
use crate::msg;

/// Where a sheet's kind was found, for the summary.
#[derive(Debug, Clone, PartialEq)]
pub enum From {
    Flag,
    Map,
    Title(String),
    SheetName,
    FileName,
}

impl From {
    pub fn describe(&self) -> String {
        match self {
            From::Flag => msg!("import.kind.from_flag"),
            From::Map => msg!("import.kind.from_map"),
            From::Title(t) => msg!("import.kind.from_title", title = t),
            From::SheetName => msg!("import.kind.from_sheet"),
            From::FileName => msg!("import.kind.from_file"),
        }
    }
}

/// The words that name each kind in a title, longest first within a kind;
/// the social organizations' and individuals' words are looked for first,
/// since 民办非企业 holds 企业.
const WORDS: &[(Kind, &[&str])] = &[
    (Kind::Individual, &["个体工商户", "个体户"]),
    (
        Kind::SocialOrg,
        &["社会组织", "民办非企业", "社会团体", "社团"],
    ),
    (
        Kind::Enterprise,
        &["非公有制企业", "非公企业", "民营企业", "企业"],
    ),
];

/// The one kind a text names, if it names exactly one.
pub fn in_text(text: &str) -> Option<Kind> {
    let mut t = text.to_string();
    let mut found: Vec<Kind> = Vec::new();
    for (kind, words) in WORDS {
        for w in *words {
            if t.contains(w) {
                t = t.replace(w, " ");
                if !found.contains(kind) {
                    found.push(*kind);
                }
            }
        }
    }
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The title rows above the header: the text of their filled cells.
fn titles(sheet: &Sheet, header_row: u32) -> Vec<String> {
    (0..header_row)
        .flat_map(|r| {
            (0..sheet.width()).filter_map(move |c| match sheet.cell(r, c) {
                Cell::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
                _ => None,
            })
        })
        .collect()
}

/// The kind the ledger says for a whole sheet: a title row, else the
/// sheet's name, else the file's name.
pub fn of_sheet(sheet: &Sheet, header_row: u32, file: &Path) -> Option<(Kind, From)> {
    for t in titles(sheet, header_row) {
        if let Some(k) = in_text(&t) {
            return Some((k, From::Title(t)));
        }
    }
    if let Some(k) = in_text(&sheet.name) {
        return Some((k, From::SheetName));
    }
    let stem = file.file_stem().map(|s| s.to_string_lossy().to_string());
    stem.and_then(|s| in_text(&s)).map(|k| (k, From::FileName))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_names_one_kind() {
        assert_eq!(
            in_text("2019年经开区非公企业党建工作台账"),
            Some(Kind::Enterprise)
        );
        assert_eq!(in_text("社会组织党建台账"), Some(Kind::SocialOrg));
        assert_eq!(in_text("个体工商户"), Some(Kind::Individual));
        assert_eq!(in_text("民办非企业单位名录"), Some(Kind::SocialOrg));
        assert_eq!(in_text("非公企业和社会组织党建台账"), None);
        assert_eq!(in_text("党建工作台账"), None);
    }
}
