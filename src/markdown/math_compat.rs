//! Commands MathJax (what Typora and Obsidian draw formulas with) knows and
//! the converter does not, written as the nearest thing it draws: a formula
//! with `\mbox{...}` or `\large` was shown as TeX in a code box. Used only
//! for a formula that failed as written.

/// Command names read as another command (`\mbox` is `\text`).
const RENAMED: &[(&str, &str)] = &[
    // MathJax draws the logos; their letters say the same.
    ("LaTeX", "\\text{LaTeX}"),
    ("TeX", "\\text{TeX}"),
    ("mbox", "\\text"),
    ("hbox", "\\text"),
    ("pmb", "\\boldsymbol"),
    ("dotsb", "\\cdots"),
    ("dotsm", "\\cdots"),
    ("dotsi", "\\cdots"),
    ("dotsc", "\\ldots"),
    ("dotso", "\\ldots"),
    // The nearest the converter draws: a narrower accent, the plain symbol.
    ("widetilde", "\\tilde"),
    ("smallsetminus", "\\setminus"),
    ("varpropto", "\\propto"),
    ("thicksim", "\\sim"),
    ("thickapprox", "\\approx"),
    ("widecheck", "\\check"),
    ("intop", "\\int"),
    ("centerdot", "\\cdot"),
    ("textperiodcentered", "\\cdot"),
    ("textbullet", "\\bullet"),
    ("shortmid", "\\mid"),
    ("shortparallel", "\\parallel"),
    ("textup", "\\text"),
    ("textnormal", "\\text"),
    ("textmd", "\\text"),
    ("mathnormal", "\\mathit"),
    ("mathbbm", "\\mathbb"),
];

/// Commands with a starred form (`\operatorname*`): a `*` after them is theirs.
const STARRED: &[&str] = &[
    "operatorname",
    "DeclareMathOperator",
    "tag",
    "hspace",
    "vspace",
    "begin",
    "end",
];

/// Large operators `\mathop{\sum}\limits` may stand for: then `\sum\limits`.
const LARGE_OPS: &[&str] = &[
    "sum",
    "prod",
    "coprod",
    "int",
    "oint",
    "bigcup",
    "bigcap",
    "bigsqcup",
    "bigvee",
    "bigwedge",
    "bigoplus",
    "bigotimes",
    "bigodot",
    "biguplus",
    "lim",
    "max",
    "min",
    "sup",
    "inf",
    "det",
    "gcd",
    "Pr",
    "limsup",
    "liminf",
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
    "clap",
    "mathllap",
    "mathrlap",
    "mathclap",
    "hfill",
    "hfil",
    "strut",
];

/// Commands whose first argument says only how to draw or where to link
/// what the second holds (`\enclose{circle}{x}`, `\href{url}{x}`): the
/// first goes, the second is drawn as it is.
const DROPPED_FIRST: &[&str] = &["enclose", "href", "style", "class", "cssId"];

/// Commands of text inside a formula, where MathJax shows `_` as written
/// (`\text{user_id}`) and the converter refuses it.
const TEXT: &[&str] = &[
    "text",
    "textrm",
    "textbf",
    "textit",
    "texttt",
    "textsf",
    "mbox",
    "hbox",
    "textup",
    "textnormal",
    "textmd",
];

mod typed;
use typed::{leading_tag, symbols, text_group};

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
    if let Some(moved) = leading_tag(tex) {
        return Some(rewrite(&moved).unwrap_or(moved));
    }
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
            // `\\`, `\{`: the escaped character stays with its backslash;
            // but `\*` is Hexo's way to keep a `*` from Markdown: a `*`.
            let n = after.chars().next().map_or(0, char::len_utf8);
            match after.starts_with('*') {
                true => {
                    out.push('*');
                    changed = true;
                }
                false => out.push_str(&rest[at..at + 1 + n]),
            }
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
                // `\mu*1` is `\mu` times 1: the converter read `\mu*` as a
                // starred command it does not know.
                if tail.starts_with('*') && !STARRED.contains(&name) {
                    out.push(' ');
                    changed = true;
                }
            }
        }
    }
    out.push_str(rest);
    match symbols(&out) {
        Some(with) => Some(with),
        None => changed.then_some(out),
    }
}

