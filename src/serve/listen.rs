//! The preview's connections, bounded: at most `MAX_CONNECTIONS` at once
//! (one thread each, the long poll holds its own), a request head of at
//! most `MAX_HEAD_BYTES` read within `HEAD_TIMEOUT`, one request per
//! connection. Only requests naming the preview's own address in `Host`
//! are answered: a web page whose name is rebound to 127.0.0.1 (DNS
//! rebinding) sends its own name, and is refused.

use std::io::{Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::http::{self, Reply};
use super::Shared;

/// Request line and headers together, in bytes (browsers send about 1 KiB).
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 64;
/// Time to send the whole request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// What is read and dropped after a refusal, so that the client reads the
/// answer instead of a reset connection.
const DRAIN_BYTES: u64 = 1024 * 1024;

/// Serves connections until the process ends.
pub fn run(listener: TcpListener, bound: SocketAddr, shared: Arc<Shared>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            busy(stream);
            continue;
        }
        let slot = Slot(open.clone());
        let shared = shared.clone();
        let spawned = std::thread::Builder::new().spawn(move || {
            let _slot = slot;
            connection(stream, bound, &shared);
        });
        // Out of threads: the connection is dropped with its slot.
        drop(spawned);
    }
}

/// A place among the open connections, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let reply = text_reply(503, &crate::msg!("serve.http.busy"));
    let _ = write_reply(&mut stream, &reply, false);
    let _ = stream.shutdown(Shutdown::Both);
}

fn text_reply(status: u16, text: &str) -> Reply {
    Reply {
        status,
        content_type: "text/plain; charset=utf-8",
        body: format!("{text}\n").into_bytes(),
        location: None,
    }
}

fn connection(mut stream: TcpStream, bound: SocketAddr, shared: &Shared) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let head = match read_head(&mut stream) {
        Head::Complete(h) => h,
        Head::TooLarge => {
            let text = crate::msg!("serve.http.head_too_large", bytes = MAX_HEAD_BYTES);
            return refuse(stream, &text_reply(431, &text));
        }
        Head::Cut => return,
    };
    let reply = match answer(&head, bound, shared) {
        Ok((reply, head_only)) => {
            let _ = write_reply(&mut stream, &reply, head_only);
            let _ = stream.shutdown(Shutdown::Write);
            return;
        }
        Err(reply) => reply,
    };
    refuse(stream, &reply);
}

/// Sends a refusal, then reads what the client still sends (up to a
/// bound) so that closing does not reset the connection under the answer.
fn refuse(mut stream: TcpStream, reply: &Reply) {
    let _ = write_reply(&mut stream, reply, false);
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let _ = std::io::copy(&mut (&mut stream).take(DRAIN_BYTES), &mut std::io::sink());
}

enum Head {
    Complete(String),
    TooLarge,
    /// Closed, timed out or not text: nothing to answer.
    Cut,
}

/// The request line and headers, up to the blank line.
fn read_head(stream: &mut TcpStream) -> Head {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Head::Cut;
        }
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Head::Cut,
            Ok(n) => n,
        };
        let from = buf.len().saturating_sub(3);
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = find(&buf[from..], b"\r\n\r\n").map(|i| from + i) {
            if end > MAX_HEAD_BYTES {
                return Head::TooLarge;
            }
            buf.truncate(end);
            return String::from_utf8(buf).map_or(Head::Cut, Head::Complete);
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Head::TooLarge;
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The reply to a request head (and whether to send the head only), or
/// a refusal.
fn answer(head: &str, bound: SocketAddr, shared: &Shared) -> Result<(Reply, bool), Reply> {
    let mut lines = head.split("\r\n");
    let request = lines.next().unwrap_or_default();
    let mut parts = request.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(text_reply(400, &crate::msg!("serve.http.malformed")));
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Err(text_reply(400, &crate::msg!("serve.http.malformed")));
    }
    let host = lines.find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("host").then(|| value.trim())
    });
    if !host.is_some_and(|h| host_allowed(h, bound)) {
        let text = crate::msg!("serve.http.wrong_host", port = bound.port());
        return Err(text_reply(421, &text));
    }
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ => {
            let mut r = text_reply(405, &crate::msg!("serve.http.method"));
            r.body.clear();
            return Err(r);
        }
    };
    Ok((http::respond(shared, target, http::LONG_POLL), head_only))
}

/// Whether `host` (a `Host` header) names the preview: `localhost` or an
/// address literal, with the port it listens on. A name other than
/// localhost is refused (it could be rebound to this machine); so is an
/// address other than a loopback one when the preview listens on the
/// loopback address, or other than its own when bound to one address.
pub fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return false;
        };
        (ip, after.strip_prefix(':'))
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let port_ok = match port {
        Some(p) => p.parse::<u16>() == Ok(bound.port()),
        None => bound.port() == 80,
    };
    if !port_ok {
        return false;
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let Ok(ip) = name.parse::<IpAddr>() else {
        return false;
    };
    if bound.ip().is_unspecified() {
        true
    } else if bound.ip().is_loopback() {
        ip.is_loopback()
    } else {
        ip == bound.ip() || ip.is_loopback()
    }
}

fn write_reply(stream: &mut TcpStream, reply: &Reply, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len()
    );
    if let Some(loc) = &reply.location {
        head.push_str(&format!("Location: {loc}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_preview_s_own_names_are_answered() {
        let local: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LocalHost:1111",
            "localhost.:1111",
            "[::1]:1111",
            "127.0.0.2:1111",
        ] {
            assert!(host_allowed(ok, local), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1",
            "127.0.0.1:80",
            "127.0.0.1:1112",
            "localhost.evil.example:1111",
            "192.168.1.5:1111",
            "[::1]",
            "[::1:1111",
            "",
            "127.0.0.1:1111:1111",
        ] {
            assert!(!host_allowed(bad, local), "{bad}");
        }
        let any: SocketAddr = "0.0.0.0:8000".parse().unwrap();
        assert!(host_allowed("192.168.1.5:8000", any));
        assert!(!host_allowed("office.example:8000", any));
        let one: SocketAddr = "192.168.1.5:8000".parse().unwrap();
        assert!(host_allowed("192.168.1.5:8000", one));
        assert!(!host_allowed("192.168.1.6:8000", one));
        let http: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert!(host_allowed("localhost", http));
    }
}
