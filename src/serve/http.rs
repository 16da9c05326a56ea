//! The preview's HTTP side: static files from the served folder under the
//! site's base path, a 404 page, and the live-reload event stream.
//!
//! Requests are mapped to files by decoding the path once and walking its
//! segments under the served folder; a `..` or `.` segment, a backslash, a NUL
//! or (on Windows) a drive-letter colon is refused outright, and the file found must still
//! be inside the folder after symlinks are resolved. Anything refused gets the
//! same 404 as a missing page, so a probe learns nothing.

use super::client::CLIENT_SCRIPT;
use super::hub::{BuildError, Hub};
use super::range::{self, Part};
use super::server::{send, Body, Request, Slots};
use percent_encoding::percent_decode_str;
use std::io::{Seek, SeekFrom, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// The live-reload event stream (Server-Sent Events), outside the site's URLs.
pub(crate) const EVENTS_PATH: &str = "/__biji/events";

/// How often an idle event stream sends a comment (proxies and browsers
/// drop a connection that stays silent).
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often an idle event stream looks whether its browser closed it: a
/// page reload closes one stream and opens another, and a closed one found
/// only when a heartbeat failed held its slot for 15-30 s (100 tabs closed
/// at once left new tabs refused that long).
const CLOSED_CHECK: Duration = Duration::from_secs(1);

/// Event streams open at once (one per open tab; a stream holds a thread).
/// More are answered 503; the page's script tries again every 5 s.
pub const MAX_STREAMS: usize = 64;

/// What the HTTP threads share with the rebuild loop.
pub(crate) struct Shared {
    /// The folder whose files are served (fixed for the session).
    pub root: PathBuf,
    /// The site's base path (`/` or `/repo/`); follows `base_url` edits.
    pub base_path: RwLock<String>,
    pub hub: Hub,
    /// Open event streams.
    streams: Arc<Slots>,
}

impl Shared {
    pub(crate) fn new(root: PathBuf, base_path: String) -> Shared {
        Shared {
            root,
            base_path: RwLock::new(base_path),
            hub: Hub::new(),
            streams: Slots::new(MAX_STREAMS),
        }
    }

    fn base_path(&self) -> String {
        self.base_path
            .read()
            .map(|b| b.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A file inside the served folder.
    File(PathBuf),
    /// Send the browser elsewhere (a folder without its slash, `/` under a base path).
    Redirect(String),
    NotFound,
}

/// Maps a request path (percent-encoded, without query) to a file under
/// `root`, or refuses it. `base_path` starts and ends with `/`. Redirects
/// only ever lead to a path on this site (see [`local_location`]).
pub(crate) fn resolve(root: &Path, base_path: &str, raw: &str) -> Resolved {
    if !raw.starts_with('/') {
        return Resolved::NotFound;
    }
    // Compared decoded: a browser may write the base's escapes in lower case.
    let Ok(whole) = percent_decode_str(raw).decode_utf8() else {
        return Resolved::NotFound;
    };
    let base = percent_decode_str(base_path).decode_utf8_lossy();
    if (raw == "/" && base_path != "/") || format!("{whole}/") == base {
        return Resolved::Redirect(local_location(base_path));
    }
    let Some(decoded) = whole.strip_prefix(&*base) else {
        return Resolved::NotFound;
    };
    // A backslash separates paths on Windows only; elsewhere a note may
    // have one in its name, and the published site serves it.
    if decoded.contains('\0') || (cfg!(windows) && decoded.contains('\\')) {
        return Resolved::NotFound;
    }
    let mut path = root.to_path_buf();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            // `..` could climb out; `.`-files are markers (`.biji-output`), not pages.
            s if s.starts_with('.') => return Resolved::NotFound,
            // `C:` would make a Windows path absolute.
            s if cfg!(windows) && s.contains(':') => return Resolved::NotFound,
            s => path.push(s),
        }
    }
    if path.is_dir() {
        if !decoded.is_empty() && !decoded.ends_with('/') {
            return Resolved::Redirect(local_location(&format!("{raw}/")));
        }
        path.push("index.html");
    }
    if !path.is_file() {
        return Resolved::NotFound;
    }
    // Symlinks must not lead out either.
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(p), Ok(r)) if p.starts_with(&r) => Resolved::File(p),
        _ => Resolved::NotFound,
    }
}

