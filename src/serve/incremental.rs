//! Rebuilding after a change, from state kept in memory, with the same output
//! as a clean build.
//!
//! A note edit re-reads only the notes whose file changed (by event path, or
//! by modification time and size, so a missed event is caught too), rebuilds
//! the `SiteIndex` from the kept metadata and re-runs the cheap derived steps
//! (`build::prepare_from`: links, topics, related). Then every page is
//! planned, which builds its template context and its dependency key (see
//! `pages::KeyedContext`), and only the pages whose key changed are rendered.
//! The keys come from the code that builds the contexts, so nothing here
//! knows what a page is made of. A template, static file or `biji.yaml`
//! change re-renders everything through `build::write_site`, the same code
//! `biji build` runs; the highlighter's cache makes that cheap.

use super::mirror::Mirror;
use super::reload::{reload, Vanished};
use super::stamp::{Stamp, Theme};
use super::update::{update, Edit};
use crate::build::Bodies;
use crate::cache::Cache;
use crate::config::{Config, SitePaths};
use crate::highlight::Highlighter;
use crate::model::{BuildOptions, Derived, Model};
use crate::output::PageKeys;
use crate::search::Collector;
use crate::site::{Draft, NoteMeta, SiteIndex};
use crate::templates::Templates;
use anyhow::{Context, Result};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a rebuild did.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// Re-rendered everything (template, static or config change, or the first build).
    pub full: bool,
    /// Only sources changed: only the notes whose body key changed were planned.
    pub fast: bool,
    /// Notes in the site.
    pub notes: usize,
    /// Files written or removed.
    pub files: usize,
    /// Until the new pages and search index were in place (and the
    /// browsers were told).
    pub elapsed: Duration,
    /// Code block labels biji cannot highlight, among the blocks rendered.
    pub unknown_languages: Vec<String>,
}

/// The last good build, kept between rebuilds.
pub(super) struct State {
    pub(super) cfg: Config,
    pub(super) paths: SitePaths,
    pub(super) theme: Theme,
    /// Taken by each rebuild and given back after it (reloaded if it was lost).
    pub(super) templates: Option<Templates>,
    /// The search collector, reused while the list of notes stays the same;
    /// `None` after a full rebuild that kept the index (until it is filled).
    pub(super) search: Option<Collector<'static>>,
    /// The site's notes in build order, by path under notes/.
    pub(super) order: Vec<String>,
    /// Loaded notes (drafts too) with the stamp they were read at. A rebuild
    /// takes them out; any it does not give back are read again next time.
    pub(super) sources: HashMap<String, (Stamp, NoteMeta)>,
    /// The days notes took from Git at the last full rebuild (see
    /// [`SiteIndex::commit_days`]).
    pub(super) commit_days: HashMap<String, (String, u64)>,
    pub(super) assets: HashMap<String, Stamp>,
    /// What the last incremental rebuild's walk found (`None` after a full
    /// one, or a failed one): an edit in place needs no new walk.
    pub(super) found: Option<crate::discover::Discovered>,
    /// Every page served, with the key it was rendered under.
    pub(super) keys: PageKeys,
    /// Every note's body key, in the site's order, as served.
    pub(super) body_keys: Vec<crate::output::Key>,
    /// What the last model derived from the notes (links, topics, related).
    pub(super) derived: Option<Derived>,
    /// The cache's manifest of the served folder, kept up to date after each
    /// rebuild so that the next start of `serve` keeps what is in place.
    pub(super) manifest: Option<crate::cache::Manifest>,
    pub(super) mirror: Mirror,
}

/// Called when a rebuild's pages and search index are in place, with the
/// site's base path and the URL paths of the pages that changed (`None`: any
/// page may have).
pub(crate) type Ready<'a> = dyn FnMut(&str, Option<Vec<String>>) + 'a;

/// Builds the site into the served folder, fully the first time and after
/// template/config changes, incrementally after note edits.
pub(crate) struct Rebuilder {
    opts: BuildOptions,
    hl: Highlighter,
    state: Option<State>,
    /// The next rebuild renders everything (a watched folder was replaced).
    full_next: bool,
}

/// A file the rebuild found was gone when it came to read it (a `git
/// checkout` deleting notes while templates change): no error of the
/// user's, and the next attempt will not see it.
fn vanished(e: &anyhow::Error) -> bool {
    e.downcast_ref::<Vanished>().is_some()
        || e.chain().any(|c| {
            c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
        })
}

