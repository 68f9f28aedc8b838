//! The shape shared by the stages and the tools beside them: where
//! snapshots sit in `content/` and in the built site, what the archive page
//! is told of each, and the stream that register pages are handed to as
//! they are made. It imports nothing of the crate, so every module may use
//! it without making a cycle.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file's bytes, shared: a page a long-running process (`serve`) keeps
/// from one build to the next passes to the new site without a copy.
pub type Bytes = std::sync::Arc<Vec<u8>>;

/// Files by their path in an output.
pub type Files = BTreeMap<PathBuf, Bytes>;

/// The folder of `content/` that holds the snapshots, and the folder of the
/// built site they are copied to.
pub const ARCHIVE_DIR: &str = "archive";
/// Where a roll-up site carries its members' own sites: `members/<id>/`.
pub const MEMBERS_DIR: &str = "members";

/// Files carried into a site byte for byte, never minified again: the
/// archived snapshots (checksummed) and a roll-up's members' sites (a
/// snapshot's site, or a live member's, minified once when carried).
pub fn carried(rel: &std::path::Path) -> bool {
    rel.starts_with(ARCHIVE_DIR) || (rel.starts_with(MEMBERS_DIR) && rel.components().count() > 2)
}
/// Where the built site sits inside a bag.
pub const SITE_DIR: &str = "data/site";
/// Where the source sits inside a bag.
pub const SOURCE_DIR: &str = "data/source";

/// The order of `Path::cmp` for relative paths written with `/` (no `.`,
/// no doubled or trailing `/`), in one pass over the bytes: a `/` sorts
/// before every other byte, as the end of a component does. Sorting
/// thousands of paths this way and then collecting them into a map, which
/// then finds them in order, is much cheaper than comparing them as paths.
pub fn path_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |c: u8| if c == b'/' { 0 } else { u16::from(c) + 1 };
    a.bytes().map(key).cmp(b.bytes().map(key))
}

/// A snapshot as the archive page lists it. Values that cannot be read
/// are `None`; `build` verifies every snapshot before it gets this far.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub year: i32,
    pub bagging_date: Option<String>,
    pub external_identifier: Option<String>,
    /// SHA-256 of the snapshot's `manifest-sha256.txt`: one short string
    /// that pins every payload file.
    pub manifest_sha256: Option<String>,
    pub payload_bytes: Option<u64>,
    pub payload_files: Option<u64>,
}

impl Listed {
    /// The snapshot's home page, relative to the built site's root.
    pub fn site_path(&self) -> String {
        format!("{ARCHIVE_DIR}/{}/{SITE_DIR}/index.html", self.year)
    }
}

/// Where pages go as soon as they are rendered, instead of being kept in
/// memory: `build` scans, minifies and writes each one, so that a large
/// register never sits in memory whole. Called from many threads.
pub trait Stream: Sync {
    fn put(&self, path: &Path, bytes: Vec<u8>);
}

/// A stream that keeps nothing: `check` renders every page (templates can
/// fail) and scans it, then drops it.
pub struct Discard;

impl Stream for Discard {
    fn put(&self, _path: &Path, _bytes: Vec<u8>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_order_is_the_order_of_paths() {
        let paths = [
            "a",
            "a-b",
            "a/b",
            "a/b/c",
            "a.b",
            "a0",
            "a/b-c",
            "a/b.html",
            "a/b/index.html",
            "organizations/index.html",
            "organizations/index_2.html",
            "organizations/coverage-direct/index.html",
            "organizations-x.html",
            "组织/甲.html",
            "组织-乙.html",
            "b",
            "",
        ];
        for a in paths {
            for b in paths {
                assert_eq!(path_order(a, b), Path::new(a).cmp(Path::new(b)), "{a} {b}");
            }
        }
    }
}
