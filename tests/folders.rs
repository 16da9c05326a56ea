//! A folder's `README.md` / `index.md` / `_index.md` is the folder's page, and
//! `notes/README.md` the home page's introduction.

mod common;
use common::*;

/// The `<main>` part of a page (the nav lists every folder and note).
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>");
    &html[start..end]
}

#[test]
fn a_folder_readme_is_the_folder_page_above_its_listing() {
    let dir = site("folders");
    let out = build(dir.path());
    assert!(
        !out.join("python/readme").exists() && !out.join("python/README").exists(),
        "the README has no page of its own"
    );
    let page = read(&out, "python/index.html");
    assert!(page.contains("<title>Python 笔记 · "), "{page}");
    assert!(
        page.contains("<meta name=\"description\" content=\"Python 目录的说明\">"),
        "{page}"
    );
    let main = main_of(&page);
    // The README's H1 is the page title, its text comes before the listing.
    assert!(
        main.contains("<h1 id=\"python-笔记\">Python 笔记<a class=\"anchor\""),
        "{main}"
    );
    let intro = main.find("PYTHON-INTRO").expect("README text");
    let listing = main.find("id=\"biji-notes\"").expect("note listing");
    assert!(intro < listing, "{main}");
    assert!(
        main.contains("<a class=\"tag\" href=\"/topics/python/\">python</a>"),
        "{main}"
    );
    // Its table of contents and heading ids work as on a note page.
    assert!(
        main.contains("<a href=\"#阅读顺序\">阅读顺序</a>")
            && main.contains("<h2 id=\"阅读顺序\">"),
        "{main}"
    );
    // Relative links and images resolve from the README's folder.
    assert!(
        main.contains(&format!(
            "<a href=\"{}\">装饰器</a>",
            enc("/python/装饰器/")
        )) && main.contains("<a href=\"/python/web/flask/\">Flask</a>")
            && main.contains("<img src=\"/python/diagram.svg\" alt=\"示意图\" loading=\"lazy\" />"),
        "{main}"
    );
    // The listing: the other notes and the sub-folder, not the README itself.
    let notes = &main[listing..];
    assert!(notes.contains(&enc("/python/装饰器/")), "{notes}");
    assert!(!notes.contains("PYTHON-INTRO"), "{notes}");
    assert!(main.contains("href=\"/python/web/\""), "{main}");
    // Backlinks from the notes that link to the README.
    assert!(main.contains("id=\"biji-backlinks\""), "{main}");

    // The nav shows the folder, not a separate README entry.
    let nav_entry = format!("href=\"{}\"", "/python/readme/");
    assert!(!page.contains(&nav_entry), "{page}");
}

#[test]
fn links_to_a_readme_lead_to_its_folder() {
    let dir = site("folders");
    let out = build(dir.path());
    let note = main_of(&read(&out, &format!("python/{}/index.html", "装饰器"))).to_string();
    assert!(
        note.contains(&format!(
            "<a href=\"/python/#{}\">阅读顺序</a>",
            enc("阅读顺序")
        )),
        "{note}"
    );
    assert!(
        note.contains("<a href=\"/python/\">Python 目录</a>"),
        "wikilink: {note}"
    );
    // The home page's README links into the folder too.
    let home = main_of(&read(&out, "index.html")).to_string();
    assert!(home.contains("<a href=\"/python/\">Python</a>"), "{home}");
}

#[test]
fn the_root_readme_introduces_the_home_page() {
    let dir = site("folders");
    let out = build(dir.path());
    let home = read(&out, "index.html");
    let main = main_of(&home);
    assert!(main.contains("HOME-INTRO"), "{main}");
    // The site title heads the page: with none in biji.yaml, the README's
    // own, shown once (its H1 is not repeated), its id kept there, where
    // the heading index leads (`biji check` failed).
    assert_eq!(main.matches(">我的学习笔记").count(), 1, "{main}");
    assert!(home.contains("<title>我的学习笔记</title>"), "{home}");
    let id = common::enc("我的学习笔记");
    assert!(
        main.contains("<h1 id=\"我的学习笔记\">我的学习笔记"),
        "{main}"
    );
    assert!(
        read(&out, "index/index.html").contains(&format!("href=\"/#{id}\"")),
        "the heading index leads to the home page's title"
    );
    let checked = common::biji(dir.path(), &["check"]);
    assert!(checked.status.success(), "{}", common::stderr(&checked));
    // The usual home page is still there, without a link to itself.
    let recent = &main[main.find("id=\"biji-recent\"").expect("recent list")..];
    assert!(recent.contains("href=\"/go/goroutine/\""), "{recent}");
    assert!(!recent.contains("href=\"/\""), "{recent}");
    assert!(main.contains("href=\"/python/\""), "{main}");
    assert!(!out.join("readme").exists());
    // A folder's card carries its README's description.
    assert!(
        main.contains("<span class=\"folder-desc\">Python 目录的说明</span>"),
        "{main}"
    );
}

