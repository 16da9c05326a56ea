//! Resuming an index: the files equal a write from every note, and when the
//! cache lacks what it needs nothing is written.

use super::*;
use crate::cache::Store;
use crate::markdown::PlainText;
use crate::search::write_index;
use std::collections::BTreeMap;
use std::sync::Mutex;

const NOTES: usize = 40;

/// Files by path, as an output holds them.
type Files = BTreeMap<String, Vec<u8>>;

/// The output: the files of the last write, which it keeps when asked.
#[derive(Default)]
struct Out {
    before: Files,
    now: Mutex<Files>,
}

impl Sink for Out {
    fn wants(&self, _: &str, _: Key) -> bool {
        true
    }
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.now.lock().unwrap().insert(rel.into(), bytes.into());
        Ok(())
    }
    fn keeps(&self, rel: &str, _: Key) -> bool {
        let Some(b) = self.before.get(rel) else {
            return false;
        };
        self.now.lock().unwrap().insert(rel.into(), b.clone());
        true
    }
}

/// Note `i`: words of its own, shared words and Chinese text.
fn body(i: usize) -> String {
    let own: Vec<String> = (0..300).map(|k| format!("w{i}x{k}")).collect();
    format!(
        "<p>{} 共享 进程 协程 shared common{} </p>",
        own.join(" "),
        i % 3
    )
}

fn text(html: &str) -> PlainText {
    let mut t = PlainText::default();
    t.push_html(html);
    t
}

/// The notes' bodies and record keys, one site version.
struct Site {
    bodies: Vec<String>,
    memos: Vec<u64>,
}

impl Site {
    fn new() -> Site {
        Site {
            bodies: (0..NOTES).map(body).collect(),
            memos: (0..NOTES as u64).collect(),
        }
    }

    fn edit(&mut self, i: usize, body: String) {
        self.bodies[i] = body;
        self.memos[i] += 1000;
    }

    /// Indexes the notes `only` (all: `None`), storing their records.
    fn collector(&self, store: &Store, only: Option<&[usize]>) -> Collector<'static> {
        let c = Collector::new(NOTES).unwrap();
        let all: Vec<usize> = (0..NOTES).collect();
        let only = only.unwrap_or(&all);
        c.want_only(only);
        for &i in only {
            let memos = c.add_text(i, ("t", ""), text(&self.bodies[i]), Some(self.memos[i]));
            for (k, r) in memos.unwrap() {
                store.put(Kind::SearchTerms, k, &r);
            }
        }
        for (k, r) in c.flush().unwrap() {
            store.put(Kind::SearchTerms, k, &r);
        }
        c
    }

    /// The files of a write from every note, and its state.
    fn full(&self, store: &Store) -> (Files, State) {
        self.full_over(store, &Files::new())
    }

    /// [`Site::full`] over an output that has the files `before`.
    fn full_over(&self, store: &Store, before: &Files) -> (Files, State) {
        let c = self.collector(store, None);
        let out = Out {
            before: before.clone(),
            ..Out::default()
        };
        let cached = Cached {
            store,
            memos: &self.memos,
        };
        let (_, state) = write_index(&c, &out, Some(cached)).unwrap();
        (out.now.into_inner().unwrap(), state.unwrap())
    }

    /// Resumes `state` with the notes `changed`, over the output `before`;
    /// writes nothing when it cannot.
    fn resume(
        &self,
        store: &Store,
        last: (&State, &Files),
        changed: &[usize],
    ) -> Option<(Files, IndexStats, State)> {
        let (r, now) = self.resume_over(store, last, changed);
        match r {
            Some((stats, state)) => Some((now, stats, state)),
            None => {
                assert!(now.is_empty(), "nothing written: {:?}", now.keys());
                None
            }
        }
    }

    /// [`Site::resume`], with the files written whether or not it could.
    fn resume_over(
        &self,
        store: &Store,
        (state, before): (&State, &Files),
        changed: &[usize],
    ) -> (Option<(IndexStats, State)>, Files) {
        let c = self.collector(store, Some(changed));
        let out = Out {
            before: before.clone(),
            ..Out::default()
        };
        let cached = Cached {
            store,
            memos: &self.memos,
        };
        let r = write_resumed(&c, state, &out, cached).unwrap();
        (r, out.now.into_inner().unwrap())
    }
}

