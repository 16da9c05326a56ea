//! VitePress's block syntax, which VuePress and Docusaurus share and notes
//! kept for those sites are full of, rewritten before parsing:
//!
//! - containers (`::: tip 标题` ... `:::`) into the Obsidian callouts they
//!   look like (`> [!tip] 标题`, each line of the content quoted), so the
//!   callout code draws them, with their colour, title and folding
//!   (`::: details` is a folded callout);
//! - `[[toc]]` alone on a line into Typora's `[TOC]` (else a wikilink to a
//!   note named `toc`).

use super::Syntax;
use pulldown_cmark::Options;
use std::borrow::Cow;

/// Container names and the callout type each is written as; other names
/// (`::: code-group`, `::: v-pre`) are left as written.
const KNOWN: &[&str] = &[
    "tip",
    "info",
    "note",
    "warning",
    "danger",
    "caution",
    "important",
    "details",
    "success",
    "error",
];

/// Containers nest at most this deep; a deeper opening line stays text
/// (each level quotes every line inside it once more).
const MAX_DEPTH: usize = 8;

/// Where the rewrite moved the note's lines, by line of the rewritten text.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Moves {
    /// (line, characters added before the text the author wrote on it),
    /// for the lines whose text moved along them.
    pub shifts: Vec<(usize, isize)>,
    /// Lines the rewrite added (a blank line that ends a quote before a
    /// container), in order.
    pub inserted: Vec<usize>,
}

/// The note with its containers written as callouts and `[[toc]]` as
/// `[TOC]` (each when `syntax` has it on), and how its lines moved; the
/// note as it is when it has none.
pub(crate) fn rewrite<'b>(body: &'b str, syntax: &Syntax) -> (Cow<'b, str>, Moves) {
    let containers =
        syntax.containers && syntax.callouts && (body.starts_with(":::") || body.contains("\n:::"));
    let toc = syntax.toc && (body.contains("[[toc]]") || body.contains("[[TOC]]"));
    if !containers && !toc {
        return (Cow::Borrowed(body), Moves::default());
    }
    let src = Source::new(body, syntax.options(), containers);
    let mut out = String::with_capacity(body.len() + body.len() / 8);
    let mut moves = Moves::default();
    // The colons of each open container's marker, outermost first.
    let mut open: Vec<usize> = Vec::new();
    let mut found = false;
    // The rewritten text's line, and whether the last one was quoted deeper
    // than the open containers (a quote a container must not continue).
    let (mut row, mut quoted) = (0, false);
    for (k, &(_, line)) in src.lines.iter().enumerate() {
        let text = text_of(line);
        let quote = "> ".repeat(open.len());
        let prose = src.prose(k);
        let toc_line = toc
            && prose
            && text.trim().eq_ignore_ascii_case("[[toc]]")
            && src.blank(k.checked_sub(1))
            && src.blank(Some(k + 1));
        match src.marker(k) {
            _ if toc_line => {
                found = true;
                out.push_str(&quote);
                out.push_str("[TOC]");
            }
            Some(Marker::Close(colons)) if open.last().is_some_and(|&c| colons >= c) => {
                open.pop();
                out.push_str(quote[..2 * open.len()].trim_end());
            }
            Some(Marker::Open {
                colons,
                kind,
                title,
            }) if open.len() < MAX_DEPTH => {
                found = true;
                if quoted {
                    // `> 引文` just before: a blank line ends that quote.
                    out.push_str(quote.trim_end());
                    out.push('\n');
                    moves.inserted.push(row);
                    row += 1;
                }
                let moved = write_head(&mut out, &quote, kind, text, title);
                if moved != 0 {
                    moves.shifts.push((row, moved));
                }
                open.push(colons);
            }
            _ => {
                if !open.is_empty() {
                    moves.shifts.push((row, quote.len() as isize));
                }
                out.push_str(&quote);
                out.push_str(text);
            }
        }
        quoted = prose && text.trim_start().starts_with('>');
        out.push_str(&line[text.len()..]);
        row += 1;
    }
    if !found {
        return (Cow::Borrowed(body), Moves::default());
    }
    (Cow::Owned(out), moves)
}

