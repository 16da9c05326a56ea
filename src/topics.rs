//! Topics (front-matter tags/topics and the folders notes live in), the
//! heading index (every H1-H3 across the site, like the index of a book), and
//! related notes. Both indexes file entries under A-Z: Latin words by their
//! first letter, Chinese by the pinyin initial of the first character.

use crate::collate::{group_letter, sort_key};
use crate::links::LinkGraph;
use crate::site::SiteIndex;
use rayon::prelude::*;
use std::collections::HashMap;

/// A topic's URL segment: lowercase, spaces to `-`, path-unsafe characters
/// dropped; CJK and `+` are kept (`C++` -> `c++`, `操作 系统` -> `操作-系统`),
/// and a `#` after a Latin letter or digit is read out (`C#` -> `csharp`: else
/// C# and C would share a page).
pub(crate) fn topic_slug(name: &str) -> String {
    let mut s = String::with_capacity(name.len());
    for c in same_tag(name).chars() {
        match c {
            '#' if s.ends_with(|p: char| p.is_ascii_alphanumeric()) => s.push_str("sharp"),
            '\\' | '?' | '#' | '%' | '"' | '<' | '>' | '|' | ':' | '*' | '.' => {}
            c => s.push(c),
        }
    }
    if s.len() > MAX_SLUG {
        // A folder name has at most 255 bytes; a long tag is cut, and the
        // hash of all of it keeps two such tags apart.
        let cut = (0..=MAX_SLUG - 9)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        let hash = xxhash_rust::xxh3::xxh3_64(s.as_bytes()) as u32;
        format!("{}-{hash:08x}", &s[..cut])
    } else if s.is_empty() {
        "-".into()
    } else if is_windows_device(&s) {
        // `topics/con/` cannot be created on Windows: the same URL everywhere,
        // so the site builds on every system.
        s + "-"
    } else {
        s
    }
}

/// The most bytes of a topic's URL segment (a folder of the output).
const MAX_SLUG: usize = 180;

