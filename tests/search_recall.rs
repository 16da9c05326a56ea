//! Search over the bundled notes, through the real `static/search.js` under
//! Node: every note that contains a query is found (recall), the indexed
//! text has the words of the rendered page, and exact phrases rank first on
//! a stress set of random Han n-grams.
//!
//! Needs `node`.

// Tests print their figures (recall, coverage, seeds) for the CI log.
#![allow(clippy::print_stdout)]

mod common;

use biji::BuildOptions;
use common::search::{build, fixture, manifest, node};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

// ---------------------------------------------------------------- recall

const BLOCK_TAGS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "td",
    "th",
    "tr",
    "br",
    "div",
    "blockquote",
    "table",
    "ul",
    "ol",
    "hr",
    "dt",
    "dd",
    "details",
    "summary",
    "figure",
    "section",
];

/// The visible text of rendered HTML: tags dropped (blocks become line breaks), entities decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = &rest[lt..];
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if BLOCK_TAGS.contains(&name.as_str()) {
            out.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    html_escape::decode_html_entities(&out).into_owned()
}

fn latin_word_char(c: char) -> bool {
    (c.is_alphanumeric() || c == '_') && !biji::testing::is_cjk(c)
}

/// Case-insensitive substring search. With `words`, a query that starts with
/// a Latin letter or digit must start at a word boundary of the text (the
/// documented rule: Latin words match from their beginning), and one that ends
/// in a one-letter word must end at one.
fn contains(text: &str, query: &str, words: bool) -> bool {
    let (text, query) = (text.to_lowercase(), query.to_lowercase());
    let starts_latin = query.chars().next().is_some_and(latin_word_char);
    let last_word: Vec<char> = query
        .chars()
        .rev()
        .take_while(|&c| latin_word_char(c))
        .collect();
    text.match_indices(&query).any(|(i, _)| {
        if !words {
            return true;
        }
        let before = text[..i].chars().next_back();
        let after = text[i + query.len()..].chars().next();
        (!starts_latin || !before.is_some_and(latin_word_char))
            && (last_word.len() != 1 || !after.is_some_and(latin_word_char))
    })
}

/// What a query must match, as `static/search.js` derives it: each word (a
/// prefix from two characters on), each CJK bigram, a lone CJK character.
fn query_terms(q: &str) -> Vec<(String, bool)> {
    use biji::testing::Kind;
    let toks = biji::testing::tokenize(q);
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let bi_near = |j: Option<usize>| {
            j.and_then(|j| toks.get(j))
                .is_some_and(|t| t.kind == Kind::Bi)
        };
        match t.kind {
            Kind::Word => out.push((t.text.clone(), t.text.chars().count() >= 2)),
            Kind::Bi => out.push((t.text.clone(), false)),
            Kind::Uni if !bi_near(i.checked_sub(1)) && !bi_near(Some(i + 1)) => {
                out.push((t.text.clone(), false))
            }
            _ => {}
        }
    }
    out
}

/// The terms a note must have to be found at all: the words, and a cover
/// of each CJK run (its bigrams at even places, and its last character when
/// it has an odd number): `僵尸进程` needs `僵尸` and `进程`, not `尸进`.
fn required_terms(q: &str) -> Vec<(String, bool)> {
    use biji::testing::{is_cjk, Kind};
    let mut out: Vec<(String, bool)> = (biji::testing::tokenize(q).into_iter())
        .filter(|t| t.kind == Kind::Word)
        .map(|t| {
            let prefix = t.text.chars().count() >= 2;
            (t.text, prefix)
        })
        .collect();
    let chars: Vec<char> = q.to_lowercase().chars().collect();
    for run in chars.split(|c| !is_cjk(*c)).filter(|r| !r.is_empty()) {
        let n = run.len();
        out.extend(
            (0..n.saturating_sub(1))
                .step_by(2)
                .map(|i| (run[i..i + 2].iter().collect(), false)),
        );
        if n % 2 == 1 {
            out.push((run[n - 1].to_string(), false));
        }
    }
    out
}

