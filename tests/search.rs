//! Search: the browser tokenizer agrees with the Rust one; the index lives
//! under the base path; a headless Chromium finds a Chinese query typed into
//! the header box; `search: false` removes it all. Recall and ranking over the
//! bundled notes are in `search_recall.rs`.
//!
//! Needs `node`; the browser test needs Debian's `chromium` (set
//! BIJI_SKIP_BROWSER=1 to skip only that test where it cannot be installed).

// Tests print their figures (recall, coverage, seeds) for the CI log.
#![allow(clippy::print_stdout)]

mod common;

use biji::{BuildOptions, Highlighter};
use common::browser::{chromium, chromium_command, serve, Cdp};
use common::copy_dir;
use common::search::{build, fixture, gunzip, inflate, manifest, node};
use serde_json::Value;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- tokenizer

#[test]
fn js_tokenizer_gives_the_same_tokens_as_rust() {
    let mut strings: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(fixture("tokens.json")).unwrap()).unwrap();
    // Plus every line of the bundled notes: real Chinese, code and English.
    for entry in walkdir::WalkDir::new(manifest().join("notes")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            strings.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string),
            );
        }
    }
    assert!(strings.len() > 1000, "only {} strings", strings.len());
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("strings.json");
    std::fs::write(&list, serde_json::to_string(&strings).unwrap()).unwrap();
    // The theme's search.js, as a build joins it from static/search/*.js.
    let script = dir.path().join("search.js");
    std::fs::write(&script, biji::testing::theme_search_script()).unwrap();
    let js = node(&[&fixture("tokens.js"), &script, &list]);
    let js: Vec<&str> = js.lines().collect();
    assert_eq!(js.len(), strings.len(), "node printed one line per string");
    let mut bad = Vec::new();
    for (s, js_line) in strings.iter().zip(&js) {
        let rust: Vec<String> = biji::testing::tokenize(s)
            .into_iter()
            .map(|t| format!("{}:{}", t.kind.name(), t.text))
            .collect();
        let js_tokens: Vec<String> = serde_json::from_str(js_line).unwrap();
        if rust != js_tokens {
            bad.push(format!("{s:?}\n  rust: {rust:?}\n  js:   {js_tokens:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} strings differ:\n{}",
        bad.len(),
        strings.len(),
        bad[..bad.len().min(10)].join("\n")
    );
}

// ---------------------------------------------------------------- site output

/// A site's own part of `search.js` replaces the theme's part of that name;
/// a site's own whole `static/search.js` replaces the joined script.
#[test]
fn a_sites_own_search_script_or_part_wins() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("site"), &root);
    let parts = root.join("static/search");
    std::fs::create_dir_all(&parts).unwrap();
    std::fs::write(
        parts.join("4-ui.js"),
        "  /* my own ui */\n})(globalThis);\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&root, &out, None);
    let js = std::fs::read_to_string(out.join("static/search.js")).unwrap();
    assert!(js.ends_with("  /* my own ui */\n})(globalThis);\n"), "{js}");
    assert!(
        js.contains("function tokenize("),
        "the theme's other parts stay"
    );
    assert!(!out.join("static/search/4-ui.js").exists());

    std::fs::write(root.join("static/search.js"), "/* whole */\n").unwrap();
    let out = dir.path().join("out2");
    build(&root, &out, None);
    assert_eq!(
        std::fs::read_to_string(out.join("static/search.js")).unwrap(),
        "/* whole */\n"
    );
}

#[test]
fn index_lives_under_the_base_path_and_search_false_turns_it_off() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("site"), &root);
    let out = dir.path().join("out");
    build(&root, &out, None);
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("search/meta.json")).unwrap())
            .unwrap();
    assert_eq!(meta["docs"], 3);
    let json = |rel: String| -> Value { serde_json::from_str(&gunzip(&out.join(rel))).unwrap() };
    // meta.json names directories; they name the chunks and shards.
    let ddir = json(format!(
        "search/d/{}.gz",
        meta["ddirs"][0].as_str().unwrap()
    ));
    let docs = json(format!("search/d/{}.gz", ddir[0].as_str().unwrap()));
    // A chunk names each note's text file, which starts with the note's
    // title and link.
    let texts: Vec<Value> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|name| json(format!("search/s/{}.gz", name.as_str().unwrap())))
        .collect();
    let urls: Vec<&str> = texts.iter().map(|t| t[1].as_str().unwrap()).collect();
    assert!(urls.iter().all(|u| u.starts_with("/sub/")), "{urls:?}");
    // Each note's text in a file of its own: its sections with the heading
    // ids of the page.
    let zombie = texts.iter().find(|t| t[0] == "僵尸进程排查").unwrap();
    let sections = &zombie[2];
    assert_eq!(sections[1][0], "什么是僵尸进程");
    assert_eq!(sections[1][1], "什么是僵尸进程");
    assert!(
        sections[1][2]
            .as_str()
            .unwrap()
            .starts_with("子进程退出后，父进程没有调用 wait() 读取"),
        "{sections}"
    );
    let page = std::fs::read_to_string(out.join("os/僵尸进程排查/index.html")).unwrap();
    assert!(page.contains(r#"id="什么是僵尸进程""#));
    assert!(
        meta.to_string().len() < 400,
        "meta.json stays small: {meta}"
    );
    let tdir = json(format!(
        "search/t/{}.gz",
        meta["tdirs"][0][1].as_str().unwrap()
    ));
    assert_eq!(tdir["first"][0], meta["tdirs"][0][0]);
    for f in tdir["files"].as_array().unwrap() {
        let shard = gunzip(&out.join(format!("search/t/{}.gz", f.as_str().unwrap())));
        assert!(shard.lines().all(|l| l.split('\t').count() == 2), "{shard}");
    }
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    // search.js loads on demand (biji.js), from the address the page names.
    assert!(
        home.contains(r#"data-search-js="/sub/static/search.js""#)
            && !home.contains(r#"<script defer src="/sub/static/search.js""#),
        "{home}"
    );
    assert!(home.contains(r#"action="/sub/search/""#));
    assert!(home.contains(r#"data-base="/sub/""#));
    let page = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    assert!(page.contains(r#"id="search-page-results""#));
    // One script joined from the theme's parts; the parts are not copied.
    assert_eq!(
        std::fs::read(out.join("static/search.js")).unwrap(),
        biji::testing::theme_search_script()
    );
    assert!(!out.join("static/search").exists());

    // A second build with the same notes writes the same file names (cacheable).
    let out2 = dir.path().join("out2");
    build(&root, &out2, None);
    assert_eq!(
        std::fs::read_to_string(out2.join("search/meta.json")).unwrap(),
        std::fs::read_to_string(out.join("search/meta.json")).unwrap()
    );

    std::fs::write(
        root.join("biji.yaml"),
        "title: 搜索测试\nbase_url: /sub/\nsearch: false\n",
    )
    .unwrap();
    let off = dir.path().join("off");
    build(&root, &off, None);
    assert!(!off.join("search").exists());
    let home = std::fs::read_to_string(off.join("index.html")).unwrap();
    assert!(
        !home.contains("search.js") && !home.contains(r#"role="search""#),
        "{home}"
    );

    std::fs::write(root.join("biji.yaml"), "search: maybe\n").unwrap();
    let err = biji::build(
        &BuildOptions {
            root: root.clone(),
            output: Some(dir.path().join("bad")),
            ..Default::default()
        },
        &Highlighter::new(),
    )
    .unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("biji.yaml:1"), "{msg}");
}

// ---------------------------------------------------------------- browser

/// Waits for a child with a deadline, killing it when the deadline passes, and
/// returns what it wrote to `out` (a file: Chromium's helper processes keep a
/// pipe open after the browser exits).
fn wait_output(mut child: std::process::Child, out: &Path, limit: Duration) -> String {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn chromium_finds_a_chinese_query_typed_into_the_box() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("site"), &root);
    // Korean is shorter in UTF-8 than in GB18030: its text file stays UTF-8.
    std::fs::write(
        root.join("notes/가상메모리.md"),
        "# 가상 메모리\n\n가상 메모리는 프로세스마다 주소 공간을 준다.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&root, &out, None);
    assert_eq!(text_files_in_utf8(&out), 1);
    let port = serve(out, "/sub/");
    let origin = format!("http://127.0.0.1:{port}");

    // 1. A shared link: search/?q=... opens with results.
    let results_page = |query: &str, profile: &str| {
        let q = percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC);
        let dump = dir.path().join(format!("{profile}.html"));
        let child = chromium_command(&bin, &dir.path().join(profile))
            .args(["--virtual-time-budget=15000", "--dump-dom"])
            .arg(format!("{origin}/sub/search/?q={q}"))
            .stdout(std::fs::File::create(&dump).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let dom = wait_output(child, &dump, Duration::from_secs(90));
        let list = dom
            .split(r#"id="search-page-results">"#)
            .nth(1)
            .and_then(|s| s.split("</ol>").next())
            .unwrap_or_else(|| panic!("no results list in:\n{dom}"))
            .to_string();
        (dom, list)
    };
    let (dom, list) = results_page("僵尸进程", "profile1");
    assert!(list.contains("僵尸进程排查"), "{list}");
    assert!(list.contains("<mark>僵尸进程</mark>"), "{list}");
    assert!(!list.contains("协程与 gevent"), "{list}");
    assert!(dom.contains("找到 1 篇笔记"), "{dom}");
    let (_, list) = results_page("주소 공간", "profile-ko");
    assert!(list.contains("<mark>주소</mark>"), "{list}");
    assert!(list.contains("<mark>공간</mark>"), "{list}");

    // 2. Typing into the header box on the home page, over DevTools.
    let profile = dir.path().join("profile2");
    let (_browser, mut cdp) = Cdp::open(&bin, &profile, "about:blank", true);
    type_and_follow(&mut cdp, &origin);
}

/// How many of the text files (`search/s/`) are UTF-8 (after a byte order
/// mark) rather than GB18030.
fn text_files_in_utf8(out: &Path) -> usize {
    std::fs::read_dir(out.join("search/s"))
        .unwrap()
        .filter(|e| inflate(&e.as_ref().unwrap().path()).starts_with(b"\xEF\xBB\xBF"))
        .count()
}

fn type_and_follow(cdp: &mut Cdp, origin: &str) {
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{origin}/sub/") }),
    );
    cdp.wait_for("document.readyState === 'complete' && !!document.getElementById('search-input')");

    // `/` focuses the box (and is not typed into it); the query typed at once,
    // while search.js is still on its way, is run when it arrives.
    cdp.key("/", "Slash", 191, "/", 0);
    assert_eq!(cdp.eval("document.activeElement.id"), "search-input");
    assert_eq!(
        cdp.eval("document.getElementById('search-input').value"),
        ""
    );
    cdp.call(
        "Input.insertText",
        serde_json::json!({ "text": "僵尸进程" }),
    );
    cdp.wait_for("document.querySelectorAll('#search-dropdown .search-hit').length > 0");
    let hits = cdp.eval(
        "JSON.stringify(Array.from(document.querySelectorAll('#search-dropdown .search-hit')).map(a => \
         ({title: a.querySelector('.search-hit-title').textContent, href: a.getAttribute('href'), \
           heading: (a.querySelector('.search-hit-heading') || {}).textContent || '', html: a.innerHTML})))",
    );
    let hits: Value = serde_json::from_str(hits.as_str().unwrap()).unwrap();
    let first = &hits[0];
    assert_eq!(first["title"], "僵尸进程排查", "{hits}");
    let href = percent_encoding::percent_decode_str(first["href"].as_str().unwrap())
        .decode_utf8_lossy()
        .into_owned();
    // The hit opens its section and asks the page to mark the query.
    assert_eq!(
        href, "/sub/os/僵尸进程排查/?highlight=僵尸进程#什么是僵尸进程",
        "{hits}"
    );
    assert_eq!(first["heading"], "什么是僵尸进程");
    assert!(
        first["html"]
            .as_str()
            .unwrap()
            .contains("<mark>僵尸进程</mark>"),
        "{hits}"
    );
    assert_eq!(
        cdp.eval("document.getElementById('search-input').getAttribute('aria-expanded')"),
        "true"
    );

    // Arrow down selects the first hit, Enter opens it at the heading.
    cdp.key("ArrowDown", "ArrowDown", 40, "", 0);
    assert_eq!(
        cdp.eval("document.getElementById('search-input').getAttribute('aria-activedescendant')"),
        "search-opt-0"
    );
    cdp.key("Enter", "Enter", 13, "\r", 0);
    let loc = cdp.wait_for("location.pathname.includes('%E5%83%B5') && !location.search && decodeURIComponent(location.pathname + location.hash)");
    // The page marks the query's words; the address no longer carries it.
    assert_eq!(loc, "/sub/os/僵尸进程排查/#什么是僵尸进程");
    let marks = cdp.wait_for(
        "document.querySelectorAll('.content mark.search-highlight').length > 0 && \
         Array.from(document.querySelectorAll('.content mark.search-highlight')).map(m => m.textContent).join('|')",
    );
    assert!(
        marks.as_str().unwrap().split('|').all(|m| m == "僵尸进程"),
        "{marks}"
    );

    // Ctrl-K focuses the box on the note page too; a mixed query finds two notes.
    cdp.wait_for("document.readyState === 'complete' && !!window.BijiSearch");
    cdp.key("k", "KeyK", 75, "", 2);
    assert_eq!(cdp.eval("document.activeElement.id"), "search-input");
    cdp.call("Input.insertText", serde_json::json!({ "text": "GIL" }));
    let titles = cdp.wait_for(
        "Array.from(document.querySelectorAll('#search-dropdown .search-hit-title')).map(t => t.textContent).sort().join('|')",
    );
    assert_eq!(titles, "协程与 gevent|进程与线程");

    // The results page shows its "show more" button only while there is more.
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{origin}/sub/search/?q=GIL") }),
    );
    cdp.wait_for("document.querySelectorAll('#search-page-results li').length === 2");
    assert_eq!(
        cdp.eval("getComputedStyle(document.getElementById('search-more')).display"),
        "none"
    );
}