/// A tag as it is compared with others: lowercase, and each space or `/`
/// (Obsidian's nested tags, `lang/python`) a `-`.
fn same_tag(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '/' {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// Names Windows reserves for devices in every folder (`con`, `nul`, `com1`...),
/// which no file or folder may have; `s` is already lowercase without dots.
fn is_windows_device(s: &str) -> bool {
    match s.len() {
        3 => matches!(s, "con" | "prn" | "aux" | "nul"),
        4 => (s.starts_with("com") || s.starts_with("lpt")) && s.as_bytes()[3].is_ascii_digit(),
        _ => false,
    }
}

/// One topic and the notes under it.
#[derive(Debug, Clone)]
pub(crate) struct Topic {
    pub name: String,
    pub slug: String,
    /// Sorted by title.
    pub notes: Vec<usize>,
}

/// Site-relative URL of the page of the topic with this slug.
pub(crate) fn topic_page(slug: &str) -> String {
    format!("topics/{slug}/")
}

impl Topic {
    pub(crate) fn url(&self) -> String {
        topic_page(&self.slug)
    }
}

/// One heading text and every place it occurs.
#[derive(Debug, Clone)]
pub(crate) struct IndexEntry {
    pub text: String,
    /// (note, the heading's place in the note's headings): the id stays
    /// with the note, not copied here for every heading of the site.
    pub places: Vec<(u32, u32)>,
}

/// All topics and heading-index entries, sorted for display.
#[derive(Debug, Default)]
pub(crate) struct Topics {
    pub topics: Vec<Topic>,
    pub headings: Vec<IndexEntry>,
    /// Per note: its topics (tags first, then folders), as indexes into
    /// `topics` (a 100k-note site held ~25 MB of these as slugs).
    pub of_note: Vec<Vec<u32>>,
}

impl Topics {
    /// Collects topics and index entries. What each note gives is worked
    /// out in parallel (slugs, heading texts; this was a third of the
    /// single-threaded part of a warm build) and merged in note order.
    pub(crate) fn collect(site: &SiteIndex) -> Topics {
        let (topics, of_note) = collect_topics(site);
        let headings = collect_headings(site);
        Topics {
            topics,
            headings,
            of_note,
        }
    }
}

/// Every topic (tags and folders) sorted for display, and each note's topics.
fn collect_topics(site: &SiteIndex) -> (Vec<Topic>, Vec<Vec<u32>>) {
    // Per note: (slug, name) of its tags, then its folders, each slug once.
    let named: Vec<Vec<(String, &str)>> = site
        .notes
        .par_iter()
        .map(|n| {
            let mut mine: Vec<(String, &str)> = Vec::new();
            let folder_names = n.folder.split('/').filter(|s| !s.is_empty());
            for name in n.tags.iter().map(String::as_str).chain(folder_names) {
                let slug = topic_slug(name);
                if !mine.iter().any(|(s, _)| *s == slug) {
                    mine.push((slug, name));
                }
            }
            mine
        })
        .collect();
    let mut by_slug: HashMap<&str, Topic> = HashMap::new();
    for (i, mine) in named.iter().enumerate() {
        for (slug, name) in mine {
            by_slug
                .entry(slug)
                .or_insert_with(|| Topic {
                    name: name.trim().to_string(),
                    slug: slug.clone(),
                    notes: Vec::new(),
                })
                .notes
                .push(i);
        }
    }
    warn_merged(site);
    let mut topics: Vec<Topic> = by_slug.into_values().collect();
    // Each title's key was made once, in the scan (pinyin lookups add up).
    topics.par_iter_mut().for_each(|t| {
        t.notes
            .sort_by(|&a, &b| site.order_key(a).cmp(&site.order_key(b)))
    });
    // Names that read alike (股市 and 故事: gushi) go by their slug, or
    // their order would be the hash map's, another on each build.
    topics.sort_by_cached_key(|t| (group_letter(&t.name), sort_key(&t.name), t.slug.clone()));
    let at: HashMap<&str, u32> = topics
        .iter()
        .enumerate()
        .map(|(k, t)| (t.slug.as_str(), k as u32))
        .collect();
    let of_note = named
        .iter()
        .map(|mine| {
            mine.iter()
                .filter_map(|(s, _)| at.get(s.as_str()).copied())
                .collect()
        })
        .collect();
    (topics, of_note)
}

/// Different tags that make one topic page (`..` and `/`, `.NET` and
/// `net`), which nobody would guess: one warning for each, naming a note.
fn warn_merged(site: &SiteIndex) {
    let mut first: HashMap<String, String> = HashMap::new();
    let mut warned = std::collections::HashSet::new();
    for n in &site.notes {
        let folders = n.folder.split('/').filter(|s| !s.is_empty());
        for name in n.tags.iter().map(String::as_str).chain(folders) {
            let name = name.trim();
            let seen = first
                .entry(topic_slug(name))
                .or_insert_with(|| name.to_string());
            if same_tag(seen) != same_tag(name) && warned.insert((seen.clone(), name)) {
                log::warn!(
                    "{}: topic `{name}` shares the page {} with topic `{seen}`; rename one to keep them apart",
                    site.dir.file(&n.rel),
                    topic_page(&topic_slug(name))
                );
            }
        }
    }
}

/// The heading index: headings of levels 1 to 3 by their text, sorted for display.
fn collect_headings(site: &SiteIndex) -> Vec<IndexEntry> {
    // Per note: (key, text, place among the note's headings) of its entries.
    let found: Vec<Vec<(String, String, u32)>> = site
        .notes
        .par_iter()
        .map(|n| {
            let headings = n.headings().iter().enumerate();
            headings
                .filter(|(_, h)| h.level <= 3)
                .filter_map(|(k, h)| {
                    let text = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    let text = index_text(&text).to_string();
                    if text.is_empty() || !text.chars().any(char::is_alphanumeric) {
                        return None;
                    }
                    Some((text.to_lowercase(), text, k as u32))
                })
                .collect()
        })
        .collect();
    let mut entries: HashMap<String, IndexEntry> = HashMap::new();
    for (i, mine) in found.into_iter().enumerate() {
        for (key, text, k) in mine {
            entries
                .entry(key)
                .or_insert_with(|| IndexEntry {
                    text,
                    places: Vec::new(),
                })
                .places
                .push((i as u32, k));
        }
    }
    let mut headings: Vec<IndexEntry> = entries.into_values().collect();
    headings.sort_by_cached_key(|e| (group_letter(&e.text), sort_key(&e.text), e.text.clone()));
    headings
}

/// A heading as an index entry: without the numbering or list marker in front
/// (`1. 进程`, `1.2 进程`, `(1) 进程`, `一、进程`, `第一章 进程`, `- 进程`) and
/// the colon after (`进程：`), so numbered headings file under their subject and
/// the same subject in several notes is one entry. A heading that is nothing but
/// a number stays as it is.
pub(crate) fn index_text(heading: &str) -> &str {
    let mut t = heading.trim();
    // `1. 1 Python` is numbered twice; three rounds cover what people write.
    for _ in 0..3 {
        let rest = strip_number(t);
        if rest.len() == t.len() || !rest.chars().any(char::is_alphanumeric) {
            break;
        }
        t = rest;
    }
    let end = t.trim_end_matches([':', '：']).trim_end();
    if end.chars().any(char::is_alphanumeric) {
        end
    } else {
        t
    }
}

/// `t` without one leading enumeration or list marker (unchanged when it has none).
fn strip_number(t: &str) -> &str {
    const CN_DIGITS: &str = "零〇一二三四五六七八九十百";
    let is_cn = |c: char| CN_DIGITS.contains(c);
    let after = str::trim_start;
    // `- x`, `* x`, `• x`
    for m in ["- ", "* ", "+ ", "• ", "· "] {
        if let Some(rest) = t.strip_prefix(m) {
            return after(rest);
        }
    }
    // `(1) x`, `（一）x`
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(inner) = t.strip_prefix(open) {
            let n = inner
                .find(|c: char| !(c.is_ascii_digit() || is_cn(c)))
                .unwrap_or(inner.len());
            if n > 0 && inner[n..].starts_with(close) {
                return after(&inner[n + close.len_utf8()..]);
            }
        }
    }
    // `第一章 x`, `第3节 x`
    if let Some(inner) = t.strip_prefix('第') {
        let n = inner
            .find(|c: char| !(c.is_ascii_digit() || is_cn(c)))
            .unwrap_or(inner.len());
        let rest = &inner[n..];
        if n > 0 {
            if let Some(unit) = rest
                .chars()
                .next()
                .filter(|c| "章节部篇讲课回集步".contains(*c))
            {
                return after(&rest[unit.len_utf8()..]);
            }
        }
    }
    // `一、x`, `十二. x`
    let n = t.find(|c: char| !is_cn(c)).unwrap_or(t.len());
    if n > 0 {
        if let Some(sep) = t[n..].chars().next().filter(|c| "、.．".contains(*c)) {
            return after(&t[n + sep.len_utf8()..]);
        }
    }
    // `1. x`, `1、x`, `1) x`, `1.2 x`, `1 Python`: a number (dotted parts
    // allowed) followed by a separator, or a space where it cannot be a count
    // (`3 个问题`, `2024 年` keep theirs); never `1.5个` (a number in the text).
    let b = t.as_bytes();
    let (mut i, mut dotted) = (0, false);
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        if i < b.len() && b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
            dotted = true;
        }
    }
    if i == 0 {
        return t;
    }
    let rest = &t[i..];
    if let Some(sep) = rest.chars().next().filter(|c| ".、．)）:：".contains(*c)) {
        return after(&rest[sep.len_utf8()..]);
    }
    let spaced = after(rest);
    if rest.starts_with(char::is_whitespace)
        && (dotted || (i <= 2 && spaced.starts_with(|c: char| c.is_ascii_alphabetic())))
    {
        return spaced;
    }
    t
}

