//! Markdown in two passes over the same parser settings: `scan` (cheap) collects
//! what the whole site needs to know about a note before anything is rendered
//! (title, headings with ids, links); `render` (expensive) turns it into HTML
//! with highlighted code, heading anchors, resolved links and linked bare URLs.

pub(crate) mod admonition;
mod autolink;
mod bracket_link;
mod breaks;
mod callout;
mod cjk_emphasis;
mod code_import;
mod components;
mod container;
mod diagram_syntax;
mod embed;
mod emoji;
mod fences;
mod fixups;
mod glued_dollar;
mod hexo_tags;
pub(crate) mod html_img;
mod html_join;
mod html_tags;
pub(crate) mod html_values;
mod img_line;
pub(crate) mod include;
mod inline_footnote;
mod json_text;
mod line_marks;
mod linked_embed;
pub(crate) mod math;
mod math_compat;
mod math_gaps;
mod math_macros;
mod mdx;
pub(crate) mod media;
mod mkdocs;
mod not_wiki;
mod plain;
mod positions;
mod ranges;
pub(crate) mod raw_html;
mod render;
mod scan;
mod scripts;
mod sentence;
pub(crate) mod slug;
mod spaced_math;
mod spaced_path;
mod stand_in;
pub(crate) mod syntax;
mod toc;
pub(crate) mod typora;

pub(crate) use embed::embed_section;
pub use plain::PlainText;
use positions::{LineIndex, Remap};
use ranges::{code_ranges, in_ranges, prose_ranges};
pub(crate) use render::{render_with_text, Embedded, RenderCtx};
pub(crate) use scan::scan;
use stand_in::Rewrite;
pub(crate) use syntax::Syntax;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Tag};
use std::borrow::Cow;

/// Where a link as written leads, for the renderer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Href {
    /// This href instead of what was written.
    To(String),
    /// What was written (a web address, a path already right).
    AsWritten,
    /// Nowhere: a broken link the build let stand (`links: warn`), shown
    /// as one, as Obsidian dims a link to a note that is not there.
    Broken,
}

/// The note as both passes parse it: Obsidian comments left out, Hexo's
/// tags as what they show, VitePress
/// containers as callouts (and `[[toc]]` as `[TOC]`), linked file embeds as
/// Markdown images, file paths with spaces in `<...>`, an `<img>` alone on
/// its line a paragraph (first), `$ x^2 $` a formula, dollars glued to words
/// no formula's, inline footnotes moved to the end (with where they were
/// written).
fn prepare<'b>(body: &'b str, syntax: &Syntax) -> Prepared<'b> {
    let body = match syntax.comments {
        true => typora::strip_comments(body, syntax.options()),
        false => Cow::Borrowed(body),
    };
    let body = then(body, |b| mdx::rewrite(b, syntax.options()));
    let body = then(body, |b| hexo_tags::rewrite(b, syntax.options()));
    let body = match syntax.callouts {
        true => then(then(body, admonition::rewrite), mkdocs::rewrite),
        false => body,
    };
    // Before the containers: a lone `<img>` line would otherwise be an HTML
    // block to them, which a `::: tip` on the next line is part of.
    let mut used = stand_in::Used::default();
    let opts = syntax.options();
    let body = used.run(Rewrite::ImgLines, body, |b| img_line::rewrite(b, opts));
    let mut remap = Remap::default();
    let body = match container::rewrite(&body, syntax) {
        (Cow::Owned(text), moves) => {
            remap.lines = moves;
            Cow::Owned(text)
        }
        (Cow::Borrowed(_), _) => body,
    };
    let body = then(body, |b| linked_embed::rewrite(b, syntax.options()));
    let body = used.run(Rewrite::PathSpaces, body, |b| spaced_path::rewrite(b, opts));
    let body = used.run(Rewrite::MathSpaces, body, |b| spaced_math::rewrite(b, opts));
    let body = used.run(Rewrite::MathGaps, body, |b| math_gaps::rewrite(b, opts));
    let body = used.run(Rewrite::Dollars, body, |b| glued_dollar::rewrite(b, opts));
    let body = used.run(Rewrite::Brackets, body, |b| bracket_link::rewrite(b, opts));
    let body = match syntax.inline_footnotes {
        true => {
            let (rewritten, moved) = inline_footnote::rewrite(&body, opts);
            remap.moved = moved;
            match rewritten {
                Cow::Owned(text) => Cow::Owned(text),
                Cow::Borrowed(_) => body,
            }
        }
        false => body,
    };
    Prepared {
        body,
        remap,
        stand_ins: used,
    }
}

