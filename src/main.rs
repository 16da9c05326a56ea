//! The `biji` command line: parses arguments, sets up logging, runs the
//! library and prints the result. The only place that prints.

// The library may not print (`print_stdout` in Cargo.toml's lints); this is
// where biji talks to its user.
#![allow(clippy::print_stdout)]

/// `println!` that does not panic when the reader has gone away (`biji check
/// | head`): the work is done by then, and an unread line is no error.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// [`say`] for stderr (`biji build 2>&1 | head -1`).
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

use anyhow::Result;
use std::sync::atomic::{AtomicBool, Ordering};

/// syntect allocates for every token; mimalloc makes that cheaper than glibc's malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod progress_bar;

mod cli;

use biji::{Highlighter, Progress, ProgressHook};
use clap::Parser;
use cli::{Cli, Command, InitArgs, ServeArgs};
use progress_bar::Bar;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

/// Small pages for this process: transparent huge pages made the allocator's
/// memory 2 MiB at a time, raising a build's peak memory by half for no speed.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of
    // this process; the result is ignored (an old kernel simply keeps THP).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}

/// mimalloc hands freed memory back to the system 10 ms after it is freed
/// (its default), and takes it again, page fault by page fault, when the
/// next page is rendered. A render thread that indexes a batch of notes for
/// search pauses longer than that, so a build with search made a page's
/// buffers fault in again and again: at 10k notes 200k page faults against
/// 36k without search; at 100k 2.08M, 60 s of system time. 100 ms keeps the
/// memory between two pages (at 100k: 363k faults, 48 s, 70 MB more peak
/// memory). Only for a one-off build: `serve` with it held 50 MB more once
/// its first build was done (314 against 265 MiB at 10k notes), memory its
/// threads, idle until the next edit, had not handed back.
#[allow(unsafe_code)]
fn keep_freed_memory_longer() {
    /// `mi_option_purge_delay` in mimalloc's `mi_option_e` (the crate names
    /// only some of the options); its default is 10, which is checked first
    /// so that a renumbered option is left alone.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: reads and sets one of mimalloc's documented options, plain
    // integers, before the build starts its threads.
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == 10 {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 100);
        }
    }
}

fn main() -> ExitCode {
    no_huge_pages();
    let cli = Cli::parse();
    if matches!(cli.command, Command::Build(_) | Command::Check(_)) {
        keep_freed_memory_longer();
    }
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "info",
        (false, 1) => "debug",
        _ => "trace",
    };
    let logger = env_logger::Builder::from_env(env_logger::Env::new().filter_or("BIJI_LOG", level))
        .format_timestamp(None)
        .format_target(false)
        .build();
    // `serve` prints a repeated warning once, not on every rebuild.
    let max = logger.filter();
    biji::serve::install_logger(logger, max);
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) if INTERRUPTED.load(Ordering::SeqCst) => loop {
            // The handler is cleaning up and ends the process.
            std::thread::park();
        },
        Err(e) => {
            tell!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Set when Ctrl-C or SIGTERM arrives: from then on the build's errors are
/// the interruption's doing (its workers find their folder gone), not the
/// notes'. A static because a signal handler has nowhere else to put it.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Ctrl-C or SIGTERM during a build or check: `cleanup` removes its staging
/// folder (as big as the site) on the way out, nothing more is printed, and
/// the exit code is 130.
fn on_interrupt(cleanup: impl Fn() + Send + 'static) {
    let handler = move || {
        INTERRUPTED.store(true, Ordering::SeqCst);
        log::set_max_level(log::LevelFilter::Off);
        // Workers may still be writing into it: try a few times.
        for _ in 0..10 {
            cleanup();
            std::thread::sleep(std::time::Duration::from_millis(30));
        }
        cleanup();
        std::process::exit(130);
    };
    if let Err(e) = ctrlc::set_handler(handler) {
        log::debug!("no signal handler; an interrupted build leaves its staging folder: {e}");
    }
}

fn remove_staging_on_interrupt(opts: &biji::BuildOptions) {
    let Ok(output) = biji::output_dir(opts) else {
        return; // the build reports it
    };
    on_interrupt(move || biji::remove_own_staging(&output));
}

fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::Build(args) => {
            let hl = Highlighter::new();
            let mut opts = args.options();
            let bar = (!cli.quiet && std::io::stderr().is_terminal()).then(|| Arc::new(Bar::new()));
            if let Some(b) = &bar {
                opts.progress = ProgressHook(Some(b.clone() as Arc<dyn Progress>));
            }
            remove_staging_on_interrupt(&opts);
            let report = biji::build(&opts, &hl);
            if let Some(b) = &bar {
                b.done();
            }
            let report = report?;
            if !report.unknown_languages.is_empty() {
                let total: usize = report.unknown_languages.values().map(|u| u.0).sum();
                let list: Vec<String> = report
                    .unknown_languages
                    .iter()
                    .map(|(l, (n, (file, line)))| format!("{l} ({n}, first at {file}:{line})"))
                    .collect();
                log::warn!(
                    "{total} code block(s) in languages biji cannot highlight, shown plain: {}",
                    list.join(", ")
                );
            }
            let long = &report.too_long_code;
            if !long.is_empty() {
                let more = match long.len() {
                    n if n > 20 => format!(", … ({} more)", n - 20),
                    _ => String::new(),
                };
                log::warn!(
                    "{} code block(s) too long to highlight (a line over {} bytes, or over {} KB \
                     in all), shown plain: {}{more}",
                    long.len(),
                    biji::MAX_LINE_BYTES,
                    biji::MAX_BLOCK_BYTES / 1024,
                    long[..long.len().min(20)].join(", ")
                );
            }
            if report.feeds_skipped {
                log::info!(
                    "{} and {} skipped: they need absolute URLs; set `base_url` in biji.yaml \
                     or pass --base-url https://user.github.io/repo/",
                    biji::SITEMAP,
                    biji::FEED
                );
            }
            for (name, d) in &report.phases {
                log::debug!("phase {name}: {:.3} s", d.as_secs_f64());
            }
            if let Some(bytes) = report.cache_bytes {
                log::debug!(
                    "build cache: {:.1} MiB in {}; {} files written, the others kept",
                    bytes as f64 / (1 << 20) as f64,
                    biji::CACHE_DIR,
                    report.files_written
                );
            }
            if !cli.quiet {
                let reused = match report.cache_bytes {
                    Some(_) => format!(
                        " ({} from cache)",
                        report.notes - report.bodies_rendered.min(report.notes)
                    ),
                    None => String::new(),
                };
                say!(
                    "built {} notes{reused}, {} pages, {} files in {:.2} s -> {}",
                    report.notes,
                    report.pages,
                    report.assets,
                    report.elapsed.as_secs_f64(),
                    report.output.display()
                );
            }
            Ok(())
        }
        Command::Init(args) => run_init(cli, args),
        Command::Check(args) => cli::check::run_check(cli, args),
        Command::New(args) => {
            let file = biji::new_note::new_note(&args.root, &args.path)?;
            if !cli.quiet {
                say!("created {}", file.display());
            }
            Ok(())
        }
        Command::Serve(args) => run_serve(cli, args),
        Command::Completions { shell } => {
            // Written whole, then sent: the generator panics on a closed pipe.
            let mut script = Vec::new();
            cli::write_completions(*shell, &mut script);
            use std::io::Write as _;
            let _ = std::io::stdout().lock().write_all(&script);
            Ok(())
        }
        // `biji man | head`: a reader that stops early is no error.
        Command::Man => match cli::write_man(&mut std::io::stdout().lock()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => Ok(r?),
        },
    }
}

