//! Code colours as a reader sees them, in headless Chromium: on every note of
//! the bundled notes that has code, every token is at least 4.5:1 against its
//! block's background, in light and dark mode (forced by the toggle, or
//! from the system), and plain and highlighted blocks share one background.

mod common;

use common::browser::{chromium, serve, Cdp};
use std::path::Path;

/// For the page's current mode: `[min ratio, worst "colour on bg (text)",
/// distinct block backgrounds]` over every element in a `pre` that holds
/// text of its own.
const MEASURE: &str = r#"(() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(c => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }).reduce((a, c, i) => a + c * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const bgOf = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  let min = 99, worst = '';
  const backgrounds = new Set();
  for (const pre of document.querySelectorAll('.content pre')) {
    const bg = bgOf(pre);
    backgrounds.add(bg.join());
    for (const el of [pre, ...pre.querySelectorAll('*')]) {
      const own = [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim());
      if (!own) continue;
      const fg = rgb(getComputedStyle(el).color);
      const r = ratio(fg.slice(0, 3), bg);
      if (r < min) { min = r; worst = `${fg} on ${bg} (${el.className}: ${el.textContent.slice(0, 30)})`; }
    }
  }
  return [min, worst, backgrounds.size];
})()"#;

/// Note pages under `out` with at least one code block, as URL paths.
fn pages_with_code(out: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        if e.file_name() != "index.html" {
            continue;
        }
        let html = std::fs::read_to_string(e.path()).unwrap();
        if html.contains("class=\"note") && html.contains("<pre") {
            let rel = e.path().parent().unwrap().strip_prefix(out).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            pages.push(format!("/{}/", common::enc(&rel)));
        }
    }
    pages.sort();
    pages
}

/// Checks every page with code in the three ways a mode is chosen.
fn check_site(config: &str) {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("notes"),
        &dir.path().join("notes"),
    );
    std::fs::write(dir.path().join("biji.yaml"), config).unwrap();
    let out = common::build(dir.path());
    let pages = pages_with_code(&out);
    assert!(pages.len() >= 10, "{pages:?}");
    let port = serve(out, "/");
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    let mut failures = Vec::new();
    for page in &pages {
        cdp.call(
            "Page.navigate",
            serde_json::json!({ "url": format!("http://127.0.0.1:{port}{page}") }),
        );
        cdp.wait_for(&format!(
            "location.pathname === '{page}' && document.readyState === 'complete'"
        ));
        for (mode, scheme, forced) in [
            ("light", "light", "light"),
            ("dark (toggle)", "light", "dark"),
            ("dark (system)", "dark", ""),
            ("light (toggle, system dark)", "dark", "light"),
        ] {
            cdp.call(
                "Emulation.setEmulatedMedia",
                serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
            );
            cdp.eval(&format!(
                "document.documentElement.dataset.theme = '{forced}'; \
                 if (!'{forced}') delete document.documentElement.dataset.theme; true"
            ));
            let m = cdp.eval(MEASURE);
            let (min, worst, bgs) = (m[0].as_f64().unwrap(), &m[1], &m[2]);
            if min < 4.5 || bgs != 1 {
                failures.push(format!(
                    "{page} {mode}: {min:.2}:1, {worst}; {bgs} backgrounds"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_code_token_is_readable_in_both_modes() {
    check_site("title: 笔记\n");
}

/// A pair not made together (GitHub has rules OneHalfDark lacks) neither
/// leaks light colours into dark mode nor falls below 4.5:1.
#[test]
fn an_unmatched_pair_does_not_leak_between_modes() {
    check_site("highlight_theme_light: GitHub\nhighlight_theme_dark: OneHalfDark\n");
}

/// Each token shows its theme's own colour: OneHalfLight's keyword purple in
/// light mode and on paper (even when the screen is dark), OneHalfDark's in
/// dark mode however it is chosen; plain text has the block's colour.
#[test]
fn tokens_show_the_theme_of_the_mode() {
    let Some(bin) = chromium() else { return };
    let dir = common::site_with([("a.md", "# A\n\n```python\ndef f():\n    return x\n```\n")]);
    let out = common::build(dir.path());
    let port = serve(out, "/");
    let (_browser, mut cdp) = Cdp::open(&bin, &dir.path().join("profile"), "about:blank", true);
    cdp.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("http://127.0.0.1:{port}/a/") }),
    );
    cdp.wait_for("location.pathname === '/a/' && document.readyState === 'complete'");
    const LIGHT: (&str, &str) = ("rgb(166, 38, 164)", "rgb(56, 58, 66)");
    const DARK: (&str, &str) = ("rgb(198, 120, 221)", "rgb(220, 223, 228)");
    for (media, scheme, forced, want) in [
        ("screen", "light", "", LIGHT),
        ("screen", "light", "dark", DARK),
        ("screen", "dark", "", DARK),
        ("screen", "dark", "light", LIGHT),
        ("print", "dark", "dark", LIGHT),
    ] {
        cdp.call(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "media": media,
                "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        let got = cdp.eval(&format!(
            "(() => {{ document.documentElement.dataset.theme = '{forced}'; \
             if (!'{forced}') delete document.documentElement.dataset.theme; \
             const code = document.querySelector('pre code'); \
             const def = [...code.querySelectorAll('span')].find(s => s.textContent.trim() === 'def'); \
             return [getComputedStyle(def).color, getComputedStyle(code).color].join(';') }})()"
        ));
        assert_eq!(
            got.as_str().unwrap_or_else(|| panic!("{got}")),
            format!("{};{}", want.0, want.1),
            "{media}, system {scheme}, toggle `{forced}`"
        );
    }
}
