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

/// The man page (section 1, roff): synopsis, options and the list of
/// subcommands; each subcommand's own options are in its `--help`.
pub(crate) fn write_man(out: &mut dyn Write) -> std::io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}
