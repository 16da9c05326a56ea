//! The GitHub Actions workflow `biji init --github-pages` writes: build,
//! check and publish the site on GitHub Pages on every push.

use super::{Install, CACHE_DIR};
use anyhow::{bail, Result};

/// Workflow steps that install biji in a repository that is biji's own source.
/// Their `rev` output keys the build cache, as the Git install's commit does.
const PATH_INSTALL: &str = r#"      # This repository is biji's own source: build exactly this checkout.
      - name: Install biji
        run: cargo install --path . --locked
      # Any commit may change biji here: the binary's hash stands for its version.
      - name: Find biji's version
        id: biji
        run: echo "rev=$(sha256sum "$(command -v biji)" | cut -c1-16)" >> "$GITHUB_OUTPUT"
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
    let (env, install_steps) = install_env(install);
    let cache_step = cache_step(site_rel);
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
{install_steps}{cache_step}      # configure-pages knows the site's URL (project sub-path or custom domain).
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

/// The step that restores the site's build cache before `biji build` and saves
/// it after the job. Its key holds biji's version (`steps.biji.outputs.rev`,
/// set by the install steps) so no other biji's cache is ever restored, and
/// the commit, so every run saves a fresh cache that the next run restores.
fn cache_step(site_rel: &str) -> String {
    let path = if site_rel.is_empty() {
        CACHE_DIR.to_string()
    } else {
        format!("{site_rel}/{CACHE_DIR}")
    };
    let prefix = "biji-cache-${{ runner.os }}-${{ steps.biji.outputs.rev }}-";
    format!(
        r#"      # The build cache makes `biji build` incremental. It is only valid for
      # the biji that wrote it, hence biji's version in the key; each run restores
      # the newest cache of that version and saves its own.
      - name: Cache the build
        uses: actions/cache@v4
        with:
          path: {path}
          key: {prefix}${{{{ github.sha }}}}
          restore-keys: {prefix}
"#
    )
}

/// The workflow's `env:` block (empty unless biji comes from Git) and its
/// install steps.
fn install_env(install: &Install) -> (String, &'static str) {
    match install {
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
    }
}

/// `--biji-git` goes into the workflow's YAML and a shell command: refuse what
/// could break either.
pub(super) fn check_git_url(url: &str) -> Result<()> {
    if url.is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\\' | '$' | '`'))
    {
        bail!("--biji-git `{url}` is not a Git URL (e.g. https://github.com/OWNER/biji)");
    }
    Ok(())
}
