//! What editors and site generators write after a fence's language:
//! VitePress's `js{1,3-5}` marks lines 1 and 3 to 5 (shown with a
//! background), as Hugo's and Zola's `hl_lines` do; a title, VitePress's `ts [config.ts]` or Docusaurus's
//! `js title="App.js"`, is shown above the block; line numbers are asked
//! for by VitePress's `:line-numbers`, Docusaurus's `showLineNumbers` and
//! Zola's and Hugo's `linenos` (or for every block by `line_numbers` in
//! `biji.yaml`'s `markdown:`), and refused by `:no-line-numbers` and
//! `linenos=false`.

/// The most lines a block may mark (`{1-100000}` is refused, not built).
const MAX_MARKED: usize = 10_000;

/// The language of a fence's info string; none when it starts with an
/// attribute (Docusaurus's ```` ```title='env' ````, a title alone).
pub(crate) fn label(info: &str) -> &str {
    let first = info
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '[' | ':'))
        .next()
        .unwrap_or("");
    match first.contains('=') {
        true => "",
        false => first,
    }
}

/// The lines a fence's info string marks, 1-based, inclusive ranges in
/// order: VitePress's and Docusaurus's `{1,3-5}`, Hugo's
/// `{hl_lines=[2,"4-5"]}` and Zola's `hl_lines=1 3-5`; empty when it marks
/// none or the marks do not read.
pub(crate) fn marks(info: &str) -> Vec<(usize, usize)> {
    let list = match info.find("hl_lines=") {
        Some(at) => hl_lines(&info[at + "hl_lines=".len()..]),
        None => info
            .find('{')
            .and_then(|open| info[open + 1..].split_once('}'))
            .map(|(list, _)| list),
    };
    let mut ranges = Vec::new();
    let mut total = 0;
    let parts = list.unwrap_or("").split([',', ' ']);
    for part in parts
        .map(|p| p.trim().trim_matches('"'))
        .filter(|p| !p.is_empty())
    {
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

/// The list after `hl_lines=`: in brackets or quotes (Hugo), else up to
/// the next `,` or `}` (Zola's `1 3-5`).
fn hl_lines(value: &str) -> Option<&str> {
    match value.chars().next()? {
        '[' => value[1..].split_once(']').map(|(list, _)| list),
        q @ ('"' | '\'') => value[1..].split_once(q).map(|(list, _)| list),
        _ => value.split([',', '}']).next(),
    }
}

/// The block's title, if its info string gives one.
pub(crate) fn title(info: &str) -> Option<&str> {
    let rest = &info[label(info).len()..];
    // `title=` as a word of its own (not `subtitle=`).
    let at = (rest.match_indices("title="))
        .find(|&(i, _)| i == 0 || rest[..i].ends_with(|c: char| c.is_whitespace() || c == ','))
        .map(|(i, _)| i);
    let found = if let Some(at) = at {
        let value = &rest[at + "title=".len()..];
        match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next(),
            _ => value.split_whitespace().next(),
        }
    } else {
        // Not `hl_lines=[2]` (Hugo's marks).
        let open = rest
            .char_indices()
            .find(|&(i, c)| c == '[' && rest[..i].ends_with(|b: char| b.is_whitespace()))?
            .0;
        rest[open + 1..].split(']').next()
    };
    found.map(str::trim).filter(|t| !t.is_empty())
}

/// Whether the block shows line numbers: as its info string asks, else as
/// the site does.
pub(crate) fn line_numbers(info: &str, site: bool) -> bool {
    let rest = &info[label(info).len()..];
    let words = rest.split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}' | ':'));
    let mut numbered = site;
    for w in words {
        match w {
            "line-numbers" | "showLineNumbers" | "linenos" => numbered = true,
            "no-line-numbers" => numbered = false,
            _ => match w.strip_prefix("linenos=") {
                Some("false") => numbered = false,
                Some(_) => numbered = true,
                None => {}
            },
        }
    }
    numbered
}

/// `html`, a code block the highlighter wrote for `code`, with what the
/// fence's info string and the site ask for: marked lines, line numbers
/// and a title.
pub(crate) fn dress(html: &str, info: &str, code: &str, site_numbers: bool) -> String {
    let marked = match marks(info) {
        marks if marks.is_empty() => html.to_string(),
        marks => apply(html, &marks),
    };
    let numbers = line_numbers(info, site_numbers).then(|| code.lines().count());
    match (numbers, title(info)) {
        (None, None) => marked,
        (numbers, title) => decorate(&marked, numbers, title),
    }
}

