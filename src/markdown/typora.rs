//! Typora's and Obsidian's small syntax that pulldown-cmark does not parse:
//! `==mark==`, `^sup^` and `~sub~` inside words (`H~2~O`, `x^2^`), `%%comments%%`
//! and `^block-id` at the end of a block. These work on text pulldown-cmark
//! has already parsed (or, for comments, on the source before it parses it),
//! so code spans and code blocks are never touched.

use pulldown_cmark::{Event, Options, Tag, TagEnd};
use std::borrow::Cow;

/// A piece of a text run.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    /// A `==` that opens or closes a mark (which one is the caller's state).
    Mark,
    Sub(&'a str),
    Sup(&'a str),
}

/// Splits a run of text at `==` marks and word-internal `~sub~` / `^sup^`.
/// pulldown-cmark already parses `~sub~` between spaces; inside a word it
/// does not (flanking rules), so `H~2~O` is done here. The inside must be
/// short ASCII without spaces: Chinese prose writes ranges as `3~5天，10~20人`.
/// `glued`: the text touches an inline element (`**粗**`, a link, code)
/// before and after it, as a `==` there touches text (`==**重点**==`).
/// A bare URL is left whole (`https://a.com/~user/~x` is a link, as in the
/// editors, not a subscript).
pub(crate) fn pieces(text: &str, marks: bool, sup_sub: bool, glued: Glued) -> Vec<Piece<'_>> {
    let b = text.as_bytes();
    // Looked for only where a delimiter could cut one: this runs on every
    // run of text, and finding URLs allocates.
    let urls = match text.contains(['~', '^', '=']) {
        true => super::autolink::url_ranges(text),
        false => Vec::new(),
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(url) = urls.iter().find(|u| u.contains(&i)) {
            i = url.end;
            continue;
        }
        let c = b[i];
        if marks && c == b'=' && b.get(i + 1) == Some(&b'=') && is_mark(b, i, glued) {
            if start < i {
                out.push(Piece::Text(&text[start..i]));
            }
            out.push(Piece::Mark);
            i += 2;
            start = i;
            continue;
        }
        if sup_sub && (c == b'~' || c == b'^') {
            if let Some(end) = script_end(b, i) {
                if start < i {
                    out.push(Piece::Text(&text[start..i]));
                }
                let inner = &text[i + 1..end];
                out.push(if c == b'~' {
                    Piece::Sub(inner)
                } else {
                    Piece::Sup(inner)
                });
                i = end + 1;
                start = i;
                continue;
            }
        }
        i += 1;
    }
    if start < b.len() {
        out.push(Piece::Text(&text[start..]));
    }
    out
}

/// Whether a run of text touches an inline element before it and after it.
pub(crate) type Glued = (bool, bool);

/// Events drawn inline, flush against the text beside them: a `==` next
/// to one touches text (`==**重点**==`).
pub(crate) fn touches_text(e: &Event) -> bool {
    match e {
        Event::Start(t) => super::is_format_tag(t) || matches!(t, Tag::Image { .. }),
        Event::End(t) => super::is_format_end(t) || *t == TagEnd::Image,
        Event::Code(_) | Event::InlineMath(_) | Event::InlineHtml(_) => true,
        Event::FootnoteReference(_) => true,
        _ => false,
    }
}

/// The text a reader sees of a run: marks and script delimiters dropped.
pub(crate) fn visible(text: &str, marks: bool, sup_sub: bool, glued: Glued) -> Cow<'_, str> {
    shown(text, marks, sup_sub, glued, "")
}

/// Stands in for a `==` in text read before its block ends: whether it
/// pairs with another is known only then (see [`settle_marks`]). U+0091,
/// "private use one", is two bytes, as `==` is.
pub(crate) const MARK: char = '\u{91}';

/// [`visible`], with each `==` that may be a mark written as [`MARK`].
pub(crate) fn visible_marked(text: &str, marks: bool, sup_sub: bool, glued: Glued) -> Cow<'_, str> {
    shown(text, marks, sup_sub, glued, "\u{91}")
}

fn shown<'t>(text: &'t str, marks: bool, sup_sub: bool, glued: Glued, mark: &str) -> Cow<'t, str> {
    if !(marks && text.contains("==") || sup_sub && text.contains(['~', '^'])) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for p in pieces(text, marks, sup_sub, glued) {
        match p {
            Piece::Text(t) | Piece::Sub(t) | Piece::Sup(t) => out.push_str(t),
            Piece::Mark => out.push_str(mark),
        }
    }
    Cow::Owned(out)
}

