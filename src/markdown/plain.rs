//! A note's visible text cut at its headings, collected while `render` walks
//! the Markdown events: what the search index tokenizes and what its snippets
//! show. Taken from the events, so highlighted code (about ten times the
//! code's size as HTML) is never parsed back into text.

use super::json_text::json_string;
use html_blocks::body_blocks;
use pulldown_cmark::{Event, Tag, TagEnd};

mod html_blocks;

/// Text under one heading (the first section holds the text before any heading
/// and has no id).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub heading: String,
    pub text: String,
}

/// Blocks are separated by newlines, so no word or CJK bigram spans two.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PlainText {
    /// The text before the first heading, then one section per heading.
    pub sections: Vec<Section>,
    in_heading: bool,
    /// Lines joined (`breaks: false`) since the last text: a space, or none
    /// between two Chinese characters, as the page shows them.
    soft: bool,
    /// Footnote definitions' text in the order written, kept apart while
    /// read: the page shows them at its end, in the order of their numbers.
    notes: Vec<String>,
    in_note: bool,
    /// An HTML comment opened on an earlier line of an HTML block (`<!--`
    /// alone on its line) and not closed yet: its lines are not shown.
    in_comment: bool,
}

impl PlainText {
    fn field(&mut self) -> &mut String {
        if self.in_note {
            if let Some(text) = self.notes.last_mut() {
                return text;
            }
        }
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let n = self.sections.len() - 1;
        let s = &mut self.sections[n];
        if self.in_heading {
            &mut s.heading
        } else {
            &mut s.text
        }
    }

    /// Adds visible text to the current heading or section.
    pub fn push(&mut self, text: &str) {
        if self.soft && !text.is_empty() {
            self.soft = false;
            let field = self.field();
            if !super::breaks::joined(field, text) {
                field.push(' ');
            }
        }
        self.field().push_str(text);
    }

    /// Words end here (a block boundary, a line break).
    pub fn brk(&mut self) {
        self.soft = false;
        self.field().push('\n');
    }

    /// A footnote's definition starts: its text goes to the end.
    pub fn start_note(&mut self) {
        self.notes.push(String::new());
        self.in_note = true;
    }

    /// The definition ends: text goes to its section again.
    pub fn end_note(&mut self) {
        self.in_note = false;
    }

    /// The footnotes' text after the rest, in the order the page shows
    /// them (`shown`: places in the order written).
    pub fn end_notes(&mut self, shown: impl Iterator<Item = usize>) {
        let mut notes: Vec<Option<String>> = std::mem::take(&mut self.notes)
            .into_iter()
            .map(Some)
            .collect();
        self.in_note = false;
        for i in shown {
            if let Some(text) = notes.get_mut(i).and_then(Option::take) {
                self.brk();
                self.push(&text);
            }
        }
    }

    /// A line break that joins the lines (`breaks: false`).
    pub fn soft_break(&mut self) {
        self.soft = true;
    }

    /// A heading with this id starts a new section; its text follows.
    pub fn start_heading(&mut self, id: &str) {
        self.sections.push(Section {
            id: id.to_string(),
            ..Default::default()
        });
        self.in_heading = true;
    }

    /// The heading's text is complete; what follows is the section's.
    pub fn end_heading(&mut self) {
        self.in_heading = false;
    }

    /// The note's tags, shown on its page above the text, as a last section
    /// of their own (`#python #协程`): search finds a note by its tags, and a
    /// snippet of a note found only so shows them.
    pub fn push_tags(&mut self, tags: &[String]) {
        if tags.is_empty() {
            return;
        }
        let text = tags
            .iter()
            .map(|t| format!("#{t}"))
            .collect::<Vec<_>>()
            .join(" ");
        self.sections.push(Section {
            text,
            ..Default::default()
        });
    }

    /// Adds the visible text of an HTML fragment (raw HTML in the Markdown, or
    /// a whole rendered body); its headings start sections.
    pub fn push_html(&mut self, html: &str) {
        let mut html = html;
        if self.in_comment {
            match html.find("-->") {
                Some(end) => {
                    html = &html[end + 3..];
                    self.in_comment = false;
                }
                None => return,
            }
        }
        // A comment left open goes on into the block's next lines.
        if let Some(open) = html.rfind("<!--").filter(|&o| !html[o..].contains("-->")) {
            self.in_comment = true;
            html = &html[..open];
        }
        body_blocks(html, |text, heading| {
            if let Some(id) = heading {
                let same = self
                    .sections
                    .last()
                    .is_some_and(|s| s.id == id && s.text.is_empty() && !s.heading.is_empty());
                if !same {
                    self.start_heading(id);
                }
                self.in_heading = true;
                self.push(text);
                self.brk();
                self.end_heading();
            } else {
                self.push(text);
                self.brk();
            }
        });
    }

