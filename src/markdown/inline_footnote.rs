//! Obsidian's (and Pandoc's) inline footnotes, `正文^[脚注的内容]`: rewritten
//! before parsing into a reference and a definition at the note's end, so
//! both passes number, link, check and search them as written footnotes.

use pulldown_cmark::{Event, Options, Parser, Tag};
use std::borrow::Cow;

/// A definition moved to the note's end: where its text now starts, and
/// where its `^[` was written (both byte offsets in the rewritten text), so
/// positions inside it are reported at the line the author wrote it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Moved {
    pub at: usize,
    pub len: usize,
    pub written: usize,
}

/// The note with its inline footnotes rewritten, and where each one went;
/// the note as it is when it has none (or when they would not parse as
/// footnotes once moved, such as after a code fence left open at the end).
pub(crate) fn rewrite(body: &str, opts: Options) -> (Cow<'_, str>, Vec<Moved>) {
    if !body.contains("^[") || !opts.contains(Options::ENABLE_FOOTNOTES) {
        return (Cow::Borrowed(body), Vec::new());
    }
    let prose = super::prose_ranges(body, opts);
    let in_text = |at: usize| super::in_ranges(&prose, at);
    let prefix = label_prefix(body);
    let mut out = String::with_capacity(body.len() + 64);
    let mut defs = Vec::new();
    let mut pos = 0;
    for (open, _) in body.match_indices("^[") {
        if open < pos || !in_text(open) {
            continue;
        }
        let Some(close) = closing_bracket(body, open + 2) else {
            continue;
        };
        let content = &body[open + 2..close];
        if content.trim().is_empty() || !ends_note(body[close + 1..].chars().next()) {
            continue;
        }
        out.push_str(&body[pos..open]);
        let written = out.len();
        out.push_str(&format!("[^{prefix}{}]", defs.len() + 1));
        defs.push((content, written));
        pos = close + 1;
    }
    if defs.is_empty() {
        return (Cow::Borrowed(body), Vec::new());
    }
    out.push_str(&body[pos..]);
    out.push_str("\n\n");
    let mut moved = Vec::with_capacity(defs.len());
    for (n, (content, written)) in defs.iter().enumerate() {
        out.push_str(&format!("[^{prefix}{}]: ", n + 1));
        moved.push(Moved {
            at: out.len(),
            len: content.len(),
            written: *written,
        });
        out.push_str(content);
        out.push('\n');
    }
    match all_defined(&out, opts, defs.len()) {
        true => (Cow::Owned(out), moved),
        false => (Cow::Borrowed(body), Vec::new()),
    }
}

/// The longest inline footnote, in bytes.
const MAX_NOTE: usize = 4096;

/// A label no footnote of the note uses: `inline-1`, `inline-2`, ... unless
/// the note writes `[^inline...` itself.
fn label_prefix(body: &str) -> String {
    let mut prefix = String::from("inline-");
    while body.contains(&format!("[^{prefix}")) {
        prefix.insert(0, '_');
    }
    prefix
}

/// The `]` that closes the bracket opened before `from`, on the same line,
/// past nested brackets, escapes and code spans.
fn closing_bracket(body: &str, from: usize) -> Option<usize> {
    let b = body.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    // An inline footnote is a sentence or two: looking no further keeps a
    // line of thousands of `^[` from being read thousands of times.
    let end = b.len().min(from + MAX_NOTE);
    while i < end {
        match b[i] {
            b'\n' | b'\r' => return None,
            b'\\' => i += 1,
            b'`' => {
                let run = b[i..].iter().take_while(|&&c| c == b'`').count();
                let fence = &body[i..i + run];
                let line_end = body[i..].find('\n').map_or(body.len(), |e| i + e);
                if let Some(end) = body[i + run..line_end].find(fence) {
                    i += run + end + run;
                    continue;
                }
                i += run - 1;
            }
            b'[' => depth += 1,
            b']' if depth == 0 => return Some(i),
            b']' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether what follows `^[...]` lets it be a footnote: not a regular
/// expression in prose (`^[0-9]+$`, `^[a-z]{3}`), a Typora superscript
/// (`x^[1]^`), a word going on (`^[abc]def`) or a link (`^[a](b)`).
fn ends_note(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(c) => !(c.is_ascii_alphanumeric() || "+*?{$^|(_[".contains(c)),
    }
}

/// Every rewritten footnote parses as a definition at the end (a code fence
/// or HTML block left open would have taken them in as text).
fn all_defined(text: &str, opts: Options, n: usize) -> bool {
    let found = Parser::new_ext(text, opts)
        .filter(|e| matches!(e, Event::Start(Tag::FootnoteDefinition(_))))
        .count();
    found >= n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Options {
        Options::ENABLE_FOOTNOTES | Options::ENABLE_MATH
    }

    fn rewritten(body: &str) -> String {
        rewrite(body, opts()).0.into_owned()
    }

    #[test]
    fn inline_notes_become_references_and_definitions() {
        let (out, moved) = rewrite("正文^[说明 **粗**]，又^[二]。\n", opts());
        assert_eq!(
            out,
            "正文[^inline-1]，又[^inline-2]。\n\n\n[^inline-1]: 说明 **粗**\n[^inline-2]: 二\n"
        );
        assert_eq!(&out[moved[0].at..moved[0].at + moved[0].len], "说明 **粗**");
        assert_eq!(moved[0].written, "正文".len());
    }

    #[test]
    fn brackets_code_and_escapes_inside_are_kept() {
        assert_eq!(
            rewritten("a^[见 [链接](b.md) 和 `x]` \\]]"),
            "a[^inline-1]\n\n[^inline-1]: 见 [链接](b.md) 和 `x]` \\]\n"
        );
    }

    #[test]
    fn what_is_no_footnote_stays() {
        for body in [
            "正则 ^[0-9]+$ 匹配数字",
            "正则 ^[a-z]{3}",
            "x^[1]^ 上标",
            "`^[a]` 代码",
            "```\n^[a]\n```\n",
            "$x^[a]$",
            "^[跨\n两行]",
            "空的^[ ]",
            "^[a][b] 引用式链接",
        ] {
            assert_eq!(rewritten(body), body, "{body}");
        }
    }

    #[test]
    fn a_note_is_looked_for_within_its_length_limit() {
        let long = format!("a^[{}]", "x".repeat(MAX_NOTE));
        assert_eq!(rewritten(&long), long);
        let fits = format!("a^[{}]", "x".repeat(MAX_NOTE - 1));
        assert!(rewritten(&fits).starts_with("a[^inline-1]"));
    }

    #[test]
    fn a_fence_left_open_keeps_the_note_as_written() {
        let body = "a^[b]\n\n```\ncode";
        assert_eq!(rewritten(body), body);
    }

    #[test]
    fn labels_never_clash_with_the_notes_own() {
        let out = rewritten("a[^inline-1] b^[c]\n\n[^inline-1]: d\n");
        assert!(out.contains("b[^_inline-1]"), "{out}");
    }
}
