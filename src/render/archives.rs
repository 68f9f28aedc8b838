//! The archive page (`archives.html`): every yearly snapshot the build
//! carries under `archive/<year>/`, with its date and the SHA-256 of its
//! payload manifest, so that a reader can check a copy against the page.

use serde::Serialize;
use tera::Context;

use super::format::Formatter;
use crate::layout::{Listed, ARCHIVE_DIR};

#[derive(Serialize)]
struct SnapshotView {
    year: i32,
    /// `Bagging-Date`: the `as_of` date of the year's data.
    date: String,
    identifier: String,
    /// SHA-256 of `manifest-sha256.txt`.
    manifest_sha256: String,
    /// Payload size, e.g. "3.0 MB".
    size: String,
    files: String,
    /// The snapshot's home page, relative to the site root.
    path: String,
    /// The snapshot folder, relative to the site root.
    dir: String,
}

pub fn context(archives: &[Listed], f: &Formatter) -> Context {
    let none = f.t("word_none");
    let rows: Vec<SnapshotView> = archives
        .iter()
        .rev()
        .map(|a| SnapshotView {
            year: a.year,
            date: a.bagging_date.clone().unwrap_or_else(|| none.clone()),
            identifier: a
                .external_identifier
                .clone()
                .unwrap_or_else(|| none.clone()),
            manifest_sha256: a.manifest_sha256.clone().unwrap_or_else(|| none.clone()),
            size: a.payload_bytes.map_or_else(
                || none.clone(),
                |b| format!("{:.1} MB", b as f64 / 1_000_000.0),
            ),
            files: a
                .payload_files
                .map_or_else(|| none.clone(), |n| f.count(n as f64)),
            path: a.site_path(),
            dir: format!("{ARCHIVE_DIR}/{}/", a.year),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("snapshots", &rows);
    ctx
}
