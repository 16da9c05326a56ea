//! The postings of one part of the search collector, packed: the bulk of what
//! a big site's build holds while its notes render.

/// Bytes per block of a list: a list wastes at most this much, and one with
/// a single posting (most terms of a note) costs no more than a `Vec` would.
const BLOCK: usize = 32;
/// Blocks per chunk of memory: chunks never move or grow, so a list that
/// grows copies nothing and leaves no freed gap behind (growing `Vec`s did,
/// and their spare capacity was a third of the postings' memory).
const PER_CHUNK: usize = 2048;
const NONE: u32 = u32::MAX;

/// One term's list: a chain of blocks, and the doc its last posting is for.
#[derive(Clone, Copy)]
struct List {
    head: u32,
    tail: u32,
    /// Bytes used in the tail block.
    used: u32,
    last: u32,
}

/// Every term's postings in arrival order. A posting is a LEB128 varint of
/// `(zigzag(doc - previous doc) << 5) | tf bucket and flags`: docs mostly
/// arrive in order, so it takes 1 to 2 bytes instead of a `u32`'s 4.
#[derive(Default)]
pub(crate) struct Postings {
    chunks: Vec<Box<[u8]>>,
    /// Per block: the next block of its list.
    next: Vec<u32>,
    /// Blocks of dropped lists, for reuse (`serve` re-adds changed notes).
    free: Vec<u32>,
    lists: Vec<List>,
}

impl Postings {
    /// Adds a term with no postings; its number is the count of terms before.
    pub(super) fn add_term(&mut self) {
        self.lists.push(List {
            head: NONE,
            tail: NONE,
            used: 0,
            last: 0,
        });
    }

    pub(super) fn push(&mut self, term: u32, doc: u32, low: u8) {
        let mut list = self.lists[term as usize];
        let gap = doc as i64 - list.last as i64;
        list.last = doc;
        let zigzag = ((gap << 1) ^ (gap >> 63)) as u64;
        let mut v = (zigzag << 5) | low as u64;
        loop {
            if list.head == NONE || list.used as usize == BLOCK {
                let block = self.new_block();
                if list.head == NONE {
                    list.head = block;
                } else {
                    self.next[list.tail as usize] = block;
                }
                (list.tail, list.used) = (block, 0);
            }
            let (chunk, at) = place(list.tail);
            let byte = if v >= 0x80 { v as u8 | 0x80 } else { v as u8 };
            self.chunks[chunk][at + list.used as usize] = byte;
            list.used += 1;
            v >>= 7;
            if byte < 0x80 {
                break;
            }
        }
        self.lists[term as usize] = list;
    }

    fn new_block(&mut self) -> u32 {
        if let Some(block) = self.free.pop() {
            self.next[block as usize] = NONE;
            return block;
        }
        let block = self.next.len();
        if block.is_multiple_of(PER_CHUNK) {
            self.chunks
                .push(vec![0; BLOCK * PER_CHUNK].into_boxed_slice());
        }
        self.next.push(NONE);
        block as u32
    }

    /// Heap bytes the lists hold, for `-v`.
    pub(super) fn heap_bytes(&self) -> usize {
        self.chunks.len() * BLOCK * PER_CHUNK
            + self.next.capacity() * 4
            + self.free.capacity() * 4
            + self.lists.capacity() * std::mem::size_of::<List>()
    }

    pub(super) fn is_empty(&self, term: u32) -> bool {
        self.lists[term as usize].head == NONE
    }

    /// Calls `f` with each of a term's postings, as [`Postings::iter`]
    /// yields them, a block at a time (the index writer reads every posting
    /// of the site, so this is its inner loop).
    pub(super) fn for_each(&self, term: u32, mut f: impl FnMut(u32)) {
        let mut d = Decoder::default();
        self.for_each_block(term, |bytes| d.feed(bytes, &mut f));
    }

    /// Calls `f` with each block of a term's list, in order: the list's
    /// bytes, as [`decode`] reads them.
    pub(super) fn for_each_block(&self, term: u32, mut f: impl FnMut(&[u8])) {
        let list = self.lists[term as usize];
        let mut block = list.head;
        while block != NONE {
            // The next block's number is read before this block's bytes:
            // blocks lie scattered, and the two cache misses then overlap
            // instead of following each other (they were most of the time
            // the index writer spent reading postings).
            let (next, end) = match block == list.tail {
                true => (NONE, list.used as usize),
                false => (self.next[block as usize], BLOCK),
            };
            let (chunk, start) = place(block);
            f(&self.chunks[chunk][start..start + end]);
            block = next;
        }
    }

    /// Empties every list and gives their memory back; a list's next
    /// posting starts a new sequence of gaps, so the bytes of a list taken
    /// before and after this decode apart (see [`super::spill`]).
    pub(super) fn clear(&mut self) {
        self.chunks = Vec::new();
        self.next = Vec::new();
        self.free = Vec::new();
        for list in &mut self.lists {
            *list = List {
                head: NONE,
                tail: NONE,
                used: 0,
                last: 0,
            };
        }
    }

