//! Emphasis next to Chinese punctuation, as Typora shows it: `**注意：**后文`,
//! `调用**`fork()`**之后`, `含**「重点」**内容`, `~~删除。~~后文`.
//!
//! CommonMark's flanking rules assume that words are separated by spaces: a
//! `**` between full-width punctuation and a Han character neither opens nor
//! closes, and the parser leaves the asterisks as text. This pass pairs
//! those leftover runs by the CJK-friendly amendment of the rules
//! (tats-u/markdown-cjk-friendly, which VitePress follows): punctuation that
//! is itself CJK does not block a run, and a CJK character beside a run
//! counts as a space would. Runs the parser paired are left as they are.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::VecDeque;
use std::ops::Range;
use unicode_general_category::{get_general_category, GeneralCategory as Gc};

type Item<'a> = (Event<'a>, Range<usize>);

/// The parser's events (with their source ranges), with the leftover
/// delimiter runs of each stretch of inline content paired where the
/// CJK-friendly rules pair them.
pub(crate) struct CjkEmphasis<'a, I> {
    inner: I,
    body: &'a str,
    on: bool,
    /// Inside a code block, whose text is code, not prose.
    in_code: bool,
    /// The inline events since the last block event.
    inline: Vec<Item<'a>>,
    ready: VecDeque<Item<'a>>,
}

impl<'a, I: Iterator<Item = Item<'a>>> CjkEmphasis<'a, I> {
    pub(crate) fn new(inner: I, body: &'a str, on: bool) -> Self {
        CjkEmphasis {
            inner,
            body,
            on,
            in_code: false,
            inline: Vec::new(),
            ready: VecDeque::new(),
        }
    }

    fn flush(&mut self) {
        let items = std::mem::take(&mut self.inline);
        self.ready.extend(pair_runs(self.body, items));
    }
}

impl<'a, I: Iterator<Item = Item<'a>>> Iterator for CjkEmphasis<'a, I> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        if !self.on {
            return self.inner.next();
        }
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            match self.inner.next() {
                Some(item) if !self.in_code && is_inline(&item.0) => self.inline.push(item),
                Some(item) => {
                    match item.0 {
                        Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
                        Event::End(TagEnd::CodeBlock) => self.in_code = false,
                        _ => {}
                    }
                    self.flush();
                    self.ready.push_back(item);
                }
                None if self.inline.is_empty() => return None,
                None => self.flush(),
            }
        }
    }
}

/// Events that are part of a paragraph's (a heading's, a cell's) text.
fn is_inline(e: &Event) -> bool {
    match e {
        Event::Start(t) => super::is_format_tag(t) || matches!(t, Tag::Image { .. }),
        Event::End(t) => super::is_format_end(t) || *t == TagEnd::Image,
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_) => true,
        _ => false,
    }
}

/// A run of `*` or `~~` the parser left as text.
#[derive(Debug)]
struct Run {
    /// Which stretch of text ([`Stretch`]) holds it, and where it is in
    /// the source.
    stretch: usize,
    src: Range<usize>,
    ch: u8,
    /// The inline element it is directly inside (each instance numbered).
    frame: usize,
    open: bool,
    close: bool,
    /// It opens or closes only by the CJK-friendly rules (if both runs of a
    /// pair could by CommonMark's, the parser had a reason not to pair them).
    new: bool,
}

/// Consecutive text events that are their source as written (the parser
/// splits text at each leftover `*`): items `items`, source `src`.
struct Stretch {
    items: Range<usize>,
    src: Range<usize>,
}

