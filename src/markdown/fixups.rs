//! The fixes each event the parser gives goes through, in one stage.

use super::{components, html_join, html_tags, not_wiki};
use pulldown_cmark::{CowStr, Event, LinkType, Tag};

/// What `markdown::events` does to each event the parser gives, in one stage (a
/// note's thousands of events pass one iterator, not one per fix): the
/// lines of an HTML block a tag spans joined (`html_join`), component tags
/// out (`components`), brackets that name no note as text (`not_wiki`),
/// HTML that would hide what follows as text, a table's `\|` off a target.
pub(super) struct Fixups<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> {
    pub(super) events: std::iter::Peekable<I>,
    pub(super) components: components::Strip,
    pub(super) wikilinks: not_wiki::AsText,
    pub(super) ends: html_tags::Ends<'a>,
}

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Iterator for Fixups<'a, I> {
    type Item = (Event<'a>, std::ops::Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let item = self.events.next()?;
            let (e, r) = html_join::join_after(item, &mut self.events);
            let Some(e) = self.components.apply(e) else {
                continue;
            };
            let e = match self.wikilinks.apply(e) {
                Event::InlineHtml(h) | Event::Html(h)
                    if html_tags::hides_what_follows(&h, r.end, &mut self.ends) =>
                {
                    Event::Text(h)
                }
                e => e,
            };
            return Some((table_pipe(e), r));
        }
    }
}

/// Obsidian writes `[[note\|label]]` and `![[a.png\|300]]` in tables, where
/// a bare `|` would end the cell; the parser leaves the `\` on the target.
fn table_pipe(mut event: Event<'_>) -> Event<'_> {
    if let Event::Start(
        Tag::Link {
            link_type: LinkType::WikiLink { .. },
            dest_url,
            ..
        }
        | Tag::Image {
            link_type: LinkType::WikiLink { .. },
            dest_url,
            ..
        },
    ) = &mut event
    {
        if let Some(dest) = dest_url.strip_suffix('\\') {
            *dest_url = CowStr::from(dest.to_string());
        }
    }
    event
}
