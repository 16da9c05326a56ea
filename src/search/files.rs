//! How the index's files are made and named: deterministic gzip, names that
//! are hashes of the content (stable across builds and platforms), and a
//! note's text file.

use crate::markdown::PlainText;

/// Gzip at `level`; deterministic (no name, zero mtime) so file names stay
/// stable across builds.
pub(super) fn gzip_level(bytes: &[u8], level: i32) -> Vec<u8> {
    let level = libdeflater::CompressionLvl::new(level).unwrap_or_default();
    let mut c = libdeflater::Compressor::new(level);
    let mut out = vec![0; c.gzip_compress_bound(bytes.len())];
    // Cannot fail: the buffer has the size libdeflate asks for.
    let n = c.gzip_compress(bytes, &mut out).unwrap_or(0);
    out.truncate(n);
    out
}

/// A note's text file: `[title, URL, [[heading id, heading, text], ...]]`.
/// The title and URL are here rather than in the doc chunks: a result on
/// screen needs its text anyway, and a chunk of bare file names is a fifth
/// the size.
fn text_json(title: &str, url: &str, text: &PlainText) -> String {
    let sections = text.sections_json();
    let mut out = String::with_capacity(title.len() + url.len() + sections.len() + 8);
    out.push('[');
    out.push_str(&serde_json::Value::from(title).to_string());
    out.push(',');
    out.push_str(&serde_json::Value::from(url).to_string());
    out.push(',');
    out.push_str(&sections);
    out.push(']');
    out
}

/// The path of the text file named `name`.
pub(super) fn text_file(name: &str) -> String {
    format!("search/s/{name}.gz")
}

/// FNV-1a, for content-addressed file names (stable across builds and platforms).
pub(super) fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:012x}", h >> 16)
}

/// gzip level of the text files: libdeflate's level 6 is 4% smaller than
/// level 1 on single notes (10k-note corpus), which the reader downloads.
const TEXT_LEVEL: i32 = 6;

/// A note's text file, compressed, and its name.
pub(super) fn pack_text(title: &str, url: &str, text: &PlainText) -> (String, Vec<u8>) {
    let gz = gzip_level(text_json(title, url, text).as_bytes(), TEXT_LEVEL);
    (fnv(&gz), gz)
}
