//! Postings moved to disk while a big site's notes render.
//!
//! The postings are the bulk of what a build holds (100k notes: ~205M
//! postings, ~560 MB packed), and they grow with the site. A part whose
//! lists pass its share of [`SPILL_BYTES`] writes them to a run file in
//! term order and starts again empty; the index writer, which visits terms
//! in that same order, reads each run once from start to end. A site whose
//! postings fit (10k notes: 56 MB) never writes a run.

use super::part::Part;
use super::postings::decode;
use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::MutexGuard;

/// Postings all parts together may hold in memory before they spill.
pub(super) const SPILL_BYTES: usize = 128 * 1024 * 1024;

/// Where a collector spills, and at what size a part does.
pub(crate) struct Spill {
    pub(crate) dir: PathBuf,
    pub(crate) part_bytes: usize,
}

/// One spill of one part: per term (in the order of [`sort_terms`]) its
/// bytes in the file, which decode as one list.
pub(super) struct Run {
    file: File,
    dir: Vec<(u32, u32)>,
}

/// A part's term ids in the order the index lists terms (UTF-16, as the
/// browser compares strings).
pub(super) fn sort_terms(part: &Part, ids: &mut [u32]) {
    ids.sort_unstable_by(|&a, &b| {
        let (a, b) = (&part.terms[a as usize], &part.terms[b as usize]);
        a.encode_utf16().cmp(b.encode_utf16())
    });
}

impl Part {
    /// Writes this part's postings to a new run file in `dir` when they
    /// hold more than `limit` bytes, and empties them.
    pub(super) fn spill_over(&mut self, dir: &Path, limit: usize) -> Result<()> {
        if self.postings.heap_bytes() <= limit {
            return Ok(());
        }
        let mut ids: Vec<u32> = (0..self.terms.len() as u32)
            .filter(|&id| !self.postings.is_empty(id))
            .collect();
        sort_terms(self, &mut ids);
        // Unnamed: gone when dropped, or when the process dies.
        let file = tempfile::tempfile_in(dir).with_context(|| {
            format!(
                "cannot make a file for the search index in `{}`",
                dir.display()
            )
        })?;
        let mut w = BufWriter::with_capacity(1 << 20, &file);
        let mut run = Vec::with_capacity(ids.len());
        for id in ids {
            let mut len = 0u32;
            let mut err = Ok(());
            self.postings.for_each_block(id, |b| {
                len += b.len() as u32;
                if err.is_ok() {
                    err = w.write_all(b);
                }
            });
            err.context("cannot write the search index's postings to disk")?;
            run.push((id, len));
            self.in_runs[id as usize] = true;
        }
        w.flush()
            .context("cannot write the search index's postings to disk")?;
        drop(w);
        self.runs.push(Run { file, dir: run });
        self.postings.clear();
        log::debug!(
            "search index: postings of {} terms moved to disk",
            self.runs.last().map_or(0, |r| r.dir.len())
        );
        Ok(())
    }
}

/// Readers of every part's runs, from their start. `order` is every term
/// as the index lists them (part, term id): a run lists its terms in that
/// order, so a term's place in it tells the readers what to pass over.
pub(super) fn open_runs<'p>(
    parts: &'p [MutexGuard<'_, Part>],
    order: &[(&str, usize, u32)],
) -> Result<Vec<RunReaders<'p>>> {
    let mut ranks: Vec<Vec<u32>> = parts
        .iter()
        .map(|p| match p.runs.is_empty() {
            true => Vec::new(),
            false => vec![u32::MAX; p.terms.len()],
        })
        .collect();
    for (at, &(_, k, id)) in order.iter().enumerate() {
        if let Some(r) = ranks[k].get_mut(id as usize) {
            *r = at as u32;
        }
    }
    parts
        .iter()
        .zip(ranks)
        .map(|(part, rank)| {
            let readers = part
                .runs
                .iter()
                .map(|run| {
                    let mut file = run.file.try_clone()?;
                    file.seek(SeekFrom::Start(0))?;
                    Ok(RunReader {
                        file: BufReader::with_capacity(1 << 20, file),
                        dir: &run.dir,
                        at: 0,
                    })
                })
                .collect::<std::io::Result<_>>()
                .context("cannot read back the search index's postings")?;
            Ok(RunReaders { rank, readers })
        })
        .collect()
}

/// Readers of one part's runs.
pub(super) struct RunReaders<'p> {
    /// Per term id: its place in the runs' order.
    rank: Vec<u32>,
    readers: Vec<RunReader<'p>>,
}

struct RunReader<'p> {
    file: BufReader<File>,
    dir: &'p [(u32, u32)],
    at: usize,
}

impl RunReaders<'_> {
    /// Appends each run's bytes of term `id` to `out`, one `Vec` per run
    /// that has it. Terms must be asked for in the runs' order; those
    /// skipped (a kept shard's) are passed over.
    pub(super) fn take(&mut self, id: u32, out: &mut Vec<Vec<u8>>) -> Result<()> {
        if self.readers.is_empty() {
            return Ok(());
        }
        let want = self.rank[id as usize];
        for r in &mut self.readers {
            while let Some(&(t, len)) = r.dir.get(r.at) {
                let rank = self.rank[t as usize];
                if rank > want {
                    break;
                }
                r.at += 1;
                if rank < want {
                    r.file.seek_relative(len as i64)?;
                    continue;
                }
                let mut bytes = vec![0; len as usize];
                r.file
                    .read_exact(&mut bytes)
                    .context("cannot read back the search index's postings")?;
                out.push(bytes);
                break;
            }
        }
        Ok(())
    }
}

/// Calls `f` with each posting of `runs` (bytes [`RunReaders::take`] gave).
pub(super) fn for_each(runs: &[Vec<u8>], mut f: impl FnMut(u32)) {
    for bytes in runs {
        decode(bytes, &mut f);
    }
}
