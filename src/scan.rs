//! The last check before anything is published: every text file of the
//! rendered site (and of an archive's source) is searched for what looks
//! like a Chinese resident ID number or a mainland mobile number. Such a
//! number in a register belongs under `private:`; finding one in the
//! output stops the build, unless `site.yaml` says
//! `allow_personal_numbers: true`.
//!
//! Numbers are matched on digit runs (ASCII or full-width digits), never
//! inside a longer run, so ids, figures and coordinates do not trip it:
//!
//! - resident ID: 18 characters, 17 digits and a check digit (0-9 or X)
//!   that is right under ISO 7064 MOD 11-2, a region code starting 1-8 and
//!   a real birth date between 1900 and 2099;
//! - mobile: `1[3-9]` and 9 more digits, alone, after `+86`/`86`, or
//!   written 3-4-4 with spaces or hyphens.
//!
//! Diagnostics show the numbers masked (`138****5678`), so that build logs
//! do not repeat them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Span};

/// How diagnostics name the built site's folder (the scan runs before
/// the output folder is chosen).
pub const SITE_ROOT: &str = "<output>";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    ResidentId,
    Mobile,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::ResidentId => "a resident ID number (身份证号)",
            Kind::Mobile => "a mobile phone number (手机号)",
        }
    }
}

/// One number found in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    /// The digits (and `X`) as ASCII, separators removed.
    pub number: String,
    /// 1-based line and column (in characters) of its first character.
    pub line: usize,
    pub col: usize,
}

impl Found {
    /// The number with all but a few digits hidden.
    pub fn masked(&self) -> String {
        mask(self.kind, &self.number)
    }
}

pub fn mask(kind: Kind, number: &str) -> String {
    let (head, tail) = match kind {
        Kind::ResidentId => (4, 2),
        Kind::Mobile => (3, 4),
    };
    let n = number.chars().count();
    number
        .chars()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= n { c } else { '*' })
        .collect()
}

/// A digit of either width, as its ASCII value.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8),
        '\u{FF10}'..='\u{FF19}' => Some(b'0' + (c as u32 - 0xFF10) as u8),
        _ => None,
    }
}

fn is_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | '\u{FF38}' | '\u{FF58}')
}

/// A run of digits of either width: byte offsets in the text, and how
/// many digits it has.
struct Run {
    start: usize,
    end: usize,
    len: usize,
}

impl Run {
    /// The run as ASCII digits.
    fn digits(&self, text: &str) -> String {
        text[self.start..self.end]
            .chars()
            .filter_map(digit)
            .map(char::from)
            .collect()
    }
}

