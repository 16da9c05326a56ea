//! UI words of the default theme in the site's language (`language` in biji.yaml).
//! A count's unit has a `_one` form (`note_count_one`) for a count of 1.

mod hant;

use std::collections::BTreeMap;

const ZH: &[(&str, &str)] = &[
    ("home", "首页"),
    ("folders", "目录"),
    ("notes", "笔记"),
    ("recent", "最近更新"),
    ("toc", "目录"),
    ("back_to_top", "回到顶部"),
    ("tags", "标签"),
    ("date", "日期"),
    ("updated", "更新于"),
    ("not_found", "页面不存在"),
    ("not_found_text", "你要找的页面不存在，可能已被移动或删除。"),
    ("back_home", "返回首页"),
    ("toggle_theme", "切换明暗主题"),
    ("copy", "复制"),
    ("copied", "已复制"),
    ("subfolders", "子目录"),
    ("menu", "菜单"),
    ("note_count", "篇笔记"),
    ("note_count_one", "篇笔记"),
    ("folder_count", "个目录"),
    ("folder_count_one", "个目录"),
    ("topic_count", "个主题"),
    ("topic_count_one", "个主题"),
    ("topics", "主题"),
    ("index", "索引"),
    ("backlinks", "被引用"),
    ("related", "相关笔记"),
    ("previous", "上一篇"),
    ("next", "下一篇"),
    ("pager", "同目录的笔记"),
    ("page_nav", "分页"),
    ("nav_more", "全部笔记"),
    ("all_topics", "全部主题"),
    ("heading_index", "标题索引"),
    ("index_entries", "个条目"),
    ("index_entries_one", "个条目"),
    ("search", "搜索"),
    ("search_placeholder", "搜索笔记…"),
    ("no_results", "没有找到结果"),
    ("search_results", "搜索结果"),
    ("search_count", "找到 {n} 篇笔记"),
    ("search_count_one", "找到 1 篇笔记"),
    ("search_count_about", "找到约 {n} 篇笔记"),
    ("search_about", "约 {n}"),
    ("search_exact", "完全匹配"),
    ("search_partial", "部分匹配"),
    (
        "search_checking",
        "最靠前的候选里没有完全匹配，全部结果页会继续核对",
    ),
    ("search_partial_count", "{n} 篇部分匹配"),
    (
        "search_partial_more",
        "，另有 {n} 篇部分匹配（搜索词的字词分开出现）",
    ),
    ("search_loading", "正在搜索…"),
    (
        "search_none_yet",
        "最靠前的 {n} 篇候选都只是部分匹配，“显示更多”继续核对",
    ),
    ("search_error", "搜索索引加载失败"),
    ("search_more", "显示更多"),
    ("search_all", "查看全部结果"),
    ("search_hint", "按 / 或 Ctrl-K 搜索"),
    ("search_key_select", "选择"),
    ("search_key_open", "打开"),
    ("search_key_close", "关闭"),
    ("search_noscript", "搜索需要启用 JavaScript。"),
    ("skip_to_content", "跳到正文"),
    ("breadcrumbs", "位置"),
    ("length", "{n} 字"),
    ("reading_time", "约 {n} 分钟读完"),
    ("edit_page", "在 GitHub 上编辑此页"),
    ("anchor_label", "链接到本节："),
    ("broken_link", "找不到链接的笔记或标题"),
    ("footnotes", "脚注"),
    ("footnote_back", "返回引用处 {n}"),
    ("dark_theme", "深色主题"),
    ("desc_note", "{title}"),
    ("desc_home", "{title}：{n} 篇笔记，{m} 个主题"),
    ("desc_home_one", "{title}：1 篇笔记，{m} 个主题"),
    ("desc_folder", "{name}：{n} 篇笔记"),
    ("desc_folder_one", "{name}：1 篇笔记"),
    ("desc_topic", "主题“{name}”：{n} 篇笔记"),
    ("desc_topic_one", "主题“{name}”：1 篇笔记"),
    (
        "desc_topics",
        "{title}的全部 {n} 个主题，按字母排列，附各主题的笔记数",
    ),
    ("desc_index", "{title}的标题索引，按字母排列，共 {n} 个条目"),
    (
        "desc_index_letter",
        "{title}的标题索引：{letter} 开头的条目",
    ),
    ("desc_search", "在{title}中搜索"),
    ("desc_not_found", "{title}：页面不存在"),
];