/// A block's [`MARK`]s, once it ends: paired in order, as the page pairs
/// them, they go; one left open, or a pair around nothing but spaces
/// (`(== ==)`), is the `==` the page shows. `offsets` (of places in
/// `text`) move with the text.
pub(crate) fn settle_marks<'o>(text: &mut String, offsets: impl Iterator<Item = &'o mut usize>) {
    let at: Vec<usize> = text.match_indices(MARK).map(|(i, _)| i).collect();
    if at.is_empty() {
        return;
    }
    let mut gone = Vec::with_capacity(at.len());
    for pair in at.chunks(2) {
        match *pair {
            [open, close] if !text[open + 2..close].trim().is_empty() => {
                gone.extend([open, close]);
            }
            // `==` is as long as a MARK: nothing moves.
            _ => pair
                .iter()
                .for_each(|&m| text.replace_range(m..m + 2, "==")),
        }
    }
    let gone = &gone[..];
    for o in offsets {
        *o -= 2 * gone.partition_point(|&g| g < *o);
    }
    // In one pass: taking each out in place moved the rest of the block
    // every time (a paragraph of thousands of marks took quadratic time).
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for &g in gone {
        kept.push_str(&text[from..g]);
        from = g + 2;
    }
    kept.push_str(&text[from..]);
    *text = kept;
}

/// `==` at `i` is a mark when it is not part of `===` and touches text (or
/// an inline element, `glued`) on at least one side (`a == b` is a
/// comparison, not a mark).
fn is_mark(b: &[u8], i: usize, glued: Glued) -> bool {
    let before = i.checked_sub(1).map(|j| b[j]);
    let after = b.get(i + 2).copied();
    if before == Some(b'=') || after == Some(b'=') {
        return false;
    }
    let space = |c: Option<u8>, glued: bool| c.map_or(!glued, |c| c.is_ascii_whitespace());
    !(space(before, glued.0) && space(after, glued.1))
}

/// Where a word-internal `~x~` / `^x^` opened at `i` closes.
fn script_end(b: &[u8], i: usize) -> Option<usize> {
    let delim = b[i];
    // `~~` is strikethrough's, and a delimiter after a space is no script.
    if b.get(i + 1) == Some(&delim) || i == 0 || b[i - 1].is_ascii_whitespace() || b[i - 1] == delim
    {
        return None;
    }
    let mut j = i + 1;
    while j < b.len() && j - i <= 16 {
        let c = b[j];
        if c == delim {
            let face = super::scripts::is_face(std::str::from_utf8(&b[i + 1..j]).unwrap_or(""));
            return (j > i + 1 && b.get(j + 1) != Some(&delim) && !face).then_some(j);
        }
        if !c.is_ascii_graphic() || c == b'~' || c == b'^' {
            return None;
        }
        j += 1;
    }
    None
}

/// The source with Obsidian's `%%comments%%` cut out. Comments inside code
/// stay (`printf("%%d")`); each cut keeps its newlines, so every line after it
/// keeps its number for messages.
pub(crate) fn strip_comments(body: &str, opts: Options) -> Cow<'_, str> {
    if !body.contains("%%") {
        return Cow::Borrowed(body);
    }
    let code = super::code_ranges(body, opts);
    let in_code = |at: usize| super::in_ranges(&code, at);
    let b = body.as_bytes();
    // `%%` alone: `print("%%%")` in prose is no comment.
    let lone = |at: usize| (at == 0 || b[at - 1] != b'%') && b.get(at + 2) != Some(&b'%');
    // An opening `%%` starts a word (not `50%%`, not `"%%`).
    let opens = |at: usize| {
        lone(at)
            && !in_code(at)
            && (at == 0 || b[at - 1].is_ascii_whitespace() || b[at - 1] >= 0x80)
    };
    let mut cuts = Vec::new();
    let mut search = 0;
    while let Some(open) = body[search..].find("%%").map(|i| search + i) {
        if !opens(open) {
            search = open + 1;
            continue;
        }
        let close = (open + 2..b.len().saturating_sub(1))
            .find(|&i| b[i] == b'%' && b[i + 1] == b'%' && lone(i) && !in_code(i));
        let Some(close) = close else {
            break;
        };
        cuts.push(open..close + 2);
        search = close + 2;
    }
    cut_out(body, &cuts)
}

