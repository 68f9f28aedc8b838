//! Stage 1, load: walk `content/`, read every source file and parse its YAML
//! into position-carrying trees. Only this stage (and `write`) touches the
//! disk; nothing here knows what the fields mean.

mod chunks;
pub use chunks::keep_pieces;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
pub use yaml::{Node, Value};

/// The three register files of a year, in the order they are resolved.
pub const YEAR_FILES: [&str; 3] = ["organizations.yaml", "branches.yaml", "metrics.yaml"];

/// A parsed YAML file and where it came from.
#[derive(Debug, Clone)]
pub struct YamlFile {
    pub path: PathBuf,
    pub root: Node,
    /// Different for every parse in this process: what was resolved from
    /// a file with the same serial was resolved from the same tree
    /// (`serve` keeps the model of registers no save touched).
    pub serial: u64,
}

impl YamlFile {
    pub fn new(path: PathBuf, root: Node) -> YamlFile {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        YamlFile {
            path,
            root,
            serial: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }
}

#[derive(Debug, Default)]
pub struct RawYear {
    pub dir: PathBuf,
    pub organizations: Option<YamlFile>,
    pub branches: Option<YamlFile>,
    pub metrics: Option<YamlFile>,
}

#[derive(Debug)]
pub struct RawPage {
    pub path: PathBuf,
    pub stem: String,
    /// The year of a page of `pages/<year>/`; `None` for `pages/*.md`,
    /// the write-up of the year site.yaml presents.
    pub year: Option<i32>,
    pub front: Option<Node>,
    /// The front matter exists but could not be read (already reported).
    pub front_broken: bool,
    pub body: String,
    pub body_line: usize,
}

#[derive(Debug, Default)]
pub struct RawSite {
    pub content_dir: PathBuf,
    pub site: Option<YamlFile>,
    /// site.yaml lists `rollup:` members: its year folders need only
    /// `metrics.yaml`, its figures come from the members.
    pub rollup: bool,
    pub years: BTreeMap<i32, RawYear>,
    pub pages: Vec<RawPage>,
    /// Files under `static/`, relative to it, with their bytes.
    pub static_files: Vec<(PathBuf, Vec<u8>)>,
    /// Set by `serve`: the site is rendered for its author (see
    /// `SiteConfig::preview`), never for publishing.
    pub preview: bool,
}

/// Reads everything under `content_dir`. Problems are collected, not fatal:
/// a file that cannot be read or parsed is left out and reported.
pub fn load(content_dir: &Path, diags: &mut Diagnostics) -> RawSite {
    let mut raw = RawSite {
        content_dir: content_dir.to_path_buf(),
        ..RawSite::default()
    };
    let site_path = content_dir.join("site.yaml");
    if is_link(&site_path, diags) {
        // reported
    } else if site_path.is_file() {
        raw.site = read_yaml(&site_path, diags);
    } else {
        diags.push(
            Diagnostic::error(Span::file(&site_path), crate::msg!("load.site_missing"))
                .help(crate::msg!("load.site_missing.help")),
        );
    }
    raw.rollup = raw.site.as_ref().is_some_and(|f| match &f.root.value {
        Value::Map(entries) => entries.iter().any(|(k, _)| k.as_str() == Some("rollup")),
        _ => false,
    });
    load_years(content_dir, &mut raw, diags);
    load_pages(content_dir, &mut raw, diags);
    load_static(content_dir, &mut raw, diags);
    raw
}

/// Reads `path` again into `raw`, which `load` made from the same folder,
/// after `diags.forget_file(path)`: `serve` reloads only what changed.
/// Returns false, touching nothing, when `path` is not a file `raw` already
/// has a place for (site.yaml, a register of a known year, a page read
/// before): the caller then loads everything again.
pub fn reload(raw: &mut RawSite, path: &Path, diags: &mut Diagnostics) -> bool {
    let regular = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_file());
    let Ok(rel) = path.strip_prefix(&raw.content_dir) else {
        return false;
    };
    if !regular {
        return false;
    }
    let parts: Vec<_> = rel.iter().map(|p| p.to_string_lossy()).collect();
    let slot = match parts.as_slice() {
        [name] if name == "site.yaml" => &mut raw.site,
        [data, year, file] if data == "data" => {
            let Some(ry) = year.parse().ok().and_then(|y: i32| raw.years.get_mut(&y)) else {
                return false;
            };
            match file.as_ref() {
                "organizations.yaml" => &mut ry.organizations,
                "branches.yaml" => &mut ry.branches,
                "metrics.yaml" => &mut ry.metrics,
                _ => return false,
            }
        }
        [pages, ..] if pages == "pages" => {
            let Some(i) = raw.pages.iter().position(|p| p.path == path) else {
                return false;
            };
            let total: u64 = page_files(&raw.content_dir.join("pages"), diags)
                .iter()
                .map(|e| e.metadata().map_or(0, |m| m.len()))
                .sum();
            if total > MAX_PAGES_BYTES {
                return false;
            }
            match read_text(path, diags) {
                Some(text) => raw.pages[i] = page_from_text(path, &text, diags),
                None => {
                    raw.pages.remove(i);
                }
            }
            return true;
        }
        _ => return false,
    };
    // A register's unchanged pieces are moved over from its last tree.
    let last = slot.take().map(|f| f.root);
    *slot = read_yaml_over(path, diags, last);
    true
}

