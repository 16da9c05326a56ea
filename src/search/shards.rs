//! The term shards of the index: every part's terms merged in the order
//! the browser compares strings, one line per term, cut into shards of
//! about [`SHARD_BYTES`] and compressed a batch at a time; a shard the last
//! write made with the same terms is kept (see [`super::cuts`]).

use super::cuts::{Cut, Cuts, Keep, Last};
use super::line::{term_line, Impact};
use super::part::Part;
use super::spill::{self, RunReaders};
use super::state::put_term;
use super::write::{put_gz_stored, Put, SHARD_BYTES};
use crate::cache::codec::Enc;
use crate::cache::{Kind, Store};
use anyhow::Result;
use rayon::prelude::*;
use std::sync::MutexGuard;
use xxhash_rust::xxh3::xxh3_64;

/// The order of the index's terms: JavaScript's `<` (UTF-16 code units),
/// so the browser's binary search agrees.
pub(super) fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Every part's terms in [`utf16_cmp`] order; a term several parts have is
/// one run of entries.
fn term_order<'p>(parts: &'p [MutexGuard<'_, Part>]) -> Vec<(&'p str, usize, u32)> {
    let mut order: Vec<(&str, usize, u32)> = parts
        .iter()
        .enumerate()
        .flat_map(|(k, part)| {
            (0..part.terms.len() as u32)
                .filter(|&id| !part.is_empty(id)) // re-added notes dropped it
                .map(move |id| (&*part.terms[id as usize], k, id))
        })
        .collect();
    order.par_sort_by(|x, y| utf16_cmp(x.0, y.0));
    order
}

/// Terms whose lines are made at once (in parallel): only these lines and the
/// shards they fill are in memory, never the lines of the whole index. A
/// Chinese site has few terms, each with many postings (100k notes: 19k
/// terms, 10k postings each on average), so a batch stays small.
const LINE_BATCH: usize = 128;

/// Each term shard's first term and file name.
pub(super) type Shards<'p> = Vec<(&'p str, String)>;

/// What [`write_terms`] made.
pub(super) struct Terms<'p> {
    pub(super) shards: Shards<'p>,
    /// The shards, for the next write.
    pub(super) cuts: Cuts,
    /// Files of shards kept from the last write.
    pub(super) kept: Vec<String>,
    pub(super) terms: usize,
    pub(super) postings: usize,
}

/// A term shard being made: its terms (`first..end` in the order of
/// [`term_order`]), their lines and postings, and the postings as the
/// collector had them, for the build cache (see [`super::state`]).
#[derive(Default)]
pub(super) struct Shard {
    pub(super) first: usize,
    pub(super) end: usize,
    pub(super) text: String,
    pub(super) postings: usize,
    pub(super) blob: Enc,
}

impl Shard {
    /// Adds term number `i`'s line and (when `stored`) its postings; returns
    /// the shard once it is full, cut after `i`. Shards are cut greedily
    /// from the first term, here only, so that a rewrite that starts where
    /// the last write's shard started cuts where it did (see [`super::cuts`]).
    pub(super) fn add(
        &mut self,
        i: usize,
        (term, list, line): (&str, &[u32], &str),
        stored: bool,
    ) -> Option<Shard> {
        if self.text.is_empty() {
            self.first = i;
        }
        self.postings += list.len();
        self.text.push_str(line);
        if stored {
            put_term(&mut self.blob, term, list);
        }
        (self.text.len() >= SHARD_BYTES).then(|| {
            self.end = i + 1;
            std::mem::take(self)
        })
    }
}

