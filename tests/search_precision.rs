//! Search precision on a fixture of near misses (`tests/fixtures/search-precision`):
//! a Chinese phrase ranks the notes that have it whole above the notes with
//! its characters apart, which follow as partial matches; symbols are found
//! as typed; the last word matches as a prefix. Through the site's real
//! `static/search.js` under Node (`tests/fixtures/search/query.js`).

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Per query: (exact matches, partial matches), as note titles in reader order;
/// with `top`, the first page's JSON as the search box gets it.
struct Answers(BTreeMap<String, Value>);

impl Answers {
    fn run(site: &Path, queries: &[&str], top: bool) -> Answers {
        let extra: &[&str] = if top { &["--top", "8"] } else { &[] };
        Answers(
            common::search_queries(&site.join("public"), "/", queries, extra)
                .into_iter()
                .map(|v| (v["query"].as_str().unwrap().to_string(), v))
                .collect(),
        )
    }

    /// The notes' names (the last part of each URL), decoded.
    fn names(&self, q: &str, field: &str) -> Vec<String> {
        self.0[q][field]
            .as_array()
            .unwrap_or_else(|| panic!("{q}: no {field}"))
            .iter()
            .map(|u| {
                let u = percent_encoding::percent_decode_str(u.as_str().unwrap())
                    .decode_utf8_lossy()
                    .into_owned();
                u.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }
}

fn built() -> tempfile::TempDir {
    let site = common::site("search-precision");
    common::build(site.path());
    site
}

const PHRASES: &[&str] = &["中的一个", "nginx 负载均衡", "负载均"];
const SYMBOLS: &[&str] = &[
    "C++",
    "C#",
    "F#",
    ".NET",
    "node.js",
    "std::vector",
    "os.fork",
    "__init__",
    "-rf",
    "HashMap::entry",
];

#[test]
fn a_phrase_ranks_notes_with_it_whole_above_notes_with_its_pieces_apart() {
    let site = built();
    let a = Answers::run(site.path(), PHRASES, false);
    assert_eq!(a.names("中的一个", "urls"), ["列表元素"]);
    assert_eq!(a.names("中的一个", "partial"), ["分散的字"]);
    assert_eq!(
        a.0["中的一个"]["exact"], 1,
        "the count is the exact matches"
    );
    // A mixed query: every term, and the CJK one as a phrase.
    assert_eq!(a.names("nginx 负载均衡", "urls"), ["反向代理"]);
    assert_eq!(a.names("nginx 负载均衡", "partial"), ["代理负载"]);
    // Type-ahead in CJK: what is typed so far is a phrase of the longer word.
    assert_eq!(a.names("负载均", "urls"), ["反向代理"]);
}

#[test]
fn symbols_are_found_as_typed_and_rank_first() {
    let site = built();
    let a = Answers::run(site.path(), SYMBOLS, false);
    for q in SYMBOLS {
        assert_eq!(a.names(q, "urls"), ["符号"], "{q}");
        // The note with only the words (`c`, `net`, `node` ...) is never listed
        // as exact; where it has every word it follows as a partial match.
        assert!(!a.names(q, "urls").contains(&"近似的词".to_string()), "{q}");
    }
    for q in ["C++", ".NET", "node.js", "HashMap::entry"] {
        assert_eq!(a.names(q, "partial"), ["近似的词"], "{q}");
    }
    // Word parts still work: `entry` finds `HashMap::entry`, and the prefix
    // of the last word finds the whole word as it is typed.
    let queries = [
        "entry",
        "asyn",
        "HashMap",
        "事件 asyn",
        "asyn 事件",
        "asyn ",
    ];
    let a = Answers::run(site.path(), &queries, false);
    let mut entry = a.names("entry", "urls");
    entry.sort();
    assert_eq!(entry, ["符号", "近似的词"]);
    assert_eq!(a.names("asyn", "urls"), ["异步"]);
    assert_eq!(a.names("事件 asyn", "urls"), ["异步"]);
    // A word followed by more, or by a space, was typed whole.
    assert!(a.names("asyn 事件", "urls").is_empty());
    assert!(a.names("asyn ", "urls").is_empty());
    assert!(a.names("HashMap", "urls").contains(&"符号".to_string()));
}

#[test]
fn snippets_mark_the_whole_phrase() {
    let site = built();
    let a = Answers::run(site.path(), &["中的一个", "C++"], true);
    let top = &a.0["中的一个"]["top"];
    assert_eq!(top[0]["title"], "列表元素");
    assert_eq!(
        top[0]["snippet"],
        "取出列表<mark>中的一个</mark>元素，再放回去。"
    );
    assert_eq!(top[1]["title"], "分散的字");
    assert_eq!(top[1]["partial"], true);
    let top = &a.0["C++"]["top"];
    assert!(
        top[0]["snippet"]
            .as_str()
            .unwrap()
            .starts_with("<mark>C++</mark> 模板"),
        "{top}"
    );
}

/// A reader types a phrase into the header box in headless Chromium: the note
/// with the whole phrase comes first with the phrase marked, the note with
/// its characters apart follows under the 部分匹配 separator, and the count
/// says one; the results page lists the partial match under its own heading.
#[test]
fn chromium_lists_the_exact_phrase_first_and_partial_matches_after() {
    let Some(bin) = common::browser::chromium() else {
        return;
    };
    let site = built();
    let port = common::browser::serve(site.path().join("public"), "/");
    let origin = format!("http://127.0.0.1:{port}");
    let (_browser, mut cdp) =
        common::browser::Cdp::open(&bin, &site.path().join("profile"), "about:blank", true);
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{origin}/") }),
    );
    cdp.wait_for("document.readyState === 'complete'");
    cdp.key("/", "Slash", 191, "/", 0);
    cdp.call(
        "Input.insertText",
        serde_json::json!({ "text": "中的一个" }),
    );
    let items = cdp.wait_for(
        "document.querySelectorAll('#search-dropdown .search-hit').length === 2 && \
         JSON.stringify(Array.from(document.querySelectorAll('#search-listbox :is(.search-hit, .search-sep, .search-all)')).map(e => \
           [e.className, e.querySelector('.search-hit-title') ? e.querySelector('.search-hit-title').textContent : e.textContent, \
            Array.from(e.querySelectorAll('mark')).map(m => m.textContent)]))",
    );
    let items: Value = serde_json::from_str(items.as_str().unwrap()).unwrap();
    assert_eq!(
        items,
        serde_json::json!([
            ["search-hit", "列表元素", ["中的一个"]],
            ["search-sep", "部分匹配", []],
            ["search-hit", "分散的字", ["中的", "的一", "一个"]],
            ["search-all", "查看全部结果 (1 + 1 篇部分匹配)", []]
        ]),
        "{items}"
    );
    // The listbox holds options and groups only: the exact matches, then the
    // partial ones, each group named.
    let groups = cdp.eval(
        "JSON.stringify(Array.from(document.getElementById('search-listbox').children).map(e => \
           [e.getAttribute('role'), e.getAttribute('aria-label') || \
            (document.getElementById(e.getAttribute('aria-labelledby')) || {}).textContent || '']))",
    );
    let groups: Value = serde_json::from_str(groups.as_str().unwrap()).unwrap();
    assert_eq!(
        groups,
        serde_json::json!([["group", "完全匹配"], ["group", "部分匹配"], ["option", ""]])
    );

    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{origin}/search/?q=%E4%B8%AD%E7%9A%84%E4%B8%80%E4%B8%AA") }),
    );
    let page = cdp.wait_for(
        "document.querySelectorAll('.search-page-results li').length === 2 && \
         JSON.stringify([document.getElementById('search-status').textContent, \
           Array.from(document.querySelectorAll('#search-page-results .search-hit-title')).map(t => t.textContent), \
           document.querySelector('.search-partial-heading').textContent, \
           Array.from(document.querySelectorAll('.search-partial .search-hit-title')).map(t => t.textContent)])",
    );
    let page: Value = serde_json::from_str(page.as_str().unwrap()).unwrap();
    assert_eq!(
        page,
        serde_json::json!([
            "找到 1 篇笔记，另有 1 篇部分匹配（搜索词的字词分开出现）",
            ["列表元素"],
            "部分匹配",
            ["分散的字"]
        ])
    );
}

