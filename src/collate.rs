//! Collation: the order and the A-Z letter of titles, topics and headings.
//! Chinese sorts by pinyin among Latin words (`进程` as `jin cheng`), files
//! by number value (`第2章` before `第10章`), as file browsers do.

use pinyin::ToPinyin;
use std::collections::BTreeMap;

/// The letter an entry is filed under: `A`-`Z`, or `#` for digits and symbols.
pub(crate) fn group_letter(text: &str) -> char {
    let Some(c) = text.trim().chars().next() else {
        return '#';
    };
    if c.is_ascii_alphabetic() {
        return c.to_ascii_uppercase();
    }
    if let Some(p) = c.to_pinyin() {
        if let Some(l) = p.plain().chars().next() {
            return l.to_ascii_uppercase();
        }
    }
    // Latin letters with accents file under their base letter where obvious.
    let lower: String = c.to_lowercase().collect();
    match lower.chars().next() {
        Some('à'..='å') => 'A',
        Some('è'..='ë') => 'E',
        Some('ì'..='ï') => 'I',
        Some('ò'..='ö') => 'O',
        Some('ù'..='ü') => 'U',
        _ => '#',
    }
}

/// Sort key that orders Chinese by pinyin among Latin words (`进程` sorts as
/// `jin cheng`) and numbers by value, as file browsers do (`第2章` before
/// `第10章`, `2-线程` before `10-协程`).
pub(crate) fn sort_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len() * 2);
    let mut digits = String::new();
    let flush = |digits: &mut String, key: &mut String| {
        let value = digits.trim_start_matches('0');
        for _ in value.len()..NUMBER_WIDTH {
            key.push('0');
        }
        key.push_str(value);
        digits.clear();
    };
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            flush(&mut digits, &mut key);
        }
        match c.to_pinyin() {
            Some(p) => {
                key.push_str(p.plain());
                key.push(' ');
            }
            None => key.extend(c.to_lowercase()),
        }
    }
    if !digits.is_empty() {
        flush(&mut digits, &mut key);
    }
    key
}

/// Digits a number is padded to in [`sort_key`] (any `u64` fits; a longer
/// one still sorts after all shorter ones).
const NUMBER_WIDTH: usize = 20;

/// Groups sorted items by letter, keeping order: `[('C', [..]), ('W', [..])]`.
pub(crate) fn by_letter<T, F: Fn(&T) -> &str>(items: &[T], text: F) -> Vec<(char, Vec<&T>)> {
    let mut groups: BTreeMap<char, Vec<&T>> = BTreeMap::new();
    for it in items {
        groups.entry(group_letter(text(it))).or_default().push(it);
    }
    let mut v: Vec<(char, Vec<&T>)> = groups.into_iter().collect();
    // `#` (digits, symbols) goes last, after Z.
    v.sort_by_key(|(c, _)| if *c == '#' { '~' } else { *c });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_by_pinyin_initial() {
        assert_eq!(group_letter("操作系统"), 'C');
        assert_eq!(group_letter("网络"), 'W');
        assert_eq!(group_letter("协程"), 'X');
        assert_eq!(group_letter("GIL"), 'G');
        assert_eq!(group_letter("python"), 'P');
        assert_eq!(group_letter("1 号进程"), '#');
        assert_eq!(group_letter("垃圾回收"), 'L');
        assert_eq!(group_letter("Élan"), 'E');
    }

    #[test]
    fn chinese_sorts_by_pinyin_among_latin() {
        let mut v = vec!["网络", "docker", "操作系统", "进程", "Algorithm"];
        v.sort_by_key(|s| sort_key(s));
        assert_eq!(v, ["Algorithm", "操作系统", "docker", "进程", "网络"]);
    }

    #[test]
    fn numbers_sort_by_value() {
        let mut v = vec![
            "第10章 协程",
            "第2章 线程",
            "第1章 进程",
            "10-b",
            "2-a",
            "02-c",
            "v1.10",
            "v1.9",
        ];
        v.sort_by_key(|s| sort_key(s));
        assert_eq!(
            v,
            // 第 is "di": under D, before V.
            [
                "2-a",
                "02-c",
                "10-b",
                "第1章 进程",
                "第2章 线程",
                "第10章 协程",
                "v1.9",
                "v1.10"
            ]
        );
    }

    #[test]
    fn groups_put_symbols_last() {
        let items = vec!["#x", "b", "阿"];
        let g = by_letter(&items, |s| s);
        let letters: Vec<char> = g.iter().map(|(c, _)| *c).collect();
        assert_eq!(letters, ['A', 'B', '#']);
    }
}