/// `body` without the text of `cuts` (in order, apart), each keeping its
/// newlines, so every line after it keeps its number, and on each line it
/// spans the quote marks and indent, so the callout or list it sits in goes
/// on after it.
pub(crate) fn cut_out<'b>(body: &'b str, cuts: &[std::ops::Range<usize>]) -> Cow<'b, str> {
    if cuts.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut pos = 0;
    for cut in cuts {
        out.push_str(&body[pos..cut.start]);
        for (i, _) in body[cut.clone()].match_indices('\n') {
            let line = &body[cut.start + i + 1..cut.end];
            let prefix = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
            out.push('\n');
            out.push_str(&line[..prefix]);
        }
        pos = cut.end;
    }
    out.push_str(&body[pos..]);
    Cow::Owned(out)
}

/// An Obsidian block id at the end of a block's text (`... ^block-1`): where
/// the text before it ends, and the id.
pub(crate) fn block_id(text: &str) -> Option<(usize, &str)> {
    let t = text.trim_end();
    let caret = t.rfind('^')?;
    let id = &t[caret + 1..];
    // `^C`, `^D`: caret notation for control keys in terminal notes
    // (`按 Ctrl+D 即 ^D`), not an id.
    let caret_key = id.len() == 1 && id.as_bytes()[0].is_ascii_uppercase();
    let ok = !id.is_empty()
        && !caret_key
        && id.len() <= 64
        && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
    let before = &t[..caret];
    (ok && (before.is_empty() || before.ends_with(char::is_whitespace)))
        .then(|| (before.trim_end().len(), id))
}

/// An image's width, and height if given, in CSS pixels.
pub(crate) type Size = Option<(u32, Option<u32>)>;

/// Obsidian's image size after the alt text's last `|`: `![图|300](a.png)`,
/// `![[a.png|300x200]]`. `wiki` is the file an `![[a.png|...]]` names: its
/// text after `|` may be the size alone, and the file then names the image.
/// Returns the alt text without the size.
pub(crate) fn image_size<'a>(alt: &'a str, wiki: Option<&'a str>) -> (&'a str, Size) {
    let (text, last) = match alt.rsplit_once('|') {
        Some((text, last)) => (text.trim_end(), last),
        None if wiki.is_some_and(|w| w != alt) => ("", alt),
        None => return (alt, None),
    };
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
            .filter(|&n| n > 0)
    };
    let last = last.trim();
    let size = match last.split_once('x') {
        Some((w, h)) => number(w).zip(number(h)).map(|(w, h)| (w, Some(h))),
        None => number(last).map(|w| (w, None)),
    };
    match size {
        Some(size) if text.is_empty() => (wiki.unwrap_or(""), Some(size)),
        Some(size) => (text, Some(size)),
        None => (alt, None),
    }
}

/// Obsidian's `#tags` in a run of text: `#` at a word's start, then letters,
/// digits, `-`, `_` or `/`, at least one not a digit (`#1` is a number).
pub(crate) fn inline_tags(text: &str, out: &mut Vec<String>) {
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c == '#' && prev.is_none_or(char::is_whitespace) {
            let rest = &text[i + 1..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '/')))
                .unwrap_or(rest.len());
            let tag = rest[..end].trim_end_matches('/');
            if !tag.is_empty()
                && !tag.chars().all(|c| c.is_ascii_digit())
                && !out.iter().any(|t| t == tag)
            {
                out.push(tag.to_string());
            }
        }
        prev = Some(c);
    }
}

