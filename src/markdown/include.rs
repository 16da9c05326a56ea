//! mdBook's code blocks: file includes inside them, `{{#include ../listings/a.rs}}`,
//! `{{#rustdoc_include a.rs:here}}` and `{{#playground a.rs}}`, a whole file,
//! a range of its lines (`:2`, `::10`, `:2:`, `:2:10`) or the lines between
//! its `ANCHOR: here` and `ANCHOR_END: here` comments.
//!
//! Books keep every listing in a file of its own, so a note is mostly these
//! lines (709 in the Rust book), shown as written they lose the code.
//! Reading the file is the caller's (the note's folder and the site's bounds
//! are not Markdown's business); this finds the directives and picks lines.
//! A `rustdoc_include` shows what mdBook shows before its "show hidden
//! lines" button is pressed: the chosen lines only.

use std::borrow::Cow;
use std::ops::Range;

/// The directives that put a file's text in place.
const NAMES: [&str; 3] = ["include", "rustdoc_include", "playground"];

/// A directive in a code block's text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Directive<'a> {
    /// Where it is, braces included (and the `\` that escapes it).
    pub(crate) at: Range<usize>,
    /// `path[:lines or anchor]` as written.
    pub(crate) spec: &'a str,
    /// `\{{#include x}}`: shown as written, without the `\`.
    pub(crate) escaped: bool,
}

/// Every directive in `text`, in order.
pub(crate) fn find(text: &str) -> Vec<Directive<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{#").map(|i| i + from) {
        from = i + 3;
        let Some(d) = directive_at(text, i) else {
            continue;
        };
        from = d.at.end;
        out.push(d);
    }
    out
}

fn directive_at(text: &str, i: usize) -> Option<Directive<'_>> {
    let rest = &text[i + 3..];
    let name_len = rest.find(|c: char| c.is_whitespace())?;
    if !NAMES.contains(&&rest[..name_len]) {
        return None;
    }
    let args = &rest[name_len..];
    let close = args.find("}}")?;
    let spec = args[..close].trim();
    // One line, and something to read.
    if spec.is_empty() || spec.contains('\n') {
        return None;
    }
    let escaped = i > 0 && text.as_bytes()[i - 1] == b'\\';
    let start = if escaped { i - 1 } else { i };
    Some(Directive {
        at: start..i + 3 + name_len + close + 2,
        spec,
        escaped,
    })
}

/// `spec`'s path, and what it picks after the first `:` (empty for all).
pub(crate) fn split(spec: &str) -> (&str, &str) {
    let spec = spec.split_whitespace().next().unwrap_or("");
    spec.split_once(':').unwrap_or((spec, ""))
}

/// The lines of `file` that `pick` (the part of a spec after its path)
/// chooses, as mdBook takes them: `None` for an anchor the file does not have.
pub(crate) fn select(file: &str, pick: &str) -> Option<String> {
    if pick.is_empty() {
        return Some(take(file.lines(), 0..usize::MAX));
    }
    match lines_of(pick) {
        Some(range) => Some(take(file.lines(), range)),
        None => anchored(file, pick),
    }
}

/// `2` (line 2), `:10` (up to 10), `2:` (from 2), `2:10`: 0-based and
/// end-exclusive; `None` if `pick` names an anchor.
fn lines_of(pick: &str) -> Option<Range<usize>> {
    let num = |s: &str| s.trim().parse::<usize>().ok();
    let (from, to) = match pick.split_once(':') {
        None => {
            let n = num(pick)?;
            (n, Some(n))
        }
        Some((a, b)) => {
            let from = if a.trim().is_empty() { 1 } else { num(a)? };
            let to = if b.trim().is_empty() {
                None
            } else {
                Some(num(b)?)
            };
            (from, to)
        }
    };
    Some(from.saturating_sub(1)..to.unwrap_or(usize::MAX))
}

fn take<'a>(lines: impl Iterator<Item = &'a str>, range: Range<usize>) -> String {
    let picked = lines.skip(range.start).take(range.len());
    picked.collect::<Vec<_>>().join("\n")
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without the
/// lines that mark other anchors (nested ones).
fn anchored(file: &str, name: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    let mut inside = false;
    for line in file.lines() {
        match (inside, marker(line)) {
            (false, Some((false, n))) if n == name => inside = true,
            (true, Some((true, n))) if n == name => return Some(out.join("\n")),
            (true, None) => out.push(line),
            _ => {}
        }
    }
    inside.then(|| out.join("\n"))
}

/// A line's anchor mark: (is it an end, the anchor's name). mdBook's
/// `ANCHOR: name`, or VitePress's `#region name` (`// #region`, `<!--
/// #region -->`, `#pragma region`).
fn marker(line: &str) -> Option<(bool, &str)> {
    const MARKS: [(&str, bool); 4] = [
        ("ANCHOR_END:", true),
        ("ANCHOR:", false),
        ("#endregion ", true),
        ("#region ", false),
    ];
    let (end, at) = MARKS
        .iter()
        .find_map(|&(m, end)| line.find(m).map(|i| (end, i + m.len())))?;
    let rest = line[at..].trim_start();
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (len > 0).then(|| (end, &rest[..len]))
}

/// `code` with each directive replaced by what `read` gives for its spec
/// (left as written when it gives nothing: the build reported why).
pub(crate) fn expand<'a>(code: &'a str, read: &dyn Fn(&str) -> Option<String>) -> Cow<'a, str> {
    if !code.contains("{{#") {
        return Cow::Borrowed(code);
    }
    let found = find(code);
    if found.is_empty() {
        return Cow::Borrowed(code);
    }
    let mut out = String::with_capacity(code.len());
    let mut last = 0;
    for d in found {
        out.push_str(&code[last..d.at.start]);
        let written = &code[d.at.start + usize::from(d.escaped)..d.at.end];
        match d.escaped {
            true => out.push_str(written),
            false => out.push_str(read(d.spec).as_deref().unwrap_or(written)),
        }
        last = d.at.end;
    }
    out.push_str(&code[last..]);
    Cow::Owned(out)
}

