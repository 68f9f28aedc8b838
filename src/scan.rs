//! The last check before anything is published: every text file of the
//! rendered site (and of an archive's source) is searched for what looks
//! like a Chinese resident ID number or a mainland mobile number. Such a
//! number in a register belongs under `private:`; finding one in the
//! output stops the build, unless `site.yaml` says
//! `allow_personal_numbers: true`.
//!
//! Numbers are matched on digit runs (ASCII or full-width digits), never
//! inside a longer run, so ids, figures and coordinates do not trip it;
//! groups of digits parted each time by the same spaces (any Unicode
//! space), hyphens or dots count as one number, and invisible characters
//! (zero-width spaces, soft hyphens, word joiners…) and HTML character
//! references are read through, so that no spelling hides a number:
//!
//! - resident ID: 18 characters, 17 digits and a check digit (0-9 or X)
//!   that is right under ISO 7064 MOD 11-2, a region code starting 1-8 and
//!   a real birth date between 1900 and 2099;
//! - mobile: `1[3-9]` and 9 more digits, alone or after `+86`/`86`.
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
    pub fn describe(self) -> String {
        match self {
            Kind::ResidentId => crate::msg!("word.resident_id"),
            Kind::Mobile => crate::msg!("word.mobile"),
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

/// Characters that take no room on screen: zero-width spaces and joiners,
/// the soft hyphen, the byte-order mark, direction marks and overrides,
/// variation selectors, tags, and blank letters (Hangul fillers). Inside a
/// number they hide nothing from a reader, so the search looks through them.
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The kind of separator a character is between groups of digits: a space
/// of any width (`s`), a hyphen or dash (`h`), a dot (`d`). Line breaks and
/// tabs are not: they end table cells and lines of figures.
fn separator(c: char) -> Option<u8> {
    match c {
        '\n' | '\r' | '\t' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => None,
        c if c.is_whitespace() => Some(b's'),
        '-'
        | '\u{2010}'..='\u{2015}'
        | '\u{2043}'
        | '\u{2212}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}' => Some(b'h'),
        '.' | '\u{00B7}' | '\u{2024}' | '\u{2027}' | '\u{FF0E}' => Some(b'd'),
        _ => None,
    }
}

/// What one character of the text (or one HTML character reference such
/// as `&nbsp;` or `&#8203;`) is to the search.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Digit(u8),
    X,
    Invisible,
    Sep(u8),
    /// Anything else; whether it is a letter or digit of some script.
    Other(bool),
}

fn classify(c: char) -> Unit {
    if let Some(d) = digit(c) {
        Unit::Digit(d)
    } else if is_x(c) {
        Unit::X
    } else if invisible(c) {
        Unit::Invisible
    } else if let Some(s) = separator(c) {
        Unit::Sep(s)
    } else {
        Unit::Other(c.is_alphanumeric())
    }
}

/// The unit at byte `i` of `text` and its length in bytes. An HTML
/// character reference counts as the character it stands for, so that
/// `138&nbsp;1234&nbsp;5678` in a raw-HTML page is found like the text.
fn unit_at(text: &str, i: usize) -> (Unit, usize) {
    // ASCII first: most of a page is markup and Latin text.
    let b = text.as_bytes()[i];
    if b.is_ascii() && b != b'&' {
        let unit = match b {
            b'0'..=b'9' => Unit::Digit(b),
            b'X' | b'x' => Unit::X,
            b' ' => Unit::Sep(b's'),
            b'-' => Unit::Sep(b'h'),
            b'.' => Unit::Sep(b'd'),
            b if b.is_ascii_alphabetic() => Unit::Other(true),
            _ => Unit::Other(false),
        };
        return (unit, 1);
    }
    let c = text[i..].chars().next().unwrap_or('\0');
    // Chinese text is most of what is not markup: every CJK unified
    // ideograph is a letter, never a digit, space or mark, and asking
    // `classify` would search the Unicode tables for each one.
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return (Unit::Other(true), c.len_utf8());
    }
    if c == '&' {
        if let Some((decoded, len)) = reference(&text[i..]) {
            return (classify(decoded), len);
        }
    }
    (classify(c), c.len_utf8())
}

