//! Notes as Typora and Obsidian users write them (`tests/fixtures/editors`):
//! math, diagrams, marks, callouts, comments, embeds, block ids, aliases,
//! assets folders and the paths those editors leave behind, checked item by
//! item in the built pages.

mod common;

/// Builds the fixture with the binary, so warnings on stderr can be checked too.
fn built() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = common::site("editors");
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    let out = dir.path().join("public");
    (dir, out, err)
}

#[test]
fn typora_note_renders_math_marks_toc_and_images() {
    let (_dir, out, err) = built();
    let html = common::read(&out, "typora/index.html");
    // Math: inline, display, a ```math fence; dollar amounts stay text.
    assert!(html.contains("质能方程 <math><mi>E</mi>"), "{html}");
    assert_eq!(
        html.matches("<math display=\"block\">").count(),
        3,
        "{html}"
    );
    assert!(html.contains("价格从 $5 涨到 $10。"), "{html}");
    // A formula the converter cannot read: its TeX as code, and one warning.
    assert!(html.contains("<code class=\"math-error\">\\unknowncommand{x}</code>"));
    assert_eq!(
        err.matches("this formula cannot be shown as math").count(),
        1,
        "{err}"
    );
    assert!(err.contains("notes/typora.md:19: "), "{err}");
    // Mermaid: a diagram the browser draws, no "cannot highlight" warning.
    assert!(html.contains("<div class=\"diagram\"><pre class=\"mermaid-src\"><code class=\"language-mermaid\">graph TD\n  A[开始] --&gt; B{是否登录}"));
    assert!(!err.contains("mermaid"), "{err}");
    assert!(
        html.contains("static/diagrams.js\" data-mermaid="),
        "script on a page with a diagram"
    );
    assert!(!common::read(&out, "plain/index.html").contains("diagrams.js"));
    // [TOC] where it stands, without the title; marks, scripts, strike.
    assert!(html.contains("<nav class=\"toc-inline\" aria-label=\"目录\">\n<ul>\n<li><a href=\"#%E5%85%AC%E5%BC%8F\">公式</a></li>"), "{html}");
    assert!(!html.contains("[TOC]"));
    assert!(html.contains(
        "<mark>重点内容</mark>，水是 H<sub>2</sub>O，面积是 x<sup>2</sup>，<del>删除</del>"
    ));
    // An empty link target links to the page itself, as on GitHub.
    assert!(html.contains("<a href=\"\">编程之美 3.6</a>"), "{html}");
    // Typora's assets folders, Markdown and raw HTML images alike.
    assert!(html.contains("<img src=\"/typora.assets/image-20240301.png\" alt=\"截图\""));
    assert!(html.contains(
        "<div align=\"center\"><img loading=\"lazy\" src=\"/typora.assets/image-20240301.png\" width=\"300\"></div>"
    ));
    assert!(html.contains("<img src=\"/assets/shared.png\" alt=\"共享\""));
    assert!(out.join("typora.assets/image-20240301.png").is_file());
    // Paths on the author's disk: a warning each, with file and line.
    assert!(err.contains("notes/typora.md:57:1: `C:\\Users\\me\\Pictures\\a.png` is a file on the author's own disk"), "{err}");
    assert!(
        err.contains("notes/typora.md:59:11: `/Users/me/Desktop/b.png`"),
        "{err}"
    );
}

#[test]
fn obsidian_callouts_comments_embeds_and_block_ids() {
    let (_dir, out, _err) = built();
    let html = common::read(&out, "obsidian/vault-note/index.html");
    assert!(html.contains("<div class=\"callout\" data-callout=\"tip\">\n<p class=\"callout-title\">自定义标题</p>\n<div class=\"callout-content\">\n<p>提示的内容。</p>\n</div>\n</div>"), "{html}");
    assert!(html.contains("<details class=\"callout\" data-callout=\"note\">\n<summary class=\"callout-title\">注意</summary>"));
    assert!(html.contains("<details class=\"callout\" data-callout=\"question\" open>\n<summary class=\"callout-title\">常见问题</summary>"));
    assert!(html.contains("<p class=\"callout-title\">警告</p>"));
    assert!(html.contains("<blockquote>\n<p>普通引用。</p>\n</blockquote>"));
    // %%comments%% are gone from the page and from search.
    assert!(html.contains("这一句有注释，结束。"), "{html}");
    let search = common::search::all_text(&out);
    for secret in ["不会出现的秘密", "整段注释"] {
        assert!(
            !html.contains(secret) && !search.contains(secret),
            "{secret}"
        );
    }
    // A block id becomes the paragraph's anchor; links reach it.
    assert!(
        html.contains("<p id=\"^block-1\">可以被引用的一段话。</p>"),
        "{html}"
    );
    let links = common::read(&out, "links/index.html");
    assert!(
        links.contains("href=\"/obsidian/vault-note/#%5Eblock-1\""),
        "{links}"
    );
    // Aliases resolve wikilinks; tags written `#obsidian` and nested.
    for label in ["仓库笔记", "Vault"] {
        let link = format!("<a href=\"/obsidian/vault-note/\">{label}</a>");
        assert!(links.contains(&link), "{links}");
    }
    assert!(html.contains("href=\"/topics/obsidian/\""), "{html}");
    assert!(html.contains("href=\"/topics/lang-python/\""), "{html}");
}

