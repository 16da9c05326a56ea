//! A note's block ids, heading ids and heading texts as lookups, for the
//! notes that have many: a link's `#fragment` was found by scanning them,
//! so 100k links into a note of 50k headings took minutes.

use super::NoteMeta;
use std::collections::{HashMap, HashSet};

/// Below this many headings and block ids a scan is as fast as a lookup,
/// and a note needs no tables.
const SCAN_UP_TO: usize = 32;

/// What [`super::SiteIndex::anchors`] holds for a note with many anchors.
#[derive(Debug, Default)]
pub(crate) struct Anchors {
    blocks: HashSet<String>,
    /// Heading id -> the first heading with it.
    ids: HashMap<String, usize>,
    /// Heading text, trimmed and lowercased -> the first heading with it.
    texts: HashMap<String, usize>,
}

impl Anchors {
    /// The tables of `n`, or `None` when it has few anchors.
    pub(super) fn of(n: &NoteMeta) -> Option<Anchors> {
        let headings = n.headings();
        if headings.len() + n.scan.block_ids.len() <= SCAN_UP_TO {
            return None;
        }
        let mut a = Anchors {
            blocks: n.scan.block_ids.iter().cloned().collect(),
            ..Anchors::default()
        };
        for (i, h) in headings.iter().enumerate() {
            a.ids.entry(h.id.clone()).or_insert(i);
            a.texts.entry(h.text.trim().to_lowercase()).or_insert(i);
        }
        Some(a)
    }

    pub(crate) fn has_block(&self, id: &str) -> bool {
        self.blocks.contains(id)
    }

    /// The first heading whose id is `id`.
    pub(crate) fn by_id(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// The first heading whose text is `text`, in any letter case.
    pub(crate) fn by_text(&self, text: &str) -> Option<usize> {
        self.texts.get(&text.trim().to_lowercase()).copied()
    }
}
