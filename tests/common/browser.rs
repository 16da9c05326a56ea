//! Headless Chromium for the browser tests (search, live reload): finding the
//! binary, the flags this machine needs, and a small DevTools-protocol client.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

/// The Chromium binary, or `None` when BIJI_SKIP_BROWSER=1. A missing browser
/// fails the test: CI installs it, so it must never be skipped silently.
pub(crate) fn chromium() -> Option<PathBuf> {
    if std::env::var_os("BIJI_SKIP_BROWSER").is_some_and(|v| v == "1") {
        eprintln!("BIJI_SKIP_BROWSER=1: skipping the browser test");
        return None;
    }
    for name in ["chromium", "chromium-browser"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(PathBuf::from(name));
        }
    }
    panic!("chromium is not installed: `apt-get install -y chromium` (or set BIJI_SKIP_BROWSER=1)");
}

/// The project's Chromium flags, one per line; the audit and the search
/// benchmark read the same file.
const FLAGS: &str = include_str!("../chromium-flags.txt");

/// Headless Chromium with a fresh profile and no background network traffic.
pub(crate) fn chromium_command(bin: &Path, profile: &Path) -> Command {
    let mut c = Command::new(bin);
    c.args(FLAGS.lines().map(str::trim).filter(|l| !l.is_empty()))
        .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Chromium, killed when dropped (also when the test panics).
pub(crate) struct Browser(pub Child);

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A DevTools protocol session on one page.
pub(crate) struct Cdp {
    ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next: u64,
    /// Whether `eval` fails the test on a JavaScript error; off where the page
    /// navigates on its own (a reload), when evaluation briefly has no document.
    strict: bool,
}

impl Cdp {
    /// Starts Chromium on `url` with remote debugging and attaches to its page.
    pub(crate) fn open(bin: &Path, profile: &Path, url: &str, strict: bool) -> (Browser, Cdp) {
        let mut child = chromium_command(bin, profile)
            .args(["--window-size=800,600", "--remote-debugging-port=0", url])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let browser = Browser(child);
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            // Keep reading to the end, so Chromium never blocks on a full pipe.
            for line in stderr.lines().map_while(Result::ok) {
                if let Some(i) = line.find("ws://") {
                    let _ = tx.send(line[i..].trim().to_string());
                }
            }
        });
        let browser_ws = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("chromium did not print its DevTools address");
        let devtools = browser_ws
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let start = Instant::now();
        let page_ws = loop {
            let list = targets(&devtools);
            let found = list.as_array().unwrap().iter().find_map(|t| {
                (t["type"] == "page")
                    .then(|| t["webSocketDebuggerUrl"].as_str().map(str::to_string))
                    .flatten()
            });
            if let Some(ws) = found {
                break ws;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no page target: {list}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let (ws, _) = tungstenite::connect(page_ws.as_str()).unwrap();
        if let tungstenite::stream::MaybeTlsStream::Plain(t) = ws.get_ref() {
            t.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        }
        (
            browser,
            Cdp {
                ws,
                next: 0,
                strict,
            },
        )
    }

    /// Sends one command and returns its result; a protocol error fails the test.
    pub(crate) fn call(&mut self, method: &str, params: Value) -> Value {
        let v = self.send(method, params);
        assert!(v.get("error").is_none(), "DevTools {method}: {v}");
        v["result"].clone()
    }

    fn send(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let msg = serde_json::json!({ "id": id, "method": method, "params": params });
        self.ws
            .send(tungstenite::Message::text(msg.to_string()))
            .unwrap();
        loop {
            let m = self
                .ws
                .read()
                .unwrap_or_else(|e| panic!("DevTools {method}: {e}"));
            let tungstenite::Message::Text(t) = m else {
                continue;
            };
            let v: Value = serde_json::from_str(t.as_str()).unwrap();
            if v["id"] == id {
                return v;
            }
        }
    }

    /// Evaluates `expr` in the page (awaiting promises) and returns its value.
    pub(crate) fn eval(&mut self, expr: &str) -> Value {
        let params =
            serde_json::json!({ "expression": expr, "returnByValue": true, "awaitPromise": true });
        let r = if self.strict {
            self.call("Runtime.evaluate", params)
        } else {
            self.send("Runtime.evaluate", params)["result"].clone()
        };
        r["result"]["value"].clone()
    }

    /// Evaluates `expr` until it is truthy (10 s at most).
    pub(crate) fn wait_for(&mut self, expr: &str) -> Value {
        self.wait_for_in(expr, Duration::from_secs(10))
    }

    /// Evaluates `expr` until it is truthy; on time-out the panic says where the page is.
    pub(crate) fn wait_for_in(&mut self, expr: &str, limit: Duration) -> Value {
        let start = Instant::now();
        loop {
            let v = self.eval(expr);
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            if start.elapsed() > limit {
                let at = self.eval(
                    "location.href + ' ' + document.readyState + ' ' + JSON.stringify(\
                     performance.getEntriesByType('resource').map(e => [e.name, e.duration]))",
                );
                panic!("timed out waiting for `{expr}` (page: {at})");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses and releases a key (`modifiers`: 2 = Ctrl).
    pub(crate) fn key(&mut self, key: &str, code: &str, vk: u32, text: &str, modifiers: u32) {
        for kind in ["keyDown", "keyUp"] {
            let mut p = serde_json::json!({
                "type": kind, "key": key, "code": code,
                "windowsVirtualKeyCode": vk, "modifiers": modifiers,
            });
            if kind == "keyDown" && !text.is_empty() {
                p["text"] = text.into();
            }
            self.call("Input.dispatchKeyEvent", p);
        }
    }
}

/// The browser's DevTools targets (`/json/list`); Chromium keeps the connection
/// open, so the body is read by its Content-Length.
fn targets(devtools: &str) -> Value {
    let s = TcpStream::connect(devtools).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(&s, "GET /json/list HTTP/1.1\r\nHost: {devtools}\r\n\r\n").unwrap();
    let mut r = BufReader::new(s);
    let mut len = 0;
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// Serves the files under `root` at URL path `base` on 127.0.0.1 until the
/// test process ends, as a static host (GitHub Pages) would; returns the port.
pub(crate) fn serve(root: PathBuf, base: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &root, base);
            });
        }
    });
    port
}

fn answer(mut stream: TcpStream, root: &Path, base: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    let file = path.strip_prefix(base).map(|rel| {
        let mut f = root.join(rel);
        if rel.is_empty() || rel.ends_with('/') {
            f = f.join("index.html");
        }
        f
    });
    let (status, body, kind) = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (b, f))) {
        Some((body, f)) => {
            let kind = match f.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("json") => "application/json",
                Some("svg") => "image/svg+xml",
                _ => "text/plain; charset=utf-8",
            };
            ("200 OK", body, kind)
        }
        None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}
