//! URLs and anchors written as raw HTML: images (`<img src="pics/a.png"
//! width="300">`, often inside `<div align="center">`, as Typora writes a
//! resized image, and its `srcset`), media (`<video src>`, `poster`,
//! `<audio>`, `<source>`, `<track>`) and links (`<a href="other.md">`,
//! `<iframe src>`) are found, checked and rewritten like Markdown's; `id=` (and `<a name=>`) anchors are targets
//! for `#fragment` links as headings are.

use super::LinkKind;
use std::ops::Range;

/// Each tag of `html` (lower-cased `lower`): its name and its text, `<` to `>`.
fn tags<'l>(lower: &'l str) -> impl Iterator<Item = (&'l str, Range<usize>)> + 'l {
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let i = from + lower[from..].find('<')?;
        let end = lower[i..].find('>').map_or(lower.len(), |e| i + e);
        from = end.max(i + 1);
        let name_len = lower[i + 1..end]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(end - i - 1);
        let name = &lower[i + 1..i + 1 + name_len];
        if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Some((name, i..end));
        }
    })
}

/// The attributes of a tag that hold a URL biji resolves as a Markdown one
/// (a file as an image's, a page as a link's), and whether each is a
/// `srcset` (a list of URLs, each with its size).
fn url_attrs(tag: &str) -> &'static [(&'static str, LinkKind, bool)] {
    use LinkKind::{Image, Link};
    match tag {
        "img" => &[("src", Image, false), ("srcset", Image, true)],
        "a" => &[("href", Link, false)],
        // Typora writes `<video src="assets/a.mp4">` for a dropped video.
        "video" => &[("src", Image, false), ("poster", Image, false)],
        "audio" | "track" => &[("src", Image, false)],
        "source" => &[("src", Image, false), ("srcset", Image, true)],
        "iframe" => &[("src", Link, false)],
        _ => &[],
    }
}

/// Each URL of `html` that biji resolves as a Markdown one, with its byte
/// range: `<img src>` (and the other media tags' sources) as an image,
/// `<a href>` (and `<iframe src>`) as a link.
pub(crate) fn urls(html: &str) -> Vec<(Range<usize>, &str, LinkKind)> {
    // Most raw HTML (`<br>`, `<details>`, `</div>`) has none: no copy.
    let may_have = html.as_bytes().windows(2).any(|w| {
        w[0] == b'<' && matches!(w[1].to_ascii_lowercase(), b'a' | b'i' | b'v' | b's' | b't')
    });
    if !may_have {
        return Vec::new();
    }
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    for (name, t) in tags(&lower) {
        for &(attr, kind, list) in url_attrs(name) {
            let Some(r) = attr_in(&lower[t.clone()], attr) else {
                continue;
            };
            let r = t.start + r.start..t.start + r.end;
            match list {
                false => out.push((r.clone(), &html[r], kind)),
                true => out.extend(srcset(html, r).map(|r| (r.clone(), &html[r], kind))),
            }
        }
    }
    out.sort_by_key(|(r, _, _)| r.start);
    out
}

/// The URLs of a `srcset` value at `value` in `html` (`a.png 1x, b.png 2x`).
fn srcset(html: &str, value: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = value.start;
    std::iter::from_fn(move || {
        let rest = &html[at..value.end];
        let skip = rest.len() - rest.trim_start_matches([' ', '\t', '\n', ',']).len();
        let start = at + skip;
        let len = html[start..value.end]
            .find(|c: char| c.is_ascii_whitespace() || c == ',')
            .unwrap_or(value.end - start);
        // The candidate's size, up to the comma that ends it.
        at = html[start + len..value.end]
            .find(',')
            .map_or(value.end, |c| start + len + c + 1);
        (len > 0).then_some(start..start + len)
    })
}

/// The anchors `html` gives: `id=` on any element, `name=` on `<a>`.
pub(crate) fn ids(html: &str) -> Vec<String> {
    if !html.contains("id=") && !html.contains("name=") && !html.contains("ID=") {
        return Vec::new();
    }
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    for (name, t) in tags(&lower) {
        let tag = &lower[t.clone()];
        let found = [("id", true), ("name", name == "a")]
            .into_iter()
            .filter(|(_, wanted)| *wanted)
            .filter_map(|(attr, _)| attr_in(tag, attr));
        for r in found {
            let value = &html[t.start + r.start..t.start + r.end];
            out.push(html_escape::decode_html_entities(value).into_owned());
        }
    }
    out
}

/// The value's range of attribute `attr` in one (lower-cased) tag.
fn attr_in(tag: &str, attr: &str) -> Option<Range<usize>> {
    let b = tag.as_bytes();
    let mut from = 0;
    while let Some(i) = tag[from..].find(attr).map(|i| from + i) {
        from = i + attr.len();
        // An attribute name starts after white space (not `data-src`).
        if i == 0 || !b[i - 1].is_ascii_whitespace() {
            continue;
        }
        let mut j = i + attr.len();
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if b.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        return match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = tag[j + 1..].find(q as char)? + j + 1;
                Some(j + 1..end)
            }
            Some(_) => {
                let end = tag[j..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                    .map_or(tag.len(), |e| j + e);
                Some(j..end)
            }
            None => None,
        };
    }
    None
}

