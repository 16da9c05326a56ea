//! Writes the index again from the last build's [`State`] and the notes
//! that changed since, which are all the collector holds: only the term
//! shards holding a term whose postings changed are made again, from their
//! stored postings with the changed notes' replaced; the other shards and
//! the unchanged notes' text files are kept. Shards are cut as a write from
//! scratch cuts them (see [`super::cuts`]), so the index is the same, byte
//! for byte, as one made from every note.
//!
//! Everything that may be missing from the cache (a stored shard, a note's
//! old record) is read before anything is written: when one is, or the
//! impact basis moved (the average note length crossed a step), nothing is
//! written and the caller makes the index from every note.
//!
//! A file the output no longer has is written again from the cache: all of
//! them when the output folder is new (a CI run restores the cache alone).
//! Should the cache fail to give one back (a damaged pack), the write stops
//! and the caller makes the index from every note after all, writing every
//! file of the index again; the files written so far are among them (the
//! index is the same), so none is left over.

use super::collect::Terms;
use super::cuts::{Cut, Last};
use super::files::text_file;
use super::line::{term_line, Impact};
use super::part::Part;
use super::shards::{finish_shard, utf16_cmp, Shard};
use super::state::{read_terms, NoteState, State};
use super::wanted::Indexed;
use super::write::{put_gz_stored, write_doc_chunks, write_meta, Cached, IndexStats, Put};
use super::Collector;
use crate::cache::Kind;
use crate::output::{Key, Sink};
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::HashMap;

/// A shard by its first term.
type Placed = (Box<str>, Cut);

/// A shard of the new index: one of the last write's, kept, or made.
enum Item {
    Kept(usize),
    Made(Shard, bool),
}

/// A changed note: its doc number, postings before and after, lengths.
struct Change {
    doc: usize,
    old: Terms,
    new: Terms,
    lens: (u32, u32),
}

/// Writes the index from `state` and the changed notes in `collector`;
/// `None` when it cannot, see the module comment.
pub(crate) fn write_resumed(
    collector: &Collector,
    state: &State,
    out: &dyn Sink,
    cached: Cached,
) -> Result<Option<(IndexStats, State)>> {
    collector.flush()?;
    if let Some(first) = collector.missing().first() {
        bail!("search index: note {first} was not indexed");
    }
    if cached.memos.len() != state.notes.len() {
        return Ok(None);
    }
    let started = std::time::Instant::now();
    let indexed = collector.take_indexed()?;
    let Some(changes) = old_terms(&indexed, state, cached) else {
        return Ok(None);
    };
    let mut lens: Vec<u32> = state.notes.iter().map(|n| n.len).collect();
    for n in &indexed {
        lens[n.doc] = n.len;
    }
    let impact = Impact::new(&lens);
    if impact.basis != state.basis || state.shards.is_empty() {
        return Ok(None);
    }
    let Some(planned) = plan(state, &changes, &impact, cached) else {
        return Ok(None);
    };
    let put = Put::new(out);
    let written = write_shards(planned, state, (&impact, &put), cached)
        .and_then(|shards| Ok((shards, keep_texts(state, &indexed, &put, cached)?)));
    let ((shards, kept), texts) = match written {
        Err(e) if e.is::<Unreadable>() => {
            log::warn!("{e}; the search index is made from every note");
            return Ok(None);
        }
        w => w?,
    };
    let names: Vec<&str> = texts.iter().map(|n| &*n.text).collect();
    let chunks = write_doc_chunks(&names, &put)?;
    let firsts: Vec<(&str, String)> = shards.iter().map(|(f, c)| (&**f, c.name.clone())).collect();
    write_meta(texts.len(), &chunks, &firsts, &put)?;
    let stats = IndexStats {
        terms: shards.iter().map(|(_, c)| c.terms).sum(),
        postings: shards.iter().map(|(_, c)| c.postings).sum(),
        shards: shards.len(),
        bytes: put.written(),
        kept,
    };
    log::debug!(
        "search index resumed: {} notes changed, {} of {} shards made again, in {:.3} s",
        changes.len(),
        stats.shards - stats.kept.len(),
        stats.shards,
        started.elapsed().as_secs_f64()
    );
    let state = State {
        basis: impact.basis,
        notes: texts,
        shards,
    };
    Ok(Some((stats, state)))
}

