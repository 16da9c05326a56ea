//! Bare URLs and e-mail addresses in prose become links, as on GitHub. Runs
//! only on text outside links and code, so it can never nest an `<a>` or
//! touch code.

use linkify::{LinkFinder, LinkKind};

/// A piece of prose: plain text or a URL (or e-mail address) to link.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    Url(&'a str),
}

/// Splits `text` into text and URL pieces. A URL ends at full-width
/// punctuation, and at a CJK character after a letter or digit: Chinese
/// notes write `见https://a.com/x，然后` and mean the URL to stop at the
/// comma, and `https://a.com/x然后` at the `x`. Chinese in the path after
/// `/`, `=`, `(` and the like is the URL's (`https://zh.wikipedia.org/wiki/进程`,
/// `https://baike.baidu.com/item/进程/382503`), as in the editors, but not
/// right after the host (`https://github.com/然后`). A host may be Chinese
/// (`https://例子.cn/`; the finder knows no Chinese top-level domain), and an e-mail address ends where Chinese starts
/// (`请发邮件至a@b.com获取`).
pub(crate) fn split(text: &str) -> Vec<Piece<'_>> {
    if !text.contains("://") && !text.contains("www.") && !text.contains('@') {
        return vec![Piece::Text(text)];
    }
    let mut links = urls(text);
    // An address inside a URL (`https://x.com/u/a@b.com`) is the URL's.
    let emails: Vec<_> = emails(text)
        .into_iter()
        .filter(|e| !links.iter().any(|u| u.start < e.end && e.start < u.end))
        .collect();
    links.extend(emails);
    links.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    let mut last = 0;
    for r in links {
        if r.start > last {
            out.push(Piece::Text(&text[last..r.start]));
        }
        out.push(Piece::Url(&text[r.clone()]));
        last = r.end;
    }
    if last < text.len() {
        out.push(Piece::Text(&text[last..]));
    }
    out
}

/// Where the web addresses of `text` are.
fn urls(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    if !text.contains("://") && !text.contains("www.") {
        return out;
    }
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    finder.url_must_have_scheme(false);
    // Looked for again after each URL: one cut at full-width punctuation
    // leaves the rest of what the finder matched (`，详见https://b.com`).
    let mut from = 0;
    while let Some(link) = finder.links(&text[from..]).next() {
        let start = from + link.start();
        let s = link.as_str();
        from = start + s.len();
        let lower = s.to_ascii_lowercase();
        if !(lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www."))
        {
            continue;
        }
        let url = trim_trailing(&s[..url_end(s)]);
        if url.len() <= "https://".len() || url.ends_with("://") {
            continue;
        }
        from = start + url.len();
        out.push(start..start + url.len());
    }
    out
}

/// Extensions of files notes name (`icon@2x.png`), no address's ending.
const FILE_TYPES: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "pdf", "md", "txt", "js", "ts",
    "css", "html", "htm", "json", "yaml", "yml", "xml", "zip", "gz", "py", "go", "rs", "java",
    "sh", "mp4", "mp3",
];

/// Where the e-mail addresses of `text` are, by GitHub's rule: letters,
/// digits and `.`, `-`, `_`, `+` before the `@`; after it, labels of
/// letters, digits, `-` and `_` joined by dots, at least one dot, and (more
/// than GitHub asks) a last label of letters that names no file type.
/// ASCII only: an address ends where Chinese starts (`请发邮件至a@b.com获取`;
/// `a@b.com，c@d.com` is two).
fn emails(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b'+');
    let domain = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_');
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (at, _) in text.match_indices('@') {
        if out.last().is_some_and(|r| at < r.end) {
            continue;
        }
        let start = (0..at)
            .rev()
            .take_while(|&i| local(b[i]))
            .last()
            .unwrap_or(at);
        let mut end = (at + 1..b.len())
            .take_while(|&i| domain(b[i]))
            .last()
            .map_or(at + 1, |i| i + 1);
        // A sentence's full stop, or a dot with nothing after it.
        while end > at + 1 && b[end - 1] == b'.' {
            end -= 1;
        }
        let host = &text[at + 1..end];
        // A name's last part is letters, and no file's extension: not
        // `vue@3.2.0` (a package's version) or `icon@2x.png`.
        let top = host.rsplit('.').next().unwrap_or("");
        let ok = start < at
            && host.contains('.')
            && !host.starts_with('.')
            && !host.contains("..")
            && top.len() >= 2
            && top.bytes().all(|c| c.is_ascii_alphabetic())
            && !FILE_TYPES.contains(&top.to_ascii_lowercase().as_str());
        if ok {
            out.push(start..end);
        }
    }
    out
}

