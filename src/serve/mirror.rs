//! The served folder: the files of the last good build, with a hash of each,
//! and the [`Batch`] sink a rebuild renders into before anything is written.
//! A rebuild's files are put in place only when all of them were made, each
//! by rename, so a browser never reads half a file, and open pages reload
//! only once every file is in place. A request that arrives while a large
//! batch is being put in place (500 new notes: ~40 ms) may find some of its
//! files and not yet others; the reload that follows shows them all.

use super::client::CLIENT_SCRIPT;
use super::inject::Injecting;
use super::stamp::Stamp;
use crate::discover::{self, Found};
use crate::output::{prune_empty_dirs, Key, KeyLog, PageKeys, Sink, MARKER};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use xxhash_rust::xxh3::xxh3_64 as hash_of;

/// The served folder and what is in it.
pub(crate) struct Mirror {
    pub root: PathBuf,
    /// Every file (site-relative, `/`-separated) with a hash of its bytes.
    files: HashMap<String, u64>,
}

impl Mirror {
    /// Takes stock of a folder a full build just wrote.
    pub(crate) fn scan(root: &Path) -> Result<Mirror> {
        let mut files = Vec::new();
        for e in walkdir::WalkDir::new(root) {
            let e = e.with_context(|| format!("cannot read `{}`", root.display()))?;
            if e.file_type().is_file() {
                files.push((discover::rel_path(root, e.path()), e.path().to_path_buf()));
            }
        }
        let files = files
            .into_par_iter()
            .map(|(rel, abs)| {
                let bytes = std::fs::read(&abs)
                    .with_context(|| format!("cannot read `{}`", abs.display()))?;
                Ok((rel, hash_of(&bytes)))
            })
            .collect::<Result<_>>()?;
        Ok(Mirror {
            root: root.to_path_buf(),
            files,
        })
    }

    /// The folder a build just wrote, from the content hashes its sink
    /// kept (no file is read again).
    pub(crate) fn known(root: &Path, files: HashMap<String, u64>) -> Mirror {
        Mirror {
            root: root.to_path_buf(),
            files,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    /// The XXH3 of a served file's bytes (`None`: not served).
    pub(crate) fn content(&self, rel: &str) -> Option<u64> {
        self.files.get(rel).copied()
    }

    /// Every file served, site-relative.
    pub(crate) fn files(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    /// Removes the files `gone` selects (unless rewritten now), then writes
    /// the files whose bytes changed. Returns the paths removed or written.
    pub(crate) fn apply(
        &mut self,
        written: &[(String, Vec<u8>)],
        gone: impl Fn(&str) -> bool,
    ) -> Result<Vec<String>> {
        let writes: HashSet<&str> = written.iter().map(|(r, _)| r.as_str()).collect();
        let mut removed: Vec<String> = self
            .files
            .keys()
            .filter(|r| !writes.contains(r.as_str()) && r.as_str() != MARKER && gone(r))
            .cloned()
            .collect();
        removed.sort();
        let mut changed = Vec::new();
        for rel in removed {
            let path = self.root.join(&rel);
            if let Err(e) = std::fs::remove_file(&path) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    return Err(e).with_context(|| format!("cannot remove `{}`", path.display()));
                }
            }
            self.files.remove(&rel);
            prune_empty_dirs(&self.root, path.parent());
            changed.push(rel);
        }
        for (rel, bytes) in written {
            let h = hash_of(bytes);
            if self.files.get(rel) != Some(&h) {
                crate::output::write_under(&self.root, rel, bytes, true)?;
                self.files.insert(rel.clone(), h);
                changed.push(rel.clone());
            }
        }
        Ok(changed)
    }
}

impl Mirror {
    /// Copies the notes' files (images, PDFs) whose stamp changed since
    /// `stamps` was taken, and takes the stamps anew.
    pub(crate) fn copy_assets(
        &mut self,
        stamps: &mut HashMap<String, Stamp>,
        assets: &HashMap<&str, &Found>,
        changed: &HashSet<PathBuf>,
    ) -> Result<Vec<String>> {
        let mut written = Vec::new();
        let mut now = HashMap::new();
        for (rel, a) in assets {
            let Some(stamp) = Stamp::of(&a.abs) else {
                continue;
            };
            if stamps.get(*rel) != Some(&stamp) || changed.contains(&a.abs) {
                let bytes = std::fs::read(&a.abs)
                    .with_context(|| format!("cannot read `{}`", a.abs.display()))?;
                written.extend(self.apply(&[(rel.to_string(), bytes)], |_| false)?);
            }
            now.insert(rel.to_string(), stamp);
        }
        *stamps = now;
        Ok(written)
    }
}

/// A rebuild's output, held in memory. Pages whose key is the one they were
/// served with are not rendered again.
pub(crate) struct Batch<'a> {
    served: &'a PageKeys,
    /// The served folder, for [`Sink::keeps`]: a file it has with the same
    /// bytes is not made again.
    folder: Option<&'a Mirror>,
    keys: KeyLog,
    files: Mutex<Vec<(String, Vec<u8>)>>,
}

