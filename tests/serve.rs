//! `biji serve` end to end: the real binary on a free port over a copy of
//! tests/fixtures/serve, edited the way editors save, checked over HTTP, the
//! live-reload event stream, a clean build of the same sources, and headless
//! Chromium (Debian `chromium`; set BIJI_SKIP_BROWSER=1 to skip that test).

// Tests print their figures (recall, coverage, seeds) for the CI log.
#![allow(clippy::print_stdout)]

mod common;
use common::browser::{chromium, Cdp};

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Every wait in these tests is bounded by this.
const DEADLINE: Duration = Duration::from_secs(10);

/// A running `biji serve`, killed when dropped (also when a test fails).
struct Serve {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        // SIGTERM first, so serve removes its private folder; then SIGKILL.
        if !self.stop(Duration::from_secs(3)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Serve {
    /// Sends SIGTERM (where there is a `kill` command) and waits for the exit.
    fn stop(&mut self, limit: Duration) -> bool {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let start = Instant::now();
        while sent && start.elapsed() < limit {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Resp {
        get(&self.addr, path)
    }

    fn page(&self, path: &str) -> String {
        let r = self.get(path);
        assert_eq!(r.status, 200, "GET {path}: {}\n{}", r.status, self.log());
        r.text()
    }

    /// Polls `path` until its body satisfies `ok`; panics with the log after the deadline.
    fn wait_page(&self, path: &str, what: &str, ok: impl Fn(&Resp) -> bool) -> Resp {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if ok(&r) {
                return r;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "timed out waiting for {what} at {path} (status {}):\n{}\n--- serve log ---\n{}",
                    r.status,
                    r.text().chars().take(2000).collect::<String>(),
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_log(&self, needle: &str) {
        self.wait_log_count(needle, 1);
    }

    /// Waits until `needle` is in the log `times` times.
    fn wait_log_count(&self, needle: &str, times: usize) {
        let start = Instant::now();
        while self.log().matches(needle).count() < times {
            assert!(
                start.elapsed() < DEADLINE,
                "`{needle}` not in the log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_text(&self, path: &str, needle: &str) -> String {
        self.wait_page(path, needle, |r| {
            r.status == 200 && r.text().contains(needle)
        })
        .text()
    }
}

fn start(root: &Path, extra: &[&str]) -> Serve {
    let serve = spawn(root, extra);
    // The first build: the URL answers 503 until the site is ready.
    let start = Instant::now();
    while get(&serve.addr, "/__biji/none").status == 503 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "first build: {}",
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    serve
}

/// `biji serve` on a free port, once it has printed its URL.
fn spawn(root: &Path, extra: &[&str]) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_biji"))
        .arg("serve")
        .arg("--root")
        .arg(root)
        .args(["--port", "0"])
        .args(extra)
        .env("NO_COLOR", "1")
        .env_remove("BIJI_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start biji serve");
    let stderr = Arc::new(Mutex::new(String::new()));
    {
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut line = String::new();
            while err.read_line(&mut line).unwrap_or(0) > 0 {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
    }
    let (tx, rx) = channel();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || {
        let mut line = String::new();
        while out.read_line(&mut line).unwrap_or(0) > 0 {
            let _ = tx.send(line.clone());
            line.clear();
        }
    });
    let mut serve = Serve {
        child,
        addr: String::new(),
        stderr,
    };
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("serve printed no URL:\n{}", serve.log()));
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in `{line}`"));
    serve.addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    serve
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A raw HTTP GET: the path is sent exactly as given (no client-side
/// normalising of `..`, which is what the traversal checks need).
fn get(addr: &str, path: &str) -> Resp {
    get_with(addr, path, "")
}

/// [`get`] with more header lines (each ending in `\r\n`).
fn get_with(addr: &str, path: &str, headers: &str) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    // Read the head, then Content-Length bytes (DevTools keeps the connection open).
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let split = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut buf).unwrap();
        assert!(
            n > 0,
            "no header end in {:?}",
            String::from_utf8_lossy(&raw)
        );
        raw.extend_from_slice(&buf[..n]);
    };
    let length = String::from_utf8_lossy(&raw[..split])
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok());
    match length {
        Some(len) => {
            while raw.len() < split + 4 + len {
                let n = s.read(&mut buf).unwrap();
                assert!(n > 0, "body cut short");
                raw.extend_from_slice(&buf[..n]);
            }
        }
        None => {
            s.read_to_end(&mut raw).unwrap();
        }
    }
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn enc(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2F", "/")
        .replace("%2D", "-")
        .replace("%2E", ".")
        .replace("%5F", "_")
}

/// The live-reload stream, read in a thread: (event, data) pairs.
struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    fn connect(addr: &str) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET /__biji/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(s);
            let mut line = String::new();
            let (mut event, mut data) = (String::new(), String::new());
            let mut in_body = false;
            while r.read_line(&mut line).unwrap_or(0) > 0 {
                let l = line.trim_end_matches(['\r', '\n']).to_string();
                line.clear();
                if !in_body {
                    in_body = l.is_empty();
                    continue;
                }
                if let Some(e) = l.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = l.strip_prefix("data: ") {
                    data = d.to_string();
                } else if l.is_empty()
                    && !event.is_empty()
                    && tx
                        .send((std::mem::take(&mut event), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
            }
        });
        let ev = Events { rx };
        let (kind, _) = ev.next_of(&["hello"]);
        assert_eq!(kind, "hello");
        ev
    }

    /// The next event of one of `kinds`, skipping others.
    fn next_of(&self, kinds: &[&str]) -> (String, Value) {
        let start = Instant::now();
        loop {
            let left = DEADLINE.saturating_sub(start.elapsed());
            let (k, d) = self
                .rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no {kinds:?} event in {DEADLINE:?}"));
            if kinds.contains(&k.as_str()) {
                return (k, serde_json::from_str(&d).unwrap());
            }
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "`{from}` not in {}", path.display());
    std::fs::write(path, s.replace(from, to)).unwrap();
}

fn site() -> tempfile::TempDir {
    common::site("serve")
}

/// Every file under `dir`, by site-relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// Differences between the served folder (script removed) and a clean build.
fn tree_diff(served: &Path, clean: &Path) -> Vec<String> {
    let script = biji::testing::CLIENT_SCRIPT.as_bytes();
    let a = tree(served);
    let b = tree(clean);
    let mut diffs = Vec::new();
    for k in a
        .keys()
        .chain(b.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) => {
                let x = if k.ends_with(".html") {
                    let s = String::from_utf8_lossy(x).into_owned();
                    assert!(
                        s.matches("data-biji-serve").count() == 1,
                        "{k}: the client script once"
                    );
                    s.replace(std::str::from_utf8(script).unwrap(), "")
                        .into_bytes()
                } else {
                    x.clone()
                };
                if &x != y {
                    let (xs, ys) = (String::from_utf8_lossy(&x), String::from_utf8_lossy(y));
                    let at = xs
                        .chars()
                        .zip(ys.chars())
                        .take_while(|(p, q)| p == q)
                        .count();
                    let ctx = |s: &str| {
                        s.chars()
                            .skip(at.saturating_sub(80))
                            .take(200)
                            .collect::<String>()
                    };
                    diffs.push(format!(
                        "{k} differs:\n  serve: {}\n  clean: {}",
                        ctx(&xs),
                        ctx(&ys)
                    ));
                }
            }
            (Some(_), None) => diffs.push(format!("{k}: only in the served folder")),
            (None, Some(_)) => diffs.push(format!("{k}: only in the clean build")),
            (None, None) => {}
        }
    }
    diffs
}

fn clean_build(root: &Path, out: &Path, extra: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_biji"))
        .args(["build", "--root"])
        .arg(root)
        .arg("-o")
        .arg(out)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Polls until the served folder equals a clean build of the same sources.
fn assert_same_as_clean(s: &Serve, root: &Path, served: &Path, clean: &Path) {
    let start = Instant::now();
    loop {
        if clean.exists() {
            std::fs::remove_dir_all(clean).unwrap();
        }
        clean_build(root, clean, &[]);
        let diffs = tree_diff(served, clean);
        if diffs.is_empty() {
            return;
        }
        if start.elapsed() > DEADLINE {
            panic!(
                "incremental result != clean build:\n{}\n--- serve log ---\n{}",
                diffs.join("\n"),
                s.log()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_pages_with_types_status_and_safe_paths() {
    let dir = site();
    let root = dir.path();
    let out = root.join("served");
    std::fs::write(root.join("secret.txt"), "TOP-SECRET").unwrap();
    let s = start(root, &["-o", out.to_str().unwrap()]);

    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("预览测试"));
    assert!(
        home.text().contains("data-biji-serve"),
        "the live-reload client is injected"
    );

    let note = s.page(&enc("/python/装饰器/"));
    assert!(note.contains("<h2 id=\"用法\""), "{note}");
    let r = s.get("/python");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("Location"), Some("/python/"));
    // Not `//python/`: a browser reads that as the host `python`.
    let r = s.get("//python");
    assert_eq!(r.header("Location"), Some("/python/"), "{}", r.status);
    let css = s.get("/static/style.css");
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    let svg = s.get("/rust/img/flow.svg");
    assert_eq!(svg.status, 200);
    assert_eq!(
        svg.header("Content-Type"),
        Some("image/svg+xml; charset=utf-8")
    );
    // A player seeking in a video asks for part of the file.
    let whole = std::fs::read(out.join("static/style.css")).unwrap();
    assert_eq!(css.header("Accept-Ranges"), Some("bytes"));
    let part = get_with(&s.addr, "/static/style.css", "Range: bytes=10-19\r\n");
    assert_eq!(part.status, 206);
    assert_eq!(part.body, whole[10..20]);
    let total = whole.len();
    assert_eq!(
        part.header("Content-Range"),
        Some(format!("bytes 10-19/{total}").as_str())
    );
    let tail = get_with(&s.addr, "/static/style.css", "Range: bytes=-5\r\n");
    assert_eq!((tail.status, &tail.body[..]), (206, &whole[total - 5..]));
    let past = format!("Range: bytes={total}-\r\n");
    let past = get_with(&s.addr, "/static/style.css", &past);
    assert_eq!(past.status, 416);
    let several = get_with(&s.addr, "/static/style.css", "Range: bytes=0-1,5-6\r\n");
    assert_eq!((several.status, several.body.len()), (200, total));
    let nf = s.get("/no/such/page/");
    assert_eq!(nf.status, 404);
    assert!(
        nf.text().contains("page-404"),
        "the site's 404.html: {}",
        nf.text()
    );

    for bad in [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/python/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        &format!("/{}", root.join("secret.txt").display()),
        &format!(
            "/{}",
            root.join("secret.txt")
                .display()
                .to_string()
                .replace('/', "%2F")
        ),
        "/.biji-output",
    ] {
        let r = s.get(bad);
        assert_eq!(r.status, 404, "{bad}");
        let t = r.text();
        assert!(
            !t.contains("TOP-SECRET") && !t.contains("root:x:0"),
            "{bad}: {t}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(root.join("secret.txt")).unwrap(),
        "TOP-SECRET"
    );

    // `build` output never carries the client.
    let built = root.join("built");
    clean_build(root, &built, &[]);
    for (rel, bytes) in tree(&built) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("data-biji-serve") && !text.contains("__biji"),
            "{rel}"
        );
    }
}

/// Like a browser: a kept-alive request, and the connection left open
/// afterwards unless the server said `Connection: close`.
fn browser_get(addr: &str, path: &str) -> (u16, Option<TcpStream>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: keep-alive\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let (head, len) = loop {
        let n = s.read(&mut buf).expect("a response within 5 s");
        assert!(n > 0, "connection closed without a response");
        raw.extend_from_slice(&buf[..n]);
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..i]).to_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().unwrap())
                .unwrap();
            break (head, i + 4 + len);
        }
    };
    while raw.len() < len {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0);
        raw.extend_from_slice(&buf[..n]);
    }
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, (!head.contains("connection: close")).then_some(s))
}