/// Every resident ID or mobile number in `text`.
pub fn scan_text(text: &str) -> Vec<Found> {
    // Byte offsets, not a vector of chars: the search index of a large
    // register is tens of MB, and most of it has no digit at all.
    let mut runs = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if digit(c).is_none() {
            continue;
        }
        let mut run = Run {
            start: i,
            end: i + c.len_utf8(),
            len: 1,
        };
        while let Some(&(j, d)) = it.peek() {
            if digit(d).is_none() {
                break;
            }
            run.end = j + d.len_utf8();
            run.len += 1;
            it.next();
        }
        runs.push(run);
    }
    let char_at = |at: usize| text.get(at..).and_then(|t| t.chars().next());
    let mut hits: Vec<(usize, Kind, String)> = Vec::new();
    for (k, r) in runs.iter().enumerate() {
        if !matches!(r.len, 3 | 11 | 13 | 17 | 18) {
            continue;
        }
        let next = char_at(r.end);
        let digits = r.digits(text);
        // A resident ID: 18 digits, or 17 and an X that no letter or digit follows.
        if r.len == 18 && resident_id(&digits) {
            hits.push((r.start, Kind::ResidentId, digits.clone()));
        } else if r.len == 17 && next.is_some_and(is_x) {
            let after = r.end + next.map_or(0, char::len_utf8);
            if !char_at(after).is_some_and(|c| c.is_alphanumeric() || digit(c).is_some()) {
                let id = format!("{digits}X");
                if resident_id(&id) {
                    hits.push((r.start, Kind::ResidentId, id));
                }
            }
        }
        // A mobile number, alone or after the country code 86.
        if r.len == 11 && mobile(&digits) {
            hits.push((r.start, Kind::Mobile, digits.clone()));
        } else if r.len == 13 && digits.starts_with("86") && mobile(&digits[2..]) {
            hits.push((r.start, Kind::Mobile, digits[2..].to_string()));
        }
        // Written 3-4-4: `138 1234 5678`, `138-1234-5678`.
        if let (Some(b), Some(c)) = (runs.get(k + 1), runs.get(k + 2)) {
            let sep = next.filter(|s| *s == ' ' || *s == '-');
            let grouped = (r.len, b.len, c.len) == (3, 4, 4)
                && sep.is_some()
                && b.start == r.end + 1
                && c.start == b.end + 1
                && char_at(b.end) == sep;
            if grouped {
                let all = format!("{digits}{}{}", b.digits(text), c.digits(text));
                if mobile(&all) {
                    hits.push((r.start, Kind::Mobile, all));
                }
            }
        }
    }
    // Positions as line and column (in characters).
    let mut out = Vec::new();
    let (mut line, mut col, mut at) = (1, 1, 0);
    for (start, kind, number) in hits {
        for c in text[at..start].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        at = start;
        out.push(Found {
            kind,
            number,
            line,
            col,
        });
    }
    out
}

fn mobile(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// 17 digits and a check digit, a region code and a birth date.
pub fn resident_id(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || !(b'1'..=b'8').contains(&b[0]) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    if b[17].to_ascii_uppercase() != CHECK[(sum % 11) as usize] {
        return false;
    }
    let num = |r: std::ops::Range<usize>| id[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    };
    (1900..=2099).contains(&year) && (1..=days).contains(&day)
}

/// Whether `content/site.yaml` says `allow_personal_numbers: true` (for
/// the archive's source, scanned after the site was resolved).
pub fn allowed(content: &Path) -> bool {
    use crate::load::{yaml, Value};
    let path = content.join("site.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return false;
    };
    let Ok(root) = yaml::parse(&path, text.trim_start_matches('\u{feff}'), 0) else {
        return false;
    };
    let Value::Map(entries) = root.value else {
        return false;
    };
    entries
        .iter()
        .any(|(k, v)| k.as_str() == Some("allow_personal_numbers") && v.value == Value::Bool(true))
}

/// Hashes of rendered files found clean by earlier builds, by content.
#[derive(Default)]
pub struct Clean(std::sync::Mutex<BTreeSet<u64>>);
const CLEAN_MAX: usize = 200_000;

fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// The rendered site, or `None` when it holds personal numbers that the
/// site does not `allow` (the findings are in `diags`). `streamed` are the
/// findings of the pages that went to a stream (`Scanning`) instead.
pub fn guard(
    site: BTreeMap<PathBuf, Vec<u8>>,
    allow: bool,
    streamed: Vec<(PathBuf, Found)>,
    clean: Option<&Clean>,
    diags: &mut crate::diagnostics::Diagnostics,
) -> Option<BTreeMap<PathBuf, Vec<u8>>> {
    if allow {
        return Some(site);
    }
    // A file found clean before in this process (the same bytes) is not
    // searched again: `serve` builds on every save, and most files stay.
    let lock = || clean.and_then(|c| c.0.lock().ok());
    let hashes: Vec<u64> = site.values().map(|b| content_hash(b)).collect();
    let known = lock().map(|c| c.clone()).unwrap_or_default();
    let todo: Vec<_> = site
        .iter()
        .zip(&hashes)
        .filter(|(_, h)| !known.contains(h))
        .map(|(f, _)| f)
        .collect();
    let mut found = find_in_files(todo);
    if found.is_empty() && streamed.is_empty() {
        if let Some(mut clean) = lock() {
            if clean.len() > CLEAN_MAX {
                clean.clear();
            }
            clean.extend(hashes);
        }
        return Some(site);
    }
    // Streamed pages came in any order: the first file that holds a number
    // is the first by path, as for the kept files.
    found.extend(streamed);
    found.sort_by(|a, b| a.0.cmp(&b.0));
    report(found, Path::new(SITE_ROOT), false)
        .into_iter()
        .for_each(|d| diags.push(d));
    None
}

/// A stream that searches each page before passing it on to `next`; what
/// it finds goes to `guard`, which then stops the build.
pub struct Scanning<'a> {
    next: &'a dyn crate::layout::Stream,
    allow: bool,
    found: std::sync::Mutex<Vec<(PathBuf, Found)>>,
}

