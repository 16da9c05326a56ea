//! The default theme with long names and marked code, in headless Chromium:
//! nothing scrolls sideways, the heading index keeps its titles readable
//! beside a long heading, code on a marked line stays at 4.5:1, and line
//! numbers stay beside their lines.

mod common;

use common::browser::{chromium, serve, Cdp};

const FOLDER: &str = "超长文件夹名称用来测试面包屑导航在窄屏上是否能够正确换行而不会溢出页面宽度";
const TITLE: &str =
    "这是一个非常非常长的中文标题用来测试在三百二十像素宽的手机屏幕上标题能否正确换行而不溢出";
const LONG_TAG: &str = "a_very_long_tag_name_without_spaces_that_goes_on_and_on_forever";
const IDENT: &str =
    "AVeryLongEnglishIdentifierWithoutAnySpacesInsideAHeading_socket_setsockopt_SO_REUSEADDR";

/// A site with a long folder name, a long Chinese title, an identifier as a
/// heading and a marked line of code, open in Chromium.
fn open_site() -> Option<(common::browser::Browser, Cdp, String, tempfile::TempDir)> {
    let bin = chromium()?;
    let row = "| 进程调度 | https://example.com/a/very/long/path/that/never/breaks/anywhere/at/all.html | 很长的单元格内容 | `AVeryLongIdentifierWithoutSpaces_socket_setsockopt` | 备注 | 张三 | 完成 | 非常好的资料 |\n";
    let note = format!(
        "---\ntags: [{LONG_TAG}]\n---\n# {TITLE}\n\n## {IDENT}\n\n正文。\n\n## 为什么 Python 的多线程在 CPU 密集型任务中无法提升性能而多进程却可以\n\n\
         ```js{{2}}\nconst a = 1;\nconst b = \"marked line\";\nlet c = a + b; // sum\n```\n\n\
         ```python:line-numbers {{2}} [tools/很长的文件名.py]\ndef f(x):\n    return x * 2  # {IDENT}{IDENT}\nprint(f(3))\n```\n\n\
         | 名称 | 链接 | 说明 | 标识符 | 备注 | 作者 | 状态 | 评价 |\n|---|---|---|---|---|---|---|---|\n{row}{row}\n\
         | 位 | 7 | 6 | 5 | 4 | 3 | 2 | 1 | 0 | 8 | 9 | A | B | C | D | E |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n\
         | 值 | 0 | 1 | 0 | 1 | 0 | 1 | 0 | 1 | 0 | 1 | 0 | 1 | 0 | 1 | 0 |\n"
    );
    let dir = common::site_with([(format!("{FOLDER}/长.md"), note)]);
    let port = serve(common::build(dir.path()), "/");
    let (browser, cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    Some((browser, cdp, format!("http://127.0.0.1:{port}"), dir))
}

fn show(cdp: &mut Cdp, url: &str, width: u32) {
    cdp.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 800 }),
    );
    cdp.call("Page.navigate", serde_json::json!({ "url": url }));
    cdp.wait_for(&format!(
        "location.href === {url:?} && document.readyState === 'complete'"
    ));
}

const SIDEWAYS: &str =
    "document.documentElement.scrollWidth - document.documentElement.clientWidth";

#[test]
fn long_names_wrap_and_the_heading_index_keeps_its_titles_readable() {
    let Some((_browser, mut cdp, origin, _dir)) = open_site() else {
        return;
    };
    let note = format!("/{}/{}/", common::enc(FOLDER), common::enc("长"));
    for width in [320, 375, 1024, 1440] {
        // The heading index last: its titles are measured below.
        for page in ["/", "/topics/", note.as_str(), "/index/"] {
            show(&mut cdp, &format!("{origin}{page}"), width);
            assert_eq!(
                cdp.eval(SIDEWAYS),
                0,
                "{page} at {width} px scrolls sideways"
            );
        }
        // Beside a long heading, a note's title keeps most of the row: it
        // was squeezed to one character a line.
        if width >= 1024 {
            let narrowest = "Math.min(...[...document.querySelectorAll('.index-entries dd')]
                .map(d => d.getBoundingClientRect().width / d.parentNode.getBoundingClientRect().width))";
            let share = cdp.eval(narrowest).as_f64().unwrap();
            assert!(
                share > 0.5,
                "a title is {share:.2} of its row at {width} px"
            );
        }
    }
}

