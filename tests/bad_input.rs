//! Hostile and broken input, and faults: each case must end in a clear
//! message (file and line where there is one), never a panic or an abort,
//! and must leave the previous output as it was.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

/// Builds a good site, then breaks it with `notes` (path, text) and expects
/// a failed build whose message contains each of `expect`; `public/` keeps
/// the good build's bytes.
fn fails_and_keeps_output(notes: &[(&str, &str)], expect: &[&str]) -> String {
    let dir = common::site_with([("ok.md", "# OK\n\n好的笔记。\n")]);
    let root = dir.path();
    let o = common::biji(root, &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let before = common::tree(&root.join("public"));
    for (rel, text) in notes {
        let file = root.join("notes").join(rel);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let err = common::build_error(root);
    for e in expect {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
    assert!(
        common::tree(&root.join("public")) == before,
        "public/ changed"
    );
    leftovers(root);
    err
}

/// Nothing but the site's own folders beside the output: no staging folder.
fn leftovers(root: &Path) {
    for e in std::fs::read_dir(root).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains("biji-tmp"), "left behind: {name}");
    }
}

#[test]
// Interrupts the build with `kill -INT`: Windows has no `kill`, and a Ctrl-C
// there goes to a whole console, not to one child process.
#[cfg(unix)]
fn an_interrupted_build_removes_its_staging_folder() {
    let dir = common::slow_site();
    let root = dir.path();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_biji"))
        .arg("build")
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let staging = || {
        std::fs::read_dir(root)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains("biji-tmp"))
    };
    while !staging() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no staging folder appeared"
        );
        if child.try_wait().unwrap().is_some() {
            // Too fast to catch: nothing to interrupt on this machine.
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    common::interrupt_quietly(child, "-INT");
    leftovers(root);
    assert!(!root.join("public").exists(), "no half-written output");
}

