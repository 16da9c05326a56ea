//! The theme's static files: the embedded ones, a site's own over them, and
//! `search.js` joined from its parts.

use super::{THEME_STATIC, THEME_TEMPLATES};
use anyhow::{Context, Result};
use include_dir::Dir;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// A theme static file and where its bytes come from.
pub(crate) struct StaticFile {
    pub rel: String,
    pub source: StaticSource,
}

pub(crate) enum StaticSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

impl StaticFile {
    pub(crate) fn bytes(&self) -> Result<Cow<'static, [u8]>> {
        match &self.source {
            StaticSource::Embedded(b) => Ok(Cow::Borrowed(b)),
            StaticSource::Disk(p) => std::fs::read(p)
                .map(Cow::Owned)
                .with_context(|| format!("cannot read static file `{}`", p.display())),
        }
    }
}

/// The folder of `static/` whose scripts, joined in name order, make
/// `static/search.js`: the browser loads one script with one function scope,
/// and the source stays in files of a readable size.
const SEARCH_PARTS: &str = "search/";

/// Whether `rel` (under `static/`) is a part of `static/search.js` rather
/// than a file of its own.
pub(crate) fn is_search_part(rel: &str) -> bool {
    rel.starts_with(SEARCH_PARTS) && rel.ends_with(".js")
}

/// `static/search.js` joined from its parts among `files` (a blank line
/// between two), or `None` if there are none.
pub(crate) fn search_script(files: &[StaticFile]) -> Result<Option<Vec<u8>>> {
    let mut parts: Vec<&StaticFile> = files.iter().filter(|f| is_search_part(&f.rel)).collect();
    if parts.is_empty() {
        return Ok(None);
    }
    parts.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut js = Vec::new();
    for f in parts {
        if !js.is_empty() {
            js.push(b'\n');
        }
        js.extend_from_slice(&f.bytes()?);
        if !js.ends_with(b"\n") {
            js.push(b'\n');
        }
    }
    Ok(Some(js))
}

/// The built-in theme's `static/search.js` (tests run it under Node).
pub fn theme_search_script() -> Vec<u8> {
    search_script(&theme_static_files())
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// The embedded theme's `static/` files, by `/`-separated path.
fn theme_static_files() -> Vec<StaticFile> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<StaticFile>) {
        for f in dir.files() {
            out.push(StaticFile {
                rel: f.path().to_string_lossy().replace('\\', "/"),
                source: StaticSource::Embedded(f.contents()),
            });
        }
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut out = Vec::new();
    walk(&THEME_STATIC, &mut out);
    out
}

/// The embedded `static/` files plus the site's own; a site file replaces the
/// embedded one with the same path.
pub(crate) fn static_files(site_static: &Path) -> Result<Vec<StaticFile>> {
    let mut out = theme_static_files();
    for (rel, path) in site_files(site_static)? {
        let file = StaticFile {
            rel: rel.clone(),
            source: StaticSource::Disk(path),
        };
        match out.iter_mut().find(|f| f.rel == rel) {
            Some(slot) => *slot = file,
            None => out.push(file),
        }
    }
    Ok(out)
}

/// The files of a site's `templates/` or `static/` folder (none if it does
/// not exist) by `/`-separated path inside it, in name order, editors'
/// temporary files left out. They replace the embedded theme's.
pub(crate) fn site_files(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        if dir.exists() {
            log::warn!(
                "`{}` is a file, not a folder: the theme's own files are used",
                dir.display()
            );
        }
        return Ok(out);
    }
    // Symbolic links are followed, as in `notes/` (a linked stylesheet was
    // dropped without a word); one whose target is gone, or that loops, is
    // an error naming it.
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let at = e.path().unwrap_or(dir).display().to_string();
            let message = match (e.loop_ancestor(), e.io_error()) {
                (Some(up), _) => format!("a symbolic link that loops back to `{}`", up.display()),
                (None, Some(io)) => format!("cannot read it: {io}"),
                (None, None) => format!("cannot read it: {e}"),
            };
            crate::diagnostic::Diagnostic::at(&at, message)
                .hint("a symbolic link here must lead to a file or folder that exists, not to one above it")
        })?;
        if entry.file_type().is_file()
            && !crate::discover::is_ignored_name(&entry.file_name().to_string_lossy())
        {
            out.push((
                crate::discover::rel_path(dir, entry.path()),
                entry.into_path(),
            ));
        }
    }
    Ok(out)
}

/// The embedded theme's files, for `biji init --theme`.
pub fn embedded_theme() -> Vec<(String, &'static [u8])> {
    let mut v = Vec::new();
    for f in THEME_TEMPLATES.files() {
        v.push((format!("templates/{}", f.path().display()), f.contents()));
    }
    for f in theme_static_files() {
        if let StaticSource::Embedded(b) = f.source {
            v.push((format!("static/{}", f.rel), b));
        }
    }
    v
}
