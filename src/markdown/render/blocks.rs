//! Block-level work of the render pass: paragraphs and list items (block
//! ids), callouts, `[TOC]`, headings and the end of a paragraph that held
//! only an embed.

use super::{Quote, Renderer};
use crate::markdown::plain::PlainText;
use crate::markdown::{callout, level_num};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Tables of contents one note may place; a `[TOC]` after them stays text.
pub(super) const MAX_TOCS: usize = 4;

impl<'c, 'e> Renderer<'c, 'e> {
    /// Work on the text just before `event` that must happen before it is
    /// shown or indexed: `[TOC]`, a callout's first line, a block id.
    /// Returns false when the event itself is consumed.
    pub(super) fn before_event(&mut self, event: &Event, mut text: Option<&mut PlainText>) -> bool {
        if let Some(&Quote::Pending(start)) = self.quotes.last() {
            let line_ends = matches!(
                event,
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
            );
            self.settle_quote(start, !line_ends, text.as_deref_mut());
        }
        if self.end_callout_title(event, text) || self.toc_paragraph(event) {
            return false;
        }
        self.block_id_before(event);
        self.task_status();
        true
    }

    /// Obsidian's other task marks (`- [-] 取消`, `- [/] 进行中`, `- [>]`,
    /// `- [?]`): a checked box, as Obsidian shows any mark, with the mark
    /// kept for the theme. Letters and digits stay text (`- [1] 参考书`).
    fn task_status(&mut self) {
        let b = self.text_buf.as_bytes();
        let marked = b.len() >= 4
            && b[0] == b'['
            && b[2] == b']'
            && b[3] == b' '
            && b"/->?<!*\"".contains(&b[1]);
        let at_item = matches!(
            self.events.as_slice(),
            [.., Event::Start(Tag::Item)]
                | [.., Event::Start(Tag::Item), Event::Start(Tag::Paragraph)]
        );
        if !(marked && at_item) {
            return;
        }
        let mark = match b[1] {
            b'"' => "&quot;".to_string(),
            c => (c as char).to_string(),
        };
        self.text_buf.drain(..4);
        self.events.push(Event::Html(CowStr::from(format!(
            "<input disabled=\"\" type=\"checkbox\" checked=\"\" data-task=\"{mark}\"/>\n"
        ))));
    }

    /// Decides whether the open quote that began at `start` is a callout,
    /// once its first line is read (up to markup, when `goes_on`) or it has
    /// other content.
    fn settle_quote(&mut self, start: usize, goes_on: bool, text: Option<&mut PlainText>) {
        let first_line = self.events.len() == start + 2
            && matches!(self.events[start + 1], Event::Start(Tag::Paragraph));
        let buf = &self.text_buf;
        let header = first_line
            .then(|| callout::header(buf))
            .flatten()
            .map(|mut h| {
                if goes_on {
                    // `[!tip] L7 [链接]`: the title runs on into the markup.
                    let at = h.title.as_ptr() as usize - buf.as_ptr() as usize;
                    h.title = buf[at..].trim_start();
                    h.continued = true;
                }
                h
            });
        let top = self.quotes.len() - 1;
        match header {
            Some(h) => {
                // A written title stays pending text, read as any text is
                // (`==重点==`, `:smile:`, a bare URL); only a default one is
                // written here, and indexed.
                let written = (!h.title.is_empty() || h.continued).then(|| h.title.to_string());
                let title = match written {
                    Some(_) => String::new(),
                    None => callout::title(&h, self.ctx.language),
                };
                let open = callout::open_html(&h, &title);
                if let (Some(t), None) = (text, &written) {
                    t.push(&title);
                    t.brk();
                }
                self.quotes[top] = Quote::Callout {
                    folded: h.folded,
                    title: true,
                };
                self.events.truncate(start);
                self.events.push(Event::Html(CowStr::from(open)));
                self.blocks.pop();
                self.para = None;
                self.text_buf = written.unwrap_or_default();
            }
            None if !self.text_buf.is_empty() || self.events.len() > start + 1 => {
                self.quotes[top] = Quote::Plain;
            }
            None => {}
        }
    }

