//! The sidebar (the folder tree, open along the current page) and breadcrumbs.

use super::*;
use crate::site::folder_url;
use rustc_hash::FxHashMap;
use std::sync::Mutex;

/// One entry of the sidebar, before it becomes a [`NavEntry`]: what it
/// points at and how it shows.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct NavItem<'a> {
    target: NavTarget<'a>,
    depth: usize,
    open: bool,
    current: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum NavTarget<'a> {
    Folder(&'a str),
    Note(usize),
    /// The link to a big folder's page, for the notes the nav leaves out.
    More(&'a str),
}

/// Each sidebar entry's [`key_encode`] bytes, shared by every page that
/// shows it: the sidebar is most of what a page's key is taken from, and
/// most entries are the same on every page. One table per thread: with one
/// shared table, both threads took its lock for every entry of every page,
/// and the lock's cache line went back and forth between them.
pub(super) struct NavCache<'a> {
    shards: Box<[Shard<'a>]>,
}

type NavTable<'a> = Mutex<FxHashMap<NavItem<'a>, Box<[u8]>>>;

/// A thread's table, on a cache line of its own.
#[repr(align(128))]
#[derive(Default)]
struct Shard<'a>(NavTable<'a>);

impl Default for NavCache<'_> {
    fn default() -> Self {
        let shards = (0..=rayon::current_num_threads()).map(|_| Shard::default());
        NavCache {
            shards: shards.collect(),
        }
    }
}

impl<'a> NavCache<'a> {
    /// The calling thread's table (threads outside the pool share one).
    fn mine(&self) -> &NavTable<'a> {
        let i = rayon::current_thread_index().map_or(0, |i| i + 1);
        &self.shards[i.min(self.shards.len() - 1)].0
    }
}

