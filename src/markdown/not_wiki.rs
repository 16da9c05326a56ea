//! `[[...]]` that names no note is text, as GitHub shows it: array literals
//! in algorithm notes (`输出：[[1,2],[3,4]]`, `[[1,2,3]]`) were links to
//! notes that cannot exist, which failed the build. A note's name has no
//! `[`, `]` or line break, and none of the characters Obsidian refuses in
//! file names (`" < > * ?`); a list of literals (`1,2`, `'a','b'`,
//! `true,false`) is not one either, nor a regular expression's class
//! (`[[:alpha:]]`). (`[[1]]` alone may be a note's name.)

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
/// Turns each wikilink whose target names no note back into its brackets
/// around its text, event by event (one stage of `markdown::events`, so
/// the events of every note pass no extra iterator).
#[derive(Default)]
pub(crate) struct AsText {
    /// The end of the wikilink turned into text, while inside it.
    open: Option<TagEnd>,
}

impl AsText {
    pub(crate) fn apply<'a>(&mut self, e: Event<'a>) -> Event<'a> {
        let (dest, pothole, end, lead) = match &e {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => (dest_url, *has_pothole, TagEnd::Link, "[["),
            Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => (dest_url, *has_pothole, TagEnd::Image, "![["),
            Event::End(k) if self.open == Some(*k) => {
                self.open = None;
                return Event::Text(CowStr::Borrowed("]]"));
            }
            _ => return e,
        };
        if self.open.is_some() || names_a_note(dest) {
            return e;
        }
        self.open = Some(end);
        let text = match pothole {
            true => format!("{lead}{dest}|"),
            false => lead.to_string(),
        };
        Event::Text(CowStr::from(text))
    }
}

/// Whether a wikilink's target can name a note (and a heading or block in it).
fn names_a_note(dest: &str) -> bool {
    if dest.contains(['[', ']', '\n', '\r']) {
        return false;
    }
    let name = dest.split('#').next().unwrap_or("");
    // `[[:alpha:]]`, a regular expression's character class.
    let class = name.len() > 2 && name.starts_with(':') && name.ends_with(':');
    !class && !is_literal_list(name) && !name.contains(['"', '<', '>', '*', '?'])
}

/// A list of literals as code prints one (`1,2,3`, `'a','b'`, `true, null`):
/// two items at least, each a number, a quoted string or a keyword.
fn is_literal_list(name: &str) -> bool {
    let literal = |item: &str| {
        let item = item.trim();
        let quoted = item.len() >= 2
            && (item.starts_with('\'') && item.ends_with('\'')
                || item.starts_with('"') && item.ends_with('"'));
        let number = !item.is_empty()
            && item
                .chars()
                .all(|c| c.is_ascii_digit() || ".+-eE".contains(c));
        quoted || number || matches!(item, "true" | "false" | "null" | "None" | "nil")
    };
    name.contains(',') && name.split(',').all(literal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_can_name_a_note_is_a_link() {
        for note in [
            "进程",
            "a/b",
            "note#标题",
            "#为什么?",
            "2024-01-01",
            "1",
            "C++ 笔记",
            "note#^block",
            "a, b",
            "Don't panic",
        ] {
            assert!(names_a_note(note), "{note}");
        }
        for text in [
            "1,2,3],[1,3,2",
            "1,2,3",
            "-1, 2.5",
            "1,1,2],\n [1,2,1",
            "\"a\",\"b\"",
            "'a','b'",
            "true,false",
            "null, 1",
            "a*b",
            "Vec<T>",
            ":alpha:",
            ":space:",
        ] {
            assert!(!names_a_note(text), "{text}");
        }
    }
}
