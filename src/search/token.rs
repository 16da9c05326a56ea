//! The tokenizer, rule for rule the same as `static/search/1-tokens.js` (a test
//! runs both over the same text): what the index stores and what a query
//! looks up must be cut the same way, or a note is missed.

use unicode_general_category::{get_general_category, GeneralCategory as Gc};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Words longer than this (in characters, after lowercasing) are cut to it:
/// base64 blobs and the like must not make giant terms.
pub(crate) const MAX_WORD: usize = 64;

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
    /// A symbol with its punctuation (`c++`, `node.js`; see [`sym`]).
    Sym,
}

impl Kind {
    /// The name used in the shared test fixture and by the JavaScript side.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Word => "word",
            Kind::Part => "part",
            Kind::Uni => "uni",
            Kind::Bi => "bi",
            Kind::Sym => "sym",
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
/// character bigrams. The same ranges are in `static/search/1-tokens.js`.
pub fn is_cjk(c: char) -> bool {
    // The common cases first: below Hangul Jamo nothing is, and most of the
    // characters of Chinese notes are unified ideographs.
    let n = c as u32;
    if n < 0x1100 {
        return false;
    }
    if (0x4E00..=0x9FFF).contains(&n) {
        return true;
    }
    matches!(n,
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
pub(super) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphanumeric()
        || matches!(
            get_general_category(c),
            Gc::NonspacingMark | Gc::SpacingMark | Gc::EnclosingMark
        )
}

/// Lowercases one character at a time (no context rules, so that Rust and
/// JavaScript agree: both map a lone `Σ` to `σ`), cut to [`MAX_WORD`] characters.
pub(super) fn lower_capped_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        let end = s.len().min(MAX_WORD);
        out.push_str(&s[..end]);
        out.make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        out.extend(c.to_lowercase());
    }
    if let Some((i, _)) = out.char_indices().nth(MAX_WORD) {
        out.truncate(i);
    }
}

/// The parts of an identifier: split at `_` and at case changes
/// (`parseHTTPResponse2` -> `parse`, `HTTP`, `Response2`), original case.
fn identifier_parts(word: &str, mut part: impl FnMut(&str)) {
    for piece in word.split('_') {
        if piece.is_ascii() {
            // Same rules on bytes: no allocation for the common case.
            let b = piece.as_bytes();
            let mut start = 0;
            for k in 1..b.len() {
                let (prev, cur) = (b[k - 1], b[k]);
                let next_lower = b.get(k + 1).is_some_and(|n| n.is_ascii_lowercase());
                if cur.is_ascii_uppercase()
                    && (prev.is_ascii_lowercase()
                        || prev.is_ascii_digit()
                        || (prev.is_ascii_uppercase() && next_lower))
                {
                    part(&piece[start..k]);
                    start = k;
                }
            }
            if start < piece.len() {
                part(&piece[start..]);
            }
            continue;
        }
        let chars: Vec<(usize, char)> = piece.char_indices().collect();
        let mut start = 0;
        for k in 1..chars.len() {
            let (i, cur) = chars[k];
            let prev = chars[k - 1].1;
            let next_lower = chars.get(k + 1).is_some_and(|(_, n)| n.is_lowercase());
            if cur.is_uppercase()
                && (prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower))
            {
                if start < i {
                    part(&piece[start..i]);
                }
                start = i;
            }
        }
        if start < piece.len() {
            part(&piece[start..]);
        }
    }
}

/// Reusable buffers for one tokenizing pass.
#[derive(Default)]
struct Scratch {
    whole: String,
    part: String,
    parts: Vec<(usize, usize)>,
}

fn emit_word(word: &str, sc: &mut Scratch, f: &mut impl FnMut(Kind, &str)) {
    // Fast path, same result: a lowercase ASCII word is its own only part.
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        f(Kind::Word, &word[..word.len().min(MAX_WORD)]);
        return;
    }
    if word.bytes().all(|b| b == b'_') {
        return;
    }
    lower_capped_into(word, &mut sc.whole);
    f(Kind::Word, &sc.whole);
    sc.parts.clear();
    let base = word.as_ptr() as usize;
    let parts = &mut sc.parts;
    identifier_parts(word, |p| {
        let at = p.as_ptr() as usize - base;
        parts.push((at, at + p.len()));
    });
    let emit = match sc.parts.as_slice() {
        [] => false,
        [(a, b)] => {
            lower_capped_into(&word[*a..*b], &mut sc.part);
            sc.part != sc.whole
        }
        _ => true,
    };
    if emit {
        for k in 0..sc.parts.len() {
            let (a, b) = sc.parts[k];
            lower_capped_into(&word[a..b], &mut sc.part);
            f(Kind::Part, &sc.part);
        }
    }
}

/// Characters that are NFKC as they are and compose with nothing, checked
/// without Unicode tables: ASCII, the CJK Unified Ideographs block and the
/// punctuation of Chinese prose (a unit test checks each of these).
fn is_plain(c: char) -> bool {
    c.is_ascii()
        || matches!(c as u32,
            0x4E00..=0x9FFF
            | 0x3001..=0x3002      // 、。
            | 0x3008..=0x3011      // 〈〉《》「」『』【】
            | 0x3014..=0x301B      // 〔〕〖〗〘〙〚〛
            | 0x2014 | 0x2018 | 0x2019 | 0x201C | 0x201D // — ‘’ “”
            | 0x00B7               // ·
        )
}

