//! A book's table of contents: mdBook's and GitBook's `SUMMARY.md`, or
//! docsify's `_sidebar.md`, at the root of the notes folder. Its links give
//! the book's order (folder listings, the sidebar, the previous and next
//! links) and name the chapters whose files give no title of their own:
//! books keep a chapter's name there and open it with a `##` heading, so
//! without it a chapter was listed by its file name, in the order of titles.

use super::load::file_title;
use super::{NoteMeta, SiteIndex};
use crate::config::NotesDir;
use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// The files that hold a book's table of contents, by precedence.
pub(crate) const TOC_NAMES: [&str; 3] = ["SUMMARY.md", "summary.md", "_sidebar.md"];

/// Whether the note at `rel` is a book's table of contents.
pub(crate) fn is_book_toc(rel: &str) -> bool {
    TOC_NAMES.contains(&rel)
}

/// What the table of contents says of each note.
#[derive(Debug, Default)]
pub(crate) struct Book {
    /// Its place in the book (`u32::MAX` for one it does not list).
    pub(crate) place: Vec<u32>,
    /// How many chapters of its own folder it is listed under (a section
    /// under its chapter, both files in one folder): its indent in the
    /// sidebar, which otherwise shows only folders nested.
    pub(crate) indent: Vec<u8>,
    /// The notes it lists, in its order (previous and next links follow it
    /// across folders, as a book is read).
    pub(crate) order: Vec<usize>,
    /// The table itself: a book's sidebar, not one of its chapters.
    pub(crate) toc: Option<usize>,
    /// Folders without a page of their own that the book opens with a
    /// chapter inside them (`first-try/intro.md` above the rest of
    /// `first-try/`): the folder and that chapter.
    pub(crate) heads: HashMap<String, usize>,
}

/// The book's order and indents; notes named only by their file take the
/// book's name for them.
pub(crate) fn apply(notes: &mut [NoteMeta], dir: &NotesDir) -> Book {
    let mut book = Book {
        place: vec![u32::MAX; notes.len()],
        indent: vec![0; notes.len()],
        ..Default::default()
    };
    let Some(toc) = TOC_NAMES
        .iter()
        .find_map(|name| notes.iter().position(|n| n.rel == *name))
    else {
        return book;
    };
    let source = match super::read_note(&notes[toc].abs, &dir.file(&notes[toc].rel)) {
        Ok(s) => s,
        Err(e) => {
            log::warn!("{e:#}: the book's order is left out");
            return book;
        }
    };
    let body = crate::frontmatter::split(&source, "").map_or(source.as_str(), |s| s.body);
    let by_rel: HashMap<&str, usize> = notes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.rel.as_str(), i))
        .collect();
    book.toc = Some(toc);
    let mut named = Vec::new();
    // The chapters the entry being read is listed under: (depth, note).
    let mut above: Vec<(usize, usize)> = Vec::new();
    // Per folder: the shallowest entry in it, and whether one is deeper or
    // it is the only one.
    let mut shallowest: HashMap<&str, (usize, usize, bool)> = HashMap::new();
    for (dest, text, depth) in links(body) {
        let Some(i) = find(&by_rel, &dest) else {
            continue;
        };
        if book.place[i] != u32::MAX || i == toc {
            continue;
        }
        above.retain(|&(d, _)| d < depth);
        let n = &notes[i];
        let chapters = above
            .iter()
            .filter(|&&(_, a)| notes[a].folder == n.folder && !notes[a].folder_page);
        book.indent[i] = chapters.count().min(8) as u8;
        // A prefix chapter, outside the lists, holds none.
        if depth > 0 {
            above.push((depth, i));
        }
        book.place[i] = named.len() as u32;
        named.push((i, text));
        let head = shallowest.entry(&n.folder).or_insert((depth, i, true));
        if depth < head.0 {
            *head = (depth, i, true);
        } else if depth == head.0 && head.1 != i {
            // Chapters side by side: none of them names the folder.
            head.2 = false;
        }
    }
    book.heads = shallowest
        .into_iter()
        .filter(|&(_, (_, i, names))| names && !notes[i].folder_page)
        .map(|(folder, (_, i, _))| (folder.to_string(), i))
        .collect();
    book.order = named.iter().map(|&(i, _)| i).collect();
    name_chapters(notes, &named);
    book
}

/// A note without a title of its own is named by the book, else by its
/// file (again: `serve` keeps the names the last table gave).
fn name_chapters(notes: &mut [NoteMeta], named: &[(usize, String)]) {
    for n in notes.iter_mut().filter(|n| n.title_from_file) {
        n.title = file_title(&n.rel);
    }
    for (i, text) in named {
        let n = &mut notes[*i];
        if n.title_from_file && !text.trim().is_empty() {
            n.title = text.trim().to_string();
        }
    }
}

/// Each link's destination, text and depth in nested lists, in order.
fn links(body: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String, usize)> = None;
    let mut depth = 0;
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth -= 1,
            Event::Start(Tag::Link { dest_url, .. }) => {
                open = Some((dest_url.into(), String::new(), depth))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text, _)) = open.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => out.extend(open.take()),
            _ => {}
        }
    }
    out
}