#[test]
fn bursts_of_browser_connections_are_all_answered() {
    let dir = site();
    let s = start(dir.path(), &[]);
    let mut kept = Vec::new();
    // A page and its files, twice: each burst opens more connections at once
    // than the server has idle threads.
    for _ in 0..3 {
        let handles: Vec<_> = ["/", "/static/style.css", "/static/biji.js", "/rust/"]
            .iter()
            .cycle()
            .take(12)
            .map(|p| {
                let (addr, p) = (s.addr.clone(), p.to_string());
                std::thread::spawn(move || browser_get(&addr, &p))
            })
            .collect();
        for h in handles {
            let (status, open) = h.join().expect("every request is answered");
            assert_eq!(status, 200);
            kept.extend(open);
        }
    }
}

#[test]
fn a_huge_request_head_is_refused_and_the_server_stays_up() {
    let dir = site();
    let s = start(dir.path(), &[]);
    let mut c = TcpStream::connect(&s.addr).unwrap();
    c.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut w = c.try_clone().unwrap();
    w.set_write_timeout(Some(DEADLINE)).unwrap();
    // A 2 MiB header line, then the end of the head.
    let writer = std::thread::spawn(move || {
        let _ = w.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..32 {
            if w.write_all(&chunk).is_err() {
                return;
            }
        }
        let _ = w.write_all(b"\r\n\r\n");
    });
    let mut answer = Vec::new();
    // An error is fine too (the server may reset the connection).
    let _ = (&mut c).take(64 * 1024).read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431 "),
        "{}",
        answer.lines().next().unwrap_or("")
    );
    writer.join().unwrap();
    assert_eq!(s.get("/").status, 200, "still serving");
    // The limit is exact, for a head that arrives in one piece too.
    for (size, status) in [(15_000, "200"), (17_000, "431")] {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        c.set_read_timeout(Some(DEADLINE)).unwrap();
        let head = format!(
            "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n\r\n",
            "a".repeat(size)
        );
        c.write_all(head.as_bytes()).unwrap();
        let mut line = String::new();
        let _ = std::io::BufReader::new(c).read_line(&mut line);
        assert!(
            line.starts_with(&format!("HTTP/1.1 {status} ")),
            "{size}: {line}"
        );
    }
}