/// Terms in many notes are written as which notes have them (a bitmap, or
/// the notes with or without them) and the few marked by a title, a
/// heading or weight: the marks land on the right notes, so the note with
/// the term in its title ranks first, then the one with it in a heading.
#[test]
fn common_terms_keep_their_title_and_heading_marks() {
    let notes = (0..16).map(|i| {
        let title = match i {
            6 => "一半的题目".to_string(),
            1 => "少数派".to_string(),
            _ => format!("笔记{i:02}"),
        };
        let mut body = format!("# {title}\n\n共同的内容。\n");
        if i % 2 == 0 && i != 10 {
            body.push_str("\n这里有一半。\n");
        }
        if i == 10 {
            body.push_str("\n## 一半\n\n正文。\n");
        }
        if i < 2 {
            body.push_str("\n少数的笔记。\n");
        }
        (format!("n{i:02}.md"), body)
    });
    let site = common::site_with(notes);
    common::build(site.path());
    // 一半 is in half the notes (a bitmap), 少数 in 2 of 16 (a list of the
    // notes with it), 共同 in all (the empty list of those without it).
    let a = Answers::run(site.path(), &["一半", "少数", "共同"], false);
    let half = a.names("一半", "urls");
    assert_eq!(half.len(), 8, "{half:?}");
    assert_eq!(
        half[..2],
        ["n06", "n10"],
        "title first, then heading: {half:?}"
    );
    assert_eq!(a.names("少数", "urls"), ["n01", "n00"]);
    assert_eq!(a.names("共同", "urls").len(), 16);
}

