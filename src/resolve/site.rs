//! Resolving `site.yaml` and the front matter of Markdown pages.

use std::collections::BTreeMap;

use super::fields::{Record, What};
use crate::diagnostics::Diagnostic;
use crate::load::{RawPage, Value, YamlFile};
use crate::model::{Language, Page, SiteConfig};

const SITE_FIELDS: &[&str] = &[
    "title",
    "language",
    "year",
    "theme",
    "description",
    "notice",
    "labels",
    "allow_personal_numbers",
    "home_chart",
    "issuer",
    "brief_number",
    "rollup",
];
const PAGE_FIELDS: &[&str] = &["title", "weight", "summary"];

pub fn site(file: &YamlFile, out: &mut Vec<Diagnostic>) -> Option<SiteConfig> {
    let path = file.path.as_path();
    let mut rec = match Record::open(path, &file.root, What::SiteConfig) {
        Ok(r) => r,
        Err(d) => {
            out.push(d);
            return None;
        }
    };
    let title = rec.required_string("title", "赣州经开区党建工作报告");
    let language = rec
        .keyword("language", Language::parse, Language::NAMES)
        .unwrap_or(Language::ZhCn);
    let year = if rec.get("year").is_some() {
        rec.integer("year")
    } else {
        rec.required_string("year", "2016");
        None
    };
    let theme = rec
        .string("theme")
        .map(|(s, _)| s)
        .unwrap_or_else(|| "default".into());
    if theme.contains(['/', '\\']) || theme.starts_with('.') {
        if let Some(n) = rec.get("theme") {
            rec.error(
                n,
                crate::msg!("site.theme_name", theme = theme),
                crate::msg!("site.theme_name.help"),
            );
        }
    }
    let allow_personal_numbers = rec.bool("allow_personal_numbers").unwrap_or(false);
    let home_chart = rec.string("home_chart").map(|(s, n)| (s, n.span(path)));
    let issuer = brief_line(&mut rec, "issuer", "赣州经开区党工委");
    let brief_number = brief_line(&mut rec, "brief_number", "第1期");
    let description = rec.string("description").map(|(s, _)| s);
    let notice = rec.string("notice").map(|(s, _)| s);
    let mut labels = BTreeMap::new();
    if let Some(node) = rec.get("labels") {
        match &node.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    match (k.as_str(), v.as_str()) {
                        (Some(k), Some(text)) if super::fields::too_long(text) => rec.error(
                            v,
                            super::fields::too_long_message(k, text),
                            super::fields::too_long_help(),
                        ),
                        (Some(k), Some(v)) => {
                            labels.insert(k.to_string(), v.to_string());
                        }
                        _ => rec.error(
                            v,
                            crate::msg!("site.label_entry"),
                            crate::msg!("site.labels.help"),
                        ),
                    }
                }
            }
            _ => rec.error(
                node,
                crate::msg!("site.labels_mapping"),
                crate::msg!("site.labels.help"),
            ),
        }
    }
    let rollup = match rec.get("rollup") {
        Some(node) => super::rollup::members(path, node, out),
        None => Vec::new(),
    };
    let year = match year {
        Some((y, n)) if !(1900..=2999).contains(&y) => {
            rec.error(
                n,
                crate::msg!("site.year_implausible", year = y),
                crate::msg!("site.year_implausible.help"),
            );
            None
        }
        Some((y, n)) => Some((y as i32, n.span(path))),
        None => None,
    };
    let problems = rec.finish(SITE_FIELDS);
    let ok = problems.is_empty();
    out.extend(problems);
    match (ok, title, year) {
        (true, Some((title, _)), Some((year, year_span))) => Some(SiteConfig {
            title,
            language,
            year,
            declared_year: year,
            year_span,
            theme,
            description,
            notice,
            labels,
            allow_personal_numbers,
            home_chart,
            issuer,
            brief_number,
            preview: false,
            rollup,
        }),
        _ => None,
    }
}

/// A line of the summary brief's header (`issuer`, `brief_number`): one
/// short line of text, since the header has room for one.
fn brief_line(rec: &mut Record, key: &str, example: &str) -> Option<String> {
    let (text, node) = rec.string(key)?;
    let text = text.trim().to_string();
    let problem = if text.is_empty() {
        Some(crate::msg!("field.empty", name = key))
    } else if text.contains(['\n', '\r']) {
        Some(crate::msg!("site.one_line", name = key))
    } else if text.chars().count() > 40 {
        Some(crate::msg!(
            "site.header_too_long",
            name = key,
            n = text.chars().count()
        ))
    } else {
        None
    };
    match problem {
        Some(message) => {
            rec.error(
                node,
                message,
                crate::msg!("site.one_line.help", name = key, example = example),
            );
            None
        }
        None => Some(text),
    }
}

pub fn page(raw: &RawPage, out: &mut Vec<Diagnostic>) -> Option<Page> {
    let slug_ok = !raw.stem.is_empty()
        && raw
            .stem
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let span = crate::diagnostics::Span::file(&raw.path);
    if !slug_ok {
        out.push(
            Diagnostic::error(span, crate::msg!("page.name_chars", name = raw.stem))
                .help(crate::msg!("page.name_chars.help")),
        );
    } else if super::registers::reserved_on_windows(&raw.stem) {
        out.push(
            Diagnostic::error(span, crate::msg!("page.name_reserved", name = raw.stem))
                .help(crate::msg!("page.name_reserved.help", name = raw.stem)),
        );
    }
    let slug_ok = slug_ok && !super::registers::reserved_on_windows(&raw.stem);
    let Some(front) = &raw.front else {
        if raw.front_broken {
            return None;
        }
        out.push(
            Diagnostic::error(
                crate::diagnostics::Span::new(&raw.path, 1, 1),
                crate::msg!("page.no_front_matter"),
            )
            .help(crate::msg!("page.no_front_matter.help")),
        );
        return None;
    };
    let mut rec = match Record::open(&raw.path, front, What::PageFrontMatter) {
        Ok(r) => r,
        Err(d) => {
            out.push(d);
            return None;
        }
    };
    let title = rec.required_string("title", "页面标题");
    let weight = rec.integer("weight").map_or(0, |(w, _)| w);
    let summary = rec.string("summary").map(|(s, _)| s);
    let problems = rec.finish(PAGE_FIELDS);
    let ok = problems.is_empty() && slug_ok;
    out.extend(problems);
    match (ok, title) {
        (true, Some((title, _))) => Some(Page {
            slug: raw.stem.clone(),
            title,
            weight,
            summary,
            body: raw.body.clone(),
            source: raw.path.clone(),
            body_line: raw.body_line,
            year: raw.year,
        }),
        _ => None,
    }
}