#[test]
fn embeds_show_the_note_or_its_section_once_in_search() {
    let (_dir, out, _err) = built();
    let html = common::read(&out, "obsidian/vault-note/index.html");
    let embeds: Vec<&str> = html.split("<div class=\"embed\">").skip(1).collect();
    assert_eq!(embeds.len(), 2, "{html}");
    let src = "<p class=\"embed-source\"><a href=\"/obsidian/%E8%A2%AB%E5%B5%8C%E5%85%A5/";
    assert!(embeds.iter().all(|e| e.contains(src)), "{html}");
    assert!(embeds[0].contains("甲乙丙") && embeds[0].contains("丁戊己"));
    // `![[note#第二节]]` is that section only, its heading without an id.
    let second = embeds[1].split("</div>").next().unwrap();
    assert!(
        second.contains("<h2>第二节</h2>") && second.contains("丁戊己"),
        "{second}"
    );
    assert!(!second.contains("甲乙丙"), "{second}");
    // Searched once, in its own note; the embedding note shows as a backlink.
    assert_eq!(
        common::search::all_text(&out)
            .matches("第一节的独特文字甲乙丙")
            .count(),
        1
    );
    let embedded = common::read(&out, "obsidian/被嵌入/index.html");
    assert!(
        embedded.contains("href=\"/obsidian/vault-note/\""),
        "backlink"
    );
}

#[test]
fn notes_that_embed_each_others_blocks_build_and_a_real_circle_is_a_link() {
    // Blocks of each other (no circle on either page), a note's own block,
    // and two notes that embed each other whole (a circle).
    let dir = common::site_with([
        ("a.md", "# A\n\n段落甲 ^pa\n\n![[b#^pb]]\n"),
        ("b.md", "# B\n\n段落乙 ^pb\n\n![[a#^pa]]\n"),
        ("c.md", "# C\n\n自己的话 ^c1\n\n![[c#^c1]]\n"),
        ("d.md", "# D\n\n丁的正文\n\n![[e]]\n"),
        ("e.md", "# E\n\n戊的正文\n\n![[d]]\n"),
    ]);
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    let out = dir.path().join("public");
    let a = common::read(&out, "a/index.html");
    assert!(
        a.contains(
            "<p class=\"embed-source\"><a href=\"/b/#%5Epb\">B</a></p>\n<p>段落乙</p></div>"
        ),
        "{a}"
    );
    assert!(!a.contains("embed-cycle"), "{a}");
    let c = common::read(&out, "c/index.html");
    // Once with its id, and once shown without it (ids are the page's own).
    assert_eq!(c.matches("<p id=\"^c1\">自己的话</p>").count(), 1, "{c}");
    assert_eq!(c.matches("<p>自己的话</p>").count(), 1, "{c}");
    // d shows e, and e's embed of d (the page itself) is a link to it.
    let d = common::read(&out, "d/index.html");
    assert_eq!(d.matches("<p>丁的正文</p>").count(), 1, "{d}");
    assert_eq!(d.matches("<p>戊的正文</p>").count(), 1, "{d}");
    assert!(d.contains("<div class=\"embed embed-cycle\">\n<p class=\"embed-source\"><a href=\"/d/\">D</a></p>\n</div>"), "{d}");
    for n in ["d", "e"] {
        assert!(
            err.contains(&format!("notes/{n}.md: notes embed each other in a circle")),
            "{err}"
        );
    }
    for n in ["a", "b", "c"] {
        assert!(!err.contains(&format!("notes/{n}.md")), "{err}");
    }
}

