//! The second pass: a note's Markdown events rewritten into HTML, with
//! highlighted code, heading anchors, resolved links, linked bare URLs, math
//! as MathML, diagrams, callouts, embeds and Typora's small syntax.

use super::plain::PlainText;
use super::{autolink, callout, html_tags, math, typora};
use super::{level_num, link_kind, Heading, LineIndex, LinkKind, Syntax};
use crate::highlight::Highlighter;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Parser, Tag, TagEnd};

/// A note shown inside another (`![[note]]`): its body and where it lives.
pub struct Embedded {
    pub href: String,
    pub title: String,
    pub html: String,
}

/// What `render` needs from the rest of the site.
pub struct RenderCtx<'a> {
    /// The note's headings from `scan`, in order (their ids are reused, never recomputed).
    pub headings: &'a [Heading],
    pub highlighter: &'a Highlighter,
    /// Maps a link as written to the href to emit; `None` keeps it as written.
    pub resolve: &'a dyn Fn(&str, LinkKind) -> Option<String>,
    pub syntax: &'a Syntax,
    /// The site's language, for callout titles.
    pub language: &'a str,
    /// `notes/x.md` and the front matter's lines, for warnings that name a line.
    pub file: &'a str,
    pub line_offset: usize,
    /// The note an `![[embed]]` names, rendered; `None` shows the embed as a link.
    pub embed: &'a dyn Fn(&str) -> Option<Embedded>,
}

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

/// The state of one render: the events written so far and what is open.
struct Renderer<'c, 'e> {
    ctx: &'c RenderCtx<'c>,
    events: Vec<Event<'e>>,
    text_buf: String,
    heading_no: usize,
    heading_open: Option<(String, u8)>,
    link_depth: usize,
    image_depth: usize,
    /// Open images: where their alt text starts in `events`, source, title.
    images: Vec<(usize, CowStr<'e>, CowStr<'e>)>,
    /// Open paragraphs and list items: their start event, for block ids.
    blocks: Vec<usize>,
    /// The open paragraph's start, and the embeds in it (index, link to show instead).
    para: Option<(usize, Vec<(usize, String)>)>,
    quotes: Vec<Quote>,
    /// An open `==` mark's event, turned back into text if the block ends first.
    mark_open: Option<usize>,
    /// Inside an `![[embed]]` that shows a note: its alt text is dropped.
    embedding: Option<Embedded>,
    in_unknown_html: bool,
    /// Made at the note's first formula.
    math: Option<math::Converter>,
}

/// Second pass: the note body as HTML, also filling `text` (when given) with
/// the note's visible text.
pub fn render_with_text(body: &str, ctx: &RenderCtx, mut text: Option<&mut PlainText>) -> String {
    let body = if ctx.syntax.comments {
        typora::strip_comments(body, ctx.syntax.options())
    } else {
        std::borrow::Cow::Borrowed(body)
    };
    let body = body.as_ref();
    let lines = LineIndex::new(body, ctx.line_offset);
    let mut r = Renderer {
        ctx,
        events: Vec::with_capacity(body.len() / 8),
        text_buf: String::new(),
        heading_no: 0,
        heading_open: None,
        link_depth: 0,
        image_depth: 0,
        images: Vec::new(),
        blocks: Vec::new(),
        para: None,
        quotes: Vec::new(),
        mark_open: None,
        embedding: None,
        in_unknown_html: false,
        math: None,
    };
    let mut code: Option<(String, String, usize)> = None; // (label, text, line)
    for (event, range) in Parser::new_ext(body, ctx.syntax.options()).into_offset_iter() {
        if let Some((_, c, _)) = code.as_mut() {
            match event {
                Event::Text(t) => c.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (label, code_text, line) = code.take().unwrap_or_default();
                    r.code_block(&label, &code_text, line, text.as_deref_mut());
                }
                _ => {}
            }
            continue;
        }
        if r.embedding.is_some() && !matches!(event, Event::End(TagEnd::Image)) {
            continue;
        }
        if let Event::Text(t) = &event {
            r.text_buf.push_str(t);
            continue;
        }
        if matches!(event, Event::InlineMath(_)) && !math::is_inline_math(body, &range) {
            r.text_buf.push_str(&body[range]);
            continue;
        }
        if !r.before_event(&event, text.as_deref_mut()) {
            continue;
        }
        let html_as_text = r.html_as_text(&event);
        if let Some(t) = text.as_deref_mut() {
            let syntax = ctx.syntax;
            let shown = typora::visible(&r.text_buf, syntax.highlight, syntax.sup_sub);
            if !matches!(
                event,
                Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_))
            ) {
                t.observe(&event, &shown, r.image_depth > 0, html_as_text);
            } else if r.image_depth == 0 {
                t.push(&shown);
            }
        }
        r.flush();
        if typora::ends_block(&event) {
            r.end_mark();
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let label = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((label, String::new(), lines.pos(body, range.start).0));
            }
            Event::InlineMath(tex) => {
                let line = lines.pos(body, range.start).0;
                r.math(&tex, false, line);
            }
            Event::DisplayMath(tex) => {
                let line = lines.pos(body, range.start).0;
                r.math(&tex, true, line);
            }
            Event::Html(h) | Event::InlineHtml(h) if html_as_text => r.events.push(Event::Text(h)),
            Event::Html(h) => r.raw_html(h, false),
            Event::InlineHtml(h) => r.raw_html(h, true),
            other => r.event(other, text.as_deref_mut()),
        }
    }
    if let Some(t) = text {
        t.push(&r.text_buf);
    }
    r.flush();
    r.end_mark();
    r.finish()
}

