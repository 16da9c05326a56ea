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
use pulldown_cmark::{Event, Options, Parser, Tag};
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

/// Where the rewrite moved text along its line: (line, characters added
/// before the text the author wrote on it), for the lines that moved.
pub(crate) type Shifts = Vec<(usize, isize)>;

/// The note with its containers written as callouts and `[[toc]]` as
/// `[TOC]` (each when `syntax` has it on), and the lines that moved; the
/// note as it is when it has none.
pub(crate) fn rewrite<'b>(body: &'b str, syntax: &Syntax) -> (Cow<'b, str>, Shifts) {
    let containers =
        syntax.containers && syntax.callouts && (body.starts_with(":::") || body.contains("\n:::"));
    let toc = syntax.toc && (body.contains("[[toc]]") || body.contains("[[TOC]]"));
    if !containers && !toc {
        return (Cow::Borrowed(body), Vec::new());
    }
    let code = code_ranges(body, syntax.options());
    let in_code = |at: usize| {
        let i = code.partition_point(|r| r.start <= at);
        i > 0 && code[i - 1].contains(&at)
    };
    let mut out = String::with_capacity(body.len() + body.len() / 8);
    let mut shifts = Vec::new();
    // The colons of each open container's marker, outermost first.
    let mut open: Vec<usize> = Vec::new();
    let mut found = false;
    let mut at = 0;
    for (n, line) in body.split_inclusive('\n').enumerate() {
        let start = at;
        at += line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        let prose = !in_code(start);
        let marker = (prose && containers).then(|| marker(text)).flatten();
        let quote = "> ".repeat(open.len());
        match marker {
            _ if toc && prose && text.trim().eq_ignore_ascii_case("[[toc]]") => {
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
                let folded = if kind == "details" { "-" } else { "" };
                let mut head = format!("{quote}> [!{kind}]{folded}");
                if !title.is_empty() {
                    head.push(' ');
                }
                let title_at = text.len() - title.len();
                let moved =
                    head.chars().count() as isize - text[..title_at].chars().count() as isize;
                if moved != 0 && !title.is_empty() {
                    shifts.push((n, moved));
                }
                out.push_str(&head);
                out.push_str(title);
                open.push(colons);
            }
            _ => {
                if !open.is_empty() {
                    shifts.push((n, quote.len() as isize));
                }
                out.push_str(&quote);
                out.push_str(text);
            }
        }
        out.push_str(&line[text.len()..]);
    }
    if !found {
        return (Cow::Borrowed(body), Vec::new());
    }
    (Cow::Owned(out), shifts)
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

/// The note's code blocks, in order: a `:::` line inside one is code.
fn code_ranges(body: &str, opts: Options) -> Vec<std::ops::Range<usize>> {
    Parser::new_ext(body, opts)
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(_))))
        .map(|(_, r)| r)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(s: &str) -> (String, Shifts) {
        let (out, shifts) = rewrite(s, &Syntax::default());
        (out.into_owned(), shifts)
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
