//! Typora's `==mark==`, `^sup^` and `~sub~` wherever a note's text is shown
//! away from its paragraph: the table of contents, heading anchors, the
//! title taken from the first heading, summaries, backlink sentences and
//! callout titles show what the reader sees on the page, not the delimiters;
//! a formula there shows its TeX.

mod common;

#[test]
fn marks_and_scripts_leave_no_delimiters_in_titles_tocs_and_summaries() {
    let a = "# ==重点==笔记\n\n第一段有 ==高亮== 和 x^2^。\n\n## 这是==重点==内容\n\n## 水 H~2~O\n\n## a == b\n\n## 高亮(== ==)\n";
    let b = "# B\n\n参见 ==重要== 的 [[a]] 一文。\n";
    let dir = common::site_with([("a.md", a), ("b.md", b)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "a/index.html");
    for part in [
        "<title>重点笔记",
        "<h2 id=\"这是重点内容\">这是<mark>重点</mark>内容",
        "<a href=\"#这是重点内容\">这是重点内容</a>",
        "aria-label=\"链接到本节：这是重点内容\"",
        // Ids are still taken from the heading as written, as GitHub takes them.
        "<h2 id=\"水-h2o\">水 H<sub>2</sub>O",
        "<a href=\"#水-h2o\">水 H2O</a>",
        // `==` between spaces is no mark, anywhere.
        "<a href=\"#a--b\">a == b</a>",
        // Nor is a pair around nothing but a space.
        "高亮(== ==)<a class=\"anchor\"",
        "<a href=\"#高亮-\">高亮(== ==)</a>",
        "<meta name=\"description\" content=\"第一段有 高亮 和 x2。\">",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    assert!(html.contains("参见 重要 的 "), "backlink sentence\n{html}");
    assert!(!html.contains("==重"), "{html}");
}

#[test]
fn callout_titles_read_marks_emoji_and_urls_as_text_does() {
    let note = "# C\n\n> [!tip] 提示 ==重要== :smile: 见 https://a.com\n> 内容\n\n> [!note]\n> 默认标题\n\n> [!warning] **粗** 后 ==亮==\n> 体\n\n> [!tip]- 折叠 ==未闭合\n> 体\n";
    let dir = common::site_with([("c.md", note)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "c/index.html");
    for part in [
        "<p class=\"callout-title\">提示 <mark>重要</mark> 😄 见 <a href=\"https://a.com\">https://a.com</a></p>",
        "<p class=\"callout-title\">注意</p>",
        "<p class=\"callout-title\"><strong>粗</strong> 后 <mark>亮</mark></p>",
        // A mark left open ends with the title, as `==` text.
        "<summary class=\"callout-title\">折叠 ==未闭合</summary>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    let text = common::search::all_text(&out);
    // Each title once, as shown (the default one too).
    assert_eq!(text.matches("提示 重要").count(), 1, "{text}");
    assert!(
        text.contains("提示 重要 😄 见 https://a.com 内容 注意 默认标题 粗 后 亮 体"),
        "{text}"
    );
}

/// An `==` with no partner in its block is text on the page (`用==比较`),
/// and so everywhere else the text is shown.
#[test]
fn a_lone_double_equals_stays_wherever_the_text_is_shown() {
    let a = "# ==和is的区别\n\nPython 中用==比较值，用 is 比较身份。\n\n## 用法 ==y\n";
    let b = "# 引用\n\n在 Python 里用==比较，详见 [[a]] 这篇 ==亮== 后。\n";
    let dir = common::site_with([("a.md", a), ("b.md", b)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "a/index.html");
    for part in [
        "<title>==和is的区别",
        "<meta name=\"description\" content=\"Python 中用==比较值，用 is 比较身份。\">",
        "aria-label=\"链接到本节：用法 ==y\"",
        // Paired in order, as the page pairs them: the first two, then one left.
        "在 Python 里用比较，详见 a 这篇 亮== 后。",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    let page = common::read(&out, "b/index.html");
    assert!(
        page.contains("用<mark>比较，详见 <a href=\"/a/\">a</a> 这篇 </mark>亮== 后。"),
        "{page}"
    );
}

/// A callout's title is its first line, also when the line ends in a hard
/// break (two spaces, a backslash) or is only spaces after the type.
#[test]
fn a_callout_title_ends_with_its_line_after_a_hard_break() {
    let note = "# C\n\n> [!tip] 标题  \n> 内容一\n\n> [!note]\\\n> 内容二\n\n> [!warning]      \n> 内容三\n";
    let dir = common::site_with([("c.md", note)]);
    let html = common::read(&common::build(dir.path()), "c/index.html");
    for (title, body) in [("标题", "内容一"), ("注意", "内容二"), ("警告", "内容三")]
    {
        let part = format!(
            "<p class=\"callout-title\">{title}</p>\n<div class=\"callout-content\">\n<p>{body}</p>"
        );
        assert!(html.contains(&part), "{part}\n{html}");
    }
}

/// A link in a callout's title: its backlink sentence starts with the
/// title's text, not with the `[!tip]` marker (`!` ended a sentence there).
#[test]
fn a_backlink_from_a_callout_title_leaves_out_the_marker() {
    let a = "# A\n\n> [!tip] 提示 见 [[b]] 的说明\n> 内容\n";
    let dir = common::site_with([("a.md", a), ("b.md", "# B\n\n正文\n")]);
    let html = common::read(&common::build(dir.path()), "b/index.html");
    assert!(html.contains("提示 见 b 的说明 内容"), "{html}");
    assert!(!html.contains("tip]"), "{html}");
}

/// A formula in a heading or a paragraph: the title, the table of contents,
/// the description and search show its TeX (plain text can show no more),
/// and the heading's id is GitHub's, from the formula as written, so that an
/// Obsidian link naming the heading finds it.
#[test]
fn formulas_are_shown_as_tex_wherever_the_text_is_plain() {
    let a = "# 复杂度 $O(n^2)$ 分析\n\n设 $f(x) = x^2$，则 $f'(x) = 2x$。\n\n## 排序 $O(n\\log n)$ 的证明\n\n内容。\n\n## 价格 $5 到 $6\n";
    let b = "# B\n\n见 [[a#排序 $O(n\\log n)$ 的证明]] 与 [证明](a.md#排序-onlog-n-的证明)。\n";
    let dir = common::site_with([("a.md", a), ("b.md", b)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "a/index.html");
    for part in [
        "<title>复杂度 O(n^2) 分析",
        "<h1 id=\"复杂度-on2-分析\">复杂度 <math>",
        "<a href=\"#排序-onlog-n-的证明\">排序 O(n\\log n) 的证明</a>",
        "aria-label=\"链接到本节：排序 O(n\\log n) 的证明\"",
        "<meta name=\"description\" content=\"设 f(x) = x^2，则 f&#39;(x) = 2x。\">",
        // Dollars that are no formula are text, in the heading as elsewhere.
        "<a href=\"#价格-5-到-6\">价格 $5 到 $6</a>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    let b = common::read(&out, "b/index.html");
    let target = "/a/#%E6%8E%92%E5%BA%8F-onlog-n-%E7%9A%84%E8%AF%81%E6%98%8E";
    assert_eq!(b.matches(target).count(), 2, "{b}");
    let text = common::search::all_text(&out);
    // (JSON doubles the backslash.)
    assert!(text.contains(r"排序 O(n\\log n) 的证明"), "{text}");
}

/// A bare URL with `~` in it (a user's home on a university server) is one
/// link, on the page and in the search text; `H~2~O` beside it is still a
/// subscript.
#[test]
fn a_tilde_in_a_bare_url_is_part_of_it() {
    let note = "# T\n\n主页 https://cs.example.edu/~alice/~notes 与 H~2~O。\n";
    let dir = common::site_with([("t.md", note)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "t/index.html");
    assert!(
        html.contains("<a href=\"https://cs.example.edu/~alice/~notes\">https://cs.example.edu/~alice/~notes</a> 与 H<sub>2</sub>O。"),
        "{html}"
    );
}
