//! Obsidian callouts (`> [!tip] 标题`), which also covers GitHub's alerts
//! (`> [!NOTE]`): the type (with Obsidian's aliases, any letter case), an
//! optional title, and `-`/`+` for a folded or foldable callout.

/// What the first line of a blockquote says about it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Header<'a> {
    /// The canonical type, which picks the colour and icon (`warning` for `caution`).
    pub kind: &'static str,
    /// The type as written, lower-cased: it names the default title.
    pub alias: String,
    /// A type of the author's own (`[!proof]`), drawn as a `note` but
    /// keeping its name for their CSS snippets. (`details` is VitePress's
    /// folded container, a note.)
    pub own: bool,
    /// `None`: not foldable; `Some(true)`: folded (`-`); `Some(false)`: open (`+`).
    pub folded: Option<bool>,
    /// The title written after the marker; empty means the default.
    pub title: &'a str,
    /// The title goes on in markup (`> [!tip] *要点* 标题`): no default
    /// title even when `title` is empty, and `title` keeps its last space.
    pub continued: bool,
    /// What follows a `|` in the type (`[!warning|min-0]`), for the CSS
    /// snippets of Obsidian themes, as `data-callout-metadata`.
    pub meta: &'a str,
}

/// Obsidian's types and their aliases. GitHub's `important` and `caution`
/// are aliases of `tip` and `warning` there.
const TYPES: &[(&str, &[&str])] = &[
    ("note", &[]),
    ("abstract", &["summary", "tldr"]),
    ("info", &[]),
    ("todo", &[]),
    ("tip", &["hint", "important"]),
    ("success", &["check", "done"]),
    ("question", &["help", "faq"]),
    ("warning", &["caution", "attention"]),
    ("failure", &["fail", "missing"]),
    ("danger", &["error"]),
    ("bug", &[]),
    ("example", &[]),
    ("quote", &["cite"]),
];

/// Parses `[!type]`, `[!type]-` or `[!type]+ title` at the start of a
/// blockquote's first line. An unknown type is a `note`, as in Obsidian,
/// whose types are any text (`[!提示]`, `[!my_type]`, named for a CSS snippet).
pub(crate) fn header(line: &str) -> Option<Header<'_>> {
    let rest = line.trim_start().strip_prefix("[!")?;
    let close = rest.find(']')?;
    let (written, meta) = rest[..close]
        .split_once('|')
        .unwrap_or((&rest[..close], ""));
    let alias = written.trim().to_lowercase();
    if alias.is_empty()
        || alias.chars().count() > 64
        || alias.chars().any(|c| c.is_control() || c == '[')
    {
        return None;
    }
    let mut after = &rest[close + 1..];
    let folded = match after.as_bytes().first() {
        Some(b'-') => Some(true),
        Some(b'+') => Some(false),
        _ => None,
    };
    if folded.is_some() {
        after = &after[1..];
    }
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return None;
    }
    let known = TYPES
        .iter()
        .find(|(k, aliases)| *k == alias || aliases.contains(&alias.as_str()));
    Some(Header {
        kind: known.map_or("note", |(k, _)| k),
        own: known.is_none() && alias != "details",
        alias,
        folded,
        title: after.trim(),
        continued: false,
        meta: meta.trim(),
    })
}

