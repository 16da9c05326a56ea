//! An embedded file that is also a link, `[![[图.png|300]]](https://...)`, as
//! Obsidian users write a clickable image. The parser reads `![[` inside a
//! link's text as an inline image whose target is the link's, so the file
//! was lost and the page loaded the link's URL as an image. Before parsing,
//! such an embed is written as the Markdown image it means,
//! `[![图.png|300](<图.png>)](https://...)`: same file, size and link.

use pulldown_cmark::Options;
use std::borrow::Cow;

/// `body` with each linked file embed written as a Markdown image.
pub(crate) fn rewrite(body: &str, opts: Options) -> Cow<'_, str> {
    if !body.contains("[![[") {
        return Cow::Borrowed(body);
    }
    let prose = super::prose_ranges(body, opts);
    let mut out = String::new();
    let mut pos = 0;
    for (open, _) in body.match_indices("[![[") {
        if open < pos || !super::in_ranges(&prose, open) {
            continue;
        }
        let inner_start = open + 4;
        // A file name is short: looking no further keeps a line of
        // thousands of `[![[` from being read thousands of times.
        let limit = body.floor_char_boundary(inner_start + 1024);
        let line_end = body[inner_start..limit]
            .find('\n')
            .map_or(limit, |i| inner_start + i);
        let Some(close) = body[inner_start..line_end]
            .find("]]](")
            .map(|i| inner_start + i)
        else {
            continue;
        };
        let inner = &body[inner_start..close];
        let (file, rest) = inner.split_once('|').unwrap_or((inner, ""));
        if !is_file(file) || inner.contains(['[', ']', '<', '>']) {
            continue;
        }
        // A size alone keeps the file's name as the alt text, as the embed does.
        let alt = match super::typora::image_size(rest, Some(file)) {
            _ if rest.is_empty() => file.to_string(),
            (shown, Some(_)) if shown == file => format!("{file}|{rest}"),
            _ => rest.to_string(),
        };
        out.push_str(&body[pos..open]);
        out.push_str(&format!("[![{alt}](<{}>)", file.trim()));
        // `](` of the outer link stays: the link goes on as written.
        pos = close + 2;
    }
    if pos == 0 {
        return Cow::Borrowed(body);
    }
    out.push_str(&body[pos..]);
    Cow::Owned(out)
}

/// An image: a note embedded in a link means nothing, and a player has a
/// link of its own inside (links cannot nest).
fn is_file(name: &str) -> bool {
    let name = name.trim();
    super::media::is_file_name(name) && super::media::kind(name).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(body: &str) -> String {
        rewrite(body, Options::ENABLE_WIKILINKS).into_owned()
    }

    #[test]
    fn linked_embeds_become_markdown_images_in_the_link() {
        assert_eq!(
            rewritten("见 [![[图 1.png|300]]](https://x.com) 和 [![[a.png]]](b.md)"),
            "见 [![图 1.png|300](<图 1.png>)](https://x.com) 和 [![a.png](<a.png>)](b.md)"
        );
        assert_eq!(
            rewritten("[![[a.png|说明|300]]](u)"),
            "[![说明|300](<a.png>)](u)"
        );
    }

    #[test]
    fn code_notes_and_plain_embeds_stay() {
        for body in [
            "`[![[a.png]]](u)`",
            "[![[笔记]]](u)",
            "[![[演示.mp4]]](u)",
            "```\n[![[a.png]]](u)\n```\n",
            "![[a.png]]",
            "[![[a.png]]]\n(u)",
        ] {
            assert_eq!(rewritten(body), body);
        }
    }
}
