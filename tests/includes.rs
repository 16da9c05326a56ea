//! mdBook's `{{#include}}` in code blocks: a book's listings live in files
//! beside its chapters, and a chapter shows them where the directive stands.

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
