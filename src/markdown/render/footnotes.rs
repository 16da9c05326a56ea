//! Footnotes as GitHub, Obsidian and Typora show them: numbered in the order
//! they are first referenced, gathered at the note's end wherever their
//! definitions were written, each with links back to where it is referenced.
//! Ids are `fn-label` and `fnref-label`, so a footnote `[^1]` never takes
//! the id of a heading `## 1`.

use pulldown_cmark::{CowStr, Event, TagEnd};
use std::collections::HashMap;

/// The note's footnotes so far.
#[derive(Default)]
pub(super) struct Footnotes<'e> {
    /// Keys in order of first reference, with how often each is referenced.
    order: Vec<(String, usize)>,
    /// Each key's place in `order` (a note may have thousands of footnotes).
    numbers: HashMap<String, usize>,
    /// Definitions in the order written: key and body.
    defs: Vec<(String, Vec<Event<'e>>)>,
    /// The open definition's key and where its body starts in the events.
    open: Option<(String, usize)>,
    /// Put before every id (an embedded note's, see `RenderCtx`).
    prefix: String,
}

/// Labels match as pulldown-cmark matches them (ignoring case); the key is
/// also the id, so spaces go.
fn key(label: &str) -> String {
    label
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

fn attr(s: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(s)
}

impl<'e> Footnotes<'e> {
    pub(super) fn new(prefix: &str) -> Footnotes<'e> {
        Footnotes {
            prefix: prefix.to_string(),
            ..Default::default()
        }
    }

    /// The superscript number a reference shows, linking to its footnote.
    pub(super) fn reference(&mut self, label: &str) -> String {
        let key = key(label);
        let next = self.order.len();
        let at = *self.numbers.entry(key.clone()).or_insert(next);
        if at == next {
            self.order.push((key.clone(), 0));
        }
        self.order[at].1 += 1;
        let id = ref_id(&self.prefix, &key, self.order[at].1);
        format!(
            "<sup class=\"footnote-reference\"><a href=\"#fn-{}{}\" id=\"{}\">{}</a></sup>",
            attr(&self.prefix),
            attr(&key),
            attr(&id),
            at + 1
        )
    }

    /// The definitions (by their place in the note) in the order the list
    /// shows them: each referenced one with its place in `order`, then
    /// those never referenced. The page and the search text both follow it.
    pub(super) fn shown(&self) -> Vec<(usize, Option<usize>)> {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, (k, _)) in self.defs.iter().enumerate() {
            first.entry(k.as_str()).or_insert(i);
        }
        let mut listed = vec![false; self.defs.len()];
        let mut out = Vec::with_capacity(self.defs.len());
        for (n, (key, _)) in self.order.iter().enumerate() {
            if let Some(&i) = first.get(key.as_str()) {
                listed[i] = true;
                out.push((i, Some(n)));
            }
        }
        out.extend(
            (0..self.defs.len())
                .filter(|&i| !listed[i])
                .map(|i| (i, None)),
        );
        out
    }

    /// A definition starts at `at` in the events: what follows is its body.
    pub(super) fn open(&mut self, label: &str, at: usize) {
        self.open = Some((key(label), at));
    }

    /// The open definition ends: its body leaves the page's flow for the list.
    pub(super) fn close(&mut self, events: &mut Vec<Event<'e>>) {
        if let Some((key, at)) = self.open.take() {
            let body = events.drain(at.min(events.len())..).collect();
            self.defs.push((key, body));
        }
    }

    /// The list of footnotes for the note's end: referenced ones in the
    /// order of their numbers, then any never referenced (kept, not lost).
    pub(super) fn section(self, language: &str) -> Vec<Event<'e>> {
        if self.defs.is_empty() {
            return Vec::new();
        }
        let title = crate::i18n::word(language, "footnotes");
        let mut out = vec![Event::Html(CowStr::from(format!(
            "<section class=\"footnotes\" aria-label=\"{}\">\n<ol>\n",
            attr(title)
        )))];
        let shown = self.shown();
        let mut defs: Vec<Option<Vec<Event<'e>>>> =
            self.defs.into_iter().map(|(_, body)| Some(body)).collect();
        for (i, n) in shown {
            let Some(mut body) = defs[i].take() else {
                continue;
            };
            let Some(n) = n else {
                out.push(Event::Html(CowStr::Borrowed("<li>\n")));
                out.extend(body);
                out.push(Event::Html(CowStr::Borrowed("</li>\n")));
                continue;
            };
            let (key, refs) = &self.order[n];
            let back = backrefs(&self.prefix, key, *refs, n + 1, language);
            match body
                .iter()
                .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
            {
                Some(end) => body.insert(end, Event::Html(CowStr::from(back))),
                None => body.push(Event::Html(CowStr::from(back))),
            }
            out.push(Event::Html(CowStr::from(format!(
                "<li id=\"fn-{}{}\">\n",
                attr(&self.prefix),
                attr(key)
            ))));
            out.extend(body);
            out.push(Event::Html(CowStr::Borrowed("</li>\n")));
        }
        out.push(Event::Html(CowStr::Borrowed("</ol>\n</section>\n")));
        out
    }
}