#[test]
fn event_streams_and_request_threads_are_capped() {
    use biji::testing::{MAX_REQUESTS, MAX_STREAMS, MAX_WAITING};
    let dir = site();
    let s = start(dir.path(), &[]);
    let streams: Vec<Events> = (0..MAX_STREAMS).map(|_| Events::connect(&s.addr)).collect();
    let r = s.get("/__biji/events");
    assert_eq!(r.status, 503, "one stream too many");
    assert!(r.text().contains("too many"), "{}", r.text());
    assert_eq!(s.get("/").status, 200, "pages are still served");
    drop(streams);

    // Connections that send nothing do not take the places of requests...
    let mut idle: Vec<TcpStream> = (0..MAX_REQUESTS + 8)
        .map(|_| TcpStream::connect(&s.addr).unwrap())
        .collect();
    assert_eq!(
        s.get("/").status,
        200,
        "idle connections take no request places"
    );
    // ...and wait in a room of their own, which has a cap too: past it the
    // connection that waited longest is closed, so a page is still served.
    idle.extend((MAX_REQUESTS + 8..MAX_WAITING + 40).map(|_| TcpStream::connect(&s.addr).unwrap()));
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(
        s.get("/").status,
        200,
        "served past {MAX_WAITING} idle connections"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let mut first = idle.remove(0);
    first
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 1];
    assert!(
        matches!(std::io::Read::read(&mut first, &mut buf), Ok(0) | Err(_)),
        "the oldest idle connection was closed"
    );
    drop(idle);
}

