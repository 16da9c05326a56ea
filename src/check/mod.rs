//! `biji check`: builds the site into a temporary folder and crawls the result
//! as a browser under the real base path would. Every internal `href`, `src`,
//! `srcset` and `poster` must reach a file the site contains, and every
//! `#anchor` an element with that id; external links are only listed, by
//! domain, never fetched. This catches what the note-level link check cannot
//! see: template mistakes, sub-path bugs, links written in raw HTML.

mod crawl;
mod resolve;
mod scan;
#[cfg(test)]
mod tests;

pub use crawl::crawl;

use crate::build::{build, BuildOptions, BuildReport};
use crate::highlight::Highlighter;
use crate::output::{remove_leftovers, Leftover};
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};

/// An internal link that reaches nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    /// The page holding the link, relative to the output: `python/装饰器/index.html`.
    pub page: String,
    /// The line of that page the link is on.
    pub line: usize,
    /// The attribute, `href` or `src`.
    pub attr: String,
    /// The link as written (entities decoded).
    pub url: String,
    /// Why it is broken, for the reader.
    pub reason: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: broken {} `{}`: {}",
            self.page, self.line, self.attr, self.url, self.reason
        )
    }
}

/// What a crawl of a built site found.
#[derive(Debug, Default)]
pub struct Crawl {
    /// HTML files crawled.
    pub pages: usize,
    /// Internal links checked (all occurrences).
    pub internal: usize,
    /// Internal links that lead nowhere, in page order.
    pub broken: Vec<BrokenLink>,
    /// Those in HTML files copied from `notes/` as they are (a saved web
    /// page): reported apart, never an error.
    pub broken_in_copies: Vec<BrokenLink>,
    /// Domain -> the distinct external URLs linking there.
    pub external: BTreeMap<String, BTreeSet<String>>,
}

/// `biji check`'s result: the build it made and the crawl of it.
#[derive(Debug)]
pub struct CheckReport {
    /// The build `check` made first.
    pub build: BuildReport,
    /// What crawling its output found.
    pub crawl: Crawl,
    /// Broken links fail the check (`links: error`, the default); with
    /// `links: warn` they are listed, as the build warns of them, so a site
    /// whose author chose that still deploys.
    pub broken_is_error: bool,
}

/// The check build's folder is `biji-check-PID-XXXXXX` in the system's
/// temporary folder: the process id tells a running check's folder from
/// one a killed check left, which the next check removes.
const TEMP_PREFIX: &str = "biji-check-";

/// Removes check folders in the system's temporary folder: this process's
/// own (`Leftover::Own`: it is being interrupted), or those of checks whose
/// process is gone.
pub(crate) fn remove_temp_folders(which: Leftover) {
    let pid_of = |name: &str| {
        let (pid, _) = name.strip_prefix(TEMP_PREFIX)?.split_once('-')?;
        pid.parse::<u32>().ok()
    };
    remove_leftovers(&std::env::temp_dir(), pid_of, which);
}

/// Builds the site into a temporary folder (or `opts.output` when given) and
/// crawls it with the site's base path.
pub fn check(opts: &BuildOptions, hl: &Highlighter) -> Result<CheckReport> {
    let cfg = crate::build::load_config(opts)?;
    remove_temp_folders(Leftover::OfGoneProcesses);
    let tmp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .tempdir()
        .context("cannot create a temporary folder for the check build")?;
    let mut opts = opts.clone();
    if opts.output.is_none() {
        opts.output = Some(tmp.path().join("public"));
    }
    let report = build(&opts, hl)?;
    let notes = &cfg.notes_dir;
    let copied = |rel: &str| notes.join(rel).is_file();
    let crawl = crawl::crawl_with(
        &report.output,
        &cfg.base_path(),
        &cfg.base_origin(),
        &copied,
    )?;
    Ok(CheckReport {
        build: report,
        crawl,
        broken_is_error: cfg.links == crate::config::LinkPolicy::Error,
    })
}
