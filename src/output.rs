//! Writing the site: into a staging folder beside the output, swapped in only
//! when the whole build succeeded, so a failed build never leaves a broken or
//! half-written `public/`. biji only ever replaces folders it created itself.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

mod pid;
mod sink;
mod staging_sink;

pub(crate) use pid::process_alive;
use pid::staging_pid;

pub(crate) use sink::{Key, KeyLog, PageKeys, Sink};
pub(crate) use staging_sink::StagingSink;

/// File that marks a folder as biji's output (safe to replace).
pub(crate) const MARKER: &str = ".biji-output";

static STAGING_SEQ: AtomicU64 = AtomicU64::new(0);

/// A build's output under construction.
pub(crate) struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

/// `p` made absolute against the working folder, with symlinks and `..`
/// resolved as the system will once the folders exist, so two names of one
/// folder compare equal: `nope/../Documents` is `Documents` (checked as
/// written it was no folder of the user's, and was replaced once `nope`
/// had been made).
pub(crate) fn absolute(p: &Path) -> PathBuf {
    use std::path::Component;
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let mut out = PathBuf::new();
    for part in p.components() {
        match part {
            Component::CurDir => {}
            // The existing part is resolved already (symlinks followed), and
            // a folder still to be made is no link: its `..` is its parent.
            Component::ParentDir => _ = out.pop(),
            Component::Prefix(_) | Component::RootDir => out.push(part),
            Component::Normal(name) => {
                out.push(name);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    out
}

/// Refuses output folders that would destroy the user's files.
pub(crate) fn check_output(output: &Path, notes: &Path) -> Result<()> {
    let out = absolute(output);
    let notes = absolute(notes);
    if out == notes {
        bail!(
            "output folder `{}` is the notes folder; choose another with -o",
            output.display()
        );
    }
    if notes.starts_with(&out) {
        bail!(
            "output folder `{}` contains the notes folder `{}`; building would replace your notes. Choose another with -o",
            output.display(),
            notes.display()
        );
    }
    if out.starts_with(&notes) {
        bail!(
            "output folder `{}` is inside the notes folder; it would be read back as notes. Choose another with -o",
            output.display()
        );
    }
    // Anything there but a folder (a file, `/dev/null`, a pipe) would be
    // moved aside and replaced by the site.
    if let Ok(meta) = std::fs::metadata(&out) {
        if !meta.is_dir() {
            let what = if meta.is_file() {
                "a file"
            } else {
                "a device or other special file"
            };
            bail!(
                "output `{}` is {what}, not a folder; choose another with -o",
                output.display()
            );
        }
    }
    if out.is_dir() && !out.join(MARKER).exists() {
        let non_empty = std::fs::read_dir(&out)
            .with_context(|| format!("cannot read output folder `{}`", out.display()))?
            .next()
            .is_some();
        if non_empty {
            bail!(
                "output folder `{}` is not empty and was not created by biji; \
                 biji will not delete files it did not write. Empty or remove it, or choose another with -o",
                output.display()
            );
        }
    }
    Ok(())
}

/// Refuses an output folder inside the site's `templates/` or `static/`:
/// each build would copy the last site into itself, one level deeper.
pub(crate) fn check_output_theme(output: &Path, theme: [&Path; 2]) -> Result<()> {
    let out = absolute(output);
    for dir in theme {
        if out.starts_with(absolute(dir)) {
            bail!(
                "output folder `{}` is inside `{}`; every build would copy the site into itself. Choose another with -o",
                output.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

impl Staging {
    /// Checks the output folder and creates a fresh staging folder beside it.
    pub(crate) fn begin(output: &Path, notes: &Path) -> Result<Staging> {
        check_output(output, notes)?;
        let target = absolute(output);
        let parent = target
            .parent()
            .context("output folder has no parent")?
            .to_path_buf();
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        remove_staging(&target, Leftover::OfGoneProcesses);
        let dir = parent.join(format!(
            "{}{}-{}",
            staging_prefix(&name),
            std::process::id(),
            STAGING_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).ok();
        }
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create staging folder `{}`", dir.display()))?;
        std::fs::write(
            dir.join(MARKER),
            "This folder is generated by biji and replaced on every build.\n",
        )
        .with_context(|| format!("cannot write into `{}`", dir.display()))?;
        Ok(Staging {
            target,
            dir,
            committed: false,
        })
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The output folder this build replaces, absolute.
    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` at site-relative `rel`, creating folders as needed.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        write_under(&self.dir, rel, bytes, false)
    }

    /// Copies a file into the site at `rel`.
    pub(crate) fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        ensure_root(&self.dir)?;
        let to = self.dir.join(rel);
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p)
                .with_context(|| format!("cannot create `{}`", p.display()))?;
        }
        std::fs::copy(from, &to)
            .with_context(|| format!("cannot copy `{}` to `{}`", from.display(), to.display()))?;
        Ok(())
    }

    /// Swaps the finished site in for the old one, which goes to `dispose`
    /// (`false`: it did not take it, so it is deleted now).
    pub(crate) fn commit_with(mut self, dispose: impl FnOnce(&Path) -> bool) -> Result<PathBuf> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).with_context(|| {
                format!(
                    "cannot move the previous output `{}` aside",
                    self.target.display()
                )
            })?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                std::fs::rename(&old, &self.target).ok();
            }
            return Err(e).with_context(|| {
                format!("cannot move the new site into `{}`", self.target.display())
            });
        }
        self.committed = true;
        if had_old && !dispose(&old) {
            if let Err(e) = std::fs::remove_dir_all(&old) {
                log::warn!(
                    "could not remove the previous output `{}`: {e}",
                    old.display()
                );
            }
        }
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            std::fs::remove_dir_all(&self.dir).ok();
        }
    }
}

/// `.public.biji-tmp-`: staging folders of output `public` start so, then
/// the process id and a sequence number (`.old` after a swap).
fn staging_prefix(output_name: &str) -> String {
    format!(".{output_name}.biji-tmp-")
}

/// Which staging folders [`remove_staging`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leftover {
    /// Those of builds whose process is gone (killed, crashed, power cut).
    OfGoneProcesses,
    /// This process's own: it is being interrupted.
    Own,
}

/// Removes staging folders beside `output` left by interrupted builds, so
/// that a Ctrl-C never leaves hundreds of megabytes beside `public/` for
/// `git add .` to find. Only folders named as biji names them are touched.
pub(crate) fn remove_staging(output: &Path, which: Leftover) {
    let target = absolute(output);
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let prefix = staging_prefix(&name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name.strip_prefix(&prefix).and_then(staging_pid) else {
            continue;
        };
        let take = match which {
            Leftover::Own => pid == std::process::id(),
            Leftover::OfGoneProcesses => pid != std::process::id() && !process_alive(pid),
        };
        if take && e.path().is_dir() {
            log::debug!("removing the staging folder `{}`", e.path().display());
            // Moved aside first: workers still writing then find their folder
            // gone and stop, instead of racing the removal file by file.
            let mut path = e.path();
            if !file_name.ends_with(".old") {
                let aside = path.with_file_name(format!("{file_name}.old"));
                if std::fs::rename(&path, &aside).is_ok() {
                    path = aside;
                }
            }
            std::fs::remove_dir_all(&path).ok();
        }
    }
}

/// Removes `dir` and its parents while they are empty, up to (not including) `root`.
pub(crate) fn prune_empty_dirs(root: &Path, mut dir: Option<&Path>) {
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Writes a file under `root`, refusing paths that climb out of it. With
/// `atomic`, through a temporary file and a rename, so that a reader (serve's
/// browsers) sees the old bytes or the new ones, never a mix.
pub(crate) fn write_under(root: &Path, rel: &str, bytes: &[u8], atomic: bool) -> Result<()> {
    if rel.split('/').any(|s| s == "..") || rel.starts_with('/') {
        bail!("refusing to write outside the output folder: `{rel}`");
    }
    ensure_root(root)?;
    let path = root.join(rel);
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    if !atomic {
        return std::fs::write(&path, bytes)
            .with_context(|| format!("cannot write `{}`", path.display()));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.biji-new"));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write `{}`", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot write `{}`", path.display()))
}

/// A write never creates the output folder itself: once an interrupt has
/// removed it, the build's remaining writes fail instead of bringing it back.
fn ensure_root(root: &Path) -> Result<()> {
    if !root.is_dir() {
        bail!("the output folder `{}` is gone", root.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_leave_no_temporary_file() {
        let d = tempfile::tempdir().unwrap();
        write_under(d.path(), "a/b/index.html", b"x", true).unwrap();
        assert_eq!(
            std::fs::read(d.path().join("a/b/index.html")).unwrap(),
            b"x"
        );
        assert!(write_under(d.path(), "../x", b"x", true).is_err());
        let names: Vec<_> = std::fs::read_dir(d.path().join("a/b"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temp file left: {names:?}");
    }

    #[test]
    fn refuses_dangerous_outputs() {
        let d = tempfile::tempdir().unwrap();
        let notes = d.path().join("notes");
        std::fs::create_dir_all(&notes).unwrap();
        assert!(check_output(&notes, &notes).is_err());
        assert!(check_output(d.path(), &notes).is_err());
        assert!(check_output(&notes.join("out"), &notes).is_err());
        let foreign = d.path().join("mine");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "x").unwrap();
        let e = check_output(&foreign, &notes).unwrap_err().to_string();
        assert!(e.contains("not created by biji"), "{e}");
        assert!(check_output(&d.path().join("public"), &notes).is_ok());
        // A file or a device is never replaced by a folder.
        std::fs::write(d.path().join("file"), "x").unwrap();
        let e = check_output(&d.path().join("file"), &notes).unwrap_err();
        assert!(e.to_string().contains("is a file, not a folder"), "{e}");
        #[cfg(unix)]
        {
            let e = check_output(Path::new("/dev/null"), &notes).unwrap_err();
            assert!(e.to_string().contains("special file, not a folder"), "{e}");
        }
        let theme = [d.path().join("templates"), d.path().join("static")];
        let theme = [theme[0].as_path(), theme[1].as_path()];
        let e = check_output_theme(&d.path().join("static/pub"), theme).unwrap_err();
        assert!(e.to_string().contains("copy the site into itself"), "{e}");
        assert!(check_output_theme(&d.path().join("public"), theme).is_ok());
        // `..` after a folder that is not there yet names what it will name.
        let e = check_output(&d.path().join("nope/../mine"), &notes).unwrap_err();
        assert!(e.to_string().contains("not created by biji"), "{e}");
        let e = check_output(&notes.join("x/../../notes/../"), &notes).unwrap_err();
        assert!(e.to_string().contains("contains the notes folder"), "{e}");
        assert_eq!(
            absolute(&d.path().join("a/./b/../c")),
            absolute(&d.path().join("a/c"))
        );
    }

    #[test]
    fn staging_left_by_a_gone_process_is_removed_and_others_kept() {
        let d = tempfile::tempdir().unwrap();
        let notes = d.path().join("notes");
        std::fs::create_dir_all(&notes).unwrap();
        let out = d.path().join("public");
        // pid 0 is never a build's; u32::MAX - 1 is no live process.
        let gone = d
            .path()
            .join(format!(".public.biji-tmp-{}-0", u32::MAX - 1));
        let gone_old = d
            .path()
            .join(format!(".public.biji-tmp-{}-3.old", u32::MAX - 1));
        let not_ours = d
            .path()
            .join(format!(".public.biji-tmp-{}-0-mine", u32::MAX - 2));
        // A process that always runs: init/launchd, or Windows' System.
        let live_pid = if cfg!(windows) { 4 } else { 1 };
        let live = d.path().join(format!(".public.biji-tmp-{live_pid}-0"));
        for dir in [&gone, &gone_old, &not_ours, &live] {
            std::fs::create_dir_all(dir).unwrap();
        }
        let s = Staging::begin(&out, &notes).unwrap();
        assert!(
            !gone.exists() && !gone_old.exists(),
            "a dead build's folders are removed"
        );
        assert!(
            not_ours.exists(),
            "a name biji does not make is never touched"
        );
        assert!(live.exists(), "a live process's folder is kept");
        let own = s.dir().to_path_buf();
        remove_staging(&out, Leftover::Own);
        assert!(!own.exists());
    }

    #[test]
    fn failed_staging_leaves_old_output() {
        let d = tempfile::tempdir().unwrap();
        let notes = d.path().join("notes");
        std::fs::create_dir_all(&notes).unwrap();
        let out = d.path().join("public");
        let s = Staging::begin(&out, &notes).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit_with(|_| false).unwrap();
        {
            let s = Staging::begin(&out, &notes).unwrap();
            s.write("a/index.html", b"two").unwrap();
            // dropped without commit: a failed build
        }
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "one"
        );
        let leftovers = std::fs::read_dir(d.path()).unwrap().count();
        assert_eq!(leftovers, 2, "only notes/ and public/ remain");
    }
}
