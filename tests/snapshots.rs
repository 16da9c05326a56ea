//! Whole-page snapshots of the `snapshot` fixture: any change in what a build
//! writes shows up here as a diff, where a `contains` check would see only the
//! part it names. A deliberate change is accepted with `cargo insta review`
//! (or `INSTA_UPDATE=always cargo test --test snapshots`) after reading the
//! diff; the `.snap` files live in `tests/snapshots/`.
//!
//! The fixture is deterministic by construction: every note has a date in its
//! front matter and `git_dates: false`, so no page depends on file times, Git
//! history or where the site was built.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The fixture, built once for all the tests here, under cargo's per-target
/// temp folder (not a random one, and nothing is left in the system's /tmp).
fn out() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snapshot-site");
        if root.exists() {
            std::fs::remove_dir_all(&root).unwrap();
        }
        copy_dir(&fixture("snapshot"), &root);
        build(&root)
    })
}

fn page(rel: &str) -> String {
    read(out(), rel)
}

#[test]
fn the_files_a_build_writes() {
    let out = out();
    let mut files: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            let parts: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            parts.join("/")
        })
        .collect();
    files.sort();
    insta::assert_snapshot!("files", files.join("\n"));
}

/// Code highlighted as Python, a wikilink and a link to a heading of another
/// note, tags, a table of contents, the pager, backlinks and related notes.
#[test]
fn a_note_page() {
    insta::assert_snapshot!("note", page("python/进程与线程/index.html"));
}

/// A folder's README above the listing of the folder's other notes.
#[test]
fn a_folder_page() {
    insta::assert_snapshot!("folder", page("python/index.html"));
}

/// `notes/README.md` as the introduction, the recent notes, the folders.
#[test]
fn the_home_page() {
    insta::assert_snapshot!("home", page("index.html"));
}

#[test]
fn a_topic_page() {
    insta::assert_snapshot!("topic", page("topics/并发/index.html"));
}

#[test]
fn the_topics_list() {
    insta::assert_snapshot!("topics", page("topics/index.html"));
}

/// Chinese headings filed under the pinyin initial of their first character.
#[test]
fn the_heading_index() {
    insta::assert_snapshot!("heading_index", page("index/index.html"));
}

#[test]
fn the_not_found_page() {
    insta::assert_snapshot!("not_found", page("404.html"));
}

/// Absolute URLs under the fixture's `base_url`, dates from front matter.
#[test]
fn the_sitemap() {
    insta::assert_snapshot!("sitemap", page("sitemap.xml"));
}

/// The generator's version is masked: a version bump is not a change to review.
#[test]
fn the_feed() {
    let version = concat!("<generator version=\"", env!("CARGO_PKG_VERSION"), "\">");
    let feed = page("atom.xml");
    assert!(feed.contains(version), "{feed}");
    let feed = feed.replace(version, "<generator version=\"[version]\">");
    insta::assert_snapshot!("atom", feed);
}
