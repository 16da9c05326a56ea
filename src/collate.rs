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
    let next = text.trim().chars().nth(1);
    if let Some(l) = reading(None, c, next).and_then(|r| r.chars().next()) {
        return l.to_ascii_uppercase();
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
    let chars: Vec<char> = text.trim().chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            flush(&mut digits, &mut key);
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        match reading(prev, c, chars.get(i + 1).copied()) {
            Some(r) => {
                key.push_str(r);
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

/// Characters read two ways whose reading the dictionary's first choice
/// gets wrong in technical notes (`行锁` is hang, `重试` chong, `长连接`
/// chang), by the character after them: (character, those after it, reading).
const BY_NEXT: &[(char, &str, &str)] = &[
    ('长', "大者辈官老", "zhang"),
    (
        '重',
        "复试启写载构定置新放入排绘叠连命做装传建组演算庆",
        "chong",
    ),
    ('行', "锁内号尾首高列级数距宽业情家长", "hang"),
    ('调', "试整优参节和控皮", "tiao"),
    ('校', "验对准正", "jiao"),
    ('模', "板样具子", "mu"),
    ('还', "原款", "huan"),
    ('乐', "器曲队谱", "yue"),
    ('会', "计", "kuai"),
    ('便', "宜", "pian"),
    ('传', "记", "zhuan"),
    ('着', "色陆手装", "zhuo"),
    ('着', "急凉火", "zhao"),
    ('了', "解", "liao"),
    ('弹', "性窗出簧幕力跳奏琴", "tan"),
    ('似', "的", "shi"),
    ('仔', "细", "zi"),
    ('率', "先领直", "shuai"),
    ('给', "予养", "ji"),
];

/// The same, by the character before them (`增长` is zhang, `换行` hang).
const BY_PREV: &[(char, &str, &str)] = &[
    ('长', "增成生家班部校队首行", "zhang"),
    ('行', "银同内外排一两单多换首末", "hang"),
    // `运行情况`, `执行级别`: a word of its own before `行情`, `行级`.
    ('行', "运执进举流旅施发实可步飞", "xing"),
    ('都', "首成", "du"),
    ('觉', "睡", "jiao"),
];

/// Readings that are the likelier one in notes wherever the tables above
/// say nothing (`长度`, `相似`, `薄弱`).
const LIKELIER: &[(char, &str)] = &[('长', "chang"), ('似', "si"), ('薄', "bo")];

/// The pinyin of `c` (no tone) between `prev` and `next`.
fn reading(prev: Option<char>, c: char, next: Option<char>) -> Option<&'static str> {
    let fits = |ctx: Option<char>, chars: &str| ctx.is_some_and(|x| chars.contains(x));
    // The word before first: `运行` holds the 行 of `运行情况`.
    BY_PREV
        .iter()
        .find(|(k, before, _)| *k == c && fits(prev, before))
        .or_else(|| {
            BY_NEXT
                .iter()
                .find(|(k, after, _)| *k == c && fits(next, after))
        })
        .map(|(_, _, r)| *r)
        .or_else(|| LIKELIER.iter().find(|(k, _)| *k == c).map(|(_, r)| *r))
        .or_else(|| c.to_pinyin().map(|p| p.plain()))
}

/// Whether `slug` is the id GitBook gives a heading `text`: its words
/// lowercased and each Chinese character's pinyin, joined by `-`, with
/// `id-` before one that starts with a digit (`## 2 引用与归属` is
/// `#id-2-yin-yong-yu-gui-shu`). GitBook's editor writes these into links.
/// A character read two ways matches either its reading here or the
/// dictionary's first.
pub(crate) fn is_pinyin_slug(text: &str, slug: &str) -> bool {
    let slug = match slug.strip_prefix("id-") {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => slug,
    };
    let mut parts = slug.split('-').filter(|p| !p.is_empty());
    let chars: Vec<char> = text.chars().collect();
    let mut word = String::new();
    let mut matched = true;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if !word.is_empty() {
            matched &= parts.next() == Some(std::mem::take(&mut word).as_str());
        }
        let Some(first) = c.to_pinyin().map(|p| p.plain()) else {
            continue;
        };
        let here = reading(
            i.checked_sub(1).map(|p| chars[p]),
            c,
            chars.get(i + 1).copied(),
        );
        matched &= parts.next().is_some_and(|p| p == first || Some(p) == here);
    }
    if !word.is_empty() {
        matched &= parts.next() == Some(word.as_str());
    }
    matched && parts.next().is_none()
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
    #[test]
    fn gitbook_slugs_are_pinyin() {
        use super::is_pinyin_slug;
        assert!(is_pinyin_slug("知识库配置", "zhi-shi-ku-pei-zhi"));
        assert!(is_pinyin_slug("2 引用与归属", "id-2-yin-yong-yu-gui-shu"));
        assert!(is_pinyin_slug(
            "Docker Compose 部署",
            "docker-compose-bu-shu"
        ));
        assert!(is_pinyin_slug(
            "示例 2：长文章迭代",
            "shi-li-2-chang-wen-zhang-die-dai"
        ));
        assert!(!is_pinyin_slug("知识库配置", "zhi-shi-ku"));
        assert!(!is_pinyin_slug("知识库", "zhi-shi-ku-pei-zhi"));
        assert!(!is_pinyin_slug("配置", "pei-zhi-x"));
    }

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
    fn two_way_characters_read_as_in_technical_notes() {
        for (text, letter) in [
            ("行锁", 'H'),
            ("行内公式", 'H'),
            ("行为模式", 'X'),
            ("长连接", 'C'),
            ("长大", 'Z'),
            ("重试机制", 'C'),
            ("重要概念", 'Z'),
            ("调试技巧", 'T'),
            ("调度器", 'D'),
            ("了解一下", 'L'),
        ] {
            assert_eq!(group_letter(text), letter, "{text}");
        }
        assert_eq!(sort_key("换行符"), "huan hang fu ");
        assert_eq!(sort_key("增长率"), "zeng zhang lü ");
        assert_eq!(sort_key("模板引擎"), "mu ban yin qing ");
        assert_eq!(sort_key("运行情况"), "yun xing qing kuang ");
        assert_eq!(sort_key("旅行家"), "lü xing jia ");
        let mut v = vec!["重试", "中文", "长连接", "重要"];
        v.sort_by_key(|s| sort_key(s));
        assert_eq!(v, ["长连接", "重试", "中文", "重要"]);
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
