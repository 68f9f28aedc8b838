//! Finding LibreOffice and the component a test needs. A machine may have
//! the `soffice` binary with Writer but not Calc (Debian splits them into
//! libreoffice-writer and libreoffice-calc): a test of the .xlsx must then
//! skip, saying so, instead of failing on a conversion that cannot work.
//! With `NIANBAO_REQUIRE_OFFICE=1` (set by `.ci/run` where it installs
//! LibreOffice) a missing component fails the test instead.

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    /// Opens .docx.
    Writer,
    /// Opens .xlsx.
    Calc,
}

impl Component {
    fn name(self) -> &'static str {
        match self {
            Component::Writer => "Writer (libreoffice-writer)",
            Component::Calc => "Calc (libreoffice-calc)",
        }
    }

    /// The library each component installs beside `soffice` (Linux,
    /// macOS, Windows names).
    fn libraries(self) -> [&'static str; 3] {
        match self {
            Component::Writer => ["libswlo.so", "libswlo.dylib", "swlo.dll"],
            Component::Calc => ["libsclo.so", "libsclo.dylib", "sclo.dll"],
        }
    }
}

/// The LibreOffice binary when it and `component` are installed; else
/// `None`, after printing why the test is skipped (or failing the test
/// when `NIANBAO_REQUIRE_OFFICE` is set).
pub fn libreoffice(component: Component, skipped: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    match find(&path, component) {
        Ok(binary) => Some(binary),
        Err(why) if std::env::var_os("NIANBAO_REQUIRE_OFFICE").is_some() => {
            panic!("{why}, and NIANBAO_REQUIRE_OFFICE is set")
        }
        Err(why) => {
            eprintln!("note: {why}; skipping {skipped}");
            None
        }
    }
}

/// The binary on `path` (a `PATH` value) when `component` is installed,
/// else why not.
pub fn find(path: &std::ffi::OsStr, component: Component) -> Result<PathBuf, String> {
    let binary = ["libreoffice", "soffice"]
        .into_iter()
        .find_map(|name| on_path(path, name))
        .ok_or("LibreOffice is not installed")?;
    let program = std::fs::canonicalize(&binary)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let has = |c: Component| {
        program
            .as_ref()
            .is_some_and(|dir| c.libraries().iter().any(|l| dir.join(l).exists()))
    };
    if has(Component::Writer) || has(Component::Calc) {
        // A layout we know: the component is there or it is not.
        return if has(component) {
            Ok(binary)
        } else {
            Err(format!(
                "LibreOffice is installed without {}",
                component.name()
            ))
        };
    }
    // Another layout (a wrapper script, a sandbox): try the component.
    if probe(&binary, component) {
        Ok(binary)
    } else {
        Err(format!(
            "LibreOffice cannot convert with {} here",
            component.name()
        ))
    }
}

fn on_path(path: &std::ffi::OsStr, name: &str) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Converts a one-line file with the component: whether a file came out.
fn probe(binary: &Path, component: Component) -> bool {
    let Ok(dir) = tempfile::tempdir() else {
        return false;
    };
    let (input, to) = match component {
        Component::Writer => ("probe.txt", "odt"),
        Component::Calc => ("probe.csv", "ods"),
    };
    if std::fs::write(dir.path().join(input), "1,2\n").is_err() {
        return false;
    }
    let ok = Command::new(binary)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args(["--headless", "--convert-to", to, "--outdir", "out", input])
        .current_dir(dir.path())
        .output()
        .is_ok_and(|o| o.status.success());
    ok && dir.path().join("out").join(format!("probe.{to}")).exists()
}
