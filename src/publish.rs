//! Files a static host needs beside the pages: `sitemap.xml` and the Atom feed
//! `atom.xml` (both need absolute URLs, so they are written only when
//! `base_url` has a scheme and host; `robots.txt` naming the sitemap too,
//! for a site at a host's root), and `CNAME` for a custom domain on
//! GitHub Pages.

use crate::config::Config;
use crate::model::Model;
use crate::output::Sink;
use crate::site::{day_of, NoteMeta, SiteIndex};
use crate::topics::Topics;
use crate::url::{href, FEED, SITEMAP};
use anyhow::Result;
use std::collections::HashMap;
use std::fmt::Write as _;

/// True when the site can have a feed and a sitemap: both need absolute URLs,
/// so `base_url` must name a scheme and host, not just a path.
pub(crate) fn feeds_enabled(cfg: &Config) -> bool {
    !cfg.base_origin().is_empty()
}

/// Writes `CNAME`, `sitemap.xml`, `atom.xml` and `robots.txt`. Call it after every page is
/// written: the sitemap lists the HTML files found in `dir`, the folder `out`
/// writes into, so it holds exactly the pages the site has.
/// `files`: every file of the site, site-relative (the sitemap lists its pages).
pub(crate) fn write(p: &Model, files: &[String], out: &dyn Sink) -> Result<()> {
    let cfg = &p.cfg;
    let cname = cfg.cname.trim();
    // The notes' own `CNAME` is copied as it is (`model` checked that it
    // agrees with `cname`).
    let own = p.site.assets.iter().any(|a| a.rel == "CNAME");
    if !cname.is_empty() && !own {
        out.write("CNAME", format!("{cname}\n").as_bytes())?;
    }
    if !feeds_enabled(cfg) {
        // `biji build` says so once (BuildReport::feeds_skipped); `serve`
        // rebuilds would repeat it on every edit.
        log::debug!("{SITEMAP} and {FEED} skipped: no `base_url`");
        return Ok(());
    }
    let pages = html_pages(files);
    for (name, xml) in sitemaps(&p.site, &p.topics, cfg, &pages, MAX_URLS) {
        if p.site.asset_rel(&name).is_some() {
            anyhow::bail!(
                "{}: the site has {} pages, more than one sitemap may list, \
                 so biji writes the sitemap in parts named like this file; rename it",
                p.site.dir.file(&name),
                pages.len()
            );
        }
        out.write(&name, xml.as_bytes())?;
    }
    out.write(FEED, atom(&p.site, cfg).as_bytes())?;
    // Crawlers read `robots.txt` only at a host's root: a site on a custom
    // domain (or `USER.github.io`) names its sitemap there. A note's own
    // `robots.txt` wins.
    if cfg.base_path() == "/" && p.site.asset_rel(ROBOTS).is_none() {
        let robots = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/{SITEMAP}\n",
            cfg.base_origin()
        );
        out.write(ROBOTS, robots.as_bytes())?;
    }
    Ok(())
}

const ROBOTS: &str = "robots.txt";

/// Site-relative URLs (`python/装饰器/`, `notes.html`) of the HTML pages
/// among `files`, sorted; not `404.html`, nor the search page, which asks
/// not to be indexed (a listed `noindex` page is an error to crawlers).
fn html_pages(files: &[String]) -> Vec<String> {
    let mut out: Vec<String> = files
        .iter()
        .filter(|rel| {
            rel.ends_with(".html") && !["404.html", "search/index.html"].contains(&rel.as_str())
        })
        .map(|rel| match rel.strip_suffix("index.html") {
            Some(d) if d.is_empty() || d.ends_with('/') => d.to_string(),
            _ => rel.clone(),
        })
        .collect();
    out.sort();
    out
}

/// The `YYYY-MM-DD` day a note last changed.
fn note_day(n: &NoteMeta) -> &str {
    let d = n.last_updated();
    d.get(..10).unwrap_or(d)
}

/// The most URLs one sitemap file may list (the sitemap protocol's limit).
const MAX_URLS: usize = 50_000;

/// The sitemap files, (name, XML): `sitemap.xml` listing `pages`, or past
/// `limit` pages, `sitemap-1.xml`, `sitemap-2.xml`, ... of `limit` pages each
/// and `sitemap.xml` as their index, so crawlers still find it where they look.
/// `lastmod` is the note's day for a note page, the newest note it lists
/// for a folder, topic or the home page, and left out for other generated
/// pages (it is optional, and a guess would mislead crawlers).
pub(crate) fn sitemaps(
    site: &SiteIndex,
    topics: &Topics,
    cfg: &Config,
    pages: &[String],
    limit: usize,
) -> Vec<(String, String)> {
    let lastmod = last_days(site, topics);
    if pages.len() <= limit {
        return vec![(SITEMAP.to_string(), urlset(cfg, pages, &lastmod))];
    }
    let origin = cfg.base_origin();
    let base_path = cfg.base_path();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut files = Vec::new();
    for (i, part) in pages.chunks(limit.max(1)).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let loc = format!("{origin}{}", href(&base_path, &name));
        let _ = write!(index, "  <sitemap>\n    <loc>{}</loc>\n", escape(&loc));
        if let Some(day) = part.iter().filter_map(|u| lastmod.get(u)).max() {
            let _ = writeln!(index, "    <lastmod>{}</lastmod>", escape(day));
        }
        index.push_str("  </sitemap>\n");
        files.push((name, urlset(cfg, part, &lastmod)));
    }
    index.push_str("</sitemapindex>\n");
    files.push((SITEMAP.to_string(), index));
    files
}

