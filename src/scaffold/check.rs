//! Two ways the presented year goes wrong without an error: the registers
//! of a later year were imported while site.yaml still names the earlier
//! one (the site then shows last year's report), and the presented year
//! still holds the records `nianbao new` invented (the site then shows
//! them as if they were the office's). Both are warnings of `check`,
//! `build` and `serve`, which share `build::run`.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::load::{RawSite, Value};
use crate::model::Site;

use super::{is_sample, Register};

/// Warns when `data/` holds a year after site.yaml's `year`, and when the
/// presented year's registers still hold sample records.
pub fn year_warnings(raw: &RawSite, site: &Site, diags: &mut Diagnostics) {
    let declared = site.config.declared_year;
    if let Some(&newer) = raw.years.keys().max().filter(|&&y| y > declared) {
        diags.push(
            Diagnostic::warning(
                site.config.year_span.clone(),
                crate::msg!("office.year.newer_data", newer = newer, year = declared),
            )
            .help(crate::msg!("office.year.newer_data.help", newer = newer)),
        );
    }
    let year = site.config.year;
    let Some(raw_year) = raw.years.get(&year) else {
        return;
    };
    for (register, file) in [
        (Register::Organizations, &raw_year.organizations),
        (Register::Branches, &raw_year.branches),
    ] {
        let Some(file) = file else { continue };
        let found = samples_in(&file.root.value, register);
        let Some(&(line, col, ref name)) = found.first() else {
            continue;
        };
        let dir = data_dir(&raw.content_dir, &file.path);
        diags.push(
            Diagnostic::warning(
                Span::new(&file.path, line, col),
                crate::msg!(
                    "office.year.samples",
                    count = found.len(),
                    year = year,
                    name = name
                ),
            )
            .help(crate::msg!("office.year.samples.help", dir = dir)),
        );
    }
}

/// Position and name of each sample record of a register's tree.
fn samples_in(root: &Value, register: Register) -> Vec<(usize, usize, String)> {
    let Value::Map(top) = root else {
        return Vec::new();
    };
    let Some((_, list)) = top
        .iter()
        .find(|(k, _)| k.as_str() == Some(register.list_key()))
    else {
        return Vec::new();
    };
    let Value::Seq(items) = &list.value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let Value::Map(fields) = &item.value else {
                return None;
            };
            let get = |n: &str| fields.iter().find(|(k, _)| k.as_str() == Some(n));
            let id = get("id").and_then(|(_, v)| v.as_str());
            let (_, name) = get("name")?;
            let text = name.as_str()?;
            is_sample(register, id, text).then(|| (name.line, name.col, text.to_string()))
        })
        .collect()
}

/// The year folder of a register as the user names it for `import --into`:
/// `content/data/2020/`.
fn data_dir(content: &Path, register: &Path) -> String {
    let dir = register.parent().unwrap_or(content);
    format!("{}/", dir.display())
}
