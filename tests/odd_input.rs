//! Notes no one means to write but a build meets anyway (a minified line in a
//! code block, a stray NUL byte, an unlucky file name): the build neither
//! stalls, nor writes broken pages, nor names its own temporary files.

mod common;
use common::*;

/// Builds `root` as [`build`] does, failing if that takes more than 60 s:
/// a stall on one odd note (time growing with the square of its size) would
/// otherwise only show as a slow test run. These notes build in about 0.5 s
/// optimized and 5 s in a debug build alone; beside the other tests on two
/// cores one took 20 s in CI, while each stall these guard took over a
/// minute optimized.
fn build_without_stalling(root: &std::path::Path) -> std::path::PathBuf {
    let started = std::time::Instant::now();
    let out = build(root);
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(60), "{took:?}");
    out
}

#[test]
fn a_code_block_too_long_to_highlight_is_plain_and_reported() {
    // One 1 MB line: syntect took 109 s on it.
    let line = "**粗体** `code` [链接](x.md) <b>".repeat(30_000);
    assert!(line.len() > 1_000_000);
    let note = format!("# 大\n\n```markdown\n{line}\n```\n\n```rust\nfn main() {{}}\n```\n");
    let site = site_with([("big.md", note.as_str())]);
    let o = biji(site.path(), &["build"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("1 code block(s) too long to highlight")
            && err.contains("notes/big.md:3 (a line of"),
        "{err}"
    );
    let page = read(&site.path().join("public"), "big/index.html");
    let start = page.find("<code class=\"language-markdown\">").unwrap();
    let block = &page[start..start + page[start..].find("</code>").unwrap()];
    assert!(block.contains("**粗体** `code` [链接](x.md) &lt;b&gt;"));
    assert!(!block.contains("<span"), "not highlighted");
    // The short block beside it still is.
    assert!(page.contains("<pre class=\"code hl-code\" data-lang=\"rust\">"));
    assert!(page.contains("<span class=\"hl"));
}

/// Every file under `out`, gzip files decompressed.
fn output_files(out: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            let name = e.path().display().to_string();
            if name.ends_with(".gz") {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut plain)
                    .unwrap();
                (name, plain)
            } else {
                (name, bytes)
            }
        })
        .collect()
}

#[test]
fn nul_bytes_become_replacement_characters_in_every_page() {
    let note = "---\ntitle: \"T\\0itle\"\ntags: [\"a\\x00b\", c\0d]\ncategories: \"\\u0000\"\ndescription: \"d\\u0000e\"\n---\n\
                # H\0ead\n\ntext \0 here <b>\0</b>\n\n```\ncode\0x\n```\n\n```python\npy\0x = 1\n```\n\n\
                `in\0line` $a\0b$\n\n<div>\0raw</div>\n\n[l\0](https://x.com/\0)\n";
    let site = site_with([("n.md", note)]);
    std::fs::write(site.path().join("biji.yaml"), "title: \"站\\0点\"\n").unwrap();
    let out = build(site.path());
    for (name, bytes) in output_files(&out) {
        assert!(!bytes.contains(&0), "a NUL in {name}");
    }
    let page = read(&out, "n/index.html");
    for shown in [
        "<title>T\u{FFFD}itle · 站\u{FFFD}点</title>",
        "<p>text \u{FFFD} here <b>\u{FFFD}</b></p>",
        "<code>code\u{FFFD}x",
        "<code>in\u{FFFD}line</code>",
        "<div>\u{FFFD}raw</div>",
        ">a\u{FFFD}b</a>",
        ">c\u{FFFD}d</a>",
        ">\u{FFFD}</a>",
        "content=\"d\u{FFFD}e\"",
    ] {
        assert!(page.contains(shown), "{shown}");
    }
}

#[test]
fn a_nul_byte_leaves_line_and_column_numbers_as_they_were() {
    let site = site_with([("n.md", "# N\n\n\0\0[x](nowhere.md)\n")]);
    let err = build_error(site.path());
    assert!(
        err.contains("notes/n.md:3:3: broken link `nowhere.md`"),
        "{err}"
    );
}