/// Full-width punctuation and letters: their NFKC is the ASCII character.
fn is_full_width(c: char) -> bool {
    ('\u{FF01}'..='\u{FF5E}').contains(&c)
}

/// `text` with every [`is_full_width`] character mapped to its ASCII one,
/// appended to `out`.
fn push_narrowed(text: &str, out: &mut String) {
    // Found by their lead byte, 0xEF (U+F000..U+FFFF: rare but for these),
    // so the text between them is copied whole.
    let bytes = text.as_bytes();
    let mut last = 0;
    for i in memchr::memchr_iter(0xEF, bytes) {
        // U+FF01..U+FF3F are EF BC 81..BF, U+FF40..U+FF5E EF BD 80..9E.
        let ascii = match (bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(0xBC), Some(&b @ 0x81..=0xBF)) => b - 0x81 + b'!',
            (Some(0xBD), Some(&b @ 0x80..=0x9E)) => b - 0x80 + b'`',
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push(ascii as char);
        last = i + 3;
    }
    out.push_str(&text[last..]);
}

/// NFKC of `text`, without copying or normalizing what is normal already.
/// Text of only [`is_plain`] characters is NFKC; the usual reason a Chinese
/// note is not, full-width punctuation and letters (U+FF01..U+FF5E), is mapped
/// straight to ASCII, which is exactly their NFKC. Other text is normalized
/// line by line (a newline never composes with anything, so this equals
/// normalizing the whole), with the Unicode tables only for lines that need them.
fn nfkc(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let mut full_width = false;
    let mut other = false;
    for c in text.chars() {
        if !is_plain(c) {
            if !is_full_width(c) {
                other = true;
                break;
            }
            full_width = true;
        }
    }
    if !other && !full_width {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    if !other {
        push_narrowed(text, &mut out);
        return Cow::Owned(out);
    }
    for line in text.split_inclusive('\n') {
        // The mapped line has the same decomposition as the original; it is the
        // original's NFKC if it is normalized. Only its other characters need
        // the Unicode tables (leaving out characters that are NFKC and never
        // combine can only make the quick check stricter).
        let rest = line.chars().filter(|&c| !is_plain(c) && !is_full_width(c));
        if is_nfkc_quick(rest) == IsNormalized::Yes {
            push_narrowed(line, &mut out);
        } else {
            out.extend(line.nfkc());
        }
    }
    Cow::Owned(out)
}

/// Calls `f` for every token of `text` in order. The index and the browser
/// query use this one definition (mirrored in `static/search/1-tokens.js`):
///
/// 1. NFKC-normalize the whole text;
/// 2. split it into runs: CJK characters ([`is_cjk`]); word characters
///    (letters, digits, marks, `_`); everything else separates;
/// 3. a CJK run gives each character, each followed by the bigram it starts;
/// 4. a word run gives the word lowercased (character by character, cut to
///    [`MAX_WORD`]), then its identifier parts if it has more than one or the
///    one differs from the word (`__init__` -> `init`);
/// 5. then the symbols of the text (see [`sym`]).
///
/// Each CJK token also comes as its code points, `first << 21 | second` (0
/// for the other kinds): the index keys its table by them without decoding
/// the text again. CJK scripts have no case, so their text is used as it is
/// (no lowercasing; a unit test checks every character of the ranges).
pub(crate) fn for_each_token(text: &str, mut f: impl FnMut(Kind, &str, u64)) {
    let normalized = nfkc(text);
    let s: &str = &normalized;
    let mut sc = Scratch::default();
    // The word being walked starts here; CJK characters are emitted as they
    // are met (the last one, to make the next bigram).
    let mut word_start = None;
    let mut last_cjk: Option<(usize, char)> = None;
    // Chunks with a connector (`c++`, `node.js`): their symbols come last,
    // found in this same pass.
    let mut chunks = super::sym::Chunks::default();
    for (i, c) in s.char_indices() {
        // ASCII first: most characters are, and none is CJK.
        if !c.is_ascii() && is_cjk(c) {
            if let Some(start) = word_start.take() {
                emit_word(&s[start..i], &mut sc, &mut |k, t| f(k, t, 0));
            }
            let end = i + c.len_utf8();
            if let Some((j, b)) = last_cjk {
                f(Kind::Bi, &s[j..end], (b as u64) << 21 | c as u64);
            }
            f(Kind::Uni, &s[i..end], c as u64);
            last_cjk = Some((i, c));
            chunks.step(i, c, false);
            continue;
        }
        last_cjk = None;
        let is_word = is_word_char(c);
        chunks.step(i, c, is_word);
        if is_word {
            word_start.get_or_insert(i);
        } else if let Some(start) = word_start.take() {
            emit_word(&s[start..i], &mut sc, &mut |k, t| f(k, t, 0));
        }
    }
    if let Some(start) = word_start {
        emit_word(&s[start..], &mut sc, &mut |k, t| f(k, t, 0));
    }
    chunks.emit(s, &mut sc.whole, &mut |k, t| f(k, t, 0));
}

/// All tokens of `text`, in order (see [`for_each_token`]).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut v = Vec::new();
    for_each_token(text, |kind, t, _| {
        v.push(Token {
            kind,
            text: t.to_string(),
        })
    });
    v
}

#[cfg(test)]
#[path = "token_tests.rs"]
mod tests;