impl<'a> Pages<'a> {
    pub(super) fn nav(&self, current: &Current) -> Vec<NavEntry<'a>> {
        let mut out = Vec::new();
        self.nav_items(current, &mut |item| out.push(self.nav_entry(item)));
        out
    }

    /// The sidebar's [`key_encode`] bytes, as `nav`'s would be, from the
    /// cache: the same bytes, made once per entry and thread.
    pub(super) fn nav_encoded(&self, current: &Current, out: &mut dyn FnMut(&[u8])) {
        // Held for the walk: no other code runs on this thread meanwhile.
        let mut cache = self
            .nav_cache
            .mine()
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        out(&[key_encode::SEQ_START]);
        self.nav_items(current, &mut |item| {
            let bytes = cache.entry(item).or_insert_with(|| {
                let mut bytes = Vec::new();
                // A nav entry always serializes.
                let _ = key_encode::encode(&mut bytes, &self.nav_entry(item));
                bytes.into()
            });
            out(bytes);
        });
        out(&[key_encode::END]);
    }

    fn nav_entry(&self, item: NavItem<'a>) -> NavEntry<'a> {
        let site: &'a SiteIndex = self.site;
        let (kind, name, url): (_, std::borrow::Cow<'a, str>, _) = match item.target {
            NavTarget::Folder(path) => {
                let f = site.folder(path);
                let name = f.map_or("", |f| f.name.as_str());
                let url = f.map_or_else(|| folder_url(path), |f| f.url.clone());
                ("folder", name.into(), self.href(&url))
            }
            NavTarget::Note(i) => {
                let n = &site.notes[i];
                ("note", n.title.as_str().into(), self.href(&n.url))
            }
            NavTarget::More(path) => {
                let f = site.folder(path);
                // What the folder's page lists: its notes, and its
                // sub-folders when they too are more than the sidebar shows.
                let count = f.map_or(0, |f| {
                    let kids = f.children.len();
                    f.notes.len() + if kids > NAV_NOTES { kids } else { 0 }
                });
                let name = format!("{} ({count})", self.t["nav_more"]);
                let url = f.map_or_else(|| folder_url(path), |f| f.url.clone());
                ("more", name.into(), self.href(&url))
            }
        };
        NavEntry {
            kind,
            name,
            url,
            depth: item.depth,
            open: item.open,
            current: item.current,
        }
    }

    /// Walks the sidebar of the page `current`: the folder tree, open along
    /// the current page.
    fn nav_items(&self, current: &Current, visit: &mut dyn FnMut(NavItem<'a>)) {
        let open: &str = match current {
            Current::Note(i) => &self.site.notes[*i].folder,
            Current::Folder(p) => p,
            _ => "",
        };
        self.nav_folder("", 0, open, current, visit);
    }

    fn nav_folder(
        &self,
        path: &str,
        depth: usize,
        open: &str,
        current: &Current,
        visit: &mut dyn FnMut(NavItem<'a>),
    ) {
        let site: &'a SiteIndex = self.site;
        let Some(folder) = site.folder(path) else {
            return;
        };
        // A big folder shows the notes around the current one, and a link to
        // its page for the rest: a nav of every note of a flat folder of
        // thousands made every page as big as the folder's listing.
        let notes = &folder.notes;
        let at = match current {
            Current::Note(i) if site.notes[*i].folder == folder.path => site.position_in_folder(*i),
            _ => None,
        };
        let shown = window(notes.len(), at);
        // So do its sub-folders: one folder per note (a VuePress site's
        // `0001. 两数之和/README.md`) put thousands in every page.
        let kids = &folder.children;
        let open_kid = kids.iter().position(|c| {
            open.strip_prefix(c.as_str())
                .is_some_and(|r| r.is_empty() || r.starts_with('/'))
        });
        let kids_shown = window(kids.len(), open_kid);
        // Sub-folders first, but where a book lists them among the notes.
        let mut children = (kids[kids_shown.clone()].iter())
            .filter_map(|c| site.folder(c))
            .peekable();
        for &i in &notes[shown.clone()] {
            let place = site.order_key(i).0;
            while let Some(c) = children.next_if(|c| c.place <= place) {
                self.nav_child(c, depth, open, current, visit);
            }
            visit(NavItem {
                target: NavTarget::Note(i),
                depth: depth + site.book_indent(i),
                open: false,
                current: *current == Current::Note(i),
            });
        }
        for c in children {
            self.nav_child(c, depth, open, current, visit);
        }
        if shown.len() < notes.len() || kids_shown.len() < kids.len() {
            visit(NavItem {
                target: NavTarget::More(&folder.path),
                depth,
                open: false,
                current: false,
            });
        }
    }

    /// A sub-folder's entry, and its own entries when it is open.
    fn nav_child(
        &self,
        c: &'a crate::site::Folder,
        depth: usize,
        open: &str,
        current: &Current,
        visit: &mut dyn FnMut(NavItem<'a>),
    ) {
        let is_open = open == c.path
            || (open.starts_with(c.path.as_str()) && open[c.path.len()..].starts_with('/'));
        visit(NavItem {
            target: NavTarget::Folder(&c.path),
            depth,
            open: is_open,
            current: *current == Current::Folder(&c.path),
        });
        if is_open {
            self.nav_folder(&c.path, depth + 1, open, current, visit);
        }
    }

    pub(super) fn crumbs(&self, folder: &str) -> Vec<Crumb> {
        let mut v = vec![Crumb {
            name: self.t["home"].to_string(),
            url: self.base_path.clone(),
        }];
        for (path, part) in crate::site::ancestors(folder) {
            // The folder's name, which a book may give it (see `site::summary`).
            let name = self.site.folder(path).map_or(part, |f| f.name.as_str());
            v.push(Crumb {
                name: name.to_string(),
                url: self.href(&crate::site::folder_url(path)),
            });
        }
        v
    }
}

/// The entries of a list of `len` the sidebar shows: all, or [`NAV_NOTES`]
/// around the one at `at` (from the start without one).
fn window(len: usize, at: Option<usize>) -> std::ops::Range<usize> {
    if len <= NAV_NOTES {
        return 0..len;
    }
    let start = at.map_or(0, |p| p.saturating_sub(NAV_NOTES / 2).min(len - NAV_NOTES));
    start..start + NAV_NOTES
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{prepare, BuildOptions};

    /// A site with a big folder (a window and a "more" link), nested folders
    /// and a README.
    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let notes = d.path().join("notes");
        std::fs::create_dir_all(notes.join("大/子")).unwrap();
        for k in 0..(NAV_NOTES + 7) {
            std::fs::write(
                notes.join(format!("大/笔记{k}.md")),
                format!("# 笔记 {k}\n"),
            )
            .unwrap();
        }
        std::fs::write(notes.join("大/子/深.md"), "# 深\n").unwrap();
        std::fs::write(notes.join("大/README.md"), "# 大\n").unwrap();
        std::fs::write(notes.join("根.md"), "# 根 \"引号\"\n").unwrap();
        std::fs::write(d.path().join("biji.yaml"), "git_dates: false\n").unwrap();
        d
    }

    #[test]
    fn cached_sidebar_json_is_the_sidebar_serialized() {
        let d = site();
        let opts = BuildOptions {
            root: d.path().to_path_buf(),
            ..Default::default()
        };
        let m = prepare(&opts, None).unwrap();
        let pages = Pages::new(&m);
        let mut currents: Vec<Current> = (0..m.site.notes.len()).map(Current::Note).collect();
        currents.extend(m.site.folders.keys().map(|p| Current::Folder(p)));
        currents.extend([Current::Home, Current::Other]);
        // Twice: the second pass reads the cache the first one filled.
        for _ in 0..2 {
            for c in &currents {
                let mut cached = Vec::new();
                pages.nav_encoded(c, &mut |b| cached.extend_from_slice(b));
                let mut made = Vec::new();
                key_encode::encode(&mut made, &pages.nav(c)).unwrap();
                assert_eq!(cached, made);
                let mut a = KeyedContext::full();
                a.insert("nav", &pages.nav(c));
                let mut b = KeyedContext::full();
                b.insert_encoded("nav", |o| pages.nav_encoded(c, o), || pages.nav(c));
                let key = |k: KeyedContext| k.plan(String::new(), "x", 0).key;
                assert_eq!(key(a), key(b));
            }
        }
        let big = (0..m.site.notes.len()).find(|&i| m.site.notes[i].folder == "大");
        let more = pages.nav(&Current::Note(big.unwrap()));
        assert!(
            more.iter().any(|e| e.kind == "more"),
            "the big folder is cut"
        );
    }
}