/// `html` with `loading="lazy"` in each `<img>` that has no `loading`, as
/// a Markdown image gets it (Typora writes a resized image as `<img>`);
/// `None` when there is none.
pub(crate) fn lazy_images(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = String::new();
    let mut pos = 0;
    for (name, r) in tags(&lower) {
        if name != "img" || attr_in(&lower[r.clone()], "loading").is_some() {
            continue;
        }
        // Right after the name: before the end, `/` may belong to a value.
        let at = r.start + "<img".len();
        out.push_str(&html[pos..at]);
        out.push_str(" loading=\"lazy\"");
        pos = at;
    }
    if pos == 0 {
        return None;
    }
    out.push_str(&html[pos..]);
    Some(out)
}

/// `html` with each URL that `resolve` maps rewritten; `None` when nothing
/// changed. URLs are HTML-unescaped before resolving (`&amp;`).
pub(crate) fn rewrite_urls(
    html: &str,
    resolve: &dyn Fn(&str, LinkKind) -> super::Href,
) -> Option<String> {
    let mut out = String::new();
    let mut pos = 0;
    for (r, url, kind) in urls(html) {
        let url = html_escape::decode_html_entities(url);
        if let super::Href::To(new) = resolve(&url, kind) {
            out.push_str(&html[pos..r.start]);
            out.push_str(&html_escape::encode_double_quoted_attribute(&new));
            pos = r.end;
        }
    }
    if pos == 0 {
        return None;
    }
    out.push_str(&html[pos..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Href;

    #[test]
    fn raw_images_load_lazily() {
        assert_eq!(
            lazy_images(r#"<IMG src=a.png/><img loading="eager" src="b.png"><p>x</p><img>"#)
                .unwrap(),
            r#"<IMG loading="lazy" src=a.png/><img loading="eager" src="b.png"><p>x</p><img loading="lazy">"#
        );
        assert_eq!(lazy_images("<p><imgx src=a></p>"), None);
    }

    #[test]
    fn finds_and_rewrites_urls() {
        let html = r#"<div align="center"><img src="pics/a.png" width="300"><IMG data-src="x" SRC='b c.png'/><img src=raw.png></div><a href="b.md">B</a><abbr href="x">"#;
        let found: Vec<_> = urls(html).into_iter().map(|(_, s, k)| (s, k)).collect();
        assert_eq!(
            found,
            [
                ("pics/a.png", LinkKind::Image),
                ("b c.png", LinkKind::Image),
                ("raw.png", LinkKind::Image),
                ("b.md", LinkKind::Link)
            ]
        );
        let out = rewrite_urls(html, &|s, _| match s {
            "raw.png" => Href::AsWritten,
            s => Href::To(format!("/n/{s}")),
        })
        .unwrap();
        assert_eq!(
            out,
            r#"<div align="center"><img src="/n/pics/a.png" width="300"><IMG data-src="x" SRC='/n/b c.png'/><img src=raw.png></div><a href="/n/b.md">B</a><abbr href="x">"#
        );
        assert_eq!(
            rewrite_urls("<p>no image</p>", &|_, _| Href::To("x".into())),
            None
        );
    }

    #[test]
    fn finds_media_sources_and_srcset_candidates() {
        let html = r#"<video controls poster="c.png"><source src="v.mp4" type="video/mp4"><track src="s.vtt"></video><img src="a.png" srcset="a.png 1x, a@2x.png 2x,b.png"><iframe src="d.html"></iframe><audio src='m.mp3'>"#;
        let found: Vec<_> = urls(html).into_iter().map(|(_, s, k)| (s, k)).collect();
        let image = LinkKind::Image;
        assert_eq!(
            found,
            [
                ("c.png", image),
                ("v.mp4", image),
                ("s.vtt", image),
                ("a.png", image),
                ("a.png", image),
                ("a@2x.png", image),
                ("b.png", image),
                ("d.html", LinkKind::Link),
                ("m.mp3", image),
            ]
        );
        let out = rewrite_urls(r#"<img srcset=" a.png 1x , b.png 2x">"#, &|s, _| {
            Href::To(format!("/n/{s}"))
        });
        assert_eq!(
            out.as_deref(),
            Some(r#"<img srcset=" /n/a.png 1x , /n/b.png 2x">"#)
        );
    }

    #[test]
    fn finds_anchors() {
        let html = r#"<a id="top"></a><a NAME='回到'></a><span id=s1>x</span><div data-id="no" name="no">"#;
        assert_eq!(ids(html), ["top", "回到", "s1"]);
        assert!(ids("<p>plain</p>").is_empty());
    }
}
