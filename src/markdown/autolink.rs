//! Bare URLs in prose become links, as on GitHub. Runs only on text outside
//! links and code, so it can never nest an `<a>` or touch code.

use linkify::{LinkFinder, LinkKind};

/// A piece of prose: plain text or a URL to link.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    Url(&'a str),
}

/// Splits `text` into text and URL pieces. A URL ends at the first CJK
/// character or full-width punctuation: Chinese notes write
/// `见https://a.com/x，然后` and mean the URL to stop at the comma.
pub(crate) fn split(text: &str) -> Vec<Piece<'_>> {
    if !text.contains("://") && !text.contains("www.") {
        return vec![Piece::Text(text)];
    }
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    finder.url_must_have_scheme(false);
    let mut out = Vec::new();
    let mut last = 0;
    for link in finder.links(text) {
        let start = link.start();
        let s = link.as_str();
        let lower = s.to_ascii_lowercase();
        if !(lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www."))
        {
            continue;
        }
        let cut = s
            .char_indices()
            .find(|&(_, c)| is_cjk_stop(c))
            .map(|(i, _)| i)
            .unwrap_or(s.len());
        let url = trim_trailing(&s[..cut]);
        if url.len() <= "https://".len() || url.ends_with("://") {
            continue;
        }
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

/// The href for a linked URL: `www.` links get `http://` as GitHub does.
pub(crate) fn href(url: &str) -> String {
    if url.to_ascii_lowercase().starts_with("www.") {
        format!("http://{url}")
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
}
