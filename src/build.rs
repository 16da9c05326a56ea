//! One full build: config -> discover -> SiteIndex -> link check -> render
//! notes in parallel (writing as it goes) -> listing pages -> swap output in.

use crate::config::{Config, LinkPolicy, SitePaths};
use crate::highlight::Highlighter;
use crate::links;
use crate::markdown::{self, LinkKind, RenderCtx};
use crate::output::Staging;
use crate::pages::Pages;
use crate::site::SiteIndex;
use crate::templates::{self, Templates};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Overrides `base_url` from biji.yaml.
    pub base_url: Option<String>,
    /// HTML added before `</body>` of every page (serve's live-reload client).
    pub inject: Option<String>,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub notes: usize,
    pub pages: usize,
    pub assets: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    /// Labelled code blocks in a language we cannot highlight, with counts.
    pub unknown_languages: BTreeMap<String, usize>,
    pub broken_links: usize,
}

/// Loads the site config with CLI overrides applied.
pub fn load_config(opts: &BuildOptions) -> Result<Config> {
    let mut cfg = Config::load(&opts.root)?;
    if let Some(b) = &opts.base_url {
        crate::config::parse_base_url(b).with_context(|| format!("invalid --base-url `{b}`"))?;
        cfg.base_url = b.clone();
    }
    Ok(cfg)
}

/// Builds the site into its output folder. On any error the previous output is untouched.
pub fn build(opts: &BuildOptions, hl: &Highlighter) -> Result<BuildReport> {
    let started = Instant::now();
    let cfg = load_config(opts)?;
    let paths = SitePaths::new(&opts.root, &cfg, opts.output.as_deref());
    crate::output::check_output(&paths.output, &paths.notes)?;
    let found = crate::discover::discover(&paths.notes)?;
    let site = SiteIndex::build(found, opts.drafts)?;
    let (graph, broken) = links::check_all(&site);
    if !broken.is_empty() {
        let list: Vec<String> = broken.iter().map(|b| b.to_string()).collect();
        match cfg.links {
            LinkPolicy::Error => anyhow::bail!(
                "{} broken link(s):\n{}\n(set `links: warn` in biji.yaml to build anyway)",
                broken.len(),
                list.join("\n")
            ),
            LinkPolicy::Warn => list.iter().for_each(|l| log::warn!("{l}")),
        }
    }
    let templates = Templates::load(&paths.templates)?;
    let syntax_css =
        crate::highlight::stylesheet(&cfg.highlight_theme_light, &cfg.highlight_theme_dark)?;
    let pages = Pages::new(&site, &graph, &cfg, &templates, opts.inject.clone());

    let staging = Staging::begin(&paths.output, &paths.notes)?;
    let note_pages = render_notes(&site, &pages, hl, &staging)?;
    let mut page_count = note_pages;
    for path in site.folders.keys().filter(|p| !p.is_empty()) {
        let f = &site.folders[path];
        staging.write(
            &format!("{}index.html", f.url),
            pages.folder(path)?.as_bytes(),
        )?;
        page_count += 1;
    }
    staging.write("index.html", pages.home(&tera::Context::new())?.as_bytes())?;
    staging.write("404.html", pages.not_found()?.as_bytes())?;
    page_count += 2;
    // Generated first, so a site's own static/syntax.css replaces it.
    staging.write("static/syntax.css", syntax_css.as_bytes())?;
    for f in templates::static_files(&paths.static_dir)? {
        staging.write(&format!("static/{}", f.rel), &f.bytes()?)?;
    }
    staging.write(".nojekyll", b"")?;
    site.assets
        .par_iter()
        .try_for_each(|a| staging.copy(&a.abs, &a.rel))?;
    let output = staging.commit()?;
    Ok(BuildReport {
        notes: site.notes.len(),
        pages: page_count,
        assets: site.assets.len(),
        elapsed: started.elapsed(),
        output,
        unknown_languages: hl.take_unknown(),
        broken_links: broken.len(),
    })
}

/// Renders every note in parallel, writing each page as soon as it is done.
fn render_notes(
    site: &SiteIndex,
    pages: &Pages,
    hl: &Highlighter,
    staging: &Staging,
) -> Result<usize> {
    let results: Vec<Result<()>> = (0..site.notes.len())
        .into_par_iter()
        .map(|i| {
            let html = render_note_body(site, i, &pages.base_path, hl)?;
            let page = pages
                .note(i, &html, &[])
                .with_context(|| format!("while rendering notes/{}", site.notes[i].rel))?;
            staging.write(&format!("{}index.html", site.notes[i].url), page.as_bytes())
        })
        .collect();
    let errors: Vec<String> = results
        .into_iter()
        .filter_map(|r| r.err())
        .map(|e| format!("{e:#}"))
        .collect();
    if !errors.is_empty() {
        anyhow::bail!("{}", errors.join("\n"));
    }
    Ok(site.notes.len())
}

/// A note's body as HTML: re-reads the source (memory stays flat: sources are
/// not kept), highlights code and rewrites links to their targets' URLs.
pub fn render_note_body(
    site: &SiteIndex,
    i: usize,
    base_path: &str,
    hl: &Highlighter,
) -> Result<String> {
    let n = &site.notes[i];
    let text = std::fs::read_to_string(&n.abs)
        .with_context(|| format!("cannot read note `{}`", n.abs.display()))?;
    let split = crate::frontmatter::split(&text, &format!("notes/{}", n.rel))?;
    let resolve = |dest: &str, kind: LinkKind| {
        links::resolve(site, n, dest, kind)
            .ok()
            .and_then(|t| links::target_href(site, base_path, &t))
    };
    Ok(markdown::render(
        split.body,
        &RenderCtx {
            headings: n.headings(),
            highlighter: hl,
            resolve: &resolve,
        },
    ))
}
