//! Heading ids exactly as GitHub makes them (the `github-slugger` algorithm),
//! so an anchor copied from the same note on GitHub works on our site.

use std::collections::HashMap;
use unicode_general_category::{get_general_category, GeneralCategory as G};

/// One heading text to its id, before de-duplication: lowercase, drop every
/// character that is not a letter, mark, decimal/letter number, connector
/// punctuation, `-` or space, then spaces become `-`.
pub(crate) fn slugify(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' => Some('-'),
            c if keeps(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// A heading's id as VitePress and VuePress make it (markdown-it-anchor
/// with their `slugify`): each run of spaces and ASCII punctuation (and
/// curly quotes) is one `-`, none at either end, `_` before a leading digit,
/// lowercase: `build.target` is `build-target`, `1. 简介` is `_1-简介`.
/// Notes kept for those sites link by these ids.
pub(crate) fn vitepress_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().filter(|c| !c.is_control()) {
        let special =
            c.is_whitespace() || (c.is_ascii_punctuation()) || matches!(c, '“' | '”' | '‘' | '’');
        if special {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push('-');
            gap = false;
        }
        out.extend(c.to_lowercase());
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

fn keeps(c: char) -> bool {
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::NonspacingMark
            | G::SpacingMark
            | G::EnclosingMark
            | G::DecimalNumber
            | G::LetterNumber
            | G::ConnectorPunctuation
    )
}

/// Gives each heading of one page a unique id, GitHub style: the second
/// `intro` becomes `intro-1`, the third `intro-2`.
#[derive(Default)]
pub(crate) struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// The id for a heading with this text.
    pub(crate) fn slug(&mut self, text: &str) -> String {
        self.unique(slugify(text))
    }

    /// Registers an id (a custom `{#id}` or a computed one), suffixing it if taken.
    pub(crate) fn unique(&mut self, base: String) -> String {
        let mut candidate = base.clone();
        while self.seen.contains_key(&candidate) {
            let n = self.seen.get_mut(&base).map(|n| {
                *n += 1;
                *n
            });
            let n = n.unwrap_or(1);
            candidate = format!("{base}-{n}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vitepress_ids() {
        assert_eq!(vitepress_slug("build.target"), "build-target");
        assert_eq!(vitepress_slug("1. 简介"), "_1-简介");
        assert_eq!(
            vitepress_slug("css.preprocessorMaxWorkers"),
            "css-preprocessormaxworkers"
        );
        assert_eq!(vitepress_slug(" server.proxy () "), "server-proxy");
        assert_eq!(vitepress_slug("Vue 3 “新”特性"), "vue-3-新-特性");
    }

    /// Expected ids derived by hand from github-slugger's rules.
    #[test]
    fn github_ids() {
        let cases = [
            ("所有权与借用 (Ownership)", "所有权与借用-ownership"),
            ("Hello World", "hello-world"),
            ("一、 进程+线程+协程", "一-进程线程协程"),
            (
                "4 Python的垃圾回收机制以及内存管理",
                "4-python的垃圾回收机制以及内存管理",
            ),
            ("os、sys模块不同", "ossys模块不同"),
            ("C++ & Rust: a/b", "c--rust-ab"),
            ("snake_case_name", "snake_case_name"),
            ("  leading", "--leading"),
            ("Déjà vu", "déjà-vu"),
            ("RS256 jwt 解码", "rs256-jwt-解码"),
            (
                "nginx配置文件修改， docker restart不生效",
                "nginx配置文件修改-docker-restart不生效",
            ),
            ("Emoji 🎉 party", "emoji--party"),
            ("x²", "x"),
            ("「引号」与《书名》", "引号与书名"),
            ("HTTP状态码", "http状态码"),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "input {input:?}");
        }
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Intro"), "intro");
        assert_eq!(s.slug("Intro"), "intro-1");
        assert_eq!(s.slug("intro"), "intro-2");
        assert_eq!(s.slug("Intro 1"), "intro-1-1");
        assert_eq!(s.slug("进程"), "进程");
        assert_eq!(s.slug("进程"), "进程-1");
    }
}
