//! Images that are not images: Obsidian shows `![[talk.mp4]]` as a video
//! player, `![[song.mp3]]` as an audio player and `![[paper.pdf]]` as the
//! document itself, and Typora plays `![](demo.mp4)`. Written as `<img>`,
//! each was a broken-image icon.

use super::typora::Size;
use pulldown_cmark_escape::{escape_href, escape_html};
use std::fmt::Write;

/// What a file an image points at is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Media {
    Video,
    Audio,
    Pdf,
}

/// The kind of `src` (its path's extension, before any `?query` or
/// `#fragment`), or `None` for a picture.
pub(crate) fn kind(src: &str) -> Option<Media> {
    let path = src.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default();
    let (_, ext) = name.rsplit_once('.')?;
    match ext.to_ascii_lowercase().as_str() {
        "mp4" | "webm" | "ogv" | "mov" | "m4v" => Some(Media::Video),
        "mp3" | "wav" | "ogg" | "oga" | "m4a" | "flac" | "aac" | "opus" => Some(Media::Audio),
        "pdf" => Some(Media::Pdf),
        _ => None,
    }
}

/// Obsidian's embed of a YouTube video, `![](https://www.youtube.com/watch?v=ID)`
/// (also `youtu.be/ID`, `/shorts/ID`, `/embed/ID`, with `t=90` or `t=1m30s`):
/// the player, from YouTube's no-cookie host, where an `<img>` was a broken
/// picture. `None` for any other URL.
pub(crate) fn youtube(src: &str, alt: &str, size: Size) -> Option<String> {
    let rest = src
        .strip_prefix("https://")
        .or_else(|| src.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let param = |name: &str| {
        query
            .split(['&', '#'])
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    };
    let id = match host.trim_start_matches("www.").trim_start_matches("m.") {
        "youtube.com" if path == "watch" => param("v")?,
        "youtube.com" => path
            .strip_prefix("shorts/")
            .or_else(|| path.strip_prefix("embed/"))?,
        "youtu.be" => path,
        _ => return None,
    };
    let id_ok = id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !id_ok {
        return None;
    }
    let start = param("t").or_else(|| param("start")).and_then(seconds);
    let start = start.map_or(String::new(), |s| format!("?start={s}"));
    let mut title = String::new();
    let _ = escape_html(&mut title, if alt.is_empty() { "YouTube" } else { alt });
    let width = size.map_or(String::new(), |(w, _)| {
        format!(" style=\"max-width:{w}px\"")
    });
    Some(format!(
        "<iframe class=\"video-embed\" src=\"https://www.youtube-nocookie.com/embed/{id}{start}\" \
         title=\"{title}\"{width} loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\" \
         allow=\"encrypted-media; picture-in-picture; fullscreen\" allowfullscreen></iframe>"
    ))
}

/// `90`, `90s`, `1m30s`, `1h2m3s` as seconds.
fn seconds(t: &str) -> Option<u64> {
    if let Ok(n) = t.parse() {
        return Some(n);
    }
    let (mut total, mut n) = (0u64, 0u64);
    for c in t.chars() {
        match c {
            '0'..='9' => n = n.checked_mul(10)?.checked_add(c as u64 - '0' as u64)?,
            'h' => total = total.checked_add(n.checked_mul(3600)?)?,
            'm' => total = total.checked_add(n.checked_mul(60)?)?,
            's' => total = total.checked_add(n)?,
            _ => return None,
        }
        if c.is_ascii_alphabetic() {
            n = 0;
        }
    }
    (n == 0).then_some(total)
}

/// `论文.pdf`, `图.png`: a file's name, not a note's (`note`, `note.md`).
pub(crate) fn is_file_name(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, ext)| ext);
    ext.is_some_and(|x| !x.is_empty() && !x.contains('/') && !x.eq_ignore_ascii_case("md"))
}

