//! The first pass's inline events: text runs read as the renderer reads
//! them, formulas, links, images and raw HTML.

use super::Scanner;
use crate::markdown::sentence::may_reach_a_note;
use crate::markdown::{breaks, html_img, link_kind, math, typora, LinkRef};
use pulldown_cmark::{Event, LinkType, Tag};
use std::ops::Range;

impl Scanner<'_> {
    /// Text gathered into the run (as the renderer gathers it): a `Text`
    /// event, or dollars that are not math (`$5 和 $6`). True when `event`
    /// was one.
    pub(super) fn run_text(&mut self, event: &Event, range: &Range<usize>) -> bool {
        let text = match event {
            Event::InlineMath(_) if !math::is_inline_math(self.body, range) => {
                &self.body[range.clone()]
            }
            Event::Text(t) => t,
            _ => return false,
        };
        if !self.in_code {
            // A section link shows its own text, once (its words are dropped).
            match (event, self.section_text.as_mut()) {
                (Event::Text(_), Some(shown)) => self.run.push_str(&std::mem::take(shown)),
                _ => self.run.push_str(text),
            }
        } else if text.contains("{{#") {
            for d in crate::markdown::include::find(text) {
                if !d.escaped {
                    let (line, _) = self.lines.pos(self.body, range.start + d.at.start);
                    self.out.includes.push((d.spec.to_string(), line));
                }
            }
        }
        true
    }

    /// A link or image starts: recorded with its line and column, and the
    /// place in the block its sentence will be read from.
    pub(super) fn start_link(&mut self, tag: &Tag, at: usize) {
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
            self.section_text = crate::markdown::section_text(dest_url);
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
    pub(super) fn end_image(&mut self) {
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
        // `![[公式与图表#流程图]]` reads `公式与图表 > 流程图`, as a link to it does.
        let section = wiki
            .as_deref()
            .filter(|w| *w == shown)
            .and_then(crate::markdown::section_text);
        if let Some(shown) =
            section.or_else(|| (shown.len() != alt.len()).then(|| shown.to_string()))
        {
            self.block.truncate(start);
            self.block.push_str(&shown);
        }
    }

    /// The text events since the last other event, before one that
    /// `touches` them or not (as [`typora::visible`] reads them).
    pub(super) fn flush_run(&mut self, touches: bool) {
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
    pub(super) fn text(&mut self, written: &str, t: &str, plain: bool) {
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
    pub(super) fn math(&mut self, tex: &str, written: &str, display: bool) {
        if let Some(h) = self.heading.as_mut() {
            h.3.push_str(&self.stand_ins.formula(written));
            h.4.push_str(tex.trim());
        } else if !self.in_code && !display {
            self.prose |= self.image_depth == 0;
            self.block.push_str(tex.trim());
        }
        // A block id right after a formula (`$$…$$^id`) stands alone, as
        // the renderer reads it: its text starts anew after the formula.
        self.after_link = self.block.len();
    }

    /// Raw HTML: its `<img src>`s and `<a href>`s are links to check like
    /// Markdown's, its `id=`s anchors that links may name.
    pub(super) fn html(&mut self, html: &str, at: usize) {
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