#[test]
fn an_index_note_without_a_title_is_named_after_its_folder() {
    let dir = site("folders");
    let out = build(dir.path());
    let page = read(&out, "go/index.html");
    let main = main_of(&page);
    assert!(page.contains("<title>go · "), "{page}");
    assert!(main.contains("<h1>go</h1>"), "{main}");
    assert!(main.contains("GO-INTRO"), "{main}");
    assert!(main.contains("href=\"/go/goroutine/\""), "{main}");
}

#[test]
fn readme_and_index_in_one_folder_are_an_error() {
    let dir = site("folders");
    std::fs::write(dir.path().join("notes/python/index.md"), "# 另一个\n").unwrap();
    let err = build_error(dir.path());
    assert!(
        err.contains("notes/python/index.md")
            && err.contains("notes/python/README.md")
            && err.contains("/python/")
            && err.contains("keep one of README.md, index.md and _index.md"),
        "{err}"
    );
}

#[test]
fn folder_lists_order_chinese_by_pinyin_and_numbers_by_value() {
    let dir = site_with(
        [
            ("a.md", "第10章 协程"),
            ("b.md", "第2章 线程"),
            ("c.md", "第1章 进程"),
            ("d.md", "网络"),
            ("e.md", "操作系统"),
            ("f.md", "Docker"),
        ]
        .map(|(file, title)| (format!("书/{file}"), format!("# {title}\n"))),
    );
    let out = build(dir.path());
    let page = read(&out, &format!("{}/index.html", "书"));
    let main = main_of(&page);
    let at = |title: &str| {
        main.find(&format!(">{title}</a>"))
            .unwrap_or_else(|| panic!("{title} not listed: {main}"))
    };
    let order = [
        "操作系统",
        "第1章 进程",
        "第2章 线程",
        "第10章 协程",
        "Docker",
        "网络",
    ];
    let places: Vec<usize> = order.iter().map(|t| at(t)).collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "{order:?}: {main}");

    // Each note links to its neighbours in that order.
    let page = read(&out, &format!("{}/b/index.html", "书"));
    let pager = &page[page.find("<nav class=\"pager\"").expect("a pager")..];
    let pager = &pager[..pager.find("</nav>").unwrap()];
    assert!(
        pager.contains(&format!("href=\"{}\" rel=\"prev\"", enc("/书/c/")))
            && pager.contains("第1章 进程")
            && pager.contains(&format!("href=\"{}\" rel=\"next\"", enc("/书/a/")))
            && pager.contains("第10章 协程"),
        "{pager}"
    );
    let first = read(&out, &format!("{}/e/index.html", "书"));
    assert!(
        first.contains("rel=\"next\"") && !first.contains("rel=\"prev\""),
        "{first}"
    );
}

/// One folder per note, as VuePress sites lay out problems
/// (`0001. 两数之和/README.md`): every page listed every folder, 3,816 of
/// them in one site (1.8 MB a page, 14 GB in all).
#[test]
fn the_sidebar_lists_the_sub_folders_around_the_page_too() {
    let n = biji::testing::NAV_NOTES * 3;
    let dir = site_with((0..n).map(|k| (format!("p/{k:03}/README.md"), format!("# 题{k:03}\n"))));
    let out = build(dir.path());
    let page = read(&out, &format!("p/{:03}/index.html", n / 2));
    let start = page.find("<nav class=\"site-nav\"").expect("a sidebar");
    let nav = &page[start..start + page[start..].find("</nav>").unwrap()];
    assert_eq!(
        nav.matches("class=\"nav-folder").count(),
        biji::testing::NAV_NOTES + 1,
        "{nav}"
    );
    assert!(nav.contains(&format!(">{:03}<", n / 2)), "{nav}");
    assert!(nav.contains(&format!(">全部笔记 ({n})</a>")), "{nav}");
    // The link to the rest comes last.
    let more = nav.find("class=\"nav-more").unwrap();
    assert!(!nav[more..].contains("class=\"nav-folder"), "{nav}");
}

