//! Keeps what biji generates (the build output, the build cache) out of Git by
//! adding it to `.gitignore`.

use anyhow::{Context, Result};
use std::path::Path;

/// Appends `/FOLDER/`, under its comment, to `.gitignore` (creating it) for
/// each `(folder, comment)` no line ignores yet; true when anything was
/// appended. The file sits in the site folder, so the leading `/` anchors each
/// entry there even when the site is a subfolder of the repository. Appending
/// keeps the user's own lines, and an older site gets just what it lacks.
pub(super) fn ignore_folders(path: &Path, folders: &[(&str, &str)]) -> Result<bool> {
    let current = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let missing: Vec<_> = folders
        .iter()
        .filter(|(folder, _)| !ignores(&current, folder))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let mut text = current;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for (folder, why) in missing {
        text.push_str(&format!("# {why}\n/{folder}/\n"));
    }
    std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(true)
}

/// Whether a line of `gitignore` names `folder`, with or without the slashes.
fn ignores(gitignore: &str, folder: &str) -> bool {
    gitignore.lines().map(str::trim).any(|l| {
        let l = l.trim_start_matches('/').trim_end_matches('/');
        l == folder
    })
}
