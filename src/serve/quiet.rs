//! A logger wrapper that keeps `serve`'s terminal readable: a warning or note
//! that the previous rebuild already printed (the same broken link, on every
//! save) is not printed again; a new one, or one that comes back after a
//! rebuild without it, is. Errors, and `serve`'s own progress lines, are
//! always printed. Without
//! [`next_build`] calls (every command but `serve`) nothing is held back.

use log::{Level, Log, Metadata, Record};
use std::collections::HashSet;
use std::sync::Mutex;

/// (messages of the previous build, messages of this build)
static SEEN: Mutex<Option<(HashSet<String>, HashSet<String>)>> = Mutex::new(None);

/// Starts a new rebuild: what the last one printed is held back this time.
pub fn next_build() {
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let (_, current) = seen.take().unwrap_or_default();
    *seen = Some((current, HashSet::new()));
}

/// Wraps the real logger (env_logger in the CLI).
pub struct QuietRepeats<L> {
    inner: L,
}

impl<L: Log> QuietRepeats<L> {
    pub fn new(inner: L) -> QuietRepeats<L> {
        QuietRepeats { inner }
    }

    fn repeated(&self, record: &Record) -> bool {
        let own_progress = record.level() == Level::Info
            && record
                .target()
                .starts_with(module_path!().trim_end_matches("::quiet"));
        if !matches!(record.level(), Level::Warn | Level::Info) || own_progress {
            return false;
        }
        let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
        let Some((previous, current)) = seen.as_mut() else {
            return false;
        };
        let msg = record.args().to_string();
        let again = previous.contains(&msg);
        current.insert(msg);
        again
    }
}

impl<L: Log> Log for QuietRepeats<L> {
    fn enabled(&self, metadata: &Metadata) -> bool {
        self.inner.enabled(metadata)
    }

    fn log(&self, record: &Record) {
        if self.inner.enabled(record.metadata()) && !self.repeated(record) {
            self.inner.log(record);
        }
    }

    fn flush(&self) {
        self.inner.flush()
    }
}

/// Installs `inner` wrapped as the global logger, with its level filter.
pub fn install(inner: impl Log + 'static, max: log::LevelFilter) {
    if log::set_boxed_logger(Box::new(QuietRepeats::new(inner))).is_ok() {
        log::set_max_level(max);
    }
}
