//! Finds the notes and their companion files (images, PDFs) under `notes/`.

use anyhow::Result;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A file found under the notes folder, with its path relative to that folder
/// (always `/`-separated so URLs and messages look the same on every OS).
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub abs: PathBuf,
    pub rel: String,
}

/// What discovery found, in sorted order so builds are reproducible.
#[derive(Debug, Default, Clone)]
pub(crate) struct Discovered {
    pub notes: Vec<Found>,
    pub assets: Vec<Found>,
    /// The notes are an Obsidian vault (a `.obsidian/` folder in `notes/`
    /// or beside it): its conventions apply where GitHub's would not.
    pub obsidian: bool,
    /// How messages name the notes folder (set by the caller, which knows
    /// how `biji.yaml` names it; `notes` until then).
    pub dir: crate::config::NotesDir,
}

/// True for Markdown sources (MDX's too, as Docusaurus writes them).
pub(crate) fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()),
        Some(ref e) if e == "md" || e == "markdown" || e == "mdx"
    )
}

/// GitBook keeps a book's uploads (images, files) in `.gitbook/assets/`:
/// the one hidden folder whose files are published. Its Markdown (reusable
/// blocks in `.gitbook/includes/`) is no page.
const GITBOOK: &str = ".gitbook";

/// Editor droppings and hidden files that must never become pages or trigger
/// rebuilds: vim swap/backup and its `4913` probe, emacs lock and autosave
/// files, JetBrains safe-write temps, helix/kate backups, `~` backups.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    (name.starts_with('.') && name != GITBOOK)
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.contains("___jb_")
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bck",
            ".kate-swp",
            ".crdownload",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Files and folders under the notes folder left out of the site (`exclude:`
/// in biji.yaml), each pattern read as `.gitignore` reads one: without a
/// `/` it is a name at any depth (`index.html`, `node_modules`, `*.tmp.md`),
/// with one a path from the notes folder (`docs/index.html`, `drafts/*`).
/// A folder left out takes everything in it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Exclude(Option<globset::GlobSet>);

impl Exclude {
    /// The patterns as a set; the error names the first that is no glob.
    pub(crate) fn new(patterns: &[String]) -> Result<Exclude, String> {
        if patterns.is_empty() {
            return Ok(Exclude(None));
        }
        let mut set = globset::GlobSetBuilder::new();
        for p in patterns {
            let trimmed = p.trim().trim_start_matches("./").trim_end_matches('/');
            let glob = match trimmed.strip_prefix('/') {
                Some(rooted) => rooted.to_string(),
                None if trimmed.contains('/') => trimmed.to_string(),
                None => format!("**/{trimmed}"),
            };
            let glob = globset::GlobBuilder::new(&glob)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("exclude pattern `{p}` is not a glob: {}", e.kind()))?;
            set.add(glob);
        }
        let set = set.build().map_err(|e| e.to_string())?;
        Ok(Exclude(Some(set)))
    }

    /// Whether the file or folder at `rel` (from the notes folder) is left out.
    pub(crate) fn excludes(&self, rel: &str) -> bool {
        self.0.as_ref().is_some_and(|s| s.is_match(rel))
    }

    /// Whether `path` (under `notes_dir`) is left out; its relative path is
    /// only made when there are patterns.
    fn excludes_path(&self, notes_dir: &Path, path: &Path) -> bool {
        self.0.is_some() && self.excludes(&rel_path(notes_dir, path))
    }
}

