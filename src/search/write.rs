//! Turns a filled [`Collector`] into the index files that the browser fetches
//! on demand.
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
//!
//! Postings are varints in a 64-character alphabet, 5 bits per character:
//! `(doc gap << 5) | (tf bucket << 2) | flags` with flags 1 = in the title,
//! 2 = in a heading.

use super::collect::{fnv, gzip_level, text_file, Docs, TEXT_GROUP};
use super::cuts::{Cut, Cuts, Keep, Last};
use super::part::Part;
use super::Collector;
use crate::output::Sink;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::MutexGuard;

/// Target size of a term shard; a single frequent term may make one bigger.
pub(crate) const SHARD_BYTES: usize = 48 * 1024;
/// Notes per title/URL chunk.
pub(crate) const CHUNK_DOCS: usize = 64;
/// Bumped whenever the file format changes (the browser checks it).
pub(crate) const FORMAT: u32 = 2;

/// The varint alphabet (also in `static/search.js`).
const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// [`Sink::write`] with the bytes counted and the error naming the file.
type Put<'a> = dyn Fn(String, &[u8]) -> Result<()> + Sync + 'a;

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
/// (small next to the texts).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    gzip_level(bytes, 6)
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

/// Writes the index files under `search/`. `notes` is every note's title and
/// link, in document order. Every note must be in the collector: the caller
/// renders the notes [`Collector::missing`] reports first (this module never
/// renders), so a note left out is an error rather than a hole in the index.
/// Written again, the index is made anew but for the files it would write
/// the same, which `out` is assumed to have kept (see [`IndexStats::kept`]).
pub(crate) fn write_index(
    collector: &Collector,
    notes: &[(&str, String)],
    out: &dyn Sink,
) -> Result<IndexStats> {
    collector.flush()?;
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
    if notes.len() != docs.lens.len() {
        bail!(
            "search index: {} notes given for an index of {}",
            notes.len(),
            docs.lens.len()
        );
    }
    let bytes = AtomicUsize::new(0);
    let put = |rel: String, data: &[u8]| -> Result<()> {
        bytes.fetch_add(data.len(), Ordering::Relaxed);
        out.write(&rel, data)
            .with_context(|| format!("cannot write search index file `{rel}`"))
    };

    let mut t = write_terms(&parts, &last, &put)?;
    let texts = write_texts(&docs, &put, &mut t.kept)?;
    let chunks = write_doc_chunks(notes, &texts, &put)?;
    write_meta(&docs.lens, &chunks, &t.shards, &put)?;

    let stats = IndexStats {
        terms: t.terms,
        postings: t.postings,
        shards: t.shards.len(),
        bytes: bytes.load(Ordering::Relaxed) + collector.written.load(Ordering::Relaxed),
        kept: t.kept,
    };
    // Written: what the next write may keep.
    last.written(t.cuts);
    for p in docs.packed.iter_mut().flatten() {
        p.new = false;
    }
    log::debug!(
        "search index: {} terms, {} postings, {} shards, {:.1} KiB written, {} files kept, \
         in {:.2} s (plus {:.2} s of indexing notes (tokens and texts) while they rendered, all threads)",
        stats.terms,
        stats.postings,
        stats.shards,
        stats.bytes as f64 / 1024.0,
        stats.kept.len(),
        started.elapsed().as_secs_f64(),
        collector.nanos.load(Ordering::Relaxed) as f64 / 1e9
    );
    Ok(stats)
}

/// Every part's terms in UTF-16 order, so the browser's string comparison
/// agrees; a term several parts have is one run of entries.
fn term_order<'p>(parts: &'p [MutexGuard<'_, Part>]) -> Vec<(&'p str, usize, u32)> {
    let mut order: Vec<(&str, usize, u32)> = parts
        .iter()
        .enumerate()
        .flat_map(|(k, part)| {
            (0..part.terms.len() as u32)
                .filter(|&id| !part.postings.is_empty(id)) // re-added notes dropped it
                .map(move |id| (&*part.terms[id as usize], k, id))
        })
        .collect();
    order.par_sort_by(|x, y| x.0.encode_utf16().cmp(y.0.encode_utf16()));
    order
}

