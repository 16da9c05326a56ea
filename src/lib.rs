//! biji (笔记): a static site generator for Markdown study notes.
//!
//! The library behind the `biji` command: [`build`], [`check::check`],
//! [`serve::start`], [`init::init`] and [`new_note::new_note`]. Everything
//! else is internal; ARCHITECTURE.md maps it (data flows one way: source ->
//! model -> render -> sink).

mod build;
mod cache;
pub mod check;
mod collate;
mod config;
mod diagnostic;
mod discover;
mod frontmatter;
mod highlight;
mod history;
mod i18n;
pub mod init;
mod links;
mod markdown;
mod model;
pub mod new_note;
mod output;
mod pages;
mod progress;
mod publish;
mod search;
pub mod serve;
mod site;
mod templates;
mod topics;
mod url;

pub use build::{build, BuildReport, SearchIndex};
pub use cache::DIR as CACHE_DIR;
pub use highlight::{Highlighter, MAX_BLOCK_BYTES, MAX_LINE_BYTES};
pub use model::BuildOptions;
pub use progress::{Progress, ProgressHook};
pub use url::{FEED, SITEMAP};

/// The folder a build with `opts` writes its output to.
pub fn output_dir(opts: &BuildOptions) -> anyhow::Result<std::path::PathBuf> {
    let cfg = model::load_config(opts)?;
    Ok(config::SitePaths::new(&opts.root, &cfg, opts.output.as_deref()).output)
}

/// Removes the staging folders this process made beside `output` (a build
/// interrupted by Ctrl-C or SIGTERM).
pub fn remove_own_staging(output: &std::path::Path) {
    output::remove_staging(output, output::Leftover::Own);
}

/// Removes the temporary folder of this process's `check` (interrupted by
/// Ctrl-C or SIGTERM).
pub fn remove_own_check_folder() {
    check::remove_temp_folders(output::Leftover::Own);
}

/// Internals the integration tests check against (the tokenizer the browser
/// mirrors, page-size limits, a note's body). Not an API: it changes freely.
#[doc(hidden)]
pub mod testing {
    pub use crate::check::crawl;
    pub use crate::markdown::math::Converter;
    pub use crate::markdown::PlainText;
    pub use crate::pages::{INDEX_PAGE_LINKS, NAV_NOTES, TOPIC_PAGE_NOTES};
    pub use crate::search::{decode_text as search_text, is_cjk, tokenize, Kind};
    pub use crate::serve::{CLIENT_SCRIPT, MAX_REQUESTS, MAX_STREAMS, MAX_WAITING};
    pub use crate::templates::{embedded_theme, theme_search_script};
    pub use crate::url::{encode_path, href};

    /// A note's body as a build renders it, with the text search indexes.
    pub struct RenderedNote {
        /// Path under `notes/`.
        pub rel: String,
        /// Its page's href under the site's base path.
        pub href: String,
        /// Its title.
        pub title: String,
        /// The body's HTML (without the page around it).
        pub html: String,
        /// The visible text the search index takes from it.
        pub text: PlainText,
        /// Its tags (shown on its page, and indexed with its text).
        pub tags: Vec<String>,
    }

    /// Every note's body, rendered as `biji build` with `opts` renders it.
    pub fn render_notes(opts: &crate::BuildOptions) -> anyhow::Result<Vec<RenderedNote>> {
        let p = crate::model::prepare(opts, None)?;
        let hl = crate::Highlighter::new();
        let base = p.cfg.base_path();
        let body = p.body_options(&base);
        (0..p.site.notes.len())
            .map(|i| {
                let mut text = PlainText::default();
                let html = crate::build::render_note_body_with_text(
                    &p.site,
                    i,
                    &body,
                    &hl,
                    Some(&mut text),
                )?;
                let n = &p.site.notes[i];
                Ok(RenderedNote {
                    rel: n.rel.clone(),
                    href: href(&base, &n.url),
                    title: n.title.clone(),
                    html,
                    text,
                    tags: n.tags.clone(),
                })
            })
            .collect()
    }
}