#[test]
fn the_sidebar_of_a_big_folder_lists_the_notes_around_the_page() {
    let n = biji::testing::NAV_NOTES * 3;
    let dir = site_with((0..n).map(|k| (format!("flat/n{k:03}.md"), format!("# 笔记{k:03}\n"))));
    let out = build(dir.path());
    let nav_of = |rel: &str| {
        let page = read(&out, rel);
        let start = page.find("<nav class=\"site-nav\"").expect("a sidebar");
        let end = start + page[start..].find("</nav>").unwrap();
        page[start..end].to_string()
    };
    // The middle note: its neighbours on both sides, not the far ends.
    let mid = n / 2;
    let nav = nav_of(&format!("flat/n{mid:03}/index.html"));
    assert_eq!(
        nav.matches("class=\"nav-note").count(),
        biji::testing::NAV_NOTES
    );
    assert!(
        nav.contains(&format!(">笔记{:03}<", mid - 1))
            && nav.contains(&format!(">笔记{:03}<", mid + 1))
    );
    assert!(!nav.contains(">笔记000<") && !nav.contains(&format!(">笔记{:03}<", n - 1)));
    assert!(
        nav.contains(&format!(
            "<li class=\"nav-more\" style=\"--depth: 1\"><a href=\"/flat/\">全部笔记 ({n})</a>"
        )),
        "{nav}"
    );
    // The last note: the window ends with it.
    let nav = nav_of(&format!("flat/n{:03}/index.html", n - 1));
    assert!(
        nav.contains(&format!(">笔记{:03}<", n - biji::testing::NAV_NOTES)),
        "{nav}"
    );
    // The folder page itself lists them all.
    let folder = read(&out, "flat/index.html");
    assert_eq!(
        main_of(&folder)
            .matches("class=\"note-item-title\"")
            .count(),
        n
    );
}

/// `exclude:` leaves files and folders out, as `.gitignore` names them: a
/// docsify `index.html` beside a README (which stops the build, naming the
/// key) and a copied library folder, whose pages and links are not the
/// author's notes. A pattern that is no glob is an error at its line.
#[test]
fn exclude_leaves_out_what_it_names() {
    let site = site_with([
        ("docs/README.md", "# 文档\n"),
        (
            "prism-master/README.md",
            "# Prism\n\n[坏链接](nowhere.md)\n",
        ),
        ("a.md", "# A\n"),
    ]);
    let notes = site.path().join("notes");
    std::fs::write(notes.join("docs/index.html"), "<html>docsify</html>").unwrap();
    std::fs::write(
        notes.join("prism-master/demo.html"),
        "<a href=\"x.html\">x</a>",
    )
    .unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("notes/docs/index.html: it would replace the page of notes/docs/README.md")
            && err.contains("`exclude: [docs/index.html]` in biji.yaml"),
        "{err}"
    );
    std::fs::write(
        site.path().join("biji.yaml"),
        "exclude:\n  - index.html\n  - prism-master/\n",
    )
    .unwrap();
    let out = build(site.path());
    assert!(read(&out, "docs/index.html").contains("文档"));
    assert!(!out.join("prism-master").exists());
    assert!(read(&out, "index.html").contains("/a/"));
    std::fs::write(site.path().join("biji.yaml"), "exclude: [\"**\"]\n").unwrap();
    let err = build_error(site.path());
    assert!(err.contains("`exclude` leaves out every note"), "{err}");
    std::fs::write(
        site.path().join("biji.yaml"),
        "title: x\nexclude: [\"[bad\"]\n",
    )
    .unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("biji.yaml:2: exclude pattern `[bad` is not a glob"),
        "{err}"
    );
}

