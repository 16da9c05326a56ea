//! The read-only picture of the whole site that the render pass consults:
//! every note's metadata, the folder tree, and lookups for link resolution.

use crate::discover::{Discovered, Found};
use crate::frontmatter;
use crate::markdown::{self, Heading, LinkRef};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Top-level names biji writes: folders of generated pages, and the files at
/// the site's root. A note or folder there would collide (`404.html.md` is
/// published as the folder `404.html/`, where the not-found page is a file).
pub const RESERVED: &[&str] = &[
    "static",
    "topics",
    "index",
    "search",
    "tags",
    "index.html",
    "404.html",
    crate::publish::SITEMAP,
    crate::publish::FEED,
    "CNAME",
    ".nojekyll",
];

/// Everything about one note except its rendered HTML.
#[derive(Debug, Clone)]
pub struct NoteMeta {
    /// Path under the notes folder, `/`-separated: `python/装饰器.md`.
    pub rel: String,
    pub abs: PathBuf,
    /// Site-relative URL path without a leading slash: `python/装饰器/`.
    pub url: String,
    /// Folder path under notes, `""` at the root.
    pub folder: String,
    pub stem: String,
    pub title: String,
    pub date: Option<String>,
    pub updated: Option<String>,
    /// The day the note last changed, the fallback for "updated": its last
    /// commit's day when it is committed and unchanged since (see
    /// [`crate::history`]), else its file's modification day.
    pub modified: String,
    pub tags: Vec<String>,
    /// Other names wikilinks may use for this note (front matter `aliases`).
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub draft: bool,
    pub scan: markdown::Scan,
    /// The title's [`crate::topics::sort_key`] (pinyin, numbers by value),
    /// made once here for every list that orders notes by title.
    pub sort_key: String,
    /// Hash of the source, to notice a file that changed between the passes.
    pub source_hash: u64,
    /// Front matter lines before the Markdown body.
    pub body_line_offset: usize,
}

impl NoteMeta {
    pub fn headings(&self) -> &[Heading] {
        &self.scan.headings
    }
    pub fn links(&self) -> &[LinkRef] {
        &self.scan.links
    }
    /// The day shown as "updated": front matter `updated`, else `date`, else mtime.
    pub fn last_updated(&self) -> &str {
        self.updated
            .as_deref()
            .or(self.date.as_deref())
            .unwrap_or(&self.modified)
    }
    /// A draft, left out of a build without `--drafts`.
    pub fn left_out(&self, with_drafts: bool) -> bool {
        self.draft && !with_drafts
    }
    /// Short text for listings: front matter description or the first sentence.
    pub fn blurb(&self) -> &str {
        self.description.as_deref().unwrap_or(&self.scan.summary)
    }
}

/// A folder under `notes/` that holds notes (directly or below).
#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// `python/web`, `""` for the root.
    pub path: String,
    pub name: String,
    pub url: String,
    /// Notes directly in this folder, sorted by title.
    pub notes: Vec<usize>,
    /// Child folder paths, sorted.
    pub children: Vec<String>,
    /// Notes in this folder and below.
    pub total: usize,
    /// The folder's own page (`README.md`, `index.md` or `_index.md` in it; see
    /// [`is_folder_index`]): shown at the folder's URL above its listing, and
    /// not listed among [`Folder::notes`].
    pub index: Option<usize>,
}

/// A note left out of the build because it is a draft, kept so that a link to
/// it is reported as "is a draft" rather than as a missing note.
#[derive(Debug, Clone)]
pub struct Draft {
    pub rel: String,
    pub stem: String,
    pub title: String,
}

impl Draft {
    /// What is kept of a note left out as a draft.
    pub fn of(n: &NoteMeta) -> Draft {
        Draft {
            rel: n.rel.clone(),
            stem: n.stem.clone(),
            title: n.title.clone(),
        }
    }
}

