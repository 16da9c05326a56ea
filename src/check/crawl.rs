//! Crawls a built site: reads every page, checks each internal link and
//! anchor it holds, and lists the external ones by domain.

use super::resolve::{readable, Site, Verdict};
use super::scan::{scan, Found, Scanned};
use super::{BrokenLink, Crawl};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Crawls the built site in `dir` as served under `base_path` at `origin`
/// (`origin` may be empty): checks every page's internal links and anchors.
pub fn crawl(dir: &Path, base_path: &str, origin: &str) -> Result<Crawl> {
    crawl_with(dir, base_path, origin, &|_| false)
}

/// [`crawl`], with the broken links of the HTML files `copied` says were
/// copied from `notes/` (a saved web page, a demo) kept apart: they are
/// those files' own, which no build of the notes can mend.
pub(crate) fn crawl_with(
    dir: &Path,
    base_path: &str,
    origin: &str,
    copied: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Crawl> {
    let (files, dirs) = list_output(dir)?;
    let scanned = scan_pages(dir, &files)?;
    let ids: HashMap<&str, &HashSet<String>> = scanned
        .iter()
        .map(|(rel, _, s)| (rel.as_str(), &s.ids))
        .collect();
    let site = Site {
        files: &files,
        dirs: &dirs,
        ids: &ids,
        base_path,
        origin,
    };
    let mut out = Crawl {
        pages: scanned.len(),
        ..Default::default()
    };
    for (page, text, s) in &scanned {
        let mut lines = LineIndex::new(text);
        let own = !copied(page);
        for l in &s.links {
            for url in link_urls(l) {
                match site.check(page, url) {
                    Verdict::Skip => {}
                    Verdict::External(domain) => {
                        out.external
                            .entry(domain)
                            .or_default()
                            .insert(readable(url));
                    }
                    Verdict::Ok => out.internal += 1,
                    Verdict::Broken(reason) => {
                        out.internal += 1;
                        let list = match own {
                            true => &mut out.broken,
                            false => &mut out.broken_in_copies,
                        };
                        list.push(BrokenLink {
                            page: page.clone(),
                            line: lines.line_of(l.offset),
                            attr: l.attr.to_string(),
                            url: url.to_string(),
                            reason,
                        });
                    }
                }
            }
        }
    }
    out.broken.sort();
    out.broken_in_copies.sort();
    Ok(out)
}

/// Every file and every folder in the output, as `/`-separated relative paths.
fn list_output(dir: &Path) -> Result<(HashSet<String>, HashSet<String>)> {
    let mut files: HashSet<String> = HashSet::new();
    let mut dirs: HashSet<String> = HashSet::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read `{}`", dir.display()))?;
        let rel = crate::discover::rel_path(dir, entry.path());
        if entry.file_type().is_dir() {
            dirs.insert(rel);
        } else {
            files.insert(rel);
        }
    }
    Ok((files, dirs))
}

/// Each HTML page, in path order, with its text and what the scanner found.
fn scan_pages(dir: &Path, files: &HashSet<String>) -> Result<Vec<(String, String, Scanned)>> {
    let mut html: Vec<&String> = files.iter().filter(|f| f.ends_with(".html")).collect();
    html.sort();
    html.par_iter()
        .map(|rel| {
            let path = dir.join(rel.as_str());
            let text = std::fs::read(&path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            let text = String::from_utf8_lossy(&text).into_owned();
            let s = scan(&text);
            Ok(((*rel).clone(), text, s))
        })
        .collect()
}

/// The URLs in one attribute: one, or each candidate of a `srcset`.
fn link_urls(l: &Found) -> Vec<&str> {
    if l.attr == "srcset" {
        l.value
            .split(',')
            .filter_map(|c| c.split_whitespace().next())
            .collect()
    } else {
        vec![l.value.trim()]
    }
}

/// Byte offset -> 1-based line, for offsets asked in increasing order.
pub(super) struct LineIndex<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> LineIndex<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            pos: 0,
            line: 1,
        }
    }
    pub(super) fn line_of(&mut self, offset: usize) -> usize {
        if offset < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        let end = offset.min(self.text.len());
        self.line += self.text.as_bytes()[self.pos..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.pos = end;
        self.line
    }
}