impl<'c, 'e> Renderer<'c, 'e> {
    /// Raw HTML that is no real markup (`<用户名>`, a whole block opening
    /// with one) is shown as text: decided once, here, for the page and the
    /// search text alike.
    fn html_as_text(&mut self, event: &Event) -> bool {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                self.in_unknown_html = false;
                false
            }
            Event::Html(h) => {
                if h.trim_start().starts_with('<') && !html_tags::is_known_markup(h) {
                    self.in_unknown_html = true;
                }
                self.in_unknown_html
            }
            Event::InlineHtml(h) => html_tags::inline_is_text(h),
            _ => false,
        }
    }

    /// Work on the text just before `event` that must happen before it is
    /// shown or indexed: `[TOC]`, a callout's first line, a block id.
    /// Returns false when the event itself is consumed.
    fn before_event(&mut self, event: &Event, text: Option<&mut PlainText>) -> bool {
        let syntax = self.ctx.syntax;
        if let Some(Quote::Pending(start)) = self.quotes.last() {
            let start = *start;
            let first_line = self.events.len() == start + 2
                && matches!(self.events[start + 1], Event::Start(Tag::Paragraph));
            let header = first_line
                .then(|| callout::header(&self.text_buf))
                .flatten();
            let top = self.quotes.len() - 1;
            match header {
                Some(h) => {
                    let open = callout::open_html(&h, self.ctx.language);
                    if let Some(t) = text {
                        // The title as shown, not the `[!type]` marker.
                        t.push(&callout::title(&h, self.ctx.language));
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
                    self.text_buf.clear();
                }
                None if !self.text_buf.is_empty() || self.events.len() > start + 1 => {
                    self.quotes[top] = Quote::Plain;
                }
                None => {}
            }
        }
        if let Some(Quote::Callout { folded, title }) = self.quotes.last_mut() {
            if *title && matches!(event, Event::SoftBreak | Event::End(TagEnd::Paragraph)) {
                *title = false;
                let folded = *folded;
                self.flush();
                let end = callout::title_end(folded);
                self.events.push(Event::Html(CowStr::Borrowed(end)));
                if matches!(event, Event::SoftBreak) {
                    // The first line's paragraph goes on as the body's.
                    self.blocks.push(self.events.len());
                    self.para = Some((self.events.len(), Vec::new()));
                    self.events.push(Event::Start(Tag::Paragraph));
                }
                return false;
            }
        }
        if syntax.toc && matches!(event, Event::End(TagEnd::Paragraph)) {
            let alone = self
                .para
                .as_ref()
                .is_some_and(|(s, _)| *s + 1 == self.events.len());
            if alone && self.text_buf.trim().eq_ignore_ascii_case("[toc]") {
                self.events.pop();
                self.text_buf.clear();
                self.blocks.pop();
                self.para = None;
                let toc = super::toc::html(self.ctx.headings, self.ctx.language);
                self.events.push(Event::Html(CowStr::from(toc)));
                return false;
            }
        }
        if matches!(event, Event::End(TagEnd::Paragraph | TagEnd::Item)) {
            if let Some((cut, id)) = typora::block_id(&self.text_buf) {
                let id = id.to_string();
                self.text_buf.truncate(cut);
                if let Some(&at) = self.blocks.last() {
                    let tag = if matches!(event, Event::End(TagEnd::Item)) {
                        "li"
                    } else {
                        "p"
                    };
                    self.events[at] = Event::Html(CowStr::from(format!(
                        "<{tag} id=\"^{}\">",
                        html_escape::encode_double_quoted_attribute(&id)
                    )));
                }
            }
        }
        true
    }

    /// Writes the pending text: bare URLs linked (outside links), `==marks==`,
    /// and word-internal scripts.
    fn flush(&mut self) {
        if self.text_buf.is_empty() {
            return;
        }
        let buf = std::mem::take(&mut self.text_buf);
        let syntax = self.ctx.syntax;
        let linkify = self.link_depth == 0;
        if !syntax.highlight && !syntax.sup_sub && !linkify {
            self.events.push(Event::Text(CowStr::from(buf)));
            return;
        }
        for piece in typora::pieces(&buf, syntax.highlight, syntax.sup_sub) {
            match piece {
                typora::Piece::Text(t) if linkify => self.linkify(t),
                typora::Piece::Text(t) => {
                    self.events.push(Event::Text(CowStr::from(t.to_string())))
                }
                typora::Piece::Mark => match self.mark_open.take() {
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

    fn linkify(&mut self, text: &str) {
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

    /// A `==` left open when its block ends was no mark: it shows as written.
    fn end_mark(&mut self) {
        if let Some(at) = self.mark_open.take() {
            self.events[at] = Event::Text(CowStr::Borrowed("=="));
        }
    }

    fn code_block(&mut self, label: &str, code: &str, line: usize, text: Option<&mut PlainText>) {
        let syntax = self.ctx.syntax;
        if syntax.math && label.eq_ignore_ascii_case("math") {
            self.math(code, true, line + 1);
            return;
        }
        if let Some(t) = text {
            t.brk();
            t.push(code);
            t.brk();
        }
        let html = if syntax.diagrams && label.eq_ignore_ascii_case("mermaid") {
            // Drawn by the browser (static/diagrams.js); the source stays
            // readable with JavaScript off or when drawing fails.
            format!(
                "<div class=\"diagram\"><pre class=\"mermaid-src\"><code class=\"language-mermaid\">{}</code></pre></div>\n",
                html_escape::encode_text(code)
            )
        } else {
            self.ctx.highlighter.block(label, code).to_string()
        };
        self.events.push(Event::Html(CowStr::from(html)));
    }

    /// A formula as MathML; one the converter cannot read stays as its TeX
    /// source, in code, with a warning: nothing the author wrote is lost.
    fn math(&mut self, tex: &str, display: bool, line: usize) {
        let converter = self.math.get_or_insert_with(math::Converter::new);
        match converter.to_mathml(tex, display) {
            Ok(m) => self.events.push(Event::Html(CowStr::from(m))),
            Err(e) => {
                log::warn!(
                    "{}:{line}: this formula cannot be shown as math ({e}); its TeX is shown as code",
                    self.ctx.file
                );
                // Inline code even for a display formula: it may sit in a paragraph.
                let html = format!(
                    "<code class=\"math-error\">{}</code>",
                    html_escape::encode_text(tex.trim())
                );
                self.events.push(Event::Html(CowStr::from(html)));
            }
        }
    }

    /// Raw HTML, with the `src` of its relative images rewritten as a
    /// Markdown image's would be.
    fn raw_html(&mut self, h: CowStr<'e>, inline: bool) {
        let ctx = self.ctx;
        let resolve = |src: &str| (ctx.resolve)(src, LinkKind::Image);
        let h = match super::html_img::rewrite_srcs(&h, &resolve) {
            Some(new) => CowStr::from(new),
            None => h,
        };
        self.events.push(if inline {
            Event::InlineHtml(h)
        } else {
            Event::Html(h)
        });
    }

    /// Every event the extensions do not take over.
    fn event(&mut self, event: Event<'e>, text: Option<&mut PlainText>) {
        match event {
            Event::Start(Tag::Paragraph) => {
                self.blocks.push(self.events.len());
                self.para = Some((self.events.len(), Vec::new()));
                self.events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                self.blocks.pop();
                if self.end_paragraph() {
                    self.events.push(event);
                }
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
                if let Some((id, n)) = self.heading_open.take() {
                    self.events.push(Event::Html(CowStr::from(format!(
                        "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\">#</a></h{n}>\n",
                        html_escape::encode_double_quoted_attribute(&id)
                    ))));
                }
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => self.start_link(tag),
            Event::End(TagEnd::Image) => self.end_image(),
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.events.push(event);
            }
            other => self.events.push(other),
        }
    }

    /// Closes a paragraph; false when its end tag is not to be written (a
    /// paragraph that held only an embed is the embed).
    fn end_paragraph(&mut self) -> bool {
        let Some((start, embeds)) = self.para.take() else {
            return true;
        };
        if let [(at, _)] = embeds.as_slice() {
            if *at == start + 1 && self.events.len() == start + 2 {
                self.events.remove(start);
                return false;
            }
        }
        // An embed among other text is a link: a note's body cannot sit in a sentence.
        for (at, link) in embeds {
            self.events[at] = Event::Html(CowStr::from(link));
        }
        true
    }

    fn start_heading(&mut self, n: u8, classes: &[CowStr], text: Option<&mut PlainText>) {
        let id = self
            .ctx
            .headings
            .get(self.heading_no)
            .map(|h| h.id.clone())
            .unwrap_or_default();
        self.heading_no += 1;
        let class = if classes.is_empty() {
            String::new()
        } else {
            format!(
                " class=\"{}\"",
                html_escape::encode_double_quoted_attribute(&classes.join(" "))
            )
        };
        self.events.push(Event::Html(CowStr::from(format!(
            "<h{n} id=\"{}\"{class}>",
            html_escape::encode_double_quoted_attribute(&id)
        ))));
        if let Some(t) = text {
            t.start_heading(&id);
        }
        self.heading_open = Some((id, n));
    }

    fn start_link(&mut self, mut tag: Tag<'e>) {
        let image = matches!(tag, Tag::Image { .. });
        self.link_depth += 1;
        self.image_depth += usize::from(image);
        if let Tag::Image {
            link_type: LinkType::WikiLink { .. },
            dest_url,
            ..
        } = &tag
        {
            // A note (not a file) embedded; with embeds off, a link to it.
            if self.images.is_empty() {
                if let Some(e) = (self.ctx.embed)(dest_url) {
                    self.embedding = Some(e);
                    return;
                }
            }
        }
        if let Tag::Link {
            link_type,
            dest_url,
            ..
        }
        | Tag::Image {
            link_type,
            dest_url,
            ..
        } = &mut tag
        {
            let dest = std::mem::replace(dest_url, CowStr::Borrowed(""));
            *dest_url = self.rewrite(*link_type, image, dest);
        }
        match tag {
            // Written at its end, once its alt text is known.
            Tag::Image {
                dest_url, title, ..
            } => self.images.push((self.events.len(), dest_url, title)),
            tag => self.events.push(Event::Start(tag)),
        }
    }

    fn end_image(&mut self) {
        self.image_depth = self.image_depth.saturating_sub(1);
        self.link_depth = self.link_depth.saturating_sub(1);
        if let Some(e) = self.embedding.take() {
            let href = html_escape::encode_double_quoted_attribute(&e.href);
            let title = html_escape::encode_text(&e.title);
            let link = format!("<a href=\"{href}\">{title}</a>");
            if !self.ctx.syntax.embeds {
                self.events.push(Event::Html(CowStr::from(link)));
                return;
            }
            let block = format!(
                "<div class=\"embed\">\n<p class=\"embed-source\"><a href=\"{href}\">{title}</a></p>\n{}</div>\n",
                e.html
            );
            let at = self.events.len();
            self.events.push(Event::Html(CowStr::from(block)));
            if let Some((_, embeds)) = self.para.as_mut() {
                embeds.push((at, link));
            }
            return;
        }
        if let Some((at, src, title)) = self.images.pop() {
            let alt = alt_text(self.events.drain(at..));
            // An image inside another one's alt text is only its alt text,
            // as pulldown-cmark writes it.
            self.events.push(if self.images.is_empty() {
                Event::Html(CowStr::from(img_tag(&src, &title, &alt)))
            } else {
                Event::Text(CowStr::from(alt))
            });
        }
    }

    fn rewrite(&self, link_type: LinkType, image: bool, dest: CowStr<'e>) -> CowStr<'e> {
        if matches!(link_type, LinkType::Email) {
            return dest;
        }
        match (self.ctx.resolve)(&dest, link_kind(link_type, image)) {
            Some(href) => CowStr::from(href),
            None => dest,
        }
    }

    fn finish(self) -> String {
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

/// The alt text of an image from the events between its start and end: their
/// text, as pulldown-cmark takes it.
fn alt_text<'a>(inner: impl Iterator<Item = Event<'a>>) -> String {
    let mut alt = String::new();
    for e in inner {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
            Event::TaskListMarker(done) => alt.push_str(if done { "[x]" } else { "[ ]" }),
            _ => {}
        }
    }
    alt
}

/// An image as pulldown-cmark writes it, plus `loading="lazy"`: a note full of
/// screenshots loads those the reader scrolls to.
pub(super) fn img_tag(src: &str, title: &str, alt: &str) -> String {
    use pulldown_cmark_escape::{escape_href, escape_html};
    let mut out = String::with_capacity(src.len() + alt.len() + title.len() + 48);
    out.push_str("<img src=\"");
    let _ = escape_href(&mut out, src);
    out.push_str("\" alt=\"");
    let _ = escape_html(&mut out, alt);
    if !title.is_empty() {
        out.push_str("\" title=\"");
        let _ = escape_html(&mut out, title);
    }
    out.push_str("\" loading=\"lazy\" />");
    out
}
