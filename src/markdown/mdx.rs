//! What MDX (Docusaurus, and `.mdx` notes) writes that a reader never sees:
//! `{/* truncate */}` comments, which showed as text (in 82 of one blog's
//! 87 posts, and as the whole description of 14 of its list cards), and the
//! `import`/`export` lines at a note's top. They go before parsing, as
//! Obsidian comments do (`typora::cut_out`): lines keep their numbers.

use pulldown_cmark::Options;
use std::borrow::Cow;

/// `body` without MDX comments (outside code) and leading imports.
pub(crate) fn rewrite(body: &str, opts: Options) -> Cow<'_, str> {
    let imports = leading_imports(body);
    let comments = match body.contains("{/*") {
        true => comments(body, opts),
        false => Vec::new(),
    };
    let cuts: Vec<_> = std::iter::once(0..imports)
        .filter(|r| !r.is_empty())
        .chain(comments)
        .collect();
    super::typora::cut_out(body, &cuts)
}

/// The length of the `import … from '…'` and `export …` lines (and blank
/// lines among them) a note starts with, as MDX writes them.
fn leading_imports(body: &str) -> usize {
    let mut end = 0;
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_end();
        let statement = (t.starts_with("import ")
            && (t.contains(" from '") || t.contains(" from \"") || t.starts_with("import '")))
            || t.starts_with("export const ")
            || t.starts_with("export default ");
        if !statement && !t.is_empty() {
            break;
        }
        at += line.len();
        if statement {
            end = at;
        }
    }
    end
}

/// Where `{/* … */}` comments are, outside code.
fn comments(body: &str, opts: Options) -> Vec<std::ops::Range<usize>> {
    let code = super::code_ranges(body, opts);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = body[from..].find("{/*").map(|i| from + i) {
        let Some(close) = body[open + 3..].find("*/}").map(|i| open + 3 + i + 3) else {
            break;
        };
        match super::in_ranges(&code, open) {
            true => from = open + 3,
            false => {
                found.push(open..close);
                from = close;
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(body: &str) -> String {
        rewrite(body, Options::empty()).into_owned()
    }

    #[test]
    fn comments_and_leading_imports_go_lines_stay() {
        assert_eq!(
            rw("开头\n\n{/* truncate */}\n\n正文 {/* 多\n行 */} 完\n"),
            "开头\n\n\n\n正文 \n 完\n"
        );
        assert_eq!(
            rw("import Tabs from '@theme/Tabs';\n\nimport X from \"y\"\nexport const a = 1;\n\n# 标题\n"),
            "\n\n\n\n\n# 标题\n"
        );
        // In code, later in the note, and prose that starts so: as written.
        for kept in [
            "```js\n{/* c */}\n```\n",
            "`{/* c */}`\n",
            "# A\n\nimport Tabs from '@theme/Tabs';\n",
            "import 语句很常见。\n",
            "{/* never closed\n",
        ] {
            assert_eq!(rw(kept), kept, "{kept:?}");
        }
    }
}
