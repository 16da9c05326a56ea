//! How deep a note's embeds show the embedded notes' text: to a fixed
//! depth, and less when notes that each embed several others would show
//! more than a budget of notes on one page; the chain of notes a body is
//! shown inside, where an embed of one of them closes a circle. The body
//! and its key both ask here, so they agree on it.

use super::BodyOptions;
use super::Resolver;
use crate::markdown::LinkKind;
use crate::site::SiteIndex;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// How deep embeds may nest (an embed of what it is already inside is a link,
/// see [`Chain`]; this bounds the work a long chain can make).
pub(super) const EMBED_DEPTH: usize = 8;
/// How many embedded notes one page may show in all, a note embedded twice
/// counted twice: ten notes that each embed the next ten, six deep, made a
/// 119 MB page, and each level more ten times that.
pub(super) const EMBED_BUDGET: u64 = 256;
/// How many bytes of HTML the embeds of one page may add to it: 256
/// embeds of a note of 50,000 formulas made 300 MB pages. A page of
/// study notes is some hundred KB.
const EMBED_BYTES: usize = 16 << 20;

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

/// Where a body is being rendered: for its own page, or inside others.
pub(super) struct Nesting<'c> {
    /// How many more levels of embeds show their text.
    pub(super) levels: usize,
    /// Empty for the note's own page; inside another, what its footnote ids start with.
    pub(super) footnote_ids: &'c str,
    /// The notes (and the part of each) being shown, outermost first.
    pub(super) chain: &'c [(usize, Option<String>)],
    /// What the page's embeds have shown so far.
    pub(super) page: &'c PageEmbeds,
}

/// An embed's HTML, rendered once for its page; `None` if it could not be.
type Shown = Option<Rc<String>>;

/// What the embeds of one page have shown: each embedded body is rendered
/// once for the page however often it is embedded there, and what the
/// embeds add to the page stops at [`EMBED_BYTES`] (the rest are links).
#[derive(Default)]
pub(super) struct PageEmbeds {
    memo: RefCell<HashMap<(Chain, usize), Shown>>,
    bytes: Cell<usize>,
    cut: Cell<bool>,
}

impl PageEmbeds {
    /// What an embed shows, `chain` ending with its note and part and
    /// `levels` more levels of embeds showing their text: from `render`
    /// the first time (`None` if it could not); nothing once the page's
    /// embeds are past the limit.
    pub(super) fn html(
        &self,
        chain: Chain,
        levels: usize,
        render: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        // Only what the page's own embeds show counts (theirs is inside).
        let top = chain.len() == 2;
        let key = (chain, levels);
        let known = self.memo.borrow().get(&key).cloned();
        let html = known.unwrap_or_else(|| {
            let html = render().map(Rc::new);
            self.memo.borrow_mut().insert(key, html.clone());
            html
        })?;
        let bytes = self.bytes.get() + if top { html.len() } else { 0 };
        if bytes > EMBED_BYTES {
            self.cut.set(true);
            return Some(String::new());
        }
        self.bytes.set(bytes);
        Some(html.to_string())
    }

    /// Warns if the page of the note `file` had embeds past the limit.
    pub(super) fn warn_if_cut(&self, file: &str) {
        if self.cut.get() {
            log::warn!(
                "{file}: its embeds would add more than {} MB to its page; \
                 the rest are shown as links",
                EMBED_BYTES >> 20
            );
        }
    }
}

/// The class of an embed that would show a note (or section, or block) it
/// is already inside: shown as a link, and warned of once the page is done
/// (an embed cut away with the rest of its note is no circle on the page).
pub(super) const CYCLE_CLASS: &str = "class=\"embed embed-cycle\"";

/// Warns of the embeds note `i`'s page (`body`, rendered `levels` deep)
/// shows as links only: past the budget or [`EMBED_DEPTH`], or closing a circle.
pub(super) fn warn_of_cut_embeds(
    (site, opts): (&SiteIndex, &BodyOptions),
    i: usize,
    levels: usize,
    body: &str,
) {
    let file = site.dir.file(&site.notes[i].rel);
    let deeper = |levels| embedded_within(site, levels, opts, &mut vec![(i, None)]);
    // With embeds off there are none (levels is 0); else only embeds past
    // `levels` that would show a note are cut.
    if opts.syntax.embeds && deeper(levels + 1) > deeper(levels) {
        match levels < EMBED_DEPTH {
            true => log::warn!(
                "{file}: its embeds embed more notes in turn, more than {EMBED_BUDGET} in all; \
                 embeds deeper than {levels} level(s) are shown as links"
            ),
            false => log::warn!(
                "{file}: its embeds nest more than {EMBED_DEPTH} deep (an embedded note \
                 embeds another, and so on); the deeper ones are shown as links"
            ),
        }
    }
    if let Some(at) = body.find(CYCLE_CLASS) {
        // The embed's source link: `<a href="...">`.
        let href = body[at..].split('"').nth(5).unwrap_or_default();
        log::warn!(
            "{file}: notes embed each other in a circle: an embed inside an embed \
             comes back to {href}, which it is already inside; that one is shown as a \
             link (to stop this, make one of the embeds a link: [[...]] without the !)"
        );
    }
}