/// `html` (a `<pre><code>` block) with a column of its line numbers before
/// the code (out of the code, so copying and search leave them out), and
/// its title above it.
pub(crate) fn decorate(html: &str, lines: Option<usize>, title: Option<&str>) -> String {
    let mut out = String::with_capacity(html.len() + 128);
    if let Some(t) = title {
        out.push_str("<figure class=\"code-figure\"><figcaption class=\"code-title\">");
        out.push_str(&html_escape::encode_text(t));
        out.push_str("</figcaption>");
    }
    let start = html.find('>').map_or(0, |i| i + 1);
    match lines.filter(|_| html.starts_with("<pre class=\"code")) {
        Some(n) => {
            out.push_str("<pre class=\"code has-lines");
            out.push_str(&html["<pre class=\"code".len()..start]);
            out.push_str("<span class=\"line-numbers\" aria-hidden=\"true\">");
            for k in 1..=n.max(1) {
                out.push_str(&k.to_string());
                if k < n {
                    out.push('\n');
                }
            }
            out.push_str("</span>");
            out.push_str(&html[start..]);
        }
        None => out.push_str(html),
    }
    if title.is_some() {
        let end = out.trim_end().len();
        out.insert_str(end, "</figure>");
    }
    out
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
        assert_eq!(
            marks("go {linenos=table,hl_lines=[2,\"4-5\"]}"),
            [(2, 2), (4, 5)]
        );
        assert_eq!(marks("go {hl_lines=\"1 3\"}"), [(1, 1), (3, 3)]);
        assert_eq!(
            marks("rust,linenos,hl_lines=1 3-4 9"),
            [(1, 1), (3, 4), (9, 9)]
        );
        assert_eq!(marks("rust,hl_lines=2,linenos"), [(2, 2)]);
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
    fn titles_and_line_numbers_read_as_each_tool_writes_them() {
        assert_eq!(label("title='env'"), "");
        assert_eq!(title("title='env'"), Some("env"));
        assert_eq!(title("title=\"a b.sh\" showLineNumbers"), Some("a b.sh"));
        assert_eq!(title("ts [config.ts]"), Some("config.ts"));
        assert_eq!(
            title("ts:line-numbers {1} [src/a b.ts]"),
            Some("src/a b.ts")
        );
        assert_eq!(
            title("js title=\"src/App.js\" showLineNumbers"),
            Some("src/App.js")
        );
        assert_eq!(title("py title='a.py'"), Some("a.py"));
        assert_eq!(title("py title=a.py {1}"), Some("a.py"));
        for none in [
            "ts",
            "ts []",
            "js{1,2}",
            "go {linenos=table,hl_lines=[2]}",
            "js subtitle=x",
        ] {
            assert_eq!(title(none), None, "{none}");
        }
        for (info, site, want) in [
            ("python:line-numbers", false, true),
            ("python:line-numbers {1}", false, true),
            ("python:no-line-numbers", true, false),
            ("js showLineNumbers", false, true),
            ("rust,linenos", false, true),
            ("go {linenos=table,hl_lines=[2]}", false, true),
            ("go {linenos=false}", true, false),
            ("python", true, true),
            ("python", false, false),
            ("line-numbers", false, false),
        ] {
            assert_eq!(line_numbers(info, site), want, "{info}");
        }
    }

    #[test]
    fn numbers_go_before_the_code_and_titles_above_the_block() {
        let html = "<pre class=\"code hl-code\" data-lang=\"x\"><code class=\"language-x\">a\nb\nc\n</code></pre>\n";
        assert_eq!(
            decorate(html, Some(3), Some("a<b>.x")),
            "<figure class=\"code-figure\"><figcaption class=\"code-title\">a&lt;b&gt;.x</figcaption>\
             <pre class=\"code has-lines hl-code\" data-lang=\"x\"><span class=\"line-numbers\" aria-hidden=\"true\">1\n2\n3</span>\
             <code class=\"language-x\">a\nb\nc\n</code></pre></figure>\n"
        );
        assert_eq!(decorate(html, None, None), html);
        let plain = "<pre class=\"code\"><code>x</code></pre>\n";
        assert_eq!(
            decorate(plain, Some(1), None),
            "<pre class=\"code has-lines\"><span class=\"line-numbers\" aria-hidden=\"true\">1</span><code>x</code></pre>\n"
        );
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
