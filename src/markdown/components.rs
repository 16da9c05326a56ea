//! Components of VuePress, VitePress and Docusaurus (`<Badge text="新"/>`,
//! `<Problem slug="two-sum" />`, `<visual slug='x'>` ... `</visual>`)
//! are no HTML; GitHub drops such tags and keeps what they hold, and so
//! does biji: they were shown as text. A tag is taken for one when its name
//! is no element's and it has a quoted attribute (`Vec<T>` and `<用户名>`
//! have none, and stay text); a closing tag goes when one of its name did.

use super::html_tags::{is_element, tag_end, tag_name};
use pulldown_cmark::{CowStr, Event};
/// Takes component tags out of raw HTML, event by event (one stage of
/// `markdown::events`); remembers the names taken, for their end tags.
#[derive(Default)]
pub(crate) struct Strip {
    dropped: Vec<String>,
}

impl Strip {
    /// `e` without component tags; `None` for raw HTML left empty.
    pub(crate) fn apply<'a>(&mut self, e: Event<'a>) -> Option<Event<'a>> {
        let (html, block) = match &e {
            Event::Html(h) => (h, true),
            Event::InlineHtml(h) => (h, false),
            _ => return Some(e),
        };
        let Some(kept) = without_components(html, &mut self.dropped) else {
            return Some(e);
        };
        if kept.trim().is_empty() {
            return None;
        }
        let kept = CowStr::from(kept);
        Some(match block {
            true => Event::Html(kept),
            false => Event::InlineHtml(kept),
        })
    }
}

/// `html` without its component tags, or `None` when it has none.
fn without_components(html: &str, dropped: &mut Vec<String>) -> Option<String> {
    if !html.contains('<') {
        return None;
    }
    let mut out = String::new();
    let mut last = 0;
    for (at, _) in html.match_indices('<') {
        if at < last {
            continue;
        }
        let Some(len) = component_len(&html[at..], dropped) else {
            continue;
        };
        out.push_str(&html[last..at]);
        last = at + len;
    }
    (last > 0).then(|| out + &html[last..])
}

/// The length of the component tag `s` starts with, if it is one (an
/// opening one's name is added to `dropped`).
fn component_len(s: &str, dropped: &mut Vec<String>) -> Option<usize> {
    let name = tag_name(s);
    // `<feGaussianBlur>` and the other filters of an SVG are its own.
    if name.is_empty() || is_element(&name) || name.contains(':') || name.starts_with("fe") {
        return None;
    }
    let end = tag_end(s)? + 1;
    if s.starts_with("</") {
        return dropped.contains(&name).then_some(end);
    }
    let quoted = s[..end].contains("=\"") || s[..end].contains("='");
    if !quoted {
        return None;
    }
    if !s[..end].ends_with("/>") && !dropped.contains(&name) {
        dropped.push(name);
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(pieces: &[&str]) -> Vec<Option<String>> {
        let mut dropped = Vec::new();
        pieces
            .iter()
            .map(|p| without_components(p, &mut dropped))
            .collect()
    }

    #[test]
    fn component_tags_go_and_generics_stay() {
        assert_eq!(
            cleaned(&["<Problem slug=\"word-break\" />\n"]),
            [Some("\n".to_string())]
        );
        assert_eq!(
            cleaned(&["<visual slug='is-palindrome' >\n", "内容\n", "</visual>\n"]),
            [Some("\n".into()), None, Some("\n".into())]
        );
        assert_eq!(
            cleaned(&["版本 <Badge text=\"beta\" type=\"tip\"/> 起"]),
            [Some("版本  起".into())]
        );
        assert_eq!(
            cleaned(&["<my-component foo=\"1\"></my-component>"]),
            [Some(String::new())]
        );
        for stays in [
            "Vec<T>",
            "<用户名>",
            "<div align=\"center\">",
            "<o:p a=\"1\">",
            "</T>",
            "<T a=b>",
        ] {
            assert_eq!(cleaned(&[stays]), [None], "{stays}");
        }
    }
}
