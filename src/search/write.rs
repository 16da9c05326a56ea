//! Turns a filled [`Collector`] into the index files that the browser fetches
//! on demand.
//!
//! Layout under `search/` (every name but `meta.json` is a hash of the file's
//! content (before compression, but for the text files), so browsers may cache them for good and a rebuilt site never mixes
//! old and new files; all but `meta.json` are gzip, inflated in the browser by
//! `DecompressionStream`):
//!
//! * `meta.json`: note count, and the first term and file name of every term
//!   directory, the file names of the doc directories and how many chunks
//!   each names: about 6 KB at 100k notes, since a reader's first query
//!   loads it;
//! * `t/<hash>.gz`, a term directory: the first terms and file names of up to
//!   [`DIR`] term shards (`{"first": [...], "files": [...]}`);
//! * `t/<hash>.gz`, a term shard: one `term<TAB>postings` line per term in
//!   UTF-16 order (the order of JavaScript's `<`), cut at about [`SHARD_BYTES`];
//!   the browser finds a term's shard, or a prefix's shards, by binary search
//!   over the directories' first terms, then the shards';
//! * `d/<hash>.gz`, a doc directory: the file names of a number of doc chunks
//!   that grows with the site (see [`doc_dir_size`]);
//! * `d/<hash>.gz`, a doc chunk: the text file names of [`CHUNK_DOCS`] notes;
//! * `s/<hash>.gz`: a note's title, link and visible text, cut at its
//!   headings (`[title, url, [[id, heading, text], ...]]`), for the result's
//!   title and link, the section link, the snippet and the exact-phrase
//!   check; fetched only for results on screen.
//!
//! Postings are varints in a 64-character alphabet, 5 bits per character:
//! `(doc gap << 5) | (impact << 2) | flags` with flags 1 = in the title,
//! 2 = in a heading. The impact is the term's BM25 weight in the note (its
//! frequency against the note's length) in 7 steps, so the browser needs no
//! table of note lengths (100k notes would make it 100 KB). A term in most
//! notes (one in eight or more) is written as which notes have it (a
//! bitmap or a list of gaps) and the few that weigh more (see `term_line`).

use super::collect::Docs;
use super::files::{fnv, gzip_level, text_file};
use super::line::Impact;
use super::shards::write_terms;
use super::state::{NoteState, State};
use super::Collector;
use crate::cache::{Kind, Store};
use crate::output::{Key, Sink};
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use xxhash_rust::xxh3::xxh3_64;

/// Target size of a term shard; a single frequent term may make one bigger.
/// A query loads one shard per term, mostly other terms' lines: on 10k
/// notes a first query fetched 100 KB of shards at 48 KB; the median first
/// query (shards, texts and all) was 92 KB at 16 KB and 75 KB at 8 KB, for
/// twice the files (4 KB: 70 KB, twice again).
pub(crate) const SHARD_BYTES: usize = 8 * 1024;
/// Notes per doc chunk (their text files' names): a result on screen costs
/// its chunk, so small.
pub(crate) const CHUNK_DOCS: usize = 16;
/// Term shards per directory file; doc chunks per directory are at most this
/// (see [`doc_dir_size`]).
pub(crate) const DIR: usize = 128;
/// Bumped whenever the file format changes (the browser checks it).
pub(crate) const FORMAT: u32 = 6;
/// Where the index files go: [`Sink::write`] with the bytes counted and
/// the error naming the file.
pub(super) struct Put<'a> {
    pub(super) out: &'a dyn Sink,
    bytes: AtomicUsize,
    /// Files `out` kept ([`Sink::keeps`]), for [`IndexStats::kept`].
    kept: Mutex<Vec<String>>,
}

impl Put<'_> {
    pub(super) fn new(out: &dyn Sink) -> Put<'_> {
        Put {
            out,
            bytes: AtomicUsize::new(0),
            kept: Mutex::new(Vec::new()),
        }
    }

    /// Bytes written so far.
    pub(super) fn written(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }

    pub(super) fn put(&self, rel: String, data: &[u8]) -> Result<()> {
        self.bytes.fetch_add(data.len(), Ordering::Relaxed);
        self.out
            .write(&rel, data)
            .with_context(|| format!("cannot write search index file `{rel}`"))
    }
}

/// Gzip for the term shards, doc chunks and directories at libdeflate's
/// fastest level: their postings are close to random, so a longer search
/// for matches finds little (10k-note corpus, every term shard: 12.70 MB in
/// 0.16 s at level 1, 12.66 MB in 0.27 s at level 6).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    gzip_level(bytes, 1)
}

/// The build cache, and each note's search record key (in the site's
/// order): given them, [`write_index`] stores each term shard's postings
/// and returns the [`State`] a later build resumes from.
#[derive(Clone, Copy)]
pub(crate) struct Cached<'a> {
    pub(crate) store: &'a Store,
    pub(crate) memos: &'a [u64],
}

