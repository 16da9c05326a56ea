//! Obsidian's links: `[[note]]`, `[[note#标题]]`, `[[note#^block]]` and
//! `![[file or note]]`, found by path, file name, title or alias.

use super::anchor::{self, Written};
use super::{decode, draft_reason, join, note_target, Miss, Target};
use crate::site::{NoteMeta, SiteIndex};

pub(super) fn resolve_wiki(site: &SiteIndex, from: &NoteMeta, dest: &str) -> Result<Target, Miss> {
    let (name, fragment) = match dest.split_once('#') {
        Some((n, f)) => (n.trim(), Some(f.trim())),
        None => (dest, None),
    };
    // `[[note#Heading Text]]` names a heading by its text, `[[note#^block-1]]`
    // a block by its id (see [`anchor::find`]).
    let anchor = fragment.filter(|f| !f.is_empty()).map(decode);
    if name.is_empty() {
        return match anchor {
            Some(a) => anchor::find(site, site.note_by_rel(&from.rel), &a, Written::Wiki)
                .map(Target::SamePage),
            None => Err("empty wikilink".into()),
        };
    }
    let file = name;
    let name = name.trim_end_matches(".md");
    let candidates: Vec<usize> = if name.contains('/') {
        let from_root = site.note_by_path(&format!("{name}.md"));
        let relative = join(from.dir(), name).and_then(|p| site.note_by_path(&format!("{p}.md")));
        from_root.or(relative).into_iter().collect()
    } else {
        let by_stem = site.notes_by_stem(name);
        if by_stem.is_empty() {
            site.notes_by_title(name).to_vec()
        } else {
            by_stem.to_vec()
        }
    };
    let candidates = beside(site, from, candidates);
    // `[[论文.pdf#page=3]]`, `[[图.png]]`: a link to the file itself, when
    // no note has the name (`[[node.js]]` is the note `node.js.md`).
    if candidates.is_empty() && crate::markdown::media::is_file_name(file) {
        if let Some(found) = find_file(site, from, file) {
            let fragment = fragment.filter(|f| !f.is_empty()).map(str::to_string);
            return found.map(|stored| Target::Asset(stored, fragment));
        }
    }
    match candidates.as_slice() {
        [i] => note_target(site, *i, anchor, Written::Wiki),
        [] => {
            let draft = if name.contains('/') {
                site.draft_by_rel(&format!("{name}.md")).or_else(|| {
                    join(from.dir(), name).and_then(|p| site.draft_by_rel(&format!("{p}.md")))
                })
            } else {
                site.drafts_named(name).first().copied()
            };
            if let Some(d) = draft {
                return Err(draft_reason(site, d).into());
            }
            let what = match crate::markdown::media::is_file_name(name) {
                true => "no file or note",
                false => "no note",
            };
            Err(Miss::no_note_named(format!("{what} named `{name}`"), name))
        }
        many => Err(format!(
            "`{name}` is ambiguous; write the path, one of: {}",
            many.iter()
                .map(|i| format!("[[{}]]", site.notes[*i].rel.trim_end_matches(".md")))
                .collect::<Vec<_>>()
                .join(", ")
        )
        .into()),
    }
}

/// Of notes that share a name, the one beside the linking note, which
/// Obsidian opens; else all of them.
fn beside(site: &SiteIndex, from: &NoteMeta, many: Vec<usize>) -> Vec<usize> {
    let near: Vec<usize> = many
        .iter()
        .copied()
        .filter(|&i| site.notes[i].dir() == from.dir())
        .collect();
    match near.len() {
        1 => near,
        _ => many,
    }
}

