//! `biji new PATH`: starts a note at `notes/PATH.md` with today's date and a
//! title heading, so writing one is a single command (as `hugo new` is).

use crate::config::{Config, NotesDir, SitePaths};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Creates the note `path` (under the site's notes folder, `.md` added when it
/// has no Markdown extension) and returns the file written. Never overwrites.
pub fn new_note(root: &Path, path: &str) -> Result<PathBuf> {
    if !root.is_dir() {
        bail!(
            "the site folder `{}` does not exist; check --root",
            root.display()
        );
    }
    crate::config::ensure_site(root)?;
    let cfg = Config::load(root)?;
    let rel = note_path(path, &cfg.notes_dir.to_string_lossy())?;
    let SitePaths { notes, shown, .. } = SitePaths::new(root, &cfg, None);
    let file = notes.join(&rel);
    if file.exists() {
        bail!(
            "`{}` already exists; open it, or choose another name",
            file.display()
        );
    }
    if notes.is_dir() {
        let existing: Vec<String> = crate::discover::discover(&notes, &cfg.exclude()?)?
            .notes
            .into_iter()
            .map(|f| f.rel)
            .collect();
        if let Some(why) = url_clash(&rel, &existing, &shown) {
            bail!("`{path}`: {why}");
        }
    }
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    }
    let today = crate::site::day_of(std::time::SystemTime::now());
    let title = crate::site::default_title(&rel);
    let text = format!("---\ndate: {today}\n---\n\n# {title}\n\n");
    std::fs::write(&file, text).with_context(|| format!("cannot write `{}`", file.display()))?;
    Ok(file)
}

/// `python/协程` -> `python/协程.md`: the note's path under the notes folder,
/// `/`-separated. A leading `notes/` (as a shell completes it from the site
/// root) is dropped. Refuses what would not become a page of its own.
fn note_path(path: &str, notes_dir: &str) -> Result<String> {
    let trimmed = path.trim().replace('\\', "/");
    let prefix = format!("{}/", notes_dir.trim_end_matches('/'));
    let rel = trimmed.strip_prefix(&prefix).unwrap_or(&trimmed);
    if let Some(c) = rel.chars().find(|c| c.is_control()) {
        bail!(
            "`{}`: a note name cannot hold control characters ({c:?})",
            path.escape_debug()
        );
    }
    if rel.is_empty() || rel.starts_with('/') {
        bail!("`{path}` is not a note path; write it like `python/协程` (under {notes_dir}/)");
    }
    for seg in rel.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." || seg.split_whitespace().next().is_none() {
            bail!("`{path}`: a note path is folder names and a file name under {notes_dir}/, without `..` or empty parts");
        }
        if crate::discover::is_ignored_name(seg) || seg.starts_with('.') {
            bail!(
                "`{path}`: biji skips `{seg}` (hidden or editor temp files); choose another name"
            );
        }
    }
    let mut rel = rel.to_string();
    if !crate::discover::is_markdown(Path::new(&rel)) {
        rel.push_str(".md");
    }
    // The build's own rule, on the URL the note would get (`index.md` at the
    // top is the home page's introduction, not /index/).
    if let Some(top) = crate::site::reserved_top(&crate::site::note_url(&rel)) {
        // A folder (`/search/`) or a file (`/404.html`).
        let slash = if top.contains('.') { "" } else { "/" };
        bail!("`{path}`: the URL /{top}{slash} is reserved for the pages and files biji generates; choose another name or folder");
    }
    Ok(rel)
}

