//! What a build's search index was made from, kept in the build cache so
//! that the next build can write the index again from the notes that
//! changed alone (see [`super::resume`]): each note's record key, length
//! and text file, the impact basis, and each term shard as cut, with a
//! stored copy of its terms' postings as the collector had them.
//!
//! Without it a build after one edit replayed every note's record into a
//! fresh collector and made every term line again (0.8 s of a 1.4 s warm
//! build on 10k notes), only to find all but a few shards unchanged.
//!
//! Decoding never panics: anything malformed is `None`, and the index is
//! made from every note.

use super::cuts::Cut;
use crate::cache::codec::{Dec, Enc};
use crate::cache::Kind;

/// Bumped whenever the layout or the meaning of a field changes.
const VERSION: u8 = 1;

/// A note as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NoteState {
    /// The key of its search record (`build::body::memo_key`): the same
    /// key, the same terms.
    pub(crate) memo: u64,
    pub(super) len: u32,
    /// Its text file's name and the hash of its bytes (the output's key).
    pub(super) text: Box<str>,
    pub(super) text_key: u64,
}

/// The search index as a build wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct State {
    pub(super) basis: u64,
    pub(crate) notes: Vec<NoteState>,
    /// The term shards in order, by first term.
    pub(super) shards: Vec<(Box<str>, Cut)>,
}

impl State {
    /// Store keys of the shards' postings.
    pub(crate) fn blobs(&self) -> impl Iterator<Item = u64> + '_ {
        self.shards.iter().map(|(_, c)| c.blob)
    }

    /// What the store keeps of the shards (postings and files), to keep
    /// them from eviction.
    pub(crate) fn records(&self) -> impl Iterator<Item = (Kind, u64)> + '_ {
        self.shards.iter().flat_map(|(_, c)| c.records())
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut e = Enc(Vec::with_capacity(
            self.notes.len() * 32 + self.shards.len() * 48,
        ));
        e.u8(VERSION);
        e.u64(self.basis);
        e.varint(self.notes.len() as u64);
        for n in &self.notes {
            e.u64(n.memo);
            e.varint(n.len as u64);
            e.short_bytes(n.text.as_bytes());
            e.u64(n.text_key);
        }
        e.varint(self.shards.len() as u64);
        for (first, c) in &self.shards {
            e.short_bytes(first.as_bytes());
            e.short_bytes(c.last.as_bytes());
            e.varint(c.terms as u64);
            e.u8(c.full as u8);
            e.varint(c.postings as u64);
            e.short_bytes(c.name.as_bytes());
            e.u64(c.key);
            e.u64(c.blob);
        }
        e.0
    }

    pub(crate) fn decode(bytes: &[u8]) -> Option<State> {
        let mut d = Dec::new(bytes);
        if d.u8()? != VERSION {
            return None;
        }
        let basis = d.u64()?;
        let n = d.short_count(11)?;
        let mut notes = Vec::with_capacity(n);
        for _ in 0..n {
            notes.push(NoteState {
                memo: d.u64()?,
                len: u32::try_from(d.varint()?).ok()?,
                text: text(&mut d)?,
                text_key: d.u64()?,
            });
        }
        let n = d.short_count(21)?;
        let mut shards = Vec::with_capacity(n);
        for _ in 0..n {
            let first = text(&mut d)?;
            let cut = Cut {
                last: text(&mut d)?,
                terms: usize::try_from(d.varint()?).ok()?,
                full: d.u8()? != 0,
                postings: usize::try_from(d.varint()?).ok()?,
                name: text(&mut d)?.into(),
                key: d.u64()?,
                blob: d.u64()?,
            };
            shards.push((first, cut));
        }
        d.is_empty().then_some(State {
            basis,
            notes,
            shards,
        })
    }
}

fn text(d: &mut Dec) -> Option<Box<str>> {
    Some(std::str::from_utf8(d.short_bytes()?).ok()?.into())
}

/// Appends a term and its postings (sorted, `doc << 5 | tf bucket and
/// flags`) to a shard's stored copy.
pub(super) fn put_term(blob: &mut Enc, term: &str, postings: &[u32]) {
    blob.short_bytes(term.as_bytes());
    blob.varint(postings.len() as u64);
    let mut prev = 0;
    for &p in postings {
        let doc = p >> 5;
        blob.varint(((doc - prev) as u64) << 5 | (p & 31) as u64);
        prev = doc;
    }
}

/// A shard's terms and postings as [`put_term`] stored them; `None` if the
/// bytes are not such a copy (a posting out of order included).
pub(super) fn read_terms(bytes: &[u8]) -> Option<Vec<(Box<str>, Vec<u32>)>> {
    let mut d = Dec::new(bytes);
    let mut terms = Vec::new();
    while !d.is_empty() {
        let term = text(&mut d)?;
        let n = d.short_count(1)?;
        let mut list = Vec::with_capacity(n);
        let mut doc = 0u64;
        for k in 0..n {
            let v = d.varint()?;
            let gap = v >> 5;
            if k > 0 && gap == 0 {
                return None;
            }
            doc = doc.checked_add(gap).filter(|&d| d < 1 << 27)?;
            list.push((doc as u32) << 5 | (v & 31) as u32);
        }
        terms.push((term, list));
    }
    Some(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State {
            basis: 7 << 32 | 40,
            notes: vec![
                NoteState {
                    memo: 11,
                    len: 300,
                    text: "0123456789ab".into(),
                    text_key: 99,
                },
                NoteState {
                    memo: 12,
                    len: 0,
                    text: "ba9876543210".into(),
                    text_key: 98,
                },
            ],
            shards: vec![(
                "#c++".into(),
                Cut {
                    terms: 3,
                    last: "进程".into(),
                    full: true,
                    postings: 20,
                    name: "abc".into(),
                    key: 5,
                    blob: 6,
                },
            )],
        }
    }

    #[test]
    fn a_state_reads_back_and_a_damaged_one_does_not() {
        let s = state();
        let bytes = s.encode();
        assert_eq!(State::decode(&bytes), Some(s));
        for cut in 0..bytes.len() {
            assert!(State::decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut other = bytes.clone();
        other[0] = VERSION + 1;
        assert!(State::decode(&other).is_none());
    }

    #[test]
    fn stored_postings_read_back_in_order() {
        let mut blob = Enc::default();
        put_term(&mut blob, "协程", &[3 << 5 | 9, 40 << 5, 41 << 5 | 31]);
        put_term(&mut blob, "gevent", &[1]);
        let terms = read_terms(&blob.0).unwrap();
        assert_eq!(
            terms,
            [
                ("协程".into(), vec![3 << 5 | 9, 40 << 5, 41 << 5 | 31]),
                ("gevent".into(), vec![1]),
            ]
        );
        // A repeated doc is no list the writer made.
        let mut bad = Enc::default();
        put_term(&mut bad, "x", &[2 << 5, 2 << 5]);
        assert!(read_terms(&bad.0).is_none());
        assert!(read_terms(&blob.0[..blob.0.len() - 1]).is_none());
    }
}