/// `&name;`, `&#nnn;` or `&#xhh;` at the start of `s`: the character and
/// the reference's length. Only the names of spaces, dashes and invisible
/// characters are known; others read as text.
fn reference(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(24).position(|&b| b == b';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match body {
            "nbsp" | "NonBreakingSpace" => '\u{A0}',
            "shy" => '\u{AD}',
            "ensp" => '\u{2002}',
            "emsp" => '\u{2003}',
            "numsp" => '\u{2007}',
            "puncsp" => '\u{2008}',
            "thinsp" | "ThinSpace" => '\u{2009}',
            "hairsp" | "VeryThinSpace" => '\u{200A}',
            "ZeroWidthSpace"
            | "NegativeThinSpace"
            | "NegativeMediumSpace"
            | "NegativeThickSpace"
            | "NegativeVeryThinSpace" => '\u{200B}',
            "zwnj" => '\u{200C}',
            "zwj" => '\u{200D}',
            "lrm" => '\u{200E}',
            "rlm" => '\u{200F}',
            "NoBreak" => '\u{2060}',
            "hyphen" | "dash" => '\u{2010}',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "minus" => '\u{2212}',
            "period" => '.',
            "middot" | "centerdot" | "CenterDot" => '\u{B7}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// The most digits a personal number has: longer windows never match.
const MAX_DIGITS: usize = 18;

/// A group of digits: where its first digit is (byte offset), its digits
/// as ASCII (invisible characters between them left out; only the first
/// `MAX_DIGITS` + 1 are kept, as a longer group never matches), how many
/// there are, and whether an `X` that ends a word follows it.
struct Group {
    start: usize,
    digits: [u8; MAX_DIGITS + 1],
    len: usize,
    x_after: bool,
}

impl Group {
    fn digits(&self) -> &[u8] {
        &self.digits[..self.len.min(MAX_DIGITS + 1)]
    }
}

/// The separator between two groups: up to three separator kinds (`s`,
/// `h`, `d`), with invisible characters anywhere.
type Link = Option<[u8; 3]>;

/// The groups of the text not yet searched, linked to their neighbours by
/// the separator between them. Groups are searched and dropped as soon as
/// no later group can join them, so memory does not grow with the text.
#[derive(Default)]
struct Groups {
    groups: Vec<Group>,
    /// `links[k]` parts `groups[k]` and `groups[k + 1]`.
    links: Vec<Link>,
    /// The first group a window may still start at (after a hit, windows
    /// start past it).
    next: usize,
    hits: Vec<(usize, Kind, String)>,
}

impl Groups {
    fn push(&mut self, g: Group, link: Link) {
        if link.is_none() && !self.groups.is_empty() {
            self.search(true);
        }
        if !self.groups.is_empty() {
            self.links.push(link);
        }
        self.groups.push(g);
        // A long chain (`1 2 3 4 …`): search the windows that no longer
        // depend on what follows, keep the tail.
        if self.groups.len() > 4 * MAX_DIGITS {
            self.search(false);
        }
    }

    /// Searches the windows starting at `next`: all of them when `all`
    /// (nothing can join the last group), else those that cannot reach
    /// the last group; then drops the groups no window can start at.
    fn search(&mut self, all: bool) {
        let stop = if all {
            self.groups.len()
        } else {
            self.groups.len().saturating_sub(MAX_DIGITS)
        };
        while self.next < stop {
            self.next = self.window_at(self.next);
        }
        let drop = self.next.min(self.groups.len());
        self.groups.drain(..drop);
        self.links.drain(..drop.min(self.links.len()));
        self.next -= drop;
    }

    /// Tries the windows starting at group `i`; returns where the next
    /// window starts.
    fn window_at(&mut self, i: usize) -> usize {
        let mut key: Link = None;
        let mut digits = String::new();
        for (j, g) in self.groups.iter().enumerate().skip(i) {
            if j > i {
                let Some(link) = self.links[j - 1] else {
                    break;
                };
                if key.is_some_and(|k| k != link) {
                    break;
                }
                key = Some(link);
            }
            if digits.len() + g.len > MAX_DIGITS {
                break;
            }
            digits.extend(g.digits().iter().map(|&d| char::from(d)));
            // Two groups parted by a dot are a decimal number.
            let decimal = j == i + 1 && key.is_some_and(|k| k.contains(&b'd'));
            if decimal {
                continue;
            }
            if let Some((kind, number)) = personal(&digits, g.x_after) {
                self.hits.push((self.groups[i].start, kind, number));
                return j + 1;
            }
        }
        i + 1
    }
}

/// Every resident ID or mobile number in `text`: a run of digits, or
/// groups of digits parted by the same separator each time (`138 1234
/// 5678`, `110105-19491231-002X`, `138.1234.5678`), read through
/// invisible characters. Two groups parted by a dot are a decimal number,
/// not a grouping. A run is never taken apart: `12138123456789` is no
/// mobile number.
pub fn scan_text(text: &str) -> Vec<Found> {
    // Byte offsets, not a vector of chars: the search index of a large
    // register is tens of MB, and most of it has no digit at all.
    let mut found = Groups::default();
    let mut cur: Option<Group> = None;
    // The link to the next group: the separators met since the last group
    // ended while nothing else was (`None` once something else was).
    let mut link: Option<Vec<u8>> = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        // Between numbers only a digit changes anything: markup, Latin
        // text and CJK ideographs are passed over at once.
        if cur.is_none() && link.is_none() {
            i = skip_to_digit(bytes, i);
            if i >= bytes.len() {
                break;
            }
        }
        let (unit, len) = unit_at(text, i);
        match unit {
            Unit::Digit(d) => {
                let g = cur.get_or_insert(Group {
                    start: i,
                    digits: [0; MAX_DIGITS + 1],
                    len: 0,
                    x_after: false,
                });
                if g.len <= MAX_DIGITS {
                    g.digits[g.len] = d;
                }
                g.len += 1;
            }
            Unit::Invisible => {}
            Unit::Sep(kind) => {
                if let Some(g) = cur.take() {
                    found.push(g, take_link(&mut link));
                    link = Some(Vec::new());
                }
                if let Some(l) = link.as_mut() {
                    l.push(kind);
                }
            }
            Unit::X | Unit::Other(_) => {
                if let Some(mut g) = cur.take() {
                    if unit == Unit::X {
                        g.x_after = ends_word(text, i + len);
                    }
                    found.push(g, take_link(&mut link));
                }
                link = None;
            }
        }
        i += len;
    }
    if let Some(g) = cur {
        found.push(g, take_link(&mut link));
    }
    found.search(true);
    let hits = found
        .hits
        .into_iter()
        .filter(|&(start, _, _)| !in_hex_token(text, start))
        .collect();
    positions(text, hits)
}

/// The first byte from `i` on that may start a digit: ASCII other than
/// digits and `&`, and CJK unified ideographs (U+4E00–U+9FFF, three bytes
/// led by E4 B8… to E9), are never one.
fn skip_to_digit(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' | b'&' => return i,
            0..=0x7f => i += 1,
            0xe5..=0xe9 => i += 3,
            0xe4 if bytes.get(i + 1).is_some_and(|&n| n >= 0xb8) => i += 3,
            _ => return i,
        }
    }
    i
}

