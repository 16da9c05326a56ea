//! Keeps the build output out of Git by adding it to `.gitignore`.

use anyhow::{Context, Result};
use std::path::Path;

/// Adds `/OUTPUT/` to `.gitignore` (creating it) unless a line already ignores
/// it: the build output is made by CI and should not be committed. Appending
/// keeps the user's own lines, so this is no overwrite.
pub(super) fn ignore_output(path: &Path, output: &str) -> Result<bool> {
    let current = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let already = current.lines().map(str::trim).any(|l| {
        let l = l.trim_start_matches('/').trim_end_matches('/');
        l == output
    });
    if already {
        return Ok(false);
    }
    let mut text = current;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "# biji's build output (published by CI, not committed)\n/{output}/\n"
    ));
    std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(true)
}
