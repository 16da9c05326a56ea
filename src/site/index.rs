//! Building the site index: every note loaded (in parallel), the lookups
//! links resolve through, the folder tree, and every clash of URLs found and
//! reported together.

use super::clashes::{
    asset_clash, warn_case_clashes, warn_folder_case_clashes, warn_note_folder_case_clashes,
};
use super::load;
use super::paths::{
    ancestors, blank_name, file_stem, folder_url, is_folder_index, nfc, note_url, reserved_top,
};
use super::{Draft, Folder, NoteMeta, SiteIndex};
use crate::config::NotesDir;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::discover::{Discovered, Found};
use crate::markdown;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// Makes an Obsidian folder note its folder's page when the folder has no
/// index note of its own: a note beside the folder with its name
/// (`分布式.md` beside `分布式/`: both had the URL `/分布式/`, a clash), else,
/// in a vault (`obsidian`), one inside it with its name (`分布式/分布式.md`,
/// the folder-note plugins' default), which takes the folder's URL
/// (elsewhere such a note is one of many: `command/command.md`). The others are set back to
/// their own folder and URL (`serve` passes the notes of an earlier index,
/// whose folders may since have gone).
fn adopt_folder_notes(notes: &mut [NoteMeta], obsidian: bool) {
    for n in notes.iter_mut() {
        if n.folder_page && !is_folder_index(&n.rel) {
            n.folder = n.dir().to_string();
            n.url = note_url(&n.rel);
            // Made again for the URL (`SiteIndex::set_hrefs` keeps one set).
            n.href.clear();
        }
        n.folder_page = is_folder_index(&n.rel);
    }
    let mut folders: HashSet<&str> = HashSet::new();
    let mut indexed: HashSet<&str> = HashSet::new();
    for n in notes.iter() {
        folders.extend(ancestors(&n.folder).map(|(path, _)| path));
        if n.folder_page {
            indexed.insert(&n.folder);
        }
    }
    // Per folder without an index note: the notes beside and inside it
    // named as it is. Two of a kind (`a.md`, `a.markdown`) are left to
    // the clash error, or to be notes.
    let mut beside: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut inside: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, n) in notes.iter().enumerate() {
        if n.folder_page {
            continue;
        }
        let path = n.rel.rsplit_once('.').map_or(n.rel.as_str(), |(p, _)| p);
        if let Some(f) = folders.get(path).filter(|f| !indexed.contains(*f)) {
            beside.entry(f).or_default().push(i);
        }
        let dir = n.dir();
        let named = obsidian && dir.rsplit('/').next() == Some(file_stem(&n.rel));
        if let Some(f) = folders.get(dir).filter(|f| named && !indexed.contains(*f)) {
            inside.entry(f).or_default().push(i);
        }
    }
    let mut adopt: Vec<(usize, String, bool)> = Vec::new();
    for (f, found) in &inside {
        if let ([i], None) = (&found[..], beside.get(f)) {
            adopt.push((*i, f.to_string(), true));
        }
    }
    for (f, found) in &beside {
        if let [i] = found[..] {
            adopt.push((i, f.to_string(), false));
        }
    }
    for (i, folder, takes_url) in adopt {
        if takes_url {
            notes[i].url = folder_url(&folder);
            notes[i].href.clear();
        }
        notes[i].folder = folder;
        notes[i].folder_page = true;
    }
}

/// Where biji's heading index goes: `index/`, or, when a folder or page of
/// the notes is there already (an Obsidian vault's `index/` of maps of
/// content), the first free of the other names. A site that has them all
/// keeps `index` and is told of the clash.
fn heading_index_dir(notes: &[NoteMeta], assets: &[Found]) -> &'static str {
    let tops: HashSet<String> = notes
        .iter()
        .map(|n| n.url.as_str())
        .chain(assets.iter().map(|a| a.rel.as_str()))
        .filter_map(|path| path.split_once('/').map(|(top, _)| top.to_lowercase()))
        .collect();
    ["index", "headings", "heading-index"]
        .into_iter()
        .find(|name| !tops.contains(*name))
        .unwrap_or("index")
}