/// A note as [`prepare`] left it for the parser.
struct Prepared<'b> {
    body: Cow<'b, str>,
    /// Where its lines came from.
    remap: Remap,
    /// Which rewrites put stand-ins in it, for [`events`] to take out.
    stand_ins: stand_in::Used,
}

/// Inline formatting and links: what text runs on through.
fn is_format_tag(t: &Tag) -> bool {
    matches!(
        t,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
    )
}

/// The ends of the tags [`is_format_tag`] names.
fn is_format_end(t: &pulldown_cmark::TagEnd) -> bool {
    use pulldown_cmark::TagEnd;
    matches!(
        t,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
    )
}

/// `body` after a rewrite that returns what it was given when it changes
/// nothing (so an unchanged note is not copied).
fn then<'b>(body: Cow<'b, str>, rewrite: impl FnOnce(&str) -> Cow<'_, str>) -> Cow<'b, str> {
    match rewrite(&body) {
        Cow::Owned(text) => Cow::Owned(text),
        Cow::Borrowed(_) => body,
    }
}

/// A heading with the id it gets on the page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    pub line: usize,
}

/// How a link was written, which decides how its target is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) enum LinkKind {
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
/// the sentence around it (shown as backlink context on the target's page;
/// empty for links that cannot lead to another note).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct LinkRef {
    pub dest: String,
    pub kind: LinkKind,
    pub line: usize,
    pub col: usize,
    pub context: String,
}

/// What the first pass learns about a note.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Scan {
    /// Text of the first H1, the title fallback.
    pub h1: Option<String>,
    /// The first block of the note is that H1 (so templates need not repeat the title).
    pub starts_with_h1: bool,
    /// That H1 is the first heading, after at most two paragraphs or code
    /// blocks (a `[TOC]`, a quote, a picture): it is the page's title where
    /// the author put it, and the page header need not show it again.
    pub h1_near_top: bool,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// First sentence of the first paragraph, for listings.
    pub summary: String,
    /// Link targets besides headings: Obsidian block ids (`^block-1` ends a
    /// paragraph, a target of `#^block-1`) and the anchors raw HTML gives
    /// (`<a id="top">`, `<a name="top">`, a target of `#top`).
    pub block_ids: Vec<String>,
    /// How much there is to read, outside code: Han characters (and kana,
    /// hangul) one by one, other words by spaces.
    pub cjk_chars: usize,
    pub words: usize,
    /// The note has a diagram (so its page loads the diagram script).
    pub diagrams: bool,
    /// `#tags` written in the text (collected only with `inline_tags`).
    pub inline_tags: Vec<String>,
    /// mdBook's `{{#include path:lines}}` in code blocks: the spec and its line.
    pub includes: Vec<(String, usize)>,
}

impl Scan {
    /// Minutes to read: about 400 Chinese characters or 200 English words a minute.
    pub(crate) fn reading_minutes(&self) -> usize {
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

fn level_num(l: HeadingLevel) -> u8 {
    l as u8
}

/// What `[[note#heading]]` shows, as Obsidian shows it: `note > heading`
/// (`[[#heading]]`: `heading`); `None` for a link to a whole note.
pub(crate) fn section_text(dest: &str) -> Option<String> {
    let (note, section) = dest.split_once('#')?;
    let section = section.split('#').filter(|s| !s.is_empty());
    let parts: Vec<&str> = std::iter::once(note.trim())
        .filter(|n| !n.is_empty())
        .chain(section.map(str::trim))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" > "))
}

