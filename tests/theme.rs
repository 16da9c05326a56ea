//! The default theme in a real browser (headless Chromium): a long table of
//! contents is folded where it sits above the text and open beside it.

mod common;

use common::browser::{chromium, serve, Cdp};

/// A note with `n` second-level headings.
fn note_with_headings(title: &str, n: usize) -> String {
    let mut s = format!("# {title}\n\n开头的一段。\n");
    for k in 1..=n {
        s.push_str(&format!("\n## 第{k}节\n\n内容 {k}。\n"));
    }
    s
}

#[test]
fn a_long_toc_is_folded_above_the_text_and_open_beside_it() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("long.md"), note_with_headings("长目录", 12)).unwrap();
    std::fs::write(notes.join("short.md"), note_with_headings("短目录", 3)).unwrap();
    let out = common::build(dir.path());
    // Without JavaScript a long table of contents starts folded, a short one open.
    let long_html = common::read(&out, "long/index.html");
    assert!(
        long_html.contains("<details class=\"toc toc-long\">"),
        "{long_html}"
    );
    assert!(common::read(&out, "short/index.html").contains("<details class=\"toc\" open>"));

    let port = serve(out, "/");
    let origin = format!("http://127.0.0.1:{port}");
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    let open_toc = "document.readyState === 'complete' && document.querySelector('.toc').open";

    // 800 px wide (Cdp::open's window): the TOC sits above the text.
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{origin}/long/") }),
    );
    cdp.wait_for(
        "document.readyState === 'complete' && !!document.querySelector('.copy-button, .toc')",
    );
    assert_eq!(cdp.eval(open_toc), false);
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{origin}/short/") }),
    );
    cdp.wait_for("location.pathname === '/short/' && document.readyState === 'complete'");
    assert_eq!(cdp.eval(open_toc), true);

    // Wide enough for the TOC to sit beside the text: biji.js opens it; back
    // to a narrow window, it folds again.
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{origin}/long/") }),
    );
    cdp.wait_for("location.pathname === '/long/' && document.readyState === 'complete'");
    let metrics = |width: u32| serde_json::json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false });
    cdp.call("Emulation.setDeviceMetricsOverride", metrics(1400));
    cdp.wait_for(open_toc);
    assert_eq!(
        cdp.eval("getComputedStyle(document.querySelector('.note')).display"),
        "grid"
    );
    cdp.call("Emulation.setDeviceMetricsOverride", metrics(390));
    cdp.wait_for("!document.querySelector('.toc').open");
}