/// What a reserved name is, when a note tool put a page of its own there.
fn whose(top: &str) -> &'static str {
    match top {
        "search" => " (a Hugo theme's search page)",
        _ => "",
    }
}

impl SiteIndex {
    /// The top-level name of `url` when biji writes there: one of
    /// [`super::RESERVED`], or the heading index's folder.
    pub(crate) fn reserved<'u>(&self, url: &'u str) -> Option<&'u str> {
        reserved_top(url).or_else(|| {
            let top = url.split('/').next()?;
            (!top.is_empty() && top == self.index_dir).then_some(top)
        })
    }

    /// Loads every note (in parallel), drops drafts unless asked, and checks
    /// that URLs are unique. All errors are collected and reported together.
    pub(crate) fn build(
        found: Discovered,
        drafts: bool,
        syntax: &markdown::Syntax,
        store: Option<&crate::cache::Store>,
    ) -> Result<SiteIndex> {
        let results: Vec<Result<NoteMeta>> = found
            .notes
            .par_iter()
            .map(|f| load::load_note_cached(f, &found.dir, syntax, store))
            .collect();
        let mut notes = Vec::with_capacity(results.len());
        let mut dropped = Vec::new();
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(n) if n.left_out(drafts) => {
                    log::debug!("skipping draft {}", found.dir.file(&n.rel));
                    dropped.push(Draft::of(&n));
                }
                Ok(n) => notes.push(n),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(Diagnostics::of_errors(&errors).into());
        }
        let mut idx = Self::from_notes(notes, found.assets, found.obsidian, found.dir)?;
        idx.drafts = dropped;
        Ok(idx)
    }

    /// Indexes already-loaded notes (also used by `serve` after reloading a few).
    pub(crate) fn from_notes(
        mut notes: Vec<NoteMeta>,
        mut assets: Vec<Found>,
        obsidian: bool,
        dir: NotesDir,
    ) -> Result<SiteIndex> {
        let hidden = super::hidden::linked_hidden_files(&notes, &assets);
        if !hidden.is_empty() {
            assets.extend(hidden);
            assets.sort_by(|a, b| a.rel.cmp(&b.rel));
        }
        adopt_folder_notes(&mut notes, obsidian);
        let book = super::summary::apply(&mut notes, &dir);
        let mut idx = SiteIndex {
            index_dir: heading_index_dir(&notes, &assets),
            dir,
            anchors: (0..notes.len()).map(|_| Default::default()).collect(),
            book,
            notes,
            assets,
            ..Default::default()
        };
        let mut errors = Vec::new();
        // URL uniqueness, including folder listing pages and generated sections.
        let owners = idx.index_notes(&mut errors);
        warn_case_clashes(&idx.notes, &idx.dir);
        idx.collect_folders();
        let paths = || idx.folders.keys().map(String::as_str);
        warn_folder_case_clashes(paths(), &idx.dir);
        warn_note_folder_case_clashes(&idx.notes, paths(), &idx.dir);
        idx.check_folders(&owners, &mut errors);
        idx.index_assets(&owners, &mut errors);
        // In the order of their text, as users read them.
        errors.sort_by_cached_key(Diagnostic::to_string);
        errors.dedup();
        if !errors.is_empty() {
            return Err(Diagnostics::of(errors).into());
        }
        Ok(idx)
    }

    /// The lookups by path, stem, title and alias; each URL's owner (a note
    /// path), with clashing and reserved URLs reported.
    fn index_notes(&mut self, errors: &mut Vec<Diagnostic>) -> HashMap<String, String> {
        let mut owners: HashMap<String, String> = HashMap::new();
        for (i, n) in self.notes.iter().enumerate() {
            self.by_rel.insert(nfc(&n.rel).into_owned(), i);
            self.by_stem
                .entry(n.stem.to_lowercase())
                .or_default()
                .push(i);
            // Wikilinks find a note by its title or, as in Obsidian, by an alias.
            for name in std::iter::once(&n.title).chain(&n.aliases) {
                let names = self.by_title.entry(name.to_lowercase()).or_default();
                if !names.contains(&i) {
                    names.push(i);
                }
            }
            if let Some(name) = blank_name(&n.rel) {
                errors.push(Diagnostic::at(
                    self.dir.file(&n.rel),
                    format!("the name `{name}` is only spaces and gives no URL; rename it"),
                ));
                continue;
            }
            if let Some(top) = self.reserved(&n.url) {
                errors.push(Diagnostic::at(
                    self.dir.file(&n.rel),
                    format!(
                        "its URL /{} is reserved for the pages and files biji generates; rename the note or its top folder, or leave it out with `exclude: [{}]` in biji.yaml{}",
                        n.url,
                        n.rel,
                        whose(top)
                    ),
                ));
            }
            if let Some(prev) = owners.insert(n.url.clone(), self.dir.file(&n.rel)) {
                let why = if is_folder_index(&n.rel) && is_folder_index(&prev) {
                    "a folder has one page: keep one of README.md, index.md and _index.md"
                } else if is_folder_index(&n.rel) || is_folder_index(&prev) {
                    "a folder has one page: merge the note beside the folder into its index note, or rename it"
                } else {
                    "rename one of them"
                };
                errors.push(
                    Diagnostic::at(
                        self.dir.file(&n.rel),
                        format!(
                            "{} and {} both map to the URL /{}; {why}",
                            self.dir.file(&n.rel),
                            prev,
                            n.url
                        ),
                    )
                    .verbatim(),
                );
            }
        }
        owners
    }

    /// The folders, from the notes' paths, with their notes in reading order.
    fn collect_folders(&mut self) {
        self.folders.insert(String::new(), Folder::default());
        for (i, n) in self.notes.iter().enumerate() {
            let mut parent = "";
            for (path, part) in ancestors(&n.folder) {
                if !self.folders.contains_key(path) {
                    self.folders.insert(
                        path.to_string(),
                        Folder {
                            path: path.to_string(),
                            name: part.to_string(),
                            url: folder_url(path),
                            ..Default::default()
                        },
                    );
                    if let Some(p) = self.folders.get_mut(parent) {
                        p.children.push(path.to_string());
                    }
                }
                if let Some(f) = self.folders.get_mut(path) {
                    f.total += 1;
                }
                parent = path;
            }
            if let Some(f) = self.folders.get_mut(&n.folder) {
                if n.folder_page {
                    f.index = Some(i);
                } else if self.book.toc != Some(i) {
                    f.notes.push(i);
                }
            }
            if let Some(root) = self.folders.get_mut("") {
                root.total += 1;
            }
        }
        self.order_by_book();
    }

    /// Folder pages whose URL a note or a generated page already has.
    fn check_folders(&self, owners: &HashMap<String, String>, errors: &mut Vec<Diagnostic>) {
        for f in self.folders.values() {
            if f.path.is_empty() {
                continue;
            }
            // The folder's own index note has its URL by design; any other
            // note there is a clash (two index notes clash with each other above).
            if let Some(note) = owners.get(&f.url).filter(|_| f.index.is_none()) {
                errors.push(Diagnostic::at(note, format!(
                    "{note} and the folder {} both map to the URL /{}; rename the note or move it into the folder",
                    self.dir.folder(&f.path), f.url
                )).verbatim());
            }
            if let Some(top) = self.reserved(&f.url).filter(|_| !f.path.contains('/')) {
                errors.push(Diagnostic::at(
                    self.dir.folder(&f.path),
                    format!(
                        "its URL /{} is reserved for the pages and files biji generates; rename the folder, or leave it out with `exclude: [{}/]` in biji.yaml{}",
                        f.url,
                        f.path,
                        whose(top)
                    ),
                ));
            }
        }
    }

    /// The lookups of the notes' other files, and their clashes with pages.
    fn index_assets(&mut self, owners: &HashMap<String, String>, errors: &mut Vec<Diagnostic>) {
        for a in &self.assets {
            if let Some(why) = asset_clash(&a.rel, owners, self) {
                errors.push(Diagnostic::at(self.dir.file(&a.rel), why));
            }
        }
        for a in &self.assets {
            self.asset_set
                .insert(nfc(&a.rel).into_owned(), a.rel.clone());
            let name = a.rel.rsplit('/').next().unwrap_or(&a.rel).to_lowercase();
            self.assets_by_name
                .entry(name)
                .or_default()
                .push(a.rel.clone());
        }
    }
}