fn run_serve(cli: &Cli, args: &ServeArgs) -> Result<()> {
    let mut site = args.site.options();
    if !cli.quiet && std::io::stderr().is_terminal() {
        site.progress = ProgressHook(Some(Arc::new(Bar::new())));
    }
    let serve = biji::serve::start(biji::serve::ServeOptions {
        site,
        bind: args.bind.clone(),
        port: args.port,
        poll: args.poll,
    })?;
    // Always printed (even with -q): it is what the user came for.
    say!("Serving {} (Ctrl-C to stop)", serve.url());
    if args.open {
        biji::serve::open_browser(serve.url());
    }
    serve.run()
}

fn run_init(cli: &Cli, args: &InitArgs) -> Result<()> {
    let report = biji::init::init(&biji::init::InitOptions {
        dir: args.dir.clone(),
        github_pages: args.github_pages,
        theme: args.theme,
        force: args.force,
        biji_git: args.biji_git.clone(),
        from_source: args.from_source,
    })?;
    if let Some(why) = &report.skipped_welcome {
        log::info!("{why}");
    }
    if let Some(cfg) = &report.kept_config {
        log::info!("kept your `{}` as it is", cfg.display());
    }
    if let Some((path, biji::init::Install::Git(None))) = &report.workflow {
        log::warn!(
            "set BIJI_GIT in `{}` to the Git URL to install biji from (or rerun with --biji-git URL --force)",
            path.display()
        );
    }
    for w in &report.other_pages_workflows {
        log::warn!(
            "`{}` also deploys to GitHub Pages: each run replaces the site the other published; remove the one you no longer use",
            w.display()
        );
    }
    if cli.quiet {
        return Ok(());
    }
    for p in &report.written {
        say!("created {}", p.display());
    }
    for p in &report.replaced {
        say!("replaced {}", p.display());
    }
    if let Some(p) = &report.gitignore_appended {
        say!("ignored the build output in {}", p.display());
    }
    let root = if args.dir == std::path::Path::new(".") {
        String::new()
    } else {
        format!(" --root {}", args.dir.display())
    };
    say!("\nnext: biji build{root}, then biji check{root} to verify every link");
    if let Some((_, install)) = &report.workflow {
        match install {
            biji::init::Install::Release(v) => {
                say!("the workflow downloads the biji {v} release binary (checksum verified)")
            }
            biji::init::Install::Path => {
                say!("the workflow installs biji from this repository (cargo install --path .)")
            }
            biji::init::Install::Git(Some(url)) => {
                say!("the workflow installs biji with cargo install --git {url}")
            }
            biji::init::Install::Git(None) => {}
        }
        say!("GitHub Pages: in the repository's Settings -> Pages set Source to \"GitHub Actions\", then commit and push (a run started before that fails; re-run it from the Actions tab)");
    }
    Ok(())
}