/// A Rust block without the lines rustdoc and mdBook hide (`# ` and a lone
/// `#`: the `fn main` around an example, its `use` lines), and with `##`
/// back to `#`, as mdBook shows it before "show hidden lines" is pressed.
/// Such a line is no Rust (an attribute is `#[`, `#!`), so notes that are
/// not books lose nothing by it.
pub(crate) fn hide_rust_lines<'a>(label: &str, code: Cow<'a, str>) -> Cow<'a, str> {
    let rust = ["rust", "rs"].iter().any(|l| label.eq_ignore_ascii_case(l));
    let hidden = |l: &str| {
        let t = l.trim_start();
        t == "#" || t.starts_with("# ") || t.starts_with("##")
    };
    if !rust || !code.lines().any(hidden) {
        return code;
    }
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let t = line.trim_start();
        let body = t.trim_end_matches(['\n', '\r']);
        if body == "#" || body.starts_with("# ") {
            continue;
        }
        match t.strip_prefix("##") {
            Some(rest) => {
                out.push_str(&line[..line.len() - t.len()]);
                out.push('#');
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "use std::io;\n// ANCHOR: here\nfn main() {\n    // ANCHOR: inner\n    let x = 1;\n    // ANCHOR_END: inner\n}\n// ANCHOR_END: here\n";

    #[test]
    fn finds_directives() {
        let d = find("a\n{{#include ../l/a.rs:here}}\n\\{{#include b.rs}} {{#title x}}");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].spec, "../l/a.rs:here");
        assert!(!d[0].escaped);
        assert_eq!(d[1].spec, "b.rs");
        assert!(d[1].escaped);
        assert!(find("{{#include }}").is_empty());
        assert!(find("{{#include a.rs").is_empty());
        assert_eq!(find("{{#rustdoc_include a.rs:2:5}}")[0].spec, "a.rs:2:5");
    }

    #[test]
    fn picks_lines_as_mdbook() {
        let f = "1\n2\n3\n4\n";
        assert_eq!(select(f, "").as_deref(), Some("1\n2\n3\n4"));
        assert_eq!(select(f, "2").as_deref(), Some("2"));
        assert_eq!(select(f, ":2").as_deref(), Some("1\n2"));
        assert_eq!(select(f, "2:").as_deref(), Some("2\n3\n4"));
        assert_eq!(select(f, "2:3").as_deref(), Some("2\n3"));
        assert_eq!(select(f, "9").as_deref(), Some(""));
    }

    #[test]
    fn picks_anchors_without_their_marks() {
        assert_eq!(
            select(FILE, "here").as_deref(),
            Some("fn main() {\n    let x = 1;\n}")
        );
        assert_eq!(select(FILE, "inner").as_deref(), Some("    let x = 1;"));
        assert_eq!(select(FILE, "gone"), None);
        // An anchor left open runs to the end of the file.
        assert_eq!(select("ANCHOR: a\nx\n", "a").as_deref(), Some("x"));
        // VitePress's regions.
        let js = "a\n// #region snippet\nb\n// #endregion snippet\nc\n";
        assert_eq!(select(js, "snippet").as_deref(), Some("b"));
    }

    #[test]
    fn expands_in_place() {
        let read = |spec: &str| (spec == "a.rs:2").then(|| "two".to_string());
        let code = "x\n{{#include a.rs:2}}\n{{#include gone.rs}}\n\\{{#include a.rs:2}}\n";
        assert_eq!(
            expand(code, &read),
            "x\ntwo\n{{#include gone.rs}}\n{{#include a.rs:2}}\n"
        );
        assert!(matches!(expand("plain", &read), Cow::Borrowed(_)));
    }

    #[test]
    fn hides_rustdoc_lines_in_rust_only() {
        let code =
            "# use std::io;\n# fn main() {\nlet x = 1;\n    ##[derive(Debug)]\n#[test]\n#\n# }\n";
        let shown = hide_rust_lines("rust", Cow::Borrowed(code));
        assert_eq!(shown, "let x = 1;\n    #[derive(Debug)]\n#[test]\n");
        assert_eq!(hide_rust_lines("python", Cow::Borrowed(code)), code);
        assert!(matches!(
            hide_rust_lines("rust", Cow::Borrowed("#[test]\nfn a() {}\n")),
            Cow::Borrowed(_)
        ));
    }
}
