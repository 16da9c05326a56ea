//! Single line breaks inside a paragraph. Typora's and Obsidian's editors
//! show each one as a new line, so by default (`markdown: breaks: true`) the
//! page does too. CommonMark (`breaks: false`, as on GitHub) joins the lines
//! with a space; between two Chinese or Japanese characters that space is a
//! gap no editor shows (browsers other than Firefox keep it), so there the
//! lines join with nothing, as CSS Text 3 asks and Hugo's
//! `eastAsianLineBreaks` does.

use pulldown_cmark::{CowStr, Event};

/// Whether a line break between `c` and a character of the same kind
/// disappears when lines join: East Asian wide, full-width or half-width
/// characters, but not Hangul (Korean is written with spaces).
pub(crate) fn joins_without_space(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x303F        // radicals, ideographic description, CJK punctuation
        | 0x3040..=0x312F      // kana, bopomofo
        | 0x3190..=0x33FF      // kanbun, strokes, kana ext., enclosed and compat. CJK
        | 0x3400..=0x4DBF      // extension A
        | 0x4E00..=0x9FFF      // unified ideographs
        | 0xA000..=0xA4CF      // Yi
        | 0xF900..=0xFAFF      // compatibility ideographs
        | 0xFE10..=0xFE1F      // vertical forms
        | 0xFE30..=0xFE4F      // compatibility forms
        | 0xFF01..=0xFF60      // full-width ASCII and punctuation
        | 0xFF61..=0xFF9F      // half-width punctuation and katakana
        | 0xFFE0..=0xFFE6      // full-width signs
        | 0x1B000..=0x1B16F    // kana supplement and extensions
        | 0x20000..=0x3FFFD // extensions B and later
    )
}

/// Inline formatting a join looks through: `**加粗**\n文字` joins as
/// `加粗文字` would.
fn is_format_end(e: &Event) -> bool {
    match e {
        Event::End(t) => super::is_format_end(t),
        Event::Html(h) => h.as_ref() == "</mark>",
        _ => false,
    }
}

fn is_format_start(e: &Event) -> bool {
    match e {
        Event::Start(t) => super::is_format_tag(t),
        Event::Html(h) => h.as_ref() == "<mark>",
        _ => false,
    }
}

/// With `breaks: false`: drops each soft break that sits between two
/// [`joins_without_space`] characters of the text around it.
pub(crate) fn join_wide_lines(events: &mut [Event]) {
    for i in 0..events.len() {
        if !matches!(events[i], Event::SoftBreak) {
            continue;
        }
        let before = events[..i]
            .iter()
            .rev()
            .find(|e| !is_format_end(e))
            .and_then(|e| match e {
                Event::Text(t) => t.chars().next_back(),
                _ => None,
            });
        let after = events[i + 1..]
            .iter()
            .find(|e| !is_format_start(e))
            .and_then(|e| match e {
                Event::Text(t) => t.chars().next(),
                _ => None,
            });
        if before.is_some_and(joins_without_space) && after.is_some_and(joins_without_space) {
            events[i] = Event::Text(CowStr::Borrowed(""));
        }
    }
}

/// Whether lines that join (`breaks: false`) meet without a space in a
/// block's plain text (summaries, link contexts): `before` ends the first
/// line, `after` starts the next.
pub(crate) fn joined(before: &str, after: &str) -> bool {
    before.chars().next_back().is_some_and(joins_without_space)
        && after.chars().next().is_some_and(joins_without_space)
}

/// Lines of one heading or sentence as one line: a space between them,
/// none between two Chinese characters.
pub(crate) fn join_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n') {
        let line = line.trim();
        if !out.is_empty() && !joined(&out, line) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Parser};

    fn render(md: &str) -> String {
        let mut events: Vec<Event> = Parser::new_ext(md, pulldown_cmark::Options::all()).collect();
        join_wide_lines(&mut events);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        out
    }

    #[test]
    fn wide_lines_join_without_a_space() {
        assert_eq!(render("第一行\n第二行"), "<p>第一行第二行</p>\n");
        assert_eq!(render("句号。\n（括号）"), "<p>句号。（括号）</p>\n");
        assert_eq!(
            render("**加粗**\n*文字*"),
            "<p><strong>加粗</strong><em>文字</em></p>\n"
        );
        assert_eq!(render("ひらがな\nカタカナ"), "<p>ひらがなカタカナ</p>\n");
    }

    #[test]
    fn other_lines_keep_their_break() {
        assert_eq!(render("中文\nEnglish"), "<p>中文\nEnglish</p>\n");
        assert_eq!(render("English\n中文"), "<p>English\n中文</p>\n");
        assert_eq!(render("한국어\n문장"), "<p>한국어\n문장</p>\n");
        assert_eq!(
            render("代码 `x`\n中文"),
            "<p>代码 <code>x</code>\n中文</p>\n"
        );
        assert_eq!(render("中文  \n中文"), "<p>中文<br />\n中文</p>\n");
    }

    #[test]
    fn lines_join_with_a_space_except_between_chinese() {
        assert_eq!(join_lines("Setext\nheading"), "Setext heading");
        assert_eq!(join_lines("中文\n标题"), "中文标题");
        assert_eq!(join_lines("中文\nTitle"), "中文 Title");
    }

    #[test]
    fn joined_looks_at_both_sides() {
        assert!(joined("中", "文"));
        assert!(!joined("中", "a"));
        assert!(!joined("", "文"));
        assert!(!joined("a", "文"));
    }
}
