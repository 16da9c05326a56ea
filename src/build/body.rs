//! A note's body as HTML: the one place a note is rendered (pages, search
//! and embeds all come here), reading its source again so memory stays flat.

use super::Model;
use crate::cache::{Kind, Store};
use crate::highlight::{CodeStyles, Highlighter};
use crate::markdown::{self, Href, LinkKind, RenderCtx};
use crate::pages::Key;
use crate::search::{Collector, Memos};
use crate::site::SiteIndex;
use anyhow::Result;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use xxhash_rust::xxh3::Xxh3Default as KeyHasher;

#[path = "embeds.rs"]
mod embeds;
#[path = "resolver.rs"]
mod resolver;
use embeds::{embed_levels, warn_of_cut_embeds, Chain, Nesting, PageEmbeds};
use resolver::Resolver;

/// What rendering a note's body reads besides the site.
#[derive(Clone, Copy, Hash)]
pub(crate) struct BodyOptions<'a> {
    pub base_path: &'a str,
    pub syntax: &'a markdown::Syntax,
    pub language: &'a str,
    /// Raw HTML passes as written (`html: trusted`).
    pub trusted_html: bool,
    pub code_styles: &'a CodeStyles,
    /// Where mdBook's `{{#include}}` may read files.
    pub site_root: SiteRoot<'a>,
}

/// The site's folder. Not part of a body's key: moving the site changes no
/// page, and what an include reads from it is hashed by its text.
#[derive(Clone, Copy)]
pub(crate) struct SiteRoot<'a>(pub &'a std::path::Path);

impl Hash for SiteRoot<'_> {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl Model {
    /// How this site's note bodies are rendered, under `base_path`.
    pub(crate) fn body_options<'a>(&'a self, base_path: &'a str) -> BodyOptions<'a> {
        BodyOptions {
            base_path,
            syntax: &self.cfg.markdown,
            language: &self.cfg.language,
            trusted_html: self.cfg.html == crate::config::HtmlPolicy::Trusted,
            code_styles: &self.code_styles,
            site_root: SiteRoot(&self.paths.root),
        }
    }
}

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
    let levels = embed_levels(site, i, opts);
    let page = PageEmbeds::default();
    let top = Nesting {
        levels,
        footnote_ids: "",
        chain: &[(i, None)],
        page: &page,
    };
    let body = render_body(site, i, opts, hl, text, &top)?;
    warn_of_cut_embeds((site, opts), i, levels, &body);
    page.warn_if_cut(&site.dir.file(&site.notes[i].rel));
    Ok(body)
}

/// The key of note `i`'s body: its source, the options, and what each link
/// and embed the scan found resolves to (an embedded note's own body key in
/// turn). Equal keys mean [`render_note_body`] returns the same HTML.
pub(crate) fn body_key(site: &SiteIndex, i: usize, opts: &BodyOptions) -> Key {
    let mut h = KeyHasher::new();
    let levels = embed_levels(site, i, opts);
    hash_body(site, opts, &mut h, levels, &mut vec![(i, None)]);
    Key(h.finish())
}

/// The key of the last note of `chain`'s body as shown inside the others;
/// `levels`: how many more levels of embeds show their text.
fn hash_body(
    site: &SiteIndex,
    opts: &BodyOptions,
    h: &mut KeyHasher,
    levels: usize,
    chain: &mut Chain,
) {
    let Some(&(i, _)) = chain.last() else {
        return;
    };
    let n = &site.notes[i];
    (&n.rel, n.source_hash, opts).hash(h);
    let r = Resolver {
        site,
        note: n,
        opts,
    };
    for (spec, _) in &n.scan.includes {
        (spec, r.include(spec)).hash(h);
    }
    for l in n.links() {
        (&l.dest, l.kind).hash(h);
        if l.kind != LinkKind::WikiEmbed {
            r.href(&l.dest, l.kind).hash(h);
            continue;
        }
        let Some(e) = r.embed(&l.dest) else {
            // A file (`![[图.png]]`): where it is found, which moves with it.
            0u8.hash(h);
            r.href(&l.dest, l.kind).hash(h);
            continue;
        };
        (&e.href, &e.note.title, &e.anchor).hash(h);
        let shown = (e.index, e.anchor);
        if levels > 0 && !chain.contains(&shown) {
            for hd in e.note.headings() {
                (hd.level, &hd.text, &hd.id).hash(h);
            }
            chain.push(shown);
            hash_body(site, opts, h, levels - 1, chain);
            chain.pop();
        }
    }
}

