//! Helpers the search tests share: the repository, the search fixtures,
//! Node, gzip, a build into a folder.
#![allow(dead_code)]

use biji::{BuildOptions, Highlighter};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn fixture(rel: &str) -> PathBuf {
    manifest().join("tests/fixtures/search").join(rel)
}

pub(crate) fn node(args: &[&Path]) -> String {
    let out = Command::new("node")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `node` ({e}): Node.js is required for the search tests")
        });
    assert!(
        out.status.success(),
        "node {:?} failed:\n{}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// An index file's bytes, inflated.
pub(crate) fn inflate(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes
}

/// An index file, inflated and decoded as the browser decodes it: a text
/// file (`search/s/`) as [`biji::testing::search_text`] says, the rest UTF-8.
pub(crate) fn gunzip(path: &Path) -> String {
    let bytes = inflate(path);
    match path.parent().is_some_and(|p| p.ends_with("search/s")) {
        true => biji::testing::search_text(&bytes),
        false => String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

/// Every text the search index of the site in `out` holds, inflated.
pub(crate) fn all_text(out: &Path) -> String {
    let mut all = String::new();
    for e in walkdir::WalkDir::new(out.join("search")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "gz") {
            all.push_str(&gunzip(e.path()));
        }
    }
    all
}

pub(crate) fn build(root: &Path, out: &Path, base_url: Option<&str>) {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        base_url: base_url.map(str::to_string),
        ..Default::default()
    };
    biji::build(&opts, &Highlighter::new()).unwrap_or_else(|e| panic!("build failed: {e:#}"));
}
