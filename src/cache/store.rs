//! Blobs by key in one append-only pack file, with an index beside it,
//! each compressed with LZ4.
//!
//! Every record carries its own kind, key, length and checksum, so a record
//! read from a garbled or truncated pack is refused instead of used: a bad
//! cache costs a re-render, never a wrong page. The index is replaced
//! atomically when the store closes; a build killed before that leaves bytes
//! past the indexed end, which the next open cuts off.

use super::codec::{Dec, Enc};
use super::file_at::{read_at, write_at};
use anyhow::{Context, Result};
use rustc_hash::{FxHashMap, FxHashSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use xxhash_rust::xxh3::xxh3_64;

/// What a record holds; part of its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// A note's rendered body.
    BodyHtml = 1,
    // 2 held a note's visible text, which its search record now covers.
    /// A note's first pass (front matter, headings, links).
    NoteMeta = 3,
    /// A note as the search index took it (terms, length, text file), by
    /// its body and title.
    SearchTerms = 4,
    /// The search index as a build wrote it (`search::state`), by the
    /// index's key.
    SearchState = 5,
    /// One term shard's terms with their postings, by a hash of the bytes.
    SearchShard = 6,
    /// One term shard's file as written (gzip), by the hash of its text
    /// (the output's key for it).
    SearchShardFile = 7,
}

type Id = (u8, u64);

const PACK_MAGIC: &[u8; 8] = b"bijipack";
const INDEX_MAGIC: &[u8; 8] = b"bijiindx";
const RECORD_MAGIC: u32 = 0x7265_636f;
/// Magic, kind, key, length, checksum.
const RECORD_HEAD: usize = 4 + 1 + 8 + 4 + 8;
/// A record not used by this many builds in a row is dropped.
pub(crate) const KEEP_BUILDS: u32 = 8;
/// Records larger than this are not stored (a body is far smaller).
const MAX_RECORD: usize = 256 << 20;

#[derive(Debug, Clone, Copy)]
struct Loc {
    off: u64,
    len: u32,
    /// The build that last used it.
    gen: u32,
}

struct Appender {
    file: Option<File>,
    end: u64,
    added: FxHashMap<Id, Loc>,
}

/// An open store; closing it with [`Store::close`] keeps what was added.
pub(crate) struct Store {
    pack: PathBuf,
    index_path: PathBuf,
    reader: Option<File>,
    pack_id: u64,
    fingerprint: u64,
    index: FxHashMap<Id, Loc>,
    gen: u32,
    used: Mutex<FxHashSet<Id>>,
    appender: Mutex<Appender>,
    /// A record failed its check (reported once).
    bad: AtomicBool,
}

/// What [`Store::open`] found, for the one notice the user gets.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Found {
    Usable,
    Missing,
    /// Made by another biji binary.
    OtherVersion,
    Corrupt,
}

impl Store {
    /// Opens the store in `dir` for a binary with `fingerprint`; anything
    /// unusable is discarded and the store starts empty.
    pub(crate) fn open(dir: &Path, fingerprint: u64) -> Result<(Store, Found)> {
        let pack = dir.join("store.pack");
        let index_path = dir.join("store.index");
        let mut s = Store {
            pack,
            index_path,
            reader: None,
            pack_id: 0,
            fingerprint,
            index: FxHashMap::default(),
            gen: 0,
            used: Mutex::new(FxHashSet::default()),
            appender: Mutex::new(Appender {
                file: None,
                end: 0,
                added: FxHashMap::default(),
            }),
            bad: AtomicBool::new(false),
        };
        let found = match std::fs::read(&s.index_path) {
            Err(_) => Found::Missing,
            Ok(bytes) => s.load(&bytes),
        };
        if found != Found::Usable {
            s.index.clear();
            s.start_pack()?;
        }
        Ok((s, found))
    }

