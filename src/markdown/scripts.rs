//! `^sup^` and `~sub~` as Typora reads them. The parser pairs `^` and `~`
//! the way it pairs `*`, across spaces and line breaks, so prose such as
//! `[^0-9] 匹配非数字，^ 表示行首` or `约 ~1GB` (a line break) `峰值 2GB~`
//! turned into superscript or subscript; Typora (and markdown-it) take a
//! pair only when nothing inside is a space. Such pairs are turned back into
//! their text, where word-internal scripts (`x^2^`) are still found later
//! (see [`super::typora::pieces`]).

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::VecDeque;
use std::ops::Range;

type Item<'a> = (Event<'a>, Range<usize>);

/// The parser's events with spaced script pairs as text.
pub(crate) struct Scripts<'a, I> {
    inner: I,
    ready: VecDeque<Item<'a>>,
}

impl<'a, I: Iterator<Item = Item<'a>>> Scripts<'a, I> {
    pub(crate) fn new(inner: I) -> Self {
        Scripts {
            inner,
            ready: VecDeque::new(),
        }
    }

    /// The events of the pair that `start` opens (ended by `kind`, written
    /// with `delim`), up to its end, as they should be shown.
    fn pair(&mut self, start: Item<'a>, kind: TagEnd, delim: &'static str) {
        let mut inside = Vec::new();
        let mut depth = 0usize;
        let mut end = None;
        for item in self.inner.by_ref() {
            match &item.0 {
                Event::End(k) if *k == kind && depth == 0 => {
                    end = Some(item);
                    break;
                }
                Event::End(k) if *k == kind => depth -= 1,
                Event::Start(t) if t.to_end() == kind => depth += 1,
                _ => {}
            }
            inside.push(item);
        }
        let spaced = inside.iter().any(|(e, _)| match e {
            Event::Text(t) => t.contains(char::is_whitespace),
            Event::SoftBreak | Event::HardBreak => true,
            _ => false,
        });
        let face = match inside.as_slice() {
            [(Event::Text(t), _)] => is_face(t),
            _ => false,
        };
        if !spaced && !face {
            self.ready.push_back(start);
            self.ready.extend(inside);
            self.ready.extend(end);
            return;
        }
        let r = start.1;
        let text = |at: Range<usize>| (Event::Text(CowStr::Borrowed(delim)), at);
        self.ready
            .push_back(text(r.start..(r.start + 1).min(r.end)));
        self.ready.extend(inside);
        if end.is_some() {
            self.ready
                .push_back(text(r.end.saturating_sub(1).max(r.start)..r.end));
        }
    }
}

/// What a pair holds when it is a face (`^_^`, `^o^`, `^▽^`), which Chinese
/// notes write far more often than a superscript of punctuation: no letter
/// or digit, or a lone `o`.
pub(crate) fn is_face(inside: &str) -> bool {
    !inside.chars().any(char::is_alphanumeric) || matches!(inside, "o" | "O")
}

impl<'a, I: Iterator<Item = Item<'a>>> Iterator for Scripts<'a, I> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        if let Some(item) = self.ready.pop_front() {
            return Some(item);
        }
        let item = self.inner.next()?;
        let (kind, delim) = match item.0 {
            Event::Start(Tag::Superscript) => (TagEnd::Superscript, "^"),
            Event::Start(Tag::Subscript) => (TagEnd::Subscript, "~"),
            _ => return Some(item),
        };
        self.pair(item, kind, delim);
        self.ready.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{html, Options, Parser};

    fn render(md: &str) -> String {
        let opts =
            Options::ENABLE_SUPERSCRIPT | Options::ENABLE_SUBSCRIPT | Options::ENABLE_STRIKETHROUGH;
        let events = super::Scripts::new(Parser::new_ext(md, opts).into_offset_iter());
        let mut out = String::new();
        html::push_html(&mut out, events.map(|(e, _)| e));
        out
    }

    #[test]
    fn pairs_with_a_space_or_a_line_break_inside_are_text() {
        for (md, html) in [
            (
                "[^0-9] 匹配非数字，^ 表示行首",
                "<p>[^0-9] 匹配非数字，^ 表示行首</p>\n",
            ),
            (
                "工期 1 ~2 天，或 3~ 4 天",
                "<p>工期 1 ~2 天，或 3~ 4 天</p>\n",
            ),
            ("内存 ~1GB\n峰值 2GB~", "<p>内存 ~1GB\n峰值 2GB~</p>\n"),
            (
                "^上标^ 和 ~下标~",
                "<p><sup>上标</sup> 和 <sub>下标</sub></p>\n",
            ),
            ("~~删除~~", "<p><del>删除</del></p>\n"),
            ("^**粗**^", "<p><sup><strong>粗</strong></sup></p>\n"),
            (
                "好的 ^_^ 和 ^o^ 以及 ^-^",
                "<p>好的 ^_^ 和 ^o^ 以及 ^-^</p>\n",
            ),
            ("^n^ 和 ^1^", "<p><sup>n</sup> 和 <sup>1</sup></p>\n"),
        ] {
            assert_eq!(render(md), html, "{md}");
        }
    }
}
