//! The search index: collected while notes render (in parallel), then written
//! as small files that the browser fetches on demand.
//!
//! Layout under `search/` (every name but `meta.json` is a hash of the file's
//! content, so browsers may cache them for good and a rebuilt site never mixes
//! old and new files; all but `meta.json` are gzip, inflated in the browser by
//! `DecompressionStream`):
//!
//! * `meta.json`: note count, average length, one length bucket per note, and
//!   the first term and file name of every term shard and title chunk;
//! * `t/<hash>.gz`: a term shard, one `term<TAB>postings` line per term in
//!   UTF-16 order (the order of JavaScript's `<`), cut at about [`SHARD_BYTES`];
//!   the browser finds a term's shard, or a prefix's shards, by binary search
//!   over the first terms;
//! * `d/<hash>.gz`: title, URL and text file of [`CHUNK_DOCS`] notes;
//! * `s/<hash>.gz`: one note's visible text cut at its headings
//!   (`[[id, heading, text], ...]`), for the section link and the snippet of a
//!   result; fetched only for the results on screen.
//!
//! Postings are varints in a 64-character alphabet, 5 bits per character:
//! `(doc gap << 5) | (tf bucket << 2) | flags` with flags 1 = in the title,
//! 2 = in a heading.

use super::{for_each_token, Kind};
use crate::build::{Prepared, Writer};
use crate::highlight::Highlighter;
use crate::pages::{Current, Pages};
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Target size of a term shard; a single frequent term may make one bigger.
pub const SHARD_BYTES: usize = 48 * 1024;
/// Notes per title/URL chunk.
pub const CHUNK_DOCS: usize = 64;
/// Bumped whenever the file format changes (the browser checks it).
pub const FORMAT: u32 = 1;

const FLAG_TITLE: u8 = 1;
const FLAG_HEADING: u8 = 2;
/// The varint alphabet (also in `static/search.js`).
const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
/// Postings keep the doc number in the bits above the tf bucket and flags.
const MAX_DOCS: usize = 1 << 27;

/// Term frequency as a 3-bit bucket (the browser maps it back to 1, 2, 3, 4, 6, 9, 15, 25).
fn tf_bucket(tf: u32) -> u32 {
    match tf {
        0..=1 => 0,
        2 => 1,
        3 => 2,
        4 => 3,
        5..=7 => 4,
        8..=11 => 5,
        12..=19 => 6,
        _ => 7,
    }
}

/// Note length (in tokens) as one alphabet character: round(3 * log2(1 + len)).
fn len_bucket(len: u32) -> u8 {
    let b = (3.0 * (1.0 + len as f64).log2()).round() as usize;
    ALPHABET[b.min(63)]
}

fn push_varint(out: &mut String, mut v: u64) {
    loop {
        let low = (v & 31) as usize;
        v >>= 5;
        if v == 0 {
            out.push(ALPHABET[low] as char);
            return;
        }
        out.push(ALPHABET[32 + low] as char);
    }
}

/// Gzip at the default level (the best level saves under 0.1 % here); deterministic
/// (no name, zero mtime) so file names stay stable across builds.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut e = flate2::GzBuilder::new().mtime(0).write(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

/// FNV-1a, for content-addressed file names (stable across builds and platforms).
fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:012x}", h >> 16)
}

/// Inline elements do not separate words (`Hash<em>Map</em>` is one word);
/// every other tag ends a block of text.
fn is_inline(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "nobr"
            | "q"
            | "rp"
            | "rt"
            | "ruby"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "wbr"
    )
}

/// The value of attribute `name` in a start tag's text (`<h2 id="x" ...>`).
fn attr<'h>(tag: &'h str, name: &str) -> Option<std::borrow::Cow<'h, str>> {
    for quote in ['"', '\''] {
        let key = format!(" {name}={quote}");
        if let Some(i) = tag.find(&key) {
            let rest = &tag[i + key.len()..];
            let end = rest.find(quote)?;
            return Some(html_escape::decode_html_entities(&rest[..end]));
        }
    }
    None
}