/// The note a link of the table names: a path from the notes folder's root
/// (docsify's may leave out `.md`, or name a folder for its README).
fn find(by_rel: &HashMap<&str, usize>, dest: &str) -> Option<usize> {
    if dest.is_empty() || crate::url::has_scheme(dest) || dest.starts_with("//") {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let path = percent_decode_str(path).decode_utf8_lossy();
    let path = path.trim_start_matches("./").trim_start_matches('/');
    let folder = path.is_empty() || path.ends_with('/');
    let tries = match folder {
        true => vec![format!("{path}README.md"), format!("{path}index.md")],
        false => vec![
            path.to_string(),
            format!("{path}.md"),
            format!("{path}/README.md"),
        ],
    };
    tries.iter().find_map(|t| by_rel.get(t.as_str()).copied())
}

impl SiteIndex {
    /// Where note `i` goes in a list of notes: by its place in the book,
    /// then by title (its sort key), then as found.
    pub(crate) fn order_key(&self, i: usize) -> (u32, &str, usize) {
        let place = self.book.place.get(i).copied().unwrap_or(u32::MAX);
        (place, &self.notes[i].sort_key, i)
    }

    /// How far the book's nesting indents note `i` in its folder's list.
    pub(crate) fn book_indent(&self, i: usize) -> usize {
        self.book.indent.get(i).copied().unwrap_or(0).into()
    }

    /// The note before (`step` -1) or after (1) note `i`: in the book when
    /// it lists the note, across folders, else in its folder's list.
    pub(crate) fn neighbour(&self, i: usize, step: isize) -> Option<usize> {
        let (list, at): (&[usize], _) = match self.book.place.get(i) {
            Some(&p) if p != u32::MAX => (&self.book.order, Some(p as usize)),
            _ => (
                self.folder(&self.notes[i].folder).map_or(&[], |f| &f.notes),
                self.position_in_folder(i),
            ),
        };
        list.get(at?.checked_add_signed(step)?).copied()
    }

    /// Sorts each folder's notes and sub-folders by the book, then by title
    /// (`position_in_folder` searches this order, [`SiteIndex::order_key`]);
    /// names a folder by the chapter that is its page in the book.
    pub(super) fn order_by_book(&mut self) {
        let first = self.book_folders();
        let book = &self.book;
        let notes = &self.notes;
        let key = |i: usize| {
            (
                book.place.get(i).copied().unwrap_or(u32::MAX),
                &notes[i].sort_key,
                i,
            )
        };
        for f in self.folders.values_mut() {
            f.place = first.get(&f.path).copied().unwrap_or(u32::MAX);
            f.children.sort_by_cached_key(|c| {
                let place = first.get(c).copied().unwrap_or(u32::MAX);
                (place, crate::collate::sort_key(c))
            });
            f.notes.sort_by(|&a, &b| key(a).cmp(&key(b)));
            if f.path.is_empty() {
                continue;
            }
            // Its README when the book lists it, else the chapter the book
            // opens it with: `社区版`, `起步`, not `install-self-hosted`.
            let listed = f.index.filter(|&i| key(i).0 != u32::MAX);
            if let Some(i) = listed.or_else(|| book.heads.get(&f.path).copied()) {
                f.name.clone_from(&notes[i].title);
            }
        }
    }

    /// Each folder's place in the book: that of the first note it holds
    /// (at any depth) that the book lists.
    fn book_folders(&self) -> HashMap<String, u32> {
        let mut first: HashMap<String, u32> = HashMap::new();
        for (n, &at) in self.notes.iter().zip(&self.book.place) {
            if at == u32::MAX {
                continue;
            }
            for (path, _) in super::ancestors(&n.folder) {
                let f = first.entry(path.to_string()).or_insert(at);
                *f = (*f).min(at);
            }
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_links_in_order_with_their_text() {
        let toc = "# Summary\n\n[前言](README.md)\n\n- [入门](ch01.md)\n  - [安装 `cargo`](ch01-01.md)\n\n---\n\n- [草稿]()\n";
        let got = links(toc);
        let want = [
            ("README.md", "前言", 0),
            ("ch01.md", "入门", 1),
            ("ch01-01.md", "安装 cargo", 2),
            ("", "草稿", 1),
        ];
        assert_eq!(got.len(), want.len());
        for ((d, t, n), (wd, wt, wn)) in got.iter().zip(want) {
            assert_eq!((d.as_str(), t.as_str(), *n), (wd, wt, wn));
        }
    }

    #[test]
    fn finds_notes_as_books_name_them() {
        let rels = ["a.md", "guide/README.md", "b c.md", "zh/x.md"];
        let by_rel: HashMap<&str, usize> = rels.iter().enumerate().map(|(i, r)| (*r, i)).collect();
        assert_eq!(find(&by_rel, "./a.md#top"), Some(0));
        assert_eq!(find(&by_rel, "/guide/"), Some(1));
        assert_eq!(find(&by_rel, "guide"), Some(1));
        assert_eq!(find(&by_rel, "b%20c.md"), Some(2));
        assert_eq!(find(&by_rel, "zh/x"), Some(3));
        assert_eq!(find(&by_rel, "https://x.org/a.md"), None);
        assert_eq!(find(&by_rel, ""), None);
    }
}
