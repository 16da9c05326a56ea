//! Books made with mdBook, GitBook and docsify: listings included from
//! files beside the chapters (`{{#include}}`), and the table of contents
//! (`SUMMARY.md`, `_sidebar.md`) giving the order and the chapters' names.

mod common;

use std::path::Path;

const LISTING: &str = "use std::io;\n\n// ANCHOR: here\nfn main() {\n    // ANCHOR: inner\n    let guess = 5;\n    // ANCHOR_END: inner\n}\n// ANCHOR_END: here\n";

const CHAPTER: &str = "# 猜数字\n\n```rust\n{{#rustdoc_include ../listings/ch02/src/main.rs:here}}\n```\n\n```rust\n{{#include ../listings/ch02/src/main.rs:inner}}\n```\n\n```text\n{{#include ../listings/ch02/output.txt:2:3}}\n```\n\n```hbs\n\\{{#include file.rs}}\n```\n\n正文里的 {{#include x.rs}} 不是代码。\n";

/// A book laid out as mdBook's: chapters in `src/`, listings beside it.
fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (rel, text) in [
        ("biji.yaml", "notes_dir: src\n"),
        ("src/ch02.md", CHAPTER),
        ("listings/ch02/src/main.rs", LISTING),
        (
            "listings/ch02/output.txt",
            "$ cargo run\n   Compiling guessing_game\n    Finished\n     Running\n",
        ),
    ] {
        let file = root.join(rel);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    dir
}

/// The text of a page's code blocks, tags taken out.
fn code_text(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("<pre").skip(1) {
        let block = &part[..part.find("</pre>").unwrap()];
        let mut text = String::new();
        let mut in_tag = false;
        for c in block.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let start = text.find('>').map_or(0, |i| i + 1);
        out.push(text[start..].replace("&amp;", "&").replace("&quot;", "\""));
    }
    out
}

#[test]
fn a_chapter_shows_its_listings() {
    let dir = book();
    let html = common::read(&common::build(dir.path()), "ch02/index.html");
    let code = code_text(&html);
    assert_eq!(
        code[0].trim_end(),
        "fn main() {\n    let guess = 5;\n}",
        "{html}"
    );
    assert_eq!(code[1].trim_end(), "    let guess = 5;");
    assert_eq!(
        code[2].trim_end(),
        "   Compiling guessing_game\n    Finished"
    );
    // Escaped, it is shown as written, as mdBook shows it.
    assert_eq!(code[3].trim_end(), "{{#include file.rs}}");
    // Outside a code block it is text.
    assert!(
        html.contains("正文里的 {{#include x.rs}} 不是代码。"),
        "{html}"
    );
    assert!(!html.contains("ANCHOR"), "{html}");
}

fn edit(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap();
}