    /// Reads the index and checks the pack it describes.
    fn load(&mut self, bytes: &[u8]) -> Found {
        let mut d = Dec::new(bytes);
        let Some((magic, fp)) = (|| Some((d.bytes()?, d.u64()?)))() else {
            return Found::Corrupt;
        };
        if magic != INDEX_MAGIC {
            return Found::Corrupt;
        }
        if fp != self.fingerprint {
            return Found::OtherVersion;
        }
        let Some((pack_id, pack_len, gen)) = (|| Some((d.u64()?, d.u64()?, d.u32()?)))() else {
            return Found::Corrupt;
        };
        let Some(n) = d.count(25) else {
            return Found::Corrupt;
        };
        let mut index = FxHashMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let Some((id, loc)) = (|| {
                let id = (d.u8()?, d.u64()?);
                let loc = Loc {
                    off: d.u64()?,
                    len: d.u32()?,
                    gen: d.u32()?,
                };
                Some((id, loc))
            })() else {
                return Found::Corrupt;
            };
            if loc.off + RECORD_HEAD as u64 + loc.len as u64 > pack_len {
                return Found::Corrupt;
            }
            index.insert(id, loc);
        }
        if !d.is_empty() || self.open_pack(pack_id, pack_len).is_none() {
            return Found::Corrupt;
        }
        self.index = index;
        self.pack_id = pack_id;
        self.gen = gen.wrapping_add(1);
        Found::Usable
    }

    /// Opens the pack for reading and appending at `len` (cutting off what a
    /// killed build appended after the index was written).
    fn open_pack(&mut self, id: u64, len: u64) -> Option<()> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&self.pack)
            .ok()?;
        let mut head = [0u8; 16];
        read_at(&file, 0, &mut head).ok()?;
        if &head[..8] != PACK_MAGIC || u64::from_le_bytes(head[8..].try_into().ok()?) != id {
            return None;
        }
        if file.metadata().ok()?.len() < len {
            return None;
        }
        file.set_len(len).ok()?;
        let appender = self.appender.get_mut().unwrap_or_else(|e| e.into_inner());
        appender.file = Some(file.try_clone().ok()?);
        appender.end = len;
        self.reader = Some(file);
        Some(())
    }

    /// A new, empty pack with a fresh id (an old index can never match it).
    fn start_pack(&mut self) -> Result<()> {
        let id =
            xxh3_64(format!("{:?}{}", std::time::SystemTime::now(), std::process::id()).as_bytes());
        let mut head = PACK_MAGIC.to_vec();
        head.extend_from_slice(&id.to_le_bytes());
        std::fs::write(&self.pack, &head)
            .with_context(|| format!("cannot write `{}`", self.pack.display()))?;
        self.pack_id = id;
        if self.open_pack(id, head.len() as u64).is_none() {
            anyhow::bail!("cannot open `{}`", self.pack.display());
        }
        Ok(())
    }

    /// The record `(kind, key)`, if stored and intact.
    pub(crate) fn get(&self, kind: Kind, key: u64) -> Option<Vec<u8>> {
        let id = (kind as u8, key);
        let loc = self.index.get(&id).copied().or_else(|| {
            let a = self.appender.lock().unwrap_or_else(|e| e.into_inner());
            a.added.get(&id).copied()
        })?;
        let file = self.reader.as_ref()?;
        let mut buf = vec![0u8; RECORD_HEAD + loc.len as usize];
        let ok = read_at(file, loc.off, &mut buf).is_ok() && check(&buf, id);
        if !ok {
            if !self.bad.swap(true, Ordering::Relaxed) {
                log::warn!(
                    "the build cache `{}` is damaged; the parts affected are rendered again",
                    self.pack.display()
                );
            }
            return None;
        }
        self.touch(kind, key);
        let packed = &buf[RECORD_HEAD..];
        // The size lz4 prepends, checked before it sizes a buffer.
        let size = u32::from_le_bytes(packed.get(..4)?.try_into().ok()?) as usize;
        if size > MAX_RECORD {
            return None;
        }
        lz4_flex::decompress_size_prepended(packed).ok()
    }

    /// Whether `(kind, key)` is stored (then kept from eviction), so that a
    /// record made again need not be added twice.
    pub(crate) fn has(&self, kind: Kind, key: u64) -> bool {
        let id = (kind as u8, key);
        let found = self.index.contains_key(&id) || {
            let a = self.appender.lock().unwrap_or_else(|e| e.into_inner());
            a.added.contains_key(&id)
        };
        if found {
            self.touch(kind, key);
        }
        found
    }

    /// Keeps `(kind, key)` from eviction without reading it.
    pub(crate) fn touch(&self, kind: Kind, key: u64) {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((kind as u8, key));
    }

    /// Adds a record. Failing to store is no build error: logged, then ignored.
    pub(crate) fn put(&self, kind: Kind, key: u64, bytes: &[u8]) {
        if bytes.len() > MAX_RECORD {
            return;
        }
        let bytes = &lz4_flex::compress_prepend_size(bytes)[..];
        let id = (kind as u8, key);
        let mut rec = Vec::with_capacity(RECORD_HEAD + bytes.len());
        rec.extend_from_slice(&RECORD_MAGIC.to_le_bytes());
        rec.push(id.0);
        rec.extend_from_slice(&key.to_le_bytes());
        rec.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        rec.extend_from_slice(&xxh3_64(bytes).to_le_bytes());
        rec.extend_from_slice(bytes);
        let mut a = self.appender.lock().unwrap_or_else(|e| e.into_inner());
        let off = a.end;
        let Some(file) = a.file.as_mut() else { return };
        if let Err(e) = write_at(file, off, &rec) {
            log::warn!("cannot add to the build cache: {e}");
            a.file = None;
            return;
        }
        a.end += rec.len() as u64;
        let loc = Loc {
            off,
            len: bytes.len() as u32,
            gen: self.gen,
        };
        a.added.insert(id, loc);
    }

    /// Writes the index: what was added, and, after a `whole` build (one
    /// that touched every record it needs), what one of the last
    /// [`KEEP_BUILDS`] builds used; the rest is evicted, and when evicted
    /// records fill over half the pack it is rewritten with the live ones.
    /// After a partial one (`serve`'s rebuild of a few notes) nothing ages:
    /// an evening of edits must not evict the bodies of every other note.
    pub(crate) fn close(mut self, whole: bool) -> Result<u64> {
        let used = std::mem::take(self.used.get_mut().unwrap_or_else(|e| e.into_inner()));
        let a = self.appender.get_mut().unwrap_or_else(|e| e.into_inner());
        let added = std::mem::take(&mut a.added);
        let end = a.end;
        a.file = None;
        let gen = self.gen;
        let mut map: FxHashMap<Id, Loc> = std::mem::take(&mut self.index)
            .into_iter()
            .filter_map(|(id, mut loc)| {
                if used.contains(&id) {
                    loc.gen = gen;
                }
                (!whole || gen.wrapping_sub(loc.gen) < KEEP_BUILDS).then_some((id, loc))
            })
            .collect();
        map.extend(added);
        let mut live: Vec<(Id, Loc)> = map.into_iter().collect();
        live.sort_by_key(|(_, l)| l.off);
        let live_bytes: u64 = live
            .iter()
            .map(|(_, l)| (RECORD_HEAD as u64) + l.len as u64)
            .sum();
        let (pack_id, pack_len) = if end > 2 * live_bytes + (1 << 20) {
            self.compact(&mut live)?
        } else {
            (self.pack_id, end)
        };
        // The next open counts one more build only after a whole one.
        let next = if whole { gen } else { gen.wrapping_sub(1) };
        self.write_index(pack_id, pack_len, next, &live)?;
        Ok(pack_len)
    }

    /// Copies the live records into a new pack, in place of the old one.
    fn compact(&mut self, live: &mut [(Id, Loc)]) -> Result<(u64, u64)> {
        let reader = self.reader.take().context("the build cache is not open")?;
        let tmp = self.pack.with_extension("pack.new");
        let id = xxh3_64(
            format!(
                "{:?}compact{}",
                std::time::SystemTime::now(),
                std::process::id()
            )
            .as_bytes(),
        );
        let mut out = std::io::BufWriter::new(
            File::create(&tmp).with_context(|| format!("cannot write `{}`", tmp.display()))?,
        );
        out.write_all(PACK_MAGIC)?;
        out.write_all(&id.to_le_bytes())?;
        let mut end = 16u64;
        let mut buf = Vec::new();
        for (_, loc) in live.iter_mut() {
            buf.resize(RECORD_HEAD + loc.len as usize, 0);
            read_at(&reader, loc.off, &mut buf)?;
            out.write_all(&buf)?;
            loc.off = end;
            end += buf.len() as u64;
        }
        out.flush()?;
        drop(out);
        drop(reader);
        std::fs::rename(&tmp, &self.pack)
            .with_context(|| format!("cannot replace `{}`", self.pack.display()))?;
        log::debug!("build cache compacted to {end} bytes");
        Ok((id, end))
    }

    fn write_index(&self, pack_id: u64, pack_len: u64, gen: u32, live: &[(Id, Loc)]) -> Result<()> {
        let mut e = Enc::default();
        e.bytes(INDEX_MAGIC);
        e.u64(self.fingerprint);
        e.u64(pack_id);
        e.u64(pack_len);
        e.u32(gen);
        e.u64(live.len() as u64);
        for ((kind, key), loc) in live {
            e.u8(*kind);
            e.u64(*key);
            e.u64(loc.off);
            e.u32(loc.len);
            e.u32(loc.gen);
        }
        super::write_atomic(&self.index_path, &e.0)
    }
}

