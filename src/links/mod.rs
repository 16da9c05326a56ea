//! Resolves links between notes (relative `.md` paths, wikilinks, anchors) and
//! to files next to notes, so every internal link either points at a page that
//! exists or is reported with its file, line and a suggestion.

mod anchor;
mod broken;
mod includes;
mod rooted;
mod wiki;

use anchor::Written;
pub(crate) use broken::Miss;
pub(crate) use broken::{broken_error, listed, suggest_listed, Broken};
use broken::{draft_reason, missing};
pub(crate) use includes::check_includes;
use wiki::{resolve_embed, resolve_wiki};

use crate::markdown::{LinkKind, LinkRef};
use crate::site::{NoteMeta, SiteIndex};
pub(crate) use crate::url::has_scheme;
use crate::url::{encode_path, href, is_external};
use percent_encoding::percent_decode_str;
use std::collections::BTreeMap;

/// Where a link points once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Another note (or the same one), with an optional heading id.
    Note {
        index: usize,
        anchor: Option<String>,
    },
    /// A heading on the linking page itself.
    SamePage(String),
    /// A file copied from `notes/` (image, PDF), and the fragment written
    /// after it (`#page=3` for a PDF, `#t=10` for a video).
    Asset(String, Option<String>),
    /// A folder listing page.
    Folder(String),
    /// A path from the site's root that is no note or file of `notes/` (a
    /// page biji generates, `/topics/python/`, `/search/?q=x`; a file of
    /// `static/`), as written after its `/`: it gets the site's base path.
    SitePath(String),
    /// Outside the site, or something we do not check.
    Untouched,
    /// A file on the author's own disk (`C:\\Users\\...`, `/Users/...`,
    /// `file:///...`), as Typora leaves pasted images: no reader can load it.
    AuthorsDisk,
}

/// A path that only exists on the machine the note was written on.
pub(crate) fn on_authors_disk(dest: &str) -> bool {
    let b = dest.as_bytes();
    let drive =
        b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/');
    drive
        || dest.starts_with("\\\\")
        || dest
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("file://"))
        || ["/Users/", "/home/", "/private/var/", "/var/folders/"]
            .iter()
            .any(|p| dest.starts_with(p))
}

/// Percent-decodes a link as written (`%E8%BF%9B` -> `进`).
pub(crate) fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

pub(crate) use crate::site::join;

fn split_fragment(dest: &str) -> (&str, Option<&str>) {
    let dest = dest.split_once('?').map_or(dest, |(p, _)| p);
    match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    }
}

/// Resolves one link written in note `from`.
pub(crate) fn resolve(
    site: &SiteIndex,
    from: &NoteMeta,
    dest: &str,
    kind: LinkKind,
) -> Result<Target, Miss> {
    let found = resolve_as_written(site, from, dest, kind);
    let missed = matches!(found, Err(_) | Ok(Target::Untouched | Target::SitePath(_)));
    if missed && dest.contains('\\') && !is_external(dest.trim()) {
        // Typora on Windows writes `assets\a.png` and shows the picture; a
        // browser would ask for `assets%5Ca.png`.
        let slashed = resolve_as_written(site, from, &dest.replace('\\', "/"), kind);
        // What the author meant: its target, or why it has none (the note
        // is there, its heading is not).
        match (&found, &slashed) {
            (_, Ok(Target::Untouched)) => {}
            (_, Ok(_)) | (Err(_), Err(_)) => return slashed,
            (Ok(_), Err(_)) => {}
        }
    }
    found
}

