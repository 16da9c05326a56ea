//! The default theme in a real browser (headless Chromium): the table of
//! contents beside the text or in a bar under the header, back to top, code
//! blocks on touch screens and by keyboard, the letter bar, print styles.

mod common;

use common::browser::{chromium, serve, Browser, Cdp};

/// A note with `n` second-level headings, each over `paragraphs` paragraphs.
fn note_with_headings(title: &str, n: usize, paragraphs: usize) -> String {
    let mut s = format!("# {title}\n\n开头的一段。\n");
    for k in 1..=n {
        s.push_str(&format!("\n## 第{k}节\n"));
        for p in 0..paragraphs {
            s.push_str(&format!("\n第{k}节的内容，第{p}段。\n"));
        }
    }
    s
}

#[test]
fn the_toc_is_a_folded_bar_on_narrow_screens_and_open_beside_the_text() {
    let Some(bin) = chromium() else { return };
    let dir = common::site_with([
        ("long.md", note_with_headings("长目录", 12, 1)),
        ("short.md", note_with_headings("短目录", 3, 1)),
    ]);
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

    // 800 px wide (Cdp::open's window): the TOC is a folded bar above the
    // text that stays under the header, long or short.
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
    assert_eq!(cdp.eval(open_toc), false);
    assert_eq!(
        cdp.eval("getComputedStyle(document.querySelector('.toc')).position"),
        "sticky"
    );
    // As the page arrives, before biji.js folds it, the short TOC is open
    // (for readers without JavaScript) but its entries take no room: the
    // text does not move when the script runs (no layout shift).
    let body_top = "document.querySelector('.note-body').getBoundingClientRect().top";
    let folded = cdp.eval(body_top);
    cdp.eval("var t = document.querySelector('.toc'); t.classList.remove('toc-placed'); t.open = true; true");
    assert_eq!(cdp.eval(body_top), folded, "the text moved");

    // Wide enough for the TOC to sit beside the text (from 1280 px, a 1920 px
    // laptop at 150%): biji.js opens it; back to a narrow window, it folds.
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{origin}/long/") }),
    );
    cdp.wait_for("location.pathname === '/long/' && document.readyState === 'complete'");
    let metrics = |width: u32| serde_json::json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false });
    cdp.call("Emulation.setDeviceMetricsOverride", metrics(1280));
    cdp.wait_for(open_toc);
    assert_eq!(
        cdp.eval("getComputedStyle(document.querySelector('.note')).display"),
        "grid"
    );
    cdp.call("Emulation.setDeviceMetricsOverride", metrics(390));
    cdp.wait_for("!document.querySelector('.toc').open");
}

#[test]
fn the_toc_marks_the_section_being_read() {
    let Some(bin) = chromium() else { return };
    let dir = common::site_with([("长文.md", note_with_headings("长文", 6, 30))]);
    let out = common::build(dir.path());
    let port = serve(out, "/");
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    cdp.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    );
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/{}/", common::enc("长文")) }),
    );
    let current = "document.readyState === 'complete' && \
                   (document.querySelector('.toc a[aria-current]') || {}).textContent";
    assert_eq!(cdp.wait_for(current), "第1节");
    // Reading further down marks the section in view, and only that one.
    cdp.eval("document.getElementById('第4节').scrollIntoView(); true");
    cdp.wait_for(&format!("({current}) === '第4节'"));
    assert_eq!(
        cdp.eval("document.querySelectorAll('.toc a[aria-current]').length"),
        1
    );
    cdp.eval("window.scrollTo(0, 0); true");
    cdp.wait_for(&format!("({current}) === '第1节'"));
}

/// A note of `n` sections, with one code block too wide for a phone and one
/// short block, both labelled python.
fn note_with_code(n: usize) -> String {
    let mut s = note_with_headings("代码", n, 12);
    s.push_str("\n```python\nprint('a')\n```\n\n```python\n");
    s.push_str(&format!("x = '{}'\n```\n", "很长".repeat(80)));
    s.push_str("\n[外链](https://example.com/a) 和 [内链](#第1节)\n");
    s.push_str("\n> [!warning]- 点击展开\n> 折叠的内容。\n");
    s
}

/// The note of `note_with_code(n)` open in Chromium, as a 390 px touch phone
/// when `phone`. The browser is stopped before the site's folder goes.
fn open_code_note(n: usize, phone: bool) -> Option<(Browser, Cdp, tempfile::TempDir)> {
    let bin = chromium()?;
    let dir = common::site_with([("代码.md", note_with_code(n))]);
    let port = serve(common::build(dir.path()), "/");
    let (browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    if phone {
        cdp.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": 390, "height": 800, "deviceScaleFactor": 2, "mobile": true }),
        );
        cdp.call(
            "Emulation.setEmitTouchEventsForMouse",
            serde_json::json!({ "enabled": true, "configuration": "mobile" }),
        );
    }
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/{}/", common::enc("代码")) }),
    );
    cdp.wait_for(
        "document.readyState === 'complete' && document.querySelectorAll('.code-block').length === 2",
    );
    Some((browser, cdp, dir))
}

