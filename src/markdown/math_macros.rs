//! Macros as MathJax defines them: `\newcommand`, `\renewcommand` and
//! `\DeclareMathOperator` written as the `\def` the converter takes.

use super::math::closing_brace;

/// `\newcommand{\name}[2]{...}` and `\renewcommand` as `\def\name#1#2{...}`;
/// `None` when `tex` has neither. MathJax (Typora's renderer) defines a
/// macro with either, whether or not the name was taken; the converter
/// refuses `\newcommand` of a name it knows (`\R`, `\d`, a macro an
/// earlier formula of the note defined) and `\renewcommand` of one it does
/// not, but `\def` does both. One with a default for its first argument
/// (`[2][x]`, no `\def` form) is left as written. `\DeclareMathOperator`,
/// which the converter lacks, is written the same way (see [`operators`]).
pub(super) fn as_def(tex: &str) -> Option<String> {
    let ops = operators(tex);
    let tex = ops.as_deref().unwrap_or(tex);
    let found = definitions(tex);
    if found.is_empty() {
        return ops;
    }
    let mut out = String::with_capacity(tex.len());
    let mut done = 0;
    for (start, after) in found {
        if let Head::Def(head, used) = def_head(&tex[after..]) {
            out.push_str(&tex[done..start]);
            out.push_str(&head);
            done = after + used;
        }
    }
    out.push_str(&tex[done..]);
    Some(out)
}

/// `\DeclareMathOperator{\sgn}{sgn}` (amsmath's, which MathJax has) as
/// `\def\sgn{\operatorname{sgn}}`, and the starred form (limits set under
/// the name, as `\argmax`) with `\operatorname*`; `None` when there is none.
pub(super) fn operators(tex: &str) -> Option<String> {
    const NAME: &str = "\\DeclareMathOperator";
    if !tex.contains(NAME) {
        return None;
    }
    let mut out = String::with_capacity(tex.len() + 16);
    let (mut done, mut from) = (0, 0);
    while let Some(i) = tex[from..].find(NAME).map(|i| from + i) {
        from = i + NAME.len();
        if !is_command(&tex[..=i], &tex[from..]) {
            continue;
        }
        let rest = tex[from..].trim_start();
        let (star, rest) = match rest.strip_prefix('*') {
            Some(r) => ("*", r),
            None => ("", rest),
        };
        // The name as `\newcommand` has it, with no arguments.
        let Head::Def(head, used) = def_head(rest) else {
            continue;
        };
        let Some(open) = rest[used..].trim_start().strip_prefix('{') else {
            continue;
        };
        let Some(close) = closing_brace(open) else {
            continue;
        };
        let end = tex.len() - open.len() + close + 1;
        out.push_str(&tex[done..i]);
        out.push_str(&format!(
            "{head}{{\\operatorname{star}{{{}}}}}",
            &open[..close]
        ));
        done = end;
        from = end;
    }
    (done > 0).then(|| out + &tex[done..])
}

/// Where `tex` has `\newcommand` or `\renewcommand` (a command: not `\\`, a
/// line break, followed by the letters): (where its `\` is, where its name
/// and arguments start).
fn definitions(tex: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = tex[from..].find("newcommand").map(|i| from + i) {
        from = i + "newcommand".len();
        let before = tex[..i]
            .strip_suffix("re")
            .filter(|b| b.ends_with('\\'))
            .unwrap_or(&tex[..i]);
        if is_command(before, &tex[from..]) {
            found.push((before.len() - 1, from));
        }
    }
    found
}

/// Whether a name found in TeX, with `before` the text up to and with the
/// `\` before it and `after` the text after it, is that command: not
/// `\\newcommand` (a line break, then letters), not the start of a longer
/// name.
fn is_command(before: &str, after: &str) -> bool {
    let slashes = before.len() - before.trim_end_matches('\\').len();
    slashes % 2 == 1 && !after.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// Whether `tex` defines a macro with a default for its first argument
/// (`\newcommand{\f}[2][x]{...}`): the converter does not know that form,
/// and its failed try in the note's state leaves the name half defined for
/// the later formulas, so such a formula is converted on its own.
pub(super) fn defines_with_default(tex: &str) -> bool {
    definitions(tex)
        .into_iter()
        .any(|(_, after)| matches!(def_head(&tex[after..]), Head::WithDefault))
}

/// What follows `\newcommand`.
enum Head {
    /// The head of a `\def` (`\def\name#1#2`), and the bytes read.
    Def(String, usize),
    /// A definition with a default argument, which `\def` cannot say.
    WithDefault,
    /// Not a definition this reads.
    Other,
}

/// What follows `\newcommand`: `*`, the name (`{\name}` or `\name`) and the
/// argument count, read as a [`Head`].
fn def_head(s: &str) -> Head {
    match read_head(s) {
        Some(Some(head)) => Head::Def(head.0, head.1),
        Some(None) => Head::WithDefault,
        None => Head::Other,
    }
}

/// [`def_head`]'s reading: `Some(None)` for a definition with a default.
fn read_head(s: &str) -> Option<Option<(String, usize)>> {
    let t = s.trim_start();
    let t = t.strip_prefix('*').unwrap_or(t).trim_start();
    let (name, t) = match t.strip_prefix('{') {
        Some(inner) => {
            let close = inner.find('}')?;
            (inner[..close].trim(), &inner[close + 1..])
        }
        None => {
            let after = t.strip_prefix('\\')?;
            let end = match after.find(|c: char| !c.is_ascii_alphabetic()) {
                Some(0) => 1 + after.chars().next()?.len_utf8(),
                Some(n) => 1 + n,
                None => t.len(),
            };
            t.split_at(end)
        }
    };
    let bare = name.strip_prefix('\\')?;
    let word = !bare.is_empty() && bare.bytes().all(|b| b.is_ascii_alphabetic());
    if !(word || bare.chars().count() == 1) {
        return None;
    }
    let mut t = t.trim_start();
    let mut args = 0;
    if let Some(inner) = t.strip_prefix('[') {
        let close = inner.find(']')?;
        args = inner[..close]
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|&n| n <= 9)?;
        t = inner[close + 1..].trim_start();
        if t.starts_with('[') {
            return Some(None);
        }
    }
    let mut head = format!("\\def{name}");
    for n in 1..=args {
        head.push_str(&format!("#{n}"));
    }
    Some(Some((head, s.len() - t.len())))
}
