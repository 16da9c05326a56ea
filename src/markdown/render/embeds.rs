//! A paragraph with `![[embed]]`s in it. One that is only an embed is the
//! embed. In one with other lines or text, each embed shows as a block
//! between them, as in Obsidian (`![[a]]` and `![[b]]` on two lines, or
//! `见 ![[a]] 一节`): a note's body cannot sit inside a sentence, so the
//! paragraph is cut around it. An embed that shows nothing is a link.

use super::{OpenImage, Renderer};
use crate::markdown::typora;
use pulldown_cmark::{Event, Tag, TagEnd};

impl<'c, 'e> Renderer<'c, 'e> {
    /// Closes a paragraph; false when its end tag is not to be written (it
    /// ended with an embed, or was only one).
    pub(super) fn end_paragraph(&mut self) -> bool {
        let Some((start, embeds)) = self.para.take() else {
            return true;
        };
        if embeds.is_empty() {
            return true;
        }
        let inner: Vec<Event<'e>> = self.events.drain(start + 1..).collect();
        let mut at = embeds.into_iter().map(|at| at - start - 1).peekable();
        // The paragraph's own start tag is open until the first embed.
        let mut open = true;
        let mut part = Vec::new();
        for (k, event) in inner.into_iter().enumerate() {
            if at.peek() != Some(&k) {
                part.push(event);
                continue;
            }
            at.next();
            if self.put_part(std::mem::take(&mut part), open) {
                self.events.push(Event::End(TagEnd::Paragraph));
            }
            open = false;
            self.events.push(event);
        }
        self.put_part(part, open)
    }

    /// Writes the text of a paragraph between two embeds (or its start or
    /// end), without the line breaks at its ends, in a paragraph: the one
    /// still open (`open`), else a new one when it is not blank. Returns
    /// whether a paragraph is open after it.
    fn put_part(&mut self, part: Vec<Event<'e>>, open: bool) -> bool {
        let blank = |e: &Event| match e {
            Event::SoftBreak | Event::HardBreak => true,
            Event::Text(t) => t.trim().is_empty(),
            _ => false,
        };
        let Some(first) = part.iter().position(|e| !blank(e)) else {
            // The paragraph's start tag, with nothing in it, goes; one that
            // carries a block id (`<p id="^x">`) stays, and is closed.
            if open && matches!(self.events.last(), Some(Event::Start(Tag::Paragraph))) {
                self.events.pop();
                return false;
            }
            return open;
        };
        let last = part.iter().rposition(|e| !blank(e)).unwrap_or(first);
        if !open {
            self.events.push(Event::Start(Tag::Paragraph));
        }
        self.events
            .extend(part.into_iter().skip(first).take(last + 1 - first));
        true
    }

    /// An `![[embed]]` that shows no note and no file, as a link: to a note
    /// it could not show (its heading or block gone), or one marked broken
    /// when it names nothing. It was an `<img>` of a page, or of nothing.
    pub(super) fn embed_as_link(&self, img: &OpenImage<'e>, alt: &str) -> Option<String> {
        use pulldown_cmark_escape::{escape_href, escape_html};
        let written = img.wiki.as_deref().filter(|_| self.images.is_empty())?;
        let page = img.src.split('#').next().is_some_and(|p| p.ends_with('/'));
        if !img.broken && !page {
            return None;
        }
        let mut out = String::from("<a ");
        if img.broken {
            out.push_str("class=\"broken-link\" ");
        }
        out.push_str("href=\"");
        let _ = escape_href(&mut out, &img.src);
        if img.broken {
            out.push_str("\" title=\"");
            let _ = escape_html(
                &mut out,
                crate::i18n::word(self.ctx.language, "broken_link"),
            );
        }
        out.push_str("\">");
        // `![[a.png|300]]`: the text after `|` is a size, the name the text.
        let (text, _) = typora::image_size(alt, Some(written));
        let text = match text.is_empty() {
            true => written,
            false => text,
        };
        let _ = escape_html(&mut out, text);
        out.push_str("</a>");
        Some(out)
    }
}
