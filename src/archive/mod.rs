//! Yearly snapshots: `content/archive/<year>/` holds a year's built site and
//! the source it was built from, frozen as a BagIt bag (RFC 8493) so that
//! archival tools can check it decades later. Snapshots are written once
//! (`archive`), never rewritten, checked (`verify`) and carried byte for
//! byte into every build (`build`), which lists them on an archive page.
//!
//! The loader never reads `content/archive/` as content.

pub mod bag;
pub mod manifest;
pub mod redact;
pub mod verify;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::load::{yaml, Value, YEAR_FILES};
use manifest::Algorithm;

pub use crate::layout::{Listed, ARCHIVE_DIR, SITE_DIR, SOURCE_DIR};

pub fn snapshot_dir(content: &Path, year: i32) -> PathBuf {
    content.join(ARCHIVE_DIR).join(year.to_string())
}

/// The snapshot folders `content/archive/<year>/` in year order. Entries
/// that are not four-digit year folders are returned apart (hidden ones,
/// such as the temporary folders of a running `archive`, are skipped).
pub fn snapshots(content: &Path) -> (Vec<(i32, PathBuf)>, Vec<PathBuf>) {
    let mut years = Vec::new();
    let mut other = Vec::new();
    let Ok(entries) = std::fs::read_dir(content.join(ARCHIVE_DIR)) else {
        return (years, other);
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let year = (name.len() == 4)
            .then(|| name.parse::<i32>().ok())
            .flatten()
            .filter(|_| e.path().is_dir());
        match year {
            Some(y) => years.push((y, e.path())),
            None => other.push(e.path()),
        }
    }
    years.sort();
    other.sort();
    (years, other)
}

/// Every snapshot under `content/archive/`, read from its tag files only
/// (cheap; it does not verify).
pub fn list(content: &Path) -> Vec<Listed> {
    snapshots(content)
        .0
        .into_iter()
        .map(|(year, dir)| {
            let info = std::fs::read_to_string(dir.join(bag::BAG_INFO_TXT)).unwrap_or_default();
            let (fields, _) = bag::parse_info(&info);
            let oxum = bag::info_value(&fields, "Payload-Oxum")
                .and_then(|o| o.split_once('.'))
                .and_then(|(b, n)| Some((b.parse().ok()?, n.parse().ok()?)));
            Listed {
                year,
                bagging_date: bag::info_value(&fields, "Bagging-Date").map(str::to_string),
                external_identifier: bag::info_value(&fields, "External-Identifier")
                    .map(str::to_string),
                manifest_sha256: std::fs::read(dir.join(Algorithm::Sha256.payload_manifest()))
                    .ok()
                    .map(|b| Algorithm::Sha256.hex(&b)),
                payload_bytes: oxum.map(|o: (u64, u64)| o.0),
                payload_files: oxum.map(|o| o.1),
            }
        })
        .collect()
}

/// Why `create` wrote nothing.
#[derive(Debug)]
pub enum Error {
    /// The content has errors; they are in the diagnostics.
    Content,
    /// The snapshot exists: archives are never rewritten.
    Exists(PathBuf),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Other(e)
    }
}

/// What `create` wrote.
#[derive(Debug)]
pub struct Created {
    pub dir: PathBuf,
    pub files: usize,
    pub payload_files: u64,
    pub payload_bytes: u64,
}

/// Freezes year `year` of the site in `content` into
/// `content/archive/<year>/`: the site as `build` writes it (minified, but
/// without the archive page, so that the snapshot stands alone) under
/// `data/site/`, the source under `data/source/` with every `private`
/// field removed, and the tag files. The same content gives the same bytes.
/// `site` is the year's site as `build::run` made it with
/// `Years::AsOfPresented` and no archives; callers check [`exists`] first.
pub fn create(
    content: &Path,
    year: i32,
    site: &crate::layout::Files,
    diags: &mut Diagnostics,
) -> Result<Created, Error> {
    let target = snapshot_dir(content, year);
    exists(content, year)?;
    let bag = assemble(content, year, site, diags)?;
    if target.exists() {
        return Err(Error::Exists(target));
    }
    bag::write_new(&bag, &target)?;
    let (payload_bytes, payload_files) = bag::oxum(
        bag.iter()
            .filter(|(p, _)| p.starts_with("data/"))
            .map(|(_, b)| b),
    );
    Ok(Created {
        dir: target,
        files: bag.len(),
        payload_files,
        payload_bytes,
    })
}

/// `Err(Exists)` when year `year` has a snapshot: archives are never
/// rewritten.
pub fn exists(content: &Path, year: i32) -> Result<(), Error> {
    let target = snapshot_dir(content, year);
    if target.exists() || target.is_symlink() {
        return Err(Error::Exists(target));
    }
    Ok(())
}

