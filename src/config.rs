//! Site configuration: `biji.yaml` at the site root, every key optional.

use crate::diagnostic::Diagnostic;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

mod book;
mod site;
mod urls;
pub(crate) use site::ensure_site;
pub(crate) use site::{NotesDir, SitePaths};
pub(crate) use urls::{check_cname, parse_base_url};

/// The config file's name at the site root.
pub(crate) const CONFIG_FILE: &str = "biji.yaml";

/// What to do with a link to a note or anchor that does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LinkPolicy {
    /// Fail the build, listing every broken link.
    #[default]
    Error,
    /// Log a warning per broken link and keep going.
    Warn,
}

/// What raw HTML in notes may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum HtmlPolicy {
    /// As GitHub shows it: no scripts, event handlers or `javascript:` URLs.
    #[default]
    Safe,
    /// Passed as written (the notes are the site owner's own).
    Trusted,
}

/// The contents of `biji.yaml`. Unknown keys are rejected so that a typo never
/// silently falls back to a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Config {
    /// The site's name; empty: see [`Config::site_title`].
    pub title: String,
    pub description: String,
    pub author: String,
    /// The site's language tag (`zh-CN`, the default; `zh-TW`, `en`, `ja`):
    /// the page's `lang`, and the theme's words (Chinese for `zh`, else English).
    pub language: String,
    /// Where the site is published, e.g. `https://user.github.io/notes/`. Its path
    /// part prefixes every URL the site emits.
    pub base_url: String,
    pub notes_dir: PathBuf,
    pub output_dir: PathBuf,
    /// syntect theme used for code in light mode.
    pub highlight_theme_light: String,
    /// syntect theme used for code in dark mode.
    pub highlight_theme_dark: String,
    pub links: LinkPolicy,
    /// How many notes the home page lists as recently updated (and `atom.xml` carries).
    pub recent_count: usize,
    /// Custom domain for GitHub Pages (`notes.example.com`): written to a `CNAME`
    /// file in the output so a deploy keeps the domain; empty writes none.
    pub cname: String,
    /// Offline full-text search (index under `search/`, box in the header); `false` turns it off.
    pub search: bool,
    /// A note's "updated" day defaults to its last Git commit's day (file times
    /// are all the same after a fresh clone); `false` uses file times.
    pub git_dates: bool,
    /// Markdown extensions beyond GFM (math, diagrams, Typora and Obsidian syntax).
    pub markdown: crate::markdown::Syntax,
    /// `breaks` is written in the file (else a book's default applies, see
    /// `model::book_breaks`).
    #[serde(skip)]
    pub breaks_set: bool,
    /// The site's repository (`https://github.com/user/notes`): each note links
    /// to its source on GitHub for editing; empty shows no link.
    pub repo_url: String,
    /// The branch the "edit this page" link opens.
    pub repo_branch: String,
    /// The notes folder's path in its Git repository (`blog/notes/`); not a setting.
    #[serde(skip)]
    pub notes_in_repo: Option<String>,
    /// Raw HTML in notes: `safe` (sanitized as GitHub does) or `trusted`.
    pub html: HtmlPolicy,
    /// Files and folders under the notes folder left out of the site
    /// (`.gitignore`-like globs; see [`crate::discover::Exclude`]).
    pub exclude: Vec<String>,
    /// Set by tests only; every note page's context carries it as `probe`. It
    /// stands for a context field added later: serve's tests change it and
    /// expect exactly the pages that show it to be rendered again.
    #[cfg(test)]
    #[serde(skip)]
    pub probe: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            description: String::new(),
            author: String::new(),
            language: "zh-CN".into(),
            base_url: String::new(),
            notes_dir: "notes".into(),
            output_dir: "public".into(),
            highlight_theme_light: "OneHalfLight".into(),
            highlight_theme_dark: "OneHalfDark".into(),
            links: LinkPolicy::Error,
            recent_count: 20,
            cname: String::new(),
            search: true,
            git_dates: true,
            markdown: crate::markdown::Syntax::default(),
            breaks_set: false,
            repo_url: String::new(),
            repo_branch: "main".into(),
            notes_in_repo: None,
            html: HtmlPolicy::Safe,
            exclude: Vec::new(),
            #[cfg(test)]
            probe: String::new(),
        }
    }
}

