//! The folder a new site is written into, beside the output, before it
//! replaces the output in one step. Files go in as soon as they are
//! rendered (`put`, from any thread), so a large register never sits in
//! memory whole; dropped before `commit`, the folder is removed and the
//! output stays as it was.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::{clean_leftovers, keep_own_files, minify, swap, MARKER, MARKER_TEXT};

pub struct Staging {
    tmp: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    /// Folders made so far, so that each is created once.
    folders: Mutex<HashSet<PathBuf>>,
    /// The first file that could not be written: the build fails with it.
    failed: Mutex<Option<anyhow::Error>>,
    /// Files written so far, the marker included.
    written: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Makes the temporary folder for a new site at `output` (and removes
    /// those of builds that were killed).
    pub fn begin(output: &Path) -> Result<Staging> {
        let parent = output
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "output".into());
        fs::create_dir_all(&parent)
            .with_context(|| crate::msg!("io.cannot_create", path = parent.display()))?;
        clean_leftovers(&parent, &name);
        let tmp = parent.join(format!(".{name}.nianbao-tmp-{}", std::process::id()));
        let staging = Staging {
            tmp,
            output: output.to_path_buf(),
            parent,
            name,
            folders: Mutex::new(HashSet::new()),
            failed: Mutex::new(None),
            written: AtomicUsize::new(1),
            committed: false,
        };
        fs::create_dir_all(&staging.tmp)
            .with_context(|| crate::msg!("io.cannot_create", path = staging.tmp.display()))?;
        fs::write(staging.tmp.join(MARKER), MARKER_TEXT)
            .with_context(|| crate::msg!("io.cannot_write", path = staging.tmp.display()))?;
        Ok(staging)
    }

    /// Writes one file of the site (HTML minified). A failure is kept for
    /// `commit`, which then refuses to swap.
    pub fn put(&self, rel: &Path, bytes: &[u8]) {
        if let Err(e) = self
            .write(rel, bytes)
            .map(|()| self.written.fetch_add(1, Ordering::Relaxed))
        {
            if let Ok(mut first) = self.failed.lock() {
                first.get_or_insert(e);
            }
        }
    }

    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<()> {
        let path = self.tmp.join(rel);
        if let Some(folder) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            // Held while the folder is made: another thread must not write
            // into it before it exists.
            let mut made = self
                .folders
                .lock()
                .map_err(|_| anyhow::anyhow!(crate::msg!("io.writer_panicked")))?;
            if !made.contains(folder) {
                let p = self.tmp.join(folder);
                fs::create_dir_all(&p)
                    .with_context(|| crate::msg!("io.cannot_create", path = p.display()))?;
                made.insert(folder.to_path_buf());
            }
        }
        let written = if crate::layout::carried(rel) {
            fs::write(&path, bytes)
        } else {
            fs::write(&path, minify(rel, bytes))
        };
        written.with_context(|| crate::msg!("io.cannot_write", path = path.display()))
    }

    /// Writes `files` (in parallel: minifying is most of the work), then
    /// swaps the new site in for the old one. Returns how many files the
    /// site has.
    pub fn commit(mut self, files: &crate::layout::Files) -> Result<usize> {
        files
            .par_iter()
            .for_each(|(rel, bytes)| self.put(rel, bytes));
        if let Some(e) = self.failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(e);
        }
        keep_own_files(&self.output, &self.tmp)?;
        swap(&self.tmp, &self.output, &self.parent, &self.name)?;
        self.committed = true;
        Ok(self.written.load(Ordering::Relaxed))
    }
}

impl crate::layout::Stream for Staging {
    fn put(&self, path: &Path, bytes: Vec<u8>) {
        Staging::put(self, path, &bytes);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}
