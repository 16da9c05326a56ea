//! What a whole build keeps of the output it replaces.

use std::path::Path;

/// Moves the entries of the old output whose names start with `.` (a
/// `gh-pages` worktree's `.git`, `.github/`, `.well-known/`), which no
/// build writes but its marker and `.nojekyll`, into the new one: a whole
/// build replaces the folder, and they are the user's. Returns whether
/// every one moved (only then may the old folder go).
pub(super) fn keep(old: &Path, new: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(old) else {
        return false;
    };
    let mut all = true;
    for e in entries.flatten() {
        let name = e.file_name();
        let theirs = name.to_string_lossy().starts_with('.') && name != super::MARKER;
        if theirs && !new.join(&name).exists() {
            all &= std::fs::rename(e.path(), new.join(&name)).is_ok();
        }
    }
    all
}