/// Every key `biji.yaml` accepts, for error messages and docs.
pub(crate) const KEYS: &[&str] = &[
    "title",
    "description",
    "author",
    "language",
    "base_url",
    "notes_dir",
    "output_dir",
    "highlight_theme_light",
    "highlight_theme_dark",
    "links",
    "recent_count",
    "cname",
    "search",
    "git_dates",
    "markdown",
    "repo_url",
    "repo_branch",
    "html",
    "exclude",
];

/// `biji.yaml` as errors name it: from the site's folder, as a note is
/// named (`notes/a.md`), whatever path the site was given by.
fn shown(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl Config {
    /// What `exclude` leaves out of the site (checked when the file was read).
    pub(crate) fn exclude(&self) -> Result<crate::discover::Exclude> {
        crate::discover::Exclude::new(&self.exclude).map_err(anyhow::Error::msg)
    }

    /// Reads `biji.yaml` from `root`, or the defaults when there is none.
    pub(crate) fn load(root: &Path) -> Result<Config> {
        if root.is_file() {
            // Else: "notes folder `notes/a.md/notes` not found".
            anyhow::bail!(
                "`{}` is a file, not a site folder: --root takes the folder that holds `notes/`",
                root.display()
            );
        }
        let path = under(root, CONFIG_FILE);
        let file = shown(&path);
        if !path.exists() {
            // A link that leads nowhere (a moved dotfiles folder) would be
            // read as no settings at all, in silence.
            if let Ok(to) = std::fs::read_link(&path) {
                let message = format!(
                    "`{file}` is a link to `{}`, which cannot be followed; \
                     point it at the settings file, or remove it to use the defaults",
                    to.display()
                );
                return Err(Diagnostic::at(&file, message).into());
            }
            let mut cfg = Config::default();
            cfg.fill_from_book(root, None);
            return Ok(cfg);
        }
        let bytes = std::fs::read(&path).with_context(|| {
            Diagnostic::at(&file, format!("cannot read config `{file}`")).verbatim()
        })?;
        let text = Diagnostic::utf8(bytes, &file)?;
        let mut cfg = Self::parse(&text, &path)?;
        cfg.fill_from_book(root, Some(&text));
        Ok(cfg)
    }

    /// Parses config text; errors name the file, line and column and, for an
    /// unknown key, list the valid ones.
    pub(crate) fn parse(text: &str, path: &Path) -> Result<Config> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let file = shown(path);
        if let Err(line) = crate::frontmatter::check_nesting(text) {
            let message = format!(
                "nested more than {} levels deep; biji.yaml holds plain keys",
                crate::frontmatter::MAX_NESTING
            );
            return Err(Diagnostic::at(file, message).line(line + 1).into());
        }
        // `Option`: a file of comments only (or `~`) is no settings, as an empty one.
        let cfg: Option<Config> = serde_yaml::from_str(text).map_err(|e| {
            let at = e.location();
            let message = plain_types(&crate::frontmatter::yaml_message(&e));
            let d = Diagnostic::at(&file, message)
                .line(at.as_ref().map(|l| l.line()))
                .column(at.as_ref().map(|l| l.column()));
            anyhow::Error::new(with_valid_keys(d))
        })?;
        let mut cfg = cfg.unwrap_or_default();
        // Shown on every page; see `frontmatter::replace_nul`.
        for s in [&mut cfg.title, &mut cfg.description, &mut cfg.author] {
            crate::frontmatter::replace_nul(s);
        }
        cfg.validate(path, text)?;
        cfg.breaks_set = text.split(['\n', '{', ',']).any(|part| {
            (part.trim_start().strip_prefix("breaks"))
                .is_some_and(|r| r.trim_start().starts_with(':'))
        });
        if let Some(tag) = crate::i18n::language_tag(&cfg.language) {
            cfg.language = tag;
        }
        Ok(cfg)
    }

    /// Values of the right type that still make no sense; the message names
    /// the line of their key in `text`.
    fn validate(&self, path: &Path, text: &str) -> Result<()> {
        let file = shown(path);
        let at =
            |key: &str, message: String| Diagnostic::at(&file, message).line(key_line(text, key));
        if crate::i18n::language_tag(&self.language).is_none() {
            let message = format!(
                "language `{}` is no language tag; write one such as `zh-CN`, `zh-TW`, `en` or `ja`",
                self.language
            );
            return Err(at("language", message).into());
        }
        if !self.base_url.is_empty() {
            parse_base_url(&self.base_url)
                .with_context(|| at("base_url", "invalid base_url".into()))?;
        }
        let repo = self.repo_url.trim().to_ascii_lowercase();
        if !(repo.is_empty() || repo.starts_with("https://") || repo.starts_with("http://")) {
            let message = format!(
                "repo_url `{}` must start with https:// (the repository's address, \
                 such as https://github.com/user/notes)",
                self.repo_url
            );
            return Err(at("repo_url", message).into());
        }
        check_cname(&self.cname).with_context(|| at("cname", "invalid cname".into()))?;
        crate::discover::Exclude::new(&self.exclude).map_err(|e| at("exclude", e))?;
        crate::markdown::math::check_macros(&self.markdown.math_macros).map_err(|e| {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("math_macros"));
            Diagnostic::at(&file, e).line(line.map(|l| l + 1))
        })?;
        let themes = crate::highlight::theme_names();
        for (key, name) in [
            ("highlight_theme_light", &self.highlight_theme_light),
            ("highlight_theme_dark", &self.highlight_theme_dark),
        ] {
            if !themes.contains(name) {
                let message = format!("{key} `{name}` is not a known theme");
                let hint = format!("choose one of: {}", themes.join(", "));
                return Err(at(key, message).hint(hint).into());
            }
        }
        Ok(())
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub(crate) fn base_path(&self) -> String {
        parse_base_url(&self.base_url)
            .map(|(_, p)| p)
            .unwrap_or_else(|_| "/".into())
    }

    /// `scheme://host` of `base_url`, empty when none is set.
    pub(crate) fn base_origin(&self) -> String {
        parse_base_url(&self.base_url)
            .map(|(o, _)| o)
            .unwrap_or_default()
    }
}

