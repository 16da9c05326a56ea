//! The sidebar (the folder tree, open along the current page) and breadcrumbs.

use super::*;

impl<'a> Pages<'a> {
    pub(super) fn nav(&self, current: &Current) -> Vec<NavEntry<'a>> {
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
