//! A note's body as HTML: the one place a note is rendered (pages, search
//! and embeds all come here), reading its source again so memory stays flat.

use super::Prepared;
use crate::highlight::Highlighter;
use crate::links;
use crate::markdown::{self, LinkKind, RenderCtx};
use crate::site::SiteIndex;
use anyhow::Result;

/// What rendering a note's body reads besides the site.
#[derive(Clone, Copy)]
pub struct BodyOptions<'a> {
    pub base_path: &'a str,
    pub syntax: &'a markdown::Syntax,
    pub language: &'a str,
    /// Raw HTML passes as written (`html: trusted`).
    pub trusted_html: bool,
}

impl Prepared {
    /// How this site's note bodies are rendered, under `base_path`.
    pub fn body_options<'a>(&'a self, base_path: &'a str) -> BodyOptions<'a> {
        BodyOptions {
            base_path,
            syntax: &self.cfg.markdown,
            language: &self.cfg.language,
            trusted_html: self.cfg.html == crate::config::HtmlPolicy::Trusted,
        }
    }
}

/// How deep embeds may nest (cycles are refused before rendering; this only
/// bounds the work a long chain can make).
const EMBED_DEPTH: usize = 8;

/// A note's body as HTML: re-reads the source (memory stays flat: sources are
/// not kept), highlights code and rewrites links to their targets' URLs.
pub fn render_note_body(
    site: &SiteIndex,
    i: usize,
    opts: &BodyOptions,
    hl: &Highlighter,
) -> Result<String> {
    render_body(site, i, opts, hl, None, 0)
}

/// [`render_note_body`], also collecting the note's visible text for search.
pub fn render_note_body_with_text(
    site: &SiteIndex,
    i: usize,
    opts: &BodyOptions,
    hl: &Highlighter,
    text: Option<&mut markdown::PlainText>,
) -> Result<String> {
    render_body(site, i, opts, hl, text, 0)
}

fn render_body(
    site: &SiteIndex,
    i: usize,
    opts: &BodyOptions,
    hl: &Highlighter,
    text: Option<&mut markdown::PlainText>,
    depth: usize,
) -> Result<String> {
    let n = &site.notes[i];
    let source = crate::site::read_note(&n.abs, &n.rel)?;
    let file = format!("notes/{}", n.rel);
    let split = crate::frontmatter::split(&source, &file)?;
    let resolve = |dest: &str, kind: LinkKind| {
        links::resolve(site, n, dest, kind)
            .ok()
            .and_then(|t| links::target_href(site, opts.base_path, &t))
    };
    let embed = |dest: &str| {
        let t = links::resolve(site, n, dest, LinkKind::WikiEmbed).ok()?;
        let links::Target::Note { index, anchor } = &t else {
            return None;
        };
        let index = *index;
        let target = &site.notes[index];
        let html = if depth >= EMBED_DEPTH || !opts.syntax.embeds {
            String::new()
        } else {
            // The embedded text is indexed once, on its own page.
            let body = render_body(site, index, opts, hl, None, depth + 1).ok()?;
            crate::markdown::embed_section(&body, target.headings(), anchor.as_deref())
        };
        Some(markdown::Embedded {
            href: links::target_href(site, opts.base_path, &t)?,
            title: target.title.clone(),
            html,
        })
    };
    Ok(markdown::render_with_text(
        split.body,
        &RenderCtx {
            headings: n.headings(),
            highlighter: hl,
            resolve: &resolve,
            syntax: opts.syntax,
            language: opts.language,
            trusted_html: opts.trusted_html,
            file: &file,
            line_offset: split.body_line_offset,
            embed: &embed,
        },
        text,
    ))
}
