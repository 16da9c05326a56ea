//! Files that notes link to inside hidden folders (`.assets/`, `.assert/`,
//! as some Typora users keep their pictures): the editor shows them, so the
//! site copies them, although discovery leaves hidden folders out, most of
//! them being a tool's (`.git/`, `.obsidian/`, `.trash/`).

use super::{join, NoteMeta};
use crate::discover::Found;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Hidden folders that hold a tool's files, never published, linked or not.
const TOOL_FOLDERS: &[&str] = &[
    ".git",
    ".obsidian",
    ".trash",
    ".vscode",
    ".idea",
    ".github",
    ".svn",
    ".hg",
    ".foam",
    ".venv",
    ".cache",
    ".biji-cache",
];

/// The files in hidden folders that `notes` link to, which exist, lie
/// inside the notes folder and are not among `assets` already; sorted.
pub(super) fn linked_hidden_files(notes: &[NoteMeta], assets: &[Found]) -> Vec<Found> {
    let Some(root) = notes_root(notes) else {
        return Vec::new();
    };
    let known: HashSet<&str> = assets.iter().map(|a| a.rel.as_str()).collect();
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut inside = None;
    for n in notes {
        for link in n.links() {
            let Some(rel) = hidden_target(n.dir(), &link.dest) else {
                continue;
            };
            if found.contains_key(&rel) || known.contains(rel.as_str()) {
                continue;
            }
            let abs = root.join(&rel);
            // A link out of the notes folder through a symbolic link is refused.
            let inside = inside.get_or_insert_with(|| root.canonicalize().ok());
            let real = abs.canonicalize().ok();
            let within = real
                .zip(inside.as_ref())
                .is_some_and(|(r, i)| r.starts_with(i));
            if within && abs.is_file() {
                found.insert(rel, abs);
            }
        }
    }
    found
        .into_iter()
        .map(|(rel, abs)| Found { abs, rel })
        .collect()
}

/// The notes folder: a note's path without its `rel`.
fn notes_root(notes: &[NoteMeta]) -> Option<PathBuf> {
    let n = notes.first()?;
    let depth = n.rel.split('/').count();
    n.abs.ancestors().nth(depth).map(Path::to_path_buf)
}

/// The path under the notes folder that `dest`, written in a note in
/// `dir`, names when that is a file (no note, no hidden file itself) in a
/// hidden folder that is no tool's: `sub/.assert/x/a.png` for
/// `/sub/.assert/x/a.png` or, from `sub/`, `.assert/x/a.png`.
fn hidden_target(dir: &str, dest: &str) -> Option<String> {
    // Most links have no hidden part: ruled out before any work.
    if !(dest.contains("/.") || dest.starts_with('.')) {
        return None;
    }
    let path = dest.split(['#', '?', '|']).next()?.trim();
    if crate::url::is_external(path) {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let rel = match decoded.strip_prefix('/') {
        Some(rooted) => join("", rooted)?,
        None => join(dir, &decoded)?,
    };
    published_when_linked(&rel).then_some(rel)
}

/// Whether the file at `rel` (under the notes folder) is one that is
/// published when a note links to it: in a hidden folder that is no
/// tool's, and neither a note nor a hidden file itself.
pub(crate) fn published_when_linked(rel: &str) -> bool {
    let Some((folders, file)) = rel.rsplit_once('/') else {
        return false;
    };
    if file.starts_with('.') || crate::discover::is_markdown(Path::new(file)) {
        return false;
    }
    let mut hidden = folders.split('/').filter(|f| f.starts_with('.')).peekable();
    let tool = |f: &str| TOOL_FOLDERS.iter().any(|t| t.eq_ignore_ascii_case(f));
    hidden.peek().is_some() && !hidden.any(tool)
}

#[cfg(test)]
mod tests {
    use super::hidden_target;

    #[test]
    fn only_files_in_hidden_folders_of_no_tool_are_taken() {
        for (dir, dest, rel) in [
            ("sub", "/sub/.assert/x/a.png", Some("sub/.assert/x/a.png")),
            ("sub", ".assets/b.png", Some("sub/.assets/b.png")),
            (
                "sub",
                "./.assets/%E5%9B%BE.png#x",
                Some("sub/.assets/图.png"),
            ),
            ("sub", "../.images/c.png|300", Some(".images/c.png")),
            ("", ".obsidian/plugins/x.js", None),
            ("", ".Trash/old.png", None),
            ("", ".assets/note.md", None),
            ("", "sub/.env", None),
            ("", "../../.assets/a.png", None),
            ("", "https://a.com/.well-known/x.png", None),
            ("", "images/a.png", None),
        ] {
            assert_eq!(hidden_target(dir, dest).as_deref(), rel, "{dest}");
        }
    }
}
