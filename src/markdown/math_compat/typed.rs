//! What notes type that MathJax reads and the converter does not: a
//! `\tag` before the rows it numbers, math inside `\text{}`, symbols typed
//! as characters. Used by [`super::rewrite`] on a formula that failed.

use super::{group, RENAMED};

/// `\tag{1.1}` written before the rows it numbers (`\tag{1.1}
/// \begin{align} … \end{align}`, which MathJax draws): put in the last row
/// of a numbered environment, or after anything else.
pub(super) fn leading_tag(tex: &str) -> Option<String> {
    let t = tex.trim_start();
    let after = t.strip_prefix("\\tag")?;
    let star = after.starts_with('*');
    let (inner, len) = group(&after[usize::from(star)..])?;
    let tag = format!("\\tag{}{{{inner}}}", if star { "*" } else { "" });
    let rest = after[usize::from(star) + len..].trim();
    let env = rest
        .strip_prefix("\\begin{")
        .and_then(|r| r.split_once('}'))
        .map(|(name, _)| name)
        .filter(|name| {
            let base = name.trim_end_matches('*');
            ["align", "equation", "gather", "multline", "flalign"].contains(&base)
        });
    let end = env.and_then(|name| rest.rfind(&format!("\\end{{{name}}}")));
    Some(match end {
        Some(at) if rest[at..].trim_end().ends_with('}') => {
            format!("{} {tag} {}", rest[..at].trim_end(), &rest[at..])
        }
        _ => format!("{rest} {tag}"),
    })
}

/// `\text{user_id}` with its `_` escaped, and `\text{当且仅当$x=y$时}`
/// (math inside text, as MathJax reads it) as `\text{当且仅当}{x=y}\text{时}`.
pub(super) fn text_group(name: &str, tail: &str) -> Option<(String, usize)> {
    let (inner, len) = group(tail)?;
    let name = RENAMED
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(name, |(_, w)| &w[1..]);
    let bare =
        |s: &str, i: usize| s.as_bytes()[i] == b'_' && (i == 0 || s.as_bytes()[i - 1] != b'\\');
    let escaped = |s: &str| {
        let mut text = String::with_capacity(s.len() + 4);
        for (i, c) in s.char_indices() {
            if c == '_' && bare(s, i) {
                text.push('\\');
            }
            text.push(c);
        }
        text
    };
    if !inner.contains('$') {
        (0..inner.len()).any(|i| bare(inner, i)).then_some(())?;
        return Some((format!("\\{name}{{{}}}", escaped(inner)), len));
    }
    let parts: Vec<&str> = inner.split('$').collect();
    if parts.len().is_multiple_of(2) {
        return None;
    }
    let mut out = String::with_capacity(inner.len() + 16);
    for (k, part) in parts.iter().enumerate() {
        match k % 2 {
            0 if part.is_empty() => {}
            0 => out.push_str(&format!("\\{name}{{{}}}", escaped(part))),
            _ => out.push_str(&format!("{{{part}}}")),
        }
    }
    Some((out, len))
}

/// Characters typed into a formula that the converter does not take, and
/// the commands that draw them (`a ⊥ b` is `a \perp b`).
const SYMBOLS: &[(char, &str)] = &[
    ('⊥', "\\perp"),
    ('⊤', "\\top"),
    ('∅', "\\emptyset"),
    ('√', "\\surd"),
    ('∠', "\\angle"),
    ('∡', "\\measuredangle"),
    ('∢', "\\sphericalangle"),
    ('∴', "\\therefore"),
    ('∵', "\\because"),
];

/// Primes typed as characters after a `^` (`Y_t^′`), which MathJax draws
/// as the prime and the converter refuses (a prime is already a
/// superscript): TeX's `'`.
const PRIMES: &[(&str, &str)] = &[("^′", "'"), ("^″", "''"), ("^‴", "'''")];

/// `tex` with the characters of [`SYMBOLS`] as their commands, and
/// [`PRIMES`] as TeX writes them.
pub(super) fn symbols(tex: &str) -> Option<String> {
    let primed = PRIMES.iter().any(|(p, _)| tex.contains(p));
    if !primed && !tex.contains(|c| SYMBOLS.iter().any(|(s, _)| *s == c)) {
        return None;
    }
    let tex = PRIMES
        .iter()
        .fold(tex.to_string(), |t, (p, with)| t.replace(p, with));
    let mut out = String::with_capacity(tex.len() + 16);
    for c in tex.chars() {
        match SYMBOLS.iter().find(|(s, _)| *s == c) {
            // A space after it: `⊥b` must not become `\perpb`.
            Some((_, command)) => {
                out.push_str(command);
                out.push(' ');
            }
            None => out.push(c),
        }
    }
    Some(out)
}

/// amsmath's `\varliminf` and `\varlimsup`, with their limits below
/// (`\varliminf\limits_{n \to \infty}`) as MathJax draws them.
pub(super) fn var_lim(name: &str, tail: &str) -> Option<(String, usize)> {
    let line = match name {
        "varliminf" => "\\underline",
        "varlimsup" => "\\overline",
        _ => return None,
    };
    let op = format!("{line}{{\\lim}}");
    let rest = tail.trim_start();
    let limits = rest.strip_prefix("\\limits").unwrap_or(rest);
    let below = limits.trim_start().strip_prefix('_').and_then(|r| {
        let (inner, len) = group(r).or_else(|| {
            let c = r.trim_start().chars().next()?;
            let at = r.len() - r.trim_start().len();
            Some((&r[at..at + c.len_utf8()], at + c.len_utf8()))
        })?;
        Some((inner, tail.len() - r.len() + len))
    });
    Some(match below {
        Some((under, used)) => (format!("\\underset{{{under}}}{{{op}}}"), used),
        None => (op, 0),
    })
}

/// `\textcircled{1}` as the circled character (① to ㊿, Ⓐ, ⓐ), which
/// MathJax and KaTeX draw; `None` for what has none.
pub(super) fn textcircled(tail: &str) -> Option<(String, usize)> {
    let (inner, len) = group(tail)?;
    let inner = inner.trim();
    let c = match (inner.parse::<u32>(), inner.chars().next()) {
        (Ok(0), _) => '\u{24EA}',
        (Ok(n @ 1..=20), _) => char::from_u32(0x2460 + n - 1)?,
        (Ok(n @ 21..=35), _) => char::from_u32(0x3251 + n - 21)?,
        (Ok(n @ 36..=50), _) => char::from_u32(0x32B1 + n - 36)?,
        (_, Some(c @ 'A'..='Z')) if inner.len() == 1 => char::from_u32(0x24B6 + (c as u32 - 65))?,
        (_, Some(c @ 'a'..='z')) if inner.len() == 1 => char::from_u32(0x24D0 + (c as u32 - 97))?,
        _ => return None,
    };
    Some((format!("\\text{{{c}}}"), len))
}
