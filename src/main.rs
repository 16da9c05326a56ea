//! The `biji` command line: parses arguments, sets up logging, runs the
//! library and prints the result. The only place that prints.

use anyhow::Result;
use biji::highlight::Highlighter;
use biji::BuildOptions;
use clap::{ArgAction, Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "biji",
    version,
    about = "笔记 — turn a folder of Markdown notes into a fast, searchable website"
)]
struct Cli {
    /// More log output (-v: debug, -vv: trace).
    #[arg(short, long, action = ArgAction::Count, global = true)]
    verbose: u8,
    /// Only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default `public/`).
    Build(SiteArgs),
}

#[derive(Args, Clone)]
struct SiteArgs {
    /// The site folder (holds `notes/` and optionally `biji.yaml`, `templates/`, `static/`).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder (default: `output_dir` from biji.yaml, else `public`).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Include notes marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Override `base_url`, e.g. https://user.github.io/notes/.
    #[arg(long)]
    base_url: Option<String>,
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            drafts: self.drafts,
            base_url: self.base_url.clone(),
            inject: None,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "info",
        (false, 1) => "debug",
        _ => "trace",
    };
    env_logger::Builder::from_env(env_logger::Env::new().filter_or("BIJI_LOG", level))
        .format_timestamp(None)
        .format_target(false)
        .init();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::Build(args) => {
            let hl = Highlighter::new();
            let report = biji::build(&args.options(), &hl)?;
            if !report.unknown_languages.is_empty() {
                let total: usize = report.unknown_languages.values().sum();
                let list: Vec<String> = report
                    .unknown_languages
                    .iter()
                    .map(|(l, n)| format!("{l} ({n})"))
                    .collect();
                log::warn!(
                    "{total} code block(s) in languages biji cannot highlight, shown plain: {}",
                    list.join(", ")
                );
            }
            if !cli.quiet {
                println!(
                    "built {} notes, {} pages, {} files in {:.2} s -> {}",
                    report.notes,
                    report.pages,
                    report.assets,
                    report.elapsed.as_secs_f64(),
                    report.output.display()
                );
            }
            Ok(())
        }
    }
}
