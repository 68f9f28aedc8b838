//! `nianbao serve` over HTTP: pages from memory with the reload script (and
//! only there), a save that changes the served site, a broken save that
//! keeps the last good site and reports its errors, the fix that clears
//! them, and the refusals of the address.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;

/// A running `nianbao serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(dir: &std::path::Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .env("NIANBAO_LANG", "en")
            .arg("serve")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            addr: String::new(),
            lines: rx,
            seen: Vec::new(),
        };
        let line = server.wait_line(|l| l.starts_with("serving http://"));
        server.addr = line["serving http://".len()..]
            .split('/')
            .next()
            .unwrap()
            .to_string();
        server
    }

    /// The next line of stdout that `want` accepts (60 s at most).
    fn wait_line(&mut self, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("no such line; stdout so far: {:#?}", self.seen),
            }
        }
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        get(&self.addr, path)
    }

    /// (serial, site, errors) from the version endpoint, waiting while the
    /// serial is `since`.
    fn version(&self, since: Option<u64>) -> (u64, u64, u64) {
        let q = since.map_or(String::new(), |s| format!("?since={s}"));
        let (status, _, body) = self.get(&format!("/__nianbao/version{q}"));
        assert_eq!(status, 200);
        let num = |k: &str| -> u64 {
            let rest = &body[body.find(&format!("\"{k}\":")).unwrap() + k.len() + 3..];
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap()
        };
        (num("serial"), num("site"), num("errors"))
    }
}

/// GET over a plain TcpStream: (status, headers, body).
fn get(addr: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

fn content_type(head: &str) -> String {
    head.lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type: ")
                .map(str::to_string)
        })
        .unwrap_or_default()
}

#[test]
fn serves_reloads_and_reports_errors() {
    let site = site_copy("minimal");
    let mut server = Server::start(site.path(), &["-c", "content", "--port", "0"]);

    // Pages, with the reload script; other files as they are.
    let (status, head, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(content_type(&head).starts_with("text/html"), "{head}");
    assert!(home.contains("data-nianbao-site="), "{home}");
    assert!(home.contains("/__nianbao/version"));
    // The preview is for the author: keys, ids and shortcodes show there,
    // never in a built site (tests/build_site.rs, tests/example_site.rs).
    let (_, _, dq) = server.get("/data-quality.html");
    assert!(dq.contains("enterprise.party_orgs"), "keys in the preview");
    let (_, _, gallery) = server.get("/charts.html");
    assert!(
        gallery.contains("chart(id=\"coverage-by-kind\")")
            || gallery.contains("chart(id=&quot;coverage-by-kind&quot;)"),
        "shortcodes in the preview"
    );
    for (path, ct) in [
        ("/static/style.css", "text/css"),
        ("/charts/coverage-by-kind.svg", "image/svg+xml"),
        ("/charts/coverage-by-kind.png", "image/png"),
        ("/charts/coverage-by-kind.csv", "text/csv"),
        ("/search-index.js", "text/javascript"),
        ("/organizations/", "text/html"),
    ] {
        let (status, head, body) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(content_type(&head).starts_with(ct), "{path}: {head}");
        if !ct.starts_with("text/html") {
            assert!(!body.contains("__nianbao"), "{path} carries the script");
        }
    }
    let (status, head, _) = server.get("/organizations");
    assert_eq!(status, 301);
    assert!(head.contains("/organizations/"), "{head}");
    let (status, _, body) = server.get("/no-such-page.html");
    assert_eq!(status, 404);
    assert!(body.contains("找不到这个页面"), "{body}");

    // `build` output never carries the script.
    build(site.path());
    for (path, bytes) in tree(&site.path().join("output")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__nianbao"),
            "{} carries the reload script",
            path.display()
        );
    }

    // A save with the same bytes is no rebuild; a real edit is.
    let (serial, site_v, errors) = server.version(None);
    assert_eq!(errors, 0);
    let about = site.path().join("content/pages/about.md");
    std::fs::write(&about, read(&about)).unwrap();
    edit(&about, "## 概况", "## 概况与新段落");
    let (serial2, site_v2, errors2) = server.version(Some(serial));
    assert!(site_v2 > site_v, "the site changed");
    assert_eq!(errors2, 0);
    let (_, _, page) = server.get("/pages/about.html");
    assert!(page.contains("概况与新段落"), "{page}");
    assert!(page.contains(&format!("data-nianbao-site=\"{site_v2}\"")));
    let changed = server.wait_line(|l| l.starts_with("changed:"));
    assert_eq!(changed, "changed: content/pages/about.md");

    // A broken register: errors reported, the last good site still served.
    let orgs = site.path().join("content/data/2016/organizations.yaml");
    let good = read(&orgs);
    edit(&orgs, "branch: br-0001", "branch: br-9999");
    let (serial3, site_v3, errors3) = server.version(Some(serial2));
    assert!(errors3 >= 1);
    assert_eq!(site_v3, site_v2, "the last good site stays");
    let (status, head, errs) = server.get("/__nianbao/errors");
    assert_eq!(status, 200);
    assert!(content_type(&head).starts_with("application/json"));
    assert!(
        errs.contains("organizations.yaml") && errs.contains("br-9999"),
        "{errs}"
    );
    assert!(errs.contains("内容有错误"), "{errs}");
    let (status, _, page) = server.get("/pages/about.html");
    assert_eq!(status, 200);
    assert!(page.contains("概况与新段落"));
    server.wait_line(|l| l.starts_with("build failed"));

    // The fix clears the errors; the site is the same as before the break.
    std::fs::write(&orgs, good).unwrap();
    let (_, site_v4, errors4) = server.version(Some(serial3));
    assert_eq!(errors4, 0);
    assert_eq!(site_v4, site_v2);
    let (_, _, errs) = server.get("/__nianbao/errors");
    assert!(errs.contains("\"count\":0"), "{errs}");
}

