//! An inline formula written with spaces inside its dollars:
//! `复杂度为 $ O(n\log n) $`. Typora draws it; CommonMark's math (and so
//! pulldown-cmark) wants no space there and shows the TeX. Before parsing,
//! each such space becomes a [`SPACE`], one character for one, so columns
//! stay the author's; [`super::stand_in`] turns them back in the formula. Only a
//! span that reads as TeX (a command, a script, or one short term such as
//! `O(1)`) is taken: prices (`$ 5 到 $ 10`), shell prompts (`$ ls $HOME`)
//! and variables (`$ PATH $`) stay text.

use super::stand_in::MATH_SPACE as SPACE;
use pulldown_cmark::{Event, Options};
use std::borrow::Cow;

/// `body` with the inner spaces of each spaced formula as [`SPACE`]s.
/// A span the parser does not then read as one formula, exactly (it runs
/// into a link's target, a table's `|`, a footnote, or braces that do not
/// pair up), is left as written, so no stand-in ever shows.
pub(crate) fn rewrite(body: &str, opts: Options) -> Cow<'_, str> {
    if !opts.contains(Options::ENABLE_MATH) || !body.contains("$ ") {
        return Cow::Borrowed(body);
    }
    let mut spans = Vec::new();
    let mut last_close = None;
    for (open, _) in body.match_indices("$ ") {
        // The `$` that closed one formula opens no other (`$f(x)$ = $g$`).
        if last_close.is_some_and(|c| open <= c) {
            continue;
        }
        if let Some(found) = span(body, open) {
            last_close = Some(found.1);
            spans.push(found);
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(body);
    }
    // Each pass drops the spans that did not parse as formulas (in code,
    // raw HTML or a display formula, none does); dropping one can change
    // how its neighbours parse, hence a few passes.
    for _ in 0..3 {
        if spans.is_empty() {
            break;
        }
        let (text, at) = with_spans(body, &spans);
        let formulas: std::collections::HashSet<(usize, usize)> =
            pulldown_cmark::Parser::new_ext(&text, opts)
                .into_offset_iter()
                .filter(|(e, _)| matches!(e, Event::InlineMath(_)))
                .map(|(_, r)| (r.start, r.end))
                .collect();
        let before = spans.len();
        let mut k = 0;
        spans.retain(|_| {
            k += 1;
            formulas.contains(&at[k - 1])
        });
        if spans.len() == before {
            return Cow::Owned(text);
        }
    }
    Cow::Borrowed(body)
}

/// `body` with the inner spaces of `spans` as [`SPACE`]s, and where each
/// span is in it (`$` to `$`, end exclusive).
fn with_spans(body: &str, spans: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(body.len() + 8 * spans.len());
    let mut at = Vec::with_capacity(spans.len());
    let mut pos = 0;
    for &(open, close) in spans {
        out.push_str(&body[pos..open]);
        let start = out.len();
        out.push('$');
        let inner = &body[open + 1..close];
        let lead = inner.len() - inner.trim_start_matches(' ').len();
        let trail = inner.len() - inner.trim_end_matches(' ').len();
        out.extend(std::iter::repeat_n(SPACE, lead));
        out.push_str(&inner[lead..inner.len() - trail]);
        out.extend(std::iter::repeat_n(SPACE, trail));
        out.push('$');
        at.push((start, out.len()));
        pos = close + 1;
    }
    out.push_str(&body[pos..]);
    (out, at)
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
    // Only as far as the next `$` or line end: a long line of `$ ` reads
    // each part once.
    let close = open + 1 + body[open + 1..].find(['$', '\n'])?;
    if b[close] != b'$' {
        return None;
    }
    let inner = &body[open + 1..close];
    let tex = inner.trim_matches(' ');
    let after = body[close + 1..].chars().next();
    let ok = !tex.is_empty()
        && b[close - 1] == b' '
        && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '$')
        && reads_as_tex(tex);
    ok.then_some((open, close))
}

/// A command (`\log`), a script (`x^2`, `a_i`, `e^{x}`; not the `_` of
/// `npm_install`), or one short term that is no number or word (`O(1)`,
/// `n`, `a+b`; not `PATH`): what prose between two dollars does not have.
fn reads_as_tex(s: &str) -> bool {
    let b = s.as_bytes();
    let command = b
        .windows(2)
        .any(|w| w[0] == b'\\' && w[1].is_ascii_alphabetic());
    let script = (0..b.len()).any(|i| {
        matches!(b[i], b'^' | b'_')
            && match b.get(i + 1) {
                Some(b'{') => true,
                Some(c) if c.is_ascii_alphanumeric() => {
                    !b.get(i + 2).is_some_and(u8::is_ascii_alphanumeric)
                }
                _ => false,
            }
    });
    let term = !s.contains(char::is_whitespace)
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && !s.chars().any(crate::search::is_cjk)
        && (s.chars().count() <= 2 || s.contains(['(', '+', '=', '<', '>', '*', '/', '\'', '!']));
    command || script || term
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(body: &str) -> String {
        let opts = Options::ENABLE_MATH | Options::ENABLE_WIKILINKS | Options::ENABLE_TABLES;
        rewrite(body, opts).replace(SPACE, "·")
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
        // Spaced formulas side by side in English prose.
        assert_eq!(
            marked("$ x $ or $ y $ both; $ a $ , $ b $.\n"),
            "$·x·$ or $·y·$ both; $·a·$ , $·b·$.\n"
        );
        // The one in a table cell, beside one that is not a formula.
        assert_eq!(
            marked("| $ x_1 $ | c |\n|---|---|\n"),
            "| $·x_1·$ | c |\n|---|---|\n"
        );
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
            // Between two formulas written without spaces, nothing is one.
            "向量 $\\mathbf{x}$ and $\\mathbf{y}$ 的内积\n",
            "$f(x)$ = $\\sin x$\n",
            // Variables and names.
            "变量 $ PATH $ 和 $ npm_install $\n",
            // Where the parser would take no formula: a link's target, a
            // table's `|`, braces that do not pair up, a link's title.
            "见 [[m#复杂度 $ O(n) $]]\n",
            "| $ a|b $ | c |\n|---|---|\n| d | e |\n",
            "$ \\frac{a}{ $ x\n",
            "[a](m.md \"t $ x_1 $\")\n",
        ] {
            assert_eq!(marked(body), body, "{body}");
        }
    }
}
