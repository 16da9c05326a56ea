//! Where a note's prose, code and raw HTML are, found by a parse before
//! the rewrites that run ahead of the real one (containers, Typora's marks,
//! Hexo's tags, MDX), so that they leave code as written.

use pulldown_cmark::{Event, Tag};
use std::ops::Range;

/// Where a note's prose is (its text outside code), for the rewrites made
/// before parsing, which must leave code as written.
pub(super) fn prose_ranges(body: &str, opts: pulldown_cmark::Options) -> Vec<Range<usize>> {
    let mut in_code = false;
    pulldown_cmark::Parser::new_ext(body, opts)
        .into_offset_iter()
        .filter(|(e, _)| {
            match e {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_code = false,
                _ => {}
            }
            !in_code && matches!(e, Event::Text(_))
        })
        .map(|(_, r)| r)
        .collect()
}

/// Where a note's code, math and raw HTML are (blocks and spans), in order,
/// none inside another: what the rewrites made before parsing must leave
/// as written (`printf("%%d")`, a `:::` line in a comment).
pub(super) fn code_ranges(body: &str, opts: pulldown_cmark::Options) -> Vec<Range<usize>> {
    raw_ranges(body, opts).0
}

/// [`code_ranges`], and apart the HTML blocks that only a blank line ends
/// (CommonMark's kinds 6 and 7: `<details>`, `<div>`, a tag alone on its
/// line), which swallow a container's closing `:::` written right after
/// them; VitePress ends the container there all the same.
pub(super) fn raw_ranges(
    body: &str,
    opts: pulldown_cmark::Options,
) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let mut open_html = Vec::new();
    let mut ranges: Vec<Range<usize>> = pulldown_cmark::Parser::new_ext(body, opts)
        .into_offset_iter()
        .filter(|(e, r)| {
            if matches!(e, Event::Start(Tag::HtmlBlock)) && ends_at_blank(&body[r.clone()]) {
                open_html.push(r.clone());
            }
            matches!(
                e,
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
                    | Event::Code(_)
                    | Event::InlineMath(_)
                    | Event::DisplayMath(_)
                    | Event::Html(_)
                    | Event::InlineHtml(_)
            )
        })
        .map(|(_, r)| r)
        .collect();
    // A span or a block's line can sit inside a block already listed.
    ranges.sort_by_key(|r| r.start);
    ranges.dedup_by(|inner, outer| inner.end <= outer.end);
    (ranges, open_html)
}

/// An HTML block that runs to a blank line: not a comment, `<?`, `<!X`,
/// CDATA, or `<pre>`, `<script>`, `<style>`, `<textarea>`, which end at
/// their own closing text (CommonMark 4.6, kinds 1 to 5).
fn ends_at_blank(block: &str) -> bool {
    let head = block.trim_start().as_bytes();
    if head.starts_with(b"<!") || head.starts_with(b"<?") {
        return false;
    }
    !["pre", "script", "style", "textarea"].iter().any(|name| {
        let rest = head.get(1..).unwrap_or_default();
        rest.len() >= name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && rest
                .get(name.len())
                .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'>'))
    })
}

/// Whether byte `at` falls in one of `ranges` (in order, not overlapping).
pub(super) fn in_ranges(ranges: &[Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= at);
    i > 0 && ranges[i - 1].contains(&at)
}
