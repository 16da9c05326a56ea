//! The persistent build cache: after any series of edits a cached build is
//! byte-identical to a build without the cache, keeps unchanged files as
//! they were, and survives a damaged cache.

mod common;

use biji::{BuildOptions, BuildReport, Highlighter, SearchIndex};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository's own notes (real notes: code in many languages, embeds,
/// math, callouts), with absolute URLs so the sitemap and feed are made too.
fn site() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("notes"), &d.path().join("notes"));
    std::fs::write(
        d.path().join("biji.yaml"),
        "title: 缓存\nbase_url: https://example.org/notes/\ngit_dates: false\nlinks: warn\n",
    )
    .unwrap();
    d
}

/// [`site`], built once with the cache (and checked against a cold build).
fn built() -> tempfile::TempDir {
    let d = site();
    same_as_cold(d.path(), "the first build");
    d
}

fn build(root: &Path, out: &Path, cache: bool) -> BuildReport {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        cache,
        ..Default::default()
    };
    biji::build(&opts, &Highlighter::new()).unwrap_or_else(|e| panic!("{e:#}"))
}

use common::tree;

/// Builds with the cache into `public/` and without it into a fresh folder,
/// and checks the two outputs hold the same files with the same bytes.
fn same_as_cold(root: &Path, step: &str) -> BuildReport {
    let report = build(root, &root.join("public"), true);
    let cold = tempfile::tempdir().unwrap();
    build(root, &cold.path().join("out"), false);
    let a = tree(&root.join("public"));
    let b = tree(&cold.path().join("out"));
    let names = |t: &BTreeMap<String, _>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "after {step}: the same files");
    for (rel, (bytes, _)) in &a {
        assert!(
            bytes == &b[rel].0,
            "after {step}: `{rel}` differs from a cold build"
        );
    }
    report
}

fn edit(path: PathBuf, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(text)).unwrap();
}

