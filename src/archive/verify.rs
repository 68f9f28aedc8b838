//! Validating a bag (RFC 8493 §3): the declaration is well formed, every
//! payload file is listed in every payload manifest with the right
//! checksum, no listed file is missing, no payload file is unlisted, the
//! tag manifests are right and `Payload-Oxum` matches the payload.

use std::collections::{BTreeMap, BTreeSet};

use super::bag::{self, Tree, BAGIT_TXT, BAG_INFO_TXT, PAYLOAD_DIR};
use super::manifest::{self, Algorithm};

/// What a check found: problems by bag-relative path (`""` for the bag
/// itself), and what was checked.
#[derive(Debug, Default)]
pub struct Verdict {
    pub problems: BTreeMap<String, Vec<String>>,
    /// Remarks that do not make the bag invalid (e.g. a manifest of an
    /// algorithm nianbao cannot check).
    pub notes: Vec<String>,
    pub payload_files: u64,
    pub payload_bytes: u64,
    pub algorithms: Vec<Algorithm>,
}

impl Verdict {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems
            .entry(path.to_string())
            .or_default()
            .push(message.into());
    }

    /// One line per path: `<dir>/<path>: <problem>, <problem>`, control
    /// characters written escaped (`\u{1b}`).
    pub fn lines(&self, dir: &str) -> Vec<String> {
        let dir = dir.trim_end_matches(['/', '\\']);
        self.problems
            .iter()
            .map(|(path, msgs)| {
                let at = if path.is_empty() {
                    dir.to_string()
                } else {
                    format!("{dir}/{path}")
                };
                // Paths may hold any character: a raw escape sequence or
                // carriage return would drive the terminal or hide the line.
                crate::diagnostics::printable_line(&format!(
                    "{at}: {}",
                    msgs.join(&crate::msg!("bag.separator"))
                ))
            })
            .collect()
    }
}

pub fn check(tree: &Tree) -> Verdict {
    let mut v = Verdict::default();
    for (path, what) in &tree.odd {
        v.problem(path, what.clone());
    }
    let files = &tree.files;
    check_declaration(files, &mut v);
    if !tree.has_payload_dir {
        v.problem(PAYLOAD_DIR, crate::msg!("bag.no_payload"));
    }
    let payload: BTreeMap<&String, &Vec<u8>> = files
        .iter()
        .filter(|(p, _)| p.starts_with("data/"))
        .collect();
    v.payload_files = payload.len() as u64;
    v.payload_bytes = payload.values().map(|b| b.len() as u64).sum();

    // Payload manifests.
    let mut unlisted: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut mismatched: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for (name, bytes) in manifests(files, "manifest-") {
        let Some(alg) = algorithm_of(&name, "manifest-") else {
            v.notes
                .push(crate::msg!("bag.unsupported_algorithm", file = name));
            continue;
        };
        v.algorithms.push(alg);
        let listed = read_manifest(&name, bytes, alg, &mut v);
        for (path, checksum) in &listed {
            if !path.starts_with("data/") {
                v.problem(&name, crate::msg!("bag.outside_payload", path = path));
                continue;
            }
            match files.get(path) {
                None => missing.entry(path.clone()).or_default().push(name.clone()),
                Some(b) if alg.hex(b) != *checksum => {
                    mismatched.entry(path.clone()).or_default().push(alg.name())
                }
                Some(_) => {}
            }
        }
        for path in payload.keys() {
            if !listed.contains_key(*path) {
                unlisted.entry(path).or_default().push(name.clone());
            }
        }
    }
    if v.algorithms.is_empty() {
        v.problem("", crate::msg!("bag.no_manifest"));
    }
    for (path, names) in missing {
        v.problem(
            &path,
            crate::msg!("bag.missing", manifests = names.join(", ")),
        );
    }
    for (path, algs) in mismatched {
        for alg in algs {
            v.problem(&path, crate::msg!("bag.mismatch", algorithm = alg));
        }
    }
    for (path, names) in unlisted {
        v.problem(path, crate::msg!("bag.extra", manifests = names.join(", ")));
    }

    // Tag manifests: what they list must be there and unchanged.
    for (name, bytes) in manifests(files, "tagmanifest-") {
        let Some(alg) = algorithm_of(&name, "tagmanifest-") else {
            v.notes
                .push(crate::msg!("bag.unsupported_algorithm", file = name));
            continue;
        };
        for (path, checksum) in read_manifest(&name, bytes, alg, &mut v) {
            if path.starts_with("data/") || path.starts_with("tagmanifest-") {
                v.problem(&name, crate::msg!("bag.not_a_tag_file", path = path));
                continue;
            }
            match files.get(&path) {
                None => v.problem(&path, crate::msg!("bag.missing", manifests = name)),
                Some(b) if alg.hex(b) != checksum => v.problem(
                    &path,
                    crate::msg!("bag.tag_mismatch", algorithm = alg.name(), manifest = name),
                ),
                Some(_) => {}
            }
        }
    }

    check_info(files, &mut v);
    if let Some(fetch) = files.get("fetch.txt") {
        if fetch.iter().any(|b| !b.is_ascii_whitespace()) {
            v.problem("fetch.txt", crate::msg!("bag.fetch"));
        }
    }
    v
}

