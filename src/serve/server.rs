//! The preview's HTTP/1.1 connection handling: one request per connection
//! (every response says `Connection: close`), a thread per connection, a
//! request head of at most [`MAX_HEAD`] bytes read within [`HEAD_TIMEOUT`]
//! by at most [`MAX_WAITING`] connections at once, and at most
//! [`MAX_REQUESTS`] requests handled at once (idle connections do not take
//! their places), each response sent within [`RESPONSE_TIME`].
//!
//! Why not a server crate: tiny_http (used before) reads a request's head
//! into memory without a limit (a 200 MB header grew the process by 420 MB)
//! and starts a thread for every connection without a cap; it offers no
//! setting for either. Serving GET and HEAD of files and one event stream
//! needs only the request line, which is little code to own.

use anyhow::{Context, Result};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, TrySendError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Largest request head (request line and headers) read; a longer one is
/// answered 431. Browsers send well under 8 KiB.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// Connections handled at once, each on its own thread; more are answered
/// 503 (event streams count apart, see `http::MAX_STREAMS`).
pub const MAX_REQUESTS: usize = 64;
/// Connections still sending their head; past it the oldest is closed
/// (see `waiting.rs`). Apart from [`MAX_REQUESTS`], so that 70 idle
/// connections (a slow or hostile client on the network with `--bind`) no
/// longer kept every page from being served.
pub const MAX_WAITING: usize = 256;
/// A client that has not sent its whole head by then is dropped, so idle
/// connections do not hold threads.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// One write may wait this long for a client that does not read.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// A whole response (event streams aside) is sent within this, or the
/// connection is closed: a client reading a large file a few bytes at a
/// time held its request's place for as long as it liked.
const RESPONSE_TIME: Duration = Duration::from_secs(120);
/// Connections over the cap waiting for their 503; beyond, they are closed.
const REJECT_QUEUE: usize = 16;

/// A counter of things in use with a ceiling.
pub(crate) struct Slots {
    used: AtomicUsize,
    max: usize,
}

/// One taken slot, given back when dropped.
pub(crate) struct Slot(Arc<Slots>);

