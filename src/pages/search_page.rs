//! The search results page and what the search index lists of each note.
//! The results are found and shown in the browser (`static/search.js`), so
//! the page itself lists nothing.

use super::*;

/// Where the results page is written (with `search: true`).
pub(crate) const SEARCH_PAGE: &str = "search/index.html";

impl<'a> Pages<'a> {
    /// The search results page.
    pub(crate) fn search_page(&self) -> Planned {
        let mut ctx = self.context("search", "search/", Current::Other);
        ctx.insert("page_description", &self.describe_page("search", &[]));
        ctx.plan(SEARCH_PAGE.into(), "search.html", PAGE_BYTES)
    }

    /// Every note's title and link, in document order, as the search index lists them.
    pub(crate) fn search_docs(&self) -> Vec<(&'a str, &'a str)> {
        self.site
            .notes
            .iter()
            .map(|n| (n.title.as_str(), n.href.as_str()))
            .collect()
    }
}
