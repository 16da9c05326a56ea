//! Template contexts for every kind of page. Views borrow from the read-only
//! `SiteIndex` and `LinkGraph`; nothing here mutates site state.

use crate::config::Config;
use crate::links::LinkGraph;
use crate::model::Model;
use crate::site::{NoteMeta, SiteIndex};
use crate::templates::Templates;
use crate::topics::{self, Topic, Topics};
use crate::url::href;
use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;

mod describe;
mod heading_index;
mod key;
mod key_encode;
mod nav;
mod note;
mod search_page;
mod topic_pages;

pub use heading_index::INDEX_PAGE_LINKS;
use key::Mode;
pub(crate) use key::{Key, KeyedContext, Planned};
pub(crate) use note::NoteCtx;
pub use topic_pages::TOPIC_PAGE_NOTES;

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    author: &'a str,
    language: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    /// `https://host` of `base_url`, empty without one: `page_url` after it
    /// is the page's absolute URL (its canonical link, `og:url`).
    origin: &'a str,
    /// `atom.xml` exists (it needs an absolute `base_url`), so `<head>` links it.
    feed: bool,
}

#[derive(Serialize)]
struct NavEntry<'a> {
    /// `folder`, `note`, or `more`: the link to a folder's page standing in
    /// for the notes of a big folder that the nav leaves out.
    kind: &'static str,
    name: std::borrow::Cow<'a, str>,
    url: String,
    depth: usize,
    open: bool,
    current: bool,
}

#[derive(Serialize)]
struct Crumb {
    name: String,
    url: String,
}

/// A note as it appears in a list.
#[derive(Serialize)]
pub(crate) struct NoteItem<'a> {
    pub title: &'a str,
    pub url: Cow<'a, str>,
    pub date: &'a str,
    pub description: &'a str,
    pub folder_name: &'a str,
    pub folder_url: Cow<'a, str>,
}

#[derive(Serialize)]
struct FolderItem<'a> {
    name: &'a str,
    url: String,
    count: usize,
    /// The description (or first sentence) of the folder's README; `""` without one.
    description: &'a str,
}

#[derive(Serialize)]
struct FolderCtx<'a, 'b> {
    name: &'a str,
    url: String,
    /// Notes in this folder and below.
    count: usize,
    breadcrumbs: Vec<Crumb>,
    notes: Vec<NoteItem<'a>>,
    subfolders: Vec<FolderItem<'a>>,
    /// The folder's index note (`README.md`, ...), shown above the listing.
    intro: Option<&'b NoteCtx<'b>>,
}

#[derive(Serialize)]
struct LetterGroup<T> {
    letter: String,
    /// The id of its section: see [`letter_id`].
    id: String,
    items: Vec<T>,
}

/// The id of a letter's section on an index page: `letter-A`, ...,
/// `letter-other` for `#` (a `#` in a fragment is invalid).
fn letter_id(letter: char) -> String {
    if letter.is_ascii_alphabetic() {
        format!("letter-{letter}")
    } else {
        "letter-other".to_string()
    }
}

/// `items` grouped by the initial of `text` (see [`crate::collate::by_letter`]), each
/// turned into what the template shows.
fn letter_groups<'i, T, U>(
    items: &'i [T],
    text: impl Fn(&T) -> &str,
    item: impl Fn(&'i T) -> U,
) -> Vec<LetterGroup<U>> {
    crate::collate::by_letter(items, text)
        .iter()
        .map(|(letter, group)| letter_group(*letter, group.iter().copied(), &item))
        .collect()
}

/// One letter's items as the template shows them.
fn letter_group<T, U>(
    letter: char,
    group: impl IntoIterator<Item = T>,
    item: impl Fn(T) -> U,
) -> LetterGroup<U> {
    LetterGroup {
        letter: letter.to_string(),
        id: letter_id(letter),
        items: group.into_iter().map(item).collect(),
    }
}

/// URL of page `page` (from 1) of a paged list whose first page is `first`
/// (`topics/x/`, `topics/x/2/`; `index/j/`, `index/j/2/`).
fn paged_url(first: &str, page: usize) -> String {
    if page <= 1 {
        first.to_string()
    } else {
        format!("{first}{page}/")
    }
}

