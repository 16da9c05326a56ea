//! Publishing: a site built for a GitHub Pages project sub-path works there
//! (links, assets, 404, feed, sitemap), drafts stay out, `biji init` makes a
//! site that builds and a workflow that deploys it, and `biji check` catches
//! broken internal links in the output.

mod common;
use common::*;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

const BASE: &str = "https://example.github.io/repo/";

/// Builds `root` with the library under `base_url` (and drafts if asked).
fn build_at(root: &Path, base_url: Option<&str>, drafts: bool) -> anyhow::Result<PathBuf> {
    let opts = biji::BuildOptions {
        root: root.to_path_buf(),
        base_url: base_url.map(str::to_string),
        drafts,
        ..Default::default()
    };
    biji::build(&opts, &biji::Highlighter::new()).map(|r| r.output)
}

/// Every file under `dir`, `/`-separated and relative.
fn files(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Double-quoted values of `attr="..."` in `html` (biji's templates and
/// pulldown-cmark always quote with `"`), entities decoded. Deliberately
/// simpler than `biji check`'s scanner, so the two cross-check each other.
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let pat = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        let end = rest.find('"').unwrap();
        out.push(
            rest[..end]
                .replace("&amp;", "&")
                .replace("&#39;", "'")
                .replace("&quot;", "\""),
        );
        rest = &rest[end..];
    }
    out
}

#[test]
fn subpath_build_every_internal_link_and_asset_resolves() {
    let site = site("publish/site");
    let out = build_at(site.path(), Some(BASE), false).unwrap();
    let all = files(&out);
    let pages: Vec<&String> = all.iter().filter(|f| f.ends_with(".html")).collect();
    assert!(pages.len() >= 10, "{pages:?}");
    let mut checked = 0;
    for page in &pages {
        let html = read(&out, page);
        let folder = page.rsplit_once('/').map_or("", |(f, _)| f);
        for url in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with("mailto:")
            {
                continue;
            }
            let path = url.split(['#', '?']).next().unwrap();
            if path.is_empty() {
                continue; // same-page anchor
            }
            let rel = if let Some(abs) = path.strip_prefix('/') {
                let inside = format!("/{abs}");
                let Some(inside) = inside.strip_prefix("/repo/") else {
                    panic!("{page}: `{url}` is not under the base path /repo/");
                };
                decode(inside)
            } else {
                // Relative to the page's folder.
                let mut parts: Vec<String> = folder
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                for seg in decode(path).split('/') {
                    match seg {
                        "" | "." => {}
                        ".." => {
                            parts
                                .pop()
                                .unwrap_or_else(|| panic!("{page}: `{url}` climbs out"));
                        }
                        s => parts.push(s.to_string()),
                    }
                }
                let mut j = parts.join("/");
                if path.ends_with('/') {
                    j.push('/');
                }
                j
            };
            let file = if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel
            };
            assert!(
                all.contains(&file),
                "{page}: `{url}` -> `{file}` is not in the output"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    // The crate's own crawler agrees, anchors included.
    let crawl = biji::testing::crawl(&out, "/repo/", "https://example.github.io").unwrap();
    let broken: Vec<String> = crawl.broken.iter().map(|b| b.to_string()).collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert_eq!(crawl.pages, pages.len());
    assert!(crawl.internal >= checked, "{} < {checked}", crawl.internal);
    assert!(
        crawl.external.contains_key("docs.python.org") && crawl.external.contains_key("go.dev")
    );
    // A note links a heading of another note and a folder, both under /repo/.
    let deco = read(&out, "python/装饰器/index.html");
    let stack = format!("/repo/{}", enc("数据-结构/栈与队列/"));
    assert!(
        deco.contains(&format!("href=\"{stack}#{}\"", enc("出栈"))),
        "cross-note anchor"
    );
    assert!(
        deco.contains(&format!("href=\"/repo/{}\"", enc("数据-结构/"))),
        "folder link"
    );
    assert!(deco.contains("src=\"/repo/python/img/dot.png\""), "image");
}

#[test]
fn every_page_links_the_feed_and_404_works_at_any_depth() {
    let site = site("publish/site");
    let out = build_at(site.path(), Some(BASE), false).unwrap();
    let link = r#"<link rel="alternate" type="application/atom+xml" title="学习笔记 &amp; &lt;草稿本&gt;" href="/repo/atom.xml">"#;
    for page in files(&out).iter().filter(|f| f.ends_with(".html")) {
        assert!(
            read(&out, page).contains(link),
            "{page} does not link the feed"
        );
    }
    // GitHub Pages serves 404.html for a missing URL at any depth, so
    // everything it loads must be absolute under the base path.
    let nf = read(&out, "404.html");
    assert!(
        nf.contains(r#"<link rel="stylesheet" href="/repo/static/style.css">"#),
        "{nf}"
    );
    assert!(nf.contains(r#"src="/repo/static/biji.js""#));
    for url in attr_values(&nf, "href")
        .into_iter()
        .chain(attr_values(&nf, "src"))
    {
        assert!(
            url.starts_with("/repo/") || url.starts_with('#') || url.starts_with("https://"),
            "404.html has `{url}`, which breaks below the top level"
        );
    }
    assert!(out.join(".nojekyll").is_file());
}

#[test]
fn sitemap_and_feed_are_wellformed_xml_with_absolute_urls() {
    let site = site("publish/site");
    let out = build_at(site.path(), Some(BASE), false).unwrap();
    let all = files(&out);

    let text = read(&out, "sitemap.xml");
    let doc =
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("sitemap.xml: {e}\n{text}"));
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let mut locs = BTreeSet::new();
    for url in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((ns, "url")))
    {
        let loc = url
            .children()
            .find(|n| n.has_tag_name((ns, "loc")))
            .unwrap()
            .text()
            .unwrap();
        let rel = loc
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("`{loc}` is not absolute under {BASE}"));
        assert!(
            !rel.contains(char::is_whitespace) && rel.is_ascii(),
            "`{loc}` is not percent-encoded"
        );
        let rel = decode(rel);
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.clone()
        };
        assert!(
            all.contains(&file),
            "sitemap lists `{loc}` but `{file}` is not in the output"
        );
        if let Some(m) = url.children().find(|n| n.has_tag_name((ns, "lastmod"))) {
            locs.insert((rel, m.text().unwrap().to_string()));
        } else {
            locs.insert((rel, String::new()));
        }
    }
    // All pages but 404.html and the search page (noindex), each once.
    let pages: BTreeSet<String> = all
        .iter()
        .filter(|f| {
            f.ends_with(".html") && !["404.html", "search/index.html"].contains(&f.as_str())
        })
        .map(|f| f.strip_suffix("index.html").unwrap_or(f).to_string())
        .collect();
    let listed: BTreeSet<String> = locs.iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(listed, pages);
    // lastmod: front matter `updated`, else `date`; a folder has its newest note.
    assert!(
        locs.contains(&("python/装饰器/".into(), "2024-05-02".into())),
        "{locs:?}"
    );
    assert!(
        locs.contains(&("数据-结构/栈与队列/".into(), "2024-04-10".into())),
        "{locs:?}"
    );
    assert!(
        locs.contains(&("关于/".into(), "2024-01-01".into())),
        "{locs:?}"
    );
    assert!(
        locs.contains(&("python/".into(), "2024-05-02".into())),
        "{locs:?}"
    );
    assert!(
        locs.contains(&(String::new(), "2024-05-02".into())),
        "home: {locs:?}"
    );

    let text = read(&out, "atom.xml");
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("atom.xml: {e}\n{text}"));
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children()
            .find(|c| c.has_tag_name((atom, name)))
            .map(|c| c.text().unwrap_or("").to_string())
    };
    assert_eq!(child(feed, "title").unwrap(), "学习笔记 & <草稿本>");
    assert_eq!(child(feed, "id").unwrap(), BASE);
    assert_eq!(child(feed, "updated").unwrap(), "2024-05-02T00:00:00Z");
    for l in feed
        .descendants()
        .filter(|n| n.has_tag_name((atom, "link")))
    {
        let href = l.attribute("href").unwrap();
        assert!(href.starts_with(BASE), "feed link `{href}` is not absolute");
    }
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    let titles: Vec<String> = entries
        .iter()
        .map(|e| child(*e, "title").unwrap())
        .collect();
    // Newest first; the draft (dated 2025) is not there.
    assert_eq!(titles, ["装饰器", "栈 & <队列>", "关于"]);
    let first = entries[0];
    let href = first
        .children()
        .find(|n| n.has_tag_name((atom, "link")))
        .unwrap()
        .attribute("href")
        .unwrap();
    assert_eq!(href, format!("{BASE}python/{}", enc("装饰器/")));
    assert_eq!(child(first, "published").unwrap(), "2024-03-01T00:00:00Z");
    assert_eq!(child(first, "updated").unwrap(), "2024-05-02T00:00:00Z");
    assert_eq!(
        child(first, "summary").unwrap(),
        "装饰器是返回函数的函数 & 语法糖"
    );
    let cats: Vec<&str> = first
        .children()
        .filter(|n| n.has_tag_name((atom, "category")))
        .map(|n| n.attribute("term").unwrap())
        .collect();
    assert_eq!(cats, ["python", "C++ & Go"]);
    assert_eq!(
        child(entries[2], "updated").unwrap(),
        "2024-01-01T09:30:00+08:00"
    );
}