/// What [`write_index`] wrote, for logs and size reports.
#[derive(Debug, Clone, Default)]
pub(crate) struct IndexStats {
    pub terms: usize,
    pub postings: usize,
    pub shards: usize,
    /// Bytes of the index files written.
    pub bytes: usize,
    /// Files of the index the output has from this collector's last write,
    /// unchanged and not written again.
    pub kept: Vec<String>,
}

/// Writes the index files under `search/`. Every note must be in the
/// collector (with its title and link, which go in its text file): the caller
/// renders the notes [`Collector::missing`] reports first (this module never
/// renders), so a note left out is an error rather than a hole in the index.
/// Written again, the index is made anew but for the files it would write
/// the same, which `out` is assumed to have kept (see [`IndexStats::kept`]).
pub(crate) fn write_index(
    collector: &Collector,
    out: &dyn Sink,
    cached: Option<Cached>,
) -> Result<(IndexStats, Option<State>)> {
    // Records asked for are dropped here: a caller that stores them flushes first.
    collector.flush()?;
    if !collector.wants_all() {
        bail!("search index: the collector was resuming an index; resume it or want every note");
    }
    let missing = collector.missing();
    if let Some(first) = missing.first() {
        bail!(
            "search index: {} note(s) were not indexed (the first is note {first})",
            missing.len()
        );
    }
    let started = std::time::Instant::now();
    let parts = collector.lock_parts();
    let mut docs = collector.lock_docs();
    let mut last = collector.lock_last();
    if let Some(c) = cached.filter(|c| c.memos.len() != docs.lens.len()) {
        bail!(
            "search index: {} record keys given for an index of {} notes",
            c.memos.len(),
            docs.lens.len()
        );
    }
    let put = Put::new(out);

    let held: usize = parts.iter().map(|p| p.postings.heap_bytes()).sum();
    let impact = Impact::new(&docs.lens);
    last.settle(&impact);
    let mut t = write_terms(&parts, (&last, &impact), &put, cached.map(|c| c.store))?;
    let texts = write_texts(&docs, &put, &mut t.kept)?;
    let chunks = write_doc_chunks(&texts, &put)?;
    write_meta(docs.lens.len(), &chunks, &t.shards, &put)?;
    t.kept.extend(std::mem::take(
        &mut *put.kept.lock().unwrap_or_else(|e| e.into_inner()),
    ));

    let stats = IndexStats {
        terms: t.terms,
        postings: t.postings,
        shards: t.shards.len(),
        bytes: put.bytes.load(Ordering::Relaxed) + collector.written.load(Ordering::Relaxed),
        kept: t.kept,
    };
    let state = cached.map(|c| State {
        basis: impact.basis,
        notes: note_states(&docs, c.memos),
        shards: t
            .shards
            .iter()
            .filter_map(|(first, _)| Some(((*first).into(), t.cuts.get(*first)?.clone())))
            .collect(),
    });
    // Written: what the next write may keep.
    last.written(t.cuts, impact.basis);
    // The texts written are in the output now: a collector that lives on
    // (`serve`'s) holds only their names, not 10k notes' compressed text.
    for p in docs.packed.iter_mut().flatten() {
        p.new = false;
        p.gz = None;
    }
    log::debug!(
        "search index: {} terms, {} postings ({:.1} MiB held), {} shards, {:.1} KiB written, \
         {} files kept, in {:.2} s (plus {:.2} s of indexing notes (tokens and texts) while they rendered, all threads)",
        stats.terms,
        stats.postings,
        held as f64 / (1024.0 * 1024.0),
        stats.shards,
        stats.bytes as f64 / 1024.0,
        stats.kept.len(),
        started.elapsed().as_secs_f64(),
        collector.nanos.load(Ordering::Relaxed) as f64 / 1e9
    );
    Ok((stats, state))
}

/// Each note as the index holds it, for [`State`].
fn note_states(docs: &Docs, memos: &[u64]) -> Vec<NoteState> {
    docs.lens
        .iter()
        .zip(&docs.packed)
        .zip(memos)
        .map(|((&len, packed), &memo)| {
            let (text, text_key) = packed
                .as_ref()
                .map_or(("".into(), 0), |p| (p.name.as_str().into(), p.key));
            NoteState {
                memo,
                len,
                text,
                text_key,
            }
        })
        .collect()
}

