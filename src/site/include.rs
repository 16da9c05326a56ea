//! The files mdBook's `{{#include}}` puts in code blocks (see
//! `markdown::include`): found from the including note's folder, as mdBook
//! finds them, and only inside the site's folder (a book keeps its
//! `listings/` beside `src/`, so the notes folder alone is too narrow; a
//! note cannot read the rest of the disk into a page).

use crate::markdown::include;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The largest file an include reads: a listing is a few KB; a page with a
/// log or a data file past this is no page to read.
pub(crate) const MAX_BYTES: u64 = 4 << 20;

/// The text `spec` (`path[:lines or anchor]`, from note file `note` at
/// `rel` in the notes folder) stands for, or why there is none, for a
/// message. A path from `@/` is from the notes folder, as VitePress reads it.
pub(crate) fn include_text(
    root: &Path,
    (note, rel): (&Path, &str),
    spec: &str,
) -> Result<String, String> {
    let (path, pick) = include::split(spec);
    let file = match path.strip_prefix("@/") {
        // The notes folder: the note's file, up as many folders as its
        // path has parts.
        Some(from_notes) => {
            let notes = note.ancestors().nth(rel.split('/').count());
            locate(root, notes.unwrap_or(Path::new("")), from_notes)?
        }
        None => locate(root, note.parent().unwrap_or(Path::new("")), path)?,
    };
    let shown = file
        .strip_prefix(root)
        .unwrap_or(&file)
        .to_string_lossy()
        .replace('\\', "/");
    let text = read(&file, &shown)?;
    include::select(&text, pick).ok_or_else(|| {
        format!(
            "`{shown}` has no `ANCHOR: {pick}` or `#region {pick}` (the marks of a part of a file)"
        )
    })
}

/// `path` from the folder `dir`, if it stays inside `root`.
fn locate(root: &Path, dir: &Path, path: &str) -> Result<PathBuf, String> {
    let outside =
        || format!("`{path}` is outside the site's folder; an include reads files inside it");
    if path.is_empty() || Path::new(path).is_absolute() {
        return Err(outside());
    }
    let file = normal(&dir.join(path));
    // Normal, the path's `..` all lead it: past the root's own, it left.
    match file.strip_prefix(normal(root)) {
        Ok(rest) if !rest.components().any(|c| c == Component::ParentDir) => Ok(file),
        _ => Err(outside()),
    }
}

/// `p` with `.` and `x/..` taken out, without asking the disk (a link
/// may lead nowhere yet, and the bound is on the path as written).
fn normal(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    out.iter().collect()
}

fn read(file: &Path, shown: &str) -> Result<String, String> {
    let f = std::fs::File::open(file).map_err(|_| format!("no file `{shown}`"))?;
    if f.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!("`{shown}` is a folder, not a file"));
    }
    let mut bytes = Vec::new();
    f.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "`{shown}` is over {} MB, more than an include shows",
            MAX_BYTES >> 20
        ));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_inside_the_site() {
        let root = Path::new("site");
        // The folder of `site/src/ch02.md`.
        let note = Path::new("site/src");
        assert_eq!(
            locate(root, note, "../listings/a.rs").unwrap(),
            Path::new("site/listings/a.rs")
        );
        assert!(locate(root, note, "../../etc/passwd").is_err());
        assert!(locate(root, note, "/etc/passwd").is_err());
        assert!(locate(Path::new(""), Path::new("src"), "../../x").is_err());
        assert!(locate(Path::new("."), Path::new("src"), "../../x").is_err());
        assert!(locate(Path::new("../s"), Path::new("../s/src"), "../../x").is_err());
        assert!(locate(Path::new("../s"), Path::new("../s/src"), "../x").is_ok());
        assert_eq!(
            locate(Path::new(""), Path::new("src"), "./b/../c.rs").unwrap(),
            Path::new("src/c.rs")
        );
    }

    #[test]
    fn reads_and_picks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(
            root.join("a.rs"),
            "// ANCHOR: x\nfn x() {}\n// ANCHOR_END: x\n",
        )
        .unwrap();
        let note = root.join("src/sub/n.md");
        let note = (note.as_path(), "sub/n.md");
        assert_eq!(
            include_text(root, note, "../../a.rs:x").unwrap(),
            "fn x() {}"
        );
        let e = include_text(root, note, "../../a.rs:y").unwrap_err();
        assert!(e.contains("`a.rs` has no `ANCHOR: y`"), "{e}");
        let e = include_text(root, note, "../../b.rs").unwrap_err();
        assert!(e.contains("no file `b.rs`"), "{e}");
        std::fs::write(root.join("src/c.js"), "c\n").unwrap();
        assert_eq!(include_text(root, note, "@/c.js").unwrap(), "c");
        let e = include_text(root, note, "..").unwrap_err();
        assert!(e.contains("is a folder"), "{e}");
    }
}
