//! Rebuilding after a change, from state kept in memory, with the same output
//! as a clean build.
//!
//! A note edit re-reads only the notes whose file changed (by event path, or
//! by modification time and size, so a missed event is caught too), rebuilds
//! the `SiteIndex` from the kept metadata and re-runs the cheap derived steps
//! (`build::prepare_from`: links, topics, related). Then it re-renders only
//! the notes whose page could differ: each note's page is summarised by a
//! fingerprint of everything it is made from besides templates and config
//! (its source, the hrefs its links resolve to, the nav folders on its path,
//! its backlinks and its related notes), and a note is rendered again when its
//! fingerprint changed. Listing pages (folders, topics, indexes, home) are
//! rendered again when a note's listed fields (title, dates, tags, summary,
//! headings) or the set of notes changed. A template, static file or
//! `biji.yaml` change re-renders everything through `build::write_site`, the
//! same code `biji build` runs; the highlighter's cache makes that cheap.
//!
//! Pages are rendered into memory first and written only when all of them
//! succeeded, each file by rename, so a failed rebuild leaves the last good
//! site served and a browser never reads half a file.

use crate::build::{self, BuildOptions, Prepared, Writer};
use crate::config::{Config, SitePaths};
use crate::discover::{self, Found};
use crate::highlight::Highlighter;
use crate::links;
use crate::markdown::LinkKind;
use crate::output::MARKER;
use crate::search::Collector;
use crate::site::{self, Draft, NoteMeta, SiteIndex};
use crate::templates::Templates;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// What a rebuild did.
#[derive(Debug)]
pub struct Outcome {
    /// Re-rendered everything (template, static or config change, or the first build).
    pub full: bool,
    /// Notes in the site.
    pub notes: usize,
    /// Files written or removed.
    pub files: usize,
    /// Until the new pages were in place.
    pub elapsed: Duration,
    /// Code block labels biji cannot highlight, among the blocks rendered.
    pub unknown_languages: Vec<String>,
}

/// A file's modification time and size, to notice changes without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    mtime: Option<SystemTime>,
    len: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            mtime: m.modified().ok(),
            len: m.len(),
        })
    }
}

/// Stamps of everything that forces a full re-render: `biji.yaml` and the
/// site's `templates/` and `static/` folders.
#[derive(Debug, PartialEq, Eq, Default)]
struct Theme(Vec<(PathBuf, Option<Stamp>)>);

impl Theme {
    fn scan(root: &Path, paths: &SitePaths) -> Theme {
        let config = root.join(crate::config::CONFIG_FILE);
        let mut v = vec![(config.clone(), Stamp::of(&config))];
        for dir in [&paths.templates, &paths.static_dir] {
            v.push((
                dir.clone(),
                Stamp::of(dir).map(|_| Stamp {
                    mtime: None,
                    len: 0,
                }),
            ));
            for e in walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if e.file_type().is_file()
                    && !discover::is_ignored_name(&e.file_name().to_string_lossy())
                {
                    v.push((e.path().to_path_buf(), Stamp::of(e.path())));
                }
            }
        }
        Theme(v)
    }
}

/// The last good build, kept between rebuilds.
struct State {
    cfg: Config,
    paths: SitePaths,
    theme: Theme,
    /// Taken by each rebuild and given back after it (reloaded if it was lost).
    templates: Option<Templates>,
    /// The search collector, reused while the list of notes stays the same.
    search: Option<Collector>,
    /// The site's notes in build order, by path under notes/.
    order: Vec<String>,
    /// Loaded notes (drafts too) with the stamp they were read at. A rebuild
    /// takes them out; any it does not give back are read again next time.
    sources: HashMap<String, (Stamp, NoteMeta)>,
    assets: HashMap<String, Stamp>,
    /// Per note: the fingerprint of its page.
    pages: HashMap<String, u64>,
    /// Per note: the fingerprint of its links as resolved.
    links: HashMap<String, u64>,
    /// Per note: the fingerprint of what listing pages show of it.
    listed: HashMap<String, u64>,
    /// Every file in the served folder, with a hash of its bytes.
    files: HashMap<String, u64>,
}