const EN: &[(&str, &str)] = &[
    ("home", "Home"),
    ("folders", "Folders"),
    ("notes", "Notes"),
    ("recent", "Recently updated"),
    ("toc", "Contents"),
    ("back_to_top", "Back to top"),
    ("tags", "Tags"),
    ("date", "Date"),
    ("updated", "Updated"),
    ("not_found", "Page not found"),
    (
        "not_found_text",
        "The page you are looking for does not exist. It may have been moved or deleted.",
    ),
    ("back_home", "Back to the home page"),
    ("toggle_theme", "Toggle light/dark theme"),
    ("copy", "Copy"),
    ("copied", "Copied"),
    ("subfolders", "Folders"),
    ("menu", "Menu"),
    ("note_count", "notes"),
    ("note_count_one", "note"),
    ("folder_count", "folders"),
    ("folder_count_one", "folder"),
    ("topic_count", "topics"),
    ("topic_count_one", "topic"),
    ("topics", "Topics"),
    ("index", "Index"),
    ("backlinks", "Linked from"),
    ("related", "Related notes"),
    ("previous", "Previous"),
    ("next", "Next"),
    ("pager", "Notes in this folder"),
    ("page_nav", "Pages"),
    ("nav_more", "All notes"),
    ("all_topics", "All topics"),
    ("heading_index", "Heading index"),
    ("index_entries", "entries"),
    ("index_entries_one", "entry"),
    ("search", "Search"),
    ("search_placeholder", "Search notes…"),
    ("no_results", "No results"),
    ("search_results", "Search results"),
    ("search_count", "{n} notes found"),
    ("search_count_one", "1 note found"),
    ("search_count_about", "About {n} notes found"),
    ("search_about", "about {n}"),
    ("search_exact", "Exact matches"),
    ("search_partial", "Partial matches"),
    (
        "search_checking",
        "None of the first candidates matches exactly; the full results page checks the rest",
    ),
    ("search_partial_count", "{n} partial"),
    (
        "search_partial_more",
        ", and {n} partial matches (the query's words apart)",
    ),
    ("search_loading", "Searching…"),
    (
        "search_none_yet",
        "The first {n} candidates match only in part; “Show more” checks the rest",
    ),
    ("search_error", "Could not load the search index"),
    ("search_more", "Show more"),
    ("search_all", "See all results"),
    ("search_hint", "Press / or Ctrl-K to search"),
    ("search_key_select", "select"),
    ("search_key_open", "open"),
    ("search_key_close", "close"),
    ("search_noscript", "Search needs JavaScript."),
    ("skip_to_content", "Skip to content"),
    ("breadcrumbs", "Breadcrumbs"),
    ("length", "{n} words"),
    ("reading_time", "{n} min read"),
    ("edit_page", "Edit this page on GitHub"),
    ("anchor_label", "Link to this section: "),
    ("broken_link", "No such note or heading"),
    ("footnotes", "Footnotes"),
    ("footnote_back", "Back to reference {n}"),
    ("dark_theme", "Dark theme"),
    ("desc_note", "{title}"),
    ("desc_home", "{title}: {n} notes, {m} topics"),
    ("desc_home_one", "{title}: 1 note, {m} topics"),
    ("desc_folder", "{name}: {n} notes"),
    ("desc_folder_one", "{name}: 1 note"),
    ("desc_topic", "{n} notes on the topic {name}"),
    ("desc_topic_one", "1 note on the topic {name}"),
    (
        "desc_topics",
        "All {n} topics of {title}, A to Z, with each topic's number of notes",
    ),
    (
        "desc_index",
        "An A-Z index of the headings in {title}'s notes: {n} entries",
    ),
    (
        "desc_index_letter",
        "The headings in {title}'s notes under {letter}",
    ),
    ("desc_search", "Search the notes of {title}"),
    ("desc_not_found", "{title}: page not found"),
];

/// The table of `language`: Simplified Chinese for `zh` and `zh-CN`,
/// Traditional for the regions and script that write it, English for any other.
fn table(language: &str) -> &'static [(&'static str, &'static str)] {
    match (is_chinese(language), is_traditional(language)) {
        (true, true) => hant::ZH_HANT,
        (true, false) => ZH,
        _ => EN,
    }
}

