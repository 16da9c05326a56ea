//! Re-reading the notes after a change: only those whose file changed (by
//! event path, or by modification time and size, so a missed event is
//! caught too); the others keep the metadata loaded before.

use super::stamp::Stamp;
use crate::discover::{self, Found};
use crate::site::{self, NoteMeta};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// The notes after a reload: the site's, the drafts left out, and what was read.
pub(super) struct Reloaded {
    pub(super) notes: Vec<NoteMeta>,
    pub(super) drafts: Vec<NoteMeta>,
    pub(super) stamps: HashMap<String, Stamp>,
    /// Notes read from disk this time, by path under notes/.
    pub(super) reread: HashSet<String>,
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
    (paths, exclude): (&crate::config::SitePaths, &discover::Exclude),
    syntax: &crate::markdown::Syntax,
    changed: &HashSet<PathBuf>,
    drafts_shown: bool,
    last: Option<discover::Discovered>,
    commit_days: &HashMap<String, (String, u64)>,
) -> Result<Reloaded> {
    let found = match last.filter(|l| only_known_notes(l, changed)) {
        Some(last) => {
            log::debug!("reload: notes edited in place; the last walk stands");
            last
        }
        None => discover::Discovered {
            dir: paths.shown.clone(),
            ..discover::discover(&paths.notes, exclude)?
        },
    };
    // Stamps are taken before reading, so an edit racing the read is seen
    // next time; in parallel (10k notes: 10k system calls).
    let stamps: Vec<Option<Stamp>> = found.notes.par_iter().map(|f| Stamp::of(&f.abs)).collect();
    // (stamp, note) per found note.
    let mut kept: Vec<Option<(Stamp, NoteMeta)>> = Vec::with_capacity(found.notes.len());
    let mut to_load: Vec<(usize, &Found, Stamp)> = Vec::new();
    // The metadata the notes read again had, to compare with what they have now.
    let mut before: HashMap<usize, NoteMeta> = HashMap::new();
    for (f, stamp) in found.notes.iter().zip(stamps) {
        let Some(stamp) = stamp else {
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
        .map(|(slot, f, stamp)| (*slot, *stamp, site::load_note(f, &paths.shown, syntax)))
        .collect();
    let reread: HashSet<String> = to_load.iter().map(|(_, f, _)| f.rel.clone()).collect();
    let mut errors = Vec::new();
    // Nothing read again: something other than a note's text changed.
    let mut body_only = !loaded.is_empty();
    for (slot, stamp, r) in loaded {
        match r {
            Ok(mut meta) => {
                // Read again with the text it was committed with (after a
                // failed rebuild, a `git checkout`): its day is Git's.
                if let Some((day, hash)) = commit_days.get(&meta.rel) {
                    if *hash == meta.source_hash {
                        meta.modified.clone_from(day);
                    }
                }
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

/// Whether every changed path is a note the last walk found and that is
/// still there: an edit in place (the commonest change), which cannot add,
/// remove or rename a file, so the last walk's list stands (walking 10k
/// notes took 30-40 ms of a 150 ms edit). Anything else is walked again; a
/// note changed without an event is still caught by its stamp.
fn only_known_notes(last: &discover::Discovered, changed: &HashSet<PathBuf>) -> bool {
    const MAX: usize = 64;
    if changed.is_empty() || changed.len() > MAX {
        return false;
    }
    changed
        .iter()
        .all(|p| discover::is_markdown(p) && p.is_file() && last.notes.iter().any(|f| &f.abs == p))
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
    // A note named by its file may have been named by a book since: the
    // table of contents, not the note, gives that name.
    if old.title_from_file && new.title_from_file {
        old.title.clone_from(&new.title);
    }
    // Where links and headings sit: a line typed or deleted above them
    // moves them all. Only diagnostics (a broken link's line) read these,
    // and no page shows them; a count that differs still differs below.
    for (o, n) in old.scan.links.iter_mut().zip(&new.scan.links) {
        (o.line, o.col) = (n.line, n.col);
    }
    for (o, n) in old.scan.headings.iter_mut().zip(&new.scan.headings) {
        o.line = n.line;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_edit_in_place_of_known_notes_skips_the_walk() {
        let d = tempfile::tempdir().unwrap();
        let notes = d.path().join("notes");
        std::fs::create_dir_all(&notes).unwrap();
        for n in ["a.md", "b.md"] {
            std::fs::write(notes.join(n), "# x\n").unwrap();
        }
        let last = discover::discover(&notes, &discover::Exclude::default()).unwrap();
        let set =
            |paths: &[&str]| -> HashSet<PathBuf> { paths.iter().map(|p| notes.join(p)).collect() };
        assert!(only_known_notes(&last, &set(&["a.md"])));
        assert!(only_known_notes(&last, &set(&["a.md", "b.md"])));
        assert!(!only_known_notes(&last, &set(&[])), "nothing named: walk");
        std::fs::write(notes.join("c.md"), "# c\n").unwrap();
        assert!(!only_known_notes(&last, &set(&["c.md"])), "a new note");
        assert!(!only_known_notes(&last, &set(&["a.md", "img.png"])));
        std::fs::remove_file(notes.join("b.md")).unwrap();
        assert!(!only_known_notes(&last, &set(&["b.md"])), "a deleted note");
    }
}
