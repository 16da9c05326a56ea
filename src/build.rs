//! One full build: config -> discover -> SiteIndex -> link check -> render
//! notes in parallel (writing as it goes) -> listing pages -> swap output in.
//!
//! The steps are separate functions over a read-only [`Prepared`] so that
//! `serve` re-runs exactly the same code for the pages a change affects.

use crate::config::{Config, LinkPolicy, SitePaths};
use crate::highlight::Highlighter;
use crate::links::{self, LinkGraph};
use crate::markdown;
use crate::output::Staging;
use crate::pages::Pages;
use crate::site::SiteIndex;
use crate::templates::{self, Templates};
use crate::topics::{self, Topics};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod body;
mod errors;

pub use body::{render_note_body, render_note_body_with_text, BodyOptions};

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
    /// Code blocks shown plain because they are too long to highlight, as
    /// `file:line (why)`.
    pub too_long_code: Vec<String>,
    pub broken_links: usize,
    /// `sitemap.xml` and `atom.xml` were left out: `base_url` is not set.
    pub feeds_skipped: bool,
    /// Wall time of each phase, in order (shown with `-v`).
    pub phases: Vec<(&'static str, Duration)>,
}

/// Writes one output file at a site-relative path (staging folder, or the
/// served folder in `serve`).
pub type Writer<'a> = dyn Fn(&str, &[u8]) -> Result<()> + Sync + 'a;