#[test]
fn reading_time_counts_chinese_characters_and_edit_links_open_github() {
    let dir = common::site_with([
        ("长文.md", format!("# 长文\n\n{}\n", "汉".repeat(8000))),
        ("short.md", "# Short\n\nThree English words.\n".to_string()),
    ]);
    std::fs::write(
        dir.path().join("biji.yaml"),
        "repo_url: https://github.com/u/n/\n",
    )
    .unwrap();
    let out = common::build(dir.path());
    let long = common::read(&out, "长文/index.html");
    assert!(long.contains("8002 字"), "{long}");
    assert!(long.contains("约 21 分钟读完"), "{long}");
    assert!(long.contains("href=\"https://github.com/u/n/edit/main/notes/%E9%95%BF%E6%96%87.md\""));
    let short = common::read(&out, "short/index.html");
    assert!(short.contains("约 1 分钟读完"), "{short}");
    // A site in a folder of its repository: the edit link has the folder.
    let repo = tempfile::tempdir().unwrap();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(repo.path())
        .status();
    if !git.is_ok_and(|s| s.success()) {
        return; // No Git here: nothing to learn the folder from.
    }
    let site = repo.path().join("blog");
    common::copy_dir(dir.path(), &site);
    let out = common::build(&site);
    let short = common::read(&out, "short/index.html");
    assert!(
        short.contains("href=\"https://github.com/u/n/edit/main/blog/notes/short.md\""),
        "{short}"
    );
}

#[test]
fn each_extension_can_be_switched_off() {
    let dir = common::site_with([(
        "a.md",
        "# A\n\n$E=mc^2$ ==x== H~2~O %%c%%\n\n[TOC]\n\n> [!tip] t\n> b\n\n```mermaid\ngraph TD\n```\n\n![[b]]\n\n#tag\n",
    ), ("b.md", "# B\n\nEMBEDDED-TEXT\n")]);
    std::fs::write(
        dir.path().join("biji.yaml"),
        "markdown:\n  math: false\n  diagrams: false\n  highlight: false\n  sup_sub: false\n  toc: false\n  comments: false\n  callouts: false\n  embeds: false\n  inline_tags: true\n",
    )
    .unwrap();
    let out = common::build(dir.path());
    let html = common::read(&out, "a/index.html");
    assert!(html.contains("$E=mc^2$ ==x== H~2~O %%c%%"), "{html}");
    assert!(html.contains("<p>[TOC]</p>"), "{html}");
    assert!(html.contains("<blockquote>"), "{html}");
    assert!(!html.contains("class=\"diagram\"") && !html.contains("diagrams.js"));
    // An embed is a link; `#tag` in the text (switched on here) is a tag.
    assert!(html.contains("<p><a href=\"/b/\">B</a></p>"), "{html}");
    let body = html.split("<div class=\"content\">").nth(1).unwrap();
    assert!(!body
        .split("</div>")
        .next()
        .unwrap()
        .contains("EMBEDDED-TEXT"));
    assert!(html.contains("href=\"/topics/tag/\""), "{html}");
}

