//! Template contexts for every kind of page. Views borrow from the read-only
//! `SiteIndex` and `LinkGraph`; nothing here mutates site state.

use crate::build::Prepared;
use crate::config::Config;
use crate::links::{href, LinkGraph};
use crate::site::{NoteMeta, SiteIndex};
use crate::templates::Templates;
use crate::topics::{self, Topic, Topics};
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    author: &'a str,
    language: &'a str,
    base_url: &'a str,
    base_path: &'a str,
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
pub struct NoteItem<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: &'a str,
    pub description: &'a str,
    pub folder_name: &'a str,
    pub folder_url: String,
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
struct TagLink<'a> {
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    id: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct Backlink<'a> {
    title: &'a str,
    url: String,
    context: &'a str,
}

/// A note as its page shows it: `note` in `note.html`, and `intro` on the
/// folder or home page that a `README.md` / `index.md` is.
#[derive(Serialize)]
pub struct NoteCtx<'a> {
    title: &'a str,
    url: String,
    date: &'a str,
    updated: &'a str,
    description: &'a str,
    tags: Vec<TagLink<'a>>,
    toc: Vec<TocEntry<'a>>,
    content: &'a str,
    source: &'a str,
    breadcrumbs: Vec<Crumb>,
    /// The content opens with the title as an H1, so the template need not repeat it.
    starts_with_title: bool,
    /// That H1 (`""` when the content does not open with the title) and the
    /// content after it: the page shows the heading as its title.
    title_html: &'a str,
    body: &'a str,
    backlinks: Vec<Backlink<'a>>,
    related: Vec<NoteItem<'a>>,
    /// The notes before and after it in its folder's list (none for a
    /// folder's README, which is the folder page), for reading in order.
    prev: Option<NoteItem<'a>>,
    next: Option<NoteItem<'a>>,
    /// The page loads the diagram script (only pages with a diagram do).
    diagrams: bool,
    /// Han characters plus other words, and minutes to read them.
    length: usize,
    reading_minutes: usize,
    /// The note's source on GitHub, opened for editing; empty without `repo_url`.
    edit_url: String,
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
    items: Vec<T>,
}

/// `items` grouped by the initial of `text` (see [`topics::by_letter`]), each
/// turned into what the template shows.
fn letter_groups<'i, T, U>(
    items: &'i [T],
    text: impl Fn(&T) -> &str,
    item: impl Fn(&'i T) -> U,
) -> Vec<LetterGroup<U>> {
    topics::by_letter(items, text)
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
        items: group.into_iter().map(item).collect(),
    }
}

#[derive(Serialize)]
struct TopicItem<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct TopicCtx<'a> {
    name: &'a str,
    url: String,
    breadcrumbs: Vec<Crumb>,
    /// This page's notes (all of them unless the topic is paged).
    notes: Vec<NoteItem<'a>>,
    /// Notes under the topic, on all its pages.
    count: usize,
    /// Page number (from 1), page count, and every page's URL.
    page: usize,
    pages: Vec<String>,
}

/// A topic with more notes than this gets several pages (`/topics/x/`,
/// `/topics/x/2/`, ...): at 10k notes a folder's topic listed 2,000 notes in
/// 1.1 MB of HTML.
pub const TOPIC_PAGE_NOTES: usize = 500;

/// URL of page `page` (from 1) of a paged list whose first page is `first`
/// (`topics/x/`, `topics/x/2/`; `index/j/`, `index/j/2/`).
fn paged_url(first: &str, page: usize) -> String {
    if page <= 1 {
        first.to_string()
    } else {
        format!("{first}{page}/")
    }
}

#[derive(Serialize)]
struct IndexItem<'a> {
    text: &'a str,
    places: Vec<Place<'a>>,
}

#[derive(Serialize)]
struct Place<'a> {
    title: &'a str,
    url: String,
}

/// A letter of the heading index and where its entries are.
#[derive(Serialize)]
struct LetterLink {
    letter: String,
    url: String,
    count: usize,
}

/// Above this many links in all, the heading index gets a page per letter:
/// at 10k notes one page was 14 MB of HTML, too much for a phone, and building
/// it took 80 MB of memory.
pub const INDEX_PAGE_LINKS: usize = 3_000;

