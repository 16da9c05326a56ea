//! The read-only picture of the whole site that the render pass consults:
//! every note's metadata, the folder tree, and lookups for link resolution.

use crate::config::NotesDir;
use crate::discover::Found;
use crate::markdown::{self, Heading, LinkRef};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Top-level names biji writes: folders of generated pages, and the files at
/// the site's root. A note or folder there would collide (`404.html.md` is
/// published as the folder `404.html/`, where the not-found page is a file).
/// (The heading index's folder is chosen per site: [`SiteIndex::index_dir`].)
pub(crate) const RESERVED: &[&str] = &[
    "static",
    "topics",
    "search",
    "index.html",
    "404.html",
    crate::url::SITEMAP,
    crate::url::FEED,
    "CNAME",
    ".nojekyll",
];

/// Everything about one note except its rendered HTML.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct NoteMeta {
    /// Path under the notes folder, `/`-separated: `python/装饰器.md`.
    pub rel: String,
    pub abs: PathBuf,
    /// Site-relative URL path without a leading slash: `python/装饰器/`.
    pub url: String,
    /// The folder the note belongs to in the site's tree, `""` at the root:
    /// where its file is ([`NoteMeta::dir`]), except for a note that is the
    /// page of the folder beside it (Obsidian's `分布式.md` beside `分布式/`),
    /// which belongs to that folder (see [`NoteMeta::folder_page`]).
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
    /// Front matter `typora-root-url` as written: the folder Typora reads
    /// this note's `/assets/a.png` from (relative to the note's folder).
    pub typora_root: Option<String>,
    pub draft: bool,
    pub scan: markdown::Scan,
    /// The title's [`crate::collate::sort_key`] (pinyin, numbers by value),
    /// made once here for every list that orders notes by title.
    pub sort_key: String,
    /// Hash of the source, to notice a file that changed between the passes.
    pub source_hash: u64,
    /// The URL as a link under the site's base path (percent-encoded), made
    /// once per build by [`SiteIndex::set_hrefs`] for the lists every page shows.
    #[serde(skip)]
    pub href: String,
    /// The note is its folder's page: its README, or an Obsidian folder
    /// note (see `site/index.rs`), set when the site is indexed.
    #[serde(skip)]
    pub folder_page: bool,
    /// The note gives no title (front matter, H1): it is named by its file,
    /// or by the book's table of contents (`site/summary.rs`).
    pub title_from_file: bool,
}

impl NoteMeta {
    pub(crate) fn headings(&self) -> &[Heading] {
        &self.scan.headings
    }
    pub(crate) fn links(&self) -> &[LinkRef] {
        &self.scan.links
    }
    /// The day shown as "updated": front matter `updated`, else `date`, else mtime.
    pub(crate) fn last_updated(&self) -> &str {
        self.updated
            .as_deref()
            .or(self.date.as_deref())
            .unwrap_or(&self.modified)
    }
    /// The folder the note's file is in: relative links start there.
    pub(crate) fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }
    /// A draft, left out of a build without `--drafts`.
    pub(crate) fn left_out(&self, with_drafts: bool) -> bool {
        self.draft && !with_drafts
    }
    /// Short text for listings: front matter description or the first sentence.
    pub(crate) fn blurb(&self) -> &str {
        self.description.as_deref().unwrap_or(&self.scan.summary)
    }
}

/// A folder under `notes/` that holds notes (directly or below).
#[derive(Debug, Clone, Default)]
pub(crate) struct Folder {
    /// `python/web`, `""` for the root.
    pub path: String,
    pub name: String,
    pub url: String,
    /// Notes directly in this folder, sorted by title.
    pub notes: Vec<usize>,
    /// Child folder paths, sorted.
    pub children: Vec<String>,
    /// Where a book's table of contents first lists a note in it
    /// (`u32::MAX` if nowhere): the sidebar puts it there among the notes.
    pub place: u32,
    /// Notes in this folder and below.
    pub total: usize,
    /// The folder's own page (`README.md`, `index.md` or `_index.md` in it; see
    /// [`is_folder_index`]): shown at the folder's URL above its listing, and
    /// not listed among [`Folder::notes`].
    pub index: Option<usize>,
    /// The URL as a link under the base path (see [`NoteMeta::href`]).
    pub href: String,
}

