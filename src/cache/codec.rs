//! The cache's binary encoding: little-endian integers, LEB128 varints and
//! length-prefixed bytes. Reading never panics: a truncated or garbled file gives `None`,
//! and the caller drops what it was reading.

/// Appends values to a byte buffer.
#[derive(Default)]
pub(crate) struct Enc(pub Vec<u8>);

impl Enc {
    pub(crate) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// LEB128: a small number in one byte (the search records hold
    /// thousands of them per note).
    pub(crate) fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    /// Bytes with a varint length in front.
    pub(crate) fn short_bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
}

/// Reads values back in the order [`Enc`] wrote them.
pub(crate) struct Dec<'a> {
    rest: &'a [u8],
}

impl<'a> Dec<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Dec<'a> {
        Dec { rest: bytes }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.rest.len() < n {
            return None;
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(head)
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    pub(crate) fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u64()?).ok()?;
        self.take(n)
    }

    pub(crate) fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    /// A count of items that follow, each at least `min` bytes long: refused
    /// when the rest cannot hold that many, so garbage never makes a huge
    /// allocation.
    pub(crate) fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.u64()?;
        self.fits(n, min)
    }

    /// `n` items of at least `min` bytes each, if the rest can hold them.
    fn fits(&self, n: u64, min: usize) -> Option<usize> {
        let n = usize::try_from(n).ok()?;
        (n.checked_mul(min.max(1))? <= self.rest.len()).then_some(n)
    }

    pub(crate) fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// What [`Enc::short_bytes`] wrote.
    pub(crate) fn short_bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.varint()?).ok()?;
        self.take(n)
    }

    /// [`Dec::count`] written as a varint.
    pub(crate) fn short_count(&mut self, min: usize) -> Option<usize> {
        let n = self.varint()?;
        self.fits(n, min)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_truncation() {
        let mut e = Enc::default();
        e.u8(7);
        e.u32(70_000);
        e.u64(u64::MAX - 1);
        e.str("笔记");
        e.u64(2);
        let bytes = e.0;
        let mut d = Dec::new(&bytes);
        assert_eq!(d.u8(), Some(7));
        assert_eq!(d.u32(), Some(70_000));
        assert_eq!(d.u64(), Some(u64::MAX - 1));
        assert_eq!(d.str(), Some("笔记"));
        assert_eq!(d.count(1), None, "2 items cannot fit in 0 bytes");
        for cut in 0..bytes.len() - 8 {
            let mut d = Dec::new(&bytes[..cut]);
            let all = (|| Some((d.u8()?, d.u32()?, d.u64()?, d.str()?.to_string())))();
            assert!(all.is_none(), "cut at {cut} must not read whole");
        }
    }
}