/// The bag of year `year`, in memory, around the year's built `site`.
pub fn assemble(
    content: &Path,
    year: i32,
    site: &crate::layout::Files,
    diags: &mut Diagnostics,
) -> Result<bag::Files, Error> {
    let mut payload = bag::Files::new();
    for (rel, bytes) in site {
        let path = format!("{SITE_DIR}/{}", bag::slash_path(rel));
        let bytes = if crate::layout::carried(rel) {
            bytes.to_vec()
        } else {
            crate::write::minify(rel, bytes)
        };
        payload.insert(path, bytes);
    }
    let sources = source_files(content, year)?;
    // The source keeps comments and every field but `private`: it must not
    // publish a personal number either.
    if !crate::scan::allowed(content) {
        let found = crate::scan::scan_files(&sources, content, true);
        if !found.is_empty() {
            found.into_iter().for_each(|d| diags.push(d));
            return Err(Error::Content);
        }
    }
    for (rel, bytes) in sources {
        payload.insert(format!("{SOURCE_DIR}/{rel}"), bytes);
    }
    let title = yaml_field(&content.join("site.yaml"), "title").unwrap_or_default();
    let as_of = yaml_field(
        &content
            .join("data")
            .join(year.to_string())
            .join("metrics.yaml"),
        "as_of",
    )
    .ok_or_else(|| anyhow::anyhow!(crate::msg!("archive.no_as_of", year = year)))?;
    let info = [
        (
            "Bag-Software-Agent",
            format!("nianbao {}", env!("CARGO_PKG_VERSION")),
        ),
        ("Bagging-Date", as_of),
        (
            "External-Description",
            format!(
                "Annual report site for {year} ({SITE_DIR}/index.html) and the source it was built from ({SOURCE_DIR}/: site.yaml, the registers of every year up to {year}, pages, static files; private fields removed)"
            ),
        ),
        ("Source-Organization", title),
    ];
    Ok(bag::assemble(payload, &info, &format!("nianbao-{year}")))
}

/// The source the year's site was built from, as the loader reads it:
/// `site.yaml`, the register files of every year up to `year` (the
/// year-over-year page uses them all), `pages/*.md` and the write-ups
/// `pages/<year>/*.md` of those years, and every file of
/// `static/`. Private fields are removed from every organizations.yaml.
fn source_files(content: &Path, year: i32) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    use anyhow::Context;
    let mut out = BTreeMap::new();
    let read = |p: &Path| {
        std::fs::read(p).with_context(|| crate::msg!("io.cannot_read", path = p.display()))
    };
    out.insert("site.yaml".to_string(), read(&content.join("site.yaml"))?);
    for year in data_years(content, year) {
        let year_dir = content.join("data").join(&year);
        for file in YEAR_FILES {
            let path = year_dir.join(file);
            if file != "metrics.yaml" && !path.exists() {
                // A roll-up site's registers are its members'.
                continue;
            }
            let mut bytes = read(&path)?;
            if file == "organizations.yaml" {
                let text = String::from_utf8(bytes)
                    .with_context(|| crate::msg!("archive.not_utf8", path = path.display()))?;
                bytes = redact::redact(&path, &text)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
                    .into_bytes();
            }
            out.insert(format!("data/{year}/{file}"), bytes);
        }
    }
    for (dir, depth) in [("pages", 2), ("static", usize::MAX)] {
        let root = content.join(dir);
        if !root.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&root)
            .min_depth(1)
            .max_depth(depth)
            .follow_links(false)
            .sort_by_file_name()
        {
            let entry =
                entry.with_context(|| crate::msg!("io.cannot_read", path = root.display()))?;
            let p = entry.path();
            if !entry.file_type().is_file()
                || (dir == "pages" && !source_page(p, entry.depth(), year))
            {
                continue;
            }
            let rel = bag::slash_path(p.strip_prefix(content).unwrap_or(p));
            out.insert(rel, read(p)?);
        }
    }
    Ok(out)
}

/// Whether a file of `pages/` is part of the source of year `year`'s
/// snapshot: the pages at its top and those of the years up to `year`.
fn source_page(p: &Path, depth: usize, year: i32) -> bool {
    p.extension().is_some_and(|e| e == "md")
        && (depth == 1 || crate::load::page_year(p).is_some_and(|y| y <= year))
}

/// The year folders of `data/` that the loader reads (four digits), up to
/// `last`.
fn data_years(content: &Path, last: i32) -> Vec<String> {
    let mut years: Vec<String> = std::fs::read_dir(content.join("data"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.len() == 4 && n.parse::<i32>().is_ok_and(|y| y <= last))
                .collect()
        })
        .unwrap_or_default();
    years.sort();
    years
}

/// A top-level scalar of a YAML file, as text.
fn yaml_field(path: &Path, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let root = yaml::parse(path, text.trim_start_matches('\u{feff}'), 0).ok()?;
    let Value::Map(entries) = root.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .and_then(|(_, v)| match &v.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            _ => None,
        })
}

/// A snapshot that does not verify.
#[derive(Debug, Clone)]
pub struct Invalid {
    pub dir: PathBuf,
    pub lines: Vec<String>,
}

/// Verifies every snapshot of `content/archive/` and returns its files,
/// keyed by their path in the built site (`archive/<year>/…`), to be
/// written byte for byte. The first snapshot that does not verify stops
/// it, with every one of its problems.
pub fn carry(content: &Path) -> Result<crate::layout::Files, Invalid> {
    let mut out = BTreeMap::new();
    for (year, dir) in snapshots(content).0 {
        let tree = match bag::read_tree(&dir) {
            Ok(t) => t,
            Err(e) => {
                return Err(Invalid {
                    lines: vec![format!("{e:#}")],
                    dir,
                })
            }
        };
        let verdict = verify::check(&tree);
        if !verdict.is_valid() {
            return Err(Invalid {
                lines: verdict.lines(&dir.display().to_string()),
                dir,
            });
        }
        for (rel, bytes) in tree.files {
            out.insert(
                Path::new(ARCHIVE_DIR).join(year.to_string()).join(rel),
                bytes.into(),
            );
        }
    }
    Ok(out)
}