#[test]
fn a_staging_folder_of_a_killed_build_is_removed_by_the_next() {
    let dir = common::site_with([("a.md", "# A\n")]);
    let root = dir.path();
    // As `kill -9` leaves it: a process that no longer runs.
    let stale = root.join(format!(".public.biji-tmp-{}-0", u32::MAX - 1));
    std::fs::create_dir_all(stale.join("a")).unwrap();
    std::fs::write(stale.join("a/index.html"), "old").unwrap();
    let o = common::biji(root, &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    leftovers(root);
}

#[test]
fn a_broken_note_keeps_the_previous_output() {
    fails_and_keeps_output(
        &[("bad.md", "---\ntitle: [unclosed\n---\n")],
        &["notes/bad.md:2"],
    );
}

#[test]
fn a_file_in_notes_never_replaces_a_generated_page() {
    for (rel, expect) in [
        (
            "index.html",
            "notes/index.html: it would replace the home page",
        ),
        ("404.html", "notes/404.html: it would replace the 404 page"),
        (
            "static/style.css",
            "notes/static/style.css: it would replace what biji generates under /static/",
        ),
        (
            "search/meta.json",
            "notes/search/meta.json: it would replace what biji generates under /search/",
        ),
        (
            "bb/index.html",
            "notes/bb/index.html: it would replace the page of notes/bb.md (/bb/)",
        ),
        (
            "sub/index.html",
            "notes/sub/index.html: it would replace the page of the folder notes/sub/",
        ),
    ] {
        let err = fails_and_keeps_output(
            &[
                ("bb.md", "# BB\n"),
                ("sub/x.md", "# X\n"),
                (rel, "<p>mine</p>"),
            ],
            &[expect],
        );
        // Where the clash is with the theme or a generated file, say how to
        // change those on purpose.
        if !rel.ends_with("/index.html") {
            assert!(
                err.contains("put files in `static/` or `templates/`"),
                "{err}"
            );
        }
    }
}

/// A file where a page's folder goes (`持仓.jpg` beside `持仓.jpg.md`, a
/// script `cmd` beside `cmd.md`) is a clash naming both, found with the
/// others: it was "Is a directory (os error 21)" naming a staging folder.
#[test]
fn a_file_where_a_page_folder_goes_is_a_clash_naming_both() {
    let err = fails_and_keeps_output(
        &[
            ("截图/持仓.jpg", "jpg"),
            ("截图/持仓.jpg.md", "# 持仓\n"),
            ("bash/cmd", "echo hi\n"),
            ("bash/cmd.md", "# cmd\n"),
        ],
        &[
            "notes/截图/持仓.jpg: the page of notes/截图/持仓.jpg.md is the folder /截图/持仓.jpg/, where this file would be",
            "notes/bash/cmd: the page of notes/bash/cmd.md is the folder /bash/cmd/",
        ],
    );
    assert!(!err.contains("os error"), "{err}");
}

#[test]
fn front_matter_dates_and_depth_are_checked_with_their_line() {
    fails_and_keeps_output(
        &[("d.md", "---\ntitle: D\ndate: \"not a date\"\n---\n")],
        &["notes/d.md:3: `date: \"not a date\"` is not a date"],
    );
    // The value as written, not as YAML reads it back.
    fails_and_keeps_output(
        &[("d.md", "---\ndate: [2023-01-01]\n---\n")],
        &["notes/d.md:2: `date: [2023-01-01]` is not a date"],
    );
    // Obsidian's template placeholder: the template folder is named.
    fails_and_keeps_output(
        &[(
            "Templates/日记.md",
            "---\ndate: {{date}}\ntags:\n---\n# {{title}}\n",
        )],
        &[
            "notes/Templates/日记.md:2: `date: {{date}}` is a template's placeholder, not a date",
            "`exclude: [Templates/]` in biji.yaml",
        ],
    );
    fails_and_keeps_output(
        &[("tpl/t.md", "---\ndate: <% tp.date.now(\"YYYY-MM-DD\") %>\n---\n")],
        &["notes/tpl/t.md:2: `date: <% tp.date.now(\"YYYY-MM-DD\") %>` is a template's placeholder", "`exclude: [tpl/]`"],
    );
    // A first key indented: serde's "more than one document" said otherwise.
    fails_and_keeps_output(
        &[("i.md", "---\n    title: 凸优化\ndate: 2019-05-12\n---\n")],
        &["notes/i.md:1: invalid front matter: it reads as more than one YAML document: is its first key indented?"],
    );
    fails_and_keeps_output(
        &[("d.md", "---\nupdated: 2024-13-45xyz\n---\n")],
        &["notes/d.md:2: `updated: 2024-13-45xyz` is not a date"],
    );
    let started = Instant::now();
    let deep = format!("---\nx: {}\n---\n", "[".repeat(100_000));
    fails_and_keeps_output(
        &[("deep.md", &deep)],
        &["notes/deep.md:2: front matter nested"],
    );
    assert!(started.elapsed() < Duration::from_secs(10), "refused fast");
}

#[test]
fn biji_new_refuses_notes_that_would_break_the_next_build() {
    let dir = common::site_with([("a.md", "# A\n"), ("README.md", "# 首页\n")]);
    let root = dir.path();
    for (path, expect) in [
        ("a/README", "URL /a/ of notes/a.md"),
        ("index", "of notes/README.md"),
        ("x\ny", "control characters"),
        ("404.html", "the URL /404.html is reserved"),
        ("search/x", "the URL /search/ is reserved"),
    ] {
        let o = common::biji(root, &["new", path]);
        let err = common::stderr(&o);
        assert!(!o.status.success() && err.contains(expect), "{path}: {err}");
    }
    assert!(!root.join("notes/a").exists() && !root.join("notes/index.md").exists());
    let o = common::biji(root, &["new", "x", "--root", "/nonexistent/site"]);
    assert!(
        common::stderr(&o).contains("does not exist"),
        "{}",
        common::stderr(&o)
    );
    // And the build still works.
    assert!(common::biji(root, &["build"]).status.success());
}

#[test]
fn names_that_clash_on_other_systems_or_lead_outside_are_warned_about() {
    let nfd = "cafe\u{301}"; // café, decomposed as macOS stores it
    let dir = common::site_with([
        ("Go.md", "# Go\n".to_string()),
        ("go.md", "# go\n".to_string()),
        (&format!("{nfd}.md") as &str, "# Café\n".to_string()),
        (
            "links.md",
            "[x](caf\u{e9}.md) ![i](img/caf\u{e9}.png)\n".to_string(),
        ),
        (&format!("img/{nfd}.png") as &str, "png".to_string()),
        ("Rust/a.md", "# a\n".to_string()),
        ("rust/b.md", "# b\n".to_string()),
        ("java.md", "# java\n".to_string()),
        ("Java/c.md", "# c\n".to_string()),
    ]);
    let root = dir.path();
    #[cfg(unix)]
    {
        let outside = root.join("secret");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("id_rsa"), "key").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("notes/keys")).unwrap();
    }
    let o = common::biji(root, &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("notes/Go.md and notes/go.md differ only in letter case"),
        "{err}"
    );
    assert!(
        err.contains("notes/Rust/ and notes/rust/ differ only in letter case")
            && err.contains("they are one folder"),
        "{err}"
    );
    assert!(
        err.contains("notes/java.md and notes/Java/ differ only in letter case")
            && err.contains("their pages are one file"),
        "{err}"
    );
    #[cfg(unix)]
    assert!(
        err.contains("keys` is a symbolic link to") && err.contains("outside the notes folder"),
        "{err}"
    );
    // The NFC link finds the NFD file, and points at the file's own bytes.
    let html = common::read(&root.join("public"), "links/index.html");
    assert!(
        html.contains(&format!("href=\"/{}/\"", common::enc(nfd))),
        "{html}"
    );
    assert!(
        html.contains(&format!("src=\"/img/{}.png\"", common::enc(nfd))),
        "{html}"
    );
}