/// The fewest characters of a run of hexadecimal digits with a letter in
/// it that is taken for a checksum or an identifier (SHA-256 and SHA-512
/// digests, the 16-character start of one in a snapshot's identifier).
const HEX_TOKEN: usize = 16;

/// Whether byte `at` is inside a checksum-like token: at least
/// `HEX_TOKEN` ASCII hexadecimal digits, one of them a letter `a`–`f`. Its
/// digits are the hash's, not a number someone wrote: a snapshot's
/// manifest digest may hold eleven digits in a row that start with `13`.
fn in_hex_token(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let hex = |b: &u8| b.is_ascii_hexdigit();
    let start = bytes[..at]
        .iter()
        .rposition(|b| !hex(b))
        .map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|b| !hex(b))
        .map_or(bytes.len(), |i| at + i);
    let token = &bytes[start..end];
    token.len() >= HEX_TOKEN && token.iter().any(|b| b.is_ascii_alphabetic())
}

/// The link of a group that just ended to the group before it: the
/// separators read between the two, which `link` holds until then.
fn take_link(link: &mut Option<Vec<u8>>) -> Link {
    let l = link.take()?;
    (1..=3).contains(&l.len()).then(|| {
        let mut k = [0; 3];
        k[..l.len()].copy_from_slice(&l);
        k
    })
}

/// Whether what follows byte `at` (invisible characters skipped) ends a
/// word: no digit, `X` or letter.
fn ends_word(text: &str, mut at: usize) -> bool {
    while at < text.len() {
        let (u, l) = unit_at(text, at);
        match u {
            Unit::Invisible => at += l,
            Unit::Digit(_) | Unit::X | Unit::Other(true) => return false,
            _ => return true,
        }
    }
    true
}