#[test]
fn no_underscore_names_but_the_users_own() {
    let site = site("publish/site");
    let out = build_at(site.path(), Some(BASE), false).unwrap();
    let notes = site.path().join("notes");
    let mut users = 0;
    for f in files(&out) {
        let mut prefix = String::new();
        for seg in f.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(seg);
            if seg.starts_with('_') {
                assert!(
                    notes.join(&prefix).exists(),
                    "output has `{f}`: `_` names are eaten by Jekyll"
                );
                users += 1;
            }
        }
    }
    assert_eq!(
        users, 1,
        "the user's notes/_attachments/logo.svg is published"
    );
    assert!(out.join("_attachments/logo.svg").is_file());
}

#[test]
fn cname_written_and_feeds_need_an_absolute_base_url() {
    let site = site("publish/site");
    let cfg = site.path().join("biji.yaml");
    let plain = std::fs::read_to_string(&cfg).unwrap();
    // No base URL: pages work at the root, but sitemap and feed (absolute URLs) are skipped.
    let out = build_at(site.path(), None, false).unwrap();
    assert!(!out.join("sitemap.xml").exists() && !out.join("atom.xml").exists());
    assert!(!out.join("robots.txt").exists());
    assert!(!read(&out, "index.html").contains("application/atom+xml"));
    // `biji build` says why, once.
    let o = common::biji(site.path(), &["build"]);
    let said = common::stderr(&o);
    assert!(o.status.success(), "{said}");
    assert_eq!(
        said.matches("sitemap.xml and atom.xml skipped").count(),
        1,
        "{said}"
    );
    assert!(said.contains("set `base_url` in biji.yaml"), "{said}");
    // A custom domain serves at its root, which is then the site's URL.
    std::fs::write(&cfg, format!("{plain}cname: notes.example.com\n")).unwrap();
    let out = build_at(site.path(), None, false).unwrap();
    assert_eq!(read(&out, "CNAME"), "notes.example.com\n");
    assert!(read(&out, "atom.xml").contains("<id>https://notes.example.com/</id>"));
    // At a host's root, where crawlers look, `robots.txt` names the sitemap.
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://notes.example.com/sitemap.xml\n"
    );
    // A note's own is used instead.
    let own = site.path().join("notes/robots.txt");
    std::fs::write(&own, "User-agent: *\nDisallow: /x/\n").unwrap();
    let built = build_at(site.path(), None, false).unwrap();
    assert_eq!(read(&built, "robots.txt"), "User-agent: *\nDisallow: /x/\n");
    std::fs::remove_file(own).unwrap();
    assert!(read(&out, "index.html").contains(r#"href="/atom.xml""#));
    assert!(read(&out, "404.html").contains(r#"href="/static/style.css""#));
    // Built for a project path (the domain not entered in Pages' settings): a warning.
    let o = common::biji(
        site.path(),
        &["build", "--base-url", "https://u.github.io/notes/"],
    );
    let said = common::stderr(&o);
    assert!(o.status.success(), "{said}");
    let warning = "cname `notes.example.com` but the site is built for https://u.github.io/notes/";
    assert_eq!(said.matches(warning).count(), 1, "{said}");
    // The repository's address is no site's.
    let o = common::biji(
        site.path(),
        &["build", "--base-url", "https://github.com/u/notes"],
    );
    let said = common::stderr(&o);
    assert!(
        said.contains("the base URL https://github.com/u/notes is a repository's address"),
        "{said}"
    );
    let o = common::biji(
        site.path(),
        &["build", "--base-url", "https://notes.example.com/"],
    );
    assert!(
        !common::stderr(&o).contains("cname"),
        "{}",
        common::stderr(&o)
    );
    // A bad cname names the file.
    std::fs::write(&cfg, "cname: https://notes.example.com/\n").unwrap();
    let e = build_at(site.path(), None, false).unwrap_err();
    assert!(
        format!("{e:#}").contains("biji.yaml:1: invalid cname"),
        "{e:#}"
    );
}

/// Drafts as other tools mark them: `draft: yes` (YAML 1.1, as Obsidian's
/// properties read it) and Obsidian Publish's `publish: false`.
#[test]
fn drafts_marked_yes_or_unpublished_stay_out() {
    let dir = common::site_with([
        ("yes.md", "---\ndraft: yes\n---\n\n# 私密\n"),
        ("unpublished.md", "---\npublish: false\n---\n\n# 不发布\n"),
        (
            "published.md",
            "---\npublish: true\ndraft: no\n---\n\n# 公开\n",
        ),
    ]);
    let out = build_at(dir.path(), None, false).unwrap();
    assert!(out.join("published/index.html").is_file());
    assert!(!out.join("yes").exists() && !out.join("unpublished").exists());
    let out = build_at(dir.path(), None, true).unwrap();
    assert!(out.join("yes/index.html").is_file() && out.join("unpublished/index.html").is_file());
}

#[test]
fn drafts_out_by_default_and_in_with_the_flag() {
    let site = site("publish/site");
    let out = build_at(site.path(), Some(BASE), false).unwrap();
    let draft_page = format!("{}/index.html", "草稿");
    assert!(!out.join(&draft_page).exists());
    for f in [
        "index.html",
        "sitemap.xml",
        "atom.xml",
        "python/装饰器/index.html",
        "topics/index.html",
    ] {
        let t = read(&out, f);
        assert!(
            !t.contains("未完成的草稿") && !t.contains(&enc("草稿/")),
            "draft leaks into {f}"
        );
    }
    let search: String = files(&out)
        .iter()
        .filter(|f| f.starts_with("search/"))
        .map(|f| match f.ends_with(".gz") {
            // The index files are gzip (see src/search/write.rs).
            true => common::search::gunzip(&out.join(f)),
            false => read(&out, f),
        })
        .collect();
    assert!(
        !search.contains("未完成的草稿"),
        "draft leaks into the search index"
    );

    let out = build_at(site.path(), Some(BASE), true).unwrap();
    assert!(out.join(&draft_page).is_file());
    assert!(read(&out, "atom.xml").contains("<title>未完成的草稿</title>"));
    assert!(read(&out, "sitemap.xml").contains(&format!("{BASE}{}", enc("草稿/"))));
    assert!(read(&out, "index.html").contains("未完成的草稿"));
}

#[test]
fn a_link_to_a_draft_is_reported_as_a_draft() {
    let site = site("publish/draft-link");
    let e = format!("{:#}", build_at(site.path(), None, false).unwrap_err());
    assert!(
        e.contains("notes/已发布.md:5:9: broken link `未完成.md`: `notes/未完成.md` is a draft (`draft: true`)"),
        "{e}"
    );
    assert!(
        e.contains("notes/已发布.md:7:13: broken link `未完成`: `notes/未完成.md` is a draft"),
        "{e}"
    );
    assert!(e.contains("notes/已发布.md:9:"), "embed: {e}");
    assert_eq!(e.matches("is a draft").count(), 3, "{e}");
    assert!(e.contains("--drafts"), "{e}");
    let out = build_at(site.path(), None, true).unwrap();
    let page = read(&out, "已发布/index.html");
    assert!(
        page.contains(&format!("href=\"/{}\"", enc("未完成/"))),
        "{page}"
    );
}

/// Runs the binary with a private CARGO_HOME, so what `init` reads from the
/// machine's cargo install record does not change the result.
fn biji_clean(dir: &Path, args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    biji_with_home(dir, home.path(), args)
}

fn biji_with_home(dir: &Path, cargo_home: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_biji"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CARGO_HOME", cargo_home)
        .output()
        .expect("run biji")
}

fn ok(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(o)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn init_then_build_and_check_succeed() {
    let d = tempfile::tempdir().unwrap();
    let stdout = ok(&biji_clean(
        d.path(),
        &[
            "init",
            "site",
            "--github-pages",
            "--biji-git",
            "https://git.example.com/biji.git",
        ],
    ));
    let site = d.path().join("site");
    for f in [
        "biji.yaml",
        "notes/welcome.md",
        ".gitignore",
        ".github/workflows/pages.yml",
    ] {
        assert!(site.join(f).is_file(), "{f} missing; stdout:\n{stdout}");
    }
    assert!(stdout.contains("created site/biji.yaml"), "{stdout}");
    let ignored = read(&site, ".gitignore");
    assert!(
        ignored.contains("/public/\n") && ignored.contains("/.biji-cache/\n"),
        "{ignored}"
    );
    let built = ok(&biji_clean(&site, &["build", "--base-url", BASE]));
    assert!(built.contains("built 1 notes"), "{built}");
    let welcome = read(&site.join("public"), "welcome/index.html");
    assert!(welcome.contains("欢迎使用 biji"));
    let checked = ok(&biji_clean(&site, &["check", "--base-url", BASE]));
    assert!(
        checked.contains("internal links and anchors resolve"),
        "{checked}"
    );
}

#[test]
fn workflow_parses_with_permissions_and_official_steps() {
    let d = tempfile::tempdir().unwrap();
    ok(&biji_clean(
        d.path(),
        &[
            "init",
            "--github-pages",
            "--biji-git",
            "https://git.example.com/biji.git",
        ],
    ));
    let text = read(d.path(), ".github/workflows/pages.yml");
    let y: serde_yaml::Value =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let perms = &y["permissions"];
    assert_eq!(perms["contents"].as_str(), Some("read"));
    assert_eq!(perms["pages"].as_str(), Some("write"));
    assert_eq!(perms["id-token"].as_str(), Some("write"));
    assert_eq!(y["concurrency"]["group"].as_str(), Some("pages"));
    assert_eq!(
        y["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false)
    );
    assert_eq!(
        y["env"]["BIJI_GIT"].as_str(),
        Some("https://git.example.com/biji.git")
    );
    // `on` is YAML 1.1's `true` to some parsers; serde_yaml keeps it a string.
    assert!(
        y["on"]["push"]["branches"].as_sequence().is_some(),
        "{text}"
    );

    let steps = y["jobs"]["build"]["steps"].as_sequence().unwrap();
    let uses = |prefix: &str| {
        steps
            .iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix)))
            .unwrap_or_else(|| panic!("no step uses {prefix}"))
    };
    // The whole history, for note dates from Git.
    assert_eq!(
        uses("actions/checkout@v")["with"]["fetch-depth"].as_i64(),
        Some(0)
    );
    assert_eq!(
        uses("actions/configure-pages@v6")["id"].as_str(),
        Some("pages")
    );
    assert_eq!(
        uses("actions/upload-pages-artifact@v5")["with"]["path"].as_str(),
        Some("public")
    );
    // Pictures in a `.assets/` folder would be left out of the upload.
    assert_eq!(
        uses("actions/upload-pages-artifact@v5")["with"]["include-hidden-files"].as_bool(),
        Some(true)
    );
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let pos = |needle: &str| {
        runs.iter()
            .position(|r| r.contains(needle))
            .unwrap_or_else(|| panic!("no step runs {needle}: {runs:?}"))
    };
    let (rust, install, build) = (
        pos("rustup"),
        pos("cargo install --locked --git \"$BIJI_GIT\""),
        pos("biji build"),
    );
    assert!(rust < install && install < build, "{runs:?}");
    assert_caches_build(steps, ".biji-cache");
    assert!(
        runs[build].contains(r#"--base-url "${{ steps.pages.outputs.base_url }}/""#),
        "{}",
        runs[build]
    );

    let deploy = &y["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    let dsteps = deploy["steps"].as_sequence().unwrap();
    let dep = dsteps
        .iter()
        .find(|s| s["uses"].as_str() == Some("actions/deploy-pages@v5"))
        .unwrap();
    assert_eq!(dep["id"].as_str(), Some("deployment"));
    assert!(deploy["environment"]["url"]
        .as_str()
        .unwrap()
        .contains("steps.deployment.outputs.page_url"));
}

#[test]
fn workflow_from_source_inside_bijis_own_repo_installs_from_path() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join(".git")).unwrap();
    std::fs::write(d.path().join(".git/HEAD"), "ref: refs/heads/trunk\n").unwrap();
    std::fs::write(
        d.path().join("Cargo.toml"),
        "[package]\nname = \"biji\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    std::fs::create_dir(d.path().join("demo")).unwrap();
    ok(&biji_clean(
        &d.path().join("demo"),
        &["init", "--github-pages", "--from-source"],
    ));
    // Workflows only run from the repository root.
    let text = read(d.path(), ".github/workflows/pages.yml");
    let y: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(y["on"]["push"]["branches"][0].as_str(), Some("trunk"));
    let steps = y["jobs"]["build"]["steps"].as_sequence().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.contains(&"cargo install --path . --locked"),
        "{runs:?}"
    );
    assert!(
        runs.iter()
            .any(|r| r.starts_with("biji build --root 'demo' --base-url")),
        "{runs:?}"
    );
    let upload = steps
        .iter()
        .find(|s| s["uses"].as_str() == Some("actions/upload-pages-artifact@v5"))
        .unwrap();
    assert_eq!(upload["with"]["path"].as_str(), Some("demo/public"));
    assert!(!text.contains("BIJI_GIT"));
    assert_caches_build(steps, "demo/.biji-cache");
    // `.gitignore` is the site's own, so its entries are anchored there.
    assert!(read(&d.path().join("demo"), ".gitignore").contains("\n/.biji-cache/\n"));
}

/// The build cache step restores `path` after biji is installed and before
/// `biji build`, keyed by biji's version so no other biji's cache is used.
fn assert_caches_build(steps: &[serde_yaml::Value], path: &str) {
    let cache = steps
        .iter()
        .position(|s| s["with"]["path"].as_str() == Some(path))
        .unwrap_or_else(|| panic!("no step caches {path}: {steps:?}"));
    let run =
        |s: &serde_yaml::Value, pat: &dyn Fn(&str) -> bool| s["run"].as_str().is_some_and(pat);
    // The last install step, or the one that tells biji's version after it.
    let installed = steps
        .iter()
        .rposition(|s| run(s, &|r| r.contains("cargo install") || r.contains("rev=")))
        .expect("installs biji");
    let build = steps
        .iter()
        .position(|s| run(s, &|r| r.starts_with("biji build")))
        .expect("builds");
    assert!(installed < cache && cache < build, "{steps:?}");
    let with = &steps[cache]["with"];
    assert_eq!(steps[cache]["uses"].as_str(), Some("actions/cache@v5"));
    let prefix = "biji-cache-${{ runner.os }}-${{ steps.biji.outputs.rev }}-";
    assert_eq!(with["restore-keys"].as_str(), Some(prefix));
    assert_eq!(
        with["key"].as_str().unwrap(),
        format!("{prefix}${{{{ github.sha }}}}")
    );
}

#[test]
fn workflow_installs_biji_from_where_it_was_installed() {
    // `cargo install --git` records the source; init reuses it.
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join(".crates2.json"),
        r#"{"installs":{"biji 0.1.0 (git+https://github.com/someone/biji?branch=main#0123abc)":{"bins":["biji"]}}}"#,
    )
    .unwrap();
    let d = tempfile::tempdir().unwrap();
    let o = biji_with_home(
        d.path(),
        home.path(),
        &["init", "--github-pages", "--from-source"],
    );
    assert!(ok(&o).contains("cargo install --git https://github.com/someone/biji"));
    let y: serde_yaml::Value =
        serde_yaml::from_str(&read(d.path(), ".github/workflows/pages.yml")).unwrap();
    assert_eq!(
        y["env"]["BIJI_GIT"].as_str(),
        Some("https://github.com/someone/biji")
    );

    // Nothing known: an empty placeholder that the workflow refuses, and a warning.
    if env!("CARGO_PKG_REPOSITORY").is_empty() {
        let d = tempfile::tempdir().unwrap();
        let o = biji_clean(d.path(), &["init", "--github-pages", "--from-source"]);
        ok(&o);
        assert!(stderr(&o).contains("set BIJI_GIT in"), "{}", stderr(&o));
        let text = read(d.path(), ".github/workflows/pages.yml");
        let y: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(y["env"]["BIJI_GIT"].as_str(), Some(""));
        assert!(text.contains("Set BIJI_GIT to the Git URL of biji"));
    }
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let d = tempfile::tempdir().unwrap();
    ok(&biji_clean(d.path(), &["init"]));
    std::fs::write(d.path().join("biji.yaml"), "title: mine\n").unwrap();
    let o = biji_clean(d.path(), &["init", "--github-pages"]);
    // An existing site gets just the workflow, without touching biji.yaml.
    ok(&o);
    assert_eq!(read(d.path(), "biji.yaml"), "title: mine\n");
    let again = biji_clean(d.path(), &["init", "--github-pages"]);
    assert!(!again.status.success());
    let e = stderr(&again);
    assert!(
        e.contains("refusing to overwrite 1 existing file(s)") && e.contains("pages.yml"),
        "{e}"
    );
    // An existing biji.yaml is kept, so it is not in the way.
    let plain = biji_clean(d.path(), &["init"]);
    ok(&plain);
    assert!(stderr(&plain).contains("kept your"), "{}", stderr(&plain));
    assert_eq!(read(d.path(), "biji.yaml"), "title: mine\n");
    ok(&biji_clean(d.path(), &["init", "--force"]));
    let ignored = read(d.path(), ".gitignore");
    assert_eq!(ignored.matches("/.biji-cache/").count(), 1, "{ignored}");
    assert_eq!(ignored.matches("/public/").count(), 1, "{ignored}");
    // --force replaces what biji wrote, never the user's settings.
    assert_eq!(read(d.path(), "biji.yaml"), "title: mine\n");
    // The user's note is kept: no welcome note is added beside existing notes.
    let notes: Vec<_> = std::fs::read_dir(d.path().join("notes")).unwrap().collect();
    assert_eq!(notes.len(), 1);
}

