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
/// (`::: v-pre`) are left as written.
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
    // Not a callout: its blocks are shown one after another, each titled.
    "code-group",
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

/// An open container: the colons of its marker, and what came before the
/// marker on its line (indentation in a list item, `> ` of a quote), which
/// each line inside it repeats before its own text.
struct Open<'b> {
    colons: usize,
    lead: &'b str,
    /// VitePress's `::: code-group`: its blocks stand as they are (titled
    /// by their `[title]`s), not quoted into a callout.
    bare: bool,
}

/// The note with its containers written as callouts and `[[toc]]` as
/// `[TOC]` (each when `syntax` has it on), and how its lines moved; the
/// note as it is when it has none.
pub(crate) fn rewrite<'b>(body: &'b str, syntax: &Syntax) -> (Cow<'b, str>, Moves) {
    let containers = syntax.containers && syntax.callouts && body.contains(":::");
    let toc = syntax.toc && (body.contains("[[toc]]") || body.contains("[[TOC]]"));
    let imports = syntax.containers && body.contains("<<<");
    if !containers && !toc && !imports {
        return (Cow::Borrowed(body), Moves::default());
    }
    let src = Source::new(body, syntax.options(), containers);
    let mut out = String::with_capacity(body.len() + body.len() / 8);
    let (mut moves, mut found) = (Moves::default(), false);
    // Outermost first.
    let mut open: Vec<Open> = Vec::new();
    // The rewritten text's line, and whether the last one was quoted deeper
    // than the open containers (a quote a container must not continue).
    let (mut row, mut quoted) = (0, false);
    for (k, &(_, line)) in src.lines.iter().enumerate() {
        let text = text_of(line);
        let (quote, rest) = inside(text, &open);
        let prose = src.prose(k);
        let (lead, body) = split_lead(rest);
        match src.marker(k, body) {
            _ if toc && src.toc_line(k, rest) => {
                found = true;
                out.push_str(&quote);
                out.push_str("[TOC]");
            }
            Some(Marker::Close(colons)) if open.last().is_some_and(|o| colons >= o.colons) => {
                // The `> ` this container gave each line is left out.
                let own = 2 * usize::from(!open.pop().is_some_and(|o| o.bare));
                out.push_str(quote[..quote.len() - own].trim_end());
                out.push_str(lead.trim_end());
            }
            Some(Marker::Open {
                colons,
                kind,
                title,
            }) if open.len() < MAX_DEPTH => {
                found = true;
                let head = format!("{quote}{lead}");
                let bare = kind == "code-group";
                if bare {
                    out.push_str(head.trim_end());
                } else {
                    // `> 引文` just before: a blank line ends that quote.
                    if quoted && !lead.contains('>') {
                        out.push_str(quote.trim_end());
                        out.push('\n');
                        moves.inserted.push(row);
                        row += 1;
                    }
                    let moved = write_head(&mut out, &head, kind, text, title);
                    moves.shifts.extend((moved != 0).then_some((row, moved)));
                }
                open.push(Open { colons, lead, bare });
            }
            _ => {
                let shift = 2 * open.iter().filter(|o| !o.bare).count() as isize;
                // The row of the author's text: an import's include line.
                let mut own = row;
                let fence = (imports && prose).then(|| super::code_import::import(body));
                if let Some(fence) = fence.flatten() {
                    found = true;
                    let at = format!("{quote}{lead}");
                    own = write_import(&mut out, &mut moves, row, &at, fence);
                    row = own + 1;
                } else {
                    out.push_str(&quote);
                    out.push_str(rest);
                }
                if shift > 0 {
                    moves.shifts.push((own, shift));
                }
            }
        }
        quoted = prose && rest.trim_start().starts_with('>');
        out.push_str(&line[text.len()..]);
        row += 1;
    }
    if !found {
        return (Cow::Borrowed(body), Moves::default());
    }
    (Cow::Owned(out), moves)
}

/// Writes an import line (`<<< ./a.c [c]`) as the fence it means around an
/// include, and returns the row of the include, the one line of the three
/// that is the author's (where a broken one is reported); the fence's
/// lines are the rewrite's.
fn write_import(
    out: &mut String,
    moves: &mut Moves,
    row: usize,
    at: &str,
    (info, spec): (String, String),
) -> usize {
    out.push_str(&format!(
        "{at}```{info}\n{at}{{{{#include {spec}}}}}\n{at}```"
    ));
    moves.inserted.extend([row, row + 2]);
    row + 1
}

/// A line inside the `open` containers: what it is written after (each
/// container's lead, as far as the line repeats it, then `> `), and the
/// rest of its text.
fn inside<'t>(text: &'t str, open: &[Open]) -> (String, &'t str) {
    let mut quote = String::new();
    let mut rest = text;
    for o in open {
        let mark = if o.bare { "" } else { "> " };
        if rest.trim().is_empty() {
            // A blank line stays inside the list item the container is in.
            quote.push_str(o.lead);
            quote.push_str(mark);
            rest = "";
            continue;
        }
        let n = common_lead(rest, o.lead);
        quote.push_str(&rest[..n]);
        quote.push_str(mark);
        rest = &rest[n..];
    }
    (quote, rest)
}

/// How much of `lead` (spaces, tabs and `>`) `text` starts with: a space of
/// the lead matches any blank, a `>` only a `>`.
fn common_lead(text: &str, lead: &str) -> usize {
    text.bytes()
        .zip(lead.bytes())
        .take_while(|&(t, l)| match l {
            b'>' => t == b'>',
            _ => t == b' ' || t == b'\t',
        })
        .count()
}

