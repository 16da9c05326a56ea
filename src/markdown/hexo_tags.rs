//! Hexo's tag plugins in posts moved from a Hexo blog, which showed as
//! `{% ... %}` text (381 `asset_img` in one blog: none of its pictures):
//! `asset_img`, `asset_link` and `post_link` become Obsidian links, which
//! find a post's files in its asset folder (`post-a/pic.png` for
//! `post-a.md`) and a post by its file name; `codeblock` becomes a fence,
//! `note` a callout and `blockquote` a quote; `raw` marks go. GitBook's
//! tags, in the same syntax, as GitBook draws them: `hint` a callout of its
//! style, each `tab` a callout titled with the tab's name, `embed` the
//! player or link, `code title=` the title of the fence that follows;
//! `content-ref` marks go (the link inside stays). Blocks nest. Other tags
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
    // Callouts and quotes open, each a `> ` before the lines inside.
    let mut depth = 0usize;
    let mut fenced = false;
    // A GitBook `code` tag's title, for the fence on a following line.
    let mut title: Option<String> = None;
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
                out.push_str(&"> ".repeat(depth));
                out.push_str(&prefix);
                match prefix.starts_with("```") {
                    true => fenced = true,
                    false => depth += 1,
                }
                changed = true;
            }
            Some(Block::Close(text)) => {
                match fenced {
                    true => fenced = false,
                    false => depth = depth.saturating_sub(1),
                }
                // A quote's blank line ends a callout nested in it.
                let line = "> ".repeat(depth) + text;
                out.push_str(line.trim_end());
                changed = true;
            }
            Some(Block::Line(with)) => {
                out.push_str(&"> ".repeat(depth));
                out.push_str(&with);
                changed = true;
            }
            Some(Block::Title(t)) => {
                title = Some(t);
                changed = true;
            }
            Some(Block::Raw) => changed = true,
            None => {
                out.push_str(&"> ".repeat(depth));
                let titled = (!fenced)
                    .then(|| titled_fence(text, title.take()?))
                    .flatten();
                match (fenced, titled.or_else(|| inline_tags(text, start, &code))) {
                    (false, Some(with)) => {
                        out.push_str(&with);
                        changed = true;
                    }
                    _ => out.push_str(text),
                }
                changed |= depth > 0;
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
    /// What the line becomes, with no block opened.
    Line(String),
    /// GitBook's `code title=`: a title for the next line's fence.
    Title(String),
    /// `{% raw %}`, `{% endraw %}` and other marks: nothing.
    Raw,
}

/// `line`, a fence's opening, with `title` (GitBook's `code title=`);
/// `None` if it opens no fence or has a title of its own.
fn titled_fence(line: &str, title: String) -> Option<String> {
    let (_, info) = super::fences::Fence::opening(line)?;
    (!info.contains("title=") && !title.is_empty())
        .then(|| format!("{line} title=\"{}\"", title.replace('"', "'")))
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
        "hint" => {
            let style = attr(args, "style");
            let kind = ["success", "warning", "danger"]
                .into_iter()
                .find(|k| style.as_deref() == Some(*k))
                .unwrap_or("info");
            Block::Open(format!("> [!{kind}]"))
        }
        "tab" => Block::Open(format!(
            "> [!tab] {}",
            attr(args, "title").unwrap_or_default()
        )),
        "embed" => {
            let url = attr(args, "url")?;
            Block::Line(
                match super::media::kind(&url).is_some() || is_video_site(&url) {
                    true => format!("![]({url})"),
                    false => format!("<{url}>"),
                },
            )
        }
        "code" => Block::Title(attr(args, "title").unwrap_or_default()),
        "endnote" | "endblockquote" | "endhint" | "endtab" => Block::Close(""),
        "raw" | "endraw" | "tabs" | "endtabs" | "content-ref" | "endcontent-ref" | "endcode"
        | "endembed" => Block::Raw,
        _ => return None,
    })
}

/// `line` with its inline tags as links, if it has one (outside code).
fn inline_tags(line: &str, start: usize, code: &[std::ops::Range<usize>]) -> Option<String> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut changed = false;
    while let Some(open) = rest.find("{%") {
        // `{%}` opens and closes nothing: the close comes after the open.
        let Some(close) = rest[open + 2..].find("%}").map(|c| open + 2 + c) else {
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

/// The value of GitBook's `name="value"` among a tag's arguments.
fn attr(args: &str, name: &str) -> Option<String> {
    let key = format!("{name}=");
    let at = args
        .match_indices(&key)
        .find(|(i, _)| *i == 0 || args[..*i].ends_with(char::is_whitespace))?
        .0;
    let rest = &args[at + key.len()..];
    let value = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default(),
        _ => rest.split_whitespace().next().unwrap_or_default(),
    };
    Some(value.to_string())
}

/// A page the theme shows as a player (`![](url)`).
fn is_video_site(url: &str) -> bool {
    super::media::youtube(url, "", None).is_some()
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

    #[test]
    fn tags_that_overlap_stay_text() {
        for kept in ["a {%} b\n", "{%}\n", "x {%%} {% y\n"] {
            assert_eq!(rw(kept), kept, "{kept:?}");
        }
    }

    #[test]
    fn gitbook_tags_become_what_they_show() {
        assert_eq!(
            rw("{% hint style=\"warning\" %}\n在**专家模式**下\n{% endhint %}\n"),
            "> [!warning]\n> 在**专家模式**下\n\n"
        );
        assert_eq!(
            rw("{% tabs %}\n{% tab title=\"Node 版\" %}\n```js\nx\n```\n{% endtab %}\n{% endtabs %}\n"),
            "\n> [!tab] Node 版\n> ```js\n> x\n> ```\n\n\n"
        );
        // Nested: a hint in a tab.
        assert_eq!(
            rw("{% tab title=\"A\" %}\n{% hint %}\n提示\n{% endhint %}\n正文\n{% endtab %}\n"),
            "> [!tab] A\n> > [!info]\n> > 提示\n>\n> 正文\n\n"
        );
        assert_eq!(
            rw("{% embed url=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\" %}\n{% embed url=\"https://github.com/a/b\" %}\n"),
            "![](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n<https://github.com/a/b>\n"
        );
        assert_eq!(
            rw("{% code title=\"main.py\" lineNumbers=\"true\" %}\n```python\nx\n```\n{% endcode %}\n"),
            "\n```python title=\"main.py\"\nx\n```\n\n"
        );
        assert_eq!(
            rw("{% content-ref url=\"a.md\" %}\n[a.md](a.md)\n{% endcontent-ref %}\n"),
            "\n[a.md](a.md)\n\n"
        );
    }
}
