//! The command line's arguments (clap's derive), and what is generated from
//! them: shell completions and the man page (`extras.rs`).

pub(crate) mod check;
mod extras;

pub(crate) use extras::{write_completions, write_man};

use biji::BuildOptions;
use clap::{ArgAction, Args, Parser, Subcommand};
use clap_complete::Shell;
use std::path::PathBuf;

/// `biji --version`: the version, then the commit and its date when the
/// build knew them (build.rs), like `biji 0.1.0 (a25aeca01 2026-12-05)`.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), env!("BIJI_BUILD_INFO"));

#[derive(Parser)]
#[command(
    name = "biji",
    version = VERSION,
    about = "笔记 — turn a folder of Markdown notes into a fast, searchable website"
)]
pub(crate) struct Cli {
    /// More log output (-v: debug, -vv: trace).
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub(crate) verbose: u8,
    /// Only errors.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder (default `public/`).
    Build(SiteArgs),
    /// Create a new site: notes/ with a welcome note and a commented biji.yaml.
    Init(InitArgs),
    /// Build into a temporary folder and verify every internal link, asset and
    /// anchor in the output; list external links by domain (not fetched).
    Check(SiteArgs),
    /// Start a note: `biji new python/协程` writes notes/python/协程.md with
    /// today's date and a title heading (never over an existing file).
    New(NewArgs),
    /// Build, serve on 127.0.0.1, rebuild on every change and reload the browser.
    ///
    /// Pages are served from `.biji-cache/serve/`, kept for the next start
    /// (with --no-cache, from a private temporary folder; not `public/`: they
    /// carry the live-reload script), unless `-o` names a folder.
    Serve(ServeArgs),
    /// Print a shell completion script: `biji completions bash > ~/.local/share/bash-completion/completions/biji`.
    Completions {
        /// The shell to complete in.
        shell: Shell,
    },
    /// Print biji's man page (roff): `biji man > biji.1`.
    Man,
}

#[derive(Args, Clone)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 3000)]
    pub(crate) port: u16,
    /// Address to listen on; 0.0.0.0 shows the site to other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: String,
    /// Open the site in the default browser.
    #[arg(long)]
    pub(crate) open: bool,
    /// Poll for changes instead of OS file events (WSL /mnt/*, network drives, containers).
    #[arg(long)]
    pub(crate) poll: bool,
}

#[derive(Args, Clone)]
pub(crate) struct SiteArgs {
    /// The site folder (holds `notes/` and optionally `biji.yaml`, `templates/`, `static/`).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Output folder (default: `output_dir` from biji.yaml, else `public`;
    /// unless one is given, `check` builds into a temporary folder and
    /// `serve` serves from `.biji-cache/serve/`).
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
    /// Include notes marked `draft: true`.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Override `base_url`, e.g. https://user.github.io/notes/.
    #[arg(long)]
    pub(crate) base_url: Option<String>,
    /// Do not use or update the build cache (`.biji-cache/` in the site):
    /// render every note and write every file.
    #[arg(long)]
    pub(crate) no_cache: bool,
}

#[derive(Args, Clone)]
pub(crate) struct NewArgs {
    /// The note's path under the notes folder (`.md` is added): `python/协程`.
    pub(crate) path: String,
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

#[derive(Args, Clone)]
pub(crate) struct InitArgs {
    /// Folder for the site (created if missing).
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Also write .github/workflows/pages.yml, which builds and deploys to GitHub Pages.
    #[arg(long)]
    pub(crate) github_pages: bool,
    /// Make the workflow compile biji with `cargo install` instead of
    /// downloading this version's release binary (slower: minutes on a cold cache).
    #[arg(long, requires = "github_pages")]
    pub(crate) from_source: bool,
    /// Git URL the workflow compiles biji from (implies --from-source;
    /// default: where this biji was installed from).
    #[arg(long, value_name = "URL", requires = "github_pages")]
    pub(crate) biji_git: Option<String>,
    /// Also copy the built-in templates/ and static/ out for customizing.
    #[arg(long)]
    pub(crate) theme: bool,
    /// Overwrite existing files.
    #[arg(long)]
    pub(crate) force: bool,
}

impl SiteArgs {
    pub(crate) fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            drafts: self.drafts,
            base_url: self.base_url.clone(),
            cache: !self.no_cache,
            progress: Default::default(),
        }
    }
}