fn load_years(content_dir: &Path, raw: &mut RawSite, diags: &mut Diagnostics) {
    use rayon::prelude::*;
    let data_dir = content_dir.join("data");
    // Which files to read, found in order; then read and parsed in
    // parallel (a province's registers are tens of megabytes), each with
    // its own diagnostics, which are sorted when printed.
    let mut reads: Vec<(i32, &str, PathBuf)> = Vec::new();
    for entry in sorted_entries(&data_dir, 1, diags) {
        if !entry.file_type().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(year) = name.parse::<i32>().ok().filter(|_| name.len() == 4) else {
            diags.push(
                Diagnostic::warning(
                    Span::file(entry.path()),
                    crate::msg!("load.folder_not_year", name = name),
                )
                .help(crate::msg!("load.folder_not_year.help")),
            );
            continue;
        };
        for file in YEAR_FILES {
            let path = entry.path().join(file);
            if is_link(&path, diags) {
                // reported
            } else if path.is_file() {
                reads.push((year, file, path));
            } else if raw.rollup && file != "metrics.yaml" {
                // A roll-up's registers are its members'.
            } else {
                diags.push(
                    Diagnostic::error(
                        Span::file(&path),
                        crate::msg!("load.year_file_missing", file = file, year = year),
                    )
                    .help(crate::msg!(
                        "load.year_file_missing.help",
                        files = YEAR_FILES.join(", ")
                    )),
                );
            }
        }
        raw.years.insert(
            year,
            RawYear {
                dir: entry.path().to_path_buf(),
                ..RawYear::default()
            },
        );
    }
    let parsed: Vec<(Option<YamlFile>, Diagnostics)> = reads
        .par_iter()
        .map(|(_, _, path)| {
            let mut d = Diagnostics::default();
            (read_yaml(path, &mut d), d)
        })
        .collect();
    for ((year, file, _), (yaml, d)) in reads.into_iter().zip(parsed) {
        diags.append(d);
        let Some(ry) = raw.years.get_mut(&year) else {
            continue;
        };
        let slot = match file {
            "organizations.yaml" => &mut ry.organizations,
            "branches.yaml" => &mut ry.branches,
            _ => &mut ry.metrics,
        };
        *slot = yaml;
    }
}

fn load_pages(content_dir: &Path, raw: &mut RawSite, diags: &mut Diagnostics) {
    let pages_dir = content_dir.join("pages");
    let mut total = 0;
    for entry in page_files(&pages_dir, diags) {
        let path = entry.path();
        total += entry.metadata().map_or(0, |m| m.len());
        if total > MAX_PAGES_BYTES {
            diags.push(
                Diagnostic::error(
                    Span::file(path),
                    crate::msg!("load.pages_too_large", mib = MAX_PAGES_BYTES >> 20),
                )
                .help(crate::msg!("load.pages_too_large.help")),
            );
            return;
        }
        let Some(text) = read_text(path, diags) else {
            continue;
        };
        raw.pages.push(page_from_text(path, &text, diags));
    }
}

/// Characters a source text may not hold: control characters (XML allows
/// none but tab and line breaks, and terminals act on them) and the
/// non-characters U+FFFE and U+FFFF. Register values and pages holding
/// one are refused with its position, never silently cleaned: the user
/// sees what the file really says.
pub fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Characters no XML 1.0 document may hold, even as a reference: the
/// writers of XML files drop them (a last guard behind `forbidden`).
pub fn xml_forbidden(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// How a message names a forbidden character.
pub fn char_kind(c: char) -> String {
    if c.is_control() {
        crate::msg!("word.control_character")
    } else {
        crate::msg!("word.non_character")
    }
}

/// The most characters of a page reported as forbidden, one by one.
const MAX_REPORTED_CHARS: usize = 10;

/// Reports each forbidden character of a page's text with its position.
fn check_characters(path: &Path, text: &str, diags: &mut Diagnostics) {
    let mut found = 0;
    for (i, line) in text.split('\n').enumerate() {
        for (col, c) in line.chars().enumerate().filter(|(_, c)| forbidden(*c)) {
            found += 1;
            if found > MAX_REPORTED_CHARS {
                continue;
            }
            diags.push(
                Diagnostic::error(
                    Span::new(path, i + 1, col + 1),
                    crate::msg!(
                        "load.page_forbidden_char",
                        kind = char_kind(c),
                        code = format_args!("U+{:04X}", c as u32)
                    ),
                )
                .help(crate::msg!("load.forbidden_char.help")),
            );
        }
    }
    if found > MAX_REPORTED_CHARS {
        diags.push(Diagnostic::error(
            Span::file(path),
            crate::msg!(
                "load.page_more_forbidden_chars",
                n = found - MAX_REPORTED_CHARS
            ),
        ));
    }
}

/// The Markdown files of `pages/`: the presented year's write-up at its
/// top, each year's own in a folder named after the year (`pages/2015/`).
fn page_files(pages_dir: &Path, diags: &mut Diagnostics) -> Vec<walkdir::DirEntry> {
    sorted_entries(pages_dir, 2, diags)
        .into_iter()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.depth() == 1 || page_year(e.path()).is_some())
        .collect()
}

