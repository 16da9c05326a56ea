//! Every page's meta description (`page_description`): search engines show
//! it under the title, and a page without one fails Lighthouse's SEO check.
//! A note has its own (front matter `description`, else its first sentence);
//! the other pages the site's `description`, else a sentence saying what
//! they list, in the site's language.

use super::*;

impl Pages<'_> {
    /// UI string `key` with each `{name}` replaced by its value.
    /// A count of one takes the key's `_one` form, where there is one.
    fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let one = args.contains(&("n", "1"));
        let one = one
            .then(|| self.t.get(format!("{key}_one").as_str()))
            .flatten();
        let mut s = one
            .or(self.t.get(key))
            .copied()
            .unwrap_or_default()
            .to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// The site's description, or else UI string `key` filled with `args`.
    fn site_or(&self, key: &str, args: &[(&str, &str)]) -> String {
        match self.cfg.description.trim() {
            "" => self.fill(key, args),
            d => d.to_string(),
        }
    }

    /// A note's page: its description or first sentence; failing both (a
    /// note of headings, code or tables only), the site's, or its title.
    pub(super) fn describe_note(&self, n: &NoteMeta) -> String {
        match n.blurb().trim() {
            "" => self.site_or("desc_note", &[("title", &n.title)]),
            b => b.to_string(),
        }
    }

    /// The home page: the site's description, or what the site holds.
    pub(super) fn describe_home(&self) -> String {
        let notes = self.site.notes.len().to_string();
        let topics = self.topics.topics.len().to_string();
        self.site_or(
            "desc_home",
            &[("title", &self.title), ("n", &notes), ("m", &topics)],
        )
    }

    /// A folder's page: its README's description or first sentence, or
    /// what it holds (its own words before the site's, which every page has).
    pub(super) fn describe_folder(&self, f: &crate::site::Folder) -> String {
        match f.index.map_or("", |i| self.site.notes[i].blurb().trim()) {
            "" => self.fill(
                "desc_folder",
                &[("name", &f.name), ("n", &f.total.to_string())],
            ),
            b => b.to_string(),
        }
    }

    /// A topic's page: how many notes it has.
    pub(super) fn describe_topic(&self, t: &Topic) -> String {
        let n = t.notes.len().to_string();
        self.fill("desc_topic", &[("name", &t.name), ("n", &n)])
    }

    /// A page of the site's own (`topics`, `index`, `index_letter`,
    /// `search`, `not_found`): the site's description, or what it lists.
    pub(super) fn describe_page(&self, page: &str, args: &[(&str, &str)]) -> String {
        let mut all = vec![("title", self.title.as_str())];
        all.extend_from_slice(args);
        self.site_or(&format!("desc_{page}"), &all)
    }
}
