//! The preview's HTTP side: the site's files from memory, the live-reload
//! script injected into served HTML (never into `build` output), and two
//! endpoints the script asks: `/__nianbao/version` (long poll) and
//! `/__nianbao/errors` (the overlay's text).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Shared;

/// Where the preview's own endpoints live; no site file can be there,
/// because built paths never start with `__`.
pub const PREFIX: &str = "/__nianbao/";

/// The script every served page carries, right before `</body>`.
pub const RELOAD_JS: &str = include_str!("reload.js");

/// How long the version endpoint holds a request when nothing changes.
pub const LONG_POLL: Duration = Duration::from_secs(25);

/// A response before it is sent: status, content type, body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// For a redirect.
    pub location: Option<String>,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Reply {
            status,
            content_type,
            body,
            location: None,
        }
    }
}

/// The reply to a GET of `url` (path and query, as sent).
pub fn respond(shared: &Shared, url: &str, long_poll: Duration) -> Reply {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = percent_decode(path);
    if let Some(endpoint) = path.strip_prefix(PREFIX) {
        return endpoint_reply(shared, endpoint, query, long_poll);
    }
    let Some(rel) = site_path(&path) else {
        return not_found(shared);
    };
    let dir_like = rel.as_os_str().is_empty() || path.ends_with('/');
    let file = if dir_like {
        rel.join("index.html")
    } else {
        rel.clone()
    };
    if let Some((site, bytes)) = shared.file(&file) {
        let ct = super::content_type(&file);
        let body = if ct.starts_with("text/html") {
            inject(&bytes, site)
        } else {
            bytes.to_vec()
        };
        return Reply::new(200, ct, body);
    }
    // A folder asked for without its slash: send the browser to the slash,
    // so that the page's relative links resolve.
    if !dir_like && shared.file(&rel.join("index.html")).is_some() {
        let mut r = Reply::new(301, "text/plain; charset=utf-8", b"moved\n".to_vec());
        r.location = Some(folder_location(&rel));
        return r;
    }
    not_found(shared)
}

fn endpoint_reply(shared: &Shared, endpoint: &str, query: &str, long_poll: Duration) -> Reply {
    match endpoint {
        "version" => {
            let since = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("since="))
                .and_then(|v| v.parse().ok());
            let (serial, site, errors) = shared.wait(since, long_poll);
            let json = format!("{{\"serial\":{serial},\"site\":{site},\"errors\":{errors}}}");
            Reply::new(200, "application/json", json.into_bytes())
        }
        "errors" => {
            let s = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            let strings = strings(&s.lang);
            let (count, text) = s.errors.clone().unwrap_or_default();
            let json = format!(
                "{{\"site\":{},\"count\":{count},\"title\":{},\"help\":{},\"text\":{}}}",
                s.site,
                json_string(
                    &strings
                        .get("serve_errors_title")
                        .cloned()
                        .unwrap_or_default()
                ),
                json_string(
                    &strings
                        .get("serve_errors_help")
                        .cloned()
                        .unwrap_or_default()
                ),
                json_string(&text),
            );
            Reply::new(200, "application/json", json.into_bytes())
        }
        "reload.js" => Reply::new(
            200,
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes().to_vec(),
        ),
        _ => Reply::new(404, "text/plain; charset=utf-8", b"not found\n".to_vec()),
    }
}

/// The absolute path of a folder with its slash, built from its checked
/// parts and percent-encoded: never `//host/…`, which a browser would take
/// for another site, whatever the request's path was (`//evil.example`).
fn folder_location(rel: &Path) -> String {
    let mut out = String::from("/");
    for part in rel.iter() {
        for b in part.to_string_lossy().bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out.push('/');
    }
    out
}

/// The file a URL path names, relative to the site root; None for a path
/// that leaves the root or names nothing a site can hold.
fn site_path(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains('\\') || p.contains('\0') => return None,
            p => out.push(p),
        }
    }
    Some(out)
}

/// `%XX` sequences decoded as UTF-8 (page slugs may be Chinese).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `html` with the reload script before its last `</body>` (or at the end).
pub fn inject(html: &[u8], site: u64) -> Vec<u8> {
    let tag = format!("<script data-nianbao-site=\"{site}\">\n{RELOAD_JS}</script>\n");
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The 404 page, in the site's language, with the reload script so that it
/// turns into the page once a rebuild makes it.
fn not_found(shared: &Shared) -> Reply {
    let (site, lang) = {
        let s = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        (s.site, s.lang.clone())
    };
    let t = strings(&lang);
    let get = |k: &str| crate::present::escape(t.get(k).map_or(k, String::as_str));
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.6}}</style>\n\
         </head>\n<body>\n<h1>{title}</h1>\n<p>{text}</p>\n<p><a href=\"/index.html\">{home}</a></p>\n</body>\n</html>\n",
        lang = crate::present::escape(&lang),
        title = get("serve_not_found_title"),
        text = get("serve_not_found_text"),
        home = get("serve_not_found_home"),
    );
    Reply::new(
        404,
        "text/html; charset=utf-8",
        inject(html.as_bytes(), site),
    )
}

