//! Refuses a template nested deeper than Tera can parse: its parser and
//! renderer recurse once per nested block or bracket, with no limit, so 2000
//! nested `{% if %}` or 5000 nested parentheses overflowed the stack and
//! aborted biji (exit 134, no file named) instead of failing with an error.

/// Blocks (`if`, `for`, `block`, `macro`, `filter`) a template may nest, and
/// brackets an expression may: real templates nest a handful.
pub(crate) const MAX_NESTING: usize = 100;

const OPENS: &[&str] = &["if", "for", "block", "macro", "filter", "raw"];
const CLOSES: &[&str] = &[
    "endif",
    "endfor",
    "endblock",
    "endmacro",
    "endfilter",
    "endraw",
];

/// Where `text` first nests deeper than [`MAX_NESTING`]: (line, column, what).
pub(crate) fn too_deep(text: &str) -> Option<(usize, usize, &'static str)> {
    let mut blocks = 0usize;
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        let close = match text.as_bytes().get(start + 1) {
            Some(b'%') => "%}",
            Some(b'{') => "}}",
            _ => {
                at = start + 1;
                continue;
            }
        };
        let inner_start = start + 2;
        let end = text[inner_start..]
            .find(close)
            .map_or(text.len(), |e| inner_start + e);
        let inner = &text[inner_start..end];
        if let Some(k) = deep_brackets(inner) {
            return Some(place(text, inner_start + k, "brackets"));
        }
        if close == "%}" {
            let word = inner.trim_start_matches(['-', ' ', '\t', '\r', '\n']);
            let word = word.split(|c: char| !c.is_ascii_alphabetic()).next();
            if word.is_some_and(|w| OPENS.contains(&w)) {
                blocks += 1;
                if blocks > MAX_NESTING {
                    return Some(place(text, start, "blocks"));
                }
            } else if word.is_some_and(|w| CLOSES.contains(&w)) {
                blocks = blocks.saturating_sub(1);
            }
        }
        at = (end + 2).min(text.len());
    }
    None
}

/// The offset in `expr` where its brackets nest deeper than [`MAX_NESTING`].
fn deep_brackets(expr: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (k, c) in expr.char_indices() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(k);
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Line and column (from 1, in characters) of byte `offset` in `text`.
fn place(text: &str, offset: usize, what: &'static str) -> (usize, usize, &'static str) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |n| n + 1)..]
        .chars()
        .count()
        + 1;
    (line, column, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_place_too_deep() {
        let ok = "{% if a %}{{ (1 + (2)) }}{% endif %}".repeat(3);
        assert_eq!(too_deep(&ok), None);
        let deep_ifs = format!(
            "<p>\n{}x{}",
            "{% if true %}".repeat(MAX_NESTING + 1),
            "{% endif %}".repeat(MAX_NESTING + 1)
        );
        assert_eq!(
            too_deep(&deep_ifs),
            Some((2, 1 + 13 * MAX_NESTING, "blocks"))
        );
        // Siblings do not add up.
        let siblings = "{% if a %}{% endif %}".repeat(MAX_NESTING * 3);
        assert_eq!(too_deep(&siblings), None);
        let parens = format!("{{{{ {}1{} }}}}", "(".repeat(500), ")".repeat(500));
        assert_eq!(too_deep(&parens), Some((1, 4 + MAX_NESTING, "brackets")));
        assert_eq!(too_deep("{{ unclosed ((("), None);
        assert_eq!(too_deep("{-% {%- for x in y -%}"), None);
    }
}