/// serde's names for what a setting holds, in words a user knows:
/// `markdown: yes` said "expected struct Syntax", `recent_count: x` "expected usize".
fn plain_types(message: &str) -> String {
    let mut m = message.to_string();
    for (serde, plain) in [
        (
            "expected struct Config",
            "expected settings, one `key: value` a line",
        ),
        (
            "expected struct Syntax",
            "expected Markdown options, one `key: value` a line (README: Settings)",
        ),
    ] {
        m = m.replace(serde, plain);
    }
    m
}

/// For an unknown key: serde lists the valid keys in backticks on the same
/// line; one plain list on the next (and the closest key) reads better.
fn with_valid_keys(mut d: Diagnostic) -> Diagnostic {
    let Some(i) = d.message.find(", expected one of") else {
        return d;
    };
    d.message.truncate(i);
    d.message = d.message.replace("unknown field", "unknown key");
    let unknown = d.message.rsplit('`').nth(1).unwrap_or("").to_string();
    // serde_yaml names the path of a nested key (`markdown: unknown field`).
    let after_colon = format!(": {}", d.message);
    let nested = after_colon.contains(": markdown: ") || after_colon.contains(": markdown.");
    let keys = if nested {
        crate::markdown::syntax::KEYS
    } else {
        KEYS
    };
    if let Some(best) = keys
        .iter()
        .filter(|k| strsim::levenshtein(k, &unknown) <= 2)
        .min_by_key(|k| strsim::levenshtein(k, &unknown))
    {
        d.message.push_str(&format!(" (did you mean `{best}`?)"));
    }
    d.hint(format!("valid keys: {}", keys.join(", ")))
}

