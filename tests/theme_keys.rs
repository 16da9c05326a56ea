//! The default theme by keyboard, in headless Chromium: the phone menu keeps
//! focus where the reader can see it, and the search box never shows one
//! option as chosen while Enter would open another.

mod common;

use common::browser::{chromium, serve, Cdp};

const TAB: (&str, &str, u32) = ("Tab", "Tab", 9);
const SHIFT: u32 = 8;

fn tab(cdp: &mut Cdp, modifiers: u32) {
    cdp.key(TAB.0, TAB.1, TAB.2, "", modifiers);
}

/// Where focus is: the element's id or text, and whether it is drawn on top
/// at its centre (not covered by the open menu).
const FOCUS: &str = "(() => {
    const e = document.activeElement, b = e.getBoundingClientRect();
    const top = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    const seen = !!top && (e === top || e.contains(top) || top.contains(e));
    return (e.id || e.textContent.trim()) + (seen ? '' : ' (hidden)');
})()";

#[test]
fn the_phone_menu_keeps_tab_inside_and_gives_focus_back_to_its_button() {
    let Some(bin) = chromium() else { return };
    let dir = common::site_with([
        (
            "a/一.md",
            "---\ntags: [标签]\n---\n# 一\n\n[链接](https://example.com)\n",
        ),
        ("b/二.md", "# 二\n"),
    ]);
    let port = serve(common::build(dir.path()), "/");
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    cdp.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 375, "height": 700, "deviceScaleFactor": 1, "mobile": true }),
    );
    let url = format!("http://127.0.0.1:{port}/a/{}/", common::enc("一"));
    cdp.call("Page.navigate", serde_json::json!({ "url": url }));
    cdp.wait_for(
        "document.readyState === 'complete' && !!document.querySelector('.code-block, .note')",
    );
    cdp.eval("document.getElementById('nav-toggle').focus(); true");
    cdp.key("Enter", "Enter", 13, "\r", 0);
    cdp.wait_for("document.documentElement.classList.contains('nav-open')");

    // Past the menu's last entry Tab comes back to the menu button, never
    // to the page's links under the menu; Shift-Tab goes round the other way.
    let links = cdp.eval("document.querySelectorAll('#site-nav a').length");
    let stops = links.as_u64().unwrap() + 4;
    let mut seen = Vec::new();
    for _ in 0..stops {
        tab(&mut cdp, 0);
        seen.push(cdp.eval(FOCUS).as_str().unwrap().to_string());
    }
    assert!(seen.iter().all(|s| !s.contains("(hidden)")), "{seen:?}");
    assert!(seen.iter().any(|s| s == "nav-toggle"), "{seen:?}");
    assert_eq!(
        cdp.eval("document.activeElement.closest('.main, .site-footer')"),
        serde_json::Value::Null
    );
    cdp.eval("document.getElementById('nav-toggle').focus(); true");
    tab(&mut cdp, SHIFT);
    assert_eq!(
        cdp.eval("document.activeElement === [...document.querySelectorAll('#site-nav a')].pop()"),
        true
    );
    // The page under the open menu is out of reach of Tab and screen readers.
    assert_eq!(cdp.eval("document.getElementById('main').inert"), true);

    // Escape closes it and focus goes back to the button; the page is live again.
    cdp.key("Escape", "Escape", 27, "", 0);
    let state = "[document.getElementById('nav-toggle').getAttribute('aria-expanded'), \
                 document.activeElement.id, String(document.getElementById('main').inert)].join()";
    assert_eq!(cdp.eval(state), "false,nav-toggle,false");

    // Focus sent out of the open menu by other means closes it.
    cdp.key("Enter", "Enter", 13, "\r", 0);
    cdp.wait_for("document.documentElement.classList.contains('nav-open')");
    cdp.eval("document.getElementById('main').inert = false; document.getElementById('main').focus(); true");
    assert_eq!(
        cdp.eval("document.documentElement.classList.contains('nav-open')"),
        false
    );
}

#[test]
fn the_search_box_reopens_with_no_stale_choice() {
    let Some(bin) = chromium() else { return };
    let notes: Vec<(String, String)> = (0..4)
        .map(|k| {
            (
                format!("n{k}.md"),
                format!("# 协程{k}\n\n协程的第{k}篇。\n"),
            )
        })
        .collect();
    let dir = common::site_with(notes);
    let port = serve(common::build(dir.path()), "/");
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    cdp.call(
        "Emulation.setFocusEmulationEnabled",
        serde_json::json!({ "enabled": true }),
    );
    let url = format!("http://127.0.0.1:{port}/n0/");
    cdp.call("Page.navigate", serde_json::json!({ "url": url }));
    cdp.wait_for("document.readyState === 'complete'");
    cdp.key("/", "Slash", 191, "/", 0);
    cdp.wait_for("!!window.BijiSearch");
    cdp.call("Input.insertText", serde_json::json!({ "text": "协程" }));
    cdp.wait_for("document.querySelectorAll('#search-listbox .search-hit').length >= 3");
    let down = |cdp: &mut Cdp| cdp.key("ArrowDown", "ArrowDown", 40, "", 0);
    for _ in 0..3 {
        down(&mut cdp);
    }
    // What is drawn as chosen and what Enter would open, as the input says.
    let chosen = "JSON.stringify([document.getElementById('search-input').getAttribute('aria-activedescendant'), \
        [...document.querySelectorAll('#search-listbox [role=option]')] \
          .filter(o => o.getAttribute('aria-selected') === 'true' || getComputedStyle(o).boxShadow !== 'none') \
          .map(o => o.id)])";
    assert_eq!(cdp.eval(chosen), r#"["search-opt-2",["search-opt-2"]]"#);
    cdp.key("Escape", "Escape", 27, "", 0);
    assert_eq!(cdp.eval(chosen), "[null,[]]");
    // ArrowDown reopens the list with nothing chosen; the next one chooses the first.
    down(&mut cdp);
    assert_eq!(
        cdp.eval("document.getElementById('search-dropdown').hidden"),
        false
    );
    assert_eq!(cdp.eval(chosen), "[null,[]]");
    down(&mut cdp);
    assert_eq!(cdp.eval(chosen), r#"["search-opt-0",["search-opt-0"]]"#);
}
