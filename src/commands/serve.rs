//! `nianbao serve`: build in memory, serve on the loopback address, rebuild
//! on every save and reload the open pages (see `nianbao::serve`).

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use nianbao::serve::watch::Burst;
use nianbao::serve::{Builder, Outcome, Reloaded, Shared};
use notify_debouncer_mini::notify::{self, RecursiveMode, Watcher};

pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after the asked one are tried when it is in use.
const PORT_TRIES: u16 = 20;

pub struct Options<'a> {
    pub content: &'a Path,
    pub year: Option<i32>,
    /// `PORT` or `ADDR:PORT`; a non-loopback ADDR needs `--bind`.
    pub port: Option<&'a str>,
    pub bind: Option<&'a str>,
    pub open: bool,
}

pub fn run(o: Options) -> super::Outcome {
    let addr = match address(o.port, o.bind) {
        Ok(a) => a,
        Err(e) => return Err(super::environment_error(e)),
    };
    super::require_content(o.content)?;
    let (listener, bound) = match listen(addr) {
        Ok(l) => l,
        Err(e) => return Err(super::environment_error(e)),
    };
    if bound.port() != addr.port() && addr.port() != 0 {
        println!(
            "port {} is in use; serving on port {} instead",
            addr.port(),
            bound.port()
        );
    }

    let shared = Arc::new(Shared::default());
    let mut builder = Builder::new(o.content, o.year);
    builder.scan();
    println!("building {} …", o.content.display());
    let progress = super::progress::Progress::new(false);
    progress.stage("reading, checking and rendering");
    let first = builder.build(None);
    progress.finish();
    let mut last_report = String::new();
    report(&shared, first, &mut last_report);

    // Raw events, not debounced: a file closed by its writer is rebuilt
    // at once (`serve::watch`), one still being written after a pause.
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => return Err(super::environment_error(format!("cannot watch files: {e}"))),
    };
    let watched = builder.watched();
    let (content_dir, themes_dir) = (watched[0].clone(), watched[1].clone());
    if let Err(e) = watcher.watch(&content_dir, RecursiveMode::Recursive) {
        return Err(super::environment_error(format!(
            "cannot watch {}: {e}",
            content_dir.display()
        )));
    }
    // `themes/` may not exist yet: watch the folder that would hold it, and
    // the folder itself once it does.
    let mut themes_watched =
        themes_dir.is_dir() && watcher.watch(&themes_dir, RecursiveMode::Recursive).is_ok();
    if let Some(parent) = themes_dir.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let _ = watcher.watch(parent, RecursiveMode::NonRecursive);
    }

    let url = format!("http://{bound}/");
    {
        let shared = shared.clone();
        std::thread::spawn(move || nianbao::serve::listen::run(listener, bound, shared));
    }
    println!(
        "serving {url} (watching {} and {}; Ctrl+C to stop)",
        content_dir.display(),
        themes_dir.display()
    );
    if !bound.ip().is_loopback() {
        println!("note: {bound} is reachable from other machines: anyone who can reach it can read the site");
    }
    let _ = std::io::stdout().flush();
    if o.open {
        open_browser(&url);
    }

    while let Some(burst) = Burst::next(&rx) {
        // After lost events nothing is known complete.
        let complete = if burst.lost {
            Default::default()
        } else {
            burst.complete
        };
        if !themes_watched && themes_dir.is_dir() {
            themes_watched = watcher.watch(&themes_dir, RecursiveMode::Recursive).is_ok();
        }
        let changes = builder.scan_settled(Duration::from_millis(60), &complete);
        if changes.is_empty() {
            continue;
        }
        let names: Vec<String> = changes
            .all()
            .take(3)
            .map(|p| p.display().to_string())
            .collect();
        let more = changes.all().count().saturating_sub(names.len());
        println!(
            "changed: {}{}",
            names.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
        let outcome = builder.build(Some(&changes));
        report(&shared, outcome, &mut last_report);
    }
    Ok(())
}

