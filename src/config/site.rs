//! Where the site is, and what it is called.

use super::{under, Config, CONFIG_FILE};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// A folder with neither `biji.yaml` nor a `notes/` folder is no site:
/// `new` would start one there in silence (run from inside `notes/python`,
/// it made `notes/python/notes/`), and `serve` would wait for notes that
/// never come. The error names the site above, if there is one.
pub(crate) fn ensure_site(root: &Path) -> Result<()> {
    // An mdBook's folder is one too (see `config/book.rs`).
    let is_site = |dir: &Path| {
        dir.join(CONFIG_FILE).is_file()
            || dir.join("notes").is_dir()
            || dir.join("book.toml").is_file()
    };
    if is_site(root) {
        return Ok(());
    }
    let above = std::path::absolute(root).ok().and_then(|r| {
        r.ancestors()
            .skip(1)
            .find(|a| is_site(a))
            .map(Path::to_path_buf)
    });
    let hint = match above {
        Some(site) => format!(
            "the site is `{}`: run biji there, or pass --root \"{}\"",
            site.display(),
            site.display()
        ),
        None => "run `biji init` to start one here, or pass --root with the site's folder".into(),
    };
    anyhow::bail!(
        "`{}` is not a biji site (it has no `notes/` folder and no `biji.yaml`); {hint}",
        root.display()
    )
}

impl Config {
    /// The site's name: `title`, else the title the notes' README gives
    /// itself (its front matter's, or its H1), as GitHub shows the README,
    /// else `笔记` (`Notes` in English).
    pub(crate) fn site_title(&self, site: &crate::site::SiteIndex) -> String {
        let own = self.title.trim();
        if !own.is_empty() {
            return own.to_string();
        }
        let readme = (site.folder("").and_then(|f| f.index)).map(|i| &site.notes[i]);
        match readme.filter(|n| n.title != crate::site::default_title(&n.rel)) {
            Some(n) => n.title.clone(),
            None => crate::i18n::word(&self.language, "notes").to_string(),
        }
    }
}

/// The notes folder as messages name it, from the site's folder: `notes`,
/// or what `notes_dir` says (`src` for an mdBook), so that `src/ch02.md:4`
/// in a warning is a path the author can open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotesDir {
    /// `notes/`, or empty for notes in the site's own folder.
    prefix: std::sync::Arc<str>,
}

impl NotesDir {
    pub(crate) fn new(notes_dir: &Path) -> NotesDir {
        let text = notes_dir.to_string_lossy();
        let mut shown = text.trim_end_matches('/');
        while let Some(rest) = shown.strip_prefix("./") {
            shown = rest.trim_start_matches('/');
        }
        let prefix = match shown {
            "" | "." => String::new(),
            _ => format!("{shown}/"),
        };
        NotesDir {
            prefix: prefix.into(),
        }
    }

    /// A file of the notes: `notes/python/协程.md` for `python/协程.md`.
    pub(crate) fn file(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    /// A folder of the notes, with its slash: `notes/python/`.
    pub(crate) fn folder(&self, path: &str) -> String {
        match path {
            "" => self.to_string() + "/",
            _ => format!("{}{path}/", self.prefix),
        }
    }
}

impl Default for NotesDir {
    fn default() -> NotesDir {
        NotesDir::new(Path::new("notes"))
    }
}

/// The folder alone: `notes`, or `.` for the site's own folder.
impl std::fmt::Display for NotesDir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.prefix.strip_suffix('/') {
            Some(dir) => f.write_str(dir),
            None => f.write_str("."),
        }
    }
}

/// Where a build reads from and writes to, after CLI overrides.
#[derive(Debug, Clone)]
pub(crate) struct SitePaths {
    pub root: PathBuf,
    pub notes: PathBuf,
    /// How messages name `notes`.
    pub shown: NotesDir,
    pub output: PathBuf,
    pub templates: PathBuf,
    pub static_dir: PathBuf,
}

impl SitePaths {
    pub(crate) fn new(root: &Path, cfg: &Config, output: Option<&Path>) -> SitePaths {
        let output = match output {
            Some(o) if o.is_absolute() => o.to_path_buf(),
            Some(o) => std::env::current_dir()
                .map(|d| d.join(o))
                .unwrap_or_else(|_| o.to_path_buf()),
            None => under(root, &cfg.output_dir),
        };
        SitePaths {
            root: root.to_path_buf(),
            notes: under(root, &cfg.notes_dir),
            shown: NotesDir::new(&cfg.notes_dir),
            output,
            templates: under(root, "templates"),
            static_dir: under(root, "static"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NotesDir;
    use std::path::Path;

    #[test]
    fn messages_name_the_notes_folder_as_written() {
        let src = NotesDir::new(Path::new("./src/"));
        assert_eq!(
            (src.file("ch02.md"), src.folder("a"), src.folder("")),
            ("src/ch02.md".into(), "src/a/".into(), "src/".into())
        );
        assert_eq!(NotesDir::default().file("a/b.md"), "notes/a/b.md");
        assert_eq!(
            NotesDir::new(Path::new("docs/zh")).file("x.md"),
            "docs/zh/x.md"
        );
        // Notes in the site's own folder.
        let here = NotesDir::new(Path::new("."));
        assert_eq!(
            (
                here.file("a.md"),
                here.folder("a"),
                here.folder(""),
                here.to_string()
            ),
            ("a.md".into(), "a/".into(), "./".into(), ".".into())
        );
    }
}
