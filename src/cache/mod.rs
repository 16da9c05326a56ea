//! The persistent build cache in the site's `.biji-cache/` folder: rendered
//! note bodies and search records (`store.rs`), and, per output folder,
//! what the last build wrote there (`manifest.rs`), so that the next build
//! renders only what changed and leaves every other file untouched.
//!
//! Everything in it is tied to the exact biji binary (a hash of the
//! executable): another version's cache is ignored with one notice. A lock
//! file keeps two builds from using it at once; a second one waits.

pub(crate) mod codec;
mod file_at;
pub(crate) mod manifest;
mod store;

pub(crate) use manifest::{Manifest, Recorded};
pub(crate) use store::{Found, Kind, Store};

use anyhow::{Context, Result};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use xxhash_rust::xxh3::xxh3_64;

/// The cache folder's name in the site root.
pub const DIR: &str = ".biji-cache";

/// An open cache, locked for this process until dropped.
pub(crate) struct Cache {
    dir: PathBuf,
    _lock: File,
    fingerprint: u64,
    pub(crate) store: Store,
    /// An output folder's manifest, read and checked ahead of the build
    /// (see [`Cache::check_output`]).
    early: Mutex<Option<(PathBuf, Option<Recorded>)>>,
    /// `serve`'s pages carry the live-reload client, a build's do not: each
    /// keeps its own manifests, so that neither keeps the other's pages in
    /// a folder both write (`biji serve -o public`, then `biji build`).
    serving: bool,
}

/// Identifies the running binary: a build made by any other keeps nothing.
/// Hashing the executable catches a rebuilt development binary too, where
/// the version number stays the same.
fn fingerprint() -> u64 {
    static FP: OnceLock<u64> = OnceLock::new();
    *FP.get_or_init(|| {
        match std::env::current_exe().and_then(hash_file) {
            Ok(hash) => hash,
            // Unreadable executable: a value no other run shares, so the cache
            // is never trusted across runs.
            Err(_) => xxh3_64(format!("{:?}", std::time::SystemTime::now()).as_bytes()),
        }
    })
}

/// The XXH3 of a file's bytes, read a piece at a time: a binary with debug
/// line tables is ~70 MB, and reading it whole into fresh memory (then
/// zeroing its pages) was a tenth of a warm build of 10k notes.
fn hash_file(path: PathBuf) -> std::io::Result<u64> {
    use std::io::Read;
    let mut file = File::open(path)?;
    let mut hash = xxhash_rust::xxh3::Xxh3Default::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(hash.digest()),
            Ok(n) => hash.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

impl Cache {
    /// Opens (creating it if needed) the cache of the site at `root`, waiting
    /// for another build that holds it.
    pub(crate) fn open(root: &Path) -> Result<Cache> {
        let dir = crate::output::absolute(&root.join(DIR));
        std::fs::create_dir_all(dir.join("outputs"))
            .with_context(|| format!("cannot create the build cache `{}`", dir.display()))?;
        mark(&dir);
        let lock = File::create(dir.join("lock"))
            .with_context(|| format!("cannot open `{}`", dir.join("lock").display()))?;
        if lock.try_lock().is_err() {
            log::info!(
                "waiting for another biji build to finish with `{}`",
                dir.display()
            );
            lock.lock()
                .with_context(|| format!("cannot lock `{}`", dir.join("lock").display()))?;
        }
        empty_trash(&dir);
        let fingerprint = fingerprint();
        let (store, found) = Store::open(&dir, fingerprint)?;
        match found {
            Found::OtherVersion => {
                log::info!("the build cache was made by another biji build; starting it afresh");
                remove_manifests(&dir);
            }
            Found::Corrupt => {
                log::warn!(
                    "the build cache `{}` is damaged; starting it afresh",
                    dir.display()
                );
                remove_manifests(&dir);
            }
            Found::Missing | Found::Usable => {}
        }
        Ok(Cache {
            dir,
            _lock: lock,
            fingerprint,
            store,
            early: Mutex::new(None),
            serving: false,
        })
    }

    /// This cache as `serve` uses it (see [`Cache::serving`]).
    pub(crate) fn for_serve(mut self) -> Cache {
        self.serving = true;
        self
    }

    /// The cache of the site `opts` builds, unless it has no notes folder
    /// (the build then fails with the reason; no cache folder is made there).
    pub(crate) fn open_for(opts: &crate::model::BuildOptions) -> Result<Option<Cache>> {
        let cfg = crate::model::load_config(opts)?;
        let paths = crate::config::SitePaths::new(&opts.root, &cfg, opts.output.as_deref());
        if !paths.notes.is_dir() {
            return Ok(None);
        }
        Cache::open(&opts.root).map(Some)
    }

    /// Reads the manifest of `output` (absolute) and checks every file in
    /// it against the disk, for [`Cache::manifest`] to hand over. A build
    /// does this while it resolves links and topics on one core (see
    /// `model::prepare_seen`): the other core stats the files the output
    /// holds (24k at 10k notes with search), which the build would
    /// otherwise stat one by one, on its critical path, as it keeps them.
    pub(crate) fn check_output(&self, output: &Path) {
        let path = self.manifest_path(output);
        let recorded = manifest::read_checked(&path, self.fingerprint, output);
        *self.early.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((output.to_path_buf(), recorded));
    }

    fn manifest_path(&self, output: &Path) -> PathBuf {
        let mut name = output.to_string_lossy().into_owned();
        if self.serving {
            name.push_str("\0serve");
        }
        let key = xxh3_64(name.as_bytes());
        self.dir.join("outputs").join(format!("{key:016x}"))
    }

    /// What the last build wrote into `output` (absolute), if this binary
    /// wrote it, whether or not the folder is still there (a CI run restores
    /// the cache but not the output): its files can be trusted only where
    /// the folder is biji's, see [`crate::output::StagingSink`].
    pub(crate) fn manifest(&self, output: &Path) -> Option<Recorded> {
        let early = self.early.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some((_, recorded)) = early.filter(|(o, _)| o == output) {
            return recorded;
        }
        let path = self.manifest_path(output);
        let manifest = manifest::read(&path, self.fingerprint, &output.to_string_lossy())?;
        Some(Recorded {
            manifest,
            changed: None,
        })
    }

    /// Forgets `output`'s manifest before the folder is changed: if the
    /// change is interrupted, the next build trusts nothing in it.
    pub(crate) fn forget(&self, output: &Path) -> Result<()> {
        match std::fs::remove_file(self.manifest_path(output)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).context("cannot update the build cache")
            }
            _ => Ok(()),
        }
    }

    pub(crate) fn remember(&self, output: &Path, m: &Manifest) -> Result<()> {
        let path = self.manifest_path(output);
        manifest::write(&path, m, self.fingerprint, &output.to_string_lossy())
    }

    /// Moves a replaced output folder into the cache, to be deleted in the
    /// background by the next build instead of now. `false`: it could not
    /// be moved (another file system); the caller deletes it.
    pub(crate) fn trash(&self, old: &Path) -> bool {
        let trash = self.dir.join("trash");
        let _ = std::fs::create_dir_all(&trash);
        let name = format!(
            "{}-{}",
            std::process::id(),
            xxh3_64(old.to_string_lossy().as_bytes())
        );
        std::fs::rename(old, trash.join(name)).is_ok()
    }

    /// Keeps what this build added; after a `whole` build (see
    /// [`Store::close`]), evicts what the last builds did not use. Returns
    /// the cache's size in bytes.
    pub(crate) fn close(self, whole: bool) -> Result<u64> {
        let pack = self.store.close(whole)?;
        forget_old_outputs(&self.dir.join("outputs"));
        let others =
            dir_bytes(&self.dir.join("outputs")) + dir_bytes(&self.dir.join("store.index"));
        Ok(pack + others)
    }
}

