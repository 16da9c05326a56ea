//! The default theme's markup, valid and accessible: named heading anchors,
//! a note's tags, the sidebar's folder glyphs, readable topic counts, the
//! theme button's state (in headless Chromium), a meta description on every
//! page.

mod common;

use common::browser::{chromium, serve, Cdp};

#[test]
fn heading_anchors_are_links_named_in_the_site_language() {
    let dir = common::site_with([("a.md", "# 标题\n\n## 进程 & 线程\n\n正文。\n")]);
    let page = common::read(&common::build(dir.path()), "a/index.html");
    // A focusable link must not be hidden from screen readers: it is named
    // for the heading it leads to instead; its id and href are GitHub's.
    assert!(
        page.contains(
            "<h2 id=\"进程--线程\">进程 &amp; 线程<a class=\"anchor\" href=\"#进程--线程\" \
             aria-label=\"链接到本节：进程 &amp; 线程\">#</a></h2>"
        ),
        "{page}"
    );
    assert!(!page.contains("aria-hidden=\"true\">#</a>"), "{page}");
    std::fs::write(dir.path().join("biji.yaml"), "language: en\n").unwrap();
    let page = common::read(&common::build(dir.path()), "a/index.html");
    assert!(
        page.contains("aria-label=\"Link to this section: 进程 &amp; 线程\">#</a>"),
        "{page}"
    );
}

#[test]
fn a_notes_tags_are_a_list_in_a_block() {
    let dir = common::site_with([("进程.md", "---\ntags: [并发]\n---\n# 进程\n\n正文。\n")]);
    let page = common::read(&common::build(dir.path()), "进程/index.html");
    // A list may not sit in a <span>.
    assert!(
        page.contains("<div class=\"meta-item meta-tags\"><span class=\"meta-label\">标签</span>"),
        "{page}"
    );
    assert!(!page.contains("<span class=\"meta-item meta-tags\">"));
}

#[test]
fn sidebar_folders_show_a_glyph_not_a_toggle() {
    let dir = common::site_with([("os/进程.md", "# 进程\n"), ("go/协程.md", "# 协程\n")]);
    let page = common::read(&common::build(dir.path()), "os/进程/index.html");
    // The sidebar's folders link to their pages: a folder glyph (open for this
    // page's folder), not a ▸/▾ that promises to fold them.
    assert!(!page.contains('▸') && !page.contains('▾'), "{page}");
    let glyph = |html: &str, folder: &str| {
        let a = html.find(&format!("<a href=\"/{folder}/\"")).unwrap();
        let svg = &html[a..a + html[a..].find("</a>").unwrap()];
        assert!(
            svg.contains("<svg class=\"nav-icon\" aria-hidden=\"true\""),
            "{svg}"
        );
        svg.contains("v2M")
    };
    assert!(glyph(&page, "os"), "open");
    assert!(!glyph(&page, "go"), "closed");
}

/// `#rrggbb` variable `name` as the CSS block starting at `selector` sets it.
fn colour(css: &str, selector: &str, name: &str) -> [f64; 3] {
    let block = &css[css.find(selector).unwrap_or_else(|| panic!("{selector}"))..];
    let at = block.find(&format!("{name}: #")).unwrap() + name.len() + 3;
    let hex = &block[at..at + 6];
    [0, 2, 4].map(|i| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0)
}