/// What `\name` (followed by `tail`) is written as, and how much of `tail`
/// that takes in.
fn command(name: &str, tail: &str) -> Option<(String, usize)> {
    if let Some(found) = text_or_lines(name, tail) {
        return Some(found);
    }
    if let Some(found) = typed::var_lim(name, tail) {
        return Some(found);
    }
    if name == "textcircled" {
        return typed::textcircled(tail);
    }
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
    if name == "mathop" {
        return mathop(tail);
    }
    if matches!(name, "color" | "textcolor") {
        // `\color{#FF0000}`: MathJax takes an HTML colour where a name goes.
        let (inner, len) = group(tail)?;
        let hex = inner.trim().strip_prefix('#')?;
        let hex: String = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect(),
            6 => hex.to_string(),
            _ => return None,
        };
        hex.chars().all(|c| c.is_ascii_hexdigit()).then_some(())?;
        if name == "color" {
            return Some((format!("\\color[HTML]{{{hex}}}"), len));
        }
        // The converter takes `[HTML]` after `\color` only.
        let (text, more) = group(&tail[len..])?;
        return Some((format!("{{\\color[HTML]{{{hex}}}{{{text}}}}}"), len + more));
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
        if matches!(env, "eqnarray" | "eqnarray*") {
            // Its rows are `a &=& b`: three columns, right, centre, left.
            let with = if name == "begin" {
                "{array}{rcl}"
            } else {
                "{array}"
            };
            return Some((format!("\\{name}{with}"), len));
        }
        let (_, with) = ENVIRONMENTS.iter().find(|(e, _)| *e == env)?;
        let mut used = len;
        if name == "begin" && env.starts_with("alignat") {
            used += group(&tail[used..]).map_or(0, |g| g.1);
        }
        return Some((format!("\\{name}{{{with}}}"), used));
    }
    None
}

/// Text with a bare `_` (`\text{user_id}`: `\_` escaped), `\displaylines`
/// (its lines centred, as `gathered`), and [`DROPPED_FIRST`]'s first argument.
fn text_or_lines(name: &str, tail: &str) -> Option<(String, usize)> {
    if TEXT.contains(&name) {
        return text_group(name, tail);
    }
    if name == "displaylines" {
        let (inner, len) = group(tail)?;
        // What it holds is read here, so its own commands are rewritten too.
        let inner = rewrite(inner).unwrap_or_else(|| inner.to_string());
        return Some((format!("\\begin{{gathered}}{inner}\\end{{gathered}}"), len));
    }
    if DROPPED_FIRST.contains(&name) {
        // `\enclose{circle}[mathcolor=red]{x}`: the attributes go too.
        let used = group(tail)?.1;
        return Some((String::new(), used + optional_arg(&tail[used..])));
    }
    None
}

