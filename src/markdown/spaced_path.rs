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
        let Some(close) = rest.find([')', '\n']) else {
            continue;
        };
        let path = &rest[..close];
        if !rest[close..].starts_with(')') || !is_spaced_file(path) {
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
        pos = start + close;
    }
    if pos == 0 {
        return Cow::Borrowed(body);
    }
    out.push_str(&body[pos..]);
    Cow::Owned(out)
}

/// A relative path to a file (`dir/a b.png`) with a space in it, and nothing
/// a link destination or title would have (`"title"`, `<...>`, a URL).
fn is_spaced_file(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    path.contains(' ')
        && !path.starts_with(' ')
        && !path.contains(['<', '>', '"', '\'', '(', '\\'])
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
        for same in [
            "![a](a.png \"title\")\n",
            "![a](<a b.png>)\n",
            "[a](https://x.com/a b.html)\n",
            "`![a](a b.png)`\n",
            "```\n![a](a b.png)\n```\n",
            "(见 [注](x) 说明 a.b)\n",
            "![a](a b)\n",
        ] {
            assert_eq!(rw(same), same);
        }
    }
}
