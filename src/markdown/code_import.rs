//! VitePress's code imports: a line `<<< ./solutions/1.c [c]` (or
//! `<<< @/snippets/a.js#region{2 ts:line-numbers} [标题]`) is a code block
//! with that file's text. Written as the fence it means, around an mdBook
//! include (`markdown::include`), so the file is found, bounded, keyed and
//! checked as one: a LeetCode site kept every solution this way (2,842 of
//! 3,817 notes), and showed none of them.

/// The fence's info string and the include spec of an import line (the text
/// after its indentation), or `None` if it is none.
pub(crate) fn import(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("<<<")?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim();
    let path_end = rest.find(['#', '{', ' ', '\t']).unwrap_or(rest.len());
    let (path, mut rest) = rest.split_at(path_end);
    if path.is_empty() {
        return None;
    }
    let mut region = "";
    if let Some(r) = rest.strip_prefix('#') {
        let end = r.find(['{', ' ', '\t']).unwrap_or(r.len());
        (region, rest) = r.split_at(end);
    }
    let (mut marks, mut lang) = ("", "");
    if let Some(r) = rest.strip_prefix('{') {
        let (inside, after) = r.split_once('}')?;
        for part in inside.split_whitespace() {
            match part
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b',' || b == b'-')
            {
                true => marks = part,
                false => lang = part,
            }
        }
        rest = after;
    }
    let rest = rest.trim();
    let title = match rest.strip_prefix('[') {
        Some(t) => t.strip_suffix(']')?.trim(),
        None if rest.is_empty() => "",
        None => return None,
    };
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    let file = path.rsplit('/').next().unwrap_or(path);
    let mut info = match lang {
        "" => ext.to_ascii_lowercase(),
        l => l.to_string(),
    };
    if !marks.is_empty() {
        info.push_str(&format!("{{{marks}}}"));
    }
    // VitePress titles a block by its file when nothing else does.
    let title = if title.is_empty() { file } else { title };
    info.push_str(&format!(" [{title}]"));
    let spec = match region {
        "" => path.to_string(),
        r => format!("{path}:{r}"),
    };
    Some((info, spec))
}

#[cfg(test)]
mod tests {
    use super::import;

    #[test]
    fn reads_vitepress_imports() {
        let got = |l: &str| import(l).map(|(i, s)| format!("{i} | {s}"));
        assert_eq!(
            got("<<< ./solutions/1/1.c [c]").as_deref(),
            Some("c [c] | ./solutions/1/1.c")
        );
        assert_eq!(
            got("<<< @/snippets/a.js#snippet{1,3-4 ts:line-numbers} [片段]").as_deref(),
            Some("ts:line-numbers{1,3-4} [片段] | @/snippets/a.js:snippet")
        );
        assert_eq!(
            got("<<< ./deploy.yml").as_deref(),
            Some("yml [deploy.yml] | ./deploy.yml")
        );
        assert_eq!(got("<<< ./a.cs{c#}").as_deref(), Some("c# [a.cs] | ./a.cs"));
        assert_eq!(got("<<<"), None);
        assert_eq!(got("<<< a.js 其后还有字"), None);
        assert_eq!(got("<<<< x"), None);
    }
}
