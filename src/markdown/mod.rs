//! Markdown in two passes over the same parser settings: `scan` (cheap) collects
//! what the whole site needs to know about a note before anything is rendered
//! (title, headings with ids, links); `render` (expensive) turns it into HTML
//! with highlighted code, heading anchors, resolved links and linked bare URLs.

pub mod autolink;
mod html_tags;
mod plain;
pub mod slug;

pub use plain::{PlainText, Section};

use crate::highlight::Highlighter;
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

/// GFM as users expect it from GitHub, plus heading attributes and wikilinks.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
}

/// A heading with the id it gets on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    pub line: usize,
}

/// How a link was written, which decides how its target is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)`, autolinks, reference links.
    Link,
    /// `![alt](src)`.
    Image,
    /// `[[target]]`, `[[target|label]]`.
    Wiki,
    /// `![[file]]`.
    WikiEmbed,
}

/// A link as written in a note, with where it is (file line and column) and
/// the sentence around it (shown as backlink context on the target's page).
#[derive(Debug, Clone)]
pub struct LinkRef {
    pub dest: String,
    pub kind: LinkKind,
    pub line: usize,
    pub col: usize,
    pub context: String,
}

/// What the first pass learns about a note.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Text of the first H1, the title fallback.
    pub h1: Option<String>,
    /// The first block of the note is that H1 (so templates need not repeat the title).
    pub starts_with_h1: bool,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// First sentence of the first paragraph, for listings.
    pub summary: String,
}

/// Byte offset -> (line, column), 1-based, with the front matter's lines added.
struct LineIndex {
    starts: Vec<usize>,
    offset: usize,
}

impl LineIndex {
    fn new(text: &str, offset: usize) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, offset }
    }

    fn pos(&self, text: &str, byte: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= byte) - 1;
        let start = self.starts[line];
        let col = text
            .get(start..byte)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (line + 1 + self.offset, col)
    }
}

fn level_num(l: HeadingLevel) -> u8 {
    l as u8
}

fn link_kind(link_type: LinkType, image: bool) -> LinkKind {
    match (link_type, image) {
        (LinkType::WikiLink { .. }, true) => LinkKind::WikiEmbed,
        (LinkType::WikiLink { .. }, false) => LinkKind::Wiki,
        (_, true) => LinkKind::Image,
        (_, false) => LinkKind::Link,
    }
}

/// First pass: title, headings (with GitHub ids), links and a summary.
pub fn scan(body: &str, line_offset: usize) -> Scan {
    let lines = LineIndex::new(body, line_offset);
    let mut out = Scan::default();
    let mut slugger = slug::Slugger::default();
    let mut heading: Option<(u8, Option<String>, usize, String)> = None;
    // Text of the current block, and links in it waiting for their context.
    let mut block = String::new();
    let mut pending: Vec<(usize, usize)> = Vec::new(); // (index in out.links, offset in block)
    let mut first_block = true;
    let mut in_code = false;
    let mut summary_done = false;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let (line, _) = lines.pos(body, range.start);
                heading = Some((
                    level_num(level),
                    id.map(|s| s.to_string()),
                    line,
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, custom, line, text)) = heading.take() {
                    let text = text.trim().to_string();
                    let id = match custom {
                        Some(c) => slugger.unique(c),
                        None => slugger.slug(&text),
                    };
                    if level == 1 && out.h1.is_none() {
                        out.h1 = Some(text.clone());
                        out.starts_with_h1 = first_block;
                    }
                    out.headings.push(Heading {
                        level,
                        text,
                        id,
                        line,
                    });
                }
                first_block = false;
                flush_context(&mut out.links, &mut pending, &block);
                block.clear();
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                first_block = false;
            }
            Event::End(TagEnd::Paragraph) => {
                if !summary_done && !block.trim().is_empty() {
                    out.summary = first_sentence(&block);
                    summary_done = true;
                }
                first_block = false;
                flush_context(&mut out.links, &mut pending, &block);
                block.clear();
            }
            Event::End(TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)) => {
                flush_context(&mut out.links, &mut pending, &block);
                block.clear();
                first_block = false;
            }
            Event::Start(ref tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
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
                    _ => continue,
                };
                if matches!(link_type, LinkType::Email) {
                    continue;
                }
                let (line, col) = lines.pos(body, range.start);
                pending.push((out.links.len(), block.len()));
                out.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    kind: link_kind(link_type, image),
                    line,
                    col,
                    context: String::new(),
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.3.push_str(&t);
                } else if !in_code {
                    block.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak if !in_code => block.push(' '),
            _ => {}
        }
    }
    flush_context(&mut out.links, &mut pending, &block);
    out
}

