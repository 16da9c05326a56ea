//! How deep a note's embeds show the embedded notes' text: to a fixed
//! depth, and less when notes that each embed several others would show
//! more than a budget of notes on one page. The body and its key both ask
//! here, so they agree on it.

use super::BodyOptions;
use super::Resolver;
use crate::markdown::LinkKind;
use crate::site::SiteIndex;
use std::collections::HashMap;

/// How deep embeds may nest (cycles are refused before rendering; this only
/// bounds the work a long chain can make).
pub(super) const EMBED_DEPTH: usize = 8;
/// How many embedded notes one page may show in all, a note embedded twice
/// counted twice: ten notes that each embed the next ten, six deep, made a
/// 119 MB page, and each level more ten times that.
pub(super) const EMBED_BUDGET: u64 = 256;

/// How many levels of note `i`'s embeds show the embedded notes' text:
/// [`EMBED_DEPTH`], or fewer when that would show more than [`EMBED_BUDGET`]
/// notes (deeper embeds are then links; fewer only when there are deeper
/// embeds). Worked out from the embed graph alone, so the body and its key
/// agree on it.
pub(super) fn embed_levels(site: &SiteIndex, i: usize, opts: &BodyOptions) -> usize {
    let has_embeds =
        |n: &crate::site::NoteMeta| n.links().iter().any(|l| l.kind == LinkKind::WikiEmbed);
    if !opts.syntax.embeds {
        return 0;
    }
    if !has_embeds(&site.notes[i]) {
        return EMBED_DEPTH;
    }
    let mut memo = HashMap::new();
    let mut levels = 0;
    while levels < EMBED_DEPTH
        && embedded_within(site, i, levels + 1, opts, &mut memo) <= EMBED_BUDGET
    {
        levels += 1;
    }
    levels
}

/// How many notes note `i`'s embeds show within `levels` levels (saturating).
fn embedded_within(
    site: &SiteIndex,
    i: usize,
    levels: usize,
    opts: &BodyOptions,
    memo: &mut HashMap<(usize, usize), u64>,
) -> u64 {
    if levels == 0 {
        return 0;
    }
    if let Some(&n) = memo.get(&(i, levels)) {
        return n;
    }
    let r = Resolver {
        site,
        note: &site.notes[i],
        opts,
    };
    let embeds: Vec<usize> = site.notes[i]
        .links()
        .iter()
        .filter(|l| l.kind == LinkKind::WikiEmbed)
        .filter_map(|l| Some(r.embed(&l.dest)?.index))
        .collect();
    let n = embeds.into_iter().fold(0u64, |n, e| {
        n.saturating_add(1)
            .saturating_add(embedded_within(site, e, levels - 1, opts, memo))
    });
    memo.insert((i, levels), n);
    n
}
