//! No input makes a command spin or grow faster than its input: figures
//! at the edge of f64 on chart axes, spreadsheets that inflate, "did you
//! mean" over thousands of names, pages of thousands of shortcodes.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Runs nianbao in `dir`, killing it (and failing) after `limit`: a hang
/// is a failure, not a test that never ends.
fn within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`nianbao {}` still ran after {limit:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn figures_at_the_edge_of_f64_never_hang_the_charts() {
    // Each of these, declared, once made plotters search for tick marks
    // forever (the axis top became infinite) in check, build and chart.
    for value in [
        "1.7976931348623157e308",
        "1e300",
        "-1.7976931348623157e308",
        "9.9e15",
        "1e16",
    ] {
        let site = site_copy("minimal");
        edit(
            &site.path().join("content/data/2016/metrics.yaml"),
            "    value: 5\n",
            &format!("    value: {value}\n"),
        );
        edit(
            &site.path().join("content/data/2016/metrics.yaml"),
            "    value: 9\n",
            &format!("    value: {value}\n"),
        );
        let limit = Duration::from_secs(120);
        for args in [
            &["check", "-c", "content"][..],
            &["build", "-c", "content", "-o", "output"],
            &[
                "chart",
                "declared-vs-derived",
                "-c",
                "content",
                "-o",
                "d.svg",
            ],
            &[
                "chart",
                "declared-vs-derived",
                "--format",
                "png",
                "-c",
                "content",
                "-o",
                "d.png",
            ],
        ] {
            let out = within(site.path(), args, limit);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stderr.contains("panicked"),
                "{value}: {args:?} panicked: {stderr}"
            );
            // A negative count is an error of the content; the rest draw.
            let expected = if value.starts_with('-') { 1 } else { 0 };
            assert_eq!(
                out.status.code(),
                Some(expected),
                "{value}: {args:?}: {stderr}"
            );
        }
        if value.starts_with('-') {
            continue;
        }
        let svg = read(&site.path().join("d.svg"));
        assert!(
            !svg.contains("NaN") && !svg.contains("=\"inf") && !svg.contains("=\"-inf"),
            "{value}: {svg}"
        );
    }
}
