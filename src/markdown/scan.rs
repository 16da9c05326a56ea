//! The first pass over a note: cheap, run for every note before anything is
//! rendered, so that every cross-link can be resolved and checked.

use super::{html_img, math, slug, typora};
use super::{level_num, link_kind, Heading, LineIndex, LinkKind, LinkRef, Scan, Syntax};
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

/// First pass: title, headings (with GitHub ids), links and a summary.
pub(crate) fn scan(body: &str, line_offset: usize, syntax: &Syntax) -> Scan {
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
