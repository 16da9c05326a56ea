//! Links that start with `/`: from the notes folder's root, or from where
//! Typora's `typora-root-url` or VitePress's `public/` put them.

use super::{decode, is_note_path, join, lookup, missing, Miss, Target};
use crate::site::{NoteMeta, SiteIndex};

/// `/images/a.png`, as GitHub (from the repository's root) and Typora
/// (from its `typora-root-url`) read it: a note or file from the notes
/// folder's root gets the site's URL; anything else (a generated page such
/// as `/topics/`) gets the site's base path, as VitePress gives a rooted
/// link its `base`. `written`: the link after its `/`, with its query and
/// fragment.
pub(super) fn resolve(
    site: &SiteIndex,
    from: &NoteMeta,
    rooted: &str,
    anchor: Option<String>,
    written: &str,
) -> Result<Target, Miss> {
    let decoded = decode(rooted);
    let typora = typora_root(from).and_then(|root| join(&root, &decoded));
    if let Some(found) = typora.and_then(|j| lookup(site, &j, &decoded, anchor.clone())) {
        return found;
    }
    // Its query and fragment too (`/search/?q=x`).
    let site_path = || Ok(Target::SitePath(written.to_string()));
    let joined = match join("", &decoded) {
        Some(joined) if !joined.is_empty() => joined,
        _ => return site_path(),
    };
    if let Some(found) = lookup(site, &joined, &decoded, anchor.clone()) {
        return found;
    }
    match join("public", &decoded).and_then(|p| site.asset_by_path(&p)) {
        // VitePress and VuePress serve `/logo.png` from the docs' `public/`.
        Some(stored) => Ok(Target::Asset(stored.to_string(), anchor)),
        // A note is never a generated page: it should be there.
        None if is_note_path(&joined) => Err(missing(site, &joined)),
        None => site_path(),
    }
}

/// The folder under `notes/` that note `from`'s `typora-root-url` names,
/// when it is relative (`../`, `..\images`: Typora reads it from the note's
/// folder). A root on the author's disk (`D:\blog`, `/Users/...`) is not
/// under `notes/`: the notes folder serves as root then.
fn typora_root(from: &NoteMeta) -> Option<String> {
    let root = from.typora_root.as_deref()?.replace('\\', "/");
    if root.starts_with('/') || root.starts_with('~') || root.contains(':') {
        return None;
    }
    join(from.dir(), &root)
}
