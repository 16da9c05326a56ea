//! Which raw HTML in a note is real markup. Chinese notes are full of generic
//! types and placeholders (`Vec<String>`, `<用户名>`) that CommonMark would pass
//! through as tags and the browser would swallow; those are shown as text.

mod names;
use names::{INSIDE, KNOWN};

/// Elements whose content the browser reads as raw text up to their end tag
/// (`<textarea>` in a sentence would swallow the rest of the page, `<script>`
/// would run it). GitHub escapes them everywhere (GFM's tagfilter); biji only
/// where they stand inside a sentence, since an HTML block of its own
/// (`<iframe src=...>` on a line) is how notes embed a video or a demo.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "xmp",
    "plaintext",
];

/// Elements whose content a browser does not draw as text: a `<canvas>`'s
/// or `<video>`'s is fallback, a `<template>`'s inert, a closed `<dialog>`'s
/// hidden, text right inside `<svg>` or `<select>` dropped.
const HIDES: &[&str] = &[
    "audio", "canvas", "datalist", "dialog", "object", "select", "svg", "template", "video",
];

/// Whether raw HTML `html` (an inline tag, or a line of an HTML block),
/// followed in the note by the text from `after` on, is the start tag of
/// such an element with no end tag in the rest of its paragraph or block
/// (up to a blank line): a name in a sentence (`HTML5 新增了 <canvas> 画布`),
/// shown as text. As markup it would hide every word after it (GitHub drops
/// the tag and keeps the words). A `<video src=...>` is a player all the same.
pub(crate) fn hides_what_follows(html: &str, after: usize, ends: &mut Ends<'_>) -> bool {
    let s = html.trim_start();
    if !s.starts_with('<') || s.starts_with("</") {
        return false;
    }
    let name = tag_name(s);
    if !HIDES.contains(&name.as_str()) {
        return false;
    }
    let tag_end = s.find('>').map_or(s.len(), |e| e + 1);
    let tag = s[..tag_end].to_ascii_lowercase();
    if tag.ends_with("/>") || tag.contains(" src=") || tag.contains(" data=") {
        return false;
    }
    let close = format!("</{name}");
    !s[tag_end..].to_ascii_lowercase().contains(&close) && !ends.closed_after(&close, after)
}

/// Where a note's blank lines and end tags are, found once, when a note
/// first has a start tag [`hides_what_follows`] asks about: looking for
/// them anew after each such tag took time quadratic in a block's tags.
pub(crate) struct Ends<'a> {
    body: &'a str,
    /// The `\n` before each blank line.
    blanks: Option<Vec<usize>>,
    /// Where each end tag asked about is, by its `</name`.
    closes: Vec<(String, Vec<usize>)>,
}

impl<'a> Ends<'a> {
    pub(crate) fn new(body: &'a str) -> Ends<'a> {
        Ends {
            body,
            blanks: None,
            closes: Vec::new(),
        }
    }

    /// Whether `close` (`</svg`, lower-case) is in the block from `at` on.
    fn closed_after(&mut self, close: &str, at: usize) -> bool {
        let body = self.body;
        let blanks = self.blanks.get_or_insert_with(|| {
            let b = body.as_bytes();
            let blank_after = |i: usize| {
                let rest = b[i + 1..].iter().position(|c| !matches!(c, b' ' | b'\t'));
                rest.is_some_and(|r| b[i + 1 + r] == b'\n')
            };
            (0..b.len())
                .filter(|&i| b[i] == b'\n' && blank_after(i))
                .collect()
        });
        let block_end = blanks
            .get(blanks.partition_point(|&i| i < at))
            .copied()
            .unwrap_or(body.len());
        let found = match self.closes.iter().position(|(c, _)| c == close) {
            Some(i) => &self.closes[i].1,
            None => {
                let lower = body.to_ascii_lowercase();
                let all = lower.match_indices(close).map(|(i, _)| i).collect();
                self.closes.push((close.to_string(), all));
                &self.closes[self.closes.len() - 1].1
            }
        };
        found
            .get(found.partition_point(|&i| i < at))
            .is_some_and(|&i| i + close.len() <= block_end)
    }
}

/// A line of an HTML block that began as markup, with each tag that names
/// no element written as text (`<T> 泛型` in a table cell): the block's real
/// tags still work, and the rest of the note stays out of it.
pub(crate) fn escape_unknown_tags(line: &str) -> std::borrow::Cow<'_, str> {
    let unknown = |at: usize| {
        let name = tag_name(&line[at..]);
        // `<o:p>` (Word), `<my-widget>`, `<annotation-xml>`: markup.
        let other = name.contains([':', '-']) || name.starts_with("fe");
        !(name.is_empty()
            || other
            || KNOWN.contains(&name.as_str())
            || INSIDE.contains(&name.as_str()))
    };
    let cut: Vec<usize> = line
        .match_indices('<')
        .map(|(i, _)| i)
        .filter(|&i| unknown(i))
        .collect();
    if cut.is_empty() {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 3 * cut.len());
    let mut last = 0;
    for at in cut {
        out.push_str(&line[last..at]);
        out.push_str("&lt;");
        last = at + 1;
    }
    out.push_str(&line[last..]);
    std::borrow::Cow::Owned(out)
}

/// True for inline HTML in a sentence that is better shown as text: anything
/// that is not real markup, and the raw-text elements ([`RAW_TEXT`]).
pub(crate) fn inline_is_text(html: &str) -> bool {
    !is_known_markup(html) || RAW_TEXT.contains(&tag_name(html).as_str())
}