/// Bold and strikethrough beside Chinese punctuation, as Typora shows them
/// (CommonMark leaves the asterisks): in the page, its headings and TOC,
/// and search text; escaped asterisks stay; `markdown: cjk_emphasis: false`
/// gives CommonMark's reading.
#[test]
fn emphasis_beside_chinese_punctuation_is_shown_as_in_typora() {
    let note = "# 强调\n\n## **注意：**事项\n\n- **开源：**代码是公开的\n- 调用**`fork()`**之后，~~旧的。~~新的\n- \\*\\*转义：\\*\\*保留\n- **注意：**这是**重点**\n";
    let dir = common::site_with([("e.md", note)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "e/index.html");
    for part in [
        "<li><strong>开源：</strong>代码是公开的</li>",
        "<li>调用<strong><code>fork()</code></strong>之后，<del>旧的。</del>新的</li>",
        "<li>**转义：**保留</li>",
        "<strong>注意：</strong>事项<a class=\"anchor\"",
        // CommonMark pairs the middle runs: 注意：<strong>这是</strong>重点, all bold.
        "<li><strong>注意：</strong>这是<strong>重点</strong></li>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    let text = common::search::all_text(&out);
    assert!(text.contains("开源：代码是公开的"), "{text}");
    std::fs::write(
        dir.path().join("biji.yaml"),
        "markdown:\n  cjk_emphasis: false\n",
    )
    .unwrap();
    let html = common::read(&common::build(dir.path()), "e/index.html");
    assert!(html.contains("<li>**开源：**代码是公开的</li>"), "{html}");
}

/// Typora highlights a bold or linked phrase: `==**重点**==` (the `==`
/// touch the bold, not text), at a paragraph's start and end too.
#[test]
fn highlight_around_bold_or_links_is_a_highlight() {
    let note = "# 高亮\n\n==**重点**==\n\n==前**粗体**==\n\n看==[链接](https://a.com)==和==`代码`==\n\na == b 与 `x` == `y`\n";
    let dir = common::site_with([("h.md", note)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "h/index.html");
    for part in [
        "<p><mark><strong>重点</strong></mark></p>",
        "<p><mark>前<strong>粗体</strong></mark></p>",
        "看<mark><a href=\"https://a.com\">链接</a></mark>和<mark><code>代码</code></mark>",
        "<p>a == b 与 <code>x</code> == <code>y</code></p>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    let text = common::search::all_text(&out);
    assert!(
        text.contains("重点 前粗体 看链接和代码 a == b 与 x == y"),
        "{text}"
    );
}

/// Typora takes `^x^` and `~x~` only with no space inside: regex classes and
/// "about" tildes in prose stay text, across lines too.
#[test]
fn carets_and_tildes_in_prose_stay_text() {
    let note = "# 符号\n\n[^0-9] 匹配非数字，^ 表示行首\n\n正则 [^0-9] 匹配，面积是 x^2^\n\n内存 ~1GB\n峰值 2GB~\n\nH~2~O 与 ^上标^\n";
    let dir = common::site_with([("s.md", note)]);
    let html = common::read(&common::build(dir.path()), "s/index.html");
    for part in [
        "<p>[^0-9] 匹配非数字，^ 表示行首</p>",
        "<p>正则 [^0-9] 匹配，面积是 x<sup>2</sup></p>",
        "<p>内存 ~1GB<br />\n峰值 2GB~</p>",
        "<p>H<sub>2</sub>O 与 <sup>上标</sup></p>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
}

/// The parser reads emphasis beside Chinese punctuation from a copy of the
/// note with marks in it: messages still point at the author's line and column.
#[test]
fn messages_after_emphasis_beside_punctuation_keep_their_columns() {
    let note = "# 强调\n\n**注意：**这是**重点**，见[坏](nope.md)\n";
    let dir = common::site_with([("e.md", note)]);
    let o = common::biji(dir.path(), &["check"]);
    let err = common::stderr(&o);
    let line = "notes/e.md:3:18: broken link `nope.md`";
    assert!(err.contains(line), "{err}");
    // The same column as CommonMark's reading gives.
    std::fs::write(
        dir.path().join("biji.yaml"),
        "markdown:\n  cjk_emphasis: false\n",
    )
    .unwrap();
    let err = common::stderr(&common::biji(dir.path(), &["check"]));
    assert!(err.contains(line), "{err}");
}

/// A note written one point per line, as Typora and Obsidian show it.
const LINES: &str = "# 行\n\n要点如下：\n第一行\n**第二行**\nEnglish words\n\n- 列表\n  续行\n\n> [!tip] 提示\n> 甲\n> 乙\n";

#[test]
fn single_line_breaks_show_as_in_the_editor() {
    let dir = common::site_with([("行.md", LINES)]);
    let html = common::read(&common::build(dir.path()), "行/index.html");
    assert!(
        html.contains(
            "<p>要点如下：<br />\n第一行<br />\n<strong>第二行</strong><br />\nEnglish words</p>"
        ),
        "{html}"
    );
    assert!(html.contains("<li>列表<br />\n续行</li>"), "{html}");
    // The callout's first line is its title; its body keeps its lines.
    assert!(html.contains("<p>甲<br />\n乙</p>"), "{html}");
    assert!(
        html.contains(
            "<meta name=\"description\" content=\"要点如下： 第一行 第二行 English words\">"
        ),
        "{html}"
    );
}

#[test]
fn joined_lines_leave_no_gap_between_chinese_characters() {
    let dir = common::site_with([("行.md", LINES)]);
    std::fs::write(dir.path().join("biji.yaml"), "markdown:\n  breaks: false\n").unwrap();
    let html = common::read(&common::build(dir.path()), "行/index.html");
    assert!(
        html.contains("<p>要点如下：第一行<strong>第二行</strong>\nEnglish words</p>"),
        "{html}"
    );
    assert!(html.contains("<li>列表续行</li>"), "{html}");
    assert!(html.contains("<p>甲乙</p>"), "{html}");
    assert!(
        html.contains(
            "<meta name=\"description\" content=\"要点如下：第一行第二行 English words\">"
        ),
        "{html}"
    );
}

#[test]
fn emoji_shortcodes_become_emoji_outside_code() {
    let md =
        "# E\n\n完成 :white_check_mark: 注意:warning: 12:30:45 `:smile:`\n\n```\n:smile:\n```\n";
    let dir = common::site_with([("e.md", md)]);
    let html = common::read(&common::build(dir.path()), "e/index.html");
    assert!(
        html.contains("<p>完成 ✅ 注意⚠️ 12:30:45 <code>:smile:</code></p>"),
        "{html}"
    );
    assert!(html.contains("<code>:smile:\n</code>"), "{html}");
    std::fs::write(dir.path().join("biji.yaml"), "markdown:\n  emoji: false\n").unwrap();
    let html = common::read(&common::build(dir.path()), "e/index.html");
    assert!(
        html.contains("完成 :white_check_mark: 注意:warning:"),
        "{html}"
    );
}

#[test]
fn obsidian_image_sizes_set_width_and_height() {
    let dir = common::site_with([(
        "图.md",
        "# 图\n\n![[pic.png|300]]\n\n![[pic.png|架构|300x200]]\n\n![示意|120](pic.png)\n\n![a|b](pic.png)\n",
    )]);
    std::fs::write(dir.path().join("notes/pic.png"), b"png").unwrap();
    let html = common::read(&common::build(dir.path()), "图/index.html");
    for img in [
        r#"<img src="/pic.png" alt="pic.png" width="300" loading="lazy" />"#,
        r#"<img src="/pic.png" alt="架构" width="300" height="200" loading="lazy" />"#,
        r#"<img src="/pic.png" alt="示意" width="120" loading="lazy" />"#,
        // Not a size: the alt text stays whole.
        r#"<img src="/pic.png" alt="a|b" loading="lazy" />"#,
    ] {
        assert!(html.contains(img), "{img} in {html}");
    }
}

#[test]
fn videos_audio_and_pdfs_get_players_not_broken_images() {
    let dir = common::site_with([(
        "媒体.md",
        "# 媒体\n\n![[演示.mp4|640]]\n\n![录音](a.MP3)\n\n![[论文.pdf]]\n\n![远程](https://x.org/p.pdf)\n",
    )]);
    for f in ["演示.mp4", "a.MP3", "论文.pdf"] {
        std::fs::write(dir.path().join("notes").join(f), b"x").unwrap();
    }
    let out = common::build(dir.path());
    let html = common::read(&out, "媒体/index.html");
    let v = "/%E6%BC%94%E7%A4%BA.mp4";
    let p = "/%E8%AE%BA%E6%96%87.pdf";
    for tag in [
        format!(r#"<video src="{v}" controls preload="metadata" title="演示.mp4" width="640"><a href="{v}">演示.mp4</a></video>"#),
        r#"<audio src="/a.MP3" controls preload="metadata" title="录音"><a href="/a.MP3">录音</a></audio>"#.to_string(),
        format!(r#"<object class="pdf" data="{p}" type="application/pdf" title="论文.pdf"><a href="{p}">论文.pdf</a></object>"#),
        r#"<a href="https://x.org/p.pdf">远程</a>"#.to_string(),
    ] {
        assert!(html.contains(&tag), "{tag} in {html}");
    }
    assert!(!html.contains("<img"), "{html}");
    // `check` follows the players' files like any link.
    let o = common::biji(dir.path(), &["check"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    std::fs::remove_file(dir.path().join("notes/论文.pdf")).unwrap();
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let o = common::biji(dir.path(), &["check"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        common::stderr(&o)
    );
    // A missing file is a link marked broken (no empty player), reported.
    assert!(
        said.contains("broken link `论文.pdf`: no file named `论文.pdf`")
            && said.contains("broken href `%E8%AE%BA%E6%96%87.pdf`"),
        "{said}"
    );
}

/// The formulas study notes use (tests/fixtures/math/formulas.txt): all
/// become MathML (`\newcommand{\R}` too, though the converter has its own
/// `\R`); the malformed ones are errors.
#[test]
fn math_fixture_coverage() {
    let text = std::fs::read_to_string(common::fixture("math").join("formulas.txt")).unwrap();
    let mut c = biji::testing::Converter::new();
    let mut failed = Vec::new();
    let mut good = 0;
    for block in text.split("\n%%%\n") {
        let (head, tex) = block.split_once('\n').unwrap();
        let mut words = head.trim_start_matches("# ").split(' ');
        let (category, mode) = (words.next().unwrap(), words.next().unwrap());
        let r = c.to_mathml(tex.trim(), mode == "display");
        if category == "bad" {
            assert!(r.is_err(), "{tex} should be an error");
            continue;
        }
        good += 1;
        match r {
            Ok(m) => assert!(
                m.starts_with("<math") && !m.contains("merror"),
                "{tex}: {m}"
            ),
            Err(_) => failed.push(category),
        }
    }
    assert!(good >= 40, "the fixture has {good} formulas");
    assert_eq!(failed, Vec::<&str>::new());
}

/// Typora draws a formula with spaces inside its dollars; so does the page,
/// when what is between reads as TeX. Prices stay text, and the title and
/// description show the formula as one without spaces would.
#[test]
fn spaced_dollar_formulas_are_math_and_prices_are_not() {
    let note = "# 复杂度 $ O(n) $ 分析\n\n复杂度为 $ O(n\\log n) $，空间 $ O(1) $，价格 $ 5 到 $ 10。\n\n`$ x^2 $`\n\n## 小节 $ x^2 $\n";
    // Two formulas written without spaces keep the words between them, and
    // Obsidian's link to the heading finds it.
    let other = "# B\n\n$f(x)$ = $\\sin x$，见 [[a#小节 $ x^2 $]]\n";
    let dir = common::site_with([("a.md", note), ("b.md", other)]);
    let out = common::build(dir.path());
    let b = common::read(&out, "b/index.html");
    assert!(b.contains("</math> = <math>"), "{b}");
    assert!(
        b.contains(&format!("<a href=\"/a/#{}\">", common::enc("小节--x2-"))),
        "{b}"
    );
    assert!(!b.contains('\u{FDD3}'), "{b}");
    let html = common::read(&out, "a/index.html");
    assert!(html.contains("<title>复杂度 O(n) 分析 · "), "{html}");
    assert!(html.contains("复杂度为 <math><mi>O</mi>"), "{html}");
    assert!(
        html.contains("，空间 <math><mi>O</mi><mo stretchy=\"false\">(</mo><mn>1</mn><mo stretchy=\"false\">)</mo></math>，价格 $ 5 到 $ 10。"),
        "{html}"
    );
    assert!(html.contains("<code>$ x^2 $</code>"), "{html}");
    // A heading's id is GitHub's, from the formula as written, spaces and all.
    assert!(
        html.contains(&format!("<h2 id=\"{}\">", "小节--x2-")),
        "{html}"
    );
    assert!(!html.contains('\u{FDD3}'), "{html}");
}

/// What Obsidian's MathJax draws and the converter refused as written:
/// math inside `\text{}`, symbols typed as characters (`⊥`, `∅`, `∴`),
/// primes typed after `^` (`Y_t^′`), `\LaTeX`, and a `\tag` before the
/// `align` it numbers (2,613 formulas of one vault).
#[test]
fn math_in_text_and_typed_symbols_are_drawn() {
    let note = "# M\n\n$$\nd(x,y)\\ge 0, \\text{等号成立当且仅当$x=y$}\n$$\n\n- $a ⊥ b$ 与 $A ⊤ ∅$ 和 $∴ x$\n\n$$\n\\tag{1.1}\n\\begin{align}\nL &= x\n\\end{align}\n$$\n\n卷积 $(\\mu*1)(n)$ 与 Hexo 的 $n\\*m$\n\n差分后的 $Y_t^′$，排版用 $\\LaTeX$\n";
    let dir = common::site_with([("m.md", note)]);
    let html = common::read(&common::build(dir.path()), "m/index.html");
    assert!(!html.contains("math-error"), "{html}");
    assert_eq!(html.matches("<math").count(), 9, "{html}");
    assert!(html.contains("<mtext>LaTeX</mtext>"), "{html}");
    // A tag written before the rows it numbers.
    assert!(html.contains("(1.1)"), "{html}");
    assert!(html.contains("<mtext>等号成立当且仅当</mtext>"), "{html}");
}

/// A `$$` formula with blank lines inside (an `align` spaced out, as
/// Obsidian and Typora draw it) is one formula, in a callout too: it fell
/// apart into paragraphs, the indented line after the gap into code.
#[test]
fn a_formula_with_blank_lines_inside_is_one_formula() {
    let note = "# M\n\n$$\n\\begin{align}\na &= b\\\\\n\n\tc &= d\n\\end{align}\n$$\n\n> [!note] 公式\n> $$\n> x = 1\n>\n> y = 2\n> $$\n\n后文 $$ 与\n\n另一段 $$\n";
    let dir = common::site_with([("m.md", note)]);
    let html = common::read(&common::build(dir.path()), "m/index.html");
    assert_eq!(html.matches("<math display=\"block\"").count(), 2, "{html}");
    assert_eq!(html.matches("<mtr>").count(), 2, "{html}");
    assert!(
        !html.contains("<pre") && !html.contains("math-error"),
        "{html}"
    );
    assert!(
        html.contains("<mi>y</mi>") && !html.contains('\u{FDD7}'),
        "{html}"
    );
    // Dollars in prose are left alone.
    assert!(html.contains("<p>后文 $$ 与</p>"), "{html}");
}

/// Dollars glued to words (`$SHELL`, prices) are text, and so no longer is
/// the Markdown between two of them: bold, code, links and strikethrough
/// there were shown as written. Formulas beside them still are math, and
/// a heading with such dollars keeps GitHub's id.
#[test]
fn markdown_between_glued_dollars_is_read() {
    let note = "# A\n\n**重新加载root的$SHELL环境** ，比如 root 的$SHELL是/bin/bash\n\n\
                价格$5，**打折** 后$3，公式 $x^2$ 照常\n\n`echo` 打印$HOME，再 `ls` 列出$PWD\n\n\
                [变量$HOME](https://a.com) 和 b$c\n\n## 变量$HOME 与$PATH\n";
    let dir = common::site_with([("a.md", note)]);
    let html = common::read(&common::build(dir.path()), "a/index.html");
    for want in [
        "<p><strong>重新加载root的$SHELL环境</strong> ，比如 root 的$SHELL是/bin/bash</p>",
        "<p>价格$5，<strong>打折</strong> 后$3，公式 <math><msup><mi>x</mi><mn>2</mn></msup></math> 照常</p>",
        "<p><code>echo</code> 打印$HOME，再 <code>ls</code> 列出$PWD</p>",
        "<p><a href=\"https://a.com\">变量$HOME</a> 和 b$c</p>",
        "<h2 id=\"变量home-与path\">",
    ] {
        assert!(html.contains(want), "{want} in {html}");
    }
    assert!(!html.contains('\u{FDD4}'), "{html}");
}

/// A site's TeX macros, as MathJax's and KaTeX's `macros` option gave them
/// (610 formulas of one site were shown as TeX without them); a bad one
/// names biji.yaml and its line.
#[test]
fn site_math_macros_serve_every_formula() {
    let dir = common::site_with([("a.md", "# A\n\n$$\n\\E[R] = \\Var(f) + \\bb{R}\n$$\n")]);
    std::fs::write(
        dir.path().join("biji.yaml"),
        "markdown:\n  math_macros:\n    E: \\operatorname{E}\n    \"\\\\Var\": \"\\\\operatorname{Var}\"\n    bb: \\mathbb{#1}\n",
    )
    .unwrap();
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(
        o.status.success() && !err.contains("cannot be shown as math"),
        "{err}"
    );
    let page = common::read(&dir.path().join("public"), "a/index.html");
    assert!(
        page.contains("<mi mathvariant=\"normal\">E</mi>") && page.contains(">Var<"),
        "{page}"
    );
    std::fs::write(
        dir.path().join("biji.yaml"),
        "markdown:\n  math_macros:\n    \"E 1\": x\n",
    )
    .unwrap();
    let err = common::build_error(dir.path());
    assert!(
        err.contains("biji.yaml:2: math_macros: `E 1` is no command name"),
        "{err}"
    );
}
