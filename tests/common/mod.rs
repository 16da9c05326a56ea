//! Shared helpers for the integration tests: copy a fixture site into a temp
//! dir, build it, read pages back.
#![allow(dead_code)]

pub(crate) mod browser;
pub(crate) mod search;

use std::path::{Path, PathBuf};
use std::process::Output;

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A fixture copied into a fresh temp dir (so tests may edit it).
pub(crate) fn site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

/// A site in a fresh temp dir whose `notes/` holds `notes`: (path under
/// notes/, text) pairs; folders are made as needed.
pub(crate) fn site_with<P: AsRef<str>, T: AsRef<str>>(
    notes: impl IntoIterator<Item = (P, T)>,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("notes");
    std::fs::create_dir_all(&root).unwrap();
    for (rel, text) in notes {
        let file = root.join(rel.as_ref());
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text.as_ref()).unwrap();
    }
    dir
}

/// A site of 3,000 notes: enough that a build is still writing when a test
/// interrupts it.
pub(crate) fn slow_site() -> tempfile::TempDir {
    let body = format!(
        "# 笔记\n\n{}\n\n```python\nprint('x')\n```\n",
        "内容。".repeat(200)
    );
    site_with((0..3000).map(|i| (format!("d{}/n{i}.md", i % 30), body.clone())))
}

/// Sends `signal` (`-INT`, `-TERM`) to a running biji and checks that it
/// ends as an interrupted run must: exit code 130, and quietly (the errors
/// of workers whose folder went away are not the notes').
#[cfg(unix)]
pub(crate) fn interrupt_quietly(child: std::process::Child, signal: &str) {
    let kill = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(!err.contains("error"), "{err}");
}

/// Runs the real binary in `root` with `args`.
pub(crate) fn biji(root: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_biji"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run biji")
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `biji build` in `root`, which must fail with a message and not a
/// panic; returns what it printed on stderr.
pub(crate) fn build_error(root: &Path) -> String {
    let o = biji(root, &["build"]);
    let err = stderr(&o);
    assert!(!o.status.success(), "the build should fail: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// Builds `root` with the library into `root/public`, panicking with the error.
pub(crate) fn build(root: &Path) -> PathBuf {
    let opts = biji::BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    let hl = biji::Highlighter::new();
    biji::build(&opts, &hl).unwrap_or_else(|e| panic!("build failed: {e:#}"));
    root.join("public")
}

pub(crate) fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

/// Percent-encodes a site path the way biji emits it (for asserting hrefs).
pub(crate) fn enc(path: &str) -> String {
    biji::testing::encode_path(path)
}

/// Every file under `dir` (by path under it) with its bytes and modification
/// time: to prove an output did not change, or kept its files as they were.
pub(crate) fn tree(
    dir: &Path,
) -> std::collections::BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().into_owned();
            let bytes = std::fs::read(e.path()).unwrap();
            (rel, (bytes, e.metadata().unwrap().modified().unwrap()))
        })
        .collect()
}

/// Runs `queries` through the site's own `static/search.js` under Node
/// (`tests/fixtures/search/query.js`, serving `site` under `base`), with the
/// runner's `extra` flags; one JSON object per query.
pub(crate) fn search_queries(
    site: &Path,
    base: &str,
    queries: &[&str],
    extra: &[&str],
) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("queries.json");
    std::fs::write(&list, serde_json::to_string(queries).unwrap()).unwrap();
    let out = std::process::Command::new("node")
        .arg(fixture("search/query.js"))
        .arg(site)
        .arg(base)
        .arg(&list)
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}): Node.js is required"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
