//! Where a note's text is in the file its author wrote: byte offsets of the
//! parsed text as (line, column), through the rewrites made before parsing.

use super::container;
use super::inline_footnote::Moved;

/// Where the rewrites before parsing moved the note's text, so messages
/// name the line and column the author wrote.
#[derive(Default)]
pub(super) struct Remap {
    /// Inline footnotes moved to the end.
    pub(super) moved: Vec<Moved>,
    /// Lines whose text moved along them, or that were added (containers
    /// quoted).
    pub(super) lines: container::Moves,
}

/// Byte offset -> (line, column), 1-based, with the front matter's lines added.
pub(super) struct LineIndex {
    starts: Vec<usize>,
    offset: usize,
    /// The last position asked for, (line, byte, characters before it on
    /// its line): positions come in order, so a column is counted on from
    /// there (10k links on one line counted the line 10k times).
    last: std::cell::Cell<(usize, usize, usize)>,
    /// Inline footnotes moved to the end: reported where they were written.
    moved: Vec<Moved>,
    /// Lines whose text moved along them or were added (see [`Remap`]).
    lines: container::Moves,
}

impl LineIndex {
    pub(super) fn new(text: &str, offset: usize) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            offset,
            last: Default::default(),
            moved: Vec::new(),
            lines: Default::default(),
        }
    }

    pub(super) fn with_remap(mut self, remap: Remap) -> LineIndex {
        self.moved = remap.moved;
        self.lines = remap.lines;
        self
    }

    pub(super) fn pos(&self, text: &str, byte: usize) -> (usize, usize) {
        if let Some(m) = self
            .moved
            .iter()
            .find(|m| (m.at..=m.at + m.len).contains(&byte))
        {
            let (line, col) = self.pos(text, m.written);
            let inside = text.get(m.at..byte).map_or(0, |s| s.chars().count());
            return (line, col + 2 + inside);
        }
        let line = self.starts.partition_point(|&s| s <= byte) - 1;
        // Lines the rewrite added before this one are not the author's.
        let added = self.lines.inserted.partition_point(|&l| l < line);
        let (last_line, last_byte, last_chars) = self.last.get();
        let (from, before) = match line == last_line && last_byte <= byte {
            true => (last_byte, last_chars),
            false => (self.starts[line], 0),
        };
        let Some(counted) = text.get(from..byte).map(|s| s.chars().count()) else {
            return (line + 1 + self.offset - added, 1);
        };
        self.last.set((line, byte, before + counted));
        let col = (before + counted + 1) as isize;
        let shifts = &self.lines.shifts;
        let shift = match shifts.binary_search_by_key(&line, |s| s.0) {
            Ok(i) => shifts[i].1,
            Err(_) => 0,
        };
        (
            line + 1 + self.offset - added,
            (col - shift).max(1) as usize,
        )
    }
}
