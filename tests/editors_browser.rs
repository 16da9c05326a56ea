//! Math and diagrams from Typora-style notes in a real browser (headless
//! Chromium), because the HTML alone cannot show what the reader sees: the
//! build-time MathML must lay out with a size (Chromium draws MathML Core
//! itself, no script), ```mermaid fences must become an SVG with their
//! Chinese labels, and a note without diagrams must not fetch the 5 MB
//! Mermaid library at all.
//!
//! Needs Debian's `chromium` (set BIJI_SKIP_BROWSER=1 to skip these tests
//! where it cannot be installed).

mod common;

use common::browser::{chromium, serve, Browser, Cdp};
use std::time::Duration;

/// A browser on one page of the built `editors` fixture. Fields drop in
/// order: Chromium is killed before its profile's temp dir is removed.
struct Page {
    cdp: Cdp,
    origin: String,
    _browser: Browser,
    _dir: tempfile::TempDir,
}

/// Builds the `editors` fixture, serves it and opens `path` (e.g. "/typora/")
/// once the page has loaded; `None` when browser tests are skipped.
fn open(path: &str) -> Option<Page> {
    let bin = chromium()?;
    let dir = common::site("editors");
    let out = common::build(dir.path());
    let port = serve(out, "/");
    let (browser, cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    let mut page = Page {
        cdp,
        origin: format!("http://127.0.0.1:{port}"),
        _browser: browser,
        _dir: dir,
    };
    page.goto(path);
    Some(page)
}

impl Page {
    /// Navigates to `path` and waits for the load event.
    fn goto(&mut self, path: &str) {
        let url = format!("{}{path}", self.origin);
        self.cdp
            .call("Page.navigate", serde_json::json!({ "url": url }));
        self.cdp.wait_for(&format!(
            "location.pathname === '{path}' && document.readyState === 'complete'"
        ));
    }
}

/// The URLs, among those the page fetched and its scripts' `src`, of diagram code.
const DIAGRAM_URLS: &str =
    "JSON.stringify(performance.getEntriesByType('resource').map(e => e.name)\
     .concat(Array.from(document.scripts, s => s.src))\
     .filter(u => /diagrams\\.js|mermaid/.test(u)))";

#[test]
fn mathml_formulas_are_laid_out_with_a_size() {
    let Some(mut page) = open("/typora/") else {
        return;
    };
    let sizes = page.cdp.eval(
        "JSON.stringify(Array.from(document.querySelectorAll('.note math'), m => {\
           const r = m.getBoundingClientRect();\
           return { w: r.width, h: r.height, block: m.getAttribute('display') === 'block',\
                    text: m.textContent };\
         }))",
    );
    let sizes: Vec<serde_json::Value> = serde_json::from_str(sizes.as_str().unwrap()).unwrap();
    // $E=mc^2$, two $$…$$ blocks and a ```math fence; the prices ($5, $10) are no math.
    assert!(sizes.len() >= 4, "too few <math> elements: {sizes:?}");
    for m in &sizes {
        assert!(
            m["w"].as_f64().unwrap() > 0.0 && m["h"].as_f64().unwrap() > 0.0,
            "a <math> has no size: {m} (all: {sizes:?})"
        );
    }
    assert!(
        sizes.iter().any(|m| m["block"] == true),
        "no display formula: {sizes:?}"
    );
    // A display formula sits on a line of its own.
    assert_eq!(
        page.cdp
            .eval("getComputedStyle(document.querySelector('math[display=block]')).display"),
        "block math"
    );
}

#[test]
fn a_mermaid_fence_becomes_an_svg_with_its_chinese_labels() {
    let Some(mut page) = open("/typora/") else {
        return;
    };
    // Mermaid is 5.5 MB of script to fetch and parse: allow a slow machine.
    page.cdp.wait_for_in(
        "!!document.querySelector('.diagram.diagram-rendered > svg')",
        Duration::from_secs(30),
    );
    let svg = page.cdp.eval(
        // The drawn text only, not the SVG's <style>.
        "(() => { const s = document.querySelector('.diagram > svg').cloneNode(true);\
           s.querySelectorAll('style').forEach(e => e.remove()); return s.textContent; })()",
    );
    let svg = svg.as_str().unwrap();
    for label in ["开始", "是否登录", "首页", "登录页"] {
        assert!(svg.contains(label), "no {label} in the SVG's text: {svg}");
    }
    let diagram = page.cdp.eval(
        "(() => { const d = document.querySelector('.diagram'), s = d.querySelector(':scope > svg');\
           const r = s.getBoundingClientRect();\
           return JSON.stringify({ first: d.firstElementChild === s, failed: d.classList.contains('diagram-failed'),\
             w: r.width, h: r.height,\
             sourceShown: document.querySelector('.diagram pre.mermaid-src').getClientRects().length > 0 }); })()",
    );
    let d: serde_json::Value = serde_json::from_str(diagram.as_str().unwrap()).unwrap();
    assert_eq!(
        d["first"], true,
        "the SVG is not the diagram's first child: {d}"
    );
    assert_eq!(d["failed"], false, "{d}");
    assert!(
        d["w"].as_f64().unwrap() > 0.0 && d["h"].as_f64().unwrap() > 0.0,
        "the SVG has no size: {d}"
    );
    assert_eq!(
        d["sourceShown"], false,
        "the Mermaid source is still shown: {d}"
    );
}

/// Typora's ```sequence and ```flow are drawn by Mermaid from their
/// translation, with the note's own labels.
#[test]
fn typora_sequence_and_flow_diagrams_are_drawn() {
    let Some(mut page) = open("/typora/") else {
        return;
    };
    page.cdp.wait_for_in(
        "document.querySelectorAll('.diagram.diagram-rendered > svg').length === 3",
        Duration::from_secs(30),
    );
    let texts = page.cdp.eval(
        "JSON.stringify(Array.from(document.querySelectorAll('.diagram[data-source]'), d => {\
           const s = d.querySelector(':scope > svg').cloneNode(true);\
           s.querySelectorAll('style').forEach(e => e.remove());\
           return { lang: d.querySelector('code').className, text: s.textContent,\
                    failed: d.classList.contains('diagram-failed') };\
         }))",
    );
    let texts: Vec<serde_json::Value> = serde_json::from_str(texts.as_str().unwrap()).unwrap();
    assert_eq!(texts.len(), 2, "{texts:?}");
    let expect = [
        (
            "language-sequence",
            &[
                "登录流程",
                "浏览器",
                "服务器",
                "提交表单",
                "校验密码",
                "返回令牌",
            ][..],
        ),
        (
            "language-flow",
            &["开始", "读取配置", "配置有效?", "结束", "yes", "no"][..],
        ),
    ];
    for (d, (lang, labels)) in texts.iter().zip(expect) {
        assert_eq!(d["lang"], lang, "{d}");
        assert_eq!(d["failed"], false, "{d}");
        let text = d["text"].as_str().unwrap();
        for l in labels {
            assert!(text.contains(l), "no {l} in the {lang} diagram: {text}");
        }
    }
}

#[test]
fn only_pages_with_diagrams_load_mermaid() {
    let Some(mut page) = open("/plain/") else {
        return;
    };
    // Give a late script a moment to ask for Mermaid after the load event.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        page.cdp.eval(DIAGRAM_URLS),
        "[]",
        "/plain/ loads diagram code"
    );

    // The same check sees Mermaid where the page has a diagram (a new
    // document, so a fresh resource list).
    page.goto("/typora/");
    page.cdp.wait_for_in(
        "performance.getEntriesByType('resource')\
         .some(e => e.name.endsWith('/static/vendor/mermaid/mermaid.min.js'))",
        Duration::from_secs(30),
    );
    let urls = page.cdp.eval(DIAGRAM_URLS);
    let urls = urls.as_str().unwrap();
    assert!(urls.contains("/static/diagrams.js"), "{urls}");
    assert_ne!(urls, "[]");
}

