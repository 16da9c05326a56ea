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
        Some(a) if a.starts_with('^') => {
            let at = block(body, a);
            balanced(&in_its_list(&body[..at.start], &body[at]))
        }
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

/// A list item cut out of a body (after `before`) inside a list of its kind: an `<li>`
/// outside a list is invalid, and browsers draw it without its bullet.
fn in_its_list<'b>(before: &str, part: &'b str) -> std::borrow::Cow<'b, str> {
    if !part.starts_with("<li") {
        return part.into();
    }
    let tag = match before.rfind("<ol") > before.rfind("<ul") {
        true => "ol",
        false => "ul",
    };
    format!("<{tag}>\n{part}</{tag}>\n").into()
}

/// Where in `body` the element whose id is `anchor` is (a paragraph, a list
/// item with its sub-items, or the wrapper of a list, table, quote or code
/// block), whole: up to the end tag that closes it, same-named elements
/// inside counted. Empty when no element has that id.
fn block(body: &str, anchor: &str) -> std::ops::Range<usize> {
    let attr = format!(
        " id=\"{}\"",
        html_escape::encode_double_quoted_attribute(anchor)
    );
    let Some(start) = body.find(&attr).and_then(|at| body[..at].rfind('<')) else {
        return 0..0;
    };
    let name: String = body[start + 1..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    if name.is_empty() {
        return 0..0;
    }
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    let mut at = start;
    while let Some(i) = body[at..].find('<').map(|i| at + i) {
        let rest = &body[i..];
        if rest.starts_with(&close) {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return start..i + close.len();
            }
        } else if rest.starts_with(&open)
            && rest[open.len()..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
        {
            depth += 1;
        }
        at = i + 1;
    }
    start..body.len()
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
