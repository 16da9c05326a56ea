//! Tells `biji --version` which commit it was built from and that commit's
//! date, so a bug report names the exact source. From a Git checkout both
//! come from `git`; from the crates.io package (no `.git`) the commit comes
//! from the `.cargo_vcs_info.json` cargo writes into it, with no date; with
//! neither, the version line is the bare version.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&dir);
    // Only this package's own checkout: a crate unpacked inside some other
    // repository must not report that repository's commit.
    let info = if dir.join(".git").exists() {
        from_git(dir)
    } else {
        println!("cargo:rerun-if-changed=.cargo_vcs_info.json");
        from_vcs_info(dir)
    };
    println!(
        "cargo:rustc-env=BIJI_BUILD_INFO={}",
        info.unwrap_or_default()
    );
}

/// ` (abc123def 2026-12-05)`: the short commit and its committer date.
fn from_git(dir: &Path) -> Option<String> {
    // Rerun when HEAD moves: HEAD itself, the branch it names, packed refs.
    for path in ["HEAD", "packed-refs"] {
        watch(dir, path);
    }
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch(dir, &branch);
    }
    let commit = git(dir, &["rev-parse", "--short=9", "HEAD"])?;
    let date = git(dir, &["log", "-1", "--format=%cs", "HEAD"])?;
    Some(format!(" ({commit} {date})"))
}

/// ` (abc123def)` from the file `cargo package` records the commit in.
fn from_vcs_info(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    // {"git": {"sha1": "<40 hex>"}, ...}: read the one value without a JSON crate.
    let after = text.split("\"sha1\"").nth(1)?;
    let sha: String = after
        .chars()
        .skip_while(|c| !c.is_ascii_hexdigit())
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (sha.len() >= 9).then(|| format!(" ({})", &sha[..9]))
}

/// Reruns this script when the Git file `name` changes, if it exists (a
/// missing file would make cargo rerun it on every build).
fn watch(dir: &Path, name: &str) {
    if let Some(path) = git(dir, &["rev-parse", "--git-path", name]) {
        let path = dir.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

/// A git command's trimmed output, `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}