#[test]
fn on_a_phone_the_toc_bar_follows_the_reading_and_back_to_top_appears() {
    let Some((_browser, mut cdp, _dir)) = open_code_note(6, true) else {
        return;
    };
    let shown = "document.querySelector('.back-to-top').classList.contains('shown')";
    assert_eq!(cdp.eval(shown), false);
    // Read down to the fourth section: the bar names it, and stays in view
    // under the header; back to top is offered.
    cdp.eval("document.getElementById('第4节').scrollIntoView(); true");
    cdp.wait_for("document.querySelector('.toc-current').textContent === '第4节'");
    cdp.wait_for(shown);
    let bar_top = cdp.eval("document.querySelector('.toc').getBoundingClientRect().top");
    let header = cdp.eval("document.querySelector('.site-header').getBoundingClientRect().bottom");
    assert!(
        (bar_top.as_f64().unwrap() - header.as_f64().unwrap()).abs() < 2.0,
        "{bar_top} {header}"
    );
    // Choosing an entry folds the bar again.
    cdp.eval("document.querySelector('.toc summary').click(); true");
    cdp.wait_for("document.querySelector('.toc').open");
    cdp.eval("document.querySelector('.toc nav a').click(); true");
    cdp.wait_for("!document.querySelector('.toc').open");
    cdp.eval("document.querySelector('.back-to-top').click(); true");
    cdp.wait_for("window.scrollY === 0");
}

#[test]
fn code_blocks_are_labelled_uncovered_on_touch_and_scrollable_by_keyboard() {
    let Some((_browser, mut cdp, _dir)) = open_code_note(2, true) else {
        return;
    };
    assert_eq!(cdp.eval("matchMedia('(hover: none)').matches"), true);
    // Each block says its language; the copy button is there without hover,
    // above the first line of code, not over it.
    assert_eq!(
        cdp.eval("[...document.querySelectorAll('.code-lang')].map(e => e.textContent).join()"),
        "python,python"
    );
    let clear = "[...document.querySelectorAll('.code-block')].every(b => {
        const button = b.querySelector('.copy-button').getBoundingClientRect();
        const code = b.querySelector('code').getClientRects()[0];
        return getComputedStyle(b.querySelector('.copy-button')).opacity === '1'
            && button.bottom <= code.top;
    })";
    assert_eq!(cdp.eval(clear), true);
    // Only the block wider than the screen is a Tab stop; the short one is not.
    assert_eq!(
        cdp.eval("[...document.querySelectorAll('.content pre')].map(p => p.getAttribute('tabindex')).join()"),
        ",0"
    );
    // Code runs from edge to edge on a phone.
    assert_eq!(
        cdp.eval("Math.round(document.querySelector('.code-block').getBoundingClientRect().left)"),
        0
    );
}

#[test]
fn print_shows_the_note_alone_with_link_addresses() {
    let Some((_browser, mut cdp, _dir)) = open_code_note(2, false) else {
        return;
    };
    let folded = "document.querySelector('details.callout').getBoundingClientRect().height";
    let screen_height = cdp.eval(folded).as_f64().unwrap();
    cdp.call(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "print" }),
    );
    // A folded callout prints open.
    let print_height = cdp.eval(folded).as_f64().unwrap();
    assert!(
        print_height > screen_height + 10.0,
        "{screen_height} {print_height}"
    );
    let hidden = "['.site-header', '.site-nav', '.toc', '.copy-button', '.back-to-top']
        .every(s => getComputedStyle(document.querySelector(s)).display === 'none')";
    assert_eq!(cdp.eval(hidden), true);
    let mut after = |sel: &str| {
        cdp.eval(&format!(
            "getComputedStyle(document.querySelector('{sel}'), '::after').content"
        ))
    };
    assert_eq!(after("a[href^=\"https:\"]"), "\" (https://example.com/a)\"");
    assert_eq!(after("a[href=\"#第1节\"]"), "none");
    assert_eq!(
        cdp.eval("getComputedStyle(document.querySelectorAll('.content pre')[1]).whiteSpace"),
        "pre-wrap"
    );
    // Paper is white: a page dark on screen (system or button) prints in the
    // light colours, code included.
    cdp.call(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "print", "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    );
    for theme in ["", "dark"] {
        cdp.eval(&format!(
            "document.documentElement.dataset.theme = '{theme}'; true"
        ));
        let colours = "[document.body, document.querySelector('.content pre')]
            .map(e => getComputedStyle(e).color + ' on ' + getComputedStyle(e).backgroundColor).join()";
        assert_eq!(
            cdp.eval(colours),
            "rgb(31, 35, 40) on rgb(255, 255, 255),rgb(56, 58, 66) on rgb(250, 250, 250)"
        );
    }
}