impl Rebuilder {
    /// `opts.output` is the served folder.
    pub(crate) fn new(opts: BuildOptions) -> Rebuilder {
        let cached = opts.cache;
        Rebuilder {
            opts,
            // One highlighter for the whole session. With the build cache,
            // unchanged bodies come from disk and only an edited note's
            // blocks are highlighted, so its in-memory cache stays small;
            // without it, that cache keeps every block highlighted once.
            hl: Highlighter::with_cache_budget(match cached {
                true => crate::highlight::BUILD_CACHE_BYTES,
                false => crate::highlight::SERVE_CACHE_BYTES,
            }),
            state: None,
            full_next: false,
        }
    }

    /// The build cache, locked for one rebuild (so a `biji build` of the same
    /// site can use it between rebuilds).
    fn open_cache(&self) -> Result<Option<Cache>> {
        match self.opts.cache {
            true => Ok(Cache::open_for(&self.opts)?.map(Cache::for_serve)),
            false => Ok(None),
        }
    }

    /// Makes the next rebuild a full one, until one succeeds: after a
    /// watched folder was replaced, events for what the new one holds may
    /// have been missed, and its files can carry the old times and sizes.
    pub(crate) fn rebuild_all(&mut self) {
        self.full_next = true;
    }

    /// The base path of the last good build (`/` before the first).
    pub(crate) fn base_path(&self) -> String {
        self.state
            .as_ref()
            .map(|s| s.cfg.base_path())
            .unwrap_or_else(|| "/".into())
    }

    /// The paths to watch: those `biji.yaml` names now if it reads (after a
    /// failed rebuild too: `notes_dir: notes3`, then `notes3/` made, must
    /// be seen), else those of the last good build, if any.
    pub(crate) fn paths(&self) -> Option<SitePaths> {
        match crate::model::load_config(&self.opts) {
            Ok(cfg) => Some(SitePaths::new(
                &self.opts.root,
                &cfg,
                self.opts.output.as_deref(),
            )),
            Err(_) => self.state.as_ref().map(|s| s.paths.clone()),
        }
    }

    /// Brings the served folder up to date with the sources. `changed`: files
    /// the watcher reported (they are re-read even if their stamp looks the same).
    /// `ready` is called once the new pages and search index are in place.
    pub(crate) fn rebuild(
        &mut self,
        changed: &HashSet<PathBuf>,
        ready: &mut Ready,
    ) -> Result<Outcome> {
        let full = self.full_next
            || match &self.state {
                None => true,
                Some(st) => Theme::scan(&self.opts.root, &st.paths) != st.theme,
            };
        if full {
            let mut tries = 0;
            let o = loop {
                match self.full() {
                    Err(e) if tries < 3 && vanished(&e) => {
                        log::debug!("a note vanished during the full rebuild; again: {e:#}");
                        tries += 1;
                    }
                    r => break r?,
                }
            };
            self.full_next = false;
            ready(&self.base_path(), None);
            self.fill_search(ready);
            Ok(o)
        } else {
            let mut tries = 0;
            loop {
                match self.incremental(changed, ready) {
                    Err(e) if tries < 3 && e.downcast_ref::<Vanished>().is_some() => {
                        log::debug!("a note vanished during the rebuild; again: {e:#}");
                        tries += 1;
                    }
                    r => return r,
                }
            }
        }
    }

    /// Fills the search collector when a full rebuild kept the index as it
    /// was (the build cache had it) and so made none: now, after the reload,
    /// rather than in the next edit's rebuild, which must have the index in
    /// place before its own. An incremental rebuild of no change does it.
    fn fill_search(&mut self, ready: &mut Ready) {
        let Some(st) = &self.state else { return };
        if st.cfg.search && st.search.is_none() {
            let started = Instant::now();
            match self.incremental(&HashSet::new(), ready) {
                Ok(_) => log::debug!(
                    "search collector filled in {:.1} ms",
                    started.elapsed().as_secs_f64() * 1e3
                ),
                Err(e) => log::debug!("cannot fill the search collector yet: {e:#}"),
            }
        }
    }

