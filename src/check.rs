//! `biji check`: builds the site into a temporary folder and crawls the result
//! as a browser under the real base path would. Every internal `href`, `src`,
//! `srcset` and `poster` must reach a file the site contains, and every
//! `#anchor` an element with that id; external links are only listed, by
//! domain, never fetched. This catches what the note-level link check cannot
//! see: template mistakes, sub-path bugs, links written in raw HTML.

use crate::build::{build, BuildOptions, BuildReport};
use crate::highlight::Highlighter;
use crate::links::{decode, has_scheme};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

/// An internal link that reaches nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    /// The page holding the link, relative to the output: `python/装饰器/index.html`.
    pub page: String,
    pub line: usize,
    /// The attribute, `href` or `src`.
    pub attr: String,
    /// The link as written (entities decoded).
    pub url: String,
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
    pub broken: Vec<BrokenLink>,
    /// Domain -> the distinct external URLs linking there.
    pub external: BTreeMap<String, BTreeSet<String>>,
}

/// `biji check`'s result: the build it made and the crawl of it.
#[derive(Debug)]
pub struct CheckReport {
    pub build: BuildReport,
    pub crawl: Crawl,
}

/// Builds the site into a temporary folder (or `opts.output` when given) and
/// crawls it with the site's base path.
pub fn check(opts: &BuildOptions, hl: &Highlighter) -> Result<CheckReport> {
    let cfg = crate::build::load_config(opts)?;
    let tmp = tempfile::Builder::new()
        .prefix("biji-check-")
        .tempdir()
        .context("cannot create a temporary folder for the check build")?;
    let mut opts = opts.clone();
    if opts.output.is_none() {
        opts.output = Some(tmp.path().join("public"));
    }
    let report = build(&opts, hl)?;
    let crawl = crawl(&report.output, &cfg.base_path(), &cfg.base_origin())?;
    Ok(CheckReport {
        build: report,
        crawl,
    })
}

/// One link found in a page.
struct Found {
    offset: usize,
    attr: &'static str,
    value: String,
}

/// What the scanner takes from one page.
#[derive(Default)]
struct Scanned {
    links: Vec<Found>,
    ids: HashSet<String>,
}