    /// Records what `event` shows a reader. `render` calls this for every event
    /// outside code blocks (whose text it adds itself) and headings (which it
    /// opens and closes with their ids), before its own handling; `pending`
    /// is the text of the `Text` events just before it, `in_image` whether we
    /// are inside an image (alt text is not shown), `html_as_text` whether
    /// `render` shows this raw HTML event as text.
    pub fn observe(&mut self, event: &Event, pending: &str, in_image: bool, html_as_text: bool) {
        if !in_image {
            self.push(pending);
        }
        match event {
            Event::Text(_) => {}
            Event::Code(c) => {
                if !in_image {
                    self.push(c)
                }
            }
            // A heading's formula is in its title (as [`super::scan`] shows it).
            Event::InlineMath(tex) | Event::DisplayMath(tex) if self.in_heading => {
                self.push(tex.trim())
            }
            Event::Html(h) | Event::InlineHtml(h) if html_as_text => self.push(h),
            Event::Html(h) => self.push_html(h),
            // A comment left open ends with its block, as the page's does.
            Event::End(TagEnd::HtmlBlock) => {
                self.in_comment = false;
                self.brk()
            }
            // Inline tags (`<kbd>`, `<sup>`) join words; `<br>` parts them.
            Event::InlineHtml(h) => {
                if h.get(..3).is_some_and(|t| t.eq_ignore_ascii_case("<br")) {
                    self.brk()
                }
            }
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript,
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            // Every other tag, soft and hard breaks, rules: words end here.
            _ => self.brk(),
        }
    }

    /// The sections as JSON `[[id, heading, text], ...]`, whitespace collapsed,
    /// empty sections left out: what the browser's snippets are cut from.
    /// Written in one pass (collapsing and escaping together): this runs over
    /// every note's whole text.
    pub fn sections_json(&self) -> String {
        let size: usize = self
            .sections
            .iter()
            .map(|s| s.id.len() + s.heading.len() + s.text.len() + 12)
            .sum();
        let mut out = String::with_capacity(size + 2);
        out.push('[');
        for s in &self.sections {
            if is_blank(&s.heading) && is_blank(&s.text) {
                continue;
            }
            if out.len() > 1 {
                out.push(',');
            }
            out.push('[');
            json_string(&mut out, &s.id, false);
            out.push(',');
            json_string(&mut out, &s.heading, true);
            out.push(',');
            json_string(&mut out, &s.text, true);
            out.push(']');
        }
        out.push(']');
        out
    }
}

fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<(String, Option<String>)> {
        let mut v = Vec::new();
        body_blocks(html, |t, h| v.push((t.to_string(), h.map(str::to_string))));
        v
    }

    #[test]
    fn html_blocks_keep_inline_words_and_split_blocks() {
        let html = r##"<h2 id="x&amp;y">标题 <code>os.fork</code><a class="anchor" href="#x" aria-hidden="true">#</a></h2>
<p>Hash<em>Map</em> &amp; 进程</p><p>世界</p><!-- <p>hidden</p> --><script>var x = "<p>";</script><pre><code><span class="k">def</span> f():
  pass</code></pre>"##;
        assert_eq!(
            blocks(html),
            [
                ("标题 os.fork".to_string(), Some("x&y".to_string())),
                ("HashMap & 进程".to_string(), None),
                ("世界".to_string(), None),
                ("def f():\n  pass".to_string(), None),
            ]
        );
    }

    #[test]
    fn quoted_gt_in_attributes_does_not_end_a_tag() {
        assert_eq!(
            blocks(r#"<p title="a>b">text</p>"#),
            [("text".to_string(), None)]
        );
    }

    /// What `sections_json` wrote before it was one pass: serde_json over
    /// `split_whitespace`-collapsed strings.
    fn reference(p: &PlainText) -> String {
        let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let list: Vec<[String; 3]> = p
            .sections
            .iter()
            .map(|s| [s.id.clone(), collapse(&s.heading), collapse(&s.text)])
            .filter(|s| !(s[1].is_empty() && s[2].is_empty()))
            .collect();
        serde_json::to_string(&list).unwrap()
    }

    #[test]
    fn sections_json_collapses_and_escapes_like_serde_json() {
        let texts = [
            "",
            "   \n\t ",
            "  进程\u{3000}与\u{a0}线程  \n\n  fork()  ",
            "quote \" back\\slash \u{8}\u{c}\u{1}\u{1f}\u{7f} </script>",
            "a\r\nb\u{2028}c\u{85}d",
            "emoji 🦀 and 𠀀",
            "“引号”、©ぁ\u{1680}x\u{2003}y\u{205f}z",
            "a b  c \"d\" e\u{3000}f\u{3001} g \u{2028}h\u{202f}i\u{200b}j\u{205e}k ",
            " x y\u{a0}z\u{a9} \u{85}\u{1681}\u{2030} w \t v\n",
            "end \u{e3}\u{80}",
        ];
        for (i, t) in texts.iter().enumerate() {
            for h in ["", " 标题\t1 ", "\"h\""] {
                let p = PlainText {
                    sections: vec![
                        Section {
                            id: String::new(),
                            heading: String::new(),
                            text: t.to_string(),
                        },
                        Section {
                            id: format!("id-{i}\"x"),
                            heading: h.to_string(),
                            text: t.to_string(),
                        },
                    ],
                    ..Default::default()
                };
                assert_eq!(p.sections_json(), reference(&p), "{t:?} {h:?}");
            }
        }
    }
}