/// A note left out of the build because it is a draft, kept so that a link to
/// it is reported as "is a draft" rather than as a missing note.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub rel: String,
    pub stem: String,
    pub title: String,
}

impl Draft {
    /// What is kept of a note left out as a draft.
    pub(crate) fn of(n: &NoteMeta) -> Draft {
        Draft {
            rel: n.rel.clone(),
            stem: n.stem.clone(),
            title: n.title.clone(),
        }
    }
}

/// The whole site's metadata, built once per build and then only read.
#[derive(Debug, Default)]
pub(crate) struct SiteIndex {
    pub notes: Vec<NoteMeta>,
    /// How messages name the notes folder: `dir.file(&note.rel)`.
    pub dir: NotesDir,
    /// The folder of biji's heading index: `index`, unless the notes have
    /// a folder or page of that name at the top (see `site/index.rs`).
    pub index_dir: &'static str,
    /// Drafts dropped from this build (empty with `--drafts`).
    pub drafts: Vec<Draft>,
    pub folders: BTreeMap<String, Folder>,
    pub assets: Vec<Found>,
    /// The notes that took their day from Git: path -> (day, hash of the
    /// text it was committed with). `serve` reads notes again after a
    /// failed rebuild or a `git checkout`: one whose text is still that
    /// gets its commit day back, not the file's new time.
    pub commit_days: HashMap<String, (String, u64)>,
    /// Per note: its anchors as lookups, made when a link first asks (see
    /// [`SiteIndex::anchors`]).
    anchors: Vec<std::sync::OnceLock<Option<anchors::Anchors>>>,
    /// What a book's table of contents (`SUMMARY.md`) says of each note:
    /// lists go by its order first.
    book: summary::Book,
    by_rel: HashMap<String, usize>,
    by_stem: HashMap<String, Vec<usize>>,
    by_title: HashMap<String, Vec<usize>>,
    /// NFC form -> path as stored.
    asset_set: HashMap<String, String>,
    assets_by_name: HashMap<String, Vec<String>>,
    /// Lower-cased path -> the notes there, made when a link first names
    /// none exactly (see [`SiteIndex::note_by_path`]).
    notes_lower: std::sync::OnceLock<HashMap<String, Vec<usize>>>,
    /// Lower-cased path -> the files there, as stored.
    assets_lower: std::sync::OnceLock<HashMap<String, Vec<String>>>,
}

mod anchors;
pub(crate) use anchors::{heading_key, Anchors};
mod clashes;
mod hidden;
mod include;
mod index;
mod load;
mod paths;
mod summary;

pub(crate) use hidden::published_when_linked;
pub(crate) use include::include_text;
pub(crate) use load::{load_note, read_note};
#[cfg(test)]
use paths::civil_from_days;
use paths::nfc;
pub(crate) use paths::*;
pub(crate) use summary::{is_book_toc, TOC_NAMES};

