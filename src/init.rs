//! `biji init`: creates a ready-to-build site (a welcome note and a commented
//! `biji.yaml` listing every option with its default), optionally a GitHub
//! Actions workflow that publishes it on GitHub Pages (`--github-pages`) and a
//! copy of the built-in theme to customise (`--theme`). It never overwrites a
//! file unless `--force`: it checks every file first and writes nothing if one
//! is in the way.

use crate::config::{Config, CONFIG_FILE};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// What `biji init` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// The site folder; created when missing.
    pub dir: PathBuf,
    /// Also write `.github/workflows/pages.yml`.
    pub github_pages: bool,
    /// Also copy the built-in templates and static files out for editing.
    pub theme: bool,
    /// Overwrite files that already exist.
    pub force: bool,
    /// Git URL the workflow installs biji from (`cargo install --git`).
    pub biji_git: Option<String>,
}

/// How the workflow installs biji.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Install {
    /// The site lives in biji's own repository: `cargo install --path .`
    /// builds exactly the checked-out biji, no second source to keep in step.
    Path,
    /// `cargo install --git URL`; `None` leaves a placeholder the user must set.
    Git(Option<String>),
}

/// What `biji init` did, for the CLI to print.
#[derive(Debug, Clone, Default)]
pub struct InitReport {
    /// Files created or overwritten.
    pub written: Vec<PathBuf>,
    /// `.gitignore` that got the output folder appended (not overwritten).
    pub gitignore_appended: Option<PathBuf>,
    /// Why the welcome note was not written, when it was not.
    pub skipped_welcome: Option<String>,
    /// An existing `biji.yaml` kept as it was (even with `--force`).
    pub kept_config: Option<PathBuf>,
    /// The workflow, when written, and how it installs biji.
    pub workflow: Option<(PathBuf, Install)>,
}

/// The workflow's path inside a repository.
pub const WORKFLOW: &str = ".github/workflows/pages.yml";
/// The welcome note `biji init` writes into `notes/`.
pub const WELCOME: &str = "welcome.md";

/// Each `biji.yaml` key with the comment above it and its default as YAML. A
/// unit test checks this lists exactly `config::KEYS` and parses to `Config::default()`.
const CONFIG_DOC: &[(&str, &str, &str)] = &[
    (
        "title",
        "Site title, shown in the header and the browser tab.",
        "\"笔记\"",
    ),
    (
        "description",
        "One line about the site, for search engines and the feed.",
        "\"\"",
    ),
    (
        "author",
        "Shown in the footer and as the feed's author.",
        "\"\"",
    ),
    (
        "language",
        "UI language of the theme: zh-CN or en.",
        "zh-CN",
    ),
    (
        "base_url",
        "Where the site is published, e.g. https://user.github.io/notes/. Its path\n\
         prefixes every URL; sitemap.xml and atom.xml are written only when it has\n\
         a host. `biji build --base-url URL` overrides it (the Pages workflow does).",
        "\"\"",
    ),
    (
        "notes_dir",
        "Folder with the Markdown notes; subfolders become sections.",
        "notes",
    ),
    (
        "output_dir",
        "Where `biji build` writes the site.",
        "public",
    ),
    (
        "highlight_theme_light",
        "Code highlighting theme in light mode.",
        "GitHub",
    ),
    (
        "highlight_theme_dark",
        "Code highlighting theme in dark mode.",
        "OneHalfDark",
    ),
    (
        "links",
        "A link to a missing note or heading: error (stop the build) or warn.",
        "error",
    ),
    (
        "recent_count",
        "How many recently updated notes the home page lists and atom.xml carries.",
        "20",
    ),
    (
        "cname",
        "Custom domain for GitHub Pages (notes.example.com): written to a CNAME\n\
         file in the output. Empty: none.",
        "\"\"",
    ),
    (
        "search",
        "Offline full-text search (an index under search/, a box in the header).",
        "true",
    ),
    (
        "git_dates",
        "A note's \"updated\" day, unless its front matter sets one: the day of its\n\
         last Git commit (a fresh clone gives every file the same time), or of its\n\
         file when it has changes not yet committed. false: file times only.",
        "true",
    ),
    (
        "markdown",
        "Markdown beyond GitHub's, as Typora and Obsidian write it; each can be\n\
         switched off. math: $x$, $$x$$ and ```math as MathML. diagrams: ```mermaid.\n\
         highlight: ==marked==. sup_sub: x^2^, H~2~O. toc: [TOC] on its own line.\n\
         comments: %%hidden%%. callouts: > [!tip] title. embeds: ![[note]].\n\
         inline_tags: #tag in the text is a tag (off: C# and #1 are common in prose).",
        "\n  math: true\n  diagrams: true\n  highlight: true\n  sup_sub: true\n  toc: true\n  comments: true\n  callouts: true\n  embeds: true\n  inline_tags: false",
    ),
    (
        "repo_url",
        "The site's repository, e.g. https://github.com/you/notes: every note then\n\
         links to its source there (\"edit this page\").",
        "\"\"",
    ),
    (
        "repo_branch",
        "The branch that link opens.",
        "main",
    ),
    (
        "html",
        "Raw HTML in notes. safe: shown as GitHub shows it (no scripts, event\n\
         handlers or javascript: links; the rest, such as <div align>, <img width>\n\
         and <details>, stays). trusted: passed as written.",
        "safe",
    ),
];

