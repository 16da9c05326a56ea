//! What `--github-pages` learns from the repository around the site: where
//! the workflow must go, the branch it publishes, and how CI gets biji.

use super::workflow::check_git_url;
use super::Install;
use std::path::{Path, PathBuf};

/// Where the workflow goes and how it reaches the site: the repository root
/// holding `dir` (GitHub runs workflows only from the root's `.github/`), and
/// the site's path inside it.
pub(super) struct RepoLayout {
    pub(super) root: PathBuf,
    pub(super) site_rel: String,
    pub(super) branch: String,
}

pub(super) fn repo_layout(dir: &Path) -> RepoLayout {
    let abs = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let root = abs
        .ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf);
    match root {
        Some(root) => {
            let site_rel = crate::discover::rel_path(&root, &abs);
            let branch = published_branch(&root);
            RepoLayout {
                root,
                site_rel,
                branch,
            }
        }
        None => RepoLayout {
            root: abs,
            site_rel: String::new(),
            branch: "main".into(),
        },
    }
}

/// The branch whose pushes deploy: the remote's default branch when the
/// clone knows it (`origin/HEAD`; Pages' environment lets only that one
/// deploy), else the branch checked out, unless that is an old-style
/// `gh-pages` output branch; else `main`.
fn published_branch(root: &Path) -> String {
    let read = |file: &str, prefix: &str| {
        let text = std::fs::read_to_string(root.join(".git").join(file)).ok()?;
        let b = text.trim().strip_prefix(prefix)?.to_string();
        (!b.is_empty()).then_some(b)
    };
    read("refs/remotes/origin/HEAD", "ref: refs/remotes/origin/")
        .or_else(|| read("HEAD", "ref: refs/heads/").filter(|b| b != "gh-pages"))
        .unwrap_or_else(|| "main".into())
}

/// True when `repo` is biji's own source tree (its Cargo.toml's package is `biji`).
pub(super) fn is_biji_repo(repo: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(repo.join("Cargo.toml")) else {
        return false;
    };
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some((k, v)) = line.split_once('=') {
                if k.trim() == "name" {
                    return v.trim().trim_matches('"') == "biji";
                }
            }
        }
    }
    false
}

/// The Git URL this very biji was installed from by `cargo install --git`, read
/// from cargo's install record, so the site's CI builds the same biji.
fn installed_git_source() -> Option<String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let text = std::fs::read_to_string(home.join(".crates2.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("installs")?.as_object()?.keys().find_map(|k| {
        let rest = k.strip_prefix("biji ")?;
        let src = rest.split_once("(git+")?.1;
        let end = src.find(['?', '#', ')']).unwrap_or(src.len());
        Some(src[..end].to_string())
    })
}

/// How a workflow that compiles biji (`--from-source`) gets its source. An
/// explicit `--biji-git` wins; then biji's own repository builds itself;
/// else the source this biji was installed from, else the package's repository.
pub(super) fn choose_install(biji_git: Option<&str>, repo_root: &Path) -> Install {
    if let Some(u) = biji_git {
        Install::Git(Some(u.to_string()))
    } else if is_biji_repo(repo_root) {
        Install::Path
    } else {
        let url = installed_git_source()
            .filter(|u| check_git_url(u).is_ok())
            .or_else(|| Some(env!("CARGO_PKG_REPOSITORY").to_string()).filter(|r| !r.is_empty()));
        Install::Git(url)
    }
}
