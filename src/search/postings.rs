//! A term's postings as packed bytes, the bulk of what the search collector
//! holds while notes render.

/// One term's postings in arrival order, packed: each is a LEB128 varint of
/// `(zigzag(doc - previous doc) << 5) | tf bucket and flags`. Docs mostly
/// arrive in order, so a posting takes 1 to 2 bytes instead of 4: the
/// postings are most of a big site's index while notes render.
#[derive(Default)]
pub(crate) struct Postings {
    bytes: Vec<u8>,
    last: u32,
}

impl Postings {
    pub(super) fn push(&mut self, doc: u32, low: u8) {
        let gap = doc as i64 - self.last as i64;
        let zigzag = ((gap << 1) ^ (gap >> 63)) as u64;
        let mut v = (zigzag << 5) | low as u64;
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
        self.last = doc;
    }

    pub(super) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The postings as `(doc << 5) | tf bucket and flags`, in arrival order.
    pub(super) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let mut at = 0;
        let mut doc: i64 = 0;
        std::iter::from_fn(move || {
            let mut v: u64 = 0;
            let mut shift = 0;
            loop {
                let b = *self.bytes.get(at)?;
                at += 1;
                v |= ((b & 0x7f) as u64) << shift;
                if b < 0x80 {
                    break;
                }
                shift += 7;
            }
            let zigzag = v >> 5;
            doc += (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
            Some(((doc as u32) << 5) | (v & 31) as u32)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip_in_any_order() {
        let mut p = Postings::default();
        let docs = [5u32, 6, 7, 2, 1 << 26, 0, 9];
        for (k, &d) in docs.iter().enumerate() {
            p.push(d, k as u8 % 32);
        }
        let back: Vec<u32> = p.iter().collect();
        let want: Vec<u32> = docs
            .iter()
            .enumerate()
            .map(|(k, &d)| d << 5 | (k as u32 % 32))
            .collect();
        assert_eq!(back, want);
        // 2 + 1 + 1 + 2 + 5 + 5 + 2: a gap of one doc takes one byte.
        assert_eq!(p.bytes.len(), 18);
    }
}