/// The built-in interface strings of `lang` (zh-CN when unknown).
fn strings(lang: &str) -> BTreeMap<String, String> {
    use crate::render::theme::{read_strings, DEFAULT_FILES};
    let name = if lang == "en" {
        "i18n/en.yaml"
    } else {
        "i18n/zh-CN.yaml"
    };
    let mut out = BTreeMap::new();
    if let Some((_, bytes)) = DEFAULT_FILES.iter().find(|(p, _)| *p == name) {
        read_strings(Path::new(name), bytes, &mut out, &mut Vec::new());
    }
    out
}

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            // Kept out of inline contexts: `</script>` and line separators.
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::{Outcome, Reloaded};

    fn outcome(files: Option<&[(&str, &str)]>) -> Outcome {
        Outcome {
            files: files.map(|f| {
                f.iter()
                    .map(|(p, b)| (PathBuf::from(p), b.as_bytes().to_vec().into()))
                    .collect()
            }),
            report: "x.yaml:1:1: error: bad\n".into(),
            errors: usize::from(files.is_none()),
            warnings: 0,
            pages: 0,
            charts: 0,
            took: Duration::ZERO,
            reloaded: Reloaded::All,
            rendered: None,
        }
    }

    #[test]
    fn serves_files_folders_and_404() {
        let shared = Shared::default();
        shared.publish(&mut outcome(Some(&[
            (
                "index.html",
                "<html lang=\"en\"><body><p>home</p></body></html>",
            ),
            ("pages/a.html", "<p>a</p>"),
            ("static/style.css", "p{}"),
            ("charts/x.svg", "<svg/>"),
        ])));
        let r = respond(&shared, "/", Duration::ZERO);
        assert_eq!(
            (r.status, r.content_type),
            (200, "text/html; charset=utf-8")
        );
        let body = String::from_utf8(r.body).unwrap();
        assert!(body.contains("data-nianbao-site=\"1\""), "{body}");
        // Minified, the page may end without `</body>`: the script comes last.
        assert!(body.find("data-nianbao-site").unwrap() > body.find("home").unwrap());
        assert!(body.trim_end().ends_with("</script>") || body.contains("</script></body>"));
        assert_eq!(
            respond(&shared, "/static/style.css", Duration::ZERO).content_type,
            "text/css; charset=utf-8"
        );
        assert_eq!(
            respond(&shared, "/charts/x.svg?v=1", Duration::ZERO).content_type,
            "image/svg+xml"
        );
        let css = respond(&shared, "/static/style.css", Duration::ZERO);
        assert_eq!(css.body, b"p{}", "no script outside HTML");
        let nf = respond(&shared, "/nothing.html", Duration::ZERO);
        assert_eq!(nf.status, 404);
        assert!(String::from_utf8(nf.body)
            .unwrap()
            .contains("Page not found"));
        assert_eq!(
            respond(&shared, "/../etc/passwd", Duration::ZERO).status,
            404
        );
    }

    #[test]
    fn redirects_a_folder_to_its_slash() {
        let shared = Shared::default();
        shared.publish(&mut outcome(Some(&[(
            "organizations/index.html",
            "<p>o</p>",
        )])));
        let r = respond(&shared, "/organizations", Duration::ZERO);
        assert_eq!(r.status, 301);
        assert_eq!(r.location.as_deref(), Some("/organizations/"));
        for sneaky in [
            "//organizations",
            "///organizations",
            "/./organizations",
            "//organizations?x",
        ] {
            let r = respond(&shared, sneaky, Duration::ZERO);
            assert_eq!(r.status, 301, "{sneaky}");
            assert_eq!(r.location.as_deref(), Some("/organizations/"), "{sneaky}");
        }
        assert_eq!(
            respond(&shared, "/organizations/", Duration::ZERO).status,
            200
        );
    }

    #[test]
    fn a_failure_keeps_the_site_and_reports_errors() {
        let shared = Shared::default();
        shared.publish(&mut outcome(Some(&[("index.html", "<p>good</p>")])));
        let v1 = respond(&shared, "/__nianbao/version", Duration::ZERO);
        assert_eq!(
            String::from_utf8(v1.body).unwrap(),
            "{\"serial\":1,\"site\":1,\"errors\":0}"
        );
        shared.publish(&mut outcome(None));
        let v2 =
            String::from_utf8(respond(&shared, "/__nianbao/version?since=1", Duration::ZERO).body)
                .unwrap();
        assert_eq!(v2, "{\"serial\":2,\"site\":1,\"errors\":1}");
        let page = String::from_utf8(respond(&shared, "/", Duration::ZERO).body).unwrap();
        assert!(page.contains("good"));
        let e =
            String::from_utf8(respond(&shared, "/__nianbao/errors", Duration::ZERO).body).unwrap();
        assert!(e.contains("x.yaml:1:1: error: bad\\n"), "{e}");
        // The same good site again: no reload, errors cleared.
        shared.publish(&mut outcome(Some(&[("index.html", "<p>good</p>")])));
        let v3 =
            String::from_utf8(respond(&shared, "/__nianbao/version?since=2", Duration::ZERO).body)
                .unwrap();
        assert_eq!(v3, "{\"serial\":3,\"site\":1,\"errors\":0}");
    }

    #[test]
    fn both_languages_have_the_preview_strings() {
        for lang in ["zh-CN", "en"] {
            let t = strings(lang);
            for key in [
                "serve_errors_title",
                "serve_errors_help",
                "serve_not_found_title",
                "serve_not_found_text",
                "serve_not_found_home",
            ] {
                assert!(t.get(key).is_some_and(|s| !s.is_empty()), "{lang}: {key}");
            }
        }
        assert_ne!(
            strings("en")["serve_errors_title"],
            strings("zh-CN")["serve_errors_title"]
        );
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(
            percent_decode("/pages/%E6%A6%82%E5%86%B5.html"),
            "/pages/概况.html"
        );
        assert_eq!(percent_decode("/a%2"), "/a%2");
        assert_eq!(
            json_string("a\"b\n</script>"),
            "\"a\\\"b\\n\\u003c/script>\""
        );
    }
}
