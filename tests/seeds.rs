//! The demo notes in `notes/` come only from the five seed files in `shared/seeds/*.txt`
//! (outside this repo). The seeds were split into topic notes: text moved into files and
//! front matter added, nothing else. This test proves nothing was lost or invented:
//!
//! * every non-blank seed line appears in `notes/**/*.md` (after front matter) at least as
//!   often as in all the seeds together;
//! * every non-blank note line comes from a seed, except the allowed additions: the link
//!   rewrites in [`LINK_EDITS`] and a heading that repeats the note's front matter `title`.
//!
//! A second test, which needs no seeds, checks that every note has front matter with a title
//! and balanced code fences, and that each rewritten link points at an existing note and heading.
//!
//! `notes/editors/` holds biji's own demo notes (Typora and Obsidian syntax), which
//! say so in their text, and is left out.
//!
//! Seeds dir: `$BIJI_SEEDS`, else `<CARGO_MANIFEST_DIR>/../shared/seeds`; skipped if absent.

// Tests print their figures (recall, coverage, seeds) for the CI log.
#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Seed lines edited while splitting: (line in the seed, line as it now appears in a note).
///
/// Seed 002 links to its own heading `# Editing this README` with an in-page anchor; that
/// heading went to `tools/readme-template.md`, so the link became a relative link to it.
const LINK_EDITS: &[(&str, &str)] = &[(
    "Already a pro? Just edit this README.md and make it your own. Want to make it easy? [Use the template at the bottom](#editing-this-readme)!",
    "Already a pro? Just edit this README.md and make it your own. Want to make it easy? [Use the template at the bottom](readme-template.md#editing-this-readme)!",
)];

/// How many missing or unexplained lines a failure lists.
const SHOW: usize = 20;

fn seeds_dir() -> PathBuf {
    match std::env::var_os("BIJI_SEEDS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"),
    }
}

fn notes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("notes")
}

/// Files under `dir` whose extension is `ext`, sorted; descends into subfolders if `recursive`.
fn collect(dir: &Path, ext: &str, recursive: bool, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("read_dir {}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|e| {
            e.unwrap_or_else(|e| panic!("read_dir {}: {e}", dir.display()))
                .path()
        })
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if recursive {
                collect(&path, ext, true, out);
            }
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// All `notes/**/*.md` as (path relative to `notes/`, contents).
/// The folder of demo notes written for biji's features (`notes/editors/`).
const DEMO_DIR: &str = "editors/";

fn read_notes() -> Vec<(String, String)> {
    let root = notes_dir();
    let mut files = Vec::new();
    collect(&root, "md", true, &mut files);
    assert!(!files.is_empty(), "no notes found under {}", root.display());
    files
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, read(p))
        })
        // Biji's own demo notes (marked as such in each), not seed text.
        .filter(|(rel, _)| !rel.starts_with(DEMO_DIR))
        .collect()
}

/// Splits the front matter block (a `---` line at the very top up to the next `---` line)
/// off a note: returns (front matter lines, body lines).
fn split_front_matter(text: &str) -> (Option<Vec<&str>>, Vec<&str>) {
    let lines: Vec<&str> = text.lines().collect();
    if lines.first().map(|l| l.trim_end()) == Some("---") {
        if let Some(n) = lines[1..].iter().position(|l| l.trim_end() == "---") {
            return (Some(lines[1..=n].to_vec()), lines[n + 2..].to_vec());
        }
    }
    (None, lines)
}

/// The `title:` value of a front matter block, without surrounding quotes.
fn front_matter_title(front_matter: &[&str]) -> Option<String> {
    let value = front_matter
        .iter()
        .find_map(|l| l.strip_prefix("title:"))?
        .trim();
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    Some(unquoted.to_string()).filter(|t| !t.is_empty())
}

/// `line` is an ATX heading (`#` to `######`, a space, text) whose text is `title`.
fn is_title_heading(line: &str, title: Option<&str>) -> bool {
    let Some(title) = title else { return false };
    let hashes = line.len() - line.trim_start_matches('#').len();
    (1..=6).contains(&hashes)
        && line[hashes..]
            .strip_prefix(' ')
            .is_some_and(|text| text.trim() == title)
}

/// Index of a code fence opener that is never closed, if any.
fn unclosed_fence(body: &[&str]) -> Option<usize> {
    let mut open: Option<(char, usize, usize)> = None; // (fence char, length, line index)
    for (i, line) in body.iter().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            continue;
        }
        let rest = &line[indent..];
        let Some(c) = rest.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let len = rest.len() - rest.trim_start_matches(c).len();
        if len < 3 {
            continue;
        }
        match open {
            None => open = Some((c, len, i)),
            Some((oc, olen, _)) if oc == c && len >= olen && rest[len..].trim().is_empty() => {
                open = None
            }
            Some(_) => {}
        }
    }
    open.map(|(_, _, i)| i)
}