/// Each changed note with the postings its last record listed; `None` if
/// the cache no longer has a record.
fn old_terms(indexed: &[Indexed], state: &State, cached: Cached) -> Option<Vec<Change>> {
    let mut scratch = Part::default();
    indexed
        .iter()
        .map(|n| {
            let was = &state.notes[n.doc];
            let record = cached.store.get(Kind::SearchTerms, was.memo)?;
            let terms = super::memo::decode(&record)?;
            let mut old = Vec::new();
            scratch.replay(n.doc, &terms, Some(&mut old));
            Some(Change {
                doc: n.doc,
                old,
                new: n.terms.clone(),
                lens: (was.len, n.len),
            })
        })
        .collect()
}

/// The shards of the new index, with those made again filled, and the
/// terms of those (each [`Shard`]'s `first..end`); `None` if a stored shard
/// is missing or damaged.
fn plan(
    state: &State,
    changes: &[Change],
    impact: &Impact,
    cached: Cached,
) -> Option<(Vec<Item>, Vec<Box<str>>)> {
    let mut last = Last::resumed(&state.shards, state.basis);
    for c in changes {
        last.note_changes(c.old.clone(), c.new.clone(), c.lens);
    }
    last.settle(impact);
    let shard_of = |t: &str| {
        let after = state
            .shards
            .partition_point(|(f, _)| utf16_cmp(f, t) != Ordering::Greater);
        after.saturating_sub(1)
    };
    let mut affected = vec![false; state.shards.len()];
    for t in last.changed() {
        affected[shard_of(t)] = true;
    }
    // The changed notes' postings, by shard, then term.
    let mut fresh: Vec<HashMap<&str, Vec<u32>>> = vec![HashMap::new(); state.shards.len()];
    for c in changes {
        for (term, low) in &c.new {
            let list = fresh[shard_of(term)].entry(&**term).or_default();
            list.push((c.doc as u32) << 5 | *low as u32);
        }
    }
    let mut changed_doc = vec![false; state.notes.len()];
    changes.iter().for_each(|c| changed_doc[c.doc] = true);
    let (mut items, mut next) = (Vec::new(), Shard::default());
    let mut names: Vec<Box<str>> = Vec::new();
    for (s, (_, cut)) in state.shards.iter().enumerate() {
        if next.text.is_empty() && !affected[s] {
            items.push(Item::Kept(s));
            continue;
        }
        let bytes = cached.store.get(Kind::SearchShard, cut.blob)?;
        let mut terms = read_terms(&bytes)?;
        patch(&mut terms, &changed_doc, std::mem::take(&mut fresh[s]));
        for (term, list) in terms {
            let line = term_line(&term, &list, impact);
            if let Some(full) = next.add(names.len(), (&term, &list, &line), true) {
                items.push(Item::Made(full, true));
            }
            names.push(term);
        }
    }
    if !next.text.is_empty() {
        next.end = names.len();
        items.push(Item::Made(next, false));
    }
    Some((items, names))
}

/// Replaces the changed notes' postings in a shard's terms with `fresh`,
/// drops the terms left with none, and puts them in the index's order.
fn patch(
    terms: &mut Vec<(Box<str>, Vec<u32>)>,
    changed: &[bool],
    mut fresh: HashMap<&str, Vec<u32>>,
) {
    for (term, list) in terms.iter_mut() {
        list.retain(|p| !changed.get((p >> 5) as usize).copied().unwrap_or(false));
        if let Some(add) = fresh.remove(&**term) {
            list.extend(add);
            list.sort_unstable();
        }
    }
    for (term, mut list) in fresh {
        list.sort_unstable();
        terms.push((term.into(), list));
    }
    terms.retain(|(_, list)| !list.is_empty());
    terms.sort_by(|a, b| utf16_cmp(&a.0, &b.0));
}

