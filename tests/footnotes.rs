//! Footnotes as readers of GitHub, Obsidian and Typora see them: numbered in
//! the order they are referenced, gathered at the note's end with links
//! back, and Obsidian's inline `^[...]` footnotes among them.

mod common;

const NOTE: &str = "# 脚注\n\n## 1\n\n甲[^1]乙[^b]丙[^B]，内联^[一条 **内联** 脚注，见 [[脚注]]]。\n\n[^b]: 第二条\n\n正则 ^[0-9]+$ 匹配数字。\n\n[^1]: 第一条\n[^unused]: 无人引用\n";

#[test]
fn footnotes_are_numbered_in_reading_order_and_gathered_at_the_end() {
    let dir = common::site_with([("脚注.md", NOTE)]);
    let out = common::build(dir.path());
    let html = common::read(&out, "脚注/index.html");
    let refs = r##"甲<sup class="footnote-reference"><a href="#fn-1" id="fnref-1">1</a></sup>乙<sup class="footnote-reference"><a href="#fn-b" id="fnref-b">2</a></sup>丙<sup class="footnote-reference"><a href="#fn-b" id="fnref-b-2">2</a></sup>，内联<sup class="footnote-reference"><a href="#fn-inline-1" id="fnref-inline-1">3</a></sup>。"##;
    assert!(html.contains(refs), "{html}");
    // The heading `## 1` keeps its id; the footnote has its own.
    assert!(html.contains(r#"<h2 id="1">"#), "{html}");
    assert!(html.contains("正则 ^[0-9]+$ 匹配数字。"), "{html}");
    let section = &html[html.find(r#"<section class="footnotes""#).expect(&html)..];
    let order: Vec<usize> = ["fn-1", "fn-b", "fn-inline-1", "无人引用"]
        .iter()
        .map(|s| {
            section
                .find(s)
                .unwrap_or_else(|| panic!("{s} in {section}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{section}");
    assert!(section.contains(r##"<p>第二条 <a href="#fnref-b" class="footnote-backref" aria-label="返回引用处 2">↩︎</a> <a href="#fnref-b-2" class="footnote-backref" aria-label="返回引用处 2">↩︎<sup>2</sup></a></p>"##), "{section}");
    assert!(
        section.contains(
            r#"一条 <strong>内联</strong> 脚注，见 <a href="/%E8%84%9A%E6%B3%A8/">脚注</a>"#
        ),
        "{section}"
    );
    // Nothing of the footnotes is left where their definitions were written.
    let before = &html[..html.find(r#"<section class="footnotes""#).unwrap()];
    assert!(!before.contains("第二条") && !before.contains("footnote-definition"));
    // Every reference and back link resolves.
    let o = common::biji(dir.path(), &["check"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
}

#[test]
fn a_broken_link_in_an_inline_footnote_is_named_where_it_was_written() {
    let dir = common::site_with([("a.md", "# A\n\n第一行\n\n说明^[见 [缺失](nope.md)]。\n")]);
    let err = common::build_error(dir.path());
    assert!(
        err.contains("notes/a.md:5:7: broken link `nope.md`"),
        "{err}"
    );
}

#[test]
fn inline_footnotes_can_be_switched_off() {
    let dir = common::site_with([("a.md", "# A\n\n说明^[内联]。\n")]);
    std::fs::write(
        dir.path().join("biji.yaml"),
        "markdown:\n  inline_footnotes: false\n",
    )
    .unwrap();
    let html = common::read(&common::build(dir.path()), "a/index.html");
    assert!(html.contains("<p>说明^[内联]。</p>"), "{html}");
    assert!(!html.contains("footnotes"), "{html}");
}

#[test]
fn an_embedded_notes_footnotes_keep_to_themselves() {
    let dir = common::site_with([
        ("主.md", "# 主\n\n主文[^1]\n\n![[附]]\n\n[^1]: 主的脚注\n"),
        ("附.md", "# 附\n\n附文[^1]\n\n[^1]: 附的脚注\n"),
    ]);
    let out = common::build(dir.path());
    let html = common::read(&out, "主/index.html");
    let ids: Vec<&str> = html
        .match_indices(r#"id="fn"#)
        .map(|(i, _)| &html[i + 4..i + 4 + html[i + 4..].find('"').unwrap()])
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert_eq!(unique.len(), 4, "{ids:?}");
    // On its own page the embedded note's ids are the plain ones.
    let own = common::read(&out, "附/index.html");
    assert!(own.contains(r#"<li id="fn-1">"#), "{own}");
    let o = common::biji(dir.path(), &["check"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
}
