//! One full build: config -> discover -> SiteIndex -> link check -> render
//! notes in parallel (writing as it goes) -> listing pages -> swap output in.
//!
//! The steps are separate functions over a read-only [`Model`] so that
//! `serve` re-runs exactly the same code for the pages a change affects.

use crate::cache::Cache;
use crate::highlight::Highlighter;
use crate::output::{Key, Sink, Staging, StagingSink};
use crate::pages::{Pages, Planned};
use crate::progress::ProgressHook;
use crate::search::Collector;
use crate::templates;
use anyhow::Result;
use rayon::prelude::*;
use std::time::Instant;

mod body;
mod errors;
mod notes;
mod report;
mod search;

pub use report::{BuildReport, SearchIndex};
use search::SearchJob;

pub(crate) use crate::model::{load_config, BuildOptions, Model};

pub(crate) use body::render_note_body_with_text;
pub(crate) use body::{body_key, Bodies};
pub(crate) use notes::{finish_notes, index_missing, write_notes};

/// Builds the site into its output folder. On any error the previous output is untouched.
pub fn build(opts: &BuildOptions, hl: &Highlighter) -> Result<BuildReport> {
    let started = Instant::now();
    let cache = match opts.cache {
        true => Cache::open_for(opts)?,
        false => None,
    };
    let p = prepare_checking(opts, cache.as_ref(), |_, _| {})?;
    let search = SearchTexts::Stream;
    let (mut report, _) = write_site(&p, hl, cache.as_ref(), &opts.progress, search, &|s| {
        Box::new(s)
    })?;
    if let Some(c) = cache {
        report.cache_bytes = Some(c.close(true)?);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// [`crate::model::prepare_seen`], having the cache check the last output
/// while links and topics are resolved (see [`Cache::check_output`]).
pub(crate) fn prepare_checking(
    opts: &BuildOptions,
    cache: Option<&Cache>,
    seen: impl FnOnce(&crate::config::SitePaths, &crate::discover::Discovered),
) -> Result<Model> {
    let check = |paths: &crate::config::SitePaths| {
        if let Some(c) = cache {
            c.check_output(&crate::output::absolute(&paths.output));
        }
    };
    crate::model::prepare_seen(opts, cache.map(|c| &c.store), seen, check)
}

/// Lets a caller put its own [`Sink`] around the staging folder (`serve`
/// adds its live-reload script to each page on the way).
pub(crate) type Wrap<'w> = dyn for<'s> Fn(&'s StagingSink) -> Box<dyn Sink + 's> + 'w;

/// What the search collector does with the packed note texts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchTexts {
    /// Writes them out as they are packed (a build: less memory).
    Stream,
    /// Keeps them until the index is written, and the collector is
    /// returned (`serve` adds the changed notes to it again).
    Keep,
}

/// Renders every page of a prepared site into a fresh staging folder and swaps
/// it in for `p.paths.output`. `build` and `serve`'s full rebuilds both come
/// through here, so a generator added here applies to both. With
/// [`SearchTexts::Keep`] also returns the search collector it filled (`serve`
/// keeps it for the next rebuild).
pub(crate) fn write_site(
    p: &Model,
    hl: &Highlighter,
    cache: Option<&Cache>,
    progress: &ProgressHook,
    texts: SearchTexts,
    wrap: &Wrap,
) -> Result<(BuildReport, Option<Collector<'static>>)> {
    let started = Instant::now();
    let pages = Pages::new(p);
    let staging = Staging::begin(&p.paths.output, &p.paths.notes)?;
    let staged = StagingSink::new(staging, cache);
    let wrapped = wrap(&staged);
    let out = &*wrapped;
    let bodies = Bodies::new(hl, cache.map(|c| &c.store));
    let mut phases = p.phases.clone();
    let t = Instant::now();
    // Search terms gathered while the notes render; none with `search: false`
    // or when the index the last build wrote is still right.
    let body_keys = body_keys(p, &pages);
    let resumable = texts == SearchTexts::Stream;
    let job = SearchJob::new(p, (&pages, &body_keys), (out, &staged), cache, resumable);
    let notes = p.site.notes.len();
    let kept = (job.wanted && texts == SearchTexts::Keep)
        .then(|| Collector::new(notes))
        .transpose()?;
    let streamed = (job.wanted && texts == SearchTexts::Stream)
        .then(|| Collector::streaming(notes, out, staged.scratch_dir()))
        .transpose()?;
    if let Some(s) = &streamed {
        job.prepare(s);
    }
    let search = kept.as_ref().or(streamed.as_ref());
    progress.phase("rendering notes", Some(p.site.notes.len()));
    // When the last build's pages are there, most will be kept: plan them
    // for their key only, and build the context of those made again.
    let (key_only, context_only);
    let (plan, render) = match staged.has_previous() {
        true => {
            (key_only, context_only) = (pages.key_only(), pages.context_only());
            (&key_only, &context_only)
        }
        false => (&pages, &pages),
    };
    let mut count = write_notes(
        p,
        (render, plan),
        &body_keys,
        &bodies,
        search,
        progress,
        out,
    )?;
    phases.push(("render notes", t.elapsed()));
    let t = Instant::now();
    progress.phase("listing pages", None);
    count += write_listings(p, render, plan, out)?;
    phases.push(("listings + indexes", t.elapsed()));
    let t = Instant::now();
    let mut search_index = job.outcome();
    if let Some(search) = search {
        progress.phase("search index", None);
        search_index = job.write(p, (&bodies, search), &body_keys, out, cache)?;
    }
    phases.push(("search index", t.elapsed()));
    let t = Instant::now();
    progress.phase("writing", None);
    write_static(p, out)?;
    p.site
        .assets
        .par_iter()
        .try_for_each(|a| out.copy(&a.abs, &a.rel))?;
    // Last: the sitemap lists the pages written above.
    crate::publish::write(p, &staged.files(), out)?;
    drop(streamed);
    drop(wrapped);
    let done = staged.finish(cache)?;
    progress.done();
    phases.push(("static, assets, feeds, swap", t.elapsed()));
    let report = BuildReport {
        notes: p.site.notes.len(),
        pages: count,
        assets: p.site.assets.len(),
        elapsed: started.elapsed(),
        output: done.output,
        unknown_languages: hl.take_unknown(),
        too_long_code: hl.take_too_long(),
        broken_links: p.broken_links,
        feeds_skipped: !crate::publish::feeds_enabled(&p.cfg),
        phases,
        keys: done.keys,
        bodies_rendered: bodies.rendered(),
        files_written: done.written,
        cache_bytes: None,
        body_keys,
        manifest: cache.map(|_| done.manifest),
        search_index,
    };
    Ok((report, kept))
}

/// Every note's body key, in the site's order.
pub(crate) fn body_keys(p: &Model, pages: &Pages) -> Vec<Key> {
    let opts = p.body_options(&pages.base_path);
    (0..p.site.notes.len())
        .into_par_iter()
        .map(|i| body_key(&p.site, i, &opts))
        .collect()
}

/// What the search index is made of: every note's body (`keys`), and its
/// title and link in the site's order (`docs`, from `Pages::search_docs`).
pub(crate) fn search_key(docs: &[(&str, &str)], keys: &[Key]) -> Key {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    (crate::search::FORMAT, keys, docs).hash(&mut h);
    Key(h.finish())
}

/// Plans a page with `plan`'s generators and, if the sink wants it,
/// renders it (made again in full when `plan` only made its key).
fn emit<'a>(
    pages: &Pages<'a>,
    plan: &Pages<'a>,
    out: &dyn Sink,
    make: impl Fn(&Pages<'a>) -> Result<Planned>,
) -> Result<()> {
    let page = make(plan)?;
    if !out.wants(&page.rel, page.key) {
        return Ok(());
    }
    let page = if page.has_context() {
        page
    } else {
        make(pages)?
    };
    out.write(&page.rel, &pages.render(&page)?)
}

/// Folder, topic and index pages, the home page and 404: everything that lists
/// notes; and the search results page.
pub(crate) fn write_listings<'a>(
    p: &'a Model,
    pages: &Pages<'a>,
    plan: &Pages<'a>,
    out: &dyn Sink,
) -> Result<usize> {
    // A folder with an index note (and the home page, when the root has one)
    // is written with the notes: the page shows the note's rendered content.
    let folders: Vec<&String> = p
        .site
        .folders
        .iter()
        .filter(|(p, f)| !p.is_empty() && f.index.is_none())
        .map(|(p, _)| p)
        .collect();
    folders
        .par_iter()
        .try_for_each(|path| emit(pages, plan, out, |g| g.folder(path)))?;
    let topic_pages: Vec<(&crate::topics::Topic, usize)> = p
        .topics
        .topics
        .iter()
        .flat_map(|t| (1..=Pages::topic_pages(t).len()).map(move |k| (t, k)))
        .collect();
    topic_pages
        .par_iter()
        .try_for_each(|(t, page)| emit(pages, plan, out, |g| Ok(g.topic(t, *page))))?;
    emit(pages, plan, out, |g| Ok(g.topic_list()))?;
    let index = pages.heading_index_pages();
    let index_pages = index.pages();
    index_pages
        .par_iter()
        .try_for_each(|page| emit(pages, plan, out, |g| Ok(g.heading_index(&index, page))))?;
    let home = p.site.folder("").and_then(|f| f.index).is_none();
    if home {
        emit(pages, plan, out, |g| Ok(g.home()))?;
    }
    emit(pages, plan, out, |g| Ok(g.not_found()))?;
    if p.cfg.search {
        emit(pages, plan, out, |g| Ok(g.search_page()))?;
    }
    let extra = home as usize + p.cfg.search as usize;
    Ok(folders.len() + topic_pages.len() + index_pages.len() + 2 + extra)
}

/// Theme files, the generated code stylesheet, `search.js` joined from its
/// parts (see [`templates::search_script`]) and `.nojekyll`.
///
/// Pages load one stylesheet: `style.css` (the theme's or the site's own)
/// followed by the code colours (the site's own `syntax.css`, else generated
/// from the configured themes), so no second request blocks the first paint.
/// `syntax.css` is still written alone for templates of a site's own.
pub(crate) fn write_static(p: &Model, out: &dyn Sink) -> Result<()> {
    let files = templates::static_files(&p.paths.static_dir)?;
    let syntax = match files.iter().find(|f| f.rel == "syntax.css") {
        Some(f) => f.bytes()?.into_owned(),
        None => p.syntax_css.as_bytes().to_vec(),
    };
    out.write("static/syntax.css", &syntax)?;
    // A site's own whole `search.js` wins over the parts (the theme has none).
    if !files.iter().any(|f| f.rel == "search.js") {
        if let Some(js) = templates::search_script(&files)? {
            out.write("static/search.js", &js)?;
        }
    }
    for f in &files {
        let rel = format!("static/{}", f.rel);
        match f.rel.as_str() {
            "syntax.css" => {}
            part if templates::is_search_part(part) => {}
            "style.css" => {
                let mut css = f.bytes()?.into_owned();
                if !css.ends_with(b"\n") {
                    css.push(b'\n');
                }
                css.extend_from_slice(&syntax);
                out.write(&rel, &css)?;
            }
            _ => out.write(&rel, &f.bytes()?)?,
        }
    }
    out.write(".nojekyll", b"")
}
