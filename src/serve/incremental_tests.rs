//! The incremental rebuilder's tests (kept apart: the rebuilder is long enough).

use super::*;
use crate::serve::client::CLIENT_SCRIPT;
use std::io::Read;

fn site() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let notes = d.path().join("notes");
    std::fs::create_dir_all(notes.join("sub")).unwrap();
    std::fs::write(notes.join("a.md"), "# 甲\n\n正文 [[b]]\n").unwrap();
    std::fs::write(notes.join("sub/b.md"), "# 乙\n\n正文\n").unwrap();
    std::fs::write(notes.join("c.md"), "# 丙\n\n![[b]]\n").unwrap();
    std::fs::write(d.path().join("biji.yaml"), "git_dates: false\n").unwrap();
    let templates = d.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("note.html"),
        "{{ note.title }}|{{ probe }}</body>",
    )
    .unwrap();
    d
}

#[test]
fn a_new_context_field_re_renders_the_pages_that_show_it() {
    let d = site();
    let out = d.path().join("out");
    let mut r = Rebuilder::new(BuildOptions {
        root: d.path().to_path_buf(),
        output: Some(out.clone()),
        ..Default::default()
    });
    let none = HashSet::new();
    let mut reloaded: Vec<Option<Vec<String>>> = Vec::new();
    let mut ready = |_: &str, pages: Option<Vec<String>>| reloaded.push(pages);
    assert!(r.rebuild(&none, &mut ready).unwrap().full);
    // Up to the live-reload client.
    let page = |rel: &str| {
        let html = std::fs::read_to_string(out.join(rel)).unwrap();
        html.split(CLIENT_SCRIPT).next().unwrap().to_string()
    };
    assert_eq!(page("a/index.html"), "甲|");
    let home = page("index.html");

    // Nothing changed: nothing is rendered or written.
    let o = r.rebuild(&none, &mut ready).unwrap();
    assert!(!o.full);
    assert_eq!(o.files, 0);

    // A value that reaches the pages only through their context.
    r.state.as_mut().unwrap().cfg.probe = "新".into();
    let o = r.rebuild(&none, &mut ready).unwrap();
    assert!(!o.full);
    assert_eq!(page("a/index.html"), "甲|新");
    assert_eq!(page("sub/b/index.html"), "乙|新");
    assert_eq!(page("index.html"), home);
    let mut changed = reloaded.pop().flatten().unwrap();
    changed.sort();
    assert_eq!(changed, vec!["/a/", "/c/", "/sub/b/"]);
}

#[test]
fn an_edit_of_sources_only_plans_the_notes_whose_body_changed_and_leaves_none_stale() {
    let d = site();
    let note = d.path().join("templates/note.html");
    std::fs::write(&note, "{{ note.title }}|{{ note.content | safe }}</body>").unwrap();
    let out = d.path().join("out");
    let mut r = Rebuilder::new(BuildOptions {
        root: d.path().to_path_buf(),
        output: Some(out),
        ..Default::default()
    });
    let none = HashSet::new();
    let mut pages: Vec<Option<Vec<String>>> = Vec::new();
    let mut ready = |_: &str, p: Option<Vec<String>>| pages.push(p);
    r.rebuild(&none, &mut ready).unwrap();
    // b's text changes, not its title, headings, links or first sentence;
    // c embeds b.
    let b = d.path().join("notes/sub/b.md");
    std::fs::write(&b, "# 乙\n\n正文\n\n又写了一段更长的正文。\n").unwrap();
    let o = r.rebuild(&HashSet::from([b.clone()]), &mut ready).unwrap();
    assert!(o.fast, "sources only");
    // Planning every page now finds nothing the fast path missed.
    r.state.as_mut().unwrap().body_keys.clear();
    let o = r.rebuild(&none, &mut ready).unwrap();
    assert!(!o.fast);
    // A line typed above a link moves the link, nothing a page shows: a's
    // page alone changes, and planning every page finds nothing missed.
    let a = d.path().join("notes/a.md");
    std::fs::write(&a, "# 甲\n\n正文\n\n链接 [[b]]\n").unwrap();
    r.rebuild(&HashSet::from([a.clone()]), &mut ready).unwrap();
    std::fs::write(&a, "# 甲\n\n正文\n\n新的一段\n\n链接 [[b]]\n").unwrap();
    let o = r.rebuild(&HashSet::from([a]), &mut ready).unwrap();
    assert!(o.fast, "a link's position is no metadata");
    r.state.as_mut().unwrap().body_keys.clear();
    r.rebuild(&none, &mut ready).unwrap();
    // A heading is metadata: every page is planned.
    std::fs::write(&b, "# 乙\n\n## 新小节\n").unwrap();
    let o = r.rebuild(&HashSet::from([b]), &mut ready).unwrap();
    assert!(!o.fast);
    let mut fast = pages[1].clone().unwrap();
    fast.sort();
    assert_eq!(
        fast,
        vec!["/c/", "/sub/b/"],
        "b's page and c's, which embeds it"
    );
    assert_eq!(pages[2], Some(vec![]), "no page left stale");
    assert_eq!(pages[4], Some(vec!["/a/".to_string()]), "a moved link");
    assert_eq!(pages[5], Some(vec![]), "no page left stale by it");
}

