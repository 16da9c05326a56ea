//! A `$$` formula with blank lines inside, which Obsidian and Typora draw
//! (an `align` spaced out for reading): to CommonMark a blank line ends the
//! paragraph, so the formula fell apart into paragraphs, an indented line
//! after the gap into a code block. Before parsing, each blank line between
//! a `$$` line and the `$$` that closes it becomes [`GAP`] (after the
//! quote's `>`s, in a callout), which the parser reads as text of the
//! formula; [`super::stand_in`] takes it out again. Lines keep their numbers.

use super::fences::{Fence, Fences};
use super::stand_in::GAP;
use pulldown_cmark::{Event, Options, Parser};
use std::borrow::Cow;

/// Lines a formula may span: past this, a lone `$$` is no formula's start.
const MAX_LINES: usize = 200;

/// `body` with the blank lines inside each `$$` formula as [`GAP`]s; only
/// those the parser then reads inside a formula are kept.
pub(crate) fn rewrite(body: &str, opts: Options) -> Cow<'_, str> {
    if !opts.contains(Options::ENABLE_MATH) || !body.contains("$$") {
        return Cow::Borrowed(body);
    }
    let lines: Vec<(usize, &str)> = body
        .split_inclusive('\n')
        .scan(0, |at, l| {
            let start = *at;
            *at += l.len();
            Some((start, l.trim_end_matches(['\n', '\r'])))
        })
        .collect();
    let gaps = gaps(&lines);
    if gaps.is_empty() {
        return Cow::Borrowed(body);
    }
    let masked = mask(body, &lines, &gaps);
    // A gap the parser does not read inside a formula stays blank.
    let formulas: Vec<std::ops::Range<usize>> = Parser::new_ext(&masked, opts)
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::DisplayMath(_)))
        .map(|(_, r)| r)
        .collect();
    // Where each gap is in `masked`: earlier ones changed the length.
    let mut shift: isize = 0;
    let kept: Vec<usize> = gaps
        .into_iter()
        .filter(|&g| {
            let (start, line) = lines[g];
            let at = start.saturating_add_signed(shift);
            shift += (GAP.len_utf8() + quote_prefix(line).len()) as isize - line.len() as isize;
            // (In order and apart: a binary search, not a scan per gap.)
            super::in_ranges(&formulas, at)
        })
        .collect();
    match kept.is_empty() {
        true => Cow::Borrowed(body),
        false => Cow::Owned(mask(body, &lines, &kept)),
    }
}

/// The blank lines between a line that opens a `$$` formula and the line
/// that closes it, outside fenced code.
fn gaps(lines: &[(usize, &str)]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut fences = Fences::default();
    let mut i = 0;
    while i < lines.len() {
        let text = content(lines[i].1).trim_start();
        if !fences.code(text) && text.starts_with("$$") && opens(text) {
            let (blank, end) = formula_end(lines, i);
            if end.is_some() {
                found.extend(blank);
            }
            i = end.unwrap_or(i);
        }
        i += 1;
    }
    found
}

/// The blank lines after line `open` and the line of the closing `$$`,
/// if one comes within [`MAX_LINES`] before any fence.
fn formula_end(lines: &[(usize, &str)], open: usize) -> (Vec<usize>, Option<usize>) {
    let mut blank = Vec::new();
    let quoted = !quote_prefix(lines[open].1).is_empty();
    for (j, (_, line)) in lines.iter().enumerate().skip(open + 1).take(MAX_LINES) {
        let text = content(line);
        // A line without `>` ends a quote's formula, as it ends the quote.
        if quoted && quote_prefix(line).is_empty() {
            break;
        }
        if text.trim().is_empty() {
            blank.push(j);
        } else if Fence::opening(text).is_some() {
            break;
        } else if text.contains("$$") {
            return (blank, opens(text).then_some(j));
        }
    }
    (Vec::new(), None)
}

/// A line with one `$$`: it opens a formula (or closes one). With three
/// (`$$ x $$ $$`) which one pairs is anyone's guess: none is taken.
fn opens(text: &str) -> bool {
    text.matches("$$").count() == 1
}

/// A line without its quote markers (`> > $$` is `$$`).
fn content(line: &str) -> &str {
    &line[quote_prefix(line).len()..]
}

/// The `>` markers (and spaces) a quoted line starts with.
fn quote_prefix(line: &str) -> &str {
    let rest = line.trim_start_matches(['>', ' ', '\t']);
    let prefix = &line[..line.len() - rest.len()];
    match prefix.contains('>') {
        true => &prefix[..prefix.rfind('>').map_or(0, |i| i + 1)],
        false => "",
    }
}

/// `body` with lines `gaps` (blank) replaced by their quote markers and a [`GAP`].
fn mask(body: &str, lines: &[(usize, &str)], gaps: &[usize]) -> String {
    let mut out = String::with_capacity(body.len() + gaps.len() * 4);
    let mut from = 0;
    for &g in gaps {
        let (start, line) = lines[g];
        out.push_str(&body[from..start]);
        out.push_str(quote_prefix(line));
        out.push(GAP);
        from = start + line.len();
    }
    out.push_str(&body[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(body: &str) -> String {
        rewrite(body, Options::ENABLE_MATH).replace(GAP, "¤")
    }

    #[test]
    fn blank_lines_inside_a_formula_are_kept_in_it() {
        let f = "$$\n\\begin{align}\na &= b\\\\\n\n\tc &= d\n\\end{align}\n$$\n\n后文\n";
        assert_eq!(marked(f), f.replace("\\\\\n\n", "\\\\\n¤\n"));
        // Blank lines of spaces, several formulas: each gap found.
        let two = "$$\na\n    \nb\n$$\n\n$$\nc\n\n\nd\n$$\n";
        assert_eq!(marked(two), "$$\na\n¤\nb\n$$\n\n$$\nc\n¤\n¤\nd\n$$\n");
        let quoted = "> [!note]\n> $$\n> a\n>\n> b\n> $$\n";
        assert_eq!(marked(quoted), "> [!note]\n> $$\n> a\n>¤\n> b\n> $$\n");
        // No closing `$$`, a fence before it, or none to fill: as written;
        // so is a line of three `$$`, and a quote's formula the quote ends.
        for kept in [
            "$$ x $$ $$\n\ntext\n\n$$\n",
            "> [!note]\n> $$\n> a\n\n> b\n> $$\n",
            "$$\na\n\nb\n",
            "$$\na\n\n```\n$$\n```\n",
            "$$\na\n$$\n\n正文\n",
            "```\n$$\n\nx\n$$\n```\n",
            "价格 $$ 与\n\n另一段 $$\n",
        ] {
            assert_eq!(marked(kept), kept, "{kept:?}");
        }
    }
}