/// The whole site's metadata, built once per build and then only read.
#[derive(Debug, Default)]
pub struct SiteIndex {
    pub notes: Vec<NoteMeta>,
    /// Drafts dropped from this build (empty with `--drafts`).
    pub drafts: Vec<Draft>,
    pub folders: BTreeMap<String, Folder>,
    pub assets: Vec<Found>,
    by_rel: HashMap<String, usize>,
    by_stem: HashMap<String, Vec<usize>>,
    by_title: HashMap<String, Vec<usize>>,
    /// NFC form -> path as stored.
    asset_set: HashMap<String, String>,
    assets_by_name: HashMap<String, Vec<String>>,
}

/// The reserved top segment of a site URL (`topics` for `topics/x/`), if it
/// has one: there a note or folder would collide with the pages and files biji generates.
pub fn reserved_top(url: &str) -> Option<&str> {
    let top = url.split('/').next().unwrap_or("");
    RESERVED.contains(&top).then_some(top)
}

/// `s` in Unicode's composed form (NFC), the key of path lookups; most
/// paths already are, and are not copied.
fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => std::borrow::Cow::Borrowed(s),
        _ => std::borrow::Cow::Owned(s.nfc().collect()),
    }
}

/// URLs that differ only in letter case or Unicode form (`Go.md`, `go.md`;
/// 装饰器 composed or decomposed) are two pages here but one file on macOS
/// and Windows, where one would overwrite the other: warned about.
fn warn_case_clashes(notes: &[NoteMeta]) {
    let mut seen: HashMap<String, &NoteMeta> = HashMap::new();
    for n in notes {
        let key = nfc(&n.url).to_lowercase();
        if let Some(prev) = seen.insert(key, n) {
            if prev.url != n.url {
                log::warn!(
                    "notes/{} and notes/{} differ only in letter case or Unicode form: on macOS and Windows they are one file; rename one",
                    prev.rel,
                    n.rel
                );
            }
        }
    }
}

/// Files biji writes at the top of the output, besides pages.
const GENERATED_FILES: &[(&str, &str)] = &[
    ("index.html", "the home page"),
    ("404.html", "the 404 page"),
    (crate::publish::SITEMAP, "the sitemap"),
    (crate::publish::FEED, "the feed"),
    ("CNAME", "the custom-domain file (set `cname` in biji.yaml)"),
];

/// Why copying the file `rel` from `notes/` would replace something biji
/// generates (a page, the theme, the search index), if it would.
fn asset_clash(
    rel: &str,
    owners: &HashMap<String, String>,
    folders: &BTreeMap<String, Folder>,
) -> Option<String> {
    let theme =
        "to change the theme on purpose, put files in `static/` or `templates/` at the site root";
    // The files first (their names are reserved too), with what they are.
    if let Some((_, what)) = GENERATED_FILES.iter().find(|(f, _)| *f == rel) {
        return Some(format!(
            "it would replace {what} that biji generates; rename it ({theme})"
        ));
    }
    if let Some(top) = reserved_top(rel) {
        return Some(format!(
            "it would replace what biji generates under /{top}/; rename the file or its folder ({theme})"
        ));
    }
    let dir = rel.strip_suffix("index.html")?;
    if !(dir.is_empty() || dir.ends_with('/')) {
        return None;
    }
    if let Some(note) = owners.get(dir) {
        return Some(format!(
            "it would replace the page of {note} (/{dir}); rename one of them"
        ));
    }
    let folder = folders.values().find(|f| f.url == dir)?;
    Some(format!(
        "it would replace the page of the folder notes/{}/ (/{dir}); rename it",
        folder.path
    ))
}

/// The folders on the way to `folder`, outermost first, each with its own
/// name: `a/b/c` -> (`a`, `a`), (`a/b`, `b`), (`a/b/c`, `c`); none for `""`.
pub fn ancestors(folder: &str) -> impl Iterator<Item = (&str, &str)> {
    folder
        .match_indices('/')
        .map(|(i, _)| i)
        .chain((!folder.is_empty()).then_some(folder.len()))
        .scan(0, move |start, end| {
            let part = &folder[*start..end];
            *start = end + 1;
            Some((&folder[..end], part))
        })
}

