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

mod index;

pub use index::{body_blocks, write_index, Collector, IndexStats};

use unicode_general_category::{get_general_category, GeneralCategory as Gc};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Words longer than this (in characters, after lowercasing) are cut to it:
/// base64 blobs and the like must not make giant terms.
pub const MAX_WORD: usize = 64;

/// What a token is; the query side uses words and CJK n-grams, the index also
/// identifier parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A whole run of letters, digits, marks and `_` (`snake_case`, `hashmap`).
    Word,
    /// A part of an identifier word (`snake`, `hash`).
    Part,
    /// One Han, Kana or Hangul character.
    Uni,
    /// Two adjacent Han, Kana or Hangul characters.
    Bi,
}

impl Kind {
    /// The name used in the shared test fixture and by the JavaScript side.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Word => "word",
            Kind::Part => "part",
            Kind::Uni => "uni",
            Kind::Bi => "bi",
        }
    }
}

/// A token with its kind, as [`tokenize`] returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub text: String,
}

/// Han, Kana, Hangul (and Bopomofo): scripts written without spaces, indexed as
/// character bigrams. The same ranges are in `static/search.js`.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF          // Hangul Jamo
        | 0x2E80..=0x2FDF        // CJK and Kangxi radicals
        | 0x3005..=0x3007        // 々 〆 〇
        | 0x3021..=0x3029        // Hangzhou numerals
        | 0x3031..=0x3035        // kana repeat marks
        | 0x3038..=0x303C
        | 0x3041..=0x30FA        // Hiragana, Katakana (not the ・ middle dot)
        | 0x30FC..=0x30FF
        | 0x3105..=0x312F        // Bopomofo
        | 0x3131..=0x318E        // Hangul compatibility Jamo
        | 0x31A0..=0x31BF
        | 0x31F0..=0x31FF        // Katakana phonetic extensions
        | 0x3400..=0x4DBF        // CJK extension A
        | 0x4E00..=0x9FFF        // CJK unified ideographs
        | 0xA960..=0xA97F        // Hangul Jamo extended-A
        | 0xAC00..=0xD7AF        // Hangul syllables
        | 0xD7B0..=0xD7FF        // Hangul Jamo extended-B
        | 0xF900..=0xFAFF        // CJK compatibility ideographs
        | 0xFF66..=0xFF9F        // halfwidth Katakana
        | 0xFFA0..=0xFFDC        // halfwidth Hangul
        | 0x1B000..=0x1B16F      // Kana supplement and extensions
        | 0x20000..=0x323AF      // CJK extensions B to H
    )
}

/// Letters, digits, combining marks and `_` outside the CJK ranges make words.
fn is_word_char(c: char) -> bool {
    c == '_'
        || c.is_alphanumeric()
        || matches!(
            get_general_category(c),
            Gc::NonspacingMark | Gc::SpacingMark | Gc::EnclosingMark
        )
}

/// Lowercases one character at a time (no context rules, so that Rust and
/// JavaScript agree: both map a lone `Σ` to `σ`).
fn lower_into(s: &str, out: &mut String) {
    for c in s.chars() {
        out.extend(c.to_lowercase());
    }
}

fn lower_capped(s: &str) -> String {
    let mut l = String::with_capacity(s.len());
    lower_into(s, &mut l);
    match l.char_indices().nth(MAX_WORD) {
        Some((i, _)) => l[..i].to_string(),
        None => l,
    }
}

/// The parts of an identifier: split at `_` and at case changes
/// (`parseHTTPResponse2` -> `parse`, `HTTP`, `Response2`), original case.
fn identifier_parts(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for piece in word.split('_') {
        let chars: Vec<(usize, char)> = piece.char_indices().collect();
        let mut start = 0;
        for k in 1..chars.len() {
            let (i, cur) = chars[k];
            let prev = chars[k - 1].1;
            let next_lower = chars.get(k + 1).is_some_and(|(_, n)| n.is_lowercase());
            if cur.is_uppercase()
                && (prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower))
            {
                parts.push(&piece[start..i]);
                start = i;
            }
        }
        parts.push(&piece[start..]);
    }
    parts.retain(|p| !p.is_empty());
    parts
}

fn emit_word(word: &str, f: &mut impl FnMut(Kind, &str)) {
    // Fast path, same result: a lowercase ASCII word is its own only part.
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        f(Kind::Word, &word[..word.len().min(MAX_WORD)]);
        return;
    }
    if word.chars().all(|c| c == '_') {
        return;
    }
    let whole = lower_capped(word);
    f(Kind::Word, &whole);
    let parts = identifier_parts(word);
    if parts.len() > 1 || parts.first().is_some_and(|p| lower_capped(p) != whole) {
        for p in parts {
            f(Kind::Part, &lower_capped(p));
        }
    }
}

fn emit_cjk(run: &[char], f: &mut impl FnMut(Kind, &str)) {
    let mut buf = String::new();
    for (i, &c) in run.iter().enumerate() {
        buf.clear();
        buf.extend(c.to_lowercase());
        f(Kind::Uni, &buf);
        if let Some(&d) = run.get(i + 1) {
            buf.extend(d.to_lowercase());
            f(Kind::Bi, &buf);
        }
    }
}

