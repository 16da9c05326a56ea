//! Broken links: what is known about each, and how many a build lists.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::site::SiteIndex;

/// A link that points nowhere, with what we know about why.
#[derive(Debug, Clone)]
pub(crate) struct Broken {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub dest: String,
    pub reason: String,
}

impl Broken {
    pub(crate) fn diagnostic(&self) -> Diagnostic {
        Diagnostic::at(
            &self.file,
            format!(
                "broken link `{}`: {}",
                cut(&self.dest, 120),
                cut(&self.reason, 400)
            ),
        )
        .line(self.line)
        .column(self.col)
    }
}

/// `s`, or its start and its length when longer than `max` characters: a
/// link written by mistake (a reference of 20,000 `[`) made each line of
/// the error 40 KB.
fn cut(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let n = s.chars().count();
    if n <= max {
        return s.into();
    }
    let start: String = s.chars().take(max - 20).collect();
    format!("{start}… ({n} characters)").into()
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.diagnostic().fmt(f)
    }
}

/// How many broken links a build lists before it only counts them: a site
/// imported from elsewhere can have tens of thousands, and a screenful
/// says what is wrong as well as all of them.
const LISTED: usize = 100;

/// The broken links to list one by one (all of them with `-v`), and a line
/// counting the others.
pub(crate) fn listed(broken: &[Broken]) -> (&[Broken], Option<String>) {
    if broken.len() <= LISTED || log::log_enabled!(log::Level::Debug) {
        return (broken, None);
    }
    let (shown, rest) = broken.split_at(LISTED);
    let notes: std::collections::HashSet<&str> = rest.iter().map(|b| b.file.as_str()).collect();
    let more = format!(
        "... and {} more broken link(s) in {} note(s) (run with -v to list them all)",
        rest.len(),
        notes.len()
    );
    (shown, Some(more))
}

/// The error that stops a build with `links: error`: the broken links.
pub(crate) fn broken_error(broken: &[Broken]) -> Diagnostics {
    let (shown, more) = listed(broken);
    let what = "(fix them, or set `links: warn` in biji.yaml to build anyway)";
    Diagnostics {
        head: Some(format!("{} broken link(s):", broken.len())),
        items: shown.iter().map(Broken::diagnostic).collect(),
        tail: Some(more.map_or(what.to_string(), |m| format!("{m}\n{what}"))),
    }
}

/// Why a link to `joined` (under the notes folder) finds nothing, with the nearest name.
pub(super) fn missing(site: &SiteIndex, joined: &str) -> String {
    let mut reason = format!("no note or file `{joined}` under {}", site.dir.folder(""));
    // `.images/a.png`: hidden folders (`.obsidian/`, `.git/`) are left out.
    let hidden = |p: &&str| p.starts_with('.') && *p != ".." && crate::discover::is_ignored_name(p);
    if let Some(hidden) = joined.split('/').find(hidden) {
        reason.push_str(&format!(
            " (biji leaves out files and folders whose names start with `.`; \
             rename `{hidden}` to publish it)"
        ));
        return reason;
    }
    if let Some(s) = closest(
        joined,
        site.note_rels()
            .chain(site.assets.iter().map(|a| a.rel.as_str())),
    ) {
        reason.push_str(&format!(" (did you mean `{s}`?)"));
    }
    reason
}

/// Why a link to a dropped draft is broken, and what to do about it.
pub(super) fn draft_reason(site: &SiteIndex, d: &crate::site::Draft) -> String {
    format!(
        "`{}` is a draft (`draft: true`), left out of the build; \
         publish it, remove the link, or build with --drafts",
        site.dir.file(&d.rel)
    )
}

pub(super) fn closest<'a>(want: &str, options: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for o in options {
        let score = strsim::normalized_levenshtein(want, o);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, o));
        }
    }
    best.filter(|(s, _)| *s >= 0.4).map(|(_, o)| o.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_targets_are_cut_in_the_message() {
        let b = Broken {
            file: "notes/a.md".into(),
            line: 3,
            col: 1,
            dest: "[".repeat(20_000),
            reason: format!("no note named `{}`", "[".repeat(20_000)),
        };
        let m = b.diagnostic().to_string();
        assert!(m.len() < 800, "{}", m.len());
        assert!(
            m.contains("[[[[… (20000 characters)`: no note named `[[["),
            "{m}"
        );
        assert!(m.contains("… (20016 characters)"), "{m}");
    }
}
