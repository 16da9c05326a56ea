//! How a long build reports progress: the library calls a [`Progress`] the
//! caller gave (the CLI draws a bar with it), and never draws anything itself.

use std::sync::Arc;

/// Receives a build's progress, from the build's threads.
pub trait Progress: Send + Sync {
    /// A phase starts; `total` is its number of steps, when it counts any.
    fn phase(&self, name: &'static str, total: Option<u64>);
    /// One step of the phase is done (a note rendered or kept).
    fn step(&self);
    /// The build is over (`serve` builds again later, with the same hook).
    fn done(&self);
}

/// A [`Progress`] in [`crate::BuildOptions`] (which must be `Debug` and `Clone`).
#[derive(Clone, Default)]
pub struct ProgressHook(pub Option<Arc<dyn Progress>>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProgressHook(..)"
        } else {
            "ProgressHook(None)"
        })
    }
}

impl ProgressHook {
    pub(crate) fn phase(&self, name: &'static str, total: Option<usize>) {
        if let Some(p) = &self.0 {
            p.phase(name, total.map(|t| t as u64));
        }
    }

    pub(crate) fn step(&self) {
        if let Some(p) = &self.0 {
            p.step();
        }
    }

    pub(crate) fn done(&self) {
        if let Some(p) = &self.0 {
            p.done();
        }
    }
}