/// A line's indentation and quote marks (`  `, `> `), and the text after.
fn split_lead(text: &str) -> (&str, &str) {
    let body = text.trim_start_matches([' ', '\t', '>']);
    (&text[..text.len() - body.len()], body)
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
    /// The HTML blocks among them that a closing `:::` still ends.
    open_html: Vec<std::ops::Range<usize>>,
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
        let (code, open_html) = super::ranges::raw_ranges(body, opts);
        Source {
            lines,
            code,
            open_html,
            containers,
        }
    }

    /// Line `k` is prose: its first character is in no code or HTML block.
    fn prose(&self, k: usize) -> bool {
        self.first_char(k)
            .is_some_and(|at| !super::in_ranges(&self.code, at))
    }

    /// Where line `k`'s text starts.
    fn first_char(&self, k: usize) -> Option<usize> {
        let &(start, line) = self.lines.get(k)?;
        Some(start + (line.len() - line.trim_start().len()))
    }

    /// Line `k`'s `text` (after its lead) as a container's opening or
    /// closing line; in an HTML block that only a blank line ends
    /// (`</details>` and then `:::`), as a closing line only.
    fn marker<'t>(&self, k: usize, text: &'t str) -> Option<Marker<'t>> {
        if !self.containers {
            return None;
        }
        if self.prose(k) {
            return marker(text);
        }
        let at = self.first_char(k)?;
        let in_html = super::in_ranges(&self.open_html, at);
        marker(text).filter(|m| in_html && matches!(m, Marker::Close(_)))
    }

    /// Line `k` (its `text` after the containers' quotes) is `[[toc]]`
    /// alone, a paragraph of its own.
    fn toc_line(&self, k: usize, text: &str) -> bool {
        self.prose(k)
            && text.trim().eq_ignore_ascii_case("[[toc]]")
            && self.blank(k.checked_sub(1))
            && self.blank(Some(k + 1))
    }

    /// Line `k` is blank, a container's line, or not there: `[[toc]]` next
    /// to it is a paragraph of its own.
    fn blank(&self, k: Option<usize>) -> bool {
        let Some(k) = k.filter(|&k| k < self.lines.len()) else {
            return true;
        };
        let line = self.lines[k].1;
        line.trim().is_empty() || self.marker(k, split_lead(text_of(line)).1).is_some()
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
    let name_end = match rest[name_end..].strip_prefix("-group") {
        Some(_) if name_end == 4 => name_end + "-group".len(),
        _ => name_end,
    };
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
    fn a_closing_line_right_after_html_ends_the_container() {
        // `</details>` and then `:::`: CommonMark reads the `:::` into the
        // HTML block; VitePress ends the container there.
        let (out, _) =
            rw("::: tip\n<details>\n<summary>例</summary>\n\n正文\n\n</details>\n:::\n## 后面\n");
        assert_eq!(
            out,
            "> [!tip]\n> <details>\n> <summary>例</summary>\n> \n> 正文\n> \n> </details>\n\n## 后面\n"
        );
        // A comment or `<pre>` runs to its own end: a `:::` there is its text.
        for raw in ["<!--\n:::\n-->\n", "<pre>\n:::\n</pre>\n"] {
            let (out, _) = rw(&format!("::: tip\n{raw}:::\n"));
            assert!(out.contains("> :::\n"), "{out}");
        }
        // No container open: the line stays in the HTML.
        assert_eq!(rw("<div>\n:::\n</div>\n").0, "<div>\n:::\n</div>\n");
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
    fn containers_in_list_items_and_quotes_keep_their_place() {
        let (out, moves) = rewrite(
            "1. 步骤\n\n   ::: tip 提示\n   内容\n\n       code\n   :::\n2. 下一步\n",
            &Syntax::default(),
        );
        assert_eq!(
            out,
            "1. 步骤\n\n   > [!tip] 提示\n   > 内容\n   > \n   >     code\n\n2. 下一步\n"
        );
        assert_eq!(moves.shifts, [(2, 1), (3, 2), (4, 2), (5, 2)]);
        let (out, _) = rw("> 引文\n> ::: warning\n> 小心\n>\n> :::\n> 后文\n");
        assert_eq!(out, "> 引文\n> > [!warning]\n> > 小心\n>> \n>\n> 后文\n");
        // A list item inside a container, and a container inside that item.
        let (out, _) = rw(":::: tip\n- 项\n\n  ::: info\n  x\n  :::\n::::\n");
        assert_eq!(out, "> [!tip]\n> - 项\n> \n>   > [!info]\n>   > x\n>\n\n");
        // An indented code block is code, not a container.
        let code = "text\n\n    ::: tip\n    x\n    :::\n";
        assert_eq!(rw(code).0, code);
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
            "::: v-pre\nx\n:::\n",
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

    #[test]
    fn code_groups_and_imports_become_titled_blocks() {
        let s = "::: code-group\n<<< ./a.c [c]\n```js [b.js]\nb\n```\n:::\n\n- a\n  <<< @/x.py\n";
        let (out, moves) = rewrite(s, &Syntax::default());
        assert_eq!(
            out,
            "\n```c [c]\n{{#include ./a.c}}\n```\n```js [b.js]\nb\n```\n\n\n- a\n  ```py [x.py]\n  {{#include @/x.py}}\n  ```\n"
        );
        // The include lines are the author's (1 and 8, counted from 0).
        assert_eq!(moves.inserted, [1, 3, 10, 12]);
        assert!(moves.shifts.is_empty());
    }
}