/// The status line of a new event stream (its connection is returned open).
fn open_stream(addr: &str) -> (String, TcpStream) {
    let mut t = TcpStream::connect(addr).unwrap();
    t.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(t, "GET /__biji/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut status = [0u8; 12];
    t.read_exact(&mut status).unwrap();
    (String::from_utf8_lossy(&status).into_owned(), t)
}

/// A page reload closes its event stream and opens another: closed streams
/// give their places back within a second or so, not at the next 15 s
/// heartbeat (closing 100 tabs at once left new ones refused that long).
#[test]
fn closed_event_streams_free_their_places_at_once() {
    use biji::testing::MAX_STREAMS;
    let dir = site();
    let s = start(dir.path(), &[]);
    let open: Vec<TcpStream> = (0..MAX_STREAMS)
        .map(|_| {
            let (status, t) = open_stream(&s.addr);
            assert_eq!(status, "HTTP/1.1 200");
            t
        })
        .collect();
    assert_eq!(open_stream(&s.addr).0, "HTTP/1.1 503", "one too many");
    drop(open);
    let start = Instant::now();
    while open_stream(&s.addr).0 != "HTTP/1.1 200" {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "places not freed\n{}",
            s.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn edits_vim_saves_and_new_notes_show_up() {
    let dir = site();
    let root = dir.path();
    let s = start(root, &[]);
    let events = Events::connect(&s.addr);
    let note = root.join("notes/python/装饰器.md");
    let url = enc("/python/装饰器/");

    // A plain write: the page changes, and its tab is told to reload.
    append(&note, "\n编辑一：PLAIN-WRITE-1\n");
    s.wait_text(&url, "PLAIN-WRITE-1");
    let (_, reload) = events.next_of(&["reload"]);
    let paths: Vec<&str> = reload["paths"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(paths.contains(&"/python/装饰器/"), "{reload}");
    assert!(
        !paths.contains(&"/rust/borrowing/"),
        "untouched pages are not reloaded: {reload}"
    );

    // vim (backupcopy=no): swap file, the 4913 probe, original renamed to a
    // backup, the new text written, the backup removed.
    let swap = root.join("notes/python/.装饰器.md.swp");
    write(&swap, "swap");
    write(&root.join("notes/python/4913"), "");
    std::fs::remove_file(root.join("notes/python/4913")).unwrap();
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::rename(&note, root.join("notes/python/装饰器.md~")).unwrap();
    write(&note, &format!("{text}\n编辑二：VIM-SAVE-2\n"));
    std::fs::remove_file(root.join("notes/python/装饰器.md~")).unwrap();
    std::fs::remove_file(&swap).unwrap();
    s.wait_text(&url, "VIM-SAVE-2");

    // Write a temp file, rename it over the note (sed -i, many editors).
    let text = std::fs::read_to_string(&note).unwrap();
    let tmp = root.join("notes/python/sedXk2Pq9");
    write(&tmp, &format!("{text}\n编辑三：RENAME-OVER-3\n"));
    std::fs::rename(&tmp, &note).unwrap();
    s.wait_text(&url, "RENAME-OVER-3");

    // JetBrains safe write.
    let text = std::fs::read_to_string(&note).unwrap();
    let jb_tmp = root.join("notes/python/装饰器.md___jb_tmp___");
    let jb_old = root.join("notes/python/装饰器.md___jb_old___");
    write(&jb_tmp, &format!("{text}\n编辑四：JETBRAINS-4\n"));
    std::fs::rename(&note, &jb_old).unwrap();
    std::fs::rename(&jb_tmp, &note).unwrap();
    std::fs::remove_file(&jb_old).unwrap();
    s.wait_text(&url, "JETBRAINS-4");

    // emacs: lock and autosave files next to an in-place write.
    write(&root.join("notes/python/#装饰器.md#"), "autosave");
    write(&root.join("notes/python/.#装饰器.md"), "lock");
    append(&note, "\n编辑五：EMACS-5\n");
    s.wait_text(&url, "EMACS-5");
    assert_eq!(
        s.get(&enc("/python/#装饰器/")).status,
        404,
        "temp files never become pages"
    );

    // A new note appears in its folder's page and in the nav of its neighbours.
    write(
        &root.join("notes/python/迭代器.md"),
        "---\ntitle: 迭代器\ntags: [python]\n---\n\n迭代器实现 `__next__`。\n",
    );
    let folder = s.wait_text("/python/", "迭代器");
    assert!(folder.contains(&enc("/python/迭代器/")), "{folder}");
    s.wait_text(&url, "迭代器");
    s.wait_text("/topics/python/", "迭代器");
    s.wait_text(&enc("/python/迭代器/"), "迭代器实现");

    // Only the first build was a full one.
    let log = s.log();
    assert_eq!(
        log.matches("built 8 notes").count() + log.matches("built 7 notes").count(),
        1,
        "{log}"
    );
    assert!(log.contains("rebuilt in"), "{log}");
}

#[test]
fn deleted_notes_disappear_and_broken_links_show_an_overlay() {
    let dir = site();
    let root = dir.path();
    let s = start(root, &[]);
    let events = Events::connect(&s.addr);

    // An unlinked note: its page goes, and so does its listing entry.
    assert!(s.page("/python/").contains("生成器"));
    std::fs::remove_file(root.join("notes/python/生成器.md")).unwrap();
    s.wait_page(&enc("/python/生成器/"), "404", |r| r.status == 404);
    let gone = |r: &Resp| r.status == 200 && !r.text().contains("生成器");
    s.wait_page("/python/", "no 生成器", gone);
    s.wait_page("/topics/python/", "no 生成器", gone);

    // A linked note: the build fails, the last good site stays, and the
    // browser is told the file, line and message.
    std::fs::remove_file(root.join("notes/rust/borrowing.md")).unwrap();
    let (_, err) = events.next_of(&["failed"]);
    s.wait_log("rebuild failed");
    let msg = err["message"].as_str().unwrap();
    assert!(
        msg.contains("broken link") && msg.contains("borrowing.md"),
        "{err}"
    );
    let file = err["file"].as_str().unwrap();
    assert!(
        file == "notes/rust/ownership.md" || file == "notes/欢迎.md",
        "{err}"
    );
    let line = err["line"].as_u64().unwrap();
    let column = err["column"].as_u64().unwrap();
    let src = std::fs::read_to_string(root.join(file)).unwrap();
    let text = src.lines().nth(line as usize - 1).unwrap();
    assert!(text.contains("borrowing.md"), "line {line} of {file}");
    assert!(
        (column as usize) <= text.chars().count(),
        "column {column} of line {line} of {file}"
    );
    assert!(
        s.page("/rust/borrowing/").contains("借用规则"),
        "the last good site is still served"
    );
    // A page opened now gets the error with its first event.
    let late = Events::connect_raw(&s.addr);
    assert!(late["error"]["message"]
        .as_str()
        .unwrap()
        .contains("broken link"));
    // Another save with the same error: the terminal does not repeat it.
    append(&root.join("notes/python/装饰器.md"), "\n无关的修改。\n");
    events.next_of(&["failed"]);
    assert_eq!(s.log().matches("rebuild failed").count(), 1, "{}", s.log());

    // Fixing the links: a good build clears the overlay and the page is gone.
    replace_in(
        &root.join("notes/rust/ownership.md"),
        "见[借用](borrowing.md)",
        "见借用",
    );
    replace_in(
        &root.join("notes/欢迎.md"),
        "- [借用](rust/borrowing.md)\n",
        "",
    );
    let (kind, _) = events.next_of(&["reload", "ok"]);
    assert_eq!(kind, "reload");
    s.wait_page("/rust/borrowing/", "404", |r| r.status == 404);
    s.wait_page("/rust/", "no borrowing", |r| {
        r.status == 200 && !r.text().contains("borrowing")
    });
    s.wait_log("the build is fixed");
}

impl Events {
    /// Connects and returns just the `hello` data.
    fn connect_raw(addr: &str) -> Value {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(DEADLINE)).unwrap();
        write!(s, "GET /__biji/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        loop {
            line.clear();
            assert!(r.read_line(&mut line).unwrap() > 0);
            if let Some(d) = line.strip_prefix("data: ") {
                return serde_json::from_str(d.trim()).unwrap();
            }
        }
    }
}

#[test]
fn incremental_rebuilds_equal_a_clean_build() {
    let dir = site();
    let root = dir.path();
    let served = root.join("served");
    let clean = root.join("clean");
    // An Obsidian vault: its folder notes inside their folders count (11b).
    std::fs::create_dir_all(root.join("notes/.obsidian")).unwrap();
    let s = start(root, &["-o", served.to_str().unwrap()]);
    let n = |rel: &str| root.join("notes").join(rel);

    // 1. A body edit.
    append(&n("python/装饰器.md"), "\n补充：STEP-1。\n");
    s.wait_text(&enc("/python/装饰器/"), "STEP-1");
    // 1b. The words around a link: the target's backlinks quote them.
    replace_in(
        &n("python/装饰器.md"),
        "没有关系",
        "毫无关系 BACKLINK-CONTEXT",
    );
    s.wait_text(&enc("/rust/ownership/"), "BACKLINK-CONTEXT");
    // 2. A title change: backlinks, nav and related lists elsewhere change.
    replace_in(&n("rust/borrowing.md"), "title: 借用", "title: 借用与引用");
    s.wait_text(&enc("/rust/ownership/"), "借用与引用");
    // 3. A heading renamed together with the link to it (two files, one burst).
    replace_in(&n("rust/ownership.md"), "## 借用", "## 借用规则");
    replace_in(
        &n("rust/borrowing.md"),
        "ownership.md#借用",
        "ownership.md#借用规则",
    );
    let anchor = format!("{}#{}", enc("/rust/ownership/"), enc("借用规则"));
    s.wait_text(&enc("/rust/borrowing/"), &anchor);
    // 4. A new note linking to an old one, with a new image.
    write(
        &n("python/img/新图.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    write(
        &n("python/迭代器.md"),
        "---\ntitle: 迭代器\ntags: [python, 语法]\n---\n\n# 迭代器\n\n见[装饰器](装饰器.md#用法)。\n\n![图](img/新图.svg)\n\n## 协议\n\n`__iter__` 与 `__next__`。\n",
    );
    s.wait_text(&enc("/python/装饰器/"), "迭代器");
    // 5. A note deleted.
    std::fs::remove_file(n("python/生成器.md")).unwrap();
    s.wait_page(&enc("/python/生成器/"), "404", |r| r.status == 404);
    // 6. A folder renamed.
    std::fs::rename(n("docker"), n("容器")).unwrap();
    replace_in(
        &n("欢迎.md"),
        "(docker/Dockerfile笔记.md)",
        "(容器/Dockerfile笔记.md)",
    );
    s.wait_text(&enc("/容器/Dockerfile笔记/"), "FROM");
    // 7. A draft published.
    replace_in(&n("python/草稿.md"), "draft: true\n", "");
    s.wait_text("/python/", "草稿");
    // 8. A code block edited.
    replace_in(
        &n("容器/Dockerfile笔记.md"),
        "RUN cargo build --release",
        "RUN cargo test",
    );
    s.wait_text(&enc("/容器/Dockerfile笔记/"), "cargo test");
    // 9. A folder README: the folder's page shows it above the listing.
    write(
        &n("python/README.md"),
        "# Python 笔记\n\nREADME-INTRO，先看[装饰器](装饰器.md)。\n",
    );
    s.wait_text("/python/", "README-INTRO");
    // 10. A note added beside it is listed on that page.
    write(&n("python/协程.md"), "# 协程 NEW-IN-LISTING\n\nasync。\n");
    s.wait_text("/python/", "NEW-IN-LISTING");
    assert_same_as_clean(&s, root, &served, &clean);
    // 11. The README removed: the plain listing is back.
    std::fs::remove_file(n("python/README.md")).unwrap();
    s.wait_page("/python/", "the listing without the README", |r| {
        r.status == 200 && !r.text().contains("README-INTRO")
    });
    // 11b. An Obsidian folder note inside the folder takes its page; one
    // beside it takes it over, and when that goes, the inside one is back.
    write(&n("python/python.md"), "# Python 里面\n\nINSIDE-NOTE。\n");
    s.wait_text("/python/", "INSIDE-NOTE");
    write(&n("python.md"), "# Python 旁边\n\nBESIDE-NOTE。\n");
    s.wait_text("/python/", "BESIDE-NOTE");
    assert_same_as_clean(&s, root, &served, &clean);
    std::fs::remove_file(n("python.md")).unwrap();
    s.wait_text("/python/", "INSIDE-NOTE");
    assert_same_as_clean(&s, root, &served, &clean);
    std::fs::remove_file(n("python/python.md")).unwrap();
    s.wait_page("/python/", "the listing without the folder note", |r| {
        r.status == 200 && !r.text().contains("INSIDE-NOTE")
    });
    // 12. A README for the home page; then a date set on a note deep in a
    // folder, which moves it in the home page's list of recent notes.
    write(&n("README.md"), "# 首页\n\nHOME-README。\n");
    s.wait_text("/", "HOME-README");
    replace_in(
        &n("rust/borrowing.md"),
        "tags: [rust]\n",
        "tags: [rust]\ndate: 2001-01-01\n",
    );
    s.wait_text(&enc("/rust/borrowing/"), "2001-01-01");
    assert_same_as_clean(&s, root, &served, &clean);
    // 13. An embed: the embedding page follows edits of the embedded note.
    write(&n("python/嵌入.md"), "# 嵌入\n\n![[迭代器#协议]]\n");
    s.wait_text(&enc("/python/嵌入/"), "__next__");
    replace_in(
        &n("python/迭代器.md"),
        "`__iter__` 与 `__next__`。",
        "EMBED-EDIT。",
    );
    s.wait_text(&enc("/python/嵌入/"), "EMBED-EDIT");
    assert_same_as_clean(&s, root, &served, &clean);
    let log = s.log();
    assert_eq!(
        log.matches("built 7 notes").count(),
        1,
        "one full build only:\n{log}"
    );
    // Not repeated on every rebuild (`biji build` says it once).
    assert!(!log.contains("atom.xml skipped"), "{log}");

    // A template override: everything is re-rendered, still equal to a clean build.
    let theme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/note.html"))
            .unwrap();
    let marked = theme.replacen(
        "{% block content %}",
        "{% block content %}<p>TEMPLATE-MARK</p>",
        1,
    );
    assert_ne!(marked, theme, "note.html has a content block");
    write(&root.join("templates/note.html"), &marked);
    s.wait_text(&enc("/rust/borrowing/"), "TEMPLATE-MARK");
    // A static file.
    write(&root.join("static/extra.css"), "body { color: red }\n");
    s.wait_text("/static/extra.css", "color: red");
    assert_same_as_clean(&s, root, &served, &clean);
}

#[test]
fn config_errors_show_and_config_changes_apply() {
    let dir = site();
    let root = dir.path();
    let s = start(root, &[]);
    let events = Events::connect(&s.addr);
    write(&root.join("biji.yaml"), "title: 预览测试\ntitel: typo\n");
    let (_, err) = events.next_of(&["failed"]);
    assert!(
        err["file"].as_str().unwrap().ends_with("biji.yaml"),
        "{err}"
    );
    assert_eq!(err["line"], 2, "{err}");
    assert!(err["message"].as_str().unwrap().contains("titel"), "{err}");
    assert!(s.page("/").contains("预览测试"), "the last good site stays");
    write(&root.join("biji.yaml"), "title: 新的标题\n");
    s.wait_text("/", "新的标题");
    s.wait_text(&enc("/python/装饰器/"), "新的标题");
}

#[test]
fn front_matter_errors_show_their_file_line_and_hint() {
    let dir = site();
    let root = dir.path();
    let s = start(root, &[]);
    let events = Events::connect(&s.addr);
    let note = root.join("notes/python/装饰器.md");
    let good = std::fs::read_to_string(&note).unwrap();
    write(&note, "---\ntags: {a: 1}\n---\n\n正文\n");
    let (_, err) = events.next_of(&["failed"]);
    assert_eq!(err["file"], "notes/python/装饰器.md", "{err}");
    assert_eq!(err["line"], 2, "{err}");
    assert!(err["column"].as_u64().is_some(), "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(
        message.starts_with("notes/python/装饰器.md:2:")
            && message.contains("invalid front matter"),
        "{err}"
    );
    let hint = err["hint"].as_str().unwrap();
    assert!(hint.contains("fix the YAML"), "{err}");
    assert!(
        message.ends_with(hint),
        "the terminal's text has the hint too: {err}"
    );

    // A bad date names the line of its key.
    write(&note, "---\ntitle: 装饰器\n\ndate: 昨天\n---\n\n正文\n");
    let (_, err) = events.next_of(&["failed"]);
    assert_eq!(err["file"], "notes/python/装饰器.md", "{err}");
    assert_eq!(err["line"], 4, "{err}");
    write(&note, &good);
    events.next_of(&["reload", "ok"]);
}

#[test]
fn base_path_is_served_like_the_deployed_site() {
    let dir = site();
    let root = dir.path();
    let s = start(root, &["--base-url", "https://example.com/notes/"]);
    let r = s.get("/");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("Location"), Some("/notes/"));
    let home = s.page("/notes/");
    assert!(home.contains("href=\"/notes/python/\""), "{home}");
    assert!(s.page(&enc("/notes/python/装饰器/")).contains("装饰器"));
    assert_eq!(s.get(&enc("/python/装饰器/")).status, 404);
    assert!(s
        .page("/notes/sitemap.xml")
        .contains("https://example.com/notes/"));
    append(&root.join("notes/python/装饰器.md"), "\nBASE-EDIT\n");
    s.wait_text(&enc("/notes/python/装饰器/"), "BASE-EDIT");
}

#[test]
fn a_refused_output_folder_ends_serve_with_the_error() {
    let dir = site();
    let root = dir.path();
    let mine = root.join("mine");
    write(&mine.join("keep.txt"), "KEEP");
    let mut child = Command::new(env!("CARGO_BIN_EXE_biji"))
        .arg("serve")
        .arg("--root")
        .arg(root)
        .args(["--port", "0", "-o"])
        .arg(&mine)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve kept running with a refused output folder");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!status.success(), "{err}");
    assert!(err.contains("not empty"), "{err}");
    assert!(!err.contains("last good build"), "{err}");
    assert_eq!(
        std::fs::read_to_string(mine.join("keep.txt")).unwrap(),
        "KEEP"
    );
}

#[test]
fn a_failed_first_build_says_there_is_no_good_build_yet() {
    let dir = site();
    let root = dir.path();
    append(
        &root.join("notes/rust/ownership.md"),
        "\n[坏链接](不存在.md)\n",
    );
    let s = spawn(root, &[]);
    s.wait_log("不存在.md");
    let r = s.get("/");
    assert_eq!(r.status, 503);
    let page = r.text();
    assert!(page.contains("no good build"), "{page}");
    assert!(
        page.contains("不存在.md"),
        "the error is on the page: {page}"
    );
    assert!(page.contains("data-biji-serve"), "and it reloads: {page}");
    assert!(!s.log().contains("last good build"), "{}", s.log());
    if let Some(bin) = chromium() {
        let url = format!("http://{}/", s.addr);
        let (_browser, mut cdp) = Cdp::open(&bin, &root.join("profile"), &url, false);
        let overlay = cdp.wait_for_in(
            "(document.getElementById('biji-serve-error') || {}).innerText || ''",
            Duration::from_secs(30),
        );
        let overlay = overlay.as_str().unwrap();
        assert!(overlay.contains("no good build"), "{overlay}");
        assert!(overlay.contains("不存在.md"), "{overlay}");
    }
    // Fixed: the site appears.
    replace_in(
        &root.join("notes/rust/ownership.md"),
        "[坏链接](不存在.md)",
        "FIXED",
    );
    s.wait_text(&enc("/rust/ownership/"), "FIXED");
}

#[test]
#[cfg(target_os = "linux")]
fn sigterm_removes_the_private_folder() {
    let dir = site();
    // Without the cache, pages are served from a private temporary folder.
    let mut s = start(dir.path(), &["--no-cache"]);
    let pid = s.child.id();
    let folder = ["/dev/shm", "/tmp"]
        .iter()
        .map(|p| Path::new(p).join(format!("biji-serve-{pid}")))
        .chain([std::env::temp_dir().join(format!("biji-serve-{pid}"))])
        .find(|p| p.is_dir())
        .expect("the private served folder");
    assert!(folder.join("site/index.html").is_file());
    assert!(s.stop(DEADLINE), "serve exits on SIGTERM");
    assert!(!folder.exists(), "{} removed", folder.display());
}

#[test]
fn replaced_folders_are_still_watched() {
    let dir = site();
    let root = dir.path();
    let theme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/note.html"))
            .unwrap();
    let marked = |mark: &str| {
        theme.replacen(
            "{% block content %}",
            &format!("{{% block content %}}<p>{mark}</p>"),
            1,
        )
    };
    write(&root.join("templates/note.html"), &marked("TPL-1"));
    let s = start(root, &[]);
    let page = enc("/rust/ownership/");
    s.wait_text(&page, "TPL-1");
    let events = Events::connect(&s.addr);

    // notes/ renamed away and a copy renamed in, in one step.
    common::copy_dir(&root.join("notes"), &root.join("notes.new"));
    std::fs::rename(root.join("notes"), root.join("notes.old")).unwrap();
    std::fs::rename(root.join("notes.new"), root.join("notes")).unwrap();
    events.next_of(&["reload", "ok", "failed"]);
    std::thread::sleep(Duration::from_millis(300));
    append(&root.join("notes/rust/ownership.md"), "\nNOTES-REPLACED\n");
    s.wait_text(&page, "NOTES-REPLACED");
    write(&root.join("notes/rust/新.md"), "# 新\n\nNEW-IN-REPLACED\n");
    s.wait_text(&enc("/rust/新/"), "NEW-IN-REPLACED");

    // templates/ deleted and made again.
    std::fs::remove_dir_all(root.join("templates")).unwrap();
    write(&root.join("templates/note.html"), &marked("TPL-2"));
    s.wait_text(&page, "TPL-2");
    std::thread::sleep(Duration::from_millis(300));
    write(&root.join("templates/note.html"), &marked("TPL-3"));
    s.wait_text(&page, "TPL-3");
}

/// `notes_dir` set to a folder that is not there yet: the error says to
/// create it, and creating it is noticed (the watcher follows the settings
/// as they are, not as the last good build had them).
#[test]
fn a_notes_folder_named_before_it_exists_is_seen_when_made() {
    let dir = site();
    let root = dir.path();
    let s = start(root, &[]);
    let config = root.join("biji.yaml");
    let before = std::fs::read_to_string(&config).unwrap_or_default();
    write(&config, &format!("{before}\nnotes_dir: notes3\n"));
    s.wait_log("notes3");
    write(&root.join("notes3/新.md"), "# 新\n\nNOTES3-BODY\n");
    s.wait_text(&enc("/新/"), "NOTES3-BODY");
}

#[test]
fn polling_watcher_sees_changes() {
    let dir = site();
    let root = dir.path();
    let s = start(root, &["--poll"]);
    append(&root.join("notes/rust/ownership.md"), "\nPOLLED-EDIT\n");
    s.wait_text(&enc("/rust/ownership/"), "POLLED-EDIT");
    write(
        &root.join("notes/rust/新笔记.md"),
        "# 新笔记\n\nPOLLED-NEW\n",
    );
    s.wait_text("/rust/", "新笔记");
}

struct PrintOnPanic<'a>(&'a Serve);
impl Drop for PrintOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- serve log ---\n{}", self.0.log());
        }
    }
}