/// The year of a page in a year folder of `pages/` (four digits).
pub fn page_year(path: &Path) -> Option<i32> {
    let parent = path.parent()?;
    if parent.parent()?.file_name()? != "pages" {
        return None;
    }
    let name = parent.file_name()?.to_str()?;
    (name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit()))
        .then(|| name.parse().ok())
        .flatten()
}

/// A Markdown page from its text: front matter parsed, body split off.
/// `path` names the page in diagnostics and gives its slug.
pub fn page_from_text(path: &Path, text: &str, diags: &mut Diagnostics) -> RawPage {
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let before = diags.items().len();
    let (front, body, body_line) = split_front_matter(path, text, diags);
    let front_broken = diags.items().len() > before;
    check_characters(path, text, diags);
    RawPage {
        path: path.to_path_buf(),
        stem,
        year: page_year(path),
        front,
        front_broken,
        body,
        body_line,
    }
}

fn load_static(content_dir: &Path, raw: &mut RawSite, diags: &mut Diagnostics) {
    let dir = content_dir.join("static");
    let files: Vec<_> = sorted_entries(&dir, usize::MAX, diags)
        .into_iter()
        .filter(|e| e.file_type().is_file())
        .collect();
    // The sizes are added up before anything is read.
    let total: u64 = files
        .iter()
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum();
    if total > MAX_STATIC_BYTES {
        diags.push(
            Diagnostic::error(
                Span::file(&dir),
                crate::msg!(
                    "load.static_too_large",
                    mib = total >> 20,
                    max = MAX_STATIC_BYTES >> 20
                ),
            )
            .help(crate::msg!("load.static_too_large.help")),
        );
        return;
    }
    for entry in files {
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        match read_limited(entry.path(), MAX_STATIC_BYTES) {
            Ok(bytes) => raw.static_files.push((rel, bytes)),
            Err(e) => diags.push(Diagnostic::error(
                Span::file(entry.path()),
                crate::msg!("load.cannot_read", reason = io_reason(&e)),
            )),
        }
    }
}

/// The most bytes the Markdown pages of `content/pages/` may hold in all.
pub const MAX_PAGES_BYTES: u64 = 64 * 1024 * 1024;

/// The most bytes `content/static/` may hold in all: a build keeps the
/// whole site in memory.
pub const MAX_STATIC_BYTES: u64 = 512 * 1024 * 1024;

/// Entries below `dir` in name order, so that every run sees the same order.
/// Symbolic links are never followed, so nothing outside `content/` is read
/// or published: each one met (and `dir` itself, if it is one) is an error.
fn sorted_entries(dir: &Path, depth: usize, diags: &mut Diagnostics) -> Vec<walkdir::DirEntry> {
    if is_link(dir, diags) || !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .max_depth(depth)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path_is_symlink() {
            is_link(entry.path(), diags);
        } else {
            out.push(entry);
        }
    }
    out
}

/// Whether `path` is a symbolic link; if so, the error is reported.
fn is_link(path: &Path, diags: &mut Diagnostics) -> bool {
    let link = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    if link {
        diags.push(
            Diagnostic::error(Span::file(path), crate::msg!("load.symlink"))
                .help(crate::msg!("load.symlink.help")),
        );
    }
    link
}

/// Reads at most `limit` bytes; a longer file is an error, and is not read
/// into memory whole.
fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(crate::msg!(
            "load.file_too_large",
            mib = limit >> 20
        )));
    }
    Ok(bytes)
}

/// Why a file could not be read, in the run's language: the system's own
/// words are English, so the usual reasons are said in ours.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    if crate::messages::lang() == crate::messages::Lang::En {
        return e.to_string();
    }
    match e.kind() {
        ErrorKind::NotFound => crate::msg!("io.not_found"),
        ErrorKind::PermissionDenied => crate::msg!("io.permission_denied"),
        ErrorKind::IsADirectory => crate::msg!("io.is_a_directory"),
        // Our own reasons (a file too large) are already in our words.
        ErrorKind::Other if e.raw_os_error().is_none() => e.to_string(),
        _ => crate::msg!("io.other", reason = e),
    }
}