/// Calls `f(text, heading)` for each block of visible text in rendered HTML
/// (a note body as `markdown::render` makes it): tags removed, entities
/// decoded, `script`/`style` contents, comments and heading anchor links
/// skipped. `heading` is `Some(id)` for a heading's text (`""` without id).
pub fn body_blocks(html: &str, mut f: impl FnMut(&str, Option<&str>)) {
    let bytes = html.as_bytes();
    let mut buf = String::new();
    let mut heading: Option<String> = None;
    let mut flush = |buf: &mut String, heading: &Option<String>| {
        if !buf.trim().is_empty() {
            f(&html_escape::decode_html_entities(buf), heading.as_deref());
        }
        buf.clear();
    };
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            buf.push_str(&html[text_start..i]);
            i = html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            text_start = i;
            continue;
        }
        let mut j = i + 1;
        let closing = bytes.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let name_start = j;
        while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == name_start {
            // A lone `<` is text (`a < b` escaped wrongly by hand-written HTML).
            i += 1;
            continue;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        // The tag ends at the first `>` outside quotes.
        let mut quote = 0u8;
        while j < bytes.len() {
            match bytes[j] {
                b'"' | b'\'' if quote == 0 => quote = bytes[j],
                q if q == quote && quote != 0 => quote = 0,
                b'>' if quote == 0 => break,
                _ => {}
            }
            j += 1;
        }
        buf.push_str(&html[text_start..i]);
        let tag = &html[i..j.min(bytes.len())];
        i = (j + 1).min(bytes.len());
        text_start = i;
        if name == "a"
            && !closing
            && attr(tag, "class").is_some_and(|c| c.split(' ').any(|c| c == "anchor"))
        {
            // The `#` link a heading carries is no text of the note.
            i = html[i..].find("</a>").map_or(bytes.len(), |e| i + e + 4);
            text_start = i;
            continue;
        }
        if is_inline(&name) {
            continue;
        }
        flush(&mut buf, &heading);
        if !closing && matches!(name.as_str(), "script" | "style" | "template" | "textarea") {
            let end = format!("</{name}");
            let lower = html[i..].to_ascii_lowercase();
            i = lower.find(&end).map_or(bytes.len(), |e| i + e);
            text_start = i;
            continue;
        }
        if matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            heading = (!closing).then(|| attr(tag, "id").unwrap_or_default().into_owned());
        }
    }
    buf.push_str(&html[text_start.min(bytes.len())..]);
    flush(&mut buf, &heading);
}

/// One section of a note for snippets: heading id, heading text, body text.
type Section = (String, String, String);

fn push_collapsed(out: &mut String, text: &str) {
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
}

/// FNV-1a as a `HashMap` hasher: terms are short, and SipHash showed in profiles.
#[derive(Default, Clone, Copy)]
struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FnvHasher>>;

#[derive(Default)]
struct Builder {
    ids: FastMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
    /// Per term: `(doc << 5) | (tf bucket << 2) | flags`, in arrival order.
    postings: Vec<Vec<u32>>,
    lens: Vec<u32>,
    /// Which notes have been added (a note may be added again after it changed).
    added: Vec<bool>,
    /// Per note: its text file for `search/s/` (name, gzip bytes), kept
    /// compressed until [`write_index`] writes them all.
    texts: Vec<(String, Box<[u8]>)>,
}

/// Gathers every note's terms while notes render in parallel. Each note is
/// tokenized without the lock; only the merge into the shared term table locks.
pub struct Collector {
    inner: Mutex<Builder>,
}

