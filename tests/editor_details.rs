//! The smaller ways Obsidian and Typora notes are written: pipes escaped in
//! tables, files embedded at a page or time, embeds from the web, emoji next
//! to URLs and code, headings over two lines, sizes in alt text. Each is
//! checked in the built page, its description and its search text.

mod common;

const TABLE: &str = "# 表格\n\n| 链接 | 图 |\n|---|---|\n| [[sub/b\\|别名]] | ![[a.png\\|300]] |\n";

const FILES: &str = "# 文件\n\n![[doc.pdf#page=3]]\n\n![[v.mp4#t=10]]\n\n[第三页](doc.pdf#page=3)\n\n![](my%20vid.mp4)\n\n![[https://x.org/remote.png]]\n";

#[test]
fn escaped_pipes_in_tables_split_links_and_sizes() {
    let dir = common::site_with([("表格.md", TABLE), ("sub/b.md", "# B\n")]);
    std::fs::write(dir.path().join("notes/a.png"), b"x").unwrap();
    let html = common::read(&common::build(dir.path()), "表格/index.html");
    assert!(
        html.contains(r#"<td><a href="/sub/b/">别名</a></td><td><img src="/a.png" alt="a.png" width="300" loading="lazy" /></td>"#),
        "{html}"
    );
}

#[test]
fn files_keep_their_page_or_time_and_web_embeds_stay_on_the_web() {
    let dir = common::site_with([("文件.md", FILES)]);
    for f in ["doc.pdf", "v.mp4", "my vid.mp4", "remote.png"] {
        std::fs::write(dir.path().join("notes").join(f), b"x").unwrap();
    }
    let out = common::build(dir.path());
    let html = common::read(&out, "文件/index.html");
    for tag in [
        r#"<object class="pdf" data="/doc.pdf#page=3" type="application/pdf" title="doc.pdf"><a href="/doc.pdf#page=3">doc.pdf</a></object>"#,
        r#"<video src="/v.mp4#t=10" controls preload="metadata" title="v.mp4"><a href="/v.mp4#t=10">v.mp4</a></video>"#,
        r#"<a href="/doc.pdf#page=3">第三页</a>"#,
        r#"<video src="/my%20vid.mp4" controls preload="metadata" title="my vid.mp4">"#,
        // Not the local file that happens to have the same name.
        r#"<img src="https://x.org/remote.png""#,
    ] {
        assert!(html.contains(tag), "{tag} in {html}");
    }
    let o = common::biji(dir.path(), &["check"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
}

#[test]
fn a_rooted_link_to_a_missing_note_is_broken() {
    let dir = common::site_with([
        ("a.md", "# A\n\n[x](/target.md) [y](/topics/)\n"),
        ("y/target.md", "# T\n"),
    ]);
    let err = common::build_error(dir.path());
    assert!(
        err.contains("notes/a.md:3:1: broken link `/target.md`: no note or file `target.md` under notes/ (did you mean `y/target.md`?)"),
        "{err}"
    );
    assert!(!err.contains("/topics/"), "{err}");
}

#[test]
fn emoji_stay_out_of_urls_and_code_but_reach_summaries_and_search() {
    let md = "# E\n\n发布了 :tada: 见 https://a.com/x/:smile:/y 和 <https://b.com/:smile:> 以及 <code>:smile:</code>。\n";
    let dir = common::site_with([("e.md", md)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "e/index.html");
    assert!(
        html.contains(r#"发布了 🎉 见 <a href="https://a.com/x/:smile:/y">https://a.com/x/:smile:/y</a> 和 <a href="https://b.com/:smile:">https://b.com/:smile:</a> 以及 <code>:smile:</code>。"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<meta name="description" content="发布了 🎉 见"#),
        "{html}"
    );
    let search = common::search::all_text(&out);
    assert!(search.contains("发布了 🎉 见"), "{search}");
}

#[test]
fn headings_sizes_and_block_ids_read_as_the_page_shows_them() {
    let md = "Setext\nheading\n=======\n\n看图 ![说明|300](a.png) 然后。\n\n一段话\n^blk\n";
    let dir = common::site_with([("s.md", md)]);
    std::fs::write(dir.path().join("notes/a.png"), b"x").unwrap();
    let html = common::read(&common::build(dir.path()), "s/index.html");
    assert!(html.contains("<title>Setext heading · "), "{html}");
    // The id stays GitHub's, which drops the line break.
    assert!(html.contains(r#"id="setextheading""#), "{html}");
    assert!(
        html.contains(r#"<meta name="description" content="看图 说明 然后。">"#),
        "{html}"
    );
    assert!(html.contains(r#"<p id="^blk">一段话</p>"#), "{html}");
}

#[test]
fn joined_lines_are_searched_as_the_page_joins_them() {
    let dir = common::site_with([("j.md", "# J\n\n第一行\n第二行 and\nmore\n")]);
    std::fs::write(dir.path().join("biji.yaml"), "markdown:\n  breaks: false\n").unwrap();
    let search = common::search::all_text(&common::build(dir.path()));
    assert!(search.contains("第一行第二行 and more"), "{search}");
}

#[test]
fn obsidian_task_marks_are_checked_boxes() {
    let md = "# T\n\n- [-] 取消\n- [/] 进行中\n- [x] 完成\n- [1] 参考书\n";
    let dir = common::site_with([("t.md", md)]);
    let html = common::read(&common::build(dir.path()), "t/index.html");
    for item in [
        "<li><input disabled=\"\" type=\"checkbox\" checked=\"\" data-task=\"-\"/>\n取消</li>",
        "<li><input disabled=\"\" type=\"checkbox\" checked=\"\" data-task=\"/\"/>\n进行中</li>",
        "<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\n完成</li>",
        "<li>[1] 参考书</li>",
    ] {
        assert!(html.contains(item), "{item} in {html}");
    }
}

#[test]
fn an_embedded_image_inside_a_link_is_the_image_linked() {
    let md = "# L\n\n看 [![[a.png|300]]](https://x.com) 和 [![[a.png|说明]]](b.md)\n";
    let dir = common::site_with([("l.md", md), ("b.md", "# B\n")]);
    std::fs::write(dir.path().join("notes/a.png"), b"x").unwrap();
    let html = common::read(&common::build(dir.path()), "l/index.html");
    assert!(
        html.contains(r#"<p>看 <a href="https://x.com"><img src="/a.png" alt="a.png" width="300" loading="lazy" /></a> 和 <a href="/b/"><img src="/a.png" alt="说明" loading="lazy" /></a></p>"#),
        "{html}"
    );
}

/// An embedded note's links to its own headings lead to its page: the host
/// page has none of its ids (and may have a heading of the same name).
#[test]
fn an_embedded_notes_links_to_itself_lead_to_its_page() {
    let dir = common::site_with([
        ("主.md", "# 主页\n\n## 安装\n\n主页的安装。[[#安装]]\n\n![[子]]\n"),
        (
            "子.md",
            "# 子\n\n[TOC]\n\n## 安装\n\n[本节](#安装) [[#配置]] <a href=\"#配置\">原样</a>\n\n## 配置\n\n配置。\n",
        ),
    ]);
    let out = common::build(dir.path());
    let html = common::read(&out, "主/index.html");
    let (host, embed) = html.split_once("<div class=\"embed\">").unwrap();
    assert!(
        host.contains(r##"<a href="#%E5%AE%89%E8%A3%85">安装</a>"##),
        "{host}"
    );
    for link in [
        r##"<a href="/%E5%AD%90/#%E5%AE%89%E8%A3%85">本节</a>"##,
        r##"<a href="/%E5%AD%90/#%E9%85%8D%E7%BD%AE">配置</a>"##,
        r##"<a href="/%E5%AD%90/#%E9%85%8D%E7%BD%AE">原样</a>"##,
        // Its table of contents too.
        r##"<li><a href="/%E5%AD%90/#%E5%AE%89%E8%A3%85">安装</a>"##,
    ] {
        assert!(embed.contains(link), "{link} in {embed}");
    }
    // On its own page they stay on the page.
    let own = common::read(&out, "子/index.html");
    assert!(
        own.contains(r##"<li><a href="#%E5%AE%89%E8%A3%85">安装</a>"##),
        "{own}"
    );
    assert!(
        own.contains(r##"<a href="#%E5%AE%89%E8%A3%85">本节</a>"##),
        "{own}"
    );
    let o = common::biji(dir.path(), &["check"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
}

/// Typora's `typora-root-url` sets where a note's `/images/a.png` is: a
/// relative root is read from the note's folder (either slash), one on the
/// author's disk leaves the notes folder as root.
#[test]
fn typora_root_url_is_where_rooted_paths_start() {
    let dir = common::site_with([
        (
            "blog/posts/a.md",
            "---\ntypora-root-url: ../\n---\n# A\n\n![图](/images/x.png) ![根](/images/root.png)\n\n<img src=\"/images/x.png\">\n",
        ),
        ("blog/posts/b.md", "---\ntypora-root-url: ..\\\n---\n# B\n\n![图](/images/x.png)\n"),
        (
            "blog/posts/c.md",
            "---\ntypora-root-url: D:\\blog\\source\n---\n# C\n\n![图](/images/root.png)\n",
        ),
        ("blog/posts/d.md", "---\ntypora-root-url: ../\n---\n# D\n\n![缺](/images/none.png)\n"),
    ]);
    for (file, bytes) in [("blog/images/x.png", "x"), ("images/root.png", "r")] {
        let path = dir.path().join("notes").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let out = common::build(dir.path());
    let a = common::read(&out, "blog/posts/a/index.html");
    for img in [
        r#"<img src="/blog/images/x.png" alt="图""#,
        r#"<img src="/images/root.png" alt="根""#,
        r#"<img loading="lazy" src="/blog/images/x.png">"#,
    ] {
        assert!(a.contains(img), "{img} in {a}");
    }
    let b = common::read(&out, "blog/posts/b/index.html");
    assert!(b.contains(r#"<img src="/blog/images/x.png""#), "{b}");
    let c = common::read(&out, "blog/posts/c/index.html");
    assert!(c.contains(r#"<img src="/images/root.png""#), "{c}");
    // Found under neither root: a rooted file that is not a note stays as written.
    let d = common::read(&out, "blog/posts/d/index.html");
    assert!(d.contains(r#"<img src="/images/none.png""#), "{d}");
}

const CONTAINERS: &str = "# 容器\n\n[[toc]]\n\n## 小节\n\n::: tip\n第一条**提示**。\n:::\n\n::: warning 小心\n见 [[b]]。\n:::\n\n:::: details 点击查看\n::: danger 内层\n危险\n:::\n```md\n:::\n```\n::::\n\n:::info[Docusaurus 的标题]\n信息\n:::\n\n```md\n::: tip\n代码里的不是容器\n:::\n```\n\n::: v-pre\n未知的名字\n:::\n";

/// VitePress, VuePress and Docusaurus containers are callouts, nested by
/// their colons; in code, and with names biji does not know, they stay text.
/// `[[toc]]` is the table of contents.
#[test]
fn vitepress_containers_are_callouts() {
    let dir = common::site_with([("容器.md", CONTAINERS), ("b.md", "# B\n")]);
    let out = common::build(dir.path());
    let html = common::read(&out, "容器/index.html");
    for part in [
        "<div class=\"callout\" data-callout=\"tip\">\n<p class=\"callout-title\">提示</p>\n<div class=\"callout-content\">\n<p>第一条<strong>提示</strong>。</p>",
        "<div class=\"callout\" data-callout=\"warning\">\n<p class=\"callout-title\">小心</p>\n<div class=\"callout-content\">\n<p>见 <a href=\"/b/\">b</a>。</p>",
        "<details class=\"callout\" data-callout=\"note\">\n<summary class=\"callout-title\">点击查看</summary>\n<div class=\"callout-content\">\n<div class=\"callout\" data-callout=\"danger\">\n<p class=\"callout-title\">内层</p>",
        "<p class=\"callout-title\">Docusaurus 的标题</p>",
        // VitePress's `[[toc]]` is the table of contents, not a link to `toc`.
        "<nav class=\"toc-inline\" aria-label=\"目录\">\n<ul>\n<li><a href=\"#%E5%B0%8F%E8%8A%82\">小节</a></li>",
        "<p>::: v-pre<br />\n未知的名字<br />\n:::</p>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    // Code keeps its `:::` lines, inside a callout or not.
    let code: Vec<&str> = html
        .split("<code class=\"language-md\">")
        .skip(1)
        .map(|c| c.split("</code>").next().unwrap())
        .collect();
    assert_eq!(code.len(), 2, "{html}");
    assert!(
        code[0]
            .split('\n')
            .any(|l| l == ":::" || l.ends_with(">:::")),
        "{}",
        code[0]
    );
    assert!(
        code[1].contains("::: tip\n代码里的不是容器\n:::"),
        "{}",
        code[1]
    );
    let details = html.split("点击查看").nth(1).unwrap();
    let (code_at, end) = (details.find("language-md"), details.find("</details>"));
    assert!(code_at.unwrap() < end.unwrap(), "{details}");
    assert!(common::search::all_text(&out).contains("第一条提示"));
    // A broken link inside is reported at the line and column it was written.
    std::fs::remove_file(dir.path().join("notes/b.md")).unwrap();
    let err = common::build_error(dir.path());
    assert!(err.contains("notes/容器.md:12:3: broken link `b`"), "{err}");
    std::fs::write(dir.path().join("notes/b.md"), "# B\n").unwrap();
    std::fs::write(
        dir.path().join("biji.yaml"),
        "markdown:\n  containers: false\n",
    )
    .unwrap();
    let html = common::read(&common::build(dir.path()), "容器/index.html");
    assert!(html.contains("<p>::: tip<br />\n第一条"), "{html}");
}

/// VitePress writes line marks, titles and options after a fence's
/// language: the block is still highlighted as that language, and the
/// marked lines are wrapped for the theme to shade.
#[test]
fn vitepress_fence_options_keep_the_language() {
    let note = "# F\n\n```js{1,3}\nlet a = 1;\nlet b;\nlet c;\n```\n\n```ts [config.ts]\nlet b = 2;\n```\n\n```python:line-numbers\nprint(1)\n```\n";
    let dir = common::site_with([("f.md", note)]);
    let o = common::biji(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        !common::stderr(&o).contains("cannot highlight"),
        "{}",
        common::stderr(&o)
    );
    let html = common::read(&dir.path().join("public"), "f/index.html");
    for (lang, class) in [("js", ""), ("ts", ""), ("python", " has-lines")] {
        let tag = format!("<pre class=\"code{class} hl-code\" data-lang=\"{lang}\">");
        assert!(html.contains(&tag), "{tag} in {html}");
    }
    // Lines 1 and 3 are marked, their spans balanced.
    let js = html
        .split("data-lang=\"js\"")
        .nth(1)
        .unwrap()
        .split("</pre>")
        .next()
        .unwrap();
    assert_eq!(js.matches("<span class=\"code-mark\">").count(), 2, "{js}");
    assert_eq!(
        js.matches("<span").count(),
        js.matches("</span>").count(),
        "{js}"
    );
    assert!(
        !js.split('\n').nth(1).unwrap().contains("code-mark"),
        "{js}"
    );
}

/// VitePress and VuePress serve `/logo.png` from the docs' `public/`: a
/// rooted path found nowhere else is looked for there.
#[test]
fn rooted_paths_fall_back_to_vitepress_public() {
    let dir = common::site_with([("guide/a.md", "# A\n\n![标志](/logo.png) ![根](/root.png)\n")]);
    for file in ["public/logo.png", "root.png", "public/root.png"] {
        let path = dir.path().join("notes").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }
    let out = common::build(dir.path());
    let a = common::read(&out, "guide/a/index.html");
    assert!(
        a.contains(r#"<img src="/public/logo.png" alt="标志""#),
        "{a}"
    );
    // The notes folder's own file comes first.
    assert!(a.contains(r#"<img src="/root.png" alt="根""#), "{a}");
    let o = common::biji(dir.path(), &["check"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
}

/// A container right after a quote is a callout of its own, not more of the
/// quote, and lines after it keep their numbers in messages.
#[test]
fn a_container_after_a_quote_is_its_own_callout() {
    let note = "# Q\n\n> 引文\n::: warning 小心 \n内容\n:::\n\n见 [[缺失]]\n";
    let dir = common::site_with([("q.md", note)]);
    let err = common::build_error(dir.path());
    assert!(err.contains("notes/q.md:8:3: broken link `缺失`"), "{err}");
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let html = common::read(&common::build(dir.path()), "q/index.html");
    assert!(
        html.contains("<blockquote>\n<p>引文</p>\n</blockquote>"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"callout-title\">小心</p>"),
        "{html}"
    );
}

/// A container indented in a list item is a callout inside that item (the
/// list goes on after it), one in a quote a callout inside the quote; a
/// broken link in it is reported where it was written.
#[test]
fn containers_in_list_items_and_quotes_are_callouts_there() {
    let note = "# L\n\n1. 第一步\n\n   ::: tip 提示\n   先装 **Node**。\n   :::\n2. 第二步\n\n> 引文\n> ::: danger\n> 见 [[缺失]]\n> :::\n";
    let dir = common::site_with([("l.md", note)]);
    let err = common::build_error(dir.path());
    assert!(err.contains("notes/l.md:12:5: broken link `缺失`"), "{err}");
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let html = common::read(&common::build(dir.path()), "l/index.html");
    let body = html.split("<div class=\"content\">").nth(1).unwrap();
    let list = body
        .split("<ol>")
        .nth(1)
        .unwrap()
        .split("</ol>")
        .next()
        .unwrap();
    assert_eq!(list.matches("<li>").count(), 2, "{html}");
    assert!(
        list.contains("<div class=\"callout\" data-callout=\"tip\">\n<p class=\"callout-title\">提示</p>\n<div class=\"callout-content\">\n<p>先装 <strong>Node</strong>。</p>"),
        "{list}"
    );
    let quote = body.split("<blockquote>").nth(1).unwrap();
    assert!(
        quote.starts_with("\n<p>引文</p>\n<div class=\"callout\" data-callout=\"danger\">"),
        "{quote}"
    );
}

/// Each `[TOC]` lists every heading: a note may place four, and later ones
/// stay text (3,000 of them made a 318 MB page).
#[test]
fn a_note_places_at_most_four_tables_of_contents() {
    let note = format!("# T\n\n{}", "[TOC]\n\n## 节\n\n".repeat(6));
    let dir = common::site_with([("t.md", note.as_str())]);
    let html = common::read(&common::build(dir.path()), "t/index.html");
    assert_eq!(
        html.matches("<nav class=\"toc-inline\"").count(),
        4,
        "{html}"
    );
    assert_eq!(html.matches("<p>[TOC]</p>").count(), 2, "{html}");
}

/// A callout title with markup keeps its words and spaces, and gets no
/// default title glued in front.
#[test]
fn callout_titles_with_markup_are_shown_as_written() {
    let note = "# CT\n\n> [!tip] *要点* 标题\n> 内容\n\n> [!warning] L7 [a](b.md) and **b**\n> 内容\n\n> [!note]\n> 无标题\n";
    let dir = common::site_with([("ct.md", note), ("b.md", "# B\n")]);
    let html = common::read(&common::build(dir.path()), "ct/index.html");
    for title in [
        "<p class=\"callout-title\"><em>要点</em> 标题</p>",
        "<p class=\"callout-title\">L7 <a href=\"/b/\">a</a> and <strong>b</strong></p>",
        "<p class=\"callout-title\">注意</p>",
    ] {
        assert!(html.contains(title), "{title} in {html}");
    }
    // Search has the whole title, the words after its markup too.
    let text = common::search::all_text(&dir.path().join("public"));
    assert!(text.contains("要点 标题 内容"), "{text}");
    assert!(text.contains("L7 a and b 内容"), "{text}");
}

/// A section embed of a heading inside a callout starts inside its
/// `<div>`s: the embed closes what it opens and nothing else.
#[test]
fn a_section_embed_from_inside_a_callout_is_balanced() {
    let dir = common::site_with([
        ("b.md", "# B\n\n::: tip\n## Sec\ntext\n:::\n\n## Other\n"),
        ("a.md", "# A\n\n![[b#Sec]]\n\n后文\n"),
    ]);
    let html = common::read(&common::build(dir.path()), "a/index.html");
    let content = html.split("<div class=\"content\">").nth(1).unwrap();
    let content = content.split("<nav class=\"pager\"").next().unwrap();
    let embed = content.split("<div class=\"embed\">").nth(1).unwrap();
    let embed = embed.split("后文").next().unwrap();
    assert!(embed.contains("<h2>Sec</h2>\n<p>text</p>"), "{embed}");
    assert!(!embed.contains("Other"), "{embed}");
    // The content's own `</div>` besides the embed's.
    assert_eq!(
        content.matches("<div").count() + 1,
        content.matches("</div>").count(),
        "{content}"
    );
}

/// A title's H1 after a `[TOC]` or a quote is shown there, once (the
/// header does not repeat it); a comment over several lines of an HTML
/// block is not in the search text.
#[test]
fn a_late_title_shows_once_and_comments_stay_out_of_search() {
    let dir = common::site_with([
        ("redis.md", "[TOC]\n\n# Redis 持久化\n\n## RDB\n\n快照。\n\n## AOF\n\n日志。\n"),
        ("draft.md", "# 草稿\n\n<!--\n待办：补充握手细节\n-->\n\n正文第一句。\n\n<!-- 两行\n注释 -->\n\n结尾。\n"),
        ("late.md", "一。\n\n二。\n\n三。\n\n## 小节\n\n# 文末标题\n"),
    ]);
    let out = common::build(dir.path());
    // An H1 far down is no title in place: the header shows the title.
    let late = common::read(&out, "late/index.html");
    assert!(
        late.contains("<h1 class=\"note-title\">文末标题</h1>"),
        "{late}"
    );
    let html = common::read(&out, "redis/index.html");
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    assert!(
        html.contains("<h1 id=\"redis-持久化\">Redis 持久化"),
        "{html}"
    );
    assert!(html.contains("<title>Redis 持久化 · "), "{html}");
    let text = common::search::all_text(&out);
    assert!(
        text.contains("正文第一句。") && text.contains("结尾。"),
        "{text}"
    );
    assert!(
        !text.contains("握手") && !text.contains("-->") && !text.contains("注释"),
        "{text}"
    );
}

/// An Obsidian comment over several lines of a callout is cut out of it,
/// and the callout goes on after it.
#[test]
fn a_comment_inside_a_callout_leaves_the_callout_whole() {
    let note = "# 注\n\n> [!tip] 要点\n> 第一点\n> %%\n> 草稿：待补充\n> %%\n> 第二点\n";
    let dir = common::site_with([("n.md", note)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "n/index.html");
    assert!(
        html.contains("<p>第一点</p>\n<p>第二点</p>\n</div>\n</div>"),
        "{html}"
    );
    assert!(
        !html.contains("草稿") && !html.contains("<blockquote>"),
        "{html}"
    );
}

/// Obsidian's embed of a YouTube video is its player.
#[test]
fn a_youtube_link_embedded_is_a_player() {
    let note = "# 视频\n\n![演示](https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m5s)\n\n![](https://example.com/watch?v=dQw4w9WgXcQ)\n";
    let dir = common::site_with([("v.md", note)]);
    let html = common::read(&common::build(dir.path()), "v/index.html");
    assert!(
        html.contains("<iframe class=\"video-embed\" src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=65\" title=\"演示\""),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"https://example.com/watch?v=dQw4w9WgXcQ\""),
        "{html}"
    );
}

/// Obsidian's callout types are any text: `[!提示]` is a note-like callout
/// whose `data-callout` keeps its name, for the author's CSS snippets. What
/// follows `|` (`[!warning|min-0]`, a theme's option) is metadata.
#[test]
fn callout_types_in_any_script_are_callouts() {
    let note = "# 标注\n\n> [!提示] 记住\n> 中文类型\n\n> [!重点]\n> 无标题\n\n> [!warning|min-0]\n> 小心\n\n> [!proof|wide]- 证明\n> 略\n";
    let dir = common::site_with([("c.md", note)]);
    let html = common::read(&common::build(dir.path()), "c/index.html");
    for part in [
        "<div class=\"callout\" data-callout=\"提示\">\n<p class=\"callout-title\">记住</p>",
        "<p class=\"callout-title\">重点</p>",
        "<div class=\"callout\" data-callout=\"warning\" data-callout-metadata=\"min-0\">\n<p class=\"callout-title\">警告</p>",
        "<details class=\"callout\" data-callout=\"proof\" data-callout-metadata=\"wide\">\n<summary class=\"callout-title\">证明</summary>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    assert!(!html.contains("[!"), "{html}");
}

/// Obsidian's block ids on whole structures: `^id` alone on the line after
/// a list, table, quote, code block or display formula names that structure, and `^id` at
/// the end of an item's first line names the item with its sub-items.
#[test]
fn block_ids_name_lists_tables_quotes_code_and_items_with_sub_items() {
    let source = "# 源\n\n- 松散 ^loose\n\n  - 松散子项\n\n- 其二\n\n分隔。\n\n- 第一点\n- 第二点\n\n^list1\n\n| 命令 | 作用 |\n|---|---|\n| ls | 列出 |\n\n^tbl1\n\n> 引用\n\n^q1\n\n```sh\nls -l\n```\n\n^code1\n\n- 父项 ^p1\n  - 子项一\n- 其他\n\n1. 有序一\n2. 有序二 ^o2\n\n$$\nE = mc^2\n$$\n\n^eq1\n";
    let host = "# 宿主\n\n![[源#^eq1]]\n\n![[源#^list1]]\n\n![[源#^tbl1]]\n\n![[源#^q1]]\n\n![[源#^code1]]\n\n![[源#^p1]]\n\n![[源#^o2]]\n\n见 [[源#^p1]]。\n";
    let dir = common::site_with([("源.md", source), ("宿主.md", host)]);
    let out = common::build(dir.path());
    let page = common::read(&out, "源/index.html");
    for part in [
        "<div class=\"block-id\" id=\"^list1\">\n<ul>\n<li>第一点</li>",
        "<div class=\"block-id\" id=\"^tbl1\">\n<table>",
        "<div class=\"block-id\" id=\"^q1\">\n<blockquote>",
        "<div class=\"block-id\" id=\"^code1\">\n<pre",
        "<li id=\"^p1\">父项\n<ul>",
        "<li id=\"^loose\">\n<p>松散</p>",
        "<div class=\"block-id\" id=\"^eq1\">\n<p><math display=\"block\"><mi>E</mi>",
    ] {
        assert!(page.contains(part), "{part}\n{page}");
    }
    assert!(
        !page.contains("^list1\"></p>")
            && !page.contains("^code1\"></p>")
            && !page.contains("^eq1\"></p>"),
        "{page}"
    );
    let host = common::read(&out, "宿主/index.html");
    for part in [
        "<li>第二点</li>",
        "<td>列出</td>",
        "<p>引用</p>",
        "<div class=\"block-id\">\n<pre",
        "<ul>\n<li>父项\n<ul>\n<li>子项一</li>\n</ul>\n</li></ul>",
        "<ol start=\"2\">\n<li>有序二</li></ol>",
        "<p class=\"embed-source\"><a href=\"/%E6%BA%90/#%5Eeq1\">源</a></p>\n<div class=\"block-id\">\n<p><math display=\"block\"><mi>E</mi>",
    ] {
        assert!(host.contains(part), "{part}\n{host}");
    }
    // The block ids are the source page's own: none repeats on the host.
    assert!(!host.contains("id=\"^"), "{host}");
    assert!(!host.contains("<li>其他</li>"), "{host}");
}

/// A description is the note's first sentence as a reader meets it: not a
/// footnote's definition written above it (the page shows that at the
/// end), and a link to a block keeps its `^id` (no block id of its own).
#[test]
fn descriptions_skip_footnote_definitions_and_keep_block_links() {
    let dir = common::site_with([
        ("目标.md", "# 目标\n\n段落 ^abc\n"),
        ("源.md", "# 源\n\n结论见 [[目标#^abc]]\n"),
        (
            "j.md",
            "# J\n\n```bash\nls\n```\n\n[^1]: 参考：脚注。\n\n正文J[^1]。\n",
        ),
    ]);
    let out = common::build(dir.path());
    let description = |rel: &str| {
        let html = common::read(&out, rel);
        let at = html.find("<meta name=\"description\" content=\"").unwrap() + 34;
        html[at..at + html[at..].find('"').unwrap()].to_string()
    };
    assert_eq!(description("源/index.html"), "结论见 目标 &gt; ^abc");
    assert_eq!(description("j/index.html"), "正文J。");
}

/// Embeds on consecutive lines, or inside a sentence, each show their note
/// as a block, as in Obsidian (they were links), with the text around them
/// in paragraphs of its own and no line break left at their edges.
#[test]
fn embeds_among_lines_and_in_sentences_show_as_blocks() {
    let dir = common::site_with([
        (
            "a.md",
            "# A\n\n![[b]]\n![[c]]\n\n见 ![[b]] 一节。\n\n前文\n![[c]]\n",
        ),
        ("b.md", "# B\n\n乙的正文\n"),
        ("c.md", "# C\n\n丙的正文\n"),
    ]);
    let html = common::read(&common::build(dir.path()), "a/index.html");
    let body = html.split("<div class=\"content\">").nth(1).unwrap();
    let body = &body[..body.find("<nav class=\"pager\"").unwrap()];
    let block = |n: &str, t: &str| {
        format!("<div class=\"embed\">\n<p class=\"embed-source\"><a href=\"/{n}/\">{t}</a></p>\n<h1>{t}</h1>\n")
    };
    assert_eq!(body.matches("<div class=\"embed\">").count(), 4, "{body}");
    let order = [
        block("b", "B"),
        block("c", "C"),
        "<p>见 </p>".into(),
        block("b", "B"),
        "<p> 一节。</p>".into(),
        "<p>前文</p>".into(),
        block("c", "C"),
    ];
    let mut at = 0;
    for part in order {
        let found = body[at..]
            .find(&part)
            .unwrap_or_else(|| panic!("{part} after {at} in {body}"));
        at += found + part.len();
    }
    assert!(
        !body.contains("<br />") && !body.contains("<p></p>"),
        "{body}"
    );
}

/// An `<svg>` or `<video>` written inside a sentence keeps its shapes and
/// tracks (the `<circle/>` was shown as text, the drawing empty), in the
/// page and its description alike; `<path>` in prose stays text.
#[test]
fn inline_svg_keeps_its_shapes_and_prose_placeholders_stay_text() {
    let note = "# S\n\n图标 <svg width=\"10\" height=\"10\"><circle cx=\"5\" cy=\"5\" r=\"4\"/></svg> 在句中，<path> 是占位。\n\n<video controls src=\"v.mp4\"><track kind=\"captions\" src=\"v.vtt\"></video> 视频\n";
    let dir = common::site_with([("s.md", note)]);
    for f in ["v.mp4", "v.vtt"] {
        std::fs::write(dir.path().join("notes").join(f), "x").unwrap();
    }
    let html = common::read(&common::build(dir.path()), "s/index.html");
    assert!(
        html.contains("<svg width=\"10\" height=\"10\"><circle cx=\"5\" cy=\"5\" r=\"4\"/></svg> 在句中，&lt;path&gt; 是占位。"),
        "{html}"
    );
    assert!(
        html.contains("<track kind=\"captions\" src=\"/v.vtt\">"),
        "{html}"
    );
    assert!(
        html.contains("<meta name=\"description\" content=\"图标 在句中，&lt;path&gt; 是占位。\">"),
        "{html}"
    );
}

/// Typora writes each image resized in it as an `<img>` alone on its line:
/// each shows as a paragraph of its own (screenshots sat in a row), and a
/// caption on the next line is read as Markdown (its `**` was shown) and
/// searched; a missing file is named at its line.
#[test]
fn typora_resized_images_are_paragraphs_and_their_captions_markdown() {
    let note = "# 截图\n\n<img src=\"a.png\" alt=\"一\" style=\"zoom:50%;\" />\n\n\
                <img src=\"a.png\" alt=\"二\" style=\"zoom:50%;\" />\n图 1：**注意**这里的 `config.yaml`\n";
    let dir = common::site_with([("s.md", note)]);
    std::fs::write(dir.path().join("notes/a.png"), "x").unwrap();
    let out = common::build(dir.path());
    let html = common::read(&out, "s/index.html");
    assert!(
        html.contains(
            "<p><img loading=\"lazy\" src=\"/a.png\" alt=\"一\" style=\"zoom:50%;\" /></p>\n\
             <p><img loading=\"lazy\" src=\"/a.png\" alt=\"二\" style=\"zoom:50%;\" /><br />\n\
             图 1：<strong>注意</strong>这里的 <code>config.yaml</code></p>"
        ),
        "{html}"
    );
    assert!(!html.contains('\u{FDD2}'), "{html}");
    let text = common::search::all_text(&out);
    assert!(text.contains("图 1：注意这里的 config.yaml"), "{text}");
    assert!(!text.contains('\u{FDD2}'), "{text}");
    let broken = common::site_with([("s.md", "# S\n\n<img src=\"nope.png\" />\n")]);
    let err = common::build_error(broken.path());
    assert!(
        err.contains("notes/s.md:3:11: broken link `nope.png`"),
        "{err}"
    );
}

/// A VitePress container right under a Typora image line is a callout, as
/// under a line of text: the image line used to hide it as an HTML block,
/// and `::: tip` was shown as written.
#[test]
fn a_container_under_an_image_line_is_a_callout() {
    let note =
        "# 截图\n\n<img src=\"a.png\" style=\"zoom:50%;\" />\n::: warning 注意\n先备份\n:::\n";
    let dir = common::site_with([("s.md", note)]);
    std::fs::write(dir.path().join("notes/a.png"), "x").unwrap();
    let out = common::build(dir.path());
    let html = common::read(&out, "s/index.html");
    assert!(
        html.contains(
            "<p><img loading=\"lazy\" src=\"/a.png\" style=\"zoom:50%;\" /></p>\n\
             <div class=\"callout\" data-callout=\"warning\">\n\
             <p class=\"callout-title\">注意</p>"
        ),
        "{html}"
    );
    assert!(!html.contains(":::"), "{html}");
}

/// Titles and line numbers as VitePress, Docusaurus, Zola and Hugo write
/// them, and `line_numbers` for every block: the numbers are a column
/// beside the code, out of what is copied and searched.
#[test]
fn fences_show_their_titles_and_line_numbers() {
    let note = "# 代码\n\n```python:line-numbers {2} [工具.py]\ndef f():\n    return 42\n```\n\n\
                ```js title=\"src/App.js\"\nlet a;\n```\n\n```rust,linenos\nfn main() {}\n```\n";
    let dir = common::site_with([("c.md", note)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "c/index.html");
    assert!(
        html.contains(
            "<figure class=\"code-figure\"><figcaption class=\"code-title\">工具.py</figcaption>\
             <pre class=\"code has-lines hl-code\" data-lang=\"python\">\
             <span class=\"line-numbers\" aria-hidden=\"true\">1\n2</span><code class=\"language-python\">"
        ),
        "{html}"
    );
    assert!(html.contains("<span class=\"code-mark\">"), "{html}");
    assert!(
        html.contains(
            "<figure class=\"code-figure\"><figcaption class=\"code-title\">src/App.js</figcaption>\
             <pre class=\"code hl-code\" data-lang=\"js\">"
        ),
        "{html}"
    );
    assert!(
        html.contains("<pre class=\"code has-lines hl-code\" data-lang=\"rust\"><span class=\"line-numbers\" aria-hidden=\"true\">1</span>"),
        "{html}"
    );
    let text = common::search::all_text(&dir.path().join("public"));
    assert!(text.contains("def f():"), "{text}");
    assert!(!text.contains("1\n2") && !text.contains("12def"), "{text}");

    // Every block, but one that says otherwise.
    let note =
        "# 全部\n\n```sh\nls\npwd\nid\n```\n\n```sh:no-line-numbers\nls\n```\n\n```\nplain\n```\n";
    let dir = common::site_with([("all.md", note)]);
    std::fs::write(
        dir.path().join("biji.yaml"),
        "markdown:\n  line_numbers: true\n",
    )
    .unwrap();
    let html = common::read(&common::build(dir.path()), "all/index.html");
    assert_eq!(html.matches("class=\"line-numbers\"").count(), 2, "{html}");
    assert!(
        html.contains("aria-hidden=\"true\">1\n2\n3</span>"),
        "{html}"
    );
    assert!(html.contains("<pre class=\"code has-lines\"><span class=\"line-numbers\" aria-hidden=\"true\">1</span><code>plain"), "{html}");
}

/// A tag whose attributes run over several lines inside an HTML block (a
/// README's centred logo, a long `<img>` as Prettier lays it out) is a
/// tag: it was shown as text and its picture lost. Its image is found,
/// copied and rewritten like any other.
#[test]
fn tags_over_several_lines_in_an_html_block_are_tags() {
    let note = "# A\n\n<p align=\"center\">\n  <a href=\"https://example.com\">\n    <img\n      src=\"logo.png\"\n      width=\"120\"\n    />\n  </a>\n</p>\n\n\
                <p align=\"center\"\n   class=\"x\">居中</p>\n\n<div>\n<img\n  src=\"nope.png\" />\n</div>\n";
    let dir = common::site_with([("a.md", note)]);
    std::fs::write(dir.path().join("notes/logo.png"), "x").unwrap();
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let o = common::biji(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("notes/a.md:17:8: broken link `nope.png`"),
        "{}",
        common::stderr(&o)
    );
    let html = common::read(&dir.path().join("public"), "a/index.html");
    assert!(
        html.contains("    <img loading=\"lazy\"\n      src=\"/logo.png\"\n      width=\"120\"\n    />\n  </a>\n</p>"),
        "{html}"
    );
    assert!(
        html.contains("<p align=\"center\"\n   class=\"x\">居中</p>"),
        "{html}"
    );
    assert!(!html.contains("&lt;"), "{html}");
}

/// Components of VuePress, VitePress and Docusaurus are no HTML: GitHub
/// drops their tags and keeps what they hold, and so does the page (they
/// were shown as text). Generic types and placeholders stay text.
#[test]
fn component_tags_go_and_what_they_hold_stays() {
    let note = "# A\n\n首先看下：\n\n<Problem slug=\"word-break\" />\n\n\
                <visual slug='is-palindrome' >\n可视化内容\n</visual>\n\n\
                版本 <Badge text=\"beta\" type=\"tip\"/> 起，Vec<T> 和 <用户名>\n";
    let dir = common::site_with([("a.md", note)]);
    let html = common::read(&common::build(dir.path()), "a/index.html");
    assert!(
        html.contains(
            "<p>首先看下：</p>\n可视化内容\n<p>版本  起，Vec&lt;T&gt; 和 &lt;用户名&gt;</p>"
        ),
        "{html}"
    );
    for gone in ["Problem", "visual", "Badge"] {
        assert!(!html.contains(gone), "{gone} in {html}");
    }
}

/// Posts moved from a Hexo blog: its tags show what they showed there (they
/// were `{% ... %}` text, and a post's pictures were all missing). A post's
/// files are found in its asset folder, where every post may have a `1.png`.
#[test]
fn hexo_tags_show_what_they_show() {
    let a = "---\ntitle: 文章A\n---\n{% asset_img 1.png 图片说明 %}\n\n见{% post_link post-b %}或{% post_link post-b '自定义标题' %}。\n\n{% note info %}\n**提示**：内容\n{% endnote %}\n\n{% codeblock lang:java %}\nint a = 1;\n{% endcodeblock %}\n\n`{% asset_img 1.png %}` 与 {% youtube x %}\n";
    let dir = common::site_with([
        ("post-a.md", a),
        ("post-b.md", "# B\n\n{% asset_img 1.png %}\n"),
    ]);
    for post in ["post-a", "post-b"] {
        std::fs::create_dir_all(dir.path().join("notes").join(post)).unwrap();
        std::fs::write(dir.path().join("notes").join(post).join("1.png"), post).unwrap();
    }
    let out = common::build(dir.path());
    let html = common::read(&out, "post-a/index.html");
    for part in [
        "<img src=\"/post-a/1.png\" alt=\"图片说明\" loading=\"lazy\" />",
        "见<a href=\"/post-b/\">post-b</a>或<a href=\"/post-b/\">自定义标题</a>。",
        "<div class=\"callout\" data-callout=\"info\">",
        "<strong>提示</strong>：内容",
        "<code>{% asset_img 1.png %}</code> 与 {% youtube x %}",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    assert!(html.contains("language-java"), "{html}");
    assert!(common::read(&out, "post-b/index.html").contains("<img src=\"/post-b/1.png\""));
}

/// GitBook's tags, kept in books synced with gitbook.com, show as GitBook
/// draws them; they were `{% ... %}` text (106 in one book).
#[test]
fn gitbook_tags_show_what_they_show() {
    let note = "# API\n\n{% hint style=\"warning\" %}\n发布后**无法**返回。\n{% endhint %}\n\n{% tabs %}\n{% tab title=\"cURL\" %}\n```bash\ncurl x\n```\n{% endtab %}\n\n{% tab title=\"Python\" %}\n{% code title=\"main.py\" %}\n```python\nimport requests\n```\n{% endcode %}\n{% endtab %}\n{% endtabs %}\n\n{% content-ref url=\"b.md\" %}\n[b.md](b.md)\n{% endcontent-ref %}\n\n{% embed url=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\" %}\n";
    let dir = common::site_with([("a.md", note), ("b.md", "# B\n")]);
    let html = common::read(&common::build(dir.path()), "a/index.html");
    assert!(!html.contains("{%"), "{html}");
    for part in [
        "<div class=\"callout\" data-callout=\"warning\">",
        "发布后<strong>无法</strong>返回。",
        "<p class=\"callout-title\">cURL</p>",
        "<p class=\"callout-title\">Python</p>",
        "main.py",
        "language-python",
        "<p><a href=\"/b/\">b.md</a></p>",
        "src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\"",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
}

/// The Obsidian Admonition plugin's blocks (```` ```ad-warning ````, with
/// `title:` and `collapse:` lines) are callouts, as the plugin draws them;
/// they were code listings (41 in one vault). Other code stays code.
#[test]
fn admonition_blocks_are_callouts() {
    let note = "# A\n\n```ad-warning\ntitle: 注意\ncollapse: close\n**小心** 使用 [[b]]\n```\n\n```ad-note\n- 一\n```\n\n```python\nad = 1\n```\n";
    let dir = common::site_with([("a.md", note), ("b.md", "# B\n")]);
    let html = common::read(&common::build(dir.path()), "a/index.html");
    for part in [
        "<details class=\"callout\" data-callout=\"warning\">\n<summary class=\"callout-title\">注意</summary>",
        "<p><strong>小心</strong> 使用 <a href=\"/b/\">b</a></p>",
        "<div class=\"callout\" data-callout=\"note\">",
        "<li>一</li>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    assert!(html.contains("language-python"), "{html}");
    assert!(!html.contains("ad-warning"), "{html}");
}

/// Docusaurus notes: `.mdx` files are notes (one blog's docs front page was
/// copied as a raw file), and MDX's `{/* truncate */}` and the imports at a
/// note's top are not shown (the comment was the description of 14 cards).
#[test]
fn mdx_notes_and_comments_are_read_as_docusaurus_reads_them() {
    let post = "---\ntitle: 年终总结\n---\n\nimport Tweet from '@site/src/components/Tweet'\n\n{/* truncate */}\n\n今年**很忙**。{/* 私语 */}\n\n```js\n{/* kept */}\n```\n";
    let dir = common::site_with([("intro.mdx", post), ("a.md", "# A\n\n[总结](intro.mdx)\n")]);
    let out = common::build(dir.path());
    let page = common::read(&out, "intro/index.html");
    assert!(
        page.contains("<p>今年<strong>很忙</strong>。</p>"),
        "{page}"
    );
    assert!(
        !page.contains("truncate") && !page.contains("import Tweet"),
        "{page}"
    );
    assert!(page.contains("/* kept */"), "{page}");
    assert!(common::read(&out, "a/index.html").contains("href=\"/intro/\">总结"));
    let home = common::read(&out, "index.html");
    assert!(
        home.contains("今年很忙。") && !home.contains("{/*"),
        "{home}"
    );
}

/// MkDocs Material's and Markdown Preview Enhanced's admonitions were a
/// line of text and a code block (50 lines of one note); they are callouts.
#[test]
fn mkdocs_admonitions_are_callouts() {
    let note = "# A\n\n!!! warning \"小心\"\n    **不要**删除。\n\n    ```bash\n    rm -rf /\n    ```\n\n??? note 折叠\n    内容\n\n!!! 注意 这一行是正文\n";
    let dir = common::site_with([("a.md", note)]);
    let html = common::read(&common::build(dir.path()), "a/index.html");
    for part in [
        "<div class=\"callout\" data-callout=\"warning\">",
        "<p class=\"callout-title\">小心</p>",
        "<strong>不要</strong>删除。",
        "language-bash",
        "<details class=\"callout\" data-callout=\"note\">",
        "<p>!!! 注意 这一行是正文</p>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
}
