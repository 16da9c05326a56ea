//! The commented `biji.yaml` that `biji init` writes: every option, its
//! meaning and its default, so a new user reads the settings in one place.

/// Each `biji.yaml` key with the comment above it and its default as YAML. A
/// unit test checks this lists exactly `config::KEYS` and parses to `Config::default()`.
pub(super) const CONFIG_DOC: &[(&str, &str, &str)] = &[
    (
        "title",
        "Site title, shown in the header and the browser tab. Empty: the title\n\
         of notes/README.md (its front matter's or its H1), else 笔记.",
        "\"\"",
    ),
    (
        "description",
        "One line about the site, for search engines and the feed.",
        "\"\"",
    ),
    (
        "author",
        "Shown in the footer and as the feed's author.",
        "\"\"",
    ),
    (
        "language",
        "The site's language tag: the pages' lang (zh-TW, ja, ko get their own\n\
         fonts), and the theme's words: Chinese for zh-CN, zh-TW, ...; English else.",
        "zh-CN",
    ),
    (
        "base_url",
        "Where the site is published, e.g. https://user.github.io/notes/. Its path\n\
         prefixes every URL; sitemap.xml and atom.xml are written only when it has\n\
         a host. `biji build --base-url URL` overrides it (the Pages workflow does).",
        "\"\"",
    ),
    (
        "notes_dir",
        "Folder with the Markdown notes; subfolders become sections.",
        "notes",
    ),
    (
        "output_dir",
        "Where `biji build` writes the site.",
        "public",
    ),
    (
        "highlight_theme_light",
        "Code highlighting theme in light mode (pick the pair of the dark one;\n\
         a token fainter than 4.5:1 on its background is made readable).",
        "OneHalfLight",
    ),
    (
        "highlight_theme_dark",
        "Code highlighting theme in dark mode.",
        "OneHalfDark",
    ),
    (
        "links",
        "A link to a missing note or heading: error (stop the build) or warn.",
        "error",
    ),
    (
        "recent_count",
        "How many recently updated notes the home page lists and atom.xml carries.",
        "20",
    ),
    (
        "cname",
        "Custom domain for GitHub Pages (notes.example.com): written to a CNAME\n\
         file in the output. Empty: none.",
        "\"\"",
    ),
    (
        "search",
        "Offline full-text search (an index under search/, a box in the header).",
        "true",
    ),
    (
        "git_dates",
        "A note's \"updated\" day, unless its front matter sets one: the day of its\n\
         last Git commit (a fresh clone gives every file the same time), or of its\n\
         file when it has changes not yet committed. false: file times only.",
        "true",
    ),
    (
        "markdown",
        "Markdown beyond GitHub's, as Typora and Obsidian write it; each can be\n\
         switched off. math: $x$, $$x$$ and ```math as MathML. diagrams: ```mermaid.\n\
         highlight: ==marked==. sup_sub: x^2^, H~2~O. toc: [TOC] on its own line.\n\
         comments: %%hidden%%. callouts: > [!tip] title. embeds: ![[note]].\n\
         inline_tags: #tag in the text is a tag (off: C# and #1 are common in prose).\n\
         breaks: a single line break is a new line, as in Typora and Obsidian (off:\n\
         lines join as on GitHub, with no space between Chinese characters).\n\
         emoji: GitHub's :smile: shortcodes as emoji, as Typora and GitHub show them.\n\
         inline_footnotes: Obsidian's text^[note] (off: ^[a-z] in prose stays text).\n\
         containers: ::: tip ... ::: as a callout (needs callouts; off: text).\n\
         cjk_emphasis: **注意：**后文 is bold (off: CommonMark leaves the asterisks).\n\
         line_numbers: numbers beside every code block (a fence's :no-line-numbers\n\
         or :line-numbers wins).\n\
         math_macros: TeX macros every formula may use, one per line under it\n\
         (E: \\operatorname{E}, bb: \\mathbb{#1}), as MathJax's macros option.",
        "\n  math: true\n  diagrams: true\n  highlight: true\n  sup_sub: true\n  toc: true\n  comments: true\n  callouts: true\n  embeds: true\n  inline_tags: false\n  breaks: true\n  emoji: true\n  inline_footnotes: true\n  containers: true\n  cjk_emphasis: true\n  line_numbers: false\n  math_macros: {}",
    ),
    (
        "repo_url",
        "The site's repository, e.g. https://github.com/you/notes: every note then\n\
         links to its source there (\"edit this page\").",
        "\"\"",
    ),
    (
        "repo_branch",
        "The branch that link opens.",
        "main",
    ),
    (
        "html",
        "Raw HTML in notes. safe: shown as GitHub shows it (no scripts, event\n\
         handlers or javascript: links; the rest, such as <div align>, <img width>\n\
         and <details>, stays). trusted: passed as written.",
        "safe",
    ),
    (
        "exclude",
        "Files and folders under the notes folder left out of the site, as\n\
         .gitignore reads them: a name at any depth (index.html, node_modules), or\n\
         a path from the notes folder (docs/index.html, drafts/*), e.g.\n\
         exclude: [index.html, _sidebar.md, prism-master]",
        "[]",
    ),
];

/// The commented `biji.yaml` that `init` writes: every key, set to its default.
pub fn config_text() -> String {
    let mut s = String::from(
        "# biji site configuration. Every key is optional; the values below are the\n\
         # defaults, so delete what you do not change.\n",
    );
    for (key, doc, value) in CONFIG_DOC {
        s.push('\n');
        for line in doc.lines() {
            s.push_str(&format!("# {line}\n"));
        }
        // A section's value starts on the next line.
        let sep = if value.starts_with('\n') { "" } else { " " };
        s.push_str(&format!("{key}:{sep}{value}\n"));
    }
    s
}
