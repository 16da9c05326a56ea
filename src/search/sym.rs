//! Symbols as typed: `C++`, `C#`, `.NET`, `node.js`, `std::vector`, `-rf`.
//!
//! The word tokenizer drops punctuation, so `C++` is the one-letter word `c`
//! and finds every note. Here a *chunk* (a run of word characters and the
//! connectors `. : - + #`, outside CJK) also gives the symbols in it, whole,
//! so that a query typed with its punctuation can be matched exactly. Mirrored
//! rule for rule by `syms()` in `static/search/1-tokens.js`.

use super::{lower_capped_into, Kind, MAX_WORD};

/// The longest run of pieces (words between connectors) a symbol is cut
/// from a longer chunk: `a.b.c.d` of `a.b.c.d.e.f`. Bounds the terms a long
/// dotted path makes; a query longer than this finds only a chunk that is
/// exactly it.
pub(crate) const MAX_PIECES: usize = 4;

fn is_connector(c: char) -> bool {
    matches!(c, '.' | ':' | '-' | '+' | '#')
}

/// A connector run that may lead a symbol: `.net`, and at the start of a
/// chunk also `-rf` and `--force`.
fn leads(run: &str, at_start: bool) -> bool {
    run == "." || (at_start && (run == "-" || run == "--"))
}

/// A connector run that may end a symbol: `c++`, `c#`, `f#`.
fn trails(run: &str) -> bool {
    run.bytes().all(|b| b == b'+' || b == b'#')
}

/// The chunks of a text that have a connector, found while the tokenizer
/// walks it (one pass over the text, not two).
#[derive(Default)]
pub(crate) struct Chunks {
    start: Option<usize>,
    connector: bool,
    found: Vec<(usize, usize)>,
}

impl Chunks {
    /// Character `c` at byte `i`; `word`: it is a word character.
    pub(crate) fn step(&mut self, i: usize, c: char, word: bool) {
        let connector = !word && is_connector(c);
        if word || connector {
            self.start.get_or_insert(i);
            self.connector |= connector;
        } else {
            self.close(i);
        }
    }

    fn close(&mut self, end: usize) {
        if let Some(start) = self.start.take() {
            if std::mem::take(&mut self.connector) {
                self.found.push((start, end));
            }
        }
    }

    /// Calls `f` with every symbol of the chunks of `s` (the text walked):
    /// for each run of one to [`MAX_PIECES`] pieces of a chunk, the run
    /// itself when it has a connector inside, the run with the connector
    /// before it when that [`leads`], and with the one after it when that
    /// [`trails`]. Lowercased; a symbol longer than [`MAX_WORD`] characters
    /// is left out (cutting it could make it equal another).
    pub(crate) fn emit(mut self, s: &str, buf: &mut String, f: &mut impl FnMut(Kind, &str)) {
        self.close(s.len());
        for (start, end) in self.found {
            chunk_syms(&s[start..end], buf, f);
        }
    }
}

/// Every symbol of the NFKC-normalized text `s` (see [`Chunks::emit`]).
#[cfg(test)]
fn for_each_sym(s: &str, mut f: impl FnMut(Kind, &str)) {
    use super::{is_cjk, is_word_char};
    let mut chunks = Chunks::default();
    for (i, c) in s.char_indices() {
        chunks.step(i, c, (c.is_ascii() || !is_cjk(c)) && is_word_char(c));
    }
    chunks.emit(s, &mut String::new(), &mut f);
}

/// One chunk's symbols (see [`Chunks::emit`]).
fn chunk_syms(chunk: &str, buf: &mut String, f: &mut impl FnMut(Kind, &str)) {
    if !chunk.chars().any(is_connector) {
        return;
    }
    // Alternating runs: (is a word, start, end).
    let mut runs: Vec<(bool, usize, usize)> = Vec::new();
    for (i, c) in chunk.char_indices() {
        let word = !is_connector(c);
        match runs.last_mut() {
            Some(r) if r.0 == word => r.2 = i + c.len_utf8(),
            _ => runs.push((word, i, i + c.len_utf8())),
        }
    }
    let pieces: Vec<usize> = (0..runs.len()).filter(|&k| runs[k].0).collect();
    let mut emit = |text: &str, buf: &mut String| {
        if text.chars().nth(MAX_WORD).is_none() {
            lower_capped_into(text, buf);
            f(Kind::Sym, buf);
        }
    };
    for (a, &first) in pieces.iter().enumerate() {
        let lead = first
            .checked_sub(1)
            .map(|k| &chunk[runs[k].1..runs[k].2])
            .filter(|run| leads(run, first == 1));
        for &last in &pieces[a..(a + MAX_PIECES).min(pieces.len())] {
            let (from, to) = (runs[first].1, runs[last].2);
            if last > first {
                emit(&chunk[from..to], buf);
            }
            if let Some(lead) = lead {
                emit(&chunk[from - lead.len()..to], buf);
            }
            if let Some(t) = runs.get(last + 1).filter(|r| trails(&chunk[r.1..r.2])) {
                emit(&chunk[from..t.2], buf);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syms(s: &str) -> Vec<String> {
        let mut v = Vec::new();
        for_each_sym(s, |_, t| v.push(t.to_string()));
        v
    }

    #[test]
    fn symbols_keep_their_punctuation() {
        assert_eq!(syms("C++ 和 C#，F# 与 .NET"), ["c++", "c#", "f#", ".net"]);
        // A dot inside leads too: `.js` and `.net` find `node.js` and `ASP.NET`.
        assert_eq!(syms("用 node.js 写"), ["node.js", ".js"]);
        assert_eq!(syms("std::vector<int>"), ["std::vector"]);
        assert_eq!(syms("os.fork()"), ["os.fork", ".fork"]);
        assert_eq!(syms("rm -rf /tmp"), ["-rf"]);
        assert_eq!(syms("git push --force"), ["--force"]);
        assert_eq!(syms("ASP.NET"), ["asp.net", ".net"]);
        assert_eq!(syms("C++11"), ["c++", "c++11"]);
    }

    #[test]
    fn plain_words_and_loose_punctuation_make_none() {
        assert!(syms("hello world, __init__ and snake_case").is_empty());
        // Sentence punctuation and a dash inside a word lead nothing.
        assert_eq!(syms("end. Next"), Vec::<String>::new());
        assert_eq!(
            syms("copy-on-write"),
            ["copy-on", "copy-on-write", "on-write"]
        );
        assert!(syms("https://").is_empty());
        assert!(syms("a->b").is_empty());
    }

    #[test]
    fn long_chunks_give_runs_of_at_most_four_pieces() {
        let all = syms("a.b.c.d.e");
        assert!(all.contains(&"a.b.c.d".to_string()));
        assert!(all.contains(&".e".to_string()));
        assert!(!all.contains(&"a.b.c.d.e".to_string()));
        assert!(
            syms(&format!("x.{}", "y".repeat(80))).is_empty(),
            "too long to keep"
        );
    }

    #[test]
    fn cjk_ends_a_chunk() {
        assert_eq!(syms("在os.fork之后"), ["os.fork", ".fork"]);
    }
}
