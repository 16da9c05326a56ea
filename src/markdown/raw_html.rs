//! Raw HTML in a note, made safe for the page around it.
//!
//! * **Sanitized as GitHub does** (unless `html: trusted`): scripts, event
//!   handlers (`onerror=`), `javascript:`/`vbscript:` URLs, `<style>` (it
//!   would restyle the whole page) and the elements that load or redirect
//!   pages (`object`, `embed`, `base`, `meta`, ...) are dropped; the HTML
//!   real notes use (`div align`, `img width`, `details`, `kbd`, `sup`,
//!   tables) stays, and so does every word of text. Unlike GitHub, `style=`
//!   stays (Typora writes `<img style="zoom:50%">` and `<span
//!   style="color:red">`), but only with properties that keep the element
//!   in its place in the note (see `html_values::safe_style`).
//! * **Balanced**, always: an end tag that closes nothing the note opened is
//!   dropped (a stray `</div>` would close the theme's content column), and
//!   what the note leaves open (`<details>`, `<table>`, `<a>`, a comment) is
//!   closed where the note ends, so the pager and footer stay outside it.
//!
//! The note's raw HTML arrives in pieces (a `<details>` opening before some
//! Markdown and its `</details>` after it), so this works tag by tag across
//! the pieces rather than parsing each piece into a tree (which would close
//! the `<details>` at once and move the Markdown out of it). What an
//! attribute's value may hold is [`super::html_values`]'s.

use super::html_values::{is_script_url, safe_style};
use stack::Stack;

mod stack;

/// Elements never passed on (with their content, for `script`).
const DROPPED: &[&str] = &[
    "script", "style", "object", "embed", "applet", "base", "meta", "link", "frame", "frameset",
];

/// Attributes whose value is a URL, checked for `javascript:` and the like.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "cite",
    "poster",
    "background",
    "data",
    "xlink:href",
    "srcset",
];

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// What a note's raw HTML has opened so far.
#[derive(Debug, Default)]
pub(crate) struct RawHtml {
    trusted: bool,
    /// Elements opened and not yet closed, innermost last.
    open: Stack,
    /// Inside a `<!--` that has not ended yet.
    in_comment: bool,
    /// Inside an element whose content is not markup (`script`, `style`,
    /// `textarea`): its name, and whether the content is kept or dropped.
    raw_text: Option<(String, bool)>,
}

/// Elements whose content is text up to their end tag, never tags.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp"];

impl RawHtml {
    pub(crate) fn new(trusted: bool) -> RawHtml {
        RawHtml {
            trusted,
            ..Default::default()
        }
    }

    /// One piece of the note's raw HTML, as it may be written to the page.
    pub(crate) fn clean(&mut self, html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while !rest.is_empty() {
            if self.in_comment {
                match rest.find("-->") {
                    Some(i) => {
                        out.push_str(&rest[..i + 3]);
                        rest = &rest[i + 3..];
                        self.in_comment = false;
                    }
                    None => {
                        out.push_str(rest);
                        rest = "";
                    }
                }
                continue;
            }
            if let Some((name, keep)) = self.raw_text.take() {
                let (content, end) = match find_ci(rest, &format!("</{name}")) {
                    Some(i) => (&rest[..i], i),
                    None => {
                        let all = (rest, rest.len());
                        self.raw_text = Some((name.clone(), keep));
                        all
                    }
                };
                if keep {
                    out.push_str(content);
                }
                rest = &rest[end..];
                // The end tag itself goes through `tag` (closing, or dropped).
                if self.raw_text.is_none() && !keep {
                    let close = rest.find('>').map_or(rest.len(), |e| e + 1);
                    rest = &rest[close..];
                }
                continue;
            }
            let Some(lt) = rest.find('<') else {
                out.push_str(rest);
                break;
            };
            out.push_str(&rest[..lt]);
            rest = &rest[lt..];
            if rest.starts_with("<!--") {
                out.push_str("<!--");
                rest = &rest[4..];
                self.in_comment = true;
                continue;
            }
            let Some(tag) = Tag::parse(rest) else {
                // A lone `<`: text, escaped so it cannot start a tag later.
                out.push_str("&lt;");
                rest = &rest[1..];
                continue;
            };
            rest = &rest[tag.len..];
            self.tag(&tag, &mut out);
        }
        out
    }

