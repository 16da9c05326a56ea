//! How a note's links and embeds resolve, for its body and its key alike.

use super::BodyOptions;
use crate::links;
use crate::markdown::{Href, LinkKind};
use crate::site::SiteIndex;

/// How a note's links and embeds resolve: the body's rendering and its key
/// both ask here, so the key covers what the rendering reads.
pub(super) struct Resolver<'a> {
    pub(super) site: &'a SiteIndex,
    pub(super) note: &'a crate::site::NoteMeta,
    pub(super) opts: &'a BodyOptions<'a>,
}

/// An embedded note (`![[note]]`, `![[note#heading]]`) as resolved.
pub(super) struct EmbedTarget<'a> {
    pub(super) index: usize,
    pub(super) anchor: Option<String>,
    pub(super) href: String,
    pub(super) note: &'a crate::site::NoteMeta,
}

impl<'a> Resolver<'a> {
    pub(super) fn href(&self, dest: &str, kind: LinkKind) -> Href {
        let to = |t| links::target_href(self.site, self.opts.base_path, &t);
        match links::resolve(self.site, self.note, dest, kind) {
            Ok(t) => to(t).map_or(Href::AsWritten, Href::To),
            // A heading gone from a note that is there (`links: warn`):
            // the note, as GitHub and Obsidian open it.
            Err(_) => match dest.split_once('#') {
                Some((note, _)) if !note.trim().is_empty() => {
                    match links::resolve(self.site, self.note, note, kind) {
                        Ok(t @ links::Target::Note { .. }) => to(t).map_or(Href::Broken, Href::To),
                        _ => Href::Broken,
                    }
                }
                _ => Href::Broken,
            },
        }
    }

    /// The text an mdBook include in a code block stands for (the model
    /// reported those that have none).
    pub(super) fn include(&self, spec: &str) -> Option<String> {
        crate::site::include_text(
            self.opts.site_root.0,
            (&self.note.abs, &self.note.rel),
            spec,
        )
        .ok()
    }

    pub(super) fn embed(&self, dest: &str) -> Option<EmbedTarget<'a>> {
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
