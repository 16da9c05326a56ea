//! The first pass over a note: cheap, run for every note before anything is
//! rendered, so that every cross-link can be resolved and checked.

mod inline;

use super::sentence::{first_sentence, flush_context};
use super::{breaks, callout, html_tags, slug, typora};
use super::{level_num, Heading, LineIndex, Scan, Syntax};
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use std::ops::Range;

/// First pass: title, headings (with GitHub ids), links and a summary.
pub(crate) fn scan(body: &str, line_offset: usize, syntax: &Syntax) -> Scan {
    let prepared = super::prepare(body, syntax);
    let body = prepared.body.as_ref();
    let lines = LineIndex::new(body, line_offset).with_remap(prepared.remap);
    let mut scanner = Scanner::new(body, lines, syntax, prepared.stand_ins);
    for (event, range) in super::events(body, syntax, prepared.stand_ins) {
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
    /// Where the block's text after its last link or formula starts: a
    /// block id is there, not in a link's text (`见 [[目标#^abc]]` shows
    /// `目标 > ^abc`).
    after_link: usize,
    /// Inside a footnote's definition, which the page shows at its end: no
    /// description comes from it.
    in_footnote: bool,
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
    /// Raw `<svg>`s and the like open in the block (see [`html_tags::FOREIGN`]).
    foreign: usize,
    /// Which stand-ins the note has, for a heading's formula as written.
    stand_ins: super::stand_in::Used,
}

impl<'a> Scanner<'a> {
    fn new(
        body: &'a str,
        lines: LineIndex,
        syntax: &'a Syntax,
        stand_ins: super::stand_in::Used,
    ) -> Self {
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
            after_link: 0,
            in_footnote: false,
            in_code: false,
            summary_done: false,
            image_depth: 0,
            images: Vec::new(),
            prose: false,
            joint: None,
            section_text: None,
            run: String::new(),
            glued: false,
            foreign: 0,
            stand_ins,
        }
    }

    fn event(&mut self, event: Event, range: Range<usize>) {
        if self.run_text(&event, &range) {
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
                block_id(&mut self.out, &self.block, self.after_link);
                self.end_block();
            }
            Event::End(TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)) => {
                if matches!(event, Event::End(TagEnd::Item)) {
                    block_id(&mut self.out, &self.block, self.after_link);
                }
                self.end_block();
            }
            Event::Start(ref tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                self.start_link(tag, range.start)
            }
            Event::End(TagEnd::Image) => self.end_image(),
            Event::End(TagEnd::Link) => {
                self.section_text = None;
                self.after_link = self.block.len();
            }
            Event::Start(Tag::FootnoteDefinition(_)) => self.in_footnote = true,
            Event::End(TagEnd::FootnoteDefinition) => self.in_footnote = false,
            Event::Code(ref t) => self.text(t, t, false),
            Event::InlineMath(tex) => self.math(&tex, &self.body[range], false),
            Event::DisplayMath(tex) => self.math(&tex, &self.body[range], true),
            // `Vec<T>` is shown as text (see `render`); the id drops it, as GitHub's does.
            // As `render` decides (`<circle/>` in an `<svg>` is a shape).
            Event::InlineHtml(h)
                if html_tags::inline_is_text(&h)
                    && !(self.foreign > 0 && html_tags::is_inner(&h)) =>
            {
                self.text("", &h, false)
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                self.foreign = html_tags::foreign_depth(&h, self.foreign);
                self.html(&h, range.start)
            }
            Event::SoftBreak => self.line_break(true),
            Event::HardBreak => self.line_break(false),
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
        self.after_link = 0;
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

    /// A line break: inside a heading, kept until its end (see
    /// [`Self::end_heading`]); in a block, a space, which a soft break
    /// between wide characters drops when lines are joined.
    fn line_break(&mut self, soft: bool) {
        if let Some(h) = self.heading.as_mut() {
            h.3.push('\n');
            h.4.push('\n');
        } else if !self.in_code {
            self.block.push(' ');
            if soft && !self.syntax.breaks {
                self.joint = Some(self.block.len());
            }
        }
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
        self.foreign = 0;
        self.settle_marks();
        let shown = &self.block[..block_id(&mut self.out, &self.block, self.after_link)];
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
        let described = self.summary_done || self.in_footnote;
        if !described && !toc && self.prose && !text.trim().is_empty() {
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
}

/// Records the block id that ends `block` (after its last link, at
/// `from`), if any; returns where the text before it ends (the page does
/// not show the id).
fn block_id(out: &mut Scan, block: &str, from: usize) -> usize {
    match block.get(from..).and_then(typora::block_id) {
        Some((end, id)) => {
            out.block_ids.push(format!("^{id}"));
            from + end
        }
        None => block.len(),
    }
}