/// Terms whose lines are made at once (in parallel): only these lines and the
/// shards they fill are in memory, never the lines of the whole index. A
/// Chinese site has few terms, each with many postings (100k notes: 19k
/// terms, 10k postings each on average), so a batch stays small.
const LINE_BATCH: usize = 128;

/// Each term shard's first term and file name.
type Shards<'p> = Vec<(&'p str, String)>;

/// What [`write_terms`] made.
struct Terms<'p> {
    shards: Shards<'p>,
    /// The shards, for the next write.
    cuts: Cuts,
    /// Files of shards kept from the last write.
    kept: Vec<String>,
    terms: usize,
    postings: usize,
}

/// A term shard being made: its terms (`first..end` in the order of
/// [`term_order`]), their lines and postings.
#[derive(Default)]
struct Shard {
    first: usize,
    end: usize,
    text: String,
    postings: usize,
}

/// Writes the term shards: one line per term with all the parts' postings,
/// cut into shards of about [`SHARD_BYTES`]; each batch of full shards is
/// compressed and written as soon as it is cut. A shard of the last write
/// (`last`) whose terms did not change is kept as it is (see [`Keep`]).
fn write_terms<'p>(parts: &'p [MutexGuard<'_, Part>], last: &Last, put: &Put) -> Result<Terms<'p>> {
    let order = term_order(parts);
    let groups: Vec<&[(&str, usize, u32)]> = order.chunk_by(|x, y| x.0 == y.0).collect();
    let names: Vec<&'p str> = groups.iter().map(|g| g[0].0).collect();
    let keep = Keep::new(last, &names);
    let mut out = Terms {
        shards: Vec::new(),
        cuts: Cuts::new(),
        kept: Vec::new(),
        terms: groups.len(),
        postings: 0,
    };
    let (mut i, mut next) = (0, Shard::default());
    while i < groups.len() {
        if let Some(cut) = keep.at(i).filter(|_| next.text.is_empty()) {
            out.kept.push(format!("search/t/{}.gz", cut.name));
            out.add(names[i], cut.clone());
            i += cut.terms;
            continue;
        }
        let end = (i + LINE_BATCH).min(groups.len());
        let lines: Vec<(usize, String)> = groups[i..end]
            .par_iter()
            .map(|group| {
                let mut list: Vec<u32> = group
                    .iter()
                    .flat_map(|&(_, k, id)| parts[k].postings.iter(id))
                    .collect();
                list.sort_unstable();
                (list.len(), term_line(group[0].0, &list))
            })
            .collect();
        let mut cut = Vec::new();
        for (n, line) in lines {
            if next.text.is_empty() {
                next.first = i;
            }
            next.postings += n;
            next.text.push_str(&line);
            i += 1;
            if next.text.len() >= SHARD_BYTES {
                next.end = i;
                cut.push(std::mem::take(&mut next));
                if keep.at(i).is_some() {
                    break;
                }
            }
        }
        write_shards(cut, &names, true, put, &mut out)?;
    }
    if !next.text.is_empty() {
        next.end = i;
        write_shards(vec![next], &names, false, put, &mut out)?;
    }
    Ok(out)
}

impl<'p> Terms<'p> {
    fn add(&mut self, first: &'p str, cut: Cut) {
        self.postings += cut.postings;
        self.shards.push((first, cut.name.clone()));
        self.cuts.insert(first.into(), cut);
    }
}

/// `term<TAB>postings\n`, each posting's doc number as the gap from the previous one.
fn term_line(term: &str, postings: &[u32]) -> String {
    let mut line = String::with_capacity(term.len() + 2 + postings.len() * 2);
    line.push_str(term);
    line.push('\t');
    let mut prev: i64 = -1;
    for p in postings {
        let doc = (p >> 5) as i64;
        push_varint(
            &mut line,
            (((doc - prev - 1) as u64) << 5) | (p & 31) as u64,
        );
        prev = doc;
    }
    line.push('\n');
    line
}

/// Compresses and writes shards in parallel (`full`: cut for their size).
fn write_shards<'p>(
    cut: Vec<Shard>,
    names: &[&'p str],
    full: bool,
    put: &Put,
    out: &mut Terms<'p>,
) -> Result<()> {
    let made: Vec<(usize, Cut)> = cut
        .into_par_iter()
        .map(|s| {
            let gz = gzip(s.text.as_bytes());
            let name = fnv(&gz);
            put(format!("search/t/{name}.gz"), &gz)?;
            let cut = Cut {
                terms: s.end - s.first,
                last: names[s.end - 1].into(),
                full,
                postings: s.postings,
                name,
            };
            Ok((s.first, cut))
        })
        .collect::<Result<_>>()?;
    for (first, cut) in made {
        out.add(names[first], cut);
    }
    Ok(())
}

/// Writes each group's texts (for snippets), packed while the notes were
/// added, unless the collector wrote them then or they were written by the
/// last write (those go to `kept`); returns each group's file name.
fn write_texts<'d>(docs: &'d Docs, put: &Put, kept: &mut Vec<String>) -> Result<Vec<&'d str>> {
    let mut texts: Vec<&str> = Vec::with_capacity(docs.packed.len());
    for (g, packed) in docs.packed.iter().enumerate() {
        let Some(packed) = packed else {
            bail!(
                "search index: the texts of notes {} to {} are missing",
                g * TEXT_GROUP,
                (g + 1) * TEXT_GROUP - 1
            );
        };
        texts.push(&packed.name);
        if !packed.new {
            kept.push(text_file(&packed.name));
        }
    }
    docs.packed
        .par_iter()
        .flatten()
        .filter(|p| p.new)
        .filter_map(|p| Some((&p.name, p.gz.as_ref()?)))
        .try_for_each(|(name, gz)| put(text_file(name), gz))?;
    Ok(texts)
}

