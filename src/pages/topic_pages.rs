//! The topic pages: all topics A-Z, and each topic's notes (paged).

use super::*;

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

impl<'a> Pages<'a> {
    /// `/topics/`: every topic with its note count, grouped by letter.
    pub(crate) fn topic_list(&self) -> Planned {
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
        let n = self.topics.topics.len().to_string();
        ctx.insert(
            "page_description",
            &self.describe_page("topics", &[("n", &n)]),
        );
        ctx.plan("topics/index.html".into(), "topics.html", PAGE_BYTES)
    }

    /// The number of pages of topic `t` (see [`TOPIC_PAGE_NOTES`]), and the
    /// URL of each.
    pub(crate) fn topic_pages(t: &Topic) -> Vec<String> {
        let first = t.url();
        let n = t.notes.len().div_ceil(TOPIC_PAGE_NOTES).max(1);
        (1..=n).map(|k| paged_url(&first, k)).collect()
    }

    /// `/topics/<topic>/` (and `/topics/<topic>/<page>/`): the notes under
    /// one topic, page `page` (from 1) of [`Pages::topic_pages`].
    pub(crate) fn topic(&self, t: &'a Topic, page: usize) -> Planned {
        let site: &'a SiteIndex = self.site;
        let pages = Self::topic_pages(t);
        let page = page.clamp(1, pages.len());
        let url = pages[page - 1].clone();
        let mut ctx = self.context("topic", &url, Current::Other);
        ctx.insert("page_description", &self.describe_topic(t));
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
        ctx.plan(format!("{url}index.html"), "topic.html", PAGE_BYTES)
    }
}
