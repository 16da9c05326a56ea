//! Cross-links: GitHub heading ids, every link form, broken-link errors,
//! backlinks, related notes, topic pages and the heading index.

mod common;
use common::*;

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &html[start..];
    let end = rest.find("</section>").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn heading_ids_follow_github() {
    let site = site("links");
    let out = build(site.path());
    let html = read(&out, "go/goroutine/index.html");
    // Expected ids derived from github-slugger's rules by hand.
    for id in [
        "goroutine-协程",
        "调度",
        "调度-1",
        "c--rust-ab",
        "所有权与借用-ownership",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "missing id {id}");
        assert!(
            html.contains(&format!("class=\"anchor\" href=\"#{id}\"")),
            "missing anchor link for {id}"
        );
    }
    // Table of contents links to the same ids.
    assert!(html.contains("href=\"#调度-1\""));
}

#[test]
fn every_link_form_resolves() {
    let site = site("links");
    let out = build(site.path());
    let html = read(&out, "python/装饰器/index.html");
    let go = "/go/goroutine/";
    let want = [
        format!("href=\"{go}\">goroutine</a>"),
        format!("href=\"{go}#{}\">调度</a>", enc("调度")),
        format!("href=\"{go}#{}\">调度</a>", enc("调度-1")),
        "href=\"/python/gil/\">GIL</a>".to_string(),
        format!("href=\"/{}#{}\">进程</a>", enc("os/进程/"), enc("僵尸进程")),
        format!("href=\"{go}\">goroutine</a>"),
        format!("href=\"{go}\">go/goroutine</a>"),
        format!("href=\"{go}#{}\">goroutine &gt; 调度</a>", enc("调度")),
        format!("href=\"{go}\">协程调度</a>"),
        format!("href=\"/{}\">进程</a>", enc("os/进程/")),
        "src=\"/assets/diagram.png\"".to_string(),
        format!("href=\"#{}\">跳转</a>", enc("装饰器语法")),
        "href=\"https://example.com/x\"".to_string(),
    ];
    for w in &want {
        assert!(html.contains(w.as_str()), "missing {w}");
    }
    assert_eq!(
        html.matches("src=\"/assets/diagram.png\"").count(),
        2,
        "both image forms"
    );
}

#[test]
fn broken_link_and_anchor_fail_with_file_line_and_suggestion() {
    let site = site("links");
    std::fs::write(
        site.path().join("notes/python/坏链接.md"),
        "# 坏\n\n见 [x](../go/gorotine.md) 和\n[y](../go/goroutine.md#调渡)。\n",
    )
    .unwrap();
    let err = build_error(site.path());
    assert!(err.contains("2 broken link(s)"), "{err}");
    assert!(
        err.contains("notes/python/坏链接.md:3:3: broken link `../go/gorotine.md`"),
        "{err}"
    );
    assert!(err.contains("did you mean `go/goroutine.md`?"), "{err}");
    assert!(
        err.contains("notes/python/坏链接.md:4:1: broken link `../go/goroutine.md#调渡`"),
        "{err}"
    );
    assert!(err.contains("did you mean `#调度`?"), "{err}");
    assert!(!site.path().join("public").exists(), "nothing written");

    // `links: warn` builds anyway and still reports them.
    std::fs::write(site.path().join("biji.yaml"), "links: warn\n").unwrap();
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("broken link `../go/gorotine.md`"));
}

/// Two notes named `dup`: a link from beside one of them opens that one,
/// as in Obsidian; from elsewhere it is ambiguous. A `tags:` string is
/// cut at spaces, as Obsidian reads it.
#[test]
fn a_shared_name_means_the_note_beside_the_link() {
    let dir = common::site_with([
        ("x/dup.md", "# X dup\n"),
        ("y/dup.md", "# Y dup\n"),
        (
            "y/linker.md",
            "---\ntags: linux shell 运维\n---\n# 链接者\n\n[[dup]]\n",
        ),
        ("z/far.md", "# 远\n\n[[dup]]\n"),
    ]);
    let err = build_error(dir.path());
    assert!(
        err.contains("notes/z/far.md:3:1: broken link `dup`: `dup` is ambiguous"),
        "{err}"
    );
    assert_eq!(err.matches("broken link `").count(), 1, "{err}");
    std::fs::remove_file(dir.path().join("notes/z/far.md")).unwrap();
    let out = common::build(dir.path());
    let html = read(&out, "y/linker/index.html");
    assert!(html.contains("<a href=\"/y/dup/\">dup</a>"), "{html}");
    for tag in ["linux", "shell", "%E8%BF%90%E7%BB%B4"] {
        assert!(
            html.contains(&format!("href=\"/topics/{tag}/\"")),
            "{tag}\n{html}"
        );
    }
}

#[test]
fn ambiguous_wikilink_lists_candidates() {
    let site = site("links");
    std::fs::write(site.path().join("notes/os/goroutine.md"), "# 另一个\n").unwrap();
    let err = build_error(site.path());
    assert!(err.contains("`goroutine` is ambiguous"), "{err}");
    assert!(
        err.contains("[[go/goroutine]]") && err.contains("[[os/goroutine]]"),
        "{err}"
    );
}

#[test]
fn backlinks_show_the_linking_sentence() {
    let site = site("links");
    let out = build(site.path());
    let html = read(&out, "go/goroutine/index.html");
    let back = section(&html, "biji-backlinks");
    assert!(
        back.contains(&format!("href=\"/{}\"", enc("python/装饰器/"))),
        "{back}"
    );
    assert!(
        back.contains("相对链接：goroutine、带锚点 调度、第二个 调度。"),
        "{back}"
    );
    let gil = read(&out, "python/gil/index.html");
    assert!(section(&gil, "biji-backlinks").contains("装饰器"));
    // An embed of a section alone on its line reads as a link to it does.
    let dir = site_with([
        ("f.md", "# 公式与图表\n\n## 流程图\n\n图\n"),
        ("u.md", "# 用法\n\n下面嵌入：\n\n![[f#流程图]]\n"),
    ]);
    let html = read(&build(dir.path()), "f/index.html");
    let back = section(&html, "biji-backlinks");
    assert!(back.contains(">f &gt; 流程图<"), "{back}");
}

#[test]
fn related_notes_rank_links_and_shared_topics() {
    let site = site("links");
    let out = build(site.path());
    let html = read(&out, "python/装饰器/index.html");
    let rel = section(&html, "biji-related");
    assert!(rel.contains("Goroutine 协程"), "linked + shared tag: {rel}");
    assert!(rel.contains("GIL"), "linked + same folder: {rel}");
}

