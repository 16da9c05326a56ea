//! Commands MathJax (what Typora and Obsidian draw formulas with) knows and
//! the converter does not, written as the nearest thing it draws: a formula
//! with `\mbox{...}` or `\large` was shown as TeX in a code box. Used only
//! for a formula that failed as written.

/// Command names read as another command (`\mbox` is `\text`).
const RENAMED: &[(&str, &str)] = &[
    ("mbox", "\\text"),
    ("hbox", "\\text"),
    ("pmb", "\\boldsymbol"),
    ("dotsb", "\\cdots"),
    ("dotsm", "\\cdots"),
    ("dotsi", "\\cdots"),
    ("dotsc", "\\ldots"),
    ("dotso", "\\ldots"),
    ("varliminf", "\\underline{\\lim}"),
    ("varlimsup", "\\overline{\\lim}"),
];

/// Commands that change only size, overlap or a background, left out:
/// what they apply to is drawn as it is (`\large x` as `x`, `\rlap{x}` as
/// `{x}`); `[...]` after them and, for `\colorbox`, the colour go too.
const DROPPED: &[&str] = &[
    "tiny",
    "scriptsize",
    "footnotesize",
    "small",
    "normalsize",
    "large",
    "Large",
    "LARGE",
    "huge",
    "Huge",
    "rlap",
    "llap",
    "smash",
    "bbox",
    "colorbox",
];

/// Environments read as another (`smallmatrix` as `matrix`); the column
/// count after `alignat` goes.
const ENVIRONMENTS: &[(&str, &str)] = &[
    ("smallmatrix", "matrix"),
    ("alignat", "align"),
    ("alignat*", "align*"),
    ("alignedat", "aligned"),
];

/// `tex` with the commands above rewritten, or `None` if it has none.
pub(super) fn rewrite(tex: &str) -> Option<String> {
    let mut out = String::with_capacity(tex.len());
    let mut changed = false;
    let mut rest = tex;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        if len == 0 {
            // `\\`, `\{`: the escaped character stays with its backslash.
            let n = after.chars().next().map_or(0, char::len_utf8);
            out.push_str(&rest[at..at + 1 + n]);
            rest = &after[n..];
            continue;
        }
        let (name, tail) = after.split_at(len);
        match command(name, tail) {
            Some((with, used)) => {
                out.push_str(&with);
                rest = &tail[used..];
                changed = true;
            }
            None => {
                out.push_str(&rest[at..at + 1 + len]);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// What `\name` (followed by `tail`) is written as, and how much of `tail`
/// that takes in.
fn command(name: &str, tail: &str) -> Option<(String, usize)> {
    if let Some((_, with)) = RENAMED.iter().find(|(n, _)| *n == name) {
        return Some((with.to_string(), 0));
    }
    if DROPPED.contains(&name) {
        let mut used = optional_arg(tail);
        if name == "colorbox" {
            used += group(&tail[used..])?.1;
        }
        return Some((String::new(), used));
    }
    if name == "unicode" {
        // `\unicode{x263A}`, `\unicode{9786}`: the character itself.
        let (inner, len) = group(tail)?;
        let inner = inner.trim();
        let code = match inner.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => inner.parse().ok()?,
        };
        // Not a character TeX reads as markup (`\unicode{x7B}` is a brace
        // to draw, not a group to open).
        let c = char::from_u32(code).filter(|c| !c.is_control() && !"{}\\$&#^_%~".contains(*c))?;
        return Some((c.to_string(), len));
    }
    if name == "begin" || name == "end" {
        let (env, len) = group(tail)?;
        let (_, with) = ENVIRONMENTS.iter().find(|(e, _)| *e == env)?;
        let mut used = len;
        if name == "begin" && env.starts_with("alignat") {
            used += group(&tail[used..]).map_or(0, |g| g.1);
        }
        return Some((format!("\\{name}{{{with}}}"), used));
    }
    None
}

/// The length of a `[...]` at the start of `s` (0 if there is none).
fn optional_arg(s: &str) -> usize {
    match s.strip_prefix('[').and_then(|r| r.find(']')) {
        Some(close) => close + 2,
        None => 0,
    }
}

/// A `{...}` group at the start of `s` (after spaces): what is inside, and
/// its length with the spaces and braces.
fn group(s: &str) -> Option<(&str, usize)> {
    // TeX skips these before an argument (not a full-width space: it is
    // no space to TeX, and a character to slice around).
    let spaces = s.len() - s.trim_start_matches([' ', '\t', '\n', '\r']).len();
    let inner = s[spaces..].strip_prefix('{')?;
    let close = super::math::closing_brace(inner)?;
    Some((&inner[..close], spaces + close + 2))
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn mathjax_commands_become_what_the_converter_draws() {
        for (tex, read) in [
            (r"\mbox{a} b", r"\text{a} b"),
            (r"\large x", " x"),
            (r"\smash[b]{x}", "{x}"),
            (r"\colorbox{yellow}{x}", "{x}"),
            (r"\unicode{x263A} \unicode{9786}", "☺ ☺"),
            (r"a \dotsb b", r"a \cdots b"),
            (
                r"\begin{alignat}{2} a&=b \end{alignat}",
                r"\begin{align} a&=b \end{align}",
            ),
            (
                r"\begin{smallmatrix}a\\b\end{smallmatrix}",
                r"\begin{matrix}a\\b\end{matrix}",
            ),
            (r"\\large", r"\\large"),
        ] {
            assert_eq!(rewrite(tex).as_deref().unwrap_or(tex), read, "{tex}");
        }
        assert_eq!(rewrite(r"\frac{a}{b} \largex"), None);
        assert_eq!(rewrite(r"\unicode{x110000}"), None);
        // A full-width space is no TeX space (slicing around it panicked),
        // and a brace or backslash stays a character to draw.
        assert_eq!(
            rewrite("\\unicode\u{3000}{x263A} \\begin\u{3000}{smallmatrix}"),
            None
        );
        assert_eq!(rewrite(r"\unicode{x7B}\unicode{x5C}frac12"), None);
    }
}
