//! The table of contents that `[TOC]` puts into the text (as Typora does):
//! every heading of the note, nested by level.

use super::Heading;

/// A nested list of links to `headings`; empty when there are none.
pub(crate) fn html(headings: &[Heading], language: &str, page: &str) -> String {
    if headings.is_empty() {
        return String::new();
    }
    // A note's one H1 is its title, shown above the text: no entry of its own.
    let h1s = headings.iter().filter(|h| h.level == 1).count();
    let headings: Vec<&Heading> = headings
        .iter()
        // A heading with no id (no text) has nothing to link to.
        .filter(|h| (h1s != 1 || h.level != 1) && !h.id.is_empty())
        .collect();
    if headings.is_empty() {
        return String::new();
    }
    let label = if !crate::i18n::is_chinese(language) {
        "Contents"
    } else {
        crate::i18n::chinese(language, "目录")
    };
    let mut out = format!("<nav class=\"toc-inline\" aria-label=\"{label}\">\n");
    // Levels of the lists open now; a deeper heading opens a list inside the
    // current item, a shallower one closes lists down to its level.
    let mut open: Vec<u8> = Vec::new();
    for h in headings {
        while open.last().is_some_and(|&l| l > h.level) {
            open.pop();
            out.push_str("</li>\n</ul>\n");
        }
        match open.last() {
            Some(&l) if l == h.level => out.push_str("</li>\n"),
            _ => {
                open.push(h.level);
                out.push_str("<ul>\n");
            }
        }
        let href = format!("{page}#{}", crate::url::encode_path(&h.id));
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a>",
            html_escape::encode_double_quoted_attribute(&href),
            html_escape::encode_text(&h.text)
        ));
    }
    for _ in open {
        out.push_str("</li>\n</ul>\n");
    }
    out.push_str("</nav>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, text: &str) -> Heading {
        Heading {
            level,
            text: text.into(),
            id: text.to_lowercase(),
            line: 1,
        }
    }

    #[test]
    fn nests_by_level() {
        let out = html(
            &[h(2, "A"), h(3, "B"), h(3, "C"), h(2, "D & E")],
            "zh-CN",
            "",
        );
        let want = "<nav class=\"toc-inline\" aria-label=\"目录\">\n<ul>\n\
            <li><a href=\"#a\">A</a><ul>\n<li><a href=\"#b\">B</a></li>\n\
            <li><a href=\"#c\">C</a></li>\n</ul>\n</li>\n\
            <li><a href=\"#d%20&amp;%20e\">D &amp; E</a></li>\n</ul>\n</nav>\n";
        assert_eq!(out, want);
        // The note's one H1 (its title) is left out.
        assert!(!html(&[h(1, "T"), h(2, "A")], "en", "").contains("#t"));
        // A note that starts deeper than it goes on still closes every list.
        let out = html(&[h(3, "x"), h(2, "y")], "en", "");
        assert_eq!(out.matches("<ul>").count(), out.matches("</ul>").count());
        assert_eq!(html(&[], "en", ""), "");
    }
}