/// Which page is being rendered, for the nav's open/current marks.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Current<'a> {
    Home,
    Note(usize),
    Folder(&'a str),
    Other,
}

/// Renders pages from the site's data and the loaded templates.
pub(crate) struct Pages<'a> {
    pub site: &'a SiteIndex,
    pub graph: &'a LinkGraph,
    pub topics: &'a Topics,
    pub cfg: &'a Config,
    pub templates: &'a Templates,
    pub base_path: String,
    /// What every page's context starts from; its key covers the templates.
    /// The sidebar's entries as JSON, shared by the pages of one build.
    nav_cache: std::sync::Arc<nav::NavCache<'a>>,
    /// What a planned page gets: a key, a context or both.
    mode: Mode,
    base: KeyedContext,
    /// UI words in the site's language, looked up once rather than per page.
    t: std::collections::BTreeMap<&'static str, &'static str>,
    /// The site's name ([`Config::site_title`]).
    pub title: String,
}

/// The most notes of one folder the nav lists; a bigger folder shows those
/// around the current note and a link to the folder's page.
pub const NAV_NOTES: usize = 50;

/// The buffer a listing page is rendered into at first.
const PAGE_BYTES: usize = 16 * 1024;
const FOLDER_TEMPLATE: &str = "folder.html";
const HOME_TEMPLATE: &str = "index.html";

/// Tag (topic) page URL.
pub(crate) fn topic_url(name: &str) -> String {
    crate::topics::topic_page(&crate::topics::topic_slug(name))
}

