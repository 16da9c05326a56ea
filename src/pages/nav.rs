//! The sidebar (the folder tree, open along the current page) and breadcrumbs.

use super::*;
use crate::site::folder_url;
use std::collections::HashMap;

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

/// Each sidebar entry's JSON, shared by every page that shows it: the
/// sidebar is most of what a page's key is taken from, and most entries
/// are the same on every page.
pub(super) type NavCache<'a> = std::sync::RwLock<HashMap<NavItem<'a>, std::sync::Arc<[u8]>>>;

impl<'a> Pages<'a> {
    pub(super) fn nav(&self, current: &Current) -> Vec<NavEntry<'a>> {
        let mut out = Vec::new();
        self.nav_items(current, &mut |item| out.push(self.nav_entry(item)));
        out
    }

    /// The sidebar as `nav` serializes it to JSON (`[entry,entry,...]`),
    /// from the cache: the same bytes, made once per entry.
    pub(super) fn nav_json(&self, current: &Current, out: &mut dyn FnMut(&[u8])) {
        let mut first = true;
        out(b"[");
        self.nav_items(current, &mut |item| {
            if !std::mem::take(&mut first) {
                out(b",");
            }
            let cached = self
                .nav_cache
                .read()
                .ok()
                .and_then(|c| c.get(&item).cloned());
            let json = cached.unwrap_or_else(|| {
                let json: std::sync::Arc<[u8]> = serde_json::to_vec(&self.nav_entry(item))
                    .unwrap_or_default()
                    .into();
                if let Ok(mut c) = self.nav_cache.write() {
                    c.insert(item, json.clone());
                }
                json
            });
            out(&json);
        });
        out(b"]");
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
                let count = f.map_or(0, |f| f.notes.len());
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
        for child in &folder.children {
            let Some(c) = site.folder(child) else {
                continue;
            };
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
            visit(NavItem {
                target: NavTarget::Note(i),
                depth,
                open: false,
                current: *current == Current::Note(i),
            });
        }
        if shown.len() < notes.len() {
            visit(NavItem {
                target: NavTarget::More(&folder.path),
                depth,
                open: false,
                current: false,
            });
        }
    }

    pub(super) fn crumbs(&self, folder: &str) -> Vec<Crumb> {
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
                let mut json = Vec::new();
                pages.nav_json(c, &mut |b| json.extend_from_slice(b));
                assert_eq!(
                    String::from_utf8(json).unwrap(),
                    serde_json::to_string(&pages.nav(c)).unwrap()
                );
                let mut a = KeyedContext::full();
                a.insert("nav", &pages.nav(c));
                let mut b = KeyedContext::full();
                b.insert_json("nav", |o| pages.nav_json(c, o), || pages.nav(c));
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