/// Keeps and writes the shards of the new index; returns them by first
/// term, and the shard files kept (`IndexStats::kept` of a resumed write).
fn write_shards(
    (items, names): (Vec<Item>, Vec<Box<str>>),
    state: &State,
    (impact, put): (&Impact, &Put),
    cached: Cached,
) -> Result<(Vec<Placed>, Vec<String>)> {
    let asked: Vec<(String, Key)> = (items.iter())
        .filter_map(|item| match item {
            Item::Kept(s) => {
                let cut = &state.shards[*s].1;
                Some((format!("search/t/{}.gz", cut.name), Key(cut.key)))
            }
            Item::Made(..) => None,
        })
        .collect();
    let on_disk = put.out.keep_all(&asked);
    // Each kept shard in order takes its answer.
    let mut answers = on_disk.iter().copied();
    let items: Vec<(Item, bool)> = (items.into_iter())
        .map(|item| match item {
            Item::Kept(_) => (item, answers.next().unwrap_or(false)),
            Item::Made(..) => (item, false),
        })
        .collect();
    let shards = items
        .into_par_iter()
        .map(|(item, kept)| match item {
            Item::Kept(s) => {
                let (first, cut) = &state.shards[s];
                for (kind, key) in cut.records() {
                    cached.store.touch(kind, key);
                }
                if !kept {
                    rewrite(cut, impact, put, cached)?;
                }
                Ok((first.clone(), cut.clone()))
            }
            Item::Made(shard, full) => {
                let first = names[shard.first].clone();
                let cut = finish_shard(shard, (&names, full), (put, Some(cached.store)))?;
                Ok((first, cut))
            }
        })
        .collect::<Result<_>>()?;
    let kept = (asked.into_iter().zip(on_disk))
        .filter_map(|((rel, _), kept)| kept.then_some(rel))
        .collect();
    Ok((shards, kept))
}

/// Writes a shard of the last write again, as it was, where the output
/// lacks it: its file as stored, else made from its stored postings.
fn rewrite(cut: &Cut, impact: &Impact, put: &Put, cached: Cached) -> Result<()> {
    let rel = format!("search/t/{}.gz", cut.name);
    if let Some(gz) = cached.store.get(Kind::SearchShardFile, cut.key) {
        return put.put(rel, &gz);
    }
    let terms = cached
        .store
        .get(Kind::SearchShard, cut.blob)
        .and_then(|b| read_terms(&b));
    let Some(terms) = terms else {
        return Err(Unreadable(rel).into());
    };
    let text: String = terms.iter().map(|(t, l)| term_line(t, l, impact)).collect();
    put_gz_stored("t", text.as_bytes(), put, Some(cached.store)).map(drop)
}

/// Keeps the unchanged notes' text files (the changed ones' were written
/// as they were indexed); returns every note as the index now holds it.
fn keep_texts(
    state: &State,
    indexed: &[Indexed],
    put: &Put,
    cached: Cached,
) -> Result<Vec<NoteState>> {
    let mut notes = state.notes.clone();
    for n in indexed {
        if let Some(gz) = &n.packed.gz {
            put.put(text_file(&n.packed.name), gz)?;
        }
        notes[n.doc] = NoteState {
            memo: cached.memos[n.doc],
            len: n.len,
            text: n.packed.name.as_str().into(),
            text_key: n.packed.key,
        };
    }
    let mut changed = vec![false; notes.len()];
    indexed.iter().for_each(|n| changed[n.doc] = true);
    let unchanged: Vec<&NoteState> = (notes.iter().zip(&changed))
        .filter_map(|(n, &c)| (!c).then_some(n))
        .collect();
    let asked: Vec<(String, Key)> = (unchanged.iter())
        .map(|n| (text_file(&n.text), Key(n.text_key)))
        .collect();
    let on_disk = put.out.keep_all(&asked);
    (unchanged.par_iter().zip(asked).zip(on_disk))
        .filter(|(_, kept)| !kept)
        .try_for_each(|((n, (rel, _)), _)| {
            // Gone from the output since the build began: from its record.
            let record = cached.store.get(Kind::SearchTerms, n.memo);
            match record.as_deref().and_then(super::memo::text) {
                Some((_, gz)) => put.put(rel, gz),
                None => Err(Unreadable(rel).into()),
            }
        })?;
    Ok(notes)
}

/// A file of the index the output does not have, and the cache cannot give
/// back either.
#[derive(Debug)]
struct Unreadable(String);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the build cache cannot give back `{}` of the last search index",
            self.0
        )
    }
}

impl std::error::Error for Unreadable {}

#[cfg(test)]
#[path = "resume_tests.rs"]
mod tests;
