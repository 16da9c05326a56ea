//! The second pass: a note's Markdown events rewritten into HTML, with
//! highlighted code, heading anchors, resolved links, linked bare URLs, math
//! as MathML, diagrams, callouts, embeds and Typora's small syntax.

mod block_ids;
mod blocks;
mod ctx;
mod embeds;
mod footnotes;
mod inline;
mod text;

#[cfg(test)]
pub(crate) use blocks::anchor_html;

use super::plain::PlainText;
use super::raw_html::RawHtml;
use super::{breaks, html_tags, math, typora};
use super::{Heading, LineIndex};
use blocks::{closes, unread_formula};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

pub(crate) use ctx::{Embedded, RenderCtx};

/// Where a blockquote stands on being a callout.
enum Quote {
    /// Its first line has not been seen yet (index of its start event).
    Pending(usize),
    Plain,
    Callout {
        folded: Option<bool>,
        title: bool,
    },
}

/// An image whose alt text is being read; written at its end.
struct OpenImage<'e> {
    /// Where its alt text starts in `events`.
    at: usize,
    src: CowStr<'e>,
    title: CowStr<'e>,
    /// `![[file.png]]` as written, for Obsidian's `![[file.png|300]]`,
    /// whose text after `|` is only a size.
    wiki: Option<CowStr<'e>>,
    /// Its target was not found.
    broken: bool,
}

