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

/// An index file, inflated and decoded as the browser decodes it: a text
/// file (`search/s/`) is GB18030 unless it starts with UTF-8's byte order
/// mark, the rest UTF-8.
pub(crate) fn gunzip(path: &Path) -> String {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text_file = path.parent().is_some_and(|p| p.ends_with("search/s"));
    match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(utf8) => String::from_utf8(utf8.to_vec()).unwrap(),
        None if text_file => {
            let (text, _, errors) = encoding_rs::GB18030.decode(&bytes);
            assert!(!errors, "{}", path.display());
            text.into_owned()
        }
        None => String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
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
