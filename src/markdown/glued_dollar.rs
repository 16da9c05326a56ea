//! Dollars glued to words in prose (`root 的$SHELL`, `价格$5，后$3`) are
//! text, not a formula's (see [`super::math::is_inline_math`]); but the
//! parser pairs them first, and everything between two of them was taken
//! as the formula's TeX: bold, code, links and strikethrough there were
//! shown as written. Before parsing, each dollar of such a pair becomes a
//! [`DOLLAR`], one character for one (so columns stay the author's), which
//! the parser pairs with nothing; [`super::stand_in`] turns it back.

use super::math::is_inline_math;
use super::stand_in::DOLLAR;
use pulldown_cmark::{Event, Options, Parser};
use std::borrow::Cow;

/// Passes at most: masking a pair can let its closing dollar's neighbours
/// pair up anew, each such pair glued too.
const PASSES: usize = 8;

/// `body` with the dollars of each pair the parser would take for a formula
/// and [`is_inline_math`] refuses as [`DOLLAR`]s.
pub(crate) fn rewrite(body: &str, opts: Options) -> Cow<'_, str> {
    let math = opts.contains(Options::ENABLE_MATH) && body.contains('$');
    if !math || !may_glue(body) {
        return Cow::Borrowed(body);
    }
    let mut text = Cow::Borrowed(body);
    for _ in 0..PASSES {
        let refused: Vec<std::ops::Range<usize>> = Parser::new_ext(&text, opts)
            .into_offset_iter()
            .filter(|(e, r)| matches!(e, Event::InlineMath(_)) && !is_inline_math(&text, r))
            .map(|(_, r)| r)
            .collect();
        if refused.is_empty() {
            break;
        }
        // In one pass: replacing each in place moved the rest of the note
        // every time (a line of `$x$x…` took time quadratic in its length).
        let mut s = String::with_capacity(text.len() + 4 * refused.len());
        let mut from = 0;
        for at in refused.iter().flat_map(|r| [r.start, r.end - 1]) {
            s.push_str(&text[from..at]);
            s.push(DOLLAR);
            from = at + 1;
        }
        s.push_str(&text[from..]);
        text = Cow::Owned(s);
    }
    text
}

/// Whether a dollar of `body`, outside fenced code and code spans, touches
/// an ASCII letter or digit on one side and is not spaced on the other, as
/// a glued dollar is (`a$b`, `后$3`); the other notes (most: a shell
/// session's `$HOME` is in code) are not parsed again.
fn may_glue(body: &str) -> bool {
    let mut fences = super::fences::Fences::default();
    // Outside code spans: the pieces between backticks, every other one.
    body.lines().any(|line| {
        !fences.code(line) && line.contains('$') && line.split('`').step_by(2).any(glues)
    })
}

/// Whether `text` has a dollar glued as [`may_glue`] looks for.
fn glues(text: &str) -> bool {
    let b = text.as_bytes();
    let word = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let open = |c: Option<&u8>| c.is_some_and(|&c| !c.is_ascii_whitespace() && c != b'$');
    (0..b.len()).any(|i| {
        let (before, after) = (i.checked_sub(1).and_then(|j| b.get(j)), b.get(i + 1));
        b[i] == b'$' && ((word(before) && open(after)) || (word(after) && open(before)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(body: &str) -> String {
        let opts = Options::ENABLE_MATH | Options::ENABLE_STRIKETHROUGH;
        rewrite(body, opts).replace(DOLLAR, "¤")
    }

    #[test]
    fn glued_pairs_are_masked_and_formulas_stay() {
        assert_eq!(marked("**a$SHELL** b$c\n"), "**a¤SHELL** b¤c\n");
        assert_eq!(marked("价格$5，**打折** 后$3\n"), "价格¤5，**打折** 后¤3\n");
        assert_eq!(
            marked("公式 $x^2$ 和 ($y$) 与 $n$个\n"),
            "公式 $x^2$ 和 ($y$) 与 $n$个\n"
        );
        assert_eq!(marked("a$b and $x$ c\n"), "a$b and $x$ c\n");
        assert_eq!(marked("`a$b` 与 `c$d`\n"), "`a$b` 与 `c$d`\n");
        // A formula after a masked pair still is one.
        assert_eq!(marked("x$1 到 y$2，再 $z$\n"), "x¤1 到 y¤2，再 $z$\n");
        // In code the parser pairs none: such notes are not parsed again.
        assert!(!may_glue("```sh\necho a$b c$d\n```\n`x$y` 与 `$HOME`\n"));
        assert!(may_glue("```sh\nls\n```\n价格$5\n"));
    }
}
