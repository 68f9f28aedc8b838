//! Stage 2, resolve: raw YAML trees → the typed model. Every rule of the data
//! format is checked here and every problem collected; the model is returned
//! only when there is no error.

mod fields;
mod metrics;
mod registers;
mod rollup;
mod site;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{RawSite, RawYear};
use crate::model::{Site, YearData};

pub use fields::MAX_COUNT;
pub use metrics::parse_key;

/// The year to present has no data folder. When `--year` asked for it,
/// the command line is to blame, not `site.yaml`.
fn missing_year(raw: &RawSite, config: &crate::model::SiteConfig, from_flag: bool) -> Diagnostic {
    let year = config.year;
    let folder = raw.content_dir.join("data").join(year.to_string());
    if !from_flag {
        return Diagnostic::error(
            config.year_span.clone(),
            crate::msg!("resolve.no_year_data", year = year),
        )
        .help(crate::msg!(
            "resolve.no_year_data.help",
            folder = folder.display()
        ));
    }
    let have: Vec<String> = raw.years.keys().map(i32::to_string).collect();
    let help = if have.is_empty() {
        crate::msg!("resolve.flag_year.help_none", folder = folder.display())
    } else {
        crate::msg!(
            "resolve.flag_year.help",
            years = have.join(", "),
            folder = folder.display()
        )
    };
    Diagnostic::error(
        crate::diagnostics::Span::file(crate::msg!("word.command_line")),
        crate::msg!("resolve.flag_year", year = year),
    )
    .help(help)
}

pub fn resolve(raw: &RawSite, year: Option<i32>, diags: &mut Diagnostics) -> Option<Site> {
    resolve_kept(raw, year, diags, None)
}

/// Years resolved by earlier builds of a long-running process (`serve`),
/// each with what its files' parses were and what resolving them said: a
/// save that touches no register of a year does not resolve it again.
#[derive(Default)]
pub struct Kept(Mutex<BTreeMap<i32, KeptYear>>);

struct KeptYear {
    sources: [u64; 4],
    data: Option<Arc<YearData>>,
    out: Vec<Diagnostic>,
}

/// The parses a year is resolved from (0 for a missing file).
fn sources(ry: &RawYear, rollup: bool) -> [u64; 4] {
    let serial = |f: &Option<crate::load::YamlFile>| f.as_ref().map_or(0, |f| f.serial);
    [
        serial(&ry.organizations),
        serial(&ry.branches),
        serial(&ry.metrics),
        u64::from(rollup),
    ]
}

/// `resolve`, taking from `kept` the years whose files are the same parses
/// as when it resolved them, and keeping the others.
pub fn resolve_kept(
    raw: &RawSite,
    year: Option<i32>,
    diags: &mut Diagnostics,
    kept: Option<&Kept>,
) -> Option<Site> {
    let mut out = Vec::new();
    let mut config = raw.site.as_ref().and_then(|f| site::site(f, &mut out));
    if let Some(c) = &mut config {
        c.preview = raw.preview;
    }
    if let (Some(c), Some(y)) = (&mut config, year) {
        c.year = y;
    }
    let mut years = BTreeMap::new();
    let mut kept = kept.and_then(|k| k.0.lock().ok());
    for (&year, ry) in &raw.years {
        let data = match kept.as_deref_mut() {
            Some(kept) => {
                let sources = sources(ry, raw.rollup);
                let k = match kept.get(&year).filter(|k| k.sources == sources) {
                    Some(k) => k,
                    None => {
                        let mut said = Vec::new();
                        let data = resolve_year(year, ry, raw.rollup, &mut said).map(Arc::new);
                        let k = KeptYear {
                            sources,
                            data,
                            out: said,
                        };
                        kept.entry(year).insert_entry(k).into_mut()
                    }
                };
                out.extend(k.out.iter().cloned());
                k.data.clone()
            }
            None => resolve_year(year, ry, raw.rollup, &mut out).map(Arc::new),
        };
        if let Some(data) = data {
            years.insert(year, data);
        }
    }
    if let Some(kept) = kept.as_deref_mut() {
        kept.retain(|y, _| raw.years.contains_key(y));
    }
    drop(kept);
    if let Some(config) = &config {
        if !raw.years.contains_key(&config.year) {
            out.push(missing_year(raw, config, year.is_some()));
        }
    }
    let mut pages: Vec<_> = raw
        .pages
        .iter()
        .filter_map(|p| site::page(p, &mut out))
        .collect();
    pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
    if let Some(c) = &config {
        same_slugs(&pages, c.declared_year, &mut out);
    }
    let failed = out
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error);
    for d in out {
        diags.push(d);
    }
    if failed || diags.has_errors() {
        return None;
    }
    // Every year whose files failed has reported why; should one not have,
    // stop rather than present a site without its data.
    if config
        .as_ref()
        .is_some_and(|c| !years.contains_key(&c.year))
    {
        let c = config?;
        diags.push(Diagnostic::error(
            c.year_span,
            crate::msg!("resolve.year_unreadable", year = c.year),
        ));
        return None;
    }
    Some(Site {
        config: config?,
        years,
        pages,
    })
}

/// A page of `pages/<year>/` and one of `pages/` with the same file name
/// would both be the page `pages/<slug>.html` of the year site.yaml
/// presents.
fn same_slugs(pages: &[crate::model::Page], year: i32, out: &mut Vec<Diagnostic>) {
    let top: std::collections::BTreeMap<&str, &crate::model::Page> = pages
        .iter()
        .filter(|p| p.year.is_none())
        .map(|p| (p.slug.as_str(), p))
        .collect();
    for p in pages.iter().filter(|p| p.year == Some(year)) {
        if let Some(other) = top.get(p.slug.as_str()) {
            out.push(
                Diagnostic::error(
                    crate::diagnostics::Span::file(&p.source),
                    crate::msg!(
                        "resolve.page_twice",
                        slug = p.slug,
                        year = year,
                        other = other.source.display()
                    ),
                )
                .help(crate::msg!("resolve.page_twice.help")),
            );
        }
    }
}

fn resolve_year(
    year: i32,
    ry: &RawYear,
    rollup: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<YearData> {
    let mut orgs = ry
        .organizations
        .as_ref()
        .map(|f| registers::organizations(f, out));
    let mut branches = ry.branches.as_ref().map(|f| registers::branches(f, out));
    let metrics = ry.metrics.as_ref().map(|f| metrics::metrics(f, year, out));
    let as_of = metrics.as_ref().and_then(|m| m.as_of);
    if let (Some(o), Some(b)) = (&mut orgs, &mut branches) {
        registers::link(o, b, as_of, out);
    }
    let (orgs, branches) = match (orgs, branches) {
        (Some(o), Some(b)) => (o.orgs, b.branches),
        (None, None) if rollup => (Vec::new(), Vec::new()),
        _ => return None,
    };
    let metrics = metrics?;
    Some(YearData {
        year,
        as_of: as_of?,
        organizations: orgs,
        branches,
        metrics: metrics.items,
    })
}

#[cfg(test)]
mod tests;