// ---- headless Chromium --------------------------------------------------

#[test]
fn chromium_reloads_the_page_by_itself_and_keeps_the_scroll() {
    let Some(bin) = chromium() else { return };
    let dir = site();
    let root = dir.path();
    let s = start(root, &[]);
    let url = format!("http://{}{}", s.addr, enc("/长笔记/"));
    let (_browser, mut cdp) = Cdp::open(&bin, &root.join("profile"), &url, false);
    let log = std::panic::AssertUnwindSafe(&s);
    let _print = PrintOnPanic(log.0);
    // Chromium's start-up can be slow on a busy machine.
    cdp.wait_for_in(
        "document.readyState === 'complete' && document.body.innerText.includes('第 60 段')",
        Duration::from_secs(30),
    );
    // Wait for the event stream, then scroll down and mark this document.
    cdp.wait_for("window.__bijiServe && window.__bijiServe.connected");
    cdp.eval("window.scrollTo(0, 1500); window.__old = 1; window.scrollY");
    assert_eq!(cdp.eval("window.scrollY"), 1500);

    let note = root.join("notes/长笔记.md");
    append(&note, "\n浏览器里自动出现：BROWSER-EDIT-1\n");
    cdp.wait_for("document.body && document.body.innerText.includes('BROWSER-EDIT-1')");
    assert!(cdp.eval("window.__old").is_null(), "the page was reloaded");
    let y = cdp
        .wait_for("document.readyState === 'complete' && window.scrollY")
        .as_f64()
        .unwrap();
    assert!((y - 1500.0).abs() < 2.0, "scroll kept: {y}");

    // A broken link: the overlay names the file and line; fixing it removes it.
    append(&note, "\n[坏链接](不存在.md)\n");
    let overlay =
        cdp.wait_for("(document.getElementById('biji-serve-error') || {}).innerText || ''");
    let overlay = overlay.as_str().unwrap().to_string();
    let lines = std::fs::read_to_string(&note).unwrap().lines().count();
    assert!(
        overlay.contains(&format!("notes/长笔记.md:{lines}")),
        "{overlay}"
    );
    assert!(overlay.contains("不存在.md"), "{overlay}");
    replace_in(&note, "[坏链接](不存在.md)", "BROWSER-FIXED-2");
    cdp.wait_for("document.body && document.body.innerText.includes('BROWSER-FIXED-2')");
    assert!(cdp
        .eval("document.getElementById('biji-serve-error') === null")
        .as_bool()
        .unwrap());
}

