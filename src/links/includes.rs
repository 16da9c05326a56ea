//! mdBook's `{{#include}}`s that read nothing: a missing file, an anchor
//! the file lacks, a path outside the site. Checked with the links, under
//! the same `links:` policy, so a build or `biji check` reports them every
//! time, not only when the note is rendered again.

use super::Broken;
use crate::site::{include_text, SiteIndex};
use rayon::prelude::*;
use std::path::Path;

/// Every include in the site's notes that reads nothing, in note order.
pub(crate) fn check_includes(site: &SiteIndex, root: &Path) -> Vec<Broken> {
    site.notes
        .par_iter()
        .flat_map_iter(|n| {
            n.scan.includes.iter().filter_map(move |(spec, line)| {
                let reason = include_text(root, (&n.abs, &n.rel), spec).err()?;
                Some(Broken {
                    file: site.dir.file(&n.rel),
                    line: *line,
                    col: 1,
                    dest: format!("{{{{#include {spec}}}}}"),
                    reason: reason.into(),
                })
            })
        })
        .collect()
}
