//! One file written for the user (`brief`, `export`, `chart`): never inside
//! the content folder, never over a file nianbao did not write unless
//! forced, and never half-written (a temporary file in the same folder,
//! renamed over the target).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::mark;

/// Why a file was not written, in both languages, with the fix.
#[derive(Debug)]
pub struct NotWritten(pub String);

impl std::fmt::Display for NotWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn refuse(zh: String, en: String, help_zh: &str, help_en: &str) -> NotWritten {
    NotWritten(format!("{zh} / {en}\n  = help: {help_zh} / {help_en}"))
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
            format!("{shown} 不是文件名"),
            format!("{shown} is not a file name"),
            "用 -o 指定一个文件，例如 -o 简报.docx",
            "name a file with -o, e.g. -o brief.docx",
        ));
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(folder) = fs::canonicalize(parent) else {
        return Err(refuse(
            format!("文件夹 {} 不存在", parent.display()),
            format!("the folder {} does not exist", parent.display()),
            "先建好文件夹，或换一个 -o 路径",
            "create the folder first, or choose another -o path",
        ));
    };
    let path = folder.join(name);
    let content = fs::canonicalize(content_dir).unwrap_or_else(|_| content_dir.to_path_buf());
    // A symbolic link is judged by where it leads as well as where it is.
    let real = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    if path.starts_with(&content) || real.starts_with(&content) {
        return Err(refuse(
            format!(
                "拒绝写入 {shown}：它在内容文件夹 {} 之内，会覆盖源文件",
                content_dir.display()
            ),
            format!(
                "refusing to write {shown}: it is inside the content folder {}, where it would replace a source file",
                content_dir.display()
            ),
            "用 -o 选内容文件夹之外的路径",
            "choose an -o path outside the content folder",
        ));
    }
    if let Ok(meta) = fs::metadata(&path) {
        if meta.is_dir() {
            return Err(refuse(
                format!("{shown} 是文件夹"),
                format!("{shown} is a folder"),
                "用 -o 指定文件夹里的一个文件名",
                "name a file inside it with -o",
            ));
        }
        if !force && !mark::written_by_nianbao(&path, bytes) {
            return Err(refuse(
                format!("{shown} 已存在，且不是 nianbao 写的文件"),
                format!("{shown} exists and is not a file nianbao wrote"),
                "换一个 -o 路径；确要替换它时加 --force",
                "choose another -o path, or add --force to replace it",
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
        NotWritten(format!("无法写入 {shown}：{e} / cannot write {shown}: {e}"))
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
