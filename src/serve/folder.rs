//! Where `serve` keeps its pages: a folder in the build cache, kept between
//! runs, or a private temporary one removed when `serve` ends.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// A private served folder, removed when `serve` ends (also on Ctrl-C and
/// SIGTERM); a folder left by a `serve` that was killed is removed by the next one.
pub(super) struct TempSite {
    pub(super) dir: PathBuf,
}

/// The served folder inside the build cache (`.biji-cache/serve/`), locked
/// while this process serves it; `None` when another `serve` of the same
/// site holds it (this one then uses a temporary folder).
pub(super) struct KeptSite {
    pub(super) dir: PathBuf,
    _lock: std::fs::File,
}

impl KeptSite {
    pub(super) fn open(root: &Path) -> Option<KeptSite> {
        let dir = root.join(crate::cache::DIR).join("serve");
        std::fs::create_dir_all(&dir).ok()?;
        let lock = std::fs::File::create(dir.join("lock")).ok()?;
        if lock.try_lock().is_err() {
            log::info!(
                "another `biji serve` of this site is running; serving from a temporary folder"
            );
            return None;
        }
        // The served folder lives in the cache, which is biji's alone: one
        // without its marker (made again by hand, or half restored) would
        // make every build refuse to write there, so it goes.
        let site = dir.join("site");
        if site.is_dir() && !site.join(crate::output::MARKER).is_file() {
            log::debug!("removing `{}`: not a complete served site", site.display());
            if let Err(e) = std::fs::remove_dir_all(&site) {
                log::warn!("cannot remove `{}`: {e}", site.display());
            }
        }
        Some(KeptSite { dir, _lock: lock })
    }

    /// Takes the lock again after `.biji-cache/` was deleted while serving
    /// (the README calls that safe): the old lock went with its file, and
    /// a second `serve` of the site would otherwise share this folder.
    pub(super) fn relock(&mut self) {
        if self.holds_lock_file() {
            // Only the served folder went: the lock is still this process's
            // (a second lock of the file would fail against its own).
            return;
        }
        let lock = std::fs::create_dir_all(&self.dir)
            .and_then(|_| std::fs::File::create(self.dir.join("lock")));
        match lock {
            Ok(lock) if lock.try_lock().is_ok() => self._lock = lock,
            _ => log::warn!(
                "another `biji serve` of this site took `{}` while it was gone; stop one of them",
                self.dir.display()
            ),
        }
    }

    /// Whether the lock file in the folder is still the one this process locked.
    #[cfg(unix)]
    fn holds_lock_file(&self) -> bool {
        use std::os::unix::fs::MetadataExt;
        let now = std::fs::metadata(self.dir.join("lock"));
        matches!((self._lock.metadata(), now), (Ok(a), Ok(b)) if (a.dev(), a.ino()) == (b.dev(), b.ino()))
    }

    #[cfg(not(unix))]
    fn holds_lock_file(&self) -> bool {
        // Windows cannot delete a file another handle holds open.
        self.dir.join("lock").is_file()
    }
}

impl TempSite {
    pub(super) fn create() -> Result<TempSite> {
        let tmp = temp_parent();
        sweep_stale(&tmp);
        let dir = tmp.join(format!("biji-serve-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).ok();
        }
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
        Ok(TempSite { dir })
    }
}

/// Where the private folder goes: `/dev/shm` (RAM) where it exists, else
/// the system temp folder. A full rebuild writes a fresh copy of the site
/// and deletes the old one (the `Staging` swap `build` uses, so a failed
/// rebuild never leaves a half-written site); on a disk file system that
/// churn of thousands of files costs more than the rendering (1k-note
/// corpus, template edit: 2.0-2.5 s on ext4 /tmp, 0.95 s on tmpfs). The
/// price is the site's size in RAM while serving (135 MB for the 1k-note corpus);
/// pass `-o DIR` to serve from a folder on disk instead.
fn temp_parent() -> PathBuf {
    let shm = Path::new("/dev/shm");
    let writable =
        shm.is_dir() && std::fs::metadata(shm).is_ok_and(|m| !m.permissions().readonly());
    if cfg!(target_os = "linux") && writable {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

impl Drop for TempSite {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

/// Removes `biji-serve-<pid>` folders whose process is gone (where that can be told).
fn sweep_stale(tmp: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("biji-serve-") else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            log::debug!("removing stale preview folder {}", e.path().display());
            std::fs::remove_dir_all(e.path()).ok();
        }
    }
}
