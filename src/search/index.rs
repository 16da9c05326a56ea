//! The search index: collected while notes render (in parallel), then written
//! as small files that the browser fetches on demand.
//!
//! Layout under `search/` (every name but `meta.json` is a hash of the file's
//! content, so browsers may cache them for good and a rebuilt site never mixes
//! old and new files; all but `meta.json` are gzip, inflated in the browser by
//! `DecompressionStream`):
//!
//! * `meta.json`: note count, average length, one length bucket per note, and
//!   the first term and file name of every term shard and title chunk;
//! * `t/<hash>.gz`: a term shard, one `term<TAB>postings` line per term in
//!   UTF-16 order (the order of JavaScript's `<`), cut at about [`SHARD_BYTES`];
//!   the browser finds a term's shard, or a prefix's shards, by binary search
//!   over the first terms;
//! * `d/<hash>.gz`: title, URL, text file and place in it of [`CHUNK_DOCS`] notes;
//! * `s/<hash>.gz`: the visible text of [`TEXT_GROUP`] neighbouring notes, each
//!   cut at its headings (`[[[id, heading, text], ...], ...]`), for the section
//!   link and the snippet of a result; fetched only for the results on screen.
//!   The text comes from the Markdown as it renders (see
//!   [`crate::markdown::PlainText`]), never from parsing the HTML back.
//!
//! Postings are varints in a 64-character alphabet, 5 bits per character:
//! `(doc gap << 5) | (tf bucket << 2) | flags` with flags 1 = in the title,
//! 2 = in a heading.

use super::{for_each_token, Kind};
use crate::highlight::Highlighter;
use crate::markdown::PlainText;
use crate::model::Model;
use crate::output::Writer;
use crate::pages::{Current, Pages};
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Target size of a term shard; a single frequent term may make one bigger.
pub const SHARD_BYTES: usize = 48 * 1024;
/// Notes per title/URL chunk.
pub const CHUNK_DOCS: usize = 64;
/// Bumped whenever the file format changes (the browser checks it).
pub const FORMAT: u32 = 2;

const FLAG_TITLE: u8 = 1;
const FLAG_HEADING: u8 = 2;
/// The varint alphabet (also in `static/search.js`).
const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
/// Postings keep the doc number in the bits above the tf bucket and flags.
const MAX_DOCS: usize = 1 << 27;

/// Term frequency as a 3-bit bucket (the browser maps it back to 1, 2, 3, 4, 6, 9, 15, 25).
fn tf_bucket(tf: u32) -> u32 {
    match tf {
        0..=1 => 0,
        2 => 1,
        3 => 2,
        4 => 3,
        5..=7 => 4,
        8..=11 => 5,
        12..=19 => 6,
        _ => 7,
    }
}

/// Note length (in tokens) as one alphabet character: round(3 * log2(1 + len)).
fn len_bucket(len: u32) -> u8 {
    let b = (3.0 * (1.0 + len as f64).log2()).round() as usize;
    ALPHABET[b.min(63)]
}

fn push_varint(out: &mut String, mut v: u64) {
    loop {
        let low = (v & 31) as usize;
        v >>= 5;
        if v == 0 {
            out.push(ALPHABET[low] as char);
            return;
        }
        out.push(ALPHABET[32 + low] as char);
    }
}

/// Gzip at libdeflate's default level, for the term shards and title chunks
/// (small next to the texts); deterministic (no name, zero mtime) so file names
/// stay stable across builds.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    gzip_level(bytes, 6)
}

fn gzip_level(bytes: &[u8], level: i32) -> Vec<u8> {
    let level = libdeflater::CompressionLvl::new(level).unwrap_or_default();
    let mut c = libdeflater::Compressor::new(level);
    let mut out = vec![0; c.gzip_compress_bound(bytes.len())];
    // Cannot fail: the buffer has the size libdeflate asks for.
    let n = c.gzip_compress(bytes, &mut out).unwrap_or(0);
    out.truncate(n);
    out
}