impl Slots {
    pub(crate) fn new(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            used: AtomicUsize::new(0),
            max,
        })
    }

    /// A slot, or None when all are taken.
    pub(crate) fn take(self: &Arc<Self>) -> Option<Slot> {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(self)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.used.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A request whose head has been read; the response goes to `stream`.
pub(crate) struct Request {
    pub method: String,
    /// The request target as sent (`/path?query`).
    pub target: String,
    pub stream: TcpStream,
    /// The `Range` header's value, if sent (see [`super::range`]).
    pub range: Option<String>,
    /// Held while the request is handled; an event stream trades it for one
    /// of its own.
    pub slot: Slot,
}

/// A response body.
pub(crate) enum Body {
    Bytes(Vec<u8>),
    File(std::fs::File, u64),
}

/// Listens on `listener` from a thread of its own; `handler` gets each request.
pub(crate) fn spawn(
    listener: TcpListener,
    handler: impl Fn(Request) + Send + Sync + 'static,
) -> Result<()> {
    let handler = Arc::new(handler);
    let waiting = super::waiting::Waiting::new(MAX_WAITING);
    let slots = Slots::new(MAX_REQUESTS);
    let (reject, rejected) = sync_channel::<TcpStream>(REJECT_QUEUE);
    std::thread::Builder::new()
        .name("biji-http-busy".into())
        .spawn(move || refuse_all(rejected))
        .context("cannot start an HTTP thread")?;
    std::thread::Builder::new()
        .name("biji-http".into())
        .spawn(move || {
            for conn in listener.incoming() {
                let stream = match conn {
                    Ok(s) => s,
                    Err(e) => {
                        // Out of file descriptors, say: let some close first.
                        log::debug!("http: accept: {e}");
                        std::thread::sleep(Duration::from_millis(50));
                        continue;
                    }
                };
                let Some(wait) = waiting.enter(&stream) else {
                    if let Err(TrySendError::Full(_)) = reject.try_send(stream) {
                        log::debug!("http: busy, connection closed");
                    }
                    continue;
                };
                let (handler, slots) = (Arc::clone(&handler), Arc::clone(&slots));
                let started = std::thread::Builder::new()
                    .name("biji-http-conn".into())
                    .spawn(move || connection(stream, wait, &slots, &*handler));
                if let Err(e) = started {
                    log::warn!("cannot start an HTTP thread: {e}");
                }
            }
        })
        .context("cannot start the HTTP thread")?;
    Ok(())
}

/// Reads one request (holding `wait`, a place among the connections
/// sending their head) and hands it on with a place of `slots`, or answers
/// why it cannot be served.
fn connection(
    mut stream: TcpStream,
    wait: super::waiting::Seat,
    slots: &Arc<Slots>,
    handler: &dyn Fn(Request),
) {
    if let Err(e) = stream.set_write_timeout(Some(WRITE_TIMEOUT)) {
        log::debug!("http: {e}");
    }
    let head = read_head(&mut stream, HEAD_TIMEOUT);
    drop(wait);
    match head {
        Ok(head) => match (parse_request_line(&head), slots.take()) {
            (Some((method, target)), Some(slot)) => handler(Request {
                method,
                target,
                range: header(&head, "range"),
                stream,
                slot,
            }),
            (Some(_), None) => {
                let body = text("biji serve is busy: too many connections; try again\n");
                send(stream, false, 503, &[], body)
            }
            (None, _) => send(stream, false, 400, &[], text("bad request\n")),
        },
        Err(HeadError::TooLarge) => {
            log::debug!("http: request head over {MAX_HEAD} bytes refused");
            let body = text("request header fields too large\n");
            send(stream, false, 431, &[], body)
        }
        Err(HeadError::Io(e)) => log::debug!("http: no request: {e}"),
    }
}

/// Answers connections over the cap with 503, one at a time, after reading
/// their head (briefly) so that closing does not reset the connection
/// before the client has read the answer.
fn refuse_all(rx: Receiver<TcpStream>) {
    for mut stream in rx {
        if stream
            .set_write_timeout(Some(Duration::from_secs(1)))
            .is_ok()
        {
            let _ = read_head(&mut stream, Duration::from_secs(1));
            let body = text("biji serve is busy: too many connections; try again\n");
            send(stream, false, 503, &[], body);
        }
    }
}

fn text(s: &str) -> Body {
    Body::Bytes(s.as_bytes().to_vec())
}

#[derive(Debug)]
enum HeadError {
    TooLarge,
    Io(std::io::Error),
}

/// Reads up to the blank line that ends a request head; what the client
/// sent after it (a body) is not needed and is dropped with the connection.
fn read_head(stream: &mut TcpStream, limit: Duration) -> Result<Vec<u8>, HeadError> {
    let start = Instant::now();
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 4096];
    loop {
        let left = limit.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Err(HeadError::Io(std::io::ErrorKind::TimedOut.into()));
        }
        stream.set_read_timeout(Some(left)).map_err(HeadError::Io)?;
        let n = match stream.read(&mut buf) {
            Ok(0) => return Err(HeadError::Io(std::io::ErrorKind::UnexpectedEof.into())),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(HeadError::Io(e)),
        };
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = find_end(&head[from..]) {
            // The limit holds for a head that ends in this read too.
            if from + end > MAX_HEAD {
                return Err(HeadError::TooLarge);
            }
            head.truncate(from + end);
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

/// Where the head ends (`\r\n\r\n`, or `\n\n` from lenient clients).
fn find_end(b: &[u8]) -> Option<usize> {
    let crlf = b.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = b.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `GET /path HTTP/1.1` -> (`GET`, `/path`). Leading blank lines are skipped
/// (RFC 9112 §2.2); the target must be visible ASCII, so it can be echoed in
/// a `Location` header as it is.
fn parse_request_line(head: &[u8]) -> Option<(String, String)> {
    let start = head.iter().position(|&b| b != b'\r' && b != b'\n')?;
    let line = head[start..].split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim_end_matches('\r');
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase());
    // Browsers encode a path; curl and scripts may send `/笔记/` as UTF-8.
    let visible = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic() || b >= 0x80);
    let ok = parts.next().is_none()
        && token(method)
        && visible(target)
        && matches!(version, "HTTP/1.1" | "HTTP/1.0");
    let target = origin_form(target);
    let target = percent_encoding::utf8_percent_encode(target, percent_encoding::CONTROLS);
    ok.then(|| (method.to_string(), target.to_string()))
}

/// The value of the header `name` (lower case) in a request head, if it is
/// there once, in ASCII.
fn header(head: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(head).ok()?;
    let mut found = text.lines().skip(1).filter_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    });
    let value = found.next()?;
    (found.next().is_none() && value.is_ascii()).then(|| value.to_string())
}