/// A redirect target that stays on this site: a leading run of slashes (and
/// backslashes, which browsers read as slashes) becomes one `/`, since
/// `//host/` would send the browser to another host.
fn local_location(to: &str) -> String {
    format!("/{}", to.trim_start_matches(['/', '\\']))
}

/// The `Content-Type` for a file name; text types carry `charset=utf-8`.
pub(crate) fn mime(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "txt" | "text" => "text/plain; charset=utf-8",
        "md" | "markdown" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "ogv" => "video/ogg",
        "mov" => "video/quicktime",
        "m4a" => "audio/mp4",
        "flac" => "audio/flac",
        _ => "application/octet-stream",
    }
}

const HTML: &str = "text/html; charset=utf-8";

/// Answers one request (on the connection's own thread).
pub(crate) fn handle(req: Request, shared: &Shared) {
    let head_only = req.method == "HEAD";
    if !head_only && req.method != "GET" {
        let body = Body::Bytes(b"method not allowed\n".to_vec());
        return send(req.stream, false, 405, &[("Allow", "GET, HEAD")], body);
    }
    log::trace!("http: {} {}", req.method, req.target);
    let (path, query) = match req.target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (req.target.clone(), None),
    };
    let path = path.split('#').next().unwrap_or("").to_string();
    let stream = req.stream;
    if path == EVENTS_PATH && head_only {
        // No body, so no stream: the headers a stream would start with.
        let headers = [("Content-Type", "text/event-stream")];
        return send(stream, true, 200, &headers, Body::Bytes(Vec::new()));
    }
    if path == EVENTS_PATH {
        // This thread now serves the stream: it counts as one, not as a request.
        drop(req.slot);
        let Some(_open) = shared.streams.take() else {
            log::debug!("http: {MAX_STREAMS} event streams open, one more refused");
            let body = Body::Bytes(b"too many live-reload connections\n".to_vec());
            return send(stream, head_only, 503, &[], body);
        };
        return stream_events(stream, &shared.hub);
    }
    if !shared.hub.has_site() {
        // The first build has not finished (or failed): a page that waits for it.
        let body = Body::Bytes(waiting_page(shared.hub.error().as_ref()).into_bytes());
        return send(stream, head_only, 503, &[("Content-Type", HTML)], body);
    }
    let base = shared.base_path();
    match resolve(&shared.root, &base, &path) {
        Resolved::File(file) => {
            let opened = std::fs::File::open(&file).and_then(|f| {
                let len = f.metadata()?.len();
                Ok((f, len))
            });
            match opened {
                Ok((f, len)) => send_file(stream, head_only, &file, f, len, req.range),
                Err(e) => {
                    log::debug!("http: cannot open `{}`: {e}", file.display());
                    not_found(stream, head_only, shared)
                }
            }
        }
        Resolved::Redirect(to) => {
            let to = match query {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            send(
                stream,
                head_only,
                302,
                &[("Location", &to)],
                Body::Bytes(Vec::new()),
            )
        }
        Resolved::NotFound => not_found(stream, head_only, shared),
    }
}

