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
    words: Vec<u8>,
    word_count: u64,
}

impl Writer {
    pub(super) fn cjk(&mut self, key: u64, low: u8) {
        self.cjk.push((key, low));
    }

    pub(super) fn word(&mut self, term: &str, low: u8) {
        self.words.push(low);
        varint(&mut self.words, term.len() as u64);
        self.words.extend_from_slice(term.as_bytes());
        self.word_count += 1;
    }

    /// The record, with the note's length and packed text.
    pub(super) fn finish(mut self, len: u32, (name, gz): (&str, &[u8])) -> Vec<u8> {
        self.cjk.sort_unstable();
        let mut out = Vec::with_capacity(16 + self.cjk.len() * 4 + self.words.len() + gz.len());
        out.push(VERSION);
        varint(&mut out, len as u64);
        varint(&mut out, self.cjk.len() as u64);
        let mut prev = 0;
        for (key, low) in self.cjk {
            varint(&mut out, key - prev);
            out.push(low);
            prev = key;
        }
        varint(&mut out, self.word_count);
        out.extend_from_slice(&self.words);
        varint(&mut out, name.len() as u64);
        out.extend_from_slice(name.as_bytes());
        varint(&mut out, gz.len() as u64);
        out.extend_from_slice(gz);
        out
    }
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn take(&mut self, n: u64) -> Option<&'a [u8]> {
        let n = usize::try_from(n).ok()?;
        if n > self.rest.len() {
            return None;
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(head)
    }

    /// A count of items of at least `min` bytes each, refused when the rest
    /// cannot hold them (garbage never sizes a huge buffer).
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = usize::try_from(self.varint()?).ok()?;
        (n.checked_mul(min)? <= self.rest.len()).then_some(n)
    }
}

/// Reads a record [`Writer::finish`] made; `None` if it is not one.
pub(super) fn decode(bytes: &[u8]) -> Option<NoteTerms<'_>> {
    let mut r = Reader { rest: bytes };
    if r.byte()? != VERSION {
        return None;
    }
    let len = u32::try_from(r.varint()?).ok()?;
    let n = r.count(2)?;
    let mut cjk = Vec::with_capacity(n);
    let mut key = 0u64;
    for _ in 0..n {
        key = key.checked_add(r.varint()?)?;
        cjk.push((key, r.byte()?));
    }
    let n = r.count(2)?;
    let mut words = Vec::with_capacity(n);
    for _ in 0..n {
        let low = r.byte()?;
        let size = r.varint()?;
        words.push((std::str::from_utf8(r.take(size)?).ok()?, low));
    }
    let size = r.varint()?;
    let name = std::str::from_utf8(r.take(size)?).ok()?;
    let size = r.varint()?;
    let gz = r.take(size)?;
    r.rest.is_empty().then_some(NoteTerms {
        len,
        cjk,
        words,
        name,
        gz,
    })
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
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut other = bytes.clone();
        other[0] = VERSION + 1;
        assert!(decode(&other).is_none());
        let mut longer = bytes;
        longer.push(0);
        assert!(decode(&longer).is_none());
    }
}