/// The parser's events for the note as [`prepare`] left it, with their
/// source ranges: both passes read the same events.
fn events<'a>(
    body: &'a str,
    syntax: &Syntax,
    stand_ins: stand_in::Used,
) -> impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)> {
    let parsed = cjk_emphasis::parse(body, syntax.options(), syntax.cjk_emphasis)
        .filter_map(move |(e, r)| Some((stand_ins.restore(e)?, r)))
        .peekable();
    let parsed = fixups::Fixups {
        events: parsed,
        components: Default::default(),
        wikilinks: Default::default(),
        ends: html_tags::Ends::new(body),
    };
    scripts::Scripts::new(parsed)
}

fn link_kind(link_type: LinkType, image: bool) -> LinkKind {
    match (link_type, image) {
        (LinkType::WikiLink { .. }, true) => LinkKind::WikiEmbed,
        (LinkType::WikiLink { .. }, false) => LinkKind::Wiki,
        (_, true) => LinkKind::Image,
        (_, false) => LinkKind::Link,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::Highlighter;
    use pulldown_cmark::Parser;

    #[test]
    fn line_index_counts_columns_in_characters_in_any_order() {
        let text = "ab\n进程 [[a]] 和 [[b]]\nx";
        let idx = LineIndex::new(text, 2);
        let at = |needle: &str| text.find(needle).unwrap();
        // In order, then back on the same line, then another line.
        assert_eq!(idx.pos(text, at("[[a")), (4, 4));
        assert_eq!(idx.pos(text, at("[[b")), (4, 12));
        assert_eq!(idx.pos(text, at("[[a")), (4, 4));
        assert_eq!(idx.pos(text, at("b\n")), (3, 2));
        assert_eq!(idx.pos(text, at("x")), (5, 1));
        assert_eq!(idx.pos(text, at("[[b")), (4, 12));
        // Inside a character: column 1, as before.
        assert_eq!(idx.pos(text, at("进") + 1), (4, 1));
    }

    fn render_plain(md: &str) -> String {
        render_with(md, &Syntax::default())
    }

    fn render_with(md: &str, syntax: &Syntax) -> String {
        let s = scan(md, 0, syntax);
        let h = Highlighter::new();
        let styles =
            crate::highlight::CodeStyles::new("OneHalfLight", "OneHalfDark", false).unwrap();
        let resolve = |_: &str, _: LinkKind| Href::AsWritten;
        render_with_text(
            md,
            &RenderCtx {
                headings: &s.headings,
                highlighter: &h,
                code_styles: &styles,
                resolve: &resolve,
                syntax,
                language: "zh-CN",
                trusted_html: false,
                file: "notes/t.md",
                line_offset: 0,
                embed: &|_| None,
                footnote_ids: "",
                own_page: "",
                include: &|_| None,
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

    /// A link's context is its sentence: links of one sentence share it,
    /// the next sentence's links get their own.
    #[test]
    fn links_get_the_sentence_they_are_in() {
        let md = "先看 [[a]] 和 [[b]]，再看 [[c]]。然后   [[d]]\n  换行！\n\n另段 [[e]]";
        let s = scan(md, 0, &Syntax::default());
        let contexts: Vec<&str> = s.links.iter().map(|l| l.context.as_str()).collect();
        assert_eq!(
            contexts,
            [
                "先看 a 和 b，再看 c。",
                "先看 a 和 b，再看 c。",
                "先看 a 和 b，再看 c。",
                "然后 d 换行！",
                "另段 e"
            ]
        );
        let long = format!("{}。", "[[x]] 字".repeat(100));
        let s = scan(&long, 0, &Syntax::default());
        assert_eq!(s.links.len(), 100);
        let first = &s.links[0].context;
        assert_eq!(first.chars().count(), 161, "{first}");
        assert!(first.ends_with('…') && s.links.iter().all(|l| &l.context == first));
    }

    /// A note's summary (its meta description when it has none) is its first
    /// prose: an image's alt text and a callout's marker are not.
    #[test]
    fn the_summary_skips_images_and_callout_markers() {
        let s = scan(
            "![架构图](a.png)\n\n正文第一句。第二句。\n",
            1,
            &Syntax::default(),
        );
        assert_eq!(s.summary, "正文第一句。");
        let s = scan(
            "> [!tip] 小技巧\n> 先看这里。然后。\n",
            1,
            &Syntax::default(),
        );
        assert_eq!(s.summary, "小技巧 先看这里。");
        let s = scan("看图 ![图](a.png) 就懂了。\n", 1, &Syntax::default());
        assert_eq!(s.summary, "看图 图 就懂了。");
        // Nor an Obsidian block id. Lines are joined with a space, or with
        // none between Chinese characters when they join on the page too.
        let s = scan("段落 ^blk\n\n后文\n", 1, &Syntax::default());
        assert_eq!(s.summary, "段落");
        let md = "第一行\n第二行\nabc\n";
        assert_eq!(scan(md, 1, &Syntax::default()).summary, "第一行 第二行 abc");
        let joined = Syntax {
            breaks: false,
            ..Syntax::default()
        };
        assert_eq!(scan(md, 1, &joined).summary, "第一行第二行 abc");
    }

    #[test]
    fn headings_show_emoji_and_keep_githubs_ids() {
        let s = scan("# 完成 :tada:\n", 1, &Syntax::default());
        assert_eq!(
            (s.headings[0].text.as_str(), s.headings[0].id.as_str()),
            ("完成 🎉", "完成-tada")
        );
        assert_eq!(s.h1.as_deref(), Some("完成 🎉"));
    }

    #[test]
    fn section_links_show_note_and_heading() {
        assert_eq!(section_text("c#小节").as_deref(), Some("c > 小节"));
        assert_eq!(section_text("#小节").as_deref(), Some("小节"));
        assert_eq!(section_text("go/c#A#B").as_deref(), Some("go/c > A > B"));
        assert_eq!(section_text("c#^blk").as_deref(), Some("c > ^blk"));
        assert_eq!(section_text("c"), None);
        let s = scan("见 [[c#小节]]。\n", 1, &Syntax::default());
        assert_eq!(s.links[0].context, "见 c > 小节。");
    }

    #[test]
    fn only_links_that_may_reach_a_note_keep_their_sentence() {
        let md = "见 [a](https://a.io)、[b](#x)、[c](/d/)、[d](b.md) 和 [[e]]。";
        let s = scan(md, 1, &Syntax::default());
        let kept: Vec<bool> = s.links.iter().map(|l| !l.context.is_empty()).collect();
        assert_eq!(kept, [false, false, false, true, true]);
    }

    #[test]
    fn images_are_written_as_pulldown_cmark_does_but_load_lazily() {
        for md in [
            "![示意图](<img/a b.png>)",
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
        assert!(html.contains(r#"<li id="fn-1">"#), "{html}");
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

    /// Levels a note skips (`#` then `###`) are not skipped in the tags: the
    /// heading is an h2 that looks like the h3 the author wrote.
    #[test]
    fn skipped_heading_levels_close_up_in_the_tags_only() {
        let html =
            render_plain("### 甲\n\n##### 乙\n\n#### 丙\n\n## 丁\n\n### 戊\n\n# 己\n\n#### 庚\n");
        for (tag, name) in [
            ("<h2 id=\"甲\" class=\"as-h3\">", "甲"),
            ("<h3 id=\"乙\" class=\"as-h5\">", "乙"),
            ("<h3 id=\"丙\" class=\"as-h4\">", "丙"),
            ("<h2 id=\"丁\">", "丁"),
            ("<h3 id=\"戊\">", "戊"),
            ("<h1 id=\"己\">", "己"),
            ("<h2 id=\"庚\" class=\"as-h4\">", "庚"),
        ] {
            assert!(html.contains(&format!("{tag}{name}")), "{name}: {html}");
        }
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
        assert!(
            html.contains(
                "data-lang=\"python\"><code class=\"language-python\">x <span class=\"hl"
            ),
            "{html}"
        );
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
