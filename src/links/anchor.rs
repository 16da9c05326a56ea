//! A link's `#fragment` as the id of a heading or block in the note it leads
//! to. Ids are GitHub's, but Obsidian names a heading by its text: its
//! wikilinks (`[[note#Vec<T> 的用法]]`), its Markdown links with wikilinks
//! off (`[x](docker.md#Docker%20Compose%20用法)`) and its heading paths
//! (`[[note#使用#配置]]`, the 配置 under 使用, when two share a name).

use super::Miss;
use crate::markdown::slug::slugify;
use crate::markdown::Heading;
use crate::site::{heading_key, Anchors, SiteIndex};

/// How a fragment was written: a wikilink's names a heading by its text, a
/// Markdown link's by its id (or, as above, by its text).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Written {
    Wiki,
    Markdown,
}

/// The id that `fragment` (decoded) leads to in note `note`: a block id or a
/// heading id as written; else the heading its text names (the text slugged
/// as its id, or the heading's text itself, in any letter case); else each
/// part of a heading path, in order. An error says what is missing.
pub(super) fn find(
    site: &SiteIndex,
    note: Option<usize>,
    fragment: &str,
    written: Written,
) -> Result<String, Miss> {
    let slugged = || slugify(fragment);
    let Some(i) = note else {
        return Ok(match written {
            Written::Wiki if !fragment.starts_with('^') => slugged(),
            _ => fragment.to_string(),
        });
    };
    let n = &site.notes[i];
    let headings = n.headings();
    let lookup = site.anchors(i);
    // Block ids, and the `id`s and `name`s of the note's raw HTML.
    let is_block = match lookup {
        Some(a) => a.has_block(fragment),
        None => n.scan.block_ids.iter().any(|b| b == fragment),
    };
    if is_block {
        return Ok(fragment.to_string());
    }
    if fragment.starts_with('^') {
        // An Obsidian block reference: the block's line ends with its id.
        let why = format!(
            "note `{}` has no block `{fragment}` (a paragraph or list item ending in ` {fragment}`)",
            n.rel
        );
        return Err(Miss::no_block(why, i, fragment));
    }
    let by_name = match lookup {
        Some(a) => looked_up(a, headings, fragment),
        None => named(headings, fragment),
    };
    let found = by_name
        .or_else(|| by_path(headings, fragment))
        .or_else(|| by_other_tools(headings, fragment));
    if let Some(id) = found {
        return Ok(id.to_string());
    }
    let shown = match written {
        Written::Wiki => slugged(),
        Written::Markdown => fragment.to_string(),
    };
    let why = format!("note `{}` has no heading with id `#{shown}`", n.rel);
    Err(Miss::no_heading(why, i, &shown))
}

/// The id of the first heading `name` names: by its id, its text slugged,
/// or its text (as [`heading_key`] compares).
fn named<'h>(headings: &'h [Heading], name: &str) -> Option<&'h str> {
    let slug = slugify(name);
    let found = headings.iter().find(|h| h.id == slug || h.id == name);
    found
        .or_else(|| {
            let key = heading_key(name);
            headings.iter().find(|h| heading_key(&h.text) == key)
        })
        .map(|h| h.id.as_str())
}

/// [`named`] through a note's lookups: the same heading, found at once.
fn looked_up<'h>(a: &Anchors, headings: &'h [Heading], name: &str) -> Option<&'h str> {
    let by_id = [a.by_id(&slugify(name)), a.by_id(name)]
        .into_iter()
        .flatten()
        .min();
    let at = by_id.or_else(|| a.by_text(name))?;
    headings.get(at).map(|h| h.id.as_str())
}

/// Obsidian's heading path `使用#配置`: each part names a heading inside
/// the one before it (after it, before the next heading of its level or
/// above); the last one's id.
fn by_path<'h>(headings: &'h [Heading], path: &str) -> Option<&'h str> {
    if !path.contains('#') {
        return None;
    }
    let mut within = headings;
    let mut id = None;
    for part in path.split('#').map(str::trim).filter(|p| !p.is_empty()) {
        let at = within
            .iter()
            .position(|h| named(std::slice::from_ref(h), part).is_some())?;
        let h = &within[at];
        id = Some(h.id.as_str());
        let rest = &within[at + 1..];
        let end = rest
            .iter()
            .position(|x| x.level <= h.level)
            .unwrap_or(rest.len());
        within = &rest[..end];
    }
    id
}

/// The ids other tools give a heading, which notes kept for them link by:
/// VitePress's and VuePress's (`#build-target` for `build.target`), and
/// GitBook's pinyin for a Chinese one (`#zhi-shi-ku-pei-zhi` for
/// `知识库配置`). The first heading either fits.
fn by_other_tools<'h>(headings: &'h [Heading], slug: &str) -> Option<&'h str> {
    let vitepress = headings
        .iter()
        .find(|h| crate::markdown::slug::vitepress_slug(&h.text) == slug);
    let pinyin = || {
        let slugged = slug.contains('-')
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let fits =
            |h: &&Heading| !h.text.is_ascii() && crate::collate::is_pinyin_slug(&h.text, slug);
        slugged.then(|| headings.iter().find(fits)).flatten()
    };
    vitepress.or_else(pinyin).map(|h| h.id.as_str())
}
