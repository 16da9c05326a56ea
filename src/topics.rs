//! Topics: front-matter tags/topics and the folders notes live in.

/// A topic's URL segment: lowercase, spaces to `-`, path-unsafe characters
/// dropped; CJK and `+` are kept (`C++` -> `c++`, `操作 系统` -> `操作-系统`).
pub fn topic_slug(name: &str) -> String {
    let s: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .filter(|c| {
            !matches!(
                c,
                '/' | '\\' | '?' | '#' | '%' | '"' | '<' | '>' | '|' | ':' | '*' | '.'
            )
        })
        .collect();
    if s.is_empty() {
        "-".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::topic_slug;

    #[test]
    fn slugs() {
        assert_eq!(topic_slug("Python"), "python");
        assert_eq!(topic_slug("C++"), "c++");
        assert_eq!(topic_slug("操作 系统"), "操作-系统");
        assert_eq!(topic_slug("a/b"), "ab");
    }
}
