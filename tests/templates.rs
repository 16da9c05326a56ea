//! A site's own templates: mistakes in them stop the build with a message
//! that names the template, never with a crash or a flood of output.

mod common;
use common::*;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let file = root.join(rel);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
}

/// `note.html` showing `body` as the page's content.
fn note_template(body: &str) -> String {
    format!("{{% extends \"base.html\" %}}\n{{% block content %}}{body}{{% endblock content %}}\n")
}

#[test]
fn templates_that_include_each_other_without_end_are_an_error_not_a_crash() {
    let site = site_with([("a.md", "# A\n")]);
    let root = site.path();
    write(root, "templates/a.html", "{% include \"b.html\" %}");
    write(root, "templates/b.html", "{% include \"a.html\" %}");
    write(
        root,
        "templates/note.html",
        &note_template("{% include \"a.html\" %}"),
    );
    let err = build_error(root);
    assert!(!err.contains("overflow"), "{err}");
    assert!(
        err.contains("note.html → a.html → b.html → a.html → …"),
        "{err}"
    );
    assert!(err.contains("notes/a.md"), "{err}");
}

#[test]
fn a_macro_that_calls_itself_without_end_is_an_error_but_one_that_stops_works() {
    let site = site_with([("a.md", "# A\n")]);
    let root = site.path();
    write(
        root,
        "templates/tree.html",
        "{% macro forever(n) %}<i>{{ n }}</i>{{ self::forever(n=n+1) }}{% endmacro %}\n\
         {% macro walk(n) %}{% if n > 0 %}<b>{{ n }}</b>{{ self::walk(n=n-1) }}{% endif %}{% endmacro %}\n",
    );
    // Deep enough for any folder tree, and it ends.
    write(
        root,
        "templates/note.html",
        &format!(
            "{{% import \"tree.html\" as tree %}}{}",
            note_template("{{ tree::walk(n=60) }}")
        ),
    );
    let out = build(root);
    let page = read(&out, "a/index.html");
    assert!(page.contains("<b>60</b><b>59</b>") && page.contains("<b>1</b>"));

    write(
        root,
        "templates/note.html",
        &format!(
            "{{% import \"tree.html\" as tree %}}{}",
            note_template("{{ tree::forever(n=1) }}")
        ),
    );
    let err = build_error(root);
    assert!(!err.contains("overflow"), "{err}");
    assert!(
        err.contains("macro `forever` (tree.html) → macro `forever` (tree.html) → …"),
        "{err}"
    );
    // Our guard is no part of the theme: its name stays out of the message.
    assert!(!err.contains("__biji"), "{err}");
}

#[test]
fn macro_files_that_import_each_other_are_an_error_naming_both() {
    let site = site_with([("a.md", "# A\n")]);
    let root = site.path();
    write(
        root,
        "templates/m1.html",
        "{% import \"m2.html\" as m2 %}{% macro one() %}1{% endmacro %}",
    );
    write(
        root,
        "templates/m2.html",
        "{% import \"m1.html\" as m1 %}{% macro two() %}2{% endmacro %}",
    );
    write(
        root,
        "templates/note.html",
        &format!(
            "{{% import \"m1.html\" as m %}}{}",
            note_template("{{ m::one() }}")
        ),
    );
    let err = build_error(root);
    assert!(!err.contains("overflow"), "{err}");
    assert!(
        err.contains("templates/m1.html imports") && err.contains("templates/m2.html imports"),
        "{err}"
    );
}

/// A site's `base.html` that extends a theme template, which extends
/// `base.html`: Tera catches a circle only from a template in it, and the
/// theme's other templates lead into it, which overflowed the stack (the
/// process aborted, with no file named, in most runs).
#[test]
fn templates_that_extend_each_other_are_an_error_naming_both() {
    for extended in ["note.html", "folder.html", "index.html", "404.html"] {
        let site = site_with([("a.md", "# A\n")]);
        write(
            site.path(),
            "templates/base.html",
            &format!("{{% extends \"{extended}\" %}}"),
        );
        let err = build_error(site.path());
        assert!(!err.contains("overflow"), "{err}");
        assert!(
            err.contains("templates extend each other in a circle")
                && err.contains("templates/base.html extends")
                && err.contains(&format!("(built-in theme) templates/{extended} extends")),
            "{err}"
        );
    }
}

#[test]
fn one_template_mistake_in_many_pages_is_reported_once_with_a_count() {
    let notes: Vec<(String, String)> = (0..50)
        .map(|k| (format!("n{k:02}.md"), format!("# 笔记 {k}\n\n正文。\n")))
        .collect();
    let site = site_with(notes);
    let root = site.path();
    write(
        root,
        "templates/note.html",
        &note_template("\n<h1>{{ note.titel }}</h1>"),
    );
    let err = build_error(root);
    assert_eq!(
        err.matches("Variable `note.titel` not found").count(),
        1,
        "{err}"
    );
    assert!(err.contains("templates/note.html:3:8"), "{err}");
    assert!(err.contains("(and in 49 other pages: notes/"), "{err}");
    assert!(err.len() < 2048, "{} bytes: {err}", err.len());
}