impl SiteIndex {
    /// Every note, most recently updated first (then by title and path):
    /// the home page's and the feed's order.
    pub(crate) fn recent(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.notes.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.notes[a], &self.notes[b]);
            b.last_updated()
                .cmp(a.last_updated())
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.rel.cmp(&b.rel))
        });
        order
    }

    /// Note `i`'s anchors as lookups, when it has many (else `None`: scan them).
    pub(crate) fn anchors(&self, i: usize) -> Option<&anchors::Anchors> {
        let slot = self.anchors.get(i)?;
        slot.get_or_init(|| anchors::Anchors::of(&self.notes[i]))
            .as_ref()
    }

    /// Takes each note's last-change day from Git where it has one (`days`
    /// from [`crate::history::last_commit_days`]).
    pub(crate) fn use_commit_days(&mut self, days: &HashMap<String, String>) {
        for n in &mut self.notes {
            if let Some(day) = days.get(&n.rel) {
                n.modified.clone_from(day);
                self.commit_days
                    .insert(n.rel.clone(), (day.clone(), n.source_hash));
            }
        }
    }

    /// Where note `i` stands in its folder's list of notes (none for the
    /// folder's own README). Folders list notes by (sort key, index), so this
    /// is a binary search, fast even in a folder of thousands.
    pub(crate) fn position_in_folder(&self, i: usize) -> Option<usize> {
        let key = |s: usize| self.order_key(s);
        self.folder(&self.notes[i].folder)?
            .notes
            .binary_search_by(|&s| key(s).cmp(&key(i)))
            .ok()
    }

    /// The note at `rel`, in either Unicode form (a link typed in NFC finds
    /// a file macOS stored in NFD).
    pub(crate) fn note_by_rel(&self, rel: &str) -> Option<usize> {
        self.by_rel.get(nfc(rel).as_ref()).copied()
    }
    /// The note a link's path names: at `rel`, else the one note whose path
    /// differs only in letter case (`java/mybatis.md` for `Java/MyBatis.md`),
    /// as Obsidian, macOS and Windows find it.
    pub(crate) fn note_by_path(&self, rel: &str) -> Option<usize> {
        self.note_by_rel(rel).or_else(|| {
            let lower = self.notes_lower.get_or_init(|| {
                let mut m: HashMap<String, Vec<usize>> = HashMap::new();
                for (i, n) in self.notes.iter().enumerate() {
                    m.entry(nfc(&n.rel).to_lowercase()).or_default().push(i);
                }
                m
            });
            match lower.get(&nfc(rel).to_lowercase()).map(Vec::as_slice) {
                Some(&[i]) => Some(i),
                _ => None,
            }
        })
    }
    /// [`SiteIndex::note_by_path`] for the files copied from `notes/`.
    pub(crate) fn asset_by_path(&self, rel: &str) -> Option<&str> {
        self.asset_rel(rel).or_else(|| {
            let lower = self.assets_lower.get_or_init(|| {
                let mut m: HashMap<String, Vec<String>> = HashMap::new();
                for a in &self.assets {
                    m.entry(nfc(&a.rel).to_lowercase())
                        .or_default()
                        .push(a.rel.clone());
                }
                m
            });
            match lower.get(&nfc(rel).to_lowercase()).map(Vec::as_slice) {
                Some([one]) => Some(one.as_str()),
                _ => None,
            }
        })
    }
    pub(crate) fn notes_by_stem(&self, stem: &str) -> &[usize] {
        self.by_stem
            .get(&stem.to_lowercase())
            .map_or(&[], Vec::as_slice)
    }
    pub(crate) fn notes_by_title(&self, title: &str) -> &[usize] {
        self.by_title
            .get(&title.to_lowercase())
            .map_or(&[], Vec::as_slice)
    }
    /// The file copied from `notes/` at `rel` (either Unicode form), as it
    /// is stored: its URL must be the file's own bytes.
    pub(crate) fn asset_rel(&self, rel: &str) -> Option<&str> {
        self.asset_set.get(nfc(rel).as_ref()).map(String::as_str)
    }
    pub(crate) fn assets_named(&self, name: &str) -> &[String] {
        self.assets_by_name
            .get(&name.to_lowercase())
            .map_or(&[], Vec::as_slice)
    }
    pub(crate) fn folder(&self, path: &str) -> Option<&Folder> {
        self.folders.get(path)
    }

    /// Fills every note's and folder's `href` for `base_path` (those kept
    /// from an earlier build under the same base path have theirs).
    pub(crate) fn set_hrefs(&mut self, base_path: &str) {
        for n in self.notes.iter_mut().filter(|n| n.href.is_empty()) {
            n.href = crate::url::href(base_path, &n.url);
        }
        for f in self.folders.values_mut().filter(|f| f.href.is_empty()) {
            f.href = crate::url::href(base_path, &f.url);
        }
    }
    /// The dropped draft at `rel` (a path under notes/), if any.
    pub(crate) fn draft_by_rel(&self, rel: &str) -> Option<&Draft> {
        self.drafts.iter().find(|d| d.rel == rel)
    }
    /// Dropped drafts whose file stem or title is `name` (case-insensitive), as wikilinks name notes.
    pub(crate) fn drafts_named(&self, name: &str) -> Vec<&Draft> {
        let name = name.to_lowercase();
        self.drafts
            .iter()
            .filter(|d| d.stem.to_lowercase() == name || d.title.to_lowercase() == name)
            .collect()
    }
    /// Every note path, for "did you mean" suggestions.
    pub(crate) fn note_rels(&self) -> impl Iterator<Item = &str> {
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
        let e = read_note(&f, "notes/x.md").unwrap_err().to_string();
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