#[test]
fn a_note_or_folder_named_like_a_file_biji_writes_is_an_error_naming_it() {
    // `404.html.md` is published as the folder `404.html/`, where the
    // not-found page is a file: the build failed naming its staging folder.
    let site = site_with([
        ("404.html.md", "# 找不到\n"),
        ("sitemap.xml/a.md", "# A\n"),
        ("b.md", "# B\n"),
    ]);
    let err = build_error(site.path());
    assert!(!err.contains("biji-tmp"), "{err}");
    assert!(
        err.contains("notes/404.html.md: its URL /404.html/ is reserved")
            && err.contains("rename the note"),
        "{err}"
    );
    assert!(
        err.contains("notes/sitemap.xml/: its URL /sitemap.xml/ is reserved"),
        "{err}"
    );
    // A Hugo theme's search page: the way to leave it out is named.
    std::fs::remove_file(site.path().join("notes/404.html.md")).unwrap();
    std::fs::remove_dir_all(site.path().join("notes/sitemap.xml")).unwrap();
    std::fs::create_dir_all(site.path().join("notes/search")).unwrap();
    std::fs::write(
        site.path().join("notes/search/_index.md"),
        "---\nlayout: search\n---\n",
    )
    .unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("leave it out with `exclude: [search/_index.md]` in biji.yaml"),
        "{err}"
    );
}

/// An Obsidian vault's `index/` folder (its maps of content) is the notes'
/// own: the heading index steps aside to `/headings/`, and every page's
/// link to it follows.
#[test]
fn a_folder_named_index_keeps_its_url_and_the_heading_index_moves() {
    let site = site_with([
        (
            "index/MOC Java.md",
            "# MOC Java\n\n## 集合\n\n[[Java 基础]]\n",
        ),
        ("Java 基础.md", "# Java 基础\n\n## 泛型\n"),
    ]);
    let out = build(site.path());
    let moc = read(&out, "index/MOC-Java/index.html");
    assert!(moc.contains("<h1 id=\"moc-java\">MOC Java"), "{moc}");
    let headings = read(&out, "headings/index.html");
    assert!(
        headings.contains("泛型") && headings.contains("集合"),
        "{headings}"
    );
    for page in [
        "index.html",
        "index/MOC-Java/index.html",
        "Java-基础/index.html",
    ] {
        let html = read(&out, page);
        assert!(
            html.contains("href=\"/headings/\">标题索引"),
            "{page}: {html}"
        );
        assert!(
            !html.contains("href=\"/index/\">标题索引"),
            "{page}: {html}"
        );
    }
    // A vault with `headings/` too: the next free name.
    std::fs::create_dir_all(site.path().join("notes/headings")).unwrap();
    std::fs::write(site.path().join("notes/headings/h.md"), "# H\n").unwrap();
    let out = build(site.path());
    assert!(read(&out, "heading-index/index.html").contains("泛型"));
}

/// A note or folder named only with spaces has no URL segment: the build
/// said it refused to write `/index.html`, naming no file.
#[test]
fn a_name_of_only_spaces_is_an_error_naming_the_note() {
    let site = site_with([
        (" .md", "# 空\n"),
        ("\u{3000}/c.md", "# C\n"),
        ("b.md", "# B\n"),
    ]);
    let err = build_error(site.path());
    assert!(
        err.contains("notes/ .md: the name ` ` is only spaces"),
        "{err}"
    );
    assert!(
        err.contains("notes/\u{3000}/c.md: the name `\u{3000}` is only spaces"),
        "{err}"
    );
    assert!(!err.contains("outside the output folder"), "{err}");
}

#[test]
fn an_empty_heading_gets_no_id_and_no_anchor() {
    // `##` alone and `## ` with a trailing space, as messy notes have them.
    let note = "# 标题\n\n##\n\n段落一。\n\n## \n\n## 第二节\n\n[TOC]\n\n### 小节\n";
    let site = site_with([("messy.md", note)]);
    let page = read(&build(site.path()), "messy/index.html");
    assert!(!page.contains("id=\"\""), "{page}");
    assert!(!page.contains("href=\"#\""), "{page}");
    assert_eq!(page.matches("<h2></h2>").count(), 2, "{page}");
    // The other headings keep their ids and anchors, and both tables of
    // contents list them alone.
    assert!(page.contains("<h2 id=\"第二节\">第二节<a class=\"anchor\" href=\"#第二节\""));
    let toc = &page[page.find("<details class=\"toc\"").unwrap()..];
    let toc = &toc[..toc.find("</details>").unwrap()];
    assert_eq!(toc.matches("<li").count(), 2, "{toc}");
    let inline = &page[page.find("<nav class=\"toc-inline\"").unwrap()..];
    let inline = &inline[..inline.find("</nav>").unwrap()];
    assert_eq!(inline.matches("<li>").count(), 2, "{inline}");
}

