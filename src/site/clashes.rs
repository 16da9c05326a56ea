//! Names that would clash: notes that are one file on other systems, and
//! files in `notes/` that would replace what biji generates.

use super::{nfc, NoteMeta, SiteIndex};
use crate::config::NotesDir;
use std::collections::HashMap;

/// URLs that differ only in letter case or Unicode form (`Go.md`, `go.md`;
/// 装饰器 composed or decomposed) are two pages here but one file on macOS
/// and Windows, where one would overwrite the other: warned about.
pub(super) fn warn_case_clashes(notes: &[NoteMeta], dir: &NotesDir) {
    let mut seen: HashMap<String, &NoteMeta> = HashMap::new();
    for n in notes {
        let key = nfc(&n.url).to_lowercase();
        if let Some(prev) = seen.insert(key, n) {
            if prev.url != n.url {
                log::warn!(
                    "{} and {} differ only in letter case or Unicode form: on macOS and Windows they are one file; rename one",
                    dir.file(&prev.rel),
                    dir.file(&n.rel)
                );
            }
        }
    }
}

/// A note and a folder whose pages differ only in letter case or Unicode
/// form (`go.md`, `Go/`): one file on macOS and Windows. (The same URL
/// exactly is an error, found with the other clashes.)
pub(super) fn warn_note_folder_case_clashes<'f>(
    notes: &[NoteMeta],
    folders: impl Iterator<Item = &'f str>,
    dir: &NotesDir,
) {
    let pages: HashMap<String, &NoteMeta> = notes
        .iter()
        .map(|n| (nfc(&n.url).to_lowercase(), n))
        .collect();
    for path in folders.filter(|p| !p.is_empty()) {
        let url = super::folder_url(path);
        if let Some(n) = pages
            .get(&nfc(&url).to_lowercase())
            .filter(|n| n.url != url)
        {
            log::warn!(
                "{} and {} differ only in letter case or Unicode form: on macOS and Windows their pages are one file; rename one",
                dir.file(&n.rel),
                dir.folder(path)
            );
        }
    }
}

/// Folders whose paths differ only in letter case or Unicode form (`Go/`,
/// `go/`): one folder on macOS and Windows, where their listing pages (and
/// any notes of the same name in them) would overwrite each other.
pub(super) fn warn_folder_case_clashes<'f>(paths: impl Iterator<Item = &'f str>, dir: &NotesDir) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for path in paths.filter(|p| !p.is_empty()) {
        if let Some(prev) = seen.insert(nfc(path).to_lowercase(), path) {
            if prev != path {
                log::warn!(
                    "{} and {} differ only in letter case or Unicode form: on macOS and Windows they are one folder; rename one",
                    dir.folder(prev),
                    dir.folder(path)
                );
            }
        }
    }
}

/// Files biji writes at the top of the output, besides pages.
const GENERATED_FILES: &[(&str, &str)] = &[
    ("index.html", "the home page"),
    ("404.html", "the 404 page"),
    (crate::url::SITEMAP, "the sitemap"),
    (crate::url::FEED, "the feed"),
];

/// Why copying the file `rel` from `notes/` would replace something biji
/// generates (a page, the theme, the search index), if it would.
pub(super) fn asset_clash(
    rel: &str,
    owners: &HashMap<String, String>,
    site: &SiteIndex,
) -> Option<String> {
    let (folders, notes_dir) = (&site.folders, &site.dir);
    // The site's own custom-domain file, as GitHub Pages reads it (VitePress
    // sites keep one in `docs/`): copied as it is.
    if rel == "CNAME" {
        return None;
    }
    let theme =
        "to change the theme on purpose, put files in `static/` or `templates/` at the site root";
    // The files first (their names are reserved too), with what they are.
    if let Some((_, what)) = GENERATED_FILES.iter().find(|(f, _)| *f == rel) {
        return Some(format!(
            "it would replace {what} that biji generates; rename it, or leave it out with `exclude: [{rel}]` in biji.yaml ({theme})"
        ));
    }
    if let Some(top) = site.reserved(rel) {
        return Some(format!(
            "it would replace what biji generates under /{top}/; rename the file or its folder ({theme})"
        ));
    }
    // A page's folder where the file would be: `x.jpg.md` beside `x.jpg`
    // (a note about a picture), `command.md` beside a script `command`.
    let as_dir = format!("{rel}/");
    if let Some(note) = owners.get(&as_dir) {
        return Some(format!(
            "the page of {note} is the folder /{as_dir}, where this file would be; rename one of them, or leave one out with `exclude:` in biji.yaml"
        ));
    }
    if let Some(f) = folders.values().find(|f| f.url == as_dir) {
        return Some(format!(
            "the page of the folder {} is the folder /{as_dir}, where this file would be; rename one of them",
            notes_dir.folder(&f.path)
        ));
    }
    let dir = rel.strip_suffix("index.html")?;
    if !(dir.is_empty() || dir.ends_with('/')) {
        return None;
    }
    if let Some(note) = owners.get(dir) {
        return Some(format!(
            "it would replace the page of {note} (/{dir}); rename one of them, or leave the file out with `exclude: [{rel}]` in biji.yaml (a docsify `index.html`)"
        ));
    }
    let folder = folders.values().find(|f| f.url == dir)?;
    Some(format!(
        "it would replace the page of the folder {} (/{dir}); rename it, or leave it out with `exclude: [{rel}]` in biji.yaml",
        notes_dir.folder(&folder.path)
    ))
}
