//! The search index of a build: kept whole when nothing it is made of
//! changed; resumed from the last build's [`State`] when a few notes did
//! (only those are indexed, and only the shards holding their changed terms
//! are made again, see `search::resume`); else made from every note.

use super::{index_missing, search_key, Bodies, Model, SearchIndex};
use crate::build::body::memo_key;
use crate::cache::{Cache, Kind};
use crate::output::{Key, Sink, StagingSink};
use crate::pages::Pages;
use crate::search::{write_index, write_resumed, Cached, Collector, State};
use anyhow::Result;

/// A build resumes the last index only when at most one note in this many
/// changed: past that, most shards are made again anyway, and indexing
/// every note from its record costs about the same.
const RESUME_SHARE: usize = 16;

/// What a build does about the search index.
pub(super) struct SearchJob {
    /// The index must be made (it is on, and the output's is not current).
    pub(super) wanted: bool,
    /// `search: false`.
    off: bool,
    key: Key,
    /// Each note's search record key, with a cache.
    memos: Option<Vec<u64>>,
    /// The last build's index, and the notes changed since.
    resume: Option<(State, Vec<usize>)>,
}

impl SearchJob {
    /// Keeps the output's index if it is current; else finds what the last
    /// build's can give. `resumable`: the collector will be a build's
    /// streaming one (`serve` keeps its collector, which must hold every note).
    pub(super) fn new(
        p: &Model,
        (pages, body_keys): (&Pages, &[Key]),
        (out, staged): (&dyn Sink, &StagingSink),
        cache: Option<&Cache>,
        resumable: bool,
    ) -> SearchJob {
        if !p.cfg.search {
            return SearchJob {
                wanted: false,
                off: true,
                key: Key(0),
                memos: None,
                resume: None,
            };
        }
        let docs = pages.search_docs();
        let key = search_key(&docs, body_keys);
        let wanted = !out.keep_group("search/", key);
        let memos = cache.filter(|_| wanted).map(|_| {
            body_keys
                .iter()
                .zip(&docs)
                .map(|(k, label)| memo_key(*k, *label))
                .collect::<Vec<u64>>()
        });
        if !wanted {
            // Kept: so are the stored shards a later build resumes from.
            if let Some(c) = cache {
                let state = c.store.get(Kind::SearchState, key.0);
                for (kind, key) in state
                    .as_deref()
                    .and_then(State::decode)
                    .iter()
                    .flat_map(|s| s.records())
                {
                    c.store.touch(kind, key);
                }
            }
        }
        let resume = match (cache, &memos) {
            (Some(c), Some(memos)) if resumable => last_state(c, staged, memos),
            _ => None,
        };
        SearchJob {
            wanted,
            off: false,
            key,
            memos,
            resume,
        }
    }

    /// How the index was made if it was not written ([`SearchJob::write`]
    /// says otherwise).
    pub(super) fn outcome(&self) -> SearchIndex {
        match (self.wanted, self.off) {
            (_, true) => SearchIndex::Off,
            (false, false) => SearchIndex::Kept,
            (true, false) => SearchIndex::Made,
        }
    }

    /// Readies the collector: when resuming, it indexes the changed notes only.
    pub(super) fn prepare(&self, collector: &Collector) {
        if let Some((_, changed)) = &self.resume {
            collector.want_only(changed);
        }
    }

    /// Writes the index (after the notes rendered), and keeps what the next
    /// build resumes from in the cache.
    pub(super) fn write(
        &self,
        p: &Model,
        (bodies, search): (&Bodies, &Collector),
        body_keys: &[Key],
        out: &dyn Sink,
        cache: Option<&Cache>,
    ) -> Result<SearchIndex> {
        index_missing(p, bodies, search, Some(body_keys))?;
        let cached = cache.zip(self.memos.as_deref()).map(|(c, memos)| Cached {
            store: &c.store,
            memos,
        });
        let (mut state, mut how) = (None, SearchIndex::Made);
        if let (Some((last, _)), Some(cached)) = (&self.resume, cached) {
            if let Some((stats, s)) = write_resumed(search, last, out, cached)? {
                // What a resumed write keeps is term shards only.
                how = SearchIndex::Resumed {
                    made: stats.shards - stats.kept.len(),
                    shards: stats.shards,
                };
                state = Some(s);
            } else {
                log::debug!("search index: cannot resume the last build's; made from every note");
                search.want_all();
                index_missing(p, bodies, search, Some(body_keys))?;
            }
        }
        if state.is_none() {
            state = write_index(search, out, cached)?.1;
        }
        if let (Some(c), Some(state)) = (cache, state) {
            c.store.put(Kind::SearchState, self.key.0, &state.encode());
        }
        Ok(how)
    }
}

/// The index the last build made for the output, if the cache has its
/// state and few enough notes changed since (by their record keys).
fn last_state(cache: &Cache, staged: &StagingSink, memos: &[u64]) -> Option<(State, Vec<usize>)> {
    let key = staged.previous_group("search/")?;
    let state = State::decode(&cache.store.get(Kind::SearchState, key.0)?)?;
    if state.notes.len() != memos.len() {
        return None;
    }
    let changed: Vec<usize> = (0..memos.len())
        .filter(|&i| state.notes[i].memo != memos[i])
        .collect();
    if changed.len() * RESUME_SHARE > memos.len() {
        return None;
    }
    // Without the last output (a CI run restores the cache alone), every
    // file is written again from the cache: it must have them all.
    let stored = || {
        let store = &cache.store;
        state.blobs().all(|b| store.has(Kind::SearchShard, b))
            && (state.notes.iter().zip(memos))
                .filter(|(n, m)| n.memo == **m)
                .all(|(n, _)| store.has(Kind::SearchTerms, n.memo))
    };
    (staged.has_previous() || stored()).then_some((state, changed))
}
