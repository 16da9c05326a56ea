//! The term shards an index was last written with, so that writing it again
//! (`serve`, after an edit) makes and compresses only the shards whose terms
//! changed: the rest keep their files, which the output already has.
//!
//! Shards are cut greedily from the first term, so a shard that starts at the
//! same term as last time and holds the same, unchanged terms ends where it
//! did; from there on the cuts are the same as well. The index is thus the
//! same, byte for byte, as one written from scratch.

use crate::cache::Kind;
use std::collections::{HashMap, HashSet};

/// A shard as written: how many terms it holds, its last term, whether it
/// was cut for its size (not at the last term of the index), its postings,
/// its file name, the hash of its text (the output's key for the file) and
/// the build cache's key of its stored postings (see [`super::state`]; 0:
/// not stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cut {
    pub(super) terms: usize,
    pub(super) last: Box<str>,
    pub(super) full: bool,
    pub(super) postings: usize,
    pub(super) name: String,
    pub(super) key: u64,
    pub(super) blob: u64,
}

impl Cut {
    /// What the build cache keeps of the shard: its postings and its file.
    pub(super) fn records(&self) -> [(Kind, u64); 2] {
        [
            (Kind::SearchShard, self.blob),
            (Kind::SearchShardFile, self.key),
        ]
    }
}

/// The shards of a write, by first term.
pub(super) type Cuts = HashMap<Box<str>, Cut>;

/// The shards of the last write, and the terms whose postings changed since.
#[derive(Default)]
pub(crate) struct Last {
    cuts: Cuts,
    changed: HashSet<Box<str>>,
    /// Terms a note kept with the same tf bucket while its length changed:
    /// their impact step may have moved (see [`Last::settle`]). With the
    /// tf bucket, the note's length before and after.
    suspects: Vec<(Box<str>, u32, u32, u32)>,
    /// The note count and average length the shards' impacts were computed
    /// from: when they move, every posting may change.
    basis: u64,
}

impl Last {
    /// The last write as a build's cache kept it (see [`super::resume`]).
    pub(super) fn resumed(shards: &[(Box<str>, Cut)], basis: u64) -> Last {
        Last {
            cuts: shards.iter().cloned().collect(),
            basis,
            ..Last::default()
        }
    }

    /// Whether `term`'s postings changed since the last write (after
    /// [`Last::settle`]).
    pub(super) fn changed(&self) -> &HashSet<Box<str>> {
        &self.changed
    }

    /// A note was indexed again: the terms it had (`old`) and has (`new`),
    /// each with its tf bucket and flags, and its length in tokens before
    /// and after. Only the terms whose posting of the note differs changed:
    /// most of an edited note's stay the same, though a note whose length
    /// changed may weigh them differently (settled at the next write).
    pub(super) fn note_changes(
        &mut self,
        old: Vec<(Box<str>, u8)>,
        new: Vec<(Box<str>, u8)>,
        (len_was, len): (u32, u32),
    ) {
        if self.cuts.is_empty() {
            return; // Nothing written yet: nothing to keep.
        }
        let mut was: HashMap<Box<str>, u8> = old.into_iter().collect();
        for (term, low) in new {
            match was.remove(&term) {
                Some(w) if w == low => {
                    if len_was != len {
                        self.suspects.push((term, (low >> 2) as u32, len_was, len));
                    }
                }
                _ => {
                    self.changed.insert(term);
                }
            }
        }
        self.changed.extend(was.into_keys());
    }

    /// Marks changed the suspects whose impact step moved with their
    /// note's length, by `impact` (the same average length as the last
    /// write's, or [`Keep`] keeps nothing anyway).
    pub(super) fn settle(&mut self, impact: &super::line::Impact) {
        for (term, bucket, was, now) in std::mem::take(&mut self.suspects) {
            if impact.step_for_len(was, bucket) != impact.step_for_len(now, bucket) {
                self.changed.insert(term);
            }
        }
    }

    /// The index was written with these shards and average length.
    pub(super) fn written(&mut self, cuts: Cuts, basis: u64) {
        self.cuts = cuts;
        self.basis = basis;
        self.changed.clear();
        self.suspects.clear();
    }
}

/// Which shards of the last write can be kept, over the terms of this one.
pub(super) struct Keep<'a> {
    last: &'a Last,
    terms: &'a [&'a str],
    basis: u64,
}