/// The commented `biji.yaml` that `init` writes: every key, set to its default.
pub fn config_text() -> String {
    let mut s = String::from(
        "# biji site configuration. Every key is optional; the values below are the\n\
         # defaults, so delete what you do not change.\n",
    );
    for (key, doc, value) in CONFIG_DOC {
        s.push('\n');
        for line in doc.lines() {
            s.push_str(&format!("# {line}\n"));
        }
        // A section's value starts on the next line.
        let sep = if value.starts_with('\n') { "" } else { " " };
        s.push_str(&format!("{key}:{sep}{value}\n"));
    }
    s
}

fn welcome_note(today: &str) -> String {
    format!(
        r#"---
title: 欢迎使用 biji
date: {today}
tags: [biji]
---

# 欢迎使用 biji

这是 `biji init` 创建的第一篇笔记，放在 `notes/` 文件夹里。每个 Markdown 文件是一篇笔记，子文件夹就是目录。改写或删掉这篇，再添加你自己的笔记。

## 常用命令

```sh
biji build      # 生成网站到 public/
biji check      # 检查网站里每个内部链接和锚点
```

## 写笔记

- 开头的 `---` 之间是 front matter：`title`、`date`、`updated`、`tags`、`description`，以及 `draft: true`（草稿不会发布，`biji build --drafts` 可以预览）。
- 链接到别的笔记：写相对路径 `[装饰器](python/装饰器.md)`，或 wikilink `[[装饰器]]`；链接到标题：`[装饰器](python/装饰器.md#用法)`。失效的链接会在构建时报出文件和行号。
- 图片等文件放在笔记旁边，用相对路径引用：`![示意图](images/diagram.png)`。

设置项都在 `biji.yaml` 里，每一项都有注释和默认值。
"#
    )
}

/// Where the workflow goes and how it reaches the site: the repository root
/// holding `dir` (GitHub runs workflows only from the root's `.github/`), and
/// the site's path inside it.
struct RepoLayout {
    root: PathBuf,
    site_rel: String,
    branch: String,
}

