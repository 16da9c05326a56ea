//! Note dates from Git: the day a note last changed is its last commit's day,
//! not the file's modification time. A fresh checkout (GitHub Actions, a new
//! clone) gives every file the same modification time, which made every note
//! "updated today" and the home page's recent list meaningless.
//!
//! One `git log` over the notes folder gives every committed note's newest
//! author date; `git status` names the notes changed since, which keep their
//! file time (that is when they were last edited). Without Git, outside a
//! repository or with `git_dates: false`, file times are used throughout.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// Per note (path under the notes folder, `/`-separated): the day
/// (`YYYY-MM-DD`, in the author's time zone) of its last commit, for notes
/// that are committed and unchanged since. Empty when Git cannot tell.
pub(crate) fn last_commit_days(notes: &Path) -> HashMap<String, String> {
    // One call for both: the notes folder's path in the repository, and
    // whether the clone is shallow.
    let Some(info) = git(
        notes,
        &["rev-parse", "--show-prefix", "--is-shallow-repository"],
    ) else {
        log::debug!(
            "note dates: `{}` is not in a Git repository; using file times",
            notes.display()
        );
        return HashMap::new();
    };
    let mut lines = info.lines();
    let prefix = lines.next().unwrap_or("").to_string();
    if lines.next().is_some_and(|s| s.trim() == "true") {
        log::warn!(
            "this Git checkout is shallow, so every note seems to have changed in its newest commit; \
             fetch the whole history for true dates (GitHub Actions: `fetch-depth: 0` on actions/checkout)"
        );
    }
    let Some(log) = git(
        notes,
        &[
            "log",
            "--format=%x01%at %ad",
            "--date=short",
            "--name-only",
            "--no-renames",
            "--relative",
            "-z",
            "--",
            ".",
        ],
    ) else {
        return HashMap::new();
    };
    let mut days = newest_days(&log);
    if let Some(status) = git(
        notes,
        &[
            "status",
            "--porcelain",
            "-z",
            "--untracked-files=all",
            "--",
            ".",
        ],
    ) {
        for path in changed_paths(&status) {
            if let Some(rel) = path.strip_prefix(prefix.as_str()) {
                days.remove(rel);
            }
        }
    }
    days
}

/// The notes folder's path in its Git repository (`blog/notes/`, empty at
/// its root), or `None` outside one.
pub(crate) fn notes_prefix(notes: &Path) -> Option<String> {
    git(notes, &["rev-parse", "--show-prefix"]).map(|p| p.trim().to_string())
}

/// Runs `git -C dir ARGS` (paths printed as they are, not octal-quoted); its
/// output when it succeeded.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

/// From `git log --format=%x01%at %ad --name-only -z`: each path's day at its
/// newest author time. Records are `\x01TIME DAY`, then the commit's paths,
/// NUL-separated (the first path after a newline).
fn newest_days(log: &str) -> HashMap<String, String> {
    let mut newest: HashMap<String, (i64, String)> = HashMap::new();
    let mut current: Option<(i64, &str)> = None;
    for field in log.split('\0') {
        let field = field.trim_start_matches('\n');
        if let Some(header) = field.strip_prefix('\x01') {
            current = header
                .split_once(' ')
                .and_then(|(t, d)| Some((t.parse().ok()?, d.trim())));
            continue;
        }
        let Some((time, day)) = current else { continue };
        if field.is_empty() {
            continue;
        }
        match newest.get(field) {
            Some((t, _)) if *t >= time => {}
            _ => {
                newest.insert(field.to_string(), (time, day.to_string()));
            }
        }
    }
    newest.into_iter().map(|(p, (_, d))| (p, d)).collect()
}

/// The paths (from the repository root) that `git status --porcelain -z`
/// lists: changed, added, deleted, renamed (both names) or untracked.
fn changed_paths(status: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut fields = status.split('\0');
    while let Some(entry) = fields.next() {
        if entry.len() < 4 {
            continue;
        }
        let (code, path) = entry.split_at(3);
        out.push(path);
        // A rename or copy is followed by its old name.
        if code.starts_with(['R', 'C']) || code[1..].starts_with(['R', 'C']) {
            if let Some(old) = fields.next() {
                out.push(old);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_gives_the_day() {
        let log = "\x011614852000 2021-03-04\0\na.md\0\0\x011577959200 2020-01-02\0\na.md\0sub/中 文 \"q\".md\0";
        let days = newest_days(log);
        assert_eq!(days["a.md"], "2021-03-04");
        assert_eq!(days["sub/中 文 \"q\".md"], "2020-01-02");
        assert_eq!(days.len(), 2);
        // By author time, whatever order git printed the commits in.
        let log = "\x01100 1970-01-01\0\nb.md\0\0\x01200000 1970-01-03\0\nb.md\0";
        assert_eq!(newest_days(log)["b.md"], "1970-01-03");
    }

    #[test]
    fn status_paths_include_both_names_of_a_rename() {
        let status = " M notes/a.md\0R  notes/new.md\0notes/old.md\0?? notes/草稿.md\0";
        assert_eq!(
            changed_paths(status),
            [
                "notes/a.md",
                "notes/new.md",
                "notes/old.md",
                "notes/草稿.md"
            ]
        );
    }
}
