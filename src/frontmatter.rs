//! The optional YAML block at the top of a note.

use crate::diagnostic::Diagnostic;
use anyhow::Result;
use serde::Deserialize;
use std::borrow::Cow;

mod dates;
mod flags;
mod loose;
pub(crate) use loose::Loose;
mod messages;
mod quoting;
pub(crate) use dates::{date_string, is_date};
use flags::{flag, flag_or_unset};
pub(crate) use messages::yaml_message;
use quoting::{quote_colon_value, quote_hint};

/// Keys a note may set. Unknown keys are kept in `extra` for templates rather
/// than rejected: notes often carry keys from other tools (Hugo, Obsidian).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<serde_yaml::Value>,
    /// Foam's, Dendron's and Obsidian templates' day of writing: the date of
    /// a note without `date`.
    pub created: Option<serde_yaml::Value>,
    pub updated: Option<serde_yaml::Value>,
    /// Hugo's name for `updated`.
    pub lastmod: Option<serde_yaml::Value>,
    /// Jekyll's name for `updated`.
    pub last_modified_at: Option<serde_yaml::Value>,
    pub tags: Option<StringOrList>,
    pub topics: Option<StringOrList>,
    /// Hexo's and Hugo's `categories`, VuePress Theme Hope's `category` and
    /// `tag`: topics as `tags` are.
    pub categories: Option<Loose>,
    pub category: Option<Loose>,
    pub tag: Option<Loose>,
    /// Obsidian's other names for the note, for wikilinks.
    #[serde(alias = "alias")]
    pub aliases: Option<StringOrList>,
    /// `true`, `yes`, `1` (as YAML 1.1 and the editors read them) and the like.
    #[serde(deserialize_with = "flag")]
    pub draft: bool,
    /// Obsidian Publish's `publish: false` keeps a note out, as `draft` does,
    /// and so does Jekyll's `published: false`.
    #[serde(deserialize_with = "flag_or_unset", alias = "published")]
    pub publish: Option<bool>,
    /// hexo-blog-encrypt's password: a post its author meant to lock.
    pub password: Option<serde_yaml::Value>,
    pub description: Option<String>,
    /// Typora's root for paths that start with `/` (`/assets/a.png`).
    #[serde(rename = "typora-root-url")]
    pub typora_root_url: Option<serde_yaml::Value>,
    /// Lines (in the file) of `key: value` read as text though their value
    /// had `: ` unquoted (`title: Redis: 持久化`), for a warning.
    #[serde(skip)]
    pub read_as_text: Vec<(usize, String)>,
    // Other keys (Hugo's `weight`, Obsidian's `cssclasses`, ...) are accepted
    // and ignored: serde skips what no field names.
}

/// `tags: a` and `tags: [a, b]` are both common; accept either, and numbers
/// as words (`tags: [python, 3]`, `tags: 2024`).
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "serde_yaml::Value")]
pub(crate) enum StringOrList {
    One(String),
    Many(Vec<String>),
}

impl TryFrom<serde_yaml::Value> for StringOrList {
    type Error = String;

    fn try_from(v: serde_yaml::Value) -> Result<Self, String> {
        use serde_yaml::Value;
        let word = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        let wrong = || {
            "`tags`, `topics` and `aliases` take a word or a list of words, e.g. `[python, 并发]`"
                .to_string()
        };
        match &v {
            Value::Null => Ok(StringOrList::Many(Vec::new())),
            Value::Sequence(items) => items
                .iter()
                .map(|i| word(i).ok_or_else(wrong))
                .collect::<Result<_, _>>()
                .map(StringOrList::Many),
            other => word(other).map(StringOrList::One).ok_or_else(wrong),
        }
    }
}

impl StringOrList {
    /// Tags: a string of them is cut at commas and spaces too (`tags: linux
    /// shell`, as Obsidian reads it: a tag has no space); a list's items stay whole.
    pub(crate) fn into_tags(self) -> Vec<String> {
        match self {
            StringOrList::One(s) => s
                .split(|c: char| matches!(c, ',' | '，' | '、') || c.is_whitespace())
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            StringOrList::Many(v) => v,
        }
    }