/// WCAG contrast ratio of two sRGB colours.
fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let lum = |c: [f64; 3]| {
        let l = c.map(|v| {
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn topic_counts_are_readable_in_light_and_dark() {
    let dir = common::site_with([("a.md", "# A\n")]);
    let css = common::read(&common::build(dir.path()), "static/style.css");
    let rule = &css[css.find(".tag-count {").unwrap()..];
    let rule = &rule[..rule.find('}').unwrap()];
    // A count is --muted on its tag's --accent-soft, not faded.
    assert!(
        rule.contains("color: var(--muted)") && !rule.contains("opacity"),
        "{rule}"
    );
    for selector in [
        ":root {",
        ":root:not([data-theme=\"light\"]) {",
        ":root[data-theme=\"dark\"] {",
    ] {
        let ratio = contrast(
            colour(&css, selector, "--muted"),
            colour(&css, selector, "--accent-soft"),
        );
        assert!(ratio >= 4.5, "{selector} {ratio:.2}");
    }
}

#[test]
fn the_theme_button_says_whether_dark_is_on() {
    let Some(bin) = chromium() else { return };
    let dir = common::site_with([("a.md", "# A\n\n正文。\n")]);
    let out = common::build(dir.path());
    let page = common::read(&out, "a/index.html");
    // Without JavaScript the button does nothing, and claims no state.
    assert!(
        page.contains("id=\"theme-toggle\" type=\"button\" aria-label=\"深色主题\""),
        "{page}"
    );
    assert!(!page.contains("aria-pressed"));
    let port = serve(out, "/");
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    let scheme = |cdp: &mut Cdp, value: &str| {
        cdp.call(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": value }] }),
        );
    };
    scheme(&mut cdp, "dark");
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/a/") }),
    );
    let pressed = "document.readyState === 'complete' && \
                   document.getElementById('theme-toggle').getAttribute('aria-pressed')";
    // Dark from the system is dark: pressed.
    assert_eq!(cdp.wait_for(pressed), "true");
    cdp.eval("document.getElementById('theme-toggle').click(); true");
    assert_eq!(cdp.eval(pressed), "false");
    assert_eq!(cdp.eval("document.documentElement.dataset.theme"), "light");
    cdp.eval("document.getElementById('theme-toggle').click(); true");
    assert_eq!(cdp.eval(pressed), "true");
    // With no choice saved, the state follows the system's as it changes.
    cdp.eval("localStorage.removeItem('biji-theme'); delete document.documentElement.dataset.theme; true");
    scheme(&mut cdp, "light");
    cdp.wait_for(&format!("({pressed}) === 'false'"));
    scheme(&mut cdp, "dark");
    cdp.wait_for(&format!("({pressed}) === 'true'"));
}

/// The content of the page's one meta description.
fn description(html: &str) -> &str {
    const OPEN: &str = "<meta name=\"description\" content=\"";
    assert_eq!(html.matches(OPEN).count(), 1, "{html}");
    let at = html.find(OPEN).unwrap() + OPEN.len();
    &html[at..at + html[at..].find('"').unwrap()]
}

#[test]
fn every_page_has_a_meta_description() {
    let long = "很长的一段话没有句号".repeat(20);
    let dir = common::site_with([
        (
            "os/README.md",
            "# 操作系统\n\n进程与线程的笔记。更多内容。\n".to_string(),
        ),
        (
            "os/进程.md",
            "---\ndescription: 进程是资源分配的单位\n---\n# 进程\n\n第一段。\n".into(),
        ),
        (
            "os/线程.md",
            "# 线程\n\n## 概念\n\n```\ncode\n```\n\n| a |\n|---|\n| b |\n\n\
             线程是 CPU 调度的\n基本单位, v1.2 起. 它共享进程的资源。\n"
                .into(),
        ),
        (
            "go/协程.md",
            format!("---\ntags: [并发]\n---\n# 协程\n\n{long}\n"),
        ),
        ("符号.md", "# 符号\n\nA < B & \"C\" 成立！后文。\n".into()),
    ]);
    std::fs::write(dir.path().join("biji.yaml"), "title: 测试笔记\n").unwrap();
    let out = common::build(dir.path());
    let page = |rel: &str| common::read(&out, rel);
    // A note's front matter, else its first sentence: not a heading, code or
    // table; whitespace collapsed, cut near 120 characters, escaped.
    assert_eq!(
        description(&page("os/进程/index.html")),
        "进程是资源分配的单位"
    );
    assert_eq!(
        description(&page("os/线程/index.html")),
        "线程是 CPU 调度的 基本单位, v1.2 起."
    );
    let cut = format!("{}…", long.chars().take(120).collect::<String>());
    assert_eq!(description(&page("go/协程/index.html")), cut);
    assert_eq!(
        description(&page("符号/index.html")),
        "A &lt; B &amp; &quot;C&quot; 成立！"
    );
    // Without a site description, the other pages say what they list (the
    // topics are 并发 and the folders go and os).
    assert_eq!(
        description(&page("index.html")),
        "测试笔记：5 篇笔记，3 个主题"
    );
    assert_eq!(description(&page("os/index.html")), "进程与线程的笔记。");
    assert_eq!(description(&page("go/index.html")), "go：1 篇笔记");
    assert_eq!(
        description(&page("topics/并发/index.html")),
        "主题“并发”：1 篇笔记"
    );
    assert!(description(&page("topics/index.html")).contains("全部 3 个主题"));
    assert!(description(&page("index/index.html")).contains("标题索引"));
    assert_eq!(description(&page("404.html")), "测试笔记：页面不存在");
    // What a shared link to an index page previews as: the page, not only the site.
    let og = |html: &str| html.contains("<meta property=\"og:title\" content=\"主题\">");
    assert!(og(&page("topics/index.html")));
    assert_eq!(description(&page("search/index.html")), "在测试笔记中搜索");
    // With one, they use it; a note keeps its own.
    std::fs::write(
        dir.path().join("biji.yaml"),
        "title: 测试笔记\ndescription: 操作系统与并发\n",
    )
    .unwrap();
    let out = common::build(dir.path());
    for rel in [
        "index.html",
        "topics/index.html",
        "index/index.html",
        "404.html",
    ] {
        assert_eq!(
            description(&common::read(&out, rel)),
            "操作系统与并发",
            "{rel}"
        );
    }
    assert_eq!(
        description(&common::read(&out, "os/进程/index.html")),
        "进程是资源分配的单位"
    );
}

/// `language` is a language tag in any letter case: the page's `lang` is
/// it as BCP 47 writes it, the theme's words are Chinese for any `zh`
/// (Traditional for Taiwan, Hong Kong, Macau and `Hant`) and English else, and Traditional Chinese and Japanese pages get their own
/// fonts (their forms of the same characters differ), in headless Chromium.
#[test]
fn language_tags_set_the_pages_lang_words_and_fonts() {
    let dir = common::site_with([("a.md", "# 標題\n\n直骨今。\n")]);
    let yaml = dir.path().join("biji.yaml");
    let mut fonts = Vec::new();
    for (written, tag, word) in [
        ("zh-tw", "zh-TW", "回到頂端"),
        ("ja", "ja", "Back to top"),
        ("EN-us", "en-US", "Back to top"),
    ] {
        std::fs::write(&yaml, format!("language: {written}\n")).unwrap();
        let out = common::build(dir.path());
        let page = common::read(&out, "a/index.html");
        assert!(
            page.contains(&format!("<html lang=\"{tag}\">")),
            "{written}: {page}"
        );
        assert!(page.contains(word), "{written}: {word}");
        let Some(bin) = chromium() else {
            continue;
        };
        let url = format!("http://127.0.0.1:{}/a/", serve(out, "/"));
        let profile = tempfile::tempdir().unwrap();
        let (_b, mut cdp) = Cdp::open(&bin, profile.path(), "about:blank", true);
        cdp.call("Page.navigate", serde_json::json!({ "url": url }));
        cdp.wait_for(&format!(
            "location.href === {url:?} && document.readyState === 'complete'"
        ));
        let family = cdp.eval("getComputedStyle(document.body).fontFamily");
        fonts.push(family.as_str().unwrap_or_default().to_string());
    }
    if let [tw, ja, en] = fonts.as_slice() {
        assert!(
            tw.contains("PingFang TC") && !tw.contains("PingFang SC"),
            "{tw}"
        );
        assert!(
            ja.contains("Hiragino Sans") && !ja.contains("PingFang SC"),
            "{ja}"
        );
        assert!(en.contains("PingFang SC"), "{en}");
    }
    std::fs::write(&yaml, "language: chinese\n").unwrap();
    let err = common::build_error(dir.path());
    assert!(
        err.contains("biji.yaml:1: language `chinese` is no language tag"),
        "{err}"
    );
}

/// Counts take the singular in English ("1 note", not "1 notes"), in the
/// stats lines, folder cards, descriptions and the search page's status;
/// Traditional Chinese pages say their words (callouts, the inline table of
/// contents) in Traditional characters.
#[test]
fn counts_of_one_are_singular_and_traditional_chinese_is_traditional() {
    let dir = common::site_with([
        ("a.md", "---\ntags: [x]\n---\n# Intro\n\n## Only\n"),
        ("go/chan.md", "# Chan\n"),
    ]);
    std::fs::write(dir.path().join("biji.yaml"), "language: en\n").unwrap();
    let out = common::build(dir.path());
    let home = common::read(&out, "index.html");
    assert!(home.contains("2 notes · 1 folder</p>"), "{home}");
    assert!(
        home.contains("<span class=\"folder-count\">1 note</span>"),
        "{home}"
    );
    let go = common::read(&out, "go/index.html");
    assert!(go.contains("<p class=\"stats\">1 note</p>"), "{go}");
    assert!(go.contains("content=\"go: 1 note\""), "{go}");
    let topic = common::read(&out, "topics/x/index.html");
    assert!(
        topic.contains("content=\"1 note on the topic x\""),
        "{topic}"
    );
    let search = common::read(&out, "search/index.html");
    assert!(
        search.contains("data-count-one=\"1 note found\""),
        "{search}"
    );

    std::fs::write(dir.path().join("biji.yaml"), "language: zh-Hant\n").unwrap();
    std::fs::write(
        dir.path().join("notes/a.md"),
        "# 簡介\n\n> [!faq]\n> 內容\n\n[TOC]\n\n## 一\n\n## 二\n",
    )
    .unwrap();
    let out = common::build(dir.path());
    let page = common::read(&out, "a/index.html");
    assert!(
        page.contains("<p class=\"callout-title\">問題</p>"),
        "{page}"
    );
    assert!(page.contains("aria-label=\"目錄\""), "{page}");
    assert!(page.contains("placeholder=\"搜尋筆記…\""), "{page}");
    assert!(common::read(&out, "go/index.html").contains("1 篇筆記"));
}