fn check_declaration(files: &bag::Files, v: &mut Verdict) {
    let Some(bytes) = files.get(BAGIT_TXT) else {
        v.problem(BAGIT_TXT, crate::msg!("bag.no_declaration"));
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        v.problem(BAGIT_TXT, crate::msg!("bag.not_utf8"));
        return;
    };
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}'))
        .filter(|l| !l.is_empty())
        .collect();
    let version = lines
        .first()
        .and_then(|l| l.strip_prefix("BagIt-Version: "));
    let encoding = lines
        .get(1)
        .and_then(|l| l.strip_prefix("Tag-File-Character-Encoding: "));
    let version_ok = version.is_some_and(|ver| {
        ver.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        })
    });
    if lines.len() != 2 || !version_ok || encoding.is_none() {
        v.problem(BAGIT_TXT, crate::msg!("bag.bad_declaration"));
    } else if encoding.is_some_and(|e| !e.eq_ignore_ascii_case("UTF-8")) {
        v.problem(
            BAGIT_TXT,
            crate::msg!("bag.encoding", encoding = encoding.unwrap_or_default()),
        );
    }
}

fn check_info(files: &bag::Files, v: &mut Verdict) {
    let Some(bytes) = files.get(BAG_INFO_TXT) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        v.problem(BAG_INFO_TXT, crate::msg!("bag.not_utf8"));
        return;
    };
    let (fields, problems) = bag::parse_info(text);
    for (line, msg) in problems {
        v.problem(
            BAG_INFO_TXT,
            crate::msg!("bag.at_line", line = line, problem = msg),
        );
    }
    if let Some(oxum) = bag::info_value(&fields, "Payload-Oxum") {
        let (bytes, count) = (v.payload_bytes, v.payload_files);
        let parsed = oxum
            .split_once('.')
            .and_then(|(b, n)| Some((b.parse::<u64>().ok()?, n.parse::<u64>().ok()?)));
        match parsed {
            Some(p) if p == (bytes, count) => {}
            Some(_) => v.problem(
                BAG_INFO_TXT,
                crate::msg!("bag.oxum", oxum = oxum, bytes = bytes, count = count),
            ),
            None => v.problem(BAG_INFO_TXT, crate::msg!("bag.bad_oxum", oxum = oxum)),
        }
    }
}

/// Root files named `<prefix><algorithm>.txt`, in name order.
fn manifests<'a>(files: &'a bag::Files, prefix: &str) -> Vec<(String, &'a Vec<u8>)> {
    files
        .iter()
        .filter(|(p, _)| !p.contains('/') && p.starts_with(prefix) && p.ends_with(".txt"))
        .map(|(p, b)| (p.clone(), b))
        .collect()
}

fn algorithm_of(name: &str, prefix: &str) -> Option<Algorithm> {
    Algorithm::from_name(name.strip_prefix(prefix)?.strip_suffix(".txt")?)
}