/// `python/装饰器.md` -> `装饰器`.
pub fn file_stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// A note's title when neither its front matter nor an H1 gives one: its file
/// name, or, for a folder's README, the folder's name.
pub fn default_title(rel: &str) -> &str {
    match rel.rsplit_once('/') {
        Some((folder, _)) if is_folder_index(rel) => folder.rsplit('/').next().unwrap_or(folder),
        _ => file_stem(rel),
    }
}

/// File stems (any case) of the note that is its folder's page, as on GitHub
/// (`README`), in Hugo and Zola (`_index`) and for static sites in general (`index`).
pub const FOLDER_INDEX_STEMS: &[&str] = &["readme", "index", "_index"];

/// True for `python/README.md`, `index.md`, `go/_index.markdown`: the note that
/// is its folder's page (the root folder's is the home page).
pub fn is_folder_index(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').is_some_and(|(stem, _)| {
        FOLDER_INDEX_STEMS
            .iter()
            .any(|s| stem.eq_ignore_ascii_case(s))
    })
}

/// Maps a note path to its URL: `python/装饰器.md` -> `python/装饰器/`; a
/// folder's index note gets the folder's URL: `python/README.md` -> `python/`.
pub fn note_url(rel: &str) -> String {
    if is_folder_index(rel) {
        return folder_url(rel.rsplit_once('/').map_or("", |(f, _)| f));
    }
    let without_ext = rel.rsplit_once('.').map(|(a, _)| a).unwrap_or(rel);
    let mut url = url_segments(without_ext);
    url.push('/');
    url
}

/// Folder path to URL: `python/web` -> `python/web/`, root -> ``.
pub fn folder_url(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{}/", url_segments(path))
    }
}

fn url_segments(path: &str) -> String {
    path.split('/')
        .map(|seg| seg.split_whitespace().collect::<Vec<_>>().join("-"))
        .collect::<Vec<_>>()
        .join("/")
}

/// `YYYY-MM-DD` of a file time (UTC), without pulling in a date crate.
pub fn day_of(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn hash_str(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// A note's text. Notes must be UTF-8; the usual other encoding of Chinese
/// notes (GBK, from Windows editors) gets a message with the line of the first
/// byte that is not UTF-8 and the command that converts the file.
pub fn read_note(abs: &Path, rel: &str) -> Result<String> {
    let bytes = std::fs::read(abs).with_context(|| format!("cannot read note `notes/{rel}`"))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // Everything before `at` is UTF-8: count lines, and characters (as
        // editors do) on the last one.
        let good = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let line = 1 + good.matches('\n').count();
        let col = 1 + good.rsplit('\n').next().map_or(0, |l| l.chars().count());
        anyhow::anyhow!(
            "notes/{rel}:{line}:{col}: not UTF-8 text (byte 0x{:02X}); notes must be UTF-8. \
             A Chinese note saved as GBK converts with `iconv -f GBK -t UTF-8 notes/{rel} -o x.md && mv x.md notes/{rel}`; \
             a file that is not text belongs under another extension than .md",
            bytes[at]
        )
    })?;
    // CommonMark (2.3) replaces NUL with U+FFFD; pulldown-cmark passes it on,
    // into the page's text, code and HTML. One character for one: lines and
    // columns (counted in characters) stay where they were.
    crate::frontmatter::replace_nul(&mut text);
    Ok(text)
}

/// Reads one note and runs the cheap first pass on it.
pub fn load_note(found: &Found, syntax: &markdown::Syntax) -> Result<NoteMeta> {
    let text = read_note(&found.abs, &found.rel)?;
    let modified = std::fs::metadata(&found.abs)
        .and_then(|m| m.modified())
        .map(day_of)
        .unwrap_or_default();
    meta_from_text(found, &text, modified, syntax)
}