#[test]
fn a_cached_build_equals_a_cold_one_after_every_kind_of_edit() {
    let d = site();
    let root = d.path();
    let notes = root.join("notes");
    let first = same_as_cold(root, "the first build");
    assert!(first.bodies_rendered >= first.notes);

    // Nothing changed: nothing rendered, no file rewritten.
    let before = tree(&root.join("public"));
    let r = same_as_cold(root, "no change");
    assert_eq!((r.bodies_rendered, r.files_written), (0, 0));
    assert_eq!(r.search_index, SearchIndex::Kept);
    assert_eq!(before, tree(&root.join("public")), "bytes and times kept");

    // One body: that note is rendered again; an unrelated page is kept as it was.
    let other = "database/index.html";
    let kept = before[other].1;
    edit(notes.join("go/goroutine与gpm调度.md"), |t| {
        t + "\n\n追加的一段话。\n"
    });
    let r = same_as_cold(root, "a body edit");
    assert_eq!(r.bodies_rendered, 1);
    assert!(
        matches!(r.search_index, SearchIndex::Resumed { made, shards } if made < shards),
        "the index is resumed, some shards kept: {:?}",
        r.search_index
    );
    assert_eq!(
        tree(&root.join("public"))[other].1,
        kept,
        "{other} untouched"
    );

    edit(notes.join("go/goroutine与gpm调度.md"), |t| {
        format!("---\ntitle: 新标题 Go\ntags: [缓存测试]\n---\n{t}")
    });
    let r = same_as_cold(root, "a title and tag edit");
    assert!(matches!(r.search_index, SearchIndex::Resumed { .. }));

    std::fs::rename(
        notes.join("go/goroutine与gpm调度.md"),
        notes.join("go/并发.md"),
    )
    .unwrap();
    same_as_cold(root, "a rename");

    std::fs::write(
        notes.join("新笔记.md"),
        "# 新笔记\n\n见 [[并发]]、[[Obsidian写法]] 与 [[不存在]]。\n",
    )
    .unwrap();
    same_as_cold(root, "a new note with links");

    std::fs::remove_file(notes.join("新笔记.md")).unwrap();
    same_as_cold(root, "a deletion");

    std::fs::create_dir_all(root.join("templates")).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let note = std::fs::read_to_string(repo.join("templates/note.html")).unwrap();
    std::fs::write(root.join("templates/note.html"), note + "<!-- 改 -->\n").unwrap();
    let r = same_as_cold(root, "a template edit");
    assert_eq!(r.bodies_rendered, 0, "a template edit renders no body");

    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/extra.css"), "body { color: #111 }\n").unwrap();
    std::fs::write(
        notes.join("go/图.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    same_as_cold(root, "a static file and an asset");

    // A file embed resolves by name: moving the file moves its URL, and the
    // embedding page with it (its key had no place for the file).
    std::fs::write(notes.join("嵌入图片.md"), "# 嵌入\n\n![[图.svg]]\n").unwrap();
    same_as_cold(root, "a note embedding a file");
    std::fs::create_dir_all(notes.join("go/图片")).unwrap();
    std::fs::rename(notes.join("go/图.svg"), notes.join("go/图片/图.svg")).unwrap();
    let r = same_as_cold(root, "an embedded file moved");
    assert_eq!(r.bodies_rendered, 1, "the embedding note is rendered again");

    edit(root.join("biji.yaml"), |t| {
        t.replace("title: 缓存", "title: 另一个")
    });
    same_as_cold(root, "a config edit");

    edit(root.join("biji.yaml"), |t| t + "search: false\n");
    let r = same_as_cold(root, "search turned off");
    assert_eq!(r.search_index, SearchIndex::Off);
}

#[test]
fn a_damaged_cache_is_ignored_and_never_makes_a_wrong_page() {
    let d = built();
    let root = d.path();
    let cache = root.join(biji::CACHE_DIR);
    // The pack cut in half: bodies past the cut are rendered again.
    let pack = cache.join("store.pack");
    let len = std::fs::metadata(&pack).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&pack)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    edit(root.join("notes/go/goroutine与gpm调度.md"), |t| {
        t + "\n一\n"
    });
    same_as_cold(root, "a truncated pack");

    // Garbage in every record: all of them fail their check.
    let mut bytes = std::fs::read(&pack).unwrap();
    for b in bytes.iter_mut().skip(16).step_by(7) {
        *b ^= 0x5a;
    }
    std::fs::write(&pack, bytes).unwrap();
    let public = root.join("public");
    std::fs::remove_dir_all(&public).unwrap();
    same_as_cold(root, "a garbled pack");

    // A garbled index and a garbled manifest.
    std::fs::write(cache.join("store.index"), b"not an index").unwrap();
    for e in std::fs::read_dir(cache.join("outputs")).unwrap() {
        std::fs::write(e.unwrap().path(), b"\x00\x01").unwrap();
    }
    same_as_cold(root, "a garbled index and manifest");

    // A page changed by hand in the output is made again.
    std::fs::write(public.join("index.html"), "mine").unwrap();
    same_as_cold(root, "an output page edited by hand");
}

#[test]
fn two_builds_at_once_wait_for_each_other() {
    let d = site();
    let root = d.path().to_path_buf();
    let runs: Vec<_> = (0..2)
        .map(|i| {
            let root = root.clone();
            std::thread::spawn(move || build(&root, &root.join(format!("out{i}")), true))
        })
        .collect();
    for r in runs {
        r.join().unwrap();
    }
    same_as_cold(&root, "two builds at once");
    assert_eq!(
        tree(&root.join("out0")).len(),
        tree(&root.join("out1")).len()
    );
}

#[test]
fn no_cache_leaves_no_cache_folder() {
    let d = site();
    build(d.path(), &d.path().join("public"), false);
    assert!(!d.path().join(biji::CACHE_DIR).exists());
    let o = common::biji(d.path(), &["build", "-q", "--no-cache"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(!d.path().join(biji::CACHE_DIR).exists());
    let o = common::biji(d.path(), &["build", "-v"]);
    assert!(o.status.success());
    assert!(
        common::stderr(&o).contains("build cache:"),
        "{}",
        common::stderr(&o)
    );
    let o = common::biji(d.path(), &["build"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("from cache"), "{out}");
}

/// The progress hook hears every phase and one step per note (the CLI draws
/// its bar from these; a build with `-q` or into a pipe gets no bar at all).
#[test]
fn progress_counts_every_note() {
    use std::sync::{Arc, Mutex};
    #[derive(Default)]
    struct Count(Mutex<(Vec<&'static str>, u64, u64, usize)>);
    impl biji::Progress for Count {
        fn phase(&self, name: &'static str, total: Option<u64>) {
            let mut c = self.0.lock().unwrap();
            c.0.push(name);
            c.1 += total.unwrap_or(0);
        }
        fn step(&self) {
            self.0.lock().unwrap().2 += 1;
        }
        fn done(&self) {
            self.0.lock().unwrap().3 += 1;
        }
    }
    let d = site();
    let count = Arc::new(Count::default());
    let opts = BuildOptions {
        root: d.path().to_path_buf(),
        output: Some(d.path().join("public")),
        progress: biji::ProgressHook(Some(count.clone())),
        ..Default::default()
    };
    let report = biji::build(&opts, &Highlighter::new()).unwrap();
    let c = count.0.lock().unwrap();
    assert!(c.0.contains(&"rendering notes"), "{:?}", c.0);
    assert_eq!((c.1, c.2), (report.notes as u64, report.notes as u64));
    assert_eq!(c.3, 1, "told once that the build is over");
    let o = common::biji(d.path(), &["build"]);
    assert!(
        !common::stderr(&o).contains("rendering notes"),
        "no bar into a pipe"
    );
}

/// A replaced output folder is not deleted while the build waits: it goes
/// into the cache's trash, which the next build empties in the background.
#[test]
fn the_replaced_output_is_deleted_in_the_background() {
    let d = built();
    let root = d.path();
    let cache = root.join(biji::CACHE_DIR);
    // No manifest: the next build writes a whole new output folder.
    std::fs::remove_dir_all(cache.join("outputs")).unwrap();
    std::fs::create_dir_all(cache.join("outputs")).unwrap();
    same_as_cold(root, "a build without a manifest");
    let trash = || std::fs::read_dir(cache.join("trash")).map_or(0, |d| d.count());
    assert_eq!(trash(), 1, "the old output waits in the trash");
    same_as_cold(root, "the next build");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while trash() > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(trash(), 0, "emptied by the next build");
}

#[test]
fn search_files_damaged_in_the_output_are_made_again_by_a_resumed_index() {
    let d = built();
    let root = d.path();
    let search = root.join("public/search");
    let files = |dir: &str| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(search.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        v.sort();
        v
    };
    // A text file and a term shard changed by hand, another of each deleted.
    let (texts, shards) = (files("s"), files("t"));
    std::fs::write(&texts[0], "mine").unwrap();
    std::fs::remove_file(&texts[1]).unwrap();
    std::fs::write(&shards[0], "mine").unwrap();
    std::fs::remove_file(&shards[1]).unwrap();
    edit(root.join("notes/go/goroutine与gpm调度.md"), |t| {
        t + "\n\n又一段。\n"
    });
    let r = same_as_cold(root, "search files damaged, then an edit");
    assert!(
        matches!(r.search_index, SearchIndex::Resumed { .. }),
        "{:?}",
        r.search_index
    );
}

/// A CI run restores the cache but starts with no output folder: the index
/// is written again from the cache, not made from every note.
#[test]
fn a_new_output_folder_gets_the_search_index_from_the_cache() {
    let d = built();
    let root = d.path();
    std::fs::remove_dir_all(root.join("public")).unwrap();
    edit(root.join("notes/go/goroutine与gpm调度.md"), |t| {
        t + "\n\n又一段。\n"
    });
    let r = same_as_cold(root, "an edit, into a new output folder");
    assert!(
        matches!(r.search_index, SearchIndex::Resumed { made, shards } if made == shards),
        "{:?}",
        r.search_index
    );
}

/// The same, with a restored cache whose stored shards are damaged: the
/// index cannot be written from it, so it is made from every note, and the
/// build neither fails nor leaves a wrong file.
#[test]
fn a_new_output_folder_with_damaged_stored_shards_gets_the_index_made_anew() {
    let d = built();
    let root = d.path();
    // Records as src/cache/store.rs lays them out: magic, kind, key,
    // length, checksum, bytes. One byte of every stored shard (kind 6: its
    // postings; 7: its file) changed, so each fails its checksum.
    let pack = root.join(biji::CACHE_DIR).join("store.pack");
    let mut bytes = std::fs::read(&pack).unwrap();
    let (head, mut at, mut damaged) = (25, 0, 0);
    while at + head <= bytes.len() {
        let len = u32::from_le_bytes(bytes[at + 13..at + 17].try_into().unwrap()) as usize;
        let shard = bytes[at..at + 4] == 0x7265_636f_u32.to_le_bytes()
            && matches!(bytes[at + 4], 6 | 7)
            && len > 0
            && at + head + len <= bytes.len();
        if shard {
            bytes[at + head] ^= 0xff;
            damaged += 1;
            at += head + len;
        } else {
            at += 1;
        }
    }
    assert!(damaged > 2, "{damaged} stored shards found");
    std::fs::write(&pack, bytes).unwrap();
    // No note changed: the resumed write takes every shard from the cache.
    std::fs::remove_dir_all(root.join("public")).unwrap();
    let r = same_as_cold(root, "damaged stored shards, into a new output folder");
    assert!(
        matches!(r.search_index, SearchIndex::Made),
        "{:?}",
        r.search_index
    );
}

/// An older copy of the cache (a backup, another clone, a sync client) does
/// not know what later builds wrote into `public/`: a note deleted since
/// must not stay published, nor a build without the cache be patched over.
#[test]
fn an_older_cache_trusts_nothing_in_a_folder_written_since() {
    let d = built();
    let root = d.path();
    let cache = root.join(biji::CACHE_DIR);
    let saved = tempfile::tempdir().unwrap();
    common::copy_dir(&cache, &saved.path().join("c"));
    std::fs::write(root.join("notes/秘密.md"), "# 秘密\n\n不该留下。\n").unwrap();
    same_as_cold(root, "a note added");
    assert!(root.join("public/秘密/index.html").is_file());
    std::fs::remove_dir_all(&cache).unwrap();
    common::copy_dir(&saved.path().join("c"), &cache);
    std::fs::remove_file(root.join("notes/秘密.md")).unwrap();
    same_as_cold(root, "the older cache restored and the note deleted");
    assert!(!root.join("public/秘密").exists());
}
