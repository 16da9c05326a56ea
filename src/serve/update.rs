//! The pages of one incremental rebuild: plan every page, render those
//! whose key changed, make the search index anew, and put them all in the
//! served folder before the browsers are told to reload, so that a search
//! from the reloaded page already finds the edit.

use super::client::CLIENT_SCRIPT;
use super::incremental::{Ready, State};
use super::inject::Injecting;
use super::mirror::{self, collect, Batch, Mirror};
use crate::build::{self, Bodies};
use crate::discover::Found;
use crate::markdown::LinkKind;
use crate::model::Model;
use crate::output::{Key, PageKeys, Sink};
use crate::pages::{Pages, Planned};
use crate::search::Collector;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Above this many notes with a new body the search collector is filled
/// anew rather than patched: each patched note scans the whole index (~2 ms
/// a note on the 1k-note corpus).
const REUSE_SEARCH_MAX: usize = 16;

/// The pages (keys), rendered count, files changed, time until the browsers
/// were told, and whether only the notes whose body key changed were planned.
pub(super) type Updated = (PageKeys, usize, Vec<String>, Duration, bool);

/// Files made in memory, by site-relative path.
type Files = Vec<(String, Vec<u8>)>;

/// The search index files from the collector (rendering the notes it has not
/// seen), and the files of the last index it keeps as they are.
fn make_search(
    p: &Model,
    folder: &Mirror,
    bodies: &Bodies,
    search: &Collector,
) -> Result<(Files, HashSet<String>)> {
    let mut kept = HashSet::new();
    let index = mirror::collect_over(Some(folder), |w| {
        build::index_missing(p, bodies, search, None)?;
        let (stats, _) = crate::search::write_index(search, w, None)?;
        kept.extend(stats.kept);
        Ok(())
    })?;
    Ok((index, kept))
}

/// What a rebuild found changed, and when it started (its times are from then).
pub(super) struct Edit<'a> {
    pub(super) changed: &'a HashSet<PathBuf>,
    /// The same notes in the same order (the search collector can be kept).
    pub(super) same_notes: bool,
    /// Only the text of notes changed, not what other pages show of them
    /// (see [`update`]); the model's derived parts were kept.
    pub(super) fast: bool,
    /// The notes read again (by path under notes/).
    pub(super) reread: &'a HashSet<String>,
    pub(super) started: Instant,
}

/// Every note's body key. After an edit of sources only (`fast`), a key can
/// have changed only for a note read again or one that embeds another (its
/// key holds the embedded body's); the others keep the key they were served
/// with: computing all 10k took ~40 ms of an edit.
fn edited_body_keys(
    p: &Model,
    pages: &Pages,
    fast: bool,
    served: &[Key],
    reread: &HashSet<String>,
) -> Vec<Key> {
    if !fast || served.len() != p.site.notes.len() {
        return build::body_keys(p, pages);
    }
    let opts = p.body_options(&pages.base_path);
    (0..p.site.notes.len())
        .into_par_iter()
        .map(|i| {
            let n = &p.site.notes[i];
            let embeds = n.links().iter().any(|l| l.kind == LinkKind::WikiEmbed);
            match embeds || reread.contains(&n.rel) {
                true => build::body_key(&p.site, i, &opts),
                false => served[i],
            }
        })
        .collect()
}

/// Step 3 of a rebuild: plans every note's page; those whose key changed
/// are returned, to be rendered.
fn plan_notes(
    p: &Model,
    plan: &Pages,
    (fast, served): (bool, &[Key]),
    body_keys: &[Key],
    batch: &dyn Sink,
) -> Result<Vec<(usize, Planned)>> {
    // When only sources changed (no title, date, heading, link, tag or
    // summary), the model is the last one but for what only the edited
    // notes' own pages show (length, diagrams) and their source hashes,
    // which only body keys read: a page can change only with its body key
    // (an edited note's always does), so only those notes are planned, and
    // no listing.
    (0..p.site.notes.len())
        .into_par_iter()
        .filter(|&i| !fast || body_keys[i] != served[i])
        .map(|i| Ok((i, plan.note(i, &p.related[i], body_keys[i])?)))
        .filter(|r| match r {
            Ok((_, page)) => batch.wants(&page.rel, page.key),
            Err(_) => true,
        })
        .collect()
}

