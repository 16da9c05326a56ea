//! The first pass over a note: cheap, run for every note before anything is
//! rendered, so that every cross-link can be resolved and checked.

use super::sentence::{first_sentence, flush_context, may_reach_a_note};
use super::{breaks, callout, html_img, html_tags, math, slug, typora};
use super::{level_num, link_kind, Heading, LineIndex, LinkRef, Scan, Syntax};
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag, TagEnd};
use std::ops::Range;

/// First pass: title, headings (with GitHub ids), links and a summary.
pub(crate) fn scan(body: &str, line_offset: usize, syntax: &Syntax) -> Scan {
    let (body, remap) = super::prepare(body, syntax);
    let body = body.as_ref();
    let lines = LineIndex::new(body, line_offset).with_remap(remap);
    let mut scanner = Scanner::new(body, lines, syntax);
    for (event, range) in super::events(body, syntax) {
        scanner.event(event, range);
    }
    scanner.finish()
}

/// A heading being read: level, custom `{#id}`, line, its text so far as
/// written (for the id, as GitHub reads it) and as shown (`==`, `~` dropped).
type OpenHeading = (u8, Option<String>, usize, String, String);

/// State of the first pass between events.
struct Scanner<'a> {
    body: &'a str,
    syntax: &'a Syntax,
    lines: LineIndex,
    out: Scan,
    slugger: slug::Slugger,
    heading: Option<OpenHeading>,
    /// Text of the current block; links in it wait in `pending` for their context.
    block: String,
    /// (index in `out.links`, offset in `block`)
    pending: Vec<(usize, usize)>,
    first_block: bool,
    /// Paragraphs (but `[TOC]`) and code blocks so far, for [`Scan::h1_near_top`].
    blocks: usize,
    in_code: bool,
    summary_done: bool,
    /// Open images: their alt text is not prose for the summary.
    image_depth: usize,
    /// Open images: where their alt text starts in `block`, and the
    /// `![[target]]` as written (for Obsidian's sizes, `![[a.png|300]]`).
    images: Vec<(usize, Option<String>)>,
    /// Whether the current block has text outside images.
    prose: bool,
    /// The block's length just after the space a soft break joined lines
    /// with (`breaks: false`): dropped if wide characters meet there.
    joint: Option<usize>,
    /// What an open `[[note#heading]]` shows, as `render` writes it.
    section_text: Option<String>,
    /// Text events since the last other event: read together, as the
    /// renderer reads them, for the marks and scripts they hold (`==重点==`).
    run: String,
    /// The event before `run` was an inline element (see [`typora::Glued`]).
    glued: bool,
}

impl<'a> Scanner<'a> {
    fn new(body: &'a str, lines: LineIndex, syntax: &'a Syntax) -> Self {
        Scanner {
            body,
            syntax,
            lines,
            out: Scan::default(),
            slugger: slug::Slugger::default(),
            heading: None,
            block: String::new(),
            pending: Vec::new(),
            first_block: true,
            blocks: 0,
            in_code: false,
            summary_done: false,
            image_depth: 0,
            images: Vec::new(),
            prose: false,
            joint: None,
            section_text: None,
            run: String::new(),
            glued: false,
        }
    }