    fn tag(&mut self, tag: &Tag, out: &mut String) {
        let name = tag.name.as_str();
        let opens_raw_text = RAW_TEXT.contains(&name) && !tag.end && !tag.self_closing;
        if !self.trusted && DROPPED.contains(&name) {
            if opens_raw_text {
                self.raw_text = Some((name.to_string(), false));
            }
            return;
        }
        if opens_raw_text {
            self.raw_text = Some((name.to_string(), true));
        }
        if tag.end {
            // Close what the note opened; an end tag for nothing it opened goes.
            if self.open.close(name) {
                out.push_str(&tag.source);
            }
            return;
        }
        // `<div/>` opens a `div` (the `/` means nothing in HTML), except in
        // SVG and MathML, where `<circle/>` closes itself.
        let closes_itself = tag.self_closing && self.open.foreign > 0;
        if !(VOID.contains(&name) || closes_itself || tag.source.starts_with("<!")) {
            let link = name == "a"
                && tag
                    .attrs
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("href"));
            self.open.push(name, link);
        }
        if self.trusted {
            out.push_str(&tag.source);
        } else {
            out.push_str(&tag.safe());
        }
    }

    /// Inside an element whose text is code as written (`<code>`, `<pre>`).
    pub(crate) fn in_code(&self) -> bool {
        self.open.code > 0
    }

    /// Inside a raw `<a href>`: text there is already a link's (an `<a id>`
    /// left open is no link).
    pub(crate) fn in_link(&self) -> bool {
        self.open.links > 0
    }

    /// Inside an element whose children HTML does not know alone
    /// (`<svg>`'s `<circle>`, `<video>`'s `<track>`, `<math>`'s `<mi>`).
    pub(crate) fn in_foreign(&self) -> bool {
        super::html_tags::FOREIGN.iter().any(|n| self.open.has(n))
    }

    /// How many elements the raw HTML has open now.
    pub(crate) fn depth(&self) -> usize {
        self.open.names.len()
    }

    /// What closes the elements opened since the depth was `depth`: a
    /// Markdown block (a quote, a list item, a table cell) closes what was
    /// opened inside it, or its own end tag would land inside the raw
    /// element and the browser would drop it.
    pub(crate) fn close_to(&mut self, depth: usize) -> String {
        let mut out = String::new();
        // A comment the block opened ends with it too (one that spans
        // blocks is a single HTML block, never inside a Markdown block).
        if std::mem::take(&mut self.in_comment) {
            out.push_str("-->");
        }
        while self.open.names.len() > depth {
            if let Some(name) = self.open.pop() {
                if self.raw_text.as_ref().is_some_and(|(r, _)| *r == name) {
                    self.raw_text = None;
                }
                out.push_str(&format!("</{name}>"));
            }
        }
        out
    }

    /// What closes everything the note's raw HTML left open, innermost first.
    pub(crate) fn close_all(&mut self) -> String {
        let mut out = String::new();
        if std::mem::take(&mut self.in_comment) {
            out.push_str("-->");
        }
        while let Some(name) = self.open.pop() {
            out.push_str(&format!("</{name}>"));
        }
        out
    }
}

/// Byte offset of `needle` (ASCII, lower case) in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Attribute names (lower case) and values (`None`: no `=`), as written.
type Attrs = Vec<(String, Option<String>)>;

/// One tag as written.
struct Tag {
    name: String,
    end: bool,
    self_closing: bool,
    attrs: Attrs,
    source: String,
    len: usize,
}

