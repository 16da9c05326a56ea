//! Which notes a collector indexes: every one, or, when a build resumes
//! the last index (see [`super::resume`]), only those that changed, which
//! it then hands over with their terms.

use super::collect::{Packed, Terms};
use super::Collector;
use anyhow::{bail, Result};

/// A note as [`Collector::take_indexed`] hands it over.
pub(super) struct Indexed {
    pub(super) doc: usize,
    pub(super) terms: Terms,
    pub(super) len: u32,
    pub(super) packed: Packed,
}

impl Collector<'_> {
    /// Wants only the notes `only` (a build resuming the last index: the
    /// notes that changed); the others are not indexed when they render.
    pub(crate) fn want_only(&self, only: &[usize]) {
        let mut docs = self.lock_docs();
        docs.wanted.fill(false);
        for &i in only {
            if let Some(w) = docs.wanted.get_mut(i) {
                *w = true;
            }
        }
    }

    /// Wants every note again (resuming failed: the index is made anew).
    pub(crate) fn want_all(&self) {
        self.lock_docs().wanted.fill(true);
    }

    /// Whether note `doc` is to be indexed by this collector.
    pub(crate) fn wants(&self, doc: usize) -> bool {
        self.lock_docs().wanted.get(doc).copied().unwrap_or(false)
    }

    /// Whether every note is wanted (a full write is possible).
    pub(super) fn wants_all(&self) -> bool {
        self.lock_docs().wanted.iter().all(|&w| w)
    }

    /// The notes indexed, each with its terms (tf bucket and flags), length
    /// and text file, taken out of the collector (see [`super::resume`]).
    pub(super) fn take_indexed(&self) -> Result<Vec<Indexed>> {
        let docs: Vec<usize> = {
            let d = self.lock_docs();
            (0..d.owner.len())
                .filter(|&i| d.owner[i].is_some())
                .collect()
        };
        let mut out = Vec::with_capacity(docs.len());
        for doc in docs {
            let (_, terms) = self.take_doc(doc)?;
            let mut d = self.lock_docs();
            let Some(packed) = d.packed[doc].take() else {
                bail!("search index: the text of note {doc} is missing");
            };
            out.push(Indexed {
                doc,
                terms: terms.unwrap_or_default(),
                len: d.lens[doc],
                packed,
            });
        }
        Ok(out)
    }
}
