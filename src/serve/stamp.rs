//! Noticing changed files without reading them: a file's modification time
//! and size, and the stamps of everything that forces a full re-render.

use crate::config::SitePaths;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A file's modification time and size, to notice changes without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    mtime: Option<SystemTime>,
    len: u64,
}

impl Stamp {
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
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
pub(crate) struct Theme(Vec<(PathBuf, Option<Stamp>)>);

impl Theme {
    pub(crate) fn scan(root: &Path, paths: &SitePaths) -> Theme {
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
            // An unreadable folder reads as empty: the theme changed, and
            // the full rebuild that follows reports the error.
            for (_, path) in crate::templates::site_files(dir).unwrap_or_default() {
                let stamp = Stamp::of(&path);
                v.push((path, stamp));
            }
        }
        Theme(v)
    }
}