impl<'a> Pages<'a> {
    pub(crate) fn new(p: &'a Model) -> Pages<'a> {
        let (site, graph, topics, cfg, templates) =
            (&p.site, &p.graph, &p.topics, &p.cfg, &p.templates);
        let base_path = cfg.base_path();
        let origin = cfg.base_origin();
        let title = cfg.site_title(site);
        let mut base = KeyedContext::full();
        base.depend_on(templates.key());
        base.insert(
            "site",
            &SiteCtx {
                title: &title,
                description: &cfg.description,
                author: &cfg.author,
                language: &cfg.language,
                base_url: &cfg.base_url,
                base_path: &base_path,
                origin: &origin,
                feed: crate::publish::feeds_enabled(cfg),
            },
        );
        let t = crate::i18n::strings(&cfg.language);
        base.insert("t", &t);
        base.insert("search_enabled", &cfg.search);
        base.insert("topics_url", &href(&base_path, "topics/"));
        base.insert(
            "index_url",
            &href(&base_path, &format!("{}/", site.index_dir)),
        );
        Pages {
            site,
            graph,
            topics,
            cfg,
            templates,
            base_path,
            base,
            mode: Mode::Full,
            nav_cache: Default::default(),
            t,
            title,
        }
    }

    pub(crate) fn href(&self, url: &str) -> String {
        href(&self.base_path, url)
    }

    /// The shared context for a page: site, UI strings, nav.
    pub(crate) fn context(&self, kind: &str, url: &str, current: Current) -> KeyedContext {
        let mut ctx = match self.mode {
            Mode::Full => self.base.clone(),
            Mode::KeyOnly => self.base.key_only(),
            Mode::ContextOnly => self.base.context_only(),
        };
        ctx.insert("page_kind", kind);
        ctx.insert("page_url", &self.href(url));
        ctx.insert_encoded(
            "nav",
            |out| self.nav_encoded(&current, out),
            || self.nav(&current),
        );
        ctx
    }

    /// Renders a planned page.
    pub(crate) fn render(&self, page: &Planned) -> Result<Vec<u8>> {
        let Some(ctx) = &page.ctx else {
            anyhow::bail!("internal: `{}` was planned for its key only", page.rel);
        };
        let mut html = Vec::with_capacity(page.capacity);
        self.templates.render_to(page.template, ctx, &mut html)?;
        Ok(html)
    }

    pub(crate) fn note_item(&self, n: &'a NoteMeta) -> NoteItem<'a> {
        let folder_name = n.folder.rsplit('/').next().unwrap_or("");
        let folder_url = match self.site.folder(&n.folder) {
            Some(f) if !f.href.is_empty() => Cow::Borrowed(f.href.as_str()),
            _ => Cow::Owned(self.href(&crate::site::folder_url(&n.folder))),
        };
        NoteItem {
            title: &n.title,
            url: match n.href.is_empty() {
                true => Cow::Owned(self.href(&n.url)),
                false => Cow::Borrowed(&n.href),
            },
            date: n.last_updated(),
            description: n.blurb(),
            folder_name,
            folder_url,
        }
    }

    /// A folder's listing page (one without an index note).
    pub(crate) fn folder(&self, path: &str) -> Result<Planned> {
        let url = self.site.folder(path).map(|f| f.url.clone());
        let ctx = self.folder_context(path, None)?;
        Ok(ctx.plan(
            format!("{}index.html", url.unwrap_or_default()),
            FOLDER_TEMPLATE,
            PAGE_BYTES,
        ))
    }

    /// A folder page's context, with its index note's content when it has one.
    fn folder_context(&self, path: &str, intro: Option<&NoteCtx>) -> Result<KeyedContext> {
        let site: &'a SiteIndex = self.site;
        let Some(f) = site.folder(path) else {
            anyhow::bail!("no folder `{path}`");
        };
        let mut ctx = self.context("folder", &f.url, Current::Folder(path));
        ctx.insert("page_description", &self.describe_folder(f));
        let folder = FolderCtx {
            name: &f.name,
            url: self.href(&f.url),
            count: f.total,
            breadcrumbs: self.crumbs(f.path.rsplit_once('/').map(|(p, _)| p).unwrap_or("")),
            notes: f
                .notes
                .iter()
                .map(|i| self.note_item(&site.notes[*i]))
                .collect(),
            subfolders: self.folder_items(&f.children),
            intro,
        };
        ctx.insert("folder", &folder);
        Ok(ctx)
    }

    fn folder_items(&self, paths: &[String]) -> Vec<FolderItem<'a>> {
        let site: &'a SiteIndex = self.site;
        paths
            .iter()
            .filter_map(|p| site.folder(p))
            .map(|c| FolderItem {
                name: &c.name,
                url: self.href(&c.url),
                count: c.total,
                description: c.index.map_or("", |i| site.notes[i].blurb()),
            })
            .collect()
    }

    /// The home page: recent notes, top folders, root notes, and the content
    /// of `notes/README.md` (or `index.md`) when there is one.
    pub(crate) fn home(&self) -> Planned {
        let ctx = self.home_context(None);
        ctx.plan("index.html".into(), HOME_TEMPLATE, PAGE_BYTES)
    }

    fn home_context(&self, intro: Option<&NoteCtx>) -> KeyedContext {
        let site: &'a SiteIndex = self.site;
        let mut ctx = self.context("home", "", Current::Home);
        ctx.insert("page_description", &self.describe_home());
        ctx.insert("intro", &intro);
        // Not the home page's own README.
        let own = site.folder("").and_then(|f| f.index);
        let recent: Vec<NoteItem> = site
            .recent()
            .into_iter()
            .filter(|&i| Some(i) != own)
            .take(self.cfg.recent_count)
            .map(|i| self.note_item(&site.notes[i]))
            .collect();
        ctx.insert("recent", &recent);
        let root = site.folder("");
        ctx.insert(
            "folders",
            &root
                .map(|r| self.folder_items(&r.children))
                .unwrap_or_default(),
        );
        let root_notes: Vec<NoteItem> = root
            .map(|r| {
                r.notes
                    .iter()
                    .map(|i| self.note_item(&site.notes[*i]))
                    .collect()
            })
            .unwrap_or_default();
        ctx.insert("root_notes", &root_notes);
        let mut stats = std::collections::BTreeMap::new();
        stats.insert("notes", site.notes.len());
        stats.insert("folders", site.folders.len().saturating_sub(1));
        ctx.insert("stats", &stats);
        ctx
    }

    /// The not-found page (served at any depth, so every URL in it is absolute).
    pub(crate) fn not_found(&self) -> Planned {
        let mut ctx = self.context("404", "404.html", Current::Other);
        ctx.insert("page_description", &self.describe_page("not_found", &[]));
        ctx.plan("404.html".into(), "404.html", PAGE_BYTES)
    }
}
