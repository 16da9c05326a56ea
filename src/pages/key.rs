//! Dependency keys. A page's key is a hash of every value put into its
//! template context, taken by the same `insert` that fills the context, plus
//! the templates and (for a note) its body's key. So a field added to a
//! context is in the key without anyone remembering to add it: `serve` (and
//! a cache) can trust "same key, same page".

use super::{key_encode, Pages};
use serde::Serialize;
use std::hash::{Hash, Hasher};
use xxhash_rust::xxh3::Xxh3Default as KeyHasher;

pub(crate) use crate::output::Key;

thread_local! {
    /// A value's encoding on its way into a key; kept for the next one.
    static ENCODED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A Tera context that hashes each value as it is inserted. Without a
/// context (`key_only`) it only hashes: `serve` and a build over the last
/// one's output plan every page to find the few whose key changed, and
/// build a context only for those, without a hash (`context_only`): their
/// key is known, and hashing a note's body again was a tenth of a rebuild.
#[derive(Clone)]
pub(crate) struct KeyedContext {
    ctx: Option<tera::Context>,
    hash: Option<KeyHasher>,
}

impl KeyedContext {
    /// A context that keeps its values for rendering.
    pub(crate) fn full() -> KeyedContext {
        KeyedContext {
            ctx: Some(tera::Context::new()),
            hash: Some(KeyHasher::new()),
        }
    }

    /// The same key, with no values kept.
    pub(crate) fn key_only(&self) -> KeyedContext {
        KeyedContext {
            ctx: None,
            hash: self.hash.clone(),
        }
    }

    /// The same values, hashing nothing more: for a page whose key is known.
    pub(crate) fn context_only(&self) -> KeyedContext {
        KeyedContext {
            ctx: self.ctx.clone(),
            hash: None,
        }
    }

    /// Inserts `value` as `name`, and its serde data (what the template
    /// sees, see [`key_encode`]) into the key.
    pub(crate) fn insert<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if let Some(hash) = &mut self.hash {
            name.hash(hash);
            // Collected first: the hasher copies each small piece it is fed
            // into a buffer of its own, one call at a time. Our context types
            // always serialize; were one not to, Tera's insert below would
            // fail the same way.
            ENCODED.with_borrow_mut(|bytes| {
                bytes.clear();
                let _ = key_encode::encode(bytes, value);
                hash.update(bytes);
            });
            0xffu8.hash(hash);
        }
        if let Some(ctx) = &mut self.ctx {
            ctx.insert(name, value);
        }
    }

    /// Puts `value` into the key as [`KeyedContext::insert`] would, but not
    /// into the context: a value inserted in full later (a note's entry,
    /// once its body is rendered).
    pub(crate) fn hash_only<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let ctx = self.ctx.take();
        self.insert(name, value);
        self.ctx = ctx;
    }

    /// Inserts the value `value` makes, whose [`key_encode`] bytes `encoded`
    /// writes out: the same key as [`KeyedContext::insert`], for a value
    /// whose encoding is known without serializing it (the sidebar, from its
    /// per-entry cache). Only a full context makes the value.
    pub(crate) fn insert_encoded<T: Serialize>(
        &mut self,
        name: &str,
        encoded: impl FnOnce(&mut dyn FnMut(&[u8])),
        value: impl FnOnce() -> T,
    ) {
        if let Some(hash) = &mut self.hash {
            name.hash(hash);
            encoded(&mut |bytes| hash.update(bytes));
            0xffu8.hash(hash);
        }
        if let Some(ctx) = &mut self.ctx {
            ctx.insert(name, &value());
        }
    }

    /// Adds something the page depends on that is not in the context (the
    /// templates, a note's body).
    pub(crate) fn depend_on(&mut self, what: impl Hash) {
        if let Some(hash) = &mut self.hash {
            what.hash(hash);
        }
    }

    /// The Tera context alone (for a page whose key is known already).
    pub(crate) fn into_context(self) -> Option<tera::Context> {
        self.ctx
    }

    /// The finished context, ready to render `template` as the page at `rel`
    /// (with key 0 when [`KeyedContext::context_only`]: the caller has the key).
    pub(crate) fn plan(self, rel: String, template: &'static str, capacity: usize) -> Planned {
        Planned {
            key: Key(self.hash.map_or(0, |h| h.finish())),
            rel,
            template,
            ctx: self.ctx,
            capacity,
        }
    }
}

impl Planned {
    /// Whether the page can be rendered as it is (not planned for its key only).
    pub(crate) fn has_context(&self) -> bool {
        self.ctx.is_some()
    }
}

/// What [`Pages`] make of a page: see [`Pages::key_only`] and [`Pages::context_only`].
#[derive(Clone, Copy)]
pub(super) enum Mode {
    Full,
    KeyOnly,
    ContextOnly,
}

impl<'a> Pages<'a> {
    /// These generators, planning pages for their key only: no template
    /// context is built (a sink that wants a page has it made again by
    /// [`Pages::context_only`] ones).
    pub(crate) fn key_only(&self) -> Pages<'a> {
        self.with_mode(Mode::KeyOnly)
    }

    /// These generators, making the context of pages whose key is known
    /// (planned by [`Pages::key_only`] ones), without hashing it again.
    pub(crate) fn context_only(&self) -> Pages<'a> {
        self.with_mode(Mode::ContextOnly)
    }

    fn with_mode(&self, mode: Mode) -> Pages<'a> {
        Pages {
            mode,
            base: self.base.clone(),
            base_path: self.base_path.clone(),
            t: self.t.clone(),
            title: self.title.clone(),
            nav_cache: self.nav_cache.clone(),
            ..*self
        }
    }
}

/// A page with its context built and its key known, not yet rendered: a
/// sink that still holds the page under the same key skips the rendering.
pub(crate) struct Planned {
    pub key: Key,
    /// Where the page goes, relative to the output folder (`a/b/index.html`).
    pub rel: String,
    pub(super) template: &'static str,
    /// `None` when planned for its key only.
    pub(super) ctx: Option<tera::Context>,
    /// A guess at the page's size, for one allocation.
    pub(super) capacity: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_inserted_value_is_in_the_key() {
        let base = {
            let mut c = KeyedContext::full();
            c.insert("title", "笔记");
            c
        };
        let key = |c: KeyedContext| c.plan(String::new(), "x", 0).key;
        let mut a = base.clone();
        a.insert("extra", &1);
        let mut b = base.clone();
        b.insert("extra", &2);
        let mut c = base.clone();
        c.insert("other", &1);
        assert_ne!(key(a.clone()), key(b));
        assert_ne!(key(a.clone()), key(c));
        assert_ne!(key(a.clone()), key(base.clone()));
        let mut again = base.clone();
        again.insert("extra", &1);
        assert_eq!(key(a.clone()), key(again));
        let mut only = base.key_only();
        only.insert("extra", &1);
        let planned = only.plan(String::new(), "x", 0);
        assert!(!planned.has_context());
        assert_eq!(
            planned.key,
            key(a.clone()),
            "a key-only context has the same key"
        );
        let mut d = base.clone();
        d.depend_on(7u64);
        assert_ne!(key(d), key(base.clone()));
        let mut known = base.context_only();
        known.insert("extra", &1);
        assert_eq!(
            known.into_context().map(|c| c.into_json()),
            a.into_context().map(|c| c.into_json()),
            "a context-only context has the same values"
        );
    }
}
