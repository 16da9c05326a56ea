//! The search collector: every note's terms, length and visible text,
//! gathered while notes render (in parallel), for [`super::write_index`] to
//! write. The text comes from the Markdown as it renders (see
//! [`crate::markdown::PlainText`]), never from parsing the HTML back; the
//! texts of [`TEXT_GROUP`] neighbouring notes are compressed into one file as
//! soon as the last of them arrives.

use super::part::Part;
use crate::markdown::PlainText;
use crate::output::Sink;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

const FLAG_TITLE: u8 = 1;
const FLAG_HEADING: u8 = 2;
/// Postings keep the doc number in the bits above the tf bucket and flags.
const MAX_DOCS: usize = 1 << 27;

/// Gzip at `level`; deterministic (no name, zero mtime) so file names stay
/// stable across builds.
pub(super) fn gzip_level(bytes: &[u8], level: i32) -> Vec<u8> {
    let level = libdeflater::CompressionLvl::new(level).unwrap_or_default();
    let mut c = libdeflater::Compressor::new(level);
    let mut out = vec![0; c.gzip_compress_bound(bytes.len())];
    // Cannot fail: the buffer has the size libdeflate asks for.
    let n = c.gzip_compress(bytes, &mut out).unwrap_or(0);
    out.truncate(n);
    out
}

/// The path of the text file named `name`.
pub(super) fn text_file(name: &str) -> String {
    format!("search/s/{name}.gz")
}

/// FNV-1a, for content-addressed file names (stable across builds and platforms).
pub(super) fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:012x}", h >> 16)
}

/// Notes per text file under `search/s/`: fewer files to write (and for a
/// cold build to create) than one per note, and their text compresses better
/// together, while a result on screen still costs only a few notes' text.
pub(crate) const TEXT_GROUP: usize = 4;
/// gzip level of the text files: libdeflate's level 1 takes half the time of
/// its default 6 for 7% more bytes, and is smaller than zlib's level 2 (groups
/// of notes of the 1k-note benchmark corpus).
const TEXT_LEVEL: i32 = 1;

/// The members' texts of `group` when every member has one waiting, taking
/// them. A group packed before (`serve`: one member changed) gets the other
/// members' texts back from its file, which it must have kept.
fn take_group(docs: &mut Docs, group: usize, notes: usize) -> Result<Option<Vec<String>>> {
    let range = group * TEXT_GROUP..((group + 1) * TEXT_GROUP).min(notes);
    if docs.texts[range.clone()].iter().all(Option::is_some) {
        docs.packed[group] = None;
        return Ok(Some(
            range
                .map(|i| docs.texts[i].take().unwrap_or_default())
                .collect(),
        ));
    }
    let Some(packed) = docs.packed[group].take() else {
        return Ok(None);
    };
    let Some(gz) = packed.gz else {
        bail!(
            "search index: a note of notes {} to {} was indexed again after their texts were written",
            range.start,
            range.end - 1
        );
    };
    let old: Vec<serde_json::Value> = gunzip(&gz)
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    Ok(Some(
        range
            .enumerate()
            .map(|(k, i)| {
                docs.texts[i]
                    .take()
                    .or_else(|| old.get(k).map(|v| v.to_string()))
                    .unwrap_or_else(|| "[]".to_string())
            })
            .collect(),
    ))
}

fn gunzip(gz: &[u8]) -> Option<String> {
    // The gzip trailer ends with the text's size (mod 2^32; these files are small).
    let size = u32::from_le_bytes(gz.get(gz.len().checked_sub(4)?..)?.try_into().ok()?);
    let mut out = vec![0; size as usize];
    let n = libdeflater::Decompressor::new()
        .gzip_decompress(gz, &mut out)
        .ok()?;
    out.truncate(n);
    String::from_utf8(out).ok()
}

/// Per note: its length in tokens and which part holds its postings (a note
/// may be added again after it changed).
pub(super) struct Docs {
    pub(super) lens: Vec<u32>,
    owner: Vec<Option<usize>>,
    /// Per note: its sections as JSON until its group of [`TEXT_GROUP`] is packed.
    texts: Vec<Option<String>>,
    /// Per group: its packed text file.
    pub(super) packed: Vec<Option<Packed>>,
}

/// A group's text file: its name, and its bytes while they are kept (see
/// [`Collector::streaming`]).
pub(super) struct Packed {
    pub(super) name: String,
    pub(super) gz: Option<Box<[u8]>>,
    /// Packed since the index was last written (a kept file is not again).
    pub(super) new: bool,
}

/// Gathers every note's terms while notes render in parallel. Each rayon
/// worker thread fills its own part of the index (no lock is shared between
/// threads while tokenizing); the parts are merged once, when the index is written.
pub(crate) struct Collector<'s> {
    parts: Vec<Mutex<Part>>,
    docs: Mutex<Docs>,
    /// Where text files go as soon as they are packed; `None`: kept until
    /// [`super::write_index`].
    out: Option<&'s dyn Sink>,
    /// Bytes of the text files written through `out`.
    pub(super) written: AtomicUsize,
    /// Time spent indexing notes (tokens, texts), for `-v` (nanoseconds, all threads).
    pub(super) nanos: AtomicU64,
    /// Notes waiting to be indexed together (see [`BATCH`]).
    pending: Mutex<Vec<(usize, String, PlainText)>>,
    /// The index as last written, and what changed since (see [`super::cuts`]).
    pub(super) last: Mutex<super::cuts::Last>,
}