/// The first pass on a note's text (split out of `load_note` for tests and `serve`).
pub fn meta_from_text(
    found: &Found,
    text: &str,
    modified: String,
    syntax: &markdown::Syntax,
) -> Result<NoteMeta> {
    let file = format!("notes/{}", found.rel);
    let split = frontmatter::split(text, &file)?;
    if split.unclosed {
        log::warn!(
            "{file}:1: the `---` at the top opens front matter that is never closed, so it shows as text; add a `---` line after it"
        );
    }
    let date_at = split.key_at(&file, "date");
    let updated_at = split.key_at(&file, "updated");
    let fm = split.front;
    let scan = markdown::scan(split.body, split.body_line_offset, syntax);
    let stem = file_stem(&found.rel).to_string();
    let folder = found
        .rel
        .rsplit_once('/')
        .map(|(f, _)| f.to_string())
        .unwrap_or_default();
    let title = fm
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| scan.h1.clone().filter(|t| !t.is_empty()))
        .unwrap_or_else(|| default_title(&found.rel).to_string());
    let date = fm
        .date
        .as_ref()
        .map(|v| frontmatter::date_string(v, &date_at, "date"))
        .transpose()?;
    let updated = fm
        .updated
        .as_ref()
        .map(|v| frontmatter::date_string(v, &updated_at, "updated"))
        .transpose()?;
    let mut tags: Vec<String> = Vec::new();
    for t in fm
        .tags
        .clone()
        .map(|t| t.into_vec())
        .into_iter()
        .chain(fm.topics.clone().map(|t| t.into_vec()))
        .flatten()
        .chain(scan.inline_tags.iter().cloned())
    {
        // Obsidian writes tags as in the text (`"#python"`).
        let t = t.trim().trim_start_matches('#').trim().to_string();
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    Ok(NoteMeta {
        rel: found.rel.clone(),
        abs: found.abs.clone(),
        url: note_url(&found.rel),
        folder,
        stem,
        sort_key: crate::topics::sort_key(&title),
        title: title.trim().to_string(),
        date,
        updated,
        modified,
        tags,
        aliases: fm
            .aliases
            .clone()
            .map(|a| a.into_vec())
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        description: fm.description.clone().filter(|d| !d.trim().is_empty()),
        draft: fm.draft,
        scan,
        source_hash: hash_str(text),
        body_line_offset: split.body_line_offset,
    })
}

