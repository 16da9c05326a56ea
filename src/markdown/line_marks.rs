//! What VitePress writes after a fence's language: `js{1,3-5}` marks lines
//! 1 and 3 to 5 (shown with a background), `ts [config.ts]` a title and
//! `python:line-numbers` an option (both accepted and not drawn).

/// The most lines a block may mark (`{1-100000}` is refused, not built).
const MAX_MARKED: usize = 10_000;

/// The language of a fence's info string.
pub(crate) fn label(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '[' | ':'))
        .next()
        .unwrap_or("")
}

/// The lines a fence's info string marks (`{1,3-5}`), 1-based, inclusive
/// ranges in order; empty when it marks none or the marks do not read.
pub(crate) fn marks(info: &str) -> Vec<(usize, usize)> {
    let Some(open) = info.find('{') else {
        return Vec::new();
    };
    let Some(len) = info[open + 1..].find('}') else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    let mut total = 0;
    for part in info[open + 1..open + 1 + len].split(',') {
        let part = part.trim();
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (Ok(a), Ok(b)) = (a.trim().parse::<usize>(), b.trim().parse::<usize>()) else {
            return Vec::new();
        };
        if a == 0 || b < a {
            return Vec::new();
        }
        total += b - a + 1;
        if total > MAX_MARKED {
            return Vec::new();
        }
        ranges.push((a, b));
    }
    ranges.sort_unstable();
    ranges
}

/// `html` (a `<pre><code>` block as the highlighter writes it) with each
/// marked line wrapped in `<span class="code-mark">`. Spans the highlighter
/// keeps open from line to line are closed before a mark and opened again
/// inside it, so the markup stays balanced.
pub(crate) fn apply(html: &str, marks: &[(usize, usize)]) -> String {
    let Some(start) = html
        .find("<code")
        .and_then(|i| Some(i + html[i..].find('>')? + 1))
    else {
        return html.to_string();
    };
    let Some(end) = html.rfind("</code>").filter(|&e| e >= start) else {
        return html.to_string();
    };
    let mut out = String::with_capacity(html.len() + marks.len() * 64);
    out.push_str(&html[..start]);
    // The tags of the spans open where the current line starts.
    let mut open: Vec<&str> = Vec::new();
    // Marks are in order of their first line: those begun by now, and the
    // last line they reach.
    let (mut begun, mut reach) = (0, 0);
    for (n, line) in html[start..end].split_inclusive('\n').enumerate() {
        let body = line.strip_suffix('\n').unwrap_or(line);
        while begun < marks.len() && marks[begun].0 <= n + 1 {
            reach = reach.max(marks[begun].1);
            begun += 1;
        }
        let marked = reach > n;
        if marked {
            out.push_str(&"</span>".repeat(open.len()));
            out.push_str("<span class=\"code-mark\">");
            open.iter().for_each(|t| out.push_str(t));
        }
        out.push_str(body);
        track(body, &mut open);
        if marked {
            out.push_str(&"</span>".repeat(open.len()));
            out.push_str("</span>");
            open.iter().for_each(|t| out.push_str(t));
        }
        out.push_str(&line[body.len()..]);
    }
    out.push_str(&html[end..]);
    out
}

/// Follows the `<span ...>` and `</span>` tags of `text` (the highlighter
/// writes no other tags; text is escaped) on the stack of open ones.
fn track<'a>(text: &'a str, open: &mut Vec<&'a str>) {
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let Some(close) = rest.find('>') else {
            return;
        };
        let tag = &rest[..=close];
        if tag.starts_with("</") {
            open.pop();
        } else if tag.starts_with("<span") {
            open.push(tag);
        }
        rest = &rest[close + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_read_as_vitepress_writes_them() {
        assert_eq!(marks("js{1,3-5}"), [(1, 1), (3, 5)]);
        assert_eq!(marks("ts {4} [a.ts]"), [(4, 4)]);
        for none in [
            "js",
            "js{}",
            "js{a}",
            "js{0}",
            "js{5-3}",
            "js{1-100000}",
            "js{1",
        ] {
            assert!(marks(none).is_empty(), "{none}");
        }
        assert_eq!(label("python:line-numbers {1}"), "python");
        assert_eq!(label("ts [config.ts]"), "ts");
    }

    #[test]
    fn marked_lines_are_wrapped_and_spans_stay_balanced() {
        let html = "<pre class=\"code\"><code class=\"language-x\"><span class=\"a\">one\ntwo</span>\nthree\n</code></pre>\n";
        let out = apply(html, &[(2, 3)]);
        assert_eq!(
            out,
            "<pre class=\"code\"><code class=\"language-x\"><span class=\"a\">one\n</span><span class=\"code-mark\"><span class=\"a\">two</span></span>\n<span class=\"code-mark\">three</span>\n</code></pre>\n"
        );
        assert_eq!(apply(html, &[]), html);
    }
}
