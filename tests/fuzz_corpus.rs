//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) and the inputs that
//! once crashed (`fuzz/regressions/<target>/`) through the same functions
//! the fuzz targets call, on stable Rust and in a few seconds: CI runs this
//! instead of fuzzing. To fuzz, see fuzz/README.md.

use std::path::{Path, PathBuf};

#[path = "../fuzz/fuzz_targets/outputs.rs"]
mod outputs;

use nianbao::archive::redact::{has_private, redact};
use nianbao::load::yaml;
use nianbao::scan::{resident_id, scan_text, Kind};
use nianbao::standalone::{charts, check, Source};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) {
            out.extend(entries.filter_map(Result::ok).map(|e| e.path()));
        }
    }
    out.sort();
    out
}

/// What the fuzz target of `target` does with one input.
fn run(target: &str, data: &[u8]) {
    match target {
        "charts" => {
            outputs::charts(data);
            return;
        }
        "spreadsheet" => {
            outputs::spreadsheet(data);
            return;
        }
        _ => {}
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = match target {
        "site" => Source::Site,
        "organizations" => Source::Organizations,
        "branches" => Source::Branches,
        "metrics" => Source::Metrics,
        "page" => Source::Page,
        "redact" => {
            let path = Path::new("organizations.yaml");
            if let Ok(out) = redact(path, text) {
                if let Ok(tree) = yaml::parse(path, &out, 0) {
                    assert!(!has_private(&tree), "a private field survived:\n{out}");
                }
            }
            return;
        }
        "brief" => {
            outputs::brief(text);
            return;
        }
        "scan" => {
            for f in scan_text(text) {
                match f.kind {
                    Kind::ResidentId => assert!(resident_id(&f.number), "{f:?}"),
                    Kind::Mobile => assert_eq!(f.number.len(), 11, "{f:?}"),
                }
                assert_ne!(f.masked(), f.number);
            }
            return;
        }
        other => panic!("no fuzz target {other}"),
    };
    let _ = check(source, text);
    // The register and metrics targets draw their figures on the charts,
    // within the same time limit as in fuzz/fuzz_targets/time_limit.rs.
    if matches!(
        source,
        Source::Organizations | Source::Branches | Source::Metrics
    ) {
        let (tx, rx) = std::sync::mpsc::channel();
        let text = text.to_string();
        std::thread::spawn(move || {
            let _ = tx.send(charts(source, &text).len());
        });
        let drawn = rx.recv_timeout(std::time::Duration::from_secs(10));
        match drawn {
            Ok(_) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("drawing the charts took more than 10 s")
            }
            Err(_) => panic!("drawing the charts panicked"),
        }
    }
}

#[test]
fn the_fuzz_corpus_replays_without_a_panic() {
    let mut total = 0;
    for target in [
        "site",
        "organizations",
        "branches",
        "metrics",
        "page",
        "redact",
        "scan",
        "brief",
        "charts",
        "spreadsheet",
    ] {
        let files = inputs(target);
        assert!(!files.is_empty(), "fuzz/corpus/{target}/ is empty");
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let result = std::panic::catch_unwind(|| run(target, &data));
            assert!(result.is_ok(), "{} panics", file.display());
            total += 1;
        }
    }
    assert!(total > 50, "{total} inputs");
}

/// The seeds of the output targets do reach the writers: a corpus whose
/// every input is refused would check nothing.
#[test]
fn the_output_corpus_reaches_the_briefing_charts_and_reader() {
    let checked: usize = inputs("brief")
        .iter()
        .map(|f| outputs::brief(&String::from_utf8_lossy(&std::fs::read(f).unwrap())))
        .sum();
    assert!(checked > 10, "{checked} briefing outputs checked");
    let charts: usize = inputs("charts")
        .iter()
        .map(|f| outputs::charts(&std::fs::read(f).unwrap()))
        .sum();
    assert!(charts > 10, "{charts} chart outputs checked");
    let read = inputs("spreadsheet")
        .iter()
        .filter(|f| outputs::spreadsheet(&std::fs::read(f).unwrap()))
        .count();
    assert!(read >= 3, "{read} spreadsheets read");
}
