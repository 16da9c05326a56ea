//! TeX formulas as MathML, at build time: browsers draw MathML Core
//! natively, so a page with math loads no script and no font.

use super::math_macros::{as_def, defines_with_default};
use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use std::collections::BTreeMap;

/// Deeper nesting than this is refused before conversion: the converter
/// recurses, and about a thousand levels overflow a worker thread's stack
/// (an abort, not an error). Real formulas stay far below it.
const MAX_DEPTH: usize = 100;

/// Longer formulas are refused, shown as their TeX: parts of the
/// converter take time quadratic in a formula's length (a run of `~`
/// spaces), and its MathML is some thirty times the TeX. Real ones stay far
/// below it (the longest `align` of 26,829 formulas in 40 sites: 7 KB).
const MAX_LEN: usize = 20_000;

/// More brackets left open than this are refused: the converter tries the
/// ways to pair them, in time doubling with each (`$((((…x$`, 94 bytes,
/// took 48 s). A formula leaves a few open at most (`[0, 1)` pairs).
const MAX_OPEN: usize = 12;

/// A converter made once per note: it numbers the note's equations in
/// order and remembers their `\label`s and macros, so `\eqref{eq1}` after
/// the equation reads `(1)`, as in Typora's MathJax.
pub struct Converter(LatexToMathML);

impl Converter {
    /// A converter with no macros defined yet: a macro a formula defines
    /// holds for the note's later formulas (the global group), as in
    /// MathJax, where `\newcommand` in one formula serves the whole page.
    pub fn new() -> Converter {
        Converter::with_macros(&BTreeMap::new())
    }

    /// A converter that knows the site's `math_macros` (checked when the
    /// config is read, see [`check_macros`]).
    pub(crate) fn with_macros(macros: &BTreeMap<String, String>) -> Converter {
        let config = MathCoreConfig {
            global_group: true,
            ..Default::default()
        };
        let converter = LatexToMathML::new(config, macro_list(macros));
        Converter(converter.unwrap_or_default())
    }

    /// `tex` as a `<math>` element (`display="block"` when `display`), or why not.
    pub fn to_mathml(&mut self, tex: &str, display: bool) -> Result<String, String> {
        refused(tex)?;
        let in_note = !defines_with_default(tex);
        let out = self
            .convert(tex, display, in_note)
            .or_else(|e| match as_def(tex).filter(|_| in_note) {
                // Kept for the note's later formulas, as MathJax keeps it.
                Some(def) => self.convert(&def, display, true).map_err(|_| e),
                None => Err(e),
            })
            // One that fails only after the note's others converts on its own.
            .or_else(|e| self.convert(tex, display, false).map_err(|_| e))
            .or_else(|e| match lenient(tex) {
                // Only when the formula as written fails: what converts stays as it was.
                Some(alt) if refused(&alt).is_ok() => {
                    self.convert(&alt, display, false).map_err(|_| e)
                }
                _ => Err(e),
            });
        out.map(|m| table_depth_as_style(&m))
    }