/// The day each page last changed, by URL, where it has one (see [`sitemaps`]).
fn last_days<'a>(site: &'a SiteIndex, topics: &Topics) -> HashMap<String, &'a str> {
    let mut lastmod: HashMap<String, &str> = HashMap::new();
    for n in &site.notes {
        lastmod.insert(n.url.clone(), note_day(n));
    }
    for t in &topics.topics {
        if let Some(day) = t.notes.iter().map(|i| note_day(&site.notes[*i])).max() {
            lastmod.insert(t.url(), day);
        }
    }
    // The newest note in each folder and below it, in one pass over the notes.
    let mut newest: HashMap<&str, &str> = HashMap::new();
    for n in &site.notes {
        let day = note_day(n);
        let mut folder = n.folder.as_str();
        loop {
            let d = newest.entry(folder).or_insert(day);
            *d = (*d).max(day);
            match folder.rsplit_once('/') {
                Some((up, _)) => folder = up,
                None if !folder.is_empty() => folder = "",
                None => break,
            }
        }
    }
    for f in site.folders.values() {
        if let Some(&day) = newest.get(f.path.as_str()) {
            // The root folder's URL is "": the home page. A folder whose
            // page is its README has the newer of the two days.
            let d = lastmod.entry(f.url.clone()).or_insert(day);
            *d = (*d).max(day);
        }
    }
    lastmod
}

