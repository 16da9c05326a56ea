//! The URLs biji emits: site-relative paths percent-encoded the same way
//! everywhere (note bodies, pages, feeds), under the site's base path.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters escaped in the paths we emit (non-ASCII is always escaped, as
/// pulldown-cmark does for hrefs in note bodies, so all our URLs look alike).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%')
    .add(b'\'')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// True when `url` starts with a URI scheme (`https:`, `mailto:`); one-letter
/// "schemes" are Windows drive letters, not URLs.
pub(crate) fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) if i > 1 => {
            let scheme = &url[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// A link off the site: a URL with a scheme or a protocol-relative one.
pub(crate) fn is_external(dest: &str) -> bool {
    dest.starts_with("//") || has_scheme(dest)
}

/// Percent-encodes a site-relative path for use in an href.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// The href of a site-relative URL path under the site's base path.
pub fn href(base_path: &str, url: &str) -> String {
    format!("{base_path}{}", encode_path(url))
}

/// The sitemap's file name at the site root.
pub const SITEMAP: &str = "sitemap.xml";
/// The Atom feed's file name at the site root (templates link it from `<head>`).
pub const FEED: &str = "atom.xml";
