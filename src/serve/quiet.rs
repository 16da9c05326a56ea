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
pub(crate) fn next_build() {
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let (_, current) = seen.take().unwrap_or_default();
    *seen = Some((current, HashSet::new()));
}

/// This rebuild did not look again at what the last one warned about (an
/// edit of a note's text only: links, topics and the rest were kept), so
/// those warnings still stand: they count as printed by this rebuild too,
/// and the next rebuild that checks again does not print them anew.
pub(crate) fn carry_over() {
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((previous, current)) = seen.as_mut() {
        current.extend(previous.iter().cloned());
    }
}

/// Wraps the real logger (env_logger in the CLI).
pub(crate) struct QuietRepeats<L> {
    inner: L,
}

impl<L: Log> QuietRepeats<L> {
    pub(crate) fn new(inner: L) -> QuietRepeats<L> {
        QuietRepeats { inner }
    }

    /// notify's own notes below errors (`unable to remove watch descriptor`
    /// when a watched folder is deleted) say nothing a user can act on: they
    /// are shown only where debug output is.
    fn watcher_bookkeeping(&self, record: &Record) -> bool {
        let debug = Metadata::builder()
            .level(Level::Debug)
            .target(record.target())
            .build();
        record.target().starts_with("notify")
            && record.level() != Level::Error
            && !self.inner.enabled(&debug)
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
        if self.inner.enabled(record.metadata())
            && !self.watcher_bookkeeping(record)
            && !self.repeated(record)
        {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// Keeps what reaches it; enabled up to `Info`, like the CLI without -v.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<String>>>);

    impl Log for Sink {
        fn enabled(&self, m: &Metadata) -> bool {
            m.level() <= Level::Info
        }
        fn log(&self, r: &Record) {
            self.0
                .lock()
                .unwrap()
                .push(format!("{} {}", r.target(), r.args()));
        }
        fn flush(&self) {}
    }

    /// A text-only edit checks no links: the broken links the rebuild
    /// before printed still stand, and the next full check does not print
    /// them anew; one that went and came back is printed again.
    #[test]
    fn warnings_a_rebuild_did_not_check_again_stay_quiet() {
        let sink = Sink::default();
        let quiet = QuietRepeats::new(sink.clone());
        let warn = || {
            quiet.log(
                &Record::builder()
                    .target("biji::model")
                    .level(Level::Warn)
                    .args(format_args!("carry: broken link a"))
                    .build(),
            )
        };
        next_build();
        warn();
        next_build();
        carry_over();
        next_build();
        warn();
        next_build();
        next_build();
        warn();
        let printed = sink
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.contains("carry:"))
            .count();
        assert_eq!(printed, 2);
    }

    #[test]
    fn notify_bookkeeping_needs_debug() {
        let sink = Sink::default();
        let quiet = QuietRepeats::new(sink.clone());
        let emit = |target: &str, level: Level| {
            quiet.log(
                &Record::builder()
                    .target(target)
                    .level(level)
                    .args(format_args!("m"))
                    .build(),
            )
        };
        emit("notify::inotify", Level::Info);
        emit("notify::inotify", Level::Warn);
        emit("notify::inotify", Level::Error);
        emit("biji::serve", Level::Warn);
        assert_eq!(
            *sink.0.lock().unwrap(),
            ["notify::inotify m", "biji::serve m"]
        );
    }
}
