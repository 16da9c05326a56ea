//! The heading index (`/index/`): every H1-H3 of every note by initial,
//! cut into pages per letter when it is large.

use super::*;

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
pub(crate) struct IndexPages<'a> {
    /// Its folder (`SiteIndex::index_dir`).
    dir: &'static str,
    groups: Vec<(char, Vec<&'a topics::IndexEntry>)>,
    paged: bool,
    entries: usize,
}

/// One page of [`IndexPages`]: its URL and which letter it shows (none: the
/// whole index, or the list of letters when paged), and which of that letter's
/// entries and places: a letter with more than [`INDEX_PAGE_LINKS`] links is
/// cut into several pages (`/index/x/`, `/index/x/2/`, ...), between entries
/// or, for an entry with more links than a page holds, inside it.
pub(crate) struct IndexPage {
    pub url: String,
    letter: Option<usize>,
    /// (entry of the letter, range of its places) shown on this page.
    entries: Vec<(usize, std::ops::Range<usize>)>,
    /// Its number among its letter's pages (from 1), and their URLs.
    part: usize,
    parts: Vec<String>,
}

impl IndexPages<'_> {
    pub(crate) fn pages(&self) -> Vec<IndexPage> {
        let mut v = vec![IndexPage {
            url: format!("{}/", self.dir),
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
            let first = index_letter_url(self.dir, *c);
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
fn index_letter_url(dir: &str, letter: char) -> String {
    if letter.is_ascii_alphabetic() {
        format!("{dir}/{}/", letter.to_ascii_lowercase())
    } else {
        format!("{dir}/other/")
    }
}

impl<'a> Pages<'a> {
    /// The heading index's pages (see [`IndexPages`]).
    pub(crate) fn heading_index_pages(&self) -> IndexPages<'a> {
        let topics: &'a Topics = self.topics;
        let links: usize = topics.headings.iter().map(|e| e.places.len()).sum();
        IndexPages {
            dir: self.site.index_dir,
            groups: crate::collate::by_letter(&topics.headings, |e| &e.text),
            paged: links > INDEX_PAGE_LINKS,
            entries: topics.headings.len(),
        }
    }

    /// Page `page` of [`Pages::heading_index_pages`]: every H1-H3 heading of
    /// every note, like the index of a book.
    pub(crate) fn heading_index(&self, ix: &IndexPages<'a>, page: &IndexPage) -> Planned {
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
                        .map(|&(i, k)| {
                            let n = &site.notes[i as usize];
                            let id = n.headings().get(k as usize).map_or("", |h| &h.id);
                            Place {
                                title: &n.title,
                                url: format!(
                                    "{}#{}",
                                    self.href(&n.url),
                                    crate::url::encode_path(id)
                                ),
                            }
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
                    self.href(&index_letter_url(self.site.index_dir, *letter))
                } else {
                    format!("#{}", letter_id(*letter))
                },
                count: entries.len(),
            })
            .collect();
        let current = page.letter.map(|k| ix.groups[k].0.to_string());
        let description = match &current {
            Some(l) => self.describe_page("index_letter", &[("letter", l)]),
            None => self.describe_page("index", &[("n", &ix.entries.to_string())]),
        };
        ctx.insert("page_description", &description);
        let breadcrumbs: Vec<Crumb> = match current {
            Some(_) => vec![Crumb {
                name: self.t["heading_index"].to_string(),
                url: self.href(&format!("{}/", self.site.index_dir)),
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
        ctx.plan(
            format!("{}index.html", page.url),
            "heading-index.html",
            PAGE_BYTES,
        )
    }
}
