//! Emphasis next to Chinese punctuation, as Typora shows it: `**注意：**后文`,
//! `调用**`fork()`**之后`, `含**「重点」**内容`, `~~删除。~~后文`, and
//! `**注意：**这是**重点**` as two bold phrases.
//!
//! CommonMark's flanking rules assume that words are separated by spaces: a
//! `**` between full-width punctuation and a Han character can neither open
//! nor close, so the parser leaves it as text or pairs it with the wrong
//! partner. The CJK-friendly amendment of the rules (tats-u/markdown-cjk-
//! friendly, which VitePress follows) only ever lets more runs flank, and a
//! run it lets flank always both opens and closes by its rules. So the
//! amended rules come from the parser's own, delimiter algorithm and all
//! (links, the rule of three): a [`MARK`], which the parser reads as a
//! letter, goes between such a run and the punctuation that blocked it, and
//! every string of the parser's events drops the marks again.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use std::ops::Range;
use unicode_general_category::{get_general_category, GeneralCategory as Gc};

type Item<'a> = (Event<'a>, Range<usize>);

/// A noncharacter: never in a note's text (a note holding one is parsed
/// as CommonMark has it), neither space nor punctuation to the parser.
const MARK: char = '\u{FDD0}';

/// The parser's events for `body`, with the emphasis runs beside CJK
/// punctuation flanking as the CJK-friendly rules have them when `on`.
pub(crate) fn parse<'a>(
    body: &'a str,
    options: Options,
    on: bool,
) -> Box<dyn Iterator<Item = Item<'a>> + 'a> {
    let marks = match on && !body.contains(MARK) {
        true => marks(body),
        false => Vec::new(),
    };
    if marks.is_empty() {
        return Box::new(Parser::new_ext(body, options).into_offset_iter());
    }
    Box::new(parse_marked(body, &marks, options).into_iter())
}

/// Where marks go (byte offsets in `body`, ascending): before a run that
/// may close only by the CJK-friendly rules, after one that may open only by them.
fn marks(body: &str) -> Vec<usize> {
    let b = body.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'*', b'~', &b[at..]) {
        let start = at + found;
        let ch = b[start];
        let len = b[start..].iter().take_while(|&&c| c == ch).count();
        at = start + len;
        if ch == b'~' && len != 2 {
            continue;
        }
        let prev = body[..start].chars().next_back();
        let next = body[at..].chars().next();
        // Both neighbours ASCII: the rules agree.
        let ascii = |c: Option<char>| c.is_none_or(|c| c.is_ascii());
        if ascii(prev) && ascii(next) {
            continue;
        }
        // Next to another run or to a table's cell border; `^` would stop
        // being superscript's beside a mark (it must touch punctuation or space).
        let blocked = |c: Option<char>| matches!(c, Some('*' | '~' | '_' | '|' | '^'));
        let quoted = prev == Some('>') && after_quote(&b[..start]);
        if blocked(prev) || blocked(next) || escaped(&b[..start]) || quoted {
            continue;
        }
        let (left, right) = flanking(prev, next, true);
        let (left_cm, right_cm) = flanking(prev, next, false);
        if right && !right_cm {
            out.push(start);
        } else if left && !left_cm {
            out.push(at);
        }
    }
    out
}

/// Whether the text before a run ends with an odd number of backslashes:
/// its first character is escaped (`\**` is an asterisk, then a run of one).
fn escaped(before: &[u8]) -> bool {
    before.iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1
}

/// Whether a run follows only quote markers on its line (`> **`, `>**`):
/// the parser reads it as at the line's start, where it cannot close. Looks
/// back a few bytes only: a long line of runs must not be read again for each.
fn after_quote(before: &[u8]) -> bool {
    let window = &before[before.len().saturating_sub(32)..];
    let line = match window.iter().rposition(|&c| c == b'\n') {
        Some(nl) => &window[nl + 1..],
        None if window.len() == before.len() => window,
        None => return false,
    };
    line.contains(&b'>') && line.iter().all(|&c| matches!(c, b'>' | b' ' | b'\t'))
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

/// `body` parsed with [`MARK`]s at `marks`, as events of `body` itself: the
/// marks are dropped from every string and ranges are offsets in `body`.
fn parse_marked(body: &str, marks: &[usize], options: Options) -> Vec<Item<'static>> {
    let width = MARK.len_utf8();
    let mut marked = String::with_capacity(body.len() + marks.len() * width);
    let mut last = 0;
    for &m in marks {
        marked.push_str(&body[last..m]);
        marked.push(MARK);
        last = m;
    }
    marked.push_str(&body[last..]);
    // Where each mark is in `marked`.
    let placed: Vec<usize> = marks
        .iter()
        .enumerate()
        .map(|(i, m)| m + i * width)
        .collect();
    let back = |p: usize| p - placed.partition_point(|&a| a < p) * width;
    Parser::new_ext(&marked, options)
        .into_offset_iter()
        .filter_map(|(mut event, r)| {
            for s in strings(&mut event) {
                if s.contains(MARK) {
                    *s = s.replace(MARK, "").into();
                }
            }
            let empty = matches!(&event, Event::Text(t) if t.is_empty());
            (!empty).then(|| (event.into_static(), back(r.start)..back(r.end)))
        })
        .collect()
}

