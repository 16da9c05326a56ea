//! One term's line of a shard: `term<TAB>postings`, in the varint alphabet
//! the browser decodes (`decodePostings`, `decodeDense` in `static/search/2-index.js`).

/// A term in at least one note in this many is dense (see [`term_line`]).
const DENSE: usize = 8;
/// BM25's saturation and length weight.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Term frequency per bucket of the collector's postings (see `tf_bucket`).
const TF: [f64; 8] = [1.0, 2.0, 3.0, 4.0, 6.0, 9.0, 15.0, 25.0];

/// The varint alphabet (also in `static/search/1-tokens.js`).
const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

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

/// Each note's BM25 term-frequency weight in 7 steps, from the collector's
/// tf bucket and the note's length.
pub(super) struct Impact {
    /// Per note: `K1 * (1 - B + B * len / average len)`.
    norm: Vec<f32>,
    /// The note count and the average note length in quarter steps of its
    /// log2: one edit seldom moves them, so shards of unchanged terms keep
    /// their bytes (see `cuts::Keep`).
    pub(super) basis: u64,
    /// The average length `norm` was computed with.
    mean: f64,
}

impl Impact {
    pub(super) fn new(lens: &[u32]) -> Impact {
        let total: u64 = lens.iter().map(|&l| l as u64).sum();
        let exact = (total as f64 / lens.len().max(1) as f64).max(1.0);
        let step = (exact.log2() * 4.0).round() as u32;
        let mean = 2f64.powf(step as f64 / 4.0);
        let norm = lens.iter().map(|&l| norm(l, mean) as f32).collect();
        // Dense terms depend on the note count too.
        let basis = (lens.len() as u64) << 32 | step as u64;
        Impact { norm, basis, mean }
    }

    /// `tf * (K1 + 1) / (tf + norm)` scaled to 1..=7 (the browser maps step
    /// `q` back to `q / 7 * (K1 + 1)`); 0 is never used, so every posting counts.
    fn step(&self, doc: usize, bucket: u32) -> u32 {
        step_of(bucket, self.norm.get(doc).copied().unwrap_or(1.0) as f64)
    }

    /// The step a posting with tf `bucket` gets in a note of `len` tokens.
    pub(super) fn step_for_len(&self, len: u32, bucket: u32) -> u32 {
        step_of(bucket, norm(len, self.mean) as f32 as f64)
    }
}

fn norm(len: u32, mean: f64) -> f64 {
    K1 * (1.0 - B + B * len as f64 / mean)
}

fn step_of(bucket: u32, norm: f64) -> u32 {
    let tf = TF[(bucket & 7) as usize];
    let w = tf * (K1 + 1.0) / (tf + norm);
    ((w / (K1 + 1.0) * 7.0).round() as u32).clamp(1, 7)
}

/// `term<TAB>postings\n`, each posting's doc number as the gap from the
/// previous one, its tf bucket replaced by the impact step.
///
/// A term in at least one note in [`DENSE`] (`进程`, `python` in most of a
/// Chinese site's notes) is written another way, `term<TAB>notes<TAB>marked\n`
/// (see [`dense_line`]): which notes have it, then the notes where it is in
/// the title or a heading or among the eighth that weigh most; the browser
/// gives the rest step 3 and the high ones step 6. Its idf makes its weight
/// small next to rarer terms', and a first query on 100k notes fetched
/// ~250 KB of such lines written in full.
pub(super) fn term_line(term: &str, postings: &[u32], impact: &Impact) -> String {
    let mut line = String::with_capacity(term.len() + 2 + postings.len() * 2);
    line.push_str(term);
    line.push('\t');
    let docs = impact.norm.len();
    if postings.len() * DENSE >= docs && docs >= DENSE {
        dense_line(&mut line, postings, impact);
        return line;
    }
    let mut prev: i64 = -1;
    for p in postings {
        let doc = (p >> 5) as i64;
        let step = impact.step(doc as usize, (p >> 2) & 7);
        push_varint(
            &mut line,
            (((doc - prev - 1) as u64) << 5) | (step << 2 | (p & 3)) as u64,
        );
        prev = doc;
    }
    line.push('\n');
    line
}

