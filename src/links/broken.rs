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
    pub reason: Miss,
}

/// Why a link leads nowhere. The nearest name a message suggests is looked
/// for only for the links a build lists ([`Miss::suggest`]): it is a pass
/// over every note and file, and a vault with thousands of dead links made
/// it for each of them, in the check and again in the render (4,000 notes
/// with 5 each took 19 s instead of 2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Miss {
    why: String,
    near: Option<Near>,
}

/// Whose names a [`Miss`] may suggest the nearest of.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Near {
    /// The notes' and files' paths, for a path under the notes folder.
    Path(String),
    /// The notes' names, for a wikilink's.
    Wiki(String),
    /// Note `.0`'s heading ids.
    Heading(usize, String),
    /// Note `.0`'s block ids.
    Block(usize, String),
}

impl From<String> for Miss {
    fn from(why: String) -> Miss {
        Miss { why, near: None }
    }
}

impl From<&str> for Miss {
    fn from(why: &str) -> Miss {
        why.to_string().into()
    }
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.why)
    }
}

impl Miss {
    /// No note named `name` (a wikilink's).
    pub(super) fn no_note_named(why: String, name: &str) -> Miss {
        Miss {
            why,
            near: Some(Near::Wiki(name.to_string())),
        }
    }

    /// Note `note` has no heading of id `id`.
    pub(super) fn no_heading(why: String, note: usize, id: &str) -> Miss {
        Miss {
            why,
            near: Some(Near::Heading(note, id.to_string())),
        }
    }

    /// Note `note` has no block `id` (`^id`).
    pub(super) fn no_block(why: String, note: usize, id: &str) -> Miss {
        Miss {
            why,
            near: Some(Near::Block(note, id.to_string())),
        }
    }

    /// The message with the nearest name, when one is near enough.
    pub(crate) fn suggest(self, site: &SiteIndex) -> Miss {
        let hint = match &self.near {
            None => None,
            Some(Near::Wiki(name)) => closest(name, site.notes.iter().map(|n| n.stem.as_str()))
                .map(|s| format!(" (did you mean `[[{s}]]`?)")),
            Some(Near::Path(joined)) => closest(
                joined,
                site.note_rels()
                    .chain(site.assets.iter().map(|a| a.rel.as_str())),
            )
            .map(|s| format!(" (did you mean `{s}`?)")),
            Some(Near::Heading(i, id)) => {
                let ids = site.notes[*i].headings().iter().map(|h| h.id.as_str());
                closest(id, ids).map(|s| format!(" (did you mean `#{s}`?)"))
            }
            Some(Near::Block(i, id)) => {
                let ids = site.notes[*i].scan.block_ids.iter().map(String::as_str);
                closest(id, ids).map(|s| format!(" (did you mean `#{s}`?)"))
            }
        };
        Miss {
            why: self.why + hint.as_deref().unwrap_or_default(),
            near: None,
        }
    }
}

impl Broken {
    pub(crate) fn diagnostic(&self) -> Diagnostic {
        Diagnostic::at(
            &self.file,
            format!(
                "broken link `{}`: {}",
                cut(&self.dest, 120),
                cut(&self.reason.why, 400)
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

/// Adds the nearest names to the messages of the links [`listed`] lists.
pub(crate) fn suggest_listed(site: &SiteIndex, broken: &mut [Broken]) {
    use rayon::prelude::*;
    let (listed, _) = listed(broken);
    let n = listed.len();
    broken[..n].par_iter_mut().for_each(|b| {
        b.reason = std::mem::take(&mut b.reason).suggest(site);
    });
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

/// Why a link to `joined` (under the notes folder) finds nothing.
pub(super) fn missing(site: &SiteIndex, joined: &str) -> Miss {
    let mut reason = format!("no note or file `{joined}` under {}", site.dir.folder(""));
    // `.obsidian/a.png`: a tool's hidden folder is left out, linked or not
    // (a missing file in `.assets/` is only missing).
    let hidden = |p: &&str| p.starts_with('.') && *p != ".." && crate::discover::is_ignored_name(p);
    let left_out = !crate::site::published_when_linked(joined);
    if let Some(hidden) = joined.split('/').find(hidden).filter(|_| left_out) {
        reason.push_str(&format!(
            " (biji leaves out files and folders whose names start with `.`; \
             rename `{hidden}` to publish it)"
        ));
        return reason.into();
    }
    Miss {
        why: reason,
        near: Some(Near::Path(joined.to_string())),
    }
}

/// Why a link to a dropped draft is broken, and what to do about it.
pub(super) fn draft_reason(site: &SiteIndex, d: &crate::site::Draft) -> String {
    format!(
        "`{}` is a draft (`draft: true`), left out of the build; \
         publish it, remove the link, or build with --drafts",
        site.dir.file(&d.rel)
    )
}

/// The option nearest to `want` (normalized edit distance, the first of
/// equals), if it is near enough to suggest.
fn closest<'a>(want: &str, options: impl Iterator<Item = &'a str>) -> Option<String> {
    const NEAR: f64 = 0.4;
    let n = want.chars().count();
    let mut best: Option<(f64, &str)> = None;
    for o in options {
        // The distance is at least the difference in length: an option that
        // could not beat the best, or be near enough, is not measured (the
        // measure is most of the time a listed broken link costs).
        let m = o.chars().count();
        let bound = match n.max(m) {
            0 => 1.0,
            longest => 1.0 - n.abs_diff(m) as f64 / longest as f64,
        };
        if bound < NEAR || best.is_some_and(|(b, _)| bound <= b) {
            continue;
        }
        let score = strsim::normalized_levenshtein(want, o);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, o));
        }
    }
    best.filter(|(s, _)| *s >= NEAR).map(|(_, o)| o.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_name_is_the_one_every_option_measured_gives() {
        let naive = |want: &str, options: &[&str]| {
            let mut best: Option<(f64, &str)> = None;
            for o in options {
                let score = strsim::normalized_levenshtein(want, o);
                if best.is_none_or(|(b, _)| score > b) {
                    best = Some((score, o));
                }
            }
            best.filter(|(s, _)| *s >= 0.4).map(|(_, o)| o.to_string())
        };
        let options = [
            "python/装饰器.md",
            "python/生成器.md",
            "go/chan.md",
            "a.md",
            "",
            "docs/page1-0.md",
            "python/装饰器",
            "装饰器.md",
            "rust/所有权与借用.md",
            "ab.md",
            "ba.md",
        ];
        for want in [
            "python/装饰.md",
            "装饰器",
            "docs/page12-3.md",
            "b.md",
            "",
            "x",
            "go/chanel.md",
            "rust/借用.md",
        ] {
            assert_eq!(
                closest(want, options.iter().copied()),
                naive(want, &options),
                "{want}"
            );
        }
    }

    #[test]
    fn long_targets_are_cut_in_the_message() {
        let b = Broken {
            file: "notes/a.md".into(),
            line: 3,
            col: 1,
            dest: "[".repeat(20_000),
            reason: format!("no note named `{}`", "[".repeat(20_000)).into(),
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