impl Collector {
    pub fn new(notes: usize) -> Result<Collector> {
        if notes >= MAX_DOCS {
            bail!("search index: {notes} notes is more than the {MAX_DOCS} it can hold; set `search: false`");
        }
        Ok(Collector {
            inner: Mutex::new(Builder {
                lens: vec![0; notes],
                added: vec![false; notes],
                texts: vec![Default::default(); notes],
                ..Default::default()
            }),
        })
    }

    /// Indexes note `doc`: its title and its rendered body HTML, and keeps
    /// its text (gzip, for snippets). Adding a note again (`serve` after an
    /// edit) replaces what it had.
    pub fn add(&self, doc: usize, title: &str, body_html: &str) -> Result<()> {
        let notes = self
            .inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .lens
            .len();
        if doc >= notes {
            bail!("search index: note {doc} is not one of the {notes} notes");
        }
        let mut terms: FastMap<String, (u32, u8)> = FastMap::default();
        let mut len = 0u32;
        let mut count = |text: &str, flag: u8| {
            for_each_token(text, |kind, t| {
                if kind != Kind::Part {
                    len += 1;
                }
                match terms.get_mut(t) {
                    Some(e) => {
                        e.0 += 1;
                        e.1 |= flag;
                    }
                    None => {
                        terms.insert(t.to_string(), (1, flag));
                    }
                }
            })
        };
        count(title, FLAG_TITLE);
        let mut sections: Vec<Section> = vec![Default::default()];
        body_blocks(body_html, |text, heading| match heading {
            Some(id) => {
                count(text, FLAG_HEADING);
                let mut h = String::new();
                push_collapsed(&mut h, text);
                sections.push((id.to_string(), h, String::new()));
            }
            None => {
                count(text, 0);
                if let Some(s) = sections.last_mut() {
                    push_collapsed(&mut s.2, text);
                }
            }
        });
        sections.retain(|s| !(s.1.is_empty() && s.2.is_empty()));
        let gz = gzip(&serde_json::to_vec(&sections)?);
        let name = fnv(&gz);
        let mut b = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        b.texts[doc] = (name, gz.into_boxed_slice());
        if b.added[doc] {
            for list in &mut b.postings {
                list.retain(|p| (p >> 5) as usize != doc);
            }
        }
        b.added[doc] = true;
        b.lens[doc] = len;
        for (term, (tf, flags)) in terms {
            let packed = ((doc as u32) << 5) | (tf_bucket(tf) << 2) | flags as u32;
            let id = match b.ids.get(term.as_str()) {
                Some(&id) => id,
                None => {
                    let id = b.terms.len() as u32;
                    let boxed: Box<str> = term.into();
                    b.ids.insert(boxed.clone(), id);
                    b.terms.push(boxed);
                    b.postings.push(Vec::new());
                    id
                }
            };
            b.postings[id as usize].push(packed);
        }
        Ok(())
    }

    fn missing(&self) -> Vec<usize> {
        let b = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        (0..b.added.len()).filter(|&i| !b.added[i]).collect()
    }
}

/// What [`write_index`] wrote, for logs and size reports.
#[derive(Debug, Clone, Default)]
pub struct IndexStats {
    pub terms: usize,
    pub postings: usize,
    pub shards: usize,
    /// Bytes of all index files (not counting the results page).
    pub bytes: usize,
    /// HTML pages written (the results page).
    pub pages: usize,
}