impl<'a> Scanning<'a> {
    pub fn new(next: &'a dyn crate::layout::Stream, allow: bool) -> Scanning<'a> {
        Scanning {
            next,
            allow,
            found: std::sync::Mutex::new(Vec::new()),
        }
    }

    pub fn found(self) -> Vec<(PathBuf, Found)> {
        self.found.into_inner().unwrap_or_default()
    }
}

impl crate::layout::Stream for Scanning<'_> {
    fn put(&self, path: &Path, bytes: Vec<u8>) {
        if !self.allow {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let found = scan_text(text);
                if !found.is_empty() {
                    if let Ok(mut all) = self.found.lock() {
                        all.extend(found.into_iter().map(|f| (path.to_path_buf(), f)));
                    }
                }
            }
        }
        self.next.put(path, bytes);
    }
}

/// Scans every text file of `files` (paths relative to `root`, which only
/// names them in messages). One diagnostic per distinct number, at the
/// first file that holds it, counting the others; with a line and column
/// when `positions` (not for rendered files, which are minified after).
pub fn scan_files<'a, P: AsRef<Path>>(
    files: impl IntoIterator<Item = (P, &'a Vec<u8>)>,
    root: &Path,
    positions: bool,
) -> Vec<Diagnostic> {
    report(find_in_files(files), root, positions)
}

/// Every number in the text files of `files`, with the file it is in.
fn find_in_files<'a, P: AsRef<Path>>(
    files: impl IntoIterator<Item = (P, &'a Vec<u8>)>,
) -> Vec<(PathBuf, Found)> {
    let mut all = Vec::new();
    for (rel, bytes) in files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue; // images, fonts: not text
        };
        all.extend(
            scan_text(text)
                .into_iter()
                .map(|f| (rel.as_ref().to_path_buf(), f)),
        );
    }
    all
}

