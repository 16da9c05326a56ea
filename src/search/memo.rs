//! A note as the search collector indexed it (its length, its terms with
//! their tf bucket and flags, its packed text file), in a form the build
//! cache keeps: a later build adds an unchanged note from it instead of
//! tokenizing and compressing the note's text again. Tokenizing and packing
//! were nearly all of a warm build's time on 10k notes.
//!
//! Layout: a version byte; the length; the CJK terms as sorted code-point
//! keys (deltas) with their bucket and flags; the other terms as strings;
//! then the text file's name and gzip bytes. Decoding never panics: anything malformed is
//! `None`, and the caller indexes the note from its text.

use crate::cache::codec::{Dec, Enc};

/// Bumped whenever the layout or the meaning of a term changes.
const VERSION: u8 = 2;

/// What [`decode`] reads back.
pub(super) struct NoteTerms<'a> {
    pub(super) len: u32,
    /// `(code points as in [`super::part::Part`]'s CJK table, bucket and flags)`.
    pub(super) cjk: Vec<(u64, u8)>,
    pub(super) words: Vec<(&'a str, u8)>,
    /// The text file's name (the hash of `gz`, kept: hashing 10k files
    /// byte by byte showed in a warm build's profile) and bytes.
    pub(super) name: &'a str,
    pub(super) gz: &'a [u8],
}

/// Collects one note's terms as [`super::part::Part::commit`] hands them over.
#[derive(Default)]
pub(super) struct Writer {
    cjk: Vec<(u64, u8)>,
    words: Enc,
    word_count: u64,
}

impl Writer {
    pub(super) fn cjk(&mut self, key: u64, low: u8) {
        self.cjk.push((key, low));
    }

    pub(super) fn word(&mut self, term: &str, low: u8) {
        self.words.u8(low);
        self.words.short_bytes(term.as_bytes());
        self.word_count += 1;
    }

    /// The record, with the note's length and packed text.
    pub(super) fn finish(mut self, len: u32, (name, gz): (&str, &[u8])) -> Vec<u8> {
        self.cjk.sort_unstable();
        let size = 16 + self.cjk.len() * 4 + self.words.0.len() + gz.len();
        let mut out = Enc(Vec::with_capacity(size));
        out.u8(VERSION);
        out.varint(len as u64);
        out.varint(self.cjk.len() as u64);
        let mut prev = 0;
        for (key, low) in self.cjk {
            out.varint(key - prev);
            out.u8(low);
            prev = key;
        }
        out.varint(self.word_count);
        out.0.extend_from_slice(&self.words.0);
        out.short_bytes(name.as_bytes());
        out.short_bytes(gz);
        out.0
    }
}

/// Reads a record [`Writer::finish`] made; `None` if it is not one.
pub(super) fn decode(bytes: &[u8]) -> Option<NoteTerms<'_>> {
    let (mut cjk, mut words) = (Vec::new(), Vec::new());
    let (len, name, gz) = walk(
        bytes,
        |key, low| cjk.push((key, low)),
        |word, low| {
            words.push((std::str::from_utf8(word).ok()?, low));
            Some(())
        },
    )?;
    Some(NoteTerms {
        len,
        cjk,
        words,
        name,
        gz,
    })
}

/// A record's text file alone (name and gzip bytes), its terms skipped: a
/// build into a new output folder writes 10k text files from records.
pub(super) fn text(bytes: &[u8]) -> Option<(&str, &[u8])> {
    walk(bytes, |_, _| {}, |_, _| Some(())).map(|(_, name, gz)| (name, gz))
}

/// Goes through a record, handing each term over; returns the length and
/// the text file.
fn walk<'a>(
    bytes: &'a [u8],
    mut cjk: impl FnMut(u64, u8),
    mut word: impl FnMut(&'a [u8], u8) -> Option<()>,
) -> Option<(u32, &'a str, &'a [u8])> {
    let mut r = Dec::new(bytes);
    if r.u8()? != VERSION {
        return None;
    }
    let len = u32::try_from(r.varint()?).ok()?;
    let mut key = 0u64;
    for _ in 0..r.short_count(2)? {
        key = key.checked_add(r.varint()?)?;
        cjk(key, r.u8()?);
    }
    for _ in 0..r.short_count(2)? {
        let low = r.u8()?;
        word(r.short_bytes()?, low)?;
    }
    let name = std::str::from_utf8(r.short_bytes()?).ok()?;
    let gz = r.short_bytes()?;
    r.is_empty().then_some((len, name, gz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_and_a_damaged_one_does_not() {
        let mut w = Writer::default();
        w.cjk(('协' as u64) << 21 | '程' as u64, 5);
        w.cjk('协' as u64, 4);
        w.word("#c++", 1);
        w.word("gevent", 0);
        let bytes = w.finish(7, ("0123abcd", b"gzip bytes"));
        let t = decode(&bytes).unwrap();
        assert_eq!(t.len, 7);
        assert_eq!(
            t.cjk,
            [('协' as u64, 4), (('协' as u64) << 21 | '程' as u64, 5)]
        );
        assert_eq!(t.words, [("#c++", 1), ("gevent", 0)]);
        assert_eq!((t.name, t.gz), ("0123abcd", &b"gzip bytes"[..]));
        assert_eq!(text(&bytes), Some(("0123abcd", &b"gzip bytes"[..])));
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
            assert!(text(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut other = bytes.clone();
        other[0] = VERSION + 1;
        assert!(decode(&other).is_none());
        let mut longer = bytes;
        longer.push(0);
        assert!(decode(&longer).is_none());
    }
}