/// Writes the index files under `search/` and the results page
/// `search/index.html`. Notes that were not rendered through
/// [`crate::build::write_note`] since the collector was made (a partial
/// rebuild) are rendered here first, so the index always covers every note.
pub fn write_index(
    p: &Prepared,
    pages: &Pages,
    hl: &Highlighter,
    out: &Writer,
) -> Result<IndexStats> {
    let Some(collector) = &p.search else {
        return Ok(IndexStats::default());
    };
    let site = &p.site;
    for i in collector.missing() {
        let html = crate::build::render_note_body(site, i, &pages.base_path, hl)?;
        collector.add(i, &site.notes[i].title, &html)?;
    }
    let started = std::time::Instant::now();
    let b = collector.inner.lock().unwrap_or_else(|p| p.into_inner());
    let bytes = AtomicUsize::new(0);
    let write = |rel: String, data: &[u8]| -> Result<()> {
        bytes.fetch_add(data.len(), Ordering::Relaxed);
        out(&rel, data).with_context(|| format!("cannot write search index file `{rel}`"))
    };

    // One line per term, in UTF-16 order so the browser's string comparison agrees.
    let mut order: Vec<u32> = (0..b.terms.len() as u32).collect();
    order.par_sort_by(|&x, &y| {
        b.terms[x as usize]
            .encode_utf16()
            .cmp(b.terms[y as usize].encode_utf16())
    });
    let lines: Vec<(usize, String)> = order
        .par_iter()
        .filter(|&&id| !b.postings[id as usize].is_empty()) // re-added notes dropped it
        .map(|&id| {
            let term = &b.terms[id as usize];
            let mut list = b.postings[id as usize].clone();
            list.sort_unstable();
            let mut line = String::with_capacity(term.len() + 2 + list.len() * 2);
            line.push_str(term);
            line.push('\t');
            let mut prev: i64 = -1;
            for p in &list {
                let doc = (p >> 5) as i64;
                push_varint(
                    &mut line,
                    (((doc - prev - 1) as u64) << 5) | (p & 31) as u64,
                );
                prev = doc;
            }
            line.push('\n');
            (list.len(), line)
        })
        .collect();
    let postings = lines.iter().map(|(n, _)| n).sum();
    // Cut into shards of about SHARD_BYTES, then compress and write them in parallel.
    let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (_, line)) in lines.iter().enumerate() {
        size += line.len();
        if size >= SHARD_BYTES || i + 1 == lines.len() {
            cuts.push(start..i + 1);
            (start, size) = (i + 1, 0);
        }
    }
    let shards: Vec<(&str, String)> = cuts
        .par_iter()
        .map(|r| {
            let text: String = lines[r.clone()].iter().map(|(_, l)| l.as_str()).collect();
            let gz = gzip(text.as_bytes());
            let name = fnv(&gz);
            write(format!("search/t/{name}.gz"), &gz)?;
            let first = &lines[r.start].1;
            Ok((first.split('\t').next().unwrap_or(""), name))
        })
        .collect::<Result<_>>()?;

    // Each note's text (for snippets), then titles, URLs and text names in chunks.
    b.texts
        .par_iter()
        .filter(|(name, _)| !name.is_empty())
        .try_for_each(|(name, gz)| write(format!("search/s/{name}.gz"), gz))?;
    let chunks: Vec<String> = (0..site.notes.len())
        .step_by(CHUNK_DOCS)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|&start| {
            let end = (start + CHUNK_DOCS).min(site.notes.len());
            let docs: Vec<(&str, String, &str)> = (start..end)
                .map(|i| {
                    let n = &site.notes[i];
                    (n.title.as_str(), pages.href(&n.url), b.texts[i].0.as_str())
                })
                .collect();
            let gz = gzip(&serde_json::to_vec(&docs)?);
            let name = fnv(&gz);
            write(format!("search/d/{name}.gz"), &gz)?;
            Ok(name)
        })
        .collect::<Result<_>>()?;

    let total: u64 = b.lens.iter().map(|&l| l as u64).sum();
    let avgdl = if b.lens.is_empty() {
        0.0
    } else {
        total as f64 / b.lens.len() as f64
    };
    let lens: String = b.lens.iter().map(|&l| len_bucket(l) as char).collect();
    let meta = serde_json::json!({
        "format": FORMAT,
        "docs": site.notes.len(),
        "avgdl": (avgdl * 100.0).round() / 100.0,
        "lens": lens,
        "chunk": CHUNK_DOCS,
        "chunks": chunks,
        "shards": shards.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
        "files": shards.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
    });
    let mut meta_text = serde_json::to_string(&meta)?;
    meta_text.push('\n');
    write("search/meta.json".to_string(), meta_text.as_bytes())?;

    let ctx = pages.context("search", "search/", Current::Other);
    let page = pages
        .render("search.html", &ctx)
        .context("while rendering the search page")?;
    out("search/index.html", page.as_bytes())?;

    let stats = IndexStats {
        terms: lines.len(),
        postings,
        shards: shards.len(),
        bytes: bytes.load(Ordering::Relaxed),
        pages: 1,
    };
    log::debug!(
        "search index: {} terms, {} postings, {} shards, {:.1} KiB in {:.2} s",
        stats.terms,
        stats.postings,
        stats.shards,
        stats.bytes as f64 / 1024.0,
        started.elapsed().as_secs_f64()
    );
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<(String, Option<String>)> {
        let mut v = Vec::new();
        body_blocks(html, |t, h| v.push((t.to_string(), h.map(str::to_string))));
        v
    }

    #[test]
    fn html_blocks_keep_inline_words_and_split_blocks() {
        let html = r##"<h2 id="x&amp;y">标题 <code>os.fork</code><a class="anchor" href="#x" aria-hidden="true">#</a></h2>
<p>Hash<em>Map</em> &amp; 进程</p><p>世界</p><!-- <p>hidden</p> --><script>var x = "<p>";</script><pre><code><span class="k">def</span> f():
  pass</code></pre>"##;
        assert_eq!(
            blocks(html),
            [
                ("标题 os.fork".to_string(), Some("x&y".to_string())),
                ("HashMap & 进程".to_string(), None),
                ("世界".to_string(), None),
                ("def f():\n  pass".to_string(), None),
            ]
        );
    }

    #[test]
    fn quoted_gt_in_attributes_does_not_end_a_tag() {
        assert_eq!(
            blocks(r#"<p title="a>b">text</p>"#),
            [("text".to_string(), None)]
        );
    }

    #[test]
    fn varints_round_trip_in_the_alphabet() {
        let mut s = String::new();
        push_varint(&mut s, 0);
        push_varint(&mut s, 31);
        push_varint(&mut s, 32);
        push_varint(&mut s, 1 << 20);
        assert_eq!(s, "0VW1WWWW1");
    }

    #[test]
    fn collector_counts_terms_flags_lengths_and_keeps_sections() {
        let c = Collector::new(2).unwrap();
        c.add(1, "旧", "<p>旧的 gevent</p>").unwrap();
        let html = "<p>引言</p>\n<h2 id=\"g\">gevent</h2><p>协程  协程\n gevent</p>";
        c.add(1, "协程", html).unwrap();
        assert_eq!(c.missing(), [0]);
        assert!(c.add(2, "x", "").is_err());
        let b = c.inner.lock().unwrap();
        let id = |t: &str| b.ids[t] as usize;
        // 协程: title (flag 1) and body, tf 3 -> bucket 2.
        assert_eq!(
            b.postings[id("协程")],
            [(1 << 5) | (2 << 2) | FLAG_TITLE as u32]
        );
        assert_eq!(
            b.postings[id("gevent")],
            [(1 << 5) | (1 << 2) | FLAG_HEADING as u32]
        );
        // 3 x (协, 协程, 程) + 3 x (引, 引言, 言) + 2 x gevent; the first version's terms are gone.
        assert_eq!(b.lens, [0, 14]);
        assert!(b.postings[id("旧")].is_empty());
        // The text file: gzip of [[id, heading, text]], named by its hash.
        let (name, gz) = &b.texts[1];
        assert_eq!(name, &fnv(gz));
        let mut json = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut json)
            .unwrap();
        assert_eq!(
            json,
            r#"[["","","引言"],["g","gevent","协程 协程 gevent"]]"#
        );
    }
}