/// Why note `rel` would clash with one of the `existing` notes' pages (the
/// build's rules: one page per URL; a note beside a folder of its name is
/// the folder's page only when the folder has no index note).
fn url_clash(rel: &str, existing: &[String], dir: &NotesDir) -> Option<String> {
    use crate::site::{folder_url, note_url};
    let url = note_url(rel);
    if let Some(other) = existing.iter().find(|e| note_url(e) == url) {
        return Some(format!(
            "it would have the URL /{url} of {}; choose another name",
            dir.file(other)
        ));
    }
    // A note beside a folder of its name (`go.md` and `go/`), either way, is
    // the folder's page (`SiteIndex`'s rule), unless the folder has an index
    // note; a folder whose URL is another note's (`a-b.md`, `a b/`) clashes.
    let stem_path = |e: &str| e.rsplit_once('.').map_or(e, |(p, _)| p).to_string();
    let has_index = |folder: &str| {
        existing.iter().any(|e| {
            crate::site::is_folder_index(e) && e.rsplit_once('/').map_or("", |(d, _)| d) == folder
        })
    };
    let clashes = |note: &str, folder: &str| stem_path(note) != folder || has_index(folder);
    let folders: std::collections::HashSet<&str> = existing
        .iter()
        .flat_map(|e| e.match_indices('/').map(move |(i, _)| &e[..i]))
        .collect();
    if !crate::site::is_folder_index(rel) {
        if let Some(f) = folders
            .iter()
            .find(|f| folder_url(f) == url && clashes(rel, f))
        {
            return Some(format!(
                "the folder {} already has the URL /{url}; choose another name",
                dir.folder(f)
            ));
        }
    }
    let folder_of_note = rel.rsplit_once('/').map_or("", |(f, _)| f);
    for (folder, _) in crate::site::ancestors(folder_of_note) {
        let furl = folder_url(folder);
        if let Some(other) = existing
            .iter()
            .find(|e| !crate::site::is_folder_index(e) && note_url(e) == furl && clashes(e, folder))
        {
            return Some(format!(
                "its folder {folder}/ would have the URL /{furl} of {}; choose another folder",
                dir.file(other)
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_get_md_and_lose_a_leading_notes_folder() {
        assert_eq!(note_path("python/协程", "notes").unwrap(), "python/协程.md");
        assert_eq!(
            note_path("notes/go/chan.md", "notes").unwrap(),
            "go/chan.md"
        );
        assert_eq!(note_path("a.markdown", "notes").unwrap(), "a.markdown");
        assert_eq!(note_path("x\\y", "notes").unwrap(), "x/y.md");
        assert_eq!(note_path("index", "notes").unwrap(), "index.md");
    }

    #[test]
    fn notes_that_would_clash_with_existing_pages_are_refused() {
        let existing = [
            "a.md".to_string(),
            "a/README.md".into(),
            "README.md".into(),
            "go/chan.md".into(),
            "rs/README.md".into(),
        ];
        let clash = |rel: &str| url_clash(rel, &existing, &NotesDir::default());
        assert!(clash("a/b.md").unwrap().contains("URL /a/ of notes/a.md"));
        assert!(clash("index.md").unwrap().contains("of notes/README.md"));
        assert!(clash("rs.md").unwrap().contains("of notes/rs/README.md"));
        assert!(clash("go-1.md").is_none());
        assert!(
            url_clash("a-b.md", &["a b/c.md".into()], &NotesDir::default())
                .unwrap()
                .contains("folder notes/a b/")
        );
        assert!(
            url_clash("a b/c.md", &["a-b.md".into()], &NotesDir::default())
                .unwrap()
                .contains("of notes/a-b.md")
        );
        assert_eq!(clash("go/README.md"), None, "a folder's own page");
        assert_eq!(clash("b/c.md"), None);
        // A note beside a folder without an index note is the folder's page.
        assert_eq!(clash("go.md"), None);
        let existing = ["go.md".to_string()];
        assert_eq!(
            url_clash("go/chan.md", &existing, &NotesDir::default()),
            None
        );
        assert!(url_clash("go/README.md", &existing, &NotesDir::default()).is_some());
    }

    #[test]
    fn bad_paths_are_refused_with_the_reason() {
        for (path, why) in [
            ("../x", "without `..`"),
            ("/etc/x", "is not a note path"),
            ("a//b", "empty parts"),
            (".hidden", "biji skips"),
            ("topics/x", "reserved"),
            ("search", "reserved"),
            ("404.html", "reserved"),
            ("", "is not a note path"),
            ("a\nb", "control characters"),
            ("a/ /b", "empty parts"),
            ("a/\u{3000}", "empty parts"),
        ] {
            let e = note_path(path, "notes").unwrap_err().to_string();
            assert!(e.contains(why), "{path}: {e}");
        }
    }
}
