//! Markdown in two passes over the same parser settings: `scan` (cheap) collects
//! what the whole site needs to know about a note before anything is rendered
//! (title, headings with ids, links); `render` (expensive) turns it into HTML
//! with highlighted code, heading anchors, resolved links and linked bare URLs.

pub mod autolink;
mod callout;
mod embed;
pub mod html_img;
mod html_tags;
pub mod math;
mod plain;
mod render;
pub mod slug;
pub mod syntax;
mod toc;
pub mod typora;

pub use embed::embed_section;
pub use plain::{PlainText, Section};
pub use render::{render_with_text, Embedded, RenderCtx};
pub use syntax::Syntax;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

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
    /// Obsidian block ids (`^block-1` ends a paragraph), targets of `#^block-1`.
    pub block_ids: Vec<String>,
    /// How much there is to read, outside code: Han characters (and kana,
    /// hangul) one by one, other words by spaces.
    pub cjk_chars: usize,
    pub words: usize,
    /// The note has a diagram (so its page loads the diagram script).
    pub diagrams: bool,
    /// `#tags` written in the text (collected only with `inline_tags`).
    pub inline_tags: Vec<String>,
}

impl Scan {
    /// Minutes to read: about 400 Chinese characters or 200 English words a minute.
    pub fn reading_minutes(&self) -> usize {
        let m = self.cjk_chars as f64 / 400.0 + self.words as f64 / 200.0;
        (m.ceil() as usize).max(1)
    }

    fn count(&mut self, text: &str) {
        let mut in_word = false;
        for c in text.chars() {
            if is_cjk(c) {
                self.cjk_chars += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                if !in_word {
                    self.words += 1;
                }
                in_word = true;
            } else if c.is_whitespace() || !matches!(c, '\'' | '-' | '_' | '.') {
                in_word = false;
            }
        }
    }
}

/// Scripts read character by character (no spaces between words).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x3134F)
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
pub fn scan(body: &str, line_offset: usize, syntax: &Syntax) -> Scan {
    let body = if syntax.comments {
        typora::strip_comments(body, syntax.options())
    } else {
        std::borrow::Cow::Borrowed(body)
    };
    let body = body.as_ref();
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

    for (event, range) in Parser::new_ext(body, syntax.options()).into_offset_iter() {
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
            Event::Start(Tag::CodeBlock(ref kind)) => {
                in_code = true;
                if let pulldown_cmark::CodeBlockKind::Fenced(info) = kind {
                    let label = info.split_whitespace().next().unwrap_or("");
                    out.diagrams |= syntax.diagrams && label.eq_ignore_ascii_case("mermaid");
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                first_block = false;
            }
            Event::End(TagEnd::Paragraph) => {
                block_id(&mut out, &block);
                let toc = syntax.toc && block.trim().eq_ignore_ascii_case("[toc]");
                if !summary_done && !toc && !block.trim().is_empty() {
                    out.summary = first_sentence(&block);
                    summary_done = true;
                }
                first_block = false;
                flush_context(&mut out.links, &mut pending, &block);
                block.clear();
            }
            Event::End(TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)) => {
                if matches!(event, Event::End(TagEnd::Item)) {
                    block_id(&mut out, &block);
                }
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
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some(h) = heading.as_mut() {
                    h.3.push_str(t);
                    out.count(t);
                } else if !in_code {
                    block.push_str(t);
                    out.count(t);
                    if syntax.inline_tags && matches!(event, Event::Text(_)) {
                        typora::inline_tags(t, &mut out.inline_tags);
                    }
                }
            }
            Event::InlineMath(_) if !math::is_inline_math(body, &range) => {
                block.push_str(&body[range.clone()]);
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                for (r, src) in html_img::img_srcs(&h) {
                    let (line, col) = lines.pos(body, range.start + r.start);
                    out.links.push(LinkRef {
                        dest: html_escape::decode_html_entities(src).into_owned(),
                        kind: LinkKind::Image,
                        line,
                        col,
                        context: String::new(),
                    });
                }
            }
            Event::SoftBreak | Event::HardBreak if !in_code => block.push(' '),
            _ => {}
        }
    }
    flush_context(&mut out.links, &mut pending, &block);
    out
}

/// Records the block id that ends `block`, if any.
fn block_id(out: &mut Scan, block: &str) {
    if let Some((_, id)) = typora::block_id(block) {
        out.block_ids.push(format!("^{id}"));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::Highlighter;

    fn render_plain(md: &str) -> String {
        render_with(md, &Syntax::default())
    }

    fn render_with(md: &str, syntax: &Syntax) -> String {
        let s = scan(md, 0, syntax);
        let h = Highlighter::new();
        let resolve = |_: &str, _: LinkKind| None;
        render_with_text(
            md,
            &RenderCtx {
                headings: &s.headings,
                highlighter: &h,
                resolve: &resolve,
                syntax,
                language: "zh-CN",
                file: "notes/t.md",
                line_offset: 0,
                embed: &|_| None,
            },
            None,
        )
    }

    #[test]
    fn scan_collects_headings_links_and_lines() {
        let md = "# 标题\n\n一段话，见 [另一篇](../go/goroutine.md#调度)。第二句。\n\n## 标题\n\n```py\n# not a heading\n```\n";
        let s = scan(md, 3, &Syntax::default());
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
            pulldown_cmark::html::push_html(
                &mut expected,
                Parser::new_ext(md, Syntax::default().options()),
            );
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
        assert!(
            html.contains("<div class=\"callout\" data-callout=\"note\">"),
            "{html}"
        );
        // With callouts off, GitHub's own alert syntax still works.
        let off = Syntax {
            callouts: false,
            ..Syntax::default()
        };
        let html = render_with("> [!NOTE]\n> careful\n", &off);
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
