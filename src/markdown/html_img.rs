//! URLs and anchors written as raw HTML: images (`<img src="pics/a.png"
//! width="300">`, often inside `<div align="center">`, as Typora writes a
//! resized image) and links (`<a href="other.md">`) are found, checked and
//! rewritten like Markdown's; `id=` (and `<a name=>`) anchors are targets
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

/// Each URL of `html` that biji resolves as a Markdown one, with its byte
/// range: `<img src>` as an image, `<a href>` as a link.
pub(crate) fn urls(html: &str) -> Vec<(Range<usize>, &str, LinkKind)> {
    // Most raw HTML (`<br>`, `<details>`, `</div>`) has neither: no copy.
    let may_have = html
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && matches!(w[1], b'a' | b'A' | b'i' | b'I'));
    if !may_have {
        return Vec::new();
    }
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    for (name, t) in tags(&lower) {
        let (attr, kind) = match name {
            "img" => ("src", LinkKind::Image),
            "a" => ("href", LinkKind::Link),
            _ => continue,
        };
        if let Some(r) = attr_in(&lower[t.clone()], attr) {
            let r = t.start + r.start..t.start + r.end;
            out.push((r.clone(), &html[r], kind));
        }
    }
    out
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

/// `html` with each URL that `resolve` maps rewritten; `None` when nothing
/// changed. URLs are HTML-unescaped before resolving (`&amp;`).
pub(crate) fn rewrite_urls(
    html: &str,
    resolve: &dyn Fn(&str, LinkKind) -> Option<String>,
) -> Option<String> {
    let mut out = String::new();
    let mut pos = 0;
    for (r, url, kind) in urls(html) {
        let url = html_escape::decode_html_entities(url);
        if let Some(new) = resolve(&url, kind) {
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
        let out = rewrite_urls(html, &|s, _| (s != "raw.png").then(|| format!("/n/{s}"))).unwrap();
        assert_eq!(
            out,
            r#"<div align="center"><img src="/n/pics/a.png" width="300"><IMG data-src="x" SRC='/n/b c.png'/><img src=raw.png></div><a href="/n/b.md">B</a><abbr href="x">"#
        );
        assert_eq!(
            rewrite_urls("<p>no image</p>", &|_, _| Some("x".into())),
            None
        );
    }

    #[test]
    fn finds_anchors() {
        let html = r#"<a id="top"></a><a NAME='回到'></a><span id=s1>x</span><div data-id="no" name="no">"#;
        assert_eq!(ids(html), ["top", "回到", "s1"]);
        assert!(ids("<p>plain</p>").is_empty());
    }
}