/// The pages of the heading index. A small index is one page, `/index/`; a
/// large one (over [`INDEX_PAGE_LINKS`] links) has `/index/` list the letters
/// and a page per letter (`/index/a/`, ..., `/index/other/` for digits and symbols).
pub struct IndexPages<'a> {
    groups: Vec<(char, Vec<&'a topics::IndexEntry>)>,
    paged: bool,
    entries: usize,
}

/// One page of [`IndexPages`]: its URL and which letter it shows (none: the
/// whole index, or the list of letters when paged), and which of that letter's
/// entries and places: a letter with more than [`INDEX_PAGE_LINKS`] links is
/// cut into several pages (`/index/x/`, `/index/x/2/`, ...), between entries
/// or, for an entry with more links than a page holds, inside it.
pub struct IndexPage {
    pub url: String,
    letter: Option<usize>,
    /// (entry of the letter, range of its places) shown on this page.
    entries: Vec<(usize, std::ops::Range<usize>)>,
    /// Its number among its letter's pages (from 1), and their URLs.
    part: usize,
    parts: Vec<String>,
}

impl IndexPages<'_> {
    pub fn pages(&self) -> Vec<IndexPage> {
        let mut v = vec![IndexPage {
            url: "index/".to_string(),
            letter: None,
            entries: Vec::new(),
            part: 1,
            parts: Vec::new(),
        }];
        if !self.paged {
            return v;
        }
        for (k, (c, entries)) in self.groups.iter().enumerate() {
            // A new page before an entry that would take this one over the
            // limit; an entry bigger than a page goes on in the next one.
            let mut cut: Vec<Vec<(usize, std::ops::Range<usize>)>> = vec![Vec::new()];
            let mut links = 0;
            for (j, e) in entries.iter().enumerate() {
                let mut from = 0;
                let n = e.places.len();
                if links > 0 && links + n > INDEX_PAGE_LINKS {
                    cut.push(Vec::new());
                    links = 0;
                }
                while from < n {
                    if links == INDEX_PAGE_LINKS {
                        cut.push(Vec::new());
                        links = 0;
                    }
                    let to = n.min(from + INDEX_PAGE_LINKS - links);
                    if let Some(page) = cut.last_mut() {
                        page.push((j, from..to));
                    }
                    links += to - from;
                    from = to;
                }
            }
            let first = index_letter_url(*c);
            let parts: Vec<String> = (1..=cut.len()).map(|n| paged_url(&first, n)).collect();
            for (n, shown) in cut.into_iter().enumerate() {
                v.push(IndexPage {
                    url: parts[n].clone(),
                    letter: Some(k),
                    entries: shown,
                    part: n + 1,
                    parts: parts.clone(),
                });
            }
        }
        v
    }
}

/// `index/a/` for the letter A; `index/other/` for `#` (digits, symbols).
fn index_letter_url(letter: char) -> String {
    if letter.is_ascii_alphabetic() {
        format!("index/{}/", letter.to_ascii_lowercase())
    } else {
        "index/other/".to_string()
    }
}

/// Which page is being rendered, for the nav's open/current marks.
#[derive(Clone, PartialEq, Eq)]
pub enum Current<'a> {
    Home,
    Note(usize),
    Folder(&'a str),
    Other,
}

/// Renders pages from the site's data and the loaded templates.
pub struct Pages<'a> {
    pub site: &'a SiteIndex,
    pub graph: &'a LinkGraph,
    pub topics: &'a Topics,
    pub cfg: &'a Config,
    pub templates: &'a Templates,
    pub base_path: String,
    base: tera::Context,
    /// Extra HTML put before `</body>` (the live-reload client in `serve`).
    pub inject: Option<String>,
    /// UI words in the site's language, looked up once rather than per page.
    t: std::collections::BTreeMap<&'static str, &'static str>,
}

/// The most notes of one folder the nav lists; a bigger folder shows those
/// around the current note and a link to the folder's page.
pub const NAV_NOTES: usize = 50;

