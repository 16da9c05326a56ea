//! The visible text of rendered HTML, block by block: what
//! [`super::PlainText::push_html`] reads from raw HTML in a note.

/// Inline elements do not separate words (`Hash<em>Map</em>` is one word);
/// every other tag ends a block of text.
fn is_inline(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "nobr"
            | "q"
            | "rp"
            | "rt"
            | "ruby"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "wbr"
    )
}

/// The value of attribute `name` in a start tag's text (`<h2 id="x" ...>`).
fn attr<'h>(tag: &'h str, name: &str) -> Option<std::borrow::Cow<'h, str>> {
    for quote in ['"', '\''] {
        let key = format!(" {name}={quote}");
        if let Some(i) = tag.find(&key) {
            let rest = &tag[i + key.len()..];
            let end = rest.find(quote)?;
            return Some(html_escape::decode_html_entities(&rest[..end]));
        }
    }
    None
}

/// Calls `f(text, heading)` for each block of visible text in rendered HTML
/// (a note body as `markdown::render` makes it): tags removed, entities
/// decoded, `script`/`style` contents, comments and heading anchor links
/// skipped. `heading` is `Some(id)` for a heading's text (`""` without id).
pub(super) fn body_blocks(html: &str, mut f: impl FnMut(&str, Option<&str>)) {
    let bytes = html.as_bytes();
    let mut buf = String::new();
    let mut heading: Option<String> = None;
    let mut flush = |buf: &mut String, heading: &Option<String>| {
        if !buf.trim().is_empty() {
            f(&html_escape::decode_html_entities(buf), heading.as_deref());
        }
        buf.clear();
    };
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            buf.push_str(&html[text_start..i]);
            i = html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            text_start = i;
            continue;
        }
        let mut j = i + 1;
        let closing = bytes.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let name_start = j;
        while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == name_start {
            // A lone `<` is text (`a < b` escaped wrongly by hand-written HTML).
            i += 1;
            continue;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        // The tag ends at the first `>` outside quotes.
        let mut quote = 0u8;
        while j < bytes.len() {
            match bytes[j] {
                b'"' | b'\'' if quote == 0 => quote = bytes[j],
                q if q == quote && quote != 0 => quote = 0,
                b'>' if quote == 0 => break,
                _ => {}
            }
            j += 1;
        }
        buf.push_str(&html[text_start..i]);
        let tag = &html[i..j.min(bytes.len())];
        i = (j + 1).min(bytes.len());
        text_start = i;
        if name == "a"
            && !closing
            && attr(tag, "class").is_some_and(|c| c.split(' ').any(|c| c == "anchor"))
        {
            // The `#` link a heading carries is no text of the note.
            i = html[i..].find("</a>").map_or(bytes.len(), |e| i + e + 4);
            text_start = i;
            continue;
        }
        if is_inline(&name) {
            continue;
        }
        flush(&mut buf, &heading);
        if !closing && matches!(name.as_str(), "script" | "style" | "template" | "textarea") {
            let end = format!("</{name}");
            let lower = html[i..].to_ascii_lowercase();
            i = lower.find(&end).map_or(bytes.len(), |e| i + e);
            text_start = i;
            continue;
        }
        if matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            heading = (!closing).then(|| attr(tag, "id").unwrap_or_default().into_owned());
        }
    }
    buf.push_str(&html[text_start.min(bytes.len())..]);
    flush(&mut buf, &heading);
}