/// With hundreds of notes the doc chunks span several directories (their
/// size depends on the number of notes); every note's text is still found
/// through them, first and last alike.
#[test]
fn notes_in_every_doc_directory_are_found() {
    let notes: Vec<(String, String)> = (0..700)
        .map(|i| {
            (
                format!("n{i:03}.md"),
                format!("# 第{i}篇\n\n编号 w{i}x 的内容。\n"),
            )
        })
        .collect();
    let site = common::site_with(notes);
    common::build(site.path());
    let public = site.path().join("public");
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("search/meta.json")).unwrap())
            .unwrap();
    let dirs = meta["ddirs"].as_array().unwrap().len();
    assert!(dirs > 2, "700 notes in {dirs} doc directories");
    let picks = [0, 1, 63, 64, 349, 350, 698, 699];
    let queries: Vec<String> = picks.iter().map(|i| format!("w{i}x")).collect();
    let refs: Vec<&str> = queries.iter().map(String::as_str).collect();
    let answers = common::search_queries(&public, "/", &refs, &[]);
    for (i, a) in picks.iter().zip(&answers) {
        let urls = a["urls"].as_array().unwrap();
        assert_eq!(urls.len(), 1, "w{i}x: {a}");
        assert!(
            urls[0].as_str().unwrap().ends_with(&format!("/n{i:03}/")),
            "w{i}x found {}",
            urls[0]
        );
    }
}

/// Snippets mark a word typed whole only where it is a whole word (the
/// one being typed as a prefix), and a mixed query's snippet shows the
/// passage with its phrase, not the first place its Latin word appears.
#[test]
fn snippets_mark_whole_words_and_show_the_phrase() {
    let long = format!(
        "# 长文本\n\n开头提到 nginx 一次。{}这里才出现负载均衡这个词。\n",
        "这是填充文字，用来让段落变得很长。".repeat(30)
    );
    let site = common::site_with([
        (
            "words.md",
            "# 词\n\nWords: golang google goroutine and go itself.\n".to_string(),
        ),
        ("long.md", long),
    ]);
    common::build(site.path());
    let a = Answers::run(site.path(), &["go google", "gor", "nginx 负载均衡"], true);
    let snippet = |q: &str| a.0[q]["top"][0]["snippet"].as_str().unwrap().to_string();
    assert_eq!(
        snippet("go google"),
        "Words: golang <mark>google</mark> goroutine and <mark>go</mark> itself."
    );
    assert_eq!(
        snippet("gor"),
        "Words: golang google <mark>gor</mark>outine and go itself."
    );
    let s = snippet("nginx 负载均衡");
    assert!(s.contains("<mark>负载均衡</mark>"), "{s}");
}