/// The state of one render: the events written so far and what is open.
struct Renderer<'c, 'e> {
    ctx: &'c RenderCtx<'c>,
    events: Vec<Event<'e>>,
    text_buf: String,
    heading_no: usize,
    /// Tables of contents placed so far (see [`blocks::MAX_TOCS`]).
    tocs: usize,
    /// The open heading (none when it has no id) and its written level.
    heading_open: Option<(Option<&'c Heading>, u8)>,
    /// The headings the next one falls under: (level written in the note,
    /// level of the tag written), see `blocks::outline_level`.
    outline: Vec<(u8, u8)>,
    link_depth: usize,
    /// The open wikilink's target as written: `[[note|]]` shows it, as
    /// `[[note]]` does, instead of an empty link.
    wiki_dest: Option<CowStr<'e>>,
    /// An open Markdown link inside a raw `<a href>` is only its text (a link
    /// in a link is invalid HTML, which browsers split): where its text starts.
    link_as_text: Option<usize>,
    /// Where the open link starts, if it leads nowhere (see [`super::Href::Broken`]).
    broken_link: Option<usize>,
    /// The text an open `[[note#heading]]` shows instead of its target as
    /// written (`note > heading`), until its first text takes it.
    section_text: Option<String>,
    image_depth: usize,
    images: Vec<OpenImage<'e>>,
    /// Open paragraphs and list items: their start event, for block ids.
    blocks: Vec<usize>,
    /// Open lists, tables and quotes: their start event (see `block_ids`).
    structures: Vec<usize>,
    /// The list, table, quote, code block or display formula just written:
    /// its events' range.
    closed: Option<(usize, usize)>,
    /// Where the last display formula's event is (a paragraph of only that
    /// is a block an id on the next line names).
    display_math: Option<usize>,
    /// A paragraph that is only a block id for `closed`: (its start, the
    /// paragraph's start, the id).
    structure_id: Option<(usize, usize, String)>,
    /// The open paragraph's start, and where the embeds in it are.
    para: Option<(usize, Vec<usize>)>,
    quotes: Vec<Quote>,
    /// An open `==` mark's event, turned back into text if the block ends first.
    mark_open: Option<usize>,
    /// The pending text follows an inline element directly (see [`typora::pieces`]).
    glued: bool,
    /// Inside an `![[embed]]` that shows a note: its alt text is dropped.
    embedding: Option<Embedded>,
    /// Whether the HTML block being read is text (it began with no real
    /// tag: `<T> 泛型` on a line of prose); `None` before its first line.
    html_block_is_text: Option<bool>,
    /// Made at the note's first formula.
    math: Option<math::Converter>,
    /// What the note's raw HTML opened, and its sanitizing.
    raw: RawHtml,
    /// The raw HTML's depth where each open Markdown block began.
    raw_marks: Vec<usize>,
    notes: footnotes::Footnotes<'e>,
}

/// Second pass: the note body as HTML, also filling `text` (when given) with
/// the note's visible text.
pub(crate) fn render_with_text(
    body: &str,
    ctx: &RenderCtx,
    mut text: Option<&mut PlainText>,
) -> String {
    let prepared = super::prepare(body, ctx.syntax);
    let body = prepared.body.as_ref();
    let lines = LineIndex::new(body, ctx.line_offset).with_remap(prepared.remap);
    let mut r = Renderer::new(ctx, body.len());
    let mut code: Option<(String, String, usize)> = None; // (info string, text, line)
    let mut after_para = false;
    for (event, range) in super::events(body, ctx.syntax, prepared.stand_ins) {
        let para_start = std::mem::replace(
            &mut after_para,
            matches!(event, Event::Start(Tag::Paragraph)),
        );
        if let Some((_, c, _)) = code.as_mut() {
            match event {
                Event::Text(t) => c.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (info, code_text, line) = code.take().unwrap_or_default();
                    let code_text = super::include::expand(&code_text, ctx.include);
                    let label = super::line_marks::label(&info);
                    let code_text = super::include::hide_rust_lines(label, code_text);
                    let start = r.events.len();
                    r.code_block(&info, &code_text, line, text.as_deref_mut());
                    r.closed = Some((start, r.events.len()));
                }
                _ => {}
            }
            continue;
        }
        if r.embedding.is_some() && !matches!(event, Event::End(TagEnd::Image)) {
            continue;
        }
        if let Event::Text(t) = &event {
            let line_of = |at: usize| body[at..].split('\n').next().unwrap_or("").trim();
            if para_start
                && t.starts_with('$')
                && line_of(range.start) == "$$"
                && ctx.syntax.math
                && ctx.own_page.is_empty()
            {
                let closed = closes(&body[range.start..]);
                unread_formula(ctx.file, lines.pos(body, range.start).0, closed);
            }
            match r.section_text.as_mut() {
                Some(shown) => r.text_buf.push_str(&std::mem::take(shown)),
                None => r.text_buf.push_str(t),
            }
            continue;
        }
        if matches!(event, Event::InlineMath(_)) && !math::is_inline_math(body, &range) {
            r.text_buf.push_str(&body[range]);
            continue;
        }
        if !r.before_event(&event, text.as_deref_mut()) {
            continue;
        }
        let line = || lines.pos(body, range.start).0;
        if let Some(c) = r.step(event, &line, text.as_deref_mut()) {
            code = Some(c);
        }
    }
    r.emoji_in_text();
    if let Some(t) = text {
        t.push(&r.text_buf);
        t.end_notes(r.notes.shown().into_iter().map(|(i, _)| i));
    }
    r.flush();
    r.end_mark();
    // What the note's HTML left open ends with the note, not the page.
    let close = r.raw.close_all();
    if !close.is_empty() {
        r.events.push(Event::Html(CowStr::from(close)));
    }
    let notes = std::mem::take(&mut r.notes).section(ctx.language);
    r.events.extend(notes);
    r.finish()
}

impl<'c, 'e> Renderer<'c, 'e> {
    fn new(ctx: &'c RenderCtx<'c>, body_len: usize) -> Renderer<'c, 'e> {
        Renderer {
            ctx,
            events: Vec::with_capacity(body_len / 8),
            text_buf: String::new(),
            heading_no: 0,
            tocs: 0,
            heading_open: None,
            outline: Vec::new(),
            link_depth: 0,
            wiki_dest: None,
            link_as_text: None,
            broken_link: None,
            section_text: None,
            image_depth: 0,
            images: Vec::new(),
            blocks: Vec::new(),
            structures: Vec::new(),
            closed: None,
            display_math: None,
            structure_id: None,
            para: None,
            quotes: Vec::new(),
            mark_open: None,
            glued: false,
            embedding: None,
            html_block_is_text: None,
            math: None,
            raw: RawHtml::new(ctx.trusted_html),
            raw_marks: Vec::new(),
            notes: footnotes::Footnotes::new(ctx.footnote_ids),
        }
    }
}

/// Markdown blocks whose end must close the raw HTML opened inside them.
fn holds_blocks(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::Item
            | Tag::TableCell
            | Tag::FootnoteDefinition(_)
    )
}