    /// A term's postings as `(doc << 5) | tf bucket and flags`, in arrival
    /// order (through [`Postings::for_each`], which the index writer uses).
    #[cfg(test)]
    pub(super) fn iter(&self, term: u32) -> impl Iterator<Item = u32> + '_ {
        let mut all = Vec::new();
        self.for_each(term, |p| all.push(p));
        all.into_iter()
    }

    /// Drops the postings of `doc` from every list; calls `dropped` with
    /// each term that had one, and its tf bucket and flags.
    pub(super) fn remove(&mut self, doc: usize, mut dropped: impl FnMut(u32, u8)) {
        let mut kept = Vec::new();
        for term in 0..self.lists.len() as u32 {
            kept.clear();
            let mut hit = None;
            self.for_each(term, |p| match (p >> 5) as usize == doc {
                true => hit = Some(p),
                false => kept.push(p),
            });
            let Some(p) = hit else {
                continue;
            };
            dropped(term, (p & 31) as u8);
            let mut block = self.lists[term as usize].head;
            while block != NONE {
                self.free.push(block);
                block = self.next[block as usize];
            }
            self.lists[term as usize] = List {
                head: NONE,
                tail: NONE,
                used: 0,
                last: 0,
            };
            for &p in &kept {
                self.push(term, p >> 5, (p & 31) as u8);
            }
        }
    }
}

/// Calls `f` with each posting of a list's bytes (one sequence of gaps, as
/// [`Postings::for_each_block`] gives them, or a spilled run's).
pub(super) fn decode(bytes: &[u8], mut f: impl FnMut(u32)) {
    Decoder::default().feed(bytes, &mut f);
}

/// Reads postings from a list's bytes, which may come in pieces.
#[derive(Default)]
struct Decoder {
    doc: i64,
    v: u64,
    shift: u32,
}

impl Decoder {
    fn feed(&mut self, bytes: &[u8], f: &mut impl FnMut(u32)) {
        // In locals for the loop (the writer decodes every posting of the site).
        let (mut doc, mut v, mut shift) = (self.doc, self.v, self.shift);
        for &b in bytes {
            v |= ((b & 0x7f) as u64) << shift;
            if b >= 0x80 {
                shift += 7;
                continue;
            }
            let zigzag = v >> 5;
            doc += (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
            f(((doc as u32) << 5) | (v & 31) as u32);
            (v, shift) = (0, 0);
        }
        (self.doc, self.v, self.shift) = (doc, v, shift);
    }
}

/// The chunk of `block` and where the block starts in it.
fn place(block: u32) -> (usize, usize) {
    let b = block as usize;
    (b / PER_CHUNK, (b % PER_CHUNK) * BLOCK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip_in_any_order() {
        let mut p = Postings::default();
        p.add_term();
        p.add_term();
        let docs = [5u32, 6, 7, 2, 1 << 26, 0, 9];
        for (k, &d) in docs.iter().enumerate() {
            p.push(0, d, k as u8 % 32);
        }
        let want: Vec<u32> = docs
            .iter()
            .enumerate()
            .map(|(k, &d)| d << 5 | (k as u32 % 32))
            .collect();
        assert_eq!(p.iter(0).collect::<Vec<_>>(), want);
        let mut read = Vec::new();
        p.for_each(0, |x| read.push(x));
        assert_eq!(read, want);
        // 2 + 1 + 1 + 2 + 5 + 5 + 2 bytes: a gap of one doc takes one byte.
        let mut bytes = 0;
        p.for_each_block(0, |b| bytes += b.len());
        assert_eq!(bytes, 18);
        assert!(p.is_empty(1));
    }

    #[test]
    fn long_lists_span_blocks_and_removed_docs_free_them() {
        let mut p = Postings::default();
        for _ in 0..3 {
            p.add_term();
        }
        for doc in 0..1000u32 {
            p.push(doc % 3, doc, (doc % 32) as u8);
        }
        let list = |p: &Postings, t| p.iter(t).map(|x| x >> 5).collect::<Vec<u32>>();
        let mut read = Vec::new();
        p.for_each(1, |x| read.push(x >> 5));
        assert_eq!(read, list(&p, 1), "block by block, as one by one");
        assert_eq!(
            list(&p, 1),
            (0..1000).filter(|d| d % 3 == 1).collect::<Vec<_>>()
        );
        let blocks = p.next.len();
        p.remove(4, |_, _| {});
        assert_eq!(list(&p, 1).len(), 332);
        assert!(!list(&p, 1).contains(&4));
        assert_eq!(list(&p, 0).len(), 334, "other lists untouched");
        assert_eq!(p.next.len(), blocks, "the new list reuses the freed blocks");
    }
}
