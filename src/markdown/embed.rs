//! The part of a rendered note that an embed (`![[note]]`, `![[note#标题]]`,
//! `![[note#^block]]`) shows inside another note.

use super::Heading;

/// The body of the embedded note, or the section under heading `anchor` (up
/// to the next heading of its level or higher), or the block `^id`. Heading
/// ids, their anchors and block ids are taken out: they belong to the
/// note's own page, and twice on one page they would clash.
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
    without_block_ids(&out)
}

/// `html` without its block ids (` id="^..."`; text has its quotes escaped).
fn without_block_ids(html: &str) -> String {
    const ATTR: &str = " id=\"^";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(ATTR) {
        out.push_str(&rest[..at]);
        let value = &rest[at + ATTR.len()..];
        let Some(end) = value.find('"') else {
            break;
        };
        rest = &value[end + 1..];
    }
    out.push_str(rest);
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

/// A list item cut out of a body (after `before`) inside a list of its kind:
/// an `<li>` outside a list is invalid, and browsers draw it without its
/// bullet; an ordered one keeps its number.
fn in_its_list<'b>(before: &str, part: &'b str) -> std::borrow::Cow<'b, str> {
    if !part.starts_with("<li") {
        return part.into();
    }
    // The lists open where the item starts, innermost last: whether
    // ordered, its first number, and how many items it has had.
    let mut open: Vec<(bool, u64, u64)> = Vec::new();
    for (i, _) in before.match_indices('<') {
        let rest = &before[i..];
        let tag = |name: &str| {
            rest[1..].starts_with(name) && rest[1 + name.len()..].starts_with(['>', ' '])
        };
        if tag("ol") || tag("ul") {
            let head = &rest[..rest.find('>').unwrap_or(rest.len())];
            let first = head
                .split_once(" start=\"")
                .and_then(|(_, v)| v.split('"').next()?.parse().ok())
                .unwrap_or(1);
            open.push((tag("ol"), first, 0));
        } else if rest.starts_with("</ol>") || rest.starts_with("</ul>") {
            open.pop();
        } else if tag("li") {
            if let Some(list) = open.last_mut() {
                list.2 += 1;
            }
        }
    }
    let (tag, start) = match open.last() {
        Some(&(true, first, items)) if first + items != 1 => {
            ("ol", format!(" start=\"{}\"", first.saturating_add(items)))
        }
        Some(&(true, ..)) => ("ol", String::new()),
        _ => ("ul", String::new()),
    };
    format!("<{tag}{start}>\n{part}</{tag}>\n").into()
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
            "<h2>甲</h2>\n<p>一</p>\n<h3>乙</h3>\n<p>二</p>\n"
        );
        assert_eq!(
            embed_section(&body, &hs, Some("丙")),
            "<h2>丙</h2>\n<p>三</p>\n"
        );
        assert_eq!(embed_section(&body, &hs, Some("^b1")), "<p>二</p>");
        // An ordered item keeps its number, past a nested list of its own kind.
        let list = "<ol start=\"3\">\n<li>三\n<ol>\n<li>子</li>\n</ol>\n</li>\n<li id=\"^o\">四</li>\n</ol>\n<ul>\n<li id=\"^u\">点</li>\n</ul>\n";
        assert_eq!(
            embed_section(list, &[], Some("^o")),
            "<ol start=\"4\">\n<li>四</li></ol>\n"
        );
        assert_eq!(
            embed_section(list, &[], Some("^u")),
            "<ul>\n<li>点</li></ul>\n"
        );
        assert!(!embed_section(&body, &hs, None).contains(" id=\"甲\""));
    }
}
