//! What a whole build keeps of the output it replaces.

use std::path::Path;

/// Moves the entries of the old output whose names start with `.` (a
/// `gh-pages` worktree's `.git`, `.github/`, `.well-known/`), which no
/// build writes but its marker and `.nojekyll`, into the new one: a whole
/// build replaces the folder, and they are the user's. Returns their names.
pub(super) fn keep(old: &Path, new: &Path) -> Vec<std::ffi::OsString> {
    let Ok(entries) = std::fs::read_dir(old) else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name();
        let theirs = name.to_string_lossy().starts_with('.') && name != super::MARKER;
        if theirs && !new.join(&name).exists() && std::fs::rename(e.path(), new.join(&name)).is_ok()
        {
            kept.push(name);
        }
    }
    kept
}