impl Tag {
    /// The tag at the start of `s` (which starts with `<`), if it is one.
    fn parse(s: &str) -> Option<Tag> {
        let b = s.as_bytes();
        let end = b.get(1) == Some(&b'/');
        let start = if end { 2 } else { 1 };
        if s.get(start..start + 1)
            .is_some_and(|c| c == "!" || c == "?")
        {
            // <!DOCTYPE ...>, <?xml ...?>: passed as they are.
            let close = s.find('>')?;
            return Some(Tag {
                name: "!".into(),
                end: false,
                self_closing: true,
                attrs: Vec::new(),
                source: s[..=close].to_string(),
                len: close + 1,
            });
        }
        let name_len = s[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .unwrap_or(s.len() - start);
        if name_len == 0 || !b[start].is_ascii_alphabetic() {
            return None;
        }
        let name = s[start..start + name_len].to_ascii_lowercase();
        let (attrs, close) = parse_attrs(s, start + name_len)?;
        let self_closing = s[..close].trim_end().ends_with('/');
        Some(Tag {
            name,
            end,
            self_closing,
            attrs,
            source: s[..=close].to_string(),
            len: close + 1,
        })
    }

    /// The tag rewritten without event handlers and script URLs.
    fn safe(&self) -> String {
        let unsafe_attr = |n: &str, v: &Option<String>| {
            n.starts_with("on")
                || n == "srcdoc"
                || n == "formaction"
                || (URL_ATTRS.contains(&n)
                    && v.as_deref()
                        .is_some_and(|v| is_script_url(v, &self.name, n)))
        };
        let restyled = |n: &str, v: &Option<String>| {
            n == "style" && v.as_deref().is_some_and(|v| safe_style(v) != v)
        };
        if !self
            .attrs
            .iter()
            .any(|(n, v)| unsafe_attr(n, v) || restyled(n, v))
        {
            return self.source.clone();
        }
        let mut out = format!("<{}", self.name);
        for (n, v) in &self.attrs {
            if unsafe_attr(n, v) {
                continue;
            }
            let v = match (n.as_str(), v) {
                ("style", Some(v)) => Some(safe_style(v)),
                _ => v.clone(),
            };
            out.push(' ');
            out.push_str(n);
            if let Some(v) = v {
                out.push_str("=\"");
                out.push_str(&v.replace('"', "&quot;"));
                out.push('"');
            }
        }
        out.push_str(if self.self_closing { " />" } else { ">" });
        out
    }
}

/// Attributes from `at` to the tag's `>`: (name, value) pairs and where `>` is.
fn parse_attrs(s: &str, mut at: usize) -> Option<(Attrs, usize)> {
    let b = s.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while at < b.len() && (b[at].is_ascii_whitespace() || b[at] == b'/') {
            at += 1;
        }
        match b.get(at)? {
            b'>' => return Some((attrs, at)),
            b'<' => return None,
            _ => {}
        }
        let name_end = s[at..]
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .map_or(s.len(), |e| at + e);
        let name = s[at..name_end].to_ascii_lowercase();
        at = name_end;
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        if b.get(at) != Some(&b'=') {
            attrs.push((name, None));
            continue;
        }
        at += 1;
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        let value = match b.get(at)? {
            &q @ (b'"' | b'\'') => {
                let close = s[at + 1..].find(q as char)? + at + 1;
                let v = &s[at + 1..close];
                at = close + 1;
                v
            }
            _ => {
                let end = s[at..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .map_or(s.len(), |e| at + e);
                let v = &s[at..end];
                at = end;
                v
            }
        };
        attrs.push((name, Some(value.to_string())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(pieces: &[&str]) -> String {
        let mut r = RawHtml::new(false);
        let mut out: String = pieces.iter().map(|p| r.clean(p)).collect();
        out.push_str(&r.close_all());
        out
    }

    #[test]
    fn scripts_handlers_and_script_urls_go_the_rest_stays() {
        assert_eq!(clean(&["<script>alert(1)</script>ok"]), "ok");
        assert_eq!(
            clean(&["<img src=\"x.png\" onerror=\"alert(1)\" width=\"300\">"]),
            "<img src=\"x.png\" width=\"300\">"
        );
        assert_eq!(
            clean(&["<a href=\" jav&#x09;ascript:alert(1)\">链接</a>"]),
            "<a>链接</a>"
        );
        assert_eq!(clean(&["<a HREF='VBScript:x'>v</a>"]), "<a>v</a>");
        // Numeric references without their `;` are decoded by browsers too.
        for hidden in [
            "&#106avascript:alert(1)",
            "javascript&#58alert(2)",
            "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
            "&#x6A&#x61vascript&#x3A;alert(3)",
        ] {
            let html = format!("<iframe src=\"{hidden}\"></iframe><a href=\"{hidden}\">x</a>");
            assert_eq!(clean(&[&html]), "<iframe></iframe><a>x</a>", "{hidden}");
        }
        assert_eq!(
            clean(&["<a href=\"a.html?x=1&#38;y=2\">q</a>"]),
            "<a href=\"a.html?x=1&#38;y=2\">q</a>"
        );
        let keep = "<div align=\"center\"><img src=\"a.png\" width=\"300\"></div><details><summary>摘要</summary>内容</details><kbd>Ctrl</kbd><sup>2</sup><span style=\"color:red\">红</span>";
        assert_eq!(clean(&[keep]), keep);
        assert_eq!(
            clean(&["<img src=\"data:image/png;base64,AAAA\"><iframe src=\"data:text/html,x\"></iframe>"]),
            "<img src=\"data:image/png;base64,AAAA\"><iframe></iframe>"
        );
        assert_eq!(
            clean(&["<object data=\"x.swf\"></object><base href=\"//evil\">t"]),
            "t"
        );
        // A script split over pieces is dropped as a whole.
        assert_eq!(clean(&["<script>", "var a<b;", "</script>after"]), "after");
        // A style sheet would restyle the whole page: gone, as on GitHub.
        assert_eq!(clean(&["<style>.site-header{display:none}</style>x"]), "x");
        assert_eq!(
            clean(&["<textarea>unclosed <b>"]),
            "<textarea>unclosed <b></textarea>"
        );
    }

    #[test]
    fn what_the_note_opens_it_closes_and_stray_ends_go() {
        assert_eq!(
            clean(&["<details><summary>x</summary>", "<p>md</p>"]),
            "<details><summary>x</summary><p>md</p></details>"
        );
        assert_eq!(
            clean(&["<table><tr><td>a"]),
            "<table><tr><td>a</td></tr></table>"
        );
        assert_eq!(clean(&["</div></div>text"]), "text");
        assert_eq!(clean(&["<!-- never closed"]), "<!-- never closed-->");
        assert_eq!(clean(&["<a href=\"x\">open"]), "<a href=\"x\">open</a>");
        assert_eq!(clean(&["<br><hr/><img src=a>"]), "<br><hr/><img src=a>");
        // A browser opens `<div/>`: it is closed like any open element; in
        // SVG, `<circle/>` closes itself.
        assert_eq!(clean(&["<div/> 文字"]), "<div/> 文字</div>");
        assert_eq!(
            clean(&["<svg><circle r=\"1\"/></svg>"]),
            "<svg><circle r=\"1\"/></svg>"
        );
        assert_eq!(clean(&["1 < 2 and 3 <b>x</b>"]), "1 &lt; 2 and 3 <b>x</b>");
    }

    #[test]
    fn a_block_closes_what_was_opened_inside_it() {
        let mut r = RawHtml::new(false);
        let d = r.depth();
        let out = r.clean("<table><tr><td>");
        assert_eq!(out + &r.close_to(d), "<table><tr><td></td></tr></table>");
        let out = r.clean("<!-- open");
        assert_eq!(out + &r.close_to(d), "<!-- open-->");
        assert_eq!(r.close_all(), "");
    }

    #[test]
    fn trusted_html_passes_but_still_balances() {
        let mut r = RawHtml::new(true);
        let out = r.clean("<script>if (a<b) go()</script><div onclick=\"f()\">");
        assert_eq!(out, "<script>if (a<b) go()</script><div onclick=\"f()\">");
        assert_eq!(r.close_all(), "</div>");
        let mut r = RawHtml::new(true);
        let styled = "<style>p{color:red}</style><div style=\"position:fixed\">";
        assert_eq!(r.clean(styled), styled);
    }

    /// Typora's styles stay; what would move an element over the page goes.
    #[test]
    fn styles_keep_their_place_in_the_note() {
        for kept in [
            "<img src=\"a.png\" style=\"zoom:50%\">",
            "<span style=\"color: red; font-weight:bold\">红</span>",
            "<div style=\"text-align:center;border-left:3px solid #ccc;margin:1em 0\">x</div>",
        ] {
            assert_eq!(clean(&[kept]), kept);
        }
        assert_eq!(
            clean(&["<div style=\"position:fixed;inset:0;z-index:99999;background:red\">x</div>"]),
            "<div style=\"background:red\">x</div>"
        );
        assert_eq!(
            clean(&["<p style=\"color:blue; margin-top:-300px; transform:scale(9)\">y</p>"]),
            "<p style=\"color:blue\">y</p>"
        );
        assert_eq!(
            clean(&["<p style=\"POSITION&#58;fixed;color:red\">z</p>"]),
            "<p style=\"color:red\">z</p>"
        );
        assert_eq!(
            clean(&["<p style=\"pos\\ition:fixed\">w</p>"]),
            "<p style=\"\">w</p>"
        );
    }
}