/// Line and column (in characters) of each hit.
fn positions(text: &str, hits: Vec<(usize, Kind, String)>) -> Vec<Found> {
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

/// What the digits of a run or grouping are, if a personal number:
/// `x_after` when an `X` ends it.
fn personal(digits: &str, x_after: bool) -> Option<(Kind, String)> {
    match digits.len() {
        18 if resident_id(digits) => Some((Kind::ResidentId, digits.to_string())),
        17 if x_after => {
            let id = format!("{digits}X");
            resident_id(&id).then_some((Kind::ResidentId, id))
        }
        11 if mobile(digits) => Some((Kind::Mobile, digits.to_string())),
        13 if digits.starts_with("86") && mobile(&digits[2..]) => {
            Some((Kind::Mobile, digits[2..].to_string()))
        }
        _ => None,
    }
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
    site: crate::layout::Files,
    allow: bool,
    streamed: Vec<(PathBuf, Found)>,
    clean: Option<&Clean>,
    diags: &mut crate::diagnostics::Diagnostics,
) -> Option<crate::layout::Files> {
    if allow {
        return Some(site);
    }
    // A file found clean before in this process (the same bytes) is not
    // searched again: `serve` builds on every save, and most files stay.
    let lock = || clean.and_then(|c| c.0.lock().ok());
    let hashes: Vec<u64> = match clean {
        Some(_) => site.values().map(|b| content_hash(b)).collect(),
        None => vec![0; site.len()],
    };
    let known = lock().map(|c| c.clone()).unwrap_or_default();
    let todo: Vec<_> = site
        .iter()
        .zip(&hashes)
        .filter(|(_, h)| !known.contains(h))
        .map(|((p, b), _)| (p, &**b))
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
    report(found, Path::new(SITE_ROOT), false, Some(diags))
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
pub fn scan_files<'a, P: AsRef<Path> + Sync>(
    files: impl IntoIterator<Item = (P, &'a Vec<u8>)>,
    root: &Path,
    positions: bool,
) -> Vec<Diagnostic> {
    report(find_in_files(files), root, positions, None)
}

/// As `scan_files`, but each number is reported at the line of the source
/// files of `sources` it comes from, when one holds it.
pub fn scan_files_traced<'a, P: AsRef<Path> + Sync>(
    files: impl IntoIterator<Item = (P, &'a Vec<u8>)>,
    root: &Path,
    sources: &crate::diagnostics::Diagnostics,
) -> Vec<Diagnostic> {
    report(find_in_files(files), root, false, Some(sources))
}

/// Every number in the text files of `files`, with the file it is in.
fn find_in_files<'a, P: AsRef<Path> + Sync>(
    files: impl IntoIterator<Item = (P, &'a Vec<u8>)>,
) -> Vec<(PathBuf, Found)> {
    use rayon::prelude::*;
    // Searched in parallel (a search index is megabytes), found in order.
    let files: Vec<(P, &Vec<u8>)> = files.into_iter().collect();
    files
        .par_iter()
        .flat_map_iter(|(rel, bytes)| {
            // Images and fonts are not text.
            let found = std::str::from_utf8(bytes)
                .map(scan_text)
                .unwrap_or_default();
            found.into_iter().map(|f| (rel.as_ref().to_path_buf(), f))
        })
        .collect()
}

/// Where each of `numbers` first stands in the source files of `sources`
/// (registers, pages, site.yaml), so that a message can send the user to
/// the line to change rather than to the built page.
fn locate(
    numbers: &BTreeSet<(Kind, String)>,
    sources: &crate::diagnostics::Diagnostics,
) -> BTreeMap<(Kind, String), Span> {
    let mut at = BTreeMap::new();
    for (path, text) in sources.sources() {
        for f in scan_text(text) {
            let key = (f.kind, f.number);
            if numbers.contains(&key) && !at.contains_key(&key) {
                at.insert(key, Span::new(path, f.line, f.col));
            }
        }
        // Written with YAML escapes (`138\u200B1234\u200B5678`): the
        // lines that hold a backslash, read as the parser reads them.
        for (i, line) in text.lines().enumerate().filter(|(_, l)| l.contains('\\')) {
            let (decoded, cols) = yaml_unescaped(line);
            for f in scan_text(&decoded) {
                let key = (f.kind, f.number);
                if numbers.contains(&key) && !at.contains_key(&key) {
                    let col = cols.get(f.col - 1).copied().unwrap_or(f.col);
                    at.insert(key, Span::new(path, i + 1, col));
                }
            }
        }
        if at.len() == numbers.len() {
            break;
        }
    }
    at
}

/// `line` with YAML's escapes (`\u200B`, `\U0001F600`, `\x41`, `\_` for a
/// no-break space, `\t`…) replaced by their characters, and for each
/// character of the result the column (1-based) it came from.
fn yaml_unescaped(line: &str) -> (String, Vec<usize>) {
    let chars: Vec<char> = line.chars().collect();
    let (mut out, mut cols) = (String::new(), Vec::new());
    let mut i = 0;
    while i < chars.len() {
        let (c, used) = match (chars[i], chars.get(i + 1)) {
            ('\\', Some(&e)) => {
                let hex = |n: usize| {
                    let h: String = chars.iter().skip(i + 2).take(n).collect();
                    (h.len() == n)
                        .then(|| u32::from_str_radix(&h, 16).ok().and_then(char::from_u32))
                        .flatten()
                        .map(|c| (c, n + 2))
                };
                match e {
                    'u' => hex(4),
                    'U' => hex(8),
                    'x' => hex(2),
                    '_' => Some(('\u{A0}', 2)),
                    't' => Some(('\t', 2)),
                    ' ' => Some((' ', 2)),
                    _ => None,
                }
                .unwrap_or((chars[i], 1))
            }
            (c, _) => (c, 1),
        };
        out.push(c);
        cols.push(i + 1);
        i += used;
    }
    (out, cols)
}

/// One diagnostic per distinct number of `found`, at the source line it
/// comes from when `sources` holds it, else at the first file that holds it.
fn report(
    found: Vec<(PathBuf, Found)>,
    root: &Path,
    positions: bool,
    sources: Option<&crate::diagnostics::Diagnostics>,
) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<(Kind, String), (Span, String, usize)> = BTreeMap::new();
    for (rel, f) in found {
        seen.entry((f.kind, f.number))
            .and_modify(|(_, _, n)| *n += 1)
            .or_insert_with(|| {
                let at = if positions {
                    crate::msg!("scan.at", line = f.line, col = f.col)
                } else {
                    String::new()
                };
                (Span::file(root.join(rel)), at, 0)
            });
    }
    let numbers: BTreeSet<(Kind, String)> = seen.keys().cloned().collect();
    let origins = sources.map(|s| locate(&numbers, s)).unwrap_or_default();
    let mut out: Vec<Diagnostic> = seen
        .into_iter()
        .map(|(key, (span, at, others))| {
            let (kind, number) = &key;
            let more = match others {
                0 => String::new(),
                1 => crate::msg!("scan.once_more"),
                n => crate::msg!("scan.more_times", n = n),
            };
            let what = crate::msg!(
                "scan.would_publish",
                kind = kind.describe(),
                masked = mask(*kind, number)
            );
            // The position is named, but the line is not quoted: it holds
            // the number unmasked, and build logs are kept.
            let d = match origins.get(&key) {
                Some(origin) => Diagnostic::error(
                    origin.clone(),
                    crate::msg!(
                        "scan.would_appear_in",
                        what = what,
                        file = span.file.display(),
                        more = more
                    ),
                ),
                None => Diagnostic::error(
                    span,
                    crate::msg!("scan.at_place", what = what, at = at, more = more),
                ),
            };
            d.unquoted().help(crate::msg!("scan.help"))
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
    fn the_shortcut_for_chinese_reads_every_ideograph_as_classify_does() {
        for c in '\u{4E00}'..='\u{9FFF}' {
            let mut buf = [0u8; 4];
            let s: &str = c.encode_utf8(&mut buf);
            assert!(unit_at(s, 0) == (classify(c), 3), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn a_file_found_clean_is_searched_again_once_it_changes() {
        let site = |text: &str| {
            BTreeMap::from([(PathBuf::from("a.html"), text.as_bytes().to_vec().into())])
        };
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
    fn digits_of_a_checksum_are_not_a_number() {
        let digest = "72afda76f1b5cc2dbb1653c5b4b2fd56a1655b665609462d14197315820efd04";
        assert!(scan_text(digest).is_empty());
        assert!(scan_text("nianbao-2016-14197315820efd04").is_empty());
        // Short tokens and words are still searched.
        assert_eq!(scan_text("tel 13812345678").len(), 1);
        assert_eq!(scan_text("a13812345678b").len(), 1);
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
    fn finds_numbers_however_they_are_split() {
        let mobile = [
            "138\u{200B}1234\u{200B}5678",
            "1\u{200B}3\u{2060}8\u{00AD}1\u{FEFF}2345678",
            "138\u{00A0}1234\u{00A0}5678",
            "138\u{3000}1234\u{3000}5678",
            "138\u{2009}1234\u{2009}5678",
            "138.1234.5678",
            "138\u{2013}1234\u{2013}5678",
            "138 - 1234 - 5678",
            "1 3 8 1 2 3 4 5 6 7 8",
            "+86 138-1234-5678",
            "+86\u{00A0}13812345678",
            "１３８\u{200B}１２３４\u{200B}５６７８",
            "138&nbsp;1234&nbsp;5678",
            "138&#8203;1234&#x200b;5678",
            "电话：2016 138 1234 5678",
        ];
        for text in mobile {
            let f = scan_text(text);
            assert_eq!(f.len(), 1, "{text:?}: {f:?}");
            assert_eq!(f[0].number, "13812345678", "{text:?}");
        }
        for text in [
            "110105 19491231 002X",
            "110105-1949-1231-002X",
            "1101\u{200B}0519491231002X",
            "110105\u{00A0}19491231\u{00A0}002\u{200B}X",
        ] {
            let f = scan_text(text);
            assert_eq!(f.len(), 1, "{text:?}: {f:?}");
            assert_eq!((f[0].kind, f[0].number.as_str()), (Kind::ResidentId, ID));
        }
        // Positions point at the first digit.
        let f = scan_text("a\nxx 138\u{200B}1234\u{200B}5678");
        assert_eq!((f[0].line, f[0].col), (2, 4));
    }

    #[test]
    fn characters_passed_over_between_numbers_are_never_digits() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = format!("{c}1");
            let skipped = skip_to_digit(text.as_bytes(), 0) > 0;
            let digit = matches!(unit_at(&text, 0).0, Unit::Digit(_));
            assert!(
                !(skipped && digit),
                "U+{:04X} skipped but a digit",
                c as u32
            );
            if skipped {
                assert_eq!(
                    skip_to_digit(text.as_bytes(), 0),
                    c.len_utf8(),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        let f = scan_text("<p>电话13812345678</p><td>a&#49;3812345678</td>");
        let numbers: Vec<&str> = f.iter().map(|f| f.number.as_str()).collect();
        assert_eq!(numbers, ["13812345678", "13812345678"]);
        assert_eq!((f[0].line, f[0].col), (1, 6));
    }

    #[test]
    fn long_chains_are_searched_in_pieces_without_losing_a_number() {
        for before in [0, 1, 17, 18, 19, 70, 71, 72, 73, 200] {
            let text = format!(
                "{}1 3 8 1 2 3 4 5 6 7 8{}",
                "0 ".repeat(before),
                " 0".repeat(100)
            );
            let f = scan_text(&text);
            assert_eq!(f.len(), 1, "{before}: {f:?}");
            assert_eq!(
                (f[0].number.as_str(), f[0].col),
                ("13812345678", 2 * before + 1)
            );
        }
        let many = "12 ".repeat(100_000);
        assert!(scan_text(&many).is_empty());
    }

    #[test]
    fn numbers_written_with_yaml_escapes_are_traced_to_their_column() {
        let (text, cols) = yaml_unescaped(r#"  name: "电话 138\u200B1234\_5678""#);
        assert_eq!(text, "  name: \"电话 138\u{200B}1234\u{A0}5678\"");
        let f = scan_text(&text);
        assert_eq!((f.len(), cols[f[0].col - 1]), (1, 13));
        let (text, cols2) = yaml_unescaped(r#"  name: "电话 138\u200B1234\u200B5678""#);
        let f = scan_text(&text);
        assert_eq!((f.len(), cols2[f[0].col - 1]), (1, 13));
    }

    #[test]
    fn decimals_dates_and_tables_are_not_numbers() {
        for text in [
            "13.812345678",
            "coverage 13.812345678%",
            "2016-11-30 2017-01-05 138",
            "<td>138</td><td>1234</td><td>5678</td>",
            "138\n1234\n5678",
            "138\t1234\t5678",
            "M 13.8 12.34 L 56.78 90",
            "12 138 1234 56789",
            "0.998 0.5 1,381,234,567",
        ] {
            assert!(
                scan_text(text).is_empty(),
                "{text:?}: {:?}",
                scan_text(text)
            );
        }
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
