//! The sink of a build: the staging folder, or, when the last build's
//! manifest says what the output folder holds, only the files that changed.
//!
//! With a manifest, a page whose key is unchanged (and whose file on disk is
//! still the one written) is kept, not rendered; a file whose bytes are
//! unchanged is kept, not written. At the end only the changed files move
//! into the output folder and the vanished ones are removed, so unchanged
//! files keep their bytes and times. Nothing moves until the whole build
//! succeeded; the manifest is dropped before the output changes and written
//! after, so an interrupted update is never trusted.

use super::{KeyLog, PageKeys, Staging};
use crate::cache::manifest::{marker_time, mtime_of, Entry};
use crate::cache::{Cache, Manifest};
use crate::output::{Key, Sink};
use anyhow::{Context, Result};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use xxhash_rust::xxh3::xxh3_64;

#[derive(Default)]
struct Next {
    /// Keys told by `wants` for pages about to be written.
    pending: FxHashMap<String, u64>,
    /// Every file of this build, kept or written.
    manifest: Manifest,
    /// Files in the staging folder to move into place.
    written: FxHashSet<String>,
}

impl Next {
    fn keep(&mut self, rel: &str, e: Entry) {
        self.manifest.files.insert(rel.to_string(), e);
        // A file written earlier in this build (a generated stylesheet a
        // site's own replaces) no longer goes in.
        self.written.remove(rel);
    }
}

/// The staging folder of a build, keeping what the last build left unchanged.
pub(crate) struct StagingSink {
    staging: Staging,
    /// The output folder, absolute.
    target: PathBuf,
    /// The last build's manifest of the output folder (`None`: write all).
    prev: Option<Manifest>,
    /// The files of `prev` found changed or gone when the folder was
    /// checked as the build began; `None`: each is checked as it is kept.
    changed: Option<FxHashSet<String>>,
    /// The keys of the groups the last build made for this folder, even
    /// when the folder is gone: a group kept in the cache can be written
    /// again from there (see [`StagingSink::previous_group`]).
    last_groups: FxHashMap<String, u64>,
    /// Hash what is written, for the next build's manifest.
    track: bool,
    keys: KeyLog,
    next: Mutex<Next>,
}

/// What a finished build left in the output folder.
pub(crate) struct Finished {
    pub output: PathBuf,
    pub keys: PageKeys,
    /// Files written (the rest were kept).
    pub written: usize,
    /// Every file with its key and content hash.
    pub manifest: Manifest,
}

