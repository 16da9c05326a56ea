//! A terminal session (```` ```console ````, ```` ```shell-session ````):
//! commands after a prompt, and what they printed. Only the commands are
//! shell code; coloured as shell, the output (`total 0`, a file listing)
//! came out as keywords and strings. As GitHub shows such a block, the
//! prompt and the output stay plain and each command is highlighted, one
//! after another, as one script.

/// Fence labels of a session.
pub(super) fn is_session(label: &str) -> bool {
    ["console", "shell-session", "sh-session", "terminal"]
        .iter()
        .any(|l| l.eq_ignore_ascii_case(label))
}

/// Where the command starts in `line`, if it holds one: after a prompt
/// (`$ `, `# `, `% `, `> `, or a word ending in `$` or `#`, as in
/// `root@host:~# `), or anywhere on a line that continues a command ending
/// in `\` (`continued`). `None`: output.
pub(super) fn command_at(line: &str, continued: bool) -> Option<usize> {
    if continued {
        return Some(0);
    }
    let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
    let rest = &line[lead..];
    let word = rest.split([' ', '\t']).next().unwrap_or("");
    let after = rest[word.len()..].starts_with([' ', '\t']);
    let prompt = match word {
        "$" | "#" | "%" | ">" => true,
        w => w.len() > 1 && w.ends_with(['$', '#']) && !w.starts_with(['$', '#']),
    };
    (prompt && after).then(|| lead + word.len() + 1)
}

/// Whether the command on `line` goes on to the next line.
pub(super) fn continues(line: &str) -> bool {
    line.trim_end().ends_with('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_start_commands_and_the_rest_is_output() {
        assert_eq!(command_at("$ ls -la\n", false), Some(2));
        assert_eq!(command_at("root@host:~# apt update\n", false), Some(13));
        assert_eq!(command_at("  % make\n", false), Some(4));
        assert_eq!(command_at("total 0\n", false), None);
        assert_eq!(command_at("drwxr-xr-x 2 root root\n", false), None);
        assert_eq!(command_at("100% done\n", false), None);
        assert_eq!(command_at("$HOME is set\n", false), None);
        assert_eq!(command_at("#!/bin/sh\n", false), None);
        assert_eq!(command_at("$\n", false), None);
        assert_eq!(command_at("  --flag value\n", true), Some(0));
        assert!(continues("$ docker run \\\n"));
        assert!(!continues("$ ls\n"));
        assert!(is_session("Console") && !is_session("bash"));
    }
}