#[test]
fn init_force_follows_a_custom_notes_dir() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("biji.yaml"), "notes_dir: 笔记\n").unwrap();
    ok(&biji_clean(d.path(), &["init", "--force"]));
    assert_eq!(read(d.path(), "biji.yaml"), "notes_dir: 笔记\n");
    assert!(d.path().join("笔记/welcome.md").is_file());
    assert!(!d.path().join("notes").exists());
    ok(&biji_clean(d.path(), &["build"]));
}

#[test]
fn init_theme_copies_the_builtin_theme_and_still_builds() {
    let d = tempfile::tempdir().unwrap();
    ok(&biji_clean(d.path(), &["init"]));
    ok(&biji_clean(d.path(), &["init", "--theme"]));
    let theme: HashSet<String> = biji::testing::embedded_theme()
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert!(theme.contains("templates/base.html") && theme.contains("static/style.css"));
    for (rel, bytes) in biji::testing::embedded_theme() {
        assert_eq!(std::fs::read(d.path().join(&rel)).unwrap(), bytes, "{rel}");
    }
    // Edits to the copy show up in the build.
    let base = d.path().join("templates/base.html");
    let text = read(d.path(), "templates/base.html").replace("<body", "<body data-custom=\"yes\"");
    std::fs::write(&base, text).unwrap();
    ok(&biji_clean(d.path(), &["build"]));
    assert!(read(&d.path().join("public"), "index.html").contains("data-custom=\"yes\""));
    let again = biji_clean(d.path(), &["init", "--theme"]);
    assert!(!again.status.success() && stderr(&again).contains("base.html"));
}