/// Whether `buf` is the intact record `id`.
fn check(buf: &[u8], id: Id) -> bool {
    let field = |a: usize, b: usize| &buf[a..b];
    buf.len() >= RECORD_HEAD
        && field(0, 4) == RECORD_MAGIC.to_le_bytes()
        && buf[4] == id.0
        && field(5, 13) == id.1.to_le_bytes()
        && field(13, 17) == ((buf.len() - RECORD_HEAD) as u32).to_le_bytes()
        && field(17, 25) == xxh3_64(&buf[RECORD_HEAD..]).to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &Path) -> Store {
        Store::open(dir, 42).unwrap().0
    }

    #[test]
    fn records_survive_until_unused_for_keep_builds_then_the_pack_shrinks() {
        let d = tempfile::tempdir().unwrap();
        let s = open(d.path());
        // Incompressible, so the pack really holds 2 MiB of it.
        let big: Vec<u8> = (0..2u64 << 18)
            .flat_map(|i| xxh3_64(&i.to_le_bytes()).to_le_bytes())
            .collect();
        s.put(Kind::BodyHtml, 1, &big);
        s.put(Kind::BodyHtml, 2, b"kept");
        s.close(true).unwrap();
        for _ in 0..KEEP_BUILDS + 1 {
            let s = open(d.path());
            assert_eq!(s.get(Kind::BodyHtml, 2).as_deref(), Some(&b"kept"[..]));
            s.close(true).unwrap();
        }
        let s = open(d.path());
        assert!(
            s.get(Kind::BodyHtml, 1).is_none(),
            "unused for {KEEP_BUILDS} builds"
        );
        assert!(
            s.get(Kind::SearchTerms, 2).is_none(),
            "the kind is part of the key"
        );
        s.close(true).unwrap();
        let len = std::fs::metadata(d.path().join("store.pack"))
            .unwrap()
            .len();
        assert!(len < 1 << 20, "compacted: {len} bytes");
        assert_eq!(
            open(d.path()).get(Kind::BodyHtml, 2).as_deref(),
            Some(&b"kept"[..])
        );
    }

    #[test]
    fn partial_uses_age_nothing() {
        let d = tempfile::tempdir().unwrap();
        let s = open(d.path());
        s.put(Kind::BodyHtml, 1, b"one");
        s.close(true).unwrap();
        for i in 0..3 * KEEP_BUILDS as u64 {
            let s = open(d.path());
            s.put(Kind::BodyHtml, 100 + i, b"edit");
            s.close(false).unwrap();
        }
        let s = open(d.path());
        assert_eq!(s.get(Kind::BodyHtml, 1).as_deref(), Some(&b"one"[..]));
        s.close(true).unwrap();
    }

    #[test]
    fn another_binary_or_a_killed_build_leaves_nothing_wrong() {
        let d = tempfile::tempdir().unwrap();
        let s = open(d.path());
        s.put(Kind::NoteMeta, 5, b"five");
        s.close(true).unwrap();
        // A build killed after appending: its bytes are past the indexed end.
        let s = open(d.path());
        s.put(Kind::NoteMeta, 6, b"six");
        drop(s);
        let s = open(d.path());
        assert!(s.get(Kind::NoteMeta, 6).is_none());
        assert_eq!(s.get(Kind::NoteMeta, 5).as_deref(), Some(&b"five"[..]));
        drop(s);
        let (s, found) = Store::open(d.path(), 43).unwrap();
        assert_eq!(found, Found::OtherVersion);
        assert!(s.get(Kind::NoteMeta, 5).is_none());
    }
}
