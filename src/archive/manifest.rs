//! BagIt manifests (RFC 8493 §2.1.3, §2.2.1): one line per file,
//! `<hex checksum>  <path>`, paths relative to the bag with `/` and with
//! CR, LF and `%` percent-encoded. Written sorted by path, so that the same
//! files always give the same bytes.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256, Sha512};

/// The checksum algorithms nianbao writes and checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    pub const ALL: [Algorithm; 2] = [Algorithm::Sha256, Algorithm::Sha512];

    /// The name used in manifest file names (`manifest-sha256.txt`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name))
    }

    /// Lowercase hex digest of `bytes`.
    pub fn hex(self, bytes: &[u8]) -> String {
        match self {
            Algorithm::Sha256 => hex(Sha256::digest(bytes).as_slice()),
            Algorithm::Sha512 => hex(Sha512::digest(bytes).as_slice()),
        }
    }

    pub fn payload_manifest(self) -> String {
        format!("manifest-{}.txt", self.name())
    }

    pub fn tag_manifest(self) -> String {
        format!("tagmanifest-{}.txt", self.name())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Encodes a path for a manifest line: only `%`, CR and LF are encoded.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Decodes a manifest path in one pass (`%250A` is `%0A`, not a line
/// break). Other `%xx` sequences are kept as they are, as bags written by
/// older tools may hold them unencoded.
pub fn decode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3).map(str::to_ascii_uppercase);
        let (c, skip) = match code.as_deref() {
            Some("0D") => ('\r', 3),
            Some("0A") => ('\n', 3),
            Some("25") => ('%', 3),
            _ => ('%', 1),
        };
        out.push(c);
        rest = &rest[i + skip..];
    }
    out.push_str(rest);
    out
}

/// The manifest of `files` (bag-relative path → bytes), sorted by path.
pub fn render<'a>(
    files: impl IntoIterator<Item = (&'a String, &'a Vec<u8>)>,
    algorithm: Algorithm,
) -> String {
    let sorted: BTreeMap<&String, &Vec<u8>> = files.into_iter().collect();
    let mut out = String::new();
    for (path, bytes) in sorted {
        out.push_str(&algorithm.hex(bytes));
        out.push_str("  ");
        out.push_str(&encode_path(path));
        out.push('\n');
    }
    out
}

/// One line of a manifest as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub checksum: String,
    pub path: String,
}

/// Reads a manifest. Lines that are not `<checksum> <path>` are returned as
/// problems `(line, message)`; the rest as entries.
pub fn parse(text: &str) -> (Vec<Entry>, Vec<(usize, String)>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let Some(split) = line.find([' ', '\t']) else {
            problems.push((i + 1, crate::msg!("bag.bad_manifest_line")));
            continue;
        };
        let checksum = &line[..split];
        let path = line[split..].trim_start_matches([' ', '\t']);
        if checksum.is_empty()
            || path.is_empty()
            || !checksum.bytes().all(|b| b.is_ascii_hexdigit())
        {
            problems.push((i + 1, crate::msg!("bag.bad_manifest_line")));
            continue;
        }
        entries.push(Entry {
            line: i + 1,
            checksum: checksum.to_ascii_lowercase(),
            path: decode_path(path),
        });
    }
    (entries, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(
            Algorithm::Sha256.hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(Algorithm::Sha512
            .hex(b"abc")
            .starts_with("ddaf35a193617aba"));
    }

    #[test]
    fn manifests_are_sorted_and_round_trip() {
        let files: BTreeMap<String, Vec<u8>> = [
            ("data/b.txt".to_string(), b"b".to_vec()),
            ("data/a 100%.txt".to_string(), b"a".to_vec()),
            ("data/line\nbreak".to_string(), vec![]),
        ]
        .into_iter()
        .collect();
        let text = render(&files, Algorithm::Sha256);
        let paths: Vec<&str> = text.lines().map(|l| &l[66..]).collect();
        assert_eq!(
            paths,
            ["data/a 100%25.txt", "data/b.txt", "data/line%0Abreak"]
        );
        let (entries, problems) = parse(&text);
        assert!(problems.is_empty());
        let back: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(back, ["data/a 100%.txt", "data/b.txt", "data/line\nbreak"]);
        assert_eq!(entries[1].checksum, Algorithm::Sha256.hex(b"b"));
    }

    #[test]
    fn decodes_each_escape_once() {
        assert_eq!(decode_path("a%250Ab"), "a%0Ab");
        assert_eq!(decode_path("%0d%0A%25%41%"), "\r\n%%41%");
        assert_eq!(decode_path("报告%2525.txt"), "报告%25.txt");
    }

    #[test]
    fn reports_malformed_lines() {
        let (entries, problems) = parse("abc  data/x\nnot-hex data/y\nlonely\n\n");
        assert_eq!(entries.len(), 1);
        assert_eq!(problems.iter().map(|p| p.0).collect::<Vec<_>>(), [2, 3]);
    }
}
