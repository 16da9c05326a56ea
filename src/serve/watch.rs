//! Watching the site for changes: directories, recursively (a watch on a
//! file dies when an editor saves by renaming a new file over it), with
//! editor temp files and the output folder filtered out, and bursts of events
//! (one save is often five or more) coalesced into one rebuild.

use super::poll::Poller;
use crate::config::SitePaths;
use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time that ends a burst of events.
pub(crate) const QUIET: Duration = Duration::from_millis(15);
/// A burst is cut after this long even if events keep coming (a `git checkout`).
pub(crate) const MAX_BURST: Duration = Duration::from_millis(400);
/// How often `--poll` scans the files.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// What woke the rebuild loop.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// Changed files and folders (absolute, as the watcher reported them).
    pub paths: HashSet<PathBuf>,
    /// The watcher lost events (queue overflow, rescan): compare everything.
    pub rescan: bool,
    /// The served folder is gone (it, or a folder holding it such as
    /// `.biji-cache/`, was deleted or moved away): write the whole site again.
    pub output_gone: bool,
}

/// The folders a site is read from, and the one written to (ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scope {
    pub root: PathBuf,
    pub notes: PathBuf,
    pub templates: PathBuf,
    pub static_dir: PathBuf,
    pub output: PathBuf,
}

impl Scope {
    pub(crate) fn new(paths: &SitePaths) -> Scope {
        Scope {
            root: paths.root.clone(),
            notes: paths.notes.clone(),
            templates: paths.templates.clone(),
            static_dir: paths.static_dir.clone(),
            output: paths.output.clone(),
        }
    }

    /// The served folder is there and biji's (the swap of a full rebuild
    /// also moves it, but is over before its events are read).
    pub(crate) fn output_intact(&self) -> bool {
        self.output.join(crate::output::MARKER).is_file()
    }

