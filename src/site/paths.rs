//! Where notes and folders go: their URLs, stems, titles and the names
//! biji reserves, and path keys in one Unicode form.

use super::RESERVED;
use std::time::SystemTime;

/// The reserved top segment of a site URL (`topics` for `topics/x/`), if it
/// has one: there a note or folder would collide with the pages and files biji generates.
pub(crate) fn reserved_top(url: &str) -> Option<&str> {
    let top = url.split('/').next().unwrap_or("");
    RESERVED.contains(&top).then_some(top)
}

/// `s` in Unicode's composed form (NFC), the key of path lookups; most
/// paths already are, and are not copied.
pub(super) fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => std::borrow::Cow::Borrowed(s),
        _ => std::borrow::Cow::Owned(s.nfc().collect()),
    }
}

/// The folders on the way to `folder`, outermost first, each with its own
/// name: `a/b/c` -> (`a`, `a`), (`a/b`, `b`), (`a/b/c`, `c`); none for `""`.
pub(crate) fn ancestors(folder: &str) -> impl Iterator<Item = (&str, &str)> {
    folder
        .match_indices('/')
        .map(|(i, _)| i)
        .chain((!folder.is_empty()).then_some(folder.len()))
        .scan(0, move |start, end| {
            let part = &folder[*start..end];
            *start = end + 1;
            Some((&folder[..end], part))
        })
}

/// `python/装饰器.md` -> `装饰器`.
pub(crate) fn file_stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// A note's title when neither its front matter nor an H1 gives one: its file
/// name, or, for a folder's README, the folder's name.
pub(crate) fn default_title(rel: &str) -> &str {
    match rel.rsplit_once('/') {
        Some((folder, _)) if is_folder_index(rel) => folder.rsplit('/').next().unwrap_or(folder),
        _ => file_stem(rel),
    }
}

/// File stems (any case) of the note that is its folder's page, as on GitHub
/// (`README`), in Hugo and Zola (`_index`) and for static sites in general (`index`).
pub(crate) const FOLDER_INDEX_STEMS: &[&str] = &["readme", "index", "_index"];

/// True for `python/README.md`, `index.md`, `go/_index.markdown`: the note that
/// is its folder's page (the root folder's is the home page).
pub(crate) fn is_folder_index(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').is_some_and(|(stem, _)| {
        FOLDER_INDEX_STEMS
            .iter()
            .any(|s| stem.eq_ignore_ascii_case(s))
    })
}

/// Maps a note path to its URL: `python/装饰器.md` -> `python/装饰器/`; a
/// folder's index note gets the folder's URL: `python/README.md` -> `python/`.
pub(crate) fn note_url(rel: &str) -> String {
    if is_folder_index(rel) {
        return folder_url(rel.rsplit_once('/').map_or("", |(f, _)| f));
    }
    let without_ext = rel.rsplit_once('.').map(|(a, _)| a).unwrap_or(rel);
    let mut url = url_segments(without_ext);
    url.push('/');
    url
}

/// The first folder or file name of a note path that is only spaces (`" "`,
/// a full-width `"　"`): it has no URL segment, so the note would be
/// written over another page.
pub(crate) fn blank_name(rel: &str) -> Option<&str> {
    let without_ext = rel.rsplit_once('.').map_or(rel, |(a, _)| a);
    without_ext
        .split('/')
        .find(|seg| seg.split_whitespace().next().is_none())
}

/// Folder path to URL: `python/web` -> `python/web/`, root -> ``.
pub(crate) fn folder_url(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{}/", url_segments(path))
    }
}

fn url_segments(path: &str) -> String {
    path.split('/')
        .map(|seg| seg.split_whitespace().collect::<Vec<_>>().join("-"))
        .collect::<Vec<_>>()
        .join("/")
}

/// `YYYY-MM-DD` of a file time (UTC), without pulling in a date crate.
pub(crate) fn day_of(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a Gregorian date (Howard Hinnant's algorithm).
pub(super) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Joins a relative path to a folder, resolving `.` and `..`; `None` if it climbs out.
pub(crate) fn join(folder: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}
