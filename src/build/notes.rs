//! Note pages: each note's body (through [`Bodies`], feeding the search
//! collector) and its page, in parallel, written as they are done; and the
//! notes the collector still lacks before the index is written.

use super::{body_key, errors, Bodies, Model};
use crate::markdown;
use crate::output::{Key, Sink};
use crate::pages::{Pages, Planned};
use crate::progress::ProgressHook;
use crate::search::Collector;
use anyhow::{Context, Result};
use rayon::prelude::*;

/// The most notes one thread renders without offering the rest to another.
/// Rayon otherwise cuts the notes into a few long runs; at the end one
/// thread worked through the last of its run alone while the other idled
/// (0.45 s of a 10k-note build). A note takes milliseconds, so a job per
/// few notes costs nothing.
const LEAF: usize = 4;

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
        .with_max_len(LEAF)
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
        .with_max_len(LEAF)
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
        .map(|(i, e)| (p.site.dir.file(&p.site.notes[i].rel), e))
        .collect();
    anyhow::bail!(errors::summarize(&failed))
}

/// Renders one note's page, unless the sink already has it: planned with
/// `plan` (perhaps for its key only), made with `pages`.
fn write_note(
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
        let n = &p.site.notes[i];
        bodies.touch(body, (&n.title, &n.href));
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
        Some(s) => bodies.index_cached(s, i, key, (&n.title, &n.href))?,
        None => true,
    };
    let mut text = (!indexed).then(markdown::PlainText::default);
    let opts = p.body_options(&pages.base_path);
    let html = bodies.html(&p.site, i, &opts, key, text.as_mut())?;
    if let (Some(s), Some(text)) = (search, text) {
        bodies.index_text(s, (i, &n.tags), (key, (&n.title, &n.href)), text)?;
    }
    let rel = planned.rel.clone();
    let page = pages
        .note_html(planned, i, &html, &p.related[i])
        .with_context(|| format!("while rendering {}", p.site.dir.file(&n.rel)))?;
    out.write(&rel, &page)
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
        let n = &p.site.notes[i];
        let label = (n.title.as_str(), n.href.as_str());
        if bodies.index_cached(search, i, key, label)? {
            return Ok(());
        }
        let text = bodies.text(&p.site, i, &opts, key)?;
        bodies.index_text(search, (i, &n.tags), (key, label), text)
    })?;
    bodies.flush(search)
}
