//! An `<img>` alone on its line, as Typora writes every image resized in it
//! (`<img src="assets/a.png" style="zoom:50%;" />`). CommonMark reads such
//! a line as an HTML block, left as it is: screenshots one after another
//! then sit in a row, and a caption on the next line joins the block with
//! its `**bold**` shown as written. Typora (and Obsidian, a block apiece)
//! show each image as a paragraph of its own, the caption's Markdown read.
//! Before parsing, a [`MARK`] goes right after such a tag: a line with more
//! than a tag on it is a paragraph to the parser. The mark is at the end of
//! its line, so no other character moves in its line, and [`super::stand_in`]
//! takes it out of the text both passes read.

use super::html_tags::tag_end;
use super::stand_in::IMG_MARK as MARK;
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::borrow::Cow;

/// `body` with a [`MARK`] after each `<img>` that starts an HTML block
/// alone on its line.
pub(crate) fn rewrite(body: &str, opts: Options) -> Cow<'_, str> {
    // Parsed only for a note with such a line: `<img>` in a sentence is
    // common, and the parse runs for both passes.
    if !body.lines().any(is_lone_img) {
        return Cow::Borrowed(body);
    }
    let mut ends: Vec<usize> = Parser::new_ext(body, opts)
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::HtmlBlock)))
        .filter_map(|(_, r)| lone_img_end(body, r.start))
        .collect();
    if ends.is_empty() {
        return Cow::Borrowed(body);
    }
    ends.dedup();
    let mut out = String::with_capacity(body.len() + 3 * ends.len());
    let mut pos = 0;
    for end in ends {
        out.push_str(&body[pos..end]);
        out.push(MARK);
        pos = end;
    }
    out.push_str(&body[pos..]);
    Cow::Owned(out)
}

/// Whether `line` is one `<img ...>` tag and blanks.
fn is_lone_img(line: &str) -> bool {
    let tag = line.trim();
    let named = tag.get(..4).is_some_and(|n| n.eq_ignore_ascii_case("<img"));
    named
        && tag[4..].starts_with(|c: char| c.is_ascii_whitespace() || matches!(c, '/' | '>'))
        && tag_end(tag) == Some(tag.len() - 1)
}

/// Where the tag ends, if the line from `start` is one `<img ...>` tag and
/// blanks.
fn lone_img_end(body: &str, start: usize) -> Option<usize> {
    let line = body[start..].split('\n').next()?;
    let lead = line.len() - line.trim_start().len();
    let tag = line.trim();
    // Under a `---` or `===` it would be a heading's text (CommonMark's
    // setext heading): left as the block it was.
    let next = body[start + line.len()..].split('\n').nth(1).unwrap_or("");
    let underline = next.len() - next.trim_start_matches(' ').len() < 4
        && matches!(next.trim().bytes().next(), Some(b'-' | b'='))
        && next.trim().bytes().all(|b| b == next.trim().as_bytes()[0]);
    (is_lone_img(line) && !underline).then(|| start + lead + tag.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(body: &str) -> String {
        rewrite(body, Options::empty()).replace(MARK, "@")
    }

    #[test]
    fn a_lone_img_line_is_marked_at_its_end() {
        assert_eq!(
            marked("a\n\n<img src=\"a.png\" style=\"zoom:50%;\" />\n图 1：**注意**\n"),
            "a\n\n<img src=\"a.png\" style=\"zoom:50%;\" />@\n图 1：**注意**\n"
        );
        assert_eq!(marked("<IMG src=a.png>  \n"), "<IMG src=a.png>@  \n");
        assert_eq!(
            marked("<img src=\"a.png\" alt=\"a > b\">\n"),
            "<img src=\"a.png\" alt=\"a > b\">@\n"
        );
        assert_eq!(
            marked("- x\n\n  <img src=a.png>\n"),
            "- x\n\n  <img src=a.png>@\n"
        );
    }

    #[test]
    fn other_html_and_code_are_left() {
        for body in [
            "text <img src=a.png>\n",
            "<div><img src=a.png></div>\n",
            "<img src=a.png> and text\n",
            "<img src=a.png><img src=b.png>\n",
            "<img src=\"a.png\n",
            "```\n<img src=a.png>\n```\n",
            "    <img src=a.png>\n",
            "<imgx src=a>\n",
            "<div>\n<img src=a.png>\n</div>\n",
            "<img src=a.png>\n---\n",
            "<img src=a.png>\n===\n",
        ] {
            assert_eq!(marked(body), body, "{body}");
        }
    }
}