/// Writes each note's text (for snippets), packed while the notes were
/// added, unless the collector wrote it then or the last write did (those
/// go to `kept`); returns each note's file name.
fn write_texts<'d>(docs: &'d Docs, put: &Put, kept: &mut Vec<String>) -> Result<Vec<&'d str>> {
    let mut texts: Vec<&str> = Vec::with_capacity(docs.packed.len());
    for (i, packed) in docs.packed.iter().enumerate() {
        let Some(packed) = packed else {
            bail!("search index: the text of note {i} is missing");
        };
        texts.push(&packed.name);
        if !packed.new {
            kept.push(text_file(&packed.name));
        }
    }
    // A text file the output has with the same bytes (`serve`'s folder,
    // when a fresh collector is filled) is kept where it is.
    let kept_now: Vec<String> = docs
        .packed
        .par_iter()
        .flatten()
        .filter(|p| p.new)
        .filter_map(|p| Some((p, p.gz.as_ref()?)))
        .map(|(p, gz)| {
            let rel = text_file(&p.name);
            match put.out.keeps(&rel, Key(p.key)) {
                true => Ok(Some(rel)),
                false => put.put(rel, gz).map(|_| None),
            }
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    kept.extend(kept_now);
    Ok(texts)
}

/// Writes each note's text file name, in chunks of [`CHUNK_DOCS`] notes
/// (the text file has the note's title and link); returns the chunks' file
/// names.
pub(super) fn write_doc_chunks(texts: &[&str], put: &Put) -> Result<Vec<String>> {
    texts
        .chunks(CHUNK_DOCS)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|list| Ok(put_gz("d", &serde_json::to_vec(list)?, put)?.0))
        .collect()
}

/// Writes `bytes` gzipped as `search/<dir>/<hash>.gz`; returns the hash,
/// and the key the output knows the file by.
/// The name is the hash of the uncompressed bytes, so a file the output
/// already has is known before it is compressed: a warm build that makes
/// the index again compresses only the shards that changed.
pub(super) fn put_gz(dir: &str, bytes: &[u8], put: &Put) -> Result<(String, u64)> {
    put_gz_stored(dir, bytes, put, None)
}

/// [`put_gz`], keeping the file in `store` too (by its key): a build whose
/// output folder lacks it (a new one, in CI) takes it from there instead
/// of making its text and compressing it again.
pub(super) fn put_gz_stored(
    dir: &str,
    bytes: &[u8],
    put: &Put,
    store: Option<&Store>,
) -> Result<(String, u64)> {
    let name = fnv(bytes);
    let rel = format!("search/{dir}/{name}.gz");
    let key = xxh3_64(bytes);
    if put.out.keeps(&rel, Key(key)) {
        if let Some(store) = store {
            store.touch(Kind::SearchShardFile, key);
        }
        put.kept.lock().unwrap_or_else(|e| e.into_inner()).push(rel);
    } else {
        let gz = gzip(bytes);
        if let Some(store) = store.filter(|s| !s.has(Kind::SearchShardFile, key)) {
            store.put(Kind::SearchShardFile, key, &gz);
        }
        put.put(rel, &gz)?;
    }
    Ok((name, key))
}

/// Writes the term directories (each [`DIR`] shards' first terms and file
/// names); returns each directory's first term and file name.
fn write_term_dirs(shards: &[(&str, String)], put: &Put) -> Result<Vec<(String, String)>> {
    shards
        .chunks(DIR)
        .map(|dir| {
            let first: Vec<&str> = dir.iter().map(|(f, _)| *f).collect();
            let files: Vec<&str> = dir.iter().map(|(_, n)| n.as_str()).collect();
            let json = serde_json::to_vec(&serde_json::json!({"first": first, "files": files}))?;
            Ok((first[0].to_string(), put_gz("t", &json, put)?.0))
        })
        .collect()
}

/// Doc chunks per directory. Each result a first query opens costs its
/// chunk's directory (about 8 bytes a chunk name, gzipped), and `meta.json`
/// lists every directory (about 15 bytes each, plain): with about a dozen
/// texts opened, `sqrt(15 * chunks / (12 * 8))` makes the two costs equal,
/// their sum least. At 100k notes that is 31 chunks a directory (was 128):
/// the costliest first query of `bench/search_scale.js` fell from 151.5 to
/// 146.9 KB, its directories from 19 to 12 KB, while `meta.json` grew 2 KB.
fn doc_dir_size(chunks: usize) -> usize {
    ((chunks as f64 * 15.0 / 96.0).sqrt().round() as usize).clamp(4, DIR)
}

/// Writes `meta.json`, the one file the browser fetches first (revalidated
/// each time), and the directories it names.
pub(super) fn write_meta(
    docs: usize,
    chunks: &[String],
    shards: &[(&str, String)],
    put: &Put,
) -> Result<()> {
    let tdirs = write_term_dirs(shards, put)?;
    let per_dir = doc_dir_size(chunks.len());
    let ddirs = chunks
        .chunks(per_dir)
        .map(|dir| Ok(put_gz("d", &serde_json::to_vec(dir)?, put)?.0))
        .collect::<Result<Vec<_>>>()?;
    let meta = serde_json::json!({
        "format": FORMAT,
        "docs": docs,
        "chunk": CHUNK_DOCS,
        "dir": per_dir,
        "tdirs": tdirs,
        "ddirs": ddirs,
    });
    let mut text = serde_json::to_string(&meta)?;
    text.push('\n');
    put.put("search/meta.json".to_string(), text.as_bytes())
}