/// Notes are indexed [`BATCH`] at a time by the render thread that fills the
/// batch: between two notes a render thread highlights code, which leaves the
/// tokenizer's code and tables cold in the CPU cache (indexing one note at a
/// time took 0.55 s of CPU at 1k notes, in batches 0.37 s).
const BATCH: usize = 32;

impl Collector<'static> {
    /// A collector that keeps every group's packed texts, so a note added
    /// again (`serve` after an edit) can re-pack its group.
    pub(crate) fn new(notes: usize) -> Result<Collector<'static>> {
        Collector::make(notes, None)
    }
}

impl<'s> Collector<'s> {
    /// A collector that writes each group's text file to `out` as soon as it
    /// is packed and keeps only its name: a build adds every note once, and
    /// the texts of a 100k-note site are ~450 MB compressed. A note added
    /// again after its group was written is an error.
    pub(crate) fn streaming(notes: usize, out: &'s dyn Sink) -> Result<Collector<'s>> {
        Collector::make(notes, Some(out))
    }

    fn make(notes: usize, out: Option<&'s dyn Sink>) -> Result<Collector<'s>> {
        if notes >= MAX_DOCS {
            bail!("search index: {notes} notes is more than the {MAX_DOCS} it can hold; set `search: false`");
        }
        // One part per worker of the current rayon pool, plus one for callers
        // outside it.
        let parts = (0..rayon::current_num_threads() + 1)
            .map(|_| Mutex::new(Part::default()))
            .collect();
        Ok(Collector {
            parts,
            docs: Mutex::new(Docs {
                lens: vec![0; notes],
                owner: vec![None; notes],
                texts: vec![None; notes],
                packed: (0..notes.div_ceil(TEXT_GROUP)).map(|_| None).collect(),
            }),
            out,
            written: Default::default(),
            nanos: Default::default(),
            pending: Default::default(),
            last: Default::default(),
        })
    }

    pub(super) fn lock_last(&self) -> MutexGuard<'_, super::cuts::Last> {
        self.last.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn lock_docs(&self) -> MutexGuard<'_, Docs> {
        self.docs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every part, locked (for merging them).
    pub(super) fn lock_parts(&self) -> Vec<MutexGuard<'_, Part>> {
        (0..self.parts.len()).map(|i| self.lock_part(i)).collect()
    }

    fn lock_part(&self, i: usize) -> MutexGuard<'_, Part> {
        self.parts[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Indexes note `doc` from its title and its rendered body HTML (tests
    /// write notes this way; builds use [`Collector::add_text`]).
    #[cfg(test)]
    pub(super) fn add(&self, doc: usize, title: &str, body_html: &str) -> Result<()> {
        let mut text = PlainText::default();
        text.push_html(body_html);
        self.index_now(doc, title, &text)
    }

    /// Indexes note `doc` from its title and visible text (as
    /// [`crate::markdown::render_with_text`] collects it), with the next notes
    /// of its batch; [`Collector::flush`] indexes what is left. Adding a note again
    /// (`serve` after an edit) replaces what it had.
    pub(crate) fn add_text(&self, doc: usize, title: &str, text: PlainText) -> Result<()> {
        self.check(doc)?;
        let batch = {
            let mut q = self.pending.lock().unwrap_or_else(|p| p.into_inner());
            q.push((doc, title.to_string(), text));
            if q.len() < BATCH {
                return Ok(());
            }
            std::mem::take(&mut *q)
        };
        for (doc, title, text) in batch {
            self.index_now(doc, &title, &text)?;
        }
        Ok(())
    }

    /// Indexes the notes still waiting in the batch (in parallel).
    pub(crate) fn flush(&self) -> Result<()> {
        let batch = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        batch
            .into_par_iter()
            .try_for_each(|(doc, title, text)| self.index_now(doc, &title, &text))
    }

    /// The number of notes, after checking `doc` is one of them.
    fn check(&self, doc: usize) -> Result<usize> {
        let notes = self.lock_docs().lens.len();
        if doc >= notes {
            bail!("search index: note {doc} is not one of the {notes} notes");
        }
        Ok(notes)
    }

    fn index_now(&self, doc: usize, title: &str, text: &PlainText) -> Result<()> {
        let started = std::time::Instant::now();
        let notes = self.check(doc)?;
        let mine = rayon::current_thread_index()
            .map_or(self.parts.len() - 1, |i| i % (self.parts.len() - 1).max(1));
        // Drop the note's earlier postings first (never holding two part locks).
        let before = self.lock_docs().owner[doc].take();
        let old = before.map(|old| self.lock_part(old).remove(doc));
        let mut new = Vec::new();
        let len = {
            let mut part = self.lock_part(mine);
            let mut len = part.count(title, FLAG_TITLE);
            for s in &text.sections {
                len += part.count(&s.heading, FLAG_HEADING) + part.count(&s.text, 0);
            }
            part.commit(doc, old.as_ref().map(|_| &mut new));
            len
        };
        if let Some(old) = old {
            self.lock_last().note_changes(old, new);
        }
        let json = text.sections_json();
        let group = doc / TEXT_GROUP;
        let ready = {
            let mut docs = self.lock_docs();
            docs.lens[doc] = len;
            docs.owner[doc] = Some(mine);
            docs.texts[doc] = Some(json);
            take_group(&mut docs, group, notes)?
        };
        if let Some(members) = ready {
            self.pack(group, members)?;
        }
        self.nanos
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Compresses a group's texts into its file (outside the lock: this is
    /// the costly part, and it runs on the thread that completed the group).
    fn pack(&self, group: usize, members: Vec<String>) -> Result<()> {
        let json = format!("[{}]", members.join(","));
        let gz = gzip_level(json.as_bytes(), TEXT_LEVEL);
        let name = fnv(&gz);
        let gz = match self.out {
            Some(out) => {
                let rel = text_file(&name);
                out.write(&rel, &gz)
                    .with_context(|| format!("cannot write search index file `{rel}`"))?;
                self.written.fetch_add(gz.len(), Ordering::Relaxed);
                None
            }
            None => Some(gz.into_boxed_slice()),
        };
        self.lock_docs().packed[group] = Some(Packed {
            name,
            gz,
            new: true,
        });
        Ok(())
    }

    /// The notes not indexed yet (after a [`Collector::flush`]: the notes
    /// not rendered since the collector was made).
    pub(crate) fn missing(&self) -> Vec<usize> {
        let docs = self.lock_docs();
        (0..docs.owner.len())
            .filter(|&i| docs.owner[i].is_none())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::HashMap;

    #[test]
    fn notes_are_indexed_in_batches() {
        let c = Collector::new(BATCH + 1).unwrap();
        assert!(c.add_text(BATCH + 1, "x", PlainText::default()).is_err());
        let text = |s: &str| {
            let mut t = PlainText::default();
            t.push_html(s);
            t
        };
        for i in 0..BATCH - 1 {
            c.add_text(i, "t", text("<p>a</p>")).unwrap();
        }
        assert_eq!(c.missing().len(), BATCH + 1, "nothing indexed yet");
        c.add_text(BATCH - 1, "t", text("<p>a</p>")).unwrap();
        assert_eq!(c.missing(), [BATCH], "a full batch is indexed");
        c.add_text(BATCH, "t", text("<p>b</p>")).unwrap();
        c.flush().unwrap();
        assert!(c.missing().is_empty());
        assert!(
            c.lock_docs().lens.iter().all(|&l| l == 2),
            "title + one word"
        );
    }

    #[test]
    fn texts_are_packed_in_groups_and_repacked_when_a_note_changes() {
        let c = Collector::new(TEXT_GROUP + 1).unwrap();
        let text = |d: &Docs, g: usize| -> Value {
            let Packed { name, gz, .. } = d.packed[g].as_ref().unwrap();
            let gz = gz.as_ref().unwrap();
            assert_eq!(name, &fnv(gz));
            serde_json::from_str(&gunzip(gz).unwrap()).unwrap()
        };
        for i in (0..TEXT_GROUP).rev() {
            assert!(c.lock_docs().packed[0].is_none(), "packed before note {i}");
            c.add(i, "t", &format!("<h2 id=\"h\">标题</h2><p>note {i}</p>"))
                .unwrap();
        }
        // The last group has one note; every text has been handed over.
        c.add(TEXT_GROUP, "t", "<p>last</p>").unwrap();
        let d = c.lock_docs();
        assert!(d.texts.iter().all(Option::is_none));
        assert_eq!(text(&d, 0)[2], serde_json::json!([["h", "标题", "note 2"]]));
        assert_eq!(text(&d, 1), serde_json::json!([[["", "", "last"]]]));
        drop(d);
        // `serve`: one note changes; its neighbours' texts come from the old file.
        c.add(1, "t", "<p>changed</p>").unwrap();
        let d = c.lock_docs();
        let g = text(&d, 0);
        assert_eq!(g[1], serde_json::json!([["", "", "changed"]]));
        assert_eq!(g[3], serde_json::json!([["h", "标题", "note 3"]]));
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
    fn a_streaming_collector_writes_each_group_when_it_is_packed() {
        let files = Files::default();
        let c = Collector::streaming(TEXT_GROUP + 1, &files).unwrap();
        for i in 0..TEXT_GROUP {
            c.add(i, "t", "<p>a</p>").unwrap();
        }
        let d = c.lock_docs();
        let Packed { name, gz, .. } = d.packed[0].as_ref().unwrap();
        assert!(gz.is_none(), "the bytes are not kept");
        let written = files.0.lock().unwrap()[&text_file(name)].clone();
        assert_eq!(name, &fnv(&written));
        assert_eq!(c.written.load(Ordering::Relaxed), written.len());
        drop(d);
        assert!(c.add(1, "t", "<p>b</p>").is_err(), "its group is gone");
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
}
