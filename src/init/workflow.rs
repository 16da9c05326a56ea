//! The GitHub Actions workflow `biji init --github-pages` writes: build,
//! check and publish the site on GitHub Pages on every push.

use super::{Install, CACHE_DIR};
use anyhow::{bail, Result};

/// The workflow step that downloads biji's release binary for the runner,
/// checks it against the release's SHA-256 sums and puts it on the PATH. Its
/// `rev` output (the version) keys the build cache.
const RELEASE_INSTALL: &str = r#"      # biji's release binary for this runner, checked against the SHA-256 sums
      # published with it (no compiler needed). To upgrade, change BIJI_VERSION.
      - name: Install biji
        id: biji
        run: |
          case "$RUNNER_ARCH" in
            X64) target=x86_64-unknown-linux-musl ;;
            ARM64) target=aarch64-unknown-linux-musl ;;
            *) echo "::error::No biji release for $RUNNER_ARCH"; exit 1 ;;
          esac
          name="biji-$BIJI_VERSION-$target"
          cd "$RUNNER_TEMP" || exit 1
          curl -fsSL --fail-early --retry 3 -O "$BIJI_RELEASES/v$BIJI_VERSION/$name.tar.gz" \
            -O "$BIJI_RELEASES/v$BIJI_VERSION/SHA256SUMS"
          grep -F "  $name.tar.gz" SHA256SUMS > "$name.sha256" \
            || { echo "::error::$name.tar.gz is not in the release's SHA256SUMS"; exit 1; }
          sha256sum --check --strict "$name.sha256"
          tar -xzf "$name.tar.gz"
          echo "$RUNNER_TEMP/$name" >> "$GITHUB_PATH"
          echo "rev=$BIJI_VERSION" >> "$GITHUB_OUTPUT"
"#;

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
        uses: actions/cache@v5
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
        // Single quotes: the runner's shell expands `$` and `` ` `` inside double ones.
        format!(" --root '{}'", site_rel.replace('\'', r"'\''"))
    };
    let artifact = if site_rel.is_empty() {
        output_dir.to_string()
    } else {
        format!("{site_rel}/{output_dir}")
    };
    let (env, install_steps) = install_env(install);
    // Only a workflow that compiles biji needs Rust.
    let rust = match install {
        Install::Release(_) => "",
        _ => RUST_SETUP,
    };
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
        uses: actions/checkout@v5
        with:
          # The whole history: a note's "updated" day is its last commit's.
          fetch-depth: 0
      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v6
{rust}{install_steps}{cache_step}      # configure-pages knows the site's URL (project sub-path or custom domain).
      - name: Build
        run: biji build{root_arg} --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - name: Check links
        run: biji check{root_arg} --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - name: Upload
        uses: actions/upload-pages-artifact@v5
        with:
          path: {artifact}
          # The site's own hidden files: `.nojekyll`, and pictures notes
          # link to in folders such as `.assets/` (dropped by default).
          include-hidden-files: true

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - name: Deploy
        id: deployment
        uses: actions/deploy-pages@v5
"#
    )
}

/// The step that installs a Rust compiler, for `cargo install`.
const RUST_SETUP: &str = "      - name: Set up Rust
        run: rustup toolchain install stable --profile minimal && rustup default stable
";

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
        uses: actions/cache@v5
        with:
          path: {path}
          key: {prefix}${{{{ github.sha }}}}
          restore-keys: {prefix}
"#
    )
}

/// The workflow's `env:` block (biji's version and where its releases are,
/// or the Git URL it compiles from) and its install steps.
fn install_env(install: &Install) -> (String, &'static str) {
    match install {
        Install::Release(version) => {
            let releases = format!("{}/releases/download", env!("CARGO_PKG_REPOSITORY"));
            let env = format!(
                "\nenv:\n  # The biji release this workflow downloads (the one that wrote it).\n  \
                 BIJI_VERSION: \"{version}\"\n  BIJI_RELEASES: \"{releases}\"\n"
            );
            (env, RELEASE_INSTALL)
        }
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
