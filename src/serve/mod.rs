//! `biji serve`: builds the site, serves it on 127.0.0.1, watches the sources
//! and rebuilds incrementally, and reloads open browser tabs once the new
//! pages are in place.
//!
//! Where pages are served from: a folder, by default a private one
//! (`biji-serve-<pid>` in `/dev/shm` on Linux, else the temp folder; see
//! `temp_parent`), not `public/` and not the process's memory.
//! Not `public/`: served pages carry the live-reload script, and `public/` is
//! what gets deployed; `serve` must neither ship that script nor clobber the
//! output of a real `build` (pass `-o` to choose the folder anyway). Not
//! memory: the build pipeline already writes through a `Sink` into a folder
//! that is swapped in whole (`output::Staging`), the sitemap is made from the
//! folder's contents, and pages kept outside the process (tmpfs or the page
//! cache) keep the server's own memory flat however large the site.
//!
//! The pieces: [`watch`] (notify, filtering, debouncing; [`poll`] for
//! `--poll`), [`incremental`] (what to re-render), [`server`] (connections
//! and their limits), [`http`] (path safety, the event stream), [`hub`]
//! (build outcomes to browsers), [`client`] (the injected script).

mod client;
mod folder;
mod http;
mod hub;
mod incremental;
mod inject;
mod mirror;
mod poll;
mod quiet;
mod range;
mod reload;
mod server;
mod stamp;
mod update;
mod waiting;
mod watch;

#[doc(hidden)]
pub use client::CLIENT_SCRIPT;
#[doc(hidden)]
pub use http::MAX_STREAMS;
pub use quiet::install as install_logger;
#[doc(hidden)]
pub use server::{MAX_REQUESTS, MAX_WAITING};

use crate::config::{Config, SitePaths};
use crate::model::BuildOptions;
use anyhow::{Context, Result};
use folder::{KeptSite, TempSite};
use hub::BuildError;
use incremental::Rebuilder;
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use watch::{Scope, Synced, Watch};

/// What the user asked for on the command line.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Root, drafts and base URL as for `build`; `output` None means a
    /// private temporary folder.
    pub site: BuildOptions,
    /// Address to listen on (`127.0.0.1` unless told otherwise).
    pub bind: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Poll the files instead of OS events.
    pub poll: bool,
}

/// A running preview: the HTTP server is listening; [`Serve::run`] builds,
/// watches and rebuilds until the process ends.
pub struct Serve {
    shared: Arc<http::Shared>,
    url: String,
    rebuilder: Rebuilder,
    watch: Watch,
    scope: Scope,
    _temp: Option<TempSite>,
    kept: Option<KeptSite>,
}

/// Binds the server and starts watching; the first build happens in [`Serve::run`]
/// (the URL answers at once, with a page that reloads when the site is ready).
pub fn start(opts: ServeOptions) -> Result<Serve> {
    let mut site = opts.site.clone();
    site.root = site
        .root
        .canonicalize()
        .with_context(|| format!("site folder `{}` not found", site.root.display()))?;
    crate::config::ensure_site(&site.root)?;
    // With the cache, pages are served from a folder in it, kept between
    // runs: a second start renders only what changed meanwhile.
    let kept = match (&site.output, site.cache) {
        (None, true) => KeptSite::open(&site.root),
        _ => None,
    };
    let temp = match (&site.output, &kept) {
        (None, None) => Some(TempSite::create()?),
        _ => None,
    };
    if let Some(t) = &temp {
        // Ctrl-C or SIGTERM: remove the private folder on the way out.
        let dir = t.dir.clone();
        if let Err(e) = ctrlc::set_handler(move || {
            // A rebuild may still be writing into it: try a few times.
            for _ in 0..10 {
                if std::fs::remove_dir_all(&dir).is_ok() || !dir.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(30));
            }
            std::process::exit(130);
        }) {
            log::debug!("no signal handler, the preview folder stays behind on Ctrl-C: {e}");
        }
    }
    let output = match (&site.output, &temp, &kept) {
        (Some(o), _, _) => crate::output::absolute(o),
        (None, Some(t), _) => t.dir.join("site"),
        (None, None, Some(k)) => k.dir.join("site"),
        (None, None, None) => unreachable!("a folder is made when no output is given"),
    };
    let given = site.output.is_some();
    site.output = Some(output.clone());

    // Config problems are reported by the first build; until then use defaults.
    let cfg = crate::model::load_config(&site).unwrap_or_else(|_| Config::default());
    let scope = Scope::new(&SitePaths::new(&site.root, &cfg, Some(&output)));
    if given {
        // A folder given with -o that no build may write into: say so and
        // stop, rather than serve a preview that can never appear.
        crate::output::check_output(&output, &scope.notes)?;
        crate::output::check_output_theme(&output, [&scope.templates, &scope.static_dir])?;
    }

    let addr = (opts.bind.as_str(), opts.port)
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve --bind `{}`", opts.bind))?
        .next()
        .with_context(|| format!("no address for --bind `{}`", opts.bind))?;
    let listener = listen(addr)?;
    let bound = listener.local_addr().unwrap_or(addr);
    let shared = Arc::new(http::Shared::new(output, cfg.base_path()));
    let on_request = Arc::clone(&shared);
    server::spawn(listener, move |req| http::handle(req, &on_request))?;
    let url = format!("http://{}{}", display_host(bound), cfg.base_path());

    let mut watch = Watch::new(opts.poll)?;
    // Before the first build, so an edit made while it runs is not missed.
    watch.sync(&scope)?;
    Ok(Serve {
        shared,
        url,
        rebuilder: Rebuilder::new(site),
        watch,
        scope,
        _temp: temp,
        kept,
    })
}

