//! `biji check`'s report: external links by domain, broken links, and
//! those of HTML files copied from `notes/` apart.

use super::{Cli, SiteArgs};
use anyhow::Result;
use biji::Highlighter;

pub(crate) fn run_check(cli: &Cli, args: &SiteArgs) -> Result<()> {
    let hl = Highlighter::new();
    let opts = args.options();
    let output = opts.output.clone();
    crate::on_interrupt(move || {
        biji::remove_own_check_folder();
        if let Some(o) = &output {
            biji::remove_own_staging(o);
        }
    });
    let report = biji::check::check(&opts, &hl)?;
    let c = &report.crawl;
    if !cli.quiet && !c.external.is_empty() {
        let total: usize = c.external.values().map(|u| u.len()).sum();
        let domains = c.external.len();
        if cli.verbose == 0 {
            // One line: a site's every link (and each page's edit link)
            // on every run buried what a CI log is read for.
            let mut by_domain: Vec<String> = (c.external.iter().take(8))
                .map(|(d, urls)| format!("{d} ({})", urls.len()))
                .collect();
            if domains > 8 {
                by_domain.push(format!("{} more", domains - 8));
            }
            say!(
                "external links ({total} on {domains} domains, not fetched; -v lists them): {}",
                by_domain.join(", ")
            );
        } else {
            say!("external links ({total} on {domains} domains, not fetched):");
            for (domain, urls) in &c.external {
                say!("  {domain} ({})", urls.len());
                for u in urls {
                    say!("    {u}");
                }
            }
        }
    }
    copies(cli, &c.broken_in_copies);
    for b in &c.broken {
        tell!("{b}");
    }
    if !c.broken.is_empty() && report.broken_is_error {
        anyhow::bail!(
            "{} broken internal link(s) in {} pages checked",
            c.broken.len(),
            c.pages
        );
    }
    if !c.broken.is_empty() {
        tell!(
            "warning: {} broken internal link(s) in {} pages checked \
             (not an error: `links: warn` in biji.yaml)",
            c.broken.len(),
            c.pages
        );
        return Ok(());
    }
    if !cli.quiet {
        say!(
            "checked {} pages: all {} internal links and anchors resolve",
            c.pages,
            c.internal
        );
    }
    Ok(())
}

/// The broken links of HTML files copied from `notes/` as they are (a saved
/// web page): counted in one line, listed with -v; they fail no check.
fn copies(cli: &Cli, broken: &[biji::check::BrokenLink]) {
    if broken.is_empty() || cli.quiet {
        return;
    }
    let mut files: Vec<&str> = broken.iter().map(|b| b.page.as_str()).collect();
    files.dedup();
    tell!(
        "note: {} broken link(s) in {} HTML file(s) copied from the notes folder as they are ({}{}); they are the files' own and fail no check{}",
        broken.len(),
        files.len(),
        files[..files.len().min(3)].join(", "),
        if files.len() > 3 { ", ..." } else { "" },
        if cli.verbose == 0 { " (-v lists them)" } else { ":" }
    );
    if cli.verbose > 0 {
        for b in broken {
            tell!("  {b}");
        }
    }
}