fn flush_context(links: &mut [LinkRef], pending: &mut Vec<(usize, usize)>, block: &str) {
    for (i, at) in pending.drain(..) {
        links[i].context = sentence_around(block, at);
    }
}

const SENTENCE_ENDS: &[char] = &['。', '！', '？', '；', '!', '?', ';', '\n'];

/// The sentence of `text` that contains byte offset `at`, trimmed to a readable length.
fn sentence_around(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let at = (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let start = text[..at]
        .rfind(SENTENCE_ENDS)
        .map(|i| i + text[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let end = text[at..]
        .find(SENTENCE_ENDS)
        .map(|i| at + i + text[at + i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(text.len());
    truncate_chars(text[start..end].trim(), 160)
}

fn first_sentence(text: &str) -> String {
    let t = text.trim();
    let end = t
        .find(['。', '！', '？'])
        .map(|i| i + 3)
        .or_else(|| t.find(". ").map(|i| i + 1))
        .unwrap_or(t.len());
    truncate_chars(&t[..end], 160)
}

fn truncate_chars(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// What `render` needs from the rest of the site.
pub struct RenderCtx<'a> {
    /// The note's headings from `scan`, in order (their ids are reused, never recomputed).
    pub headings: &'a [Heading],
    pub highlighter: &'a Highlighter,
    /// Maps a link as written to the href to emit; `None` keeps it as written.
    pub resolve: &'a dyn Fn(&str, LinkKind) -> Option<String>,
}

/// Second pass: the note body as HTML.
pub fn render(body: &str, ctx: &RenderCtx) -> String {
    render_with_text(body, ctx, None)
}

/// [`render`], also filling `text` (when given) with the note's visible text.
pub fn render_with_text(body: &str, ctx: &RenderCtx, mut text: Option<&mut PlainText>) -> String {
    let mut events: Vec<Event> = Vec::with_capacity(body.len() / 8);
    let mut heading_no = 0usize;
    let mut heading_open: Option<(String, u8)> = None;
    let mut code: Option<(String, String)> = None; // (label, text)
    let mut link_depth = 0usize;
    let mut image_depth = 0usize;
    // Open images: where their alt text starts in `events`, source, title.
    let mut images: Vec<(usize, CowStr, CowStr)> = Vec::new();
    let mut text_buf = String::new();
    let mut in_unknown_html = false;

    let flush = |events: &mut Vec<Event>, buf: &mut String, linkify: bool| {
        if buf.is_empty() {
            return;
        }
        if !linkify {
            events.push(Event::Text(CowStr::from(std::mem::take(buf))));
            return;
        }
        for piece in autolink::split(buf) {
            match piece {
                autolink::Piece::Text(t) => events.push(Event::Text(CowStr::from(t.to_string()))),
                autolink::Piece::Url(u) => events.push(Event::Html(CowStr::from(format!(
                    "<a href=\"{}\">{}</a>",
                    html_escape::encode_double_quoted_attribute(&autolink::href(u)),
                    html_escape::encode_text(u)
                )))),
            }
        }
        buf.clear();
    };

    for event in Parser::new_ext(body, options()) {
        if code.is_some() {
            match event {
                Event::Text(t) => {
                    if let Some((_, c)) = code.as_mut() {
                        c.push_str(&t);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    let (label, code_text) = code.take().unwrap_or_default();
                    if let Some(t) = text.as_deref_mut() {
                        t.brk();
                        t.push(&code_text);
                        t.brk();
                    }
                    let html = ctx.highlighter.block(&label, &code_text);
                    events.push(Event::Html(CowStr::from(html.to_string())));
                }
                _ => {}
            }
            continue;
        }
        if let Event::Text(t) = &event {
            text_buf.push_str(t);
            continue;
        }
        // Raw HTML that is no real markup (`<用户名>`, a whole block opening
        // with one) is shown as text: decided once, here, for the page and
        // the search text alike.
        let html_as_text = match &event {
            Event::Start(Tag::HtmlBlock) => {
                in_unknown_html = false;
                false
            }
            Event::Html(h) => {
                if h.trim_start().starts_with('<') && !html_tags::is_known_markup(h) {
                    in_unknown_html = true;
                }
                in_unknown_html
            }
            Event::InlineHtml(h) => html_tags::inline_is_text(h),
            _ => false,
        };
        if let Some(t) = text.as_deref_mut() {
            if !matches!(
                event,
                Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_))
            ) {
                t.observe(&event, &text_buf, image_depth > 0, html_as_text);
            } else if image_depth == 0 {
                t.push(&text_buf);
            }
        }
        flush(&mut events, &mut text_buf, link_depth == 0);
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
                code = Some((label, String::new()));
            }
            Event::Start(Tag::Heading { level, classes, .. }) => {
                let n = level_num(level);
                let id = ctx
                    .headings
                    .get(heading_no)
                    .map(|h| h.id.clone())
                    .unwrap_or_default();
                heading_no += 1;
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(
                        " class=\"{}\"",
                        html_escape::encode_double_quoted_attribute(&classes.join(" "))
                    )
                };
                events.push(Event::Html(CowStr::from(format!(
                    "<h{n} id=\"{}\"{class}>",
                    html_escape::encode_double_quoted_attribute(&id)
                ))));
                if let Some(t) = text.as_deref_mut() {
                    t.start_heading(&id);
                }
                heading_open = Some((id, n));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(t) = text.as_deref_mut() {
                    t.end_heading();
                }
                if let Some((id, n)) = heading_open.take() {
                    events.push(Event::Html(CowStr::from(format!(
                        "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\">#</a></h{n}>\n",
                        html_escape::encode_double_quoted_attribute(&id)
                    ))));
                }
            }
            Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let image = matches!(tag, Tag::Image { .. });
                link_depth += 1;
                image_depth += usize::from(image);
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
                    *dest_url = rewrite(ctx, *link_type, image, dest);
                }
                match tag {
                    // Written at its end, once its alt text is known.
                    Tag::Image {
                        dest_url, title, ..
                    } => images.push((events.len(), dest_url, title)),
                    tag => events.push(Event::Start(tag)),
                }
            }
            Event::End(TagEnd::Image) => {
                image_depth = image_depth.saturating_sub(1);
                link_depth = link_depth.saturating_sub(1);
                if let Some((at, src, title)) = images.pop() {
                    let alt = alt_text(events.drain(at..));
                    // An image inside another one's alt text is only its alt
                    // text, as pulldown-cmark writes it.
                    events.push(if images.is_empty() {
                        Event::Html(CowStr::from(img_tag(&src, &title, &alt)))
                    } else {
                        Event::Text(CowStr::from(alt))
                    });
                }
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                events.push(event);
            }
            Event::Html(h) | Event::InlineHtml(h) if html_as_text => events.push(Event::Text(h)),
            other => events.push(other),
        }
    }
    if let Some(t) = text {
        t.push(&text_buf);
    }
    flush(&mut events, &mut text_buf, link_depth == 0);
    // Sized from the events (highlighted code is several times the source's
    // size): growing a big string step by step costs copies and fresh pages.
    let size: usize = events
        .iter()
        .map(|e| match e {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => t.len() + 8,
            _ => 24,
        })
        .sum();
    let mut html = String::with_capacity(size + size / 8);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
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
fn img_tag(src: &str, title: &str, alt: &str) -> String {
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

fn rewrite<'a>(ctx: &RenderCtx, link_type: LinkType, image: bool, dest: CowStr<'a>) -> CowStr<'a> {
    if matches!(link_type, LinkType::Email) {
        return dest;
    }
    match (ctx.resolve)(&dest, link_kind(link_type, image)) {
        Some(href) => CowStr::from(href),
        None => dest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_plain(md: &str) -> String {
        let s = scan(md, 0);
        let h = Highlighter::new();
        let resolve = |_: &str, _: LinkKind| None;
        render(
            md,
            &RenderCtx {
                headings: &s.headings,
                highlighter: &h,
                resolve: &resolve,
            },
        )
    }

    #[test]
    fn scan_collects_headings_links_and_lines() {
        let md = "# 标题\n\n一段话，见 [另一篇](../go/goroutine.md#调度)。第二句。\n\n## 标题\n\n```py\n# not a heading\n```\n";
        let s = scan(md, 3);
        assert_eq!(s.h1.as_deref(), Some("标题"));
        assert!(s.starts_with_h1);
        let ids: Vec<_> = s.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["标题", "标题-1"]);
        assert_eq!(s.headings[0].line, 4);
        assert_eq!(s.links.len(), 1);
        assert_eq!(s.links[0].dest, "../go/goroutine.md#调度");
        assert_eq!((s.links[0].line, s.links[0].col), (6, 7));
        assert_eq!(s.links[0].context, "一段话，见 另一篇。");
        assert_eq!(s.summary, "一段话，见 另一篇。");
    }

    #[test]
    fn images_are_written_as_pulldown_cmark_does_but_load_lazily() {
        for md in [
            "![示意图](img/a b.png)",
            "![**粗** `code` \"引号\" & <x>](a.png \"标题 \\\"q\\\"\")",
            "![外 ![内](in.png) 尾](out.png)",
            "![第一行\n第二行](a.png)",
            "[![徽章](badge.svg)](https://example.com/)",
            "![](empty-alt.png)",
        ] {
            let mut expected = String::new();
            pulldown_cmark::html::push_html(&mut expected, Parser::new_ext(md, options()));
            let expected = expected.replace(" />", " loading=\"lazy\" />");
            assert_eq!(render_plain(md), expected, "{md}");
        }
    }

    #[test]
    fn gfm_features() {
        let html = render_plain(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ text[^1]\n\n[^1]: note\n\n> [!NOTE]\n> careful\n",
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
        assert!(html.contains("markdown-alert-note"), "{html}");
    }

    #[test]
    fn headings_get_ids_and_anchors() {
        let html = render_plain("## 所有权与借用 (Ownership)\n\n## Custom {#my-id}\n");
        assert!(html.contains(r##"<h2 id="所有权与借用-ownership">所有权与借用 (Ownership)<a class="anchor" href="#所有权与借用-ownership""##), "{html}");
        assert!(html.contains(r#"<h2 id="my-id">Custom"#), "{html}");
    }

    #[test]
    fn bare_urls_link_but_not_in_code_or_links() {
        let html = render_plain(
            "见 https://blog.csdn.net/weixin_45496190/article/details/107092107 。\n\n`https://in.code/x`\n\n[https://a.io](https://a.io)\n\n    https://indented.io\n",
        );
        assert!(
            html.contains(
                r#"<a href="https://blog.csdn.net/weixin_45496190/article/details/107092107">"#
            ),
            "{html}"
        );
        assert!(html.contains("<code>https://in.code/x</code>"), "{html}");
        assert_eq!(
            html.matches("<a href=\"https://a.io\"").count(),
            1,
            "{html}"
        );
        assert!(!html.contains("href=\"https://indented.io"), "{html}");
    }

    #[test]
    fn prose_that_looks_like_html_is_escaped() {
        let html = render_plain("Vec<String> and a & b and <kbd>Ctrl</kbd>\n\n<Foo>\nbar\n");
        assert!(html.contains("Vec&lt;String&gt;"), "{html}");
        assert!(html.contains("a &amp; b"), "{html}");
        assert!(html.contains("<kbd>Ctrl</kbd>"), "{html}");
        assert!(html.contains("&lt;Foo&gt;"), "{html}");
    }

    #[test]
    fn code_blocks_highlight_or_stay_plain() {
        let html = render_plain("```python\nx = 1\n```\n\n```\nplain <b>\n```\n\n    indented\n");
        assert!(html.contains("hl-source hl-python"), "{html}");
        assert!(
            html.contains("<pre class=\"code\"><code>plain &lt;b&gt;"),
            "{html}"
        );
        assert!(
            html.contains("<pre class=\"code\"><code>indented"),
            "{html}"
        );
    }
}