/// A phrase's characters apart (`僵尸状态的进程`, `负载、均衡`) make a partial
/// match, not a miss; punctuation typed inside a run is part of the phrase;
/// a word followed by punctuation (`fork()`) was typed whole; a word typed
/// whole is not marked inside a longer one in a snippet, even in a note
/// whose only whole `go` is its title.
#[test]
fn pieces_apart_are_partial_and_punctuation_is_part_of_a_phrase() {
    let notes = [
        ("zombie.md", "# 僵尸进程\n\n子进程退出后就成了僵尸进程。\n"),
        ("state.md", "# 状态\n\n僵尸状态的进程会占用进程号。\n"),
        ("apart.md", "# 负载\n\n负载、均衡两个词。\n"),
        ("whole.md", "# 均衡\n\n负载均衡。\n"),
        ("list.md", "# 列表\n\n进程、线程与协程。\n"),
        ("both.md", "# 多\n\n多进程和多线程。\n"),
        ("server.md", "# 分治\n\nUse forkserver to divide work.\n"),
        ("fork.md", "# 派生\n\nCall os.fork() in the child.\n"),
        ("go.md", "# Go 入门\n\ngolang 很好用，google 出品。\n"),
    ];
    let site = common::site_with(notes.map(|(n, t)| (n, t.to_string())));
    common::build(site.path());
    let queries = ["僵尸进程", "负载均衡", "进程、线程", "fork()"];
    let a = Answers::run(site.path(), &queries, false);
    let both = |q: &str| [a.names(q, "urls"), a.names(q, "partial")];
    assert_eq!(both("僵尸进程"), [vec!["zombie"], vec!["state"]]);
    assert_eq!(both("负载均衡"), [vec!["whole"], vec!["apart"]]);
    assert_eq!(both("进程、线程"), [vec!["list"], vec!["both"]]);
    assert_eq!(both("fork()"), [vec!["fork"], Vec::<&str>::new()]);
    let a = Answers::run(site.path(), &["go "], true);
    let top = &a.0["go "]["top"][0];
    assert_eq!(top["snippet"], "golang 很好用，google 出品。", "{top}");
    assert!(top["url"].as_str().unwrap().contains("/go/"), "{top}");
}

/// A note's tags, shown on its page, find it: a note tagged `python` whose
/// text never says so is found by `python`, its snippet showing the tags.
#[test]
fn tags_find_their_notes() {
    let site = common::site_with([
        (
            "gevent.md",
            "---\ntags: [python, 协程]\n---\n# gevent\n\n用 gevent 写并发。\n".to_string(),
        ),
        ("other.md", "# 其他\n\n没有标签。\n".to_string()),
    ]);
    common::build(site.path());
    let a = Answers::run(site.path(), &["python", "协程"], false);
    assert_eq!(a.names("python", "urls"), ["gevent"]);
    assert_eq!(a.names("协程", "urls"), ["gevent"]);
    let a = Answers::run(site.path(), &["python"], true);
    let s = &a.0["python"]["top"][0]["snippet"];
    assert_eq!(s, "#<mark>python</mark> #协程", "{s}");
}

