//! Offline full-text search: the tokenizer shared (rule for rule) with the
//! browser's `static/search.js`, and the sharded index written at build time.
//!
//! Chinese has no spaces and a dictionary segmenter cuts the same word
//! differently in a note and in a query, so a note can be missed. Instead every
//! Han, Kana and Hangul run becomes its single characters plus overlapping
//! bigrams: a query's bigrams are always a subset of the bigrams of any text
//! that contains the query, so a note that contains the query is always found.
//! Latin and code text is split into words (lowercased, NFKC), and identifiers
//! also into their parts (`HashMap` -> `hash`, `map`; `snake_case` -> `snake`,
//! `case`) so a search for one part finds the whole.

mod collect;
mod cuts;
mod files;
mod gb18030;
mod line;
mod memo;
mod part;
mod postings;
mod resume;
mod shards;
mod spill;
mod state;
mod sym;
mod token;
mod wanted;
mod write;

pub(crate) use collect::{Collector, Memos};
pub(crate) use resume::write_resumed;
pub(crate) use state::State;
pub(crate) use write::{write_index, Cached, FORMAT};

pub use files::decode_text;
#[cfg(test)]
use token::is_word_char;
use token::lower_capped_into;
pub(crate) use token::MAX_WORD;
pub use token::{is_cjk, tokenize, Kind};
