//! The pages of one incremental rebuild: plan every page, render those
//! whose key changed, put them in the served folder, then the search index.

use super::client::CLIENT_SCRIPT;
use super::incremental::{Ready, State};
use super::inject::Injecting;
use super::mirror::{self, collect, Batch, Mirror};
use crate::build::{self, Bodies};
use crate::discover::{self, Found};
use crate::model::Model;
use crate::output::{PageKeys, Sink};
use crate::pages::Pages;
use crate::search::Collector;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Above this many re-rendered notes the search index is rebuilt (after the
/// reload) rather than patched: each patched note scans the whole index while
/// the pages render (~2 ms a note on the 1k-note corpus).
const REUSE_SEARCH_MAX: usize = 16;

/// The pages (keys), rendered count, files changed and time of a rebuild,
/// and whether only the notes whose body key changed were planned.
pub(super) type Updated = (PageKeys, usize, Vec<String>, Duration, bool);

/// Rewrites the search index from the collector (rendering the notes it
/// has not seen), removing index files it no longer has.
fn write_search(
    mirror: &mut Mirror,
    p: &Model,
    pages: &Pages,
    bodies: &Bodies,
    search: &Collector,
    keys: &PageKeys,
) -> Result<Vec<String>> {
    let index = collect(|w| {
        build::index_missing(p, bodies, search)?;
        crate::search::write_index(search, &pages.search_docs(), w).map(|_| ())
    })?;
    let stale = |rel: &str| rel.starts_with("search/") && !keys.contains_key(rel);
    mirror.apply(&index, stale)
}

/// What a rebuild found changed, and when it started (its times are from then).
pub(super) struct Edit<'a> {
    pub(super) found: &'a discover::Discovered,
    pub(super) changed: &'a HashSet<PathBuf>,
    /// The same notes in the same order (the search collector can be kept).
    pub(super) same_notes: bool,
    /// Only the text of notes changed, not what other pages show of them
    /// (see [`update`]); the model's derived parts were kept.
    pub(super) fast: bool,
    pub(super) started: Instant,
}

/// Steps 3 to 5 of a rebuild: render the pages whose key changed, put them in
/// place, then the search index.
pub(super) fn update(
    st: &mut State,
    p: &Model,
    edit: Edit,
    bodies: &Bodies,
    ready: &mut Ready,
) -> Result<Updated> {
    let Edit {
        found,
        changed,
        same_notes,
        fast,
        started,
    } = edit;

    let served = Batch::new(&st.keys);
    let batch = Injecting {
        inner: &served,
        script: CLIENT_SCRIPT,
    };
    // 3. Plan every note's page; those whose key changed are rendered.
    // When only sources changed (no title, date, heading, link, tag or
    // summary), the model is the last one but for what only the edited
    // notes' own pages show (length, diagrams) and their source hashes,
    // which only body keys read: a page can change only with its body key
    // (an edited note's always does), so only those notes are planned, and
    // no listing.
    let pages = Pages::new(p);
    let plan = pages.key_only();
    let body_keys = build::body_keys(p, &pages);
    let affected: Vec<(usize, crate::pages::Planned)> = (0..p.site.notes.len())
        .into_par_iter()
        .filter(|&i| !fast || body_keys[i] != st.body_keys[i])
        .map(|i| Ok((i, plan.note(i, &p.related[i], body_keys[i])?)))
        .filter(|r| match r {
            Ok((_, page)) => batch.wants(&page.rel, page.key),
            Err(_) => true,
        })
        .collect::<Result<_>>()?;
    // The search collector is kept while the notes (its document numbers)
    // stay the same; the notes rendered below replace their entries. Each
    // replacement scans the whole index, so when many notes re-render a
    // fresh collector (filled from every note) is cheaper. A failed rebuild
    // leaves none (it may hold a partial update).
    let kept = st.search.take();
    let collector = match kept {
        _ if !p.cfg.search => None,
        Some(c) if same_notes && affected.len() <= REUSE_SEARCH_MAX => Some(c),
        _ => Some(Collector::new(p.site.notes.len())?),
    };
    let search = collector.as_ref();
    build::finish_notes(p, &pages, bodies, search, (affected, &body_keys), &batch)?;
    if !fast {
        build::write_listings(p, &pages, &plan, &batch)?;
    }
    let written = served.take_files();
    let rendered = written.len();
    let keys = match fast {
        true => {
            let mut keys = st.keys.clone();
            keys.extend(served.into_keys());
            keys
        }
        false => served.into_keys(),
    };

    // 4. Put them in place: remove what is gone, write what changed.
    let new_assets: HashMap<&str, &Found> =
        found.assets.iter().map(|a| (a.rel.as_str(), a)).collect();
    let gone = |rel: &str| {
        (st.keys.contains_key(rel) && !keys.contains_key(rel))
            || (st.assets.contains_key(rel) && !new_assets.contains_key(rel))
    };
    let mut changed_files = st.mirror.apply(&written, gone)?;
    drop(written);
    changed_files.extend(
        st.mirror
            .copy_assets(&mut st.assets, &new_assets, changed)?,
    );
    // As in a build, after the pages: the sitemap lists the pages in place
    // (the same pages, with the same dates, after an edit of sources only).
    if !fast {
        let published = collect(|w| crate::publish::write(p, &st.mirror.files(), w))?;
        changed_files.extend(st.mirror.apply(&published, |_| false)?);
    }
    let base = p.cfg.base_path();
    let pages_at = started.elapsed();
    ready(&base, mirror::changed_pages(&base, &changed_files));

    // 5. The search index (no page shows it, so it follows the reload).
    if rendered > 0 || !same_notes {
        if let Some(search) = search {
            changed_files.extend(write_search(
                &mut st.mirror,
                p,
                &pages,
                bodies,
                search,
                &keys,
            )?);
        }
    }
    st.search = collector;
    if let Some(m) = &mut st.manifest {
        // The served folder as it now is, for the next start (see `State`).
        for rel in &changed_files {
            let key = keys.get(rel.as_str()).map(|k| k.0);
            m.update(&st.mirror.root, rel, key, st.mirror.content(rel));
        }
        if p.cfg.search {
            let key = build::search_key(p, &pages, &body_keys);
            m.groups.insert("search/".to_string(), key.0);
        }
    }
    st.body_keys = body_keys;
    Ok((keys, rendered, changed_files, pages_at, fast))
}
