//! A note's page: its context (dates, tags, table of contents, backlinks,
//! related notes, neighbours, reading time, edit link).

use super::*;

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
pub(crate) struct NoteCtx<'a> {
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
    /// The content shows the title as an H1 a little further down (after a
    /// `[TOC]`, a quote): the header does not show it a second time.
    title_in_body: bool,
    /// That H1 (`""` when the content does not open with the title) and the
    /// content after it: the page shows the heading as its title.
    title_html: &'a str,
    /// That H1's id (`""` without one): the home page, which shows the
    /// site's title instead, gives it to its own so links to it still land.
    title_id: &'a str,
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

/// GitHub's "edit this file" address of note `rel`: `repo_url/edit/BRANCH/notes/rel`,
/// with the notes folder's path in the repository when Git knows it
/// (`blog/notes/` for a site in a subfolder).
fn edit_url(cfg: &crate::config::Config, rel: &str) -> String {
    let repo = cfg.repo_url.trim().trim_end_matches('/');
    if repo.is_empty() {
        return String::new();
    }
    let path = match &cfg.notes_in_repo {
        Some(prefix) => format!("{prefix}{rel}"),
        None => {
            let notes = cfg.notes_dir.to_string_lossy().replace('\\', "/");
            format!("{}/{rel}", notes.trim_matches('/'))
        }
    };
    format!(
        "{repo}/edit/{}/{}",
        crate::url::encode_path(cfg.repo_branch.trim()),
        crate::url::encode_path(path.trim_start_matches("./"))
    )
}

impl<'a> Pages<'a> {
    /// One note's page, planned before its body is rendered: the key covers
    /// the context (with an empty body) and `body`, the body's own key. A
    /// folder's index note (`README.md`, ...) is its folder's page instead,
    /// or the home page.
    pub(crate) fn note(&self, i: usize, related: &[usize], body: Key) -> Result<Planned> {
        let n = &self.site.notes[i];
        let (mut ctx, template) = self.note_context(i, None, related)?;
        ctx.depend_on(body);
        Ok(ctx.plan(format!("{}index.html", n.url), template, PAGE_BYTES))
    }

    /// The HTML of a note's page planned by [`Pages::note`], around its body.
    pub(crate) fn note_html(
        &self,
        mut page: Planned,
        i: usize,
        content: &str,
        related: &[usize],
    ) -> Result<Vec<u8>> {
        if self.is_index(i) || !page.has_context() {
            // The note is inside the folder's (or home) context, or the page
            // was planned for its key only: build the context again.
            let (ctx, template) = self.note_context(i, Some(content), related)?;
            page.ctx = ctx.into_context();
            page.template = template;
        } else if let Some(ctx) = &mut page.ctx {
            ctx.insert("note", &self.note_ctx(i, content, related));
        }
        // The body is most of the page: one allocation instead of a dozen.
        page.capacity = content.len() + 32 * 1024;
        self.render(&page)
    }

    fn is_index(&self, i: usize) -> bool {
        let n = &self.site.notes[i];
        self.site.folder(&n.folder).and_then(|f| f.index) == Some(i)
    }

    /// The context of a note's page, and its template: a folder's or the home
    /// page's for an index note.
    /// Without `content` (planning), the note's own entry goes into the key
    /// only: [`Pages::note_html`] puts it in with the body.
    fn note_context(
        &self,
        i: usize,
        content: Option<&str>,
        related: &[usize],
    ) -> Result<(KeyedContext, &'static str)> {
        let n = &self.site.notes[i];
        let note = self.note_ctx(i, content.unwrap_or(""), related);
        if self.is_index(i) {
            return Ok(if n.folder.is_empty() {
                (self.home_context(Some(&note)), HOME_TEMPLATE)
            } else {
                (
                    self.folder_context(&n.folder, Some(&note))?,
                    FOLDER_TEMPLATE,
                )
            });
        }
        let mut ctx = self.context("note", &n.url, Current::Note(i));
        ctx.insert("page_description", &self.describe_note(n));
        match content {
            Some(_) => ctx.insert("note", &note),
            None => ctx.hash_only("note", &note),
        }
        #[cfg(test)]
        ctx.insert("probe", &self.cfg.probe);
        Ok((ctx, "note.html"))
    }

    pub(super) fn note_ctx<'c>(&self, i: usize, content: &'c str, related: &[usize]) -> NoteCtx<'c>
    where
        'a: 'c,
    {
        let site: &'a SiteIndex = self.site;
        let n = &site.notes[i];
        let backlinks = self.backlinks(i);
        let sibling = |step: isize| {
            let s = site.neighbour(i, step)?;
            Some(self.note_item(&site.notes[s]))
        };
        let own_title = n.scan.starts_with_h1 && n.scan.h1.as_deref() == Some(n.title.as_str());
        // Looked for only when the body starts with the title: else the
        // search ran through the whole body (6% of a template edit's rebuild).
        let title_end = own_title.then(|| content.find("</h1>")).flatten();
        let (title_html, body) = match title_end {
            Some(end) => (content[..end + 5].trim(), &content[end + 5..]),
            None => ("", content),
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
            toc: toc(n),
            content,
            source: &n.rel,
            breadcrumbs: self.crumbs(&n.folder),
            starts_with_title: own_title,
            title_in_body: !own_title
                && n.scan.h1_near_top
                && n.scan.h1.as_deref() == Some(n.title.as_str()),
            title_html,
            title_id: match title_html.is_empty() {
                true => "",
                false => n.headings().first().map_or("", |h| h.id.as_str()),
            },
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

    /// The notes linking to note `i`, with the text around each link.
    fn backlinks(&self, i: usize) -> Vec<Backlink<'a>> {
        let site: &'a SiteIndex = self.site;
        let graph: &'a LinkGraph = self.graph;
        graph.backlinks.get(&i).map_or_else(Vec::new, |v| {
            v.iter()
                .map(|(s, c)| Backlink {
                    title: &site.notes[*s].title,
                    url: self.href(&site.notes[*s].url),
                    context: c,
                })
                .collect()
        })
    }
}

/// A note's table of contents: H1-H4 headings, without its own title.
fn toc(n: &NoteMeta) -> Vec<TocEntry<'_>> {
    let mut toc: Vec<TocEntry> = n
        .headings()
        .iter()
        .filter(|h| h.level <= 4 && !h.text.is_empty() && !h.id.is_empty())
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
    toc
}