fn read_text(path: &Path, diags: &mut Diagnostics) -> Option<String> {
    match read_limited(path, yaml::limits::MAX_SOURCE_BYTES as u64) {
        Ok(bytes) => match decode_utf8(path, bytes) {
            Ok(text) => {
                diags.add_source(path, &text);
                Some(text)
            }
            Err(d) => {
                diags.push(d);
                None
            }
        },
        Err(e) => {
            diags.push(Diagnostic::error(
                Span::file(path),
                crate::msg!("load.cannot_read", reason = io_reason(&e)),
            ));
            None
        }
    }
}

/// The text of a source file, which must be UTF-8 (a byte-order mark is
/// dropped). Otherwise the error says where the first byte that is not
/// UTF-8 stands, which encoding the file looks like, and how to convert it.
pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let utf16 = utf16_order(&bytes);
    let text = match (&utf16, String::from_utf8(bytes)) {
        (None, Ok(text)) => {
            return Ok(text
                .strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text))
        }
        (_, Ok(text)) => text.into_bytes(),
        (_, Err(e)) => e.into_bytes(),
    };
    let valid = if utf16.is_some() {
        0
    } else {
        std::str::from_utf8(&text).map_or_else(|e| e.valid_up_to(), |_| text.len())
    };
    let before = String::from_utf8_lossy(&text[..valid]);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let (looks, from) = match utf16 {
        Some((order, from)) => (crate::msg!("load.looks_utf16", order = order), from),
        None if gb18030(&text) => (crate::msg!("load.looks_gbk"), "GB18030"),
        None => (crate::msg!("load.looks_unknown"), "GB18030"),
    };
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().to_string());
    Err(Diagnostic::error(
        Span::new(path, line, col),
        crate::msg!("load.not_utf8", offset = valid, looks = looks),
    )
    .help(crate::msg!("load.not_utf8.help", from = from, name = name)))
}

/// Whether `bytes` look like UTF-16, and in which byte order: a byte-order
/// mark, or (without one) a zero byte in every other place of the start,
/// as text of ASCII letters in UTF-16 has.
/// Returns the order in words and the encoding's name for `iconv`.
fn utf16_order(bytes: &[u8]) -> Option<(String, &'static str)> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some((crate::msg!("word.little_endian_bom"), "UTF-16"));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some((crate::msg!("word.big_endian_bom"), "UTF-16"));
    }
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let zeros = |offset: usize| {
        head.iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let pairs = head.len() / 2;
    match (zeros(0), zeros(1)) {
        (even, odd) if odd * 2 > pairs && even * 8 < pairs => {
            Some((crate::msg!("word.little_endian"), "UTF-16LE"))
        }
        (even, odd) if even * 2 > pairs && odd * 8 < pairs => {
            Some((crate::msg!("word.big_endian"), "UTF-16BE"))
        }
        _ => None,
    }
}

/// Whether `bytes` decode as GB18030 without error (GBK and GB2312 are
/// part of it).
fn gb18030(bytes: &[u8]) -> bool {
    let (_, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    !had_errors
}

fn read_yaml(path: &Path, diags: &mut Diagnostics) -> Option<YamlFile> {
    read_yaml_over(path, diags, None)
}

/// `read_yaml`, given the tree the last read of `path` gave.
fn read_yaml_over(path: &Path, diags: &mut Diagnostics, last: Option<Node>) -> Option<YamlFile> {
    let text = read_text(path, diags)?;
    match chunks::parse_over(path, &text, last) {
        Ok(root) => Some(YamlFile::new(path.to_path_buf(), root)),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Splits `---` front matter from a Markdown page. Returns the parsed front
/// matter, the body and the line on which the body starts.
fn split_front_matter(
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> (Option<Node>, String, usize) {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return (None, text.to_string(), 1);
    }
    let mut offset = first.len();
    let mut yaml_len = 0;
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            let yaml = &text[first.len()..first.len() + yaml_len];
            let body = &text[offset + line.len()..];
            let front = match yaml::parse(path, yaml, 1) {
                Ok(n) => Some(n),
                Err(d) => {
                    diags.push(d);
                    None
                }
            };
            return (front, body.to_string(), i + 3);
        }
        offset += line.len();
        yaml_len += line.len();
    }
    diags.push(
        Diagnostic::error(Span::new(path, 1, 1), crate::msg!("load.front_matter_open"))
            .help(crate::msg!("load.front_matter_open.help")),
    );
    (None, String::new(), 1)
}
