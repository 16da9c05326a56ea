//! One thread's share of the search terms: its own term table and postings,
//! so the threads that index notes never wait for each other.

use super::memo::{NoteTerms, Writer};
use super::postings::Postings;
use super::token::for_each_token;
use super::Kind;
use std::collections::hash_map::Entry;
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
/// (the `#` in `c#` is never first). Mirrored in `static/search/2-index.js`.
pub(crate) const SYM_MARK: char = '#';

/// `t`'s bytes as a number, for a word of 1 to 8 bytes without a NUL (a
/// tokenizer's word never has one, so zero padding cannot make two words one).
fn short_key(t: &str) -> Option<u64> {
    let b = t.as_bytes();
    if b.is_empty() || b.len() > 8 || b.contains(&0) {
        return None;
    }
    let mut k = [0u8; 8];
    k[..b.len()].copy_from_slice(b);
    Some(u64::from_le_bytes(k))
}

/// The code points of [`Part::unified`]: U+4E00, and how many from there.
const UNIFIED: (u64, u64) = (0x4E00, 0xA000 - 0x4E00);
const NO_ID: u32 = u32::MAX;

/// Where [`Part::unified`] holds the CJK term `key`, if it is a single
/// character of the block.
fn unified_slot(key: u64) -> Option<usize> {
    key.checked_sub(UNIFIED.0)
        .filter(|&k| k < UNIFIED.1)
        .map(|k| k as usize)
}

/// Terms are short strings hashed millions of times per build: FxHash reads
/// them a word at a time (SipHash, the default, showed in profiles).
type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// The terms of the notes one thread indexed: its own term table, so threads
/// never wait for each other; [`super::write_index`] merges the parts by term text.
#[derive(Default)]
pub(super) struct Part {
    /// Words of up to 8 bytes (most of them) by their bytes as a number
    /// ([`short_key`]): no string hashing, no pointer to follow to compare.
    short_ids: FastMap<u64, u32>,
    /// Longer words.
    ids: FastMap<Box<str>, u32>,
    /// CJK characters and bigrams (most of the tokens of Chinese notes) by
    /// their code points, `first << 21 | second`: no string hashing or comparing.
    cjk_ids: FastMap<u64, u32>,
    /// The single characters of CJK Unified Ideographs (half of a Chinese
    /// note's tokens) by code point, [`UNIFIED`]: a lookup in 84 KB that
    /// stays in cache instead of in the hash table of every bigram. Empty
    /// until the first one.
    unified: Vec<u32>,
    pub(super) terms: Vec<Box<str>>,
    /// Per term: its key in `cjk_ids`, or 0 for any other term.
    cjk_keys: Vec<u64>,
    /// Per term: its postings, `(doc << 5) | (tf bucket << 2) | flags`, in
    /// arrival order, packed (see [`Postings`]).
    pub(super) postings: Postings,
    /// Per term, for the note being added: (tf, flags); reset after each note.
    counts: Vec<(u32, u8)>,
    /// Terms the note being added has (indexes into `counts`).
    touched: Vec<u32>,
    /// Postings moved to disk (see [`super::spill`]), oldest first.
    pub(super) runs: Vec<super::spill::Run>,
    /// Per term: some of its postings are in `runs`.
    pub(super) in_runs: Vec<bool>,
}

impl Part {
    /// Counts the tokens of `text` for the note being added; returns how many
    /// tokens count towards the note's length.
    pub(super) fn count(&mut self, text: &str, flag: u8) -> u32 {
        let mut len = 0;
        let mut sym = String::new();
        for_each_token(text, |kind, t, key| {
            if matches!(kind, Kind::Word | Kind::Uni | Kind::Bi) {
                len += 1;
            }
            let id = match kind {
                Kind::Uni | Kind::Bi => self.cjk_id(key),
                Kind::Sym => {
                    sym.clear();
                    sym.push(SYM_MARK);
                    sym.push_str(t);
                    self.word_id(&sym)
                }
                _ => self.word_id(t),
            };
            let c = &mut self.counts[id as usize];
            if c.0 == 0 {
                self.touched.push(id);
            }
            c.0 += 1;
            c.1 |= flag;
        });
        len
    }

    /// The number of a CJK term (`first << 21 | second` code points), added if new.
    #[inline]
    fn cjk_id(&mut self, key: u64) -> u32 {
        if let Some(slot) = unified_slot(key) {
            if self.unified.is_empty() {
                self.unified = vec![NO_ID; UNIFIED.1 as usize];
            }
            return match self.unified[slot] {
                NO_ID => self.add_cjk(key),
                id => id,
            };
        }
        match self.cjk_ids.get(&key) {
            Some(&id) => id,
            None => self.add_cjk(key),
        }
    }