/// Tera parses by recursion without a limit: 2000 nested `if`s or 5000
/// nested parentheses overflowed the stack and aborted biji (exit 134).
#[test]
fn a_template_nested_too_deep_is_an_error_naming_its_line() {
    let site = site_with([("a.md", "# A\n")]);
    let root = site.path();
    let ifs = format!(
        "{}x{}",
        "{% if true %}".repeat(2000),
        "{% endif %}".repeat(2000)
    );
    write(root, "templates/note.html", &note_template(&ifs));
    let err = build_error(root);
    assert!(
        err.contains("templates/note.html:2:")
            && err.contains("blocks nested more than 100 deep in `note.html`"),
        "{err}"
    );
    let parens = format!("{{{{ {}1{} }}}}", "(".repeat(5000), ")".repeat(5000));
    write(root, "templates/note.html", &note_template(&parens));
    let err = build_error(root);
    assert!(err.contains("brackets nested more than 100 deep"), "{err}");
    // Nesting a real template would never reach builds.
    let fine = format!(
        "{}x{}",
        "{% if true %}".repeat(50),
        "{% endif %}".repeat(50)
    );
    write(root, "templates/note.html", &note_template(&fine));
    let o = biji(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A template (or `biji.yaml`) that is not UTF-8 names its file and the line
/// where it stops being text, not "stream did not contain valid UTF-8".
#[test]
fn files_that_are_not_utf8_are_named_with_their_line() {
    let site = site_with([("a.md", "# A\n")]);
    let root = site.path();
    let file = root.join("templates/note.html");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, b"{% extends \"base.html\" %}\n\xC4\xE3\xBA\xC3\n").unwrap();
    let err = build_error(root);
    assert!(
        err.contains("templates/note.html:2:1: not UTF-8 text (byte 0xC4)"),
        "{err}"
    );
    std::fs::remove_file(&file).unwrap();
    std::fs::write(root.join("biji.yaml"), b"title: \xC4\xE3\n").unwrap();
    let err = build_error(root);
    assert!(err.contains("biji.yaml:1:8: not UTF-8 text"), "{err}");
}

/// Tera's `range(end=100000000)` made the whole list (3 GB, minutes in
/// `serve`) and `step_by=0` never ended: both are errors now, and a real
/// range still counts as Tera's does.
#[test]
fn a_huge_or_endless_range_is_an_error() {
    let site = site_with([("a.md", "# A\n")]);
    let root = site.path();
    for (call, said) in [
        (
            "range(end=100000000)",
            "`range` would make 100000000 numbers",
        ),
        ("range(end=5, step_by=0)", "`step_by` must be at least 1"),
    ] {
        let body = format!("{{% for i in {call} %}}{{{{ i }}}}{{% endfor %}}");
        write(root, "templates/note.html", &note_template(&body));
        let err = build_error(root);
        assert!(
            err.contains(said) && err.contains("notes/a.md"),
            "{call}: {err}"
        );
    }
    let body = "{% for i in range(start=2, end=9, step_by=3) %}[{{ i }}]{% endfor %}";
    write(root, "templates/note.html", &note_template(body));
    let o = biji(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(&root.join("public"), "a/index.html").contains("[2][5][8]"));
}

/// Loops nested over large lists took minutes per page (and `serve` waited
/// on every one): a page's loops may turn 10 million times, then the build
/// fails naming the template. Ordinary nesting is untouched.
#[test]
fn loops_that_would_run_for_minutes_are_an_error() {
    let site = site_with([("a.md", "# A\n")]);
    let root = site.path();
    let nested = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% if i == j %}={% endif %}{% endfor %}{% endfor %}";
    // In a loop's body, and in the `else` of an empty one.
    for body in [
        nested,
        &format!("{{% for z in [] %}}{{% else %}}{nested}{{% endfor %}}"),
    ] {
        write(root, "templates/note.html", &note_template(body));
        let err = build_error(root);
        assert!(
            err.contains("the loops of `note.html` ran more than 10000000 times for one page")
                && err.contains("notes/a.md")
                && !err.contains("__biji"),
            "{err}"
        );
    }
    let body = "{% for i in range(end=100) %}{% for j in range(end=100) %}{% if i == j %}={% endif %}{% endfor %}{% endfor %}";
    write(root, "templates/note.html", &note_template(body));
    let o = biji(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(&root.join("public"), "a/index.html").contains(&"=".repeat(100)));
}

/// A symbolic link in `static/` is followed as in `notes/` (it was dropped
/// without a word); one whose target is gone is an error naming it.
#[cfg(unix)]
#[test]
fn static_files_behind_symbolic_links_are_published() {
    let site = site_with([("a.md", "# A\n")]);
    let root = site.path();
    write(root, "shared/extra.css", "body { margin: 0 }\n");
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::os::unix::fs::symlink("../shared/extra.css", root.join("static/extra.css")).unwrap();
    let o = biji(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        read(&root.join("public"), "static/extra.css"),
        "body { margin: 0 }\n"
    );
    std::os::unix::fs::symlink("nowhere.css", root.join("static/gone.css")).unwrap();
    let err = build_error(root);
    assert!(err.contains("static/gone.css: cannot read it"), "{err}");
}

/// An include of a template that does not exist names the line of the
/// include (Tera's message names no place).
#[test]
fn an_include_of_a_missing_template_names_its_line() {
    let site = site_with([("a.md", "# A\n")]);
    let root = site.path();
    write(
        root,
        "templates/note.html",
        &note_template("\n\n{% include \"nope.html\" %}"),
    );
    let err = build_error(root);
    assert!(
        err.contains(
            "templates/note.html:4:13: no such file is in templates/ or the built-in theme"
        ),
        "{err}"
    );
}
