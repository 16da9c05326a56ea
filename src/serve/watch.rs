//! Watching the site for changes: directories, recursively (a watch on a
//! file dies when an editor saves by renaming a new file over it), with
//! editor temp files and the output folder filtered out, and bursts of events
//! (one save is often five or more) coalesced into one rebuild.

use super::poll::Poller;
use crate::config::SitePaths;
use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time that ends a burst of events.
pub const QUIET: Duration = Duration::from_millis(15);
/// A burst is cut after this long even if events keep coming (a `git checkout`).
pub const MAX_BURST: Duration = Duration::from_millis(400);
/// How often `--poll` scans the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// What woke the rebuild loop.
#[derive(Debug, Default)]
pub struct Batch {
    /// Changed files and folders (absolute, as the watcher reported them).
    pub paths: HashSet<PathBuf>,
    /// The watcher lost events (queue overflow, rescan): compare everything.
    pub rescan: bool,
}

/// The folders a site is read from, and the one written to (ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub root: PathBuf,
    pub notes: PathBuf,
    pub templates: PathBuf,
    pub static_dir: PathBuf,
    pub output: PathBuf,
}

impl Scope {
    pub fn new(paths: &SitePaths) -> Scope {
        Scope {
            root: paths.root.clone(),
            notes: paths.notes.clone(),
            templates: paths.templates.clone(),
            static_dir: paths.static_dir.clone(),
            output: paths.output.clone(),
        }
    }

    /// True when a change at `path` can change the site.
    pub fn matters(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) {
            return false;
        }
        let under = |dir: &Path| {
            path.strip_prefix(dir).ok().map(|rest| {
                !rest
                    .components()
                    .any(|c| crate::discover::is_ignored_name(&c.as_os_str().to_string_lossy()))
            })
        };
        for dir in [&self.notes, &self.templates, &self.static_dir] {
            if let Some(ok) = under(dir) {
                return ok;
            }
        }
        // Directly in the root: the config, or one of the folders appearing.
        path.parent() == Some(self.root.as_path())
            && path.file_name().is_some_and(|n| {
                n == crate::config::CONFIG_FILE
                    || Some(n) == self.notes.file_name()
                    || Some(n) == self.templates.file_name()
                    || Some(n) == self.static_dir.file_name()
            })
    }
}

/// OS file events (inotify, FSEvents, ReadDirectoryChangesW) or `--poll`.
enum Backend {
    Native(notify::RecommendedWatcher),
    Poll(Poller),
}

/// A native or polling watcher plus its event channel.
pub struct Watch {
    backend: Backend,
    rx: Receiver<notify::Result<notify::Event>>,
    watched: Vec<(PathBuf, RecursiveMode)>,
}

impl Watch {
    /// `poll`: scan instead of OS events (WSL `/mnt/*`, network drives, containers).
    pub fn new(poll: bool) -> Result<Watch> {
        let (tx, rx) = channel();
        let backend = if poll {
            Backend::Poll(Poller::start(tx, POLL_INTERVAL)?)
        } else {
            Backend::Native(
                notify::recommended_watcher(tx)
                    .context("cannot start the file watcher; try --poll")?,
            )
        };
        Ok(Watch {
            backend,
            rx,
            watched: Vec::new(),
        })
    }

    /// Watches the root (not recursively: it holds the output and `.git`) and
    /// the notes, templates and static folders (recursively) that exist now.
    /// Called after every build, so folders created later are picked up.
    /// True when a folder is newly watched: files written into it before the
    /// watch began raised no event, so the caller looks again.
    pub fn sync(&mut self, scope: &Scope) -> Result<bool> {
        let mut want: Vec<(PathBuf, RecursiveMode)> =
            vec![(scope.root.clone(), RecursiveMode::NonRecursive)];
        for dir in [&scope.notes, &scope.templates, &scope.static_dir] {
            if dir.is_dir() && !want.iter().any(|(w, _)| w == dir) {
                want.push((dir.clone(), RecursiveMode::Recursive));
            }
        }
        if want == self.watched {
            return Ok(false);
        }
        let mut added = false;
        let watcher = match &mut self.backend {
            Backend::Poll(p) => {
                added = !self.watched.is_empty() && want.iter().any(|w| !self.watched.contains(w));
                p.set(&want);
                self.watched = want;
                return Ok(added);
            }
            Backend::Native(w) => w,
        };
        for (path, _) in &self.watched {
            if !want.iter().any(|(w, _)| w == path) {
                let _ = watcher.unwatch(path);
            }
        }
        for (path, mode) in &want {
            if self.watched.iter().any(|w| w == &(path.clone(), *mode)) {
                continue;
            }
            let _ = watcher.unwatch(path);
            added |= !self.watched.is_empty();
            watcher.watch(path, *mode).with_context(|| {
                format!(
                    "cannot watch `{}` (on Linux, too many watched folders raises this: \
                     increase fs.inotify.max_user_watches, or use --poll)",
                    path.display()
                )
            })?;
        }
        self.watched = want;
        Ok(added)
    }

