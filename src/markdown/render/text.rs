//! The render pass's text: bare URLs linked, `==marks==`, word-internal
//! scripts and emoji shortcodes.

use super::Renderer;
use crate::markdown::{autolink, emoji, typora};
use pulldown_cmark::{CowStr, Event};
use std::borrow::Cow;

impl<'c, 'e> Renderer<'c, 'e> {
    /// Writes the pending text: bare URLs linked (outside links), `==marks==`,
    /// and word-internal scripts.
    pub(super) fn flush(&mut self) {
        self.flush_glued(false);
    }

    /// [`Renderer::flush`], before an event that `touches` the text (an
    /// inline element drawn flush against it).
    pub(super) fn flush_glued(&mut self, touches: bool) {
        let glued = (std::mem::replace(&mut self.glued, touches), touches);
        if self.text_buf.is_empty() {
            return;
        }
        let buf = std::mem::take(&mut self.text_buf);
        let syntax = self.ctx.syntax;
        // A bare URL inside a link (Markdown's or a raw `<a>`) is its text:
        // a link in a link is invalid HTML, and browsers split the outer one.
        // In a raw `<code>` or `<kbd>` it is code, as in a code span.
        let linkify = self.link_depth == 0 && !self.raw.in_link() && !self.raw.in_code();
        if !syntax.highlight && !syntax.sup_sub && !linkify {
            self.events.push(Event::Text(CowStr::from(buf)));
            return;
        }
        for piece in typora::pieces(&buf, syntax.highlight, syntax.sup_sub, glued) {
            match piece {
                typora::Piece::Text(t) if linkify => self.linkify(t),
                typora::Piece::Text(t) => {
                    self.events.push(Event::Text(CowStr::from(t.to_string())))
                }
                typora::Piece::Mark => match self.mark_open.take() {
                    // `(== ==)`: a mark of nothing is the text as written.
                    Some(at) if self.blank_since(at) => {
                        self.events[at] = Event::Text(CowStr::Borrowed("=="));
                        self.events.push(Event::Text(CowStr::Borrowed("==")));
                    }
                    Some(_) => self.events.push(Event::Html(CowStr::Borrowed("</mark>"))),
                    None => {
                        self.mark_open = Some(self.events.len());
                        self.events.push(Event::Html(CowStr::Borrowed("<mark>")));
                    }
                },
                typora::Piece::Sub(s) => self.events.push(Event::Html(CowStr::from(format!(
                    "<sub>{}</sub>",
                    html_escape::encode_text(s)
                )))),
                typora::Piece::Sup(s) => self.events.push(Event::Html(CowStr::from(format!(
                    "<sup>{}</sup>",
                    html_escape::encode_text(s)
                )))),
            }
        }
    }

    /// The pending text with its emoji shortcodes as emoji (outside URLs
    /// and raw HTML code), once for the page and the search text alike.
    pub(super) fn emoji_in_text(&mut self) {
        if !self.ctx.syntax.emoji || self.raw.in_code() {
            return;
        }
        if let Cow::Owned(e) = emoji::outside_urls(&self.text_buf) {
            self.text_buf = e;
        }
    }

    pub(super) fn linkify(&mut self, text: &str) {
        for piece in autolink::split(text) {
            match piece {
                autolink::Piece::Text(t) => {
                    self.events.push(Event::Text(CowStr::from(t.to_string())))
                }
                autolink::Piece::Url(u) => self.events.push(Event::Html(CowStr::from(format!(
                    "<a href=\"{}\">{}</a>",
                    html_escape::encode_double_quoted_attribute(&autolink::href(u)),
                    html_escape::encode_text(u)
                )))),
            }
        }
    }

    /// Only spaces were written after event `at`.
    fn blank_since(&self, at: usize) -> bool {
        self.events[at + 1..]
            .iter()
            .all(|e| matches!(e, Event::Text(t) if t.trim().is_empty()))
    }

    /// A `==` left open when its block ends was no mark: it shows as written.
    pub(super) fn end_mark(&mut self) {
        if let Some(at) = self.mark_open.take() {
            self.events[at] = Event::Text(CowStr::Borrowed("=="));
        }
    }
}
