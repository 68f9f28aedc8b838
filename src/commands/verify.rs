//! `nianbao verify DIR`: checks a snapshot (any BagIt bag with SHA-256 or
//! SHA-512 manifests) against its manifests. Each problem on its own line.

use std::path::Path;
use std::time::Instant;

use nianbao::archive::{bag, verify};

pub fn run(dir: &Path) -> super::Outcome {
    let start = Instant::now();
    let tree = match bag::read_tree(dir) {
        Ok(t) => t,
        Err(e) => {
            return Err(super::environment_error(super::with_help(
                format!("{e:#}"),
                nianbao::msg!("verify.unreadable.help"),
            )))
        }
    };
    let verdict = verify::check(&tree);
    let shown = dir.display().to_string();
    let shown = nianbao::diagnostics::printable_line(shown.trim_end_matches(['/', '\\']));
    let shown = shown.as_str();
    for note in &verdict.notes {
        eprintln!(
            "{}: {}",
            nianbao::msg!("cmd.note"),
            nianbao::diagnostics::printable_line(&format!("{shown}/{note}"))
        );
    }
    if verdict.is_valid() {
        let algs: Vec<&str> = verdict.algorithms.iter().map(|a| a.name()).collect();
        println!(
            "{}",
            nianbao::msg!(
                "verify.valid",
                folder = shown,
                files = verdict.payload_files,
                bytes = verdict.payload_bytes,
                algorithms = algs.join(&nianbao::msg!("verify.and")),
                seconds = format!("{:.2}", start.elapsed().as_secs_f64())
            )
        );
        Ok(())
    } else {
        let lines = verdict.lines(shown);
        for line in &lines {
            eprintln!("{line}");
        }
        let summary = match lines.len() {
            1 => nianbao::msg!("verify.invalid.one", folder = shown),
            n => nianbao::msg!("verify.invalid", folder = shown, n = n),
        };
        eprintln!("{summary}");
        Err(super::Failure::Content)
    }
}
