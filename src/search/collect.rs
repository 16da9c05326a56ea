//! The search collector: every note's terms, length and visible text,
//! gathered while notes render (in parallel), for [`super::write_index`] to
//! write. The text comes from the Markdown as it renders (see
//! [`crate::markdown::PlainText`]), never from parsing the HTML back; each
//! note's text is compressed into its own file as soon as it arrives: a
//! result on screen costs its text file (the snippet and the exact-phrase
//! check read it), and four notes to a file made a reader's first query on
//! 10k notes 175 KB of text alone.

use super::files::{pack_text, text_file};
use super::memo::Writer;
use super::part::Part;
use crate::markdown::PlainText;
use crate::output::Sink;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use xxhash_rust::xxh3::xxh3_64;

const FLAG_TITLE: u8 = 1;
const FLAG_HEADING: u8 = 2;
/// Postings keep the doc number in the bits above the tf bucket and flags.
const MAX_DOCS: usize = 1 << 27;

/// A note waiting in the batch: doc, title and URL, text, memo key.
type Pending = (usize, (String, String), PlainText, Option<u64>);

/// A note's postings as the part had them: (term, tf bucket and flags).
pub(super) type Terms = Vec<(Box<str>, u8)>;

/// [`super::memo`] records by the key the caller asked for them under.
pub(crate) type Memos = Vec<(u64, Vec<u8>)>;

/// Per note: its length in tokens and which part holds its postings (a note
/// may be added again after it changed).
pub(super) struct Docs {
    pub(super) lens: Vec<u32>,
    pub(super) owner: Vec<Option<usize>>,
    /// Per note: whether the index needs it from this collector (a resumed
    /// build's takes only the notes that changed, see [`super::resume`]).
    pub(super) wanted: Vec<bool>,
    /// Per note: its packed text file.
    pub(super) packed: Vec<Option<Packed>>,
}

/// A note's text file: its name, and its bytes until they are written (at
/// once when streaming, see [`Collector::streaming`]; else with the index).
pub(super) struct Packed {
    pub(super) name: String,
    /// The hash of the file's bytes, the output's key for it.
    pub(super) key: u64,
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
    /// Notes waiting to be indexed together (see [`BATCH`]), with the key
    /// their [`super::memo`] record is wanted under, if it is.
    pending: Mutex<Vec<Pending>>,
    /// The index as last written, and what changed since (see [`super::cuts`]).
    pub(super) last: Mutex<super::cuts::Last>,
    /// Where postings go when they outgrow memory; `None`: they stay.
    spill: Option<super::spill::Spill>,
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
        Collector::make(notes, None, None)
    }
}

