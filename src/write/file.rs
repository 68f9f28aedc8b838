//! One file written for the user (`brief`, `export`, `chart`): never inside
//! the content folder, never over a file nianbao did not write unless
//! forced, and never half-written (a temporary file in the same folder,
//! renamed over the target).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::mark;

/// Why a file was not written, with the fix, in the run's language.
#[derive(Debug)]
pub struct NotWritten(pub String);

impl std::fmt::Display for NotWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn refuse(what: String, help: String) -> NotWritten {
    NotWritten(format!("{what}\n  = {}: {help}", crate::msg!("diag.help")))
}

/// Writes `bytes` to `target`. Refused: a target inside `content_dir` (its
/// real path, through symbolic links), a folder, and an existing file that
/// is not marked as nianbao's (see `mark`) unless `force`.
pub fn write_file(
    target: &Path,
    bytes: &[u8],
    content_dir: &Path,
    force: bool,
) -> Result<(), NotWritten> {
    let shown = target.display();
    let Some(name) = target.file_name() else {
        return Err(refuse(
            crate::msg!("write.not_a_file_name", file = shown),
            crate::msg!("write.not_a_file_name.help"),
        ));
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(folder) = fs::canonicalize(parent) else {
        return Err(refuse(
            crate::msg!("write.no_folder", folder = parent.display()),
            crate::msg!("write.no_folder.help"),
        ));
    };
    let path = folder.join(name);
    let content = fs::canonicalize(content_dir).unwrap_or_else(|_| content_dir.to_path_buf());
    // A symbolic link is judged by where it leads as well as where it is.
    let real = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    if path.starts_with(&content) || real.starts_with(&content) {
        return Err(refuse(
            crate::msg!(
                "write.inside_content",
                file = shown,
                content = content_dir.display()
            ),
            crate::msg!("write.inside_content.help"),
        ));
    }
    if let Ok(meta) = fs::metadata(&path) {
        if meta.is_dir() {
            return Err(refuse(
                crate::msg!("write.is_folder", file = shown),
                crate::msg!("write.is_folder.help"),
            ));
        }
        if !force && !mark::written_by_nianbao(&path, bytes) {
            return Err(refuse(
                crate::msg!("write.not_ours", file = shown),
                crate::msg!("write.not_ours.help"),
            ));
        }
    }
    let tmp = folder.join(format!(
        ".{}.nianbao-tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    write_then_rename(&tmp, &path, bytes).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        NotWritten(crate::msg!("write.cannot_write", file = shown, error = e))
    })
}

fn write_then_rename(tmp: &PathBuf, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // A leftover of a killed run (or a link planted there) is removed, not
    // written through.
    let _ = fs::remove_file(tmp);
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    fs::rename(tmp, path)
}
