//! What is generated from the argument definitions rather than written by
//! hand: completion scripts and the man page. They take a writer so that
//! main.rs stays the one place that prints.

use super::Cli;
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

/// The completion script for `shell`, for every subcommand and option.
pub(crate) fn write_completions(shell: Shell, out: &mut dyn Write) {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "biji", out);
}

/// The man page (section 1, roff): synopsis and options, then each
/// subcommand with its own (one page: `biji man` writes no `biji-build(1)`
/// for clap_mangen's list of subcommands to point to).
pub(crate) fn write_man(out: &mut dyn Write) -> std::io::Result<()> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_bin_name().unwrap_or(sub.get_name());
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        let mut part = Vec::new();
        let m = clap_mangen::Man::new(sub.clone());
        m.render_description_section(&mut part)?;
        m.render_synopsis_section(&mut part)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            m.render_options_section(&mut part)?;
        }
        // Its sections are subsections of the command's.
        let part = String::from_utf8_lossy(&part);
        for line in part.lines() {
            match line.strip_prefix(".SH ") {
                Some("DESCRIPTION") => {}
                Some(title) => writeln!(out, ".SS {title}")?,
                None => writeln!(out, "{line}")?,
            }
        }
    }
    man.render_version_section(out)
}
