//! Inline work of the render pass: math, code blocks and diagrams, raw
//! HTML images, links, images and embeds (the text itself: `text.rs`).

use super::{OpenImage, Renderer};
use crate::markdown::plain::PlainText;
use crate::markdown::{diagram_syntax, link_kind, math, media, typora, Href, LinkKind};
use pulldown_cmark::{CowStr, Event, LinkType, Tag};

impl<'c, 'e> Renderer<'c, 'e> {
    /// A code block of fence info string `info` (empty for indented code).
    pub(super) fn code_block(
        &mut self,
        info: &str,
        code: &str,
        line: usize,
        text: Option<&mut PlainText>,
    ) {
        let label = crate::markdown::line_marks::label(info);
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
        let typora = syntax
            .diagrams
            .then(|| diagram_syntax::to_mermaid(label, code))
            .flatten();
        let html = if syntax.diagrams && label.eq_ignore_ascii_case("mermaid") {
            // Drawn by the browser (static/diagrams.js); the source stays
            // readable with JavaScript off or when drawing fails.
            format!(
                "<div class=\"diagram\"><pre class=\"mermaid-src\"><code class=\"language-mermaid\">{}</code></pre></div>\n",
                html_escape::encode_text(code)
            )
        } else if let Some(mermaid) = typora {
            // The note's own source is what stays readable; Mermaid draws
            // its translation.
            format!(
                "<div class=\"diagram\" data-source=\"{}\"><pre class=\"mermaid-src\"><code class=\"language-{}\">{}</code></pre></div>\n",
                html_escape::encode_double_quoted_attribute(&mermaid),
                label.to_ascii_lowercase(),
                html_escape::encode_text(code)
            )
        } else {
            let html = self.ctx.highlighter.block(
                label,
                code,
                (self.ctx.file, line),
                self.ctx.code_styles,
            );
            crate::markdown::line_marks::dress(&html, info, code, syntax.line_numbers)
        };
        self.events.push(Event::Html(CowStr::from(html)));
    }

