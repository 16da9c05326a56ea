//! An inline formula written with spaces inside its dollars:
//! `复杂度为 $ O(n\log n) $`. Typora draws it; CommonMark's math (and so
//! pulldown-cmark) wants no space there and shows the TeX. Before parsing,
//! each such space becomes a [`SPACE`], one character for one, so columns
//! stay the author's; [`restore`] turns them back in the formula. Only a
//! span that reads as TeX (a command, `^`, `_` or `{`, or one term such as
//! `O(1)`) is taken: prices (`$ 5 到 $ 10`) and shell prompts
//! (`$ ls $HOME`) stay text.

use pulldown_cmark::{CowStr, Event, Options};
use std::borrow::Cow;

/// A noncharacter: never in a note (one that has it is left as it is), and
/// no space to the parser.
const SPACE: char = '\u{FDD3}';

/// `body` with the inner spaces of each spaced formula as [`SPACE`]s.
pub(crate) fn rewrite(body: &str, opts: Options) -> Cow<'_, str> {
    if !opts.contains(Options::ENABLE_MATH) || !body.contains("$ ") || body.contains(SPACE) {
        return Cow::Borrowed(body);
    }
    let spans: Vec<(usize, usize)> = body
        .match_indices("$ ")
        .filter_map(|(at, _)| span(body, at))
        .collect();
    if spans.is_empty() {
        return Cow::Borrowed(body);
    }
    // Code, raw HTML and display formulas. Not inline formulas: to the
    // parser, `$ O(1) $，$ n $` has one, `$，$`, between the two meant.
    let code = super::code_ranges_but(body, opts, false);
    let mut out = String::with_capacity(body.len() + 8 * spans.len());
    let mut pos = 0;
    for (open, close) in spans {
        if open < pos || super::in_ranges(&code, open) {
            continue;
        }
        out.push_str(&body[pos..=open]);
        let inner = &body[open + 1..close];
        let lead = inner.len() - inner.trim_start_matches([' ', '\t']).len();
        let trail = inner.len() - inner.trim_end_matches([' ', '\t']).len();
        out.extend(std::iter::repeat_n(SPACE, lead));
        out.push_str(&inner[lead..inner.len() - trail]);
        out.extend(std::iter::repeat_n(SPACE, trail));
        pos = close;
    }
    if pos == 0 {
        return Cow::Borrowed(body);
    }
    out.push_str(&body[pos..]);
    Cow::Owned(out)
}

/// The opening and closing `$` of a spaced formula opened at `open`, if it
/// is one: one `$` each side, on one line, not glued to a word outside,
/// space inside at both ends, and TeX between.
fn span(body: &str, open: usize) -> Option<(usize, usize)> {
    let b = body.as_bytes();
    let before = body[..open].chars().next_back();
    if before.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | '\\')) {
        return None;
    }
    let line_end = body[open..].find('\n').map_or(body.len(), |e| open + e);
    let close = open + 1 + body[open + 1..line_end].find('$')?;
    let inner = &body[open + 1..close];
    let tex = inner.trim_matches([' ', '\t']);
    let after = body[close + 1..].chars().next();
    let ok = !tex.is_empty()
        && matches!(b[close - 1], b' ' | b'\t')
        && b[close - 1] != b'\\'
        && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '$')
        && reads_as_tex(tex);
    ok.then_some((open, close))
}

/// A command (`\log`), a script or a group, or one term that is no number
/// (`O(1)`, `n`): what prose between two dollars does not have.
fn reads_as_tex(s: &str) -> bool {
    let b = s.as_bytes();
    let term = !s.contains(char::is_whitespace)
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && !s.chars().any(crate::search::is_cjk);
    term || b.iter().any(|&c| matches!(c, b'^' | b'_' | b'{'))
        || b.windows(2)
            .any(|w| w[0] == b'\\' && w[1].is_ascii_alphabetic())
}

/// Whether [`rewrite`] changed `body`.
pub(crate) fn rewrote(body: &str) -> bool {
    body.contains(SPACE)
}

/// `event` with its formula's spaces back.
pub(crate) fn restore(event: Event<'_>) -> Event<'_> {
    match event {
        Event::InlineMath(t) if t.contains(SPACE) => {
            Event::InlineMath(CowStr::from(t.replace(SPACE, " ")))
        }
        e => e,
    }
}

/// `written` (a formula as the note has it) with its spaces back.
pub(crate) fn restored(written: &str) -> Cow<'_, str> {
    match written.contains(SPACE) {
        true => Cow::Owned(written.replace(SPACE, " ")),
        false => Cow::Borrowed(written),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(body: &str) -> String {
        rewrite(body, Options::ENABLE_MATH).replace(SPACE, "·")
    }

    #[test]
    fn spaced_formulas_lose_their_inner_spaces_to_the_parser() {
        assert_eq!(
            marked("复杂度为 $ O(n\\log n) $，其中 $ \\alpha $ 是学习率，$ x^2 $。\n"),
            "复杂度为 $·O(n\\log n)·$，其中 $·\\alpha·$ 是学习率，$·x^2·$。\n"
        );
        assert_eq!(
            marked("空间 $ O(1) $，$ n $ 个\n"),
            "空间 $·O(1)·$，$·n·$ 个\n"
        );
        assert_eq!(marked("($  a_i  $)\n"), "($··a_i··$)\n");
    }

    #[test]
    fn prices_prompts_code_and_formulas_stay() {
        for body in [
            "价格从 $ 5 涨到 $ 10\n",
            "价格 $ 5 $ 左右，$ 两 $\n",
            "运行 $ ls $HOME 看看\n",
            "`$ x^2 $`\n",
            "```\n$ x^2 $\n```\n",
            "$$ x^2 $$\n",
            "$$\na = \\text{ $ b^2 $ }\n$$\n",
            "a$ x^2 $b\n",
            "$ x^2\n$ y\n",
            "\\$ x^2 $\n",
        ] {
            assert_eq!(marked(body), body, "{body}");
        }
    }

    #[test]
    fn the_formula_gets_its_spaces_back() {
        let e = restore(Event::InlineMath(CowStr::from(format!(
            "{SPACE}x^2{SPACE}"
        ))));
        assert_eq!(e, Event::InlineMath(CowStr::from(" x^2 ")));
        assert_eq!(restored("$\u{FDD3}x$"), "$ x$");
    }
}
