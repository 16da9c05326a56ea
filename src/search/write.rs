//! Turns a filled [`Collector`] into the index files that the browser fetches
//! on demand.
//!
//! Layout under `search/` (every name but `meta.json` is a hash of the file's
//! content, so browsers may cache them for good and a rebuilt site never mixes
//! old and new files; all but `meta.json` are gzip, inflated in the browser by
//! `DecompressionStream`):
//!
//! * `meta.json`: note count, and the first term and file name of every term
//!   directory, and the file names of the doc directories: under 3 KB at
//!   100k notes, since a reader's first query loads it;
//! * `t/<hash>.gz`, a term directory: the first terms and file names of up to
//!   [`DIR`] term shards (`{"first": [...], "files": [...]}`);
//! * `t/<hash>.gz`, a term shard: one `term<TAB>postings` line per term in
//!   UTF-16 order (the order of JavaScript's `<`), cut at about [`SHARD_BYTES`];
//!   the browser finds a term's shard, or a prefix's shards, by binary search
//!   over the directories' first terms, then the shards';
//! * `d/<hash>.gz`, a doc directory: the file names of up to [`DIR`] doc chunks;
//! * `d/<hash>.gz`, a doc chunk: title, URL, text file and place in it of
//!   [`CHUNK_DOCS`] notes;
//! * `s/<hash>.gz`: the visible text of a note, cut at its headings
//!   (`[[[id, heading, text], ...]]`), for the section link, the snippet and
//!   the exact-phrase check of a result; fetched only for results on screen.
//!
//! Postings are varints in a 64-character alphabet, 5 bits per character:
//! `(doc gap << 5) | (impact << 2) | flags` with flags 1 = in the title,
//! 2 = in a heading. The impact is the term's BM25 weight in the note (its
//! frequency against the note's length) in 7 steps, so the browser needs no
//! table of note lengths (100k notes would make it 100 KB). A term in most
//! notes lists the notes without it instead (see `term_line`).

use super::collect::{fnv, gzip_level, text_file, Docs};
use super::cuts::{Cut, Cuts, Keep, Last};
use super::part::Part;
use super::Collector;
use crate::output::Sink;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::MutexGuard;

/// Target size of a term shard; a single frequent term may make one bigger.
/// A query loads one shard per term: at 48 KB a first query on 10k notes
/// fetched 100 KB of shards, mostly other terms' lines.
pub(crate) const SHARD_BYTES: usize = 16 * 1024;
/// Notes per title/URL chunk: a result on screen costs its chunk, so small.
pub(crate) const CHUNK_DOCS: usize = 16;
/// Entries per directory file (term shards or doc chunks).
pub(crate) const DIR: usize = 128;
/// Bumped whenever the file format changes (the browser checks it).
pub(crate) const FORMAT: u32 = 3;
/// A term in at least one note in this many is dense (see [`term_line`]).
const DENSE: usize = 8;
/// BM25's saturation and length weight.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Term frequency per bucket of the collector's postings (see `tf_bucket`).
const TF: [f64; 8] = [1.0, 2.0, 3.0, 4.0, 6.0, 9.0, 15.0, 25.0];

/// The varint alphabet (also in `static/search.js`).
const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// [`Sink::write`] with the bytes counted and the error naming the file.
type Put<'a> = dyn Fn(String, &[u8]) -> Result<()> + Sync + 'a;

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

    let impact = Impact::new(&docs.lens);
    let mut t = write_terms(&parts, (&last, &impact), &put)?;
    let texts = write_texts(&docs, &put, &mut t.kept)?;
    let chunks = write_doc_chunks(notes, &texts, &put)?;
    write_meta(notes.len(), &chunks, &t.shards, &put)?;

    let stats = IndexStats {
        terms: t.terms,
        postings: t.postings,
        shards: t.shards.len(),
        bytes: bytes.load(Ordering::Relaxed) + collector.written.load(Ordering::Relaxed),
        kept: t.kept,
    };
    // Written: what the next write may keep.
    last.written(t.cuts, impact.avg);
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
fn write_terms<'p>(
    parts: &'p [MutexGuard<'_, Part>],
    (last, impact): (&Last, &Impact),
    put: &Put,
) -> Result<Terms<'p>> {
    let order = term_order(parts);
    let groups: Vec<&[(&str, usize, u32)]> = order.chunk_by(|x, y| x.0 == y.0).collect();
    let names: Vec<&'p str> = groups.iter().map(|g| g[0].0).collect();
    let keep = Keep::new(last, &names, impact.avg);
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
                (list.len(), term_line(group[0].0, &list, impact))
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

