//! `biji init`: creates a ready-to-build site (a welcome note and a commented
//! `biji.yaml` listing every option with its default), optionally a GitHub
//! Actions workflow that publishes it on GitHub Pages (`--github-pages`) and a
//! copy of the built-in theme to customise (`--theme`). It never overwrites a
//! file unless `--force`: it checks every file first and writes nothing if one
//! is in the way.

mod config_yaml;
mod gitignore;
mod repository;
mod scaffold;
#[cfg(test)]
mod tests;
mod welcome;
mod workflow;

pub use config_yaml::config_text;
pub use workflow::workflow_text;

use crate::config::{Config, CONFIG_FILE};
use anyhow::{bail, Result};
use gitignore::ignore_folders;
use std::path::PathBuf;
use workflow::check_git_url;

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
    /// Git URL the workflow installs biji from (`cargo install --git`);
    /// implies `from_source`.
    pub biji_git: Option<String>,
    /// The workflow compiles biji instead of downloading the release binary.
    pub from_source: bool,
}

/// How the workflow installs biji.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Install {
    /// Downloads this version's release archive for the runner and checks it
    /// against the release's SHA-256 sums: no compiler, seconds instead of
    /// minutes on a cold cache.
    Release(String),
    /// The site lives in biji's own repository: `cargo install --path .`
    /// builds exactly the checked-out biji, no second source to keep in step.
    Path,
    /// `cargo install --git URL`; `None` leaves a placeholder the user must set.
    Git(Option<String>),
}

/// What `biji init` did, for the CLI to print.
#[derive(Debug, Clone, Default)]
pub struct InitReport {
    /// Files created.
    pub written: Vec<PathBuf>,
    /// Files that existed and were overwritten (`--force`).
    pub replaced: Vec<PathBuf>,
    /// Other workflows of the repository that deploy to GitHub Pages: each
    /// run of one replaces the site the other published.
    pub other_pages_workflows: Vec<PathBuf>,
    /// `.gitignore` that got the output or cache folder appended (not overwritten).
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
// The build cache's folder in the site root: Git and CI must treat it as
// local (it is only valid for the biji binary that wrote it).
use crate::cache::DIR as CACHE_DIR;

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
    let mut plan = Vec::new();
    let mut report = InitReport::default();
    let mut gitignore = None;
    if !adding_only {
        plan.extend(scaffold::site_files(dir, &cfg, &existing_cfg, &mut report));
        gitignore = Some(dir.join(".gitignore"));
    }
    if opts.theme {
        plan.extend(scaffold::theme_files(dir));
    }
    if opts.github_pages {
        plan.push(scaffold::workflow_file(opts, &cfg, &mut report)?);
    }
    scaffold::refuse_overwrite(&plan, &existing_cfg, opts.force)?;
    scaffold::write_all(&plan, &existing_cfg, &mut report)?;
    if let Some(path) = gitignore {
        let output = output_folder(&cfg);
        let folders = [
            (
                output.as_str(),
                "biji's build output (published by CI, not committed)",
            ),
            (
                CACHE_DIR,
                "biji's build cache (valid only for the biji version that wrote it)",
            ),
        ];
        if ignore_folders(&path, &folders)? {
            report.gitignore_appended = Some(path);
        }
    }
    Ok(report)
}

/// The output folder as the workflow and `.gitignore` name it: `/`-separated,
/// no trailing `/`.
fn output_folder(cfg: &Config) -> String {
    let output = cfg.output_dir.to_string_lossy().replace('\\', "/");
    output.trim_end_matches('/').to_string()
}