/// Up to `limit` related notes per note, ranked by shared topics and links in
/// either direction. Cost is bounded per note: huge topics (more notes than
/// `BROAD`) say little about relatedness and are skipped.
pub(crate) fn related(
    site: &SiteIndex,
    topics: &Topics,
    graph: &LinkGraph,
    limit: usize,
) -> Vec<Vec<usize>> {
    const BROAD: usize = 200;
    let empty = Vec::new();
    (0..site.notes.len())
        .into_par_iter()
        .map(|i| {
            let mut score: rustc_hash::FxHashMap<usize, u32> = Default::default();
            for &k in &topics.of_note[i] {
                let notes = topics.topics.get(k as usize).map_or(&[][..], |t| &t.notes);
                if notes.len() > BROAD {
                    continue;
                }
                for &j in notes {
                    *score.entry(j).or_default() += 2;
                }
            }
            for &j in graph.outgoing.get(&i).unwrap_or(&empty) {
                *score.entry(j).or_default() += 3;
            }
            for (j, _) in graph.backlinks.get(&i).map(Vec::as_slice).unwrap_or(&[]) {
                *score.entry(*j).or_default() += 3;
            }
            score.remove(&i);
            let mut ranked: Vec<(usize, u32)> = score.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked.into_iter().take(limit).map(|(j, _)| j).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(topic_slug("Python"), "python");
        assert_eq!(topic_slug("C++"), "c++");
        assert_eq!(topic_slug("C#"), "csharp");
        assert_eq!(topic_slug("F# "), "fsharp");
        assert_eq!(topic_slug("#python"), "python");
        assert_eq!(topic_slug("标签#1"), "标签1");
        assert_eq!(topic_slug("C"), "c");
        assert_eq!(topic_slug("操作 系统"), "操作-系统");
        assert_eq!(topic_slug("lang/python"), "lang-python");
        // Windows device names get a `-`: their folders could not be written there.
        assert_eq!(topic_slug("AUX"), "aux-");
        assert_eq!(topic_slug("com1"), "com1-");
        assert_eq!(topic_slug("nul.js"), "nuljs");
        assert_eq!(topic_slug("console"), "console");
        // A tag too long for a folder name is cut, its hash keeping it apart.
        let long = topic_slug(&"长".repeat(90));
        assert!(long.len() <= MAX_SLUG && long.starts_with("长长"), "{long}");
        assert_ne!(long, topic_slug(&format!("{}短", "长".repeat(90))));
    }

    #[test]
    fn index_text_drops_numbering() {
        for (heading, entry) in [
            ("1. 操作系统", "操作系统"),
            ("1、进程", "进程"),
            ("1.2 进程调度", "进程调度"),
            ("1. 1 Python中的装饰器", "Python中的装饰器"),
            ("2.匿名函数lambda的使用", "匿名函数lambda的使用"),
            ("3) random 模块", "random 模块"),
            ("(1) 表锁", "表锁"),
            ("（二）行锁", "行锁"),
            ("一、概述", "概述"),
            ("十二. 总结", "总结"),
            ("第一章 进程", "进程"),
            ("第3节 线程", "线程"),
            (
                "- Protobuf：https://protobuf.dev/",
                "Protobuf：https://protobuf.dev/",
            ),
            ("僵尸进程：", "僵尸进程"),
            ("1. 多道技术：", "多道技术"),
            // Numbers that are the subject stay.
            ("1.5个python标准库", "1.5个python标准库"),
            ("2024", "2024"),
            ("2024 年总结", "2024 年总结"),
            ("3 个问题", "3 个问题"),
            ("3.14", "3.14"),
            ("3D 渲染", "3D 渲染"),
            ("C++ & Rust: a/b", "C++ & Rust: a/b"),
            ("一致性哈希", "一致性哈希"),
            ("第一性原理", "第一性原理"),
            ("HTTP/2", "HTTP/2"),
        ] {
            assert_eq!(index_text(heading), entry, "{heading}");
        }
    }
}