impl<'a> Keep<'a> {
    /// `terms`: this write's terms, in order; `basis`: what its impacts were
    /// computed from (see `line::Impact::basis`).
    pub(super) fn new(last: &'a Last, terms: &'a [&'a str], basis: u64) -> Self {
        Keep { last, terms, basis }
    }

    /// The shard of the last write that starts at term `i`, if it holds the
    /// same terms, none changed, it would be cut at the same term now, and
    /// the impacts were computed with the same average length.
    pub(super) fn at(&self, i: usize) -> Option<&'a Cut> {
        if self.basis != self.last.basis {
            return None;
        }
        let cut = self.last.cuts.get(*self.terms.get(i)?)?;
        let end = i + cut.terms;
        let same = end <= self.terms.len()
            && self.terms[end - 1] == &*cut.last
            && (cut.full || end == self.terms.len())
            && !self.terms[i..end]
                .iter()
                .any(|t| self.last.changed.contains(*t));
        same.then_some(cut)
    }
}

#[cfg(test)]
mod tests {
    use crate::output::{Key, Sink};
    use crate::search::{write_index, Collector};
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Files(Mutex<BTreeMap<String, Vec<u8>>>);

    impl Sink for Files {
        fn wants(&self, _: &str, _: Key) -> bool {
            true
        }
        fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
            self.0.lock().unwrap().insert(rel.into(), bytes.into());
            Ok(())
        }
    }

    const NOTES: usize = 30;

    /// Note `i`: many words of its own (the index spans several shards).
    fn body(i: usize, extra: &str) -> String {
        let words: Vec<String> = (0..800).map(|k| format!("w{i}x{k}")).collect();
        format!("<p>{} {extra}</p>", words.join(" "))
    }

    fn write(c: &Collector) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
        let files = Files::default();
        let (stats, _) = write_index(c, &files, None).unwrap();
        (files.0.into_inner().unwrap(), stats.kept)
    }

    /// A collector of every note, with note 7 as `seven` (or as it was).
    fn collector(seven: Option<&str>) -> Collector<'static> {
        let c = Collector::new(NOTES).unwrap();
        for i in 0..NOTES {
            let b = match (i, seven) {
                (7, Some(b)) => b.to_string(),
                _ => body(i, ""),
            };
            c.add(i, "t", &b).unwrap();
        }
        c
    }

    /// The files of a write that kept `kept` from `first`, put together.
    fn merged(first: &Written, second: &Written, kept: &[String]) -> Written {
        let mut merged = second.clone();
        merged.extend(kept.iter().map(|f| (f.clone(), first[f].clone())));
        merged
    }

    type Written = BTreeMap<String, Vec<u8>>;

    #[test]
    fn writing_again_keeps_the_unchanged_shards_and_equals_a_fresh_write() {
        let c = collector(None);
        let (first, kept) = write(&c);
        assert!(kept.is_empty());
        assert!(first.keys().filter(|f| f.starts_with("search/t/")).count() > 4);
        // One note changes: a new word and one gone (near each other in the
        // index's order, so the shards after them are cut where they were).
        let edited = body(7, "").replace("w7x5 ", "w7z5 ");
        c.add(7, "t", &edited).unwrap();
        let (second, kept) = write(&c);
        assert!(kept.iter().any(|f| f.starts_with("search/t/")), "{kept:?}");
        assert!(kept
            .iter()
            .all(|f| first.contains_key(f) && !second.contains_key(f)));

        let (whole, _) = write(&collector(Some(&edited)));
        let merged = merged(&first, &second, &kept);
        assert_eq!(merged, whole, "the same files, byte for byte");
        // The same text again: every shard is kept (its text is packed again,
        // and the small term directory is written again, the same).
        c.add(7, "t", &edited).unwrap();
        let (third, _) = write(&c);
        let made = |f: &&String| f.starts_with("search/t/") && second.get(*f) != third.get(*f);
        assert_eq!(third.keys().filter(made).count(), 0, "{:?}", third.keys());
    }

    #[test]
    fn a_note_that_grows_changes_the_impact_of_the_terms_it_kept() {
        let c = collector(None);
        let (first, _) = write(&c);
        // Note 7 keeps every word, once each, and gains as many new ones:
        // its length doubles, so the weight of each word it kept falls.
        let more: Vec<String> = (0..800).map(|k| format!("zzgrown{k}")).collect();
        let grown = body(7, &more.join(" "));
        c.add(7, "t", &grown).unwrap();
        let (second, kept) = write(&c);
        assert!(kept.iter().any(|f| f.starts_with("search/t/")), "{kept:?}");
        let (whole, _) = write(&collector(Some(&grown)));
        assert_eq!(merged(&first, &second, &kept), whole, "byte for byte");
    }
}