/// The id of a footnote's `n`th reference.
fn ref_id(prefix: &str, key: &str, n: usize) -> String {
    match n {
        1 => format!("fnref-{prefix}{key}"),
        n => format!("fnref-{prefix}{key}-{n}"),
    }
}

/// ` ↩` links back to each reference of footnote `number`.
fn backrefs(prefix: &str, key: &str, refs: usize, number: usize, language: &str) -> String {
    let label = crate::i18n::word(language, "footnote_back");
    let mut html = String::new();
    for n in 1..=refs {
        let mark = match n {
            1 => String::new(),
            n => format!("<sup>{n}</sup>"),
        };
        let label = label.replace("{n}", &number.to_string());
        html.push_str(&format!(
            " <a href=\"#{}\" class=\"footnote-backref\" aria-label=\"{}\">↩\u{fe0e}{mark}</a>",
            attr(&ref_id(prefix, key, n)),
            attr(&label)
        ));
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html::push_html, Tag};

    #[test]
    fn numbered_by_first_reference_and_gathered_at_the_end() {
        let mut f = Footnotes::default();
        assert!(f
            .reference("b")
            .contains(r##"href="#fn-b" id="fnref-b">1<"##));
        assert!(f
            .reference("A")
            .contains(r##"href="#fn-a" id="fnref-a">2<"##));
        assert!(f.reference("b").contains(r##"id="fnref-b-2">1<"##));
        let mut events = vec![Event::Text("正文".into())];
        for label in ["a", "b", "unused"] {
            f.open(label, events.len());
            events.push(Event::Start(Tag::Paragraph));
            events.push(Event::Text(CowStr::from(format!("def {label}"))));
            events.push(Event::End(TagEnd::Paragraph));
            f.close(&mut events);
        }
        assert_eq!(events.len(), 1, "definitions leave the flow");
        let mut html = String::new();
        push_html(&mut html, f.section("zh").into_iter());
        let b = html.find(r#"<li id="fn-b">"#).unwrap();
        let a = html.find(r#"<li id="fn-a">"#).unwrap();
        let unused = html.find("def unused").unwrap();
        assert!(b < a && a < unused, "{html}");
        assert!(
            html.contains(
                r##"def b <a href="#fnref-b" class="footnote-backref" aria-label="返回引用处 1">↩"##
            ),
            "{html}"
        );
        assert!(html.contains(r##"<a href="#fnref-b-2" class="footnote-backref""##));
        assert!(html.contains(r#"<section class="footnotes" aria-label="脚注">"#));
    }

    #[test]
    fn an_embedded_notes_ids_are_its_own() {
        let mut f = Footnotes::new("e1-");
        assert!(f
            .reference("a")
            .contains(r##"href="#fn-e1-a" id="fnref-e1-a""##));
    }

    #[test]
    fn labels_become_ids_safely() {
        assert_eq!(key("My Note"), "my-note");
        let mut f = Footnotes::default();
        assert!(f.reference("\"x").contains(r##"href="#fn-&quot;x""##));
        assert!(Footnotes::default().section("en").is_empty());
    }
}
