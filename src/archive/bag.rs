//! BagIt bags (RFC 8493) in memory and on disk: assembling the tag files
//! around a payload, reading `bag-info.txt`, writing a new bag beside its
//! final place and renaming it in, and reading a bag back as a tree.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use walkdir::WalkDir;

use super::manifest::{self, Algorithm};

/// A bag in memory: bag-relative path (with `/`) → bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

pub const BAGIT_TXT: &str = "bagit.txt";
pub const BAG_INFO_TXT: &str = "bag-info.txt";
pub const PAYLOAD_DIR: &str = "data";
const DECLARATION: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// Total bytes and number of the payload files: `Payload-Oxum`.
pub fn oxum<'a>(payload: impl IntoIterator<Item = &'a Vec<u8>>) -> (u64, u64) {
    payload
        .into_iter()
        .fold((0, 0), |(bytes, n), b| (bytes + b.len() as u64, n + 1))
}

/// The whole bag for `payload` (paths under `data/`): the declaration,
/// `bag-info.txt` with `info` then `External-Identifier` (`id_prefix` and
/// the start of the SHA-256 of the payload manifest, so that it names the
/// content) and `Payload-Oxum`, a payload manifest and a tag manifest per
/// algorithm. Every file is a function of its input alone.
pub fn assemble(payload: Files, info: &[(&str, String)], id_prefix: &str) -> Files {
    debug_assert!(payload.keys().all(|p| p.starts_with("data/")));
    let mut bag = Files::new();
    bag.insert(BAGIT_TXT.into(), DECLARATION.as_bytes().to_vec());
    for alg in Algorithm::ALL {
        bag.insert(
            alg.payload_manifest(),
            manifest::render(&payload, alg).into_bytes(),
        );
    }
    let id = Algorithm::Sha256.hex(&bag[&Algorithm::Sha256.payload_manifest()]);
    let (bytes, count) = oxum(payload.values());
    let mut text = String::new();
    let mut field = |label: &str, value: &str| {
        let value: String = value
            .chars()
            .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
            .collect();
        text.push_str(&format!("{label}: {}\n", value.trim()));
    };
    for (label, value) in info {
        field(label, value);
    }
    field("External-Identifier", &format!("{id_prefix}-{}", &id[..16]));
    field("Payload-Oxum", &format!("{bytes}.{count}"));
    bag.insert(BAG_INFO_TXT.into(), text.into_bytes());
    let tags: Files = bag.clone();
    for alg in Algorithm::ALL {
        bag.insert(
            alg.tag_manifest(),
            manifest::render(&tags, alg).into_bytes(),
        );
    }
    bag.extend(payload);
    bag
}

/// `bag-info.txt` as (label, value) pairs, in file order.
pub type InfoFields = Vec<(String, String)>;
/// A problem of a tag file's line: (1-based line, message).
pub type LineProblem = (usize, String);

/// The fields of `bag-info.txt` in order, with continuation lines (those
/// starting with a space or tab) joined to their field.
pub fn parse_info(text: &str) -> (InfoFields, Vec<LineProblem>) {
    let mut fields = InfoFields::new();
    let mut problems = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            match fields.last_mut() {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                None => problems.push((i + 1, crate::msg!("bag.lonely_continuation"))),
            }
            continue;
        }
        match line.split_once(':') {
            Some((label, value)) if !label.trim().is_empty() => {
                fields.push((label.trim().to_string(), value.trim().to_string()))
            }
            _ => problems.push((i + 1, crate::msg!("bag.bad_info_line"))),
        }
    }
    (fields, problems)
}

pub fn info_value<'a>(fields: &'a [(String, String)], label: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(label))
        .map(|(_, v)| v.as_str())
}

/// Writes `bag` as the new folder `target`, which must not exist: into a
/// temporary folder beside it first (`.<name>.nianbao-tmp-<pid>`), renamed
/// into place only when every file is written. Leftovers of killed runs for
/// the same name are removed first.
pub fn write_new(bag: &Files, target: &Path) -> Result<()> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "bag".into());
    fs::create_dir_all(&parent)
        .with_context(|| crate::msg!("io.cannot_create", path = parent.display()))?;
    clean_leftovers(&parent, &name);
    let tmp = parent.join(format!(".{name}.nianbao-tmp-{}", std::process::id()));
    let result = write_tree(bag, &tmp).and_then(|()| {
        if target.exists() {
            bail!(crate::msg!("bag.appeared", path = target.display()));
        }
        fs::rename(&tmp, target)
            .with_context(|| crate::msg!("bag.cannot_move", path = target.display()))
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

fn write_tree(bag: &Files, dir: &Path) -> Result<()> {
    fs::create_dir_all(dir.join(PAYLOAD_DIR))
        .with_context(|| crate::msg!("io.cannot_create", path = dir.display()))?;
    for (rel, bytes) in bag {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)
                .with_context(|| crate::msg!("io.cannot_create", path = p.display()))?;
        }
        fs::write(&path, bytes)
            .with_context(|| crate::msg!("io.cannot_write", path = path.display()))?;
    }
    Ok(())
}

