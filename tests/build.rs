//! Core build: fixture sites built into temp dirs, checked for what a reader
//! and a writer of notes would notice.

mod common;
use common::*;

#[test]
fn gfm_features_render() {
    let site = site("basic");
    let out = build(site.path());
    let html = read(&out, "gfm/index.html");
    assert!(
        html.contains("<table>") && html.contains("<td>Python</td>"),
        "table"
    );
    assert!(
        html.contains(r#"<input disabled="" type="checkbox" checked=""/>"#),
        "task list"
    );
    assert!(html.contains("<del>删除线</del>"), "strikethrough");
    assert!(html.contains(r#"<section class="footnotes""#), "footnote");
    assert!(
        html.contains(r#"<div class="callout" data-callout="warning">"#),
        "alert"
    );
    assert!(
        html.contains(
            r#"<a href="https://blog.csdn.net/weixin_45496190/article/details/107092107">"#
        ),
        "bare URL linked"
    );
    assert!(
        html.contains(r#"（<a href="https://example.com/a">https://example.com/a</a>）"#),
        "URL stops at full-width paren"
    );
    assert!(
        html.contains("泛型 Vec&lt;String&gt; 与 a &lt; b &amp;&amp; c &gt; d"),
        "escaped prose"
    );
    assert!(html.contains("<kbd>Ctrl</kbd>"), "real inline HTML kept");
    // GitHub-compatible heading ids, duplicates suffixed, custom ids honoured.
    assert!(html.contains(r#"<h2 id="所有权与借用-ownership">"#));
    assert!(html.contains(r#"<h2 id="重复">"#) && html.contains(r#"<h2 id="重复-1">"#));
    assert!(html.contains(r#"<h2 id="my-id">"#));
    // Front matter title, date and tags reach the page.
    assert!(html.contains("<title>GFM 特性 · 测试站点</title>"));
    assert!(html.contains("2024-05-01"));
    assert!(html.contains(&format!(r#"href="/topics/{}/""#, enc("测试"))));
}

#[test]
fn raw_text_tags_in_a_sentence_are_text_but_an_embed_block_is_kept() {
    let site = site("basic");
    std::fs::write(
        site.path().join("notes/html.md"),
        "# 表单\n\n表单元素有 <textarea> 和 <script>，后面的正文还在。\n\n\
         <iframe src=\"https://player.bilibili.com/player.html?bvid=x\"></iframe>\n\n最后一段。\n",
    )
    .unwrap();
    let out = build(site.path());
    let html = read(&out, "html/index.html");
    assert!(
        html.contains("表单元素有 &lt;textarea&gt; 和 &lt;script&gt;，后面的正文还在。"),
        "{html}"
    );
    assert!(!html.contains("<textarea>") && !html.contains("<script>，"));
    assert!(
        html.contains(r#"<iframe src="https://player.bilibili.com/player.html?bvid=x"></iframe>"#)
    );
    assert!(html.contains("<p>最后一段。</p>"));
}

/// HTML5 elements a front-end note names in a sentence (`<canvas>`,
/// `<video>`): without their end tag they would hide every word after them.
#[test]
fn hiding_elements_named_in_prose_are_text_and_media_with_sources_play() {
    let site = site("basic");
    std::fs::create_dir_all(site.path().join("notes/web/assets")).unwrap();
    for f in ["assets/demo.mp4", "cover.png", "a.mp3", "page.html"] {
        std::fs::write(site.path().join("notes/web").join(f), "x").unwrap();
    }
    std::fs::write(
        site.path().join("notes/web/h5.md"),
        "# HTML5\n\nHTML5 新增了 <canvas> 画布，可以用 JS 绘图。\n\n\
         ## <video> 标签\n\n- <template> 里的内容不会渲染，<svg> 用于矢量图。\n\n\
         <dialog> 是对话框元素，默认不显示。\n\n最后一段。\n\n\
         <video src=\"assets/demo.mp4\" poster=\"cover.png\"></video>\n\n\
         播放 <audio controls><source src=\"a.mp3\"></audio> 之后。\n\n\
         <img src=\"cover.png\" srcset=\"cover.png 2x\">\n\n<iframe src=\"page.html\"></iframe>\n",
    )
    .unwrap();
    let out = build(site.path());
    let html = read(&out, "web/h5/index.html");
    for part in [
        "<p>HTML5 新增了 &lt;canvas&gt; 画布，可以用 JS 绘图。</p>",
        "&lt;video&gt; 标签<a class=\"anchor\"",
        "<li>&lt;template&gt; 里的内容不会渲染，&lt;svg&gt; 用于矢量图。</li>",
        "&lt;dialog&gt; 是对话框元素，默认不显示。",
        "<p>最后一段。</p>",
        // Media in raw HTML lead to the files as an image's source does.
        "<video src=\"/web/assets/demo.mp4\" poster=\"/web/cover.png\"></video>",
        "播放 <audio controls><source src=\"/web/a.mp3\"></audio> 之后。",
        "<img loading=\"lazy\" src=\"/web/cover.png\" srcset=\"/web/cover.png 2x\">",
        "<iframe src=\"/web/page.html\"></iframe>",
    ] {
        assert!(html.contains(part), "{part}\n{html}");
    }
    assert!(
        !html.contains("<dialog>") && !html.contains("<canvas>"),
        "{html}"
    );
    // A missing one is a broken link, as an image's is.
    std::fs::write(
        site.path().join("notes/web/miss.md"),
        "# 缺\n\n<video src=\"nope.mp4\"></video>\n",
    )
    .unwrap();
    let o = biji(site.path(), &["build"]);
    assert!(
        stderr(&o).contains("notes/web/miss.md:3:13: broken link `nope.mp4`"),
        "{}",
        stderr(&o)
    );
}

/// The `<pre>` blocks of `page` highlighted as `lang` (the fence's label,
/// lowercased): each token in a span of its colours' classes.
fn highlighted(page: &str, lang: &str) -> usize {
    let open = format!(
        "<pre class=\"code hl-code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">"
    );
    page.split(&open)
        .skip(1)
        .filter(|b| {
            let block = &b[..b.find("</code>").unwrap()];
            block.contains("<span class=\"hl") && !block.contains("hl-source")
        })
        .count()
}

/// A terminal session: the commands after each prompt are shell code, the
/// prompts and what the commands printed stay plain (they were coloured as
/// shell: `total` a command, quotes strings), and a command continued with
/// `\` goes on as code.
#[test]
fn a_console_block_colours_its_commands_only() {
    let note = "# C\n\n```console\n$ ls -la /tmp\ntotal 0\nroot@host:~# echo \"hi\"\nit's \"quoted\" output\n$ docker run \\\n  --rm alpine\n```\n";
    let dir = site_with([("c.md", note)]);
    let page = read(&build(dir.path()), "c/index.html");
    let block = &page[page.find("data-lang=\"console\"").unwrap()..];
    let block = &block[..block.find("</pre>").unwrap()];
    let lines: Vec<&str> = block.lines().collect();
    assert!(
        lines[0].contains("<code class=\"language-console\">$ <span class=\"hl"),
        "{block}"
    );
    assert_eq!(lines[1], "total 0", "{block}");
    assert!(
        lines[2].starts_with("root@host:~# <span class=\"hl"),
        "{block}"
    );
    assert_eq!(lines[3], "it's \"quoted\" output", "{block}");
    assert!(lines[5].contains("<span class=\"hl"), "{block}");
}

#[test]
fn code_blocks_highlight_by_language_and_alias() {
    let site = site("basic");
    let out = build(site.path());
    let py = read(&out, "python/装饰器/index.html");
    assert_eq!(highlighted(&py, "python"), 1, "python");
    assert_eq!(highlighted(&py, "py"), 1, "`PY` alias highlighted");
    assert!(
        py.contains("&lt;b&gt;not html&lt;/b&gt;"),
        "code is escaped"
    );
    let rust = read(&out, "rust/ownership/index.html");
    for lang in ["rust", "c++", "toml"] {
        assert!(highlighted(&rust, lang) >= 1, "{lang}");
    }
    assert!(
        rust.contains(
            "<pre class=\"code\" data-lang=\"klingon\"><code class=\"language-klingon\">nuqneH"
        ),
        "unknown language stays plain"
    );
    assert!(
        rust.contains("<pre class=\"code\"><code>plain fence"),
        "unlabelled fence stays plain"
    );
    let docker = read(&out, "docker/Dockerfile笔记/index.html");
    assert!(highlighted(&docker, "dockerfile") >= 1, "dockerfile");
    assert!(highlighted(&docker, "yml") >= 1, "yml alias");
    let css = read(&out, "static/syntax.css");
    assert!(
        css.contains(":root[data-theme=dark] .hd") && css.contains("prefers-color-scheme: dark")
    );
    // Every class a page uses has a rule.
    for class in rust
        .split("<span class=\"")
        .skip(1)
        .flat_map(|s| s[..s.find('"').unwrap()].split(' '))
    {
        if class.starts_with("hl") || class.starts_with("hd") {
            assert!(css.contains(&format!(" .{class}{{")), "{class} has no rule");
        }
    }
    // Pages load one stylesheet: the theme's styles, then the code colours.
    let style = read(&out, "static/style.css");
    assert!(style.ends_with(&css) && style.contains(".search-dropdown"));
    assert_eq!(rust.matches("rel=\"stylesheet\"").count(), 1);
}

/// A site's own `static/syntax.css` styles syntect's scope classes, so with
/// one the blocks keep them, and it is the stylesheet pages load.
#[test]
fn own_syntax_css_keeps_scope_classes() {
    let site = site("basic");
    let own = ".hl-keyword { color: #123456 }\n";
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/syntax.css"), own).unwrap();
    let out = build(site.path());
    let rust = read(&out, "rust/ownership/index.html");
    assert!(
        rust.contains("hl-source hl-rust") && rust.contains("hl-keyword"),
        "{rust}"
    );
    assert_eq!(read(&out, "static/syntax.css"), own);
    assert!(read(&out, "static/style.css").ends_with(own));
}

#[test]
fn unknown_language_is_reported_once_with_counts_and_where() {
    let site = site("basic");
    let o = biji(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("cannot highlight").count(), 1, "{err}");
    // With where the first one is, to find it by.
    assert!(
        err.contains("klingon (2, first at notes/rust/ownership.md:18)"),
        "{err}"
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.starts_with("built 5 notes"), "{stdout}");
}

#[test]
fn titles_fall_back_to_h1_then_file_name() {
    let site = site("basic");
    let out = build(site.path());
    let py = read(&out, "python/装饰器/index.html");
    assert!(
        py.contains("<title>Python 装饰器 · 测试站点</title>"),
        "H1 title"
    );
    let rust = read(&out, "rust/ownership/index.html");
    assert!(
        rust.contains("<title>ownership · 测试站点</title>"),
        "file-name title"
    );
    // A note that opens with its title as an H1 shows that heading (with its
    // id and anchor) as the page title, once, above the dates; the body
    // goes on after it.
    let header = py.split(r#"<header class="note-header">"#).nth(1).unwrap();
    let header = header.split("</header>").next().unwrap();
    assert!(
        header.contains(r#"<h1 id="python-装饰器">Python 装饰器<a class="anchor""#),
        "{header}"
    );
    assert_eq!(py.matches("<h1").count(), 1, "{py}");
    let content = py.split(r#"<div class="content">"#).nth(1).unwrap();
    assert!(
        content
            .trim_start()
            .starts_with("<p>装饰器是一个返回函数的函数。"),
        "{content}"
    );
    // Without such an H1, the title is the template's own heading.
    assert!(rust.contains(r#"<h1 class="note-title">ownership</h1>"#));
}

#[test]
fn cjk_paths_links_and_assets() {
    let site = site("basic");
    let out = build(site.path());
    assert!(out.join("中文目录/进程与线程/index.html").is_file());
    assert!(
        out.join("中文目录/index.html").is_file(),
        "folder listing page"
    );
    assert_eq!(
        std::fs::read(out.join("python/img/arch.png")).unwrap(),
        b"PNGDATA",
        "asset copied"
    );
    let py = read(&out, "python/装饰器/index.html");
    // Relative .md link with a CJK anchor -> the target page URL + anchor.
    assert!(
        py.contains(&format!(r#"href="/rust/ownership/#{}""#, enc("所有权"))),
        "note link"
    );
    // Relative image link from a note (whose page is one level deeper) still finds the file.
    assert!(py.contains(r#"src="/python/img/arch.png""#), "image");
    let home = read(&out, "index.html");
    assert!(
        home.contains(&format!(r#"href="/{}""#, enc("中文目录/进程与线程/"))),
        "home lists note"
    );
    let folder = read(&out, "中文目录/index.html");
    assert!(folder.contains("进程与线程"));
    assert!(
        folder.contains("进程是资源分配的单位。"),
        "description shown in the listing"
    );
    assert!(read(&out, "404.html").contains(r#"href="/static/style.css""#));
    assert!(out.join(".nojekyll").is_file());
}

#[test]
fn site_templates_and_static_override_embedded_ones() {
    let site = site("override");
    let out = build(site.path());
    let page = read(&out, "hello/index.html");
    assert!(
        page.contains(r#"<p class="custom-note-template">Hello</p>"#),
        "{page}"
    );
    assert!(read(&out, "static/style.css").contains("rebeccapurple"));
    assert_eq!(read(&out, "static/extra.txt"), "extra static file\n");
    // Embedded templates still serve the pages the site did not override.
    assert!(read(&out, "index.html").contains("static/biji.js"));
}

#[test]
fn template_error_names_the_file_and_line() {
    let site = site("override");
    std::fs::write(
        site.path().join("templates/note.html"),
        "<p>\n{{ note.title \n</p>",
    )
    .unwrap();
    let err = build_error(site.path());
    assert!(err.contains("templates/note.html"), "{err}");
    assert!(err.contains("--> 3:"), "line number: {err}");

    // An unknown variable is found only while rendering; Tera gives no line,
    // biji finds its first use.
    std::fs::write(
        site.path().join("templates/note.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ note.titel }}</h1>\n{% endblock content %}\n",
    )
    .unwrap();
    let err = build_error(site.path());
    assert!(err.contains("Variable `note.titel` not found"), "{err}");
    assert!(
        err.contains("templates/note.html:3:8: check the variable's spelling"),
        "{err}"
    );
}

#[test]
fn bad_front_matter_names_file_and_line() {
    let site = site("basic");
    std::fs::write(
        site.path().join("notes/bad.md"),
        "---\ntitle: ok\ntags: [a, b\n---\nbody\n",
    )
    .unwrap();
    let err = build_error(site.path());
    assert!(err.contains("notes/bad.md:"), "{err}");
    let line: usize = err
        .split("notes/bad.md:")
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3..=5).contains(&line), "{err}");
}

#[test]
fn a_note_that_is_not_utf8_names_its_line_and_the_fix() {
    let site = site("basic");
    // "# 标题\n进程" saved as GBK: the first non-UTF-8 byte is on line 1, column 3.
    let gbk: &[u8] = b"# \xB1\xEA\xCC\xE2\n\xBD\xF8\xB3\xCC\n";
    std::fs::write(site.path().join("notes/gbk.md"), gbk).unwrap();
    let err = build_error(site.path());
    assert!(err.contains("notes/gbk.md:1:3: not UTF-8 text"), "{err}");
    assert!(err.contains("iconv -f GBK -t UTF-8 notes/gbk.md"), "{err}");
}

#[test]
// Symbolic links on Windows need a privilege or developer mode.
#[cfg(unix)]
fn broken_symlink_in_notes_is_named() {
    let site = site("basic");
    std::os::unix::fs::symlink("/nonexistent/x.md", site.path().join("notes/gone.md")).unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("notes/gone.md` is a symbolic link to `/nonexistent/x.md`, which does not exist: remove the link"),
        "{err}"
    );
}

#[test]
fn unknown_config_key_is_an_error() {
    let site = site("basic");
    std::fs::write(site.path().join("biji.yaml"), "title: x\nbase_ur: /x/\n").unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("biji.yaml:2:1: unknown key `base_ur` (did you mean `base_url`?)"),
        "{err}"
    );
    assert!(err.contains("valid keys: title, description,"), "{err}");
}

#[test]
fn duplicate_urls_name_both_files() {
    let site = site("basic");
    std::fs::write(site.path().join("notes/a b.md"), "one").unwrap();
    std::fs::write(site.path().join("notes/a-b.md"), "two").unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("notes/a b.md") && err.contains("notes/a-b.md") && err.contains("/a-b/"),
        "{err}"
    );
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let site = site("basic");
    let out = build(site.path());
    let before = read(&out, "gfm/index.html");
    std::fs::write(
        site.path().join("notes/gfm.md"),
        "---\ntitle: [unclosed\n---\nnew text\n",
    )
    .unwrap();
    let o = biji(site.path(), &["build"]);
    assert!(!o.status.success());
    assert_eq!(read(&out, "gfm/index.html"), before, "old page kept");
    assert!(
        out.join("python/装饰器/index.html").is_file(),
        "old site kept whole"
    );
    let names: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("biji-tmp")),
        "no staging left: {names:?}"
    );
}

#[test]
fn output_folder_safety_rules() {
    let site = site("basic");
    let root = site.path();
    for (args, want) in [
        (vec!["build", "-o", "notes"], "is the notes folder"),
        (vec!["build", "-o", "."], "contains the notes folder"),
        (vec!["build", "-o", "notes/out"], "inside the notes folder"),
    ] {
        let o = biji(root, &args);
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
    std::fs::create_dir_all(root.join("mine")).unwrap();
    std::fs::write(root.join("mine/thesis.docx"), "precious").unwrap();
    let o = biji(root, &["build", "-o", "mine"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not created by biji"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(root.join("mine/thesis.docx")).unwrap(),
        "precious"
    );
    // A folder biji made itself is replaced without complaint.
    let o = biji(root, &["build", "-o", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = biji(root, &["build", "-o", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(root.join("site/.biji-output").is_file());
}

#[test]
fn works_in_a_folder_without_config_templates_or_static() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("notes")).unwrap();
    std::fs::write(
        dir.path().join("notes/只有一篇.md"),
        "# 只有一篇\n\n内容。\n",
    )
    .unwrap();
    let o = biji(dir.path(), &["build", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("public");
    assert!(read(&out, "只有一篇/index.html").contains("内容。"));
    assert!(out.join("static/style.css").is_file() && out.join("static/biji.js").is_file());
    let missing = tempfile::tempdir().unwrap();
    let o = biji(missing.path(), &["build"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("notes folder"), "{}", stderr(&o));
}

#[test]
fn bundled_notes_all_become_pages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let opts = biji::BuildOptions {
        root: root.to_path_buf(),
        output: Some(tmp.path().join("public")),
        ..Default::default()
    };
    let report = biji::build(&opts, &biji::Highlighter::new()).unwrap_or_else(|e| panic!("{e:#}"));
    let mut count = 0;
    for entry in walkdir::WalkDir::new(root.join("notes")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let rel = entry
                .path()
                .strip_prefix(root.join("notes"))
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // A folder's README is the folder's page.
            let url = rel
                .strip_suffix("README.md")
                .unwrap_or(rel.trim_end_matches(".md"));
            let page = tmp.path().join("public").join(url).join("index.html");
            assert!(page.is_file(), "no page for notes/{rel}");
            count += 1;
        }
    }
    assert!(count >= 40, "only {count} notes");
    assert_eq!(report.notes, count);
}

#[test]
fn biji_new_starts_a_note_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("notes")).unwrap();
    let o = biji(dir.path(), &["new", "python/协程"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = dir.path().join("notes/python/协程.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("---\ndate: 20") && text.contains("\n---\n\n# 协程\n"),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("协程.md"));
    // Never over an existing note.
    std::fs::write(&file, "# 我的内容\n").unwrap();
    let o = biji(dir.path(), &["new", "notes/python/协程.md"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# 我的内容\n");
    // Outside the notes folder: refused.
    let o = biji(dir.path(), &["new", "../x"]);
    assert!(
        !o.status.success() && stderr(&o).contains("`..`"),
        "{}",
        stderr(&o)
    );
    // A new note builds.
    let o = biji(dir.path(), &["new", "go/channel"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = build(dir.path());
    assert!(read(&out, "go/channel/index.html").contains(">channel<"));
    // Not in a site (from inside its notes, or anywhere else): refused,
    // naming the site above, rather than a stray `notes/` made there.
    let inside = dir.path().join("notes/python");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_biji"))
        .args(["new", "foo"])
        .current_dir(&inside)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(
        !o.status.success() && err.contains("is not a biji site"),
        "{err}"
    );
    assert!(
        err.contains(&format!("the site is `{}`", dir.path().display())),
        "{err}"
    );
    assert!(!inside.join("notes").exists());
    let elsewhere = tempfile::tempdir().unwrap();
    for args in [&["new", "foo"][..], &["serve", "--port", "0"][..]] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_biji"))
            .args(args)
            .current_dir(elsewhere.path())
            .output()
            .unwrap();
        let err = stderr(&o);
        assert!(
            !o.status.success() && err.contains("run `biji init`"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

/// A whole build (`--no-cache`) replaces the output folder but keeps what
/// in it starts with `.` and is not biji's: the `.git` of a `gh-pages`
/// worktree checked out there (as Hugo users keep `public/`), `.github/`.
#[test]
fn a_whole_build_keeps_the_outputs_dot_entries() {
    let dir = common::site_with([("a.md", "# A\n")]);
    let out = build(dir.path());
    std::fs::write(out.join(".git"), "gitdir: /x/.git/worktrees/public\n").unwrap();
    std::fs::create_dir_all(out.join(".github")).unwrap();
    std::fs::write(out.join(".github/CODEOWNERS"), "*\n").unwrap();
    std::fs::write(out.join("mine.html"), "mine").unwrap();
    let o = biji(dir.path(), &["build", "--no-cache"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join(".git")).unwrap(),
        "gitdir: /x/.git/worktrees/public\n"
    );
    assert!(out.join(".github/CODEOWNERS").is_file());
    assert!(out.join("a/index.html").is_file() && out.join(".nojekyll").is_file());
    // Other files of one's own go with a whole build, as documented.
    assert!(!out.join("mine.html").exists());
}
