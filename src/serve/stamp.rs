//! Noticing changed files without reading them: a file's modification time
//! and size, and the stamps of everything that forces a full re-render.

use crate::config::SitePaths;
use crate::discover;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A file's modification time and size, to notice changes without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    mtime: Option<SystemTime>,
    len: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            mtime: m.modified().ok(),
            len: m.len(),
        })
    }
}

/// Stamps of everything that forces a full re-render: `biji.yaml` and the
/// site's `templates/` and `static/` folders.
#[derive(Debug, PartialEq, Eq, Default)]
pub struct Theme(Vec<(PathBuf, Option<Stamp>)>);

impl Theme {
    pub fn scan(root: &Path, paths: &SitePaths) -> Theme {
        let config = root.join(crate::config::CONFIG_FILE);
        let mut v = vec![(config.clone(), Stamp::of(&config))];
        for dir in [&paths.templates, &paths.static_dir] {
            v.push((
                dir.clone(),
                Stamp::of(dir).map(|_| Stamp {
                    mtime: None,
                    len: 0,
                }),
            ));
            for e in walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if e.file_type().is_file()
                    && !discover::is_ignored_name(&e.file_name().to_string_lossy())
                {
                    v.push((e.path().to_path_buf(), Stamp::of(e.path())));
                }
            }
        }
        Theme(v)
    }
}
