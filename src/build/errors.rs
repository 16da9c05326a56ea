//! Errors from rendering many notes, reported once each: one mistake in a
//! template fails every note's page the same way, and 2,000 notes printed the
//! same message 2,000 times (635 KB).

use crate::diagnostic::{Diagnostic, Diagnostics};

/// At most this many different errors are listed; the rest are counted.
const SHOWN: usize = 20;

/// Notes named after an error that other notes share.
const NAMED: usize = 3;

/// One report for the notes that failed, `(note's file, error)` in the
/// order of the notes: each distinct error once, with the other notes it
/// happened in counted ("(and in 1,999 other pages: notes/b.md, …)").
pub(crate) fn summarize(failed: &[(String, anyhow::Error)]) -> Diagnostics {
    // (first error, error without the note's name, files)
    let mut groups: Vec<(&anyhow::Error, String, Vec<&str>)> = Vec::new();
    for (file, e) in failed {
        let full = format!("{e:#}");
        let key = full
            .strip_prefix(&format!("while rendering {file}: "))
            .unwrap_or(&full)
            .to_string();
        match groups.iter_mut().find(|(_, k, _)| *k == key) {
            Some((_, _, files)) => files.push(file),
            None => groups.push((e, key, vec![file])),
        }
    }
    let mut out = Diagnostics::default();
    for (e, _, files) in groups.iter().take(SHOWN) {
        // Placed where the first note's error is (a template line, a note's).
        let mut d = Diagnostic::wrapping(e);
        if files.len() > 1 {
            let others = files.len() - 1;
            let mut named = files[1..]
                .iter()
                .take(NAMED)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            if others > NAMED {
                named.push_str(", …");
            }
            let pages = if others == 1 { "page" } else { "pages" };
            d.message.push_str(&format!(
                "\n  (and in {} other {pages}: {named})",
                thousands(others)
            ));
        }
        out.items.push(d);
    }
    if groups.len() > SHOWN {
        let rest = &groups[SHOWN..];
        let pages: usize = rest.iter().map(|(_, _, f)| f.len()).sum();
        out.tail = Some(format!(
            "… and {} more different error(s) in {} page(s)",
            thousands(rest.len()),
            thousands(pages)
        ));
    }
    out
}

/// `1999` as `1,999`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(file: &str, msg: &str) -> (String, anyhow::Error) {
        let e = anyhow::anyhow!(msg.to_string()).context(format!("while rendering {file}"));
        (file.to_string(), e)
    }

    #[test]
    fn the_same_error_is_shown_once_with_a_count() {
        let mut all: Vec<_> = (0..2000)
            .map(|k| {
                failed(
                    &format!("notes/{k}.md"),
                    "template error: Variable `x` not found",
                )
            })
            .collect();
        all.push((
            "notes/bad.md".into(),
            Diagnostic::at("notes/bad.md", "bad YAML").line(3).into(),
        ));
        let list = summarize(&all);
        let msg = list.to_string();
        assert_eq!(
            msg,
            "while rendering notes/0.md: template error: Variable `x` not found\n  \
             (and in 1,999 other pages: notes/1.md, notes/2.md, notes/3.md, …)\n\
             notes/bad.md:3: bad YAML"
        );
        // The note's error keeps its place for the browser overlay.
        let bad = &list.items[1];
        assert_eq!(
            (bad.file.as_deref(), bad.line),
            (Some("notes/bad.md"), Some(3))
        );
        let distinct: Vec<_> = (0..50)
            .map(|k| failed(&format!("notes/{k}.md"), &format!("error {k}")))
            .collect();
        let msg = summarize(&distinct).to_string();
        assert_eq!(msg.lines().count(), SHOWN + 1, "{msg}");
        assert!(
            msg.ends_with("… and 30 more different error(s) in 30 page(s)"),
            "{msg}"
        );
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1999), "1,999");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