    pub(crate) fn into_vec(self) -> Vec<String> {
        match self {
            StringOrList::One(s) => s
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            StringOrList::Many(v) => v,
        }
    }
}

/// A note split into its front matter and its Markdown body.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    /// How many lines precede the body, so Markdown positions map back to file lines.
    pub body_line_offset: usize,
    /// The note opens with `---` and a `key:` line but never closes the block:
    /// most likely front matter missing its closing `---` (shown as text).
    pub unclosed: bool,
    /// The `---` block at the top reads as YAML but as no `key: value`
    /// fields (text between two rules: `---`, `## 运行记录`, prose, `---`):
    /// shown as text, as GitHub shows it, instead of failing the build.
    pub not_fields: bool,
    /// The YAML between the fences (empty without front matter).
    pub yaml: &'a str,
}

impl<'a> Split<'a> {
    /// The line in the file of top-level key `key` in the front matter, for
    /// messages about its value (serde gives values no position).
    pub(crate) fn key_line(&self, key: &str) -> Option<usize> {
        self.key_at(key).map(|(line, _)| line)
    }

    /// [`Split::key_line`] and that line as written, for messages that
    /// quote it.
    pub(crate) fn key_at(&self, key: &str) -> Option<(usize, &'a str)> {
        let prefix = format!("{key}:");
        let (i, text) = self
            .yaml
            .lines()
            .enumerate()
            .find(|(_, l)| l.starts_with(&prefix))?;
        Some((i + 2, text.trim_end()))
    }
}

/// Splits `---\n...\n---` off the top of `text` and parses it. Errors carry
/// `file:line:column` of the YAML problem in the file, not in the block.
pub(crate) fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            front: FrontMatter::default(),
            body: text,
            body_line_offset: 0,
            unclosed: false,
            not_fields: false,
            yaml: "",
        });
    }
    // Find the closing fence: a line that is exactly `---` or `...`.
    let mut pos = first_end;
    let mut line_no = 1;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
        line_no += 1;
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let yaml = &text[first_end..pos];
            let front = match parse_yaml(yaml, file)? {
                Some(front) => front,
                None => {
                    return Ok(Split {
                        front: FrontMatter::default(),
                        body: text,
                        body_line_offset: 0,
                        unclosed: false,
                        not_fields: true,
                        yaml: "",
                    })
                }
            };
            return Ok(Split {
                front,
                body: &text[end..],
                body_line_offset: line_no,
                unclosed: false,
                not_fields: false,
                yaml,
            });
        }
        pos = end;
    }
    // No closing fence: treat the whole file as Markdown (a thematic break at the top).
    let next = text[first_end..].lines().find(|l| !l.trim().is_empty());
    let looks_like_yaml = next.is_some_and(|l| {
        l.split_once(':').is_some_and(|(key, _)| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
    });
    Ok(Split {
        front: FrontMatter::default(),
        body: text,
        body_line_offset: 0,
        unclosed: looks_like_yaml,
        not_fields: false,
        yaml: "",
    })
}

/// Replaces NUL with U+FFFD, as CommonMark does in a note's text: a NUL in a
/// page makes browsers and tools take it for binary.
pub(crate) fn replace_nul(s: &mut String) {
    if s.contains('\0') {
        *s = s.replace('\0', "\u{FFFD}");
    }
}

impl FrontMatter {
    /// The YAML escapes `"\0"`, `"\x00"` and `"\u0000"` make a NUL that the
    /// note's text did not have (see [`replace_nul`]); out of what pages show.
    fn replace_nul(&mut self) {
        let lists = [&mut self.tags, &mut self.topics, &mut self.aliases];
        for list in lists.into_iter().flatten() {
            match list {
                StringOrList::One(s) => replace_nul(s),
                StringOrList::Many(v) => v.iter_mut().for_each(replace_nul),
            }
        }
        for s in [&mut self.title, &mut self.description]
            .into_iter()
            .flatten()
        {
            replace_nul(s);
        }
    }
}