impl StagingSink {
    /// A sink into `staging`; with `cache`, keeping what its manifest of the
    /// output folder says is unchanged.
    pub(crate) fn new(staging: Staging, cache: Option<&Cache>) -> StagingSink {
        let target = staging.target().to_path_buf();
        let recorded = cache.and_then(|c| c.manifest(&target));
        let last_groups = recorded.as_ref().map(|r| r.manifest.groups.clone());
        // Files are kept only from the folder the manifest describes.
        let (prev, changed) = match recorded {
            Some(r) if marker_time(&target) == Some(r.manifest.marker) => {
                (Some(r.manifest), r.changed)
            }
            _ => (None, None),
        };
        let mut next = Next::default();
        // A build mostly keeps the last one's files: no growing table.
        if let Some(p) = &prev {
            next.manifest.files.reserve(p.files.len());
        }
        StagingSink {
            staging,
            prev,
            changed,
            last_groups: last_groups.unwrap_or_default(),
            target,
            track: cache.is_some(),
            keys: KeyLog::default(),
            next: Mutex::new(next),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Next> {
        self.next.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The last build's entry for `rel`, if the file is still as written.
    fn unchanged(&self, rel: &str, same: impl Fn(&Entry) -> bool) -> Option<Entry> {
        let e = self.prev.as_ref()?.files.get(rel)?;
        (same(e) && self.intact(rel, e)).then_some(*e)
    }

    /// Whether the file `e` describes is still as written: as the check
    /// at the start found it, if there was one.
    fn intact(&self, rel: &str, e: &Entry) -> bool {
        match &self.changed {
            Some(changed) => !changed.contains(rel),
            None => e.intact(&self.target.join(rel)),
        }
    }

    fn keep(&self, rel: &str, e: Entry) {
        self.lock().keep(rel, e);
    }

    fn staged(&self, rel: &str, e: Entry) {
        let mut n = self.lock();
        n.manifest.files.insert(rel.to_string(), e);
        n.written.insert(rel.to_string());
    }

    /// A folder for a build's own temporary files: beside the staging
    /// folder, on the output's disk (not in it: it becomes the output).
    pub(crate) fn scratch_dir(&self) -> Option<&std::path::Path> {
        self.staging.dir().parent()
    }

    /// The files the last build wrote under `prefix`, if every one of them
    /// is still as written.
    fn intact_group(&self, prefix: &str) -> Option<Vec<(&String, &Entry)>> {
        let prev = self.prev.as_ref()?;
        let group: Vec<(&String, &Entry)> = prev
            .files
            .iter()
            .filter(|(r, _)| r.starts_with(prefix))
            .collect();
        if !group.par_iter().all(|(rel, e)| self.intact(rel, e)) {
            log::debug!("{prefix} was changed in the output folder: made again");
            return None;
        }
        Some(group)
    }

    /// The key of the group under `prefix` the last build wrote for this
    /// folder: a build that makes the group again may keep what it can of
    /// it, from the folder or, where the folder no longer has a file, from
    /// the cache. Its files are not checked here: [`Sink::keeps`] checks
    /// each as it is kept (stating every file twice was most of what a
    /// 10k-note site's search index cost a build after a one-note edit).
    pub(crate) fn previous_group(&self, prefix: &str) -> Option<Key> {
        self.last_groups.get(prefix).copied().map(Key)
    }

    /// Whether the last build's output is there to keep files from.
    pub(crate) fn has_previous(&self) -> bool {
        self.prev.is_some()
    }

    /// Every file of the build so far, site-relative.
    pub(crate) fn files(&self) -> Vec<String> {
        self.lock().manifest.files.keys().cloned().collect()
    }

    /// Puts the build in place (see the module comment) and tells `cache`
    /// what the output folder now holds.
    pub(crate) fn finish(self, cache: Option<&Cache>) -> Result<Finished> {
        let staging = self.staging;
        let keys = self.keys.into_keys();
        let next = self.next.into_inner().unwrap_or_else(|e| e.into_inner());
        let Next {
            mut manifest,
            written,
            ..
        } = next;
        let target = self.target;
        if let Some(prev) = &self.prev {
            if let Some(c) = cache {
                c.forget(&target)?;
            }
            let gone = prev.files.keys().any(|r| !manifest.files.contains_key(r));
            let vanished: Vec<&String> = prev
                .files
                .keys()
                .filter(|r| !manifest.files.contains_key(*r))
                .collect();
            super::patch::patch(staging.dir(), &target, &vanished, &written)?;
            drop(staging);
            if gone || !written.is_empty() {
                // A new time for the marker: the folder changed, by this build.
                super::write_marker(&target)?;
            }
        } else {
            staging.commit_with(|old| cache.is_some_and(|c| c.trash(old)))?;
        }
        manifest.marker = marker_time(&target).unwrap_or(0);
        if self.track {
            let stats: Vec<(String, Option<(u64, u64)>)> = written
                .iter()
                .collect::<Vec<_>>()
                .par_iter()
                .map(|rel| {
                    let m = std::fs::symlink_metadata(target.join(rel)).ok();
                    (rel.to_string(), m.map(|m| (m.len(), mtime_of(&m))))
                })
                .collect();
            for (rel, stat) in stats {
                match (stat, manifest.files.get_mut(&rel)) {
                    (Some((size, mtime)), Some(e)) => (e.size, e.mtime) = (size, mtime),
                    _ => {
                        manifest.files.remove(&rel);
                    }
                }
            }
            if let Some(c) = cache {
                c.remember(&target, &manifest)?;
            }
        }
        Ok(Finished {
            output: target,
            keys,
            written: written.len(),
            manifest,
        })
    }
}

impl Sink for StagingSink {
    fn wants(&self, rel: &str, key: Key) -> bool {
        self.keys.record(rel, key);
        !self.keeps(rel, key)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let content = if self.track { xxh3_64(bytes) } else { 0 };
        let key = self.lock().pending.remove(rel).unwrap_or(content);
        if let Some(e) = self.unchanged(rel, |e| e.content == content) {
            self.keep(rel, Entry { key, ..e });
            return Ok(());
        }
        self.staging.write(rel, bytes)?;
        let size = bytes.len() as u64;
        self.staged(
            rel,
            Entry {
                key,
                content,
                size,
                mtime: 0,
            },
        );
        Ok(())
    }

    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let m =
            std::fs::metadata(from).with_context(|| format!("cannot read `{}`", from.display()))?;
        let key = xxh3_64(format!("{}\0{}\0{}", from.display(), m.len(), mtime_of(&m)).as_bytes());
        if let Some(e) = self.unchanged(rel, |e| e.key == key) {
            self.keep(rel, e);
            return Ok(());
        }
        self.staging.copy(from, rel)?;
        self.staged(
            rel,
            Entry {
                key,
                content: 0,
                size: m.len(),
                mtime: 0,
            },
        );
        Ok(())
    }

    fn keeps(&self, rel: &str, key: Key) -> bool {
        if !self.track {
            return false;
        }
        if let Some(e) = self.unchanged(rel, |e| e.key == key.0) {
            self.keep(rel, e);
            return true;
        }
        self.lock().pending.insert(rel.to_string(), key.0);
        false
    }

    /// Checks the files in parallel and takes the lock once: one by one,
    /// the two threads took turns at it for each of 13k files.
    fn keep_all(&self, files: &[(String, Key)]) -> Vec<bool> {
        if !self.track {
            return vec![false; files.len()];
        }
        let found: Vec<Option<Entry>> = files
            .par_iter()
            .map(|(rel, key)| self.unchanged(rel, |e| e.key == key.0))
            .collect();
        let mut n = self.lock();
        for ((rel, key), e) in files.iter().zip(&found) {
            match e {
                Some(e) => n.keep(rel, *e),
                None => {
                    n.pending.insert(rel.clone(), key.0);
                }
            }
        }
        found.iter().map(Option::is_some).collect()
    }

    fn keep_group(&self, prefix: &str, key: Key) -> bool {
        if !self.track {
            return false;
        }
        self.lock()
            .manifest
            .groups
            .insert(prefix.to_string(), key.0);
        let Some(prev) = &self.prev else { return false };
        if prev.groups.get(prefix) != Some(&key.0) {
            log::debug!("{prefix} changed: made again");
            return false;
        }
        let Some(group) = self.intact_group(prefix) else {
            return false;
        };
        let mut n = self.lock();
        for (rel, e) in group {
            n.keep(rel, *e);
        }
        true
    }
}
