//! The part of a rendered note that an embed (`![[note]]`, `![[note#标题]]`,
//! `![[note#^block]]`) shows inside another note.

use super::Heading;

/// The body of the embedded note, or the section under heading `anchor` (up
/// to the next heading of its level or higher), or the block `^id`. Heading
/// ids and anchors are taken out: they belong to the note's own page, and
/// twice on one page they would clash.
pub(crate) fn embed_section(body: &str, headings: &[Heading], anchor: Option<&str>) -> String {
    let mut out = match anchor {
        None => body.to_string(),
        Some(a) if a.starts_with('^') => balanced(block(body, a)),
        Some(a) => balanced(section(body, headings, a)),
    };
    for h in headings.iter().filter(|h| !h.id.is_empty()) {
        let id = html_escape::encode_double_quoted_attribute(&h.id);
        if let Some((at, len)) = heading_open(&out, &h.id) {
            out.replace_range(at + 3..at + len, "");
        }
        out = without_anchor(&out, &format!("<a class=\"anchor\" href=\"#{id}\""));
    }
    out
}

/// A piece cut out of a note's HTML, with the end tags of elements it does
/// not open dropped and those it leaves open closed: a heading inside a
/// callout starts its section inside the callout's `<div>`s.
fn balanced(part: &str) -> String {
    let mut html = super::raw_html::RawHtml::new(true);
    let mut out = html.clean(part);
    out.push_str(&html.close_all());
    out
}

/// Where the start of the heading with `id` is in `html`, and the length of
/// its `<hN id="..."` part. Any N: the tag's level is the page outline's
/// (`render::blocks::outline_level`), not always the one written.
fn heading_open(html: &str, id: &str) -> Option<(usize, usize)> {
    let attr = format!(
        " id=\"{}\"",
        html_escape::encode_double_quoted_attribute(id)
    );
    (1..=6)
        .filter_map(|n| {
            let open = format!("<h{n}{attr}");
            html.find(&open).map(|at| (at, open.len()))
        })
        .min()
}

/// `html` without the heading anchor that starts with `open` (up to its `</a>`).
fn without_anchor(html: &str, open: &str) -> String {
    let Some(start) = html.find(open) else {
        return html.to_string();
    };
    match html[start..].find("</a>") {
        Some(len) => format!("{}{}", &html[..start], &html[start + len + 4..]),
        None => html.to_string(),
    }
}

fn section<'b>(body: &'b str, headings: &[Heading], anchor: &str) -> &'b str {
    let Some(at) = headings.iter().position(|h| h.id == anchor) else {
        return "";
    };
    let level = headings[at].level;
    let Some((start, _)) = heading_open(body, anchor) else {
        return "";
    };
    let end = headings[at + 1..]
        .iter()
        .find(|h| h.level <= level && !h.id.is_empty())
        .and_then(|h| heading_open(&body[start..], &h.id).map(|(e, _)| start + e))
        .unwrap_or(body.len());
    &body[start..end]
}

/// The paragraph or list item that carries block id `anchor` (`^id`).
fn block<'b>(body: &'b str, anchor: &str) -> &'b str {
    let id = html_escape::encode_double_quoted_attribute(anchor);
    for (tag, close) in [("<p", "</p>"), ("<li", "</li>")] {
        if let Some(start) = body.find(&format!("{tag} id=\"{id}\">")) {
            let end = body[start..]
                .find(close)
                .map_or(body.len(), |e| start + e + close.len());
            return &body[start..end];
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, id: &str) -> Heading {
        Heading {
            level,
            text: id.into(),
            id: id.into(),
            line: 1,
        }
    }

    #[test]
    fn sections_and_blocks() {
        let a = |id: &str| crate::markdown::render::anchor_html(id, id, "zh");
        let body = format!(
            "<p>前言</p>\n<h2 id=\"甲\">甲{}</h2>\n<p>一</p>\n<h3 id=\"乙\">乙{}</h3>\n<p id=\"^b1\">二</p>\n<h2 id=\"丙\">丙{}</h2>\n<p>三</p>\n",
            a("甲"),
            a("乙"),
            a("丙")
        );
        let hs = [h(2, "甲"), h(3, "乙"), h(2, "丙")];
        assert_eq!(
            embed_section(&body, &hs, Some("甲")),
            "<h2>甲</h2>\n<p>一</p>\n<h3>乙</h3>\n<p id=\"^b1\">二</p>\n"
        );
        assert_eq!(
            embed_section(&body, &hs, Some("丙")),
            "<h2>丙</h2>\n<p>三</p>\n"
        );
        assert_eq!(
            embed_section(&body, &hs, Some("^b1")),
            "<p id=\"^b1\">二</p>"
        );
        assert!(!embed_section(&body, &hs, None).contains(" id=\"甲\""));
    }
}