/// Chinese written in Traditional characters: `zh-TW`, `zh-HK`, `zh-MO`,
/// `zh-Hant` (with any region), unless the script says Simplified.
fn is_traditional(language: &str) -> bool {
    let mut parts = language.split(['-', '_']).skip(1);
    match parts.next() {
        Some(s) if s.eq_ignore_ascii_case("hant") => true,
        Some(s) if s.eq_ignore_ascii_case("hans") => false,
        Some(region) => ["tw", "hk", "mo"]
            .iter()
            .any(|r| region.eq_ignore_ascii_case(r)),
        None => false,
    }
}

/// A Chinese word made outside the tables (callout titles, the inline
/// table of contents' label), written as `language` writes it.
pub(crate) fn chinese(language: &str, simplified: &'static str) -> &'static str {
    match is_traditional(language) {
        true => hant::word(simplified),
        false => simplified,
    }
}

/// Whether the theme speaks Chinese for the language tag `language`.
pub(crate) fn is_chinese(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    primary.eq_ignore_ascii_case("zh")
}

/// A language tag as BCP 47 writes it (`zh-cn` and `zh_CN` are `zh-CN`,
/// `EN-us` is `en-US`, `zh-hant-tw` is `zh-Hant-TW`), or `None` for what
/// is no tag.
pub(crate) fn language_tag(written: &str) -> Option<String> {
    let mut parts = written.trim().split(['-', '_']);
    let primary = parts.next()?;
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut tag = primary.to_ascii_lowercase();
    for p in parts {
        if !(1..=8).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        tag.push('-');
        match p.len() {
            2 => tag.push_str(&p.to_ascii_uppercase()),
            4 => {
                tag.push_str(&p[..1].to_ascii_uppercase());
                tag.push_str(&p[1..].to_ascii_lowercase());
            }
            _ => tag.push_str(&p.to_ascii_lowercase()),
        }
    }
    Some(tag)
}

/// The UI strings for `language`.
pub(crate) fn strings(language: &str) -> BTreeMap<&'static str, &'static str> {
    table(language).iter().copied().collect()
}

/// One UI string, for text made outside the templates (a heading's anchor);
/// `""` for a key not in the tables.
pub(crate) fn word(language: &str, key: &str) -> &'static str {
    table(language)
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, v)| v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_language_has_the_same_keys() {
        let zh: Vec<_> = super::ZH.iter().map(|(k, _)| k).collect();
        let en: Vec<_> = super::EN.iter().map(|(k, _)| k).collect();
        let hant: Vec<_> = super::hant::ZH_HANT.iter().map(|(k, _)| k).collect();
        assert_eq!(zh, en);
        assert_eq!(zh, hant);
    }

    #[test]
    fn traditional_chinese_is_for_the_regions_and_script_that_write_it() {
        use super::word;
        for tag in ["zh-TW", "zh-hk", "zh-MO", "zh-Hant", "zh-Hant-CN"] {
            assert_eq!(word(tag, "search"), "搜尋", "{tag}");
        }
        for tag in ["zh", "zh-CN", "zh-SG", "zh-Hans-TW"] {
            assert_eq!(word(tag, "search"), "搜索", "{tag}");
        }
        assert_eq!(super::chinese("zh-TW", "问题"), "問題");
        assert_eq!(super::chinese("zh-CN", "问题"), "问题");
    }

    #[test]
    fn language_tags_are_read_as_bcp_47_writes_them() {
        use super::{is_chinese, language_tag};
        for (written, tag) in [
            ("zh-CN", "zh-CN"),
            ("zh-cn", "zh-CN"),
            ("zh_CN", "zh-CN"),
            ("EN-us", "en-US"),
            ("zh-hant-tw", "zh-Hant-TW"),
            ("ja", "ja"),
            ("en", "en"),
        ] {
            assert_eq!(language_tag(written).as_deref(), Some(tag), "{written}");
        }
        for bad in ["", "chinese", "z", "zh-", "zh CN", "中文"] {
            assert_eq!(language_tag(bad), None, "{bad}");
        }
        assert!(
            is_chinese("zh-TW") && is_chinese("zh") && !is_chinese("ja") && !is_chinese("en-US")
        );
    }
}