/// A listening socket with Nagle's algorithm off: live-reload messages are
/// small writes, and with Nagle on, one written while the last is not yet
/// acknowledged waits ~40 ms for a delayed ACK. Accepted sockets inherit
/// the option.
fn listen(addr: SocketAddr) -> Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let hint = || format!("cannot listen on {addr} (is another server using the port? try --port)");
    let sock = Socket::new(Domain::for_address(addr), Type::STREAM, None).with_context(hint)?;
    #[cfg(unix)]
    sock.set_reuse_address(true).with_context(hint)?;
    if let Err(e) = sock.set_tcp_nodelay(true) {
        log::debug!("cannot turn Nagle's algorithm off: {e}");
    }
    sock.bind(&addr.into()).with_context(hint)?;
    sock.listen(128).with_context(hint)?;
    Ok(sock.into())
}

/// `127.0.0.1:3000`; an unspecified bind address shows as localhost.
fn display_host(a: SocketAddr) -> String {
    match a.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", a.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{}", a.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", a.port()),
        IpAddr::V6(ip) => format!("[{ip}]:{}", a.port()),
    }
}

impl Serve {
    /// The site's address, with its base path.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The folder being served.
    pub fn folder(&self) -> &Path {
        &self.shared.root
    }

    /// Builds, then rebuilds after every change, forever (until the watcher stops).
    pub fn run(mut self) -> Result<()> {
        let mut changed: HashSet<PathBuf> = HashSet::new();
        let mut last_error: Option<String> = None;
        loop {
            quiet::next_build();
            let shared = Arc::clone(&self.shared);
            let mut ready = |base: &str, pages: Option<Vec<String>>| {
                // The pages are in place: browsers may reload now.
                if let Ok(mut b) = shared.base_path.write() {
                    *b = base.to_string();
                }
                shared.hub.built(pages);
            };
            let result = self.rebuilder.rebuild(&changed, &mut ready);
            self.report(result, &mut last_error);
            if let Some(paths) = self.rebuilder.paths() {
                self.scope = Scope::new(&paths);
            }
            match self.watch.sync(&self.scope) {
                Ok(Synced::Same) => {}
                Ok(Synced::Added) => {
                    changed.clear();
                    continue;
                }
                Ok(Synced::Replaced) => {
                    log::info!("a watched folder was replaced; rebuilding everything");
                    self.rebuilder.rebuild_all();
                    changed.clear();
                    continue;
                }
                Err(e) => log::error!("{e:#}"),
            }
            let Some(batch) = self.watch.next_batch(&self.scope) else {
                anyhow::bail!("the file watcher stopped");
            };
            log::debug!(
                "{} changed path(s){}",
                batch.paths.len(),
                if batch.rescan { ", rescan" } else { "" }
            );
            if batch.output_gone {
                // Progress, not a warning: a warning the last rebuild printed
                // is held back, and the folder may be deleted again.
                log::info!(
                    "the served folder `{}` was deleted; writing the whole site again",
                    self.shared.root.display()
                );
                self.rebuilder.rebuild_all();
                if let Some(k) = &mut self.kept {
                    k.relock();
                }
            }
            changed = batch.paths;
        }
    }

    /// Says how a rebuild went: in the log (each error once, not on every
    /// save) and to the browsers.
    fn report(&self, result: Result<incremental::Outcome>, last_error: &mut Option<String>) {
        match result {
            Ok(o) => {
                if o.full {
                    log::info!(
                        "built {} notes in {:.2} s",
                        o.notes,
                        o.elapsed.as_secs_f64()
                    );
                } else if o.files > 0 {
                    log::info!(
                        "rebuilt in {:.0} ms: {} file(s) changed",
                        o.elapsed.as_secs_f64() * 1e3,
                        o.files
                    );
                    if o.fast {
                        log::debug!("only text changed: only the pages showing it were planned");
                    }
                } else {
                    log::debug!("nothing changed ({:.0} ms)", o.elapsed.as_secs_f64() * 1e3);
                }
                if !o.unknown_languages.is_empty() {
                    // Labels only: the same warning is then not repeated.
                    log::warn!(
                        "code blocks in languages biji cannot highlight, shown plain: {}",
                        o.unknown_languages.join(", ")
                    );
                }
                if last_error.take().is_some() {
                    log::info!("the build is fixed");
                }
            }
            Err(e) => {
                let msg = format!("{e:#}");
                // The terminal shows each error once, not on every save.
                if last_error.as_deref() != Some(msg.as_str()) {
                    if self.shared.hub.has_site() {
                        log::error!("rebuild failed; still serving the last good build:\n{msg}");
                    } else {
                        log::error!("build failed; nothing to serve until it is fixed:\n{msg}");
                    }
                }
                self.shared.hub.failed(BuildError::from_error(&e));
                *last_error = Some(msg);
            }
        }
    }
}

/// Opens `url` in the default browser (best effort).
pub fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = cmd.spawn() {
        log::warn!("cannot open a browser ({e}); open {url} yourself");
    }
}