/// The fields of `yaml`; `None` when it starts as YAML, but as a text or a
/// list rather than fields (the parser stops at that first value, whatever
/// follows).
fn parse_yaml(yaml: &str, file: &str) -> Result<Option<FrontMatter>> {
    if yaml.trim().is_empty() {
        return Ok(Some(FrontMatter::default()));
    }
    check_nesting(yaml).map_err(|line| {
        Diagnostic::at(
            file,
            format!(
                "front matter nested more than {MAX_NESTING} levels deep; \
                 keep it to plain keys and short lists"
            ),
        )
        .line(line + 2)
    })?;
    let mut yaml = Cow::Borrowed(yaml);
    let mut parsed = serde_yaml::from_str::<Option<FrontMatter>>(&yaml);
    // `title: Redis: 持久化`, as Typora and Obsidian let it stand: read as
    // the text it means (a few lines at most, each named in a warning).
    let mut read_as_text = Vec::new();
    for _ in 0..8 {
        let Err(e) = &parsed else { break };
        let Some((fixed, line)) = quote_colon_value(&yaml, e) else {
            break;
        };
        let written = yaml.lines().nth(line).unwrap_or("").trim().to_string();
        read_as_text.push((line + 2, written));
        parsed = serde_yaml::from_str(&fixed);
        yaml = Cow::Owned(fixed);
    }
    if parsed
        .as_ref()
        .is_err_and(|e| e.to_string().contains("expected struct FrontMatter"))
    {
        return Ok(None);
    }
    parsed
        .map(|fm| {
            let mut fm = fm.unwrap_or_default();
            fm.replace_nul();
            fm.read_as_text = read_as_text;
            Some(fm)
        })
        .map_err(|e| {
            let at = e.location();
            // An error of the whole (aliases repeated past serde_yaml's
            // limit) has no place: the front matter's first line, then.
            let hint = quote_hint(&yaml, &e)
                .unwrap_or("fix the YAML between the `---` lines at the top of the note".into());
            let d = Diagnostic::at(file, format!("invalid front matter: {}", yaml_message(&e)))
                .line(at.as_ref().map_or(1, |l| l.line() + 1))
                .column(at.as_ref().map(|l| l.column()))
                .hint(hint);
            anyhow::Error::new(d)
        })
}

/// YAML deeper than this is refused before it is parsed: the parser
/// recurses, and `x: [[[[...` 100,000 levels deep took it 25 s to reject.
pub(crate) const MAX_NESTING: usize = 64;

