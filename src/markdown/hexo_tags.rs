//! Hexo's tag plugins in posts moved from a Hexo blog, which showed as
//! `{% ... %}` text (381 `asset_img` in one blog: none of its pictures):
//! `asset_img`, `asset_link` and `post_link` become Obsidian links, which
//! find a post's files in its asset folder (`post-a/pic.png` for
//! `post-a.md`) and a post by its file name; `codeblock` becomes a fence,
//! `note` a callout and `blockquote` a quote; `raw` marks go. Other tags
//! (a theme's own) are left as written. Lines keep their numbers.

use pulldown_cmark::Options;
use std::borrow::Cow;

/// `body` with the tags above rewritten, outside code.
pub(crate) fn rewrite(body: &str, opts: Options) -> Cow<'_, str> {
    if !body.contains("{%") {
        return Cow::Borrowed(body);
    }
    let code = super::code_ranges(body, opts);
    let mut out = String::with_capacity(body.len());
    let mut quote: Option<&str> = None;
    let mut fenced = false;
    let mut changed = false;
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        let eol = &line[text.len()..];
        let block = (!fenced || text.contains("endcodeblock"))
            .then(|| block_tag(text.trim()))
            .flatten()
            .filter(|_| !super::in_ranges(&code, start + text.len() - text.trim_start().len()));
        match block {
            Some(Block::Open(prefix)) => {
                match prefix.starts_with("```") {
                    true => fenced = true,
                    false => quote = Some("> "),
                }
                out.push_str(&prefix);
                changed = true;
            }
            Some(Block::Close(text)) => {
                match fenced {
                    true => fenced = false,
                    false => quote = None,
                }
                out.push_str(text);
                changed = true;
            }
            Some(Block::Raw) => changed = true,
            None => {
                if let Some(q) = quote {
                    out.push_str(q);
                }
                match (fenced, inline_tags(text, start, &code)) {
                    (false, Some(with)) => {
                        out.push_str(&with);
                        changed = true;
                    }
                    _ => out.push_str(text),
                }
                changed |= quote.is_some();
            }
        }
        out.push_str(eol);
    }
    match changed {
        true => Cow::Owned(out),
        false => Cow::Borrowed(body),
    }
}

enum Block<'a> {
    /// What the opening line becomes: a fence, or a callout's first line.
    Open(String),
    /// What the closing line becomes.
    Close(&'a str),
    /// `{% raw %}`, `{% endraw %}`: nothing.
    Raw,
}

/// A line that is only a block tag.
fn block_tag(line: &str) -> Option<Block<'static>> {
    let inner = line.strip_prefix("{%")?.strip_suffix("%}")?.trim();
    let (name, args) = inner.split_once(' ').unwrap_or((inner, ""));
    let args = args.trim();
    Some(match name {
        "codeblock" => {
            let lang = args
                .split_whitespace()
                .find_map(|a| a.strip_prefix("lang:"))
                .unwrap_or("");
            // Longer than a Markdown fence the block may hold.
            Block::Open(format!("`````{lang}"))
        }
        "endcodeblock" => Block::Close("`````"),
        "note" => {
            let kind = args
                .split_whitespace()
                .find(|a| !a.contains(':'))
                .unwrap_or("note");
            Block::Open(format!("> [!{kind}]"))
        }
        "blockquote" => Block::Open(match args.is_empty() {
            true => ">".to_string(),
            false => format!("> —— {}", unquote(args)),
        }),
        "endnote" | "endblockquote" => Block::Close(""),
        "raw" | "endraw" => Block::Raw,
        _ => return None,
    })
}