fn render_body(
    site: &SiteIndex,
    i: usize,
    opts: &BodyOptions,
    hl: &Highlighter,
    text: Option<&mut markdown::PlainText>,
    at: &Nesting,
) -> Result<String> {
    let footnote_ids = at.footnote_ids;
    let n = &site.notes[i];
    let file = site.dir.file(&n.rel);
    let source = crate::site::read_note(&n.abs, &file)?;
    let split = crate::frontmatter::split(&source, &file)?;
    let r = Resolver {
        site,
        note: n,
        opts,
    };
    // Shown inside another note, the note's links to its own headings lead
    // to its page: the host page has no such ids (an embed's headings have
    // none), and may have its own heading of that name.
    let own_page = match footnote_ids.is_empty() {
        true => String::new(),
        false => crate::url::href(opts.base_path, &n.url),
    };
    let resolve = |dest: &str, kind: LinkKind| match r.href(dest, kind) {
        Href::To(href) if href.starts_with('#') => Href::To(format!("{own_page}{href}")),
        href => href,
    };
    let embed = |dest: &str| {
        let e = r.embed(dest)?;
        let shown = (e.index, e.anchor.clone());
        let cycle = at.chain.contains(&shown);
        let html = if at.levels > 0 && !cycle {
            let chain = [at.chain, &[shown]].concat();
            at.page.html(chain.clone(), at.levels, || {
                // The embedded text is indexed once, on its own page.
                // Its footnotes get ids of their own (`fn-3f2a1c-1`), stable
                // from build to build: the host may have a `fn-1` too.
                let rel_hash = xxhash_rust::xxh3::xxh3_64(e.note.rel.as_bytes()) & 0xff_ffff;
                let ids = format!("{rel_hash:06x}-");
                let inner = Nesting {
                    levels: at.levels - 1,
                    footnote_ids: &ids,
                    chain: &chain,
                    page: at.page,
                };
                let body = render_body(site, e.index, opts, hl, None, &inner).ok()?;
                let section = e.anchor.as_deref();
                Some(crate::markdown::embed_section(
                    &body,
                    e.note.headings(),
                    section,
                ))
            })?
        } else {
            String::new()
        };
        Some(markdown::Embedded {
            href: e.href,
            title: e.note.title.clone(),
            html,
            cycle,
        })
    };
    Ok(markdown::render_with_text(
        split.body,
        &RenderCtx {
            headings: n.headings(),
            highlighter: hl,
            code_styles: opts.code_styles,
            resolve: &resolve,
            syntax: opts.syntax,
            language: opts.language,
            trusted_html: opts.trusted_html,
            file: &file,
            line_offset: split.body_line_offset,
            embed: &embed,
            footnote_ids,
            own_page: &own_page,
            include: &|spec| r.include(spec),
        },
        text,
    ))
}

/// A note as the search index names it: its title and link (both in its
/// search record's text file).
pub(crate) type Label<'a> = (&'a str, &'a str);

/// The key of a note's search record: its body's, and its title and link,
/// which the record holds too.
pub(crate) fn memo_key(key: Key, (title, url): Label) -> u64 {
    let mut h = KeyHasher::new();
    (key.0, title, url).hash(&mut h);
    h.finish()
}

/// Renders note bodies, through the build cache when there is one: a body
/// is stored under its [`body_key`] (and the note's search record under
/// [`memo_key`]), so an unchanged note is never rendered or highlighted
/// again, whatever else changed.
pub(crate) struct Bodies<'a> {
    pub hl: &'a Highlighter,
    pub store: Option<&'a Store>,
    /// Bodies rendered (not found in the cache).
    rendered: AtomicUsize,
}