#[test]
fn check_fails_naming_the_page_and_the_link() {
    let site = site("publish/bad-template");
    let o = biji_clean(site.path(), &["check", "--base-url", BASE]);
    assert!(!o.status.success(), "check passed on a broken site");
    let e = stderr(&o);
    assert!(e.contains("hello/index.html:"), "{e}");
    assert!(
        e.contains("broken href `/repo/missing/`: no `missing/index.html` in the output"),
        "{e}"
    );
    assert!(e.contains("broken href `#no-such-heading`: `hello/index.html` has no element with id `no-such-heading`"), "{e}");
    assert!(e.contains("broken src `/static/style.css`: `/static/style.css` is outside the site's base path `/repo/`"), "{e}");
    assert!(e.contains("error: 3 broken internal link(s)"), "{e}");
    // check builds elsewhere: the site's own output folder is not created.
    assert!(!site.path().join("public").exists());
    // With `links: warn` they are listed, and the site still deploys.
    let cfg = site.path().join("biji.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap_or_default();
    std::fs::write(&cfg, format!("{text}\nlinks: warn\n")).unwrap();
    let o = biji_clean(site.path(), &["check", "--base-url", BASE]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(e.contains("broken href `/repo/missing/`"), "{e}");
    assert!(e.contains("warning: 3 broken internal link(s) in"), "{e}");
}

/// An HTML file copied from `notes/` as it is (a saved web page) has
/// links of its own, which no build of the notes can mend: they are
/// counted apart and fail no check; a note's broken link still does.
#[test]
fn broken_links_of_copied_html_files_are_apart() {
    let site = common::site_with([("a.md", "# A\n\n[存档](存档/页面.html)\n")]);
    let saved = site.path().join("notes/存档");
    std::fs::create_dir_all(&saved).unwrap();
    std::fs::write(
        saved.join("页面.html"),
        "<html><body><a href=\"/cn/zh/a.html\">x</a><img srcset=\"b.jpg 2x\"></body></html>",
    )
    .unwrap();
    let o = biji_clean(site.path(), &["check"]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(
        e.contains("note: 2 broken link(s) in 1 HTML file(s) copied from the notes folder as they are (存档/页面.html)"),
        "{e}"
    );
    assert!(!e.contains("/cn/zh/a.html"), "{e}");
    let o = biji_clean(site.path(), &["check", "-v"]);
    assert!(
        stderr(&o).contains("  存档/页面.html:1: broken href `/cn/zh/a.html`"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        site.path().join("notes/b.md"),
        "# B\n\n<a href=\"/nowhere/\">x</a>\n",
    )
    .unwrap();
    let o = biji_clean(site.path(), &["check"]);
    assert!(
        !o.status.success() && stderr(&o).contains("error: 1 broken internal link(s)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_passes_on_a_good_site_and_lists_external_domains() {
    let site = site("publish/site");
    let o = biji_clean(site.path(), &["check", "--base-url", BASE]);
    let out = ok(&o);
    // One line by default; -v lists every link.
    assert!(
        out.contains(
            "external links (2 on 2 domains, not fetched; -v lists them): docs.python.org (1), "
        ),
        "{out}"
    );
    assert!(!out.contains("    https://"), "{out}");
    let o = biji_clean(site.path(), &["check", "-v", "--base-url", BASE]);
    let out = ok(&o);
    assert!(
        out.contains("external links (2 on 2 domains, not fetched):"),
        "{out}"
    );
    assert!(
        out.contains(
            "  docs.python.org (1)\n    https://docs.python.org/3/library/collections.html"
        ),
        "{out}"
    );
    assert!(out.contains("checked 1"), "{out}");
}

/// Runs git in `dir` with a fixed identity and `date` as author and committer date.
fn git_at(dir: &Path, date: &str, args: &[&str]) {
    let o = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=biji test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git is installed");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// Sets a file's modification time to noon (UTC) of `day` (days since 1970).
fn set_mtime(path: &Path, day: u64) {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(day * 86_400 + 43_200);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

/// The day the home page's recent list gives `url`.
fn listed_day(home: &str, url: &str) -> String {
    let home = &home[home.find("id=\"biji-recent\"").expect("a recent list")..];
    let at = home
        .find(&format!("href=\"{url}\""))
        .unwrap_or_else(|| panic!("{url} not listed:\n{home}"));
    let rest = &home[at..];
    let t = rest.find("datetime=\"").expect("a date") + 10;
    rest[t..t + 10].to_string()
}

#[test]
fn note_dates_come_from_git_commits_not_file_times() {
    let dir = site_with(
        ["提交过.md", "改过.md", "晚提交.md"]
            .map(|name| (name.to_string(), format!("# {name}\n\n内容。\n")))
            .into_iter()
            .chain([(
                "自定.md".to_string(),
                "---\nupdated: 2019-05-05\n---\n# 自定\n".to_string(),
            )]),
    );
    let root = dir.path();
    let notes = root.join("notes");
    git_at(root, "2020-01-02T10:00:00+08:00", &["init", "-q"]);
    git_at(root, "2020-01-02T10:00:00+08:00", &["add", "notes"]);
    git_at(
        root,
        "2020-01-02T10:00:00+08:00",
        &["commit", "-q", "-m", "one"],
    );
    // Late in the evening in New York: the author's day, not UTC's (03-05).
    std::fs::write(notes.join("晚提交.md"), "# 晚提交\n\n改了。\n").unwrap();
    git_at(
        root,
        "2021-03-04T23:30:00-05:00",
        &["commit", "-q", "-a", "-m", "two"],
    );
    // A fresh checkout: every file has the same, newer modification time.
    for entry in std::fs::read_dir(&notes).unwrap() {
        set_mtime(&entry.unwrap().path(), 20_000); // 2024-10-04
    }
    // Edited since the last commit, and a note never committed: file times.
    std::fs::write(notes.join("改过.md"), "# 改过\n\n还没提交。\n").unwrap();
    set_mtime(&notes.join("改过.md"), 19_000); // 2022-01-08
    std::fs::write(notes.join("新.md"), "# 新\n").unwrap();
    set_mtime(&notes.join("新.md"), 19_500); // 2023-05-23

    let out = build_at(root, None, false).unwrap();
    let home = read(&out, "index.html");
    assert_eq!(listed_day(&home, &enc("/提交过/")), "2020-01-02");
    assert_eq!(listed_day(&home, &enc("/晚提交/")), "2021-03-04");
    assert_eq!(listed_day(&home, &enc("/改过/")), "2022-01-08");
    assert_eq!(listed_day(&home, &enc("/新/")), "2023-05-23");
    // Front matter still wins.
    assert_eq!(listed_day(&home, &enc("/自定/")), "2019-05-05");
    // The note's own page shows the day too.
    let page = read(&out, &format!("{}/index.html", "晚提交"));
    assert!(
        page.contains("<time datetime=\"2021-03-04\">2021-03-04</time>"),
        "{page}"
    );

    // `git_dates: false`: file times.
    std::fs::write(root.join("biji.yaml"), "git_dates: false\n").unwrap();
    let out = build_at(root, None, false).unwrap();
    let home = read(&out, "index.html");
    assert_eq!(listed_day(&home, &enc("/提交过/")), "2024-10-04");
}

/// A base URL with Chinese or a space in its path: every URL biji writes
/// (theme, notes, sitemap) is percent-encoded alike, so `check` agrees with
/// `build` (it reported every note link as outside the base path).
#[test]
fn a_base_path_with_chinese_is_encoded_everywhere_and_urls_are_checked() {
    let site = site_with([("a.md", "# A\n\n[[b]]\n"), ("b.md", "# B\n")]);
    let root = site.path();
    std::fs::write(
        root.join("biji.yaml"),
        "base_url: \"https://u.github.io/笔记/\"\n",
    )
    .unwrap();
    let o = biji(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = biji(root, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = root.join("public");
    let page = read(&out, "a/index.html");
    assert!(page.contains("href=\"/%E7%AC%94%E8%AE%B0/b/\""), "{page}");
    assert!(page.contains("href=\"/%E7%AC%94%E8%AE%B0/static/style.css\""));
    assert!(!page.contains("/笔记/"), "{page}");
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://u.github.io/%E7%AC%94%E8%AE%B0/a/</loc>"));
    // A host without a scheme is refused, not taken for a path.
    std::fs::write(root.join("biji.yaml"), "base_url: \"//evil.example/\"\n").unwrap();
    let err = build_error(root);
    assert!(err.contains("names a host without a scheme"), "{err}");
    // The "edit this page" link cannot be a script.
    std::fs::write(
        root.join("biji.yaml"),
        "repo_url: \"javascript:alert(1)\"\n",
    )
    .unwrap();
    let err = build_error(root);
    assert!(
        err.contains("biji.yaml:1: repo_url `javascript:alert(1)` must start with https://"),
        "{err}"
    );
}

/// A shared link shows the note's title and description (Open Graph), and
/// each page names its one address (canonical) when the site has a host;
/// the 404 page, served at every missing address, names none.
#[test]
fn pages_name_their_address_and_preview() {
    let site = site("publish/site");
    let out = build_at(site.path(), Some(BASE), false).unwrap();
    let page = read(&out, "python/装饰器/index.html");
    let url = format!("{BASE}python/{}/", enc("装饰器"));
    for tag in [
        format!("<link rel=\"canonical\" href=\"{url}\">"),
        format!("<meta property=\"og:url\" content=\"{url}\">"),
        "<meta property=\"og:site_name\" content=\"学习笔记 &amp; &lt;草稿本&gt;\">".to_string(),
        "<meta property=\"og:title\" content=\"装饰器\">".to_string(),
        "<meta property=\"og:type\" content=\"article\">".to_string(),
    ] {
        assert!(page.contains(&tag), "{tag}\n{page}");
    }
    let folder = read(&out, "数据-结构/index.html");
    assert!(
        folder.contains("<meta property=\"og:title\" content=\"数据 结构\">"),
        "{folder}"
    );
    assert!(folder.contains("<meta property=\"og:type\" content=\"website\">"));
    let home = read(&out, "index.html");
    assert!(
        home.contains(&format!("<link rel=\"canonical\" href=\"{BASE}\">")),
        "{home}"
    );
    assert!(home.contains("<meta property=\"og:description\" content=\"Notes on C++ &amp; Go\">"));
    let nf = read(&out, "404.html");
    assert!(!nf.contains("canonical") && !nf.contains("og:url"), "{nf}");
    // Without a host there is no absolute address to give.
    let out = build_at(site.path(), None, false).unwrap();
    let page = read(&out, "python/装饰器/index.html");
    assert!(
        !page.contains("canonical") && !page.contains("og:url"),
        "{page}"
    );
    assert!(page.contains("<meta property=\"og:title\" content=\"装饰器\">"));
}

/// Front matter as Hugo, Hexo, Jekyll and VuePress Theme Hope write it: a
/// date with a time shows its day (the whole value stays in `datetime`),
/// `lastmod` and `last_modified_at` are the updated day, and `categories`,
/// `category` and `tag` are topics as `tags` are.
#[test]
fn front_matter_of_other_tools_reads_as_theirs() {
    let site = common::site_with([
        (
            "hugo.md",
            "---\ntitle: Hugo\ndate: 2024-03-01T10:00:00+08:00\nlastmod: 2024-05-02T09:00:00+08:00\ncategories: [后端, Go]\n---\n\n正文\n",
        ),
        (
            "hexo.md",
            "---\ntitle: Hexo\ndate: 2021-03-04 10:20:30\nupdated: 2021-03-04 18:00:00\ntag: [Java]\ncategory: 数据库\n---\n\n正文\n",
        ),
        (
            "jekyll.md",
            "---\ntitle: Jekyll\nlast_modified_at: 2023-01-02\n---\n\n正文\n",
        ),
        // Jekyll's posts: the day from the file's name, the title from the
        // rest; `published: false` and a hexo-blog-encrypt password keep
        // a post out.
        ("_posts/2020-01-31-hello-jekyll.md", "正文\n"),
        ("_posts/2020-02-01-hidden.md", "---\npublished: false\n---\n\n正文\n"),
        ("_posts/2020-02-02-locked.md", "---\npassword: s3cret\n---\n\n秘密\n"),
        // Obsidian templates' day of the week after the date.
        (
            "obsidian.md",
            "---\ntitle: O\ndate: 2023年1月23日 星期一\nupdated: 2023-01-24 Tue\n---\n\n正文\n",
        ),
        // Hexo's nested categories, and a shape no tool means as topics:
        // the build goes on.
        (
            "nested.md",
            "---\ntitle: N\ncategories:\n  - [Diary, Games]\n  - Life\ntag: {a: 1}\n---\n\n正文\n",
        ),
    ]);
    let out = common::build(site.path());
    let hugo = common::read(&out, "hugo/index.html");
    assert!(
        hugo.contains("<time datetime=\"2024-03-01T10:00:00+08:00\">2024-03-01</time>"),
        "{hugo}"
    );
    assert!(
        hugo.contains("<time datetime=\"2024-05-02T09:00:00+08:00\">2024-05-02</time>"),
        "{hugo}"
    );
    assert!(hugo.contains("href=\"/topics/go/\">Go</a>"), "{hugo}");
    let hexo = common::read(&out, "hexo/index.html");
    // Updated on the day it was written: one day shown.
    assert_eq!(hexo.matches("<time datetime=").count(), 1, "{hexo}");
    assert!(hexo.contains(">2021-03-04</time>"), "{hexo}");
    for topic in ["java", "数据库", "diary", "games", "life"] {
        assert!(
            out.join("topics").join(topic).join("index.html").exists(),
            "{topic}"
        );
    }
    let jekyll_post = common::read(&out, "_posts/2020-01-31-hello-jekyll/index.html");
    assert!(
        jekyll_post.contains("<title>hello-jekyll · "),
        "{jekyll_post}"
    );
    assert!(
        jekyll_post.contains("<time datetime=\"2020-01-31\">2020-01-31</time>"),
        "{jekyll_post}"
    );
    assert!(!out.join("_posts/2020-02-01-hidden").exists());
    assert!(!out.join("_posts/2020-02-02-locked").exists());
    let obsidian = common::read(&out, "obsidian/index.html");
    assert!(
        obsidian.contains("<time datetime=\"2023-01-23\">2023-01-23</time>"),
        "{obsidian}"
    );
    assert!(
        obsidian.contains("<time datetime=\"2023-01-24\">2023-01-24</time>"),
        "{obsidian}"
    );
    let jekyll = common::read(&out, "jekyll/index.html");
    assert!(
        jekyll.contains("<time datetime=\"2023-01-02\">2023-01-02</time>"),
        "{jekyll}"
    );
    let home = common::read(&out, "index.html");
    assert!(
        home.contains("datetime=\"2024-05-02T09:00:00+08:00\">2024-05-02</time>"),
        "{home}"
    );
}

/// Dendron writes `created:` and `updated:` as Unix times in milliseconds
/// (every note of a vault failed the build), Foam and Obsidian templates
/// write `created:`: it is the date of a note without `date:`. A `created`
/// that is no date is another tool's business: a warning, not a failure.
#[test]
fn dendron_times_and_created_dates_are_read() {
    let site = common::site_with([
        (
            "cpp.Range.md",
            "---\nid: 8bbk5b2f0sa3v1k0q3yv1pk\ntitle: Range\nupdated: 1741540219539\ncreated: 1733076835880\n---\n\n正文\n",
        ),
        ("foam.md", "---\ncreated: 2022-01-16\n---\n\n# Foam\n\n正文\n"),
        ("both.md", "---\ndate: 2021-05-01\ncreated: 2020-01-01\n---\n\n# B\n"),
        ("odd.md", "---\ncreated: 上周\n---\n\n# Odd\n\n正文\n"),
    ]);
    let o = common::biji(site.path(), &["build"]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("notes/odd.md:2: `created: 上周` is not a date"),
        "{err}"
    );
    let out = site.path().join("public");
    let dendron = common::read(&out, "cpp.Range/index.html");
    for day in [
        "<time datetime=\"2024-12-01T18:13:55Z\">2024-12-01</time>",
        "<time datetime=\"2025-03-09T17:10:19Z\">2025-03-09</time>",
    ] {
        assert!(dendron.contains(day), "{day}\n{dendron}");
    }
    let foam = common::read(&out, "foam/index.html");
    assert!(foam.contains(">2022-01-16</time>"), "{foam}");
    let both = common::read(&out, "both/index.html");
    assert!(
        both.contains(">2021-05-01</time>") && !both.contains("2020-01-01"),
        "{both}"
    );
}

/// VitePress sites keep GitHub Pages' `CNAME` in their docs folder: it is
/// the site's domain, copied as written, unless `cname` names another.
#[test]
fn a_cname_file_in_the_notes_is_the_sites_domain() {
    let dir = common::site_with([("a.md", "# A\n"), ("CNAME", "cn.vitejs.dev\n")]);
    let o = common::biji(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let out = dir.path().join("public");
    assert_eq!(common::read(&out, "CNAME"), "cn.vitejs.dev\n");
    assert!(common::read(&out, "atom.xml").contains("<id>https://cn.vitejs.dev/</id>"));
    std::fs::write(dir.path().join("biji.yaml"), "cname: other.dev\n").unwrap();
    let err = common::build_error(dir.path());
    assert!(
        err.contains(
            "notes/CNAME: it names `cn.vitejs.dev`, but `cname` in biji.yaml is `other.dev`"
        ),
        "{err}"
    );
}
