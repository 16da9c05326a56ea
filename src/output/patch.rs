//! Updating the output folder in place (a build that kept the last one's
//! unchanged files) as one step that can be undone: every file it replaces
//! or removes is first moved aside, so that when a move fails part way (a
//! folder of `public/` that a `sudo` build left owned by root, a full disk)
//! the folder is put back as it was, and a failed build leaves it unchanged.

use super::prune_empty_dirs;
use anyhow::{Context, Result};
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};

/// The folder, inside the staging folder (removed with it), where replaced
/// and removed files wait until the update is through.
const ASIDE: &str = ".biji-replaced";

/// What the update did so far, to undo in reverse.
#[derive(Default)]
struct Undo {
    /// (where a file of the output now is, aside; where it was).
    aside: Vec<(PathBuf, PathBuf)>,
    /// New files moved into the output folder.
    placed: Vec<PathBuf>,
}

impl Undo {
    /// Puts the output folder back as it was; what cannot be put back is
    /// logged (the error that stopped the update is what the user sees).
    fn undo(self, target: &Path) {
        for new in self.placed.iter().rev() {
            if let Err(e) = std::fs::remove_file(new) {
                log::warn!("cannot remove `{}` again: {e}", new.display());
            }
            prune_empty_dirs(target, new.parent());
        }
        for (now, was) in self.aside.iter().rev() {
            if let Some(dir) = was.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            if let Err(e) = std::fs::rename(now, was) {
                log::warn!("cannot put `{}` back: {e}", was.display());
            }
        }
    }
}

/// Moves the `written` files from `staging` into `target` and removes
/// `vanished` ones (site-relative paths), all or nothing.
pub(super) fn patch(
    staging: &Path,
    target: &Path,
    vanished: &[&String],
    written: &FxHashSet<String>,
) -> Result<()> {
    let mut undo = Undo::default();
    match apply(staging, target, vanished, written, &mut undo) {
        Ok(()) => {
            for rel in vanished {
                prune_empty_dirs(target, target.join(rel).parent());
            }
            Ok(())
        }
        Err(e) => {
            undo.undo(target);
            Err(e.context(format!(
                "the output folder `{}` was left as it was",
                target.display()
            )))
        }
    }
}

fn apply(
    staging: &Path,
    target: &Path,
    vanished: &[&String],
    written: &FxHashSet<String>,
    undo: &mut Undo,
) -> Result<()> {
    let aside = staging.join(ASIDE);
    for rel in vanished {
        move_aside(target, &aside, rel, undo)
            .with_context(|| format!("cannot remove `{}`", target.join(rel).display()))?;
    }
    for rel in written {
        let to = target.join(rel);
        move_aside(target, &aside, rel, undo)
            .with_context(|| format!("cannot replace `{}`", to.display()))?;
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create `{}`", dir.display()))?;
        }
        std::fs::rename(staging.join(rel), &to)
            .with_context(|| format!("cannot move the new `{}` into place", to.display()))?;
        undo.placed.push(to);
    }
    Ok(())
}

/// Moves `target/rel` into `aside`, if it is there.
fn move_aside(target: &Path, aside: &Path, rel: &str, undo: &mut Undo) -> std::io::Result<()> {
    let was = target.join(rel);
    if std::fs::symlink_metadata(&was).is_err() {
        return Ok(());
    }
    let now = aside.join(rel);
    if let Some(dir) = now.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::rename(&was, &now)?;
    undo.aside.push((now, was));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(root: &Path) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        out.sort();
        out
    }

    fn put(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn an_update_replaces_adds_and_removes() {
        let (s, t) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        put(t.path(), "a/index.html", "old a");
        put(t.path(), "gone/index.html", "old gone");
        put(s.path(), "a/index.html", "new a");
        put(s.path(), "b/c/index.html", "new c");
        let written: FxHashSet<String> = ["a/index.html", "b/c/index.html"]
            .map(String::from)
            .into_iter()
            .collect();
        let gone = "gone/index.html".to_string();
        patch(s.path(), t.path(), &[&gone], &written).unwrap();
        assert_eq!(
            files(t.path()),
            [
                ("a/index.html".into(), "new a".into()),
                ("b/c/index.html".into(), "new c".into())
            ]
        );
        assert!(!t.path().join("gone").exists());
    }

    /// A move that fails part way (here: a new page whose folder's name is
    /// taken by a file, so the folder cannot be made) puts back what was
    /// already done.
    #[test]
    fn a_failed_update_leaves_the_folder_as_it_was() {
        let (s, t) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        put(t.path(), "a/index.html", "old a");
        put(t.path(), "gone/index.html", "old gone");
        put(t.path(), "z", "a file where a folder goes");
        let before = files(t.path());
        put(s.path(), "a/index.html", "new a");
        put(s.path(), "new/index.html", "new");
        put(s.path(), "z/index.html", "new z");
        let written: FxHashSet<String> = ["a/index.html", "new/index.html", "z/index.html"]
            .map(String::from)
            .into_iter()
            .collect();
        let gone = "gone/index.html".to_string();
        let e = patch(s.path(), t.path(), &[&gone], &written).unwrap_err();
        assert!(format!("{e:#}").contains("was left as it was"), "{e:#}");
        assert_eq!(files(t.path()), before);
        assert!(!t.path().join("new").exists());
    }
}
