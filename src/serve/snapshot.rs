//! What the watched folders hold, file by file, so that a rebuild knows
//! which files really changed: editors and sync tools often write a file
//! with the same bytes, or touch it, and that must not cost a rebuild.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use walkdir::WalkDir;

use super::Changes;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    len: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

#[derive(Debug, Default)]
pub struct Snapshot {
    files: BTreeMap<PathBuf, Entry>,
}

/// Editors' swap, backup and lock files, which no build reads.
fn is_scratch(name: &str) -> bool {
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
}

impl Snapshot {
    /// Every regular file under `roots`; a file whose size and time are as
    /// in `before`, and not of the last second (file times are coarse, and
    /// two quick saves of one size can share one), keeps its hash without
    /// being read again.
    pub fn take(roots: &[PathBuf], before: &Snapshot) -> Snapshot {
        let settled = SystemTime::now() - Duration::from_secs(1);
        let mut files = BTreeMap::new();
        for root in roots {
            for entry in WalkDir::new(root)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                let name = entry.file_name().to_string_lossy();
                // Links are listed too: `load` refuses them, so adding one
                // is a change worth a rebuild.
                if entry.file_type().is_dir() || is_scratch(&name) {
                    continue;
                }
                let Ok(meta) = entry.path().symlink_metadata() else {
                    continue;
                };
                let (len, modified) = (meta.len(), meta.modified().ok());
                let path = entry.path().to_path_buf();
                let hash = match before.files.get(&path) {
                    Some(e)
                        if e.len == len
                            && e.modified == modified
                            && modified.is_some_and(|m| m < settled) =>
                    {
                        e.hash
                    }
                    _ => hash_file(&path, meta.file_type().is_symlink()),
                };
                files.insert(
                    path,
                    Entry {
                        len,
                        modified,
                        hash,
                    },
                );
            }
        }
        Snapshot { files }
    }

    /// The files added, removed, or whose bytes changed from `self` to `next`.
    pub fn diff(&self, next: &Snapshot) -> Changes {
        let mut c = Changes::default();
        for (p, e) in &next.files {
            match self.files.get(p) {
                None => {
                    c.added.insert(p.clone());
                }
                Some(old) if old.hash != e.hash || old.len != e.len => {
                    c.modified.insert(p.clone());
                }
                Some(_) => {}
            }
        }
        for p in self.files.keys() {
            if !next.files.contains_key(p) {
                c.removed.insert(p.clone());
            }
        }
        c
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

fn hash_file(path: &Path, link: bool) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    if link {
        h.write_u8(1);
        if let Ok(target) = std::fs::read_link(path) {
            h.write(target.to_string_lossy().as_bytes());
        }
    } else if let Ok(bytes) = std::fs::read(path) {
        h.write(&bytes);
    } else {
        h.write_u8(2);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_are_no_change() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        std::fs::write(&a, "one").unwrap();
        std::fs::write(dir.path().join("x.md~"), "backup").unwrap();
        let roots = [dir.path().to_path_buf()];
        let s1 = Snapshot::take(&roots, &Snapshot::default());
        assert_eq!(s1.len(), 1, "scratch files are left out");
        std::fs::write(&a, "one").unwrap();
        let s2 = Snapshot::take(&roots, &s1);
        assert!(s1.diff(&s2).is_empty());
        std::fs::write(&a, "two").unwrap();
        std::fs::write(dir.path().join("b.md"), "new").unwrap();
        let s3 = Snapshot::take(&roots, &s2);
        let c = s2.diff(&s3);
        assert_eq!(c.modified.into_iter().collect::<Vec<_>>(), vec![a.clone()]);
        assert_eq!(c.added.len(), 1);
        std::fs::remove_file(&a).unwrap();
        let s4 = Snapshot::take(&roots, &s3);
        assert_eq!(s3.diff(&s4).removed.len(), 1);
    }
}
