//! How deep a note's embeds show the embedded notes' text: to a fixed
//! depth, and less when notes that each embed several others would show
//! more than a budget of notes on one page. The body and its key both ask
//! here, so they agree on it.

use super::BodyOptions;
use super::Resolver;
use crate::markdown::LinkKind;
use crate::site::SiteIndex;

/// How deep embeds may nest (an embed of what it is already inside is a link,
/// see [`Chain`]; this bounds the work a long chain can make).
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
    let mut levels = 0;
    while levels < EMBED_DEPTH
        && embedded_within(site, levels + 1, opts, &mut vec![(i, None)]) <= EMBED_BUDGET
    {
        levels += 1;
    }
    levels
}

/// The notes (and the part of each) a body being rendered is inside,
/// outermost first: an embed of one of them would be a circle.
pub(super) type Chain = Vec<(usize, Option<String>)>;

/// How many notes the embeds of the last note of `chain` show within
/// `levels` levels, as its body shows them (an embed of what it is already
/// inside shows nothing); counting stops once past [`EMBED_BUDGET`].
fn embedded_within(site: &SiteIndex, levels: usize, opts: &BodyOptions, chain: &mut Chain) -> u64 {
    let Some(&(i, _)) = chain.last() else {
        return 0;
    };
    if levels == 0 {
        return 0;
    }
    let r = Resolver {
        site,
        note: &site.notes[i],
        opts,
    };
    let mut n = 0u64;
    for l in site.notes[i].links() {
        if l.kind != LinkKind::WikiEmbed || n > EMBED_BUDGET {
            continue;
        }
        let Some(e) = r.embed(&l.dest) else {
            continue;
        };
        let shown = (e.index, e.anchor);
        if chain.contains(&shown) {
            continue;
        }
        chain.push(shown);
        n = n.saturating_add(1 + embedded_within(site, levels - 1, opts, chain));
        chain.pop();
    }
    n
}
