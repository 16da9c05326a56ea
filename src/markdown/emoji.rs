//! GitHub's emoji shortcodes (`:smile:` -> 😄), which Typora and GitHub show
//! as emoji. Only names in GitHub's table count, and only where the colons
//! stand apart from ASCII words and other colons, so `12:30:45`,
//! `Vec::new::<T>` and `host:8080:` stay as written.

use std::borrow::Cow;

/// `text` with each known shortcode replaced by its emoji.
pub(crate) fn shortcodes(text: &str) -> Cow<'_, str> {
    if !text.contains(':') {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(at) = text[from..].find(':').map(|i| from + i) {
        // Colons may touch only the colons of other shortcodes (`:+1::+1:`).
        let before = text[..at].chars().next_back();
        let apart_before = before.is_none_or(|c| !c.is_ascii_alphanumeric() && c != ':')
            || (before == Some(':') && at == copied && copied > 0);
        let found = shortcode_at(text, at).filter(|&(end, _)| {
            let after = text[end..].chars().next();
            apart_before
                && after.is_none_or(|c| {
                    !c.is_ascii_alphanumeric() && c != ':'
                        || (c == ':' && shortcode_at(text, end).is_some())
                })
        });
        match found {
            Some((end, emoji)) => {
                out.push_str(&text[copied..at]);
                out.push_str(emoji);
                copied = end;
                from = end;
            }
            None => from = at + 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// `text` with its shortcodes replaced outside the URLs in it: a bare or
/// `<https://a.com/:x:/>` address is the link's, not prose.
pub(crate) fn outside_urls(text: &str) -> Cow<'_, str> {
    if !text.contains(':') {
        return Cow::Borrowed(text);
    }
    let pieces = super::autolink::split(text);
    if let [super::autolink::Piece::Text(t)] = pieces.as_slice() {
        return shortcodes(t);
    }
    let mut out = String::with_capacity(text.len());
    for piece in pieces {
        match piece {
            super::autolink::Piece::Text(t) => out.push_str(&shortcodes(t)),
            super::autolink::Piece::Url(u) => out.push_str(u),
        }
    }
    Cow::Owned(out)
}

/// The known `:name:` starting at byte `at` of `text`: where it ends, and its emoji.
fn shortcode_at(text: &str, at: usize) -> Option<(usize, &'static str)> {
    let rest = text.get(at + 1..)?;
    let len = rest
        .bytes()
        .take_while(|&c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'+' | b'-')
        })
        .count();
    if len == 0 || rest.as_bytes().get(len) != Some(&b':') {
        return None;
    }
    let emoji = emojis::get_by_shortcode(&rest[..len])?;
    Some((at + len + 2, emoji.as_str()))
}

#[cfg(test)]
mod tests {
    use super::shortcodes;

    #[test]
    fn known_shortcodes_become_emoji() {
        assert_eq!(shortcodes(":smile: 好"), "😄 好");
        assert_eq!(
            shortcodes("注意:warning:，完成:white_check_mark:"),
            "注意⚠️，完成✅"
        );
        assert_eq!(shortcodes(":+1::-1:"), "👍👎");
        assert_eq!(shortcodes(":+1: :-1:"), "👍 👎");
        assert_eq!(shortcodes("(:100:)"), "(💯)");
    }

    #[test]
    fn other_colons_stay() {
        for s in [
            "12:30:45",
            "Vec::new::<T>",
            "a::new:",
            ":new::x",
            "a:smile:",
            ":smile:b",
            ":not_an_emoji_name:",
            "host:8080:",
            ":Smile:",
            "::",
            ":",
        ] {
            assert_eq!(shortcodes(s), s);
        }
    }
}