/// Calls `f` for every token of `text` in order. The index and the browser
/// query use this one definition (mirrored in `static/search.js`):
///
/// 1. NFKC-normalize the whole text;
/// 2. split it into runs: CJK characters ([`is_cjk`]); word characters
///    (letters, digits, marks, `_`); everything else separates;
/// 3. a CJK run gives each character, each followed by the bigram it starts;
/// 4. a word run gives the word lowercased (character by character, cut to
///    [`MAX_WORD`]), then its identifier parts if it has more than one or the
///    one differs from the word (`__init__` -> `init`).
pub fn for_each_token(text: &str, mut f: impl FnMut(Kind, &str)) {
    let normalized: std::borrow::Cow<str> =
        if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(text.nfkc().collect())
        };
    let s: &str = &normalized;
    let mut cjk: Vec<char> = Vec::new();
    let mut word_start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if is_cjk(c) {
            if let Some(ws) = word_start.take() {
                emit_word(&s[ws..i], &mut f);
            }
            cjk.push(c);
        } else if is_word_char(c) {
            if !cjk.is_empty() {
                emit_cjk(&cjk, &mut f);
                cjk.clear();
            }
            word_start.get_or_insert(i);
        } else {
            if let Some(ws) = word_start.take() {
                emit_word(&s[ws..i], &mut f);
            }
            if !cjk.is_empty() {
                emit_cjk(&cjk, &mut f);
                cjk.clear();
            }
        }
    }
    if let Some(ws) = word_start {
        emit_word(&s[ws..], &mut f);
    }
    if !cjk.is_empty() {
        emit_cjk(&cjk, &mut f);
    }
}

/// All tokens of `text`, in order (see [`for_each_token`]).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut v = Vec::new();
    for_each_token(text, |kind, t| {
        v.push(Token {
            kind,
            text: t.to_string(),
        })
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        tokenize(s)
            .into_iter()
            .map(|t| format!("{}:{}", t.kind.name(), t.text))
            .collect()
    }

    #[test]
    fn chinese_runs_give_characters_and_bigrams() {
        assert_eq!(
            toks("僵尸进程"),
            [
                "uni:僵",
                "bi:僵尸",
                "uni:尸",
                "bi:尸进",
                "uni:进",
                "bi:进程",
                "uni:程"
            ]
        );
        assert_eq!(toks("池"), ["uni:池"]);
        // Punctuation ends a run: no bigram across 、 or ，.
        assert_eq!(toks("进、程，"), ["uni:进", "uni:程"]);
    }

    #[test]
    fn kana_and_hangul_are_bigrammed_too() {
        assert_eq!(toks("カナ"), ["uni:カ", "bi:カナ", "uni:ナ"]);
        assert_eq!(toks("한국"), ["uni:한", "bi:한국", "uni:국"]);
        // Halfwidth katakana is NFKC-normalized to fullwidth first.
        assert_eq!(toks("ｶﾅ"), toks("カナ"));
    }

    #[test]
    fn mixed_text_splits_at_script_changes() {
        assert_eq!(
            toks("用os.fork创建"),
            [
                "uni:用",
                "word:os",
                "word:fork",
                "uni:创",
                "bi:创建",
                "uni:建"
            ]
        );
        assert_eq!(toks("Python的GIL"), ["word:python", "uni:的", "word:gil"]);
    }

    #[test]
    fn identifiers_are_split_into_parts() {
        assert_eq!(
            toks("HashMap::entry"),
            ["word:hashmap", "part:hash", "part:map", "word:entry"]
        );
        assert_eq!(
            toks("snake_case"),
            ["word:snake_case", "part:snake", "part:case"]
        );
        assert_eq!(
            toks("parseHTTPResponse2"),
            [
                "word:parsehttpresponse2",
                "part:parse",
                "part:http",
                "part:response2"
            ]
        );
        assert_eq!(toks("__init__"), ["word:__init__", "part:init"]);
        assert_eq!(
            toks("copy-on-write"),
            ["word:copy", "word:on", "word:write"]
        );
        assert_eq!(
            toks("utf8Decoder"),
            ["word:utf8decoder", "part:utf8", "part:decoder"]
        );
        assert_eq!(toks("___"), Vec::<String>::new());
    }

    #[test]
    fn nfkc_and_lowercase() {
        // Fullwidth letters and digits, the ﬁ ligature, a compatibility ideograph.
        assert_eq!(toks("ＧＩＬ１２"), ["word:gil12"]);
        assert_eq!(toks("ﬁle"), ["word:file"]);
        assert_eq!(toks("\u{F900}"), ["uni:\u{8C48}"]);
        // Character-wise lowercasing: no final-sigma rule, İ becomes i + dot.
        assert_eq!(toks("ΣΟΦΟΣ"), ["word:σοφοσ"]);
        assert_eq!(toks("İstanbul"), ["word:i\u{307}stanbul"]);
        // Decomposed é is composed by NFKC.
        assert_eq!(toks("cafe\u{301}"), ["word:café"]);
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(200);
        assert_eq!(toks(&long), [format!("word:{}", "a".repeat(MAX_WORD))]);
    }
}
