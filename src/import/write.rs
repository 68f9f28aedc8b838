//! The data files as text, what changes against the files already there,
//! and writing them so that a reader sees the old file or the new one,
//! never half of one.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::records::{BranchNode, Org};
use crate::load::yaml::{self, Node, Value};

/// A YAML scalar: plain when it cannot be misread, else double-quoted.
pub fn scalar(s: &str) -> String {
    let special = matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    );
    let plain = !s.is_empty()
        && !special
        && s == s.trim()
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`+.".contains(c) || c.is_ascii_digit())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(|c| c.is_control() || c == '\u{feff}');
    if plain {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c == '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn header(source: &str) -> String {
    format!(
        "# Imported by `nianbao import` from {source}.\n\
         # Correct the spreadsheet and import it again (with --force), or edit this\n\
         # file and stop importing: an import replaces the file whole.\n"
    )
}

/// The two registers as they would be written.
pub struct Texts {
    pub organizations: String,
    pub branches: String,
}

impl Texts {
    pub fn new(orgs: &[Org], nodes: &[BranchNode], source: &str) -> Texts {
        Texts {
            organizations: organizations_yaml(orgs, nodes, source),
            branches: branches_yaml(nodes, source),
        }
    }
}

pub fn organizations_yaml(orgs: &[Org], branches: &[BranchNode], source: &str) -> String {
    let mut out = header(source);
    if orgs.is_empty() {
        out.push_str("organizations: []\n");
        return out;
    }
    out.push_str("organizations:\n");
    for o in orgs {
        let _ = writeln!(out, "  - id: {}", o.id);
        let _ = writeln!(out, "    name: {}", scalar(&o.name));
        let _ = writeln!(out, "    kind: {}", o.kind.as_str());
        if let Some(t) = &o.township {
            let _ = writeln!(out, "    township: {}", scalar(t));
        }
        if let Some(b) = o.in_park {
            let _ = writeln!(out, "    in_park: {b}");
        }
        if let Some(t) = &o.industry {
            let _ = writeln!(out, "    industry: {}", scalar(t));
        }
        if let Some(n) = o.employees {
            let _ = writeln!(out, "    employees: {n}");
        }
        if let Some(n) = o.party_members {
            let _ = writeln!(out, "    party_members: {n}");
        }
        if let Some(s) = o.status {
            let _ = writeln!(out, "    status: {}", s.as_str());
        }
        if let Some(b) = o.branch {
            let _ = writeln!(out, "    branch: {}", branches[b].id);
        }
        if let Some(b) = o.instructor {
            let _ = writeln!(out, "    instructor: {b}");
        }
        if !o.private.is_empty() {
            out.push_str("    private:\n");
            let mut seen = Vec::new();
            for (k, v) in &o.private {
                if seen.contains(&k) {
                    continue;
                }
                seen.push(k);
                let _ = writeln!(out, "      {k}: {}", scalar(v));
            }
        }
    }
    out
}

pub fn branches_yaml(nodes: &[BranchNode], source: &str) -> String {
    let mut out = header(source);
    if nodes.is_empty() {
        out.push_str("branches: []\n");
        return out;
    }
    out.push_str("branches:\n");
    for b in nodes {
        let _ = writeln!(out, "  - id: {}", b.id);
        let _ = writeln!(out, "    name: {}", scalar(&b.name));
        let _ = writeln!(out, "    level: {}", b.level.as_str());
        if let Some(p) = b.parent {
            let _ = writeln!(out, "    parent: {}", nodes[p].id);
        }
        if let Some(f) = b.form {
            let _ = writeln!(out, "    form: {}", f.as_str());
        }
        if let Some(d) = b.formed {
            let _ = writeln!(out, "    formed: {d}");
        }
        if let Some(m) = b.members {
            let _ = writeln!(out, "    members: {m}");
        }
    }
    out
}

pub fn metrics_yaml(year: i32) -> String {
    format!(
        "# Written by `nianbao import`, which found no metrics.yaml here. Set as_of to\n\
         # the day the figures were taken, and add the figures the registers cannot\n\
         # give (docs/reference.md, \"Data format\").\n\
         as_of: {year}-12-31\n\
         metrics: []\n"
    )
}

/// One record as compared: id, name, and each field as text. A field at
/// its default (`in_park: false`, `status: active`, `instructor: false`)
/// counts as absent.
type Record = (String, String, BTreeMap<String, String>);

fn show(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Big(s) | Value::Str(s) => s.clone(),
        Value::Seq(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|n| show(&n.value))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Map(entries) => {
            let mut m: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", show(&k.value), show(&v.value)))
                .collect();
            m.sort();
            format!("{{{}}}", m.join(", "))
        }
    }
}

/// The records of a data file (`organizations:` or `branches:`), or `None`
/// when the file cannot be read as one.
pub fn records(path: &Path, text: &str, key: &str) -> Option<Vec<Record>> {
    let root: Node = yaml::parse(path, text, 0).ok()?;
    let Value::Map(top) = root.value else {
        return None;
    };
    let list = top.iter().find(|(k, _)| k.as_str() == Some(key))?;
    let Value::Seq(items) = &list.1.value else {
        return Some(Vec::new());
    };
    let mut out = Vec::new();
    for item in items {
        let Value::Map(fields) = &item.value else {
            continue;
        };
        let mut m = BTreeMap::new();
        for (k, v) in fields {
            let (Some(k), v) = (k.as_str(), show(&v.value)) else {
                continue;
            };
            let default = matches!(
                (k, v.as_str()),
                ("in_park" | "instructor", "false") | ("status", "active")
            );
            if !v.is_empty() && !default {
                m.insert(k.to_string(), v);
            }
        }
        let id = m.remove("id").unwrap_or_default();
        let name = m.get("name").cloned().unwrap_or_default();
        out.push((id, name, m));
    }
    Some(out)
}

/// Added, removed and changed records of one file, by id.
#[derive(Debug, Default)]
pub struct Diff {
    pub added: Vec<(String, String)>,
    pub removed: Vec<(String, String)>,
    /// id, name, "field old → new" parts.
    pub changed: Vec<(String, String, Vec<String>)>,
    pub unchanged: usize,
}

pub fn diff(old: &[Record], new: &[Record]) -> Diff {
    let old_by_id: BTreeMap<&str, &Record> = old.iter().map(|r| (r.0.as_str(), r)).collect();
    let new_ids: std::collections::HashSet<&str> = new.iter().map(|r| r.0.as_str()).collect();
    let mut d = Diff::default();
    for r in new {
        match old_by_id.get(r.0.as_str()) {
            None => d.added.push((r.0.clone(), r.1.clone())),
            Some(o) if o.2 == r.2 => d.unchanged += 1,
            Some(o) => {
                let keys: std::collections::BTreeSet<&String> =
                    o.2.keys().chain(r.2.keys()).collect();
                let parts = keys
                    .into_iter()
                    .filter(|k| o.2.get(*k) != r.2.get(*k))
                    .map(|k| {
                        let a = o.2.get(k).map_or("—", String::as_str);
                        let b = r.2.get(k).map_or("—", String::as_str);
                        if k == "private" {
                            crate::msg!("import.diff.private")
                        } else {
                            format!("{k} {a} → {b}")
                        }
                    })
                    .collect();
                d.changed.push((r.0.clone(), r.1.clone(), parts));
            }
        }
    }
    for r in old {
        if !new_ids.contains(r.0.as_str()) {
            d.removed.push((r.0.clone(), r.1.clone()));
        }
    }
    d
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// `organizations.yaml: 2 added, 1 removed, 3 changed, 850 unchanged`
    /// and the records, at most `limit` of each sort.
    pub fn render(&self, file: &str, limit: usize) -> String {
        let mut out = crate::msg!(
            "import.diff.counts",
            file = file,
            added = self.added.len(),
            removed = self.removed.len(),
            changed = self.changed.len(),
            unchanged = self.unchanged
        );
        out.push('\n');
        let more = |out: &mut String, n: usize| {
            if n > limit {
                let _ = writeln!(
                    out,
                    "    {}",
                    crate::msg!("import.diff.more", n = n - limit)
                );
            }
        };
        for (id, name) in self.added.iter().take(limit) {
            let _ = writeln!(out, "  + {id} {name}");
        }
        more(&mut out, self.added.len());
        for (id, name) in self.removed.iter().take(limit) {
            let _ = writeln!(out, "  - {id} {name}");
        }
        more(&mut out, self.removed.len());
        for (id, name, parts) in self.changed.iter().take(limit) {
            let _ = writeln!(out, "  ~ {id} {name}: {}", parts.join("; "));
        }
        more(&mut out, self.changed.len());
        out
    }
}

/// Writes every file to a temporary name beside it, then replaces them
/// all or none: each old file is kept under a backup name (a hard link)
/// until every new one is in place, and put back if any replacement fails
/// (a folder in a file's place, a read-only folder, a full disk).
pub fn write_atomically(files: &[(PathBuf, String)]) -> Result<(), String> {
    write_all_or_none(files, &|from, to| std::fs::rename(from, to))
}

/// `write_atomically` with the rename that puts each new file in place
/// given, so that tests can make any one of them fail.
pub fn write_all_or_none(
    files: &[(PathBuf, String)],
    rename: &dyn Fn(&Path, &Path) -> std::io::Result<()>,
) -> Result<(), String> {
    let not_replaced = |path: &Path, e: &dyn std::fmt::Display| {
        crate::msg!("import.write.not_replaced", file = path.display(), why = e)
    };
    for (path, _) in files {
        if path.is_dir() {
            return Err(not_replaced(path, &crate::msg!("import.write.is_folder")));
        }
    }
    let side = |path: &Path, what: &str| {
        let name = path.file_name().map(|n| n.to_string_lossy().to_string());
        path.with_file_name(format!(
            ".{}.nianbao-{what}-{}",
            name.unwrap_or_default(),
            std::process::id()
        ))
    };
    let mut temps = Vec::new();
    let remove_all = |paths: &[PathBuf]| {
        for t in paths {
            let _ = std::fs::remove_file(t);
        }
    };
    for (path, text) in files {
        let temp = side(path, "tmp");
        let result = (|| -> std::io::Result<()> {
            // A leftover (or a link planted there) is removed, not written through.
            let _ = std::fs::remove_file(&temp);
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })();
        temps.push(temp);
        if let Err(e) = result {
            remove_all(&temps);
            return Err(not_replaced(path, &e));
        }
    }
    // (path, its backup if it existed) for every file replaced so far.
    let mut done: Vec<(&Path, Option<PathBuf>)> = Vec::new();
    let undo = |done: &[(&Path, Option<PathBuf>)]| {
        for (path, backup) in done.iter().rev() {
            match backup {
                Some(b) => {
                    let _ = std::fs::rename(b, path);
                }
                None => {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
    };
    for ((path, _), temp) in files.iter().zip(&temps) {
        let backup = if path.exists() {
            let b = side(path, "old");
            let _ = std::fs::remove_file(&b);
            if let Err(e) =
                std::fs::hard_link(path, &b).or_else(|_| std::fs::copy(path, &b).map(|_| ()))
            {
                undo(&done);
                remove_all(&temps);
                return Err(not_replaced(path, &e));
            }
            Some(b)
        } else {
            None
        };
        if let Err(e) = rename(temp, path) {
            if let Some(b) = &backup {
                let _ = std::fs::remove_file(b);
            }
            undo(&done);
            remove_all(&temps);
            return Err(not_replaced(path, &e));
        }
        done.push((path, backup));
    }
    for (_, backup) in done {
        if let Some(b) = backup {
            let _ = std::fs::remove_file(b);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(dir: &Path) -> Vec<(PathBuf, String)> {
        vec![
            (dir.join("organizations.yaml"), "organizations: []\n".into()),
            (dir.join("branches.yaml"), "branches: []\n".into()),
        ]
    }

    fn old_pair(dir: &Path) {
        std::fs::write(dir.join("organizations.yaml"), "old orgs").unwrap();
        std::fs::write(dir.join("branches.yaml"), "old branches").unwrap();
    }

    fn files_in(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap_or_else(|_| "<folder>".into());
                (p.file_name().unwrap().to_string_lossy().to_string(), text)
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_second_rename_puts_the_first_file_back() {
        for existed in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            if existed {
                old_pair(dir.path());
            }
            let before = files_in(dir.path());
            let calls = std::cell::Cell::new(0);
            let failing = |from: &Path, to: &Path| {
                calls.set(calls.get() + 1);
                if calls.get() == 2 {
                    Err(std::io::Error::other("disk full"))
                } else {
                    std::fs::rename(from, to)
                }
            };
            let e = write_all_or_none(&pair(dir.path()), &failing).unwrap_err();
            assert!(
                e.contains("branches.yaml") && e.contains("disk full"),
                "{e}"
            );
            assert_eq!(files_in(dir.path()), before, "existed: {existed}");
        }
    }

    #[test]
    fn a_folder_in_the_second_place_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("organizations.yaml"), "old orgs").unwrap();
        std::fs::create_dir(dir.path().join("branches.yaml")).unwrap();
        let before = files_in(dir.path());
        let e = write_atomically(&pair(dir.path())).unwrap_err();
        assert!(e.contains("branches.yaml"), "{e}");
        assert_eq!(files_in(dir.path()), before);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_replaces_nothing() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        old_pair(dir.path());
        let before = files_in(dir.path());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
        // Root ignores permissions: then the write succeeds, which is no failure point.
        let r = write_atomically(&pair(dir.path()));
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        if r.is_err() {
            assert_eq!(files_in(dir.path()), before);
        } else {
            assert_eq!(read(dir.path(), "branches.yaml"), "branches: []\n");
            assert_eq!(
                read(dir.path(), "organizations.yaml"),
                "organizations: []\n"
            );
        }
    }

    #[test]
    fn a_second_file_that_cannot_be_written_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        old_pair(dir.path());
        let before = files_in(dir.path());
        // Something that is not a file where the second temporary file goes.
        let blocker = dir
            .path()
            .join(format!(".branches.yaml.nianbao-tmp-{}", std::process::id()));
        std::fs::create_dir(&blocker).unwrap();
        let e = write_atomically(&pair(dir.path())).unwrap_err();
        assert!(e.contains("branches.yaml"), "{e}");
        std::fs::remove_dir(&blocker).unwrap();
        assert_eq!(files_in(dir.path()), before);
    }

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join(name)).unwrap()
    }

    #[test]
    fn every_file_is_replaced_and_no_backup_is_left() {
        let dir = tempfile::tempdir().unwrap();
        old_pair(dir.path());
        write_atomically(&pair(dir.path())).unwrap();
        assert_eq!(
            files_in(dir.path()),
            vec![
                ("branches.yaml".into(), "branches: []\n".into()),
                ("organizations.yaml".into(), "organizations: []\n".into()),
            ]
        );
    }

    #[test]
    fn quotes_only_what_could_be_misread() {
        assert_eq!(scalar("示例企业 0001"), "示例企业 0001");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("3M 公司"), "\"3M 公司\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("- x"), "\"- x\"");
        assert_eq!(scalar("say \"hi\""), "say \"hi\"");
        assert_eq!(scalar("#1"), "\"#1\"");
        assert_eq!(scalar("\"q\""), "\"\\\"q\\\"\"");
    }
}
