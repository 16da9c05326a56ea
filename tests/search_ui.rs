//! The search box and results page in headless Chromium: `static/search.js`
//! loads only when the reader reaches for search (focus, `/`, Ctrl-K) or on
//! the results page, nothing typed meanwhile is lost, and the box is a
//! combobox whose chosen option is the input's active descendant.

mod common;

use common::browser::{chromium, serve, Cdp};

/// How many times the page fetched search.js, and whether it is running.
const LOADED: &str = "JSON.stringify([performance.getEntriesByType('resource')\
    .filter(e => e.name.endsWith('/static/search.js')).length, \
    document.querySelectorAll('script[src$=\"static/search.js\"]').length, !!window.BijiSearch])";

fn open_fresh(cdp: &mut Cdp, url: &str) {
    cdp.call("Page.navigate", serde_json::json!({ "url": url }));
    cdp.wait_for(&format!(
        "location.href === {url:?} && document.readyState === 'complete'"
    ));
}

#[test]
fn search_js_loads_on_first_use_and_the_box_is_a_combobox() {
    let Some(bin) = chromium() else { return };
    let site = common::site("search-precision");
    let out = common::build(site.path());
    let port = serve(out, "/");
    let origin = format!("http://127.0.0.1:{port}");
    let note = format!("{origin}/{}/", common::enc("列表元素"));
    let (_browser, mut cdp) = Cdp::open(&bin, &site.path().join("profile"), "about:blank", true);
    // Focus events as in a window the reader is using.
    cdp.call(
        "Emulation.setFocusEmulationEnabled",
        serde_json::json!({ "enabled": true }),
    );

    // A note page loads no search.js until the box is focused.
    open_fresh(&mut cdp, &note);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(cdp.eval(LOADED), "[0,0,false]");
    let input = cdp.eval(
        "(i => [i.type, i.getAttribute('role'), i.getAttribute('aria-autocomplete'), \
          document.getElementById(i.getAttribute('aria-controls')).getAttribute('role')].join(' '))\
         (document.getElementById('search-input'))",
    );
    assert_eq!(input, "text combobox list listbox");
    cdp.eval("document.getElementById('search-input').focus()");
    cdp.wait_for("!!window.BijiSearch");
    cdp.call(
        "Input.insertText",
        serde_json::json!({ "text": "中的一个" }),
    );
    cdp.wait_for("document.querySelectorAll('#search-listbox .search-hit').length === 2");
    assert_eq!(cdp.eval(LOADED), "[1,1,true]");

    // The key hints, and the chosen option as the input's active descendant.
    let hints = cdp.eval("document.querySelector('#search-dropdown .search-keys').textContent");
    assert_eq!(hints, "↑↓ 选择 ↵ 打开 esc 关闭");
    for id in ["search-opt-0", "search-opt-1"] {
        cdp.key("ArrowDown", "ArrowDown", 40, "", 0);
        let chosen = cdp.eval(
            "JSON.stringify([document.getElementById('search-input').getAttribute('aria-activedescendant'), \
              Array.from(document.querySelectorAll('#search-listbox [aria-selected=true]')).map(o => o.id), \
              getComputedStyle(document.querySelector('[aria-selected=true]')).boxShadow.includes('inset')])",
        );
        assert_eq!(chosen, format!(r#"["{id}",["{id}"],true]"#));
    }

    // Esc closes the list, then clears the box.
    cdp.key("Escape", "Escape", 27, "", 0);
    let state = "(i => [i.value, i.getAttribute('aria-expanded'), \
                 document.getElementById('search-dropdown').hidden].join(' '))\
                 (document.getElementById('search-input'))";
    assert_eq!(cdp.eval(state), "中的一个 false true");
    cdp.key("Escape", "Escape", 27, "", 0);
    assert_eq!(cdp.eval(state), " false true");

    // `/` and Ctrl-K focus the box (no `/` typed) and load the script.
    for (key, code, vk, text, modifiers) in [("/", "Slash", 191, "/", 0), ("k", "KeyK", 75, "", 2)]
    {
        open_fresh(&mut cdp, &note);
        assert_eq!(cdp.eval(LOADED), "[0,0,false]");
        cdp.key(key, code, vk, text, modifiers);
        assert_eq!(cdp.eval("document.activeElement.id"), "search-input");
        cdp.wait_for("!!window.BijiSearch");
        assert_eq!(
            cdp.eval("document.getElementById('search-input').value"),
            ""
        );
        assert_eq!(cdp.eval(LOADED), "[1,1,true]");
    }

    // What was typed before the script arrived is searched when it does.
    open_fresh(&mut cdp, &note);
    cdp.eval(
        "(i => { i.focus(); i.value = '中的一个'; })(document.getElementById('search-input'))",
    );
    cdp.wait_for("document.querySelectorAll('#search-listbox .search-hit').length === 2");

    // The results page loads it at once; its results are a plain list of
    // links, under its one search box.
    open_fresh(
        &mut cdp,
        &format!("{origin}/search/?q={}", common::enc("中的一个")),
    );
    cdp.wait_for("document.querySelectorAll('.search-page-results li').length === 2");
    let page = cdp.eval(
        "JSON.stringify([document.querySelectorAll('[role=option], [role=listbox]').length, \
          document.querySelectorAll('[role=search]').length, !!document.getElementById('search-input')])",
    );
    assert_eq!(page, "[0,1,false]");
    assert_eq!(cdp.eval(LOADED), "[1,1,true]");
}

/// What the box does with a space typed after a word, ↑ from no option,
/// a site rebuilt under an open page, and a results page whose first
/// candidates all match only in part.
#[test]
fn the_box_reads_a_trailing_space_and_survives_a_rebuild() {
    let Some(bin) = chromium() else { return };
    // 40 notes with 僵尸, 尸进 and 进程 often, apart, rank above the one
    // note that has 僵尸进程 whole, once.
    let apart = "# 分开 {}\n\n".to_string() + &"僵尸很多。尸进来了。进程很多。".repeat(20);
    let mut notes: Vec<(String, String)> = (0..40)
        .map(|i| (format!("p{i}.md"), apart.replace("{}", &i.to_string())))
        .collect();
    notes.push((
        "whole.md".into(),
        "# 整体\n\n段落一。\n\n最后提到一次僵尸进程。\n".into(),
    ));
    notes.push((
        "lang.md".into(),
        "# 语言\n\n只提到 golang 和 google 两个词。\n".into(),
    ));
    notes.push(("go.md".into(), "# 本身\n\ngo 本身。\n".into()));
    notes.push(("math.md".into(), "# 公式\n\n$n^2$ 里的 n 是个数。\n".into()));
    let site = common::site_with(notes);
    let out = common::build(site.path());
    let port = serve(out, "/");
    let origin = format!("http://127.0.0.1:{port}");
    let (_browser, mut cdp) = Cdp::open(&bin, &site.path().join("profile"), "about:blank", true);
    cdp.call(
        "Emulation.setFocusEmulationEnabled",
        serde_json::json!({ "enabled": true }),
    );
    open_fresh(&mut cdp, &format!("{origin}/go/"));
    cdp.eval("document.getElementById('search-input').focus()");
    cdp.wait_for("!!window.BijiSearch");
    // `go ` was typed whole: not golang's note.
    cdp.call("Input.insertText", serde_json::json!({ "text": "go " }));
    cdp.wait_for("document.querySelectorAll('#search-listbox .search-hit').length > 0");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let titles = "Array.from(document.querySelectorAll('#search-listbox .search-hit-title')).map(t => t.textContent).join()";
    assert_eq!(cdp.eval(titles), "本身");
    // ↑ from no option is the last one.
    cdp.key("ArrowUp", "ArrowUp", 38, "", 0);
    let active = "document.getElementById('search-input').getAttribute('aria-activedescendant')";
    assert_eq!(cdp.eval(active), "search-opt-all");

    // The site is built again with a new note; the open page finds it.
    std::fs::write(
        site.path().join("notes/new.md"),
        "# 新笔记\n\n这是新鲜词汇。\n",
    )
    .unwrap();
    common::build(site.path());
    // The page reads the index's list of files again after 5 s.
    std::thread::sleep(std::time::Duration::from_millis(5500));
    cdp.eval("(i => { i.value = ''; })(document.getElementById('search-input'))");
    cdp.call(
        "Input.insertText",
        serde_json::json!({ "text": "新鲜词汇" }),
    );
    cdp.wait_for(&format!("{titles} === '新笔记'"));

    // An opened result marks the words, not the formula's letters (search
    // does not index formulas).
    let url = format!("{origin}/math/?highlight=n");
    cdp.call("Page.navigate", serde_json::json!({ "url": url }));
    cdp.wait_for(
        "location.pathname === '/math/' && document.querySelectorAll('.content mark').length > 0",
    );
    let marks = "JSON.stringify([document.querySelectorAll('.content mark').length, \
                 document.querySelectorAll('math mark').length])";
    assert_eq!(cdp.eval(marks), "[1,0]");

    // The exact note shows without a click on 显示更多, and no "about 0".
    open_fresh(
        &mut cdp,
        &format!("{origin}/search/?q={}", common::enc("僵尸进程")),
    );
    cdp.wait_for(
        "document.querySelectorAll('.search-page-results:not(.search-partial) li').length === 1",
    );
    let status = cdp.eval("document.getElementById('search-status').textContent");
    assert!(!status.to_string().contains("约 0"), "{status}");
    let first =
        cdp.eval("document.querySelector('.search-page-results .search-hit-title').textContent");
    assert_eq!(first, "整体");
}