/// Browsers give a host six connections. A hidden tab holds no event stream,
/// so pages open in background tabs leave room for the one being read (with
/// one stream each, a seventh page never loaded); shown again, a tab that
/// missed a build reloads.
#[test]
fn hidden_tabs_hold_no_stream_and_catch_up_when_shown() {
    let Some(bin) = chromium() else { return };
    let dir = site();
    let root = dir.path();
    let s = start(root, &[]);
    let log = std::panic::AssertUnwindSafe(&s);
    let _print = PrintOnPanic(log.0);
    let url = format!("http://{}{}", s.addr, enc("/rust/ownership/"));
    let (_browser, mut cdp) = Cdp::open(&bin, &root.join("profile"), &url, false);
    cdp.wait_for_in(
        "document.readyState === 'complete' && window.__bijiServe && window.__bijiServe.connected",
        Duration::from_secs(30),
    );
    let me =
        cdp.call("Target.getTargetInfo", serde_json::json!({}))["targetInfo"]["targetId"].clone();
    for _ in 0..8 {
        let params = serde_json::json!({ "url": url, "background": true });
        cdp.call("Target.createTarget", params);
    }
    // Every background tab has loaded its page (and would hold a stream now).
    let start = Instant::now();
    loop {
        let targets = cdp.call("Target.getTargets", serde_json::json!({}));
        let loaded = targets["targetInfos"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| {
                t["type"] == "page" && t["title"].as_str().is_some_and(|t| t.contains("所有权"))
            })
            .count();
        if loaded == 9 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "tabs: {targets}");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    let status = cdp.eval(
        "Promise.race([fetch('/rust/?n=' + Date.now()).then(r => r.status), \
         new Promise(r => setTimeout(() => r('no free connection'), 8000))])",
    );
    assert_eq!(status, 200);

    // This tab hidden behind a new one, an edit, then this tab shown again.
    cdp.eval("window.__old = 1");
    let front = serde_json::json!({ "url": "about:blank" });
    cdp.call("Target.createTarget", front);
    cdp.wait_for("document.visibilityState === 'hidden'");
    append(&root.join("notes/rust/ownership.md"), "\nWHILE-HIDDEN\n");
    s.wait_text(&enc("/rust/ownership/"), "WHILE-HIDDEN");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        cdp.eval("window.__old") == 1,
        "a hidden tab does not reload"
    );
    cdp.call(
        "Target.activateTarget",
        serde_json::json!({ "targetId": me }),
    );
    cdp.wait_for("document.body && document.body.innerText.includes('WHILE-HIDDEN')");
}