/// A note titled exactly what was typed comes first, above one whose title
/// only begins so and whose text says it more often.
#[test]
fn the_note_titled_as_typed_comes_first() {
    let site = common::site_with([
        ("links.md", "# 资料链接汇总\n\n一些链接。\n".to_string()),
        (
            "more.md",
            "# 资料链接汇总（补充）\n\n资料链接汇总的补充，资料链接汇总之外的链接。\n".to_string(),
        ),
    ]);
    common::build(site.path());
    let a = Answers::run(site.path(), &["资料链接汇总"], false);
    assert_eq!(a.names("资料链接汇总", "urls"), ["links", "more"]);
    let a = Answers::run(site.path(), &["资料链接汇总"], true);
    let top = a.0["资料链接汇总"]["top"][0]["title"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(top, "资料链接汇总");
}

/// A built site of 45 notes that all have the bigrams of `进程池`: 40 with
/// its characters apart only (`线程池…进程`, often), and 5 that `exact`
/// writes (note 1 to 5), which have it whole.
fn built_pool(exact: impl Fn(usize) -> String) -> tempfile::TempDir {
    let text = "线程池和进程。线程池管理线程，进程管理资源。线程池线程池进程进程。";
    let mut notes: Vec<(String, String)> = (1..=40)
        .map(|i| {
            (
                format!("p{i}.md"),
                format!("# 线程池与进程 {i}\n\n{text}\n"),
            )
        })
        .collect();
    notes.extend((1..=5).map(|i| (format!("e{i}.md"), exact(i))));
    let site = common::site_with(notes.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    common::build(site.path());
    site
}

/// When the first candidates the box reads all match only in part, it
/// lists those partial matches under their label, saying the results page
/// checks on: it showed nothing at all, although five notes match exactly.
#[test]
fn chromium_box_shows_partial_matches_while_exact_ones_wait() {
    let Some(bin) = common::browser::chromium() else {
        return;
    };
    let site = built_pool(|i| {
        let text = "今天学习了很多内容，包括网络、数据库、操作系统、编译原理、算法、数据结构等等。\
                    最后顺便提到了进程池的用法。还有其他很多东西要记。";
        format!("# 杂记 {i}\n\n{text}\n")
    });
    let port = common::browser::serve(site.path().join("public"), "/");
    let (_browser, mut cdp) =
        common::browser::Cdp::open(&bin, &site.path().join("profile"), "about:blank", true);
    let url = format!("http://127.0.0.1:{port}/");
    cdp.call("Page.navigate", serde_json::json!({ "url": url }));
    cdp.wait_for("document.readyState === 'complete'");
    cdp.key("/", "Slash", 191, "/", 0);
    cdp.call("Input.insertText", serde_json::json!({ "text": "进程池" }));
    let seen = cdp.wait_for(
        "document.querySelectorAll('#search-dropdown .search-hit').length > 0 && \
         JSON.stringify([document.querySelector('#search-dropdown .search-message').textContent, \
           Array.from(document.querySelectorAll('#search-listbox :is(.search-hit, .search-sep)')).map(e => e.className)])",
    );
    let seen: Value = serde_json::from_str(seen.as_str().unwrap()).unwrap();
    let mut classes = vec!["search-sep"];
    classes.extend(["search-hit"; 8]);
    assert_eq!(seen[1], serde_json::json!(classes), "{seen}");
    assert!(
        seen[0].as_str().unwrap().contains("全部结果页会继续核对"),
        "{seen}"
    );
}

/// Half-width katakana with its sound mark (`ﾌﾟ`, one `プ` to the index) is
/// marked whole in a snippet; it was marked from its second character on.
#[test]
fn composed_marks_are_marked_whole() {
    let site = common::site_with([("hw.md", "# 半角\n\n半角カナだけ：ﾌﾟﾛｾｽ。\n".to_string())]);
    common::build(site.path());
    let a = Answers::run(site.path(), &["プロセス"], true);
    let s = &a.0["プロセス"]["top"][0]["snippet"];
    assert_eq!(s, "半角カナだけ：<mark>ﾌﾟﾛｾｽ</mark>。", "{s}");
}

/// The box's estimate of the exact matches (`约 N`) reads the lower half of
/// what it has checked: the best-ranked candidates are the likeliest to be
/// exact, and 5 exact notes among 45 candidates showed 约 19.
#[test]
fn the_estimate_is_not_inflated_by_the_best_ranked() {
    let site = built_pool(|i| format!("# 进程池 {i}\n\n进程池的用法。\n"));
    let a = Answers::run(site.path(), &["进程池"], true);
    let v = &a.0["进程池"];
    assert_eq!(
        (v["exact"].as_u64(), v["about"].as_bool()),
        (Some(5), Some(true)),
        "{v}"
    );
}