/// GitHub's "edit this file" address of note `rel`: `repo_url/edit/BRANCH/notes/rel`.
fn edit_url(cfg: &crate::config::Config, rel: &str) -> String {
    let repo = cfg.repo_url.trim().trim_end_matches('/');
    if repo.is_empty() {
        return String::new();
    }
    let notes = cfg.notes_dir.to_string_lossy().replace('\\', "/");
    let path = format!("{}/{rel}", notes.trim_matches('/'));
    format!(
        "{repo}/edit/{}/{}",
        crate::links::encode_path(cfg.repo_branch.trim()),
        crate::links::encode_path(path.trim_start_matches("./"))
    )
}

/// Tag (topic) page URL.
pub fn topic_url(name: &str) -> String {
    crate::topics::topic_page(&crate::topics::topic_slug(name))
}

impl<'a> Pages<'a> {
    pub fn new(p: &'a Prepared, inject: Option<String>) -> Pages<'a> {
        let (site, graph, topics, cfg, templates) =
            (&p.site, &p.graph, &p.topics, &p.cfg, &p.templates);
        let base_path = cfg.base_path();
        let mut base = tera::Context::new();
        base.insert(
            "site",
            &SiteCtx {
                title: &cfg.title,
                description: &cfg.description,
                author: &cfg.author,
                language: &cfg.language,
                base_url: &cfg.base_url,
                base_path: &base_path,
                feed: crate::publish::feeds_enabled(cfg),
            },
        );
        let t = crate::i18n::strings(&cfg.language);
        base.insert("t", &t);
        base.insert("search_enabled", &cfg.search);
        base.insert("topics_url", &href(&base_path, "topics/"));
        base.insert("index_url", &href(&base_path, "index/"));
        Pages {
            site,
            graph,
            topics,
            cfg,
            templates,
            base_path,
            base,
            inject,
            t,
        }
    }

    pub fn href(&self, url: &str) -> String {
        href(&self.base_path, url)
    }

    /// The shared context for a page: site, UI strings, nav.
    pub fn context(&self, kind: &str, url: &str, current: Current) -> tera::Context {
        let mut ctx = self.base.clone();
        ctx.insert("page_kind", kind);
        ctx.insert("page_url", &self.href(url));
        ctx.insert("nav", &self.nav(&current));
        ctx
    }

    /// Renders `template` and applies the serve-mode injection.
    pub fn render(&self, template: &str, ctx: &tera::Context) -> Result<String> {
        Ok(String::from_utf8(self.render_bytes(
            template,
            ctx,
            16 * 1024,
        )?)?)
    }

    /// [`Pages::render`] as bytes into a buffer of `capacity` (a page whose
    /// size is roughly known, such as a note around its body, gets it in one
    /// allocation), with the serve-mode injection before `</body>`.
    fn render_bytes(
        &self,
        template: &str,
        ctx: &tera::Context,
        capacity: usize,
    ) -> Result<Vec<u8>> {
        let mut html = Vec::with_capacity(capacity);
        self.templates.render_to(template, ctx, &mut html)?;
        if let Some(inj) = &self.inject {
            let at = html
                .windows(7)
                .rposition(|w| w == b"</body>")
                .unwrap_or(html.len());
            html.splice(at..at, inj.bytes());
        }
        Ok(html)
    }

    fn nav(&self, current: &Current) -> Vec<NavEntry<'a>> {
        let open: &str = match current {
            Current::Note(i) => &self.site.notes[*i].folder,
            Current::Folder(p) => p,
            _ => "",
        };
        let mut out = Vec::new();
        self.nav_folder("", 0, open, current, &mut out);
        out
    }

