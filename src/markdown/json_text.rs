//! A JSON string of a note's text, escaped as serde_json escapes it and with
//! its whitespace collapsed, in one pass over the bytes: it runs over every
//! note's text, once per build.

/// Appends `s` as a JSON string (escaped as serde_json escapes), with runs of
/// whitespace made one space and none at either end when `collapse`. Runs of
/// bytes that need neither are copied whole, single spaces between words
/// included: this runs over every note's text.
pub(super) fn json_string(out: &mut String, s: &str, collapse: bool) {
    let bytes = s.as_bytes();
    out.push('"');
    let mut space = false;
    let mut any = false;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while let Some(&b) = bytes.get(i) {
            match BYTE_CLASS[b as usize] {
                PLAIN => i += 1,
                ESCAPE => break,
                _ if !collapse => i += 1,
                // One space between two characters of the run stays as it is.
                SPACE if i > start && !needs_care(bytes, i + 1) => i += 2,
                SPACE => break,
                _ if whitespace_at(bytes, i) => break,
                _ => i += 1,
            }
        }
        if i > start {
            if space {
                out.push(' ');
                space = false;
            }
            any = true;
            // A run ends at an ASCII byte or a lead byte: a char boundary.
            out.push_str(&s[start..i]);
        }
        let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if collapse && c.is_whitespace() {
            space = any;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        any = true;
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// [`json_string`]'s byte classes: bytes that always need escaping (controls,
/// `"`, `\\`), the ASCII space, the lead bytes of Unicode's other whitespace
/// (U+0085, U+00A0, U+1680, U+2000..U+205F, U+3000), and the rest.
const PLAIN: u8 = 0;
const ESCAPE: u8 = 1;
const SPACE: u8 = 2;
const OTHER_SPACE: u8 = 3;
static BYTE_CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = ESCAPE;
        b += 1;
    }
    t[b'"' as usize] = ESCAPE;
    t[b'\\' as usize] = ESCAPE;
    t[b' ' as usize] = SPACE;
    t[0xC2] = OTHER_SPACE;
    t[0xE1] = OTHER_SPACE;
    t[0xE2] = OTHER_SPACE;
    t[0xE3] = OTHER_SPACE;
    t
};

/// Whether the character at byte `i` of UTF-8 `b` is whitespace
/// (`char::is_whitespace`), from its bytes alone: `“`, `、` and the rest of
/// Chinese prose's punctuation share lead bytes with U+2000 and U+3000.
#[inline]
fn whitespace_at(b: &[u8], i: usize) -> bool {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => true,
        0xC2 => matches!(at(1), 0x85 | 0xA0),
        0xE1 => at(1) == 0x9A && at(2) == 0x80,
        0xE2 => match at(1) {
            0x80 => matches!(at(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
            0x81 => at(2) == 0x9F,
            _ => false,
        },
        0xE3 => at(1) == 0x80 && at(2) == 0x80,
        _ => false,
    }
}

/// Whether the byte at `i` needs [`json_string`]'s slow path when
/// collapsing: something to escape, whitespace, or the end.
#[inline]
fn needs_care(b: &[u8], i: usize) -> bool {
    match b.get(i) {
        None => true,
        Some(&c) => match BYTE_CLASS[c as usize] {
            PLAIN => false,
            ESCAPE | SPACE => true,
            _ => whitespace_at(b, i),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::json_string;

    fn reference(s: &str, collapse: bool) -> String {
        let s = match collapse {
            true => s.split_whitespace().collect::<Vec<_>>().join(" "),
            false => s.to_string(),
        };
        serde_json::to_string(&s).unwrap()
    }

    /// Every short string over characters near the byte classes' edges.
    #[test]
    fn matches_serde_json_on_random_strings() {
        let alphabet = [
            " ", "  ", "\t", "\n", "a", "进", "“", "、", "\u{3000}", "\u{3001}", "\u{a0}",
            "\u{a9}", "\u{2028}", "\u{2030}", "\u{1680}", "\u{1681}", "\"", "\\", "\u{1}",
        ];
        let mut seed: u64 = 7;
        for _ in 0..4000 {
            let mut t = String::new();
            for _ in 0..8 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                t.push_str(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            for collapse in [false, true] {
                let mut out = String::new();
                json_string(&mut out, &t, collapse);
                assert_eq!(out, reference(&t, collapse), "{t:?} {collapse}");
            }
        }
    }
}
