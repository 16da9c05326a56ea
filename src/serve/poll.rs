//! `--poll`: a watcher that scans the files itself, for file systems that
//! raise no OS events (WSL `/mnt/*`, network drives, container volumes).

use anyhow::{Context, Result};
use notify::event::EventKind;
use notify::RecursiveMode;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `--poll`: every interval, lists the watched folders and compares each
/// file's modification time (to the nanosecond where the file system keeps
/// it) and size with the last look. notify's own PollWatcher compares whole
/// seconds, so two saves within a second would look like one; reading every
/// file's content instead would be too slow on the network drives `--poll` is for.
pub(crate) struct Poller {
    shared: Arc<Mutex<PollState>>,
    stop: Arc<AtomicBool>,
}

#[derive(Default)]
struct PollState {
    dirs: Vec<(PathBuf, RecursiveMode)>,
    seen: HashMap<PathBuf, Option<Stamp>>,
}

/// What a poll compares; `None` for a folder.
type Stamp = (Option<std::time::SystemTime>, u64);

fn poll_scan(dirs: &[(PathBuf, RecursiveMode)]) -> HashMap<PathBuf, Option<Stamp>> {
    let mut out = HashMap::new();
    for (dir, mode) in dirs {
        let depth = if *mode == RecursiveMode::Recursive {
            usize::MAX
        } else {
            1
        };
        let walk = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .max_depth(depth)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !crate::discover::is_ignored_name(&e.file_name().to_string_lossy())
            });
        for e in walk.flatten() {
            let stamp = match e.metadata() {
                Ok(m) if m.is_file() => Some((m.modified().ok(), m.len())),
                Ok(_) => None,
                Err(_) => continue,
            };
            out.insert(e.into_path(), stamp);
        }
    }
    out
}

impl Poller {
    pub(crate) fn start(
        tx: Sender<notify::Result<notify::Event>>,
        every: Duration,
    ) -> Result<Poller> {
        let shared = Arc::new(Mutex::new(PollState::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (Arc::clone(&shared), Arc::clone(&stop));
        std::thread::Builder::new()
            .name("biji-poll".into())
            .spawn(move || {
                while !st.load(Ordering::Relaxed) {
                    std::thread::sleep(every);
                    let dirs = s.lock().unwrap_or_else(|e| e.into_inner()).dirs.clone();
                    let now = poll_scan(&dirs);
                    let mut state = s.lock().unwrap_or_else(|e| e.into_inner());
                    if state.dirs != dirs {
                        continue; // changed meanwhile; `set` took a fresh look
                    }
                    let mut changed: Vec<PathBuf> = now
                        .iter()
                        .filter(|(p, stamp)| state.seen.get(*p) != Some(stamp))
                        .map(|(p, _)| p.clone())
                        .collect();
                    changed.extend(state.seen.keys().filter(|p| !now.contains_key(*p)).cloned());
                    state.seen = now;
                    drop(state);
                    if !changed.is_empty() {
                        let mut ev = notify::Event::new(EventKind::Any);
                        ev.paths = changed;
                        if tx.send(Ok(ev)).is_err() {
                            return;
                        }
                    }
                }
            })
            .context("cannot start the polling thread")?;
        Ok(Poller { shared, stop })
    }

    /// Watches `dirs` from now on; the first look is taken here, so a change
    /// made right after this call is seen.
    pub(crate) fn set(&self, dirs: &[(PathBuf, RecursiveMode)]) {
        let seen = poll_scan(dirs);
        let mut state = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        state.dirs = dirs.to_vec();
        state.seen = seen;
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