/// Walks `notes_dir` (sorted by file name) and sorts the files into notes
/// and assets, leaving out what `exclude` names.
pub(crate) fn discover(notes_dir: &Path, exclude: &Exclude) -> Result<Discovered> {
    if notes_dir.exists() && !notes_dir.is_dir() {
        anyhow::bail!(
            "notes folder `{}` is a file, not a folder: move your Markdown files into a folder of that name, or set `notes_dir` in biji.yaml",
            notes_dir.display()
        );
    }
    if !notes_dir.is_dir() {
        anyhow::bail!(
            "notes folder `{}` not found: create it and put Markdown files in it, or pass --root",
            notes_dir.display()
        );
    }
    let mut out = Discovered::default();
    let vault = |dir: &Path| dir.join(".obsidian").is_dir();
    out.obsidian = vault(notes_dir) || notes_dir.parent().is_some_and(vault);
    let inside = notes_dir
        .canonicalize()
        .unwrap_or_else(|_| notes_dir.to_path_buf());
    let walker = WalkDir::new(notes_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(is_ignored_name(&e.file_name().to_string_lossy())
                    || exclude.excludes_path(notes_dir, e.path()))
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // Emacs marks a note with unsaved changes by a link to nowhere,
            // `.#note.md`: a name left out may fail to be followed, and it
            // is still left out.
            Err(e)
                if e.path()
                    .and_then(Path::file_name)
                    .is_some_and(|n| is_ignored_name(&n.to_string_lossy())) =>
            {
                continue
            }
            Err(e) => return Err(walk_error(notes_dir, e)),
        };
        let kind = entry.file_type();
        if !kind.is_file() && !kind.is_dir() {
            // A pipe, socket or device (as a symbolic link to /dev/zero is)
            // has no text to publish: said, not skipped in silence.
            log::warn!(
                "`{}` is not a regular file (a pipe, socket or device); skipped",
                entry.path().display()
            );
            continue;
        }
        if entry.path_is_symlink() {
            warn_if_outside(entry.path(), &inside);
        }
        if !kind.is_file() {
            continue;
        }
        let abs = entry.path().to_path_buf();
        let rel = rel_path(notes_dir, &abs);
        if abs
            .strip_prefix(notes_dir)
            .is_ok_and(|r| r.to_str().is_none())
        {
            // Shown with U+FFFD for the bytes that are not UTF-8: two such
            // names can become one, and no link can name the file.
            log::warn!(
                "{abs:?}: a file or folder name in this path is not UTF-8 (an old GBK \
                 archive?); it is published as `{rel}`; rename it in UTF-8"
            );
        }
        let found = Found { abs, rel };
        if is_markdown(&found.abs) {
            if !found.rel.split('/').any(|part| part == GITBOOK) {
                out.notes.push(found);
            }
        } else {
            out.assets.push(found);
        }
    }
    Ok(out)
}

/// `path` under `root` as the site names files: `/`-separated on every
/// system, each part as the file system has it.
pub(crate) fn rel_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Everything under `notes/` is published: a link that leads out of it
/// (`ln -s ~/somedir notes/keys`) publishes whatever is there, keys included.
fn warn_if_outside(link: &Path, notes: &Path) {
    let Ok(target) = link.canonicalize() else {
        return; // a broken link is reported by the walk
    };
    if !target.starts_with(notes) {
        log::warn!(
            "`{}` is a symbolic link to `{}`, outside the notes folder: everything in it is published; remove the link if that is not meant",
            link.display(),
            target.display()
        );
    }
}