    /// A formula as MathML; one the converter cannot read stays as its TeX
    /// source, in code, with a warning: nothing the author wrote is lost.
    pub(super) fn math(&mut self, tex: &str, display: bool, line: usize) {
        let macros = &self.ctx.syntax.math_macros;
        let converter = (self.math).get_or_insert_with(|| math::Converter::with_macros(macros));
        match converter.to_mathml(tex, display) {
            Ok(m) => {
                if display {
                    self.display_math = Some(self.events.len());
                }
                self.events.push(Event::Html(CowStr::from(m)))
            }
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

    /// Raw HTML, with its relative image sources and link targets
    /// rewritten as a Markdown image's or link's would be.
    pub(super) fn raw_html(&mut self, h: CowStr<'e>, inline: bool) {
        let ctx = self.ctx;
        let resolve = |url: &str, kind: LinkKind| (ctx.resolve)(url, kind);
        let cleaned = match inline {
            true => self.raw.clean(&h),
            false => self
                .raw
                .clean(&crate::markdown::html_tags::escape_unknown_tags(&h)),
        };
        let rewritten = crate::markdown::html_img::rewrite_urls(&cleaned, &resolve);
        let lazy = crate::markdown::html_img::lazy_images(rewritten.as_deref().unwrap_or(&cleaned));
        let h = match lazy.or(rewritten) {
            Some(new) => CowStr::from(new),
            None if cleaned == *h => h,
            None => CowStr::from(cleaned),
        };
        self.events.push(if inline {
            Event::InlineHtml(h)
        } else {
            Event::Html(h)
        });
    }

    pub(super) fn start_link(&mut self, mut tag: Tag<'e>) {
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
        let mut wiki_image = None;
        let mut broken = false;
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
            if matches!(link_type, LinkType::WikiLink { .. }) {
                if image {
                    wiki_image = Some(dest.clone());
                } else {
                    if matches!(link_type, LinkType::WikiLink { has_pothole: false }) {
                        self.section_text = crate::markdown::section_text(&dest);
                    }
                    self.wiki_dest = Some(dest.clone());
                }
            }
            let (href, gone) = self.rewrite(*link_type, image, dest);
            *dest_url = href;
            broken = gone;
            if broken && !image && !self.raw.in_link() {
                self.broken_link = Some(self.events.len());
            }
        }
        match tag {
            // Written at its end, once its alt text is known.
            Tag::Image {
                dest_url, title, ..
            } => self.images.push(OpenImage {
                at: self.events.len(),
                src: dest_url,
                title,
                wiki: wiki_image,
                broken,
            }),
            Tag::Link { .. } if self.raw.in_link() => self.link_as_text = Some(self.events.len()),
            tag => self.events.push(Event::Start(tag)),
        }
    }

    pub(super) fn end_image(&mut self) {
        self.image_depth = self.image_depth.saturating_sub(1);
        self.link_depth = self.link_depth.saturating_sub(1);
        if let Some(e) = self.embedding.take() {
            let href = html_escape::encode_double_quoted_attribute(&e.href);
            let title = html_escape::encode_text(&e.title);
            if !self.ctx.syntax.embeds {
                let link = format!("<a href=\"{href}\">{title}</a>");
                self.events.push(Event::Html(CowStr::from(link)));
                return;
            }
            let class = match e.cycle {
                true => "embed embed-cycle",
                false => "embed",
            };
            let block = format!(
                "<div class=\"{class}\">\n<p class=\"embed-source\"><a href=\"{href}\">{title}</a></p>\n{}</div>\n",
                e.html
            );
            let at = self.events.len();
            self.events.push(Event::Html(CowStr::from(block)));
            if let Some((_, embeds)) = self.para.as_mut() {
                embeds.push(at);
            }
            return;
        }
        if let Some(img) = self.images.pop() {
            let alt = alt_text(self.events.drain(img.at..));
            if let Some(link) = self.embed_as_link(&img, &alt) {
                self.events.push(Event::Html(CowStr::from(link)));
                return;
            }
            // An image inside another one's alt text is only its alt text,
            // as pulldown-cmark writes it.
            self.events.push(if self.images.is_empty() {
                let (mut alt, size) = typora::image_size(&alt, img.wiki.as_deref());
                // `![[论文.pdf#page=3]]` shows as its file's name.
                if img.wiki.as_deref() == Some(alt) && media::kind(alt).is_some() {
                    alt = "";
                }
                let player = || media::youtube(&img.src, alt, size);
                Event::Html(CowStr::from(match media::kind(&img.src) {
                    Some(kind) => media::html(kind, &img.src, alt, size),
                    None => player().unwrap_or_else(|| img_tag(&img.src, &img.title, alt, size)),
                }))
            } else {
                Event::Text(CowStr::from(alt))
            });
        }
    }

    /// The href for a link as written, and whether it leads nowhere.
    pub(super) fn rewrite(
        &self,
        link_type: LinkType,
        image: bool,
        dest: CowStr<'e>,
    ) -> (CowStr<'e>, bool) {
        if matches!(link_type, LinkType::Email) {
            return (dest, false);
        }
        // `[x](javascript:...)` runs script when clicked; GitHub drops it too.
        let (tag, attr) = if image { ("img", "src") } else { ("a", "href") };
        if !self.ctx.trusted_html && crate::markdown::html_values::is_script_url(&dest, tag, attr) {
            return (CowStr::Borrowed("#"), false);
        }
        match (self.ctx.resolve)(&dest, link_kind(link_type, image)) {
            Href::To(href) => (CowStr::from(href), false),
            Href::AsWritten => (dest, false),
            Href::Broken => (dest, true),
        }
    }

    /// The open tag of a link that leads nowhere, in place of its start
    /// event at `at`: marked, and saying so when pointed at.
    pub(super) fn broken_link_tag(&mut self, at: usize) {
        use pulldown_cmark_escape::{escape_href, escape_html};
        let Some(Event::Start(Tag::Link {
            dest_url, title, ..
        })) = self.events.get(at)
        else {
            return;
        };
        let title = match title.is_empty() {
            true => crate::i18n::word(self.ctx.language, "broken_link"),
            false => title,
        };
        let mut tag = String::from("<a class=\"broken-link\" href=\"");
        let _ = escape_href(&mut tag, dest_url);
        tag.push_str("\" title=\"");
        let _ = escape_html(&mut tag, title);
        tag.push_str("\">");
        self.events[at] = Event::InlineHtml(CowStr::from(tag));
    }
}

/// The alt text of an image from the events between its start and end: their
/// text, as pulldown-cmark takes it.
pub(super) fn alt_text<'a>(inner: impl Iterator<Item = Event<'a>>) -> String {
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

/// An image as pulldown-cmark writes it, plus its size (Obsidian's `|300`)
/// and `loading="lazy"`: a note full of screenshots loads those the reader
/// scrolls to.
pub(super) fn img_tag(src: &str, title: &str, alt: &str, size: typora::Size) -> String {
    use pulldown_cmark_escape::{escape_href, escape_html};
    use std::fmt::Write;
    let mut out = String::with_capacity(src.len() + alt.len() + title.len() + 64);
    out.push_str("<img src=\"");
    let _ = escape_href(&mut out, src);
    out.push_str("\" alt=\"");
    let _ = escape_html(&mut out, alt);
    if !title.is_empty() {
        out.push_str("\" title=\"");
        let _ = escape_html(&mut out, title);
    }
    if let Some((width, height)) = size {
        let _ = write!(out, "\" width=\"{width}");
        if let Some(h) = height {
            let _ = write!(out, "\" height=\"{h}");
        }
    }
    out.push_str("\" loading=\"lazy\" />");
    out
}
