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
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url, LinkKind::Email]);
    finder.url_must_have_scheme(false);
    let mut out = Vec::new();
    let mut last = 0;
    // Looked for again after each URL: one cut at full-width punctuation
    // leaves the rest of what the finder matched (`，详见https://b.com`).
    let mut from = 0;
    while let Some(link) = finder.links(&text[from..]).next() {
        let start = from + link.start();
        let s = link.as_str();
        from = start + s.len();
        let lower = s.to_ascii_lowercase();
        if *link.kind() == LinkKind::Email {
            // The finder takes Chinese for letters of the address.
            let at = s.find('@').unwrap_or(0);
            let head = s[..at]
                .rfind(|c: char| !c.is_ascii())
                .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
            let tail = s[at..]
                .find(|c: char| !c.is_ascii())
                .map_or(s.len(), |i| at + i);
            let email = trim_trailing(&s[head..tail]);
            let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
            if head < at && domain.contains('.') && !domain.starts_with('.') {
                if start + head > last {
                    out.push(Piece::Text(&text[last..start + head]));
                }
                out.push(Piece::Url(email));
                last = start + head + email.len();
            }
            continue;
        }
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
        if start > last {
            out.push(Piece::Text(&text[last..start]));
        }
        out.push(Piece::Url(url));
        last = start + url.len();
    }
    if last < text.len() {
        out.push(Piece::Text(&text[last..]));
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
        let urls = |t: &str| -> Vec<String> {
            split(t)
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Url(u) => Some(u.to_string()),
                    Piece::Text(_) => None,
                })
                .collect()
        };
        assert_eq!(
            urls(
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
            assert_eq!(
                split(text).iter().find(|p| matches!(p, Piece::Url(_))),
                Some(&Piece::Url(url)),
                "{text}"
            );
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
            assert_eq!(
                split(text).iter().find(|p| matches!(p, Piece::Url(_))),
                Some(&Piece::Url(url)),
                "{text}"
            );
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