#[test]
fn a_cached_build_sees_a_listing_change() {
    let dir = book();
    let root = dir.path();
    let o = common::biji(root, &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    edit(
        root,
        "listings/ch02/src/main.rs",
        &LISTING.replace("5", "42"),
    );
    let o = common::biji(root, &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let html = common::read(&root.join("public"), "ch02/index.html");
    assert!(code_text(&html)[0].contains("let guess = 42;"), "{html}");
}

#[test]
fn an_include_that_reads_nothing_names_the_line_and_why() {
    let dir = common::site_with([(
        "a.md",
        "# A\n\n```rust\n{{#include ../gone.rs}}\n```\n\n```rust\n{{#include b.rs:nowhere}}\n```\n\n```\n{{#include ../../../../../../etc/passwd}}\n```\n",
    )]);
    edit(dir.path(), "notes/b.rs", "fn b() {}\n");
    let err = common::build_error(dir.path());
    for want in [
        "notes/a.md:4:1: broken link `{{#include ../gone.rs}}`: no file `gone.rs`",
        "notes/a.md:8:1: broken link `{{#include b.rs:nowhere}}`: `notes/b.rs` has no `ANCHOR: nowhere`",
        "notes/a.md:12:1: broken link `{{#include ../../../../../../etc/passwd}}`: `../../../../../../etc/passwd` is outside the site's folder",
    ] {
        assert!(err.contains(want), "{want}\nin\n{err}");
    }
    // With `links: warn` the page is built, the directives shown as written.
    edit(dir.path(), "biji.yaml", "links: warn\n");
    let o = common::biji(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let html = common::read(&dir.path().join("public"), "a/index.html");
    assert!(!html.contains("root:"), "{html}");
    assert!(code_text(&html)[2].contains("{{#include ../../../../../../etc/passwd}}"));
}

/// The sidebar's entries: (kind, depth, name).
fn sidebar(html: &str) -> Vec<(String, usize, String)> {
    let start = html.find("<nav class=\"site-nav\"").expect("a sidebar");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    let mut out = Vec::new();
    for part in nav.split("<li class=\"nav-").skip(1) {
        let kind = part[..part.find(['"', ' ']).unwrap()].to_string();
        let depth = part["--depth: ".len() + part.find("--depth: ").unwrap()..]
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let a = &part[part.find("<a ").unwrap()..part.find("</a>").unwrap()];
        let name = a.rsplit('>').next().unwrap().to_string();
        if kind != "home" {
            out.push((kind, depth, name));
        }
    }
    out
}

const SUMMARY: &str = "# Summary\n\n[前言](foreword.md)\n\n- [入门](ch01-00.md)\n    - [安装](ch01-01.md)\n    - [你好](ch01-02.md)\n- [进阶](part/README.md)\n    - [所有权](part/own.md)\n- [草稿]()\n";

#[test]
fn the_summary_orders_and_names_the_chapters() {
    let dir = common::site_with([
        ("SUMMARY.md", SUMMARY),
        ("foreword.md", "前言的文字。\n"),
        ("ch01-00.md", "# 第一章 入门\n\n正文。\n"),
        ("ch01-01.md", "## 安装 Rust\n\n正文。\n"),
        ("ch01-02.md", "## Hello\n\n正文。\n"),
        ("aaa.md", "## 书外的一篇\n"),
        ("part/README.md", "## 进阶\n"),
        ("part/own.md", "## 所有权\n"),
        ("a-part/x.md", "# X\n"),
    ]);
    let out = common::build(dir.path());
    let page = common::read(&out, "ch01-01/index.html");
    let nav: Vec<_> = sidebar(&page)
        .into_iter()
        .map(|(k, d, n)| format!("{k} {d} {n}"))
        .collect();
    assert_eq!(
        nav,
        [
            // A chapter's H1 stays its title; a file without one takes the
            // book's name for it; sections under a chapter of the same
            // folder are indented.
            "note 0 前言",
            "note 0 第一章 入门",
            "note 1 安装",
            "note 1 你好",
            // A folder where the book lists it; one it does not list, and
            // notes it does not list, after. The table itself is no chapter.
            "folder 0 进阶",
            "folder 0 a-part",
            "note 0 aaa",
        ],
        "{page}"
    );
    // The previous and next links follow the book.
    let pager = &page[page.find("<nav class=\"pager\"").unwrap()..];
    let pager = &pager[..pager.find("</nav>").unwrap()];
    assert!(pager.contains("href=\"/ch01-00/\" rel=\"prev\""), "{pager}");
    assert!(pager.contains("href=\"/ch01-02/\" rel=\"next\""), "{pager}");
    assert!(page.contains("<title>安装 · "), "{page}");
    // The folder's name in the breadcrumbs is the book's too.
    let own = common::read(&out, "part/own/index.html");
    assert!(own.contains(">进阶</a>"), "{own}");
    // Previous and next go on across folders, through a folder's page.
    let pager_of = |rel: &str| {
        let page = common::read(&out, rel);
        let at = page.find("<nav class=\"pager\"").expect("a pager");
        page[at..at + page[at..].find("</nav>").unwrap()].to_string()
    };
    assert!(pager_of("ch01-02/index.html").contains("href=\"/part/\" rel=\"next\""));
    assert!(pager_of("part/own/index.html").contains("href=\"/part/\" rel=\"prev\""));
}

#[test]
fn a_folder_opened_by_a_chapter_inside_it_takes_its_name_and_rust_hides_lines() {
    let dir = common::site_with([
        (
            "SUMMARY.md",
            "- [起步](01_start/intro.md)\n  - [安装](01_start/install.md)\n- [并列甲](two/a.md)\n- [并列乙](two/b.md)\n",
        ),
        ("01_start/intro.md", "正文\n"),
        (
            "01_start/install.md",
            "```rust\n# use std::io;\n# fn main() {\nlet x = 1;\n##[derive(Debug)]\n# }\n```\n",
        ),
        ("two/a.md", "甲\n"),
        ("two/b.md", "乙\n"),
    ]);
    let out = common::build(dir.path());
    let page = common::read(&out, "01_start/install/index.html");
    let folders: Vec<_> = sidebar(&page)
        .into_iter()
        .filter(|(k, _, _)| k.starts_with("folder"))
        .map(|(_, _, n)| n)
        .collect();
    // Two chapters side by side in a folder name it nothing.
    assert_eq!(folders, ["起步", "two"]);
    assert_eq!(
        code_text(&page)[0].trim_end(),
        "let x = 1;\n#[derive(Debug)]"
    );
}

#[test]
fn a_docsify_sidebar_orders_folders_by_link() {
    let dir = common::site_with([
        ("_sidebar.md", "- [后端](/zz/)\n- [前端](aa/README)\n"),
        ("zz/README.md", "# 后端\n"),
        ("zz/a.md", "# A\n"),
        ("aa/README.md", "# 前端\n"),
        ("aa/b.md", "# B\n"),
    ]);
    let out = common::build(dir.path());
    let names: Vec<_> = sidebar(&common::read(&out, "zz/a/index.html"))
        .into_iter()
        .filter(|(k, _, _)| k.starts_with("folder"))
        .map(|(_, _, n)| n)
        .collect();
    assert_eq!(names, ["后端", "前端"]);
}

#[test]
fn gitbook_and_vitepress_anchors_find_their_headings() {
    let dir = common::site_with([
        (
            "a.md",
            "# A\n\n[引用](b.md#id-2-yin-yong-yu-gui-shu) [配置](b.md#zhi-shi-ku-pei-zhi) [目标](b.md#build-target) [简介](b.md#_1-简介)\n",
        ),
        (
            "b.md",
            "# B\n\n## 2 引用与归属\n\n## 知识库配置\n\n## build.target\n\n## 1. 简介\n",
        ),
    ]);
    let html = common::read(&common::build(dir.path()), "a/index.html");
    // GitBook's pinyin ids, and VitePress's.
    for id in ["2-引用与归属", "知识库配置", "buildtarget", "1-简介"] {
        let href = format!("href=\"/b/#{}\"", common::enc(id));
        assert!(html.contains(&href), "{href} in {html}");
    }
}

#[test]
fn vitepress_code_imports_and_code_groups_show_the_files() {
    let note = "# 题\n\n::: code-group\n<<< ./s/1.c [c]\n<<< ./s/1.js [js]\n:::\n\n<<< @/snippets/a.js#part{1}\n\n<<< ./gone.py\n";
    let dir = common::site_with([
        ("p/a.md", note),
        ("p/s/1.c", "int main() { return 0; }\n"),
        ("p/s/1.js", "console.log(1)\n"),
        (
            "snippets/a.js",
            "x()\n// #region part\nconst part = 1\n// #endregion part\n",
        ),
    ]);
    let err = common::build_error(dir.path());
    assert!(
        err.contains(
            "notes/p/a.md:10:1: broken link `{{#include ./gone.py}}`: no file `notes/p/gone.py`"
        ),
        "{err}"
    );
    edit(dir.path(), "biji.yaml", "links: warn\n");
    let o = common::biji(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let html = common::read(&dir.path().join("public"), "p/a/index.html");
    let code = code_text(&html);
    assert_eq!(code[0].trim_end(), "int main() { return 0; }");
    assert_eq!(code[1].trim_end(), "console.log(1)");
    assert_eq!(code[2].trim_end(), "const part = 1");
    for title in [">c</figcaption>", ">js</figcaption>", ">a.js</figcaption>"] {
        assert!(html.contains(title), "{title} in {html}");
    }
    assert!(
        !html.contains(":::") && !html.contains("&lt;&lt;&lt;"),
        "{html}"
    );
}

#[test]
fn a_book_joins_the_lines_of_a_paragraph_unless_told() {
    let dir = common::site_with([
        ("SUMMARY.md", "- [一](a.md)\n"),
        ("a.md", "# 一\n\n由于大多数 Rust\n工程都使用 cargo。\n"),
    ]);
    let html = common::read(&common::build(dir.path()), "a/index.html");
    assert!(
        html.contains("<p>由于大多数 Rust\n工程都使用 cargo。</p>"),
        "{html}"
    );
    edit(dir.path(), "biji.yaml", "markdown:\n  breaks: true\n");
    let html = common::read(&common::build(dir.path()), "a/index.html");
    assert!(html.contains("由于大多数 Rust<br />"), "{html}");
}

/// `biji build` in an mdBook's folder, with no biji.yaml: the notes are in
/// the book's `src`, the site is called what the book is.
#[test]
fn an_mdbook_folder_builds_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (rel, text) in [
        (
            "book.toml",
            "[book]\ntitle = \"Rust 秘典\"\nlanguage = \"zh-CN\"\n",
        ),
        ("src/SUMMARY.md", "- [介绍](intro.md)\n"),
        ("src/intro.md", "## 开始\n\n正文。\n"),
    ] {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), text).unwrap();
    }
    let o = common::biji(root, &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let html = common::read(&root.join("public"), "intro/index.html");
    assert!(html.contains("<title>介绍 · Rust 秘典</title>"), "{html}");
}

/// Messages name a note from the site's folder, by the notes folder the
/// book has (`src/`), so that the path opens the file.
#[test]
fn messages_name_the_notes_by_the_books_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (rel, text) in [
        ("book.toml", "[book]\ntitle = \"书\"\n"),
        ("src/SUMMARY.md", "- [一](ch1.md)\n"),
        ("src/ch1.md", "# 一\n\n见 [二](ch2.md) 与 [[无]]。\n"),
        ("src/draft.md", "---\ndraft: true\n---\n# 稿\n"),
        ("src/ch3.md", "---\ntitle: [\n---\n"),
    ] {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), text).unwrap();
    }
    let err = common::build_error(root);
    assert!(err.contains("src/ch3.md:2"), "{err}");
    assert!(!err.contains("notes/"), "{err}");
    std::fs::write(root.join("src/ch3.md"), "# 三\n\n[稿](draft.md)\n").unwrap();
    let err = common::build_error(root);
    for want in [
        "src/ch1.md:3:3: broken link `ch2.md`: no note or file `ch2.md` under src/",
        "src/ch3.md:3:1: broken link `draft.md`: `src/draft.md` is a draft",
    ] {
        assert!(err.contains(want), "{want}\nin\n{err}");
    }
    assert!(!err.contains("notes/"), "{err}");
}
