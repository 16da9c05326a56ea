//! MkDocs Material's admonitions (and Markdown Preview Enhanced's, the
//! same syntax): `!!! note "标题"` over lines indented four spaces, `???`
//! folded, `???+` folded open. They were a line of text and a code block.
//! Each becomes an Obsidian callout before parsing, its lines quoted; lines
//! keep their numbers.

use super::admonition::{callout_head, line_end, push_quoted};
use super::fences::Fences;
use std::borrow::Cow;

/// Admonitions nest at most this deep; a deeper one stays as written.
const MAX_DEPTH: usize = 8;

/// `body` with each admonition as a callout, outside code.
pub(crate) fn rewrite(body: &str) -> Cow<'_, str> {
    if !(body.contains("!!! ") || body.contains("??? ") || body.contains("???+ ")) {
        return Cow::Borrowed(body);
    }
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    match admonitions(&lines, 0) {
        Some(out) => Cow::Owned(out),
        None => Cow::Borrowed(body),
    }
}

/// `lines` with their admonitions as callouts; `None` if they have none.
fn admonitions(lines: &[&str], depth: usize) -> Option<String> {
    let mut out = String::new();
    let mut fences = Fences::default();
    let mut changed = false;
    let mut i = 0;
    while i < lines.len() {
        // With no body, a line of prose (`!!! note 这里很重要`), as written.
        let block = (!fences.inside() && depth < MAX_DEPTH)
            .then(|| opening(lines[i]))
            .flatten()
            .map(|head| (head, block_end(lines, i + 1)))
            .filter(|&(_, end)| end > i + 1);
        let Some((head, end)) = block else {
            fences.code(lines[i].trim_end());
            out.push_str(lines[i]);
            i += 1;
            continue;
        };
        let inner: Vec<String> = lines[i + 1..end].iter().map(|l| dedent(l)).collect();
        let inner: Vec<&str> = inner.iter().map(String::as_str).collect();
        let text = admonitions(&inner, depth + 1).unwrap_or_else(|| inner.concat());
        out.push_str(&head);
        out.push_str(line_end(lines[i]));
        for line in text.split_inclusive('\n') {
            push_quoted(&mut out, line);
        }
        changed = true;
        i = end;
    }
    changed.then_some(out)
}

/// The callout line an admonition's first line stands for: `!!! tip "要点"`
/// is `> [!tip] 要点`, `??? note` is `> [!note]-`.
fn opening(line: &str) -> Option<String> {
    let t = line.trim_end();
    let (fold, rest) = [("!!! ", ""), ("???+ ", "+"), ("??? ", "-")]
        .into_iter()
        .find_map(|(mark, fold)| Some((fold, t.strip_prefix(mark)?)))?;
    let (kinds, title) = match rest.find('"') {
        Some(q) => (
            &rest[..q],
            rest[q..].strip_prefix('"')?.strip_suffix('"')?.to_string(),
        ),
        // Unquoted words are the title to Markdown Preview Enhanced
        // (`!!! note 注意`); MkDocs' `inline end` place the box.
        None => {
            let words = rest.split_whitespace().skip(1);
            let title: Vec<&str> = words.filter(|w| !["inline", "end"].contains(w)).collect();
            (rest, title.join(" "))
        }
    };
    let kind = kinds.split_whitespace().next()?;
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    (kind.chars().all(word) && !title.contains('"')).then(|| callout_head(kind, fold, &title))
}

/// The line after an admonition's body that starts at `from`: its lines
/// are indented four spaces (or a tab), with blank lines among them.
fn block_end(lines: &[&str], from: usize) -> usize {
    let mut end = from;
    for (j, line) in lines.iter().enumerate().skip(from) {
        if line.trim().is_empty() {
            continue;
        }
        if !(line.starts_with("    ") || line.starts_with('\t')) {
            break;
        }
        end = j + 1;
    }
    end
}

/// A line of the body without its indent.
fn dedent(line: &str) -> String {
    line.strip_prefix("    ")
        .or_else(|| line.strip_prefix('\t'))
        .unwrap_or_else(|| line.trim_start_matches([' ', '\t']))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn admonitions_are_callouts() {
        assert_eq!(
            rewrite("!!! note \"注意\"\n    明天开会。\n\n    - 一\n\n后文\n"),
            "> [!note] 注意\n> 明天开会。\n>\n> - 一\n\n后文\n"
        );
        assert_eq!(
            rewrite(
                "??? tip\n    折叠\n\n???+ warning \"\"\n    展开\n\n!!! example 例子\n    x\n"
            ),
            "> [!tip]-\n> 折叠\n\n> [!warning]+\n> 展开\n\n> [!example] 例子\n> x\n"
        );
        // Nested, and a fence inside the body stays in it.
        assert_eq!(
            rewrite("!!! info \"外\"\n    !!! danger\n        内\n    ```py\n    x\n    ```\n"),
            "> [!info] 外\n> > [!danger]\n> > 内\n> ```py\n> x\n> ```\n"
        );
        for kept in [
            "```\n!!! note\n    x\n```\n",
            "见 !!! note\n",
            "!!! note 这里很重要\n\n正文\n",
            "!!! 注意\n    x\n",
            "!!! \"只有标题\"\n",
            "!!! note \"a\"b\"\n",
        ] {
            assert_eq!(rewrite(kept), kept, "{kept:?}");
        }
    }
}