/// The note's content element and whether the theme's pager and footer are
/// inside it, as a browser's parser builds the page.
fn theme_inside_content(page: &str) -> bool {
    let doc = scraper::Html::parse_document(page);
    let inside = scraper::Selector::parse(
        ".content footer, .content .pager, .content .site-footer, .content nav.pager",
    )
    .unwrap();
    let content = scraper::Selector::parse(".content").unwrap();
    assert!(
        doc.select(&content).next().is_some(),
        "no .content in the page"
    );
    doc.select(&inside).next().is_some()
}

#[test]
fn unbalanced_html_in_a_note_stays_in_the_note() {
    for (i, html) in [
        "<details><summary>开</summary>\n\n没有关上的 details",
        "<table><tr><td>没有关上的表格",
        "前面 <a href=\"b.md\">没有关上的链接",
        "</div></div></article>\n\n多出来的结束标签",
        "<!-- 没有结束的注释",
        "<textarea>没有关上的 textarea",
        // Found by tests/fuzz.rs (seed 1796421370336664358): raw HTML left
        // open inside a callout swallowed the callout's own end tags.
        "> [!warning]+ 展开\n> <table><tr><td>",
        // And seed 1796421564146604845: a comment left open in a callout.
        "> [!note]-\n> <!-- open",
        "> 引用里 <details><summary>开",
        "- <div>列表项里\n- 第二项",
        "| 表 |\n|---|\n| <table><tr><td>格子里 |",
    ]
    .iter()
    .enumerate()
    {
        let dir = common::site_with([
            ("a.md", format!("# A\n\n{html}\n\n后面的段落。\n")),
            ("b.md", "# B\n".to_string()),
        ]);
        let out = common::build(dir.path());
        let page = common::read(&out, "a/index.html");
        assert!(
            page.contains("class=\"pager"),
            "case {i}: the page has a pager"
        );
        assert!(!theme_inside_content(&page), "case {i}: {html}\n{page}");
    }
}

/// A line in an HTML block that starts with no real tag (`<用户名>`, `<T>`)
/// is text on its own: the block's tags still work, so a `<details>` closes
/// and the note after it is not folded away; SVG and `<track>` are markup.
#[test]
fn a_placeholder_line_inside_html_keeps_the_block_working() {
    let note = "# A\n\n<details>\n<summary>命令</summary>\n<用户名> 替换为你的名字\n<T> 泛型\n</details>\n\n## 下一节\n\n\
                <table><tr><td>\n<T> 参数\n</td></tr></table>\n\n<svg width=\"9\">\n<circle r=\"4\"/>\n</svg>\n\n\
                <video src=\"a.mp4\">\n<track src=\"a.vtt\">\n</video>\n\n\
                <div>\n<p class=MsoNormal>正文<o:p></o:p></p>\n</div>\n";
    let dir = common::site_with([("a.md", note), ("a.mp4", "v"), ("a.vtt", "t")]);
    let page = common::read(&common::build(dir.path()), "a/index.html");
    for part in [
        "&lt;用户名> 替换为你的名字\n&lt;T> 泛型\n</details>\n<h2",
        "<tr><td>\n&lt;T> 参数\n</td></tr>",
        "<circle r=\"4\"/>",
        "<video src=\"/a.mp4\">\n<track src=\"/a.vtt\">",
        // Word's namespaced tags are markup the browser ignores.
        "<p class=MsoNormal>正文<o:p></o:p></p>",
    ] {
        assert!(page.contains(part), "{part}\n{page}");
    }
}