impl<'a> Batch<'a> {
    /// A batch over the pages served now, with their keys.
    pub(crate) fn new(served: &'a PageKeys) -> Batch<'a> {
        Batch {
            served,
            folder: None,
            keys: KeyLog::default(),
            files: Mutex::new(Vec::new()),
        }
    }

    /// The files written into the batch, taking them out.
    pub(crate) fn take_files(&self) -> Vec<(String, Vec<u8>)> {
        std::mem::take(&mut *self.files.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Every page's new key.
    pub(crate) fn into_keys(self) -> PageKeys {
        self.keys.into_keys()
    }
}

impl Sink for Batch<'_> {
    fn wants(&self, rel: &str, key: Key) -> bool {
        self.keys.record(rel, key);
        self.served.get(rel) != Some(&key)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_string(), bytes.to_vec()));
        Ok(())
    }

    /// `rel` is named by its content: the served folder has the same file
    /// when it has one by that name.
    fn keeps(&self, rel: &str, _: Key) -> bool {
        self.folder.is_some_and(|f| f.content(rel).is_some())
    }
}

/// Runs a generator of files that are not keyed pages (search index,
/// sitemap); the files it wrote (pages with the live-reload client).
pub(crate) fn collect(gen: impl FnOnce(&dyn Sink) -> Result<()>) -> Result<Vec<(String, Vec<u8>)>> {
    collect_over(None, gen)
}

/// [`collect`], skipping the files `folder` has with the same bytes (they
/// stay where they are: the caller must keep them).
pub(crate) fn collect_over(
    folder: Option<&Mirror>,
    gen: impl FnOnce(&dyn Sink) -> Result<()>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let empty = PageKeys::default();
    let mut batch = Batch::new(&empty);
    batch.folder = folder;
    let out = Injecting {
        inner: &batch,
        script: CLIENT_SCRIPT,
    };
    gen(&out)?;
    Ok(batch.take_files())
}

/// `python/a/index.html` -> `/base/python/a/`; other files keep their name.
fn page_url(base_path: &str, rel: &str) -> String {
    let trimmed = rel.strip_suffix("index.html").unwrap_or(rel);
    format!("{base_path}{trimmed}")
}

/// Decoded URL paths of the HTML pages among `files`, for the browsers to
/// reload; `None` (every page) when another kind of file changed (an image
/// may show on any page).
pub(crate) fn changed_pages(base: &str, files: &[String]) -> Option<Vec<String>> {
    let feeds = [crate::url::SITEMAP, crate::url::FEED, "CNAME"];
    let pages_only = files
        .iter()
        .all(|f| f.ends_with(".html") || feeds.contains(&f.as_str()));
    // The base as biji writes it is percent-encoded (`/%E7%AC%94%E8%AE%B0/`).
    let base = percent_encoding::percent_decode_str(base).decode_utf8_lossy();
    pages_only.then(|| {
        files
            .iter()
            .filter(|f| f.ends_with(".html"))
            .map(|f| page_url(&base, f))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls() {
        assert_eq!(
            page_url("/r/", "python/装饰器/index.html"),
            "/r/python/装饰器/"
        );
        assert_eq!(page_url("/b/", "index.html"), "/b/");
        assert_eq!(page_url("/b/", "404.html"), "/b/404.html");
        let files = ["go/index.html".to_string()];
        assert_eq!(
            changed_pages("/%E7%AC%94%E8%AE%B0/", &files),
            Some(vec!["/笔记/go/".to_string()])
        );
    }

    #[test]
    fn writes_refuse_escapes() {
        let d = tempfile::tempdir().unwrap();
        let mut m = Mirror::scan(d.path()).unwrap();
        let bad = vec![("../x".to_string(), b"x".to_vec())];
        assert!(m.apply(&bad, |_| false).is_err());
        let ok = vec![("a/b.html".to_string(), b"x".to_vec())];
        assert_eq!(m.apply(&ok, |_| false).unwrap(), vec!["a/b.html"]);
        assert!(
            m.apply(&ok, |_| false).unwrap().is_empty(),
            "same bytes: no write"
        );
    }

    #[test]
    fn prunes_only_empty_dirs_inside_root() {
        let d = tempfile::tempdir().unwrap();
        let mut m = Mirror::scan(d.path()).unwrap();
        let files = vec![
            ("a/b/c.html".to_string(), b"x".to_vec()),
            ("a/d.html".to_string(), b"y".to_vec()),
        ];
        m.apply(&files, |_| false).unwrap();
        m.apply(&[], |r| r == "a/b/c.html").unwrap();
        assert!(!d.path().join("a/b").exists());
        assert!(d.path().join("a/d.html").exists());
    }
}
