//! What rendering a note takes from the rest of the site: the build's
//! resolvers and settings, passed in so Markdown reads no files itself.

use super::super::{Heading, Href, LinkKind, Syntax};
use crate::highlight::{CodeStyles, Highlighter};

/// A note shown inside another (`![[note]]`): its body and where it lives.
pub(crate) struct Embedded {
    pub href: String,
    pub title: String,
    pub html: String,
    /// It would show a note it is already inside: a link only.
    pub cycle: bool,
}

/// What `render` needs from the rest of the site.
pub(crate) struct RenderCtx<'a> {
    /// The note's headings from `scan`, in order (their ids are reused, never recomputed).
    pub headings: &'a [Heading],
    pub highlighter: &'a Highlighter,
    pub code_styles: &'a CodeStyles,
    /// Where a link as written leads.
    pub resolve: &'a dyn Fn(&str, LinkKind) -> Href,
    pub syntax: &'a Syntax,
    /// The site's language, for callout titles.
    pub language: &'a str,
    /// Raw HTML passes as written (else it is sanitized; it is balanced either way).
    pub trusted_html: bool,
    /// `notes/x.md` and the front matter's lines, for warnings that name a line.
    pub file: &'a str,
    pub line_offset: usize,
    /// The note an `![[embed]]` names, rendered; `None` shows the embed as a link.
    pub embed: &'a dyn Fn(&str) -> Option<Embedded>,
    /// Put into footnote ids: empty on a note's own page, the note's own
    /// for a note shown inside another, so its footnotes keep to themselves.
    pub footnote_ids: &'a str,
    /// Put before `#id` in links to the note's own headings that the
    /// renderer makes (the `[TOC]`): empty on its own page, its page's URL
    /// when it is shown inside another (which has none of its ids).
    pub own_page: &'a str,
    /// The text an mdBook `{{#include path:lines}}` spec in a code block
    /// stands for; `None` leaves it as written.
    pub include: &'a dyn Fn(&str) -> Option<String>,
}
