//! The Obsidian Admonition plugin's blocks, ```` ```ad-note ```` … ```` ``` ````
//! with `title:` and `collapse:` lines first, were code listings: they are
//! callouts, as the plugin draws them. Each line of the block becomes a
//! quoted line of a `> [!note]` callout before parsing; lines keep their
//! numbers.

use super::fences::{Fence, Fences};
use std::borrow::Cow;

/// `body` with each Admonition block as a callout, outside other code.
pub(crate) fn rewrite(body: &str) -> Cow<'_, str> {
    if !body.contains("ad-") {
        return Cow::Borrowed(body);
    }
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut out = String::with_capacity(body.len() + 64);
    let mut fences = Fences::default();
    let mut changed = false;
    let mut i = 0;
    while i < lines.len() {
        let text = lines[i].trim_end_matches(['\n', '\r']);
        let indent = text.len() - text.trim_start().len();
        let block = Fence::opening(text)
            .filter(|_| indent <= 3 && !fences.inside())
            .and_then(|(fence, info)| Some((fence, kind(info)?)))
            .and_then(|(fence, kind)| {
                let end = (i + 1..lines.len()).find(|&j| fence.closed_by(lines[j]))?;
                Some((kind, end))
            });
        match block {
            Some((kind, end)) => {
                callout(&mut out, &lines[i..=end], kind);
                changed = true;
                i = end + 1;
            }
            None => {
                fences.code(text);
                out.push_str(lines[i]);
                i += 1;
            }
        }
    }
    match changed {
        true => Cow::Owned(out),
        false => Cow::Borrowed(body),
    }
}

/// The callout type of an Admonition fence's info string (`ad-note`).
fn kind(info: &str) -> Option<&str> {
    info.strip_prefix("ad-").filter(|k| {
        !k.is_empty()
            && k.len() <= 32
            && k.chars()
                .all(|ch| ch.is_alphanumeric() || ch == '-' || ch == '_')
    })
}

/// Writes the block `block` (its fences included) as a `kind` callout.
fn callout(out: &mut String, block: &[&str], kind: &str) {
    let inner = &block[1..block.len() - 1];
    let params = inner
        .iter()
        .take_while(|l| {
            let l = l.trim_start();
            ["title:", "collapse:", "icon:", "color:"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .count();
    let param = |key: &str| {
        inner[..params]
            .iter()
            .find_map(|l| l.trim().strip_prefix(key))
            .map(str::trim)
    };
    let fold = match param("collapse:") {
        Some("open") => "+",
        Some("close" | "closed") => "-",
        _ => "",
    };
    let title = param("title:").unwrap_or("");
    out.push_str(&callout_head(kind, fold, title));
    out.push_str(line_end(block[0]));
    for (k, line) in inner.iter().enumerate() {
        // The parameter lines stay, blank, so lines keep their numbers.
        push_quoted(out, if k < params { line_end(line) } else { line });
    }
    // The closing fence: a blank line ends the callout.
    out.push_str(line_end(block[block.len() - 1]));
}

/// A callout's first line as the rewrites into callouts (here and in
/// `mkdocs.rs`) write it: `> [!kind]fold title`.
pub(super) fn callout_head(kind: &str, fold: &str, title: &str) -> String {
    format!("> [!{kind}]{fold} {title}").trim_end().to_string()
}

/// Writes `line` (with its line end) as a line of a callout's body: a
/// blank one as `>`.
pub(super) fn push_quoted(out: &mut String, line: &str) {
    let text = line.trim_end_matches(['\n', '\r']);
    match text.trim().is_empty() {
        true => out.push('>'),
        false => {
            out.push_str("> ");
            out.push_str(text);
        }
    }
    out.push_str(line_end(line));
}

/// The `\n` or `\r\n` that ends `line` (nothing for the note's last).
pub(super) fn line_end(line: &str) -> &str {
    &line[line.trim_end_matches(['\n', '\r']).len()..]
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn admonition_blocks_are_callouts() {
        assert_eq!(
            rewrite("```ad-warning\ntitle: 注意\ncollapse: close\n正文\n\n- 列表\n```\n后文\n"),
            "> [!warning]- 注意\n>\n>\n> 正文\n>\n> - 列表\n\n后文\n"
        );
        assert_eq!(
            rewrite("~~~~ad-note\n```py\nx\n```\n~~~~\n"),
            "> [!note]\n> ```py\n> x\n> ```\n\n"
        );
        // Other code, one never closed, and an `ad-` inside code: as written.
        for kept in [
            "```python\nad-note\n```\n",
            "```ad-note\n正文\n",
            "````\n```ad-note\nx\n```\n````\n",
            "```ad-\nx\n```\n",
        ] {
            assert_eq!(rewrite(kept), kept, "{kept:?}");
        }
    }
}