    /// Blocks until a change that matters arrives, then collects the rest of
    /// its burst. `None` when the watcher has stopped.
    pub fn next_batch(&self, scope: &Scope) -> Option<Batch> {
        let mut batch = Batch::default();
        loop {
            let ev = self.rx.recv().ok()?;
            add(&mut batch, ev, scope);
            if !batch.paths.is_empty() || batch.rescan {
                break;
            }
        }
        let start = Instant::now();
        while start.elapsed() < MAX_BURST {
            match self.rx.recv_timeout(QUIET) {
                Ok(ev) => add(&mut batch, ev, scope),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
    }
}

/// Adds one event's relevant paths to the batch.
fn add(batch: &mut Batch, ev: notify::Result<notify::Event>, scope: &Scope) {
    let ev = match ev {
        Ok(ev) => ev,
        Err(e) => {
            log::debug!("watch error: {e}");
            batch.rescan = true;
            return;
        }
    };
    if ev.need_rescan() {
        batch.rescan = true;
    }
    let relevant = match ev.kind {
        // Reads do not change anything; a writer closing its file does.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    };
    if !relevant {
        return;
    }
    for p in ev.paths {
        if scope.matters(&p) {
            log::trace!("change: {:?} {}", ev.kind, p.display());
            batch.paths.insert(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        Scope {
            root: "/s".into(),
            notes: "/s/notes".into(),
            templates: "/s/templates".into(),
            static_dir: "/s/static".into(),
            output: "/s/public".into(),
        }
    }

    #[test]
    fn filters_temp_files_and_output() {
        let s = scope();
        for yes in [
            "/s/notes/a.md",
            "/s/notes/中文/图.png",
            "/s/templates/note.html",
            "/s/static/style.css",
            "/s/biji.yaml",
            "/s/templates",
            "/s/notes",
        ] {
            assert!(s.matters(Path::new(yes)), "{yes}");
        }
        for no in [
            "/s/notes/.a.md.swp",
            "/s/notes/4913",
            "/s/notes/a.md~",
            "/s/notes/#a.md#",
            "/s/notes/.#a.md",
            "/s/notes/a.md___jb_tmp___",
            "/s/notes/a.md.bck",
            "/s/notes/.git/index",
            "/s/public/index.html",
            "/s/README.md",
            "/s/.public.biji-tmp-1-0",
            "/elsewhere/a.md",
        ] {
            assert!(!s.matters(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn sees_a_rename_over_save_in_a_watched_folder() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("notes")).unwrap();
        std::fs::write(root.join("notes/a.md"), "one").unwrap();
        let s = Scope {
            root: root.clone(),
            notes: root.join("notes"),
            templates: root.join("templates"),
            static_dir: root.join("static"),
            output: root.join("public"),
        };
        let mut w = Watch::new(false).unwrap();
        w.sync(&s).unwrap();
        // vim: write a temp file, rename it over the note.
        std::fs::write(root.join("notes/.a.md.swp"), "x").unwrap();
        std::fs::write(root.join("notes/a.md.tmp"), "two").unwrap();
        std::fs::rename(root.join("notes/a.md.tmp"), root.join("notes/a.md")).unwrap();
        let b = w.next_batch(&s).unwrap();
        assert!(b.paths.contains(&root.join("notes/a.md")), "{:?}", b.paths);
        assert!(!b.paths.contains(&root.join("notes/.a.md.swp")));
    }
}
