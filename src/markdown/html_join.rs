//! An HTML block's lines as one piece where a tag runs over several of
//! them. The parser gives a block line by line, and each line was read on
//! its own: `<img` with its attributes on the lines below (as Prettier
//! lays out a long tag, and many a README's centred logo) was shown as text
//! and its picture lost.

use pulldown_cmark::{CowStr, Event};
use std::iter::Peekable;
use std::ops::Range;

type Item<'a> = (Event<'a>, Range<usize>);

/// The most lines joined into one piece: a tag never runs that long, and
/// an unclosed `<div` before a long block must not cost a scan per line of
/// everything joined so far.
const MAX_LINES: usize = 64;

/// `item` with the block HTML lines after it that its open tag spans, taken
/// from `events` (one stage of `markdown::events`).
pub(crate) fn join_after<'a>(
    item: Item<'a>,
    events: &mut Peekable<impl Iterator<Item = Item<'a>>>,
) -> Item<'a> {
    match item {
        (Event::Html(h), range) => {
            let open = open_tag(Open::default(), &h);
            match open.inside {
                true => joined(h, range, open, events),
                false => (Event::Html(h), range),
            }
        }
        item => item,
    }
}

/// The events with each run of block HTML lines that a tag spans joined
/// (for the tests; the build joins them in `markdown::events`).
#[cfg(test)]
fn join<'a>(events: impl Iterator<Item = Item<'a>>) -> impl Iterator<Item = Item<'a>> {
    let mut events = events.peekable();
    std::iter::from_fn(move || {
        let item = events.next()?;
        Some(join_after(item, &mut events))
    })
}

/// `first` and the block lines after it, up to the one that ends the tag
/// (each line scanned once, from where the last left off).
fn joined<'a>(
    first: CowStr<'a>,
    mut range: Range<usize>,
    mut open: Open,
    events: &mut Peekable<impl Iterator<Item = Item<'a>>>,
) -> Item<'a> {
    let mut text = first.into_string();
    let mut lines = 1;
    while open.inside && lines < MAX_LINES {
        let Some((Event::Html(next), r)) = events.next_if(|(e, _)| matches!(e, Event::Html(_)))
        else {
            break;
        };
        open = open_tag(open, &next);
        text.push_str(&next);
        range.end = r.end;
        lines += 1;
    }
    (Event::Html(CowStr::from(text)), range)
}

/// Where a scan of HTML text is: inside a tag (after its `<name`, before
/// its `>`), and in which quote of its attributes.
#[derive(Clone, Copy, Default)]
struct Open {
    inside: bool,
    quote: Option<u8>,
}

/// The state after `html`, from `open`: inside a tag when it ends after a
/// tag's `<name` and before its `>` (a `>` in a quoted value ends none). A
/// comment is not told apart: its lines joined up to a `>` are the same
/// comment.
fn open_tag(mut open: Open, html: &str) -> Open {
    let b = html.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if open.inside {
            match (open.quote, c) {
                (Some(q), _) if c == q => open.quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => open.quote = Some(c),
                (None, b'>') => open.inside = false,
                _ => {}
            }
        } else if c == b'<' {
            let name = match b.get(i + 1) {
                Some(b'/') => b.get(i + 2),
                n => n,
            };
            open.inside = name.is_some_and(|n| n.is_ascii_alphabetic());
            open.quote = None;
        }
    }
    open
}

/// Whether `html` ends inside a tag (for the tests).
#[cfg(test)]
fn ends_inside_tag(html: &str) -> bool {
    open_tag(Open::default(), html).inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_left_open_at_the_line_end_is_found() {
        for open in [
            "  <img\n",
            "<p align=\"center\"\n",
            "<a href=\"x\">\n<img src=\"a > b\n",
            "</td\n",
        ] {
            assert!(ends_inside_tag(open), "{open}");
        }
        for closed in [
            "<p>\n",
            "a < b\n",
            "<img src=\"a > b\" />\n",
            "x <\n",
            "<1\n",
        ] {
            assert!(!ends_inside_tag(closed), "{closed}");
        }
    }

    #[test]
    fn the_lines_a_tag_spans_are_one_piece() {
        let events = vec![
            (Event::Html("<p>\n".into()), 0..4),
            (Event::Html("<img\n".into()), 4..9),
            (Event::Html("  src=\"a.png\"\n".into()), 9..23),
            (Event::Html("/>\n".into()), 23..26),
            (Event::Html("</p>\n".into()), 26..31),
        ];
        let out: Vec<_> = join(events.into_iter()).collect();
        assert_eq!(out.len(), 3);
        assert_eq!(
            out[1],
            (Event::Html("<img\n  src=\"a.png\"\n/>\n".into()), 4..26)
        );
    }
}