/// A full rebuild that keeps the search index as it was (a template edit)
/// keeps the collector that wrote it, so the next edit need not fill one.
#[test]
fn a_template_edit_keeps_the_search_collector() {
    let d = site();
    let mut r = Rebuilder::new(BuildOptions {
        root: d.path().to_path_buf(),
        output: Some(d.path().join("out")),
        // With the cache the index is kept whole when nothing it holds changed.
        cache: true,
        ..Default::default()
    });
    let mut ready = |_: &str, _: Option<Vec<String>>| {};
    r.rebuild(&HashSet::new(), &mut ready).unwrap();
    assert!(r.state.as_ref().unwrap().search.is_some(), "filled");
    let note = d.path().join("templates/note.html");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, text + "<!-- 改 -->").unwrap();
    r.full().unwrap();
    assert!(r.state.as_ref().unwrap().search.is_some(), "kept");
    // And it is right: an edit then finds the new word.
    let b = d.path().join("notes/sub/b.md");
    std::fs::write(&b, "# 乙\n\n正文 新加的词\n").unwrap();
    r.rebuild(&HashSet::from([b]), &mut ready).unwrap();
    let shards = d.path().join("out/search/t");
    let found = std::fs::read_dir(&shards).unwrap().any(|e| {
        let gz = std::fs::read(e.unwrap().path()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .is_ok()
            && text.contains("新加")
    });
    assert!(found, "the edited note's new word is in the index");
}

#[test]
fn a_note_gone_before_it_was_read_is_retried_not_reported() {
    let gone = std::fs::read("/no/such/note.md")
        .map(|_| ())
        .map_err(anyhow::Error::from)
        .context("cannot read note `notes/x.md`")
        .unwrap_err();
    assert!(vanished(&gone));
    let other = anyhow::anyhow!("broken link `x.md`");
    assert!(!vanished(&other));
    assert!(vanished(&other.context(Vanished)));
}

/// A chapter named by the book's `SUMMARY.md`: an edit of its text keeps
/// the fast path and the name; a new name in the table reaches its page.
#[test]
fn a_book_names_its_chapters_across_edits() {
    let d = site();
    let notes = d.path().join("notes");
    let summary = notes.join("SUMMARY.md");
    std::fs::write(&summary, "- [第一章](ch1.md)\n").unwrap();
    let ch1 = notes.join("ch1.md");
    std::fs::write(&ch1, "## 小节\n\n正文\n").unwrap();
    let out = d.path().join("out");
    let mut r = Rebuilder::new(BuildOptions {
        root: d.path().to_path_buf(),
        output: Some(out.clone()),
        ..Default::default()
    });
    let mut ready = |_: &str, _: Option<Vec<String>>| {};
    r.rebuild(&HashSet::new(), &mut ready).unwrap();
    let title = || {
        let html = std::fs::read_to_string(out.join("ch1/index.html")).unwrap();
        html.split('|').next().unwrap().to_string()
    };
    assert_eq!(title(), "第一章");
    std::fs::write(&ch1, "## 小节\n\n正文\n\n又一段。\n").unwrap();
    let o = r.rebuild(&HashSet::from([ch1]), &mut ready).unwrap();
    assert!(o.fast, "the chapter's text alone changed");
    assert_eq!(title(), "第一章");
    std::fs::write(&summary, "- [第 1 章](ch1.md)\n").unwrap();
    r.rebuild(&HashSet::from([summary.clone()]), &mut ready)
        .unwrap();
    assert_eq!(title(), "第 1 章");
    // Out of the book, the chapter is named by its file again.
    std::fs::write(&summary, "- [甲](a.md)\n").unwrap();
    r.rebuild(&HashSet::from([summary]), &mut ready).unwrap();
    assert_eq!(title(), "ch1");
}