/// A store in a folder of its own (removed when the folder is dropped,
/// after the store).
fn new_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (Store::open(dir.path(), 1).unwrap().0, dir)
}

#[test]
fn a_resumed_index_equals_one_made_from_every_note() {
    let (store, _dir) = new_store();
    let mut site = Site::new();
    let (first, state) = site.full(&store);
    assert!(state.shards.len() > 4, "{} shards", state.shards.len());

    // One word of a note changed for another: one shard is made again.
    site.edit(7, body(7).replace("w7x5 ", "w7y5 "));
    let (resumed, stats, state) = site
        .resume(&store, (&state, &first), &[7])
        .expect("resumed");
    assert!(
        !stats.kept.is_empty() && stats.kept.len() < stats.shards,
        "{} of {} shards kept",
        stats.kept.len(),
        stats.shards
    );
    let (whole, full_state) = site.full(&store);
    assert_eq!(resumed, whole, "the same files, byte for byte");
    assert_eq!(state, full_state, "the same state for the next build");

    // From there: a word added to one note, one gone from another, a third
    // reworded.
    site.edit(7, body(7).replace("w7x5 ", "brandnew "));
    site.edit(20, body(20) + "<p>共享内存</p>");
    site.edit(33, body(33).replace("进程", "线程"));
    let (again, _, state) = site
        .resume(&store, (&state, &resumed), &[7, 20, 33])
        .expect("resumed");
    let (whole, full_state) = site.full(&store);
    assert_eq!(again, whole, "the same files, byte for byte");
    assert_eq!(state, full_state);
}

#[test]
fn without_what_it_needs_resuming_writes_nothing() {
    let (store, _dir) = new_store();
    let mut site = Site::new();
    let (first, state) = site.full(&store);

    // A note that grows tenfold moves the average length: every impact may change.
    let long: Vec<String> = (0..3000).map(|k| format!("grown{k}")).collect();
    let mut grown = Site::new();
    grown.edit(3, format!("<p>{}</p>", long.join(" ")));
    assert!(grown.resume(&store, (&state, &first), &[3]).is_none());

    // The cache lost the stored shards and the old records.
    site.edit(3, body(3) + "<p>x</p>");
    let (other, _dir) = new_store();
    assert!(site.resume(&other, (&state, &first), &[3]).is_none());
}

#[test]
fn over_an_empty_output_every_file_comes_from_the_cache() {
    let (store, _dir) = new_store();
    let mut site = Site::new();
    let (first, state) = site.full(&store);
    // The shards' files are stored as written, for an output that lacks them.
    for (_, cut) in &state.shards {
        assert!(store.has(Kind::SearchShardFile, cut.key));
    }
    let none = Files::new();
    let (again, stats, _) = site.resume(&store, (&state, &none), &[]).expect("resumed");
    assert!(stats.kept.is_empty());
    assert_eq!(again, first, "every file written again, byte for byte");

    site.edit(7, body(7).replace("w7x5 ", "w7y5 "));
    let (resumed, _, state) = site.resume(&store, (&state, &none), &[7]).expect("resumed");
    let (whole, full_state) = site.full(&store);
    assert_eq!(resumed, whole, "the same files, byte for byte");
    assert_eq!(state, full_state);
}

#[test]
fn a_cache_that_cannot_give_a_file_back_stops_the_resumed_write() {
    let (store, _dir) = new_store();
    let site = Site::new();
    let (_, state) = site.full(&store);
    // Another cache with the notes' records but none of the stored shards:
    // the shards the (empty) output lacks cannot be written again.
    let (other, _other_dir) = new_store();
    site.collector(&other, None);
    let (r, _) = site.resume_over(&other, (&state, &BTreeMap::new()), &[]);
    assert!(r.is_none(), "the caller makes the index from every note");
}

#[test]
fn a_shard_file_the_cache_lacks_is_made_from_its_stored_postings() {
    let (store, _dir) = new_store();
    let site = Site::new();
    let (first, _) = site.full(&store);
    // A cache filled over an output that had every file: it stored the
    // shards' postings but none of their files.
    let (other, _other_dir) = new_store();
    let (_, state) = site.full_over(&other, &first);
    for (_, cut) in &state.shards {
        assert!(!other.has(Kind::SearchShardFile, cut.key));
    }
    let (again, _, _) = site
        .resume(&other, (&state, &Files::new()), &[])
        .expect("resumed");
    assert_eq!(again, first, "every file made again, byte for byte");
}
