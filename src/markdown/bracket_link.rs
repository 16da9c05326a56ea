//! `[[1]](https://…)` and `[[Bug #109145]](https://…)`, references copied
//! from the web, are links with the text `[1]`, as GitHub, Typora and VS
//! Code show them; the parser took `[[1]]` for a wikilink to a note that
//! does not exist (which failed the build) and left `(https://…)` as text.
//! So is bash's `[[ ]]` (a wikilink to nothing, which also broke a link
//! around it: `[Bash [[ ]] 用法](a.md)`): text, as GitHub shows it.
//! Before parsing, the inner brackets of such a wikilink become
//! [`OPEN`] and [`CLOSE`], one character for one (columns stay the
//! author's), so the parser reads an ordinary link; [`super::stand_in`]
//! turns them back.

use super::stand_in::{CLOSE, OPEN};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use std::borrow::Cow;

/// `body` with the inner brackets of each wikilink right before a link's
/// destination, `(` and what a destination can be, or of nothing but
/// spaces, as [`OPEN`] and [`CLOSE`].
pub(crate) fn rewrite(body: &str, opts: Options) -> Cow<'_, str> {
    let wiki =
        opts.contains(Options::ENABLE_WIKILINKS) && (body.contains("]](") || body.contains(" ]]"));
    if !wiki {
        return Cow::Borrowed(body);
    }
    let found: Vec<std::ops::Range<usize>> = Parser::new_ext(body, opts)
        .into_offset_iter()
        .filter(|(e, _)| {
            matches!(
                e,
                Event::Start(Tag::Link {
                    link_type: LinkType::WikiLink { .. },
                    ..
                })
            )
        })
        .map(|(_, r)| r)
        .filter(|r| {
            let link = body.get(r.clone()).unwrap_or("");
            let inner = link.get(2..link.len().saturating_sub(2)).unwrap_or("x");
            link.starts_with("[[")
                && link.ends_with("]]")
                && (inner.trim().is_empty() || has_destination(&body[r.end..]))
        })
        .collect();
    if found.is_empty() {
        return Cow::Borrowed(body);
    }
    // One pass, in order (a replace per link made long notes quadratic).
    let mut s = String::with_capacity(body.len() + found.len() * 4);
    let mut from = 0;
    for r in &found {
        s.push_str(&body[from..r.start + 1]);
        s.push(OPEN);
        s.push_str(&body[r.start + 2..r.end - 2]);
        s.push(CLOSE);
        from = r.end - 1;
    }
    s.push_str(&body[from..]);
    Cow::Owned(s)
}

/// Whether `after` (what follows `]]`) starts with a link's destination:
/// `(`, a web address or a path (`https://…`, `/a`, `b.md`, `#h`) without
/// spaces, `)`. A remark in brackets (`[[B]](第三章)`, `[[X]](Phase 3)`)
/// is none: the wikilink stays one.
fn has_destination(after: &str) -> bool {
    let Some(rest) = after.strip_prefix('(') else {
        return false;
    };
    let Some(dest) = rest.lines().next().and_then(|l| l.split(')').next()) else {
        return false;
    };
    let url = dest.contains("://") || dest.starts_with("mailto:");
    let path = dest.starts_with(['/', '#', '.']) || dest.contains(['.', '/']);
    !dest.is_empty()
        && !dest.contains(char::is_whitespace)
        && !dest.starts_with('[')
        && (url || path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(body: &str) -> String {
        let opts = Options::ENABLE_WIKILINKS;
        rewrite(body, opts).replace(OPEN, "«").replace(CLOSE, "»")
    }

    #[test]
    fn wikilinks_before_a_destination_become_links() {
        assert_eq!(
            marked("见 [[1]](https://a.com/x)。\n"),
            "见 [«1»](https://a.com/x)。\n"
        );
        assert_eq!(
            marked("[[Bug #1]](https://b.org) 与 [[笔记]]\n"),
            "[«Bug #1»](https://b.org) 与 [[笔记]]\n"
        );
        assert_eq!(
            marked("[[a]](b.md) [[c]](./d)\n"),
            "[«a»](b.md) [«c»](./d)\n"
        );
        // A wikilink followed by words in brackets stays one.
        assert_eq!(marked("[[笔记]]( 见上文 )\n"), "[[笔记]]( 见上文 )\n");
        for kept in [
            "参见[[B]](第三章)\n",
            "[[X]](Phase 3)\n",
            "[[B-tree]]([[C]])\n",
        ] {
            assert_eq!(marked(kept), kept, "{kept:?}");
        }
        assert_eq!(marked("[[笔记]](\n"), "[[笔记]](\n");
        assert_eq!(marked("`[[1]](x)`\n"), "`[[1]](x)`\n");
        assert_eq!(marked("用 [[ ]] 测试\n"), "用 [« »] 测试\n");
        assert_eq!(
            marked("[Bash [[ ]] 用法](a.md)\n"),
            "[Bash [« »] 用法](a.md)\n"
        );
    }
}