#[test]
fn takes_the_next_port_when_busy() {
    let site = site_copy("minimal");
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let server = Server::start(site.path(), &["-c", "content", "--port", &port.to_string()]);
    assert_ne!(server.addr, format!("127.0.0.1:{port}"));
    let note = format!("port {port} is in use; serving on port ");
    assert!(
        server.seen.iter().any(|l| l.starts_with(&note)),
        "{:?}",
        server.seen
    );
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn refuses_other_addresses_without_bind() {
    let site = site_copy("minimal");
    let out = nianbao(
        site.path(),
        &["serve", "-c", "content", "--port", "0.0.0.0:0"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refusing to serve on 0.0.0.0"), "{err}");
    assert!(err.contains("--bind 0.0.0.0"), "{err}");
    let out = nianbao(
        site.path(),
        &["serve", "-c", "content", "--bind", "nowhere"],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = nianbao(site.path(), &["serve", "-c", "missing", "--port", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn serves_an_explicit_loopback_bind() {
    let site = site_copy("minimal");
    let server = Server::start(
        site.path(),
        &["-c", "content", "--bind", "127.0.0.1", "--port", "0"],
    );
    assert!(server.addr.starts_with("127.0.0.1:"));
    assert_eq!(server.get("/index.html").0, 200);
}

/// A rebuild that reads only the changed files gives what a full build
/// gives: the same files and the same diagnostics.
#[test]
fn a_partial_reload_builds_what_a_full_build_does() {
    use nianbao::serve::{Builder, Reloaded};
    let site = site_copy("minimal");
    let content = site.path().join("content");
    let mut builder = Builder::new(&content, None);
    builder.scan();
    let first = builder.build(None);
    assert_eq!(first.reloaded, Reloaded::All);
    assert!(first.files.is_some(), "{}", first.report);

    edit(
        &content.join("pages/about.md"),
        "## 概况",
        "## 概况（修订）",
    );
    edit(
        &content.join("data/2016/organizations.yaml"),
        "employees: 120",
        "employees: 121",
    );
    let changes = builder.scan();
    assert_eq!(changes.modified.len(), 2, "{changes:?}");
    let partial = builder.build(Some(&changes));
    assert_eq!(partial.reloaded, Reloaded::Some(2));

    use nianbao::build::{run, Options, Source};
    // The same preview, built from scratch.
    let mut loading = nianbao::diagnostics::Diagnostics::default();
    let mut raw = nianbao::load::load(&content, &mut loading);
    raw.preview = true;
    let full = run(Source::Loaded(&raw, &loading), &Options::site());
    let full_report = full.report();
    assert_eq!(partial.report, full_report);
    let files = partial.files.expect("builds");
    let full = full.files.expect("builds");
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &full {
        assert!(files[path] == *bytes, "{} differs", path.display());
    }
    let page =
        String::from_utf8_lossy(&files[std::path::Path::new("pages/about.html")]).to_string();
    assert!(page.contains("概况（修订）"));

    // A broken file, then the same file fixed: diagnostics follow the file.
    let orgs = content.join("data/2016/organizations.yaml");
    let good = read(&orgs);
    std::fs::write(&orgs, good.replace("employees: 121", "employees: -1")).unwrap();
    let changes = builder.scan();
    let broken = builder.build(Some(&changes));
    assert!(broken.files.is_none());
    assert!(
        broken.report.contains("organizations.yaml"),
        "{}",
        broken.report
    );
    std::fs::write(&orgs, &good).unwrap();
    let changes = builder.scan();
    let fixed = builder.build(Some(&changes));
    assert!(fixed.files.is_some(), "{}", fixed.report);
    assert_eq!(fixed.report, full_report);

    // A save with the same bytes is no change at all.
    std::fs::write(&orgs, &good).unwrap();
    assert!(builder.scan().is_empty());
}

/// Sends `request` as it is and returns what comes back before the server
/// closes (empty when it closes without answering).
fn raw(addr: &str, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    // The server may answer and close before it has read everything.
    let _ = s.write_all(request);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw).to_string()
}

fn status_of(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn answers_only_its_own_host_and_never_redirects_off_site() {
    let site = site_copy("minimal");
    let server = Server::start(site.path(), &["-c", "content", "--port", "0"]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{}", port.parse::<u16>().unwrap().wrapping_add(1)),
    ] {
        for path in ["/", "/__nianbao/errors", "/organizations/"] {
            let r = raw(
                &server.addr,
                format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
            assert_eq!(status_of(&r), 421, "{host} {path}: {r}");
            assert!(
                !r.contains("<html") && !r.contains("\"text\""),
                "{host} {path}: {r}"
            );
        }
    }
    let no_host = raw(&server.addr, b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status_of(&no_host), 421, "{no_host}");
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
    ] {
        let r = raw(
            &server.addr,
            format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        );
        assert_eq!(status_of(&r), 200, "{host}: {r}");
    }
    // `//name` is a path of this site, never a protocol-relative redirect.
    for path in [
        "//organizations",
        "//evil.example",
        "///evil.example/x",
        "/\\evil.example",
    ] {
        let (status, head, _) = server.get(path);
        let location = head
            .lines()
            .find_map(|l| l.strip_prefix("Location: "))
            .unwrap_or("");
        assert!(
            !location.starts_with("//") && !location.contains(':') && !location.contains('\\'),
            "{path}: {status} {head}"
        );
        if path == "//organizations" {
            assert_eq!((status, location), (301, "/organizations/"), "{head}");
        }
    }
}

#[test]
fn a_huge_request_head_is_refused_and_the_preview_keeps_serving() {
    let site = site_copy("minimal");
    let server = Server::start(site.path(), &["-c", "content", "--port", "0"]);
    // One header line of 1 MiB, and as many short lines.
    let long_line = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Long: {}\r\n\r\n",
        server.addr,
        "a".repeat(1 << 20)
    );
    let many_lines = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\n{}\r\n",
        server.addr,
        "X-A: b\r\n".repeat(100_000)
    );
    for request in [long_line, many_lines] {
        let r = raw(&server.addr, request.as_bytes());
        assert_eq!(status_of(&r), 431, "{}", &r[..r.len().min(300)]);
    }
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn connections_beyond_the_cap_are_turned_away_and_served_again_later() {
    let site = site_copy("minimal");
    let server = Server::start(site.path(), &["-c", "content", "--port", "0"]);
    // Idle connections that never send a request hold their places.
    let idle: Vec<TcpStream> = (0..64)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    // Wait until the server has taken all of them in.
    let deadline = Instant::now() + Duration::from_secs(30);
    let busy = loop {
        let r = raw(
            &server.addr,
            format!("GET / HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).as_bytes(),
        );
        if status_of(&r) == 503 || Instant::now() > deadline {
            break r;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status_of(&busy), 503, "{busy}");
    assert!(busy.contains("too many connections"), "{busy}");
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.get("/").0 != 200 {
        assert!(Instant::now() < deadline, "never served again");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Builds `content` from scratch as the preview does, and checks that the
/// incremental `outcome` holds exactly its files, byte for byte.
fn same_as_full_build(content: &std::path::Path, outcome: &nianbao::serve::Outcome, what: &str) {
    use nianbao::build::{run, Options, Source};
    let mut loading = nianbao::diagnostics::Diagnostics::default();
    let mut raw = nianbao::load::load(content, &mut loading);
    raw.preview = true;
    let full = run(Source::Loaded(&raw, &loading), &Options::site());
    assert_eq!(outcome.report, full.report(), "{what}: diagnostics differ");
    let files = outcome
        .files
        .as_ref()
        .expect("the incremental build succeeds");
    let full = full.files.expect("the full build succeeds");
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>(),
        "{what}: not the same files"
    );
    for (path, bytes) in &full {
        assert!(files[path] == *bytes, "{what}: {} differs", path.display());
    }
}

fn page_of(outcome: &nianbao::serve::Outcome, path: &str) -> String {
    let files = outcome.files.as_ref().expect("builds");
    String::from_utf8_lossy(&files[std::path::Path::new(path)]).to_string()
}

#[test]
fn incremental_rebuilds_equal_a_full_build_byte_for_byte() {
    use nianbao::serve::Builder;
    let site = example();
    let content = site.path().join("content");
    let orgs = content.join("data/2016/organizations.yaml");
    let mut builder = Builder::new(&content, None);
    builder.scan();
    let first = builder.build(None);
    assert!(first.files.is_some(), "{}", first.report);
    let counts = first.rendered.expect("serve keeps rendered pages");
    assert_eq!(counts.reused, 0);
    let register_pages = counts.rendered;
    assert!(register_pages > 1000, "{counts:?}");

    // One paragraph of a page: no register page is rendered again.
    edit(
        &content.join("pages/case-study.md"),
        "## 一、背景\n",
        "## 一、背景\n\n新增的一段说明文字。\n",
    );
    let changes = builder.scan();
    let paragraph = builder.build(Some(&changes));
    same_as_full_build(&content, &paragraph, "a paragraph");
    assert!(page_of(&paragraph, "pages/case-study.html").contains("新增的一段说明文字"));
    let counts = paragraph.rendered.unwrap();
    assert_eq!(
        (counts.rendered, counts.reused),
        (0, register_pages),
        "{counts:?}"
    );

    // One field of one record: its page and the lists that show it.
    edit(&orgs, "employees: 43\n", "employees: 54321\n");
    let changes = builder.scan();
    let record = builder.build(Some(&changes));
    same_as_full_build(&content, &record, "a record");
    assert!(page_of(&record, "organizations/ent-0001.html").contains("54,321"));
    let counts = record.rendered.unwrap();
    assert!(
        counts.rendered >= 1 && counts.rendered < register_pages / 10,
        "{counts:?}"
    );
    assert_eq!(counts.rendered + counts.reused, register_pages);

    // A renamed organization: its page, its branch's page and every list
    // that names it change with it.
    edit(&orgs, "name: 示例企业 0001\n", "name: 更名企业 0001\n");
    let changes = builder.scan();
    let renamed = builder.build(Some(&changes));
    same_as_full_build(&content, &renamed, "a renamed organization");
    assert!(page_of(&renamed, "branches/jb-food-02.html").contains("更名企业 0001"));
    assert!(page_of(&renamed, "organizations/index.html").contains("更名企业 0001"));
    assert!(renamed.rendered.unwrap().rendered < register_pages / 10);

    // A page's title is in the navigation of every page of its year: all
    // of them render again (2015 has a write-up of its own and stays).
    edit(
        &content.join("pages/data-notes.md"),
        "title: ",
        "title: 修订：",
    );
    let changes = builder.scan();
    let retitled = builder.build(Some(&changes));
    same_as_full_build(&content, &retitled, "a page's title");
    let counts = retitled.rendered.unwrap();
    assert_eq!(counts.rendered + counts.reused, register_pages);
    assert!(counts.rendered > register_pages / 2, "{counts:?}");

    // Back to the first content: the same bytes as the first build.
    let first_files = first.files.unwrap();
    std::fs::write(
        &orgs,
        read(&manifest().join("content/data/2016/organizations.yaml")),
    )
    .unwrap();
    for page in ["case-study.md", "data-notes.md"] {
        std::fs::copy(
            manifest().join("content/pages").join(page),
            content.join("pages").join(page),
        )
        .unwrap();
    }
    let changes = builder.scan();
    let back = builder.build(Some(&changes));
    assert!(back.files.unwrap() == first_files);
}
