//! A small HTML tag scanner: the links and ids of one generated page.

use std::collections::HashSet;

/// One link found in a page.
pub(super) struct Found {
    pub(super) offset: usize,
    pub(super) attr: &'static str,
    pub(super) value: String,
}

/// What the scanner takes from one page.
#[derive(Default)]
pub(super) struct Scanned {
    pub(super) links: Vec<Found>,
    pub(super) ids: HashSet<String>,
}

/// Elements whose content is text, not markup: a `<a href>` inside is not a link.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// A small HTML tag scanner (enough for checking links in generated pages):
/// skips comments, doctype and raw-text elements, reads attributes quoted,
/// single-quoted or bare, and decodes character references in their values.
pub(super) fn scan(html: &str) -> Scanned {
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
                // A PDF shown in the page (`![[paper.pdf]]`).
                "data" if name == "object" => out.links.push(Found {
                    offset: start,
                    attr: "data",
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