/// Everything known about the site before any page is written; read-only.
pub struct Prepared {
    pub cfg: Config,
    pub paths: SitePaths,
    pub site: SiteIndex,
    pub graph: LinkGraph,
    pub topics: Topics,
    /// Per note: up to five related notes.
    pub related: Vec<Vec<usize>>,
    pub templates: Templates,
    pub syntax_css: String,
    pub broken_links: usize,
    /// Search terms gathered while notes render; `None` with `search: false`.
    pub search: Option<crate::search::Collector>,
    /// Wall time of the preparation phases.
    pub phases: Vec<(&'static str, Duration)>,
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

/// Reads config, notes and templates and checks links: every user error that
/// can be found without rendering is found here, before anything is written.
pub fn prepare(opts: &BuildOptions) -> Result<Prepared> {
    let t = Instant::now();
    let cfg = load_config(opts)?;
    let paths = SitePaths::new(&opts.root, &cfg, opts.output.as_deref());
    crate::output::check_output(&paths.output, &paths.notes)?;
    let found = crate::discover::discover(&paths.notes)?;
    // Git runs beside the (parallel) scan of the notes.
    let (site, days) = std::thread::scope(|s| {
        let days = cfg
            .git_dates
            .then(|| s.spawn(|| crate::history::last_commit_days(&paths.notes)));
        let site = SiteIndex::build(found, opts.drafts, &cfg.markdown);
        (site, days.and_then(|d| d.join().ok()))
    });
    let mut site = site?;
    if let Some(days) = days {
        site.use_commit_days(&days);
    }
    let templates = Templates::load(&paths.templates)?;
    let scanned = t.elapsed();
    let mut p = prepare_from(cfg, paths, site, templates)?;
    p.phases.insert(0, ("discover + scan", scanned));
    Ok(p)
}

/// The derived parts (links, topics, related notes) for an already-loaded site;
/// `serve` calls this after reloading only the notes that changed.
pub fn prepare_from(
    cfg: Config,
    paths: SitePaths,
    site: SiteIndex,
    templates: Templates,
) -> Result<Prepared> {
    let t = Instant::now();
    if let Some(cycle) = cfg
        .markdown
        .embeds
        .then(|| links::embed_cycle(&site))
        .flatten()
    {
        anyhow::bail!(cycle);
    }
    let (graph, broken) = links::check_all(&site);
    let links_time = t.elapsed();
    if !broken.is_empty() {
        let list: Vec<String> = broken.iter().map(|b| b.to_string()).collect();
        match cfg.links {
            LinkPolicy::Error => anyhow::bail!(links::broken_error(&broken)),
            LinkPolicy::Warn => list.iter().for_each(|l| log::warn!("{l}")),
        }
    }
    let syntax_css =
        crate::highlight::stylesheet(&cfg.highlight_theme_light, &cfg.highlight_theme_dark)?;
    let t = Instant::now();
    let topics = Topics::collect(&site);
    let related = topics::related(&site, &topics, &graph, 5);
    let topics_time = t.elapsed();
    let search = if cfg.search {
        Some(crate::search::Collector::new(site.notes.len())?)
    } else {
        None
    };
    Ok(Prepared {
        cfg,
        paths,
        site,
        graph,
        topics,
        related,
        templates,
        syntax_css,
        broken_links: broken.len(),
        search,
        phases: vec![("links", links_time), ("topics + related", topics_time)],
    })
}

impl Prepared {
    /// Page renderer over this site; `inject` is serve's live-reload client.
    pub fn pages(&self, inject: Option<String>) -> Pages<'_> {
        Pages::new(self, inject)
    }
}

/// Builds the site into its output folder. On any error the previous output is untouched.
pub fn build(opts: &BuildOptions, hl: &Highlighter) -> Result<BuildReport> {
    let started = Instant::now();
    let p = prepare(opts)?;
    let mut report = write_site(&p, opts.inject.clone(), hl)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Renders every page of a prepared site into a fresh staging folder and swaps
/// it in for `p.paths.output`. `build` and `serve`'s full rebuilds both come
/// through here, so a generator added here applies to both.
pub fn write_site(p: &Prepared, inject: Option<String>, hl: &Highlighter) -> Result<BuildReport> {
    let started = Instant::now();
    let pages = p.pages(inject);
    let staging = Staging::begin(&p.paths.output, &p.paths.notes)?;
    let write = |rel: &str, bytes: &[u8]| staging.write(rel, bytes);
    let mut phases = p.phases.clone();
    let t = Instant::now();
    let mut count = write_notes(p, &pages, hl, &write)?;
    phases.push(("render notes", t.elapsed()));
    let t = Instant::now();
    count += write_listings(p, &pages, &write)?;
    phases.push(("listings + indexes", t.elapsed()));
    let t = Instant::now();
    count += crate::search::write_index(p, &pages, hl, &write)?.pages;
    phases.push(("search index", t.elapsed()));
    let t = Instant::now();
    write_static(p, &write)?;
    p.site
        .assets
        .par_iter()
        .try_for_each(|a| staging.copy(&a.abs, &a.rel))?;
    // Last: the sitemap lists the pages written above.
    crate::publish::write(p, staging.dir(), &write)?;
    let output = staging.commit()?;
    phases.push(("static, assets, feeds, swap", t.elapsed()));
    Ok(BuildReport {
        notes: p.site.notes.len(),
        pages: count,
        assets: p.site.assets.len(),
        elapsed: started.elapsed(),
        output,
        unknown_languages: hl.take_unknown(),
        too_long_code: hl.take_too_long(),
        broken_links: p.broken_links,
        feeds_skipped: !crate::publish::feeds_enabled(&p.cfg),
        phases,
    })
}

/// Renders every note in parallel, writing each page as soon as it is done, so
/// memory does not grow with the site's HTML.
pub fn write_notes(p: &Prepared, pages: &Pages, hl: &Highlighter, write: &Writer) -> Result<usize> {
    let all: Vec<usize> = (0..p.site.notes.len()).collect();
    write_some_notes(p, pages, hl, &all, write)
}

/// Renders and writes the given notes (all of them in a build, the affected ones in `serve`).
pub fn write_some_notes(
    p: &Prepared,
    pages: &Pages,
    hl: &Highlighter,
    which: &[usize],
    write: &Writer,
) -> Result<usize> {
    let failed: Vec<(String, anyhow::Error)> = which
        .par_iter()
        .filter_map(|&i| {
            let e = write_note(p, pages, hl, i, write).err()?;
            Some((format!("notes/{}", p.site.notes[i].rel), e))
        })
        .collect();
    if !failed.is_empty() {
        anyhow::bail!(errors::summarize(&failed));
    }
    Ok(which.len())
}

/// Renders and writes one note's page.
pub fn write_note(
    p: &Prepared,
    pages: &Pages,
    hl: &Highlighter,
    i: usize,
    write: &Writer,
) -> Result<()> {
    let n = &p.site.notes[i];
    let mut text = p.search.as_ref().map(|_| markdown::PlainText::default());
    let opts = p.body_options(&pages.base_path);
    let html = render_note_body_with_text(&p.site, i, &opts, hl, text.as_mut())?;
    if let (Some(s), Some(text)) = (&p.search, text) {
        s.add_text(i, &n.title, text)?;
    }
    let page = pages
        .note(i, &html, &p.related[i])
        .with_context(|| format!("while rendering notes/{}", n.rel))?;
    write(&format!("{}index.html", n.url), &page)
}

/// Folder, topic and index pages, the home page and 404: everything that lists notes.
pub fn write_listings(p: &Prepared, pages: &Pages, write: &Writer) -> Result<usize> {
    // A folder with an index note (and the home page, when the root has one)
    // is written with the notes: the page shows the note's rendered content.
    let folders: Vec<(&String, &crate::site::Folder)> = p
        .site
        .folders
        .iter()
        .filter(|(p, f)| !p.is_empty() && f.index.is_none())
        .collect();
    folders.par_iter().try_for_each(|(path, f)| {
        write(
            &format!("{}index.html", f.url),
            pages.folder(path, None)?.as_bytes(),
        )
    })?;
    let topic_pages: Vec<(&crate::topics::Topic, usize, String)> = p
        .topics
        .topics
        .iter()
        .flat_map(|t| {
            Pages::topic_pages(t)
                .into_iter()
                .enumerate()
                .map(move |(k, url)| (t, k + 1, url))
        })
        .collect();
    topic_pages.par_iter().try_for_each(|(t, page, url)| {
        write(
            &format!("{url}index.html"),
            pages.topic(t, *page)?.as_bytes(),
        )
    })?;
    write("topics/index.html", pages.topic_list()?.as_bytes())?;
    let index = pages.heading_index_pages();
    let index_pages = index.pages();
    index_pages.par_iter().try_for_each(|page| {
        write(
            &format!("{}index.html", page.url),
            pages.heading_index(&index, page)?.as_bytes(),
        )
    })?;
    let home = p.site.folder("").and_then(|f| f.index).is_none();
    if home {
        write("index.html", pages.home(None)?.as_bytes())?;
    }
    write("404.html", pages.not_found()?.as_bytes())?;
    Ok(folders.len() + topic_pages.len() + index_pages.len() + 2 + home as usize)
}

/// Theme files, the generated code stylesheet and `.nojekyll`.
pub fn write_static(p: &Prepared, write: &Writer) -> Result<()> {
    // Generated first, so a site's own static/syntax.css replaces it.
    write("static/syntax.css", p.syntax_css.as_bytes())?;
    for f in templates::static_files(&p.paths.static_dir)? {
        write(&format!("static/{}", f.rel), &f.bytes()?)?;
    }
    write(".nojekyll", b"")
}