#[test]
fn every_note_containing_a_query_is_found() {
    let root = manifest();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    // Under a sub-path, as on GitHub Pages project sites.
    let base = "/repo/";
    build(&root, &site, Some(base));

    // Each note's text as the reader sees it: title, rendered body and tags.
    let opts = BuildOptions {
        root: root.clone(),
        base_url: Some(base.into()),
        ..Default::default()
    };
    let notes: Vec<(String, String)> = biji::testing::render_notes(&opts)
        .unwrap()
        .into_iter()
        .map(|n| {
            let tags: Vec<String> = n.tags.iter().map(|t| format!("#{t}")).collect();
            let text = format!("{}\n{}\n{}", n.title, visible_text(&n.html), tags.join(" "));
            (n.href, text)
        })
        .collect();
    assert_eq!(
        notes.len(),
        51,
        "the bundled notes changed; review the query list"
    );

    let queries: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(fixture("recall-queries.json")).unwrap())
            .unwrap();
    assert!(queries.len() >= 30);
    let lines = node(&[
        &fixture("query.js"),
        &site,
        Path::new(base),
        &fixture("recall-queries.json"),
    ]);
    // Found: listed as an exact match or, after them, a partial one.
    let found: BTreeMap<String, [Vec<String>; 2]> = lines
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let urls = |k: &str| {
                (v[k].as_array().unwrap().iter())
                    .map(|u| u.as_str().unwrap().to_string())
                    .collect()
            };
            let q = v["query"].as_str().unwrap().to_string();
            (q, [urls("urls"), urls("partial")])
        })
        .collect();

    let mut missed = Vec::new();
    let mut plain_missed = Vec::new();
    let (mut expected_total, mut plain_total, mut plain_found) = (0, 0, 0);
    for q in &queries {
        let got: BTreeSet<&String> = found[q].iter().flatten().collect();
        let expected: Vec<&String> = notes
            .iter()
            .filter(|(_, t)| contains(t, q, true))
            .map(|(u, _)| u)
            .collect();
        assert!(
            !expected.is_empty(),
            "query {q:?} is in no note: pick another"
        );
        expected_total += expected.len();
        for u in &expected {
            if !got.contains(u) {
                missed.push(format!(
                    "{q:?}: {}",
                    percent_encoding::percent_decode_str(u).decode_utf8_lossy()
                ));
            }
        }
        // Plain substring (inside words too), reported for comparison.
        for (u, t) in &notes {
            if contains(t, q, false) {
                plain_total += 1;
                plain_found += got.contains(u) as usize;
                if !got.contains(u) {
                    plain_missed.push(format!(
                        "{q:?}: {}",
                        percent_encoding::percent_decode_str(u).decode_utf8_lossy()
                    ));
                }
            }
        }
        // No exact match lacks a query term (words match as prefixes), and
        // no partial one a term of the query's cover (see `required_terms`).
        let [exact, partial] = &found[q];
        for (u, terms) in (exact.iter().map(|u| (u, query_terms(q))))
            .chain(partial.iter().map(|u| (u, required_terms(q))))
        {
            let text = &notes
                .iter()
                .find(|(n, _)| n == u)
                .expect("a found URL is a note")
                .1;
            let tokens: BTreeSet<String> = biji::testing::tokenize(text)
                .into_iter()
                .map(|t| t.text)
                .collect();
            for (term, prefix) in &terms {
                let has = tokens.contains(term)
                    || (*prefix
                        && tokens
                            .range(term.clone()..)
                            .next()
                            .is_some_and(|t| t.starts_with(term.as_str())));
                assert!(has, "{q:?} found {u}, which has no `{term}`");
            }
        }
    }
    println!(
        "recall: {}/{} expected (query at a word start), {}/{} by plain substring, {} queries",
        expected_total - missed.len(),
        expected_total,
        plain_found,
        plain_total,
        queries.len()
    );
    println!("only inside a word (not expected): {plain_missed:?}");
    // For comparing other search tools on the same queries (see the search docs).
    if let Some(path) = std::env::var_os("BIJI_RECALL_DUMP") {
        let expected: BTreeMap<&String, Vec<&String>> = queries
            .iter()
            .map(|q| {
                (
                    q,
                    notes
                        .iter()
                        .filter(|(_, t)| contains(t, q, true))
                        .map(|(u, _)| u)
                        .collect(),
                )
            })
            .collect();
        std::fs::write(path, serde_json::to_string_pretty(&expected).unwrap()).unwrap();
    }
    assert!(missed.is_empty(), "notes not found:\n{}", missed.join("\n"));

    // Title hits rank first.
    let first = |q: &str| {
        percent_encoding::percent_decode_str(&found[q][0][0])
            .decode_utf8_lossy()
            .into_owned()
    };
    assert_eq!(first("僵尸进程"), "/repo/os/僵尸进程排查/");
    assert_eq!(first("GIL"), "/repo/python/解释器与gil/");
    assert_eq!(first("元类"), "/repo/python/元类metaclass/");
    assert_eq!(first("gevent"), "/repo/python/gevent协程/");
}