/// Each note's BM25 term-frequency weight in 8 steps, from the collector's
/// tf bucket and the note's length.
struct Impact {
    /// Per note: `K1 * (1 - B + B * len / average len)`.
    norm: Vec<f32>,
    /// The note count and the average note length in quarter steps of its
    /// log2: one edit seldom moves them, so shards of unchanged terms keep
    /// their bytes (see [`Keep`]).
    avg: u64,
}

impl Impact {
    fn new(lens: &[u32]) -> Impact {
        let total: u64 = lens.iter().map(|&l| l as u64).sum();
        let exact = (total as f64 / lens.len().max(1) as f64).max(1.0);
        let step = (exact.log2() * 4.0).round() as u32;
        let mean = 2f64.powf(step as f64 / 4.0);
        let norm = lens
            .iter()
            .map(|&l| (K1 * (1.0 - B + B * l as f64 / mean)) as f32)
            .collect();
        // Dense terms depend on the note count too.
        let avg = (lens.len() as u64) << 32 | step as u64;
        Impact { norm, avg }
    }

    /// `tf * (K1 + 1) / (tf + norm)` scaled to 1..=7 (the browser maps step
    /// `q` back to `q / 7 * (K1 + 1)`); 0 is never used, so every posting counts.
    fn step(&self, doc: usize, bucket: u32) -> u32 {
        let tf = TF[(bucket & 7) as usize];
        let w = tf * (K1 + 1.0) / (tf + self.norm.get(doc).copied().unwrap_or(1.0) as f64);
        ((w / (K1 + 1.0) * 7.0).round() as u32).clamp(1, 7)
    }
}

/// `term<TAB>postings\n`, each posting's doc number as the gap from the
/// previous one, its tf bucket replaced by the impact step.
///
/// A term in at least one note in [`DENSE`] (`进程`, `python` in most of a
/// Chinese site's notes) is written the other way round, `term<TAB>!absent
/// <TAB>marked\n`: the notes *without* it (doc gaps; or `~` and the notes
/// with it, when that list is shorter), then the notes where it
/// is in the title or a heading or among the eighth that weigh most
/// (`gap << 3 | high << 2 | flags`); the browser gives the rest step 3 and
/// the high ones step 6. Its idf makes its weight small next to rarer
/// terms', and a first query on 100k notes fetched ~250 KB of such lines
/// written in full.
fn term_line(term: &str, postings: &[u32], impact: &Impact) -> String {
    let mut line = String::with_capacity(term.len() + 2 + postings.len() * 2);
    line.push_str(term);
    line.push('\t');
    let docs = impact.norm.len();
    if postings.len() * DENSE >= docs && docs >= DENSE {
        dense_line(&mut line, postings, impact);
        return line;
    }
    let mut prev: i64 = -1;
    for p in postings {
        let doc = (p >> 5) as i64;
        let step = impact.step(doc as usize, (p >> 2) & 7);
        push_varint(
            &mut line,
            (((doc - prev - 1) as u64) << 5) | (step << 2 | (p & 3)) as u64,
        );
        prev = doc;
    }
    line.push('\n');
    line
}

/// The `!absent<TAB>marked\n` rest of a dense term's line (see
/// [`term_line`]); a term in fewer than half the notes lists the notes with
/// it instead, `~present<TAB>marked\n` (the shorter list).
fn dense_line(line: &mut String, postings: &[u32], impact: &Impact) {
    let docs = impact.norm.len();
    let mut prev: i64 = -1;
    let mut gap = |line: &mut String, doc: usize| {
        push_varint(line, (doc as i64 - prev - 1) as u64);
        prev = doc as i64;
    };
    if postings.len() * 2 < docs {
        line.push('~');
        postings.iter().for_each(|p| gap(line, (p >> 5) as usize));
    } else {
        line.push('!');
        let mut next = 0usize;
        for p in postings {
            let doc = (p >> 5) as usize;
            (next..doc.min(docs)).for_each(|absent| gap(line, absent));
            next = doc + 1;
        }
        (next..docs).for_each(|absent| gap(line, absent));
    }
    line.push('\t');
    // High: the notes in the top eighth of steps (from step 5 up), so the
    // list stays short.
    let steps: Vec<u32> = postings
        .iter()
        .map(|p| impact.step((p >> 5) as usize, (p >> 2) & 7))
        .collect();
    let mut count = [0usize; 9];
    steps.iter().for_each(|&s| count[s as usize] += 1);
    let high_from = (5..=8)
        .find(|&t| count[t..].iter().sum::<usize>() * DENSE <= steps.len())
        .unwrap_or(8) as u32;
    let mut prev: i64 = -1;
    for (p, step) in postings.iter().zip(steps) {
        let doc = (p >> 5) as i64;
        let high = (step >= high_from) as u32;
        if high == 0 && p & 3 == 0 {
            continue;
        }
        let low = high << 2 | (p & 3);
        push_varint(line, (((doc - prev - 1) as u64) << 3) | low as u64);
        prev = doc;
    }
    line.push('\n');
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
            let name = put_gz("t", s.text.as_bytes(), put)?;
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
    docs.packed
        .par_iter()
        .flatten()
        .filter(|p| p.new)
        .filter_map(|p| Some((&p.name, p.gz.as_ref()?)))
        .try_for_each(|(name, gz)| put(text_file(name), gz))?;
    Ok(texts)
}