/// A file, or the part of it a `Range` header asks for.
fn send_file(
    stream: TcpStream,
    head_only: bool,
    path: &Path,
    mut f: std::fs::File,
    len: u64,
    range: Option<String>,
) {
    let mut headers = vec![
        ("Content-Type", mime(path).to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Accept-Ranges", "bytes".to_string()),
    ];
    let (status, body) = match range::part(range.as_deref(), len) {
        Part::Whole => (200, Body::File(f, len)),
        Part::Bytes { start, end } => match f.seek(SeekFrom::Start(start)) {
            Ok(_) => {
                headers.push(("Content-Range", format!("bytes {start}-{end}/{len}")));
                (206, Body::File(f, end - start + 1))
            }
            Err(e) => {
                log::debug!("http: cannot seek in `{}`: {e}", path.display());
                (200, Body::File(f, len))
            }
        },
        Part::Unsatisfiable => {
            // The body is text, not the file's type.
            headers = vec![("Content-Range", format!("bytes */{len}"))];
            (416, Body::Bytes(b"range not satisfiable\n".to_vec()))
        }
    };
    let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    send(stream, head_only, status, &headers, body)
}

/// The site's own `404.html` with status 404, as static hosts do.
fn not_found(stream: TcpStream, head_only: bool, shared: &Shared) {
    let page = std::fs::read(shared.root.join("404.html")).unwrap_or_else(|_| {
        format!("<!DOCTYPE html><title>404</title><h1>404</h1>{CLIENT_SCRIPT}").into_bytes()
    });
    send(
        stream,
        head_only,
        404,
        &[("Content-Type", HTML)],
        Body::Bytes(page),
    )
}

/// Shown until the first build succeeds; the client script reloads it then
/// (and draws the error overlay if the build failed). A failed first build
/// leaves nothing else to show, so the page says so and shows the error.
fn waiting_page(error: Option<&BuildError>) -> String {
    // In both languages: the site's may not be known yet (its biji.yaml
    // may be what failed).
    let text = match error {
        None => "<p>biji 正在构建网站……好了这一页会自动刷新。</p>\
                 <p lang=\"en\">biji is building the site… this page reloads when it is ready.</p>"
            .into(),
        Some(e) => format!(
            "<p>构建失败，还没有可以显示的网站。改正下面的错误并保存，构建好了这一页会自动刷新。</p>\
             <p lang=\"en\">The build failed, so there is no good build to show yet. Fix the error \
             and save; this page reloads when the site is built.</p><pre>{}</pre>",
            html_escape::encode_text(&e.message)
        ),
    };
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>biji</title></head>\
         <body style=\"font-family:system-ui,sans-serif;padding:2rem\">\
         {text}{CLIENT_SCRIPT}</body></html>"
    )
}

/// Holds one browser's event stream open: the current state first, then each
/// build's outcome as it happens, with a heartbeat comment in between.
fn stream_events(mut w: TcpStream, hub: &Hub) {
    let head = "HTTP/1.1 200 OK\r\n\
                Content-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\n\
                X-Accel-Buffering: no\r\n\r\n";
    let (hello, mut seen) = hub.hello();
    let first = format!("{head}retry: 500\nevent: hello\ndata: {hello}\n\n");
    if w.write_all(first.as_bytes())
        .and_then(|_| w.flush())
        .is_err()
    {
        return;
    }
    let mut quiet = Duration::ZERO;
    loop {
        let (messages, next) = hub.wait_after(seen, CLOSED_CHECK);
        if messages.is_empty() {
            if closed_by_client(&w) {
                return;
            }
            quiet += CLOSED_CHECK;
            if quiet < HEARTBEAT {
                continue;
            }
        }
        quiet = Duration::ZERO;
        let text = if messages.is_empty() {
            ": ping\n\n".to_string()
        } else {
            messages
                .iter()
                .map(|(event, data)| format!("event: {event}\ndata: {data}\n\n"))
                .collect()
        };
        seen = next;
        if w.write_all(text.as_bytes())
            .and_then(|_| w.flush())
            .is_err()
        {
            return; // the browser went away
        }
    }
}

