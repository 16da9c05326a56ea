//! A memo of parsed lines, one per render thread.
//!
//! Parsing is nearly all of highlighting's cost, and code repeats line by
//! line far more than block by block: `}`, `return nil, err`, `import os`,
//! a snippet pasted into several notes with one name changed. syntect's
//! parse of a line is a pure function of the parser's state before it and
//! the line's text, so a line met again in the same state reuses the scope
//! operations and the state after it instead of running the regexes again.
//! On the 1k benchmark corpus 60% of the highlighted bytes are met again
//! this way (its snippets repeat with names changed); on notes with little
//! labelled code it matters little.
//!
//! The memo is per thread because a parse state may hold an oniguruma
//! region, which is not `Send`. It is valid for the whole process: the
//! syntax sets are always the dumps compiled into the binary, so a context id
//! means the same in every [`super::Highlighter`]; the set's size is part of
//! the key all the same.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use syntect::parsing::{ParseState, ParsingError, ScopeStackOp, SyntaxSet};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Ops of one line, as syntect's `parse_line` returns them.
pub(super) type Ops = Vec<(usize, ScopeStackOp)>;

/// States kept per line text: `}` closes blocks at many depths, but a line
/// met in more states than this is not worth a longer scan.
const STATES_PER_LINE: usize = 8;

/// Memory one thread's memo may use (estimated); past it the memo starts
/// over, which keeps the lines of the notes being rendered now.
const MEMO_BYTES: usize = 8 * 1024 * 1024;

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Parses `line` from `state` (moving it past the line) and hands its ops to
/// `use_ops`, from this thread's memo when the line was parsed from an equal
/// state before. `set_id` tells the syntax sets apart: their context ids
/// would otherwise compare equal.
pub(super) fn with_parsed<R>(
    set: &SyntaxSet,
    set_id: u8,
    state: &mut ParseState,
    line: &str,
    mut use_ops: impl FnMut(&[(usize, ScopeStackOp)]) -> R,
) -> Result<R, ParsingError> {
    let seed = (set_id as u64) << 32 | set.syntaxes().len() as u64;
    let key = xxh3_64_with_seed(line.as_bytes(), seed);
    let hit = MEMO.with(|m| {
        let m = m.borrow();
        let e = m.find(key, line, state)?;
        if let Some(after) = &e.after {
            state.clone_from(after);
        }
        Some(use_ops(&e.ops))
    });
    if let Some(r) = hit {
        return Ok(r);
    }
    let before = state.clone();
    let ops = state.parse_line(line, set)?;
    let after = (*state != before).then(|| state.clone());
    let r = use_ops(&ops);
    let entry = Entry {
        line: line.into(),
        before,
        ops,
        after,
    };
    MEMO.with(|m| m.borrow_mut().insert(key, entry));
    Ok(r)
}

/// Empties this thread's memo and gives its memory back.
pub(super) fn forget() {
    MEMO.with(|m| *m.borrow_mut() = Memo::default());
}

#[derive(Default)]
struct Memo {
    /// By a hash of the line (and syntax set); entries compare the text.
    map: FxHashMap<u64, Vec<Entry>>,
    bytes: usize,
}

struct Entry {
    line: Box<str>,
    before: ParseState,
    ops: Ops,
    /// `None` when the line leaves the state as it found it (most lines).
    after: Option<ParseState>,
}

impl Memo {
    /// The entry of `line` parsed from `state`, if there is one.
    fn find(&self, key: u64, line: &str, state: &ParseState) -> Option<&Entry> {
        self.map
            .get(&key)?
            .iter()
            .find(|e| &*e.line == line && e.before == *state)
    }

    fn insert(&mut self, key: u64, entry: Entry) {
        let size = entry.size();
        if self.bytes + size > MEMO_BYTES {
            self.map.clear();
            self.bytes = 0;
        }
        let states = self.map.entry(key).or_default();
        if states.len() < STATES_PER_LINE {
            states.push(entry);
            self.bytes += size;
        }
    }
}

impl Entry {
    /// A rough count of the heap this entry holds.
    fn size(&self) -> usize {
        // A parse state is a stack of a few levels, each with a small vector.
        const STATE: usize = 160;
        let states = if self.after.is_some() { 2 } else { 1 };
        96 + self.line.len()
            + self.ops.len() * std::mem::size_of::<(usize, ScopeStackOp)>()
            + states * STATE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::util::LinesWithEndings;

    fn parse_all(set: &SyntaxSet, lang: &str, code: &str, memo: bool) -> Vec<Ops> {
        let syntax = set.find_syntax_by_token(lang).unwrap();
        let mut state = ParseState::new(syntax);
        LinesWithEndings::from(code)
            .map(|l| match memo {
                true => with_parsed(set, 0, &mut state, l, |ops| ops.to_vec()).unwrap(),
                false => state.parse_line(l, set).unwrap(),
            })
            .collect()
    }

    fn entries() -> usize {
        MEMO.with(|m| m.borrow().map.values().map(Vec::len).sum())
    }

    #[test]
    fn a_line_in_another_state_is_parsed_again() {
        let set = SyntaxSet::load_defaults_newlines();
        // `x = 1` is code in the first block and inside a string in the second.
        let first = "x = 1\ns = 'a'\n";
        let second = "s = \"\"\"\nx = 1\n\"\"\"\nx = 1\n";
        let before = entries();
        for code in [first, second, first, second] {
            assert_eq!(
                parse_all(&set, "py", code, true),
                parse_all(&set, "py", code, false),
                "{code}"
            );
        }
        // Six (line, state) pairs: `x = 1` as a block's first line, inside
        // a string, and as code after the string.
        assert_eq!(entries() - before, 6);
    }

    #[test]
    fn a_full_memo_starts_over_and_stays_right() {
        let set = SyntaxSet::load_defaults_newlines();
        let code: String = (0..60_000)
            .map(|i| format!("fn f{i}() {{ let v{i} = \"{i}\"; }}\n"))
            .collect();
        assert_eq!(
            parse_all(&set, "rs", &code, true),
            parse_all(&set, "rs", &code, false)
        );
        MEMO.with(|m| assert!(m.borrow().bytes <= MEMO_BYTES));
        assert!(entries() < 60_000);
        forget();
        assert_eq!(entries(), 0);
    }
}
