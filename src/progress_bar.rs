//! The CLI's progress bar (indicatif), drawn from the library's `Progress`
//! hook: the library itself never draws.

use biji::Progress;
use std::time::{Duration, Instant};

/// The progress bar of a build on a terminal, drawn only once the build has
/// run for [`Bar::AFTER`] (a quick build shows none). `serve` builds many
/// times: each build gets a fresh bar.
pub(crate) struct Bar {
    /// The bar of the build under way, and when it started.
    now: std::sync::Mutex<(indicatif::ProgressBar, Instant)>,
    shown: std::sync::atomic::AtomicBool,
}

impl Bar {
    const AFTER: Duration = Duration::from_secs(2);

    pub(crate) fn new() -> Bar {
        Bar {
            now: std::sync::Mutex::new(Self::fresh()),
            shown: Default::default(),
        }
    }

    fn fresh() -> (indicatif::ProgressBar, Instant) {
        let hidden = indicatif::ProgressDrawTarget::hidden();
        (
            indicatif::ProgressBar::with_draw_target(None, hidden),
            Instant::now(),
        )
    }

    /// The current bar, shown once the build is slow enough to want one.
    fn bar(&self) -> indicatif::ProgressBar {
        use std::sync::atomic::Ordering;
        let now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        if now.1.elapsed() >= Self::AFTER && !self.shown.swap(true, Ordering::Relaxed) {
            now.0
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            now.0.enable_steady_tick(Duration::from_millis(120));
        }
        now.0.clone()
    }
}

impl Progress for Bar {
    fn phase(&self, name: &'static str, total: Option<u64>) {
        let bar = self.bar();
        let style = match total {
            Some(_) => "{spinner} {msg:16} [{bar:30}] {pos}/{len} notes ({eta} left)",
            None => "{spinner} {msg}",
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(style) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_length(total.unwrap_or(0));
        bar.set_position(0);
        bar.set_message(name);
    }

    fn step(&self) {
        self.bar().inc(1);
    }

    fn done(&self) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        now.0.finish_and_clear();
        *now = Self::fresh();
        self.shown
            .store(false, std::sync::atomic::Ordering::Relaxed);
    }
}