/// The player or viewer for `src`, with a link to the file inside it for
/// browsers that cannot show it (a phone's PDF viewer, no codec). A PDF from
/// another site is only linked: an embedded page from elsewhere could be
/// anything.
pub(crate) fn html(media: Media, src: &str, alt: &str, size: Size) -> String {
    let mut href = String::with_capacity(src.len());
    let _ = escape_href(&mut href, src);
    let mut label = String::with_capacity(alt.len());
    let shown = match alt.is_empty() {
        true => file_name(src),
        false => std::borrow::Cow::Borrowed(alt),
    };
    let _ = escape_html(&mut label, &shown);
    let mut dims = String::new();
    if let Some((w, h)) = size {
        let _ = write!(dims, " width=\"{w}\"");
        if let Some(h) = h {
            let _ = write!(dims, " height=\"{h}\"");
        }
    }
    let link = format!("<a href=\"{href}\">{label}</a>");
    match media {
        Media::Video => format!(
            "<video src=\"{href}\" controls preload=\"metadata\" title=\"{label}\"{dims}>{link}</video>"
        ),
        Media::Audio => format!(
            "<audio src=\"{href}\" controls preload=\"metadata\" title=\"{label}\">{link}</audio>"
        ),
        Media::Pdf if is_elsewhere(src) => link,
        Media::Pdf => format!(
            "<object class=\"pdf\" data=\"{href}\" type=\"application/pdf\" title=\"{label}\"{dims}>{link}</object>"
        ),
    }
}

/// What a player without alt text is called: its file's name as a reader
/// would write it (`my vid.mp4`, not `/repo/my%20vid.mp4#t=10`).
fn file_name(src: &str) -> std::borrow::Cow<'_, str> {
    let path = src.split(['?', '#']).next().unwrap_or_default();
    let name = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    percent_encoding::percent_decode_str(name).decode_utf8_lossy()
}

/// A URL with a scheme or host of its own: not a file of this site.
fn is_elsewhere(src: &str) -> bool {
    src.starts_with("//")
        || src
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_links_are_players() {
        let id = |u: &str| youtube(u, "", None).map(|h| h.split('"').nth(3).unwrap().to_string());
        let at = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";
        assert_eq!(
            id("https://www.youtube.com/watch?v=dQw4w9WgXcQ").as_deref(),
            Some(at)
        );
        assert_eq!(
            id("https://youtu.be/dQw4w9WgXcQ?t=90").unwrap(),
            format!("{at}?start=90")
        );
        assert_eq!(
            id("https://m.youtube.com/watch?feature=x&v=dQw4w9WgXcQ&t=1m30s").unwrap(),
            format!("{at}?start=90")
        );
        assert_eq!(
            id("https://youtube.com/shorts/dQw4w9WgXcQ").as_deref(),
            Some(at)
        );
        for not in [
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXc\"",
            "https://evil.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/channel/UCabcdefghijk",
            "/local/watch?v=dQw4w9WgXcQ",
        ] {
            assert_eq!(id(not), None, "{not}");
        }
        assert!(
            youtube("https://youtu.be/dQw4w9WgXcQ", "<演示>", Some((400, None)))
                .unwrap()
                .contains("title=\"&lt;演示&gt;\" style=\"max-width:400px\"")
        );
    }

    #[test]
    fn kinds_come_from_the_extension() {
        assert_eq!(kind("/a/talk.MP4"), Some(Media::Video));
        assert_eq!(kind("song.mp3?v=2"), Some(Media::Audio));
        assert_eq!(kind("/docs/paper.pdf#page=3"), Some(Media::Pdf));
        assert_eq!(kind("/a.png"), None);
        assert_eq!(kind("/pdf/readme"), None);
        assert_eq!(kind("/v.mp4.png"), None);
    }

    #[test]
    fn players_and_viewers_link_to_their_file() {
        assert_eq!(
            html(Media::Video, "/v.mp4", "演示", Some((300, None))),
            "<video src=\"/v.mp4\" controls preload=\"metadata\" title=\"演示\" width=\"300\"><a href=\"/v.mp4\">演示</a></video>"
        );
        assert_eq!(
            html(Media::Audio, "/repo/a%20b.mp3#t=3", "", None),
            "<audio src=\"/repo/a%20b.mp3#t=3\" controls preload=\"metadata\" title=\"a b.mp3\"><a href=\"/repo/a%20b.mp3#t=3\">a b.mp3</a></audio>"
        );
        assert_eq!(
            html(Media::Pdf, "/p.pdf", "<论文>", None),
            "<object class=\"pdf\" data=\"/p.pdf\" type=\"application/pdf\" title=\"&lt;论文&gt;\"><a href=\"/p.pdf\">&lt;论文&gt;</a></object>"
        );
        assert_eq!(
            html(Media::Pdf, "https://x.org/p.pdf", "p", None),
            "<a href=\"https://x.org/p.pdf\">p</a>"
        );
    }
}
