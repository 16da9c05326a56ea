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
    /// Heading text as [`heading_key`] has it -> the first heading with it.
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
            a.texts.entry(heading_key(&h.text)).or_insert(i);
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

    /// The first heading whose text is `text`, as [`heading_key`] compares.
    pub(crate) fn by_text(&self, text: &str) -> Option<usize> {
        self.texts.get(&heading_key(text)).copied()
    }
}

/// A heading's text as a link names it: in any letter case, and without
/// the characters Obsidian leaves out of the links it writes (`## 问题 | 管道`
/// is `[[note#问题 管道]]`, `## 注意: 事项` is `[[note#注意 事项]]`), spaces
/// made one.
pub(crate) fn heading_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let words = text
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | ':' | '^' | '[' | ']'))
        .filter(|w| !w.is_empty());
    for w in words {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&w.to_lowercase());
    }
    key
}

#[cfg(test)]
mod tests {
    use super::heading_key;

    #[test]
    fn keys_leave_out_what_obsidian_links_leave_out() {
        assert_eq!(heading_key("问题 | 管道"), heading_key("问题 管道"));
        assert_eq!(heading_key("注意: 事项"), heading_key("注意 事项"));
        assert_eq!(heading_key("  Docker  Compose "), "docker compose");
        assert_ne!(heading_key("a-b"), heading_key("a b"));
    }
}
