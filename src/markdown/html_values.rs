//! What raw HTML's attribute values may hold in safe mode: no URL that
//! runs script (however its scheme is written) and no style that moves an
//! element out of its place in the note. [`super::raw_html`] asks these
//! for every tag; Markdown links ask [`is_script_url`] too.

/// CSS properties a `style=` keeps in safe mode (with their longhands:
/// `border` covers `border-left-color`): colour, type, box and alignment.
/// What is left out can take an element out of the note's flow or over the
/// page (`position: fixed`, `transform`, `z-index`, `inset`...).
const STYLE_PROPERTIES: &[&str] = &[
    "color",
    "background",
    "font",
    "text",
    "line-height",
    "letter-spacing",
    "word-spacing",
    "white-space",
    "word-break",
    "overflow-wrap",
    "vertical-align",
    "zoom",
    "width",
    "height",
    "max-width",
    "max-height",
    "min-width",
    "min-height",
    "border",
    "padding",
    "margin",
    "display",
    "float",
    "clear",
    "list-style",
    "opacity",
    "box-shadow",
    "overflow",
    "cursor",
];

/// A URL that runs script when followed or loaded (`javascript:`, also
/// written with entities, tabs or upper case), or a `data:` URL anywhere but
/// an image's source.
pub(crate) fn is_script_url(value: &str, tag: &str, attr: &str) -> bool {
    let numeric = decode_numeric_refs(value);
    let decoded = html_escape::decode_html_entities(&numeric);
    let squeezed: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if squeezed.starts_with("javascript:") || squeezed.starts_with("vbscript:") {
        return true;
    }
    squeezed.starts_with("data:")
        && !(tag == "img" && attr == "src" && squeezed.starts_with("data:image/"))
}

/// A `style=` value with only the declarations of [`STYLE_PROPERTIES`]
/// and no negative margin (it would pull the element over what is above
/// it); anything the check cannot read (an escape, a comment, a
/// character reference) drops the declaration.
pub(crate) fn safe_style(value: &str) -> String {
    let kept: Vec<&str> = value
        .split(';')
        .map(str::trim)
        .filter(|d| {
            let Some((prop, val)) = d.split_once(':') else {
                return false;
            };
            let prop = prop.trim().to_ascii_lowercase();
            let known = STYLE_PROPERTIES
                .iter()
                .any(|p| prop == *p || prop.strip_prefix(p).is_some_and(|r| r.starts_with('-')));
            let unreadable = d.contains(['\\', '&', '/', '<', '>']);
            let pulls = prop.starts_with("margin") && val.contains('-');
            known && !unreadable && !pulls
        })
        .collect();
    if kept.len() == value.split(';').filter(|d| !d.trim().is_empty()).count() {
        return value.to_string();
    }
    kept.join("; ")
}

/// `value` with its numeric character references decoded as a browser
/// decodes them in an attribute: `&#106;`, also without the `;` (`&#106a`,
/// `&#x3A`), which `html_escape` leaves as they are.
fn decode_numeric_refs(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains("&#") {
        return value.into();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let hex = after.starts_with(['x', 'X']);
        let digits = if hex { &after[1..] } else { after };
        let radix = if hex { 16 } else { 10 };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if len == 0 {
            out.push_str("&#");
            rest = after;
            continue;
        }
        let code = u32::from_str_radix(&digits[..len.min(8)], radix).unwrap_or(0xFFFD);
        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
        let tail = &digits[len..];
        rest = tail.strip_prefix(';').unwrap_or(tail);
    }
    out.push_str(rest);
    out.into()
}