/// FNV-1a, for content-addressed file names (stable across builds and platforms).
fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:012x}", h >> 16)
}

/// Terms are short strings hashed millions of times per build: FxHash reads
/// them a word at a time (SipHash, the default, showed in profiles).
type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// The terms of the notes one thread indexed: its own term table, so threads
/// never wait for each other; [`write_index`] merges the parts by term text.
#[derive(Default)]
struct Part {
    ids: FastMap<Box<str>, u32>,
    /// CJK characters and bigrams (most of the tokens of Chinese notes) by
    /// their code points, `first << 21 | second`: no string hashing or comparing.
    cjk_ids: FastMap<u64, u32>,
    terms: Vec<Box<str>>,
    /// Per term: `(doc << 5) | (tf bucket << 2) | flags`, in arrival order.
    postings: Vec<Vec<u32>>,
    /// Per term, for the note being added: (tf, flags); reset after each note.
    counts: Vec<(u32, u8)>,
    /// Terms the note being added has (indexes into `counts`).
    touched: Vec<u32>,
}

impl Part {
    /// Counts the tokens of `text` for the note being added; returns how many
    /// tokens count towards the note's length.
    fn count(&mut self, text: &str, flag: u8) -> u32 {
        let mut len = 0;
        for_each_token(text, |kind, t| {
            if kind != Kind::Part {
                len += 1;
            }
            let next = self.terms.len() as u32;
            let (id, new) = if matches!(kind, Kind::Uni | Kind::Bi) {
                let mut key = 0u64;
                for c in t.chars() {
                    key = key << 21 | c as u64;
                }
                match self.cjk_ids.entry(key) {
                    std::collections::hash_map::Entry::Occupied(e) => (*e.get(), false),
                    std::collections::hash_map::Entry::Vacant(e) => (*e.insert(next), true),
                }
            } else {
                match self.ids.get(t) {
                    Some(&id) => (id, false),
                    None => {
                        self.ids.insert(t.into(), next);
                        (next, true)
                    }
                }
            };
            if new {
                self.terms.push(t.into());
                self.postings.push(Vec::new());
                self.counts.push((0, 0));
            }
            let c = &mut self.counts[id as usize];
            if c.0 == 0 {
                self.touched.push(id);
            }
            c.0 += 1;
            c.1 |= flag;
        });
        len
    }

    /// Turns the counts of the note just counted into postings of `doc`.
    fn commit(&mut self, doc: usize) {
        for id in self.touched.drain(..) {
            let (tf, flags) = std::mem::take(&mut self.counts[id as usize]);
            self.postings[id as usize]
                .push(((doc as u32) << 5) | (tf_bucket(tf) << 2) | flags as u32);
        }
    }

    fn remove(&mut self, doc: usize) {
        for list in &mut self.postings {
            list.retain(|p| (p >> 5) as usize != doc);
        }
    }
}

/// Notes per text file under `search/s/`: fewer files to write (and for a
/// cold build to create) than one per note, and their text compresses better
/// together, while a result on screen still costs only a few notes' text.
pub const TEXT_GROUP: usize = 4;
/// gzip level of the text files: libdeflate's level 1 takes half the time of
/// its default 6 for 7% more bytes, and is smaller than zlib's level 2 (groups
/// of notes of the 1k-note benchmark corpus).
const TEXT_LEVEL: i32 = 1;

