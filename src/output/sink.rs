//! Where generated files go. The build writes through a [`Sink`]: the
//! staging folder of `biji build`, or `serve`'s in-memory batch that is put
//! in place once every page of a rebuild succeeded. Pages come with their
//! dependency key first, so a sink that already holds a page under the same
//! key can skip its rendering.

use anyhow::Result;
use rustc_hash::FxHashMap;
use std::path::Path;
use std::sync::Mutex;

/// What a page (or a note's body) is made from, in 64 bits: see
/// `pages::KeyedContext`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(pub u64);

/// Receives a build's files.
pub(crate) trait Sink: Sync {
    /// Told each page's key before it is rendered (every page, whether it is
    /// then rendered or not). `false`: this sink already has the page at
    /// `rel` with this key, so rendering it again would change nothing.
    fn wants(&self, rel: &str, key: Key) -> bool;

    /// Writes a file at a site-relative, `/`-separated path.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;

    /// Copies a file from the notes (an image, a PDF) to `rel`.
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let bytes = std::fs::read(from)
            .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", from.display()))?;
        self.write(rel, &bytes)
    }

    /// Told the key of a group of files written together (the search index,
    /// under `prefix`) before they are made. `true`: the sink kept the group
    /// as the last build wrote it under this key, so nothing needs making.
    fn keep_group(&self, _prefix: &str, _key: Key) -> bool {
        false
    }

    /// Told the key of a file that is not a page before it is made: `rel`
    /// is named by a hash of its content (a search shard or text file) and
    /// `key` is a hash of that content. `true`: the sink kept the file as
    /// the last build wrote it, so it need not be made; unlike
    /// [`Sink::wants`], the file is no page whose key the sink reports.
    fn keeps(&self, _rel: &str, _key: Key) -> bool {
        false
    }

    /// [`Sink::keeps`] for many files at once (the unchanged files of a
    /// resumed search index, 13k at 10k notes): whether each was kept.
    fn keep_all(&self, files: &[(String, Key)]) -> Vec<bool> {
        files
            .iter()
            .map(|(rel, key)| self.keeps(rel, *key))
            .collect()
    }
}

impl<S: Sink + ?Sized> Sink for &S {
    fn wants(&self, rel: &str, key: Key) -> bool {
        (**self).wants(rel, key)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        (**self).write(rel, bytes)
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        (**self).copy(from, rel)
    }

    fn keep_group(&self, prefix: &str, key: Key) -> bool {
        (**self).keep_group(prefix, key)
    }

    fn keeps(&self, rel: &str, key: Key) -> bool {
        (**self).keeps(rel, key)
    }

    fn keep_all(&self, files: &[(String, Key)]) -> Vec<bool> {
        (**self).keep_all(files)
    }
}

/// The keys of the pages a build produced, by site-relative path.
pub(crate) type PageKeys = FxHashMap<String, Key>;

/// The keys a sink was told, from the build's threads.
#[derive(Default)]
pub(crate) struct KeyLog(Mutex<PageKeys>);

impl KeyLog {
    pub(crate) fn record(&self, rel: &str, key: Key) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string(), key);
    }

    pub(crate) fn into_keys(self) -> PageKeys {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}