/// Pictures borrowed from image hosts that refuse other sites' pages (CSDN,
/// Jianshu, WeChat) show as they did in the editor: the page sends them no
/// referrer, for Markdown images and a note's own `<img>` alike.
#[test]
fn borrowed_pictures_are_fetched_without_a_referrer() {
    use std::io::{BufRead, BufReader, Write};
    let Some(bin) = chromium() else {
        return;
    };
    // The image host: another origin, which records each request's head.
    let host = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host_port = host.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for mut s in host.incoming().flatten() {
            let mut head = String::new();
            let mut r = BufReader::new(s.try_clone().unwrap());
            while r.read_line(&mut head).unwrap_or(0) > 2 {}
            let _ = s.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            let _ = tx.send(head);
        }
    });
    let note = format!(
        "# 图\n\n![外链](http://127.0.0.1:{host_port}/md.png)\n\n<img src=\"http://127.0.0.1:{host_port}/raw.png\" style=\"zoom:50%;\" />\n"
    );
    let dir = common::site_with([("pic.md", note.as_str())]);
    let port = serve(common::build(dir.path()), "/");
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    let url = format!("http://127.0.0.1:{port}/pic/");
    cdp.call("Page.navigate", serde_json::json!({ "url": url }));
    let mut heads = Vec::new();
    while heads.len() < 2 {
        heads.push(
            rx.recv_timeout(Duration::from_secs(20))
                .expect("the images were asked for"),
        );
    }
    for head in heads {
        assert!(head.contains(".png HTTP/1.1"), "{head}");
        assert!(!head.to_ascii_lowercase().contains("\nreferer:"), "{head}");
    }
}
