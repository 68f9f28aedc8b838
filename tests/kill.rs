//! Nothing lost: `build` and `archive` are killed with SIGKILL at many
//! moments, and what they leave is always whole. `output/` is the old site
//! or the new one, never missing or mixed; `content/archive/<year>/` is
//! absent or a snapshot that verifies; the next run cleans the leftovers.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{copy_dir, fixture, nianbao, tree};

/// A register of `n` organizations (half with a single branch of their
/// own), large enough that a debug build takes about a second.
fn big_site(dir: &Path, n: usize) {
    copy_dir(&fixture("minimal").join("content"), &dir.join("content"));
    let year = dir.join("content/data/2016");
    let mut orgs = String::from("organizations:\n");
    let mut branches = String::from(
        "branches:\n  - id: gw\n    name: 工委\n    level: work_committee\n  - id: gb\n    name: 总支部\n    level: general_branch\n    parent: gw\n",
    );
    for i in 0..n {
        orgs.push_str(&format!(
            "  - id: ent-{i}\n    name: 示例企业 {i}\n    kind: enterprise\n    township: 乡镇{}\n",
            i % 7
        ));
        if i % 2 == 0 {
            orgs.push_str(&format!("    branch: br-{i}\n"));
            branches.push_str(&format!(
                "  - id: br-{i}\n    name: 示例企业 {i} 党支部\n    level: branch\n    parent: gb\n    form: single\n"
            ));
        }
    }
    std::fs::write(year.join("organizations.yaml"), orgs).unwrap();
    std::fs::write(year.join("branches.yaml"), branches).unwrap();
}

fn set_title(dir: &Path, title: &str) {
    let path = dir.join("content/site.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let rest: String = text
        .lines()
        .filter(|l| !l.starts_with("title:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, format!("title: {title}\n{rest}")).unwrap();
}

/// Runs nianbao and kills it with SIGKILL after `after` (if it is still
/// running). Returns whether it was killed before it finished.
fn run_and_kill(dir: &Path, args: &[&str], after: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .env("NIANBAO_LANG", "en")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + after;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1).min(deadline - Instant::now()));
    }
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill(); // SIGKILL on Unix
    child.wait().unwrap();
    killed
}

/// Kill moments spread over the run: the first few milliseconds (spawn,
/// loading), then evenly up to a little past a whole run.
fn moments(full: Duration) -> Vec<Duration> {
    let mut v: Vec<Duration> = [0, 3, 10, 30].map(Duration::from_millis).to_vec();
    let steps = 12;
    for i in 1..=steps {
        v.push(full.mul_f64(i as f64 * 1.15 / steps as f64));
    }
    v
}

fn leftovers(parent: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(parent)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .contains(".nianbao-")
        })
        .collect()
}

#[test]
fn killed_builds_leave_the_old_site_or_the_new_one_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    big_site(d, 1500);
    let args = ["build", "-q", "-c", "content", "-o", "output"];
    // The two sites the output may hold.
    set_title(d, "版本甲");
    let started = Instant::now();
    assert!(nianbao(d, &args).status.success());
    let full = started.elapsed();
    eprintln!("a build takes {full:?}");
    let a = tree(&d.join("output"));
    set_title(d, "版本乙");
    assert!(nianbao(d, &args).status.success());
    let b = tree(&d.join("output"));
    assert_ne!(a, b);
    let sites: BTreeMap<&str, _> = BTreeMap::from([("甲", &a), ("乙", &b)]);

    let mut killed = 0;
    for (i, after) in moments(full).into_iter().enumerate() {
        // Build the other version than the one the output holds.
        let title = if i % 2 == 0 { "版本甲" } else { "版本乙" };
        set_title(d, title);
        killed += usize::from(run_and_kill(d, &args, after));
        assert!(
            d.join("output").is_dir(),
            "output/ is missing after a kill at {after:?}"
        );
        let now = tree(&d.join("output"));
        assert!(
            sites.values().any(|s| **s == now),
            "output/ is neither site after a kill at {after:?} ({} files, {} and {} expected)",
            now.len(),
            a.len(),
            b.len()
        );
    }
    assert!(
        killed >= 8,
        "only {killed} runs were killed before they finished"
    );
    // The next build cleans what the killed ones left beside the output.
    assert!(nianbao(d, &args).status.success());
    assert_eq!(leftovers(d), Vec::<PathBuf>::new());
    assert!(tree(&d.join("output")) == b || tree(&d.join("output")) == a);
}

#[test]
fn killed_archives_leave_no_snapshot_or_a_whole_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    big_site(d, 600);
    let args = ["archive", "--year", "2016", "-c", "content"];
    let snapshot = d.join("content/archive/2016");
    let started = Instant::now();
    assert!(nianbao(d, &args).status.success());
    let full = started.elapsed();
    eprintln!("an archive takes {full:?}");
    let whole = tree(&snapshot);
    std::fs::remove_dir_all(&snapshot).unwrap();

    let mut killed = 0;
    for after in moments(full) {
        killed += usize::from(run_and_kill(d, &args, after));
        if snapshot.exists() {
            assert_eq!(
                tree(&snapshot),
                whole,
                "a partial snapshot after a kill at {after:?}"
            );
            let v = nianbao(d, &["verify", "content/archive/2016"]);
            assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
            std::fs::remove_dir_all(&snapshot).unwrap();
        }
    }
    assert!(
        killed >= 8,
        "only {killed} runs were killed before they finished"
    );
    assert!(nianbao(d, &args).status.success());
    assert_eq!(tree(&snapshot), whole);
    assert_eq!(leftovers(&d.join("content/archive")), Vec::<PathBuf>::new());
}
