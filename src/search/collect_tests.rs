//! The collector's tests (kept apart: the collector is long enough).

use super::*;
use crate::search::files::fnv;
use serde_json::Value;
use std::collections::HashMap;

#[test]
fn notes_are_indexed_in_batches() {
    let c = Collector::new(BATCH + 1).unwrap();
    assert!(c
        .add_text(BATCH + 1, ("x", ""), PlainText::default(), None)
        .is_err());
    let text = |s: &str| {
        let mut t = PlainText::default();
        t.push_html(s);
        t
    };
    for i in 0..BATCH - 1 {
        c.add_text(i, ("t", ""), text("<p>a</p>"), None).unwrap();
    }
    assert_eq!(c.missing().len(), BATCH + 1, "nothing indexed yet");
    c.add_text(BATCH - 1, ("t", ""), text("<p>a</p>"), None)
        .unwrap();
    assert_eq!(c.missing(), [BATCH], "a full batch is indexed");
    c.add_text(BATCH, ("t", ""), text("<p>b</p>"), None)
        .unwrap();
    c.flush().unwrap();
    assert!(c.missing().is_empty());
    assert!(
        c.lock_docs().lens.iter().all(|&l| l == 2),
        "title + one word"
    );
}

fn gunzip(gz: &[u8]) -> String {
    use crate::search::files::{decode_text, inflate};
    decode_text(&inflate(gz))
}

#[test]
fn each_note_has_a_text_file_packed_again_when_it_changes() {
    let c = Collector::new(2).unwrap();
    let text = |d: &Docs, i: usize| -> Value {
        let Packed { name, gz, .. } = d.packed[i].as_ref().unwrap();
        let gz = gz.as_ref().unwrap();
        assert_eq!(name, &fnv(gz));
        serde_json::from_str(&gunzip(gz)).unwrap()
    };
    let mut html = PlainText::default();
    html.push_html("<h2 id=\"h\">标题</h2><p>note 0</p>");
    c.add_text(0, ("第零篇", "/zero/"), html, None).unwrap();
    c.flush().unwrap();
    c.add(1, "t", "<p>last</p>").unwrap();
    let d = c.lock_docs();
    // The title and link first (a doc chunk holds only the file's name).
    assert_eq!(
        text(&d, 0),
        serde_json::json!(["第零篇", "/zero/", [["h", "标题", "note 0"]]])
    );
    assert_eq!(
        text(&d, 1),
        serde_json::json!(["t", "", [["", "", "last"]]])
    );
    drop(d);
    c.add(1, "t", "<p>changed</p>").unwrap();
    assert_eq!(
        text(&c.lock_docs(), 1),
        serde_json::json!(["t", "", [["", "", "changed"]]])
    );
}

/// Files written, by path.
#[derive(Default)]
struct Files(Mutex<HashMap<String, Vec<u8>>>);

impl Sink for Files {
    fn wants(&self, _: &str, _: crate::output::Key) -> bool {
        true
    }
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.0.lock().unwrap().insert(rel.into(), bytes.into());
        Ok(())
    }
}

#[test]
fn a_streaming_collector_writes_each_text_when_it_is_packed() {
    let files = Files::default();
    let c = Collector::streaming(2, &files, None).unwrap();
    c.add(0, "t", "<p>a</p>").unwrap();
    let d = c.lock_docs();
    let Packed { name, gz, .. } = d.packed[0].as_ref().unwrap();
    assert!(gz.is_none(), "the bytes are not kept");
    let written = files.0.lock().unwrap()[&text_file(name)].clone();
    assert_eq!(name, &fnv(&written));
    assert_eq!(c.written.load(Ordering::Relaxed), written.len());
}

#[test]
fn collector_counts_terms_flags_and_lengths() {
    let c = Collector::new(2).unwrap();
    c.add(1, "旧", "<p>旧的 gevent</p>").unwrap();
    let html = "<p>引言</p>\n<h2 id=\"g\">gevent</h2><p>协程  协程\n gevent</p>";
    c.add(1, "协程", html).unwrap();
    assert_eq!(c.missing(), [0]);
    assert!(c.add(2, "x", "").is_err());
    let postings = |t: &str| -> Vec<u32> {
        c.parts
            .iter()
            .flat_map(|p| {
                let p = p.lock().unwrap();
                p.terms
                    .iter()
                    .position(|x| &**x == t)
                    .map(|id| p.postings.iter(id as u32).collect::<Vec<_>>())
                    .unwrap_or_default()
            })
            .collect()
    };
    // 协程: title (flag 1) and body, tf 3 -> bucket 2.
    assert_eq!(postings("协程"), [(1 << 5) | (2 << 2) | FLAG_TITLE as u32]);
    assert_eq!(
        postings("gevent"),
        [(1 << 5) | (1 << 2) | FLAG_HEADING as u32]
    );
    // 3 x (协, 协程, 程) + 3 x (引, 引言, 言) + 2 x gevent; the first version's terms are gone.
    assert_eq!(c.lock_docs().lens, [0, 14]);
    assert!(postings("旧").is_empty());
    // Re-added from another thread: the postings move to that thread's part.
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| c.add(1, "协程", html).unwrap());
    assert_eq!(postings("协程"), [(1 << 5) | (2 << 2) | FLAG_TITLE as u32]);
}