/// The index takes a note's text from the Markdown events while it renders
/// (never parsing highlighted HTML back); it must see the same words, under
/// the same headings, as the rendered page shows.
#[test]
fn indexed_text_has_the_words_of_the_rendered_page() {
    let opts = BuildOptions {
        root: manifest(),
        ..Default::default()
    };
    let words =
        |text: &biji::testing::PlainText| -> Vec<(String, BTreeSet<String>, BTreeSet<String>)> {
            let tokens = |t: &str| -> BTreeSet<String> {
                biji::testing::tokenize(t)
                    .into_iter()
                    .map(|t| t.text)
                    .collect()
            };
            text.sections
                .iter()
                .map(|s| (s.id.clone(), tokens(&s.heading), tokens(&s.text)))
                .filter(|s| !(s.1.is_empty() && s.2.is_empty()))
                .collect()
        };
    for n in biji::testing::render_notes(&opts).unwrap() {
        let (text, html, rel) = (n.text, n.html, n.rel);
        let mut from_html = biji::testing::PlainText::default();
        from_html.push_html(&not_indexed_cut(&without_embeds(&html)));
        assert_eq!(words(&text), words(&from_html), "{rel}");
        assert_eq!(text.sections_json(), from_html.sections_json(), "{rel}");
    }
}

/// `html` without what is shown but deliberately not indexed: formulas
/// (MathML's letters are noise to a reader's query) and a `[TOC]` list (the
/// headings it repeats are indexed where they stand).
fn not_indexed_cut(html: &str) -> String {
    let mut out = html.to_string();
    for (open, close) in [
        ("<math", "</math>"),
        ("<nav class=\"toc-inline\"", "</nav>"),
        // Footnotes' numbers and back links are the page's, not the note's words.
        ("<sup class=\"footnote-reference\">", "</sup>"),
        ("<a href=\"#fnref-", "</a>"),
    ] {
        while let Some(a) = out.find(open) {
            let b = out[a..]
                .find(close)
                .map_or(out.len(), |e| a + e + close.len());
            out.replace_range(a..b, " ");
        }
    }
    out
}

/// `html` without the notes embedded in it (`<div class="embed">`): their
/// text is indexed once, on their own page.
fn without_embeds(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<div class=\"embed\">") {
        out.push_str(&rest[..at]);
        let mut depth = 0usize;
        let mut i = at;
        loop {
            let open = rest[i..].find("<div").map(|k| i + k);
            let close = rest[i..].find("</div>").map(|k| i + k);
            match (open, close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    i = o + 4;
                }
                (_, Some(c)) => {
                    depth -= 1;
                    i = c + 6;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {
                    i = rest.len();
                    break;
                }
            }
        }
        rest = &rest[i..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------- precision

/// 600 random Han n-grams (2, 3, 4 characters, each in two notes or more)
/// through the real engine over the bundled notes (`stress.js`): the listed
/// results contain the query, and no note containing it ranks below one that
/// only has its pieces. Before the phrase check, 3-grams listed 89% and
/// 4-grams 85% notes with the phrase.
#[test]
fn stress_set_ranks_exact_phrases_first() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let base = "/repo/";
    build(&manifest(), &site, Some(base));
    let report = node(&[
        &fixture("stress.js"),
        &site,
        Path::new(base),
        Path::new("--json"),
    ]);
    let report: Value = serde_json::from_str(&report).unwrap();
    let pct = |f: &Value, k: &str| 100.0 * f[k].as_f64().unwrap();
    for n in ["2", "3", "4"] {
        let f = &report["by_n"][n];
        println!(
            "{n} chars: {} queries, listed precision {:.1}%, recall {:.1}%, exact first {:.1}% \
             (all hits: precision {:.1}%, exact first {:.1}%)",
            f["queries"],
            pct(f, "precision"),
            pct(f, "recall"),
            pct(f, "first"),
            pct(f, "all_precision"),
            pct(f, "all_first")
        );
    }
    let all = &report["overall"];
    let figure = |k: &str| pct(all, k) / 100.0;
    assert!(
        all["queries"].as_u64().unwrap() >= 500,
        "too few queries: {report}"
    );
    assert!(figure("precision") >= 0.98, "{report}");
    assert_eq!(figure("recall"), 1.0, "{report}");
    assert_eq!(figure("first"), 1.0, "{report}");
}