/// Whether the events of a block end a mark's reach: a `==` never spans two blocks.
pub(crate) fn ends_block(e: &Event) -> bool {
    matches!(
        e,
        Event::End(
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_settle_in_pairs_and_a_lone_one_stays() {
        let m = MARK;
        let mut t = format!("a{m}b{m}c{m}d");
        let mut offsets = [0, 3, 6, 9];
        settle_marks(&mut t, offsets.iter_mut());
        assert_eq!(t, "abc==d");
        assert_eq!(offsets, [0, 1, 2, 5]);
        let mut t = format!("用{m}比较");
        settle_marks(&mut t, std::iter::empty());
        assert_eq!(t, "用==比较");
        let mut t = format!("({m} {m}) {m}x{m}");
        settle_marks(&mut t, std::iter::empty());
        assert_eq!(t, "(== ==) x");
        let shown = visible_marked("x ==y== z", true, false, (false, false));
        assert_eq!(shown, format!("x {m}y{m} z"));
    }
    use Piece::*;

    #[test]
    fn marks_and_scripts() {
        assert_eq!(
            pieces("这是==重点内容==。", true, true, (false, false)),
            [Text("这是"), Mark, Text("重点内容"), Mark, Text("。")]
        );
        assert_eq!(
            pieces("H~2~O 与 x^2^", true, true, (false, false)),
            [Text("H"), Sub("2"), Text("O 与 x"), Sup("2")]
        );
        assert_eq!(
            pieces("a == b, x === y", true, true, (false, false)),
            [Text("a == b, x === y")]
        );
        // A bare URL stays whole; scripts around it still work.
        assert_eq!(
            pieces(
                "见 https://a.com/~u/~x?q==1 与 H~2~O",
                true,
                true,
                (false, false)
            ),
            [
                Text("见 https://a.com/~u/~x?q==1 与 H"),
                Sub("2"),
                Text("O")
            ]
        );
        for prose in [
            "需要3~5天，10~20人",
            "1~256字节",
            "cd ~/.pyenv ~]#",
            "a~~b~~c",
            "今天学完了^_^",
            "好^o^",
        ] {
            assert_eq!(
                pieces(prose, true, true, (false, false)),
                [Text(prose)],
                "{prose}"
            );
        }
        assert_eq!(
            pieces("==x== H~2~O", false, false, (false, false)),
            [Text("==x== H~2~O")]
        );
        // `==**重点**==`: the text is `==` alone, beside the bold.
        assert_eq!(pieces("==", true, false, (false, true)), [Mark]);
        assert_eq!(
            pieces("==后", true, false, (true, false)),
            [Mark, Text("后")]
        );
        assert_eq!(pieces("==", true, false, (false, false)), [Text("==")]);
        assert_eq!(pieces(" == ", true, false, (true, true)), [Text(" == ")]);
    }

    #[test]
    fn comments_are_cut_outside_code_only() {
        let o = Options::empty();
        let s = strip_comments("a %%hidden%% b\n%%\nblock\n%%\nc `%%x%%`\n", o);
        assert_eq!(s, "a  b\n\n\n\nc `%%x%%`\n");
        assert_eq!(strip_comments("50%% off", o), "50%% off");
        // Inside a quote, each line keeps its `>`.
        let quoted = "> [!tip] 要点\n> 一\n> %%\n> 草稿\n> %%\n> 二\n";
        assert_eq!(
            strip_comments(quoted, o),
            "> [!tip] 要点\n> 一\n> \n> \n> \n> 二\n"
        );
        let prose = "print(\"%%%\")\n\nx\n\nprint(\"%%%\")\n";
        assert_eq!(strip_comments(prose, o), prose);
        let code = "```\nprintf(\"%%d%%\");\n```\n";
        assert_eq!(strip_comments(code, o), code);
    }

    #[test]
    fn image_sizes_as_obsidian_writes_them() {
        assert_eq!(image_size("图|300", None), ("图", Some((300, None))));
        assert_eq!(image_size("|300x200", None), ("", Some((300, Some(200)))));
        assert_eq!(
            image_size("300", Some("a.png")),
            ("a.png", Some((300, None)))
        );
        assert_eq!(
            image_size("说明|120", Some("a.png")),
            ("说明", Some((120, None)))
        );
        // Not sizes: the alt text stays as written.
        assert_eq!(image_size("300", None), ("300", None));
        assert_eq!(image_size("a|b", None), ("a|b", None));
        assert_eq!(image_size("a|0", None), ("a|0", None));
        assert_eq!(image_size("a|123456", None), ("a|123456", None));
        assert_eq!(image_size("a|3x", None), ("a|3x", None));
        assert_eq!(image_size("a.png", Some("a.png")), ("a.png", None));
    }

    #[test]
    fn inline_tags_need_a_word_start_and_a_letter() {
        let mut tags = Vec::new();
        inline_tags(
            "学习 #python 和 #数据库/索引，C# 与 issue #12 #a-b",
            &mut tags,
        );
        assert_eq!(tags, ["python", "数据库/索引", "a-b"]);
    }

    #[test]
    fn block_ids() {
        assert_eq!(block_id("一段话 ^block-1"), Some((9, "block-1")));
        assert_eq!(block_id("^only"), Some((0, "only")));
        assert_eq!(block_id("x^2"), None);
        assert_eq!(block_id("a ^b_c"), None);
        assert_eq!(block_id("终端里按 Ctrl+D 即 ^D"), None);
        assert_eq!(block_id("一段 ^a"), Some((6, "a")));
    }
}