/// Notes that each embed the next one ten times, six deep: every level
/// multiplied the page by ten (a 99 MB page in 7 s here, and each level more
/// ten times that). Embeds show up to a budget of notes, deeper ones are
/// links, and the build says so.
#[test]
fn embeds_that_multiply_stay_within_a_budget() {
    let mut notes: Vec<(String, String)> = (0..6)
        .map(|i| {
            let embeds = format!("![[l{}]]\n\n", i + 1).repeat(10);
            (format!("l{i}.md"), format!("# L{i}\n\n{embeds}"))
        })
        .collect();
    notes.push(("l6.md".into(), "叶子文字\n".into()));
    let site = site_with(notes.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    let o = biji(site.path(), &["build"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("notes/l0.md: its embeds embed more notes in turn, more than 256 in all"),
        "{err}"
    );
    let out = site.path().join("public");
    let top = read(&out, "l0/index.html");
    assert!(top.len() < 1_000_000, "{} bytes", top.len());
    // Within the budget every level shows: l4 embeds l5 ten times, each
    // embedding the leaf ten times.
    assert_eq!(read(&out, "l4/index.html").matches("叶子文字").count(), 100);
    assert!(!err.contains("notes/l4.md"), "{err}");
}

/// A chain of embeds deeper than 8 shows 8 levels and says so, naming the
/// note; with embeds off, no note is warned about (each was, for "more than
/// 256" embeds).
#[test]
fn embeds_past_the_depth_are_named_and_off_means_silent() {
    let mut notes: Vec<(String, String)> = (1..12)
        .map(|i| (format!("n{i}.md"), format!("# N{i}\n\n![[n{}]]\n", i + 1)))
        .collect();
    notes.push(("n12.md".into(), "# N12\n\n最深处\n".into()));
    let site = site_with(notes.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    let o = biji(site.path(), &["build"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("notes/n1.md: its embeds nest more than 8 deep"),
        "{err}"
    );
    // n4 reaches n12 within 8 levels.
    assert!(!err.contains("notes/n4.md"), "{err}");
    let page = read(&site.path().join("public"), "n4/index.html");
    assert!(page.contains("最深处"));
    std::fs::write(
        site.path().join("biji.yaml"),
        "markdown:\n  embeds: false\n",
    )
    .unwrap();
    let o = biji(site.path(), &["build"]);
    assert!(!stderr(&o).contains("WARN"), "{}", stderr(&o));
}

/// Classic Mac OS line endings (a lone CR) end lines, as in CommonMark: the
/// note was one heading holding every line, its front matter unseen.
#[test]
fn lone_carriage_returns_end_lines() {
    let note = "---\rtitle: 标题\r---\r# Title\rParagraph one.\r\rParagraph two.\r";
    let site = site_with([("mac.md", note)]);
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(&site.path().join("public"), "mac/index.html");
    assert!(page.contains("<title>标题"), "front matter read");
    assert!(
        page.contains("<p>Paragraph one.</p>\n<p>Paragraph two.</p>"),
        "{page}"
    );
}

/// A note saved as UTF-16 (Notepad's "Unicode") is named as such, with the
/// command that converts it, not as GBK.
#[test]
fn a_utf16_note_is_named_as_such() {
    let site = site_with([("a.md", "# A\n")]);
    let file = site.path().join("notes/u16.md");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("# 标题\n".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&file, bytes).unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("notes/u16.md:1:1: UTF-16 text")
            && err.contains("iconv -f UTF-16 -t UTF-8 notes/u16.md"),
        "{err}"
    );
    assert!(!err.contains("GBK"), "{err}");

    // UTF-32's mark begins with UTF-16's; `biji.yaml` and templates are told too.
    let mut bytes = vec![0xFF, 0xFE, 0, 0];
    bytes.extend("# 标题\n".chars().flat_map(|c| (c as u32).to_le_bytes()));
    std::fs::write(&file, bytes).unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("notes/u16.md:1:1: UTF-32 text")
            && err.contains("iconv -f UTF-32 -t UTF-8 notes/u16.md"),
        "{err}"
    );
    std::fs::remove_file(&file).unwrap();
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend("title: x\n".encode_utf16().flat_map(u16::to_be_bytes));
    std::fs::write(site.path().join("biji.yaml"), bytes).unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("biji.yaml:1:1: UTF-16 text")
            && err.contains("iconv -f UTF-16 -t UTF-8 biji.yaml"),
        "{err}"
    );
}

/// Raw HTML left open 200,000 times is closed where the note ends, in
/// about the time its text takes: each tag searched every open element
/// before (23 s for this note), and `serve` waited on it.
#[test]
fn html_left_open_many_times_is_closed_without_stalling() {
    let note = format!("# H\n\n{}", "<span><code>x".repeat(100_000));
    let site = site_with([("h.md", note.as_str())]);
    let out = build_without_stalling(site.path());
    let page = read(&out, "h/index.html");
    let content = page.split("<div class=\"content\">").nth(1).unwrap();
    // Closed innermost first, all at the end.
    assert!(content.contains(&format!("x{}", "</code></span>".repeat(100_000))));
}

/// A long line of emphasis runs beside Chinese punctuation and quote marks
/// is read in linear time: each run looked back to its line's start (70 s
/// for this note).
#[test]
fn a_long_line_of_runs_beside_punctuation_does_not_stall() {
    let note = format!(
        "# E\n\n{}\n\n{}**后\n",
        ">**：".repeat(100_000),
        "：**中".repeat(100_000)
    );
    let site = site_with([("e.md", note.as_str())]);
    let out = build_without_stalling(site.path());
    assert!(read(&out, "e/index.html").contains("：<strong>中"));
}

/// A long line of `<` inside an HTML block is read in linear time: each `<`
/// looked at the rest of the run for a tag name (76 s at 400 KB).
#[test]
fn a_long_line_of_angle_brackets_in_html_does_not_stall() {
    let note = format!("# H\n\n<div>\n{}\n</div>\n", "<".repeat(400_000));
    let site = site_with([("h.md", note.as_str())]);
    let out = build_without_stalling(site.path());
    assert!(read(&out, "h/index.html").contains("&lt;&lt;&lt;"));
}

/// Topics are under /topics/: a note or folder named `tags` is the user's
/// (it was refused as reserved).
#[test]
fn a_tags_folder_is_a_folder_of_notes() {
    let dir = common::site_with([
        ("tags.md", "# 标签的用法\n"),
        ("tags/html.md", "# HTML 标签\n"),
    ]);
    let out = common::build(dir.path());
    assert!(common::read(&out, "tags/html/index.html").contains("HTML 标签"));
    assert!(common::read(&out, "tags/index.html").contains("标签的用法"));
}

/// A `$$` formula whose braces do not pair up is no formula to the parser:
/// it stays text, and the build says so with its line, as it does for a
/// formula it cannot draw. A `$$` in code is left alone.
#[test]
fn a_formula_the_parser_does_not_take_is_named() {
    let note = "# M\n\n$$\n\\frac{a}{b\n$$\n\n```\n$$\nx{\n$$\n```\n\n$$\n\\frac{a}{b}\n$$\n";
    let dir = common::site_with([("m.md", note)]);
    let o = common::biji(dir.path(), &["build", "--no-cache"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("notes/m.md:3: this `$$` formula is not read as math"),
        "{err}"
    );
    assert_eq!(err.matches("not read as math").count(), 1, "{err}");
    assert!(err.contains("pair up"), "{err}");
    // One never closed is said to be so, not to have braces amiss.
    let open = common::site_with([("m.md", "# M\n\n$$\na = b\n\n正文继续\n")]);
    let err = common::stderr(&common::biji(open.path(), &["build", "--no-cache"]));
    assert!(
        err.contains("notes/m.md:3: this `$$` formula is not read as math and is shown as text; no `$$` ends it"),
        "{err}"
    );
}

/// The noncharacters biji's own rewrites stand in with, typed by a note
/// (or pasted in): they stay as written. A note with U+FDD4 had it shown
/// as `$`, since the glued-dollar rewrite's stand-in was looked for in the
/// note rather than in what the rewrite did.
#[test]
fn a_notes_own_noncharacters_stay_as_written() {
    let note = "# A\n\n甲\u{FDD4}乙 价格$5 和 [[1]](https://a.com) 丙\u{FDD3}丁 $ x^2 $\n";
    let dir = site_with([("a.md", note)]);
    let page = read(&build(dir.path()), "a/index.html");
    assert!(
        page.contains("甲\u{FDD4}乙 价格$5 和 <a href=\"https://a.com\">[1]</a>"),
        "{page}"
    );
    assert!(page.contains("丙\u{FDD3}丁"), "{page}");
}

/// Formulas found by fuzzing that hung or aborted the whole build: brackets
/// left open (each doubled the time), a chain of commands each the next
/// one's argument (a worker's stack overflowed, an abort with no file
/// named), and a `{%}` that panicked the Hexo tag rewrite. Each note builds,
/// the formulas shown as TeX with a warning naming the note.
#[test]
fn formulas_that_would_hang_or_crash_are_shown_as_tex() {
    let mut notes = vec![
        (
            "open.md".to_string(),
            format!("# O\n\n${}x$\n", r"\\(".repeat(40)),
        ),
        ("tag.md".to_string(), "# T\n\na {%} b\n".to_string()),
    ];
    for i in 0..6 {
        notes.push((
            format!("sqrt{i}.md"),
            format!("# S\n\n$$\n{}x\n$$\n", r"\sqrt".repeat(3000)),
        ));
    }
    let dir = site_with(notes);
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("notes/open.md:3: this formula cannot be shown as math (more than 12 brackets left open)"), "{err}");
    assert!(err.contains("notes/sqrt0.md:3: this formula cannot be shown as math (nested more than 100 levels deep)"), "{err}");
    let out = dir.path().join("public");
    assert!(read(&out, "tag/index.html").contains("a {%} b"));
    assert!(read(&out, "sqrt5/index.html").contains(r"\sqrt\sqrt"));
}

/// Notes found by fuzzing that took time quadratic in their size (each of
/// these over a minute): glued dollars on one line, a line of `![[`, lines
/// of `<svg>` with no end tag and no blank line.
#[test]
fn hostile_runs_build_in_time() {
    let dir = site_with([
        ("dollars.md", format!("# D\n\n{}\n", "$x".repeat(1_000_000))),
        ("embeds.md", format!("# E\n\n{}\n", "![[".repeat(800_000))),
        ("svg.md", format!("# S\n\n{}", "<svg>\n".repeat(120_000))),
    ]);
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\n").unwrap();
    let out = build_without_stalling(dir.path());
    assert!(read(&out, "dollars/index.html").contains("$x$x"));
}

/// A note embedded 256 times in a page: rendered once, and what embeds add
/// to a page stops at 16 MB (the rest are links, with a warning); such
/// pages were 300 MB each.
#[test]
fn embeds_add_at_most_16_mb_to_a_page() {
    let big = format!("# B\n\n{}\n", "$x^2$ ".repeat(50_000));
    let host = format!("# C\n\n{}", "![[b]]\n\n".repeat(256));
    let dir = site_with([("b.md", big), ("c.md", host)]);
    let o = common::biji(dir.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("notes/c.md: its embeds would add more than 16 MB to its page; the rest are shown as links"),
        "{err}"
    );
    let page = read(&dir.path().join("public"), "c/index.html");
    assert!(page.len() < 17 << 20, "{}", page.len());
    assert!(page.contains("<math"), "the first embeds show the note");
}

/// A note that opens with a rule, a heading and prose, then another rule
/// (a log written by a script) is text, not front matter: the whole vault
/// failed to build over it.
#[test]
fn a_top_block_with_no_fields_is_text_with_a_warning() {
    let site = site_with([
        (
            "日志.md",
            "---\n## 运行记录\n发现时间：12:02\n\n- 新增 5 条\n\n---\n\n正文\n",
        ),
        ("b.md", "# B\n"),
    ]);
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("notes/日志.md:1: the `---` block at the top holds no `key: value` fields, so it shows as text"),
        "{}",
        stderr(&o)
    );
    let html = read(&site.path().join("public"), "日志/index.html");
    assert!(html.contains("<h2 id=\"运行记录\">运行记录"), "{html}");
    assert!(
        html.contains("<li>新增 5 条</li>") && html.contains("<p>正文</p>"),
        "{html}"
    );
}