/// `items` with the runs the CJK-friendly rules pair turned into emphasis,
/// strong emphasis or strikethrough.
fn pair_runs<'a>(body: &'a str, items: Vec<Item<'a>>) -> Vec<Item<'a>> {
    let has_runs = items
        .iter()
        .any(|(e, _)| matches!(e, Event::Text(t) if t.contains('*') || t.contains('~')));
    if !has_runs {
        return items;
    }
    let (stretches, runs) = find_runs(body, &items);
    let pairs = pair(&runs);
    if pairs.is_empty() {
        return items;
    }
    // Per stretch, the runs to replace: (source, events).
    let mut edits: Vec<Vec<(Range<usize>, Vec<Event<'a>>)>> = vec![Vec::new(); stretches.len()];
    for (o, c) in pairs {
        let (open, close) = tags(&runs[o]);
        edits[runs[o].stretch].push((runs[o].src.clone(), open));
        edits[runs[c].stretch].push((runs[c].src.clone(), close));
    }
    let mut out = Vec::with_capacity(items.len() + 8);
    let mut items = items.into_iter().enumerate().peekable();
    for (stretch, mut edit) in stretches.into_iter().zip(edits) {
        // The items before this stretch, as they were.
        while let Some((_, item)) = items.next_if(|(i, _)| *i < stretch.items.start) {
            out.push(item);
        }
        if edit.is_empty() {
            continue;
        }
        while items.next_if(|(i, _)| *i < stretch.items.end).is_some() {}
        edit.sort_by_key(|e| e.0.start);
        let text = |r: Range<usize>| (Event::Text(CowStr::Borrowed(&body[r.clone()])), r);
        let mut last = stretch.src.start;
        for (src, events) in edit {
            if src.start > last {
                out.push(text(last..src.start));
            }
            last = src.end;
            out.extend(events.into_iter().map(|e| (e, src.clone())));
        }
        if last < stretch.src.end {
            out.push(text(last..stretch.src.end));
        }
    }
    out.extend(items.map(|(_, item)| item));
    out
}

/// The stretches of text in `items`, and the leftover runs in them, each
/// with how it may be used.
fn find_runs(body: &str, items: &[Item]) -> (Vec<Stretch>, Vec<Run>) {
    let mut stretches: Vec<Stretch> = Vec::new();
    for (i, (event, range)) in items.iter().enumerate() {
        // Text that differs from its source (an entity) is left alone.
        let Event::Text(t) = event else { continue };
        if body.get(range.clone()) != Some(&**t) {
            continue;
        }
        match stretches.last_mut() {
            Some(s) if s.items.end == i && s.src.end == range.start => {
                s.items.end = i + 1;
                s.src.end = range.end;
            }
            _ => stretches.push(Stretch {
                items: i..i + 1,
                src: range.clone(),
            }),
        }
    }
    let mut runs = Vec::new();
    let frame_of = frame_ids(items, &stretches);
    for (k, s) in stretches.iter().enumerate() {
        let b = body.as_bytes();
        let mut at = s.src.start;
        while at < s.src.end {
            let ch = b[at];
            if ch != b'*' && ch != b'~' {
                at += 1;
                continue;
            }
            let len = b[at..s.src.end].iter().take_while(|&&c| c == ch).count();
            runs.extend(run_at(body, at..at + len, ch, (k, frame_of[k])));
            at += len;
        }
    }
    (stretches, runs)
}

/// The inline element each stretch is directly inside, numbered by
/// instance: runs pair only within one.
fn frame_ids(items: &[Item], stretches: &[Stretch]) -> Vec<usize> {
    let mut out = vec![0; stretches.len()];
    let mut frames = vec![0];
    let mut next = 1;
    let mut k = 0;
    for (i, (event, _)) in items.iter().enumerate() {
        while k < stretches.len() && stretches[k].items.start == i {
            out[k] = frames.last().copied().unwrap_or(0);
            k += 1;
        }
        match event {
            Event::Start(_) => {
                frames.push(next);
                next += 1;
            }
            Event::End(_) => _ = frames.pop(),
            // Raw HTML between two runs may open or close an element: a
            // pair across it could cross that element's end tag.
            Event::InlineHtml(_) => {
                if let Some(f) = frames.last_mut() {
                    *f = next;
                    next += 1;
                }
            }
            _ => {}
        }
    }
    out
}

/// The run of `ch` at `src` in the source, if it is a whole run of a usable
/// length (`*` to `***`, `~~`) that may open or close; it is in stretch
/// `stretch`, inside element `frame`.
fn run_at(body: &str, src: Range<usize>, ch: u8, (stretch, frame): (usize, usize)) -> Option<Run> {
    let len = src.len();
    let usable = match ch {
        b'*' => len <= 3,
        _ => len == 2,
    };
    let prev = body[..src.start].chars().next_back();
    let next = body[src.end..].chars().next();
    // Part of a longer run in the source (the parser used the rest), or
    // escaped (`\*\*` is meant as asterisks).
    if !usable || prev == Some(ch as char) || next == Some(ch as char) || prev == Some('\\') {
        return None;
    }
    let (left, right) = flanking(prev, next, true);
    let (left_cm, right_cm) = flanking(prev, next, false);
    (left || right).then_some(Run {
        stretch,
        src,
        ch,
        frame,
        open: left,
        close: right,
        new: (left && !left_cm) || (right && !right_cm),
    })
}

/// Whether a run between `prev` and `next` (none: the line's start or end)
/// is left- and right-flanking, by the CJK-friendly rules or CommonMark's.
fn flanking(prev: Option<char>, next: Option<char>, cjk: bool) -> (bool, bool) {
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    // Punctuation that blocks: by CommonMark's rules any, by the CJK-friendly
    // ones only punctuation that is not CJK.
    let blocks = |c: Option<char>| c.is_some_and(|c| is_punctuation(c) && !(cjk && is_cjk(c)));
    let wide = |c: Option<char>| cjk && c.is_some_and(is_cjk);
    let left = !space(next) && (!blocks(next) || space(prev) || blocks(prev) || wide(prev));
    let right = !space(prev) && (!blocks(prev) || space(next) || blocks(next) || wide(next));
    (left, right)
}

/// Unicode punctuation as CommonMark 0.31 has it: the P and S categories.
fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    matches!(
        get_general_category(c),
        Gc::ConnectorPunctuation
            | Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation
            | Gc::OtherPunctuation
            | Gc::MathSymbol
            | Gc::CurrencySymbol
            | Gc::ModifierSymbol
            | Gc::OtherSymbol
    )
}