/// Writes titles, links and each note's text file, in
/// chunks of [`CHUNK_DOCS`] notes; returns the chunks' file names.
fn write_doc_chunks(notes: &[(&str, String)], texts: &[&str], put: &Put) -> Result<Vec<String>> {
    (0..notes.len())
        .step_by(CHUNK_DOCS)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|&start| {
            let end = (start + CHUNK_DOCS).min(notes.len());
            let list: Vec<(&str, &str, &str)> = (start..end)
                .map(|i| (notes[i].0, notes[i].1.as_str(), texts[i]))
                .collect();
            put_gz("d", &serde_json::to_vec(&list)?, put)
        })
        .collect()
}

/// Writes `bytes` gzipped as `search/<dir>/<hash>.gz`; returns the hash.
fn put_gz(dir: &str, bytes: &[u8], put: &Put) -> Result<String> {
    let gz = gzip(bytes);
    let name = fnv(&gz);
    put(format!("search/{dir}/{name}.gz"), &gz)?;
    Ok(name)
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
            Ok((first[0].to_string(), put_gz("t", &json, put)?))
        })
        .collect()
}

/// Writes `meta.json`, the one file the browser fetches first (revalidated
/// each time), and the directories it names.
fn write_meta(docs: usize, chunks: &[String], shards: &[(&str, String)], put: &Put) -> Result<()> {
    let tdirs = write_term_dirs(shards, put)?;
    let ddirs = chunks
        .chunks(DIR)
        .map(|dir| put_gz("d", &serde_json::to_vec(dir)?, put))
        .collect::<Result<Vec<_>>>()?;
    let meta = serde_json::json!({
        "format": FORMAT,
        "docs": docs,
        "chunk": CHUNK_DOCS,
        "dir": DIR,
        "tdirs": tdirs,
        "ddirs": ddirs,
    });
    let mut text = serde_json::to_string(&meta)?;
    text.push('\n');
    put("search/meta.json".to_string(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_grows_with_frequency_and_falls_with_length() {
        let impact = Impact::new(&[10, 100, 1000]);
        assert!(impact.step(0, 0) > impact.step(2, 0), "short note first");
        assert!(impact.step(1, 7) > impact.step(1, 0), "more hits first");
        assert!((1..=7).contains(&impact.step(2, 0)));
        assert_eq!(impact.step(9, 7), 7, "an unknown note does not panic");
    }

    #[test]
    fn dense_terms_list_the_notes_without_them() {
        let impact = Impact::new(&[10; 16]);
        // In notes 0..16 but 3 and 9; in the title of note 5, a heading of 12.
        let postings: Vec<u32> = (0..16u32)
            .filter(|d| *d != 3 && *d != 9)
            .map(|d| {
                d << 5
                    | if d == 5 {
                        1
                    } else if d == 12 {
                        2
                    } else {
                        0
                    }
            })
            .collect();
        // Absent: 3 (gap 3), 9 (gap 5); marked: 5 (5 << 3 | 1 = 41, `f1`: a
        // continued digit then 1), 12 (6 << 3 | 2 = 50, `o1`); after a high
        // note 0 (0 << 3 | 4 = 4), note 5 is 4 << 3 | 1 = 33, `X1`.
        assert_eq!(term_line("进程", &postings, &impact), "进程\t!35\tf1o1\n");
        // Many hits in one note make it high (bit 4).
        let mut many = postings.clone();
        many[0] |= 7 << 2;
        assert_eq!(term_line("进程", &many, &impact), "进程\t!35\t4X1o1\n");
        let sparse = term_line("僵尸", &postings[..1], &impact);
        assert!(!sparse.contains('!') && !sparse.contains('~'), "{sparse}");
        // In 3 of 16 notes (0, 1, 2): the notes with it are the shorter list.
        assert_eq!(term_line("进", &postings[..3], &impact), "进\t~000\t\n");
    }

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
