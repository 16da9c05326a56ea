use super::crawl::LineIndex;
use super::resolve::{domain, join, readable, Site, Verdict};
use super::scan::scan;
use std::collections::{HashMap, HashSet};

#[test]
fn scans_attributes_and_skips_raw_text() {
    let html = "<!doctype html><!-- <a href=\"/c\"> -->\n<A HREF='/a?x=1&amp;y=2' id=top>\
        <img src=x.png srcset=\"a.png 1x, b.png 2x\"><script>var s = '<a href=\"/s\">';</script>\
        <a name=old></a><p id=\"多线程\">";
    let s = scan(html);
    let links: Vec<(&str, &str)> = s.links.iter().map(|l| (l.attr, l.value.as_str())).collect();
    assert_eq!(
        links,
        [
            ("href", "/a?x=1&y=2"),
            ("src", "x.png"),
            ("srcset", "a.png 1x, b.png 2x")
        ]
    );
    assert!(s.ids.contains("top") && s.ids.contains("old") && s.ids.contains("多线程"));
    assert_eq!(LineIndex::new(html).line_of(s.links[0].offset), 2);
}

#[test]
fn joins_relative_urls() {
    assert_eq!(join("a/b", "../c/").as_deref(), Some("a/c/"));
    assert_eq!(join("a", "./x.png").as_deref(), Some("a/x.png"));
    assert_eq!(join("a", "..").as_deref(), Some(""));
    assert_eq!(join("", "../x"), None);
}

#[test]
fn domains() {
    assert_eq!(domain("User@GitHub.com:443/x?y"), "github.com:443");
    assert_eq!(domain("docs.python.org/3/"), "docs.python.org");
    assert_eq!(domain("B%C3%9Ccher.de/a"), "bücher.de");
    assert_eq!(
        readable("https://%E4%BE%8B.cn/a%20b%2F%E8%B7%AF"),
        "https://例.cn/a%20b%2F路"
    );
    assert_eq!(readable("https://x.cn/%FF%E4"), "https://x.cn/%FF%E4");
    assert_eq!(readable("50%"), "50%");
}

#[test]
fn resolves_under_a_base_path() {
    let files: HashSet<String> = [
        "index.html",
        "a/b/index.html",
        "static/s.css",
        "a/index.html",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let dirs: HashSet<String> = ["a", "a/b", "static"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let ids_b: HashSet<String> = ["h".to_string()].into();
    let ids: HashMap<&str, &HashSet<String>> = [("a/b/index.html", &ids_b)].into();
    let site = Site {
        files: &files,
        dirs: &dirs,
        ids: &ids,
        base_path: "/r/",
        origin: "https://x.io",
    };
    let ok = |u: &str| matches!(site.check("a/index.html", u), Verdict::Ok);
    let broken = |u: &str| match site.check("a/index.html", u) {
        Verdict::Broken(r) => r,
        _ => panic!("{u} should be broken"),
    };
    assert!(ok("/r/static/s.css"));
    assert!(ok("/r/a/b/#h"));
    assert!(ok("/r/a/b"));
    assert!(ok("b/#h"));
    assert!(ok("../static/s.css"));
    assert!(ok("https://x.io/r/a/b/"));
    assert!(ok("#top"));
    // Dot segments, as a browser resolves them.
    assert!(ok("/r/./a/../a/b/#h"));
    assert!(broken("/r/../static/s.css").contains("outside the site's base path"));
    assert!(broken("/static/s.css").contains("outside the site's base path `/r/`"));
    assert!(broken("/r/a/b/#nope").contains("no element with id `nope`"));
    assert!(broken("/r/missing.png").contains("no file `missing.png`"));
    assert!(broken("https://x.io/r/gone/").contains("no `gone/index.html`"));
    assert!(broken("C:%5CUsers%5Cme%5Ca.png").contains("author's own disk"));
    assert!(broken("file:///home/me/a.png").contains("author's own disk"));
    assert!(
        matches!(site.check("a/index.html", "https://Y.io/p"), Verdict::External(d) if d == "y.io")
    );
    assert!(matches!(
        site.check("a/index.html", "mailto:a@b.c"),
        Verdict::Skip
    ));
}
