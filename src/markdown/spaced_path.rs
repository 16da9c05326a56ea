//! A link or image to a file whose name has spaces, written as it is:
//! `![截图](assets/截屏2021-03-04 下午3.20.png)`. Typora shows the picture
//! (macOS names screenshots with spaces, and Typora copies them as named);
//! CommonMark wants `<...>` around such a path and shows the line as text.
//! Before parsing, the path gets its angle brackets.

use pulldown_cmark::Options;
use std::borrow::Cow;

/// `body` with each such path written as `<path>`.
pub(crate) fn rewrite(body: &str, opts: Options) -> Cow<'_, str> {
    if !body.contains("](") {
        return Cow::Borrowed(body);
    }
    let mut prose = None;
    let mut out = String::new();
    let mut pos = 0;
    for (at, _) in body.match_indices("](") {
        let start = at + 2;
        if start < pos {
            continue;
        }
        // A path is short and on one line: looking no further keeps a long
        // line of `](` from being read again for each.
        let rest = &body[start..body.floor_char_boundary(start + 1024)];
        let Some(close) = destination(rest) else {
            continue;
        };
        let (path, title) = split_title(&rest[..close]);
        if !is_spaced_file(path) {
            continue;
        }
        // Only in prose, where the parser left it as text.
        let prose = prose.get_or_insert_with(|| super::prose_ranges(body, opts));
        if !super::in_ranges(prose, at) {
            continue;
        }
        out.push_str(&body[pos..start]);
        out.push('<');
        out.push_str(path);
        out.push('>');
        out.push_str(title);
        pos = start + close;
    }
    if pos == 0 {
        return Cow::Borrowed(body);
    }
    out.push_str(&body[pos..]);
    Cow::Owned(out)
}

/// Where the link's `)` is in `rest` (what follows its `](`): parentheses
/// inside are balanced, as CommonMark allows (`截图 (1).png`); `None` if
/// the line ends first.
fn destination(rest: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in rest.bytes().enumerate() {
        match b {
            b'\n' => return None,
            b'(' => depth += 1,
            b')' if depth == 0 => return Some(i),
            b')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A destination as its path and its title, if it ends with one:
/// `a b.png "标题"` is `a b.png` and ` "标题"`.
fn split_title(dest: &str) -> (&str, &str) {
    let title = dest
        .strip_suffix('"')
        .and_then(|d| d.rfind(" \""))
        .unwrap_or(dest.len());
    dest.split_at(title)
}

/// A relative path to a file (`dir/a b.png`, `a b.pdf#page=2`) with a space
/// in it, and nothing a link destination or title would have (`"title"`,
/// `<...>`, a URL).
fn is_spaced_file(path: &str) -> bool {
    let file = path.split(['#', '?']).next().unwrap_or(path);
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    let parens = |c| path.bytes().filter(|&b| b == c).count();
    path.contains(' ')
        && !path.starts_with(' ')
        && !path.ends_with(' ')
        && !path.contains(['<', '>', '"', '\''])
        && parens(b'(') == parens(b')')
        && !path.contains("://")
        && (1..=5).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(s: &str) -> String {
        rewrite(s, Options::empty()).into_owned()
    }

    #[test]
    fn spaced_file_paths_get_angle_brackets() {
        assert_eq!(
            rw("![截图](assets/截屏2021-03-04 下午3.20.png) 和 [文档](docs/my file.pdf)\n"),
            "![截图](<assets/截屏2021-03-04 下午3.20.png>) 和 [文档](<docs/my file.pdf>)\n"
        );
        for (md, out) in [
            ("![图](a b (1).png)", "![图](<a b (1).png>)"),
            ("![图](a b.png \"标题\")", "![图](<a b.png> \"标题\")"),
            (
                "[第二页](my file.pdf#page=2)",
                "[第二页](<my file.pdf#page=2>)",
            ),
            ("![图](assets\\a b.png)", "![图](<assets\\a b.png>)"),
        ] {
            assert_eq!(rw(md), out);
        }
        for same in [
            "![a](a.png \"title\")\n",
            "![a](<a b.png>)\n",
            "[a](https://x.com/a b.html)\n",
            "`![a](a b.png)`\n",
            "```\n![a](a b.png)\n```\n",
            "(见 [注](x) 说明 a.b)\n",
            "![a](a b)\n",
            "[a](b (c d.png))\n",
            "![a](a b.png \"unclosed)\n",
            "见 [注](x) 与 (a b.png)\n",
        ] {
            assert_eq!(rw(same), same);
        }
    }
}
