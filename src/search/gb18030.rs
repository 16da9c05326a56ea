//! Note texts in GB18030, which writes a Chinese character in 2 bytes where
//! UTF-8 takes 3 and ASCII in 1 as UTF-8 does: the text files that snippets
//! come from have a fifth fewer bytes to compress (10k-note corpus: 117.6
//! MB instead of 144.6), so they come out smaller in less time (see
//! `files::TEXT_LEVEL`). Browsers decode it with `TextDecoder("gb18030")`.
//!
//! encoding_rs holds the mapping but encodes Chinese slowly (a search per
//! character, ~30 ns a byte); a per-thread table remembers each character's
//! bytes after the first time.

use encoding_rs::{EncoderResult, GB18030};
use std::cell::RefCell;

/// Per BMP code point: its bytes, big-endian (a 2-byte code is at most
/// 0xFEFE, a 4-byte one at least 0x8130_8130), or one of these.
const NOT_YET: u32 = 0;
const UNSAFE: u32 = 1;

thread_local! {
    static BMP: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// Appends `s` in GB18030 to `out`; false, leaving `out` partly written,
/// when `s` has a character that decoders disagree on.
pub(super) fn encode(s: &str, out: &mut Vec<u8>) -> bool {
    BMP.with_borrow_mut(|table| {
        if table.is_empty() {
            *table = vec![NOT_YET; 0x1_0000];
        }
        out.reserve(s.len());
        let bytes = s.as_bytes();
        let byte = |i: usize| bytes.get(i).copied().unwrap_or(0) as u32;
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && bytes[i] < 0x80 {
                i += 1;
            }
            out.extend_from_slice(&bytes[start..i]);
            let Some(&lead) = bytes.get(i) else {
                break;
            };
            // Chinese (most of the BMP) is three bytes in UTF-8: decoded here.
            let c = match lead {
                0xE0..=0xEF => {
                    i += 3;
                    (lead as u32 & 0x0F) << 12 | (byte(i - 2) & 0x3F) << 6 | byte(i - 1) & 0x3F
                }
                _ => {
                    let c = s[i..].chars().next().unwrap_or_default();
                    i += c.len_utf8();
                    c as u32
                }
            };
            let code = match table.get_mut(c as usize) {
                Some(&mut code) if code != NOT_YET => code,
                Some(slot) => {
                    *slot = look_up(c);
                    *slot
                }
                None => look_up(c),
            };
            match code {
                UNSAFE => return false,
                0..=0xFFFF => out.extend_from_slice(&(code as u16).to_be_bytes()),
                _ => out.extend_from_slice(&code.to_be_bytes()),
            }
        }
        true
    })
}

/// The GB18030 bytes of code point `c` as a number, or [`UNSAFE`].
fn look_up(c: u32) -> u32 {
    let Some(c) = char::from_u32(c).filter(|&c| !disputed(c)) else {
        return UNSAFE;
    };
    let mut utf8 = [0u8; 4];
    let mut buf = [0u8; 8];
    let mut encoder = GB18030.new_encoder();
    let (result, _, n) =
        encoder.encode_from_utf8_without_replacement(c.encode_utf8(&mut utf8), &mut buf, true);
    match (result, n) {
        (EncoderResult::InputEmpty, 2) => u16::from_be_bytes([buf[0], buf[1]]) as u32,
        (EncoderResult::InputEmpty, 4) => u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]),
        _ => UNSAFE,
    }
}

/// Characters whose bytes changed between editions of GB18030 (2000, 2005,
/// 2022) and so between browsers of different years: the Private Use Area,
/// which the changed byte sequences mapped to or from, and the characters
/// that took them over (U+1E3F, the vertical forms U+FE10..U+FE19,
/// U+9FB4..U+9FBB). A text with one stays UTF-8.
fn disputed(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{FE10}'..='\u{FE19}' | '\u{9FB4}'..='\u{9FBB}' | '\u{1E3F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str) -> Option<String> {
        let mut out = Vec::new();
        if !encode(s, &mut out) {
            return None;
        }
        let (text, had_errors) = GB18030.decode_without_bom_handling(&out);
        assert!(!had_errors, "{s:?}");
        Some(text.into_owned())
    }

    #[test]
    fn chinese_takes_two_bytes_and_ascii_one() {
        let mut out = Vec::new();
        assert!(encode("进程 fork()", &mut out));
        assert_eq!(out, b"\xbd\xf8\xb3\xcc fork()");
    }

    /// Every character but the disputed ones comes back as it went in, and
    /// the disputed ones are refused (whichever table fills first).
    #[test]
    fn every_character_round_trips_or_is_refused() {
        let all: String = (0..=0x10_FFFF).filter_map(char::from_u32).collect();
        for chunk in all.chars().collect::<Vec<_>>().chunks(4096) {
            let text: String = chunk.iter().filter(|c| !disputed(**c)).collect();
            assert_eq!(round_trip(&text).as_deref(), Some(text.as_str()));
        }
        for c in ['\u{E000}', '\u{E5E5}', '\u{FE10}', '\u{9FB4}', '\u{1E3F}'] {
            assert_eq!(round_trip(&format!("进程{c}")), None, "{c:?}");
        }
    }
}
