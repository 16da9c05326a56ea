//! What biji last wrote into an output folder: each file's key, content
//! hash, size and modification time. A later build keeps a file whose key is
//! unchanged, after checking that the file on disk is still the one it
//! wrote (same size and time), so an output touched by hand is repaired.

use super::codec::{Dec, Enc};
use anyhow::Result;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;
use std::time::UNIX_EPOCH;

const MAGIC: &[u8; 8] = b"bijioutp";

/// One file as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The page's dependency key, or what a copied file was copied from.
    pub key: u64,
    /// XXH3 of the bytes (0 for copies, which are not read).
    pub content: u64,
    pub size: u64,
    /// Modification time in nanoseconds since 1970.
    pub mtime: u64,
}

impl Entry {
    /// Whether `path` is still the file this entry describes.
    pub(crate) fn intact(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path)
            .ok()
            .and_then(|m| m.is_file().then(|| (m.len(), mtime_of(&m))))
            == Some((self.size, self.mtime))
    }
}

/// A file's modification time in nanoseconds (0 when the system has none).
pub(crate) fn mtime_of(m: &std::fs::Metadata) -> u64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// The files of one output folder.
#[derive(Debug, Default, Clone)]
pub(crate) struct Manifest {
    pub files: FxHashMap<String, Entry>,
    /// Keys of groups of files made together (the search index): the group
    /// is kept whole or written whole.
    pub groups: FxHashMap<String, u64>,
    /// The time of the folder's `.biji-output` when the build finished
    /// (each build rewrites it): a folder whose marker has another time was
    /// written since by a build this manifest does not know (an older copy
    /// of the cache restored, `--no-cache`), and nothing in it is trusted.
    pub marker: u64,
}

/// The time of `output`'s marker file (see [`Manifest::marker`]), if it has one.
pub(crate) fn marker_time(output: &Path) -> Option<u64> {
    let m = std::fs::symlink_metadata(output.join(crate::output::MARKER)).ok()?;
    m.is_file().then(|| mtime_of(&m))
}

impl Manifest {
    pub(crate) fn encode(&self, fingerprint: u64, output: &str) -> Vec<u8> {
        let mut e = Enc::default();
        e.bytes(MAGIC);
        e.u64(fingerprint);
        e.str(output);
        e.u64(self.marker);
        e.u64(self.groups.len() as u64);
        for (name, key) in &self.groups {
            e.str(name);
            e.u64(*key);
        }
        e.u64(self.files.len() as u64);
        for (rel, f) in &self.files {
            e.str(rel);
            e.u64(f.key);
            e.u64(f.content);
            e.u64(f.size);
            e.u64(f.mtime);
        }
        e.0
    }

    /// The manifest in `bytes`, if it was written by this binary for `output`.
    pub(crate) fn decode(bytes: &[u8], fingerprint: u64, output: &str) -> Option<Manifest> {
        let mut d = Dec::new(bytes);
        if d.bytes()? != MAGIC || d.u64()? != fingerprint || d.str()? != output {
            return None;
        }
        let mut m = Manifest {
            marker: d.u64()?,
            ..Manifest::default()
        };
        for _ in 0..d.count(16)? {
            let name = d.str()?.to_string();
            m.groups.insert(name, d.u64()?);
        }
        let n = d.count(40)?;
        m.files.reserve(n);
        for _ in 0..n {
            let rel = d.str()?.to_string();
            let f = Entry {
                key: d.u64()?,
                content: d.u64()?,
                size: d.u64()?,
                mtime: d.u64()?,
            };
            m.files.insert(rel, f);
        }
        d.is_empty().then_some(m)
    }
}

impl Manifest {
    /// Takes in a file `serve` changed in place (`None`: removed): its key
    /// (`key`, or its content hash for a file that is no page), content hash,
    /// size and time as it now is on disk.
    pub(crate) fn update(
        &mut self,
        root: &Path,
        rel: &str,
        key: Option<u64>,
        content: Option<u64>,
    ) {
        let meta = std::fs::symlink_metadata(root.join(rel)).ok();
        match (meta, content) {
            (Some(m), Some(content)) if m.is_file() => {
                let e = Entry {
                    key: key.unwrap_or(content),
                    content,
                    size: m.len(),
                    mtime: mtime_of(&m),
                };
                self.files.insert(rel.to_string(), e);
            }
            _ => {
                self.files.remove(rel);
            }
        }
    }
}