/// Whether `name` (lowercased) is an HTML element's, or one's inside
/// another (`<circle>` in an `<svg>`).
pub(crate) fn is_element(name: &str) -> bool {
    KNOWN.contains(&name) || INSIDE.contains(&name)
}

/// Where the `>` ending the tag `tag` starts with is (not one in a quoted
/// value); `None` if the text ends, or another tag starts, first.
pub(crate) fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// The name of the tag `html` starts with (`<name`, `</name`), lowercased;
/// empty when what follows its `<` names nothing (`<用户名>`, `<<`, `< 5`).
pub(crate) fn tag_name(html: &str) -> String {
    let s = html.trim_start();
    let rest = s.strip_prefix('<').unwrap_or(s);
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return String::new();
    }
    let len = rest
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b':'))
        .count();
    rest[..len].to_ascii_lowercase()
}

/// True for a tag of an element that stands only inside another (SVG's,
/// MathML's, `<track>`): markup where its parent is open.
pub(crate) fn is_inner(html: &str) -> bool {
    INSIDE.contains(&tag_name(html).as_str())
}

/// Elements whose children are [`INSIDE`]'s (`<svg>` of `<circle>`).
pub(crate) const FOREIGN: &[&str] = &["svg", "math", "video", "audio", "select", "picture"];

/// How many [`FOREIGN`] elements are open after the tag `html`, `depth`
/// before it.
pub(crate) fn foreign_depth(html: &str, depth: usize) -> usize {
    let s = html.trim();
    if !FOREIGN.contains(&tag_name(s).as_str()) {
        return depth;
    }
    match (s.starts_with("</"), s.ends_with("/>")) {
        (true, _) => depth.saturating_sub(1),
        (false, true) => depth,
        (false, false) => depth + 1,
    }
}

/// True for HTML comments, declarations and tags whose name is a real HTML element.
pub(crate) fn is_known_markup(html: &str) -> bool {
    let s = html.trim_start();
    let Some(rest) = s.strip_prefix('<') else {
        return true; // continuation lines of an HTML block
    };
    if rest.starts_with('!') || rest.starts_with('?') {
        return true;
    }
    KNOWN.contains(&tag_name(s).as_str())
}

#[cfg(test)]
mod tests {
    use super::{hides_what_follows, inline_is_text, is_known_markup, Ends};

    #[test]
    fn known_and_unknown() {
        assert!(is_known_markup("<br/>"));
        assert!(is_known_markup("</div>"));
        assert!(is_known_markup("<!-- c -->"));
        assert!(is_known_markup("<img src=x>"));
        assert!(!is_known_markup("<String>"));
        assert!(!is_known_markup("<uint64_t>"));
        assert!(!is_known_markup("<T>"));
        assert!(is_known_markup("<big>"));
        assert!(!is_known_markup("<path>"));
    }

    #[test]
    fn unknown_tags_in_a_markup_block_are_text() {
        use super::escape_unknown_tags as e;
        assert_eq!(e("<td><T> 泛型</td>"), "<td>&lt;T> 泛型</td>");
        assert_eq!(e("</Foo>"), "&lt;/Foo>");
        assert_eq!(e("<<T>"), "<&lt;T>");
        for same in [
            "<p>正文<o:p></o:p></p>",
            "<feGaussianBlur/>",
            "<annotation-xml>",
            "<mfenced>",
        ] {
            assert_eq!(e(same), same);
        }
        for same in [
            "<path d=\"M0 0\"/>",
            "<track src=a.vtt>",
            "<!-- x -->",
            "a < b",
            "<用户名>",
            "<meta x>",
        ] {
            assert_eq!(e(same), same);
        }
    }

    #[test]
    fn raw_text_elements_in_a_sentence_are_text() {
        for h in [
            "<textarea>",
            "</textarea>",
            "<script>",
            "<STYLE>",
            "<title>",
            "<iframe src=x>",
            "<xmp>",
        ] {
            assert!(inline_is_text(h), "{h}");
        }
        for h in [
            "<kbd>",
            "</kbd>",
            "<br/>",
            "<sup>",
            "<img src=x>",
            "<!-- c -->",
        ] {
            assert!(!inline_is_text(h), "{h}");
        }
        assert!(inline_is_text("<String>"));
    }

    /// [`hides_what_follows`] on `html` followed by `after`.
    fn hides(html: &str, after: &str) -> bool {
        let body = format!("{html}{after}");
        hides_what_follows(html, html.len(), &mut Ends::new(&body))
    }

    #[test]
    fn a_hiding_element_named_in_a_sentence_is_text() {
        assert!(hides("<canvas>", " 画布，可以绘图。\n\n下一段 </canvas>"));
        assert!(hides("<dialog> 是对话框元素\n", "\n## 下一节\n"));
        assert!(hides("<SVG>", " 用于矢量图"));
        assert!(!hides("<svg width=\"9\">", "<circle r=\"4\"/>\n</svg>\n"));
        assert!(!hides("<video src=\"a.mp4\" controls>", " 后文"));
        assert!(!hides("<audio controls>", "<source src=\"a.mp3\"></AUDIO>"));
        assert!(!hides("<canvas id=\"c\"></canvas>\n", "text"));
        assert!(!hides("</canvas>", " x"));
        assert!(!hides("<div>", " x"));
    }
}