    /// Closes a callout's title at the end of its first line; true when
    /// `event` is consumed by that.
    fn end_callout_title(&mut self, event: &Event, text: Option<&mut PlainText>) -> bool {
        let Some(Quote::Callout { folded, title }) = self.quotes.last_mut() else {
            return false;
        };
        if !*title
            || !matches!(
                event,
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
            )
        {
            return false;
        }
        *title = false;
        let folded = *folded;
        self.emoji_in_text();
        if let Some(t) = text {
            // The title's text after its markup (`[!tip] **提示**标题`).
            t.push(&self.shown_text(false));
            t.brk();
        }
        self.flush();
        self.end_mark();
        // Raw HTML opened in the title line ends with the title.
        if matches!(event, Event::SoftBreak | Event::HardBreak) {
            let depth = self.raw_marks.last().copied().unwrap_or(0);
            let close = self.raw.close_to(depth);
            self.events.push(Event::Html(CowStr::from(close)));
        } else {
            self.close_raw_block();
        }
        let end = callout::title_end(folded);
        self.events.push(Event::Html(CowStr::Borrowed(end)));
        if matches!(event, Event::SoftBreak | Event::HardBreak) {
            // The first line's paragraph goes on as the body's.
            self.blocks.push(self.events.len());
            self.para = Some((self.events.len(), Vec::new()));
            self.events.push(Event::Start(Tag::Paragraph));
        }
        true
    }

    /// Replaces a paragraph that is only `[TOC]` with the table of contents;
    /// true when `event` is consumed by that.
    fn toc_paragraph(&mut self, event: &Event) -> bool {
        if !self.ctx.syntax.toc || !matches!(event, Event::End(TagEnd::Paragraph)) {
            return false;
        }
        let alone = self
            .para
            .as_ref()
            .is_some_and(|(s, _)| *s + 1 == self.events.len());
        if !alone || !self.text_buf.trim().eq_ignore_ascii_case("[toc]") {
            return false;
        }
        // Each lists every heading: a note of many would grow as their square.
        if self.tocs == MAX_TOCS {
            return false;
        }
        self.tocs += 1;
        self.events.pop();
        self.text_buf.clear();
        self.blocks.pop();
        self.para = None;
        self.close_raw_block();
        let toc =
            crate::markdown::toc::html(self.ctx.headings, self.ctx.language, self.ctx.own_page);
        self.events.push(Event::Html(CowStr::from(toc)));
        true
    }

