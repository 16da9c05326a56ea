//! Re-reading the notes after a change: only those whose file changed (by
//! event path, or by modification time and size, so a missed event is
//! caught too); the others keep the metadata loaded before.

use super::stamp::Stamp;
use crate::discover::{self, Found};
use crate::site::{self, NoteMeta};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The notes after a reload: the site's, the drafts left out, and what was read.
pub(super) struct Reloaded {
    pub(super) notes: Vec<NoteMeta>,
    pub(super) drafts: Vec<NoteMeta>,
    pub(super) stamps: HashMap<String, Stamp>,
    /// Notes read from disk this time.
    pub(super) reread: usize,
    /// Every note read again had been loaded before and differs only in its
    /// source: the same title, dates, headings, links, tags and summary (see
    /// [`super::update`]'s fast path).
    pub(super) body_only: bool,
    pub(super) found: discover::Discovered,
}

/// Reads the notes whose stamp changed (or that the watcher named) and keeps
/// the others as loaded before.
pub(super) fn reload(
    sources: &mut HashMap<String, (Stamp, NoteMeta)>,
    notes_dir: &Path,
    syntax: &crate::markdown::Syntax,
    changed: &HashSet<PathBuf>,
    drafts_shown: bool,
) -> Result<Reloaded> {
    let found = discover::discover(notes_dir)?;
    // (stamp, note) per found note; stamps are taken before reading, so an
    // edit racing the read is seen next time.
    let mut kept: Vec<Option<(Stamp, NoteMeta)>> = Vec::with_capacity(found.notes.len());
    let mut to_load: Vec<(usize, &Found, Stamp)> = Vec::new();
    // The metadata the notes read again had, to compare with what they have now.
    let mut before: HashMap<usize, NoteMeta> = HashMap::new();
    for f in &found.notes {
        let Some(stamp) = Stamp::of(&f.abs) else {
            kept.push(None); // gone since the walk; its event brings another rebuild
            continue;
        };
        match sources.remove(&f.rel) {
            Some((old, meta)) if old == stamp && !changed.contains(&f.abs) => {
                kept.push(Some((stamp, meta)))
            }
            old => {
                if let Some((_, meta)) = old {
                    before.insert(kept.len(), meta);
                }
                to_load.push((kept.len(), f, stamp));
                kept.push(None);
            }
        }
    }
    let loaded: Vec<(usize, Stamp, Result<NoteMeta>)> = to_load
        .par_iter()
        .map(|(slot, f, stamp)| (*slot, *stamp, site::load_note(f, syntax)))
        .collect();
    let reread = loaded.len();
    let mut errors = Vec::new();
    // Nothing read again: something other than a note's text changed.
    let mut body_only = !loaded.is_empty();
    for (slot, stamp, r) in loaded {
        match r {
            Ok(meta) => {
                body_only &= before
                    .get(&slot)
                    .is_some_and(|old| same_but_source(old, &meta));
                kept[slot] = Some((stamp, meta));
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        anyhow::bail!(crate::diagnostic::Diagnostics::of_errors(&errors));
    }
    let mut r = Reloaded {
        notes: Vec::with_capacity(kept.len()),
        drafts: Vec::new(),
        stamps: HashMap::new(),
        reread,
        body_only,
        found: discover::Discovered::default(),
    };
    for (stamp, meta) in kept.into_iter().flatten() {
        r.stamps.insert(meta.rel.clone(), stamp);
        if meta.left_out(drafts_shown) {
            r.drafts.push(meta);
        } else {
            r.notes.push(meta);
        }
    }
    r.found = found;
    Ok(r)
}

/// Whether two loads of a note differ only in what no other page shows: its
/// source (hashed into its body's key) and the length and diagram flag its
/// own page shows. Compared on the whole serialized form, so that a field
/// added to `NoteMeta` is never overlooked.
fn same_but_source(old: &NoteMeta, new: &NoteMeta) -> bool {
    let mut old = old.clone();
    old.source_hash = new.source_hash;
    old.scan.cjk_chars = new.scan.cjk_chars;
    old.scan.words = new.scan.words;
    old.scan.diagrams = new.scan.diagrams;
    match (postcard::to_allocvec(&old), postcard::to_allocvec(new)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A rebuild failed because a note was deleted while it ran.
#[derive(Debug)]
pub(super) struct Vanished;

impl std::fmt::Display for Vanished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a note was deleted during the rebuild")
    }
}
