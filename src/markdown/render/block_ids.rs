//! Obsidian's block ids (`^id`): at the end of a paragraph or list item
//! (`一段话 ^id`, `- 父项 ^id` before its sub-items), the id of that block;
//! alone on a line after a list, table, quote, callout, code block or
//! display formula (with a blank line between, as Obsidian asks), the id of
//! that whole structure, which `![[note#^id]]` then shows.

use super::Renderer;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

impl<'c, 'e> Renderer<'c, 'e> {
    /// Takes a block id off the text before `event` when `event` ends the
    /// block it belongs to: a paragraph or item ends, or a list starts
    /// inside an item (the item's own text ends there).
    pub(super) fn block_id_before(&mut self, event: &Event) {
        let in_item = || {
            let at = self.blocks.last();
            matches!(
                at.and_then(|&at| self.events.get(at)),
                Some(Event::Start(Tag::Item))
            )
        };
        let ends = match event {
            Event::End(TagEnd::Paragraph | TagEnd::Item) => true,
            Event::Start(Tag::List(_)) => in_item(),
            _ => false,
        };
        if ends {
            self.mark_block_id();
        }
    }

    /// Moves a trailing `^id` of the open paragraph or item onto its opening
    /// tag; an id that is its paragraph's only text, right after a list,
    /// table, quote or code block, waits for the paragraph's end to go on
    /// that structure instead (see [`Self::id_the_structure`]).
    fn mark_block_id(&mut self) {
        let Some((cut, id)) = crate::markdown::typora::block_id(&self.text_buf) else {
            return;
        };
        let id = id.to_string();
        self.text_buf.truncate(cut);
        let Some(&at) = self.blocks.last() else {
            return;
        };
        // An id alone on the block's last line leaves no empty line.
        if self.text_buf.trim().is_empty() {
            self.text_buf.clear();
            while self.events.len() > at + 1
                && matches!(
                    self.events.last(),
                    Some(Event::HardBreak | Event::SoftBreak)
                )
            {
                self.events.pop();
            }
            let alone = self.events.len() == at + 1;
            if let Some((start, _)) = self.closed.filter(|&(_, end)| alone && end == at) {
                self.structure_id = Some((start, at, id));
                return;
            }
        }
        // The first paragraph of an item in a loose list: the id is the
        // item's, sub-items and all, as in a tight list.
        let first_in_item = at > 0 && matches!(self.events[at - 1], Event::Start(Tag::Item));
        let at = match self.events[at] {
            Event::Start(Tag::Paragraph) if first_in_item => at - 1,
            _ => at,
        };
        let tag = match self.events[at] {
            Event::Start(Tag::Item) => "li",
            _ => "p",
        };
        self.events[at] = Event::Html(CowStr::from(format!(
            "<{tag} id=\"^{}\">",
            html_escape::encode_double_quoted_attribute(&id)
        )));
    }

    /// Before `event` is written: where a list, table or quote starts, so
    /// that an id on the line after it can name it. Returns whether `event`
    /// ends one (then [`Self::structure_closed`] follows its writing).
    pub(super) fn track_structure(&mut self, event: &Event) -> bool {
        match event {
            Event::Start(Tag::List(_) | Tag::Table(_) | Tag::BlockQuote(_)) => {
                self.structures.push(self.events.len())
            }
            Event::End(TagEnd::List(_) | TagEnd::Table | TagEnd::BlockQuote(_)) => return true,
            // A definition's events move to the end of the note.
            Event::Start(Tag::FootnoteDefinition(_)) | Event::End(TagEnd::FootnoteDefinition) => {
                self.structures.clear();
                self.closed = None;
            }
            _ => {}
        }
        false
    }

    /// A paragraph that started at `start` has been written: when it is one
    /// display formula (`$$ ... $$` on lines of its own), an id on the line
    /// after it names the formula, as Obsidian's do.
    pub(super) fn formula_closed(&mut self, start: Option<usize>) {
        let Some(start) = start else {
            return;
        };
        let only_math = self.display_math == Some(start + 1)
            && self.events.len() == start + 3
            && matches!(self.events[start], Event::Start(Tag::Paragraph));
        if only_math {
            self.closed = Some((start, self.events.len()));
        }
    }

    /// A list, table or quote has been written whole.
    pub(super) fn structure_closed(&mut self) {
        self.closed = self.structures.pop().map(|s| (s, self.events.len()));
    }

    /// After a paragraph that was only a block id: the paragraph goes, and
    /// the structure before it is wrapped in an element with the id.
    pub(super) fn id_the_structure(&mut self) {
        let Some((start, at, id)) = self.structure_id.take() else {
            return;
        };
        // Only the paragraph of the id itself may have been written since.
        if start > at || self.events.len() != at + 2 {
            return;
        }
        self.events.truncate(at);
        let open = format!(
            "<div class=\"block-id\" id=\"^{}\">\n",
            html_escape::encode_double_quoted_attribute(&id)
        );
        self.events.insert(start, Event::Html(CowStr::from(open)));
        self.events.push(Event::Html(CowStr::Borrowed("</div>\n")));
        self.closed = None;
    }
}
