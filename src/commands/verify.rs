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
            return Err(super::environment_error(format!(
            "{e:#}\n  = help: name a snapshot folder, e.g. `nianbao verify content/archive/2016`"
        )))
        }
    };
    let verdict = verify::check(&tree);
    let shown = dir.display().to_string();
    let shown = nianbao::diagnostics::printable_line(shown.trim_end_matches(['/', '\\']));
    let shown = shown.as_str();
    for note in &verdict.notes {
        eprintln!(
            "note: {}",
            nianbao::diagnostics::printable_line(&format!("{shown}/{note}"))
        );
    }
    if verdict.is_valid() {
        let algs: Vec<&str> = verdict.algorithms.iter().map(|a| a.name()).collect();
        println!(
            "{shown}: valid BagIt bag, {} payload files, {} bytes, {} checked in {:.2} s",
            verdict.payload_files,
            verdict.payload_bytes,
            algs.join(" and "),
            start.elapsed().as_secs_f64()
        );
        Ok(())
    } else {
        let lines = verdict.lines(shown);
        for line in &lines {
            eprintln!("{line}");
        }
        eprintln!(
            "{shown}: not valid, {} problem{}",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        );
        Err(super::Failure::Content)
    }
}