/// Writes the term shards: one line per term with all the parts' postings,
/// cut into shards of about [`SHARD_BYTES`]; each batch of full shards is
/// compressed and written as soon as it is cut. A shard of the last write
/// (`last`) whose terms did not change is kept as it is (see [`Keep`]).
pub(super) fn write_terms<'p>(
    parts: &'p [MutexGuard<'_, Part>],
    (last, impact): (&Last, &Impact),
    put: &Put,
    store: Option<&Store>,
) -> Result<Terms<'p>> {
    let order = term_order(parts);
    let groups: Vec<&[(&str, usize, u32)]> = order.chunk_by(|x, y| x.0 == y.0).collect();
    let names: Vec<&'p str> = groups.iter().map(|g| g[0].0).collect();
    let keep = Keep::new(last, &names, impact.basis);
    let mut out = Terms {
        shards: Vec::new(),
        cuts: Cuts::new(),
        kept: Vec::new(),
        terms: groups.len(),
        postings: 0,
    };
    let mut runs: Vec<RunReaders> = spill::open_runs(parts, &order)?;
    let (mut i, mut next) = (0, Shard::default());
    while i < groups.len() {
        if let Some(cut) = keep.at(i).filter(|_| next.text.is_empty()) {
            out.kept.push(format!("search/t/{}.gz", cut.name));
            out.add(names[i], cut.clone());
            i += cut.terms;
            continue;
        }
        let end = (i + LINE_BATCH).min(groups.len());
        // Read in term order, before the lines are made in parallel.
        let mut spilled = vec![Vec::new(); end - i];
        for (group, bytes) in groups[i..end].iter().zip(&mut spilled) {
            for &(_, k, id) in *group {
                runs[k].take(id, bytes)?;
            }
        }
        let lines: Vec<(Vec<u32>, String)> = groups[i..end]
            .par_iter()
            .zip(&spilled)
            .map(|(group, spilled)| {
                let mut list: Vec<u32> = Vec::new();
                spill::for_each(spilled, |p| list.push(p));
                for &(_, k, id) in *group {
                    parts[k].postings.for_each(id, |p| list.push(p));
                }
                list.sort_unstable();
                let line = term_line(group[0].0, &list, impact);
                (list, line)
            })
            .collect();
        let mut cut = Vec::new();
        for (list, line) in lines {
            let full = next.add(i, (names[i], &list, &line), store.is_some());
            i += 1;
            if let Some(full) = full {
                cut.push(full);
                if keep.at(i).is_some() {
                    break;
                }
            }
        }
        write_shards(cut, (&names, true), (put, store), &mut out)?;
    }
    if !next.text.is_empty() {
        next.end = i;
        write_shards(vec![next], (&names, false), (put, store), &mut out)?;
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

/// Compresses and writes shards in parallel (`full`: cut for their size),
/// storing their postings in `store`.
fn write_shards<'p>(
    cut: Vec<Shard>,
    (names, full): (&[&'p str], bool),
    (put, store): (&Put, Option<&Store>),
    out: &mut Terms<'p>,
) -> Result<()> {
    let made: Vec<(usize, Cut)> = cut
        .into_par_iter()
        .map(|s| Ok((s.first, finish_shard(s, (names, full), (put, store))?)))
        .collect::<Result<_>>()?;
    for (first, cut) in made {
        out.add(names[first], cut);
    }
    Ok(())
}

/// Writes one shard made of `names[s.first..s.end]` and stores its postings.
pub(super) fn finish_shard<N: AsRef<str>>(
    s: Shard,
    (names, full): (&[N], bool),
    (put, store): (&Put, Option<&Store>),
) -> Result<Cut> {
    let (name, key) = put_gz_stored("t", s.text.as_bytes(), put, store)?;
    let blob = match store {
        Some(store) => {
            let blob = xxh3_64(&s.blob.0);
            if !store.has(Kind::SearchShard, blob) {
                store.put(Kind::SearchShard, blob, &s.blob.0);
            }
            blob
        }
        None => 0,
    };
    Ok(Cut {
        terms: s.end - s.first,
        last: names[s.end - 1].as_ref().into(),
        full,
        postings: s.postings,
        name,
        key,
        blob,
    })
}
