//! The site model: everything known about the site before any page is
//! written. Config, the notes as loaded (`SiteIndex`), links, topics and
//! related notes, the templates. Built once per build (and by `serve` after
//! each change, from the notes it kept); the page generators borrow it
//! read-only.

use crate::cache::Store;
use crate::config::{Config, LinkPolicy, SitePaths};
use crate::highlight::CodeStyles;
use crate::links::{self, LinkGraph};
use crate::site::SiteIndex;
use crate::templates::Templates;
use crate::topics::{self, Topics};
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's folder (with `notes/` and maybe `biji.yaml`).
    pub root: PathBuf,
    /// The output folder, instead of `output_dir` from biji.yaml.
    pub output: Option<PathBuf>,
    /// Build notes marked `draft: true` too.
    pub drafts: bool,
    /// Overrides `base_url` from biji.yaml.
    pub base_url: Option<String>,
    /// Use the build cache in the site's `.biji-cache/` (the command line's
    /// default; `--no-cache` turns it off).
    pub cache: bool,
    /// Told how the build advances (the CLI's progress bar).
    pub progress: crate::progress::ProgressHook,
}

/// Everything known about the site before any page is written; read-only.
pub(crate) struct Model {
    pub cfg: Config,
    pub paths: SitePaths,
    pub site: SiteIndex,
    pub graph: LinkGraph,
    pub topics: Topics,
    /// Per note: up to five related notes.
    pub related: Vec<Vec<usize>>,
    pub templates: Templates,
    /// How code blocks are coloured, and the stylesheet that goes with it.
    pub code_styles: CodeStyles,
    pub syntax_css: String,
    pub broken_links: usize,
    /// Wall time of the preparation phases.
    pub phases: Vec<(&'static str, Duration)>,
}

/// What [`prepare_from`] derives from the notes: `serve` keeps it for an
/// edit that changed only the text of notes, which changes none of it.
pub(crate) struct Derived {
    graph: LinkGraph,
    topics: Topics,
    related: Vec<Vec<usize>>,
    code_styles: CodeStyles,
    syntax_css: String,
    broken_links: usize,
}

impl Model {
    /// The model of `site` with the parts derived from an earlier model of
    /// the same notes, as they were (see [`Derived`]).
    pub(crate) fn with_derived(
        cfg: Config,
        paths: SitePaths,
        mut site: SiteIndex,
        templates: Templates,
        d: Derived,
    ) -> Model {
        site.set_hrefs(&cfg.base_path());
        Model {
            cfg,
            paths,
            site,
            graph: d.graph,
            topics: d.topics,
            related: d.related,
            templates,
            code_styles: d.code_styles,
            syntax_css: d.syntax_css,
            broken_links: d.broken_links,
            phases: Vec::new(),
        }
    }