impl<'a> Bodies<'a> {
    pub(crate) fn new(hl: &'a Highlighter, store: Option<&'a Store>) -> Bodies<'a> {
        Bodies {
            hl,
            store,
            rendered: AtomicUsize::new(0),
        }
    }

    /// How many bodies were rendered rather than taken from the cache.
    pub(crate) fn rendered(&self) -> usize {
        self.rendered.load(Ordering::Relaxed)
    }

    /// Keeps a note's cached body from eviction (its page was kept), and
    /// its search record (the index may be kept too).
    pub(crate) fn touch(&self, key: Key, label: Label) {
        if let Some(s) = self.store {
            s.touch(Kind::BodyHtml, key.0);
            s.touch(Kind::SearchTerms, memo_key(key, label));
        }
    }

    /// Adds note `i` (body key `key`) to `search` from its cached record;
    /// `false` if the cache has none: then see [`Bodies::index_text`].
    pub(crate) fn index_cached(
        &self,
        search: &Collector,
        i: usize,
        key: Key,
        label: Label,
    ) -> Result<bool> {
        let Some(s) = self.store else {
            return Ok(false);
        };
        if !search.wants(i) {
            // Unchanged since the index the build resumes from.
            s.touch(Kind::SearchTerms, memo_key(key, label));
            return Ok(true);
        }
        let Some(record) = s.get(Kind::SearchTerms, memo_key(key, label)) else {
            return Ok(false);
        };
        search.add_memo(i, &record)
    }

    /// Adds note `i` to `search` from its visible text, and stores the
    /// record it makes for [`Bodies::index_cached`].
    pub(crate) fn index_text(
        &self,
        search: &Collector,
        (i, tags): (usize, &[String]),
        (key, label): (Key, Label),
        mut text: markdown::PlainText,
    ) -> Result<()> {
        // Tags come from the note's source, which its body key covers.
        text.push_tags(tags);
        let memo = self.store.map(|_| memo_key(key, label));
        let memos = search.add_text(i, label, text, memo)?;
        self.store_memos(memos);
        Ok(())
    }

    /// Indexes the notes `search` still holds back, storing their records.
    pub(crate) fn flush(&self, search: &Collector) -> Result<()> {
        let memos = search.flush()?;
        self.store_memos(memos);
        Ok(())
    }

    fn store_memos(&self, memos: Memos) {
        if let Some(s) = self.store {
            for (key, record) in memos {
                s.put(Kind::SearchTerms, key, &record);
            }
        }
    }

    /// Note `i`'s body (key `key`), and its visible text into `text` if given.
    /// The text is not stored: a note's search record holds what the index
    /// needs of it, and is only missing when the note's title or link
    /// changed and its body did not (a rename): then the body is rendered
    /// again. Storing every note's text for that case cost a tenth of a
    /// cold build's CPU.
    pub(crate) fn html(
        &self,
        site: &SiteIndex,
        i: usize,
        opts: &BodyOptions,
        key: Key,
        text: Option<&mut markdown::PlainText>,
    ) -> Result<String> {
        if text.is_none() {
            let cached = self.store.and_then(|s| s.get(Kind::BodyHtml, key.0));
            if let Some(html) = cached.and_then(|b| String::from_utf8(b).ok()) {
                return Ok(html);
            }
        }
        self.render(site, i, opts, key, text)
    }

    /// Note `i`'s visible text, for the search index.
    pub(crate) fn text(
        &self,
        site: &SiteIndex,
        i: usize,
        opts: &BodyOptions,
        key: Key,
    ) -> Result<markdown::PlainText> {
        let mut t = markdown::PlainText::default();
        self.render(site, i, opts, key, Some(&mut t))?;
        Ok(t)
    }

    fn render(
        &self,
        site: &SiteIndex,
        i: usize,
        opts: &BodyOptions,
        key: Key,
        text: Option<&mut markdown::PlainText>,
    ) -> Result<String> {
        let html = render_note_body_with_text(site, i, opts, self.hl, text)?;
        self.rendered.fetch_add(1, Ordering::Relaxed);
        // Rendered for its text, the body may be stored already.
        if let Some(s) = self.store.filter(|s| !s.has(Kind::BodyHtml, key.0)) {
            s.put(Kind::BodyHtml, key.0, html.as_bytes());
        }
        Ok(html)
    }
}