/// A manifest as read, and what a check of its folder found.
pub(crate) struct Recorded {
    pub manifest: Manifest,
    /// The files found changed or gone when the folder was checked against
    /// the manifest; `None`: not checked (or not biji's folder).
    pub changed: Option<FxHashSet<String>>,
}

/// Reads the manifest of `output` and, if the folder is biji's, checks
/// every file in it against the disk.
pub(crate) fn read_checked(path: &Path, fingerprint: u64, output: &Path) -> Option<Recorded> {
    let manifest = read(path, fingerprint, &output.to_string_lossy())?;
    let changed = (marker_time(output) == Some(manifest.marker)).then(|| {
        (manifest.files.iter())
            .filter(|(rel, e)| !e.intact(&output.join(rel)))
            .map(|(rel, _)| rel.clone())
            .collect()
    });
    Some(Recorded { manifest, changed })
}

/// Reads a manifest file; `None` when absent or unusable.
pub(crate) fn read(path: &Path, fingerprint: u64, output: &str) -> Option<Manifest> {
    let bytes = std::fs::read(path).ok()?;
    let m = Manifest::decode(&bytes, fingerprint, output);
    if m.is_none() {
        log::debug!("ignoring `{}`: not this build's", path.display());
    }
    m
}

/// Writes a manifest file atomically.
pub(crate) fn write(path: &Path, m: &Manifest, fingerprint: u64, output: &str) -> Result<()> {
    super::write_atomic(path, &m.encode(fingerprint, output))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_only_for_its_binary_and_output() {
        let mut m = Manifest::default();
        m.groups.insert("search/".into(), 9);
        let e = Entry {
            key: 1,
            content: 2,
            size: 3,
            mtime: 4,
        };
        m.files.insert("笔记/index.html".into(), e);
        let bytes = m.encode(77, "/site/public");
        let back = Manifest::decode(&bytes, 77, "/site/public").unwrap();
        assert_eq!(back.files["笔记/index.html"], e);
        assert_eq!(back.groups["search/"], 9);
        assert!(Manifest::decode(&bytes, 78, "/site/public").is_none());
        assert!(Manifest::decode(&bytes, 77, "/site/out").is_none());
        for cut in 0..bytes.len() {
            assert!(Manifest::decode(&bytes[..cut], 77, "/site/public").is_none());
        }
    }

    #[test]
    fn a_check_finds_the_files_changed_or_gone_since() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("public");
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join(crate::output::MARKER), "").unwrap();
        let mut m = Manifest::default();
        for rel in ["a/index.html", "b.css", "c.js"] {
            std::fs::write(out.join(rel), rel).unwrap();
            let meta = std::fs::metadata(out.join(rel)).unwrap();
            let e = Entry {
                key: 1,
                content: 2,
                size: meta.len(),
                mtime: mtime_of(&meta),
            };
            m.files.insert(rel.into(), e);
        }
        m.marker = marker_time(&out).unwrap();
        let path = d.path().join("manifest");
        write(&path, &m, 5, &out.to_string_lossy()).unwrap();
        std::fs::write(out.join("b.css"), "changed by hand").unwrap();
        std::fs::remove_file(out.join("c.js")).unwrap();
        let r = read_checked(&path, 5, &out).unwrap();
        let mut changed: Vec<String> = r.changed.unwrap().into_iter().collect();
        changed.sort();
        assert_eq!(changed, ["b.css", "c.js"]);
        assert_eq!(r.manifest.files.len(), 3, "the manifest as written");
        // Written since by a build this manifest does not know: not checked
        // (nothing will be kept).
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        let marker = std::fs::File::options()
            .write(true)
            .open(out.join(crate::output::MARKER));
        marker.unwrap().set_modified(later).unwrap();
        assert!(read_checked(&path, 5, &out).unwrap().changed.is_none());
        // Not biji's folder: nothing is checked either.
        std::fs::remove_file(out.join(crate::output::MARKER)).unwrap();
        assert!(read_checked(&path, 5, &out).unwrap().changed.is_none());
    }
}