#[test]
fn unsafe_html_is_dropped_as_on_github_and_trusted_passes_it() {
    let note = "# A\n\n<script>alert(1)</script>\n\n<img src=\"a.png\" onerror=\"alert(2)\" width=\"300\">\n\n[点我](javascript:alert(3)) <a href=\"JaVaScRiPt:alert(4)\">链接</a>\n\n<div align=\"center\"><kbd>Ctrl</kbd></div>\n";
    let dir = common::site_with([("a.md", note), ("a.png", "png")]);
    let out = common::build(dir.path());
    let page = common::read(&out, "a/index.html");
    let body = page.split("<div class=\"content\">").nth(1).unwrap();
    for gone in ["alert(1)", "onerror", "alert(3)", "alert(4)"] {
        assert!(!body.contains(gone), "{gone} in:\n{body}");
    }
    for kept in [
        "width=\"300\"",
        "点我",
        "链接",
        "<div align=\"center\"><kbd>Ctrl</kbd></div>",
    ] {
        assert!(body.contains(kept), "{kept} missing:\n{body}");
    }
    std::fs::write(dir.path().join("biji.yaml"), "html: trusted\n").unwrap();
    let out = common::build(dir.path());
    let page = common::read(&out, "a/index.html");
    assert!(page.contains("<script>alert(1)</script>") && page.contains("onerror"));
}

#[test]
fn cases_that_already_worked_stay_working() {
    // Bad YAML, with the line.
    fails_and_keeps_output(
        &[("y.md", "---\ntitle: [a: b: c\n---\n")],
        &["notes/y.md:2"],
    );
    // A GBK file: where, and how to convert it.
    let gbk: &[u8] = b"# \xc4\xe3\xba\xc3\n";
    let dir = common::site_with([("ok.md", "# OK\n")]);
    let root = dir.path();
    assert!(common::biji(root, &["build"]).status.success());
    let before = common::tree(&root.join("public"));
    std::fs::write(root.join("notes/gbk.md"), gbk).unwrap();
    let err = common::build_error(root);
    assert!(
        err.contains("notes/gbk.md:1") && err.contains("iconv"),
        "{err}"
    );
    assert!(common::tree(&root.join("public")) == before);
    std::fs::remove_file(root.join("notes/gbk.md")).unwrap();
    // A symlink loop.
    #[cfg(unix)]
    {
        std::fs::create_dir_all(root.join("notes/sub")).unwrap();
        std::os::unix::fs::symlink("..", root.join("notes/sub/up")).unwrap();
        let err = common::build_error(root);
        assert!(err.contains("sub/up` is a symbolic link"), "{err}");
        assert!(common::tree(&root.join("public")) == before);
        std::fs::remove_file(root.join("notes/sub/up")).unwrap();
    }
    // Output folders that would destroy the user's files.
    std::fs::create_dir_all(root.join("mine")).unwrap();
    std::fs::write(root.join("mine/keep.txt"), "mine").unwrap();
    for (out, expect) in [
        ("notes", "is the notes folder"),
        (".", "contains the notes folder"),
        ("notes/out", "inside the notes folder"),
        ("mine", "was not created by biji"),
        // `..` after a folder that is not there yet (it was created, and
        // then the folder named was replaced).
        ("nope/../mine", "was not created by biji"),
        ("nope/../../x/../.", "contains the notes folder"),
    ] {
        let o = common::biji(root, &["build", "-o", out]);
        let err = common::stderr(&o);
        assert!(!o.status.success() && err.contains(expect), "{out}: {err}");
        assert!(!err.contains("panicked"));
    }
    assert_eq!(
        std::fs::read_to_string(root.join("mine/keep.txt")).unwrap(),
        "mine"
    );
    assert!(root.join("notes").is_dir());
    leftovers(root);
}