/// Characters East Asian Width calls wide, full-width or half-width (Han,
/// kana, CJK and full-width punctuation; the ones whose line breaks join
/// without a space), and Hangul.
fn is_cjk(c: char) -> bool {
    super::breaks::joins_without_space(c)
        || matches!(c as u32,
            0x1100..=0x115F          // Hangul Jamo leading consonants
            | 0x3130..=0x318F        // Hangul compatibility Jamo
            | 0xA960..=0xA97F        // Hangul Jamo extended-A
            | 0xAC00..=0xD7A3        // Hangul syllables
            | 0xFE50..=0xFE6F) // small form variants
}

/// How many open runs a closing run looks back through for its partner.
const MAX_LOOK_BACK: usize = 64;

/// Pairs of runs (opener, closer) by the delimiter rules: a closer takes
/// the nearest opener of the same kind and length in the same element, and
/// the openers between them are dropped.
fn pair(runs: &[Run]) -> Vec<(usize, usize)> {
    let mut openers: Vec<usize> = Vec::new();
    let mut pairs = Vec::new();
    for (k, r) in runs.iter().enumerate() {
        if r.close {
            // The nearest few only: a line of unmatched runs must not make
            // every closer look at all of them (time growing with the square).
            let from = openers.len().saturating_sub(MAX_LOOK_BACK);
            let found = openers[from..]
                .iter()
                .rposition(|&o| {
                    let o = &runs[o];
                    o.frame == r.frame
                        && o.ch == r.ch
                        && o.src.len() == r.src.len()
                        && (o.new || r.new)
                })
                .map(|at| from + at);
            if let Some(at) = found {
                pairs.push((openers[at], k));
                openers.truncate(at);
                continue;
            }
        }
        if r.open {
            openers.push(k);
        }
    }
    pairs
}

/// The events that replace a pair's opening and closing runs.
fn tags<'a>(run: &Run) -> (Vec<Event<'a>>, Vec<Event<'a>>) {
    let kinds: &[(Tag<'a>, TagEnd)] = match (run.ch, run.src.len()) {
        (b'~', _) => &[(Tag::Strikethrough, TagEnd::Strikethrough)],
        (_, 1) => &[(Tag::Emphasis, TagEnd::Emphasis)],
        (_, 2) => &[(Tag::Strong, TagEnd::Strong)],
        _ => &[
            (Tag::Emphasis, TagEnd::Emphasis),
            (Tag::Strong, TagEnd::Strong),
        ],
    };
    let open = kinds.iter().map(|(t, _)| Event::Start(t.clone())).collect();
    let close = kinds.iter().rev().map(|(_, e)| Event::End(*e)).collect();
    (open, close)
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{html, Options, Parser};

    fn render(md: &str) -> String {
        let opts = Options::ENABLE_STRIKETHROUGH;
        let events = Parser::new_ext(md, opts).into_offset_iter();
        let fixed = super::CjkEmphasis::new(events, md, true).map(|(e, _)| e);
        let mut out = String::new();
        html::push_html(&mut out, fixed);
        out
    }

    #[test]
    fn emphasis_beside_chinese_punctuation_is_emphasis() {
        for (md, html) in [
            (
                "**开源：**代码是公开的",
                "<p><strong>开源：</strong>代码是公开的</p>\n",
            ),
            (
                "调用**`fork()`**之后",
                "<p>调用<strong><code>fork()</code></strong>之后</p>\n",
            ),
            (
                "含**「重点」**内容",
                "<p>含<strong>「重点」</strong>内容</p>\n",
            ),
            ("这是**“引用”**的", "<p>这是<strong>“引用”</strong>的</p>\n"),
            ("~~删除。~~后文", "<p><del>删除。</del>后文</p>\n"),
            ("*斜体：*后文", "<p><em>斜体：</em>后文</p>\n"),
            (
                "***都有。***后",
                "<p><em><strong>都有。</strong></em>后</p>\n",
            ),
            (
                "- **注意：**这里\n- 二",
                "<ul>\n<li><strong>注意：</strong>这里</li>\n<li>二</li>\n</ul>\n",
            ),
        ] {
            assert_eq!(render(md), html, "{md}");
        }
    }

    #[test]
    fn what_commonmark_pairs_or_refuses_stays() {
        for md in [
            "**普通粗体**和*斜体*",
            r"\*\*不是：\*\*粗体",
            "a ** b ** c",
            "2 * 3 * 4",
            "`**代码：**里`",
            "**开 [链接：**](x) 后",
            "**没有收尾：",
            "a**b**c",
            "**x**",
            "```\n**代码：**里\n```",
            "a <span>**注意：</span>**后",
            "    **缩进：**代码",
        ] {
            let plain = {
                let mut out = String::new();
                html::push_html(&mut out, Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH));
                out
            };
            assert_eq!(render(md), plain, "{md}");
        }
    }
}