/// The byte ranges of `text` that [`split`] makes links.
pub(crate) fn url_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut at = 0;
    let mut out = Vec::new();
    for piece in split(text) {
        let len = match piece {
            Piece::Text(t) => t.len(),
            Piece::Url(u) => {
                out.push(at..at + u.len());
                u.len()
            }
        };
        at += len;
    }
    out
}

/// Where the URL `s` (as the finder found it) ends, by the rules of [`split`].
fn url_end(s: &str) -> usize {
    let host = s.find("://").map_or(0, |i| i + 3);
    // The first character of the path, after the host's `/`.
    let path = s[host..].find('/').map(|i| host + i + 1);
    let host_end = path.map_or(s.len(), |p| p - 1);
    let mut prev = None;
    let mut in_run = false;
    for (i, c) in s.char_indices() {
        if is_cjk_stop(c) {
            let after_mark =
                path.is_some_and(|p| i > p) && prev.is_some_and(|p: char| p.is_ascii_punctuation());
            // A Chinese label of the host (`例子.测试`, `www.例子.cn`).
            let label =
                (host..host_end).contains(&i) && (i == host || matches!(prev, Some('.' | '-')));
            if is_cjk_punctuation(c) || !(in_run || after_mark || label) {
                return i;
            }
            in_run = true;
        } else {
            in_run = false;
        }
        prev = Some(c);
    }
    s.len()
}

/// Full-width and CJK punctuation (`，。（）「」`), which always ends a URL.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F      // CJK symbols and punctuation: 、。「」【】
        | 0xFE30..=0xFE4F    // CJK compatibility forms
        | 0xFF00..=0xFFEF)   // full-width forms: ，（）：
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
}

fn trim_trailing(s: &str) -> &str {
    s.trim_end_matches(['.', ',', ':', ';', '!', '?', '\'', '"', '*', '_', '~'])
}

fn is_cjk_stop(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF      // CJK radicals, punctuation, kana, unified ideographs
        | 0xAC00..=0xD7AF    // Hangul
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // CJK compatibility forms
        | 0xFF00..=0xFFEF    // full-width forms: ，（）：
        | 0x20000..=0x3FFFF) // extension ideographs
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
}