/// The path of an absolute-form target (`GET http://host/a/ HTTP/1.1`,
/// which servers must accept): a proxy's form, sent by some tools.
fn origin_form(target: &str) -> &str {
    let lower = |n: usize| target.get(..n).map(str::to_ascii_lowercase);
    let rest = match () {
        _ if lower(7).as_deref() == Some("http://") => &target[7..],
        _ if lower(8).as_deref() == Some("https://") => &target[8..],
        _ => return target,
    };
    rest.find('/').map_or("/", |i| &rest[i..])
}

/// Writes a whole response and closes the connection (`Connection: close`),
/// in as few writes as possible. Closing after each response keeps one
/// thread per connection short-lived: a browser would otherwise keep
/// connections open for minutes, and on loopback a new one costs ~0.1 ms.
pub(crate) fn send(
    stream: TcpStream,
    head_only: bool,
    status: u16,
    headers: &[(&str, &str)],
    body: Body,
) {
    let reason = match status {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    };
    let len = match &body {
        Body::Bytes(b) => b.len() as u64,
        Body::File(_, n) => *n,
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if status >= 400 && !headers.iter().any(|(n, _)| *n == "Content-Type") {
        head.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    head.push_str(&format!(
        "Content-Length: {len}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
    ));
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, &stream);
    let sent = (|| -> std::io::Result<()> {
        w.write_all(head.as_bytes())?;
        if !head_only {
            match body {
                Body::Bytes(b) => w.write_all(&b)?,
                // No more than announced, should the file have grown since.
                Body::File(f, n) => copy_in_time(f.take(n), &mut w)?,
            }
        }
        w.flush()
    })();
    drop(w);
    if let Err(e) = sent.and_then(|_| stream.shutdown(Shutdown::Write)) {
        log::debug!("http: response not sent: {e}");
    }
}

/// Copies a file to the client within [`RESPONSE_TIME`] of starting.
fn copy_in_time(mut f: impl Read, w: &mut impl Write) -> std::io::Result<()> {
    let started = Instant::now();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        w.write_all(&buf[..n])?;
        if started.elapsed() > RESPONSE_TIME {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        let p = |s: &str| parse_request_line(s.as_bytes());
        assert_eq!(
            p("GET /a?b=1 HTTP/1.1\r\nHost: x\r\n"),
            Some(("GET".into(), "/a?b=1".into()))
        );
        assert_eq!(p("\r\nHEAD / HTTP/1.0"), Some(("HEAD".into(), "/".into())));
        // A UTF-8 path is taken as a browser would have sent it.
        assert_eq!(
            p("GET /笔记/é HTTP/1.1"),
            Some(("GET".into(), "/%E7%AC%94%E8%AE%B0/%C3%A9".into()))
        );
        // The absolute form, which servers must accept.
        for (target, path) in [
            ("http://127.0.0.1:3000/a/b?c", "/a/b?c"),
            ("HTTPS://x.io", "/"),
            ("http://evil.example//etc", "//etc"),
        ] {
            let line = format!("GET {target} HTTP/1.1");
            assert_eq!(p(&line), Some(("GET".into(), path.into())), "{target}");
        }
        for bad in [
            "GET / HTTP/2",
            "GET  / HTTP/1.1",
            "GET /a b HTTP/1.1",
            "GET /\u{7f} HTTP/1.1",
            "get / HTTP/1.1",
            "GET /",
            "",
        ] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn headers_by_name() {
        let head = b"GET / HTTP/1.1\r\nHost: x\r\nRANGE:  bytes=0-1 \r\n";
        assert_eq!(header(head, "range").as_deref(), Some("bytes=0-1"));
        assert_eq!(header(head, "accept"), None);
        // Sent twice, it is not taken.
        assert_eq!(header(b"GET / HTTP/1.1\nRange: a\nRange: b", "range"), None);
        // The request line is no header.
        assert_eq!(header(b"GET /range:x HTTP/1.1", "get /range"), None);
    }

    #[test]
    fn head_ends() {
        assert_eq!(find_end(b"GET / HTTP/1.1\r\n\r\nbody"), Some(14));
        assert_eq!(find_end(b"GET / HTTP/1.1\n\n"), Some(14));
        assert_eq!(find_end(b"GET / HTTP/1.1\r\n"), None);
    }

    #[test]
    fn slots_have_a_ceiling() {
        let s = Slots::new(2);
        let a = s.take().unwrap();
        let _b = s.take().unwrap();
        assert!(s.take().is_none());
        drop(a);
        assert!(s.take().is_some());
    }
}