    fn nav_folder(
        &self,
        path: &str,
        depth: usize,
        open: &str,
        current: &Current,
        out: &mut Vec<NavEntry<'a>>,
    ) {
        let Some(folder) = self.site.folder(path) else {
            return;
        };
        let site: &'a SiteIndex = self.site;
        for child in &folder.children {
            let Some(c) = site.folder(child) else {
                continue;
            };
            let is_open = open == c.path || open.starts_with(&format!("{}/", c.path));
            out.push(NavEntry {
                kind: "folder",
                name: c.name.as_str().into(),
                url: self.href(&c.url),
                depth,
                open: is_open,
                current: *current == Current::Folder(&c.path),
            });
            if is_open {
                self.nav_folder(&c.path, depth + 1, open, current, out);
            }
        }
        // A big folder shows the notes around the current one, and a link to
        // its page for the rest: a nav of every note of a flat folder of
        // thousands made every page as big as the folder's listing.
        let notes = &folder.notes;
        let shown = if notes.len() > NAV_NOTES {
            let at = match current {
                Current::Note(i) if site.notes[*i].folder == folder.path => {
                    site.position_in_folder(*i)
                }
                _ => None,
            };
            let start = at.map_or(0, |p| {
                p.saturating_sub(NAV_NOTES / 2).min(notes.len() - NAV_NOTES)
            });
            start..start + NAV_NOTES
        } else {
            0..notes.len()
        };
        for &i in &notes[shown.clone()] {
            let n = &site.notes[i];
            out.push(NavEntry {
                kind: "note",
                name: n.title.as_str().into(),
                url: self.href(&n.url),
                depth,
                open: false,
                current: *current == Current::Note(i),
            });
        }
        if shown.len() < notes.len() {
            out.push(NavEntry {
                kind: "more",
                name: format!("{} ({})", self.t["nav_more"], notes.len()).into(),
                url: self.href(&folder.url),
                depth,
                open: false,
                current: false,
            });
        }
    }

    fn crumbs(&self, folder: &str) -> Vec<Crumb> {
        let mut v = vec![Crumb {
            name: self.t["home"].to_string(),
            url: self.base_path.clone(),
        }];
        for (path, part) in crate::site::ancestors(folder) {
            v.push(Crumb {
                name: part.to_string(),
                url: self.href(&crate::site::folder_url(path)),
            });
        }
        v
    }