/// A walk error as a message that names the file and says what to do
/// (walkdir's own repeats the OS error and names no fix).
fn walk_error(notes_dir: &Path, e: walkdir::Error) -> anyhow::Error {
    let path = e.path().unwrap_or(notes_dir);
    if let Some(ancestor) = e.loop_ancestor() {
        return anyhow::anyhow!(
            "`{}` is a symbolic link to `{}`, a folder that contains it, so the notes would never end: remove the link",
            path.display(),
            ancestor.display()
        );
    }
    let io = e.io_error();
    let kind = io.map(std::io::Error::kind);
    if kind == Some(std::io::ErrorKind::NotFound) && path.is_symlink() {
        let target = std::fs::read_link(path).unwrap_or_default();
        return anyhow::anyhow!(
            "`{}` is a symbolic link to `{}`, which does not exist: remove the link or restore its target",
            path.display(),
            target.display()
        );
    }
    match io {
        Some(io) => anyhow::anyhow!(
            "cannot read `{}`: {io}; check that it exists and that you may read it",
            path.display()
        ),
        None => anyhow::anyhow!("cannot read `{}`: {e}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_reads_patterns_as_gitignore_does() {
        let ex = Exclude::new(&[
            "index.html".into(),
            "prism-master/".into(),
            "docs/*.txt".into(),
            "/top.md".into(),
        ])
        .unwrap();
        for out in [
            "index.html",
            "docs/index.html",
            "prism-master",
            "a/prism-master",
            "docs/a.txt",
            "top.md",
        ] {
            assert!(ex.excludes(out), "{out}");
        }
        for kept in ["index.md", "docs/sub/a.txt", "a/top.md", "prism.md"] {
            assert!(!ex.excludes(kept), "{kept}");
        }
        assert!(Exclude::new(&["[x".into()])
            .unwrap_err()
            .contains("`[x` is not a glob"));
        assert!(!Exclude::default().excludes("a.md"));
    }

    #[test]
    fn temp_files_are_ignored() {
        for n in [
            ".note.md.swp",
            "note.md~",
            "#note.md#",
            ".#note.md",
            "4913",
            "note.md___jb_tmp___",
            "note.md.bck",
            "x.kate-swp",
            ".hidden",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        for n in ["note.md", "图.png", "c#.md", ".gitbook"] {
            assert!(!is_ignored_name(n), "{n}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn broken_links_and_loops_are_named() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("sub")).unwrap();
        std::os::unix::fs::symlink("/nonexistent/x.md", d.path().join("gone.md")).unwrap();
        let e = format!("{:#}", discover(d.path(), &Exclude::default()).unwrap_err());
        assert!(
            e.contains("gone.md` is a symbolic link to `/nonexistent/x.md`, which does not exist"),
            "{e}"
        );
        std::fs::remove_file(d.path().join("gone.md")).unwrap();
        std::os::unix::fs::symlink("..", d.path().join("sub/up")).unwrap();
        let e = format!("{:#}", discover(d.path(), &Exclude::default()).unwrap_err());
        assert!(
            e.contains("sub/up` is a symbolic link to") && e.contains("remove the link"),
            "{e}"
        );
    }

    /// Emacs's lock of a note with unsaved changes, a link to nowhere named
    /// `.#note.md`, is left out like every hidden name.
    #[cfg(unix)]
    #[test]
    fn an_editors_lock_link_is_left_out() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("os")).unwrap();
        std::fs::write(d.path().join("os/y.md"), "y").unwrap();
        std::os::unix::fs::symlink("user@host.1234:1700000000", d.path().join("os/.#y.md"))
            .unwrap();
        let f = discover(d.path(), &Exclude::default()).unwrap();
        let notes: Vec<_> = f.notes.iter().map(|n| n.rel.as_str()).collect();
        assert_eq!(notes, ["os/y.md"]);
    }

    /// A name that is not UTF-8 is published with U+FFFD, and said.
    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_is_kept_under_a_shown_name() {
        use std::os::unix::ffi::OsStrExt;
        let d = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"\xd6\xd0\xce\xc4.md");
        std::fs::write(d.path().join(name), "# x").unwrap();
        let f = discover(d.path(), &Exclude::default()).unwrap();
        assert_eq!(f.notes[0].rel, "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}.md");
    }

    /// A device or pipe under `notes/` is left out (reading `/dev/zero`
    /// would never end), with a warning.
    #[cfg(unix)]
    #[test]
    fn devices_are_not_notes() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.md"), "a").unwrap();
        std::os::unix::fs::symlink("/dev/zero", d.path().join("zero.md")).unwrap();
        let f = discover(d.path(), &Exclude::default()).unwrap();
        let notes: Vec<_> = f.notes.iter().map(|n| n.rel.as_str()).collect();
        assert_eq!(notes, ["a.md"]);
        assert!(f.assets.is_empty());
    }

    #[test]
    fn sorted_and_split() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("b")).unwrap();
        std::fs::write(d.path().join("b/z.md"), "z").unwrap();
        std::fs::write(d.path().join("a.md"), "a").unwrap();
        std::fs::write(d.path().join("b/img.png"), "x").unwrap();
        std::fs::write(d.path().join("b/.z.md.swp"), "x").unwrap();
        let f = discover(d.path(), &Exclude::default()).unwrap();
        let notes: Vec<_> = f.notes.iter().map(|n| n.rel.as_str()).collect();
        assert_eq!(notes, ["a.md", "b/z.md"]);
        assert_eq!(f.assets.len(), 1);
        assert_eq!(f.assets[0].rel, "b/img.png");
    }
}