    fn incremental(&mut self, changed: &HashSet<PathBuf>, ready: &mut Ready) -> Result<Outcome> {
        let started = Instant::now();
        let drafts_shown = self.opts.drafts;
        let cache = self.open_cache()?;
        let bodies = Bodies::new(&self.hl, cache.as_ref().map(|c| &c.store));
        let hl = &self.hl;
        let st = self.state.as_mut().context("no previous build")?;
        let exclude = st.cfg.exclude()?;
        let r = reload(
            &mut st.sources,
            (&st.paths, &exclude),
            &st.cfg.markdown,
            changed,
            drafts_shown,
            st.found.take(),
            &st.commit_days,
        )?;
        let reread = r.reread.len();
        let reloaded_at = started.elapsed();
        let order: Vec<String> = r.notes.iter().map(|n| n.rel.clone()).collect();
        let same_notes = order == st.order;
        let (obsidian, dir) = (r.found.obsidian, r.found.dir.clone());
        let mut index = SiteIndex::from_notes(r.notes, r.found.assets.clone(), obsidian, dir)?;
        index.drafts = r.drafts.iter().map(Draft::of).collect();
        let templates = match st.templates.take() {
            Some(t) => t,
            None => Templates::load(&st.paths.templates)?,
        };
        let indexed_at = started.elapsed();
        let same_assets = index.assets.len() == st.assets.len()
            && index.assets.iter().all(|a| st.assets.contains_key(&a.rel));
        let fast = r.body_only && same_notes && same_assets && st.body_keys.len() == order.len();
        let (cfg, paths) = (st.cfg.clone(), st.paths.clone());
        let p = match (fast, st.derived.take()) {
            (true, Some(d)) => {
                super::quiet::carry_over();
                Model::with_derived(cfg, paths, index, templates, d)
            }
            _ => crate::model::prepare_from(cfg, paths, index, templates)?,
        };
        let prepared_at = started.elapsed();
        log::debug!(
            "incremental: reloaded {:.1} ms, indexed {:.1} ms, prepared {:.1} ms",
            reloaded_at.as_secs_f64() * 1e3,
            indexed_at.as_secs_f64() * 1e3,
            prepared_at.as_secs_f64() * 1e3
        );
        let result = update(
            st,
            &p,
            Edit {
                changed,
                reread: &r.reread,
                same_notes,
                fast: fast && st.body_keys.len() == p.site.notes.len(),
                started,
            },
            &bodies,
            ready,
        );
        // 6. Keep the new state (the templates in any case).
        let (site, templates, derived) = p.split();
        st.templates = Some(templates);
        st.derived = Some(derived);
        let (keys, rendered, changed_files, ready_at, fast) = match result {
            Ok(done) => {
                if let (Some(c), Some(m)) = (&cache, &st.manifest) {
                    if let Err(e) = c.remember(&st.mirror.root, m) {
                        log::debug!("cannot update the served folder's manifest: {e:#}");
                    }
                }
                close_cache(cache, false);
                done
            }
            Err(e) => {
                close_cache(cache, false);
                // A note deleted while this rebuild read the notes is no
                // error of the user's: the next attempt will not see it.
                if site.notes.iter().any(|n| !n.abs.exists()) {
                    return Err(e.context(Vanished));
                }
                return Err(e);
            }
        };
        st.order = order;
        st.keys = keys;
        st.found = Some(r.found);
        st.sources = site
            .notes
            .into_iter()
            .chain(r.drafts)
            .filter_map(|n| Some((n.rel.clone(), (*r.stamps.get(&n.rel)?, n))))
            .collect();
        log::debug!(
            "incremental: {reread} note(s) read, {rendered} page(s) rendered; prepared {:.1} ms, \
             in place {:.1} ms, done {:.1} ms",
            prepared_at.as_secs_f64() * 1e3,
            ready_at.as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        );
        Ok(Outcome {
            full: false,
            fast,
            notes: st.order.len(),
            files: changed_files.len(),
            elapsed: ready_at,
            unknown_languages: hl.take_unknown().into_keys().collect(),
        })
    }
}

/// Keeps what a rebuild added to the cache (`whole`: a full rebuild, which
/// ages what it did not use); a failure only costs the next start some
/// rendering.
fn close_cache(cache: Option<Cache>, whole: bool) {
    if let Some(c) = cache {
        match c.close(whole) {
            Ok(bytes) => log::debug!("build cache: {bytes} bytes"),
            Err(e) => log::warn!("cannot update the build cache: {e:#}"),
        }
    }
}

mod full;

#[cfg(test)]
#[path = "incremental_tests.rs"]
mod tests;