/// Writes titles, links and where each note's text is (file, place in it), in
/// chunks of [`CHUNK_DOCS`] notes; returns the chunks' file names.
fn write_doc_chunks(notes: &[(&str, String)], texts: &[&str], put: &Put) -> Result<Vec<String>> {
    (0..notes.len())
        .step_by(CHUNK_DOCS)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|&start| {
            let end = (start + CHUNK_DOCS).min(notes.len());
            let list: Vec<(&str, &str, &str, usize)> = (start..end)
                .map(|i| {
                    let (title, href) = &notes[i];
                    (*title, href.as_str(), texts[i / TEXT_GROUP], i % TEXT_GROUP)
                })
                .collect();
            let gz = gzip(&serde_json::to_vec(&list)?);
            let name = fnv(&gz);
            put(format!("search/d/{name}.gz"), &gz)?;
            Ok(name)
        })
        .collect()
}

/// Writes `meta.json`, the one file the browser fetches first.
fn write_meta(lens: &[u32], chunks: &[String], shards: &[(&str, String)], put: &Put) -> Result<()> {
    let total: u64 = lens.iter().map(|&l| l as u64).sum();
    let avgdl = if lens.is_empty() {
        0.0
    } else {
        total as f64 / lens.len() as f64
    };
    let buckets: String = lens.iter().map(|&l| len_bucket(l) as char).collect();
    let meta = serde_json::json!({
        "format": FORMAT,
        "docs": lens.len(),
        "avgdl": (avgdl * 100.0).round() / 100.0,
        "lens": buckets,
        "chunk": CHUNK_DOCS,
        "chunks": chunks,
        "shards": shards.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
        "files": shards.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string(&meta)?;
    text.push('\n');
    put("search/meta.json".to_string(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_in_the_alphabet() {
        let mut s = String::new();
        push_varint(&mut s, 0);
        push_varint(&mut s, 31);
        push_varint(&mut s, 32);
        push_varint(&mut s, 1 << 20);
        assert_eq!(s, "0VW1WWWW1");
    }
}
