//! Roll-up sites: a city's report made from its districts' reports. The
//! input is each member's `summary.json` (from a verified snapshot, or from
//! a content folder built in memory), never its registers; the output is
//! the summed figures, the members compared, and each member's own site
//! carried under `members/<id>/`.

mod pages;
mod sum;
mod write_up;

use std::path::{Path, PathBuf};

use crate::archive::{bag, verify};
use crate::build::{self, Files};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::layout::{Stream, MEMBERS_DIR, SITE_DIR};
use crate::model::{Member, MemberSource, Site};
use crate::summary::{self, Summary};

pub use sum::sum;

/// A member read: its summary and, when carried, its site's files.
pub struct Read<'a> {
    pub member: &'a Member,
    pub summary: Summary,
    pub site: Files,
}

/// Reads every member; each that cannot be read, or is not of this
/// year and schema, is an error at its entry of site.yaml. Unless `carry`,
/// only the summaries are kept; with a `sink`, each member's site goes to
/// it as soon as the member is read: memory does not grow with the
/// members' sites.
pub fn read_members<'a>(
    site: &'a Site,
    content: &Path,
    carry: bool,
    sink: Option<&dyn Stream>,
    diags: &mut Diagnostics,
) -> Vec<Read<'a>> {
    let mut read = Vec::new();
    for m in &site.config.rollup {
        let got = match &m.source {
            MemberSource::Snapshot(p) => snapshot(m, &content.join(p)),
            MemberSource::Content(p) => live(m, &content.join(p)),
        };
        let r = match got {
            Ok(mut r) => {
                if let (true, Some(sink)) = (carry, sink) {
                    for (p, b) in carried(&r) {
                        sink.put(&p, std::sync::Arc::unwrap_or_clone(b));
                    }
                }
                if !carry || sink.is_some() {
                    r.site = Files::new();
                }
                r
            }
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if r.summary.schema != summary::SCHEMA {
            diags.push(
                Diagnostic::error(
                    m.span.clone(),
                    crate::msg!(
                        "rollup.schema",
                        member = m.id,
                        schema = r.summary.schema,
                        ours = summary::SCHEMA
                    ),
                )
                .help(crate::msg!("rollup.schema.help")),
            );
        } else if r.summary.year != site.config.year {
            diags.push(
                Diagnostic::error(
                    m.span.clone(),
                    crate::msg!(
                        "rollup.year",
                        member = m.id,
                        year = r.summary.year,
                        site_year = site.config.year
                    ),
                )
                .help(crate::msg!("rollup.year.help")),
            );
        } else {
            read.push(r);
        }
    }
    read
}

fn problem(m: &Member, what: String, help: String) -> Diagnostic {
    Diagnostic::error(
        m.span.clone(),
        crate::msg!("rollup.member", member = m.id, problem = what),
    )
    .help(help)
}

/// A bag written by `archive`: verified (a changed byte is an error, as
/// for the site's own snapshots), its site and summary read.
fn snapshot<'a>(m: &'a Member, dir: &Path) -> Result<Read<'a>, Diagnostic> {
    let restore = || crate::msg!("rollup.restore");
    if !dir.join("bagit.txt").is_file() {
        return Err(problem(
            m,
            crate::msg!("rollup.no_snapshot", folder = dir.display()),
            crate::msg!("rollup.no_snapshot.help"),
        ));
    }
    let tree = bag::read_tree(dir).map_err(|e| problem(m, format!("{e:#}"), restore()))?;
    let verdict = verify::check(&tree);
    if !verdict.is_valid() {
        let lines = verdict.lines(&dir.display().to_string()).join("; ");
        return Err(problem(
            m,
            crate::msg!(
                "rollup.not_verified",
                folder = dir.display(),
                problems = lines
            ),
            restore(),
        ));
    }
    let prefix = format!("{SITE_DIR}/");
    let site: Files = tree
        .files
        .into_iter()
        .filter_map(|(p, b)| Some((PathBuf::from(p.strip_prefix(&prefix)?), b.into())))
        .collect();
    let summary = parse_summary(m, &site)?;
    Ok(Read {
        member: m,
        summary,
        site,
    })
}

/// A content folder: built in memory like `build` would, presented year
/// only.
fn live<'a>(m: &'a Member, dir: &Path) -> Result<Read<'a>, Diagnostic> {
    if !dir.join("site.yaml").is_file() {
        return Err(problem(
            m,
            crate::msg!("rollup.no_site", folder = dir.display()),
            crate::msg!("rollup.no_site.help"),
        ));
    }
    let built = build::run(
        build::Source::Dir(dir),
        &build::Options {
            years: build::Years::Presented,
            ..build::Options::site()
        },
    );
    let ok = built.ok();
    let Some(site) = built.files.filter(|_| ok) else {
        return Err(problem(
            m,
            crate::msg!(
                "rollup.does_not_build",
                folder = dir.display(),
                n = built
                    .diagnostics
                    .count(crate::diagnostics::Severity::Error)
                    .max(1)
            ),
            crate::msg!("rollup.does_not_build.help"),
        ));
    };
    let summary = parse_summary(m, &site)?;
    Ok(Read {
        member: m,
        summary,
        site,
    })
}

/// A member's site at its place in the roll-up's, `members/<id>/`. A
/// snapshot's pages are minified already (and checksummed); a live
/// member's are minified here, once.
fn carried<'r>(r: &'r Read) -> impl Iterator<Item = (PathBuf, crate::layout::Bytes)> + 'r {
    let live = matches!(r.member.source, MemberSource::Content(_));
    r.site.iter().map(move |(p, b)| {
        let bytes = if live && !crate::layout::carried(p) {
            crate::write::minify(p, b).into()
        } else {
            b.clone()
        };
        (Path::new(MEMBERS_DIR).join(&r.member.id).join(p), bytes)
    })
}

fn parse_summary(m: &Member, site: &Files) -> Result<Summary, Diagnostic> {
    let bytes = site.get(Path::new(summary::FILE)).ok_or_else(|| {
        problem(
            m,
            crate::msg!("rollup.no_summary"),
            crate::msg!("rollup.no_summary.help"),
        )
    })?;
    serde_json::from_slice(bytes).map_err(|e| {
        problem(
            m,
            crate::msg!("rollup.bad_summary", error = e),
            crate::msg!("rollup.bad_summary.help"),
        )
    })
}

/// The roll-up's files: its summary, pages, charts, and (unless
/// `carry` is false) each member's site under `members/<id>/`.
pub fn files(
    site: &Site,
    members: &[Read],
    content: &Path,
    carry: bool,
    statics: &[(PathBuf, Vec<u8>)],
    diags: &mut Diagnostics,
) -> Option<Files> {
    let data = site.years.get(&site.config.year)?;
    let total = sum(&site.config.title, data, members, diags);
    let mut out = Vec::new();
    let theme = crate::render::theme::load(content, &site.config, &mut out);
    out.into_iter().for_each(|d| diags.push(d));
    let mut files = pages::all(site, &total, members, &theme, carry, diags)?;
    files.insert(PathBuf::from(summary::FILE), total.to_bytes().into());
    for (p, b) in &theme.static_files {
        files.insert(Path::new("static").join(p), b.clone());
    }
    for (p, b) in statics {
        files.insert(Path::new("static").join(p), b.clone().into());
    }
    if carry {
        for r in members {
            files.extend(carried(r));
        }
    }
    Some(files)
}
