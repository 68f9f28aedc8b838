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
        .env("NIANBAO_LANG", "en")
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

/// The sample ledger with `sheet` as its first sheet's XML; `declare`, when
/// given, is the inflated size its zip headers claim instead of the true one.
fn ledger_with_sheet(sheet: &[u8], declare: Option<u32>) -> Vec<u8> {
    use std::io::{Read, Write};
    let original = std::fs::read(manifest().join("content/台账样例.xlsx")).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        zout.start_file(name.as_str(), opts).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            zout.write_all(sheet).unwrap();
        } else {
            zout.write_all(&bytes).unwrap();
        }
    }
    let mut bytes = zout.finish().unwrap().into_inner();
    if let Some(claim) = declare {
        // Patch the uncompressed size in the local and the central header.
        let name = b"xl/worksheets/sheet1.xml";
        for (sig, name_at, size_at) in [(b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)] {
            let at = (0..bytes.len() - name.len())
                .find(|&i| bytes[i..].starts_with(sig) && bytes[i + name_at..].starts_with(name))
                .unwrap();
            bytes[at + size_at..at + size_at + 4].copy_from_slice(&claim.to_le_bytes());
        }
    }
    bytes
}

#[test]
fn an_inflating_spreadsheet_is_refused_before_it_is_expanded() {
    let _serial = serial();
    // 200 MB of sheet XML that deflates to well under 1 MB.
    let mut sheet = b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>".to_vec();
    sheet.extend(std::iter::repeat_n(b' ', 200_000_000));
    sheet.extend_from_slice(b"</sheetData></worksheet>");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("declared.xlsx");
    std::fs::write(&path, ledger_with_sheet(&sheet, None)).unwrap();
    let out = within(
        dir.path(),
        &["import", path.to_str().unwrap(), "--into", "year"],
        Duration::from_secs(120),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("64 MiB") && stderr.contains("inflate"),
        "{stderr}"
    );
    assert!(!dir.path().join("year").exists());
    // The same refusal in Chinese.
    let out = within(
        dir.path(),
        &[
            "import",
            path.to_str().unwrap(),
            "--into",
            "year",
            "--lang",
            "zh-CN",
        ],
        Duration::from_secs(120),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("64 MiB") && stderr.contains("展开后过大"),
        "{stderr}"
    );
    // An archive that declares less than it holds is read no further than
    // it declares (the zip reader stops it), so it fails as a short sheet.
    let path = dir.path().join("lying.xlsx");
    std::fs::write(&path, ledger_with_sheet(&sheet, Some(900_000))).unwrap();
    let out = within(
        dir.path(),
        &["import", path.to_str().unwrap(), "--into", "year"],
        Duration::from_secs(120),
    );
    assert!(!out.status.success());
    assert!(!dir.path().join("year").exists());
    // The sample ledger itself passes the check.
    let year = dir.path().join("ok");
    let ledger = manifest().join("content/台账样例.xlsx");
    let out = nianbao(
        dir.path(),
        &[
            "import",
            ledger.to_str().unwrap(),
            "--into",
            year.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Tests that hold much memory, or measure a child's, run one at a time:
/// a child spawned while this process is large may count its pages.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// `nianbao check` in `dir` under a 1 GiB data limit: its peak resident
/// memory in MiB, from wait4 (None when it did not exit by itself).
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by wait4, which gives its rusage
fn check_peak_mib(dir: &Path) -> Option<u64> {
    // SAFETY: malloc_trim only releases free memory of glibc's heap.
    unsafe { libc::malloc_trim(0) };
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .env("NIANBAO_LANG", "en")
        .args(["check", "-c", "content"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let limit = libc::rlimit {
        rlim_cur: 1 << 30,
        rlim_max: 1 << 30,
    };
    // SAFETY: plain system calls on our own child, with valid pointers.
    let set = unsafe { libc::prlimit(pid, libc::RLIMIT_DATA, &limit, std::ptr::null_mut()) };
    assert_eq!(set, 0, "{}", std::io::Error::last_os_error());
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }, pid);
    libc::WIFEXITED(status).then_some(usage.ru_maxrss as u64 / 1024)
}

/// Pages of emphasis markers and of one-letter paragraphs: a page of
/// 1.4 MB took 1.25 GB and 2 GB (the briefing kept a few kilobytes per run
/// and all the page's events). Now the peak stays under a base of 120 MiB
/// plus 120 times the page, and doubling the page adds at most 120 times
/// what was added.
#[cfg(target_os = "linux")]
#[test]
fn memory_grows_in_proportion_to_a_page_of_markup() {
    let _serial = serial();
    for unit in ["*a ", "_a_ ", "a\n\n"] {
        let peak = |bytes: usize| {
            let site = site_copy("minimal");
            let page = format!(
                "---\ntitle: 强调\n---\n\n{}\n",
                unit.repeat(bytes / unit.len())
            );
            std::fs::write(site.path().join("content/pages/markup.md"), page).unwrap();
            check_peak_mib(site.path()).unwrap_or_else(|| panic!("{unit:?}: check was killed"))
        };
        let (half, whole) = (peak(700_000), peak(1_400_000));
        let mib = |bytes: u64| bytes / (1 << 20);
        assert!(whole <= 120 + mib(120 * 1_400_000), "{unit:?}: {whole} MiB");
        assert!(
            whole.saturating_sub(half) <= mib(120 * 700_000),
            "{unit:?}: {half} → {whole} MiB"
        );
    }
}