impl SiteIndex {
    /// Loads every note (in parallel), drops drafts unless asked, and checks
    /// that URLs are unique. All errors are collected and reported together.
    pub fn build(found: Discovered, drafts: bool, syntax: &markdown::Syntax) -> Result<SiteIndex> {
        let results: Vec<Result<NoteMeta>> = found
            .notes
            .par_iter()
            .map(|f| load_note(f, syntax))
            .collect();
        let mut notes = Vec::with_capacity(results.len());
        let mut dropped = Vec::new();
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(n) if n.left_out(drafts) => {
                    log::debug!("skipping draft notes/{}", n.rel);
                    dropped.push(Draft::of(&n));
                }
                Ok(n) => notes.push(n),
                Err(e) => errors.push(format!("{e:#}")),
            }
        }
        if !errors.is_empty() {
            anyhow::bail!("{}", errors.join("\n"));
        }
        let mut idx = Self::from_notes(notes, found.assets)?;
        idx.drafts = dropped;
        Ok(idx)
    }

    /// Indexes already-loaded notes (also used by `serve` after reloading a few).
    pub fn from_notes(notes: Vec<NoteMeta>, assets: Vec<Found>) -> Result<SiteIndex> {
        let mut idx = SiteIndex {
            notes,
            assets,
            ..Default::default()
        };
        let mut errors = Vec::new();
        // URL uniqueness, including folder listing pages and generated sections.
        let mut owners: HashMap<String, String> = HashMap::new();
        for (i, n) in idx.notes.iter().enumerate() {
            idx.by_rel.insert(nfc(&n.rel).into_owned(), i);
            idx.by_stem
                .entry(n.stem.to_lowercase())
                .or_default()
                .push(i);
            // Wikilinks find a note by its title or, as in Obsidian, by an alias.
            for name in std::iter::once(&n.title).chain(&n.aliases) {
                let names = idx.by_title.entry(name.to_lowercase()).or_default();
                if !names.contains(&i) {
                    names.push(i);
                }
            }
            if reserved_top(&n.url).is_some() {
                errors.push(format!(
                    "notes/{}: its URL /{} is reserved for the pages and files biji generates; rename the note or its top folder",
                    n.rel, n.url
                ));
            }
            if let Some(prev) = owners.insert(n.url.clone(), format!("notes/{}", n.rel)) {
                let why = if is_folder_index(&n.rel) && is_folder_index(&prev) {
                    "a folder has one page: keep one of README.md, index.md and _index.md"
                } else {
                    "rename one of them"
                };
                errors.push(format!(
                    "notes/{} and {} both map to the URL /{}; {why}",
                    n.rel, prev, n.url
                ));
            }
        }
        warn_case_clashes(&idx.notes);
        // Folders, from the notes' paths.
        idx.folders.insert(String::new(), Folder::default());
        for (i, n) in idx.notes.iter().enumerate() {
            let mut parent = "";
            for (path, part) in ancestors(&n.folder) {
                if !idx.folders.contains_key(path) {
                    idx.folders.insert(
                        path.to_string(),
                        Folder {
                            path: path.to_string(),
                            name: part.to_string(),
                            url: folder_url(path),
                            ..Default::default()
                        },
                    );
                    if let Some(p) = idx.folders.get_mut(parent) {
                        p.children.push(path.to_string());
                    }
                }
                if let Some(f) = idx.folders.get_mut(path) {
                    f.total += 1;
                }
                parent = path;
            }
            if let Some(f) = idx.folders.get_mut(&n.folder) {
                if is_folder_index(&n.rel) {
                    f.index = Some(i);
                } else {
                    f.notes.push(i);
                }
            }
            if let Some(root) = idx.folders.get_mut("") {
                root.total += 1;
            }
        }
        for f in idx.folders.values() {
            if f.path.is_empty() {
                continue;
            }
            // The folder's own index note has its URL by design; any other
            // note there is a clash (two index notes clash with each other above).
            if let Some(note) = owners.get(&f.url).filter(|_| f.index.is_none()) {
                errors.push(format!(
                    "{note} and the folder notes/{}/ both map to the URL /{}; rename the note or move it into the folder",
                    f.path, f.url
                ));
            }
            if reserved_top(&f.url).is_some() && !f.path.contains('/') {
                errors.push(format!(
                    "notes/{}/: its URL /{} is reserved for the pages and files biji generates; rename the folder",
                    f.path, f.url
                ));
            }
        }
        for a in &idx.assets {
            if let Some(why) = asset_clash(&a.rel, &owners, &idx.folders) {
                errors.push(format!("notes/{}: {why}", a.rel));
            }
        }
        let notes = &idx.notes;
        for f in idx.folders.values_mut() {
            f.children
                .sort_by_cached_key(|c| crate::topics::sort_key(c));
            f.notes
                .sort_by(|a, b| notes[*a].sort_key.cmp(&notes[*b].sort_key).then(a.cmp(b)));
            // (SiteIndex::position_in_folder searches this order.)
        }
        for a in &idx.assets {
            idx.asset_set
                .insert(nfc(&a.rel).into_owned(), a.rel.clone());
            let name = a.rel.rsplit('/').next().unwrap_or(&a.rel).to_lowercase();
            idx.assets_by_name
                .entry(name)
                .or_default()
                .push(a.rel.clone());
        }
        errors.sort();
        errors.dedup();
        if !errors.is_empty() {
            anyhow::bail!("{}", errors.join("\n"));
        }
        Ok(idx)
    }

    /// Takes each note's last-change day from Git where it has one (`days`
    /// from [`crate::history::last_commit_days`]).
    pub fn use_commit_days(&mut self, days: &HashMap<String, String>) {
        for n in &mut self.notes {
            if let Some(day) = days.get(&n.rel) {
                n.modified.clone_from(day);
            }
        }
    }

    /// Where note `i` stands in its folder's list of notes (none for the
    /// folder's own README). Folders list notes by (sort key, index), so this
    /// is a binary search, fast even in a folder of thousands.
    pub fn position_in_folder(&self, i: usize) -> Option<usize> {
        let key = |s: usize| (&self.notes[s].sort_key, s);
        self.folder(&self.notes[i].folder)?
            .notes
            .binary_search_by(|&s| key(s).cmp(&key(i)))
            .ok()
    }

    /// The note at `rel`, in either Unicode form (a link typed in NFC finds
    /// a file macOS stored in NFD).
    pub fn note_by_rel(&self, rel: &str) -> Option<usize> {
        self.by_rel.get(nfc(rel).as_ref()).copied()
    }
    pub fn notes_by_stem(&self, stem: &str) -> &[usize] {
        self.by_stem
            .get(&stem.to_lowercase())
            .map_or(&[], Vec::as_slice)
    }
    pub fn notes_by_title(&self, title: &str) -> &[usize] {
        self.by_title
            .get(&title.to_lowercase())
            .map_or(&[], Vec::as_slice)
    }
    /// The file copied from `notes/` at `rel` (either Unicode form), as it
    /// is stored: its URL must be the file's own bytes.
    pub fn asset_rel(&self, rel: &str) -> Option<&str> {
        self.asset_set.get(nfc(rel).as_ref()).map(String::as_str)
    }
    pub fn assets_named(&self, name: &str) -> &[String] {
        self.assets_by_name
            .get(&name.to_lowercase())
            .map_or(&[], Vec::as_slice)
    }
    pub fn folder(&self, path: &str) -> Option<&Folder> {
        self.folders.get(path)
    }
    /// The dropped draft at `rel` (a path under notes/), if any.
    pub fn draft_by_rel(&self, rel: &str) -> Option<&Draft> {
        self.drafts.iter().find(|d| d.rel == rel)
    }
    /// Dropped drafts whose file stem or title is `name` (case-insensitive), as wikilinks name notes.
    pub fn drafts_named(&self, name: &str) -> Vec<&Draft> {
        let name = name.to_lowercase();
        self.drafts
            .iter()
            .filter(|d| d.stem.to_lowercase() == name || d.title.to_lowercase() == name)
            .collect()
    }
    /// Every note path, for "did you mean" suggestions.
    pub fn note_rels(&self) -> impl Iterator<Item = &str> {
        self.notes.iter().map(|n| n.rel.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_that_is_not_utf8_is_placed_by_line_and_character() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("x.md");
        // Line 2 holds two good CJK characters (6 bytes) before the bad byte.
        std::fs::write(&f, b"# ok\n\xE8\xBF\x9B\xE7\xA8\x8B\xB1\xEA\n").unwrap();
        let e = read_note(&f, "x.md").unwrap_err().to_string();
        assert!(
            e.starts_with("notes/x.md:2:3: not UTF-8 text (byte 0xB1)"),
            "{e}"
        );
    }

    #[test]
    fn ancestors_are_the_folders_on_the_way() {
        let a: Vec<_> = ancestors("a/bb/c").collect();
        assert_eq!(a, [("a", "a"), ("a/bb", "bb"), ("a/bb/c", "c")]);
        assert_eq!(ancestors("").count(), 0);
        assert_eq!(ancestors("一").collect::<Vec<_>>(), [("一", "一")]);
    }

    #[test]
    fn urls() {
        assert_eq!(note_url("python/装饰器.md"), "python/装饰器/");
        assert_eq!(note_url("a b/c d.md"), "a-b/c-d/");
        assert_eq!(folder_url("go/web"), "go/web/");
        // A folder's index note is the folder's page; the root's is the home page.
        assert_eq!(note_url("python/README.md"), "python/");
        assert_eq!(note_url("go/web/_index.markdown"), "go/web/");
        assert_eq!(note_url("Index.md"), "");
        assert_eq!(
            note_url("python/readme-template.md"),
            "python/readme-template/"
        );
        assert!(!is_folder_index("python/README"));
    }

    #[test]
    fn a_readme_is_titled_after_its_folder() {
        assert_eq!(default_title("python/README.md"), "python");
        assert_eq!(default_title("python/协程.md"), "协程");
        assert_eq!(default_title("README.md"), "README");
    }

    #[test]
    fn days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