/// Where Obsidian finds a Markdown link that its relative path misses: from
/// the vault's root (its "absolute path in vault" format) or, for a bare
/// file name, by that name anywhere (its default, "shortest path when
/// possible", writes `[x](装饰器.md)` and `![](pic.png)` for a file elsewhere).
/// `None` when neither finds it.
pub(super) fn vault_path(
    site: &SiteIndex,
    path: &str,
    anchor: Option<String>,
) -> Option<Result<Target, Miss>> {
    if path.starts_with("./") || path.starts_with("../") {
        return None;
    }
    let rooted = join("", path)?;
    if let Some(i) = site.note_by_path(&rooted) {
        return Some(note_target(site, i, anchor, Written::Markdown));
    }
    if let Some(stored) = site.asset_by_path(&rooted) {
        return Some(Ok(Target::Asset(stored.to_string(), anchor)));
    }
    if path.contains('/') {
        return None;
    }
    let ambiguous = |paths: Vec<String>| {
        Err(format!(
            "`{path}` is not next to this note, and several files have that name; write the path, one of: {}",
            paths.join(", ")
        )
        .into())
    };
    match path
        .strip_suffix(".md")
        .map(|stem| site.notes_by_stem(stem))
    {
        Some([i]) => Some(note_target(site, *i, anchor, Written::Markdown)),
        Some([]) => None,
        Some(many) => Some(ambiguous(
            many.iter().map(|i| site.notes[*i].rel.clone()).collect(),
        )),
        None => match site.assets_named(path) {
            [one] => Some(Ok(Target::Asset(one.clone(), anchor))),
            [] => None,
            many => Some(ambiguous(many.to_vec())),
        },
    }
}

pub(super) fn resolve_embed(site: &SiteIndex, from: &NoteMeta, dest: &str) -> Result<Target, Miss> {
    let name = decode(dest.split('|').next().unwrap_or(dest).trim());
    if crate::url::is_external(&name) {
        // `![[https://.../a.png]]`: the file on that site, as written.
        return Ok(Target::Untouched);
    }
    // `![[论文.pdf#page=3]]`, `![[演示.mp4#t=10]]`: the file, at that place.
    let (file, fragment) = match name.split_once('#') {
        Some((file, f)) if crate::markdown::media::is_file_name(file) => {
            (file, Some(f.to_string()))
        }
        _ => (name.as_str(), None),
    };
    match find_file(site, from, file) {
        Some(found) => found.map(|stored| Target::Asset(stored, fragment)),
        // Embedding a note is a link to it (and may name a draft).
        // A missing note is told as a wikilink's (`#heading` apart, with
        // the nearest name); a missing image or PDF as a file.
        None => resolve_wiki(site, from, &name).map_err(|e| {
            let file = name.split_once('#').map_or(name.as_str(), |(f, _)| f);
            let other = crate::markdown::media::is_file_name(file);
            if other && site.drafts_named(file).is_empty() {
                format!("no file named `{file}` under {}", site.dir.folder("")).into()
            } else {
                e
            }
        }),
    }
}

/// The file (not a note) an Obsidian link or embed names, as Obsidian finds
/// it: next to the note (or in the folder named as it), from the vault's root, then by its bare name
/// anywhere (a path from the root names that file only). `None` when no file
/// has that name; an error when several do.
fn find_file(site: &SiteIndex, from: &NoteMeta, file: &str) -> Option<Result<String, Miss>> {
    let rooted = file.strip_prefix('/');
    let near = join(from.dir(), file).filter(|_| rooted.is_none());
    if let Some(stored) = near.as_deref().and_then(|p| site.asset_by_path(p)) {
        return Some(Ok(stored.to_string()));
    }
    // In the folder named as the note (a Hexo post's asset folder:
    // `post-a/1.png` for `post-a.md`), where every post may have a `1.png`.
    let own = crate::site::file_stem(&from.rel);
    let own = join(from.dir(), &format!("{own}/{file}")).filter(|_| rooted.is_none());
    if let Some(stored) = own.as_deref().and_then(|p| site.asset_by_path(p)) {
        return Some(Ok(stored.to_string()));
    }
    if let Some(stored) = site.asset_by_path(rooted.unwrap_or(file)) {
        return Some(Ok(stored.to_string()));
    }
    let base = file.rsplit('/').next().unwrap_or(file);
    let named = match rooted {
        Some(_) => &[][..],
        None => site.assets_named(base),
    };
    match named {
        [one] => Some(Ok(one.clone())),
        [] => None,
        many => Some(Err(format!(
            "`{file}` is ambiguous; write the path, one of: {}",
            many.join(", ")
        )
        .into())),
    }
}
