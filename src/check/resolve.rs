//! Resolves a URL found in a built page to the file it reaches, as GitHub
//! Pages would serve it under the site's base path.

use crate::links::{decode, has_scheme};
use std::collections::{HashMap, HashSet};

/// Where one URL in a page leads.
pub(super) enum Verdict {
    Ok,
    Skip,
    External(String),
    Broken(String),
}

/// The built site as a browser under its base path sees it.
pub(super) struct Site<'a> {
    /// Files and folders, relative to the output.
    pub(super) files: &'a HashSet<String>,
    pub(super) dirs: &'a HashSet<String>,
    /// Page -> the ids its anchors may name.
    pub(super) ids: &'a HashMap<&'a str, &'a HashSet<String>>,
    pub(super) base_path: &'a str,
    pub(super) origin: &'a str,
}

impl Site<'_> {
    pub(super) fn check(&self, page: &str, url: &str) -> Verdict {
        if url.is_empty() {
            return Verdict::Skip;
        }
        let (url, fragment) = match url.split_once('#') {
            Some((u, f)) => (u, Some(f)),
            None => (url, None),
        };
        let url = url.split_once('?').map_or(url, |(u, _)| u);
        // `/home/...` is the site's own when the output has it (a note `home.md`).
        let disk = crate::links::on_authors_disk(&decode(url));
        let on_disk = || {
            Verdict::Broken(
                "a file on the note author's own disk, which readers cannot load; copy it next to the note and link it by a relative path".into(),
            )
        };
        if disk && !url.starts_with('/') {
            return on_disk();
        }
        // Scheme-relative, absolute and other-scheme URLs.
        let lower = url.to_ascii_lowercase();
        let path = if let Some(rest) = lower.strip_prefix("//") {
            return Verdict::External(domain(rest));
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            let own = !self.origin.is_empty()
                && lower.starts_with(&self.origin.to_ascii_lowercase())
                && url[self.origin.len()..].starts_with('/');
            if !own {
                let rest = &url[url.find("//").map_or(0, |i| i + 2)..];
                return Verdict::External(domain(rest));
            }
            url[self.origin.len()..].to_string()
        } else if has_scheme(url) {
            // mailto:, tel:, data:, javascript: ...
            return Verdict::Skip;
        } else {
            url.to_string()
        };
        let target = if path.is_empty() {
            page.to_string()
        } else if let Some(abs) = path.strip_prefix('/') {
            // `/repo/./a/../b/` is `/repo/b/` to a browser.
            let abs = match abs.split('/').any(|s| s == "." || s == "..") {
                true => match join("", abs) {
                    Some(j) => j,
                    None => return Verdict::Broken(format!("`{path}` climbs above the site root")),
                },
                false => abs.to_string(),
            };
            let Some(inside) = format!("/{abs}")
                .strip_prefix(self.base_path)
                .map(str::to_string)
            else {
                if disk {
                    return on_disk();
                }
                return Verdict::Broken(format!(
                    "`{path}` is outside the site's base path `{}`; under a sub-path it would leave the site",
                    self.base_path
                ));
            };
            match self.file_for(&decode(&inside)) {
                Ok(f) => f,
                Err(_) if disk => return on_disk(),
                Err(e) => return Verdict::Broken(e),
            }
        } else {
            let folder = page.rsplit_once('/').map_or("", |(f, _)| f);
            let Some(joined) = join(folder, &decode(&path)) else {
                return Verdict::Broken(format!("`{path}` climbs above the site root"));
            };
            match self.file_for(&joined) {
                Ok(f) => f,
                Err(e) => return Verdict::Broken(e),
            }
        };
        if let Some(frag) = fragment.map(decode).filter(|f| !f.is_empty()) {
            if let Some(ids) = self.ids.get(target.as_str()) {
                // `#top` scrolls to the top of any page (HTML standard).
                if !ids.contains(&frag) && !frag.eq_ignore_ascii_case("top") {
                    return Verdict::Broken(format!("`{target}` has no element with id `{frag}`"));
                }
            }
        }
        Verdict::Ok
    }

    /// The file a site-relative, decoded path is served from.
    fn file_for(&self, rel: &str) -> Result<String, String> {
        let rel = rel.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            let index = format!("{rel}index.html");
            return if self.files.contains(&index) {
                Ok(index)
            } else {
                Err(format!("no `{index}` in the output"))
            };
        }
        if self.files.contains(rel) {
            return Ok(rel.to_string());
        }
        // GitHub Pages redirects `dir` to `dir/`.
        let index = format!("{rel}/index.html");
        if self.dirs.contains(rel) && self.files.contains(&index) {
            return Ok(index);
        }
        Err(format!("no file `{rel}` in the output"))
    }
}

/// Host (and port) of the part after `//`, lowercased, without user info,
/// readable (see [`readable`]).
pub(super) fn domain(rest: &str) -> String {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    readable(host).to_lowercase()
}

/// `url` with the escapes of non-ASCII text shown as that text, as it was
/// written (`b%C3%BCcher.de` -> `bücher.de`: the page escapes it, browsers
/// show it so). Escapes of ASCII (`%20`, `%2F`) stay, since they mean
/// something else unescaped; so does all of a URL whose escapes are not UTF-8.
pub(super) fn readable(url: &str) -> String {
    let b = url.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let byte = (b[i] == b'%')
            .then(|| std::str::from_utf8(b.get(i + 1..i + 3)?).ok())
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .filter(|&v| v >= 0x80);
        match byte {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| url.to_string())
}

/// Joins a relative URL path to a folder, resolving `.` and `..`; `None` if it
/// climbs above the root. A trailing `/` is kept (it means `index.html`).
pub(super) fn join(folder: &str, rel: &str) -> Option<String> {
    let mut out = crate::links::join(folder, rel)?;
    if matches!(rel.rsplit('/').next(), Some("" | "." | "..")) && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}