impl<'s> Collector<'s> {
    /// A collector that writes each note's text file to `out` as soon as it
    /// is packed and keeps only its name: the texts of a 100k-note site are
    /// ~600 MB compressed. With `scratch`, a folder, postings that outgrow
    /// memory are moved to files there until the index is written.
    pub(crate) fn streaming(
        notes: usize,
        out: &'s dyn Sink,
        scratch: Option<&std::path::Path>,
    ) -> Result<Collector<'s>> {
        let workers = rayon::current_num_threads().max(1);
        let spill = scratch.map(|dir| super::spill::Spill {
            dir: dir.to_path_buf(),
            part_bytes: super::spill::SPILL_BYTES / workers,
        });
        Collector::make(notes, Some(out), spill)
    }

    fn make(
        notes: usize,
        out: Option<&'s dyn Sink>,
        spill: Option<super::spill::Spill>,
    ) -> Result<Collector<'s>> {
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
                wanted: vec![true; notes],
                packed: (0..notes).map(|_| None).collect(),
            }),
            out,
            written: Default::default(),
            nanos: Default::default(),
            pending: Default::default(),
            last: Default::default(),
            spill,
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
        self.index_now(doc, (title, ""), &text, false).map(drop)
    }

    /// Indexes note `doc` from its title, URL and visible text (as
    /// [`crate::markdown::render_with_text`] collects it), with the next notes
    /// of its batch; [`Collector::flush`] indexes what is left. Adding a note again
    /// (`serve` after an edit) replaces what it had. With a `memo` key, the
    /// note's [`super::memo`] record is returned under it once the note is
    /// indexed (perhaps by a later call), for [`Collector::add_memo`] to add
    /// it again another time.
    pub(crate) fn add_text(
        &self,
        doc: usize,
        (title, url): (&str, &str),
        text: PlainText,
        memo: Option<u64>,
    ) -> Result<Memos> {
        self.check(doc)?;
        let batch = {
            let mut q = self.pending.lock().unwrap_or_else(|p| p.into_inner());
            q.push((doc, (title.to_string(), url.to_string()), text, memo));
            if q.len() < BATCH {
                return Ok(Vec::new());
            }
            std::mem::take(&mut *q)
        };
        let mut memos = Vec::new();
        for (doc, (title, url), text, memo) in batch {
            let record = self.index_now(doc, (&title, &url), &text, memo.is_some())?;
            memos.extend(memo.zip(record));
        }
        Ok(memos)
    }

    /// Indexes the notes still waiting in the batch (in parallel); returns
    /// the records asked for, as [`Collector::add_text`] does.
    pub(crate) fn flush(&self) -> Result<Memos> {
        let batch = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        let memos: Vec<Option<(u64, Vec<u8>)>> = batch
            .into_par_iter()
            .map(|(doc, (title, url), text, memo)| {
                let record = self.index_now(doc, (&title, &url), &text, memo.is_some())?;
                Ok(memo.zip(record))
            })
            .collect::<Result<_>>()?;
        Ok(memos.into_iter().flatten().collect())
    }

    /// Adds note `doc` from its [`super::memo`] record, as indexing its text
    /// made it; `false` (nothing added) if the record is not a valid one.
    pub(crate) fn add_memo(&self, doc: usize, record: &[u8]) -> Result<bool> {
        let Some(terms) = super::memo::decode(record) else {
            return Ok(false);
        };
        let started = std::time::Instant::now();
        let (mine, old) = self.take_doc(doc)?;
        let mut new = Vec::new();
        {
            let mut part = self.lock_part(mine);
            part.replay(doc, &terms, old.as_ref().map(|_| &mut new));
            self.spill_over(&mut part)?;
        }
        let packed = self.keep_packed(terms.name.to_string(), terms.gz.to_vec())?;
        self.done(doc, (mine, old, new), terms.len, packed, started);
        Ok(true)
    }

    /// Checks `doc` is one of the notes.
    fn check(&self, doc: usize) -> Result<()> {
        let notes = self.lock_docs().lens.len();
        if doc >= notes {
            bail!("search index: note {doc} is not one of the {notes} notes");
        }
        Ok(())
    }

    /// Indexes a note now; returns its [`super::memo`] record if `memo`.
    fn index_now(
        &self,
        doc: usize,
        (title, url): (&str, &str),
        text: &PlainText,
        memo: bool,
    ) -> Result<Option<Vec<u8>>> {
        let started = std::time::Instant::now();
        let (mine, old) = self.take_doc(doc)?;
        let mut new = Vec::new();
        let mut writer = memo.then(Writer::default);
        let len = {
            let mut part = self.lock_part(mine);
            let mut len = part.count(title, FLAG_TITLE);
            for s in &text.sections {
                len += part.count(&s.heading, FLAG_HEADING) + part.count(&s.text, 0);
            }
            part.commit(doc, old.as_ref().map(|_| &mut new), writer.as_mut());
            self.spill_over(&mut part)?;
            len
        };
        let (name, gz) = pack_text(title, url, text);
        let record = writer.map(|w| w.finish(len, (&name, &gz)));
        let packed = self.keep_packed(name, gz)?;
        self.done(doc, (mine, old, new), len, packed, started);
        Ok(record)
    }

    /// Moves `part`'s postings to disk if this collector spills and they
    /// have outgrown its share of memory.
    fn spill_over(&self, part: &mut Part) -> Result<()> {
        match &self.spill {
            Some(s) => part.spill_over(&s.dir, s.part_bytes),
            None => Ok(()),
        }
    }

    /// The part this thread adds to, and `doc`'s earlier postings, dropped
    /// (never holding two part locks).
    pub(super) fn take_doc(&self, doc: usize) -> Result<(usize, Option<Terms>)> {
        self.check(doc)?;
        let mine = rayon::current_thread_index()
            .map_or(self.parts.len() - 1, |i| i % (self.parts.len() - 1).max(1));
        let before = self.lock_docs().owner[doc].take();
        let old = match before {
            Some(old) => {
                let mut part = self.lock_part(old);
                if !part.runs.is_empty() {
                    // Only a one-off build spills, and it adds each note once.
                    bail!("search index: note {doc} added twice after its postings moved to disk");
                }
                Some(part.remove(doc))
            }
            None => None,
        };
        Ok((mine, old))
    }

    /// Records note `doc` as indexed: its part, length and text file.
    fn done(
        &self,
        doc: usize,
        (mine, old, new): (usize, Option<Terms>, Terms),
        len: u32,
        packed: Packed,
        started: std::time::Instant,
    ) {
        {
            let mut docs = self.lock_docs();
            if let Some(old) = old {
                let lens = (docs.lens[doc], len);
                self.lock_last().note_changes(old, new, lens);
            }
            docs.lens[doc] = len;
            docs.owner[doc] = Some(mine);
            docs.packed[doc] = Some(packed);
        }
        self.nanos
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }

    /// A note's compressed text file, written at once when streaming.
    fn keep_packed(&self, name: String, gz: Vec<u8>) -> Result<Packed> {
        let key = xxh3_64(&gz);
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
            key,
            gz,
            new: true,
        })
    }

    /// The notes not indexed yet (after a [`Collector::flush`]: the notes
    /// not rendered since the collector was made), of those it wants.
    pub(crate) fn missing(&self) -> Vec<usize> {
        let docs = self.lock_docs();
        (0..docs.owner.len())
            .filter(|&i| docs.owner[i].is_none() && docs.wanted[i])
            .collect()
    }
}

#[cfg(test)]
#[path = "collect_tests.rs"]
mod tests;