/// The href for a linked URL: `www.` links get `http://` as GitHub does, and
/// an e-mail address `mailto:`.
pub(crate) fn href(url: &str) -> String {
    if url.to_ascii_lowercase().starts_with("www.") {
        format!("http://{url}")
    } else if !url.contains("://") && url.contains('@') {
        format!("mailto:{url}")
    } else {
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The links [`split`] makes in `t`, as written.
    fn links(t: &str) -> Vec<&str> {
        split(t)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Url(u) => Some(u),
                Piece::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn finds_urls_and_stops_at_cjk() {
        assert_eq!(
            split("见https://blog.csdn.net/a_b/1，然后"),
            vec![
                Piece::Text("见"),
                Piece::Url("https://blog.csdn.net/a_b/1"),
                Piece::Text("，然后")
            ]
        );
        assert_eq!(
            split("see https://x.io/a."),
            vec![
                Piece::Text("see "),
                Piece::Url("https://x.io/a"),
                Piece::Text(".")
            ]
        );
        assert_eq!(split("no links here"), vec![Piece::Text("no links here")]);
        // A URL after one cut at full-width punctuation is found too.
        assert_eq!(
            links(
                "见https://a.com/x，详见https://b.com/y。官网https://c.com、文档https://d.com/docs"
            ),
            [
                "https://a.com/x",
                "https://b.com/y",
                "https://c.com",
                "https://d.com/docs"
            ]
        );
        // Chinese in a path (a Wikipedia or Baike title) is the URL's.
        for (text, url) in [
            (
                "见 https://zh.wikipedia.org/wiki/进程_(计算机科学)。",
                "https://zh.wikipedia.org/wiki/进程_(计算机科学)",
            ),
            (
                "https://baike.baidu.com/item/进程/382503，然后",
                "https://baike.baidu.com/item/进程/382503",
            ),
            (
                "搜 https://s.cn/?q=协程&x=1 看看",
                "https://s.cn/?q=协程&x=1",
            ),
            ("https://a.com/x然后", "https://a.com/x"),
            ("https://github.com/然后点击", "https://github.com/"),
            ("https://github.com然后", "https://github.com"),
        ] {
            assert_eq!(links(text).first(), Some(&url), "{text}");
        }
        assert_eq!(
            split("(https://x.io/a_(b))"),
            vec![
                Piece::Text("("),
                Piece::Url("https://x.io/a_(b)"),
                Piece::Text(")")
            ]
        );
        assert_eq!(
            split("www.example.com ok"),
            vec![Piece::Url("www.example.com"), Piece::Text(" ok")]
        );
    }

    #[test]
    fn chinese_hosts_are_the_urls() {
        for (text, url) in [
            ("见 https://中文.com/x 和", "https://中文.com/x"),
            ("见https://例子.cn/x，然后", "https://例子.cn/x"),
            ("访问 www.例子.cn 吧", "www.例子.cn"),
            ("https://a-例子.com/x", "https://a-例子.com/x"),
        ] {
            assert_eq!(links(text).first(), Some(&url), "{text}");
        }
    }

    #[test]
    fn email_addresses_are_links_up_to_chinese() {
        assert_eq!(
            split("请发邮件至someone@example.com获取。"),
            vec![
                Piece::Text("请发邮件至"),
                Piece::Url("someone@example.com"),
                Piece::Text("获取。")
            ]
        );
        assert_eq!(href("someone@example.com"), "mailto:someone@example.com");
        assert_eq!(
            split("mail a.b@x.io."),
            vec![
                Piece::Text("mail "),
                Piece::Url("a.b@x.io"),
                Piece::Text(".")
            ]
        );
        // A `+` after a dotted name; two addresses with Chinese between.
        assert_eq!(links("写信给 foo.bar+tag@x.com 吧"), ["foo.bar+tag@x.com"]);
        assert_eq!(links("联系a@b.com，或c@d.com。"), ["a@b.com", "c@d.com"]);
        assert_eq!(links("a@b.com和c@d.com"), ["a@b.com", "c@d.com"]);
        for t in ["写信给 foo.bar+tag@x.com 吧", "联系a@b.com，或c@d.com。"] {
            assert!(
                links(t).iter().all(|u| href(u).starts_with("mailto:")),
                "{t}"
            );
        }
        assert_eq!(
            split("见 https://x.com/u/a@b.com 页"),
            vec![
                Piece::Text("见 "),
                Piece::Url("https://x.com/u/a@b.com"),
                Piece::Text(" 页")
            ]
        );
        // A package's version and a picture's size are no addresses.
        assert!(emails("装 vue@3.2.0 和 lodash@4.17.21，图 icon@2x.png").is_empty());
        // No domain, no dot in it, or a URL's `@`: no e-mail.
        for text in ["@someone 说", "user@localhost", "https://medium.com/@me/a"] {
            assert!(
                !split(text)
                    .iter()
                    .any(|p| matches!(p, Piece::Url(u) if href(u).starts_with("mailto:"))),
                "{text}"
            );
        }
        assert_eq!(href("https://medium.com/@me/a"), "https://medium.com/@me/a");
    }
}