    /// `tex` converted with the note's numbering and labels (`in_note`), or alone.
    fn convert(&mut self, tex: &str, display: bool, in_note: bool) -> Result<String, String> {
        let mode = if display {
            MathDisplay::Block
        } else {
            MathDisplay::Inline
        };
        let mut run = |tex: &str| match in_note {
            true => self.0.convert_with_global_state(tex, mode),
            false => self.0.convert_with_local_state(tex, mode),
        };
        match run(tex) {
            Ok(r) => Ok(r.mathml),
            // `\tag` is only allowed inside a numbered environment, but
            // notes write it in plain `$$ ... \tag{1} $$`, as KaTeX allows,
            // also after an `aligned` or `cases` block.
            Err(_) if display && tex.contains("\\tag") && !numbered_environment(tex) => {
                let wrapped = format!("\\begin{{equation}}{tex}\\end{{equation}}");
                run(&wrapped).map(|r| r.mathml).map_err(|e| e.to_string())
            }
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The site's macros as the converter takes them: names without `\`.
fn macro_list(macros: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let name = |n: &str| n.trim().trim_start_matches('\\').to_string();
    macros.iter().map(|(n, d)| (name(n), d.clone())).collect()
}

/// Why the site's `math_macros` cannot be used, if they cannot.
pub(crate) fn check_macros(macros: &BTreeMap<String, String>) -> Result<(), String> {
    if let Some(n) = macros.keys().find(|n| {
        let n = n.trim().trim_start_matches('\\');
        n.is_empty() || !n.chars().all(|c| c.is_ascii_alphabetic())
    }) {
        return Err(format!(
            "math_macros: `{n}` is no command name; name each macro by letters, as `E` for \\E"
        ));
    }
    let list = macro_list(macros);
    match LatexToMathML::new(MathCoreConfig::default(), list.clone()) {
        Ok(_) => Ok(()),
        Err((e, at, _)) => {
            let (name, def) = list.get(at).cloned().unwrap_or_default();
            Err(format!("math_macros: `\\{name}: {def}` cannot be read ({e}); write it as TeX the formulas could use"))
        }
    }
}

/// Whether `tex` has an environment that is a display of its own (`align`,
/// `equation`), where a `\tag` belongs to a row: it cannot go inside
/// another, unlike `aligned` or `cases`, which stand inside a formula.
fn numbered_environment(tex: &str) -> bool {
    tex.match_indices("\\begin{").any(|(at, b)| {
        let name = tex[at + b.len()..].split('}').next().unwrap_or_default();
        matches!(
            name.trim_end_matches('*'),
            "equation" | "align" | "alignat" | "flalign" | "gather" | "multline" | "eqnarray"
        )
    })
}

/// The offset of the `}` that closes a group whose `{` came just before `s`.
pub(super) fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// What MathJax (Typora's renderer) accepts and the converter does not,
/// rewritten to what it draws the same (or nearly: see [`super::math_compat`]):
/// `split` as `aligned`, `\substack` as a matrix, and
/// `\label{..}` and `\require{..}` (equation references and extension
/// loading, which draw nothing) left out. `None` when there is none.
fn lenient(tex: &str) -> Option<String> {
    let compat = super::math_compat::rewrite(tex);
    let tex = compat.as_deref().unwrap_or(tex);
    if !["split}", "\\label{", "\\require{", "\\substack{"]
        .iter()
        .any(|k| tex.contains(k))
    {
        return compat;
    }
    let mut out = tex
        .replace("\\begin{split}", "\\begin{aligned}")
        .replace("\\end{split}", "\\end{aligned}");
    // `\substack{a \\ b}` stacks its lines as a matrix does (set small by
    // the subscript it stands in).
    while let Some(at) = out.find("\\substack{") {
        let open = at + "\\substack{".len();
        let Some(close) = closing_brace(&out[open..]) else {
            break;
        };
        let inner = format!(
            "\\begin{{matrix}}{}\\end{{matrix}}",
            &out[open..open + close]
        );
        out.replace_range(at..open + close + 1, &inner);
    }
    for command in ["\\label{", "\\require{"] {
        while let Some(at) = out.find(command) {
            let open = at + command.len();
            let Some(len) = out[open..].find('}') else {
                break;
            };
            out.replace_range(at..open + len + 1, "");
        }
    }
    Some(out)
}

/// `<mtable scriptlevel="0">` becomes `<mtable style="math-depth: 0">`: the
/// same in MathML Core (the attribute sets that CSS property), but the HTML
/// validator's MathML schema has no `scriptlevel` on tables.
fn table_depth_as_style(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len());
    let mut rest = mathml;
    while let Some(i) = rest.find("<mtable ") {
        out.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        out.push_str(&move_scriptlevel(&rest[i..tag_end]));
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    out
}

fn move_scriptlevel(tag: &str) -> String {
    const ATTR: &str = " scriptlevel=\"";
    let Some(a) = tag.find(ATTR) else {
        return tag.to_string();
    };
    let v_start = a + ATTR.len();
    let Some(v_len) = tag[v_start..].find('"') else {
        return tag.to_string();
    };
    let level = &tag[v_start..v_start + v_len];
    let without = format!("{}{}", &tag[..a], &tag[v_start + v_len + 1..]);
    let depth = format!("math-depth: {level}");
    match without.find(" style=\"") {
        Some(st) => format!("{}{depth}; {}", &without[..st + 8], &without[st + 8..]),
        None => {
            let close = without.len() - if without.ends_with("/>") { 2 } else { 1 };
            format!(
                "{} style=\"{depth}\"{}",
                &without[..close],
                &without[close..]
            )
        }
    }
}

impl Default for Converter {
    fn default() -> Self {
        Converter::new()
    }
}

/// Whether `$...$` at `range` of `body` is a formula. pulldown-cmark takes
/// any `$x$` with no space inside the dollars; prose and shell lines glue
/// dollars to words (`/$v/Python-$v.tar.xz`, `$HOME$PATH`): one glued to an
/// ASCII letter or digit on either side is text, unless what it holds
/// reads as TeX, as in `H$_2$O`, `10$^{-3}$` and `$n-1$pt`, which
/// Obsidian and Typora draw.
pub(crate) fn is_inline_math(body: &str, range: &std::ops::Range<usize>) -> bool {
    let before = body[..range.start].chars().next_back();
    let after = body[range.end..].chars().next();
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !glued(before) && !glued(after) {
        return true;
    }
    // As pandoc reads dollars: a closing one before a digit closes nothing
    // (`$0…$1`, a snippet's tab stops); and an operator alone makes no
    // formula of a pair glued on its left (`=A$1+B$1`, a spreadsheet's).
    if after.is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    let tex = body
        .get(range.start + 1..range.end.saturating_sub(1))
        .unwrap_or("");
    reads_as_tex(tex, glued(before))
}

/// TeX, not a shell variable or prose: ASCII without paths, emphasis or
/// code, with a command (`\alpha`), a script (`_2`, `^{-3}`, `x_i`), or an
/// operator between terms (`n-1`, `a+b`). `$HOME`, `JAVA_HOME`, `${x}`
/// and `1-` are none of these.
fn reads_as_tex(tex: &str, glued_left: bool) -> bool {
    let t = tex.trim();
    if t.is_empty()
        || t.contains(|c: char| !c.is_ascii() || matches!(c, '/' | '`' | '*' | '$' | '~'))
    {
        return false;
    }
    let b = t.as_bytes();
    let command =
        (0..b.len()).any(|i| b[i] == b'\\' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic));
    // A script: `_` or `^` before a brace, a digit, or one letter alone,
    // on one letter or a group (`x_i`, not `var_a`).
    let word_before = |i: usize| {
        b[..i]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_alphabetic())
            .count()
    };
    let script = (0..b.len()).any(|i| {
        matches!(b[i], b'_' | b'^')
            && word_before(i) <= 1
            && match (b.get(i + 1), b.get(i + 2)) {
                (Some(b'{' | b'0'..=b'9'), _) => true,
                (Some(c), next) => {
                    c.is_ascii_alphabetic() && !next.is_some_and(u8::is_ascii_alphanumeric)
                }
                (None, _) => false,
            }
    });
    let term =
        |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'}' | b')'));
    let operator =
        !glued_left && t.contains(['+', '-', '=', '<', '>']) && term(b.first()) && term(b.last());
    command || script || operator
}