fn resolve_as_written(
    site: &SiteIndex,
    from: &NoteMeta,
    dest: &str,
    kind: LinkKind,
) -> Result<Target, Miss> {
    let dest = dest.trim();
    if dest.is_empty() {
        // `[编程之美 3.6]()`: GitHub and Typora link to the page itself.
        return match kind {
            LinkKind::Link => Ok(Target::Untouched),
            _ => Err("empty link target".into()),
        };
    }
    // `/home/...` and `/Users/...` are the site's own when a note or file
    // there has the path (VuePress sites have a `home.md`).
    let disk = on_authors_disk(dest);
    if disk && !dest.starts_with('/') {
        return Ok(by_tail(site, dest).unwrap_or(Target::AuthorsDisk));
    }
    let wiki = match kind {
        LinkKind::Wiki => Some(resolve_wiki(site, from, dest)),
        LinkKind::WikiEmbed => Some(resolve_embed(site, from, dest)),
        _ => None,
    };
    if let Some(found) = wiki {
        return match found {
            Err(_) if disk => Ok(Target::AuthorsDisk),
            found => found,
        };
    }
    if is_external(dest) || dest.starts_with("//") {
        return Ok(Target::Untouched);
    }
    let (path, fragment) = split_fragment(dest);
    let anchor = fragment.map(decode).filter(|f| !f.is_empty());
    if let Some(rooted) = path.strip_prefix('/') {
        let found = rooted::resolve(site, from, rooted, anchor, &dest[1..]);
        let in_site = matches!(
            found,
            Ok(Target::Note { .. } | Target::Asset(..) | Target::Folder(_))
        );
        return match disk && !in_site {
            true => Ok(by_tail(site, dest).unwrap_or(Target::AuthorsDisk)),
            false => found,
        };
    }
    if path.is_empty() {
        return match anchor {
            Some(a) => anchor::find(site, site.note_by_rel(&from.rel), &a, Written::Markdown)
                .map(Target::SamePage),
            None => Ok(Target::Untouched),
        };
    }
    let decoded = decode(path);
    let Some(joined) = join(from.dir(), &decoded) else {
        return Err("the path leads outside the notes folder".into());
    };
    if let Some(found) = lookup(site, &joined, &decoded, anchor.clone()) {
        return found;
    }
    if let Some(found) = wiki::vault_path(site, &decoded, anchor) {
        return found;
    }
    let trimmed = joined.trim_end_matches('/');
    let draft = std::iter::once(joined.clone())
        .chain([".md", ".markdown", ".mdx"].map(|ext| format!("{trimmed}{ext}")))
        .find_map(|rel| site.draft_by_rel(&rel));
    if let Some(d) = draft {
        return Err(draft_reason(site, d).into());
    }
    Err(missing(site, &joined))
}

/// The file under `notes/` a path on the author's disk ends with
/// (`F:\gitbook\images\a.png` for `images/a.png`: Typora wrote the path
/// of the notes folder on the author's disk), a folder and a file at least.
fn by_tail(site: &SiteIndex, dest: &str) -> Option<Target> {
    let path = decode(dest.split(['#', '?']).next().unwrap_or(dest)).replace('\\', "/");
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    (1..parts.len().saturating_sub(1)).find_map(|from| {
        let tail = parts[from..].join("/");
        let stored = site.asset_by_path(&tail)?;
        Some(Target::Asset(stored.to_string(), None))
    })
}

fn is_note_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx")
}

/// The note, file or folder at `joined` (a path under `notes/`, from the
/// link as written, `decoded`), or `None`.
fn lookup(
    site: &SiteIndex,
    joined: &str,
    decoded: &str,
    anchor: Option<String>,
) -> Option<Result<Target, Miss>> {
    if let Some(i) = site.note_by_path(joined) {
        return Some(note_target(site, i, anchor, Written::Markdown));
    }
    if let Some(stored) = site.asset_by_path(joined) {
        return Some(Ok(Target::Asset(stored.to_string(), anchor)));
    }
    let trimmed = joined.trim_end_matches('/');
    if site.folder(trimmed).is_some() && (decoded.ends_with('/') || !trimmed.is_empty()) {
        return Some(Ok(Target::Folder(trimmed.to_string())));
    }
    // `goroutine` or `goroutine/` for `goroutine.md`, as people link to
    // pages; `goroutine.html`, as mdBook, GitBook and VitePress books link
    // their chapters, by the page each becomes (`dir/index.html`: the
    // folder's).
    let page = page_stem(trimmed);
    let index = page.filter(|p| *p == "index" || p.ends_with("/index"));
    if let Some(dir) = index.map(|p| p[..p.len() - 5].trim_end_matches('/')) {
        if site.folder(dir).is_some() {
            return Some(Ok(Target::Folder(dir.to_string())));
        }
    }
    let stem = page.unwrap_or(trimmed);
    [".md", ".markdown", ".mdx"].iter().find_map(|ext| {
        let i = site.note_by_path(&format!("{stem}{ext}"))?;
        Some(note_target(site, i, anchor.clone(), Written::Markdown))
    })
}

/// `a/b` of a page's path `a/b.html` (or `.htm`).
fn page_stem(path: &str) -> Option<&str> {
    let dot = path.rfind('.')?;
    matches!(path[dot..].to_ascii_lowercase().as_str(), ".html" | ".htm").then(|| &path[..dot])
}

/// Note `i`, at the heading or block `anchor` leads to there.
fn note_target(
    site: &SiteIndex,
    i: usize,
    anchor: Option<String>,
    written: Written,
) -> Result<Target, Miss> {
    let anchor = match anchor {
        Some(a) => Some(anchor::find(site, Some(i), &a, written)?),
        None => None,
    };
    Ok(Target::Note { index: i, anchor })
}