/// Tags the folder as a cache (backup tools skip it) that Git ignores even
/// where `.gitignore` does not list it.
fn mark(dir: &Path) {
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        let _ = std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# biji's build cache; safe to delete.\n",
        );
        let _ = std::fs::write(dir.join(".gitignore"), "*\n");
    }
}

/// Manifests kept: one per output folder built into lately (`biji check`
/// builds into a new temporary folder each time).
const KEEP_OUTPUTS: usize = 8;

/// Drops the manifests of all but the [`KEEP_OUTPUTS`] latest output folders.
fn forget_old_outputs(outputs: &Path) {
    let Ok(entries) = std::fs::read_dir(outputs) else {
        return;
    };
    let mut all: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    all.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (_, p) in all.into_iter().skip(KEEP_OUTPUTS) {
        let _ = std::fs::remove_file(p);
    }
}

fn remove_manifests(dir: &Path) {
    let outputs = dir.join("outputs");
    let _ = std::fs::remove_dir_all(&outputs);
    let _ = std::fs::create_dir_all(&outputs);
}

/// Deletes replaced output folders on a thread of its own: the build does not
/// wait for it, and what an exit cuts short goes next time.
fn empty_trash(dir: &Path) {
    let trash = dir.join("trash");
    let Ok(entries) = std::fs::read_dir(&trash) else {
        return;
    };
    let old: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    if old.is_empty() {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("biji-trash".into())
        .spawn(move || {
            for p in old {
                let _ = std::fs::remove_dir_all(p);
            }
        });
}

/// Bytes of the files under `path` (a file or a folder).
fn dir_bytes(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Writes through a temporary file and a rename: readers see all or nothing.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("new");
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write `{}`", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write `{}`", path.display()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_read_in_pieces_hashes_as_its_whole_bytes() {
        let d = tempfile::tempdir().unwrap();
        for len in [0usize, 1, (1 << 20) - 1, 1 << 20, (3 << 20) + 17] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let path = d.path().join(format!("f{len}"));
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(
                super::hash_file(path).unwrap(),
                super::xxh3_64(&bytes),
                "{len} bytes"
            );
        }
    }
}
