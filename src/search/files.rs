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

/// gzip level of the text files: on the 10k-note corpus, in GB18030,
/// libdeflate's level 1 compresses them in 0.83 s to 58.1 MB, level 6 in
/// 1.38 s to 57.0 MB (in UTF-8: 0.98 s to 65.6 MB, 1.73 s to 62.2 MB).
/// A build pays for every note's text; a reader downloads a few.
const TEXT_LEVEL: i32 = 1;

/// A text file in UTF-8 starts with a byte order mark; one without is GB18030.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A note's text file, compressed, and its name. In GB18030 (see
/// [`super::gb18030`]), unless it has a character decoders disagree on or
/// UTF-8 is shorter (Korean): then in UTF-8, after a byte order mark.
pub(super) fn pack_text(title: &str, url: &str, text: &PlainText) -> (String, Vec<u8>) {
    let json = text_json(title, url, text);
    let mut bytes = Vec::with_capacity(json.len());
    if !super::gb18030::encode(&json, &mut bytes) || bytes.len() > json.len() + UTF8_BOM.len() {
        bytes.clear();
        bytes.extend_from_slice(UTF8_BOM);
        bytes.extend_from_slice(json.as_bytes());
    }
    let gz = gzip_level(&bytes, TEXT_LEVEL);
    (fnv(&gz), gz)
}

/// The text of a text file's (inflated) bytes, as the browser decodes it
/// (for the tests: the build only writes them).
pub fn decode_text(bytes: &[u8]) -> String {
    match bytes.strip_prefix(UTF8_BOM) {
        Some(utf8) => String::from_utf8_lossy(utf8).into_owned(),
        None => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// A gzip file's bytes, inflated (for the tests), sized by its trailer.
#[cfg(test)]
pub(super) fn inflate(gz: &[u8]) -> Vec<u8> {
    let size = u32::from_le_bytes(gz[gz.len() - 4..].try_into().unwrap());
    let mut out = vec![0; size as usize];
    let n = libdeflater::Decompressor::new()
        .gzip_decompress(gz, &mut out)
        .unwrap();
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packed(title: &str, body: &str) -> (Vec<u8>, String) {
        let mut text = PlainText::default();
        text.push_html(body);
        let (name, gz) = pack_text(title, "/u/", &text);
        assert_eq!(name, fnv(&gz));
        (inflate(&gz), text_json(title, "/u/", &text))
    }

    #[test]
    fn chinese_texts_are_gb18030_and_the_rest_utf8_after_a_mark() {
        for (title, body, gb) in [
            ("进程", "<p>子进程退出后，父进程没有调用 wait()。</p>", true),
            ("plain", "<p>only ASCII here</p>", true),
            (
                "가상 메모리",
                "<p>가상 메모리는 주소 공간을 준다</p>",
                false,
            ),
            ("私用", "<p>进程\u{E000}私用区</p>", false),
            ("竖排", "<p>进程\u{FE10}</p>", false),
        ] {
            let (bytes, json) = packed(title, body);
            assert_eq!(!bytes.starts_with(UTF8_BOM), gb, "{title}");
            assert_eq!(decode_text(&bytes), json, "{title}");
        }
        let (gb, json) = packed("进程", "<p>子进程退出后，父进程没有调用 wait()。</p>");
        assert!(gb.len() < json.len());
    }
}
