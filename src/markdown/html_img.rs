//! Images written as raw HTML (`<img src="pics/a.png" width="300">`, often
//! inside `<div align="center">`), as Typora writes a resized image: their
//! relative `src` is found and rewritten like a Markdown image's.

/// Each `src` of an `<img>` tag in `html`, with its byte range.
pub(crate) fn img_srcs(html: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<img").map(|i| from + i) {
        let end = lower[i..].find('>').map_or(html.len(), |e| i + e);
        if let Some(r) = src_in(&lower[i..end]) {
            let r = i + r.start..i + r.end;
            out.push((r.clone(), &html[r]));
        }
        from = end.max(i + 4);
    }
    out
}

/// The value's range of a `src=` attribute in one (lower-cased) tag.
fn src_in(tag: &str) -> Option<std::ops::Range<usize>> {
    let b = tag.as_bytes();
    let mut from = 0;
    while let Some(i) = tag[from..].find("src").map(|i| from + i) {
        from = i + 3;
        // An attribute name starts after white space (not `data-src`).
        if i == 0 || !b[i - 1].is_ascii_whitespace() {
            continue;
        }
        let mut j = i + 3;
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

/// `html` with each image source that `resolve` maps rewritten; `None` when
/// nothing changed. Sources are HTML-unescaped before resolving (`&amp;`).
pub(crate) fn rewrite_srcs(html: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if !html.contains("<img") && !html.contains("<IMG") {
        return None;
    }
    let mut out = String::new();
    let mut pos = 0;
    for (r, src) in img_srcs(html) {
        let src = html_escape::decode_html_entities(src);
        if let Some(new) = resolve(&src) {
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
    fn finds_and_rewrites_sources() {
        let html = r#"<div align="center"><img src="pics/a.png" width="300"><IMG data-src="x" SRC='b c.png'/><img src=raw.png></div>"#;
        let srcs: Vec<_> = img_srcs(html).into_iter().map(|(_, s)| s).collect();
        assert_eq!(srcs, ["pics/a.png", "b c.png", "raw.png"]);
        let out = rewrite_srcs(html, &|s| (s != "raw.png").then(|| format!("/n/{s}"))).unwrap();
        assert_eq!(
            out,
            r#"<div align="center"><img src="/n/pics/a.png" width="300"><IMG data-src="x" SRC='/n/b c.png'/><img src=raw.png></div>"#
        );
        assert_eq!(rewrite_srcs("<p>no image</p>", &|_| Some("x".into())), None);
    }
}