fn repo_layout(dir: &Path) -> RepoLayout {
    let abs = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let root = abs
        .ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf);
    match root {
        Some(root) => {
            let site_rel = abs
                .strip_prefix(&root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let branch = std::fs::read_to_string(root.join(".git/HEAD"))
                .ok()
                .and_then(|h| {
                    h.trim()
                        .strip_prefix("ref: refs/heads/")
                        .map(str::to_string)
                })
                .filter(|b| !b.is_empty())
                .unwrap_or_else(|| "main".into());
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

/// True when `repo` is biji's own source tree (its Cargo.toml's package is `biji`).
fn is_biji_repo(repo: &Path) -> bool {
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

/// Workflow steps that install biji in a repository that is biji's own source.
const PATH_INSTALL: &str = r#"      # This repository is biji's own source: build exactly this checkout.
      - name: Install biji
        run: cargo install --path . --locked
"#;

/// Workflow steps that install biji from `$BIJI_GIT`, cached per biji commit so
/// that only a new biji commit costs a compile.
const GIT_INSTALL: &str = r#"      - name: Find biji's commit
        id: biji
        run: |
          if [ -z "$BIJI_GIT" ]; then
            echo "::error file=.github/workflows/pages.yml::Set BIJI_GIT to the Git URL of biji"
            exit 1
          fi
          rev="$(git ls-remote "$BIJI_GIT" HEAD | cut -f1)"
          if [ -z "$rev" ]; then
            echo "::error::Cannot read $BIJI_GIT; is BIJI_GIT a Git URL?"
            exit 1
          fi
          echo "rev=$rev" >> "$GITHUB_OUTPUT"
      - name: Cache biji
        id: cache
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/biji
          key: biji-${{ runner.os }}-${{ steps.biji.outputs.rev }}
      - name: Install biji
        if: steps.cache.outputs.cache-hit != 'true'
        run: cargo install --locked --git "$BIJI_GIT" --rev "${{ steps.biji.outputs.rev }}" biji
"#;

/// The GitHub Actions workflow. `site_rel` is the site folder inside the
/// repository ("" for the root), `output_dir` the site's output folder.
pub fn workflow_text(install: &Install, site_rel: &str, output_dir: &str, branch: &str) -> String {
    let root_arg = if site_rel.is_empty() {
        String::new()
    } else {
        format!(" --root \"{site_rel}\"")
    };
    let artifact = if site_rel.is_empty() {
        output_dir.to_string()
    } else {
        format!("{site_rel}/{output_dir}")
    };
    let (env, install_steps) = match install {
        Install::Path => (String::new(), PATH_INSTALL),
        Install::Git(url) => {
            let hint = if url.is_none() {
                "; set it, e.g. https://github.com/OWNER/biji"
            } else {
                ""
            };
            let url = url.as_deref().unwrap_or("");
            let env = format!(
                "\nenv:\n  # Git repository that `cargo install` builds biji from{hint}.\n  BIJI_GIT: \"{url}\"\n"
            );
            (env, GIT_INSTALL)
        }
    };
    format!(
        r#"# Builds the biji site and publishes it on GitHub Pages on every push to
# `{branch}`. One-time setup: in the repository's Settings -> Pages, set
# "Build and deployment" -> "Source" to "GitHub Actions".
name: Publish to GitHub Pages

on:
  push:
    branches: [{branch}]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a newer push waits instead of cancelling a deploy.
concurrency:
  group: pages
  cancel-in-progress: false
{env}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out
        uses: actions/checkout@v4
        with:
          # The whole history: a note's "updated" day is its last commit's.
          fetch-depth: 0
      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v5
      - name: Set up Rust
        run: rustup toolchain install stable --profile minimal && rustup default stable
{install_steps}      # configure-pages knows the site's URL (project sub-path or custom domain).
      - name: Build
        run: biji build{root_arg} --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - name: Check links
        run: biji check{root_arg} --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - name: Upload
        uses: actions/upload-pages-artifact@v3
        with:
          path: {artifact}

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - name: Deploy
        id: deployment
        uses: actions/deploy-pages@v4
"#
    )
}

/// `--biji-git` goes into the workflow's YAML and a shell command: refuse what
/// could break either.
fn check_git_url(url: &str) -> Result<()> {
    if url.is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\\' | '$' | '`'))
    {
        bail!("--biji-git `{url}` is not a Git URL (e.g. https://github.com/OWNER/biji)");
    }
    Ok(())
}

/// A file init means to write.
struct Planned {
    path: PathBuf,
    bytes: Vec<u8>,
}

/// Creates the site. Checks every target first: with an existing file and no
/// `force`, nothing is written and the error lists what is in the way.
pub fn init(opts: &InitOptions) -> Result<InitReport> {
    let dir = &opts.dir;
    if let Some(u) = &opts.biji_git {
        check_git_url(u)?;
    }
    if dir.is_file() {
        bail!(
            "`{}` is a file; give a folder for the new site",
            dir.display()
        );
    }
    let existing_cfg = dir.join(CONFIG_FILE);
    // In a site that already exists, `--theme`/`--github-pages` add just their files.
    let adding_only = existing_cfg.is_file() && (opts.theme || opts.github_pages);
    let cfg = if existing_cfg.is_file() {
        Config::load(dir)?
    } else {
        Config::default()
    };
    let mut plan: Vec<Planned> = Vec::new();
    let mut report = InitReport::default();
    let mut gitignore = None;
    if !adding_only {
        // `--force` replaces files biji made, never the user's settings: a
        // reset biji.yaml would point at another notes folder than the one
        // the welcome note goes into.
        plan.push(Planned {
            path: existing_cfg.clone(),
            bytes: config_text().into_bytes(),
        });
        let notes = dir.join(&cfg.notes_dir);
        if has_markdown(&notes) {
            report.skipped_welcome = Some(format!(
                "`{}` already has notes; no welcome note added",
                notes.display()
            ));
        } else {
            let today = crate::site::day_of(std::time::SystemTime::now());
            plan.push(Planned {
                path: notes.join(WELCOME),
                bytes: welcome_note(&today).into_bytes(),
            });
        }
        gitignore = Some(dir.join(".gitignore"));
    }
    if opts.theme {
        for (rel, bytes) in crate::templates::embedded_theme() {
            plan.push(Planned {
                path: dir.join(rel),
                bytes: bytes.to_vec(),
            });
        }
    }
    if opts.github_pages {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
        let layout = repo_layout(dir);
        // An explicit --biji-git wins; then biji's own repository builds itself;
        // else the source this biji was installed from, else the package's repository.
        let install = if let Some(u) = &opts.biji_git {
            Install::Git(Some(u.clone()))
        } else if is_biji_repo(&layout.root) {
            Install::Path
        } else {
            let url = installed_git_source()
                .filter(|u| check_git_url(u).is_ok())
                .or_else(|| {
                    Some(env!("CARGO_PKG_REPOSITORY").to_string()).filter(|r| !r.is_empty())
                });
            Install::Git(url)
        };
        let output = cfg.output_dir.to_string_lossy().replace('\\', "/");
        let text = workflow_text(
            &install,
            &layout.site_rel,
            output.trim_end_matches('/'),
            &layout.branch,
        );
        // Shown as the user named the folder when the site is the repository root.
        let path = if layout.site_rel.is_empty() {
            dir.join(WORKFLOW)
        } else {
            layout.root.join(WORKFLOW)
        };
        plan.push(Planned {
            path: path.clone(),
            bytes: text.into_bytes(),
        });
        report.workflow = Some((path, install));
    }
    let in_the_way: Vec<String> = plan
        .iter()
        .filter(|p| p.path.exists())
        .map(|p| format!("  {}", p.path.display()))
        .collect();
    if !in_the_way.is_empty() && !opts.force {
        bail!(
            "refusing to overwrite {} existing file(s) (nothing was written; pass --force to overwrite):\n{}",
            in_the_way.len(),
            in_the_way.join("\n")
        );
    }
    for p in &plan {
        if p.path == existing_cfg && existing_cfg.is_file() {
            report.kept_config = Some(existing_cfg.clone());
            continue;
        }
        if let Some(parent) = p.path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        std::fs::write(&p.path, &p.bytes)
            .with_context(|| format!("cannot write `{}`", p.path.display()))?;
        report.written.push(p.path.clone());
    }
    if let Some(path) = gitignore {
        let output = cfg.output_dir.to_string_lossy().replace('\\', "/");
        if ignore_output(&path, output.trim_end_matches('/'))? {
            report.gitignore_appended = Some(path);
        }
    }
    Ok(report)
}

/// Adds `/OUTPUT/` to `.gitignore` (creating it) unless a line already ignores
/// it: the build output is made by CI and should not be committed. Appending
/// keeps the user's own lines, so this is no overwrite.
fn ignore_output(path: &Path, output: &str) -> Result<bool> {
    let current = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let already = current.lines().map(str::trim).any(|l| {
        let l = l.trim_start_matches('/').trim_end_matches('/');
        l == output
    });
    if already {
        return Ok(false);
    }
    let mut text = current;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "# biji's build output (published by CI, not committed)\n/{output}/\n"
    ));
    std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(true)
}

fn has_markdown(dir: &Path) -> bool {
    dir.is_dir()
        && walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .any(|e| e.file_type().is_file() && crate::discover::is_markdown(e.path()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::KEYS;

    #[test]
    fn config_lists_every_key_with_its_default() {
        let text = config_text();
        let parsed =
            Config::parse(&text, Path::new("biji.yaml")).expect("generated biji.yaml parses");
        assert_eq!(
            format!("{parsed:?}"),
            format!("{:?}", Config::default()),
            "a value in init.rs CONFIG_DOC is not the key's default"
        );
        for key in KEYS {
            assert!(
                text.lines()
                    .any(|l| l.starts_with(&format!("{key}: ")) || l == format!("{key}:")),
                "config key `{key}` is missing from the biji.yaml `biji init` writes; add it to CONFIG_DOC in src/init.rs"
            );
        }
        let documented: Vec<&str> = CONFIG_DOC.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(
            documented, KEYS,
            "CONFIG_DOC in src/init.rs must list config::KEYS in order"
        );
    }

    #[test]
    fn workflow_installs_as_chosen() {
        let git = workflow_text(
            &Install::Git(Some("https://x.io/biji".into())),
            "",
            "public",
            "main",
        );
        assert!(git.contains("BIJI_GIT: \"https://x.io/biji\""), "{git}");
        assert!(git.contains(
            "cargo install --locked --git \"$BIJI_GIT\" --rev \"${{ steps.biji.outputs.rev }}\" biji"
        ));
        assert!(git.contains("path: public\n"));
        let unset = workflow_text(&Install::Git(None), "", "public", "main");
        assert!(
            unset.contains("BIJI_GIT: \"\"") && unset.contains("Set BIJI_GIT"),
            "{unset}"
        );
        let path = workflow_text(&Install::Path, "site", "out", "master");
        assert!(path.contains("cargo install --path . --locked"));
        assert!(!path.contains("BIJI_GIT"));
        assert!(
            path.contains(
                "biji build --root \"site\" --base-url \"${{ steps.pages.outputs.base_url }}/\""
            ),
            "{path}"
        );
        assert!(path.contains("path: site/out\n"));
        assert!(path.contains("branches: [master]"));
    }

    #[test]
    fn finds_biji_repo() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("Cargo.toml"), "[package]\nname = \"biji\"\n").unwrap();
        assert!(is_biji_repo(d.path()));
        std::fs::write(
            d.path().join("Cargo.toml"),
            "[package]\nname = \"other\"\n[dependencies]\nbiji = \"1\"\n",
        )
        .unwrap();
        assert!(!is_biji_repo(d.path()));
    }

    #[test]
    fn gitignore_is_appended_once() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(".gitignore");
        std::fs::write(&p, "target").unwrap();
        assert!(ignore_output(&p, "public").unwrap());
        assert!(!ignore_output(&p, "public").unwrap());
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(
            text.starts_with("target\n") && text.ends_with("/public/\n"),
            "{text}"
        );
    }
}