/// The ends of the blocks [`holds_blocks`] names.
fn ends_blocks(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
    )
}

impl<'c, 'e> Renderer<'c, 'e> {
    /// One event outside code blocks, after the text before it: indexed,
    /// flushed, then written. Returns a code block it opens, with its line.
    fn step(
        &mut self,
        event: Event<'e>,
        line: &dyn Fn() -> usize,
        mut text: Option<&mut PlainText>,
    ) -> Option<(String, String, usize)> {
        let html_as_text = self.html_as_text(&event);
        let touches = typora::touches_text(&event);
        self.emoji_in_text();
        if let Some(t) = text.as_deref_mut() {
            let syntax = self.ctx.syntax;
            let shown = self.shown_text(touches);
            if matches!(event, Event::SoftBreak) && !syntax.breaks && self.image_depth == 0 {
                t.push(&shown);
                t.soft_break();
            } else if !matches!(
                event,
                Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_))
            ) {
                t.observe(&event, &shown, self.image_depth > 0, html_as_text);
            } else if self.image_depth == 0 {
                t.push(&shown);
            }
            match &event {
                Event::Start(Tag::FootnoteDefinition(_)) => t.start_note(),
                Event::End(TagEnd::FootnoteDefinition) => t.end_note(),
                _ => {}
            }
        }
        self.flush_glued(touches);
        if typora::ends_block(&event) {
            self.end_mark();
        }
        match &event {
            Event::Start(t) if holds_blocks(t) => self.raw_marks.push(self.raw.depth()),
            Event::End(t) if ends_blocks(t) => self.close_raw_block(),
            _ => {}
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                // The whole info string: VitePress's line marks follow the language.
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                return Some((info, String::new(), line()));
            }
            Event::InlineMath(tex) => self.math(&tex, false, line()),
            Event::DisplayMath(tex) => self.math(&tex, true, line()),
            Event::Html(h) | Event::InlineHtml(h) if html_as_text => {
                self.events.push(Event::Text(h))
            }
            Event::Html(h) => self.raw_html(h, false),
            Event::InlineHtml(h) => self.raw_html(h, true),
            other => {
                let closes = self.track_structure(&other);
                self.event(other, text);
                if closes {
                    self.structure_closed();
                }
            }
        }
        None
    }

    /// Closes the raw HTML opened inside the Markdown block ending now.
    pub(super) fn close_raw_block(&mut self) {
        let depth = self.raw_marks.pop().unwrap_or(0);
        let close = self.raw.close_to(depth);
        if !close.is_empty() {
            self.events.push(Event::Html(CowStr::from(close)));
        }
    }

    /// The pending text as a reader sees it (marks and script delimiters
    /// dropped), before an event that `touches` it or not.
    pub(super) fn shown_text(&self, touches: bool) -> std::borrow::Cow<'_, str> {
        let syntax = self.ctx.syntax;
        let glued = (self.glued, touches);
        typora::visible(&self.text_buf, syntax.highlight, syntax.sup_sub, glued)
    }

    /// Raw HTML that is no real markup (`<用户名>`, a whole block opening
    /// with one) is shown as text: decided once, here, for the page and the
    /// search text alike.
    fn html_as_text(&mut self, event: &Event) -> bool {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                self.html_block_is_text = None;
                false
            }
            // A later line's unknown tags are text on their own (see `raw_html`).
            Event::Html(h) => *self.html_block_is_text.get_or_insert_with(|| {
                h.trim_start().starts_with('<') && !html_tags::is_known_markup(h)
            }),
            // `<circle/>` in prose is a placeholder, inside an `<svg>` a shape.
            Event::InlineHtml(h) => {
                html_tags::inline_is_text(h) && !(self.raw.in_foreign() && html_tags::is_inner(h))
            }
            _ => false,
        }
    }

    fn finish(mut self) -> String {
        if !self.ctx.syntax.breaks {
            breaks::join_wide_lines(&mut self.events);
        }
        // Sized from the events (highlighted code is several times the source's
        // size): growing a big string step by step costs copies and fresh pages.
        let size: usize = self
            .events
            .iter()
            .map(|e| match e {
                Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                    t.len() + 8
                }
                _ => 24,
            })
            .sum();
        let mut html = String::with_capacity(size + size / 8);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        html
    }
}