    /// Every event the extensions do not take over.
    pub(super) fn event(&mut self, event: Event<'e>, text: Option<&mut PlainText>) {
        match event {
            Event::Start(Tag::Paragraph) => {
                self.blocks.push(self.events.len());
                self.para = Some((self.events.len(), Vec::new()));
                self.events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                let start = self.blocks.pop();
                if self.end_paragraph() {
                    self.events.push(event);
                }
                self.id_the_structure();
                self.formula_closed(start);
            }
            Event::Start(Tag::Item) => {
                self.blocks.push(self.events.len());
                self.events.push(event);
            }
            Event::End(TagEnd::Item) => {
                self.blocks.pop();
                self.events.push(event);
            }
            Event::Start(Tag::BlockQuote(_)) if self.ctx.syntax.callouts => {
                self.quotes.push(Quote::Pending(self.events.len()));
                self.events.push(event);
            }
            Event::End(TagEnd::BlockQuote(_)) if self.ctx.syntax.callouts => {
                match self.quotes.pop() {
                    Some(Quote::Callout { folded, .. }) => self
                        .events
                        .push(Event::Html(CowStr::Borrowed(callout::close_html(folded)))),
                    _ => self.events.push(event),
                }
            }
            Event::Start(Tag::Heading { level, classes, .. }) => {
                self.start_heading(level_num(level), &classes, text)
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(t) = text {
                    t.end_heading();
                }
                if let Some((heading, n)) = self.heading_open.take() {
                    let anchor = heading.map_or(String::new(), |h| {
                        anchor_html(&h.id, &h.text, self.ctx.language)
                    });
                    self.events
                        .push(Event::Html(CowStr::from(format!("{anchor}</h{n}>\n"))));
                }
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => self.start_link(tag),
            Event::End(TagEnd::Image) => self.end_image(),
            Event::End(TagEnd::Link) => self.end_link(event),
            Event::FootnoteReference(label) => {
                let html = self.notes.reference(&label);
                self.events.push(Event::InlineHtml(CowStr::from(html)));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.notes.open(&label, self.events.len())
            }
            Event::End(TagEnd::FootnoteDefinition) => self.notes.close(&mut self.events),
            // Each line shows as its own, as in Typora and Obsidian.
            Event::SoftBreak if self.ctx.syntax.breaks => self.events.push(Event::HardBreak),
            other => self.events.push(other),
        }
    }

    /// A link's end: a wikilink with no text shows its target, a link in a
    /// raw `<a>` was only text, a broken one gets its marked tags.
    fn end_link(&mut self, event: Event<'e>) {
        self.link_depth = self.link_depth.saturating_sub(1);
        let wiki_dest = self.wiki_dest.take();
        self.section_text = None;
        let as_text = self.link_as_text.take();
        let empty = match as_text {
            Some(at) => self.events.len() == at,
            None => matches!(self.events.last(), Some(Event::Start(Tag::Link { .. }))),
        };
        if let Some(dest) = wiki_dest.filter(|_| empty) {
            self.events.push(Event::Text(dest));
        }
        match (as_text, self.broken_link.take()) {
            (Some(_), _) => {}
            (None, Some(at)) => {
                self.broken_link_tag(at);
                self.events
                    .push(Event::InlineHtml(CowStr::Borrowed("</a>")));
            }
            (None, None) => self.events.push(event),
        }
    }

    pub(super) fn start_heading(
        &mut self,
        n: u8,
        classes: &[CowStr],
        text: Option<&mut PlainText>,
    ) {
        // A heading without an id (one with no text) gets no `id=""`, and no
        // anchor: there is nothing to link to.
        let heading = self.ctx.headings.get(self.heading_no);
        let heading = heading.filter(|h| !h.id.is_empty());
        let id = heading.map_or("", |h| h.id.as_str());
        self.heading_no += 1;
        let written = n;
        let n = outline_level(&mut self.outline, written);
        let mut classes: Vec<String> = classes.iter().map(|c| c.to_string()).collect();
        if n != written {
            classes.push(format!("as-h{written}"));
        }
        let class = if classes.is_empty() {
            String::new()
        } else {
            format!(
                " class=\"{}\"",
                html_escape::encode_double_quoted_attribute(&classes.join(" "))
            )
        };
        let id_attr = match id {
            "" => String::new(),
            id => format!(
                " id=\"{}\"",
                html_escape::encode_double_quoted_attribute(id)
            ),
        };
        self.events
            .push(Event::Html(CowStr::from(format!("<h{n}{id_attr}{class}>"))));
        if let Some(t) = text {
            t.start_heading(id);
        }
        self.heading_open = Some((heading, n));
    }
}

/// The tag level for a heading written at `level`: never more than one below
/// the heading it falls under (the page title is the `h1` above them all),
/// so a note that starts at `###` gives `<h2 class="as-h3">`, styled as an
/// h3. Screen readers and the HTML outline get no skipped levels; the reader
/// sees the sizes the author chose, and ids, the TOC and the heading index
/// keep the written levels.
pub(crate) fn outline_level(outline: &mut Vec<(u8, u8)>, level: u8) -> u8 {
    while outline.last().is_some_and(|&(written, _)| written >= level) {
        outline.pop();
    }
    let parent = outline.last().map_or(1, |&(_, tag)| tag);
    let tag = level.min(parent + 1);
    outline.push((level, tag));
    tag
}

/// The `#` link after a heading's text, named for screen readers by the
/// heading it leads to (a bare `#` says nothing; hidden, it was a silent tab stop).
pub(crate) fn anchor_html(id: &str, text: &str, language: &str) -> String {
    let label = crate::i18n::word(language, "anchor_label");
    let label = match text.trim() {
        "" => label.trim_end_matches(['：', ':', ' ']).to_string(),
        text => format!("{label}{text}"),
    };
    format!(
        "<a class=\"anchor\" href=\"#{}\" aria-label=\"{}\">#</a>",
        html_escape::encode_double_quoted_attribute(id),
        html_escape::encode_double_quoted_attribute(&label)
    )
}

/// A paragraph that starts with a line of `$$`: a display formula the
/// parser did not take as one, shown as text. Said, as a formula that
/// cannot be drawn is, with why: no `$$` ends it within its paragraph (a
/// blank line inside, or none at all), else its `{` and `}` do not pair up.
pub(super) fn unread_formula(file: &str, line: usize, closed: bool) {
    let why = match closed {
        true => "check that its `{` and `}` pair up (write a lone brace as `\\{` or `\\}`)",
        false => {
            "no `$$` ends it before a blank line or the end of the note; \
                  end it with a line of `$$` (a formula has no blank line inside)"
        }
    };
    log::warn!("{file}:{line}: this `$$` formula is not read as math and is shown as text; {why}");
}

/// Whether a `$$` ends the formula opened on the first line of `from`
/// before a blank line does.
pub(super) fn closes(from: &str) -> bool {
    for line in from.lines().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            return false;
        }
        if line.ends_with("$$") {
            return true;
        }
    }
    false
}
