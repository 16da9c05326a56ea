//! A link or image to a file whose name has spaces, written as it is:
//! `![截图](assets/截屏2021-03-04 下午3.20.png)`. Typora shows the picture
//! (macOS names screenshots with spaces, and Typora copies them as named);
//! CommonMark wants `<...>` around such a path and shows the line as text.
//! Before parsing, each space of the path becomes a [`SPACE`], one character
//! for one, so the column of everything after it on the line stays the
//! author's; [`super::stand_in`] turns them back in the link's destination.

use super::stand_in::PATH_SPACE as SPACE;
use pulldown_cmark::Options;
use std::borrow::Cow;

/// `body` with the spaces of each such path as [`SPACE`]s.
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
        out.extend(path.chars().map(|c| if c == ' ' { SPACE } else { c }));
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

    /// The rewrite, with its spaces shown as `_`.
    fn rw(s: &str) -> String {
        rewrite(s, Options::empty()).replace(SPACE, "_")
    }

    /// Where the parser finds no link after all, the text has its spaces.
    #[test]
    fn no_space_is_lost_where_no_link_is() {
        let md = "甲 a](b c.png) 乙\n";
        let mut used = super::super::stand_in::Used::default();
        let body = used.run(
            super::super::stand_in::Rewrite::PathSpaces,
            md.into(),
            |b| rewrite(b, Options::empty()),
        );
        let mut html = String::new();
        let events = pulldown_cmark::Parser::new(&body).filter_map(|e| used.restore(e));
        pulldown_cmark::html::push_html(&mut html, events);
        assert_eq!(html, "<p>甲 a](b c.png) 乙</p>\n");
    }

    #[test]
    fn spaced_file_paths_are_read_as_written() {
        assert_eq!(
            rw("![截图](assets/截屏2021-03-04 下午3.20.png) 和 [文档](docs/my file.pdf)\n"),
            "![截图](assets/截屏2021-03-04_下午3.20.png) 和 [文档](docs/my_file.pdf)\n"
        );
        for (md, out) in [
            ("![图](a b (1).png)", "![图](a_b_(1).png)"),
            ("![图](a b.png \"标题\")", "![图](a_b.png \"标题\")"),
            (
                "[第二页](my file.pdf#page=2)",
                "[第二页](my_file.pdf#page=2)",
            ),
            ("![图](assets\\a b.png)", "![图](assets\\a_b.png)"),
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