/// Publishes a build and says in the terminal what happened.
fn report(shared: &Shared, mut outcome: Outcome, last_report: &mut String) {
    if outcome.report != *last_report || outcome.files.is_none() {
        eprint!("{}", outcome.report);
        *last_report = outcome.report.clone();
    }
    let read = match &outcome.reloaded {
        Reloaded::All => "read every file".to_string(),
        Reloaded::Some(1) => "read 1 file again".to_string(),
        Reloaded::Some(n) => format!("read {n} files again"),
        Reloaded::None => "read no content file".to_string(),
    };
    let secs = outcome.took.as_secs_f64();
    let first = shared.state.lock().map(|s| s.site == 0).unwrap_or(false);
    match shared.publish(&mut outcome) {
        Some(n) if first => println!(
            "built in {secs:.2} s: {} pages, {} charts, {n} files",
            outcome.pages, outcome.charts
        ),
        Some(0) => println!("built in {secs:.2} s ({read}): the site did not change"),
        Some(n) => println!(
            "built in {secs:.2} s ({read}): {} pages, {} charts, {n} files changed; reloading open pages",
            outcome.pages, outcome.charts
        ),
        None => println!(
            "build failed ({} error{}) in {secs:.2} s: still serving the last good site; the errors show in the open pages",
            outcome.errors,
            if outcome.errors == 1 { "" } else { "s" }
        ),
    }
    let _ = std::io::stdout().flush();
}

/// The address to listen on: 127.0.0.1 unless `--bind` names another.
/// `--port` may carry an address (`127.0.0.1:8080`), but only a loopback one.
fn address(port: Option<&str>, bind: Option<&str>) -> Result<SocketAddr, String> {
    let (port_addr, port) = match port {
        None => (None, DEFAULT_PORT),
        Some(p) => match p.rsplit_once(':') {
            Some((a, n)) => (
                Some(parse_ip(a)?),
                n.parse()
                    .map_err(|_| format!("`{p}` is not a port\n  = help: e.g. --port 1111"))?,
            ),
            None => (
                None,
                p.parse()
                    .map_err(|_| format!("`{p}` is not a port\n  = help: e.g. --port 1111"))?,
            ),
        },
    };
    let ip = match (bind, port_addr) {
        (Some(b), _) => parse_ip(b)?,
        (None, Some(ip)) if !ip.is_loopback() => {
            return Err(format!(
                "refusing to serve on {ip}: the preview is for this computer only (127.0.0.1)\n  = help: to let other machines read the site, say so with --bind {ip}"
            ))
        }
        (None, Some(ip)) => ip,
        (None, None) => IpAddr::V4(Ipv4Addr::LOCALHOST),
    };
    Ok(SocketAddr::new(ip, port))
}

fn parse_ip(s: &str) -> Result<IpAddr, String> {
    let s = s.trim_start_matches('[').trim_end_matches(']');
    if s == "localhost" {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    s.parse()
        .map_err(|_| format!("`{s}` is not an IP address\n  = help: e.g. --bind 127.0.0.1"))
}

/// Listens on `addr`, or on the next free port when it is in use.
fn listen(addr: SocketAddr) -> Result<(TcpListener, SocketAddr), String> {
    let tries = if addr.port() == 0 { 1 } else { PORT_TRIES };
    let mut last = None;
    for i in 0..tries {
        let Some(port) = addr.port().checked_add(i) else {
            break;
        };
        match TcpListener::bind(SocketAddr::new(addr.ip(), port)) {
            Ok(l) => {
                let bound = l.local_addr().map_err(|e| e.to_string())?;
                return Ok((l, bound));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(format!("cannot listen on {}: {e}", addr.ip())),
        }
    }
    Err(format!(
        "ports {} to {} are in use ({})\n  = help: choose another with --port P",
        addr.port(),
        addr.port().saturating_add(tries - 1),
        last.map(|e| e.to_string()).unwrap_or_default()
    ))
}

/// Opens `url` in the default browser; says so when it cannot.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if cmd.spawn().is_err() {
        println!("note: could not open a browser; open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_unless_bind() {
        assert_eq!(address(None, None).unwrap().to_string(), "127.0.0.1:1111");
        assert_eq!(address(Some("8080"), None).unwrap().port(), 8080);
        assert_eq!(
            address(Some("127.0.0.1:8080"), None).unwrap().to_string(),
            "127.0.0.1:8080"
        );
        assert!(address(Some("0.0.0.0:8080"), None)
            .unwrap_err()
            .contains("--bind 0.0.0.0"));
        assert_eq!(
            address(Some("8080"), Some("0.0.0.0")).unwrap().to_string(),
            "0.0.0.0:8080"
        );
        assert!(address(Some("http"), None).is_err());
    }
}