fn text_of(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

/// The note's lines as the author wrote them, and what they are.
struct Source<'b> {
    /// (byte offset, line with its line break).
    lines: Vec<(usize, &'b str)>,
    /// Code, math and raw HTML (see [`super::code_ranges`]).
    code: Vec<std::ops::Range<usize>>,
    containers: bool,
}

impl<'b> Source<'b> {
    fn new(body: &'b str, opts: Options, containers: bool) -> Source<'b> {
        let lines = body
            .split_inclusive('\n')
            .scan(0, |at, line| {
                let start = *at;
                *at += line.len();
                Some((start, line))
            })
            .collect();
        Source {
            lines,
            code: super::code_ranges(body, opts),
            containers,
        }
    }

    /// Line `k` is prose: its first character is in no code or HTML block.
    fn prose(&self, k: usize) -> bool {
        let Some(&(start, line)) = self.lines.get(k) else {
            return false;
        };
        let at = start + (line.len() - line.trim_start().len());
        !super::in_ranges(&self.code, at)
    }

    /// Line `k` as a container's opening or closing line.
    fn marker(&self, k: usize) -> Option<Marker<'b>> {
        let (_, line) = *self.lines.get(k)?;
        (self.containers && self.prose(k))
            .then(|| marker(text_of(line)))
            .flatten()
    }

    /// Line `k` is blank, a container's line, or not there: `[[toc]]` next
    /// to it is a paragraph of its own.
    fn blank(&self, k: Option<usize>) -> bool {
        let Some(k) = k.filter(|&k| k < self.lines.len()) else {
            return true;
        };
        self.lines[k].1.trim().is_empty() || self.marker(k).is_some()
    }
}

/// Writes a container's opening line as a callout's first line; returns
/// how far its title moved along the line (`text`, which `title` is a
/// slice of).
fn write_head(out: &mut String, quote: &str, kind: &str, text: &str, title: &str) -> isize {
    let folded = if kind == "details" { "-" } else { "" };
    let mut head = format!("{quote}> [!{kind}]{folded}");
    if title.is_empty() {
        out.push_str(&head);
        return 0;
    }
    head.push(' ');
    let title_at = title.as_ptr() as usize - text.as_ptr() as usize;
    let moved = head.chars().count() as isize - text[..title_at].chars().count() as isize;
    out.push_str(&head);
    out.push_str(title);
    moved
}

enum Marker<'a> {
    Open {
        colons: usize,
        kind: &'static str,
        title: &'a str,
    },
    Close(usize),
}