/// A base path in Chinese is written percent-encoded; the reload message
/// names pages as the browser's decoded path does, so the page reloads.
#[test]
fn chromium_reloads_under_a_chinese_base_path() {
    let Some(bin) = chromium() else { return };
    let dir = site();
    let root = dir.path();
    let s = start(root, &["--base-url", "https://u.github.io/我的 笔记/"]);
    let log = std::panic::AssertUnwindSafe(&s);
    let _print = PrintOnPanic(log.0);
    let page = enc("/我的 笔记/rust/ownership/");
    let url = format!("http://{}{page}", s.addr);
    let (_browser, mut cdp) = Cdp::open(&bin, &root.join("profile"), &url, false);
    cdp.wait_for_in(
        "document.readyState === 'complete' && window.__bijiServe && window.__bijiServe.connected",
        Duration::from_secs(30),
    );
    cdp.eval("window.__old = 1");
    append(&root.join("notes/rust/ownership.md"), "\nUNDER-BASE\n");
    cdp.wait_for("document.body && document.body.innerText.includes('UNDER-BASE')");
    assert!(cdp.eval("window.__old").is_null(), "the page was reloaded");
}

/// Waits until the served folder's manifest (in `outputs`) is newer than
/// `page` and no longer changes: a slow machine may still be rebuilding
/// after a save's second file event.
fn settled(outputs: &Path, page: &Path) {
    let newest = || {
        let files = std::fs::read_dir(outputs).into_iter().flatten().flatten();
        files
            .filter_map(|e| e.metadata().ok()?.modified().ok())
            .max()
    };
    let start = Instant::now();
    let mut last = newest();
    while start.elapsed() < DEADLINE {
        std::thread::sleep(Duration::from_millis(500));
        let now = newest();
        let page_time = std::fs::metadata(page).and_then(|m| m.modified()).ok();
        if now == last && now.is_some() && now >= page_time {
            return;
        }
        last = now;
    }
}

/// With the build cache, pages are served from `.biji-cache/serve/`, kept
/// for the next start: a second `serve` finds them and rewrites nothing.
#[test]
fn a_second_start_keeps_the_served_pages() {
    let dir = site();
    let served = dir.path().join(".biji-cache/serve/site");
    let page = served.join("rust/ownership/index.html");
    let mut s = start(dir.path(), &[]);
    assert!(page.is_file(), "{}", s.log());
    // An edit while serving: the next start keeps its result too.
    replace_in(
        &dir.path().join("notes/rust/ownership.md"),
        "所有权",
        "所有权（改）",
    );
    s.wait_text(&enc("/rust/ownership/"), "所有权（改）");
    // A save can be two file events: let a second rebuild finish. Stopped
    // during a rebuild, serve leaves no manifest (it is written after the
    // files), and the next start rightly renders again.
    std::thread::sleep(Duration::from_secs(2));
    settled(&dir.path().join(".biji-cache/outputs"), &page);
    let search = common::tree(&served.join("search"));
    let before = std::fs::metadata(&page).unwrap().modified().unwrap();
    assert!(s.stop(DEADLINE));
    let mut again = start(dir.path(), &[]);
    let r = again.get(&enc("/rust/ownership/"));
    assert_eq!(r.status, 200);
    assert_eq!(
        std::fs::metadata(&page).unwrap().modified().unwrap(),
        before,
        "kept as it was"
    );
    assert_eq!(
        common::tree(&served.join("search")),
        search,
        "the search index too"
    );
    // A second serve of the same site at once uses a temporary folder.
    let third = start(dir.path(), &[]);
    assert_eq!(third.get(&enc("/rust/ownership/")).status, 200);
    assert!(third.log().contains("temporary folder"), "{}", third.log());
    assert!(again.stop(DEADLINE));
}