    /// True when a change at `path` can change the site.
    pub(crate) fn matters(&self, path: &Path) -> bool {
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

/// What [`Watch::sync`] changed; later variants call for more work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Synced {
    /// The same folders are watched as before.
    Same,
    /// A folder is newly watched: files written into it before the watch
    /// began raised no event, so look again.
    Added,
    /// A watched folder was replaced (deleted and made again, or another
    /// renamed in) and is watched again: rebuild everything.
    Replaced,
}

/// A native or polling watcher plus its event channel.
pub(crate) struct Watch {
    backend: Backend,
    rx: Receiver<notify::Result<notify::Event>>,
    watched: Vec<(PathBuf, RecursiveMode)>,
    /// Watched folders whose path (or a parent's) was created, removed or
    /// renamed since the last sync. An OS watch follows the folder, not its
    /// path: once the folder is gone or moved away, whatever now has that
    /// path is not watched until it is watched anew.
    stale: HashSet<PathBuf>,
}

impl Watch {
    /// `poll`: scan instead of OS events (WSL `/mnt/*`, network drives, containers).
    pub(crate) fn new(poll: bool) -> Result<Watch> {
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
            stale: HashSet::new(),
        })
    }

    /// Watches the root (not recursively: it holds the output and `.git`),
    /// the notes, templates and static folders (recursively) that exist now,
    /// and their parents (not recursively), which is where a folder being
    /// replaced shows. Called after every build, so folders created or
    /// replaced since are picked up.
    pub(crate) fn sync(&mut self, scope: &Scope) -> Result<Synced> {
        let want = wanted(scope);
        let stale = std::mem::take(&mut self.stale);
        if want == self.watched && stale.is_empty() {
            return Ok(Synced::Same);
        }
        let first = self.watched.is_empty();
        let watcher = match &mut self.backend {
            // Polling looks at paths, so a replaced folder needs nothing.
            Backend::Poll(p) => {
                let added = !first && want.iter().any(|w| !self.watched.contains(w));
                p.set(&want);
                self.watched = want;
                return Ok(if added { Synced::Added } else { Synced::Same });
            }
            Backend::Native(w) => w,
        };
        for (path, _) in &self.watched {
            if !want.iter().any(|(w, _)| w == path) {
                let _ = watcher.unwatch(path);
            }
        }
        let mut out = Synced::Same;
        let mut now = Vec::with_capacity(want.len());
        let mut failed = None;
        for (path, mode) in want {
            let had = self.watched.contains(&(path.clone(), mode));
            let replaced = had && stale.contains(&path);
            if had && !replaced {
                now.push((path, mode));
                continue;
            }
            let _ = watcher.unwatch(&path);
            match watcher.watch(&path, mode) {
                Ok(()) => {
                    if replaced {
                        log::debug!("`{}` was replaced; watching it again", path.display());
                        out = out.max(Synced::Replaced);
                    } else if !first {
                        out = out.max(Synced::Added);
                    }
                    now.push((path, mode));
                }
                // Left out of `watched`, so the next sync tries again.
                Err(e) => {
                    failed.get_or_insert((path, e));
                }
            }
        }
        self.watched = now;
        match failed {
            None => Ok(out),
            Some((path, e)) => Err(anyhow::Error::new(e).context(format!(
                "cannot watch `{}` (on Linux, too many watched folders raises this: \
                 increase fs.inotify.max_user_watches, or use --poll)",
                path.display()
            ))),
        }
    }

    /// Blocks until a change that matters arrives, then collects the rest of
    /// its burst. `None` when the watcher has stopped.
    pub(crate) fn next_batch(&mut self, scope: &Scope) -> Option<Batch> {
        self.batch_within(scope, None)
    }

    /// [`Watch::next_batch`], giving up after `limit` if it is given.
    fn batch_within(&mut self, scope: &Scope, limit: Option<Duration>) -> Option<Batch> {
        let mut batch = Batch::default();
        let start = Instant::now();
        loop {
            let ev = match limit {
                None => self.rx.recv().ok()?,
                Some(l) => self.rx.recv_timeout(l.checked_sub(start.elapsed())?).ok()?,
            };
            self.add(&mut batch, ev, scope);
            if !batch.paths.is_empty() || batch.rescan || batch.output_gone {
                break;
            }
        }
        let start = Instant::now();
        while start.elapsed() < MAX_BURST {
            match self.rx.recv_timeout(QUIET) {
                Ok(ev) => self.add(&mut batch, ev, scope),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
    }

    /// Adds one event's relevant paths to the batch, and notes the watched
    /// folders it may have replaced.
    fn add(&mut self, batch: &mut Batch, ev: notify::Result<notify::Event>, scope: &Scope) {
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) => {
                log::debug!("watch error: {e}");
                batch.rescan = true;
                return;
            }
        };
        if ev.need_rescan() {
            // Events were lost: any folder may have been replaced meanwhile.
            batch.rescan = true;
            self.stale
                .extend(self.watched.iter().map(|(w, _)| w.clone()));
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
        let moved = matches!(
            ev.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        // `--poll` says only that a path changed.
        let maybe_gone = moved || matches!(ev.kind, EventKind::Any);
        for p in ev.paths {
            if maybe_gone && scope.output.starts_with(&p) && !scope.output_intact() {
                batch.output_gone = true;
            }
            let mut hit = false;
            if moved {
                for (w, _) in self.watched.iter().filter(|(w, _)| w.starts_with(&p)) {
                    self.stale.insert(w.clone());
                    hit = true;
                }
            }
            if hit || scope.matters(&p) {
                log::trace!("change: {:?} {}", ev.kind, p.display());
                batch.paths.insert(p);
            }
        }
    }
}

/// The watches `sync` wants, in a fixed order; a folder watched recursively
/// is not watched again as another's parent.
fn wanted(scope: &Scope) -> Vec<(PathBuf, RecursiveMode)> {
    let mut want = vec![(scope.root.clone(), RecursiveMode::NonRecursive)];
    let dirs = [&scope.notes, &scope.templates, &scope.static_dir];
    for dir in dirs {
        if let Some(parent) = dir.parent() {
            if parent.is_dir() && !dirs.contains(&&parent.to_path_buf()) {
                want.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
        if dir.is_dir() {
            want.push((dir.clone(), RecursiveMode::Recursive));
        }
    }
    // Where the served folder's deletion shows when its parent is not the
    // root (`.biji-cache/serve/`, or `-o` elsewhere): it is written again.
    if let Some(parent) = scope.output.parent().filter(|p| p.is_dir()) {
        want.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
    }
    let mut seen = HashSet::new();
    want.retain(|(w, _)| seen.insert(w.clone()));
    want
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

    #[test]
    fn a_replaced_folder_is_watched_again() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        let notes = root.join("notes");
        std::fs::create_dir_all(notes.join("sub")).unwrap();
        std::fs::create_dir_all(root.join("new/sub")).unwrap();
        let s = Scope {
            root: root.clone(),
            notes: notes.clone(),
            templates: root.join("templates"),
            static_dir: root.join("static"),
            output: root.join("public"),
        };
        let mut w = Watch::new(false).unwrap();
        assert_eq!(w.sync(&s).unwrap(), Synced::Same);
        let limit = Some(Duration::from_secs(5));
        for round in 0..2 {
            if round == 0 {
                // Renamed away, and another renamed in.
                std::fs::rename(&notes, root.join("old")).unwrap();
                std::fs::rename(root.join("new"), &notes).unwrap();
            } else {
                // Deleted and made again.
                std::fs::remove_dir_all(&notes).unwrap();
                std::fs::create_dir_all(notes.join("sub")).unwrap();
            }
            // Usually one burst (replaced); on a busy machine perhaps two
            // (gone, then a new folder).
            loop {
                let b = w.batch_within(&s, limit).expect("the replacement is seen");
                assert!(b.paths.contains(&notes), "{round}: {:?}", b.paths);
                if w.sync(&s).unwrap() != Synced::Same {
                    break;
                }
            }
            assert_eq!(w.sync(&s).unwrap(), Synced::Same, "{round}");
            let note = notes.join(format!("sub/{round}.md"));
            std::fs::write(&note, "x").unwrap();
            let seen =
                std::iter::from_fn(|| w.batch_within(&s, limit)).any(|b| b.paths.contains(&note));
            assert!(seen, "{round}: an edit in the new folder is seen");
        }
    }
}