/// Crawls the built site in `dir` as served under `base_path` at `origin`
/// (`origin` may be empty): checks every page's internal links and anchors.
pub fn crawl(dir: &Path, base_path: &str, origin: &str) -> Result<Crawl> {
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
    let mut html: Vec<&String> = files.iter().filter(|f| f.ends_with(".html")).collect();
    html.sort();
    let scanned: Vec<(String, String, Scanned)> = html
        .par_iter()
        .map(|rel| {
            let path = dir.join(rel.as_str());
            let text = std::fs::read(&path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            let text = String::from_utf8_lossy(&text).into_owned();
            let s = scan(&text);
            Ok(((*rel).clone(), text, s))
        })
        .collect::<Result<_>>()?;
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
        for l in &s.links {
            for url in link_urls(l) {
                match site.check(page, url) {
                    Verdict::Skip => {}
                    Verdict::External(domain) => {
                        out.external
                            .entry(domain)
                            .or_default()
                            .insert(url.to_string());
                    }
                    Verdict::Ok => out.internal += 1,
                    Verdict::Broken(reason) => {
                        out.internal += 1;
                        out.broken.push(BrokenLink {
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
    Ok(out)
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

enum Verdict {
    Ok,
    Skip,
    External(String),
    Broken(String),
}

struct Site<'a> {
    files: &'a HashSet<String>,
    dirs: &'a HashSet<String>,
    ids: &'a HashMap<&'a str, &'a HashSet<String>>,
    base_path: &'a str,
    origin: &'a str,
}

impl Site<'_> {
    fn check(&self, page: &str, url: &str) -> Verdict {
        if url.is_empty() {
            return Verdict::Skip;
        }
        let (url, fragment) = match url.split_once('#') {
            Some((u, f)) => (u, Some(f)),
            None => (url, None),
        };
        let url = url.split_once('?').map_or(url, |(u, _)| u);
        if crate::links::on_authors_disk(&decode(url)) {
            return Verdict::Broken(
                "a file on the note author's own disk, which readers cannot load; copy it next to the note and link it by a relative path".into(),
            );
        }
        // Scheme-relative, absolute and other-scheme URLs.
        let lower = url.to_ascii_lowercase();
        let path = if let Some(rest) = lower.strip_prefix("//") {
            return Verdict::External(domain(rest));
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            let own = !self.origin.is_empty()
                && lower.starts_with(&self.origin.to_ascii_lowercase())
                && url[self.origin.len()..].starts_with('/');
            if !own {
                let rest = &url[url.find("//").map_or(0, |i| i + 2)..];
                return Verdict::External(domain(rest));
            }
            url[self.origin.len()..].to_string()
        } else if has_scheme(url) {
            // mailto:, tel:, data:, javascript: ...
            return Verdict::Skip;
        } else {
            url.to_string()
        };
        let target = if path.is_empty() {
            page.to_string()
        } else if let Some(abs) = path.strip_prefix('/') {
            let Some(inside) = format!("/{abs}")
                .strip_prefix(self.base_path)
                .map(str::to_string)
            else {
                return Verdict::Broken(format!(
                    "`{path}` is outside the site's base path `{}`; under a sub-path it would leave the site",
                    self.base_path
                ));
            };
            match self.file_for(&decode(&inside)) {
                Ok(f) => f,
                Err(e) => return Verdict::Broken(e),
            }
        } else {
            let folder = page.rsplit_once('/').map_or("", |(f, _)| f);
            let Some(joined) = join(folder, &decode(&path)) else {
                return Verdict::Broken(format!("`{path}` climbs above the site root"));
            };
            match self.file_for(&joined) {
                Ok(f) => f,
                Err(e) => return Verdict::Broken(e),
            }
        };
        if let Some(frag) = fragment.map(decode).filter(|f| !f.is_empty()) {
            if let Some(ids) = self.ids.get(target.as_str()) {
                // `#top` scrolls to the top of any page (HTML standard).
                if !ids.contains(&frag) && !frag.eq_ignore_ascii_case("top") {
                    return Verdict::Broken(format!("`{target}` has no element with id `{frag}`"));
                }
            }
        }
        Verdict::Ok
    }

    /// The file a site-relative, decoded path is served from.
    fn file_for(&self, rel: &str) -> Result<String, String> {
        let rel = rel.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            let index = format!("{rel}index.html");
            return if self.files.contains(&index) {
                Ok(index)
            } else {
                Err(format!("no `{index}` in the output"))
            };
        }
        if self.files.contains(rel) {
            return Ok(rel.to_string());
        }
        // GitHub Pages redirects `dir` to `dir/`.
        let index = format!("{rel}/index.html");
        if self.dirs.contains(rel) && self.files.contains(&index) {
            return Ok(index);
        }
        Err(format!("no file `{rel}` in the output"))
    }
}

/// Host (and port) of the part after `//`, lowercased, without user info.
fn domain(rest: &str) -> String {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.to_ascii_lowercase()
}

/// Joins a relative URL path to a folder, resolving `.` and `..`; `None` if it
/// climbs above the root. A trailing `/` is kept (it means `index.html`).
fn join(folder: &str, rel: &str) -> Option<String> {
    let mut out = crate::links::join(folder, rel)?;
    if matches!(rel.rsplit('/').next(), Some("" | "." | "..")) && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Byte offset -> 1-based line, for offsets asked in increasing order.
struct LineIndex<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            pos: 0,
            line: 1,
        }
    }
    fn line_of(&mut self, offset: usize) -> usize {
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

/// Elements whose content is text, not markup: a `<a href>` inside is not a link.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// A small HTML tag scanner (enough for checking links in generated pages):
/// skips comments, doctype and raw-text elements, reads attributes quoted,
/// single-quoted or bare, and decodes character references in their values.
fn scan(html: &str) -> Scanned {
    let b = html.as_bytes();
    let mut out = Scanned::default();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment.find("-->").map_or(b.len(), |e| i + 4 + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            i = rest.find('>').map_or(b.len(), |e| i + e + 1);
            continue;
        }
        if !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let (name, attrs, end) = read_tag(html, i + 1);
        for (attr, start, value) in attrs {
            match attr.as_str() {
                "href" | "src" | "srcset" | "poster" => out.links.push(Found {
                    offset: start,
                    attr: match attr.as_str() {
                        "href" => "href",
                        "src" => "src",
                        "srcset" => "srcset",
                        _ => "poster",
                    },
                    value,
                }),
                "id" => {
                    out.ids.insert(value);
                }
                "name" if name == "a" => {
                    out.ids.insert(value);
                }
                _ => {}
            }
        }
        i = end;
        if RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}");
            i = find_ci(html, i, &close).unwrap_or(b.len());
        }
    }
    out
}

/// Case-insensitive search for ASCII `needle` from `from`.
fn find_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    (from..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Reads a start tag from just after `<`: lowercased name, attributes as
/// (lowercased name, byte offset, decoded value), and the offset after `>`.
fn read_tag(html: &str, start: usize) -> (String, Vec<(String, usize, String)>, usize) {
    let b = html.as_bytes();
    let mut i = start;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = html[start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (name, attrs, b.len());
        }
        if b[i] == b'>' {
            return (name, attrs, i + 1);
        }
        let at = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        // A stray `=` or quote where a name should be: step over it.
        if i == at {
            i += 1;
            continue;
        }
        let attr = html[at..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            attrs.push((attr, at, String::new()));
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let (raw, next) = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = html[i + 1..].find(q as char).map_or(b.len(), |e| i + 1 + e);
                (&html[i + 1..end], (end + 1).min(b.len()))
            }
            _ => {
                let s = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                (&html[s..i], i)
            }
        };
        attrs.push((
            attr,
            at,
            html_escape::decode_html_entities(raw).into_owned(),
        ));
        i = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_attributes_and_skips_raw_text() {
        let html = "<!doctype html><!-- <a href=\"/c\"> -->\n<A HREF='/a?x=1&amp;y=2' id=top>\
            <img src=x.png srcset=\"a.png 1x, b.png 2x\"><script>var s = '<a href=\"/s\">';</script>\
            <a name=old></a><p id=\"多线程\">";
        let s = scan(html);
        let links: Vec<(&str, &str)> = s.links.iter().map(|l| (l.attr, l.value.as_str())).collect();
        assert_eq!(
            links,
            [
                ("href", "/a?x=1&y=2"),
                ("src", "x.png"),
                ("srcset", "a.png 1x, b.png 2x")
            ]
        );
        assert!(s.ids.contains("top") && s.ids.contains("old") && s.ids.contains("多线程"));
        assert_eq!(LineIndex::new(html).line_of(s.links[0].offset), 2);
    }

    #[test]
    fn joins_relative_urls() {
        assert_eq!(join("a/b", "../c/").as_deref(), Some("a/c/"));
        assert_eq!(join("a", "./x.png").as_deref(), Some("a/x.png"));
        assert_eq!(join("a", "..").as_deref(), Some(""));
        assert_eq!(join("", "../x"), None);
    }

    #[test]
    fn domains() {
        assert_eq!(domain("User@GitHub.com:443/x?y"), "github.com:443");
        assert_eq!(domain("docs.python.org/3/"), "docs.python.org");
    }

    #[test]
    fn resolves_under_a_base_path() {
        let files: HashSet<String> = [
            "index.html",
            "a/b/index.html",
            "static/s.css",
            "a/index.html",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let dirs: HashSet<String> = ["a", "a/b", "static"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let ids_b: HashSet<String> = ["h".to_string()].into();
        let ids: HashMap<&str, &HashSet<String>> = [("a/b/index.html", &ids_b)].into();
        let site = Site {
            files: &files,
            dirs: &dirs,
            ids: &ids,
            base_path: "/r/",
            origin: "https://x.io",
        };
        let ok = |u: &str| matches!(site.check("a/index.html", u), Verdict::Ok);
        let broken = |u: &str| match site.check("a/index.html", u) {
            Verdict::Broken(r) => r,
            _ => panic!("{u} should be broken"),
        };
        assert!(ok("/r/static/s.css"));
        assert!(ok("/r/a/b/#h"));
        assert!(ok("/r/a/b"));
        assert!(ok("b/#h"));
        assert!(ok("../static/s.css"));
        assert!(ok("https://x.io/r/a/b/"));
        assert!(ok("#top"));
        assert!(broken("/static/s.css").contains("outside the site's base path `/r/`"));
        assert!(broken("/r/a/b/#nope").contains("no element with id `nope`"));
        assert!(broken("/r/missing.png").contains("no file `missing.png`"));
        assert!(broken("https://x.io/r/gone/").contains("no `gone/index.html`"));
        assert!(broken("C:%5CUsers%5Cme%5Ca.png").contains("author's own disk"));
        assert!(broken("file:///home/me/a.png").contains("author's own disk"));
        assert!(
            matches!(site.check("a/index.html", "https://Y.io/p"), Verdict::External(d) if d == "y.io")
        );
        assert!(matches!(
            site.check("a/index.html", "mailto:a@b.c"),
            Verdict::Skip
        ));
    }
}
