//! A note's body as HTML: the one place a note is rendered (pages, search
//! and embeds all come here), reading its source again so memory stays flat.

use super::Model;
use crate::highlight::Highlighter;
use crate::links;
use crate::markdown::{self, LinkKind, RenderCtx};
use crate::pages::Key;
use crate::site::SiteIndex;
use anyhow::Result;
use std::hash::{Hash, Hasher};
use xxhash_rust::xxh3::Xxh3Default as KeyHasher;

/// What rendering a note's body reads besides the site.
#[derive(Clone, Copy, Hash)]
pub(crate) struct BodyOptions<'a> {
    pub base_path: &'a str,
    pub syntax: &'a markdown::Syntax,
    pub language: &'a str,
    /// Raw HTML passes as written (`html: trusted`).
    pub trusted_html: bool,
}

impl Model {
    /// How this site's note bodies are rendered, under `base_path`.
    pub(crate) fn body_options<'a>(&'a self, base_path: &'a str) -> BodyOptions<'a> {
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
/// not kept), highlights code and rewrites links to their targets' URLs; and
/// collects the note's visible text for search when `text` is given.
pub(crate) fn render_note_body_with_text(
    site: &SiteIndex,
    i: usize,
    opts: &BodyOptions,
    hl: &Highlighter,
    text: Option<&mut markdown::PlainText>,
) -> Result<String> {
    render_body(site, i, opts, hl, text, 0)
}

/// How a note's links and embeds resolve: the body's rendering and its key
/// both ask here, so the key covers what the rendering reads.
struct Resolver<'a> {
    site: &'a SiteIndex,
    note: &'a crate::site::NoteMeta,
    opts: &'a BodyOptions<'a>,
}

/// An embedded note (`![[note]]`, `![[note#heading]]`) as resolved.
struct EmbedTarget<'a> {
    index: usize,
    anchor: Option<String>,
    href: String,
    note: &'a crate::site::NoteMeta,
}

impl<'a> Resolver<'a> {
    fn href(&self, dest: &str, kind: LinkKind) -> Option<String> {
        links::resolve(self.site, self.note, dest, kind)
            .ok()
            .and_then(|t| links::target_href(self.site, self.opts.base_path, &t))
    }

    fn embed(&self, dest: &str) -> Option<EmbedTarget<'a>> {
        let t = links::resolve(self.site, self.note, dest, LinkKind::WikiEmbed).ok()?;
        let href = links::target_href(self.site, self.opts.base_path, &t)?;
        let links::Target::Note { index, anchor } = t else {
            return None;
        };
        Some(EmbedTarget {
            index,
            anchor,
            href,
            note: &self.site.notes[index],
        })
    }
}

/// Whether an embed at `depth` shows the embedded note's text.
fn shows_embedded(opts: &BodyOptions, depth: usize) -> bool {
    depth < EMBED_DEPTH && opts.syntax.embeds
}

/// The key of note `i`'s body: its source, the options, and what each link
/// and embed the scan found resolves to (an embedded note's own body key in
/// turn). Equal keys mean [`render_note_body`] returns the same HTML.
pub(crate) fn body_key(site: &SiteIndex, i: usize, opts: &BodyOptions) -> Key {
    let mut h = KeyHasher::new();
    hash_body(site, i, opts, &mut h, 0);
    Key(h.finish())
}

fn hash_body(site: &SiteIndex, i: usize, opts: &BodyOptions, h: &mut KeyHasher, depth: usize) {
    let n = &site.notes[i];
    (&n.rel, n.source_hash, opts).hash(h);
    let r = Resolver {
        site,
        note: n,
        opts,
    };
    for l in n.links() {
        (&l.dest, l.kind).hash(h);
        if l.kind != LinkKind::WikiEmbed {
            r.href(&l.dest, l.kind).hash(h);
            continue;
        }
        let Some(e) = r.embed(&l.dest) else {
            0u8.hash(h);
            continue;
        };
        (&e.href, &e.note.title, &e.anchor).hash(h);
        if shows_embedded(opts, depth) {
            for hd in e.note.headings() {
                (hd.level, &hd.text, &hd.id).hash(h);
            }
            hash_body(site, e.index, opts, h, depth + 1);
        }
    }
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
    let r = Resolver {
        site,
        note: n,
        opts,
    };
    let resolve = |dest: &str, kind: LinkKind| r.href(dest, kind);
    let embed = |dest: &str| {
        let e = r.embed(dest)?;
        let html = if shows_embedded(opts, depth) {
            // The embedded text is indexed once, on its own page.
            let body = render_body(site, e.index, opts, hl, None, depth + 1).ok()?;
            crate::markdown::embed_section(&body, e.note.headings(), e.anchor.as_deref())
        } else {
            String::new()
        };
        Some(markdown::Embedded {
            href: e.href,
            title: e.note.title.clone(),
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