/// A note added from its memo record is indexed exactly as from its text:
/// the written index is the same, byte for byte.
#[test]
fn a_note_from_its_record_indexes_as_from_its_text() {
    let html = [
        "<h2 id=\"g\">gevent 协程</h2><p>协程 C++ std::vector 中的一个</p>",
        "<p>另一篇 python 协程</p>",
    ];
    let text = |s: &str| {
        let mut t = PlainText::default();
        t.push_html(s);
        t
    };
    let direct = Files::default();
    let c = Collector::new(2).unwrap();
    let mut records = Vec::new();
    for (i, h) in html.iter().enumerate() {
        records.extend(
            c.add_text(i, ("协程笔记", "/n/"), text(h), Some(i as u64))
                .unwrap(),
        );
    }
    records.extend(c.flush().unwrap());
    records.sort();
    assert_eq!(records.len(), 2, "one record per note asked for");
    super::super::write_index(&c, &direct, None).unwrap();
    let replayed = Files::default();
    let c = Collector::new(2).unwrap();
    for (i, record) in &records {
        assert!(c.add_memo(*i as usize, record).unwrap());
    }
    assert!(!c.add_memo(0, b"not a record").unwrap());
    super::super::write_index(&c, &replayed, None).unwrap();
    let (a, b) = (
        direct.0.into_inner().unwrap(),
        replayed.0.into_inner().unwrap(),
    );
    assert!(a.len() > 5);
    assert_eq!(a, b);
}

/// Files written, and every file the sink says it keeps.
#[derive(Default)]
struct Keeping(Files);

impl Sink for Keeping {
    fn wants(&self, _: &str, _: crate::output::Key) -> bool {
        true
    }
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.0.write(rel, bytes)
    }
    fn keeps(&self, _: &str, _: crate::output::Key) -> bool {
        true
    }
}

/// Term shards and doc chunks are named by their content before they are
/// compressed: a file the output already has is not made again (a warm
/// build's index of 10k notes spent a tenth of its time compressing them);
/// nor is a text file it has (`serve` filling a fresh collector).
#[test]
fn shards_the_output_keeps_are_not_made_again() {
    let all = Files::default();
    let c = Collector::new(1).unwrap();
    c.add(0, "t", "<p>协程 gevent</p>").unwrap();
    super::super::write_index(&c, &all, None).unwrap();
    let kept = Keeping::default();
    let c = Collector::new(1).unwrap();
    c.add(0, "t", "<p>协程 gevent</p>").unwrap();
    super::super::write_index(&c, &kept, None).unwrap();
    let names = |f: &Files| {
        let mut v: Vec<String> = f.0.lock().unwrap().keys().cloned().collect();
        v.sort();
        v
    };
    let (all, kept) = (names(&all), names(&kept.0));
    assert!(all.iter().any(|r| r.starts_with("search/t/")));
    assert!(all.iter().any(|r| r.starts_with("search/d/")));
    assert!(
        kept.iter()
            .all(|r| !r.starts_with("search/t/") && !r.starts_with("search/d/")),
        "{kept:?}"
    );
    assert!(kept.contains(&"search/meta.json".to_string()));
    assert!(
        !kept.iter().any(|r| r.starts_with("search/s/")),
        "a text file the output has is not written again: {kept:?}"
    );
}

/// A build whose postings outgrow memory moves them to disk and reads them
/// back when it writes the index: the index is the same byte for byte.
#[test]
fn postings_moved_to_disk_write_the_same_index() {
    let words = [
        "协程",
        "gevent",
        "C++",
        "std::vector",
        "中的一个",
        "𠀀字",
        "ｱｲ",
        "redis",
    ];
    let html: Vec<String> = (0..60)
        .map(|i| {
            let pick: Vec<&str> = (0..5)
                .map(|k| words[(i * 3 + k * k) % words.len()])
                .collect();
            format!(
                "<h2 id=\"h{i}\">第{i}节 {}</h2><p>{} note{i}</p>",
                pick[0],
                pick.join(" ")
            )
        })
        .collect();
    let scratch = tempfile::tempdir().unwrap();
    let index = |spill: Option<super::super::spill::Spill>| {
        let files = Files::default();
        let c = Collector::make(html.len(), Some(&files), spill).unwrap();
        for (i, h) in html.iter().enumerate() {
            let mut t = PlainText::default();
            t.push_html(h);
            c.add_text(i, ("标题 title", ""), t, None).unwrap();
        }
        c.flush().unwrap();
        let runs: usize = c.parts.iter().map(|p| p.lock().unwrap().runs.len()).sum();
        super::super::write_index(&c, &files, None).unwrap();
        drop(c);
        (runs, files.0.into_inner().unwrap())
    };
    let (none, kept) = index(None);
    let spill = super::super::spill::Spill {
        dir: scratch.path().to_path_buf(),
        part_bytes: 0,
    };
    let (runs, spilled) = index(Some(spill));
    assert_eq!(none, 0);
    assert!(runs >= html.len() / BATCH, "{runs} runs");
    assert!(kept.len() > 5);
    assert_eq!(kept, spilled);
    // The run files have no name: nothing is left in the folder.
    assert_eq!(std::fs::read_dir(scratch.path()).unwrap().count(), 0);
}