/// Above this many re-rendered notes the search index is rebuilt (after the
/// reload) rather than patched: each patched note scans the whole index while
/// the pages render (~2 ms a note on the 1k-note corpus).
const REUSE_SEARCH_MAX: usize = 16;

/// Called when a rebuild's pages are in place, with the site's base path and
/// the URL paths of the pages that changed (`None`: any page may have).
pub type Ready<'a> = dyn FnMut(&str, Option<Vec<String>>) + 'a;

/// Builds the site into the served folder, fully the first time and after
/// template/config changes, incrementally after note edits.
pub struct Rebuilder {
    opts: BuildOptions,
    hl: Highlighter,
    state: Option<State>,
    /// The next rebuild renders everything (a watched folder was replaced).
    full_next: bool,
}

fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// A note as listing pages, nav entries, backlinks and related lists show it.
fn item(h: &mut impl Hasher, n: &NoteMeta) {
    (
        &n.rel,
        &n.url,
        &n.title,
        n.last_updated(),
        n.blurb(),
        &n.folder,
    )
        .hash(h);
}

/// What listing pages show of a note: everything in its metadata but its
/// links and source position. Equal keys for every note (and the same notes)
/// mean the folder, topic, index and home pages are unchanged.
fn listing_key(n: &NoteMeta) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        &n.rel,
        &n.url,
        &n.folder,
        &n.stem,
        &n.title,
        &n.date,
        &n.updated,
        &n.modified,
        &n.tags,
        &n.description,
        n.draft,
    )
        .hash(&mut h);
    (&n.scan.h1, n.scan.starts_with_h1, &n.scan.summary).hash(&mut h);
    for hd in n.headings() {
        (hd.level, &hd.text, &hd.id).hash(&mut h);
    }
    h.finish()
}

/// The previous build's per-note link fingerprints, and the notes re-read
/// since: the old fingerprint of any other note still holds when nothing a
/// link can resolve to changed (the same notes with the same titles, headings
/// and draft states, the same files).
type KnownLinks<'a> = (&'a HashMap<String, u64>, &'a HashSet<&'a str>);

/// Per note: a fingerprint of everything its page is made from besides the
/// templates and the config (which force a full rebuild), and one of its
/// links as resolved. Mirrors what `Pages::note` and `build::render_note_body` read.
fn page_fingerprints(p: &Prepared, known: Option<KnownLinks>) -> Vec<(u64, u64)> {
    let site = &p.site;
    let base = p.cfg.base_path();
    let folders: HashMap<&str, u64> = site
        .folders
        .iter()
        .map(|(path, f)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (
                path,
                &f.name,
                &f.url,
                f.total,
                f.children.len(),
                f.notes.len(),
            )
                .hash(&mut h);
            for c in f.children.iter().filter_map(|c| site.folder(c)) {
                (&c.path, &c.name, &c.url, c.total).hash(&mut h);
            }
            for &i in &f.notes {
                item(&mut h, &site.notes[i]);
            }
            (path.as_str(), h.finish())
        })
        .collect();
    (0..site.notes.len())
        .into_par_iter()
        .map(|i| {
            let n = &site.notes[i];
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (&n.rel, n.source_hash, &n.modified, &n.url).hash(&mut h);
            // The nav opens every folder on the note's path.
            folders.get("").hash(&mut h);
            for (path, _) in site::ancestors(&n.folder) {
                folders.get(path).hash(&mut h);
            }
            // Links as the body will render them.
            let old = match known {
                Some((old, reread)) if !reread.contains(n.rel.as_str()) => old.get(&n.rel),
                _ => None,
            };
            let links_fp = old.copied().unwrap_or_else(|| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                for l in n.links() {
                    links::resolve(site, n, &l.dest, l.kind)
                        .ok()
                        .and_then(|t| links::target_href(site, &base, &t))
                        .hash(&mut h);
                }
                h.finish()
            });
            links_fp.hash(&mut h);
            hash_embeds(site, n, &mut h, 0);
            let back = p.graph.backlinks.get(&i).map(Vec::as_slice).unwrap_or(&[]);
            back.len().hash(&mut h);
            for (s, context) in back {
                item(&mut h, &site.notes[*s]);
                context.hash(&mut h);
            }
            p.related[i].len().hash(&mut h);
            for &r in &p.related[i] {
                item(&mut h, &site.notes[r]);
            }
            (h.finish(), links_fp)
        })
        .collect()
}