/// The 0-based line where flow brackets (`[`, `{`) or indentation first
/// nest deeper than [`MAX_NESTING`], if they do.
pub(crate) fn check_nesting(yaml: &str) -> Result<(), usize> {
    let mut depth = 0usize;
    for (n, line) in yaml.lines().enumerate() {
        // Block nesting: two spaces a level is the usual indent.
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        if indent / 2 > MAX_NESTING {
            return Err(n);
        }
        for c in line.bytes() {
            match c {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_NESTING {
                return Err(n);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_of_text_or_a_list_is_no_front_matter_but_text() {
        let note = "---\n## 运行记录\n发现时间：12:02\n\n- 正文\n---\n后文\n";
        for text in ["---\n- a\n- b\n---\n", "---\njust text\n---\n", note] {
            let s = split(text, "n.md").unwrap();
            assert!(s.not_fields && s.front.title.is_none(), "{text}");
            assert_eq!((s.body, s.body_line_offset, s.yaml), (text, 0, ""));
        }
        // Fields with a value of the wrong kind are still an error, in YAML's words.
        let e = format!("{:#}", split("---\ntitle: [a]\n---\n", "n.md").unwrap_err());
        assert!(e.contains("n.md:2:8: invalid front matter: title"), "{e}");
        assert!(!e.contains("struct") && !e.contains("u128"), "{e}");
        assert!(!split("---\ntitle: x\n---\n", "n.md").unwrap().not_fields);
    }

    #[test]
    fn unclosed_front_matter_is_flagged_only_when_it_looks_like_yaml() {
        let s = split("---\ntitle: x\n\nbody\n", "n.md").unwrap();
        assert!(s.unclosed && s.front.title.is_none());
        assert_eq!(s.body, "---\ntitle: x\n\nbody\n");
        // A thematic break opening a note is no front matter at all.
        assert!(!split("---\n\n正文：说明\n", "n.md").unwrap().unclosed);
        assert!(
            !split("---\ntitle: x\n---\nbody\n", "n.md")
                .unwrap()
                .unclosed
        );
    }

    /// The position is given once, in the file, not again as serde_yaml's
    /// `at line L column C` (relative to the YAML, and twice for some errors).
    #[test]
    fn yaml_errors_name_their_place_once() {
        for (yaml, line) in [
            ("---\ntitle: a\ntags: [a\n  b: c\n---\n", 4),
            ("---\ntitle: a\n  b: c\n---\n", 3),
        ] {
            let e = split(yaml, "notes/n.md").err().unwrap();
            let msg = format!("{e:#}");
            assert!(msg.starts_with(&format!("notes/n.md:{line}:")), "{msg}");
            assert!(!msg.contains(" at line "), "{msg}");
        }
        // Aliases that multiply (a "billion laughs"): no place from the
        // parser, so the front matter's first line, and what to do.
        let mut yaml = String::from("---\na: &a [x, x, x, x, x, x, x, x, x]\n");
        for k in 1..9u8 {
            let (name, prev) = ((b'a' + k) as char, (b'a' + k - 1) as char);
            let refs = vec![format!("*{prev}"); 9].join(", ");
            yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        yaml.push_str("tags: *i\n---\n");
        let msg = format!("{:#}", split(&yaml, "notes/n.md").err().unwrap());
        assert!(
            msg.starts_with("notes/n.md:1: invalid front matter: aliases"),
            "{msg}"
        );
    }

    #[test]
    fn an_unquoted_colon_in_a_value_is_read_as_text() {
        let s = split(
            "---\ntitle: Redis: 持久化\ntags: [a]\nnote: 'it''s: ok'\n---\n",
            "notes/n.md",
        )
        .unwrap();
        assert_eq!(s.front.title.as_deref(), Some("Redis: 持久化"));
        assert_eq!(
            s.front.read_as_text,
            [(2, "title: Redis: 持久化".to_string())]
        );
        let s = split("---\ntitle: Redis: 持久化 # 注释\n---\n", "n.md").unwrap();
        assert_eq!(s.front.title.as_deref(), Some("Redis: 持久化"));
        assert!(split("---\ntitle: [a: b\n---\n", "n.md").is_err());
        let e = split("---\ntitle: [draft \"笔记\"\n---\n", "n.md").unwrap_err();
        let d = e.downcast_ref::<Diagnostic>().unwrap();
        assert_eq!(
            d.hint.as_deref(),
            Some(
                r#"to YAML, a value that starts with `[` is a list; for text, quote it: `title: "[draft \"笔记\""`"#
            )
        );
    }

    #[test]
    fn a_date_key_has_its_line() {
        let s = split("---\ntitle: x\ndate: not a date\n---\n", "notes/n.md").unwrap();
        assert_eq!(s.key_line("date"), Some(3));
    }

    #[test]
    fn deep_nesting_is_refused_fast() {
        let deep = format!("---\nx: {}\n---\n", "[".repeat(100_000));
        let e = format!("{:#}", split(&deep, "notes/n.md").unwrap_err());
        assert!(
            e.contains("notes/n.md:2: front matter nested more than 64"),
            "{e}"
        );
        let indented: String = (0..200)
            .map(|i| format!("{}a{i}:\n", "  ".repeat(i)))
            .collect();
        assert!(split(&format!("---\n{indented}---\n"), "n.md").is_err());
        assert!(split("---\nextra: [[a, b], {c: [d]}]\n---\n", "n.md").is_ok());
    }

    #[test]
    fn tags_take_words_numbers_or_lists() {
        let tags = |y: &str| {
            split(&format!("---\n{y}\n---\n"), "n.md")
                .map(|s| s.front.tags.map(StringOrList::into_vec).unwrap_or_default())
        };
        assert_eq!(tags("tags: python, 并发").unwrap(), ["python", "并发"]);
        let as_tags = |y: &str| {
            split(&format!("---\n{y}\n---\n"), "n/x.md")
                .map(|s| {
                    s.front
                        .tags
                        .map(StringOrList::into_tags)
                        .unwrap_or_default()
                })
                .unwrap()
        };
        assert_eq!(
            as_tags("tags: linux shell 运维"),
            ["linux", "shell", "运维"]
        );
        assert_eq!(as_tags("tags: a,  b"), ["a", "b"]);
        assert_eq!(as_tags("tags: 网络，协议、TCP"), ["网络", "协议", "TCP"]);
        assert_eq!(as_tags("tags: [machine learning]"), ["machine learning"]);
        assert_eq!(
            tags("tags: [python, 3, true]").unwrap(),
            ["python", "3", "true"]
        );
        assert_eq!(tags("tags: 2024").unwrap(), ["2024"]);
        assert!(tags("tags:").unwrap().is_empty());
        let e = format!("{:#}", tags("tags: {a: 1}").unwrap_err());
        assert!(
            e.contains("n.md:2:") && e.contains("a word or a list of words"),
            "{e}"
        );
    }

    #[test]
    fn no_front_matter() {
        let s = split("# Hi\n", "a.md").unwrap();
        assert_eq!(s.body, "# Hi\n");
        assert!(s.front.title.is_none());
    }

    #[test]
    fn parses_keys_and_offsets() {
        let s = split(
            "---\ntitle: 标题\ntags: [a, b]\ndraft: true\nweight: 3\n---\nbody\n",
            "a.md",
        )
        .unwrap();
        assert_eq!(s.front.title.as_deref(), Some("标题"));
        assert_eq!(s.front.tags.unwrap().into_vec(), ["a", "b"]);
        assert!(s.front.draft);
        // `weight` is no key of ours: accepted, not an error.
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line_offset, 6);
    }

    #[test]
    fn draft_and_publish_read_as_the_editors_write_them() {
        let front =
            |yaml: &str| split(&format!("---\n{yaml}\n---\nbody\n"), "n.md").map(|s| s.front);
        for yes in [
            "draft: yes",
            "draft: \"true\"",
            "draft: 1",
            "draft: On",
            "draft: true",
        ] {
            assert!(front(yes).unwrap().draft, "{yes}");
        }
        for no in [
            "draft: no",
            "draft: false",
            "draft: 0",
            "draft:",
            "title: t",
        ] {
            assert!(!front(no).unwrap().draft, "{no}");
        }
        assert_eq!(front("publish: false").unwrap().publish, Some(false));
        assert_eq!(front("publish:").unwrap().publish, None);
        let e = front("draft: maybe").unwrap_err();
        assert!(
            format!("{e:#}").contains("`draft` and `publish` take true or false"),
            "{e:#}"
        );
    }

    #[test]
    fn bad_yaml_names_file_line() {
        let e = split("---\ntitle: ok\ntags: [a\n---\n", "n/x.md")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("n/x.md:"), "{e}");
        let line: usize = e.split(':').nth(1).unwrap().parse().unwrap();
        assert!((3..=5).contains(&line), "{e}");
    }

    #[test]
    fn dates() {
        let v = serde_yaml::Value::String("2024-01-02".into());
        assert_eq!(date_string(&v, "a", None, "date").unwrap(), "2024-01-02");
        let v = serde_yaml::Value::String("yesterday".into());
        let e = date_string(&v, "a", Some((2, "date: yesterday")), "date").unwrap_err();
        assert!(e
            .to_string()
            .starts_with("a:2: `date: yesterday` is not a date"));
        let d = e.downcast_ref::<Diagnostic>().unwrap();
        assert_eq!((d.file.as_deref(), d.line), (Some("a"), Some(2)));
    }
}