#[test]
fn code_on_a_marked_line_stays_readable_in_both_schemes() {
    let Some((_browser, mut cdp, origin, _dir)) = open_site() else {
        return;
    };
    let url = format!("{origin}/{}/{}/", common::enc(FOLDER), common::enc("长"));
    show(&mut cdp, &url, 1024);
    // The lowest contrast of a token on the marked line against its fill.
    let lowest = "(() => {
        const rgb = c => { const n = c.match(/[\\d.]+/g).map(Number);
            return c.startsWith('color(') ? n.slice(0, 3).map(v => v * 255) : n.slice(0, 3); };
        const lum = c => { const f = x => (x /= 255) <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
            const [r, g, b] = rgb(c).map(f); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const mark = document.querySelector('.code-mark');
        const bg = lum(getComputedStyle(mark).backgroundColor);
        const spans = [...mark.querySelectorAll('span')].filter(s => s.textContent.trim());
        if (spans.length < 3) return 'only ' + spans.length + ' tokens';
        return Math.min(...spans.map(s => { const l = lum(getComputedStyle(s).color);
            return (Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05); }));
    })()";
    for (scheme, theme) in [
        ("light", ""),
        ("dark", ""),
        ("light", "dark"),
        ("dark", "light"),
    ] {
        cdp.call(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        cdp.eval(&format!(
            "document.documentElement.dataset.theme = '{theme}'; \
             if (!'{theme}') delete document.documentElement.dataset.theme; true"
        ));
        let r = cdp.eval(lowest);
        assert!(
            r.as_f64().is_some_and(|r| r >= 4.5),
            "{scheme} {theme}: {r}"
        );
    }
}

/// A wide table with a long URL and identifier: no column is squeezed to a
/// character a line (it fits a wide screen; on a phone each column keeps
/// about three characters, and the table scrolls), and where it scrolls it
/// can be reached by keyboard, as code can. A table of narrow columns
/// still fits a wide screen.
#[test]
fn a_wide_table_keeps_its_columns_readable_and_scrolls_by_keyboard() {
    let Some((_browser, mut cdp, origin, _dir)) = open_site() else {
        return;
    };
    let url = format!("{origin}/{}/{}/", common::enc(FOLDER), common::enc("长"));
    // The wide table's narrowest and widest columns, whether it scrolls and
    // can be focused, and whether the narrow table (16 one-digit columns)
    // scrolls. On a wide screen both fit and the URL no longer takes the
    // row (it took 600 px, the Chinese columns 42); on a phone each column
    // keeps about three characters and the tables scroll.
    let probe = "(() => { const [t, bits] = document.querySelectorAll('.content table');
        const w = [...t.rows[1].cells].map(c => c.getBoundingClientRect().width);
        return [Math.min(...w), Math.max(...w), t.scrollWidth > t.clientWidth,
            t.getAttribute('tabindex'), bits.scrollWidth > bits.clientWidth].join(' '); })()";
    for (width, narrowest, scrolls, bits) in
        [(1440, 0.0, "false", "false"), (375, 70.0, "true", "true")]
    {
        show(&mut cdp, &url, width);
        let r = cdp.eval(probe);
        let r = r.as_str().unwrap();
        let parts: Vec<&str> = r.split(' ').collect();
        let px = |i: usize| parts[i].parse::<f64>().unwrap();
        assert!(px(0) >= narrowest && px(1) <= 260.0, "at {width} px: {r}");
        let focusable = if scrolls == "true" { "0" } else { "" };
        assert_eq!(
            &parts[2..],
            [scrolls, focusable, bits],
            "at {width} px: {r}"
        );
    }
}