/// `\mathop{...}` followed by `\limits` (`\mathop{\arg\max}\limits_{\theta}`,
/// how notes put a subscript under argmax), which the converter refuses:
/// an operator with limits of its own (`\operatorname*`), or the large
/// operator itself (`\mathop{\sum}` is `\sum`). `\nolimits` goes.
fn mathop(tail: &str) -> Option<(String, usize)> {
    let (inner, len) = group(tail)?;
    let after = &tail[len..];
    let spaces = after.len() - after.trim_start().len();
    let after = &after[spaces..];
    let limits = ["\\limits", "\\displaylimits", "\\nolimits"]
        .into_iter()
        .find(|l| {
            after.starts_with(l) && !after[l.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
        })?;
    let used = len + spaces + limits.len();
    let op = inner.trim();
    // `\mathop{\rm lim}`: the old way to set a name upright.
    let inner = match op
        .strip_prefix("\\rm")
        .filter(|r| !r.starts_with(|c: char| c.is_ascii_alphabetic()))
    {
        Some(name) => name.trim(),
        None => inner,
    };
    if limits == "\\nolimits" {
        return Some((format!("\\mathop{{{inner}}}"), used));
    }
    match op.strip_prefix('\\').filter(|n| LARGE_OPS.contains(n)) {
        Some(_) => Some((format!("{op}\\limits"), used)),
        None => Some((format!("\\operatorname*{{{inner}}}"), used)),
    }
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
            (r"\mathop{\arg\max}\limits_x", r"\operatorname*{\arg\max}_x"),
            (r"\mathop{\sum} \limits_i", r"\sum\limits_i"),
            (r"\mathop{f}\nolimits_i", r"\mathop{f}_i"),
            (r"\color{#f00}{x}", r"\color[HTML]{ff0000}{x}"),
            (r"\textcolor{#00FF00}{x}y", r"{\color[HTML]{00FF00}{x}}y"),
            (r"\widetilde{A}", r"\tilde{A}"),
            (
                r"\varliminf\limits_{n \to \infty} f",
                r"\underset{n \to \infty}{\underline{\lim}} f",
            ),
            (r"\varlimsup_k g", r"\underset{k}{\overline{\lim}} g"),
            (r"\varliminf x", r"\underline{\lim} x"),
            (r"\textcircled{1} \textcircled{a}", r"\text{①} \text{ⓐ}"),
            (r"\textcircled{21} \textcircled{50}", r"\text{㉑} \text{㊿}"),
            (r"\mathop{\rm lim}\limits_x", r"\operatorname*{lim}_x"),
            (
                r"\begin{eqnarray*} a &=& b \end{eqnarray*}",
                r"\begin{array}{rcl} a &=& b \end{array}",
            ),
            (r"\text{user_id} = x_1", r"\text{user\_id} = x_1"),
            (r"\mbox{a_b\_c}", r"\text{a\_b\_c}"),
            (
                r"\displaylines{a \\ b}",
                r"\begin{gathered}a \\ b\end{gathered}",
            ),
            (r"\enclose{circle}{x} \href{https://a.com}{y}", r"{x} {y}"),
            (r"\enclose{circle}[mathcolor=red]{x}", r"{x}"),
            (
                r"\displaylines{\text{x_y} \\ c}",
                r"\begin{gathered}\text{x\_y} \\ c\end{gathered}",
            ),
            (r"\style{color:red}{x}\class{c}{y}", r"{x}{y}"),
            // Math inside text, as MathJax reads it.
            (
                r"d \ge 0, \text{等号成立当且仅当$x=y$时}",
                r"d \ge 0, \text{等号成立当且仅当}{x=y}\text{时}",
            ),
            (r"\text{$a_1$ 与 b_c}", r"{a_1}\text{ 与 b\_c}"),
            // A `*` after a command is a star, or Hexo's escaped `*`.
            (r"(\mu*1)(n) \rceil*m", r"(\mu *1)(n) \rceil *m"),
            (r"n\*m", "n*m"),
            // A tag before the rows it numbers.
            (
                r"\tag{1.1} \begin{align} a &= b \end{align}",
                r"\begin{align} a &= b \tag{1.1} \end{align}",
            ),
            (
                r"\tag{2.1}\begin{aligned} a \end{aligned}",
                r"\begin{aligned} a \end{aligned} \tag{2.1}",
            ),
            // Typed symbols the converter refuses.
            ("a ⊥b ⊤ ∅", r"a \perp b \top  \emptyset "),
            // Primes typed after `^`, and TeX's logos.
            ("Y_t^′ + Z^″", "Y_t' + Z''"),
            (r"\LaTeX{} 与 \TeX", r"\text{LaTeX}{} 与 \text{TeX}"),
        ] {
            assert_eq!(rewrite(tex).as_deref().unwrap_or(tex), read, "{tex}");
        }
        assert_eq!(rewrite(r"\frac{a}{b} \largex"), None);
        // Text without a bare `_`, or with an unpaired `$`, is left.
        assert_eq!(rewrite(r"\text{max\_len} \text{a $x_1}"), None);
        assert_eq!(rewrite(r"\unicode{x110000}"), None);
        assert_eq!(rewrite(r"\mathop{f}_i \color{red}{x} \color{#12}{x}"), None);
        // A full-width space is no TeX space (slicing around it panicked),
        // and a brace or backslash stays a character to draw.
        assert_eq!(
            rewrite("\\unicode\u{3000}{x263A} \\begin\u{3000}{smallmatrix}"),
            None
        );
        assert_eq!(rewrite(r"\unicode{x7B}\unicode{x5C}frac12"), None);
    }
}