#[test]
fn the_letter_bar_stays_below_the_header() {
    let Some(bin) = chromium() else { return };
    let notes: Vec<(String, String)> = (0..40)
        .map(|k| {
            let tag = format!("{}topic{k}", (b'a' + (k % 26) as u8) as char);
            (
                format!("n{k}.md"),
                format!("---\ntags: [{tag}]\n---\n# 笔记{k}\n\n正文。\n"),
            )
        })
        .collect();
    let dir = common::site_with(notes);
    let port = serve(common::build(dir.path()), "/");
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/topics/") }),
    );
    cdp.wait_for("document.readyState === 'complete' && !!document.querySelector('.jump-bar')");
    cdp.eval("window.scrollTo(0, document.body.scrollHeight); true");
    let gap = "document.querySelector('.jump-bar').getBoundingClientRect().top - document.querySelector('.site-header').getBoundingClientRect().bottom";
    cdp.wait_for("window.scrollY > 0");
    let g = cdp.eval(gap);
    assert!(
        g.as_f64().unwrap().abs() < 1.0,
        "letter bar {g}px from the header"
    );
    // At 200% zoom of a 1280x720 window (or a phone held sideways) it
    // scrolls away: header and bar took too much of the window.
    cdp.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 640, "height": 360, "deviceScaleFactor": 2, "mobile": false }),
    );
    assert_eq!(
        cdp.eval("getComputedStyle(document.querySelector('.jump-bar')).position"),
        "static"
    );
}

/// Footnotes: a reference leads to its footnote at the end (highlighted, not
/// under the header), its back link returns to the reference; a cancelled
/// Obsidian task is struck through.
#[test]
fn footnotes_link_both_ways_and_cancelled_tasks_are_struck_through() {
    let Some(bin) = chromium() else {
        return;
    };
    let mut md = note_with_headings("脚注", 4, 10);
    md = md.replacen("开头的一段。", "开头的一段[^a]。", 1);
    md.push_str("\n- [-] 取消的事\n- [x] 做完的事\n\n[^a]: 脚注的内容。\n");
    let dir = common::site_with([("脚注.md", md)]);
    let port = serve(common::build(dir.path()), "/");
    let url = format!("http://127.0.0.1:{port}/{}/", common::enc("脚注"));
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    cdp.call("Page.navigate", serde_json::json!({ "url": url }));
    cdp.wait_for("document.readyState === 'complete' && document.getElementById('fn-a') !== null");
    cdp.eval("document.querySelector('sup.footnote-reference a').click(); true");
    cdp.wait_for("location.hash === '#fn-a'");
    let li = "document.getElementById('fn-a')";
    let header = cdp.eval("document.querySelector('.site-header').getBoundingClientRect().bottom");
    let top = cdp.eval(&format!("{li}.getBoundingClientRect().top"));
    assert!(
        top.as_f64().unwrap() >= header.as_f64().unwrap() - 1.0,
        "{top} {header}"
    );
    let bg = cdp.eval(&format!("getComputedStyle({li}).backgroundColor"));
    assert_ne!(bg, "rgba(0, 0, 0, 0)", "the footnote read is highlighted");
    cdp.eval(&format!(
        "{li}.querySelector('.footnote-backref').click(); true"
    ));
    cdp.wait_for("location.hash === '#fnref-a'");
    let struck = "getComputedStyle(document.querySelector('li:has(> input[data-task=\"-\"])')).textDecorationLine";
    assert_eq!(cdp.eval(struck), "line-through");
    let done = "getComputedStyle(document.querySelector('li:has(> input:not([data-task]))')).textDecorationLine";
    assert_eq!(cdp.eval(done), "none");
}

/// VitePress's marked lines (```` ```python{2} ````) get a band across the
/// whole block, without moving a line or changing the text that is copied.
#[test]
fn marked_code_lines_are_a_band_across_the_block() {
    let Some(bin) = chromium() else {
        return;
    };
    let block = "a = 1\nb = 2\nc = 3\n```\n";
    let note = format!("# 标记\n\n```python{{2}}\n{block}\n```python\n{block}");
    let dir = common::site_with([("标记.md", note)]);
    let port = serve(common::build(dir.path()), "/");
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/{}/", common::enc("标记")) }),
    );
    cdp.wait_for(
        "document.readyState === 'complete' && document.querySelectorAll('.code-block').length === 2",
    );
    let band = "(() => {
        const pre = document.querySelector('.content pre');
        const marks = pre.querySelectorAll('.code-mark');
        const m = marks[0].getBoundingClientRect(), p = pre.getBoundingClientRect();
        const border = parseFloat(getComputedStyle(pre).borderLeftWidth);
        return marks.length === 1 && marks[0].textContent === 'b = 2'
            && Math.abs(m.left - (p.left + border)) < 1 && Math.abs(m.right - (p.right - border)) < 1;
    })()";
    assert_eq!(cdp.eval(band), true);
    let same = "(() => {
        const [a, b] = document.querySelectorAll('.content pre');
        return a.getBoundingClientRect().height === b.getBoundingClientRect().height
            && a.textContent === b.textContent;
    })()";
    assert_eq!(cdp.eval(same), true);
}
