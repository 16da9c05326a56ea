//! The sentences the first pass keeps: a link's sentence (shown as the
//! backlink's context on the page it leads to) and a note's first sentence
//! (its summary in listings and `<meta>`).

use super::{LinkKind, LinkRef};

/// Whether a link may lead to another note, the only links whose sentence is
/// shown (as a backlink): not a web link, a site-rooted path or an anchor on
/// the same page, as `links::resolve` decides. Most links of a big site are
/// web links, and their sentences were a large part of its memory.
pub(super) fn may_reach_a_note(kind: LinkKind, dest: &str) -> bool {
    let d = dest.trim();
    matches!(kind, LinkKind::Wiki | LinkKind::WikiEmbed)
        || !(d.is_empty() || crate::url::is_external(d) || d.starts_with(['/', '#']))
}

pub(super) fn flush_context(links: &mut [LinkRef], pending: &mut Vec<(usize, usize)>, block: &str) {
    // Links of one sentence share its context: found once, not once per
    // link (20k links in one paragraph took 5 s, quadratic in the links).
    let mut last: Option<(std::ops::Range<usize>, String)> = None;
    for (i, at) in pending.drain(..) {
        let context = match &last {
            Some((bounds, context)) if bounds.contains(&at) => context.clone(),
            _ => {
                let bounds = sentence_bounds(block, at);
                let context = truncate_chars(block[bounds.clone()].trim(), 160);
                last = Some((bounds, context.clone()));
                context
            }
        };
        links[i].context = context;
    }
}

const SENTENCE_ENDS: &[char] = &['。', '！', '？', '；', '!', '?', ';', '\n'];

/// Where the sentence of `text` that contains byte offset `at` starts and
/// ends (its end mark included); the same for every offset inside it.
fn sentence_bounds(text: &str, at: usize) -> std::ops::Range<usize> {
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
    start..end
}

/// The summary's length in characters at most: a search result's or a
/// meta description's snippet is cut near there anyway.
const SUMMARY_CHARS: usize = 120;

/// The first sentence of a paragraph (up to `。！？`, or `.!?` before a space
/// or the end: `3.14` and `os.fork` go on), whitespace collapsed.
pub(super) fn first_sentence(text: &str) -> String {
    let t = text.trim();
    let mut end = t.len();
    for (i, c) in t.char_indices() {
        let after = &t[i + c.len_utf8()..];
        let ends = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => after.is_empty() || after.starts_with(char::is_whitespace),
            _ => false,
        };
        if ends {
            end = i + c.len_utf8();
            break;
        }
    }
    truncate_chars(&t[..end], SUMMARY_CHARS)
}

fn truncate_chars(s: &str, max: usize) -> String {
    // Word by word, stopping past `max`: a long paragraph is not copied whole.
    let mut out = String::new();
    let mut chars = 0;
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += word.chars().count();
        if chars > max {
            let cut = out.char_indices().nth(max).map_or(out.len(), |(i, _)| i);
            out.truncate(cut);
            out.push('…');
            return out;
        }
    }
    out
}