/// What the notes that `n` embeds (`![[note]]`) put on its page: their
/// sources, titles and URLs, and in turn what they embed.
fn hash_embeds(site: &SiteIndex, n: &NoteMeta, h: &mut impl Hasher, depth: usize) {
    if depth >= 8 {
        return;
    }
    for l in n.links().iter().filter(|l| l.kind == LinkKind::WikiEmbed) {
        if let Ok(links::Target::Note { index, .. }) = links::resolve(site, n, &l.dest, l.kind) {
            let t = &site.notes[index];
            (t.source_hash, &t.title, &t.url).hash(h);
            hash_embeds(site, t, h, depth + 1);
        }
    }
}

/// `python/a/index.html` -> `/base/python/a/`; other files keep their name.
fn page_url(base_path: &str, rel: &str) -> String {
    let trimmed = rel.strip_suffix("index.html").unwrap_or(rel);
    format!("{base_path}{trimmed}")
}

/// Writes a file so that readers see the old or the new bytes, never a mix.
fn write_atomic(root: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    if rel.split('/').any(|s| s == "..") || rel.starts_with('/') {
        anyhow::bail!("refusing to write outside the served folder: `{rel}`");
    }
    let path = root.join(rel);
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.biji-new"));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write `{}`", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Every file under `root` (site-relative, `/`-separated) with a hash of its bytes.
fn hash_tree(root: &Path) -> Result<HashMap<String, u64>> {
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(root) {
        let e = e.with_context(|| format!("cannot read `{}`", root.display()))?;
        if e.file_type().is_file() {
            let rel = discover::rel_path(root, e.path());
            files.push((rel, e.path().to_path_buf()));
        }
    }
    files
        .into_par_iter()
        .map(|(rel, abs)| {
            let bytes =
                std::fs::read(&abs).with_context(|| format!("cannot read `{}`", abs.display()))?;
            Ok((rel, hash_of(&bytes[..])))
        })
        .collect()
}

/// Which regenerated group an existing served file belongs to, for removing
/// files a rebuild no longer produces.
#[derive(PartialEq, Eq)]
enum Group {
    /// Written by `write_listings` (HTML pages that are not notes).
    Listing,
    /// Under `search/`, written by `search::write_index`.
    Search,
    /// Anything else (notes, assets, static files, feeds) is handled by name.
    Other,
}

fn group(rel: &str) -> Group {
    if rel.starts_with("search/") {
        Group::Search
    } else if rel.ends_with(".html") && !rel.starts_with("static/") {
        Group::Listing
    } else {
        Group::Other
    }
}

impl Rebuilder {
    /// `opts.output` is the served folder and `opts.inject` the client script.
    pub fn new(opts: BuildOptions) -> Rebuilder {
        Rebuilder {
            opts,
            // One highlighter for the whole session: its cache means an
            // unchanged code block is never highlighted again.
            hl: Highlighter::with_cache_budget(crate::highlight::SERVE_CACHE_BYTES),
            state: None,
            full_next: false,
        }
    }

    /// Makes the next rebuild a full one, until one succeeds: after a
    /// watched folder was replaced, events for what the new one holds may
    /// have been missed, and its files can carry the old times and sizes.
    pub fn rebuild_all(&mut self) {
        self.full_next = true;
    }

    /// The base path of the last good build (`/` before the first).
    pub fn base_path(&self) -> String {
        self.state
            .as_ref()
            .map(|s| s.cfg.base_path())
            .unwrap_or_else(|| "/".into())
    }

    /// The paths the last good build read from (for the watcher), if any.
    pub fn paths(&self) -> Option<&SitePaths> {
        self.state.as_ref().map(|s| &s.paths)
    }

    /// Brings the served folder up to date with the sources. `changed`: files
    /// the watcher reported (they are re-read even if their stamp looks the same).
    /// `ready` is called once the new pages are in place (before the search
    /// index is rewritten).
    pub fn rebuild(&mut self, changed: &HashSet<PathBuf>, ready: &mut Ready) -> Result<Outcome> {
        let full = self.full_next
            || match &self.state {
                None => true,
                Some(st) => Theme::scan(&self.opts.root, &st.paths) != st.theme,
            };
        if full {
            let o = self.full()?;
            self.full_next = false;
            ready(&self.base_path(), None);
            Ok(o)
        } else {
            self.incremental(changed, ready)
        }
    }

    /// Everything, through the same `prepare` + `write_site` as `biji build`.
    pub fn full(&mut self) -> Result<Outcome> {
        let started = Instant::now();
        let cfg = build::load_config(&self.opts)?;
        let paths = SitePaths::new(&self.opts.root, &cfg, self.opts.output.as_deref());
        // Stamps first: an edit while this build reads the files is seen next time.
        let theme = Theme::scan(&self.opts.root, &paths);
        let found = discover::discover(&paths.notes)?;
        let stamps: HashMap<String, Stamp> = found
            .notes
            .iter()
            .chain(&found.assets)
            .filter_map(|f| Stamp::of(&f.abs).map(|s| (f.rel.clone(), s)))
            .collect();
        let p = build::prepare(&self.opts)?;
        let report = build::write_site(&p, self.opts.inject.clone(), &self.hl)?;
        for (name, d) in &report.phases {
            log::debug!("phase {name}: {:.3} s", d.as_secs_f64());
        }
        let written_at = started.elapsed();
        let files = hash_tree(&report.output)?;
        let page_fps = page_fingerprints(&p, None);
        log::debug!(
            "full: site written by {:.0} ms, hashed and fingerprinted by {:.0} ms",
            written_at.as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        );
        let Prepared {
            cfg,
            paths,
            site,
            templates,
            search,
            ..
        } = p;
        let mut st = State {
            cfg,
            paths,
            theme,
            templates: Some(templates),
            search,
            order: site.notes.iter().map(|n| n.rel.clone()).collect(),
            sources: HashMap::new(),
            assets: HashMap::new(),
            pages: HashMap::new(),
            links: HashMap::new(),
            listed: HashMap::new(),
            files,
        };
        for (n, (fp, links)) in site.notes.into_iter().zip(page_fps) {
            st.pages.insert(n.rel.clone(), fp);
            st.links.insert(n.rel.clone(), links);
            st.listed.insert(n.rel.clone(), listing_key(&n));
            if let Some(s) = stamps.get(&n.rel) {
                st.sources.insert(n.rel.clone(), (*s, n));
            }
        }
        for a in &site.assets {
            if let Some(s) = stamps.get(&a.rel) {
                st.assets.insert(a.rel.clone(), *s);
            }
        }
        let notes = st.order.len();
        let files = st.files.len();
        self.state = Some(st);
        Ok(Outcome {
            full: true,
            notes,
            files,
            elapsed: started.elapsed(),
            unknown_languages: report.unknown_languages.into_keys().collect(),
        })
    }

    fn incremental(&mut self, changed: &HashSet<PathBuf>, ready: &mut Ready) -> Result<Outcome> {
        let started = Instant::now();
        let opts = &self.opts;
        let hl = &self.hl;
        let st = self.state.as_mut().context("no previous build")?;
        let root = st.paths.output.clone();

        // 1. Notes: keep what did not change, read the rest.
        let found = discover::discover(&st.paths.notes)?;
        // (stamp, note) per found note; stamps are taken before reading, so an
        // edit racing the read is seen next time.
        let mut kept: Vec<Option<(Stamp, NoteMeta)>> = Vec::with_capacity(found.notes.len());
        let mut to_load: Vec<(usize, &Found, Stamp)> = Vec::new();
        for f in &found.notes {
            let Some(stamp) = Stamp::of(&f.abs) else {
                kept.push(None); // gone since the walk; its event brings another rebuild
                continue;
            };
            match st.sources.remove(&f.rel) {
                Some((old, meta)) if old == stamp && !changed.contains(&f.abs) => {
                    kept.push(Some((stamp, meta)))
                }
                _ => {
                    to_load.push((kept.len(), f, stamp));
                    kept.push(None);
                }
            }
        }
        let syntax = &st.cfg.markdown;
        let loaded: Vec<(usize, Stamp, Result<NoteMeta>)> = to_load
            .par_iter()
            .map(|(slot, f, stamp)| (*slot, *stamp, site::load_note(f, syntax)))
            .collect();
        let mut errors = Vec::new();
        let mut listings = false;
        let mut reread: Vec<String> = Vec::with_capacity(loaded.len());
        for (slot, stamp, r) in loaded {
            match r {
                Ok(meta) => {
                    reread.push(meta.rel.clone());
                    // A draft left out is listed nowhere (a note becoming one changes the order).
                    if !meta.left_out(opts.drafts) {
                        listings |= st.listed.get(&meta.rel) != Some(&listing_key(&meta));
                    }
                    kept[slot] = Some((stamp, meta));
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            anyhow::bail!(crate::diagnostic::Diagnostics::of_errors(&errors));
        }
        let mut stamps: HashMap<String, Stamp> = HashMap::new();
        let mut notes = Vec::with_capacity(kept.len());
        let mut drafts = Vec::new();
        let mut draft_metas = Vec::new();
        for (stamp, meta) in kept.into_iter().flatten() {
            stamps.insert(meta.rel.clone(), stamp);
            if meta.left_out(opts.drafts) {
                drafts.push(Draft::of(&meta));
                draft_metas.push(meta);
            } else {
                notes.push(meta);
            }
        }
        let order: Vec<String> = notes.iter().map(|n| n.rel.clone()).collect();
        let same_notes = order == st.order;
        listings |= !same_notes;

        // 2. The derived steps, exactly as a build runs them.
        let mut index = SiteIndex::from_notes(notes, found.assets.clone())?;
        index.drafts = drafts;
        let templates = match st.templates.take() {
            Some(t) => t,
            None => Templates::load(&st.paths.templates)?,
        };
        let mut p = build::prepare_from(st.cfg.clone(), st.paths.clone(), index, templates)?;
        let prepared_at = started.elapsed();

        // 3. Render the pages that changed, into memory.
        let same_assets = found.assets.len() == st.assets.len()
            && found.assets.iter().all(|a| st.assets.contains_key(&a.rel));
        let reread: HashSet<&str> = reread.iter().map(String::as_str).collect();
        let known = (!listings && same_assets).then_some((&st.links, &reread));
        let page_fps = page_fingerprints(&p, known);
        // A folder's index note is the folder's (or the home) page, which
        // lists other notes: it re-renders with the listings.
        let affected: Vec<usize> = (0..p.site.notes.len())
            .filter(|&i| {
                st.pages.get(&p.site.notes[i].rel) != Some(&page_fps[i].0)
                    || (listings && site::is_folder_index(&p.site.notes[i].rel))
            })
            .collect();
        // The search collector is kept while the notes (its document numbers)
        // stay the same; the notes rendered below replace their entries. Each
        // replacement scans the whole index, so when many notes re-render a
        // fresh collector (filled from every note) is cheaper.
        if same_notes && affected.len() <= REUSE_SEARCH_MAX {
            if let (Some(c), Some(slot)) = (st.search.take(), p.search.as_mut()) {
                *slot = c;
            }
        }
        let pages = p.pages(opts.inject.clone());
        let rendered = render(|w| {
            build::write_some_notes(&p, &pages, hl, &affected, w)?;
            if listings {
                build::write_listings(&p, &pages, w)?;
            }
            Ok(())
        });
        let written = match rendered {
            Ok(w) => w,
            Err(e) => {
                drop(pages);
                st.templates = Some(p.templates);
                return Err(e);
            }
        };
        let rendered_at = started.elapsed();

        // 4. Put them in place: remove what is gone, write what changed.
        let new_pages: HashSet<String> = p
            .site
            .notes
            .iter()
            .map(|n| format!("{}index.html", n.url))
            .collect();
        let old_pages: HashSet<String> = st
            .order
            .iter()
            .map(|rel| format!("{}index.html", site::note_url(rel)))
            .collect();
        let new_assets: HashMap<String, &Found> =
            found.assets.iter().map(|a| (a.rel.clone(), a)).collect();
        let old_assets = &st.assets;
        let gone = |rel: &str| {
            let kept = new_pages.contains(rel) || new_assets.contains_key(rel);
            !kept
                && (old_pages.contains(rel)
                    || old_assets.contains_key(rel)
                    || (listings && group(rel) == Group::Listing))
        };
        let mut changed_files = apply(&root, &mut st.files, &written, gone)?;
        drop(written);
        let mut assets = HashMap::new();
        for (rel, a) in &new_assets {
            let Some(stamp) = Stamp::of(&a.abs) else {
                continue;
            };
            if st.assets.get(rel) != Some(&stamp) || changed.contains(&a.abs) {
                let bytes = std::fs::read(&a.abs)
                    .with_context(|| format!("cannot read `{}`", a.abs.display()))?;
                changed_files.extend(apply(
                    &root,
                    &mut st.files,
                    &[(rel.clone(), bytes)],
                    |_| false,
                )?);
            }
            assets.insert(rel.clone(), stamp);
        }
        // As in a build, after the pages: the sitemap lists the pages in place.
        let published = render(|w| crate::publish::write(&p, &root, w))?;
        changed_files.extend(apply(&root, &mut st.files, &published, |_| false)?);
        let base = p.cfg.base_path();
        let pages_at = started.elapsed();
        ready(&base, changed_pages(&base, &changed_files));

        // 5. The search index (no page shows it, so it follows the reload).
        if listings || !affected.is_empty() {
            let index = render(|w| crate::search::write_index(&p, &pages, hl, w).map(|_| ()));
            match index {
                Ok(index) => {
                    let stale = |rel: &str| group(rel) == Group::Search;
                    changed_files.extend(apply(&root, &mut st.files, &index, stale)?);
                }
                Err(e) => {
                    // The collector may hold a partial update: start it afresh.
                    drop(pages);
                    st.templates = Some(p.templates);
                    st.search = None;
                    return Err(e);
                }
            }
        }
        drop(pages);

        // 6. Keep the new state.
        let Prepared {
            site: index,
            templates,
            search,
            ..
        } = p;
        st.templates = Some(templates);
        st.search = search;
        st.order = order;
        st.assets = assets;
        st.pages.clear();
        st.links.clear();
        st.listed.clear();
        st.sources.clear();
        let fps = page_fps
            .into_iter()
            .map(Some)
            .chain(std::iter::repeat(None));
        for (n, fp) in index.notes.into_iter().chain(draft_metas).zip(fps) {
            if let Some((fp, links)) = fp {
                st.pages.insert(n.rel.clone(), fp);
                st.links.insert(n.rel.clone(), links);
                st.listed.insert(n.rel.clone(), listing_key(&n));
            }
            if let Some(s) = stamps.get(&n.rel) {
                st.sources.insert(n.rel.clone(), (*s, n));
            }
        }
        log::debug!(
            "incremental: {} note(s) read, {} page(s) rendered{}; prepared {:.1} ms, \
             rendered {:.1} ms, in place {:.1} ms, search index {:.1} ms",
            reread.len(),
            affected.len(),
            if listings { " + listings" } else { "" },
            prepared_at.as_secs_f64() * 1e3,
            rendered_at.as_secs_f64() * 1e3,
            pages_at.as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        );
        Ok(Outcome {
            full: false,
            notes: st.order.len(),
            files: changed_files.len(),
            elapsed: pages_at,
            unknown_languages: hl.take_unknown().into_keys().collect(),
        })
    }
}

/// Runs generators against an in-memory writer; the files they wrote.
fn render(gen: impl FnOnce(&Writer) -> Result<()>) -> Result<Vec<(String, Vec<u8>)>> {
    let out: Mutex<Vec<(String, Vec<u8>)>> = Mutex::new(Vec::new());
    let buffer = |rel: &str, bytes: &[u8]| -> Result<()> {
        out.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_string(), bytes.to_vec()));
        Ok(())
    };
    gen(&buffer)?;
    Ok(out.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Removes the served files `gone` selects (unless rewritten now), then writes
/// the files whose bytes changed. Returns the paths removed or written.
fn apply(
    root: &Path,
    files: &mut HashMap<String, u64>,
    written: &[(String, Vec<u8>)],
    gone: impl Fn(&str) -> bool,
) -> Result<Vec<String>> {
    let writes: HashSet<&str> = written.iter().map(|(r, _)| r.as_str()).collect();
    let mut removed: Vec<String> = files
        .keys()
        .filter(|r| !writes.contains(r.as_str()) && r.as_str() != MARKER && gone(r))
        .cloned()
        .collect();
    removed.sort();
    let mut changed = Vec::new();
    for rel in removed {
        let path = root.join(&rel);
        if let Err(e) = std::fs::remove_file(&path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(e).with_context(|| format!("cannot remove `{}`", path.display()));
            }
        }
        files.remove(&rel);
        prune_empty_dirs(root, path.parent());
        changed.push(rel);
    }
    for (rel, bytes) in written {
        let h = hash_of(&bytes[..]);
        if files.get(rel) != Some(&h) {
            write_atomic(root, rel, bytes)?;
            files.insert(rel.clone(), h);
            changed.push(rel.clone());
        }
    }
    Ok(changed)
}

/// Decoded URL paths of the HTML pages among `files`, for the browsers to
/// reload; `None` (every page) when another kind of file changed (an image
/// may show on any page).
fn changed_pages(base: &str, files: &[String]) -> Option<Vec<String>> {
    let feeds = [crate::publish::SITEMAP, crate::publish::FEED, "CNAME"];
    let pages_only = files
        .iter()
        .all(|f| f.ends_with(".html") || feeds.contains(&f.as_str()));
    pages_only.then(|| {
        files
            .iter()
            .filter(|f| f.ends_with(".html"))
            .map(|f| page_url(base, f))
            .collect()
    })
}

/// Removes `dir` and its parents while they are empty, up to (not including) `root`.
fn prune_empty_dirs(root: &Path, mut dir: Option<&Path>) {
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_urls() {
        assert!(group("search/t/abc.txt") == Group::Search);
        assert!(group("topics/rust/index.html") == Group::Listing);
        assert!(group("static/style.css") == Group::Other);
        assert!(group("python/img/a.png") == Group::Other);
        assert_eq!(
            page_url("/r/", "python/装饰器/index.html"),
            "/r/python/装饰器/"
        );
        assert_eq!(page_url("/", "index.html"), "/");
        assert_eq!(page_url("/", "404.html"), "/404.html");
    }

    #[test]
    fn atomic_writes_refuse_escapes() {
        let d = tempfile::tempdir().unwrap();
        write_atomic(d.path(), "a/b/index.html", b"x").unwrap();
        assert_eq!(
            std::fs::read(d.path().join("a/b/index.html")).unwrap(),
            b"x"
        );
        assert!(write_atomic(d.path(), "../x", b"x").is_err());
        let names: Vec<_> = std::fs::read_dir(d.path().join("a/b"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temp file left: {names:?}");
    }

    #[test]
    fn prunes_only_empty_dirs_inside_root() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("a/b/c")).unwrap();
        std::fs::write(d.path().join("a/keep.txt"), "x").unwrap();
        prune_empty_dirs(d.path(), Some(&d.path().join("a/b/c")));
        assert!(!d.path().join("a/b").exists());
        assert!(d.path().join("a").exists());
    }
}
