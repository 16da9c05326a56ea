//! The tokenizer's own rules; a test in `tests/search.rs` checks that
//! `static/search.js` cuts the same text the same way.

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
            "uni:建",
            "sym:os.fork",
            "sym:.fork"
        ]
    );
    assert_eq!(toks("Python的GIL"), ["word:python", "uni:的", "word:gil"]);
}

#[test]
fn identifiers_are_split_into_parts() {
    assert_eq!(
        toks("HashMap::entry"),
        [
            "word:hashmap",
            "part:hash",
            "part:map",
            "word:entry",
            "sym:hashmap::entry"
        ]
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
        [
            "word:copy",
            "word:on",
            "word:write",
            "sym:copy-on",
            "sym:copy-on-write",
            "sym:on-write"
        ]
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

/// CJK text is indexed as it is: no character of those scripts may
/// have a lowercase form (the browser lowercases them, to no effect).
#[test]
fn cjk_characters_have_no_case() {
    for c in (0..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|&c| is_cjk(c))
    {
        assert!(
            c.to_lowercase().eq([c]),
            "U+{:04X} has a lowercase form",
            c as u32
        );
    }
}

/// The fast NFKC paths give what full NFKC gives.
#[test]
fn fast_nfkc_equals_full_nfkc() {
    for text in [
        "僵尸进程，父进程（parent）：wait()！",
        "ＧＩＬ\n全角ＡＢＣ１２３\nplain\n",
        "Ａ\u{301} accent after a full-width letter",
        "①② circled, ﬁ ligature, ㈱ and ｶﾀｶﾅ",
        "no newline at the end，",
        "“引号”、《书名》——「括号」·【注】〔注〕",
        "全角，标点。\n“引号”\u{301}与组合符",
        "",
    ] {
        let full: String = text.nfkc().collect();
        assert_eq!(nfkc(text), full, "{text:?}");
    }
}

/// Every character from U+EFFF to U+FFFF (all of them with UTF-8's lead byte
/// 0xEF but the first), alone and between others, narrows as full NFKC maps
/// the full-width ones and is left alone otherwise.
#[test]
fn narrowing_finds_every_full_width_character_by_its_bytes() {
    for c in ('\u{EFFF}'..='\u{FFFF}').filter(|c| !is_plain(*c)) {
        for text in [c.to_string(), format!("进{c}程"), format!("a{c}{c}")] {
            let mut out = String::new();
            push_narrowed(&text, &mut out);
            let expected: String = match is_full_width(c) {
                true => text.nfkc().collect(),
                false => text.clone(),
            };
            assert_eq!(out, expected, "{:?}", c);
        }
    }
}

/// What `nfkc` takes as normal without the Unicode tables must be: each
/// such character is its own NFKC, starts no composition and ends none.
#[test]
fn plain_characters_are_nfkc_and_never_compose() {
    use unicode_normalization::char::{canonical_combining_class, compose};
    let plain: Vec<char> = (0..=0xFFFFu32)
        .filter_map(char::from_u32)
        .filter(|&c| is_plain(c))
        .collect();
    // Every composition pair has both characters in the BMP but for a few
    // of historic scripts with no CJK punctuation.
    let others: Vec<char> = (0..=0xFFFFu32).filter_map(char::from_u32).collect();
    for &c in &plain {
        assert_eq!(c.to_string().nfkc().collect::<String>(), c.to_string());
        assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
        if c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            // ASCII letters take combining marks (which are not plain), and
            // no unified ideograph composes: both as before these tests.
            continue;
        }
        for &o in &others {
            assert!(
                compose(o, c).is_none(),
                "U+{:04X} U+{:04X}",
                o as u32,
                c as u32
            );
            assert!(
                compose(c, o).is_none(),
                "U+{:04X} U+{:04X}",
                c as u32,
                o as u32
            );
        }
    }
}

#[test]
fn long_words_are_cut() {
    let long = "a".repeat(200);
    assert_eq!(toks(&long), [format!("word:{}", "a".repeat(MAX_WORD))]);
}
