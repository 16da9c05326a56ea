//! The files `biji init` writes. They are all planned before any is written,
//! so a file in the way stops init with nothing changed.

use super::repository::{choose_install, repo_layout};
use super::welcome::welcome_note;
use super::workflow::workflow_text;
use super::{output_folder, InitOptions, InitReport, Install, WELCOME, WORKFLOW};
use crate::config::Config;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// A file init means to write.
pub(super) struct Planned {
    path: PathBuf,
    pub(super) bytes: Vec<u8>,
}

/// `biji.yaml` and, unless the notes folder already has notes, the welcome note.
pub(super) fn site_files(
    dir: &Path,
    cfg: &Config,
    config_path: &Path,
    report: &mut InitReport,
) -> Vec<Planned> {
    // `--force` replaces files biji made, never the user's settings: a
    // reset biji.yaml would point at another notes folder than the one
    // the welcome note goes into.
    let notes = dir.join(&cfg.notes_dir);
    let mut text = super::config_text();
    // A book's lines join (see `model::book_breaks`); the file says so.
    if crate::site::TOC_NAMES
        .iter()
        .any(|f| notes.join(f).is_file())
    {
        text = text.replace("\n  breaks: true\n", "\n  breaks: false\n");
    }
    let mut plan = vec![Planned {
        path: config_path.to_path_buf(),
        bytes: text.into_bytes(),
    }];
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
    plan
}

/// The built-in templates and static files, copied out for editing.
pub(super) fn theme_files(dir: &Path) -> Vec<Planned> {
    crate::templates::embedded_theme()
        .into_iter()
        .map(|(rel, bytes)| Planned {
            path: dir.join(rel),
            bytes: bytes.to_vec(),
        })
        .collect()
}

/// The GitHub Pages workflow, placed at the root of the repository that holds
/// the site (GitHub reads workflows from nowhere else).
pub(super) fn workflow_file(
    opts: &InitOptions,
    cfg: &Config,
    report: &mut InitReport,
) -> Result<Planned> {
    let dir = &opts.dir;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let layout = repo_layout(dir);
    let install = if opts.from_source || opts.biji_git.is_some() {
        choose_install(opts.biji_git.as_deref(), &layout.root)
    } else {
        Install::Release(env!("CARGO_PKG_VERSION").to_string())
    };
    let text = workflow_text(
        &install,
        &layout.site_rel,
        &output_folder(cfg),
        &layout.branch,
    );
    // Shown as the user named the folder when the site is the repository root.
    let path = if layout.site_rel.is_empty() {
        dir.join(WORKFLOW)
    } else {
        layout.root.join(WORKFLOW)
    };
    report.workflow = Some((path.clone(), install));
    report.other_pages_workflows = pages_workflows(&layout.root.join(".github/workflows"))
        .into_iter()
        .filter(|w| w.file_name() != path.file_name())
        .collect();
    Ok(Planned {
        path,
        bytes: text.into_bytes(),
    })
}

/// Without `force`, any planned file that exists stops init before it writes.
pub(super) fn refuse_overwrite(plan: &[Planned], config_path: &Path, force: bool) -> Result<()> {
    // An existing biji.yaml is kept, never in the way.
    let in_the_way: Vec<String> = plan
        .iter()
        .filter(|p| p.path.exists() && !(p.path == config_path && config_path.is_file()))
        .map(|p| format!("  {}", p.path.display()))
        .collect();
    if !in_the_way.is_empty() && !force {
        bail!(
            "refusing to overwrite {} existing file(s) (nothing was written; pass --force to overwrite them):\n{}",
            in_the_way.len(),
            in_the_way.join("\n")
        );
    }
    Ok(())
}

/// Writes the plan, keeping an existing `config_path` as it is.
pub(super) fn write_all(
    plan: &[Planned],
    config_path: &Path,
    report: &mut InitReport,
) -> Result<()> {
    for p in plan {
        if p.path == config_path && config_path.is_file() {
            report.kept_config = Some(config_path.to_path_buf());
            continue;
        }
        if let Some(parent) = p.path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        let existed = p.path.exists();
        std::fs::write(&p.path, &p.bytes)
            .with_context(|| format!("cannot write `{}`", p.path.display()))?;
        match existed {
            true => report.replaced.push(p.path.clone()),
            false => report.written.push(p.path.clone()),
        }
    }
    Ok(())
}

/// The workflows in `dir` that deploy to GitHub Pages (by the actions that
/// do it), in name order.
fn pages_workflows(dir: &Path) -> Vec<std::path::PathBuf> {
    const DEPLOYERS: &[&str] = &[
        "actions/deploy-pages",
        "peaceiris/actions-gh-pages",
        "JamesIves/github-pages-deploy-action",
    ];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| DEPLOYERS.iter().any(|d| t.contains(d)))
        })
        .collect();
    found.sort();
    found
}

fn has_markdown(dir: &Path) -> bool {
    dir.is_dir()
        && walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .any(|e| e.file_type().is_file() && crate::discover::is_markdown(e.path()))
}