/// The `notes<TAB>marked\n` rest of a dense term's line (see [`term_line`]).
///
/// The notes with the term are written the shortest of three ways: `*` and
/// a bitmap of every note, six to a character (low bit first), when the term
/// is in more than a sixth of the notes and missing from more than a sixth;
/// else `!` and the gaps between the notes without it, when it is in most;
/// else `~` and the gaps between the notes with it. On 100k notes a term in
/// a third of them took 15 KB gzipped as gaps, 12 KB as a bitmap.
///
/// The marked notes follow as `gap << 3 | high << 2 | flags`, the gap
/// counted in places among the notes with the term (smaller numbers than
/// note numbers: 8% less, gzipped).
fn dense_line(line: &mut String, postings: &[u32], impact: &Impact) {
    let docs = impact.norm.len();
    let (with, without) = (postings.len(), docs.saturating_sub(postings.len()));
    let mut prev: i64 = -1;
    let mut gap = |line: &mut String, doc: usize| {
        push_varint(line, (doc as i64 - prev - 1) as u64);
        prev = doc as i64;
    };
    if with.min(without) * 6 > docs {
        line.push('*');
        let mut bits = vec![0u8; docs.div_ceil(6)];
        for p in postings {
            let doc = (p >> 5) as usize;
            if let Some(b) = bits.get_mut(doc / 6) {
                *b |= 1 << (doc % 6);
            }
        }
        line.extend(bits.iter().map(|&b| ALPHABET[b as usize] as char));
    } else if with * 2 < docs {
        line.push('~');
        postings.iter().for_each(|p| gap(line, (p >> 5) as usize));
    } else {
        line.push('!');
        let mut next = 0usize;
        for p in postings {
            let doc = (p >> 5) as usize;
            (next..doc.min(docs)).for_each(|absent| gap(line, absent));
            next = doc + 1;
        }
        (next..docs).for_each(|absent| gap(line, absent));
    }
    line.push('\t');
    // High: the notes in the top eighth of steps (from step 5 up), so the
    // list stays short.
    let steps: Vec<u32> = postings
        .iter()
        .map(|p| impact.step((p >> 5) as usize, (p >> 2) & 7))
        .collect();
    let mut count = [0usize; 9];
    steps.iter().for_each(|&s| count[s as usize] += 1);
    let high_from = (5..=8)
        .find(|&t| count[t..].iter().sum::<usize>() * DENSE <= steps.len())
        .unwrap_or(8) as u32;
    let mut prev: i64 = -1;
    for (place, (p, step)) in postings.iter().zip(steps).enumerate() {
        let high = (step >= high_from) as u32;
        if high == 0 && p & 3 == 0 {
            continue;
        }
        let low = high << 2 | (p & 3);
        push_varint(line, (((place as i64 - prev - 1) as u64) << 3) | low as u64);
        prev = place as i64;
    }
    line.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_grows_with_frequency_and_falls_with_length() {
        let impact = Impact::new(&[10, 100, 1000]);
        assert!(impact.step(0, 0) > impact.step(2, 0), "short note first");
        assert!(impact.step(1, 7) > impact.step(1, 0), "more hits first");
        assert!((1..=7).contains(&impact.step(2, 0)));
        assert_eq!(impact.step(9, 7), 7, "an unknown note does not panic");
    }

    #[test]
    fn dense_terms_list_the_notes_without_them() {
        let impact = Impact::new(&[10; 16]);
        // In notes 0..16 but 3 and 9; in the title of note 5, a heading of 12.
        let postings: Vec<u32> = (0..16u32)
            .filter(|d| *d != 3 && *d != 9)
            .map(|d| {
                d << 5
                    | if d == 5 {
                        1
                    } else if d == 12 {
                        2
                    } else {
                        0
                    }
            })
            .collect();
        // Absent: 3 (gap 3), 9 (gap 5). Marked, by place among the notes
        // with it: note 5 is 5th (4 << 3 | 1 = 33, `X1`: a continued digit
        // then 1), note 12 the 11th (gap 5: 5 << 3 | 2 = 42, `g1`).
        assert_eq!(term_line("进程", &postings, &impact), "进程\t!35\tX1g1\n");
        // Many hits in one note make it high (bit 4): note 0 is first
        // (0 << 3 | 4 = 4), then note 5 (gap 3: 3 << 3 | 1 = 25, `P`).
        let mut many = postings.clone();
        many[0] |= 7 << 2;
        assert_eq!(term_line("进程", &many, &impact), "进程\t!35\t4Pg1\n");
        let sparse = term_line("僵尸", &postings[..1], &impact);
        assert!(!sparse.contains('!') && !sparse.contains('~'), "{sparse}");
        // In 2 of 16 notes (0, 1): the notes with it are the shorter list.
        assert_eq!(term_line("进", &postings[..2], &impact), "进\t~00\t\n");
        // In half the notes (the even ones): a bitmap, six notes to a
        // character (0, 2, 4: 1 + 4 + 16 = 21, `L`; then 12, 14: 5).
        let even: Vec<u32> = (0..16u32).step_by(2).map(|d| d << 5).collect();
        assert_eq!(term_line("程", &even, &impact), "程\t*LL5\t\n");
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
}
