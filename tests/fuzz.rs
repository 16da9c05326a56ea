//! Fuzzing the whole pipeline on the stable toolchain: random bytes become
//! structured notes (headings, fences in many languages, nested lists,
//! quotes, callouts, tables, links, wikilinks, embeds, math, raw HTML, CJK,
//! NUL, very long lines, front matter), each is built as a real site, and the
//! build must not panic, must finish each note quickly, and must keep the
//! theme's pager and footer outside the note's HTML.
//!
//! It runs for a time budget: `BIJI_FUZZ_SECONDS`, else 60 s under CI
//! (`CI` set), else 5 s. Under CI the seeds start at 1, so a run there is
//! reproducible and a red CI is never luck; elsewhere they start from the
//! clock, so every local run explores new notes (run it longer with
//! `BIJI_FUZZ_SECONDS=600 cargo test --test fuzz`). `BIJI_FUZZ_SEED` replays
//! one note. A failure prints its seed and the note; each one found becomes a
//! case in tests/bad_input.rs.

// Tests print their figures (recall, coverage, seeds) for the CI log.
#![allow(clippy::print_stdout)]

mod common;

use arbitrary::{Arbitrary, Unstructured};
use std::time::{Duration, Instant};

#[derive(Arbitrary, Debug)]
enum Inline {
    Text(Word),
    Strong(Word),
    Code(Word),
    Link(Word, Target),
    Wiki(Word),
    Math(Tex),
    Mark(Word),
    Script(Word, Word),
    Html(HtmlBit),
    Nul,
    Dollar,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Word {
    Zh,
    En,
    Mixed,
    Symbols,
    Space,
    Long,
}

#[derive(Arbitrary, Debug)]
enum Target {
    Note,
    Heading,
    Missing,
    Empty,
    Disk,
    Script,
}

#[derive(Arbitrary, Debug)]
enum Tex {
    Good,
    Bad,
    Deep(u8),
}

#[derive(Arbitrary, Debug)]
enum HtmlBit {
    OpenDetails,
    CloseDetails,
    OpenTable,
    CloseDiv,
    Img,
    Script,
    Comment,
    Handler,
    Unknown,
}

#[derive(Arbitrary, Debug)]
enum Block {
    Heading(u8, Vec<Inline>),
    Para(Vec<Inline>),
    Fence(Lang, Vec<Word>, bool),
    List(u8, Vec<Vec<Inline>>),
    Quote(Option<Callout>, Vec<Inline>),
    Table(u8, Vec<Vec<Inline>>),
    DisplayMath(Tex),
    Embed,
    Toc,
    Comment(Vec<Inline>),
    WithId(Vec<Inline>),
    Raw(HtmlBit),
}

#[derive(Arbitrary, Debug)]
enum Lang {
    Python,
    Rust,
    Go,
    Sql,
    Markdown,
    Mermaid,
    Math,
    Unknown,
    None,
}

#[derive(Arbitrary, Debug)]
enum Callout {
    Tip,
    Folded,
    Open,
    Alias,
}

#[derive(Arbitrary, Debug)]
struct Note {
    front: Option<(bool, bool, bool)>,
    blocks: Vec<Block>,
}

fn word(w: Word) -> String {
    match w {
        Word::Zh => "中文的内容".into(),
        Word::En => "word".into(),
        Word::Mixed => "Python 协程 C++".into(),
        Word::Symbols => "<*_`[]()#|\\&\">".into(),
        Word::Space => "  \t ".into(),
        Word::Long => "长".repeat(20_000),
    }
}

fn inline(i: &Inline) -> String {
    match i {
        Inline::Text(w) => word(*w),
        Inline::Strong(w) => format!("**{}**", word(*w)),
        Inline::Code(w) => format!("`{}`", word(*w)),
        Inline::Link(w, t) => format!("[{}]({})", word(*w), target(t)),
        Inline::Wiki(w) => format!("[[other|{}]]", word(*w)),
        Inline::Math(t) => format!("${}$", tex(t)),
        Inline::Mark(w) => format!("=={}==", word(*w)),
        Inline::Script(a, b) => format!("{}~{}~{}^2^", word(*a), word(*b), word(*a)),
        Inline::Html(h) => html(h).into(),
        Inline::Nul => "\0".into(),
        Inline::Dollar => "$5 和 $10".into(),
    }
}

fn target(t: &Target) -> &'static str {
    match t {
        Target::Note => "other.md",
        Target::Heading => "other.md#第一节",
        Target::Missing => "nowhere.md",
        Target::Empty => "",
        Target::Disk => "C:\\Users\\me\\a.png",
        Target::Script => "javascript:alert(1)",
    }
}

fn tex(t: &Tex) -> String {
    match t {
        Tex::Good => "\\frac{n(n+1)}{2}".into(),
        Tex::Bad => "\\frac{1}{".into(),
        Tex::Deep(n) => format!(
            "{}x{}",
            "{".repeat(*n as usize * 8),
            "}".repeat(*n as usize * 8)
        ),
    }
}

fn html(h: &HtmlBit) -> &'static str {
    match h {
        HtmlBit::OpenDetails => "<details><summary>开</summary>",
        HtmlBit::CloseDetails => "</details>",
        HtmlBit::OpenTable => "<table><tr><td>",
        HtmlBit::CloseDiv => "</div></article>",
        HtmlBit::Img => "<img src=\"pics/a.png\" width=\"300\">",
        HtmlBit::Script => "<script>alert(1)</script>",
        HtmlBit::Comment => "<!-- open",
        HtmlBit::Handler => "<b onclick=\"alert(1)\">b</b>",
        HtmlBit::Unknown => "<用户名>",
    }
}