#[test]
fn a_large_topic_has_numbered_pages() {
    let n = biji::testing::TOPIC_PAGE_NOTES + 1;
    let dir = site_with((0..n).map(|k| {
        (
            format!("n{k:04}.md"),
            format!("---\ntags: [大主题]\n---\n# 笔记{k:04}\n"),
        )
    }));
    let out = build(dir.path());
    let first_url = format!("/topics/{}/", enc("大主题"));
    let first = read(&out, "topics/大主题/index.html");
    let second = read(&out, "topics/大主题/2/index.html");
    assert!(!out.join("topics/大主题/3").exists());
    let listed = |html: &str| html.matches("class=\"note-item-title\"").count();
    assert_eq!(listed(&first), biji::testing::TOPIC_PAGE_NOTES);
    assert_eq!(listed(&second), 1);
    // Both pages give the whole count and link every page, marking their own.
    for (html, own) in [(&first, &first_url), (&second, &format!("{first_url}2/"))] {
        assert!(html.contains(&format!("{n} 篇笔记")), "{html}");
        let nav = &html[html.find("class=\"page-nav\"").expect("page numbers")..];
        assert!(
            nav.contains(&format!("<a href=\"{own}\" aria-current=\"page\">")),
            "{nav}"
        );
    }
    // The last note (titles sort by number) is on page 2 only (the sidebar
    // lists every note: look at the topic's own list).
    let list = |html: &str| html[html.find("<main").unwrap()..].to_string();
    assert!(list(&second).contains("笔记0500") && !list(&first).contains("笔记0500"));
}

#[test]
fn topic_pages_list_notes_from_tags_and_folders() {
    let site = site("links");
    let out = build(site.path());
    let t = read(&out, "topics/并发/index.html");
    assert!(t.contains("Goroutine 协程") && t.contains("装饰器"));
    assert!(
        t.contains("协程是 Go 的轻量线程。"),
        "first sentence as description"
    );
    let folder_topic = read(&out, "topics/go/index.html");
    assert!(folder_topic.contains("Goroutine 协程"));
    let all = read(&out, "topics/index.html");
    assert!(all.contains(&format!("href=\"/topics/{}/\"", enc("操作系统"))));
    // 操作系统 is filed under C (cāo), 并发 under B.
    let c = section(&all, "letter-C");
    assert!(c.contains("操作系统"), "{c}");
    assert!(section(&all, "letter-B").contains("并发"));
    assert!(all.contains("href=\"#letter-C\""), "jump bar");
    // Notes link to their topics; the home page links to both indexes.
    assert!(read(&out, "os/进程/index.html")
        .contains(&format!("href=\"/topics/{}/\"", enc("操作系统"))));
    let home = read(&out, "index.html");
    assert!(home.contains("href=\"/topics/\"") && home.contains("href=\"/index/\""));
}

#[test]
fn heading_index_files_numbered_headings_under_their_subject() {
    let dir = site_with([
        ("a.md", "# A\n\n## 1. 进程\n\n## 2、线程：\n\n## 3 个问题\n"),
        ("b.md", "# B\n\n## 一、进程\n"),
    ]);
    let out = build(dir.path());
    let idx = read(&out, "index/index.html");
    // `1. 进程` and `一、进程` are one entry under J, linking both places.
    let j = section(&idx, "letter-J");
    assert!(j.contains("<dt>进程</dt>"), "{j}");
    assert!(
        j.contains(&format!("href=\"/a/#{}\"", enc("1-进程"))),
        "{j}"
    );
    assert!(
        j.contains(&format!("href=\"/b/#{}\"", enc("一进程"))),
        "{j}"
    );
    assert!(section(&idx, "letter-X").contains(">线程</a>"));
    // A count is not numbering; `#` (digits, symbols) gets an id and a jump
    // link valid in a URL: `#letter-#` was not.
    assert!(section(&idx, "letter-other").contains(">3 个问题</a>"));
    assert!(idx.contains("<h2 id=\"h-letter-other\" class=\"letter\">#</h2>"));
    assert!(idx.contains("<a href=\"#letter-other\">#</a>"), "jump bar");
    assert!(!idx.contains("letter-#"), "{idx}");
}

#[test]
fn topics_not_starting_with_a_letter_have_a_valid_fragment() {
    let dir = site_with([("a.md", "---\ntags: [3D, 进程]\n---\n# A\n\n正文。\n")]);
    let out = build(dir.path());
    let all = read(&out, "topics/index.html");
    assert!(section(&all, "letter-other").contains(">3D <span class=\"tag-count\">1</span>"));
    assert!(all.contains("<a href=\"#letter-other\">#</a>"), "{all}");
    assert!(!all.contains("letter-#"), "{all}");
}

/// C# and C are different subjects: each has its page. Tags that would
/// still share one (`..` and `/`) are named in a warning.
#[test]
fn csharp_is_not_c_and_merged_topics_are_warned_about() {
    let dir = site_with([
        ("a.md", "---\ntags: [C#]\n---\n# A\n"),
        ("b.md", "---\ntags: [C, c]\n---\n# B\n"),
        ("c.md", "---\ntags: [F#, C++]\n---\n# C\n"),
        ("d.md", "---\ntags: [\"..\", \"/\"]\n---\n# D\n"),
    ]);
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    let out = dir.path().join("public");
    assert!(read(&out, "topics/csharp/index.html").contains("<h1>C#"));
    assert!(read(&out, "topics/fsharp/index.html").contains("<h1>F#"));
    let all = read(&out, "topics/index.html");
    for topic in [">C <span", ">C# <span", ">C++ <span"] {
        let count = format!("{topic} class=\"tag-count\">1</span>");
        assert!(all.contains(&count), "{count}\n{all}");
    }
    assert!(
        err.contains("notes/d.md: topic `/` shares the page topics/-/ with topic `..`"),
        "{err}"
    );
    // Letter case is one tag, not a clash.
    assert!(!err.contains("topic `c`"), "{err}");
}

#[test]
fn a_large_heading_index_has_a_page_per_letter() {
    // 40 notes x 80 headings: more links than one page should carry.
    let dir = site_with((0..40).map(|n| {
        let mut md = format!("# 笔记 {n}\n");
        for h in 0..40 {
            md.push_str(&format!("\n## Alpha {h}\n\n## 进程 {h}\n"));
        }
        // B alone has more links than a page carries, and so has one entry: Gamma.
        for h in 0..80 {
            md.push_str(&format!("\n## Beta {h}\n\n## Gamma\n"));
        }
        md.push_str("\n## 3 个问题\n");
        (format!("n{n}.md"), md)
    }));
    let out = build(dir.path());
    const { assert!(3200 > biji::testing::INDEX_PAGE_LINKS) };
    let top = read(&out, "index/index.html");
    // `/index/` lists the letters with their counts and entries on no page of its own.
    assert!(top.contains("href=\"/index/a/\""), "{top}");
    assert!(top.contains("href=\"/index/j/\""));
    assert!(!top.contains("<dt>"), "entries are on the letter pages");
    let a = read(&out, "index/a/index.html");
    assert!(a.contains("<dt>Alpha 7</dt>"), "{a}");
    assert!(a.contains(&format!("href=\"/n3/#{}\"", enc("alpha-7"))));
    assert!(!a.contains("进程 7"), "J's entries are on J's page");
    assert!(
        a.contains("href=\"/index/a/\" aria-current=\"page\""),
        "jump bar marks the page"
    );
    assert!(
        a.contains("href=\"/index/\""),
        "breadcrumb back to the index"
    );
    assert!(read(&out, "index/j/index.html").contains("<dt>进程 7</dt>"));
    // `#` (digits, symbols) has its page at a URL without a `#`.
    assert!(top.contains("href=\"/index/other/\""));
    let other = read(&out, "index/other/index.html");
    assert!(other.contains("<dt>3 个问题</dt>"), "{other}");
    assert!(other.contains("href=\"/index/other/\" aria-current=\"page\">#</a>"));
    assert!(other.contains("<section class=\"letter-group\" id=\"letter-other\""));
    // B is cut between entries into /index/b/ and /index/b/2/ (80 entries of 40
    // links: as many as fit in INDEX_PAGE_LINKS on the first, by number).
    let fit = biji::testing::INDEX_PAGE_LINKS / 40;
    let (b1, b2) = (
        read(&out, "index/b/index.html"),
        read(&out, "index/b/2/index.html"),
    );
    assert!(!out.join("index/b/3").exists());
    assert!(b1.contains("<dt>Beta 0</dt>") && b1.contains(&format!("<dt>Beta {}</dt>", fit - 1)));
    assert!(!b1.contains(&format!("<dt>Beta {fit}</dt>")), "{b1}");
    assert!(b2.contains(&format!("<dt>Beta {fit}</dt>")) && b2.contains("<dt>Beta 79</dt>"));
    // Gamma's 3,200 places go on over two pages.
    let (g1, g2) = (
        read(&out, "index/g/index.html"),
        read(&out, "index/g/2/index.html"),
    );
    let gammas = |html: &str| html.matches("/#gamma").count();
    assert_eq!(gammas(&g1), biji::testing::INDEX_PAGE_LINKS);
    assert_eq!(gammas(&g2), 40 * 80 - biji::testing::INDEX_PAGE_LINKS);
    assert!(g1.contains("<dt>Gamma</dt>") && g2.contains("<dt>Gamma</dt>"));
    for (html, own) in [
        (&b1, "/index/b/"),
        (&b2, "/index/b/2/"),
        (&g2, "/index/g/2/"),
    ] {
        let nav = &html[html.find("class=\"page-nav\"").expect("page numbers")..];
        assert!(
            nav.contains(&format!("<a href=\"{own}\" aria-current=\"page\">")),
            "{nav}"
        );
    }
}

