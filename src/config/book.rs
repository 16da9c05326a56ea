//! An mdBook's `book.toml` (or a GitBook's `book.json`) beside biji.yaml:
//! what biji.yaml leaves unsaid, the book says. Its title is the site's, its
//! language the site's, and mdBook's `src` folder (`src` unless it names
//! another) holds the notes when there is no `notes/`. So `biji build` in a
//! book's repository builds the book, as `mdbook build` does.

use super::Config;
use std::path::Path;

/// What a book's own settings file says.
#[derive(Debug, Default, PartialEq)]
struct Book {
    title: Option<String>,
    language: Option<String>,
    /// mdBook's source folder (`src` when unsaid).
    src: Option<String>,
}

impl Config {
    /// Takes from the book at `root` what `text` (biji.yaml, if any) does
    /// not set.
    pub(super) fn fill_from_book(&mut self, root: &Path, text: Option<&str>) {
        let Some(book) = read(root) else {
            return;
        };
        let says = |key: &str| text.is_some_and(|t| super::key_line(t, key).is_some());
        if let Some(title) = book.title.filter(|_| !says("title")) {
            self.title = title;
        }
        let language = book.language.as_deref().and_then(crate::i18n::language_tag);
        if let Some(tag) = language.filter(|_| !says("language")) {
            self.language = tag;
        }
        let notes_missing = !super::under(root, &self.notes_dir).is_dir();
        if let Some(src) = book.src.filter(|_| !says("notes_dir") && notes_missing) {
            if super::under(root, &src).is_dir() {
                log::debug!("notes from `{src}/`, the book's source folder (book.toml)");
                self.notes_dir = src.into();
            }
        }
    }
}

/// The book at `root`: `book.toml`, else `book.json`.
fn read(root: &Path) -> Option<Book> {
    if let Ok(text) = std::fs::read_to_string(super::under(root, "book.toml")) {
        return Some(toml_book(&text));
    }
    let text = std::fs::read_to_string(super::under(root, "book.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let field = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_string);
    Some(Book {
        title: field("title").filter(|t| !t.trim().is_empty()),
        language: field("language"),
        src: None,
    })
}

/// The `[book]` table's `title`, `language` and `src`: plain `key = "value"`
/// lines, which is how every book.toml writes them.
fn toml_book(text: &str) -> Book {
    let mut book = Book {
        src: Some("src".into()),
        ..Book::default()
    };
    let mut in_book = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_book = line == "[book]";
            continue;
        }
        let Some((key, value)) = line.split_once('=').filter(|_| in_book) else {
            continue;
        };
        let Some(value) = toml_string(value.trim()) else {
            continue;
        };
        match key.trim() {
            "title" if !value.trim().is_empty() => book.title = Some(value),
            "language" => book.language = Some(value),
            "src" if !value.trim().is_empty() => book.src = Some(value),
            _ => {}
        }
    }
    book
}

/// A one-line TOML string, basic (`"a \"b\""`) or literal (`'a'`).
fn toml_string(v: &str) -> Option<String> {
    if let Some(rest) = v.strip_prefix('\'') {
        return rest.split_once('\'').map(|(s, _)| s.to_string());
    }
    let rest = v.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                c => out.push(c),
            },
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_book_table() {
        let toml = "[book]\nauthors = [\"a\"]\ntitle = \"Rust 秘典（\\\"死灵书\\\"）\"\nlanguage = 'zh-CN'\nsrc = \"src_zh-CN\"\n\n[output.html]\ntitle = \"not this\"\n";
        assert_eq!(
            toml_book(toml),
            Book {
                title: Some("Rust 秘典（\"死灵书\"）".into()),
                language: Some("zh-CN".into()),
                src: Some("src_zh-CN".into()),
            }
        );
        assert_eq!(toml_book("[book]\n").src.as_deref(), Some("src"));
    }

    #[test]
    fn biji_yaml_wins_and_notes_stay_where_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("book.toml"),
            "[book]\ntitle = \"书\"\nsrc = \"s\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("s")).unwrap();
        let mut cfg = Config::default();
        cfg.fill_from_book(root, None);
        assert_eq!(
            (cfg.title.as_str(), cfg.notes_dir.to_str()),
            ("书", Some("s"))
        );
        let mut cfg = Config::default();
        cfg.fill_from_book(root, Some("title: 我的\nnotes_dir: notes\n"));
        assert_eq!(
            (cfg.title.as_str(), cfg.notes_dir.to_str()),
            ("", Some("notes"))
        );
        // A `notes/` folder is the notes, whatever the book says.
        std::fs::create_dir_all(root.join("notes")).unwrap();
        let mut cfg = Config::default();
        cfg.fill_from_book(root, None);
        assert_eq!(cfg.notes_dir.to_str(), Some("notes"));
    }
}
