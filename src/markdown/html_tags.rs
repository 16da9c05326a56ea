//! Which raw HTML in a note is real markup. Chinese notes are full of generic
//! types and placeholders (`Vec<String>`, `<用户名>`) that CommonMark would pass
//! through as tags and the browser would swallow; those are shown as text.

const KNOWN: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "main",
    "mark",
    "math",
    "meter",
    "nav",
    "object",
    "ol",
    "p",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "script",
    "noscript",
    "canvas",
    "select",
    "option",
    "textarea",
    "dialog",
    "map",
    "area",
];

/// True for HTML comments, declarations and tags whose name is a real HTML element.
pub fn is_known_markup(html: &str) -> bool {
    let s = html.trim_start();
    let Some(rest) = s.strip_prefix('<') else {
        return true; // continuation lines of an HTML block
    };
    if rest.starts_with('!') || rest.starts_with('?') {
        return true;
    }
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    KNOWN.contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::is_known_markup;

    #[test]
    fn known_and_unknown() {
        assert!(is_known_markup("<br/>"));
        assert!(is_known_markup("</div>"));
        assert!(is_known_markup("<!-- c -->"));
        assert!(is_known_markup("<img src=x>"));
        assert!(!is_known_markup("<String>"));
        assert!(!is_known_markup("<uint64_t>"));
        assert!(!is_known_markup("<T>"));
    }
}
