//! Tells every open browser what each rebuild did: reload these pages, or
//! show this error. Messages are kept in a short numbered log so an event
//! stream that was busy writing catches up on all of them, in order.

use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// Messages kept for streams that fall behind; further behind, a stream is
/// told to reload whatever page it shows.
const KEEP: usize = 64;

/// Above this many changed pages a reload message says "every page" instead
/// of listing them.
const MAX_LISTED: usize = 200;

/// A failed rebuild, as the browser overlay shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct BuildError {
    /// The file to fix (`notes/a.md`, `biji.yaml`, a template), when known.
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// The whole message, as the terminal shows it.
    pub message: String,
    /// What to do (also part of `message`).
    pub hint: Option<String>,
}

impl BuildError {
    /// The error's text, placed by the first diagnostic with a file in its
    /// chain (a broken link, a front matter or biji.yaml line, a template).
    pub(crate) fn from_error(e: &anyhow::Error) -> BuildError {
        let at = crate::diagnostic::located(e);
        BuildError {
            file: at.and_then(|d| d.file.clone()),
            line: at.and_then(|d| d.line),
            column: at.and_then(|d| d.column),
            message: format!("{e:#}"),
            hint: at.and_then(|d| d.hint.clone()),
        }
    }
}

#[derive(Default)]
struct State {
    /// Differs between runs of `biji serve`, so an open tab reloads after a restart.
    session: u64,
    seq: u64,
    log: VecDeque<(u64, &'static str, String)>,
    /// Successful builds so far.
    build: u64,
    /// When the last successful build was in place (ms since the epoch).
    built_at_ms: u64,
    error: Option<BuildError>,
    has_site: bool,
}

/// Shared between the rebuild loop and the event streams.
#[derive(Clone, Default)]
pub(crate) struct Hub(Arc<(Mutex<State>, Condvar)>);

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[derive(Serialize)]
struct Hello<'a> {
    session: u64,
    build: u64,
    #[serde(rename = "builtAt")]
    built_at: u64,
    error: Option<&'a BuildError>,
}

#[derive(Serialize)]
struct Reload<'a> {
    build: u64,
    /// Decoded URL paths of the pages that changed; `None`: every page.
    paths: Option<&'a [String]>,
}