#[test]
fn heading_index_groups_by_pinyin_initial() {
    let site = site("links");
    let out = build(site.path());
    let idx = read(&out, "index/index.html");
    let w = section(&idx, "letter-W");
    assert!(w.contains("网络"), "网络 under W: {w}");
    let j = section(&idx, "letter-J");
    assert!(j.contains("僵尸进程"), "{j}");
    assert!(
        j.contains(&format!(
            "href=\"/{}#{}\"",
            enc("os/进程/"),
            enc("僵尸进程")
        )),
        "{j}"
    );
    // The same heading text in one note twice, and an H3 with punctuation.
    let d = section(&idx, "letter-D");
    assert!(d.contains("调度"), "{d}");
    assert!(section(&idx, "letter-C").contains("C++ &amp; Rust: a/b"));
    // English UI when language is en.
    std::fs::write(site.path().join("biji.yaml"), "language: en\n").unwrap();
    let out = build(site.path());
    assert!(read(&out, "index/index.html").contains("Heading index"));
    assert!(read(&out, "go/goroutine/index.html").contains("Linked from"));
}

/// A missing embedded note is named without its `#heading`, with the nearest
/// name, as a wikilink's is; a missing image as a file.
#[test]
fn a_missing_embed_names_the_note_or_file() {
    let site = site_with([(
        "a.md",
        "# A\n\n![[公式与图表#流程图]]\n\n![[图片.png]]\n\n![[a2]]\n",
    )]);
    let err = build_error(site.path());
    for line in [
        "notes/a.md:3:1: broken link `公式与图表#流程图`: no note named `公式与图表`",
        "notes/a.md:5:1: broken link `图片.png`: no file named `图片.png` under notes/",
        "notes/a.md:7:1: broken link `a2`: no note named `a2` (did you mean `[[a]]`?)",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
}

/// With `links: warn`, an embed that shows nothing is a link, as wikilinks
/// are: to the note whose heading or block is gone, or marked broken when
/// it names nothing. It was an `<img>` of a page, or of a missing file.
#[test]
fn an_embed_that_shows_nothing_is_a_link() {
    let site = site_with([
        (
            "a.md",
            "# A\n\n![[目标#^gone]]\n\n![[目标#不存在的标题]]\n\n![[不存在的笔记]]\n\n![[没有.png|300]]\n\n![[目标#存在的标题]]\n",
        ),
        ("目标.md", "# 目标\n\n## 存在的标题\n\n段落\n"),
    ]);
    std::fs::write(site.path().join("biji.yaml"), "links: warn\n").unwrap();
    let page = read(&build(site.path()), "a/index.html");
    let note = enc("/目标/");
    for link in [
        format!("<p><a href=\"{note}\">目标#^gone</a></p>"),
        format!("<p><a href=\"{note}\">目标#不存在的标题</a></p>"),
        format!("<p><a class=\"broken-link\" href=\"{}\" title=\"找不到链接的笔记或标题\">不存在的笔记</a></p>", enc("不存在的笔记")),
        format!("<p><a class=\"broken-link\" href=\"{}\" title=\"找不到链接的笔记或标题\">没有.png</a></p>", enc("没有.png")),
    ] {
        assert!(page.contains(&link), "{link}\n{page}");
    }
    assert!(!page.contains("<img"), "{page}");
    assert!(page.contains("<div class=\"embed\">"), "{page}");
}

/// A block id right after a formula (`…$$KL$$^ejkg5c`, no space) is the
/// block's, for links as for the page: the page had the id and links to
/// it said "no block".
#[test]
fn a_block_id_after_a_formula_is_found_by_links() {
    let site = site_with([
        (
            "信息论.md",
            "# 信息论\n\n> [!note] KL散度\n> 其定义为$$KL(P||Q)=\\sum_x P(x)$$^ejkg5c\n\n熵为 $H(X)$^h1\n",
        ),
        ("VAE.md", "# VAE\n\n见[[信息论#^ejkg5c|KL散度]]与[[信息论#^h1|熵]]\n"),
    ]);
    let out = build(site.path());
    let page = read(&out, "VAE/index.html");
    let to = |id: &str| format!("<a href=\"{}#%5E{id}\">", enc("/信息论/"));
    assert!(
        page.contains(&to("ejkg5c")) && page.contains(&to("h1")),
        "{page}"
    );
    let target = read(&out, "信息论/index.html");
    assert!(
        target.contains("id=\"^ejkg5c\"") && target.contains("id=\"^h1\""),
        "{target}"
    );
}

/// A path that differs from the file's only in letter case finds it, as
/// Obsidian, macOS and Windows do (33 links of one vault failed its build);
/// the link leads to the page or file as stored. Two files that differ
/// only in case leave such a path broken.
#[test]
fn paths_differing_only_in_case_find_their_file() {
    let site = site_with([
        (
            "index-page.md",
            "# 首页\n\n- [a](/sorted/java/mybatis.md)\n- [b](sorted/java/MyBatis.md)\n- [[sorted/java/mybatis]]\n- ![c](/image/typescript-classes.png)\n- ![d](image/typescript-classes.png)\n",
        ),
        ("sorted/Java/MyBatis.md", "# MyBatis\n"),
    ]);
    std::fs::create_dir_all(site.path().join("notes/image")).unwrap();
    std::fs::write(
        site.path().join("notes/image/TypeScript-Classes.png"),
        "png",
    )
    .unwrap();
    let page = read(&build(site.path()), "index-page/index.html");
    assert_eq!(
        page.matches("<a href=\"/sorted/Java/MyBatis/\">").count(),
        3,
        "{page}"
    );
    assert_eq!(
        page.matches("<img src=\"/image/TypeScript-Classes.png\"")
            .count(),
        2,
        "{page}"
    );
    std::fs::create_dir_all(site.path().join("notes/sorted/java")).unwrap();
    std::fs::write(site.path().join("notes/sorted/java/mybatis.md"), "# m\n").unwrap();
    std::fs::write(site.path().join("biji.yaml"), "links: warn\n").unwrap();
    let page = read(&build(site.path()), "index-page/index.html");
    assert!(
        page.contains("<a href=\"/sorted/java/mybatis/\">a</a>"),
        "{page}"
    );
    assert!(
        page.contains("class=\"broken-link\" href=\"sorted/java/MyBatis.md\""),
        "{page}"
    );
}

/// A missing Obsidian block is said to be a block, with the nearest id.
#[test]
fn a_missing_block_is_named_as_a_block() {
    let site = site_with([
        (
            "a.md",
            "# A

![[b#^blk1]]

[[b#^blk]]
",
        ),
        (
            "b.md",
            "# B

一段话。 ^blk
",
        ),
    ]);
    let err = build_error(site.path());
    let line = "notes/a.md:3:1: broken link `b#^blk1`: note `b.md` has no block `^blk1` \
                (a paragraph or list item ending in ` ^blk1`) (did you mean `#^blk`?)";
    assert!(err.contains(line), "{line}\n{err}");
    assert!(!err.contains("a.md:5"), "{err}");
}

/// `[[note|]]` (an alias left empty) shows the target as `[[note]]` does,
/// not an empty, invisible link.
#[test]
fn a_wikilink_with_an_empty_alias_shows_its_target() {
    let site = site_with([
        ("a.md", "# A\n\n见 [[b|]]、[[b]] 和 [[b|别名]]。\n"),
        ("b.md", "# B\n"),
    ]);
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(&site.path().join("public"), "a/index.html");
    assert!(
        page.contains(
            "见 <a href=\"/b/\">b</a>、<a href=\"/b/\">b</a> 和 <a href=\"/b/\">别名</a>。"
        ),
        "{page}"
    );
}

/// Raw HTML takes part in links as Markdown does: `<a href="b.md">` is
/// rewritten to the page and checked, and an `id=` or `<a name=>` is an
/// anchor `#top` may name (such links were reported broken).
#[test]
fn raw_html_links_and_anchors_resolve() {
    let site = site_with([
        (
            "a.md",
            "# A\n\n<a id=\"top\"></a>\n\n<a href=\"b.md\">B</a> <a href=\"b.md#后\">后</a> <a href=\"#top\">t</a>\n\n[回到顶部](#top)\n",
        ),
        ("b.md", "# B\n\n<a name=\"后\"></a>\n\n<span id=\"s1\">x</span> [s](#s1)\n"),
    ]);
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.path().join("public");
    let page = read(&out, "a/index.html");
    assert!(page.contains("<a href=\"/b/\">B</a>"), "{page}");
    assert!(page.contains("<a href=\"/b/#%E5%90%8E\">后</a>"), "{page}");
    // b lists a among its backlinks, through the raw link.
    assert!(read(&out, "b/index.html").contains("href=\"/a/\""));
    std::fs::write(
        site.path().join("notes/a.md"),
        "# A\n\n<a href=\"nope.md\">N</a>\n",
    )
    .unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("notes/a.md:3:10: broken link `nope.md`"),
        "{err}"
    );
}

/// Typora on Windows writes backslashes in image paths (`assets\a.png`,
/// `.\assets\a.png`, rooted `/w\assets\a.png`, from the vault's root
/// `w\assets\a.png`) and shows the picture: the page links the file with
/// slashes, and `check` passes.
#[test]
fn windows_backslash_paths_lead_to_the_file() {
    let site = site_with([(
        "w/a.md",
        "# A\n\n![图](assets\\p.png) ![点](.\\assets\\p.png) <img src=\"assets\\p.png\"> [B](..\\b.md)\n\
         ![根](/w\\assets\\p.png) ![库](w\\assets\\p.png)\n",
    ), ("b.md", "# B\n"), ("w/assets/p.png", "png")]);
    let out = build(site.path());
    let page = read(&out, "w/a/index.html");
    assert_eq!(page.matches("src=\"/w/assets/p.png\"").count(), 5, "{page}");
    assert!(page.contains("<a href=\"/b/\">B</a>"), "{page}");
    let o = biji(site.path(), &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A picture whose file name has spaces, written as it is (macOS names
/// screenshots so, and Typora shows them): the page shows it.
#[test]
fn file_paths_with_spaces_lead_to_the_file() {
    let site = site_with([
        (
            "a.md",
            "# A\n\n![截图](assets/截屏 下午3.20.png) 见 [文档](assets/my notes.pdf)\n\n\
             ![副本](assets/截屏 (1).png \"第二张\") [第二页](assets/my notes.pdf#page=2)\n",
        ),
        ("assets/截屏 下午3.20.png", "png"),
        ("assets/截屏 (1).png", "png"),
        ("assets/my notes.pdf", "pdf"),
    ]);
    let out = build(site.path());
    let page = read(&out, "a/index.html");
    assert!(
        page.contains(
            "src=\"/assets/%E6%88%AA%E5%B1%8F%20%E4%B8%8B%E5%8D%883.20.png\" alt=\"截图\""
        ),
        "{page}"
    );
    assert!(page.contains("href=\"/assets/my%20notes.pdf\""), "{page}");
    assert!(
        page.contains("src=\"/assets/%E6%88%AA%E5%B1%8F%20(1).png\" alt=\"副本\" title=\"第二张\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"/assets/my%20notes.pdf#page=2\""),
        "{page}"
    );
    let o = biji(site.path(), &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A message after such a path on its line has the author's column.
    std::fs::write(
        site.path().join("notes/c.md"),
        "# C\n\n![截图](assets/截屏 下午3.20.png) [x](nope.md)\n",
    )
    .unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("notes/c.md:3:29: broken link `nope.md`"),
        "{err}"
    );
}

/// Obsidian writes Markdown links (wikilinks off) as a bare file name when
/// it is unique ("shortest path when possible", its default) or from the
/// vault's root; both lead where Obsidian leads, after the relative path.
#[test]
fn obsidian_markdown_links_resolve_as_in_the_vault() {
    let dir = common::site_with([
        ("python/装饰器.md", "# 装饰器\n\n## 语法\n"),
        ("go/a.md", "# Go A\n"),
        ("rust/a.md", "# Rust A\n"),
        ("a/b/笔记.md", "# 笔记\n\n[名](装饰器.md) [根](python/装饰器.md#语法) ![图](pic.png) [近](../b/笔记.md)\n"),
        ("a/b/歧义.md", "# 歧义\n\n[哪个](a.md)\n"),
    ]);
    std::fs::create_dir_all(dir.path().join("notes/attachments")).unwrap();
    std::fs::write(dir.path().join("notes/attachments/pic.png"), b"x").unwrap();
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    let html = common::read(&dir.path().join("public"), "a/b/笔记/index.html");
    let page = format!("/{}", enc("python/装饰器/"));
    for link in [
        format!("<a href=\"{page}\">名</a>"),
        format!("<a href=\"{page}#{}\">根</a>", enc("语法")),
        "<img src=\"/attachments/pic.png\" alt=\"图\"".to_string(),
        format!("<a href=\"/{}\">近</a>", enc("a/b/笔记/")),
    ] {
        assert!(html.contains(&link), "{link} in {html}");
    }
    // A bare name that several notes have is broken, with the candidates.
    assert!(
        err.contains("notes/a/b/歧义.md:3:1: broken link `a.md`: `a.md` is not next to this note, and several files have that name; write the path, one of: go/a.md, rust/a.md"),
        "{err}"
    );
}

/// Obsidian names a heading by its text: in wikilinks (`<T>` included, in
/// any letter case), in Markdown links with wikilinks off (the text
/// percent-encoded) and as a path of headings when two share a name.
#[test]
fn heading_links_by_text_and_path_find_the_heading() {
    heading_links_find_the_heading(0);
}

/// The same in notes of many headings, whose anchors are looked up in
/// tables, not scanned: the same headings are found.
#[test]
fn heading_links_into_long_notes_find_the_same_heading() {
    heading_links_find_the_heading(40);
}

/// The links above, into notes with `pad` more headings at their end (the
/// same names in other cases, so that the first match must still win).
fn heading_links_find_the_heading(pad: usize) {
    let more: String = (0..pad)
        .map(|k| match k % 3 {
            0 => format!("\n## 附录 {k}\n\n文字\n"),
            1 => "\n## DOCKER COMPOSE 用法\n\n重复\n".to_string(),
            _ => "\n### 配置\n\n重复\n".to_string(),
        })
        .collect();
    let docker = format!(
        "# Docker 笔记\n\n## Docker Compose 用法\n\n内容\n\n## 1. 安装：准备\n\n内容\n\n## 问题 | 管道\n\n内容\n{more}"
    );
    let t = format!(
        "# T\n\n## 安装\n\n### 配置\n\n安装的配置\n\n## 使用\n\n### 配置\n\n使用的配置\n{more}"
    );
    let generic = format!("# 泛型 List<String> 详解\n\n## Vec<T> 的用法\n\n内容\n{more}");
    let links = "# 索引\n\n- [用法](docker.md#Docker%20Compose%20用法)\n- [安装](docker.md#1.%20安装：准备)\n- [[docker#docker compose 用法]]\n- [[t#使用#配置]]\n- [[泛型#Vec<T> 的用法]]\n- [[docker#问题 管道|管道]]\n\n![[t#使用#配置]]\n";
    let dir = common::site_with([
        ("docker.md", docker.as_str()),
        ("t.md", t.as_str()),
        ("泛型.md", generic.as_str()),
        ("索引.md", links),
        (
            "坏.md",
            "# 坏\n\n[x](docker.md#不存在)\n\n[[t#配置#使用]]\n",
        ),
    ]);
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    let out = dir.path().join("public");
    let html = common::read(&out, "索引/index.html");
    let usage = format!("/docker/#{}", enc("docker-compose-用法"));
    for link in [
        format!("<a href=\"{usage}\">用法</a>"),
        format!("<a href=\"/docker/#{}\">安装</a>", enc("1-安装准备")),
        format!("<a href=\"{usage}\">docker &gt; docker compose 用法</a>"),
        format!(
            "<a href=\"/t/#{}\">t &gt; 使用 &gt; 配置</a>",
            enc("配置-1")
        ),
        format!("<a href=\"/{}/#{}\">", enc("泛型"), enc("vec-的用法")),
        // Obsidian leaves the `|` out of a link to `## 问题 | 管道`.
        format!("<a href=\"/docker/#{}\">管道</a>", enc("问题--管道")),
    ] {
        assert!(html.contains(&link), "{link} in {html}");
    }
    assert!(html.contains("<h3>配置</h3>\n<p>使用的配置</p>"), "{html}");
    // The generic type is in the title and the anchor's label, as on the page.
    let generic = common::read(&out, "泛型/index.html");
    assert!(
        generic.contains("<title>泛型 List&lt;String&gt; 详解"),
        "{generic}"
    );
    assert!(
        generic.contains("链接到本节：Vec&lt;T&gt; 的用法"),
        "{generic}"
    );
    assert_eq!(err.matches("broken link").count(), 2, "{err}");
    assert!(
        err.contains("notes/坏.md:3:1: broken link `docker.md#不存在`: note `docker.md` has no heading with id `#不存在`"),
        "{err}"
    );
    // Each part of a path is inside the one before: 使用 is not under 配置.
    assert!(
        err.contains("notes/坏.md:5:1: broken link `t#配置#使用`"),
        "{err}"
    );
}

/// `[[论文.pdf]]` is a link to the file (an embed without the `!`), found
/// as an embed finds it; a note with a dot in its name is still a note, and
/// a code file named as a note (`node.js` beside `node.js.md`) is not it.
#[test]
fn obsidian_links_to_files_lead_to_the_file() {
    let reader = "# 读书\n\n见 [[论文.pdf]]，[[论文.pdf#page=3|第三章]]，[[图 1.png]]，[[Vue3.0 入门]]，[[node.js]]，[[/规范.pdf]]。\n";
    let dir = common::site_with([
        ("a/读书.md", reader),
        ("b/Vue3.0 入门.md", "# Vue\n"),
        ("b/node.js.md", "# Node\n"),
        ("c.md", "# C\n\n[[缺失.pdf]]\n"),
    ]);
    std::fs::create_dir_all(dir.path().join("notes/资料")).unwrap();
    for (file, bytes) in [
        ("资料/论文.pdf", &b"%PDF"[..]),
        ("a/图 1.png", b"x"),
        ("a/node.js", b"//"),
        ("规范.pdf", b"%PDF"),
        ("a/规范.pdf", b"%PDF"),
    ] {
        std::fs::write(dir.path().join("notes").join(file), bytes).unwrap();
    }
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    let html = common::read(&dir.path().join("public"), "a/读书/index.html");
    let pdf = format!("/{}", enc("资料/论文.pdf"));
    for link in [
        format!("<a href=\"{pdf}\">论文.pdf</a>"),
        format!("<a href=\"{pdf}#page=3\">第三章</a>"),
        format!("<a href=\"/{}\">图 1.png</a>", enc("a/图 1.png")),
        format!("<a href=\"/{}\">Vue3.0 入门</a>", enc("b/Vue3.0-入门/")),
        "<a href=\"/b/node.js/\">node.js</a>".to_string(),
        // From the root: not the copy beside the note.
        format!("<a href=\"/{}\">/规范.pdf</a>", enc("规范.pdf")),
    ] {
        assert!(html.contains(&link), "{link} in {html}");
    }
    assert!(
        err.contains("notes/c.md:3:1: broken link `缺失.pdf`: no file or note named `缺失.pdf`"),
        "{err}"
    );
}

/// `/images/a.png` means the notes folder's root, as on GitHub and in
/// Typora: it gets the base path and is checked; other rooted paths (a
/// page biji generates) get the base path too, unless written with it.
#[test]
fn rooted_paths_resolve_from_the_notes_folder() {
    let dir = common::site_with([
        ("python/装饰器.md", "# 装饰器\n\n## 语法\n"),
        (
            "a/笔记.md",
            "# 笔记\n\n![图](/images/logo.png) [根](/python/装饰器.md#语法) [主题](/topics/)\n\n\
             [首页](/) [搜](/search/?q=协程#x) [已有](/repo/index/) <a href=\"/index/\">索引</a>\n",
        ),
    ]);
    std::fs::create_dir_all(dir.path().join("notes/images")).unwrap();
    std::fs::write(dir.path().join("notes/images/logo.png"), b"x").unwrap();
    std::fs::write(
        dir.path().join("biji.yaml"),
        "base_url: https://u.github.io/repo/\n",
    )
    .unwrap();
    let html = common::read(&common::build(dir.path()), "a/笔记/index.html");
    for link in [
        "<img src=\"/repo/images/logo.png\" alt=\"图\"".to_string(),
        format!(
            "<a href=\"/repo/{}#{}\">根</a>",
            enc("python/装饰器/"),
            enc("语法")
        ),
        "<a href=\"/repo/topics/\">主题</a>".to_string(),
        "<a href=\"/repo/\">首页</a>".to_string(),
        "<a href=\"/repo/search/?q=%E5%8D%8F%E7%A8%8B#x\">搜</a>".to_string(),
        "<a href=\"/repo/index/\">已有</a>".to_string(),
        "<a href=\"/repo/index/\">索引</a>".to_string(),
    ] {
        assert!(html.contains(&link), "{link} in {html}");
    }
    std::fs::write(
        dir.path().join("notes/a/坏.md"),
        "# 坏\n\n[根](/python/装饰器.md#没有)\n",
    )
    .unwrap();
    let err = common::build_error(dir.path());
    assert!(
        err.contains("notes/a/坏.md:3:1: broken link `/python/装饰器.md#没有`"),
        "{err}"
    );
}

/// A site with hundreds of broken links (imported from elsewhere) gets a
/// screenful naming the first ones and a count of the rest, not a line
/// each; `-v` lists them all.
#[test]
fn many_broken_links_are_listed_up_to_a_screenful() {
    let body: String = (0..150)
        .map(|i| format!("[x](missing-{i}.md)\n\n"))
        .collect();
    let site = site_with([
        ("a.md", format!("# A\n\n{body}")),
        ("b.md", "[y](gone.md)\n".into()),
        ("missing.md", "# M\n".into()),
    ]);
    let err = build_error(site.path());
    assert!(err.contains("151 broken link(s):"), "{err}");
    assert_eq!(err.matches(": broken link `").count(), 100, "{err}");
    // Each listed link names the nearest note.
    assert_eq!(
        err.matches("(did you mean `missing.md`?)").count(),
        100,
        "{err}"
    );
    assert!(
        err.contains("... and 51 more broken link(s) in 2 note(s) (run with -v to list them all)"),
        "{err}"
    );
    assert!(err.contains("set `links: warn`"), "{err}");
    let all = stderr(&biji(site.path(), &["-v", "build"]));
    assert_eq!(all.matches(": broken link `").count(), 151, "{all}");
    assert_eq!(
        all.matches("(did you mean `missing.md`?)").count(),
        150,
        "{all}"
    );
    std::fs::write(site.path().join("biji.yaml"), "links: warn\n").unwrap();
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let warned = stderr(&o);
    assert_eq!(warned.matches(": broken link `").count(), 100, "{warned}");
    assert!(warned.contains("... and 51 more"), "{warned}");
}

/// A bare URL inside a raw `<a>` (`原文：<a href="URL">URL</a>`, as copied
/// from CSDN) is that link's text, not a link nested in it.
#[test]
fn bare_urls_inside_a_raw_link_are_its_text() {
    let note = "# A\n\n<a href=\"https://a.com/real\">官网 https://a.com/shown 链接</a> 之后 https://b.com/x\n\n\
                <a id=\"top\">\n\n锚点之后 https://c.com/y\n";
    let site = site_with([("a.md", note)]);
    let page = read(&build(site.path()), "a/index.html");
    assert!(
        page.contains(
            "<a href=\"https://a.com/real\">官网 https://a.com/shown 链接</a> 之后 <a href=\"https://b.com/x\">https://b.com/x</a>"
        ),
        "{page}"
    );
    // An `<a id>` left open is no link: URLs after it are linked.
    assert!(
        page.contains("锚点之后 <a href=\"https://c.com/y\">"),
        "{page}"
    );
}

/// With `links: warn`, a link that leads nowhere is built but marked (dimmed
/// by the theme, as Obsidian shows a note not yet written), and says why
/// when pointed at; a link that resolves, or a web address, is not marked.
#[test]
fn broken_links_let_stand_are_marked() {
    let note = "# A\n\n见 [[不存在的笔记]] 和 [[b#没有的标题|别名]] 与 [文件](missing.md \"旧\") 以及 [[b]] 和 [外部](https://x.io)\n";
    let dir = site_with([("a.md", note), ("b.md", "# B\n")]);
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let page = read(&build(dir.path()), "a/index.html");
    let title = "title=\"找不到链接的笔记或标题\"";
    for link in [
        format!(
            "<a class=\"broken-link\" href=\"{}\" {title}>不存在的笔记</a>",
            enc("不存在的笔记")
        ),
        // A heading gone from a note that is there: the note.
        "<a href=\"/b/\">别名</a>".to_string(),
        "<a class=\"broken-link\" href=\"missing.md\" title=\"旧\">文件</a>".to_string(),
        "<a href=\"/b/\">b</a> 和 <a href=\"https://x.io\">外部</a>".to_string(),
    ] {
        assert!(page.contains(&link), "{link} in {page}");
    }
    assert_eq!(page.matches("broken-link").count(), 2, "{page}");
}

/// E-mail addresses and URLs with a Chinese host are links, as on GitHub;
/// not in code, and not the text of a Markdown link.
#[test]
fn bare_emails_and_chinese_hosts_are_links() {
    let note =
        "# A\n\n请发邮件至someone@example.com获取，见 https://中文.com/x 和 www.例子.cn。\n\n\
                `x@y.com` 与 [a@b.com](https://x.io)\n";
    let site = site_with([("a.md", note)]);
    let page = read(&build(site.path()), "a/index.html");
    assert!(
        page.contains(
            "请发邮件至<a href=\"mailto:someone@example.com\">someone@example.com</a>获取，见 \
             <a href=\"https://中文.com/x\">https://中文.com/x</a> 和 \
             <a href=\"http://www.例子.cn\">www.例子.cn</a>。"
        ),
        "{page}"
    );
    assert!(
        page.contains("<code>x@y.com</code> 与 <a href=\"https://x.io\">a@b.com</a>"),
        "{page}"
    );
}

/// Markdown links, autolinks and wikilinks inside a raw `<a href>` are their
/// text too (still checked); after it they are links again.
#[test]
fn links_inside_a_raw_link_are_its_text() {
    let note = "# A

<a href=\"https://x.com\">见 [[b]] 与 [d](b.md) 和 <https://c.com> 以及 [[b#小节]] 还有 [[b|]]</a> 后 [[b]]\n";
    let site = site_with([("a.md", note), ("b.md", "# B\n\n## 小节\n")]);
    let page = read(&build(site.path()), "a/index.html");
    assert!(
        page.contains(
            "<a href=\"https://x.com\">见 b 与 d 和 https://c.com 以及 b &gt; 小节 还有 b</a> 后 <a href=\"/b/\">b</a>"
        ),
        "{page}"
    );
    let broken = site_with([("a.md", "# A\n\n<a href=\"https://x.com\">[[nope]]</a>\n")]);
    assert!(build_error(broken.path()).contains("nope"));
}

/// A backslash path to a note that is there, to a heading that is not, says
/// so (not "no note `sub\b.md`").
#[test]
fn a_backslash_path_to_a_missing_heading_names_the_heading() {
    let site = site_with([
        ("a.md", "# A\n\n[frag](sub\\b.md#zz) [[sub\\b#zz]]\n"),
        ("sub/b.md", "# B\n\n## h\n"),
    ]);
    let err = build_error(site.path());
    assert_eq!(
        err.matches("has no heading with id `#zz`").count(),
        2,
        "{err}"
    );
    assert!(!err.contains("no note"), "{err}");
}

/// A file in a tool's hidden folder (`.trash/`) is left out of the site; a
/// link to it says so, instead of sending the author to look for a file
/// that is there.
#[test]
fn a_link_into_a_hidden_folder_says_why_it_is_missing() {
    let dir = common::site_with([
        ("d.md", "# D\n\n![a](.trash/a.png)\n"),
        (".trash/a.png", "x"),
    ]);
    let err = common::build_error(dir.path());
    assert!(
        err.contains("notes/d.md:3:1: broken link `.trash/a.png`: no note or file `.trash/a.png` under notes/ (biji leaves out files and folders whose names start with `.`; rename `.trash` to publish it)"),
        "{err}"
    );
}

/// Array literals of algorithm notes (`[[1,2],[3,4]]`, `[[1,2,3]]`) name no
/// note: they are text, as on GitHub, and fail no build. Real wikilinks
/// beside them still link.
#[test]
fn array_literals_are_not_wikilinks() {
    let site = site_with([
        (
            "a.md",
            "# A\n\n输出：[[1,2,3],[1,3,2]]\n\n输入：[[1,2,3]]、`[[x]]` 和 [[b]]\n\n- 输出：\n  [[1,1,2],\n   [1,2,1]]\n\n输出：[['a','b']] 与 [[true,false]]\n\n正则 `grep` 的 [[:alpha:]] 类\n",
        ),
        ("b.md", "# B\n"),
    ]);
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(&site.path().join("public"), "a/index.html");
    assert!(page.contains("<p>输出：[[1,2,3],[1,3,2]]</p>"), "{page}");
    assert!(
        page.contains("<p>输入：[[1,2,3]]、<code>[[x]]</code> 和 <a href=\"/b/\">b</a></p>"),
        "{page}"
    );
    assert!(page.contains("[[1,1,2],"), "{page}");
    assert!(
        page.contains("<p>输出：[['a','b']] 与 [[true,false]]</p>"),
        "{page}"
    );
    assert!(
        page.contains("<p>正则 <code>grep</code> 的 [[:alpha:]] 类</p>"),
        "{page}"
    );
    assert!(!page.contains("broken-link"), "{page}");
}

/// References copied from the web, `[[1]](https://…)`, are links with the
/// text `[1]`, as GitHub, Typora and VS Code show them: the `[[1]]` was a
/// wikilink to no note, which failed the build, and the URL text after it.
/// A wikilink followed by words in brackets stays a wikilink. Bash's `[[ ]]`
/// names nothing: it is text.
#[test]
fn a_wikilink_before_a_destination_is_a_link_in_brackets() {
    let site = site_with([
        (
            "a.md",
            "# A\n\n见 [[Bug #109145]](https://bugs.example.com/109145) 和 [[1]](https://a.com/x)\n\n- [[下一篇]](b.md) 与 [[b]]（见上）\n- [Bash [[ ]] 用法](b.md)\n\n## 10. [[ ]]\n\n用 [[ ]] 做条件测试\n\n参见[[b]](第三章)与[[b]](Phase 3)\n",
        ),
        ("b.md", "# B\n"),
    ]);
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(&site.path().join("public"), "a/index.html");
    assert!(
        page.contains("<p>见 <a href=\"https://bugs.example.com/109145\">[Bug #109145]</a> 和 <a href=\"https://a.com/x\">[1]</a></p>"),
        "{page}"
    );
    assert!(
        page.contains("<li><a href=\"/b/\">[下一篇]</a> 与 <a href=\"/b/\">b</a>（见上）</li>"),
        "{page}"
    );
    // Bash's `[[ ]]` is text, inside a link too.
    assert!(
        page.contains("<li><a href=\"/b/\">Bash [[ ]] 用法</a></li>"),
        "{page}"
    );
    assert!(page.contains("<h2 id=\"10--\">10. [[ ]]<a"), "{page}");
    assert!(page.contains("<p>用 [[ ]] 做条件测试</p>"), "{page}");
    // A remark in brackets after a wikilink is no destination.
    assert!(
        page.contains("<p>参见<a href=\"/b/\">b</a>(第三章)与<a href=\"/b/\">b</a>(Phase 3)</p>"),
        "{page}"
    );
}

/// A note or folder named like a home folder (`home.md`, VuePress's usual
/// home page; `Users/`) is the site's own: rooted links to it resolve, and
/// `check` passes at a host's root, where `/home/` had been taken for a
/// path on the author's disk on every page. A real disk path still is one.
#[test]
fn notes_named_like_home_folders_are_the_sites_own() {
    let site = site_with([
        ("home.md", "# 首页\n"),
        (
            "other.md",
            "# 其他\n\n[首页](home.md) [h](/home.md) ![x](/Users/x.png)\n\n![p](/Users/me/Desktop/p.png)\n",
        ),
    ]);
    std::fs::create_dir_all(site.path().join("notes/Users")).unwrap();
    std::fs::write(site.path().join("notes/Users/x.png"), "x").unwrap();
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let warned = stderr(&o);
    assert!(
        warned.contains(
            "notes/other.md:5:1: `/Users/me/Desktop/p.png` is a file on the author's own disk"
        ),
        "{warned}"
    );
    assert_eq!(warned.matches("own disk").count(), 1, "{warned}");
    let page = read(&site.path().join("public"), "other/index.html");
    assert!(
        page.contains(
            "<a href=\"/home/\">首页</a> <a href=\"/home/\">h</a> <img src=\"/Users/x.png\""
        ),
        "{page}"
    );
    let o = biji(
        site.path(),
        &["check", "--base-url", "https://u.github.io/"],
    );
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert_eq!(out.matches("own disk").count(), 2, "{out}");
    assert!(!out.contains("`/home/`"), "{out}");
}

/// With `links: warn`, a link to a heading gone from a note that is there
/// leads to the note, as GitHub and Obsidian open it (it led to a 404); it
/// is still reported. A link to no note at all is still marked broken.
#[test]
fn a_stale_heading_link_leads_to_its_note() {
    let site = site_with([
        (
            "a.md",
            "# A\n\n见 [事务](b.md#旧标题) 和 [[b#旧标题]] 和 [y](c.md#z)\n",
        ),
        ("b.md", "# B\n\n## 新标题\n"),
    ]);
    std::fs::write(site.path().join("biji.yaml"), "links: warn\n").unwrap();
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).matches("broken link").count(),
        3,
        "{}",
        stderr(&o)
    );
    let page = read(&site.path().join("public"), "a/index.html");
    assert!(
        page.contains("见 <a href=\"/b/\">事务</a> 和 <a href=\"/b/\">b &gt; 旧标题</a> 和 <a class=\"broken-link\" href=\"c.md#z\""),
        "{page}"
    );
}

/// Topics whose names read alike (股市 and 故事 are both gushi) are in
/// one order on every build: it was the hash map's, another each time.
#[test]
fn topics_that_read_alike_keep_one_order() {
    let groups = [
        ["股市", "故事", "古诗", "故世"],
        ["公式", "公事", "攻势", "工事"],
        ["事实", "实施", "史诗", "失实"],
    ];
    let tags: Vec<&str> = groups.iter().flatten().rev().copied().collect();
    let note = format!("---\ntags: [{}]\n---\n# A\n", tags.join(", "));
    let dir = site_with([("a.md", note)]);
    let all = read(&build(dir.path()), "topics/index.html");
    for group in groups {
        let mut by_slug = group.to_vec();
        by_slug.sort();
        let at: Vec<usize> = by_slug
            .iter()
            .map(|t| all.find(&format!(">{t} <span")).expect(t))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{by_slug:?}\n{all}");
    }
}

/// mdBook, GitBook and VitePress books link chapters by the page each
/// becomes, `ch04.html` for `ch04.md` (165 links of one book failed its
/// build): such a link leads to the note, `dir/index.html` to the folder's
/// page. An HTML file that is there is still linked as itself.
#[test]
fn links_to_a_chapters_html_page_lead_to_its_note() {
    let dir = site_with([
        ("ch04.md", "# 所有权\n\n## 克隆\n"),
        ("guide/README.md", "# 指南\n"),
        ("guide/x.md", "# X\n"),
        ("demo.html", "<p>demo</p>\n"),
        (
            "a.md",
            "# A\n\n[一](ch04.html#克隆) [二](guide/index.html) [三](/guide/x.html) [四](demo.html) [五](myindex.html)\n",
        ),
    ]);
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(!o.status.success(), "myindex.html is broken: {err}");
    assert!(err.contains("broken link `myindex.html`"), "{err}");
    assert_eq!(err.matches("broken link `").count(), 1, "{err}");
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let a = read(&build(dir.path()), "a/index.html");
    for href in [
        format!("href=\"/ch04/#{}\">一", enc("克隆")),
        "href=\"/guide/\">二".to_string(),
        "href=\"/guide/x/\">三".to_string(),
        "href=\"/demo.html\">四".to_string(),
    ] {
        assert!(a.contains(&href), "{href}\n{a}");
    }
}

/// A GitBook book keeps its uploads in `.gitbook/assets/` (every picture
/// of one book was broken): the one hidden folder published whole, without
/// its Markdown. Of other hidden folders only what notes link to is
/// published, and never a tool's: a link into one says so.
#[test]
fn gitbook_assets_are_published_and_other_hidden_folders_are_not() {
    let dir = site_with([
        (".gitbook/assets/图 1.png", "png"),
        (".gitbook/includes/片段.md", "# 片段\n"),
        (".images/b.png", "png"),
        (".images/unlinked.png", "png"),
        (".vscode/b.png", "png"),
        (
            "a.md",
            "# A\n\n![图](.gitbook/assets/图%201.png) ![b](.vscode/b.png) ![c](.gitbook/assets/gone.png) ![i](.images/b.png)\n",
        ),
    ]);
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    let out = dir.path().join("public");
    assert!(out.join(".gitbook/assets/图 1.png").is_file());
    assert!(!out.join(".gitbook/includes").exists() && !out.join(".vscode").exists());
    assert!(out.join(".images/b.png").is_file() && !out.join(".images/unlinked.png").exists());
    let a = read(&out, "a/index.html");
    assert!(
        a.contains(&format!("src=\"/.gitbook/assets/{}\"", enc("图 1.png"))),
        "{a}"
    );
    assert!(
        err.contains("broken link `.vscode/b.png`") && err.contains("rename `.vscode`"),
        "{err}"
    );
    let gone = err.lines().find(|l| l.contains("gone.png")).unwrap();
    assert!(!gone.contains("rename"), "{gone}");
}

/// Typora writes the path on the author's disk when the notes folder is
/// open there (`F:\gitbook\images\a.png`): the file under `notes/` that path
/// ends with (a folder and a file at least) is the one meant. One whose
/// end is nowhere is still named as on the author's disk.
#[test]
fn a_path_on_the_authors_disk_finds_the_file_it_ends_with() {
    let dir = site_with([
        ("images/树.png", "png"),
        ("算法/查找.md", "# 查找\n\n![](F:\\gitbook\\images\\树.png) ![](/Users/me/notes/images/树.png) ![](F:/x/images/gone.png)\n"),
    ]);
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    let page = read(&dir.path().join("public"), "算法/查找/index.html");
    assert_eq!(
        page.matches(&format!("src=\"/images/{}\"", enc("树.png")))
            .count(),
        2,
        "{page}"
    );
    assert!(
        err.contains("`F:/x/images/gone.png` is a file on the author's own disk"),
        "{err}"
    );
}

/// Pictures kept in hidden folders (`.assets/`, `.assert/`, as some Typora
/// users set it up) show in the editor: the files notes link to are
/// published; a tool's folder (`.obsidian/`), a hidden note and a hidden
/// file are not.
#[test]
fn files_notes_link_to_in_hidden_folders_are_published() {
    let site = site_with([
        (
            "sub/x.md",
            "# X\n\n<img src=\"/sub/.assert/x/a.png\" style=\"zoom:50%\">\n\n![b](.assets/b.png) ![[.assets/c.png|300]]\n",
        ),
        ("sub/.assert/x/a.png", "a"),
        ("sub/.assets/b.png", "b"),
        ("sub/.assets/c.png", "c"),
        ("sub/.assets/unlinked.png", "u"),
        ("sub/.assets/n.md", "# 隐藏的笔记\n"),
        (".obsidian/p.png", "p"),
    ]);
    let out = build(site.path());
    for f in [
        "sub/.assert/x/a.png",
        "sub/.assets/b.png",
        "sub/.assets/c.png",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    for f in [
        "sub/.assets/unlinked.png",
        ".obsidian/p.png",
        "sub/.assets/n/index.html",
    ] {
        assert!(!out.join(f).exists(), "{f}");
    }
    let html = read(&out, "sub/x/index.html");
    for src in [
        "src=\"/sub/.assert/x/a.png\"",
        "src=\"/sub/.assets/b.png\"",
        "src=\"/sub/.assets/c.png\"",
    ] {
        assert!(html.contains(src), "{src}\n{html}");
    }
    // A tool's folder stays out, and a link into it is broken, with why.
    std::fs::write(
        site.path().join("notes/y.md"),
        "![p](.obsidian/p.png)\n\n![g](sub/.assets/gone.png)\n",
    )
    .unwrap();
    let err = build_error(site.path());
    assert!(err.contains("rename `.obsidian` to publish it"), "{err}");
    // A file missing from a folder that would be published is only missing.
    let gone = err.lines().find(|l| l.contains("gone.png")).unwrap();
    assert!(!gone.contains("rename"), "{gone}");
}