/// The entries of one manifest, path → checksum; malformed lines, bad
/// checksums and duplicates are reported.
fn read_manifest(
    name: &str,
    bytes: &[u8],
    alg: Algorithm,
    v: &mut Verdict,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(text) = std::str::from_utf8(bytes) else {
        v.problem(name, crate::msg!("bag.not_utf8"));
        return out;
    };
    let (entries, problems) = manifest::parse(text);
    for (line, msg) in problems {
        v.problem(name, crate::msg!("bag.at_line", line = line, problem = msg));
    }
    let width = alg.hex(b"").len();
    let mut seen = BTreeSet::new();
    for e in entries {
        if !safe(&e.path) {
            v.problem(
                name,
                crate::msg!(
                    "bag.at_line",
                    line = e.line,
                    problem = crate::msg!("bag.leaves", path = e.path)
                ),
            );
            continue;
        }
        if e.checksum.len() != width {
            v.problem(
                name,
                crate::msg!(
                    "bag.at_line",
                    line = e.line,
                    problem = crate::msg!("bag.bad_checksum", algorithm = alg.name())
                ),
            );
            continue;
        }
        if !seen.insert(e.path.clone()) {
            v.problem(
                name,
                crate::msg!(
                    "bag.at_line",
                    line = e.line,
                    problem = crate::msg!("bag.twice", path = e.path)
                ),
            );
            continue;
        }
        out.insert(e.path, e.checksum);
    }
    out
}

/// A relative path that stays inside the bag.
fn safe(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::bag::assemble;

    fn tree() -> Tree {
        let payload: bag::Files = [
            ("data/a.txt".to_string(), b"a".to_vec()),
            ("data/b/c.txt".to_string(), b"cc".to_vec()),
        ]
        .into_iter()
        .collect();
        Tree {
            files: assemble(payload, &[("Bagging-Date", "2016-11-30".into())], "t"),
            odd: Vec::new(),
            has_payload_dir: true,
        }
    }

    #[test]
    fn an_assembled_bag_is_valid() {
        let v = check(&tree());
        assert!(v.is_valid(), "{:?}", v.problems);
        assert_eq!((v.payload_files, v.payload_bytes), (2, 3));
        assert_eq!(v.algorithms, [Algorithm::Sha256, Algorithm::Sha512]);
    }

    #[test]
    fn reports_each_problem_on_its_own_line() {
        let mut t = tree();
        t.files.insert("data/a.txt".into(), b"A".to_vec());
        t.files.remove("data/b/c.txt");
        t.files.insert("data/extra.txt".into(), b"x".to_vec());
        let lines = check(&t).lines("bag/");
        assert_eq!(
            lines,
            [
                "bag/bag-info.txt: Payload-Oxum is 3.2, but the payload has 2 bytes in 2 files (2.2)",
                "bag/data/a.txt: sha256 mismatch, sha512 mismatch",
                "bag/data/b/c.txt: missing (listed in manifest-sha256.txt, manifest-sha512.txt)",
                "bag/data/extra.txt: extra payload file, not listed in manifest-sha256.txt, manifest-sha512.txt",
            ]
        );
    }

    #[test]
    fn checks_the_declaration_and_the_tag_manifests() {
        let mut t = tree();
        t.files
            .insert("bagit.txt".into(), b"BagIt-Version: one\n".to_vec());
        let info = t.files["bag-info.txt"].clone();
        let mut changed = info.clone();
        changed.extend_from_slice(b"Contact-Name: someone\n");
        t.files.insert("bag-info.txt".into(), changed);
        let v = check(&t);
        let lines = v.lines("b");
        assert!(lines[0].starts_with("b/bag-info.txt: sha256 mismatch (tagmanifest-sha256.txt)"));
        assert!(lines[1].starts_with("b/bagit.txt: malformed"), "{lines:?}");
        t.files.remove("bagit.txt");
        assert!(check(&t).lines("b")[1].contains("b/bagit.txt: missing: not a BagIt bag"));
    }

    #[test]
    fn refuses_paths_that_leave_the_bag() {
        let mut t = tree();
        let line = format!("{}  data/../../etc/passwd\n", Algorithm::Sha256.hex(b""));
        let mut m = t.files["manifest-sha256.txt"].clone();
        m.extend_from_slice(line.as_bytes());
        t.files.insert("manifest-sha256.txt".into(), m);
        let lines = check(&t).lines("b");
        assert!(
            lines.iter().any(|l| l.contains(
                "manifest-sha256.txt: line 3: path data/../../etc/passwd leaves the bag"
            )),
            "{lines:?}"
        );
    }
}
