//! One full build: config -> discover -> SiteIndex -> link check -> render
//! notes in parallel (writing as it goes) -> listing pages -> swap output in.
//!
//! The steps are separate functions over a read-only [`Model`] so that
//! `serve` re-runs exactly the same code for the pages a change affects.

use crate::cache::Cache;
use crate::highlight::Highlighter;
use crate::markdown;
use crate::output::{Key, Sink, Staging, StagingSink};
use crate::pages::{Pages, Planned};
use crate::progress::ProgressHook;
use crate::search::Collector;
use crate::templates;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::time::Instant;

mod body;
mod errors;
mod report;

pub use report::BuildReport;

pub(crate) use crate::model::{load_config, prepare, BuildOptions, Model};

pub(crate) use body::render_note_body_with_text;
pub(crate) use body::{body_key, Bodies};

/// Builds the site into its output folder. On any error the previous output is untouched.
pub fn build(opts: &BuildOptions, hl: &Highlighter) -> Result<BuildReport> {
    let started = Instant::now();
    let cache = match opts.cache {
        true => Cache::open_for(opts)?,
        false => None,
    };
    let p = prepare(opts, cache.as_ref().map(|c| &c.store))?;
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
    let wanted = p.cfg.search && !out.keep_group("search/", search_key(p, &pages, &body_keys));
    let notes = p.site.notes.len();
    let kept = (wanted && texts == SearchTexts::Keep)
        .then(|| Collector::new(notes))
        .transpose()?;
    let streamed = (wanted && texts == SearchTexts::Stream)
        .then(|| Collector::streaming(notes, out))
        .transpose()?;
    let search = kept.as_ref().or(streamed.as_ref());
    progress.phase("rendering notes", Some(p.site.notes.len()));
    // When the last build's pages are there, most will be kept: plan them
    // for their key only, and build the context of those made again.
    let key_only;
    let plan = match staged.has_previous() {
        true => {
            key_only = pages.key_only();
            &key_only
        }
        false => &pages,
    };
    let mut count = write_notes(
        p,
        (&pages, plan),
        &body_keys,
        &bodies,
        search,
        progress,
        out,
    )?;
    phases.push(("render notes", t.elapsed()));
    let t = Instant::now();
    progress.phase("listing pages", None);
    count += write_listings(p, &pages, plan, out)?;
    phases.push(("listings + indexes", t.elapsed()));
    let t = Instant::now();
    if let Some(search) = search {
        progress.phase("search index", None);
        index_missing(p, &bodies, search, Some(&body_keys))?;
        crate::search::write_index(search, &pages.search_docs(), out)?;
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

/// What the search index is made of: every note's body, title and place, and
/// the list of notes with their links (what `write_index` reads).
pub(crate) fn search_key(p: &Model, pages: &Pages, keys: &[Key]) -> Key {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    (crate::search::FORMAT, keys, pages.search_docs()).hash(&mut h);
    for n in &p.site.notes {
        n.title.hash(&mut h);
    }
    Key(h.finish())
}

/// Renders every note in parallel, writing each page as soon as it is done, so
/// memory does not grow with the site's HTML.
pub(crate) fn write_notes(
    p: &Model,
    (pages, plan): (&Pages, &Pages),
    body_keys: &[Key],
    bodies: &Bodies,
    search: Option<&Collector>,
    progress: &ProgressHook,
    out: &dyn Sink,
) -> Result<usize> {
    let failed: Vec<(usize, anyhow::Error)> = (0..p.site.notes.len())
        .into_par_iter()
        .filter_map(|i| {
            let r = write_note(p, (pages, plan), body_keys[i], bodies, search, i, out);
            progress.step();
            Some((i, r.err()?))
        })
        .collect();
    fail_on(p, failed)?;
    Ok(p.site.notes.len())
}

/// Renders notes whose pages were planned (and wanted) already: `serve`
/// plans every page first, to know how many will change.
pub(crate) fn finish_notes(
    p: &Model,
    pages: &Pages,
    bodies: &Bodies,
    search: Option<&Collector>,
    (planned, body_keys): (Vec<(usize, Planned)>, &[Key]),
    out: &dyn Sink,
) -> Result<()> {
    let failed: Vec<(usize, anyhow::Error)> = planned
        .into_par_iter()
        .filter_map(|(i, page)| {
            let r = finish_note(p, pages, bodies, search, (i, body_keys[i]), page, out);
            Some((i, r.err()?))
        })
        .collect();
    fail_on(p, failed)
}

/// One error for all the notes that failed, repeated errors folded.
fn fail_on(p: &Model, failed: Vec<(usize, anyhow::Error)>) -> Result<()> {
    if failed.is_empty() {
        return Ok(());
    }
    let failed: Vec<(String, anyhow::Error)> = failed
        .into_iter()
        .map(|(i, e)| (format!("notes/{}", p.site.notes[i].rel), e))
        .collect();
    anyhow::bail!(errors::summarize(&failed))
}

/// Renders one note's page, unless the sink already has it: planned with
/// `plan` (perhaps for its key only), made with `pages`.
pub(crate) fn write_note(
    p: &Model,
    (pages, plan): (&Pages, &Pages),
    body: Key,
    bodies: &Bodies,
    search: Option<&Collector>,
    i: usize,
    out: &dyn Sink,
) -> Result<()> {
    let planned = plan.note(i, &p.related[i], body)?;
    if !out.wants(&planned.rel, planned.key) {
        bodies.touch(body, &p.site.notes[i].title);
        return Ok(());
    }
    finish_note(p, pages, bodies, search, (i, body), planned, out)
}

/// Renders a planned note page: its body (feeding search), then the page.
fn finish_note(
    p: &Model,
    pages: &Pages,
    bodies: &Bodies,
    search: Option<&Collector>,
    (i, key): (usize, Key),
    planned: Planned,
    out: &dyn Sink,
) -> Result<()> {
    let n = &p.site.notes[i];
    let indexed = match search {
        Some(s) => bodies.index_cached(s, i, key, &n.title)?,
        None => true,
    };
    let mut text = (!indexed).then(markdown::PlainText::default);
    let opts = p.body_options(&pages.base_path);
    let html = bodies.html(&p.site, i, &opts, key, text.as_mut())?;
    if let (Some(s), Some(text)) = (search, text) {
        bodies.index_text(s, i, (key, &n.title), text)?;
    }
    let rel = planned.rel.clone();
    let page = pages
        .note_html(planned, i, &html, &p.related[i])
        .with_context(|| format!("while rendering notes/{}", n.rel))?;
    out.write(&rel, &page)
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

/// Renders the notes the search collector has not seen since it was made (in
/// `serve`, with a fresh collector, every note the rebuild did not render) and
/// adds them, in parallel: the index must cover every note. `keys`: every
/// note's body key, when the caller has them (else computed here).
pub(crate) fn index_missing(
    p: &Model,
    bodies: &Bodies,
    search: &Collector,
    keys: Option<&[Key]>,
) -> Result<()> {
    bodies.flush(search)?;
    let base_path = p.cfg.base_path();
    let opts = p.body_options(&base_path);
    search.missing().into_par_iter().try_for_each(|i| {
        let key = match keys {
            Some(keys) => keys[i],
            None => body_key(&p.site, i, &opts),
        };
        let title = &p.site.notes[i].title;
        if bodies.index_cached(search, i, key, title)? {
            return Ok(());
        }
        let text = bodies.text(&p.site, i, &opts, key)?;
        bodies.index_text(search, i, (key, title), text)
    })?;
    bodies.flush(search)
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

/// Theme files, the generated code stylesheet and `.nojekyll`.
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
    for f in &files {
        let rel = format!("static/{}", f.rel);
        match f.rel.as_str() {
            "syntax.css" => {}
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