/// The line (from 1) where top-level `key` is set in `text`, if it is.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start_matches('\u{feff}');
            let l = l
                .strip_prefix(['"', '\''])
                .and_then(|r| r.strip_prefix(key)?.strip_prefix(['"', '\'']))
                .or_else(|| l.strip_prefix(key));
            l.is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// `rel` inside the site folder `root`. With the default root, the current
/// folder, that is `rel` itself: every message then names `notes/x.md` or
/// `biji.yaml`, not `./notes/x.md`.
pub(crate) fn under(root: &Path, rel: impl AsRef<Path>) -> PathBuf {
    if root == Path::new(".") {
        rel.as_ref().to_path_buf()
    } else {
        root.join(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_to_nowhere_is_an_error_not_the_defaults() {
        let d = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("gone/biji.yaml", d.path().join(CONFIG_FILE)).unwrap();
        let e = Config::load(d.path()).unwrap_err().to_string();
        assert!(
            e.starts_with("biji.yaml: `biji.yaml` is a link to `gone/biji.yaml`"),
            "{e}"
        );
        assert!(
            Config::load(&d.path().join("elsewhere")).is_ok(),
            "no file: defaults"
        );
        std::fs::write(d.path().join("a.md"), "# A").unwrap();
        let e = Config::load(&d.path().join("a.md"))
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with(
                "a.md` is a file, not a site folder: --root takes the folder that holds `notes/`"
            ),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_code_theme_is_named_with_its_line() {
        let e = Config::parse(
            "title: x\nhighlight_theme_dark: Nope\n",
            Path::new("biji.yaml"),
        )
        .unwrap_err();
        let d = e.downcast_ref::<Diagnostic>().unwrap();
        assert_eq!(d.line, Some(2));
        assert!(d.hint.as_deref().unwrap().contains("OneHalfDark"), "{d:?}");
        assert!(Config::parse("highlight_theme_dark: Dracula\n", Path::new("biji.yaml")).is_ok());
    }

    #[test]
    fn defaults_when_empty() {
        // Comments alone (every setting commented out) or `~` are no settings too.
        for text in ["", "# title: 笔记\n# links: warn\n", "~\n"] {
            let c = Config::parse(text, Path::new("biji.yaml")).unwrap();
            assert_eq!(c.language, "zh-CN");
            assert_eq!(c.base_path(), "/");
        }
    }

    /// What a setting holds is said in words, not serde's type names.
    #[test]
    fn wrong_types_are_named_plainly() {
        for (text, said) in [
            (
                "markdown: yes\n",
                "expected Markdown options, one `key: value` a line",
            ),
            (
                "recent_count: x\n",
                "recent_count: invalid type: string \"x\", expected a whole number",
            ),
            ("- a\n- b\n", "expected settings, one `key: value` a line"),
            (
                "recent_count: 99999999999999999999\n",
                "`99999999999999999999` (too large), expected a whole number",
            ),
        ] {
            let e = Config::parse(text, Path::new("biji.yaml"))
                .unwrap_err()
                .to_string();
            assert!(e.contains(said), "{text}: {e}");
            assert!(!e.contains("struct") && !e.contains("usize"), "{e}");
        }
    }

    #[test]
    fn unknown_key_names_it_and_lists_valid_ones() {
        let e = Config::parse("title: x\ntitel: y\n", Path::new("biji.yaml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("biji.yaml:2:1"), "{e}");
        assert!(
            e.contains("unknown key `titel` (did you mean `title`?)"),
            "{e}"
        );
        assert!(e.contains("valid keys: title, description"), "{e}");
        // The position is given once, in front (not again as serde_yaml's "at line").
        let e = Config::parse("search: maybe\n", Path::new("biji.yaml"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "biji.yaml:1:9: search: invalid type: string \"maybe\", expected a boolean"
        );
    }

    /// YAML's own errors say what to change: quotes around a value with
    /// `: `, spaces for a tab.
    #[test]
    fn yaml_errors_say_what_to_change() {
        for (text, said) in [
            (
                "description: Notes: on things\n",
                "biji.yaml:1:19: a `key: value` where none may start: a value with `: ` in it needs quotes",
            ),
            (
                "markdown:\n\tmath: false\n",
                "biji.yaml:2:1: found a character no YAML value may start with (a tab",
            ),
        ] {
            let e = Config::parse(text, Path::new("biji.yaml")).unwrap_err();
            assert!(format!("{e:#}").starts_with(said), "{e:#}");
        }
    }

    /// A value of the right type that makes no sense is found on its line.
    #[test]
    fn bad_values_name_their_line() {
        for (text, said) in [
            (
                "title: x\nlanguage: french\n",
                "biji.yaml:2: language `french`",
            ),
            (
                "# c\n\n\"base_url\" : ftp://x\n",
                "biji.yaml:3: invalid base_url",
            ),
            ("title: x\ncname: a b\n", "biji.yaml:2: invalid cname"),
            ("\u{feff}repo_url: x.com\n", "biji.yaml:1: repo_url `x.com`"),
        ] {
            let e = Config::parse(text, Path::new("biji.yaml")).unwrap_err();
            assert!(format!("{e:#}").contains(said), "{text}: {e:#}");
        }
        assert_eq!(key_line("languages: x\nlanguage: y\n", "language"), Some(2));
        assert_eq!(key_line("  language: y\n", "language"), None, "nested");
    }

    #[test]
    fn deep_nesting_is_refused_fast() {
        let deep = format!("title: x\nlinks: {}\n", "[".repeat(100_000));
        let e = Config::parse(&deep, Path::new("biji.yaml"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("biji.yaml:2: nested more than 64"), "{e}");
    }

    #[test]
    fn markdown_extensions_are_switched_one_by_one() {
        let c = Config::parse("markdown:\n  math: false\n", Path::new("biji.yaml")).unwrap();
        assert!(!c.markdown.math);
        assert!(c.markdown.diagrams && c.markdown.callouts && !c.markdown.inline_tags);
        let e = Config::parse("markdown:\n  mth: false\n", Path::new("biji.yaml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("biji.yaml:2:3"), "{e}");
        assert!(e.contains("(did you mean `math`?)"), "{e}");
        assert!(e.contains("valid keys: math, diagrams"), "{e}");
    }

    #[test]
    fn base_url_paths() {
        assert_eq!(
            parse_base_url("https://u.github.io/notes").unwrap(),
            ("https://u.github.io".into(), "/notes/".into())
        );
        assert_eq!(parse_base_url("https://x.io").unwrap().1, "/");
        assert_eq!(parse_base_url("/a/b/").unwrap().1, "/a/b/");
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("//evil.example/").is_err());
        // Empty segments would make links to another host (`//double/`).
        assert_eq!(
            parse_base_url("https://x.com//double/").unwrap().1,
            "/double/"
        );
        assert_eq!(parse_base_url("/a//b").unwrap().1, "/a/b/");
        assert_eq!(
            parse_base_url("https://x.com/%2Fnotes").unwrap().1,
            "/notes/"
        );
        for bad in [
            "https:///a/",
            "https://x.com?q=1",
            "https://x.com#f",
            "https://x .com/",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_base_url("HTTPS://x.com/n").unwrap(),
            ("https://x.com".to_string(), "/n/".to_string())
        );
        for url in [
            "https://u.github.io/笔记",
            "https://u.github.io/%E7%AC%94%E8%AE%B0/",
        ] {
            let (origin, path) = parse_base_url(url).unwrap();
            assert_eq!(
                (origin.as_str(), path.as_str()),
                ("https://u.github.io", "/%E7%AC%94%E8%AE%B0/")
            );
        }
        assert_eq!(parse_base_url("/my notes").unwrap().1, "/my%20notes/");
    }

    #[test]
    fn cnames() {
        assert!(check_cname("").is_ok());
        assert!(check_cname("notes.example.com").is_ok());
        assert!(check_cname("https://notes.example.com").is_err());
        assert!(check_cname("example.com/notes").is_err());
        assert!(check_cname("localhost").is_err());
        assert!(check_cname("bad_name.com").is_err());
    }
}