/// The href to emit for a resolved target.
pub(crate) fn target_href(site: &SiteIndex, base_path: &str, t: &Target) -> Option<String> {
    let frag = |a: &Option<String>| {
        a.as_ref()
            .map(|a| format!("#{}", encode_path(a)))
            .unwrap_or_default()
    };
    match t {
        Target::Note { index, anchor } => Some(format!(
            "{}{}",
            href(base_path, &site.notes[*index].url),
            frag(anchor)
        )),
        Target::SamePage(a) => Some(format!("#{}", encode_path(a))),
        Target::Asset(rel, fragment) => Some(format!("{}{}", href(base_path, rel), frag(fragment))),
        Target::Folder(p) => Some(href(base_path, &crate::site::folder_url(p))),
        // Written with the base already (`/REPO/topics/`), or none to add: as written.
        Target::SitePath(p) if base_path == "/" || format!("/{p}").starts_with(base_path) => None,
        Target::SitePath(p) => Some(format!("{base_path}{p}")),
        Target::Untouched | Target::AuthorsDisk => None,
    }
}

/// Who links to whom: built once from every note's links, then read by pages.
#[derive(Debug, Default)]
pub(crate) struct LinkGraph {
    /// target note -> (source note, sentence around the link), sorted by source.
    pub backlinks: BTreeMap<usize, Vec<(usize, String)>>,
    /// source note -> target notes.
    pub outgoing: BTreeMap<usize, Vec<usize>>,
}

/// Resolves every link of every note: returns the graph and the broken links.
/// Notes are resolved in parallel (this was most of the single-threaded
/// part of a warm build) and merged in note order, so the graph, the broken
/// links and the warnings come out as one pass in order makes them.
pub(crate) fn check_all(site: &SiteIndex) -> (LinkGraph, Vec<Broken>) {
    use rayon::prelude::*;
    let found: Vec<NoteLinks> = site
        .notes
        .par_iter()
        .enumerate()
        .map(|(i, n)| note_links(site, i, n))
        .collect();
    let mut graph = LinkGraph::default();
    let mut broken = Vec::new();
    for (i, f) in found.into_iter().enumerate() {
        for (to, l) in f.edges {
            add_edge(&mut graph, i, to, l);
        }
        for warning in f.warnings {
            log::warn!("{warning}");
        }
        broken.extend(f.broken);
    }
    (graph, broken)
}

/// One note's links, resolved: edges to other notes, broken links and warnings.
#[derive(Default)]
struct NoteLinks<'s> {
    edges: Vec<(usize, &'s LinkRef)>,
    broken: Vec<Broken>,
    warnings: Vec<String>,
}

fn note_links<'s>(site: &'s SiteIndex, i: usize, n: &'s NoteMeta) -> NoteLinks<'s> {
    let mut f = NoteLinks::default();
    for l in n.links() {
        match resolve(site, n, &l.dest, l.kind) {
            Ok(Target::Note { index, .. }) if index != i => f.edges.push((index, l)),
            Ok(Target::AuthorsDisk) => f.warnings.push(format!(
                "{}:{}:{}: `{}` is a file on the author's own disk, which readers cannot load; copy it next to the note and link it by a relative path",
                site.dir.file(&n.rel), l.line, l.col, l.dest
            )),
            Ok(_) => {}
            Err(reason) => f.broken.push(Broken {
                file: site.dir.file(&n.rel),
                line: l.line,
                col: l.col,
                dest: l.dest.clone(),
                reason,
            }),
        }
    }
    f
}

fn add_edge(g: &mut LinkGraph, from: usize, to: usize, l: &LinkRef) {
    let back = g.backlinks.entry(to).or_default();
    if !back.iter().any(|(s, _)| *s == from) {
        back.push((from, l.context.clone()));
    }
    let out = g.outgoing.entry(from).or_default();
    if !out.contains(&to) {
        out.push(to);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths() {
        assert_eq!(join("go", "../python/a.md").as_deref(), Some("python/a.md"));
        assert_eq!(join("", "./a.md").as_deref(), Some("a.md"));
        assert_eq!(join("", "../a.md"), None);
    }

    #[test]
    fn externals() {
        assert!(is_external("https://a.io"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.x/y"));
        assert!(!is_external("a.md"));
        assert!(!is_external("a.md#x:y"));
    }

    #[test]
    fn encodes_cjk() {
        assert_eq!(
            href("/r/", "python/装饰器/"),
            "/r/python/%E8%A3%85%E9%A5%B0%E5%99%A8/"
        );
        assert_eq!(encode_path("a b#?.md"), "a%20b%23%3F.md");
    }
}