/// One diagnostic per distinct number of `found`, at its first file.
fn report(found: Vec<(PathBuf, Found)>, root: &Path, positions: bool) -> Vec<Diagnostic> {
    // The span names the file only: a position would make the printer
    // quote the source line, number and all. It goes into the message.
    let mut seen: BTreeMap<(Kind, String), (Span, String, usize)> = BTreeMap::new();
    for (rel, f) in found {
        seen.entry((f.kind, f.number))
            .and_modify(|(_, _, n)| *n += 1)
            .or_insert_with(|| {
                let at = if positions {
                    format!(" at line {}, column {}", f.line, f.col)
                } else {
                    String::new()
                };
                (Span::file(root.join(rel)), at, 0)
            });
    }
    let mut out: Vec<Diagnostic> = seen
        .into_iter()
        .map(|((kind, number), (span, at, others))| {
            let more = match others {
                0 => String::new(),
                1 => " (and once more elsewhere)".to_string(),
                n => format!(" (and {n} more times elsewhere)"),
            };
            Diagnostic::error(
                span,
                format!(
                    "the output would publish what looks like {} `{}`{at}{more}",
                    kind.describe(),
                    mask(kind, &number)
                ),
            )
            .help("move it under `private:` in the register (or out of the page) it comes from; if publishing such numbers is intended, set `allow_personal_numbers: true` in site.yaml")
        })
        .collect();
    out.sort_by(|a, b| a.span.cmp(&b.span));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    // 11010519491231002X is the example of GB 11643-1999.
    const ID: &str = "11010519491231002X";

    #[test]
    fn a_file_found_clean_is_searched_again_once_it_changes() {
        let site =
            |text: &str| BTreeMap::from([(PathBuf::from("a.html"), text.as_bytes().to_vec())]);
        let mut d = crate::diagnostics::Diagnostics::default();
        let clean = Clean::default();
        let c = Some(&clean);
        assert!(guard(
            site("<p>电话 请见内部名录</p>"),
            false,
            Vec::new(),
            c,
            &mut d
        )
        .is_some());
        assert_eq!(
            clean.0.lock().unwrap().len(),
            1,
            "the clean file is remembered"
        );
        assert!(guard(
            site("<p>电话 请见内部名录</p>"),
            false,
            Vec::new(),
            c,
            &mut d
        )
        .is_some());
        assert!(guard(
            site("<p>电话 13812345678</p>"),
            false,
            Vec::new(),
            c,
            &mut d
        )
        .is_none());
        assert!(d.has_errors());
    }

    #[test]
    fn finds_resident_ids_with_a_valid_check_digit() {
        assert!(resident_id(ID));
        assert!(!resident_id("110105194912310029"));
        let f = scan_text(&format!("身份证：{ID}。"));
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].kind, f[0].line, f[0].col), (Kind::ResidentId, 1, 5));
        assert_eq!(f[0].masked(), "1101************2X");
        // Lowercase and full-width.
        assert_eq!(scan_text("11010519491231002x").len(), 1);
        let wide: String = ID
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap(),
                c => c,
            })
            .collect();
        assert_eq!(scan_text(&wide).len(), 1);
    }

    #[test]
    fn ignores_look_alikes() {
        // Wrong check digit, impossible date, inside a longer run, followed by a letter.
        for text in [
            "110105194912310021",
            "110105194913310024",
            "911010519491231002X",
            "11010519491231002Xa",
            "0110105194912310029",
            "count 12345678901 ids",
            "12812345678",
            "138123456789",
            "2138123456780",
            "ent-0001 2016-11-30 1,234,567 0.998",
            "138 1234 56789",
        ] {
            assert!(scan_text(text).is_empty(), "{text}: {:?}", scan_text(text));
        }
    }

    #[test]
    fn finds_mobile_numbers_in_their_usual_spellings() {
        for text in [
            "13812345678",
            "电话13812345678，",
            "+8613812345678",
            "138 1234 5678",
            "138-1234-5678",
            "<td>19912345678</td>",
        ] {
            let f = scan_text(text);
            assert_eq!(f.len(), 1, "{text}");
            assert_eq!(f[0].masked(), mask(Kind::Mobile, &f[0].number));
        }
        assert_eq!(scan_text("a\nb 13812345678")[0].line, 2);
        assert_eq!(mask(Kind::Mobile, "13812345678"), "138****5678");
    }

    #[test]
    fn reports_each_number_once_with_its_first_file() {
        let files = BTreeMap::from([
            (PathBuf::from("a.html"), b"x 13812345678".to_vec()),
            (PathBuf::from("b.csv"), b"13812345678".to_vec()),
            (PathBuf::from("c.png"), vec![0xff, 0xfe, b'1']),
        ]);
        let d = scan_files(&files, Path::new("site"), false);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span, Span::file("site/a.html"));
        assert!(d[0].message.contains("138****5678") && d[0].message.contains("once more"));
        assert!(!d[0].message.contains("13812345678"));
    }
}