    #[cold]
    fn add_cjk(&mut self, key: u64) -> u32 {
        let next = self.terms.len() as u32;
        match unified_slot(key) {
            Some(slot) => self.unified[slot] = next,
            None => _ = self.cjk_ids.insert(key, next),
        }
        let text: String = [(key >> 21) as u32, (key & 0x1f_ffff) as u32]
            .into_iter()
            .filter(|&c| c != 0)
            .filter_map(char::from_u32)
            .collect();
        self.add_term(text.into(), key);
        next
    }

    /// The number of any other term, added if new.
    fn word_id(&mut self, t: &str) -> u32 {
        let next = self.terms.len() as u32;
        if let Some(key) = short_key(t) {
            match self.short_ids.entry(key) {
                Entry::Occupied(e) => return *e.get(),
                Entry::Vacant(e) => e.insert(next),
            };
        } else {
            if let Some(&id) = self.ids.get(t) {
                return id;
            }
            self.ids.insert(t.into(), next);
        }
        self.add_term(t.into(), 0);
        next
    }

    fn add_term(&mut self, text: Box<str>, cjk_key: u64) {
        self.terms.push(text);
        self.cjk_keys.push(cjk_key);
        self.postings.add_term();
        self.counts.push((0, 0));
        self.in_runs.push(false);
    }

    /// Turns the counts of the note just counted into postings of `doc`,
    /// listed in `added` (term, tf bucket and flags) and in `memo` if given.
    pub(super) fn commit(
        &mut self,
        doc: usize,
        mut added: Option<&mut Vec<(Box<str>, u8)>>,
        mut memo: Option<&mut Writer>,
    ) {
        for id in self.touched.drain(..) {
            let (tf, flags) = std::mem::take(&mut self.counts[id as usize]);
            let low = (tf_bucket(tf) << 2) as u8 | flags;
            self.postings.push(id, doc as u32, low);
            if let Some(added) = added.as_deref_mut() {
                added.push((self.terms[id as usize].clone(), low));
            }
            if let Some(m) = memo.as_deref_mut() {
                match self.cjk_keys[id as usize] {
                    0 => m.word(&self.terms[id as usize], low),
                    key => m.cjk(key, low),
                }
            }
        }
    }

    /// Adds `doc`'s postings as a [`super::memo`] record lists them.
    pub(super) fn replay(
        &mut self,
        doc: usize,
        t: &NoteTerms,
        mut added: Option<&mut Vec<(Box<str>, u8)>>,
    ) {
        let cjk = t.cjk.iter().map(|&(key, low)| (Some(key), "", low));
        let words = t.words.iter().map(|&(w, low)| (None, w, low));
        for (key, word, low) in cjk.chain(words) {
            let id = match key {
                Some(key) => self.cjk_id(key),
                None => self.word_id(word),
            };
            self.postings.push(id, doc as u32, low);
            if let Some(added) = added.as_deref_mut() {
                added.push((self.terms[id as usize].clone(), low));
            }
        }
    }

    /// No note has a posting of term `id` (any more).
    pub(super) fn is_empty(&self, id: u32) -> bool {
        self.postings.is_empty(id) && !self.in_runs[id as usize]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_tell_words_apart() {
        let words = ["a", "ab", "ba", "abcdefgh", "#c++", "进程", "x1", "1x"];
        let keys: Vec<_> = words.iter().map(|w| short_key(w)).collect();
        assert!(keys.iter().all(Option::is_some));
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(keys.iter().filter(|o| *o == k).count(), 1, "{}", words[i]);
        }
        assert_eq!(short_key("abcdefghi"), None);
        assert_eq!(short_key(""), None);
        assert_eq!(short_key("a\0"), None);
    }

    #[test]
    fn a_term_has_one_id_whichever_table_holds_it() {
        let mut part = Part::default();
        let words = ["nginx", "configuration", "#c++", "a"];
        let first: Vec<u32> = words.iter().map(|w| part.word_id(w)).collect();
        let again: Vec<u32> = words.iter().map(|w| part.word_id(w)).collect();
        assert_eq!(first, again);
        let keys = [0x4E00, 0x9FFF, 0x3400, (0x8FDB << 21) | 0x7A0B];
        let first: Vec<u32> = keys.iter().map(|&k| part.cjk_id(k)).collect();
        let again: Vec<u32> = keys.iter().map(|&k| part.cjk_id(k)).collect();
        assert_eq!(first, again);
        assert_eq!(&*part.terms[first[0] as usize], "一");
        assert_eq!(&*part.terms[first[1] as usize], "\u{9FFF}");
        assert_eq!(&*part.terms[first[3] as usize], "进程");
        assert_eq!(part.terms.len(), 8);
    }
}