/// Deleting `.biji-cache/` while serving (the README calls that always
/// safe) takes the served folder with it: the whole site is written again,
/// and a later edit shows. A served folder left without its marker does not
/// stop the next start.
#[test]
fn deleting_the_cache_while_serving_writes_the_site_again() {
    let dir = site();
    let cache = dir.path().join(".biji-cache");
    let note = enc("/rust/ownership/");
    let mut s = start(dir.path(), &[]);
    assert_eq!(s.get(&note).status, 200);
    // The served folder alone (its parent is not the site's root): pages
    // were 404 and every rebuild failed with "the output folder is gone".
    std::fs::remove_dir_all(cache.join("serve/site")).unwrap();
    s.wait_log("writing the whole site again");
    s.wait_page(&note, "the note", |r| r.status == 200);
    assert!(!s.log().contains("another `biji serve`"), "{}", s.log());
    std::fs::remove_dir_all(&cache).unwrap();
    s.wait_log_count("writing the whole site again", 2);
    s.wait_page("/", "the home page", |r| r.status == 200);
    for path in ["/static/style.css", note.as_str()] {
        assert_eq!(s.get(path).status, 200, "{path}\n{}", s.log());
    }
    replace_in(
        &dir.path().join("notes/rust/ownership.md"),
        "所有权",
        "所有权（改）",
    );
    s.wait_text(&note, "所有权（改）");
    std::thread::sleep(Duration::from_secs(1));
    // The folder is this serve's again: a second one uses its own.
    let second = start(dir.path(), &[]);
    assert!(
        second.log().contains("temporary folder"),
        "{}",
        second.log()
    );
    drop(second);
    assert!(s.stop(DEADLINE));

    let served = cache.join("serve/site");
    std::fs::remove_file(served.join(".biji-output")).unwrap();
    let mut again = start(dir.path(), &[]);
    assert!(again.page(&note).contains("所有权（改）"));
    assert!(
        !again.log().contains("not created by biji"),
        "{}",
        again.log()
    );
    assert!(again.stop(DEADLINE));
}

/// The note URLs the site's own `static/search.js` finds for `query` in the
/// folder `site` (served under `/`), through the search test runner.
fn search(site: &Path, query: &str) -> Vec<String> {
    let answer = common::search_queries(site, "/", &[query], &[]);
    answer[0]["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_string())
        .collect()
}

/// The search index is in place when the browser is told to reload: a
/// search from the reloaded page finds the words just written, and no
/// longer the words just removed. Also after a second start, whose first
/// build kept the index the cache had.
#[test]
fn search_finds_an_edit_by_the_time_the_page_reloads() {
    let dir = site();
    let served = dir.path().join(".biji-cache/serve/site");
    let note = dir.path().join("notes/python/装饰器.md");
    let url = "/python/装饰器/";
    for (run, (old, new)) in [("", "zqfreshone"), ("zqfreshone", "zqfreshtwo")]
        .into_iter()
        .enumerate()
    {
        let mut s = start(dir.path(), &[]);
        let events = Events::connect(&s.addr);
        match old {
            "" => append(&note, &format!("\n新词 {new}\n")),
            _ => replace_in(&note, old, new),
        }
        // What a browser does: wait for the reload of its page.
        loop {
            let (_, reload) = events.next_of(&["reload"]);
            let paths = reload["paths"].as_array();
            if paths.is_none_or(|a| a.iter().any(|p| p.as_str() == Some(url))) {
                break;
            }
        }
        assert_eq!(search(&served, new), [enc(url)], "run {run}: {}", s.log());
        if !old.is_empty() {
            assert!(search(&served, old).is_empty(), "run {run}");
        }
        assert!(s.stop(DEADLINE));
    }
}

/// `serve -o public` after a build, then a build: each writes its own kind
/// of page (serve's carry the live-reload client), and neither keeps the
/// other's from the folder both wrote.
#[test]
fn serve_and_build_into_one_folder_keep_none_of_each_others_pages() {
    let dir = site();
    let root = dir.path();
    let public = root.join("public");
    clean_build(root, &public, &[]);
    let mut s = start(root, &["-o", public.to_str().unwrap()]);
    for page in ["/", &enc("/rust/ownership/")] {
        assert!(
            s.page(page).contains("data-biji-serve"),
            "{page} has no live reload"
        );
    }
    replace_in(
        &root.join("notes/rust/ownership.md"),
        "所有权",
        "所有权（改）",
    );
    s.wait_text(&enc("/rust/ownership/"), "所有权（改）");
    std::thread::sleep(Duration::from_secs(2));
    assert!(s.stop(DEADLINE));
    clean_build(root, &public, &[]);
    let clean = root.join("clean");
    clean_build(root, &clean, &["--no-cache"]);
    let files = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        tree(dir)
            .into_iter()
            .filter(|(k, _)| !k.starts_with('.'))
            .collect()
    };
    let (built, clean) = (files(&public), files(&clean));
    let served: Vec<&String> = built
        .iter()
        .filter(|(_, b)| String::from_utf8_lossy(b).contains("data-biji-serve"))
        .map(|(k, _)| k)
        .collect();
    assert!(
        served.is_empty(),
        "serve's pages left in the build: {served:?}"
    );
    assert!(built == clean, "the build differs from a clean one");
}

/// In a Git repository a note without a date shows its last commit's day.
/// After a failed rebuild serve reads every note again, and a note checked
/// out as committed keeps that day, as a clean build shows it (it took the
/// file's new time).
#[test]
fn notes_keep_their_commit_day_after_a_failed_rebuild() {
    let dir = site();
    let root = dir.path();
    write(&root.join("notes/无日期.md"), "# 无日期\n\n正文。\n");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(root)
            .env("GIT_AUTHOR_DATE", "2020-02-02T10:00:00")
            .env("GIT_COMMITTER_DATE", "2020-02-02T10:00:00")
            .output();
        o.is_ok_and(|o| o.status.success())
    };
    if !git(&["init", "-q"])
        || !git(&["add", "-A"])
        || !git(&[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "i",
        ])
    {
        return; // no Git here
    }
    let served = root.join("served");
    let s = start(root, &["-o", served.to_str().unwrap()]);
    assert!(s.page(&enc("/无日期/")).contains("2020-02-02"));
    let note = root.join("notes/无日期.md");
    let text = std::fs::read_to_string(&note).unwrap();
    append(&note, "\n[[不存在的笔记]]\n");
    s.wait_log("rebuild failed");
    write(&note, &text);
    s.wait_log("the build is fixed");
    assert!(
        s.page(&enc("/无日期/")).contains("2020-02-02"),
        "{}",
        s.log()
    );
    assert_same_as_clean(&s, root, &served, &root.join("clean"));
}
