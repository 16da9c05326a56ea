//! The connections still sending their request head, at most
//! [`super::server::MAX_WAITING`]. When all places are taken, the
//! connection that has waited longest is closed to make room: a browser
//! sends its head at once, so the oldest is the idlest, and a slow or
//! hostile client holding every place (300 idle connections) can no longer
//! keep pages from being served.

use super::server::{Slot, Slots};
use std::collections::VecDeque;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often the room looks again for a place a closed connection gave up.
const RETRIES: usize = 40;
const PAUSE: Duration = Duration::from_millis(5);

pub(crate) struct Waiting {
    slots: Arc<Slots>,
    /// The waiting connections (a handle to each), oldest first.
    open: Mutex<VecDeque<(u64, TcpStream)>>,
    next: AtomicU64,
}

/// A place in the room, given back (and forgotten) when dropped.
pub(crate) struct Seat {
    _slot: Slot,
    id: u64,
    room: Arc<Waiting>,
}

impl Waiting {
    pub(crate) fn new(max: usize) -> Arc<Waiting> {
        Arc::new(Waiting {
            slots: Slots::new(max),
            open: Mutex::new(VecDeque::new()),
            next: AtomicU64::new(0),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(u64, TcpStream)>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A place for `stream`, closing the oldest waiting connection when all
    /// are taken; `None` if none came free (every waiter is being answered).
    pub(crate) fn enter(self: &Arc<Self>, stream: &TcpStream) -> Option<Seat> {
        for _ in 0..RETRIES {
            if let Some(slot) = self.slots.take() {
                let id = self.next.fetch_add(1, Ordering::Relaxed);
                if let Ok(handle) = stream.try_clone() {
                    self.lock().push_back((id, handle));
                }
                return Some(Seat {
                    _slot: slot,
                    id,
                    room: Arc::clone(self),
                });
            }
            // Its thread sees the connection closed and gives up its place.
            if let Some((_, oldest)) = self.lock().pop_front() {
                log::debug!("http: all waiting places taken; closing the oldest");
                let _ = oldest.shutdown(Shutdown::Both);
            }
            std::thread::sleep(PAUSE);
        }
        None
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        self.room.lock().retain(|(id, _)| *id != self.id);
    }
}
