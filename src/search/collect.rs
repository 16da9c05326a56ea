//! The search collector: every note's terms, length and visible text,
//! gathered while notes render (in parallel), for [`super::write_index`] to
//! write. The text comes from the Markdown as it renders (see
//! [`crate::markdown::PlainText`]), never from parsing the HTML back; each
//! note's text is compressed into its own file as soon as it arrives: a
//! result on screen costs its text file (the snippet and the exact-phrase
//! check read it), and four notes to a file made a reader's first query on
//! 10k notes 175 KB of text alone.

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

/// gzip level of the text files: libdeflate's level 6 is 4% smaller than
/// level 1 on single notes (10k-note corpus), which the reader downloads.
const TEXT_LEVEL: i32 = 6;

/// Per note: its length in tokens and which part holds its postings (a note
/// may be added again after it changed).
pub(super) struct Docs {
    pub(super) lens: Vec<u32>,
    owner: Vec<Option<usize>>,
    /// Per note: its packed text file.
    pub(super) packed: Vec<Option<Packed>>,
}

/// A note's text file: its name, and its bytes while they are kept (see
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
    /// A collector that keeps every note's packed text, for writing them
    /// all with the index (`serve`: only the changed ones differ).
    pub(crate) fn new(notes: usize) -> Result<Collector<'static>> {
        Collector::make(notes, None)
    }
}

impl<'s> Collector<'s> {
    /// A collector that writes each note's text file to `out` as soon as it
    /// is packed and keeps only its name: the texts of a 100k-note site are
    /// ~600 MB compressed.
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
                packed: (0..notes).map(|_| None).collect(),
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

    /// Checks `doc` is one of the notes.
    fn check(&self, doc: usize) -> Result<()> {
        let notes = self.lock_docs().lens.len();
        if doc >= notes {
            bail!("search index: note {doc} is not one of the {notes} notes");
        }
        Ok(())
    }

    fn index_now(&self, doc: usize, title: &str, text: &PlainText) -> Result<()> {
        let started = std::time::Instant::now();
        self.check(doc)?;
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
        let name = self.pack(text.sections_json())?;
        {
            let mut docs = self.lock_docs();
            docs.lens[doc] = len;
            docs.owner[doc] = Some(mine);
            docs.packed[doc] = Some(name);
        }
        self.nanos
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Compresses a note's text into its file, written at once when streaming.
    fn pack(&self, json: String) -> Result<Packed> {
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
        Ok(Packed {
            name,
            gz,
            new: true,
        })
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

    fn gunzip(gz: &[u8]) -> String {
        let size = u32::from_le_bytes(gz[gz.len() - 4..].try_into().unwrap());
        let mut out = vec![0; size as usize];
        let n = libdeflater::Decompressor::new()
            .gzip_decompress(gz, &mut out)
            .unwrap();
        out.truncate(n);
        String::from_utf8(out).unwrap()
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
        c.add(0, "t", "<h2 id=\"h\">标题</h2><p>note 0</p>")
            .unwrap();
        c.add(1, "t", "<p>last</p>").unwrap();
        let d = c.lock_docs();
        assert_eq!(text(&d, 0), serde_json::json!([["h", "标题", "note 0"]]));
        assert_eq!(text(&d, 1), serde_json::json!([["", "", "last"]]));
        drop(d);
        c.add(1, "t", "<p>changed</p>").unwrap();
        assert_eq!(
            text(&c.lock_docs(), 1),
            serde_json::json!([["", "", "changed"]])
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
        let c = Collector::streaming(2, &files).unwrap();
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
}