/// A container's opening line (`::: tip 标题`, `:::tip[标题]`) or closing
/// line (`:::`), at the start of a line.
fn marker(line: &str) -> Option<Marker<'_>> {
    let rest = line.trim_start_matches(':');
    let colons = line.len() - rest.len();
    if colons < 3 {
        return None;
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(Marker::Close(colons));
    }
    let name_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let name = rest[..name_end].to_ascii_lowercase();
    let kind = KNOWN.iter().find(|k| **k == name)?;
    let after = &rest[name_end..];
    let title = match after.strip_prefix('[') {
        // Docusaurus: `:::tip[标题]`.
        Some(t) => t.strip_suffix(']')?,
        None if after.is_empty() || after.starts_with(char::is_whitespace) => after,
        None => return None,
    };
    Some(Marker::Open {
        colons,
        kind,
        title: title.trim(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(s: &str) -> (String, Vec<(usize, isize)>) {
        let (out, moves) = rewrite(s, &Syntax::default());
        (out.into_owned(), moves.shifts)
    }

    #[test]
    fn toc_alone_on_a_line_is_typoras() {
        let s = "# T\n\n[[toc]]\n\n::: tip\n [[TOC]] \n:::\n\n见 [[toc]]。\n\n```\n[[toc]]\n```\n";
        assert_eq!(
            rw(s).0,
            "# T\n\n[TOC]\n\n> [!tip]\n> [TOC]\n\n\n见 [[toc]]。\n\n```\n[[toc]]\n```\n"
        );
        let off = Syntax {
            toc: false,
            ..Syntax::default()
        };
        assert_eq!(rewrite("[[toc]]\n", &off).0, "[[toc]]\n");
    }

    #[test]
    fn containers_become_callouts_line_for_line() {
        let (out, shifts) = rw("前文\n\n::: tip 提示\n这是 **提示**。\n\n- 一\n:::\n后文\n");
        assert_eq!(
            out,
            "前文\n\n> [!tip] 提示\n> 这是 **提示**。\n> \n> - 一\n\n后文\n"
        );
        assert_eq!(shifts, [(2, 1), (3, 2), (4, 2), (5, 2)]);
        assert_eq!(rw(":::warning\n小心\n:::").0, "> [!warning]\n> 小心\n");
        assert_eq!(
            rw("::: details 点击查看\n隐藏\n:::\n").0,
            "> [!details]- 点击查看\n> 隐藏\n\n"
        );
        assert_eq!(
            rw(":::tip[Docusaurus 的标题]\nx\n:::\n").0,
            "> [!tip] Docusaurus 的标题\n> x\n\n"
        );
    }

    #[test]
    fn nested_containers_need_more_colons_outside() {
        let (out, _) = rw(":::: danger 外\n::: info 内\n内容\n:::\n外面\n::::\n");
        assert_eq!(
            out,
            "> [!danger] 外\n> > [!info] 内\n> > 内容\n>\n> 外面\n\n"
        );
    }

    #[test]
    fn titles_are_found_where_they_are_written() {
        // Trailing spaces and `]` after a Chinese title (a slice in the
        // middle of a character panicked).
        for (line, title_col) in [
            ("::: tip 标题  ", 9),
            (":::tip[标题]", 8),
            ("::: tip [t](nope.md)  ", 9),
        ] {
            let note = format!("{line}\nx\n:::\n");
            let (out, moves) = rewrite(&note, &Syntax::default());
            let head = out.lines().next().unwrap();
            let title = head.split_once("] ").unwrap().1;
            // The title's column in the rewritten line, less how far it moved.
            let col = (head.chars().count() - title.chars().count() + 1) as isize;
            let moved = moves.shifts.iter().find(|s| s.0 == 0).map_or(0, |s| s.1);
            assert_eq!(col - moved, title_col, "{line}");
        }
    }

    #[test]
    fn a_quote_before_a_container_ends_there() {
        let (out, moves) = rewrite("> 引文\n::: warning q\ny\n:::\n", &Syntax::default());
        assert_eq!(out, "> 引文\n\n> [!warning] q\n> y\n\n");
        assert_eq!(moves.inserted, [1]);
        assert_eq!(moves.shifts, [(2, 1), (3, 2)]);
    }

    #[test]
    fn html_blocks_comments_and_code_spans_are_left_alone() {
        for s in [
            "<!--\n::: tip old\nx\n-->\n\nvisible\n",
            "<div>\n::: tip\nx\n:::\n</div>\n",
            "para\n\n    [[toc]]\n",
            "text\n[[toc]]\nmore\n",
            "`a\n[[toc]]\nb`\n",
        ] {
            assert_eq!(rw(s).0, s);
        }
    }

    #[test]
    fn nesting_stops_at_a_depth() {
        let deep = "::: tip\n".repeat(20_000);
        let (out, _) = rw(&deep);
        assert_eq!(out.matches("[!tip]").count(), MAX_DEPTH);
        assert!(out.len() < deep.len() * 3, "{}", out.len());
    }

    #[test]
    fn code_unknown_names_and_prose_stay() {
        for s in [
            "```md\n::: tip\nx\n:::\n```\n",
            "::: code-group\nx\n:::\n",
            "::: 这不是容器 :::\n",
            "::tip\n",
            ":::tipx\n",
        ] {
            assert_eq!(rw(s).0, s);
        }
        // A fence inside a container is quoted with it.
        let (out, _) = rw("::: tip\n```\n:::\n```\n:::\n");
        assert_eq!(out, "> [!tip]\n> ```\n> :::\n> ```\n\n");
    }
}