/// Temporary folders that a killed `archive` left beside `name`.
pub fn clean_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.nianbao-tmp-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        if e.file_name().to_string_lossy().starts_with(&prefix) && e.path().is_dir() {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// A bag read from disk.
#[derive(Debug, Default)]
pub struct Tree {
    pub files: Files,
    /// Entries that are not plain readable files with UTF-8 names:
    /// (bag-relative path, what is wrong).
    pub odd: Vec<(String, String)>,
    pub has_payload_dir: bool,
}

/// Reads every file under `dir`. Symbolic links are not followed: a bag
/// holds plain files, and a link is reported.
pub fn read_tree(dir: &Path) -> Result<Tree> {
    if !dir.is_dir() {
        bail!(crate::msg!("bag.not_a_folder", path = dir.display()));
    }
    let mut tree = Tree {
        has_payload_dir: dir.join(PAYLOAD_DIR).is_dir(),
        ..Tree::default()
    };
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .and_then(|p| p.strip_prefix(dir).ok())
                    .map(slash_path)
                    .unwrap_or_default();
                tree.odd
                    .push((rel, crate::msg!("bag.unreadable", error = e)));
                continue;
            }
        };
        let rel_path = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = slash_path(rel_path);
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        if rel_path.to_str().is_none() {
            tree.odd.push((rel, crate::msg!("bag.name_not_utf8")));
        } else if ft.is_symlink() {
            tree.odd.push((rel, crate::msg!("bag.symlink")));
        } else if !ft.is_file() {
            tree.odd.push((rel, crate::msg!("bag.not_plain")));
        } else {
            match fs::read(entry.path()) {
                Ok(bytes) => {
                    tree.files.insert(rel, bytes);
                }
                Err(e) => tree
                    .odd
                    .push((rel, crate::msg!("bag.unreadable", error = e))),
            }
        }
    }
    Ok(tree)
}

/// A relative path with `/` between its parts, whatever the platform.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload() -> Files {
        [
            ("data/site/index.html".to_string(), b"<p>hi</p>".to_vec()),
            ("data/source/site.yaml".to_string(), b"title: t\n".to_vec()),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn assembles_every_tag_file() {
        let bag = assemble(
            payload(),
            &[("Bagging-Date", "2016-11-30".into())],
            "x-2016",
        );
        let names: Vec<&str> = bag.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "bag-info.txt",
                "bagit.txt",
                "data/site/index.html",
                "data/source/site.yaml",
                "manifest-sha256.txt",
                "manifest-sha512.txt",
                "tagmanifest-sha256.txt",
                "tagmanifest-sha512.txt"
            ]
        );
        let info = String::from_utf8(bag["bag-info.txt"].clone()).unwrap();
        assert!(info.starts_with("Bagging-Date: 2016-11-30\nExternal-Identifier: x-2016-"));
        assert!(info.ends_with("Payload-Oxum: 18.2\n"), "{info}");
        let tags = String::from_utf8(bag["tagmanifest-sha256.txt"].clone()).unwrap();
        assert_eq!(tags.lines().count(), 4);
        assert!(!tags.contains("tagmanifest"));
        assert_eq!(
            assemble(payload(), &[], "x"),
            assemble(payload(), &[], "x"),
            "deterministic"
        );
    }

    #[test]
    fn reads_bag_info_with_continuations() {
        let (fields, problems) =
            parse_info("Source-Organization: A\n  B\nPayload-Oxum: 1.1\nbroken\n");
        assert_eq!(info_value(&fields, "source-organization"), Some("A B"));
        assert_eq!(info_value(&fields, "Payload-Oxum"), Some("1.1"));
        assert_eq!(problems, [(4, "not `Label: value`".to_string())]);
    }
}