/// Whether the browser closed (or reset) an event stream: it never sends
/// anything on one, so anything to read is the end.
fn closed_by_client(w: &TcpStream) -> bool {
    if w.set_nonblocking(true).is_err() {
        return false;
    }
    let mut byte = [0u8; 1];
    let closed = match w.peek(&mut byte) {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    let _ = w.set_nonblocking(false);
    closed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_closed_by_its_browser_is_noticed() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        assert!(!closed_by_client(&server), "open and silent");
        drop(client);
        let start = std::time::Instant::now();
        while !closed_by_client(&server) {
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "closed, not noticed"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("site");
        std::fs::create_dir_all(root.join("python/装饰器")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("python/装饰器/index.html"), "note").unwrap();
        std::fs::write(root.join(".biji-output"), "").unwrap();
        std::fs::write(d.path().join("secret.txt"), "secret").unwrap();
        d
    }

    #[test]
    fn maps_paths_and_refuses_escapes() {
        let d = site();
        let root = d.path().join("site");
        let canon = root.canonicalize().unwrap();
        assert_eq!(
            resolve(&root, "/", "/"),
            Resolved::File(canon.join("index.html"))
        );
        assert_eq!(
            resolve(&root, "/", "/python/%E8%A3%85%E9%A5%B0%E5%99%A8/"),
            Resolved::File(canon.join("python/装饰器/index.html"))
        );
        assert_eq!(
            resolve(&root, "/", "/python"),
            Resolved::Redirect("/python/".into())
        );
        for bad in [
            "/../secret.txt",
            "/python/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%2fsecret.txt",
            "/..%5csecret.txt",
            "//etc/passwd",
            "/%2Fetc%2Fpasswd",
            "/C:/Windows/win.ini",
            "/.biji-output",
            "/a%00b",
            "/%ff",
            "relative",
        ] {
            assert_eq!(resolve(&root, "/", bad), Resolved::NotFound, "{bad}");
        }
        // Outside Windows a backslash is a character of a name like any other.
        #[cfg(unix)]
        {
            std::fs::create_dir_all(root.join("a\\b")).unwrap();
            std::fs::write(root.join("a\\b/index.html"), "x").unwrap();
            assert_eq!(
                resolve(&root, "/", "/a%5Cb/"),
                Resolved::File(canon.join("a\\b/index.html"))
            );
        }
    }

    #[test]
    fn base_path_is_honoured() {
        let d = site();
        let root = d.path().join("site");
        assert_eq!(
            resolve(&root, "/notes/", "/"),
            Resolved::Redirect("/notes/".into())
        );
        assert_eq!(
            resolve(&root, "/notes/", "/notes"),
            Resolved::Redirect("/notes/".into())
        );
        assert!(matches!(
            resolve(&root, "/notes/", "/notes/"),
            Resolved::File(_)
        ));
        assert_eq!(resolve(&root, "/notes/", "/index.html"), Resolved::NotFound);
        // A Chinese base, as biji writes it and with lower-case escapes.
        let base = "/%E7%AC%94%E8%AE%B0/";
        for raw in [base, "/%e7%ac%94%e8%ae%b0/", "/笔记/"] {
            assert!(
                matches!(resolve(&root, base, raw), Resolved::File(_)),
                "{raw}"
            );
        }
        assert_eq!(
            resolve(&root, base, "/%e7%ac%94%e8%ae%b0"),
            Resolved::Redirect(base.into())
        );
    }

    #[test]
    fn redirects_never_leave_the_site() {
        let d = site();
        let root = d.path().join("site");
        // `Location: //python/` would send the browser to the host `python`.
        for raw in ["//python", "///python"] {
            match resolve(&root, "/", raw) {
                Resolved::Redirect(to) => assert_eq!(to, "/python/", "{raw}"),
                other => assert_eq!(other, Resolved::NotFound, "{raw}"),
            }
        }
        assert_eq!(
            resolve(&root, "//evil.example/", "/"),
            Resolved::Redirect("/evil.example/".into())
        );
        // Browsers read `/\` as `//` too.
        assert_eq!(local_location("/\\evil/"), "/evil/");
        assert_eq!(local_location("/ok/"), "/ok/");
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime(Path::new("a/index.html")), "text/html; charset=utf-8");
        assert_eq!(mime(Path::new("s.CSS")), "text/css; charset=utf-8");
        assert_eq!(mime(Path::new("图.png")), "image/png");
        assert_eq!(mime(Path::new("x")), "application/octet-stream");
    }
}