/// The title a callout shows when it names none, in the site's language.
pub(crate) fn default_title(alias: &str, language: &str) -> String {
    // A type's name as Obsidian shows it: `proof` is "Proof".
    let capitalized = || {
        let mut c = alias.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    if !crate::i18n::is_chinese(language) {
        return capitalized();
    }
    let zh = match alias {
        "note" => "注意",
        "abstract" | "summary" | "tldr" => "摘要",
        "info" => "信息",
        "todo" => "待办",
        "tip" | "hint" => "提示",
        "important" => "重要",
        "success" | "check" | "done" => "完成",
        "question" | "help" | "faq" => "问题",
        "warning" | "attention" => "警告",
        "caution" => "小心",
        "failure" | "fail" | "missing" => "失败",
        "danger" | "error" => "危险",
        "bug" => "缺陷",
        "example" => "示例",
        "quote" | "cite" => "引用",
        // VitePress's `::: details`, a folded callout (see `container`).
        "details" => "详细信息",
        _ => return capitalized(),
    };
    crate::i18n::chinese(language, zh).to_string()
}

/// The title a callout shows: its own, or its type's in the site's language.
pub(crate) fn title(h: &Header, language: &str) -> String {
    if h.title.is_empty() && !h.continued {
        default_title(&h.alias, language)
    } else {
        h.title.to_string()
    }
}

/// The HTML that opens a callout, up to and including its title's opening
/// tag and `title` (a written title follows as Markdown text).
pub(crate) fn open_html(h: &Header, title: &str) -> String {
    use html_escape::encode_double_quoted_attribute as attr;
    let title = html_escape::encode_text(title);
    // A known type is named by its canonical type.
    let kind = match h.own {
        true => attr(&h.alias),
        false => std::borrow::Cow::Borrowed(h.kind),
    };
    let meta = match h.meta.is_empty() {
        true => String::new(),
        false => format!(" data-callout-metadata=\"{}\"", attr(h.meta)),
    };
    match h.folded {
        None => format!(
            "<div class=\"callout\" data-callout=\"{kind}\"{meta}>\n<p class=\"callout-title\">{title}"
        ),
        Some(folded) => format!(
            "<details class=\"callout\" data-callout=\"{kind}\"{meta}{}>\n<summary class=\"callout-title\">{title}",
            if folded { "" } else { " open" }
        ),
    }
}

/// Closes the title and opens the callout's body.
pub(crate) fn title_end(folded: Option<bool>) -> &'static str {
    match folded {
        None => "</p>\n<div class=\"callout-content\">\n",
        Some(_) => "</summary>\n<div class=\"callout-content\">\n",
    }
}

/// Closes the body and the callout.
pub(crate) fn close_html(folded: Option<bool>) -> &'static str {
    match folded {
        None => "</div>\n</div>\n",
        Some(_) => "</div>\n</details>\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        let h = header("[!tip] 自定义标题").unwrap();
        assert_eq!((h.kind, h.folded, h.title), ("tip", None, "自定义标题"));
        let h = header("[!NOTE]-").unwrap();
        assert_eq!((h.kind, h.folded, h.title), ("note", Some(true), ""));
        let h = header("[!Caution]+ 小心").unwrap();
        assert_eq!(
            (h.kind, h.alias.as_str(), h.folded),
            ("warning", "caution", Some(false))
        );
        assert_eq!(header("[!whatever]").unwrap().kind, "note");
        let h = header("[!提示] 记住").unwrap();
        assert_eq!(
            (h.kind, h.alias.as_str(), h.title),
            ("note", "提示", "记住")
        );
        assert_eq!(header("[!my_type]").unwrap().alias, "my_type");
        assert_eq!(header("[![x]"), None);
        assert_eq!(header("[!tip]x"), None);
        assert_eq!(header("[link] text"), None);
        assert_eq!(header("[! ]"), None);
    }

    #[test]
    fn titles_follow_the_language() {
        assert_eq!(default_title("faq", "zh-CN"), "问题");
        assert_eq!(default_title("faq", "en"), "Faq");
        assert_eq!(default_title("tldr", "zh-CN"), "摘要");
        // A type of the author's own, as Obsidian shows it.
        assert_eq!(default_title("proof", "zh-CN"), "Proof");
        assert_eq!(default_title("定理", "zh-CN"), "定理");
        for (k, aliases) in TYPES {
            for a in std::iter::once(k).chain(aliases.iter()) {
                let title = default_title(a, "zh-CN");
                assert!(!title.is_ascii(), "{a} has no Chinese title: {title}");
            }
        }
    }
}