/// A note with several H1s uses them as sections (as Typora notes often
/// do): its title is its file name, not the first section's (five notes of
/// one folder were all titled 前言). Numbered file names keep their order.
#[test]
fn sections_in_h1s_are_no_title_and_numbered_notes_keep_their_order() {
    let site = site_with([
        ("java/01-Java基础.md", "# 前言\n\n基础\n\n# 一、基本概念\n"),
        ("java/02-Java集合框架.md", "# 前言\n\n集合\n\n# 一、概述\n"),
        ("java/10-JVM.md", "# Java 虚拟机\n"),
        ("java/附录.md", "# 附录\n"),
        ("java/并发.md", "# 并发\n"),
    ]);
    let out = build(site.path());
    let folder = read(&out, "java/index.html");
    let order: Vec<&str> = [
        "01-Java基础",
        "02-Java集合框架",
        "Java 虚拟机",
        "并发",
        "附录",
    ]
    .into_iter()
    .collect();
    let at: Vec<usize> = order
        .iter()
        .map(|t| {
            folder
                .find(&format!(">{t}</a>"))
                .unwrap_or_else(|| panic!("{t} in {folder}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?} at {at:?}");
    let page = read(&out, &format!("java/{}/index.html", "01-Java基础"));
    assert!(page.contains("<title>01-Java基础 · "), "{page}");
    assert!(page.contains("<h1 id=\"前言\">前言"), "{page}");
}

/// Obsidian's folder notes: `分布式.md` beside `分布式/` is that folder's
/// page (both have the URL /分布式/, which was a clash), with its links
/// still relative to its own file. A folder with its own README keeps it,
/// and the note beside it is an error that says what to do.
#[test]
fn a_note_beside_its_folder_is_the_folder_page() {
    let site = site_with([
        (
            "分布式.md",
            "# 分布式系统\n\nFOLDER-NOTE [CAP](分布式/CAP.md) [[Raft]]\n",
        ),
        ("分布式/CAP.md", "# CAP\n\n[上一级](../分布式.md)\n"),
        ("分布式/Raft.md", "# Raft\n"),
        ("README.md", "# 首页\n\n[分布式](分布式.md)\n"),
    ]);
    let out = build(site.path());
    assert!(!out.join("分布式/分布式").exists());
    let page = read(&out, "分布式/index.html");
    let main = main_of(&page);
    let intro = main.find("FOLDER-NOTE").expect("the note's text");
    let listing = main
        .find("id=\"biji-notes\"")
        .expect("the folder's listing");
    assert!(intro < listing, "{main}");
    let cap = format!("<a href=\"{}\">CAP</a>", enc("/分布式/CAP/"));
    assert!(main.contains(&cap), "{main}");
    assert!(main[listing..].contains(&enc("/分布式/Raft/")), "{main}");
    assert!(!main[listing..].contains("FOLDER-NOTE"), "{main}");
    let back = format!("<a href=\"{}\">上一级</a>", enc("/分布式/"));
    assert!(read(&out, "分布式/CAP/index.html").contains(&back));
    assert!(read(&out, "index.html").contains(&enc("/分布式/")));

    std::fs::write(site.path().join("notes/分布式/README.md"), "# 索引\n").unwrap();
    let err = build_error(site.path());
    assert!(
        err.contains("notes/分布式.md and notes/分布式/README.md both map to the URL /分布式/")
            || err.contains(
                "notes/分布式/README.md and notes/分布式.md both map to the URL /分布式/"
            ),
        "{err}"
    );
    assert!(
        err.contains("merge the note beside the folder into its index note"),
        "{err}"
    );
}

/// In an Obsidian vault, the folder-note plugins' default keeps the note
/// inside its folder (`Compiler/Compiler.md`): it is the folder's page, at
/// the folder's URL, unless the folder has a README or a note beside it of
/// its name. Links by name lead there; set back when the README comes.
/// Outside a vault such a note is one of many (linux-command's
/// `command/command.md`) and stays a note.
#[test]
fn a_note_inside_its_folder_named_as_it_is_the_folder_page() {
    let site = site_with([
        (
            "Compiler/Compiler.md",
            "# 编译器\n\nINSIDE-NOTE [解析](Parser.md)\n",
        ),
        ("Compiler/Parser.md", "# Parser\n\n[[Compiler]]\n"),
        ("Go/Go.md", "# Go 里面\n"),
        ("Go.md", "# Go 旁边\n"),
        ("Go/chan.md", "# chan\n"),
    ]);
    let out = build(site.path());
    assert!(read(&out, "Compiler/Compiler/index.html").contains("INSIDE-NOTE"));
    std::fs::create_dir_all(site.path().join(".obsidian")).unwrap();
    let out = build(site.path());
    assert!(!out.join("Compiler/Compiler").exists());
    let main = main_of(&read(&out, "Compiler/index.html")).to_string();
    let intro = main.find("INSIDE-NOTE").expect("the note's text");
    let listing = main.find("id=\"biji-notes\"").expect("the listing");
    assert!(intro < listing, "{main}");
    assert!(
        main.contains("<a href=\"/Compiler/Parser/\">解析</a>"),
        "{main}"
    );
    assert!(
        read(&out, "Compiler/Parser/index.html").contains("<a href=\"/Compiler/\">Compiler</a>")
    );
    // The note beside the folder wins; the one inside is a note of it.
    assert!(read(&out, "Go/index.html").contains("Go 旁边"));
    assert!(read(&out, "Go/Go/index.html").contains("Go 里面"));

    std::fs::write(site.path().join("notes/Compiler/README.md"), "# 说明\n").unwrap();
    let out = build(site.path());
    assert!(read(&out, "Compiler/index.html").contains("说明"));
    assert!(read(&out, "Compiler/Compiler/index.html").contains("INSIDE-NOTE"));
}
