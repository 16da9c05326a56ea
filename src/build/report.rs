//! What a build reports: the summary line's figures, the warnings worth
//! repeating, and what `serve` keeps for its next rebuild.

use crate::output::{Key, PageKeys};
use std::path::PathBuf;
use std::time::Duration;

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Notes in the site (drafts left out unless asked for).
    pub notes: usize,
    /// HTML pages written (notes, folders, topics, indexes, ...).
    pub pages: usize,
    /// Other files copied from `notes/` (images, PDFs).
    pub assets: usize,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// The output folder, now holding the new site.
    pub output: PathBuf,
    /// Labelled code blocks in a language we cannot highlight, with counts.
    pub unknown_languages: crate::highlight::Unknown,
    /// Code blocks shown plain because they are too long to highlight, as
    /// `file:line (why)`.
    pub too_long_code: Vec<String>,
    /// Links that resolve to nothing (built anyway with `links: warn`).
    pub broken_links: usize,
    /// `sitemap.xml` and `atom.xml` were left out: `base_url` is not set.
    pub feeds_skipped: bool,
    /// Wall time of each phase, in order (shown with `-v`).
    pub phases: Vec<(&'static str, Duration)>,
    /// Every page's dependency key, by path in the output.
    pub keys: PageKeys,
    /// Note bodies rendered; the others came from the build cache.
    pub bodies_rendered: usize,
    /// Files written into the output folder; the others were kept as they were.
    pub files_written: usize,
    /// The build cache's size in bytes (`None`: no cache).
    pub cache_bytes: Option<u64>,
    /// How the search index was made.
    pub search_index: SearchIndex,
    /// With a cache: every file in the output, as the cache's manifest of
    /// the output folder holds it (`serve` keeps it up to date).
    pub(crate) manifest: Option<crate::cache::Manifest>,
    /// Every note's body key, in the site's order (`serve` keeps them).
    pub(crate) body_keys: Vec<Key>,
}

/// How a build made the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchIndex {
    /// `search: false`.
    #[default]
    Off,
    /// Nothing it is made of changed: the output's was kept.
    Kept,
    /// From the last build's, with the changed notes.
    Resumed {
        /// Term shards made again.
        made: usize,
        /// Term shards in the index (the others were kept).
        shards: usize,
    },
    /// From every note.
    Made,
}