fn inlines(v: &[Inline]) -> String {
    v.iter().map(inline).collect::<Vec<_>>().join(" ")
}

fn block(b: &Block) -> String {
    match b {
        Block::Heading(l, v) => format!("{} {}", "#".repeat(1 + (*l as usize % 6)), inlines(v)),
        Block::Para(v) => inlines(v),
        Block::Fence(lang, words, closed) => {
            let label = match lang {
                Lang::Python => "python",
                Lang::Rust => "rust",
                Lang::Go => "go",
                Lang::Sql => "sql",
                Lang::Markdown => "markdown",
                Lang::Mermaid => "mermaid",
                Lang::Math => "math",
                Lang::Unknown => "nosuchlang",
                Lang::None => "",
            };
            let body: Vec<String> = words.iter().map(|w| word(*w)).collect();
            let end = if *closed { "\n```" } else { "" };
            format!("```{label}\n{}{end}", body.join("\n"))
        }
        Block::List(depth, items) => items
            .iter()
            .enumerate()
            .map(|(k, i)| {
                format!(
                    "{}- {}",
                    "  ".repeat(k % (1 + *depth as usize % 4)),
                    inlines(i)
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Quote(c, v) => {
            let head = match c {
                None => String::new(),
                Some(Callout::Tip) => "> [!tip] 标题\n".into(),
                Some(Callout::Folded) => "> [!note]-\n".into(),
                Some(Callout::Open) => "> [!warning]+ 展开\n".into(),
                Some(Callout::Alias) => "> [!FAQ]\n".into(),
            };
            format!("{head}> {}", inlines(v))
        }
        Block::Table(cols, rows) => {
            let n = 1 + *cols as usize % 4;
            let mut t = format!("|{}\n|{}", " h |".repeat(n), "---|".repeat(n));
            for r in rows {
                t.push_str(&format!("\n| {} |", inlines(r).replace('\n', " ")));
            }
            t
        }
        Block::DisplayMath(t) => format!("$$\n{}\n$$", tex(t)),
        Block::Embed => "![[other#第一节]]".into(),
        Block::Toc => "[TOC]".into(),
        Block::Comment(v) => format!("%%\n{}\n%%", inlines(v)),
        Block::WithId(v) => format!("{} ^block-1", inlines(v)),
        Block::Raw(h) => html(h).into(),
    }
}

fn markdown(n: &Note) -> String {
    let mut s = String::new();
    if let Some((title, date, tags)) = n.front {
        s.push_str("---\n");
        if title {
            s.push_str("title: \"标题: [x]\"\n");
        }
        if date {
            s.push_str("date: 2024-02-29\n");
        }
        if tags {
            s.push_str("tags: [\"#obsidian\", lang/python]\naliases: [别名]\n");
        }
        s.push_str("---\n\n");
    }
    for b in &n.blocks {
        s.push_str(&block(b));
        s.push_str("\n\n");
    }
    s
}

/// A small deterministic generator (splitmix64): the seed replays a run.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

fn budget() -> Duration {
    let secs = std::env::var("BIJI_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if std::env::var_os("CI").is_some() {
            60
        } else {
            5
        });
    Duration::from_secs(secs)
}

/// Builds a site of the generated note (beside a note it links and embeds)
/// and checks the build and the page.
fn check(seed: u64, text: &str) {
    let dir = common::site_with([
        ("a.md", text),
        ("other.md", "# 其他\n\n## 第一节\n\n内容。\n"),
        ("z.md", "# Z\n"),
    ]);
    let opts = biji::BuildOptions {
        root: dir.path().to_path_buf(),
        ..Default::default()
    };
    std::fs::write(dir.path().join("biji.yaml"), "links: warn\nsearch: true\n").unwrap();
    let started = Instant::now();
    let hl = biji::Highlighter::new();
    let result = biji::build(&opts, &hl);
    let took = started.elapsed();
    let fail = |why: String| panic!("seed {seed}: {why}\n--- note ---\n{text}\n------------");
    if took > Duration::from_secs(10) {
        fail(format!("the build took {took:?}"));
    }
    let Ok(report) = result else {
        // An error is fine (bad input); a panic would have failed already.
        return;
    };
    let page = std::fs::read_to_string(report.output.join("a/index.html"))
        .unwrap_or_else(|e| fail(format!("no page: {e}")));
    let doc = scraper::Html::parse_document(&page);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    if doc.select(&sel(".content")).next().is_none() {
        fail("no .content element".into());
    }
    if doc
        .select(&sel(".content .site-footer, .content .pager"))
        .next()
        .is_some()
    {
        fail("the theme's footer or pager ended up inside the note".into());
    }
    if doc.select(&sel(".content script")).next().is_some() {
        fail("a script reached the note's HTML".into());
    }
    if page.contains('\0') {
        fail("a NUL byte reached the page".into());
    }
}

#[test]
fn random_notes_build_without_panics_hangs_or_escapes() {
    let fixed = std::env::var("BIJI_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    let start_seed = fixed.unwrap_or_else(|| {
        if std::env::var_os("CI").is_some() {
            return 1;
        }
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    let budget = budget();
    let started = Instant::now();
    let mut runs = 0u64;
    loop {
        let seed = start_seed.wrapping_add(runs);
        let raw = bytes(seed, 512);
        if let Ok(note) = Note::arbitrary(&mut Unstructured::new(&raw)) {
            check(seed, &markdown(&note));
        }
        runs += 1;
        if fixed.is_some() || started.elapsed() > budget {
            break;
        }
    }
    eprintln!(
        "fuzz: {runs} notes from seed {start_seed} in {:?}",
        started.elapsed()
    );
}