    /// The notes, the templates and the derived parts, for the next rebuild.
    pub(crate) fn split(self) -> (SiteIndex, Templates, Derived) {
        let d = Derived {
            graph: self.graph,
            topics: self.topics,
            related: self.related,
            code_styles: self.code_styles,
            syntax_css: self.syntax_css,
            broken_links: self.broken_links,
        };
        (self.site, self.templates, d)
    }
}

/// Loads the site config with CLI overrides applied.
pub(crate) fn load_config(opts: &BuildOptions) -> Result<Config> {
    let mut cfg = Config::load(&opts.root)?;
    if let Some(b) = &opts.base_url {
        crate::config::parse_base_url(b).with_context(|| format!("invalid --base-url `{b}`"))?;
        cfg.base_url = b.clone();
    }
    let cname = cfg.cname.trim().to_ascii_lowercase();
    if !cname.is_empty() && cfg.base_url.is_empty() {
        // A custom domain serves the site at its root.
        cfg.base_url = format!("https://{cname}/");
    }
    Ok(cfg)
}

/// Settings that build a site nobody can reach, said once per build.
fn warn_about_urls(cfg: &Config) {
    let origin = cfg.base_origin().to_ascii_lowercase();
    if origin.ends_with("://github.com") || origin.ends_with("://www.github.com") {
        log::warn!(
            "the base URL {} is a repository's address on GitHub, not where Pages \
             publishes it: a project site is at https://USER.github.io/REPO/",
            cfg.base_url
        );
    }
    let cname = cfg.cname.trim().to_ascii_lowercase();
    let wanted = format!("https://{cname}");
    if !cname.is_empty() && (origin != wanted || cfg.base_path() != "/") {
        log::warn!(
            "biji.yaml: cname `{cname}` but the site is built for {}: a custom domain \
             serves the site at {wanted}/; on GitHub Pages enter the domain in the \
             repository's Settings -> Pages -> Custom domain (a deployment from a \
             workflow ignores the CNAME file), or set base_url to match",
            cfg.base_url
        );
    }
}

/// Reads config, notes and templates and checks links: every user error that
/// can be found without rendering is found here, before anything is written.
pub(crate) fn prepare(opts: &BuildOptions, store: Option<&Store>) -> Result<Model> {
    prepare_seen(opts, store, |_, _| {}, |_| {})
}

/// [`prepare`], calling `seen` with the site's paths and the files found
/// before any of them is read (`serve` takes their stamps there, so an edit
/// made while the build reads is noticed next time), and running
/// `alongside` on another thread while links and topics are resolved (the
/// build checks its last output there).
pub(crate) fn prepare_seen(
    opts: &BuildOptions,
    store: Option<&Store>,
    seen: impl FnOnce(&SitePaths, &crate::discover::Discovered),
    alongside: impl FnOnce(&SitePaths) + Send,
) -> Result<Model> {
    let t = Instant::now();
    let mut cfg = load_config(opts)?;
    warn_about_urls(&cfg);
    let paths = SitePaths::new(&opts.root, &cfg, opts.output.as_deref());
    crate::output::check_output(&paths.output, &paths.notes)?;
    crate::output::check_output_theme(&paths.output, [&paths.templates, &paths.static_dir])?;
    let mut found = crate::discover::discover(&paths.notes, &cfg.exclude()?)?;
    found.dir = paths.shown.clone();
    if found.notes.is_empty()
        && !cfg.exclude.is_empty()
        && !crate::discover::discover(&paths.notes, &Default::default())?
            .notes
            .is_empty()
    {
        anyhow::bail!("biji.yaml: `exclude` leaves out every note; name fewer files and folders");
    }
    own_cname(&mut cfg, &found)?;
    book_breaks(&mut cfg, &found);
    seen(&paths, &found);
    opts.progress.phase("reading notes", None);
    // Git runs beside the (parallel) scan of the notes. Edit links need
    // the notes' path in the repository, which is `notes/` only for a site
    // at the repository's root.
    let (site, days, in_repo) = std::thread::scope(|s| {
        let days = cfg
            .git_dates
            .then(|| s.spawn(|| crate::history::last_commit_days(&paths.notes)));
        let in_repo = (!cfg.repo_url.trim().is_empty())
            .then(|| s.spawn(|| crate::history::notes_prefix(&paths.notes)));
        let site = SiteIndex::build(found, opts.drafts, &cfg.markdown, store);
        let in_repo = in_repo.and_then(|p| p.join().ok()).flatten();
        (site, days.and_then(|d| d.join().ok()), in_repo)
    });
    cfg.notes_in_repo = in_repo;
    let mut site = site?;
    if let Some(days) = days {
        site.use_commit_days(&days);
    }
    let templates = Templates::load(&paths.templates)?;
    let scanned = t.elapsed();
    let mut p = std::thread::scope(|s| {
        let paths = &paths;
        s.spawn(move || alongside(paths));
        prepare_from(cfg, paths.clone(), site, templates)
    })?;
    p.phases.insert(0, ("discover + scan", scanned));
    Ok(p)
}

/// A book (a table of contents, `SUMMARY.md` or `_sidebar.md`) joins the
/// lines of a paragraph, as mdBook, GitBook and docsify show them: its
/// authors wrap prose at a width, and `breaks`' default, the editors' way,
/// broke its sentences (382 times in 7 books). `breaks:` in biji.yaml wins.
fn book_breaks(cfg: &mut Config, found: &crate::discover::Discovered) {
    let book = found.notes.iter().any(|f| crate::site::is_book_toc(&f.rel));
    if book && !cfg.breaks_set && cfg.markdown.breaks {
        cfg.markdown.breaks = false;
        log::debug!("a book: the lines of a paragraph join (`breaks: true` under `markdown:` keeps them apart)");
    }
}

/// A `CNAME` file in the notes folder is the site's, as GitHub Pages reads
/// it: without `cname`, it is (the site's URL too, as `cname` is); with
/// `cname`, both must name one domain.
fn own_cname(cfg: &mut Config, found: &crate::discover::Discovered) -> Result<()> {
    let Some(f) = found.assets.iter().find(|f| f.rel == "CNAME") else {
        return Ok(());
    };
    let set = cfg.cname.trim();
    let own = std::fs::read_to_string(&f.abs).unwrap_or_default();
    if set.is_empty() {
        if crate::config::check_cname(own.trim()).is_ok() {
            cfg.cname = own.trim().to_string();
            if cfg.base_url.is_empty() {
                cfg.base_url = format!("https://{}/", cfg.cname.to_ascii_lowercase());
            }
        }
        return Ok(());
    }
    if own.trim().eq_ignore_ascii_case(set) {
        return Ok(());
    }
    Err(crate::diagnostic::Diagnostic::at(
        found.dir.file("CNAME"),
        format!(
            "it names `{}`, but `cname` in biji.yaml is `{set}`; keep one of them",
            own.trim()
        ),
    )
    .into())
}

/// The derived parts (links, topics, related notes) for an already-loaded site;
/// `serve` calls this after reloading only the notes that changed.
pub(crate) fn prepare_from(
    cfg: Config,
    paths: SitePaths,
    mut site: SiteIndex,
    templates: Templates,
) -> Result<Model> {
    let t = Instant::now();
    site.set_hrefs(&cfg.base_path());
    let (graph, mut broken) = links::check_all(&site);
    broken.extend(links::check_includes(&site, &paths.root));
    links::suggest_listed(&site, &mut broken);
    let links_time = t.elapsed();
    if !broken.is_empty() {
        match cfg.links {
            LinkPolicy::Error => anyhow::bail!(links::broken_error(&broken)),
            LinkPolicy::Warn => {
                let (shown, more) = links::listed(&broken);
                shown.iter().for_each(|b| log::warn!("{b}"));
                more.iter().for_each(|m| log::warn!("{m}"));
            }
        }
    }
    // A site's own `static/syntax.css` replaces the generated colours, and
    // styles the scope classes.
    let own_css = paths.static_dir.join("syntax.css").is_file();
    let code_styles = CodeStyles::new(
        &cfg.highlight_theme_light,
        &cfg.highlight_theme_dark,
        own_css,
    )?;
    let syntax_css = crate::highlight::stylesheet(&code_styles);
    let t = Instant::now();
    let topics = Topics::collect(&site);
    let related = topics::related(&site, &topics, &graph, 5);
    let topics_time = t.elapsed();
    Ok(Model {
        cfg,
        paths,
        site,
        graph,
        topics,
        related,
        templates,
        code_styles,
        syntax_css,
        broken_links: broken.len(),
        phases: vec![("links", links_time), ("topics + related", topics_time)],
    })
}
