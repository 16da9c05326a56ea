//! Which Markdown extensions beyond GFM a site uses (`markdown:` in biji.yaml).
//! Everything that Typora and Obsidian users write is on by default, so their
//! notes look as they did in the editor; each can be turned off where it
//! clashes with a site's prose.

use pulldown_cmark::Options;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The `markdown:` section of biji.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Syntax {
    /// `$...$`, `$$...$$` and ```` ```math ```` fences, rendered to MathML.
    pub math: bool,
    /// ```` ```mermaid ```` fences drawn as diagrams in the browser.
    pub diagrams: bool,
    /// `==marked==` as `<mark>`.
    pub highlight: bool,
    /// Typora's `^sup^` and `~sub~` (also inside words: `H~2~O`, `x^2^`).
    pub sup_sub: bool,
    /// `[TOC]` alone on a line places the table of contents.
    pub toc: bool,
    /// Obsidian's `%%comments%%` are left out of the page and search.
    pub comments: bool,
    /// Obsidian callouts (`> [!tip] title`, foldable with `-`/`+`).
    pub callouts: bool,
    /// `![[note]]` and `![[note#heading]]` show the other note inline.
    pub embeds: bool,
    /// `#tag` in the text is a tag (off: `C#` and `#1` are common in prose).
    pub inline_tags: bool,
    /// A single line break inside a paragraph is a line break, as Typora's
    /// and Obsidian's editors show it (off: lines join, as on GitHub).
    pub breaks: bool,
    /// GitHub's `:smile:` shortcodes as emoji, as Typora and GitHub show them.
    pub emoji: bool,
    /// Obsidian's inline footnotes, `text^[note]` (off: a regular expression
    /// such as `^[a-z]` written in prose stays as written).
    pub inline_footnotes: bool,
    /// VitePress, VuePress and Docusaurus containers (`::: tip` ... `:::`)
    /// as callouts (with `callouts` on).
    pub containers: bool,
    /// `**注意：**后文` is bold, as in Typora (CommonMark leaves the asterisks
    /// when full-width punctuation meets a Han character; see `cjk_emphasis.rs`).
    pub cjk_emphasis: bool,
    /// Line numbers beside every code block, as Typora's preference and
    /// VuePress show them (a fence's own `:line-numbers` or
    /// `:no-line-numbers` wins).
    pub line_numbers: bool,
    /// TeX macros every formula may use (`E: \operatorname{E}`, `bb:
    /// \mathbb{#1}`), as MathJax's and KaTeX's `macros` give a site them.
    pub math_macros: BTreeMap<String, String>,
}

impl Default for Syntax {
    fn default() -> Self {
        Syntax {
            math: true,
            diagrams: true,
            highlight: true,
            sup_sub: true,
            toc: true,
            comments: true,
            callouts: true,
            embeds: true,
            inline_tags: false,
            breaks: true,
            emoji: true,
            inline_footnotes: true,
            containers: true,
            cjk_emphasis: true,
            line_numbers: false,
            math_macros: BTreeMap::new(),
        }
    }
}

/// The keys of `markdown:`, for the config's error messages.
pub(crate) const KEYS: &[&str] = &[
    "math",
    "diagrams",
    "highlight",
    "sup_sub",
    "toc",
    "comments",
    "callouts",
    "embeds",
    "inline_tags",
    "breaks",
    "emoji",
    "inline_footnotes",
    "containers",
    "cjk_emphasis",
    "line_numbers",
    "math_macros",
];

impl Syntax {
    /// GFM as users expect it from GitHub, plus heading attributes, wikilinks
    /// and the extensions switched on here. Scan and render use the same set,
    /// so both passes see the same headings and links.
    pub(crate) fn options(&self) -> Options {
        let mut o = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_WIKILINKS;
        // GitHub's five alert kinds are a subset of the callouts we parse
        // ourselves (custom titles, folding, Obsidian's aliases).
        if !self.callouts {
            o |= Options::ENABLE_GFM;
        }
        if self.math {
            o |= Options::ENABLE_MATH;
        }
        if self.sup_sub {
            o |= Options::ENABLE_SUPERSCRIPT | Options::ENABLE_SUBSCRIPT;
        }
        o
    }
}