/// Steps 3 to 5 of a rebuild: render the pages whose key changed, make the
/// search index, put both in place, then tell the browsers.
pub(super) fn update(
    st: &mut State,
    p: &Model,
    edit: Edit,
    bodies: &Bodies,
    ready: &mut Ready,
) -> Result<Updated> {
    let Edit {
        changed,
        same_notes,
        fast,
        reread,
        started,
    } = edit;

    let served = Batch::new(&st.keys);
    let batch = Injecting {
        inner: &served,
        script: CLIENT_SCRIPT,
    };
    // 3. Plan every note's page; those whose key changed are rendered.
    let pages = Pages::new(p);
    let (plan, render) = (pages.key_only(), pages.context_only());
    let body_keys = edited_body_keys(p, &pages, fast, &st.body_keys, reread);
    let affected = plan_notes(p, &plan, (fast, &st.body_keys), &body_keys, &batch)?;
    // The search collector is kept while the notes (its document numbers)
    // stay the same; the notes whose body changed replace their entries (a
    // note's title and search text come from its source, which its body key
    // covers). Each replacement scans the whole index, so when many change a
    // fresh collector (filled from every note) is cheaper. A failed rebuild
    // leaves none (it may hold a partial update).
    let new_body = |i: usize| !same_notes || st.body_keys.get(i) != Some(&body_keys[i]);
    let (reindex, same): (Vec<_>, Vec<_>) = affected.into_iter().partition(|(i, _)| new_body(*i));
    let (collector, fresh) = match st.search.take() {
        _ if !p.cfg.search => (None, false),
        Some(c) if same_notes && reindex.len() <= REUSE_SEARCH_MAX => (Some(c), false),
        _ => (Some(Collector::new(p.site.notes.len())?), true),
    };
    let search = collector.as_ref();
    // A fresh collector takes the text of every note rendered.
    let (reindex, same) = match fresh {
        true => (reindex.into_iter().chain(same).collect(), Vec::new()),
        false => (reindex, same),
    };
    build::finish_notes(p, &render, bodies, search, (reindex, &body_keys), &batch)?;
    build::finish_notes(p, &render, bodies, None, (same, &body_keys), &batch)?;
    if !fast {
        build::write_listings(p, &render, &plan, &batch)?;
    }
    let mut written = served.take_files();
    let rendered = written.len();
    let keys = match fast {
        true => {
            let mut keys = st.keys.clone();
            keys.extend(served.into_keys());
            keys
        }
        false => served.into_keys(),
    };
    let pages_at = started.elapsed();

    // 4. The search index, made anew from the collector when any note was
    // rendered or renumbered (or the collector is new: its first index);
    // the files of the last one it did not change are kept.
    let mut kept_index = None;
    if rendered > 0 || !same_notes || fresh {
        if let Some(search) = search {
            let (index, kept) = make_search(p, &st.mirror, bodies, search)?;
            written.extend(index);
            kept_index = Some(kept);
        }
    }
    let search_at = started.elapsed();

    // 5. Put them in place: remove what is gone, write what changed.
    // The model's: discovery's, and the files in hidden folders notes link to.
    let new_assets: HashMap<&str, &Found> =
        p.site.assets.iter().map(|a| (a.rel.as_str(), a)).collect();
    let gone = |rel: &str| {
        (st.keys.contains_key(rel) && !keys.contains_key(rel))
            || (st.assets.contains_key(rel) && !new_assets.contains_key(rel))
            || kept_index.as_ref().is_some_and(|kept| {
                rel.starts_with("search/") && !keys.contains_key(rel) && !kept.contains(rel)
            })
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
    let ready_at = started.elapsed();
    // The index files show on no page: they do not make every page reload.
    let shown: Vec<String> = changed_files
        .iter()
        .filter(|f| !f.starts_with("search/") || f.ends_with(".html"))
        .cloned()
        .collect();
    ready(&base, mirror::changed_pages(&base, &shown));
    log::debug!(
        "incremental: pages made {:.1} ms, search index made {:.1} ms, in place {:.1} ms",
        pages_at.as_secs_f64() * 1e3,
        (search_at - pages_at).as_secs_f64() * 1e3,
        ready_at.as_secs_f64() * 1e3
    );

    st.search = collector;
    remember(st, p, &pages, &keys, &changed_files, &body_keys);
    st.body_keys = body_keys;
    Ok((keys, rendered, changed_files, ready_at, fast))
}

/// Brings the served folder's manifest up to date (see `State::manifest`).
fn remember(
    st: &mut State,
    p: &Model,
    pages: &Pages,
    keys: &PageKeys,
    changed_files: &[String],
    body_keys: &[Key],
) {
    if let Some(m) = &mut st.manifest {
        for rel in changed_files {
            let key = keys.get(rel.as_str()).map(|k| k.0);
            m.update(&st.mirror.root, rel, key, st.mirror.content(rel));
        }
        if p.cfg.search {
            let key = build::search_key(&pages.search_docs(), body_keys);
            m.groups.insert("search/".to_string(), key.0);
        }
    }
}
