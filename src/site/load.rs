//! Reading one note: its text (UTF-8, with a clear error otherwise) and the
//! cheap first pass that gives its metadata.

use super::{day_of, default_title, file_stem, note_url, NoteMeta};
use crate::cache::manifest::mtime_of;
use crate::cache::{Kind, Store};
use crate::config::NotesDir;
use crate::diagnostic::Diagnostic;
use crate::discover::Found;
use crate::frontmatter;
use crate::markdown;
use anyhow::{Context, Result};
use std::path::Path;

fn hash_str(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// A note's text. Notes must be UTF-8; the usual other encoding of Chinese
/// notes (GBK, from Windows editors) gets a message with the line of the first
/// byte that is not UTF-8 and the command that converts the file.
/// `file` is the note as messages name it (`notes/a.md`, see [`NotesDir`]).
pub(crate) fn read_note(abs: &Path, file: &str) -> Result<String> {
    let bytes = std::fs::read(abs)
        .with_context(|| Diagnostic::at(file, format!("cannot read note `{file}`")).verbatim())?;
    if let Some(e) = Diagnostic::other_unicode(&bytes, file, "; notes must be UTF-8") {
        return Err(e.into());
    }
    let mut text = Diagnostic::utf8_or(bytes, file, |byte| {
        format!(
            "not UTF-8 text (byte 0x{byte:02X}); notes must be UTF-8. \
             A Chinese note saved as GBK converts with `iconv -f GBK -t UTF-8 {file} -o x.md && mv x.md {file}`; \
             a file that is not text belongs under another extension than .md"
        )
    })?;
    // CommonMark (2.3) replaces NUL with U+FFFD; pulldown-cmark passes it on,
    // into the page's text, code and HTML. One character for one: lines and
    // columns (counted in characters) stay where they were.
    crate::frontmatter::replace_nul(&mut text);
    lone_cr_to_lf(&mut text);
    Ok(text)
}

/// A lone CR (classic Mac OS line endings) ends a line, as in CommonMark
/// (4.1); the scan, the front matter and line numbers look for `\n`, so it
/// becomes one, a character for a character.
fn lone_cr_to_lf(text: &mut String) {
    let b = text.as_bytes();
    let lone: Vec<usize> = memchr::memchr_iter(b'\r', b)
        .filter(|&i| b.get(i + 1) != Some(&b'\n'))
        .collect();
    if lone.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for i in lone {
        bytes[i] = b'\n';
    }
    // ASCII for ASCII: still UTF-8.
    *text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// [`load_note`] through the build cache: a note whose file has the size,
/// modification time and Markdown options of a cached first pass is not
/// read at all (a file rewritten with equal size in the same nanosecond
/// would be missed, as by make; its body's key still hashes the source).
pub(crate) fn load_note_cached(
    found: &Found,
    dir: &NotesDir,
    syntax: &markdown::Syntax,
    store: Option<&Store>,
) -> Result<NoteMeta> {
    let Some(store) = store else {
        return load_note(found, dir, syntax);
    };
    let Ok(m) = std::fs::metadata(&found.abs) else {
        return load_note(found, dir, syntax);
    };
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    use std::hash::{Hash, Hasher};
    (&found.rel, m.len(), mtime_of(&m), syntax).hash(&mut h);
    let key = h.finish();
    let cached = store.get(Kind::NoteMeta, key);
    if let Some(mut n) = cached.and_then(|b| postcard::from_bytes::<NoteMeta>(&b).ok()) {
        n.abs = found.abs.clone();
        return Ok(n);
    }
    let n = load_note(found, dir, syntax)?;
    if let Ok(bytes) = postcard::to_allocvec(&n) {
        store.put(Kind::NoteMeta, key, &bytes);
    }
    Ok(n)
}

/// Reads one note and runs the cheap first pass on it.
pub(crate) fn load_note(
    found: &Found,
    dir: &NotesDir,
    syntax: &markdown::Syntax,
) -> Result<NoteMeta> {
    let file = dir.file(&found.rel);
    let text = read_note(&found.abs, &file)?;
    let modified = std::fs::metadata(&found.abs)
        .and_then(|m| m.modified())
        .map(day_of)
        .unwrap_or_default();
    meta_from_text(found, &file, &text, modified, syntax)
}

/// The first pass on a note's text; `file` names it in messages.
fn meta_from_text(
    found: &Found,
    file: &str,
    text: &str,
    modified: String,
    syntax: &markdown::Syntax,
) -> Result<NoteMeta> {
    let split = frontmatter::split(text, file)?;
    if split.not_fields {
        log::warn!(
            "{file}:1: the `---` block at the top holds no `key: value` fields, so it shows as text; \
             write fields there if it is front matter, or start the note with a line of text above the `---`"
        );
    }
    if split.unclosed {
        log::warn!(
            "{file}:1: the `---` at the top opens front matter that is never closed, so it shows as text; add a `---` line after it"
        );
    }
    for (line, written) in &split.front.read_as_text {
        log::warn!(
            "{file}:{line}: `{written}` is read as text; put quotes around the value (`title: \"a: b\"`) so that other tools read it too"
        );
    }
    let date_at = split.key_at("date");
    let created_at = split.key_at("created");
    // Hugo's `lastmod` and Jekyll's `last_modified_at` when `updated` is not set.
    let updated_key = ["updated", "lastmod", "last_modified_at"]
        .into_iter()
        .find(|k| split.key_line(k).is_some())
        .unwrap_or("updated");
    let updated_at = split.key_at(updated_key);
    let fm = split.front;
    let scan = markdown::scan(split.body, split.body_line_offset, syntax);
    let stem = file_stem(&found.rel).to_string();
    let folder = found
        .rel
        .rsplit_once('/')
        .map(|(f, _)| f.to_string())
        .unwrap_or_default();
    let title = fm
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        // Several H1s are the note's sections (as Typora notes often use
        // them), the first no title of the whole: the file name is.
        .or_else(|| {
            scan.h1
                .clone()
                .filter(|t| !t.is_empty() && single_h1(&scan))
        });
    let title_from_file = title.is_none();
    let title = title.unwrap_or_else(|| file_title(&found.rel));
    // A post hexo-blog-encrypt would lock is not published open.
    let locked = (fm.password.as_ref()).is_some_and(|p| !p.is_null() && p.as_str() != Some(""));
    if locked && !fm.draft {
        log::warn!("{file}: it has a `password` (hexo-blog-encrypt), which a static page cannot keep: left out as a draft (--drafts publishes it)");
    }
    let date = match (&fm.date, &fm.created) {
        (Some(v), _) => Some(frontmatter::date_string(v, file, date_at, "date")?),
        // Another tool's key: a value that is no date is no reason to stop.
        (None, Some(v)) => frontmatter::date_string(v, file, created_at, "created")
            .map_err(|e| {
                log::warn!("{e} (the note has no `date:`, so its date comes from Git or the file)")
            })
            .ok(),
        (None, None) => None,
    }
    // Jekyll's and Hexo's posts: `2020-01-31-标题.md`.
    .or_else(|| dated_name(&stem).map(|(day, _)| day.to_string()));
    let updated = (fm.updated.as_ref())
        .or(fm.lastmod.as_ref())
        .or(fm.last_modified_at.as_ref())
        .map(|v| frontmatter::date_string(v, file, updated_at, updated_key))
        .transpose()?;
    let mut tags: Vec<String> = Vec::new();
    for t in fm
        .tags
        .clone()
        .map(|t| t.into_tags())
        .into_iter()
        .chain(fm.topics.clone().map(|t| t.into_tags()))
        .chain(
            [&fm.tag, &fm.categories, &fm.category]
                .into_iter()
                .flat_map(|t| t.clone().map(|t| t.into_tags())),
        )
        .flatten()
        .chain(scan.inline_tags.iter().cloned())
    {
        // Obsidian writes tags as in the text (`"#python"`).
        let mut t = t.trim().trim_start_matches('#').trim().to_string();
        // `categories: "\0"`: a NUL in a topic's folder name stopped the build.
        frontmatter::replace_nul(&mut t);
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    let sort_key = note_sort_key(&stem, &title);
    Ok(NoteMeta {
        rel: found.rel.clone(),
        abs: found.abs.clone(),
        url: note_url(&found.rel),
        folder,
        stem,
        sort_key,
        title: title.trim().to_string(),
        date,
        updated,
        modified,
        tags,
        aliases: fm
            .aliases
            .clone()
            .map(|a| a.into_vec())
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        description: fm.description.clone().filter(|d| !d.trim().is_empty()),
        typora_root: match &fm.typora_root_url {
            Some(serde_yaml::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().into()),
            _ => None,
        },
        draft: fm.draft || fm.publish == Some(false) || locked,
        scan,
        source_hash: hash_str(text),
        href: String::new(),
        folder_page: false,
        title_from_file,
    })
}

/// The title of a note that gives none: its file's name (a folder's page,
/// its folder's), without the day a post's name starts with.
pub(super) fn file_title(rel: &str) -> String {
    let title = default_title(rel);
    // `2022-01-27-160420` (a time, as Obsidian names notes) keeps it.
    dated_name(title)
        .filter(|(_, name)| !name.bytes().all(|b| b.is_ascii_digit()))
        .map_or(title, |(_, name)| name)
        .trim()
        .to_string()
}

/// Whether the note has one H1 only, which may then be its title.
fn single_h1(scan: &markdown::Scan) -> bool {
    scan.headings
        .iter()
        .filter(|h| h.level == 1)
        .nth(1)
        .is_none()
}

/// A file name that starts with its day, as Jekyll names posts
/// (`2020-01-31-标题`): the day (a real one) and the rest.
fn dated_name(stem: &str) -> Option<(&str, &str)> {
    let day = stem.get(..10)?;
    let rest = stem[10..].strip_prefix(['-', '_', ' '])?;
    // A real day (not 2021-02-30), as front matter's must be.
    (frontmatter::is_date(day) && !rest.trim().is_empty()).then_some((day, rest))
}

/// A note's place in its folder: by title, but notes whose file names
/// start with a number (`01-Java基础.md`, `2 进程.md`) first, in the order
/// their authors numbered them, as GitHub lists the files.
fn note_sort_key(stem: &str, title: &str) -> String {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &stem[digits..];
    let numbered = (1..=18).contains(&digits)
        && (rest.is_empty() || rest.starts_with(['-', '_', '.', ' ', '、', '．']));
    let title_key = crate::collate::sort_key(title);
    match numbered
        .then(|| stem[..digits].parse::<u64>().ok())
        .flatten()
    {
        Some(n) => format!("\u{1}{n:020}\u{1}{title_key}"),
        None => title_key,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn posts_named_by_their_day_give_it() {
        use super::dated_name;
        assert_eq!(dated_name("2020-01-31-标题"), Some(("2020-01-31", "标题")));
        assert_eq!(
            dated_name("2020-01-31 hello world"),
            Some(("2020-01-31", "hello world"))
        );
        for odd in [
            "2020-13-01-x",
            "2021-02-30-x",
            "2020-01-31",
            "2020-01-31-",
            "20200131-x",
            "第2020-01-31-x",
            "2020-0一-31-x",
        ] {
            assert_eq!(dated_name(odd), None, "{odd}");
        }
    }
}