/// Every string an event carries (where a rewrite's stand-in characters
/// are taken out again: here and in `spaced_path.rs`).
pub(super) fn strings<'e, 'a>(event: &'e mut Event<'a>) -> Vec<&'e mut CowStr<'a>> {
    match event {
        Event::Text(s)
        | Event::Code(s)
        | Event::InlineMath(s)
        | Event::DisplayMath(s)
        | Event::Html(s)
        | Event::InlineHtml(s)
        | Event::FootnoteReference(s) => vec![s],
        Event::Start(tag) => match tag {
            Tag::Link {
                dest_url,
                title,
                id,
                ..
            }
            | Tag::Image {
                dest_url,
                title,
                id,
                ..
            } => vec![dest_url, title, id],
            Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)) => vec![info],
            Tag::FootnoteDefinition(label) => vec![label],
            Tag::Heading {
                id, classes, attrs, ..
            } => {
                let attrs = attrs
                    .iter_mut()
                    .flat_map(|(k, v)| std::iter::once(k).chain(v));
                id.iter_mut()
                    .chain(classes.iter_mut())
                    .chain(attrs)
                    .collect()
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
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
            | 0xD7B0..=0xD7FF        // Hangul Jamo extended-B
            | 0xFE50..=0xFE6F        // small form variants
            | 0xFFA0..=0xFFDC        // half-width Hangul
            | 0xFFE8..=0xFFEE        // half-width symbols
            | 0x17000..=0x18AFF      // Tangut
            | 0x1B170..=0x1B2FF      // Nüshu
            | 0xE0100..=0xE01EF) // ideographic variation selectors (after a Han character)
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{html, Event, Options, Parser};

    const OPTS: Options = Options::ENABLE_STRIKETHROUGH.union(Options::ENABLE_TABLES);

    fn render(md: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, super::parse(md, OPTS, true).map(|(e, _)| e));
        out
    }

    fn commonmark(md: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, Parser::new_ext(md, OPTS));
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
            (
                "按**<kbd>Ctrl</kbd>+<kbd>C</kbd>**复制",
                "<p>按<strong><kbd>Ctrl</kbd>+<kbd>C</kbd></strong>复制</p>\n",
            ),
            (
                "路径**C:\\\\**之后",
                "<p>路径<strong>C:\\</strong>之后</p>\n",
            ),
            // A run at a quoted line's start cannot close `**甲`.
            (
                "> **甲\n>**注意：**后",
                "<blockquote>\n<p>**甲\n<strong>注意：</strong>后</p>\n</blockquote>\n",
            ),
            (
                "禰\u{E0100}**(x)**后",
                "<p>禰\u{E0100}<strong>(x)</strong>后</p>\n",
            ),
        ] {
            assert_eq!(render(md), html, "{md}");
        }
    }

    /// CommonMark pairs the middle runs (`<strong>注意：<strong>这是</strong>重点</strong>`).
    #[test]
    fn runs_the_parser_would_pair_wrongly_pair_as_typora_shows_them() {
        for (md, html) in [
            (
                "**注意：**这是**重点**",
                "<p><strong>注意：</strong>这是<strong>重点</strong></p>\n",
            ),
            (
                "*一：*二*三*",
                "<p><em>一：</em>二<em>三</em></p>\n",
            ),
            (
                "**前提：**见[**链接：**这里](a.md)和**后**",
                "<p><strong>前提：</strong>见<a href=\"a.md\"><strong>链接：</strong>这里</a>和<strong>后</strong></p>\n",
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
            "第**^1^**名",
            "\\**注意：**后",
            "    **缩进：**代码",
            "| a | b |\n|---|---|\n| 中**| 文 |",
            "含\u{FDD0}**「重点」**内容",
        ] {
            assert_eq!(render(md), commonmark(md), "{md}");
        }
    }

    /// Marks in code, URLs, titles and labels are dropped; ranges are the note's.
    #[test]
    fn marks_leave_no_trace() {
        let md = "**甲：**乙 `**代码：**里` [x](http://a.com/：**b \"题：**目\") <http://a.com/：**b>\n\n\
                  ```\n**代码：**里\n```\n\n[^注：**脚]\n\n[^注：**脚]: 注\n";
        let events: Vec<_> = super::parse(md, OPTS | Options::ENABLE_FOOTNOTES, true).collect();
        assert!(events
            .iter()
            .any(|(e, _)| matches!(e, Event::Start(pulldown_cmark::Tag::Strong))));
        let html = {
            let mut out = String::new();
            html::push_html(&mut out, events.iter().map(|(e, _)| e.clone()));
            out
        };
        assert!(!html.contains(super::MARK), "{html}");
        assert!(html.contains("<code>**代码：**里</code>"), "{html}");
        assert!(
            html.contains("href=\"http://a.com/%EF%BC%9A**b\""),
            "{html}"
        );
        for (e, r) in &events {
            if let Event::Text(t) | Event::Code(t) = e {
                let src = &md[r.clone()];
                assert!(src.contains(&**t), "{t:?} from {src:?}");
            }
        }
    }

    #[test]
    fn off_is_commonmark() {
        let md = "**注意：**这是**重点**";
        let mut out = String::new();
        html::push_html(&mut out, super::parse(md, OPTS, false).map(|(e, _)| e));
        assert_eq!(out, commonmark(md));
    }
}