/// The members' texts of `group` when every member has one waiting, taking
/// them. A group packed before (`serve`: one member changed) gets the other
/// members' texts back from its file.
fn take_group(docs: &mut Docs, group: usize, notes: usize) -> Option<Vec<String>> {
    let range = group * TEXT_GROUP..((group + 1) * TEXT_GROUP).min(notes);
    if docs.texts[range.clone()].iter().all(Option::is_some) {
        docs.packed[group] = None;
        return Some(
            range
                .map(|i| docs.texts[i].take().unwrap_or_default())
                .collect(),
        );
    }
    let (_, gz) = docs.packed[group].take()?;
    let old: Vec<serde_json::Value> = gunzip(&gz)
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    Some(
        range
            .enumerate()
            .map(|(k, i)| {
                docs.texts[i]
                    .take()
                    .or_else(|| old.get(k).map(|v| v.to_string()))
                    .unwrap_or_else(|| "[]".to_string())
            })
            .collect(),
    )
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
struct Docs {
    lens: Vec<u32>,
    owner: Vec<Option<usize>>,
    /// Per note: its sections as JSON until its group of [`TEXT_GROUP`] is packed.
    texts: Vec<Option<String>>,
    /// Per group: the packed text file (name, gzip bytes).
    packed: Vec<Option<(String, Box<[u8]>)>>,
}

/// Gathers every note's terms while notes render in parallel. Each rayon
/// worker thread fills its own part of the index (no lock is shared between
/// threads while tokenizing); the parts are merged once, when the index is written.
pub struct Collector {
    parts: Vec<Mutex<Part>>,
    docs: Mutex<Docs>,
    /// Time spent indexing notes (tokens, texts), for `-v` (nanoseconds, all threads).
    nanos: std::sync::atomic::AtomicU64,
    /// Notes waiting to be indexed together (see [`BATCH`]).
    pending: Mutex<Vec<(usize, String, PlainText)>>,
}

/// Notes are indexed [`BATCH`] at a time by the render thread that fills the
/// batch: between two notes a render thread highlights code, which leaves the
/// tokenizer's code and tables cold in the CPU cache (indexing one note at a
/// time took 0.55 s of CPU at 1k notes, in batches 0.37 s).
const BATCH: usize = 32;

impl Collector {
    pub fn new(notes: usize) -> Result<Collector> {
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
                packed: vec![None; notes.div_ceil(TEXT_GROUP)],
            }),
            nanos: Default::default(),
            pending: Default::default(),
        })
    }

    fn lock_docs(&self) -> std::sync::MutexGuard<'_, Docs> {
        self.docs.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lock_part(&self, i: usize) -> std::sync::MutexGuard<'_, Part> {
        self.parts[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Indexes note `doc` from its title and its rendered body HTML (tests
    /// write notes this way; builds use [`Collector::add_text`]).
    #[cfg(test)]
    fn add(&self, doc: usize, title: &str, body_html: &str) -> Result<()> {
        let mut text = PlainText::default();
        text.push_html(body_html);
        self.index_now(doc, title, &text)
    }

    /// Indexes note `doc` from its title and visible text (as
    /// [`crate::markdown::render_with_text`] collects it), with the next notes
    /// of its batch; [`write_index`] indexes what is left. Adding a note again
    /// (`serve` after an edit) replaces what it had.
    pub fn add_text(&self, doc: usize, title: &str, text: PlainText) -> Result<()> {
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
    fn flush(&self) -> Result<()> {
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
        if let Some(old) = before {
            self.lock_part(old).remove(doc);
        }
        let len = {
            let mut part = self.lock_part(mine);
            let mut len = part.count(title, FLAG_TITLE);
            for s in &text.sections {
                len += part.count(&s.heading, FLAG_HEADING) + part.count(&s.text, 0);
            }
            part.commit(doc);
            len
        };
        let json = text.sections_json();
        let group = doc / TEXT_GROUP;
        let ready = {
            let mut docs = self.lock_docs();
            docs.lens[doc] = len;
            docs.owner[doc] = Some(mine);
            docs.texts[doc] = Some(json);
            take_group(&mut docs, group, notes)
        };
        if let Some(members) = ready {
            self.pack(group, members);
        }
        self.nanos
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Compresses a group's texts into its file (outside the lock: this is
    /// the costly part, and it runs on the thread that completed the group).
    fn pack(&self, group: usize, members: Vec<String>) {
        let json = format!("[{}]", members.join(","));
        let gz = gzip_level(json.as_bytes(), TEXT_LEVEL);
        let name = fnv(&gz);
        self.lock_docs().packed[group] = Some((name, gz.into_boxed_slice()));
    }

    fn missing(&self) -> Vec<usize> {
        let docs = self.lock_docs();
        (0..docs.owner.len())
            .filter(|&i| docs.owner[i].is_none())
            .collect()
    }
}

/// What [`write_index`] wrote, for logs and size reports.
#[derive(Debug, Clone, Default)]
pub struct IndexStats {
    pub terms: usize,
    pub postings: usize,
    pub shards: usize,
    /// Bytes of all index files (not counting the results page).
    pub bytes: usize,
    /// HTML pages written (the results page).
    pub pages: usize,
}

/// Writes the index files under `search/` and the results page
/// `search/index.html`. Notes that were not rendered through
/// [`crate::build::write_note`] since the collector was made (a partial
/// rebuild) are rendered here first, so the index always covers every note.
pub fn write_index(p: &Model, pages: &Pages, hl: &Highlighter, out: &Writer) -> Result<IndexStats> {
    let Some(collector) = &p.search else {
        return Ok(IndexStats::default());
    };
    let site = &p.site;
    collector.flush()?;
    // In parallel: after a `serve` rebuild with a fresh collector, that is
    // every note the rebuild did not render.
    let opts = p.body_options(&pages.base_path);
    collector.missing().into_par_iter().try_for_each(|i| {
        let mut text = PlainText::default();
        crate::build::render_note_body_with_text(site, i, &opts, hl, Some(&mut text))?;
        collector.index_now(i, &site.notes[i].title, &text)
    })?;
    let started = std::time::Instant::now();
    let parts: Vec<_> = (0..collector.parts.len())
        .map(|i| collector.lock_part(i))
        .collect();
    let docs = collector.lock_docs();
    let lens = docs.lens.clone();
    let bytes = AtomicUsize::new(0);
    let write = |rel: String, data: &[u8]| -> Result<()> {
        bytes.fetch_add(data.len(), Ordering::Relaxed);
        out(&rel, data).with_context(|| format!("cannot write search index file `{rel}`"))
    };

    // One line per term, in UTF-16 order so the browser's string comparison
    // agrees; a term several parts have is one line with all their postings.
    let mut order: Vec<(&str, usize, u32)> = parts
        .iter()
        .enumerate()
        .flat_map(|(k, part)| {
            (0..part.terms.len() as u32)
                .filter(|&id| !part.postings[id as usize].is_empty()) // re-added notes dropped it
                .map(move |id| (&*part.terms[id as usize], k, id))
        })
        .collect();
    order.par_sort_by(|x, y| x.0.encode_utf16().cmp(y.0.encode_utf16()));
    let groups: Vec<&[(&str, usize, u32)]> = order.chunk_by(|x, y| x.0 == y.0).collect();
    let lines: Vec<(usize, String)> = groups
        .par_iter()
        .map(|group| {
            let term = group[0].0;
            let mut list: Vec<u32> = group
                .iter()
                .flat_map(|&(_, k, id)| parts[k].postings[id as usize].iter().copied())
                .collect();
            list.sort_unstable();
            let mut line = String::with_capacity(term.len() + 2 + list.len() * 2);
            line.push_str(term);
            line.push('\t');
            let mut prev: i64 = -1;
            for p in &list {
                let doc = (p >> 5) as i64;
                push_varint(
                    &mut line,
                    (((doc - prev - 1) as u64) << 5) | (p & 31) as u64,
                );
                prev = doc;
            }
            line.push('\n');
            (list.len(), line)
        })
        .collect();
    let postings = lines.iter().map(|(n, _)| n).sum();
    // Cut into shards of about SHARD_BYTES, then compress and write them in parallel.
    let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (_, line)) in lines.iter().enumerate() {
        size += line.len();
        if size >= SHARD_BYTES || i + 1 == lines.len() {
            cuts.push(start..i + 1);
            (start, size) = (i + 1, 0);
        }
    }
    let shards: Vec<(&str, String)> = cuts
        .par_iter()
        .map(|r| {
            let text: String = lines[r.clone()].iter().map(|(_, l)| l.as_str()).collect();
            let gz = gzip(text.as_bytes());
            let name = fnv(&gz);
            write(format!("search/t/{name}.gz"), &gz)?;
            let first = &lines[r.start].1;
            Ok((first.split('\t').next().unwrap_or(""), name))
        })
        .collect::<Result<_>>()?;

    // Each group's texts (for snippets), then titles, URLs and where each
    // note's text is (file, place in it) in chunks.
    let mut texts: Vec<&str> = Vec::with_capacity(docs.packed.len());
    for (g, packed) in docs.packed.iter().enumerate() {
        let Some((name, _)) = packed else {
            bail!(
                "search index: the texts of notes {} to {} are missing",
                g * TEXT_GROUP,
                (g + 1) * TEXT_GROUP - 1
            );
        };
        texts.push(name);
    }
    docs.packed
        .par_iter()
        .flatten()
        .try_for_each(|(name, gz)| write(format!("search/s/{name}.gz"), gz))?;
    let chunks: Vec<String> = (0..site.notes.len())
        .step_by(CHUNK_DOCS)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|&start| {
            let end = (start + CHUNK_DOCS).min(site.notes.len());
            let list: Vec<(&str, String, &str, usize)> = (start..end)
                .map(|i| {
                    let n = &site.notes[i];
                    (
                        n.title.as_str(),
                        pages.href(&n.url),
                        texts[i / TEXT_GROUP],
                        i % TEXT_GROUP,
                    )
                })
                .collect();
            let gz = gzip(&serde_json::to_vec(&list)?);
            let name = fnv(&gz);
            write(format!("search/d/{name}.gz"), &gz)?;
            Ok(name)
        })
        .collect::<Result<_>>()?;

    let total: u64 = lens.iter().map(|&l| l as u64).sum();
    let avgdl = if lens.is_empty() {
        0.0
    } else {
        total as f64 / lens.len() as f64
    };
    let lens: String = lens.iter().map(|&l| len_bucket(l) as char).collect();
    let meta = serde_json::json!({
        "format": FORMAT,
        "docs": site.notes.len(),
        "avgdl": (avgdl * 100.0).round() / 100.0,
        "lens": lens,
        "chunk": CHUNK_DOCS,
        "chunks": chunks,
        "shards": shards.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
        "files": shards.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
    });
    let mut meta_text = serde_json::to_string(&meta)?;
    meta_text.push('\n');
    write("search/meta.json".to_string(), meta_text.as_bytes())?;

    let ctx = pages.context("search", "search/", Current::Other);
    let page = pages
        .render(&ctx.plan("search/index.html".into(), "search.html", 16 * 1024))
        .context("while rendering the search page")?;
    out("search/index.html", &page)?;

    let stats = IndexStats {
        terms: lines.len(),
        postings,
        shards: shards.len(),
        bytes: bytes.load(Ordering::Relaxed),
        pages: 1,
    };
    log::debug!(
        "search index: {} terms, {} postings, {} shards, {:.1} KiB in {:.2} s \
         (plus {:.2} s of indexing notes (tokens and texts) while they rendered, all threads)",
        stats.terms,
        stats.postings,
        stats.shards,
        stats.bytes as f64 / 1024.0,
        started.elapsed().as_secs_f64(),
        collector.nanos.load(Ordering::Relaxed) as f64 / 1e9
    );
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn varints_round_trip_in_the_alphabet() {
        let mut s = String::new();
        push_varint(&mut s, 0);
        push_varint(&mut s, 31);
        push_varint(&mut s, 32);
        push_varint(&mut s, 1 << 20);
        assert_eq!(s, "0VW1WWWW1");
    }

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
            let (name, gz) = d.packed[g].as_ref().unwrap();
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
                        .map(|id| p.postings[id].clone())
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