/// Why the converter must not be given `tex`, if it must not: what would
/// take it too long or overflow its stack (an abort of the whole build).
fn refused(tex: &str) -> Result<(), String> {
    let (depth, open) = nesting(tex);
    if depth > MAX_DEPTH {
        return Err(format!("nested more than {MAX_DEPTH} levels deep"));
    }
    if open > MAX_OPEN {
        return Err(format!("more than {MAX_OPEN} brackets left open"));
    }
    match tex.len() > MAX_LEN {
        true => Err(format!("longer than {MAX_LEN} bytes")),
        false => Ok(()),
    }
}

/// How deeply groups nest in `tex` (braces, `\left`...`\right`,
/// environments, and commands whose argument is the next command, as in
/// `\sqrt\sqrt x`), and how many `(`, `[` and `\{` are left unclosed.
fn nesting(tex: &str) -> (usize, usize) {
    let (mut depth, mut max) = (0usize, 0usize);
    // Commands in a row, nothing but spaces between them.
    let mut chain = 0usize;
    let mut open = 0usize;
    let b = tex.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                let rest = &tex[i + 1..];
                if rest.starts_with("left") || rest.starts_with("begin") {
                    depth += 1;
                } else if rest.starts_with("right") || rest.starts_with("end") {
                    depth = depth.saturating_sub(1);
                }
                match rest.as_bytes().first() {
                    Some(b'{') => open += 1,
                    Some(b'}') => open = open.saturating_sub(1),
                    _ => {}
                }
                let name = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
                chain = if name > 0 { chain + 1 } else { 0 };
                max = max.max(depth + chain);
                i += 1 + name.max(1); // an escaped brace does not nest
                continue;
            }
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'(' | b'[' => open += 1,
            b')' | b']' => open = open.saturating_sub(1),
            // Scripts nest without braces too (`x^x^x` is refused anyway).
            b'^' | b'_' => max = max.max(depth + 1),
            _ => {}
        }
        if !b[i].is_ascii_whitespace() {
            chain = 0;
        }
        max = max.max(depth);
        i += 1;
    }
    (max, open)
}