/// A site title of ordinary length on a phone: the title gives way (cut
/// with an ellipsis), never the search box, which covered the theme button
/// (untappable) or pushed the page sideways.
#[test]
fn a_long_site_title_leaves_the_header_buttons_tappable() {
    let Some(bin) = chromium() else {
        return;
    };
    let mut sites = Vec::new();
    for title in [
        "张三的后端学习笔记本",
        "Backend Engineering Notes by Zhang San",
    ] {
        let dir = common::site_with([("a.md", "# A\n\n正文。\n")]);
        std::fs::write(dir.path().join("biji.yaml"), format!("title: {title}\n")).unwrap();
        let port = serve(common::build(dir.path()), "/");
        sites.push((title, port, dir));
    }
    let (_browser, mut cdp) = Cdp::open(
        &bin,
        &sites[0].2.path().join("profile"),
        "about:blank",
        true,
    );
    // Which element a tap at each button's centre reaches, and how far the
    // search box runs past the theme button's left edge.
    let probe = "(() => {
        const hit = b => { const r = b.getBoundingClientRect();
            return b.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); };
        const toggle = document.querySelector('.theme-toggle');
        const input = document.querySelector('.search-input');
        return [hit(toggle), hit(document.querySelector('.nav-toggle')),
            input.getBoundingClientRect().right - toggle.getBoundingClientRect().left].join(' ');
    })()";
    for (title, port, _) in &sites {
        for width in [320, 360, 375, 414] {
            show(&mut cdp, &format!("http://127.0.0.1:{port}/a/"), width);
            assert_eq!(
                cdp.eval(SIDEWAYS),
                0,
                "{title} at {width} px scrolls sideways"
            );
            let r = cdp.eval(probe);
            let r = r.as_str().unwrap();
            let parts: Vec<&str> = r.split(' ').collect();
            assert_eq!(&parts[..2], ["true", "true"], "{title} at {width} px: {r}");
            assert!(
                parts[2].parse::<f64>().unwrap() <= 0.0,
                "{title} at {width} px: {r}"
            );
        }
    }
}

/// Without JavaScript the theme button, which could do nothing, is not
/// shown (the colours follow the system's); with it, it is.
#[test]
fn the_theme_button_shows_only_where_it_works() {
    let Some((_browser, mut cdp, origin, _dir)) = open_site() else {
        return;
    };
    let shown = "getComputedStyle(document.querySelector('.theme-toggle')).display";
    show(&mut cdp, &format!("{origin}/"), 1024);
    assert_ne!(cdp.eval(shown), "none");
    cdp.call(
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({ "value": true }),
    );
    show(&mut cdp, &format!("{origin}/topics/"), 1024);
    cdp.call(
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({ "value": false }),
    );
    assert_eq!(cdp.eval(shown), "none");
}

/// Line numbers sit on their lines (the column is as tall as the code and
/// starts where it does), stay in view when the code scrolls sideways, and
/// the block's title sits right above it, on a phone and a wide screen.
#[test]
fn line_numbers_stay_beside_their_lines() {
    let Some((_browser, mut cdp, origin, _dir)) = open_site() else {
        return;
    };
    let url = format!("{origin}/{}/{}/", common::enc(FOLDER), common::enc("长"));
    for width in [375, 1024] {
        show(&mut cdp, &url, width);
        let at = "(() => {
            const pre = document.querySelector('pre.has-lines');
            const n = pre.querySelector('.line-numbers').getBoundingClientRect();
            const c = pre.querySelector('code').getBoundingClientRect();
            const t = pre.closest('figure').querySelector('.code-title').getBoundingClientRect();
            const before = n.left - pre.getBoundingClientRect().left;
            pre.scrollLeft = 200;
            const scrolled = pre.scrollLeft;
            const after = pre.querySelector('.line-numbers').getBoundingClientRect().left
                - pre.getBoundingClientRect().left;
            pre.scrollLeft = 0;
            return [n.top - c.top, n.height - c.height, before - after, scrolled > 0,
                    Math.abs(t.bottom - pre.getBoundingClientRect().top) < 2].join(' ');
        })()";
        assert_eq!(cdp.eval(at), "0 0 0 true true", "at {width} px");
        assert_eq!(cdp.eval(SIDEWAYS), 0, "at {width} px");
    }
}