/// One sitemap file listing `pages`.
fn urlset(cfg: &Config, pages: &[String], lastmod: &HashMap<String, &str>) -> String {
    let origin = cfg.base_origin();
    let base_path = cfg.base_path();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in pages {
        let loc = format!("{origin}{}", href(&base_path, url));
        let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", escape(&loc));
        if let Some(day) = lastmod.get(url) {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", escape(day));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The Atom feed: the `recent_count` most recently added or updated notes, newest first.
pub(crate) fn atom(site: &SiteIndex, cfg: &Config) -> String {
    let origin = cfg.base_origin();
    let base_path = cfg.base_path();
    let abs = |url: &str| format!("{origin}{}", href(&base_path, url));
    let order: Vec<&NoteMeta> = site
        .recent()
        .into_iter()
        .take(cfg.recent_count.max(1))
        .map(|i| &site.notes[i])
        .collect();
    let updated = order
        .first()
        .map(|n| rfc3339(n.last_updated()))
        .unwrap_or_else(|| rfc3339(&day_of(std::time::SystemTime::now())));
    let title = cfg.site_title(site);
    // Atom requires an author on the feed unless every entry has one.
    let author = if cfg.author.trim().is_empty() {
        &title
    } else {
        &cfg.author
    };
    let home = abs("");
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&cfg.language)
    );
    let _ = writeln!(xml, "  <title>{}</title>", escape(&title));
    if !cfg.description.trim().is_empty() {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", escape(&cfg.description));
    }
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&abs(FEED))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&home)
    );
    let _ = writeln!(xml, "  <id>{}</id>", escape(&home));
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ = writeln!(xml, "  <author><name>{}</name></author>", escape(author));
    let _ = writeln!(
        xml,
        "  <generator version=\"{}\">biji</generator>",
        env!("CARGO_PKG_VERSION")
    );
    for n in order {
        let link = escape(&abs(&n.url));
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <title>{}</title>", escape(&n.title));
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>"
        );
        let _ = writeln!(xml, "    <id>{link}</id>");
        if let Some(d) = &n.date {
            let _ = writeln!(xml, "    <published>{}</published>", rfc3339(d));
        }
        let _ = writeln!(xml, "    <updated>{}</updated>", rfc3339(n.last_updated()));
        for t in &n.tags {
            let _ = writeln!(xml, "    <category term=\"{}\"/>", escape(t));
        }
        let summary = n.blurb().trim();
        if !summary.is_empty() {
            let _ = writeln!(xml, "    <summary>{}</summary>", escape(summary));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// An RFC 3339 timestamp from a front-matter date (`YYYY-MM-DD`, optionally
/// followed by ` HH:MM[:SS]` or `THH:MM[:SS]` and a zone). Times without a zone
/// are taken as UTC; anything unreadable after the day falls back to midnight.
pub(crate) fn rfc3339(date: &str) -> String {
    let date = date.trim();
    let day = date.get(..10).unwrap_or(date);
    let rest = date.get(10..).unwrap_or("");
    let time = rest
        .strip_prefix(['T', 't', ' '])
        .and_then(parse_time)
        .unwrap_or_else(|| "00:00:00Z".to_string());
    format!("{day}T{time}")
}

/// `HH:MM[:SS][.fff][Z|±HH:MM]` -> `HH:MM:SS` plus zone (`Z` when none).
fn parse_time(t: &str) -> Option<String> {
    let t = t.trim();
    let b = t.as_bytes();
    let two = |i: usize| {
        b.get(i..i + 2)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .is_some()
    };
    if !(two(0) && b.get(2) == Some(&b':') && two(3)) {
        return None;
    }
    let (mut hms, mut i) = (t[..5].to_string(), 5);
    if b.get(5) == Some(&b':') && two(6) {
        hms = t[..8].to_string();
        i = 8;
    } else {
        hms.push_str(":00");
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let zone = t[i..].trim();
    let zone = match zone.as_bytes() {
        [] | [b'Z'] | [b'z'] => "Z".to_string(),
        [s @ (b'+' | b'-'), h1, h2, b':', m1, m2]
            if [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()) =>
        {
            format!("{}{}", *s as char, &zone[1..])
        }
        _ => return None,
    };
    Some(format!("{hms}{zone}"))
}

/// Escapes text for XML content and attribute values, dropping characters XML
/// 1.0 forbids (control characters other than tab, newline and return).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_xml() {
        assert_eq!(escape("a<b>&\"c'\u{1}d"), "a&lt;b&gt;&amp;&quot;c&apos;d");
        assert_eq!(escape("多线程 & 协程"), "多线程 &amp; 协程");
    }

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339("2024-03-05"), "2024-03-05T00:00:00Z");
        assert_eq!(rfc3339("2024-03-05 10:20"), "2024-03-05T10:20:00Z");
        assert_eq!(
            rfc3339("2024-03-05T10:20:30+08:00"),
            "2024-03-05T10:20:30+08:00"
        );
        assert_eq!(rfc3339("2024-03-05T10:20:30.123Z"), "2024-03-05T10:20:30Z");
        assert_eq!(rfc3339("2024-03-05 noon"), "2024-03-05T00:00:00Z");
    }

    /// Past the limit, `sitemap.xml` indexes parts of at most that many
    /// URLs, each dated by its newest page; within it, one file as before.
    /// A folder's day is that of the newest note in it or below it.
    #[test]
    fn a_sitemap_past_the_limit_is_split_under_an_index() {
        let d = tempfile::tempdir().unwrap();
        let notes = d.path().join("notes");
        std::fs::create_dir_all(notes.join("a/b")).unwrap();
        let note = |rel: &str, day: &str| {
            std::fs::write(notes.join(rel), format!("---\ndate: {day}\n---\n# t\n")).unwrap()
        };
        note("a/b/深.md", "2024-03-05");
        note("a/x.md", "2024-01-01");
        note("z.md", "2023-06-01");
        std::fs::write(
            d.path().join("biji.yaml"),
            "git_dates: false\nbase_url: https://u.github.io/n/\n",
        )
        .unwrap();
        let opts = crate::model::BuildOptions {
            root: d.path().to_path_buf(),
            ..Default::default()
        };
        let m = crate::model::prepare(&opts, None).unwrap();
        let pages: Vec<String> = ["", "a/", "a/b/", "a/b/深/", "a/x/", "z/"]
            .map(String::from)
            .to_vec();
        let one = sitemaps(&m.site, &m.topics, &m.cfg, &pages, 6);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "sitemap.xml");
        assert_eq!(one[0].1.matches("<url>").count(), 6);
        assert!(one[0]
            .1
            .contains("<loc>https://u.github.io/n/a/</loc>\n    <lastmod>2024-03-05</lastmod>"));
        assert!(one[0]
            .1
            .contains("<loc>https://u.github.io/n/z/</loc>\n    <lastmod>2023-06-01</lastmod>"));
        let split = sitemaps(&m.site, &m.topics, &m.cfg, &pages, 4);
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]);
        assert_eq!(split[0].1.matches("<url>").count(), 4);
        assert_eq!(split[1].1.matches("<url>").count(), 2);
        assert!(split[1].1.starts_with("<?xml") && split[1].1.contains("<urlset"));
        assert_eq!(
            split[2].1,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  \
             <sitemap>\n    <loc>https://u.github.io/n/sitemap-1.xml</loc>\n    \
             <lastmod>2024-03-05</lastmod>\n  </sitemap>\n  \
             <sitemap>\n    <loc>https://u.github.io/n/sitemap-2.xml</loc>\n    \
             <lastmod>2024-01-01</lastmod>\n  </sitemap>\n</sitemapindex>\n"
        );
    }

    #[test]
    fn feeds_need_an_origin() {
        let mut c = Config::default();
        assert!(!feeds_enabled(&c));
        c.base_url = "/notes/".into();
        assert!(!feeds_enabled(&c));
        c.base_url = "https://u.github.io/notes/".into();
        assert!(feeds_enabled(&c));
    }
}
