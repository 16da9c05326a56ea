//! One thread's share of the search terms: its own term table and postings,
//! so the threads that index notes never wait for each other.

use super::postings::Postings;
use super::{for_each_token, Kind};
use std::collections::HashMap;

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

/// Symbols are indexed as `#c++`, `#node.js`: they sort before every word
/// (no word has a `#`), in shards of their own, so the shards a word's
/// prefix reads (`redis`) are not also those of `redis.py`, `redis-cli`...
/// (the `#` in `c#` is never first). Mirrored in `static/search.js`.
pub(crate) const SYM_MARK: char = '#';

/// Terms are short strings hashed millions of times per build: FxHash reads
/// them a word at a time (SipHash, the default, showed in profiles).
type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// The terms of the notes one thread indexed: its own term table, so threads
/// never wait for each other; [`super::write_index`] merges the parts by term text.
#[derive(Default)]
pub(super) struct Part {
    ids: FastMap<Box<str>, u32>,
    /// CJK characters and bigrams (most of the tokens of Chinese notes) by
    /// their code points, `first << 21 | second`: no string hashing or comparing.
    cjk_ids: FastMap<u64, u32>,
    pub(super) terms: Vec<Box<str>>,
    /// Per term: its postings, `(doc << 5) | (tf bucket << 2) | flags`, in
    /// arrival order, packed (see [`Postings`]).
    pub(super) postings: Postings,
    /// Per term, for the note being added: (tf, flags); reset after each note.
    counts: Vec<(u32, u8)>,
    /// Terms the note being added has (indexes into `counts`).
    touched: Vec<u32>,
}

impl Part {
    /// Counts the tokens of `text` for the note being added; returns how many
    /// tokens count towards the note's length.
    pub(super) fn count(&mut self, text: &str, flag: u8) -> u32 {
        let mut len = 0;
        let mut sym = String::new();
        for_each_token(text, |kind, t| {
            if matches!(kind, Kind::Word | Kind::Uni | Kind::Bi) {
                len += 1;
            }
            let t = if kind == Kind::Sym {
                sym.clear();
                sym.push(SYM_MARK);
                sym.push_str(t);
                sym.as_str()
            } else {
                t
            };
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
                self.postings.add_term();
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

    /// Turns the counts of the note just counted into postings of `doc`,
    /// listed in `added` (term, tf bucket and flags) if given.
    pub(super) fn commit(&mut self, doc: usize, mut added: Option<&mut Vec<(Box<str>, u8)>>) {
        for id in self.touched.drain(..) {
            let (tf, flags) = std::mem::take(&mut self.counts[id as usize]);
            let low = (tf_bucket(tf) << 2) as u8 | flags;
            self.postings.push(id, doc as u32, low);
            if let Some(added) = added.as_deref_mut() {
                added.push((self.terms[id as usize].clone(), low));
            }
        }
    }

    /// Drops `doc`'s postings; returns them (term, tf bucket and flags).
    pub(super) fn remove(&mut self, doc: usize) -> Vec<(Box<str>, u8)> {
        let mut dropped = Vec::new();
        let terms = &self.terms;
        self.postings.remove(doc, |id, low| {
            dropped.push((terms[id as usize].clone(), low))
        });
        dropped
    }
}