/// GitHub's heading anchor: lowercase, drop punctuation except `-` and `_`, spaces to `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Anchors of the ATX headings in `body` that are outside code fences.
fn heading_anchors(body: &[&str]) -> Vec<String> {
    let mut in_fence = false;
    let mut out = Vec::new();
    for line in body {
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() > 3 {
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        if in_fence || !(1..=6).contains(&hashes) {
            continue;
        }
        let text = &trimmed[hashes..];
        if text.is_empty() || text.starts_with([' ', '\t']) {
            out.push(anchor(text.trim().trim_end_matches('#')));
        }
    }
    out
}

/// Resolves `rel` (like `../a/b.md`) against the folder of note `from`, both relative to `notes/`.
fn resolve(from: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn notes_keep_every_seed_line_and_invent_none() {
    let seeds = seeds_dir();
    if !seeds.is_dir() {
        // Straight to stderr, not eprintln!, so the skip shows even when output is captured.
        let _ = writeln!(
            std::io::stderr(),
            "SKIP seeds test: seeds dir {} not found (set BIJI_SEEDS to the folder with the *.txt seeds)",
            seeds.display()
        );
        return;
    }
    let mut seed_paths = Vec::new();
    collect(&seeds, "txt", false, &mut seed_paths);
    assert!(
        !seed_paths.is_empty(),
        "no *.txt seeds in {}",
        seeds.display()
    );
    let seed_texts: Vec<(String, String)> = seed_paths
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                read(p),
            )
        })
        .collect();
    let notes = read_notes();

    // Multiset of non-blank note body lines.
    let mut bodies: Vec<(&str, Option<String>, Vec<&str>)> = Vec::new();
    let mut note_lines: HashMap<&str, usize> = HashMap::new();
    let mut note_line_total = 0;
    for (path, text) in &notes {
        let (front_matter, body) = split_front_matter(text);
        let title = front_matter.as_deref().and_then(front_matter_title);
        for line in &body {
            let line = line.trim_end();
            if !line.is_empty() {
                *note_lines.entry(line).or_default() += 1;
                note_line_total += 1;
            }
        }
        bodies.push((path.as_str(), title, body));
    }

    // Forward: each seed line occurrence uses up one matching note line.
    let edited: HashMap<&str, &str> = LINK_EDITS.iter().copied().collect();
    let mut left = note_lines.clone();
    let mut missing = Vec::new();
    let mut seed_line_total = 0;
    for (name, text) in &seed_texts {
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() {
                continue;
            }
            seed_line_total += 1;
            let want = edited.get(line).copied().unwrap_or(line);
            match left.get_mut(want) {
                Some(n) if *n > 0 => *n -= 1,
                _ => missing.push(format!("{name}:{}: {line}", i + 1)),
            }
        }
    }

    // Reverse: note lines not used up by the seeds must be allowed additions. Walk backwards
    // so that extra copies of a seed line are blamed on the later occurrences.
    let mut title_headings = 0;
    let mut unexplained = Vec::new();
    for (path, title, body) in bodies.iter().rev() {
        for (i, line) in body.iter().enumerate().rev() {
            let line = line.trim_end();
            let Some(n) = left.get_mut(line).filter(|n| **n > 0) else {
                continue;
            };
            *n -= 1;
            if is_title_heading(line, title.as_deref()) {
                title_headings += 1;
            } else {
                unexplained.push(format!("{path}: body line {}: {line}", i + 1));
            }
        }
    }

    unexplained.reverse();

    println!(
        "seeds: {} files, {seed_line_total} non-blank lines; notes: {} files, {note_line_total} \
         non-blank body lines; link edits allowed: {}; title headings added: {title_headings}; \
         missing: {}; unexplained: {}",
        seed_texts.len(),
        notes.len(),
        LINK_EDITS.len(),
        missing.len(),
        unexplained.len()
    );

    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!(
            "{} seed lines are missing from notes/ (first {SHOW}):\n  {}",
            missing.len(),
            missing
                .iter()
                .take(SHOW)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n  ")
        ));
    }
    if !unexplained.is_empty() {
        problems.push(format!(
            "{} note lines are not seed text (or are extra copies of it), nor a title heading, \
             nor in LINK_EDITS (first {SHOW}):\n  {}",
            unexplained.len(),
            unexplained
                .iter()
                .take(SHOW)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n  ")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn notes_have_front_matter_balanced_fences_and_working_link_edits() {
    let notes = read_notes();
    let mut bodies: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut problems = Vec::new();
    for (path, text) in &notes {
        let (front_matter, body) = split_front_matter(text);
        match front_matter {
            None => problems.push(format!("{path}: no front matter block at the top")),
            Some(fm) if front_matter_title(&fm).is_none() => {
                problems.push(format!("{path}: front matter has no title"))
            }
            Some(_) => {}
        }
        if let Some(i) = unclosed_fence(&body) {
            problems.push(format!(
                "{path}: code fence opened at body line {} is never closed",
                i + 1
            ));
        }
        bodies.insert(path.as_str(), body);
    }

    for (_, edited_line) in LINK_EDITS {
        let holders: Vec<&str> = bodies
            .iter()
            .filter(|(_, body)| body.iter().any(|l| l.trim_end() == *edited_line))
            .map(|(path, _)| *path)
            .collect();
        if holders.is_empty() {
            problems.push(format!("no note contains the edited line: {edited_line}"));
        }
        for holder in holders {
            for href in edited_line
                .split("](")
                .skip(1)
                .filter_map(|s| s.split(')').next())
            {
                let (file, frag) = href.split_once('#').unwrap_or((href, ""));
                let target = if file.is_empty() {
                    holder.to_string()
                } else {
                    resolve(holder, file)
                };
                match bodies.get(target.as_str()) {
                    None => problems.push(format!("{holder}: link {href}: no note {target}")),
                    Some(body)
                        if !frag.is_empty() && !heading_anchors(body).iter().any(|a| a == frag) =>
                    {
                        problems.push(format!(
                            "{holder}: link {href}: {target} has no heading #{frag}"
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