#[cfg(test)]
mod tests {
    use super::super::math_macros::operators;
    use super::*;

    #[test]
    fn converts_inline_and_display_and_reports_errors() {
        let mut c = Converter::new();
        let m = c.to_mathml("E=mc^2", false).unwrap();
        assert!(m.starts_with("<math>") && m.contains("<msup>"), "{m}");
        let m = c.to_mathml(r"\sum_{i=1}^{n} i", true).unwrap();
        assert!(m.starts_with("<math display=\"block\">"), "{m}");
        let m = c.to_mathml(r"F = ma \tag{1}", true).unwrap();
        assert!(m.contains("(1)"), "{m}");
        assert!(c.to_mathml(r"\frac{1}{", false).is_err());
        assert!(c.to_mathml(r"\unknowncommand{x}", false).is_err());
    }

    #[test]
    fn table_script_level_moves_into_style() {
        assert_eq!(
            table_depth_as_style(
                r#"<math><mtable displaystyle="true" scriptlevel="0" style="width: 100%"><mtr/></mtable></math>"#
            ),
            r#"<math><mtable displaystyle="true" style="math-depth: 0; width: 100%"><mtr/></mtable></math>"#
        );
        assert_eq!(
            table_depth_as_style(r#"<mtable scriptlevel="1"><mtable>"#),
            r#"<mtable style="math-depth: 1"><mtable>"#
        );
        let m = Converter::new()
            .to_mathml(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", true)
            .unwrap();
        assert!(m.contains("<mtable") && !m.contains("scriptlevel"), "{m}");
    }

    #[test]
    fn what_mathjax_accepts_converts_too() {
        let mut c = Converter::new();
        for tex in [
            r"\begin{equation}\begin{split} a &= b \\ &= c \end{split}\end{equation}",
            r"E = mc^2 \label{eq:energy}",
            r"\require{cancel} x + y",
            r"\sum_{\substack{0 \le i \le m \\ 0 < j < n}} P(i, j)",
        ] {
            assert!(c.to_mathml(tex, true).is_ok(), "{tex}");
        }
        assert_eq!(lenient(r"\label{a} x \require{b}").as_deref(), Some(" x "));
        assert_eq!(lenient("x + y"), None);
        assert!(c.to_mathml(r"\label{unclosed x", true).is_err());
    }

    #[test]
    fn rewritten_formulas_are_held_to_the_nesting_limit() {
        let mut c = Converter::new();
        // Each became a `{` once: the converter overflowed its stack.
        assert!(c
            .to_mathml(&r"\unicode{x7B}".repeat(10_000), false)
            .is_err());
        assert!(c.to_mathml(r"\mbox{若} x", false).is_ok());
    }

    #[test]
    fn macros_are_defined_as_mathjax_defines_them() {
        assert_eq!(
            as_def(
                r"\newcommand{\R}{\mathbb{R}} \renewcommand\abs[1]{|#1|} \newcommand*{\x}[2]{#1#2}"
            )
            .as_deref(),
            Some(r"\def\R{\mathbb{R}} \def\abs#1{|#1|} \def\x#1#2{#1#2}")
        );
        // A default argument has no `\def` form; other text is kept.
        let opt = r"\newcommand{\f}[2][x]{#1#2} \newcommandx";
        assert_eq!(as_def(opt).as_deref(), Some(opt));
        assert_eq!(as_def("x + y"), None);
        for odd in [
            r"\newcommand",
            r"\newcommand中",
            r"\newcommand{",
            r"\newcommand{中x}{y}",
            r"\newcommand{\x}[",
            r"\newcommand\",
        ] {
            assert_eq!(as_def(odd).as_deref(), Some(odd), "{odd}");
        }
        let mut c = Converter::new();
        // `\R` and `\d` are the converter's own; a note redefines them.
        let m = c
            .to_mathml(r"\newcommand{\d}{\mathrm{d}} \int f \d x", true)
            .unwrap();
        let upright_d = "<mi mathvariant=\"normal\">d</mi>";
        assert!(m.contains(upright_d), "{m}");
        // Later formulas know the note's macros.
        let later = c.to_mathml(r"\d y", false).unwrap();
        assert!(
            later.contains(upright_d) && later.contains(">y<"),
            "{later}"
        );
        assert!(c
            .to_mathml(r"\newcommand{\R}{\mathbb{R}} x \in \R", false)
            .is_ok());
        // A default argument is beyond the converter: an error, and no
        // half-made definition left for later formulas to draw wrong.
        let pa = r"\newcommand{\pa}[2][x]{\frac{\partial #2}{\partial #1}}";
        assert!(c.to_mathml(pa, true).is_err());
        assert!(c.to_mathml(r"\pa[t]{f}", false).is_err());
        // amsmath's operators, starred or not, in later formulas too.
        assert_eq!(
            as_def(r"\DeclareMathOperator*{\argmax}{arg\,max} \DeclareMathOperator\Tr{Tr}")
                .as_deref(),
            Some(r"\def\argmax{\operatorname*{arg\,max}} \def\Tr{\operatorname{Tr}}")
        );
        for odd in [
            r"\DeclareMathOperator{\x}",
            r"\DeclareMathOperator{\x}{ab",
            r"\\DeclareMathOperator{\x}{y}",
        ] {
            assert_eq!(operators(odd), None, "{odd}");
        }
        let m = c
            .to_mathml(r"\DeclareMathOperator{\sgn}{sgn} \sgn x", false)
            .unwrap();
        assert!(m.contains("<mi>sgn</mi>"), "{m}");
        let later = c.to_mathml(r"\sgn(-1)", false).unwrap();
        assert!(later.contains("<mi>sgn</mi>"), "{later}");
        // `\\` (a line break) before the letters is no definition.
        assert_eq!(as_def(r"a \\newcommand{\R}{x}"), None);
        // Defined again with another meaning: the later one holds after it.
        c.to_mathml(r"\newcommand{\vv}{A}", false).unwrap();
        c.to_mathml(r"\newcommand{\vv}{B}", false).unwrap();
        let v = c.to_mathml(r"\vv", false).unwrap();
        assert!(v.contains(">B<"), "{v}");
    }

    #[test]
    fn dollars_glued_to_words_are_not_math() {
        let ok = |s: &str| {
            let a = s.find('$').unwrap();
            let b = s.rfind('$').unwrap() + 1;
            is_inline_math(s, &(a..b))
        };
        assert!(ok("质能方程 $E=mc^2$的"));
        assert!(ok("($x$)"));
        assert!(!ok("wget x/$v/Python-$v.tar.xz"));
        assert!(!ok("a$b$"));
        // Glued, but TeX: Obsidian and Typora draw these.
        for tex in [
            "H$_2$O",
            "10$^{-3}$",
            "Type II$_1$ 因子",
            "共 $n-1$pt",
            "x$\\alpha$y",
            "a$x_i$b",
        ] {
            assert!(ok(tex), "{tex}");
        }
        // Glued, and shell or prose.
        for text in [
            "echo $HOME$PATH",
            "echo $JAVA_HOME$x",
            "echo ${HOME}$x",
            "echo $1-$2",
            "=A$1+B$1",
            "echo $var_a$b",
            "| `x` $0\\end{aligned}\\right.$1 |",
            "**root 的$SHELL** 是 b$c",
            "价格$5，打折后$3",
        ] {
            assert!(!ok(text), "{text}");
        }
    }

    #[test]
    fn equations_are_numbered_through_the_note_and_referenced() {
        let mut c = Converter::new();
        let eq = |c: &mut Converter, tex: &str| c.to_mathml(tex, true).unwrap();
        let first = eq(&mut c, r"\begin{equation} a \label{eq:a} \end{equation}");
        let second = eq(&mut c, r"\begin{equation} b \end{equation}");
        assert!(
            first.contains(r#"id="eq:a""#) && first.contains("(1)"),
            "{first}"
        );
        assert!(second.contains("(2)"), "{second}");
        let see = c.to_mathml(r"\eqref{eq:a}", false).unwrap();
        assert!(see.contains(r##"<a href="#eq:a">(1)</a>"##), "{see}");
        // A macro defined again, as notes repeat them per formula, still converts.
        let nc = r"\newcommand{\vv}{\mathbf{v}} x = \vv";
        assert!(c.to_mathml(nc, false).is_ok());
        assert!(c.to_mathml(nc, false).is_ok());
    }

    #[test]
    fn what_ml_and_math_notes_write_as_mathjax_draws_it() {
        let mut c = Converter::new();
        for (tex, shows) in [
            (
                r"\begin{aligned} J &= \frac{1}{2m} \end{aligned}\tag{1}",
                "(1)",
            ),
            (
                r"\left\{\begin{array}{l} x=1 \\ y=2 \end{array}\right. \tag{2}",
                "(2)",
            ),
            (r"x = \begin{pmatrix} 1 \\ 2 \end{pmatrix} \tag{3}", "(3)"),
            (
                r"\hat\theta = \mathop{\arg\max}\limits_{\theta} P",
                "<munder>",
            ),
            (r"\mathop{\sum}\limits_{i=1}^{n} x_i", "<munderover>"),
            (r"\color{#FF0000}{x} + \textcolor{#00f}{y}", "#FF0000"),
            (r"\widetilde{x} \smallsetminus \varpropto", "<mover"),
        ] {
            let m = c.to_mathml(tex, true);
            assert!(m.as_ref().is_ok_and(|m| m.contains(shows)), "{tex}: {m:?}");
        }
        // In a display of its own, `\tag` belongs to a row, as in MathJax.
        assert!(c
            .to_mathml(r"\begin{align} a \end{align}\tag{1}", true)
            .is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut c = Converter::new();
        let deep = format!("{}x{}", r"\frac{".repeat(2000), "}{1}".repeat(2000));
        assert!(c.to_mathml(&deep, true).unwrap_err().contains("nested"));
        let left = format!("{}x{}", r"\left(".repeat(3000), r"\right)".repeat(3000));
        assert!(c.to_mathml(&left, false).is_err());
        let scripts = format!("{}x{}", "x^{".repeat(3000), "}".repeat(3000));
        assert!(c.to_mathml(&scripts, false).is_err());
        // A command whose argument is the next command nests as deep.
        for cmd in [r"\sqrt", r"\hat ", r"\mathbf", r"\displaystyle"] {
            let chain = format!("{}x", cmd.repeat(2000));
            assert!(
                c.to_mathml(&chain, true).unwrap_err().contains("nested"),
                "{cmd}"
            );
        }
        assert!(c
            .to_mathml(r"\sqrt\sqrt x + \alpha\beta\gamma", false)
            .is_ok());
    }

    #[test]
    fn formulas_that_would_take_too_long_are_refused() {
        let mut c = Converter::new();
        // Each bracket left open doubled the time.
        for open in ["(", "[", r"\\(", r"\{(", r"\\left("] {
            let f = format!("{}x", open.repeat(30));
            assert!(
                c.to_mathml(&f, false).unwrap_err().contains("left open"),
                "{open}"
            );
        }
        assert!(c.to_mathml("[0, 1) \\cup (2, 3]", false).is_ok());
        let long = format!("g{}", "~".repeat(30_000));
        assert!(c
            .to_mathml(&long, true)
            .unwrap_err()
            .contains("longer than"));
    }
}