impl Hub {
    pub(crate) fn new() -> Hub {
        let hub = Hub::default();
        hub.lock().session = now_ms() ^ ((std::process::id() as u64) << 40);
        hub
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.0 .0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn push(&self, st: &mut State, event: &'static str, data: String) {
        st.seq += 1;
        st.log.push_back((st.seq, event, data));
        while st.log.len() > KEEP {
            st.log.pop_front();
        }
        self.0 .1.notify_all();
    }

    /// A good site is being served (pages can be requested).
    pub(crate) fn has_site(&self) -> bool {
        self.lock().has_site
    }

    /// The last build's error, if it failed.
    pub(crate) fn error(&self) -> Option<BuildError> {
        self.lock().error.clone()
    }

    /// A build succeeded and its output is in place. `changed`: site-relative
    /// URL paths of the pages it changed (`None`: all of them). Nothing
    /// changed: the overlay goes away without a reload.
    pub(crate) fn built(&self, changed: Option<Vec<String>>) {
        let mut st = self.lock();
        st.has_site = true;
        st.error = None;
        st.built_at_ms = now_ms();
        match changed {
            Some(paths) if paths.is_empty() => {
                let data = format!("{{\"build\":{}}}", st.build);
                self.push(&mut st, "ok", data);
            }
            paths => {
                st.build += 1;
                let paths = paths.filter(|p| p.len() <= MAX_LISTED);
                let data = serde_json::to_string(&Reload {
                    build: st.build,
                    paths: paths.as_deref(),
                })
                .unwrap_or_default();
                self.push(&mut st, "reload", data);
            }
        }
    }

    /// A build failed; the last good site stays.
    pub(crate) fn failed(&self, err: BuildError) {
        let mut st = self.lock();
        let data = serde_json::to_string(&err).unwrap_or_default();
        st.error = Some(err);
        self.push(&mut st, "failed", data);
    }

    /// The first message of a new stream, and the sequence number it is at.
    pub(crate) fn hello(&self) -> (String, u64) {
        let st = self.lock();
        let hello = Hello {
            session: st.session,
            build: st.build,
            built_at: st.built_at_ms,
            error: st.error.as_ref(),
        };
        (serde_json::to_string(&hello).unwrap_or_default(), st.seq)
    }

    /// Waits up to `timeout` for messages after `seen`; returns them (empty on
    /// timeout) and the new position.
    pub(crate) fn wait_after(
        &self,
        seen: u64,
        timeout: Duration,
    ) -> (Vec<(&'static str, String)>, u64) {
        let (lock, cv) = &*self.0;
        let st = lock.lock().unwrap_or_else(|p| p.into_inner());
        let (st, _) = cv
            .wait_timeout_while(st, timeout, |st| st.seq <= seen)
            .unwrap_or_else(|p| p.into_inner());
        if st.seq <= seen {
            return (Vec::new(), seen);
        }
        let oldest = st.log.front().map_or(st.seq, |m| m.0);
        if oldest > seen + 1 {
            // Fell behind the log: reload whatever is shown.
            let data = format!("{{\"build\":{},\"paths\":null}}", st.build);
            let mut out = vec![("reload", data)];
            if let Some(e) = &st.error {
                out.push(("failed", serde_json::to_string(e).unwrap_or_default()));
            }
            return (out, st.seq);
        }
        let out = st
            .log
            .iter()
            .filter(|m| m.0 > seen)
            .map(|m| (m.1, m.2.clone()))
            .collect();
        (out, st.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Diagnostics};

    #[test]
    fn errors_are_placed_by_their_diagnostic() {
        let e: anyhow::Error = Diagnostic::at("biji.yaml", "unknown key `titel`")
            .line(2)
            .column(1)
            .hint("valid keys: title")
            .into();
        let b = BuildError::from_error(&e);
        assert_eq!(b.file.as_deref(), Some("biji.yaml"));
        assert_eq!((b.line, b.column), (Some(2), Some(1)));
        assert_eq!(b.hint.as_deref(), Some("valid keys: title"));
        assert_eq!(
            b.message,
            "biji.yaml:2:1: unknown key `titel`\n  valid keys: title"
        );
        // Wrapped in context, or in a list: still found.
        let list = Diagnostics {
            head: Some("1 broken link(s):".into()),
            items: vec![
                Diagnostic::at("notes/a/笔记.md", "broken link `x.md`: no note")
                    .line(12)
                    .column(3),
            ],
            tail: None,
        };
        let e = anyhow::Error::new(list).context("while rebuilding");
        let b = BuildError::from_error(&e);
        assert_eq!(b.file.as_deref(), Some("notes/a/笔记.md"));
        assert_eq!((b.line, b.column), (Some(12), Some(3)));
        assert!(b
            .message
            .starts_with("while rebuilding: 1 broken link(s):\n"));
        // Text that only looks placed is not read for a place.
        let b = BuildError::from_error(&anyhow::anyhow!("notes/a.md:3: text"));
        assert_eq!((b.file, b.line), (None, None));
    }

    #[test]
    fn streams_catch_up_in_order() {
        let hub = Hub::new();
        let (_, seen) = hub.hello();
        hub.failed(BuildError::from_error(
            &Diagnostic::at("a.md", "bad").line(1).into(),
        ));
        hub.built(Some(vec!["x/".into()]));
        hub.built(Some(vec![]));
        let (msgs, next) = hub.wait_after(seen, Duration::from_millis(10));
        let kinds: Vec<&str> = msgs.iter().map(|m| m.0).collect();
        assert_eq!(kinds, ["failed", "reload", "ok"]);
        assert!(msgs[1].1.contains("\"paths\":[\"x/\"]"), "{}", msgs[1].1);
        let (msgs, _) = hub.wait_after(next, Duration::from_millis(10));
        assert!(msgs.is_empty());
    }
}