    pub fn note_item(&self, n: &'a NoteMeta) -> NoteItem<'a> {
        let folder_name = n.folder.rsplit('/').next().unwrap_or("");
        NoteItem {
            title: &n.title,
            url: self.href(&n.url),
            date: n.last_updated(),
            description: n.blurb(),
            folder_name,
            folder_url: self.href(&crate::site::folder_url(&n.folder)),
        }
    }

    /// One note's page around its rendered body. A folder's index note
    /// (`README.md`, ...) is its folder's page instead, or the home page.
    pub fn note(&self, i: usize, content: &str, related: &[usize]) -> Result<Vec<u8>> {
        let n = &self.site.notes[i];
        let note = self.note_ctx(i, content, related);
        if self.site.folder(&n.folder).and_then(|f| f.index) == Some(i) {
            let page = if n.folder.is_empty() {
                self.home(Some(&note))?
            } else {
                self.folder(&n.folder, Some(&note))?
            };
            return Ok(page.into_bytes());
        }
        let mut ctx = self.context("note", &n.url, Current::Note(i));
        ctx.insert("note", &note);
        // The body is most of the page: one allocation instead of a dozen.
        self.render_bytes("note.html", &ctx, content.len() + 32 * 1024)
    }

    fn note_ctx<'c>(&self, i: usize, content: &'c str, related: &[usize]) -> NoteCtx<'c>
    where
        'a: 'c,
    {
        let site: &'a SiteIndex = self.site;
        let n = &site.notes[i];
        let backlinks = self
            .graph
            .backlinks
            .get(&i)
            .map(|v| {
                v.iter()
                    .map(|(s, c)| Backlink {
                        title: &site.notes[*s].title,
                        url: self.href(&site.notes[*s].url),
                        context: c,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let siblings: &[usize] = site.folder(&n.folder).map_or(&[], |f| &f.notes);
        let at = site.position_in_folder(i);
        let sibling = |step: isize| {
            let k = at?.checked_add_signed(step)?;
            siblings.get(k).map(|&s| self.note_item(&site.notes[s]))
        };
        let mut toc: Vec<TocEntry> = n
            .headings()
            .iter()
            .filter(|h| h.level <= 4 && !h.text.is_empty())
            .map(|h| TocEntry {
                level: h.level,
                id: &h.id,
                text: &h.text,
            })
            .collect();
        // The title heading is no entry of its own table of contents.
        if toc
            .first()
            .is_some_and(|h| h.level == 1 && h.text == n.title)
        {
            toc.remove(0);
        }
        let own_title = n.scan.starts_with_h1 && n.scan.h1.as_deref() == Some(n.title.as_str());
        let (title_html, body) = match content.find("</h1>") {
            Some(end) if own_title => (content[..end + 5].trim(), &content[end + 5..]),
            _ => ("", content),
        };
        NoteCtx {
            title: &n.title,
            url: self.href(&n.url),
            date: n.date.as_deref().unwrap_or(""),
            // Without dates in its front matter, a note shows the day it last
            // changed (its last commit's, or its file's; see `crate::history`).
            updated: match (&n.updated, &n.date) {
                (Some(u), _) => u,
                (None, Some(_)) => "",
                (None, None) => &n.modified,
            },
            description: n.description.as_deref().unwrap_or(""),
            tags: n
                .tags
                .iter()
                .map(|t| TagLink {
                    name: t,
                    url: self.href(&topic_url(t)),
                })
                .collect(),
            toc,
            content,
            source: &n.rel,
            breadcrumbs: self.crumbs(&n.folder),
            starts_with_title: own_title,
            title_html,
            body,
            backlinks,
            related: related
                .iter()
                .map(|r| self.note_item(&site.notes[*r]))
                .collect(),
            prev: sibling(-1),
            next: sibling(1),
            // Or an embedded note's diagram.
            diagrams: n.scan.diagrams || content.contains("<div class=\"diagram\">"),
            length: n.scan.cjk_chars + n.scan.words,
            reading_minutes: n.scan.reading_minutes(),
            edit_url: edit_url(self.cfg, &n.rel),
        }
    }

    /// A folder's listing page, with its index note's content when it has one.
    pub fn folder(&self, path: &str, intro: Option<&NoteCtx>) -> Result<String> {
        let site: &'a SiteIndex = self.site;
        let Some(f) = site.folder(path) else {
            anyhow::bail!("no folder `{path}`");
        };
        let mut ctx = self.context("folder", &f.url, Current::Folder(path));
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
        self.render("folder.html", &ctx)
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
    pub fn home(&self, intro: Option<&NoteCtx>) -> Result<String> {
        let site: &'a SiteIndex = self.site;
        let mut ctx = self.context("home", "", Current::Home);
        ctx.insert("intro", &intro);
        // Not the home page's own README.
        let own = site.folder("").and_then(|f| f.index);
        let mut order: Vec<usize> = (0..site.notes.len()).filter(|&i| Some(i) != own).collect();
        order.sort_by(|a, b| {
            let (na, nb) = (&site.notes[*a], &site.notes[*b]);
            nb.last_updated()
                .cmp(na.last_updated())
                .then(na.title.cmp(&nb.title))
        });
        let recent: Vec<NoteItem> = order
            .iter()
            .take(self.cfg.recent_count)
            .map(|i| self.note_item(&site.notes[*i]))
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
        self.render("index.html", &ctx)
    }

    /// `/topics/`: every topic with its note count, grouped by letter.
    pub fn topic_list(&self) -> Result<String> {
        let mut ctx = self.context("topics", "topics/", Current::Other);
        let groups = letter_groups(
            &self.topics.topics,
            |t| &t.name,
            |t| TopicItem {
                name: &t.name,
                url: self.href(&t.url()),
                count: t.notes.len(),
            },
        );
        ctx.insert("groups", &groups);
        ctx.insert("count", &self.topics.topics.len());
        self.render("topics.html", &ctx)
    }

    /// The number of pages of topic `t` (see [`TOPIC_PAGE_NOTES`]), and the
    /// URL of each.
    pub fn topic_pages(t: &Topic) -> Vec<String> {
        let first = t.url();
        let n = t.notes.len().div_ceil(TOPIC_PAGE_NOTES).max(1);
        (1..=n).map(|k| paged_url(&first, k)).collect()
    }

    /// `/topics/<topic>/` (and `/topics/<topic>/<page>/`): the notes under
    /// one topic, page `page` (from 1) of [`Pages::topic_pages`].
    pub fn topic(&self, t: &'a Topic, page: usize) -> Result<String> {
        let site: &'a SiteIndex = self.site;
        let pages = Self::topic_pages(t);
        let page = page.clamp(1, pages.len());
        let url = pages[page - 1].clone();
        let mut ctx = self.context("topic", &url, Current::Other);
        let notes: Vec<NoteItem> = t
            .notes
            .iter()
            .skip((page - 1) * TOPIC_PAGE_NOTES)
            .take(TOPIC_PAGE_NOTES)
            .map(|i| self.note_item(&site.notes[*i]))
            .collect();
        let breadcrumbs = vec![Crumb {
            name: self.t["topics"].to_string(),
            url: self.href("topics/"),
        }];
        ctx.insert(
            "topic",
            &TopicCtx {
                name: &t.name,
                url: self.href(&url),
                breadcrumbs,
                notes,
                count: t.notes.len(),
                page,
                pages: pages.iter().map(|u| self.href(u)).collect(),
            },
        );
        self.render("topic.html", &ctx)
    }

    /// The heading index's pages (see [`IndexPages`]).
    pub fn heading_index_pages(&self) -> IndexPages<'a> {
        let topics: &'a Topics = self.topics;
        let links: usize = topics.headings.iter().map(|e| e.places.len()).sum();
        IndexPages {
            groups: topics::by_letter(&topics.headings, |e| &e.text),
            paged: links > INDEX_PAGE_LINKS,
            entries: topics.headings.len(),
        }
    }

    /// Page `page` of [`Pages::heading_index_pages`]: every H1-H3 heading of
    /// every note, like the index of a book.
    pub fn heading_index(&self, ix: &IndexPages<'a>, page: &IndexPage) -> Result<String> {
        let site: &'a SiteIndex = self.site;
        let mut ctx = self.context("index", &page.url, Current::Other);
        type Shown<'e> = (&'e topics::IndexEntry, std::ops::Range<usize>);
        let shown: Vec<(char, Vec<Shown<'a>>)> = match page.letter {
            None if ix.paged => Vec::new(),
            None => ix
                .groups
                .iter()
                .map(|(c, es)| (*c, es.iter().map(|e| (*e, 0..e.places.len())).collect()))
                .collect(),
            Some(k) => {
                let (c, es) = &ix.groups[k];
                let part = page.entries.iter().map(|(j, r)| (es[*j], r.clone()));
                vec![(*c, part.collect())]
            }
        };
        let groups: Vec<LetterGroup<IndexItem>> = shown
            .iter()
            .map(|(letter, entries)| {
                letter_group(*letter, entries, |(e, range)| IndexItem {
                    text: &e.text,
                    places: e.places[range.clone()]
                        .iter()
                        .map(|(i, id)| Place {
                            title: &site.notes[*i].title,
                            url: format!(
                                "{}#{}",
                                self.href(&site.notes[*i].url),
                                crate::links::encode_path(id)
                            ),
                        })
                        .collect(),
                })
            })
            .collect();
        let letters: Vec<LetterLink> = ix
            .groups
            .iter()
            .map(|(letter, entries)| LetterLink {
                letter: letter.to_string(),
                url: if ix.paged {
                    self.href(&index_letter_url(*letter))
                } else {
                    format!("#letter-{letter}")
                },
                count: entries.len(),
            })
            .collect();
        let current = page.letter.map(|k| ix.groups[k].0.to_string());
        let breadcrumbs: Vec<Crumb> = match current {
            Some(_) => vec![Crumb {
                name: self.t["heading_index"].to_string(),
                url: self.href("index/"),
            }],
            None => Vec::new(),
        };
        ctx.insert("groups", &groups);
        ctx.insert("letters", &letters);
        ctx.insert("letter", &current.unwrap_or_default());
        ctx.insert("paged", &ix.paged);
        ctx.insert("page", &page.part);
        let parts: Vec<String> = page.parts.iter().map(|u| self.href(u)).collect();
        ctx.insert("pages", &parts);
        ctx.insert("breadcrumbs", &breadcrumbs);
        ctx.insert("count", &ix.entries);
        self.render("heading-index.html", &ctx)
    }

    /// The not-found page (served at any depth, so every URL in it is absolute).
    pub fn not_found(&self) -> Result<String> {
        let ctx = self.context("404", "404.html", Current::Other);
        self.render("404.html", &ctx)
    }
}
