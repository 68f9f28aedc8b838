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
            "{}",
            nianbao::msg!("serve.port_moved", port = addr.port(), bound = bound.port())
        );
    }

    let shared = Arc::new(Shared::default());
    let mut builder = Builder::new(o.content, o.year);
    builder.scan();
    println!(
        "{}",
        nianbao::msg!("serve.building", folder = o.content.display())
    );
    let progress = super::progress::Progress::new(false);
    progress.stage(&nianbao::msg!("serve.stage"));
    let first = builder.build(None);
    progress.finish();
    let mut last_report = String::new();
    report(&shared, first, &mut last_report);

    // Raw events, not debounced: a file closed by its writer is rebuilt
    // at once (`serve::watch`), one still being written after a pause.
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => {
            return Err(super::environment_error(nianbao::msg!(
                "serve.cannot_watch_files",
                error = e
            )))
        }
    };
    let watched = builder.watched();
    let (content_dir, themes_dir) = (watched[0].clone(), watched[1].clone());
    if let Err(e) = watcher.watch(&content_dir, RecursiveMode::Recursive) {
        return Err(super::environment_error(nianbao::msg!(
            "serve.cannot_watch",
            folder = content_dir.display(),
            error = e
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
        "{}",
        nianbao::msg!(
            "serve.serving",
            url = url,
            content = content_dir.display(),
            themes = themes_dir.display()
        )
    );
    if !bound.ip().is_loopback() {
        println!(
            "{}: {}",
            nianbao::msg!("cmd.note"),
            nianbao::msg!("serve.public", address = bound)
        );
    }
    let _ = std::io::stdout().flush();
    if o.open {
        open_browser(&url);
    }

    // Where relative folder names start, for the watcher's absolute paths.
    let cwd = content_dir
        .is_relative()
        .then(std::env::current_dir)
        .and_then(Result::ok);
    while let Some(burst) = Burst::next(&rx) {
        let burst = burst.relative_to(cwd.as_deref());
        // After lost events nothing is known complete.
        let mut complete = if burst.lost {
            Default::default()
        } else {
            burst.complete
        };
        if !themes_watched && themes_dir.is_dir() {
            themes_watched = watcher.watch(&themes_dir, RecursiveMode::Recursive).is_ok();
        }
        let mut wait = |d, complete: &mut _| {
            if let Some(more) = Burst::within(&rx, d) {
                more.relative_to(cwd.as_deref()).apply(complete);
            }
        };
        let changes = builder.scan_settled(Duration::from_millis(60), &mut complete, &mut wait);
        if changes.is_empty() {
            continue;
        }
        let names: Vec<String> = changes
            .all()
            .take(3)
            .map(|p| p.display().to_string())
            .collect();
        let more = changes.all().count().saturating_sub(names.len());
        let changed = match more {
            0 => nianbao::msg!("serve.changed", files = names.join(", ")),
            more => nianbao::msg!("serve.changed_more", files = names.join(", "), more = more),
        };
        println!("{changed}");
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
        Reloaded::All => nianbao::msg!("serve.read_all"),
        Reloaded::Some(1) => nianbao::msg!("serve.read_one"),
        Reloaded::Some(n) => nianbao::msg!("serve.read_some", n = n),
        Reloaded::None => nianbao::msg!("serve.read_none"),
    };
    let secs = format!("{:.2}", outcome.took.as_secs_f64());
    let first = shared.state.lock().map(|s| s.site == 0).unwrap_or(false);
    match shared.publish(&mut outcome) {
        Some(n) if first => println!(
            "{}",
            nianbao::msg!(
                "serve.built_first",
                seconds = secs,
                pages = outcome.pages,
                charts = outcome.charts,
                files = n
            )
        ),
        Some(0) => println!(
            "{}",
            nianbao::msg!("serve.unchanged", seconds = secs, read = read)
        ),
        Some(n) => println!(
            "{}",
            nianbao::msg!(
                "serve.rebuilt",
                seconds = secs,
                read = read,
                pages = outcome.pages,
                charts = outcome.charts,
                files = n
            )
        ),
        None => println!(
            "{}",
            nianbao::msg!(
                "serve.failed",
                errors = super::errors(outcome.errors),
                seconds = secs
            )
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
            Some((a, n)) => (Some(parse_ip(a)?), n.parse().map_err(|_| not_a_port(p))?),
            None => (None, p.parse().map_err(|_| not_a_port(p))?),
        },
    };
    let ip = match (bind, port_addr) {
        (Some(b), _) => parse_ip(b)?,
        (None, Some(ip)) if !ip.is_loopback() => {
            return Err(super::with_help(
                nianbao::msg!("serve.not_loopback", ip = ip),
                nianbao::msg!("serve.not_loopback.help", ip = ip),
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
    s.parse().map_err(|_| {
        super::with_help(
            nianbao::msg!("serve.not_an_ip", value = s),
            nianbao::msg!("serve.not_an_ip.help"),
        )
    })
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
            Err(e) => {
                return Err(nianbao::msg!(
                    "serve.cannot_listen",
                    ip = addr.ip(),
                    error = e
                ))
            }
        }
    }
    Err(super::with_help(
        nianbao::msg!(
            "serve.ports_in_use",
            from = addr.port(),
            to = addr.port().saturating_add(tries - 1),
            error = last.map(|e| e.to_string()).unwrap_or_default()
        ),
        nianbao::msg!("serve.ports_in_use.help"),
    ))
}

fn not_a_port(p: &str) -> String {
    super::with_help(
        nianbao::msg!("serve.not_a_port", value = p),
        nianbao::msg!("serve.not_a_port.help"),
    )
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
        println!(
            "{}: {}",
            nianbao::msg!("cmd.note"),
            nianbao::msg!("serve.no_browser", url = url)
        );
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