    fn event(&mut self, event: Event, range: Range<usize>) {
        // Dollars that are not math (`$5 和 $6`) are text, as the renderer reads them.
        if matches!(event, Event::InlineMath(_)) && !math::is_inline_math(self.body, &range) {
            if !self.in_code {
                self.run.push_str(&self.body[range]);
            }
            return;
        }
        if let Event::Text(t) = &event {
            if !self.in_code {
                // A section link shows its own text, once (its words are dropped).
                match self.section_text.as_mut() {
                    Some(shown) => self.run.push_str(&std::mem::take(shown)),
                    None => self.run.push_str(t),
                }
            }
            return;
        }
        self.flush_run(typora::touches_text(&event));
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let (line, _) = self.lines.pos(self.body, range.start);
                let custom = id.map(|s| s.to_string());
                let (written, shown) = (String::new(), String::new());
                self.heading = Some((level_num(level), custom, line, written, shown));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(ref kind)) => self.start_code(kind),
            Event::End(TagEnd::CodeBlock) => {
                self.blocks += 1;
                self.in_code = false;
                self.first_block = false;
            }
            Event::End(TagEnd::Paragraph) => self.end_paragraph(),
            // A list inside an item ends the item's own text (and its block id, `- 父项 ^p1`).
            Event::Start(Tag::List(_)) if !self.block.is_empty() => {
                block_id(&mut self.out, &self.block);
                self.end_block();
            }
            Event::End(TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)) => {
                if matches!(event, Event::End(TagEnd::Item)) {
                    block_id(&mut self.out, &self.block);
                }
                self.end_block();
            }
            Event::Start(ref tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                if let Tag::Image {
                    link_type,
                    dest_url,
                    ..
                } = tag
                {
                    let wiki = matches!(link_type, LinkType::WikiLink { .. });
                    let wiki = wiki.then(|| dest_url.to_string());
                    self.images.push((self.block.len(), wiki));
                    self.image_depth += 1;
                }
                self.start_link(tag, range.start)
            }
            Event::End(TagEnd::Image) => self.end_image(),
            Event::End(TagEnd::Link) => self.section_text = None,
            Event::Code(ref t) => self.text(t, t, false),
            Event::InlineMath(tex) => self.math(&tex, &self.body[range], false),
            Event::DisplayMath(tex) => self.math(&tex, &self.body[range], true),
            // `Vec<T>` is shown as text (see `render`); the id drops it, as GitHub's does.
            Event::InlineHtml(h) if html_tags::inline_is_text(&h) => self.text("", &h, false),
            Event::Html(h) | Event::InlineHtml(h) => self.html(&h, range.start),
            Event::SoftBreak | Event::HardBreak if self.heading.is_some() => {
                if let Some(h) = self.heading.as_mut() {
                    h.3.push('\n');
                    h.4.push('\n');
                }
            }
            Event::SoftBreak | Event::HardBreak if !self.in_code => {
                self.block.push(' ');
                if matches!(event, Event::SoftBreak) && !self.syntax.breaks {
                    self.joint = Some(self.block.len());
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Scan {
        self.flush_run(false);
        self.settle_marks();
        flush_context(&mut self.out.links, &mut self.pending, &self.block);
        // Every note's scan is kept for the whole build: no spare capacity.
        self.out.links.shrink_to_fit();
        self.out.headings.shrink_to_fit();
        self.out
    }

    /// Ends the current block: its links get their context and the next starts empty.
    fn end_block(&mut self) {
        self.first_block = false;
        self.settle_marks();
        flush_context(&mut self.out.links, &mut self.pending, &self.block);
        self.block.clear();
        self.prose = false;
        self.joint = None;
    }

    fn end_heading(&mut self) {
        if let Some((level, custom, line, written, mut shown)) = self.heading.take() {
            typora::settle_marks(&mut shown, std::iter::empty());
            // A heading over two lines (setext) reads with a space between
            // them, but its id is GitHub's, which drops the line break.
            let text = written.replace('\n', "").trim().to_string();
            let id = match custom {
                Some(c) => self.slugger.unique(c),
                // The id is taken as GitHub takes it, so later ones stay the
                // same, but a heading with no text gets none: `id=""` is invalid.
                None if text.is_empty() => {
                    self.slugger.slug(&text);
                    String::new()
                }
                None => self.slugger.slug(&text),
            };
            let text = match shown.contains('\n') {
                true => breaks::join_lines(shown.trim()),
                false => shown.trim().to_string(),
            };
            // Shown with its emoji (as the heading itself is); the id keeps
            // the shortcode's name, as GitHub's does.
            let text = if self.syntax.emoji {
                super::emoji::outside_urls(&text).into_owned()
            } else {
                text
            };
            if level == 1 && self.out.h1.is_none() {
                self.out.h1 = Some(text.clone());
                self.out.starts_with_h1 = self.first_block;
                self.out.h1_near_top = self.out.headings.is_empty() && self.blocks <= 2;
            }
            self.out.headings.push(Heading {
                level,
                text,
                id,
                line,
            });
        }
        self.end_block();
    }

    fn start_code(&mut self, kind: &CodeBlockKind) {
        self.in_code = true;
        if let CodeBlockKind::Fenced(info) = kind {
            let label = super::line_marks::label(info);
            self.out.diagrams |= self.syntax.diagrams
                && ["mermaid", "sequence", "flow"]
                    .iter()
                    .any(|d| label.eq_ignore_ascii_case(d));
        }
    }

    /// The block's `==` as the page shows them (see [`typora::settle_marks`]).
    fn settle_marks(&mut self) {
        let offsets = self.pending.iter_mut().map(|(_, at)| at);
        typora::settle_marks(&mut self.block, offsets);
    }

    fn end_paragraph(&mut self) {
        self.settle_marks();
        let shown = &self.block[..block_id(&mut self.out, &self.block)];
        let toc = self.syntax.toc && shown.trim().eq_ignore_ascii_case("[toc]");
        self.blocks += usize::from(!toc);
        // The summary (a page's meta description, a listing's line) is the
        // first prose: not an image's alt text, nor a callout's `[!type]`.
        let text = match self.syntax.callouts.then(|| callout::header(shown)) {
            Some(Some(h)) => h.title,
            _ => shown,
        };
        // Where the text after a callout's `[!type]` starts.
        let marker = text.as_ptr() as usize - self.block.as_ptr() as usize;
        if !self.summary_done && !toc && self.prose && !text.trim().is_empty() {
            self.out.summary = first_sentence(text);
            if self.syntax.emoji {
                self.out.summary = super::emoji::outside_urls(&self.out.summary).into_owned();
            }
            self.summary_done = true;
        }
        // Nor is the marker part of the sentence a link in the callout is
        // shown in (`!` would end one): blanked, so the offsets stay.
        self.block.replace_range(..marker, &" ".repeat(marker));
        self.end_block();
    }

    fn start_link(&mut self, tag: &Tag, at: usize) {
        let (link_type, dest_url, image) = match tag {
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => (*link_type, dest_url, false),
            Tag::Image {
                link_type,
                dest_url,
                ..
            } => (*link_type, dest_url, true),
            _ => return,
        };
        if matches!(link_type, LinkType::Email) {
            return;
        }
        if matches!(link_type, LinkType::WikiLink { has_pothole: false }) && !image {
            self.section_text = super::section_text(dest_url);
        }
        let (line, col) = self.lines.pos(self.body, at);
        let kind = link_kind(link_type, image);
        if may_reach_a_note(kind, dest_url) {
            self.pending.push((self.out.links.len(), self.block.len()));
        }
        self.out.links.push(LinkRef {
            dest: dest_url.to_string(),
            kind,
            line,
            col,
            context: String::new(),
        });
    }

    /// An image's alt text stays in the block's text without the size
    /// Obsidian writes after it (`![图|300](a.png)` reads `图`).
    fn end_image(&mut self) {
        self.image_depth = self.image_depth.saturating_sub(1);
        let Some((start, wiki)) = self.images.pop() else {
            return;
        };
        if !self.images.is_empty() || self.heading.is_some() {
            return;
        }
        let Some(alt) = self.block.get(start..) else {
            return;
        };
        let (shown, _) = typora::image_size(alt, wiki.as_deref());
        if shown.len() != alt.len() {
            let shown = shown.to_string();
            self.block.truncate(start);
            self.block.push_str(&shown);
        }
    }

    /// The text events since the last other event, before one that
    /// `touches` them or not (as [`typora::visible`] reads them).
    fn flush_run(&mut self, touches: bool) {
        let glued = (std::mem::replace(&mut self.glued, touches), touches);
        if self.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.run);
        let syntax = self.syntax;
        let shown = typora::visible_marked(&run, syntax.highlight, syntax.sup_sub, glued);
        self.text(&run, &shown, true);
        drop(shown);
        self.run = run;
        self.run.clear();
    }

    /// Text or inline code, as written and as shown: counted, and kept as
    /// heading or block text.
    fn text(&mut self, written: &str, t: &str, plain: bool) {
        if let Some(h) = self.heading.as_mut() {
            h.3.push_str(written);
            h.4.push_str(t);
            self.out.count(t);
        } else if !self.in_code {
            self.prose |= self.image_depth == 0 && !t.trim().is_empty();
            let len = self.block.len();
            if self.joint.take() == Some(len) && breaks::joined(&self.block[..len - 1], t) {
                self.block.pop();
            }
            self.block.push_str(t);
            self.out.count(t);
            if self.syntax.inline_tags && plain {
                typora::inline_tags(t, &mut self.out.inline_tags);
            }
        }
    }

    /// A formula: plain text can only show its TeX, which is what a title,
    /// the table of contents and a description show. A heading's id is taken
    /// from it as written, dollars and all, as GitHub takes it (so that
    /// `[[note#排序 $O(n)$]]` finds it). A display formula is no description.
    fn math(&mut self, tex: &str, written: &str, display: bool) {
        if let Some(h) = self.heading.as_mut() {
            h.3.push_str(written);
            h.4.push_str(tex.trim());
        } else if !self.in_code && !display {
            self.prose |= self.image_depth == 0;
            self.block.push_str(tex.trim());
        }
    }

    /// Raw HTML: its `<img src>`s and `<a href>`s are links to check like
    /// Markdown's, its `id=`s anchors that links may name.
    fn html(&mut self, html: &str, at: usize) {
        for (r, url, kind) in html_img::urls(html) {
            let (line, col) = self.lines.pos(self.body, at + r.start);
            self.out.links.push(LinkRef {
                dest: html_escape::decode_html_entities(url).into_owned(),
                kind,
                line,
                col,
                context: String::new(),
            });
        }
        self.out.block_ids.extend(html_img::ids(html));
    }
}

/// Records the block id that ends `block`, if any; returns where the text
/// before it ends (the page does not show the id).
fn block_id(out: &mut Scan, block: &str) -> usize {
    match typora::block_id(block) {
        Some((end, id)) => {
            out.block_ids.push(format!("^{id}"));
            end
        }
        None => block.len(),
    }
}