/// `line` with its inline tags as links, if it has one (outside code).
fn inline_tags(line: &str, start: usize, code: &[std::ops::Range<usize>]) -> Option<String> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut changed = false;
    while let Some(open) = rest.find("{%") {
        let Some(close) = rest[open..].find("%}").map(|c| open + c) else {
            break;
        };
        let offset = start + (line.len() - rest.len()) + open;
        let with = (!super::in_ranges(code, offset))
            .then(|| link(rest[open + 2..close].trim()))
            .flatten();
        match with {
            Some(with) => {
                out.push_str(&rest[..open]);
                out.push_str(&with);
                changed = true;
            }
            None => out.push_str(&rest[..close + 2]),
        }
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The Obsidian link an inline tag stands for.
fn link(inner: &str) -> Option<String> {
    let (name, args) = inner.split_once(' ')?;
    let args = words(args);
    let (target, title) = args.split_first()?;
    let title = title.join(" ");
    let bar = |t: &str| match t.is_empty() {
        true => String::new(),
        false => format!("|{}", t.replace(['|', ']'], " ")),
    };
    match name {
        "asset_img" | "asset_image" => {
            // Class names may come first: the file is the first with a dot.
            let at = args.iter().position(|a| a.contains('.'))?;
            let alt = args[at + 1..]
                .iter()
                .filter(|a| a.parse::<u32>().is_err())
                .cloned();
            Some(format!(
                "![[{}{}]]",
                args[at],
                bar(&alt.collect::<Vec<_>>().join(" "))
            ))
        }
        "asset_link" | "post_link" => {
            // `post_link`'s last word may be `true`/`false` (escape the title).
            let title = title.trim_end_matches(" true").trim_end_matches(" false");
            Some(format!("[[{target}{}]]", bar(title)))
        }
        "asset_path" => Some(target.to_string()),
        _ => None,
    }
}

/// Arguments as Hexo splits them: by spaces, `'a b'` and `"a b"` one.
fn words(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = args.trim();
    while !rest.is_empty() {
        let (word, next) = match rest.chars().next() {
            Some(q @ ('\'' | '"')) => match rest[1..].find(q) {
                Some(end) => (&rest[1..end + 1], &rest[end + 2..]),
                None => (rest, ""),
            },
            _ => rest.split_once(' ').unwrap_or((rest, "")),
        };
        out.push(word.to_string());
        rest = next.trim_start();
    }
    out
}

fn unquote(s: &str) -> String {
    words(s).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(body: &str) -> String {
        rewrite(body, Options::empty()).into_owned()
    }

    #[test]
    fn hexo_tags_become_what_they_show() {
        assert_eq!(
            rw("{% asset_img pic.png 图片 说明 %}\n"),
            "![[pic.png|图片 说明]]\n"
        );
        assert_eq!(
            rw("{% asset_img cls pic.png 300 '说明' %}\n"),
            "![[pic.png|说明]]\n"
        );
        assert_eq!(
            rw("见{% post_link post-b %}或{% post_link post-b '自定义 标题' %}。\n"),
            "见[[post-b]]或[[post-b|自定义 标题]]。\n"
        );
        assert_eq!(rw("{% asset_link a.pdf 文档 %}\n"), "[[a.pdf|文档]]\n");
        assert_eq!(
            rw("{% codeblock lang:java %}\nint a = 1;\n{% asset_img x.png %}\n{% endcodeblock %}\n"),
            "`````java\nint a = 1;\n{% asset_img x.png %}\n`````\n"
        );
        assert_eq!(
            rw("{% note info %}\n**提示**：内容\n{% endnote %}\n后文\n"),
            "> [!info]\n> **提示**：内容\n\n后文\n"
        );
        assert_eq!(
            rw("{% blockquote 鲁迅 %}\n引用\n{% endblockquote %}\n"),
            "> —— 鲁迅\n> 引用\n\n"
        );
        assert_eq!(rw("{% raw %}\n{{ x }}\n{% endraw %}\n"), "\n{{ x }}\n\n");
        // In code, and a theme's own tags, as written.
        assert_eq!(
            rw("{% codeblock %}\n```\nfoo\n```\n{% endcodeblock %}\n"),
            "`````\n```\nfoo\n```\n`````\n"
        );
        for kept in [
            "`{% asset_img a.png %}`\n",
            "{% youtube abc %}\n",
            "```\n{% note %}\n```\n",
        ] {
            assert_eq!(rw(kept), kept, "{kept:?}");
        }
    }
}
