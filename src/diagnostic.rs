//! A user error as data: the file, line and column it is about, the message
//! and what to do. Stages return these (inside `anyhow`, so signatures stay),
//! the CLI prints their text, and `serve` hands their fields to the browser
//! overlay by downcasting, so no consumer reads a place back out of a message.

use std::fmt;

/// One problem, with its place when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    /// The file to fix as users name it (`notes/a.md`, `biji.yaml`, a template).
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<u32>,
    /// 1-based, in characters.
    pub column: Option<u32>,
    pub message: String,
    /// What to do about it, shown on its own indented line.
    pub hint: Option<String>,
    /// `message` is already the whole text (a sentence naming two files,
    /// Tera's report, a wrapped error's chain): `Display` adds neither the
    /// place nor the hint, which are then carried for the overlay only.
    verbatim: bool,
}

impl Diagnostic {
    /// A problem with no file to point at.
    pub(crate) fn new(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            verbatim: false,
        }
    }

    /// A problem in `file`, shown as `file: message`.
    pub(crate) fn at(file: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: Some(file.into()),
            ..Diagnostic::new(message)
        }
    }

    /// `bytes` as text, or where they stop being UTF-8 (line, and column
    /// in characters, as editors count) and that `file` must be saved so.
    pub(crate) fn utf8(bytes: Vec<u8>, file: &str) -> Result<String, Diagnostic> {
        if let Some(e) = Diagnostic::other_unicode(&bytes, file, "") {
            return Err(e);
        }
        Diagnostic::utf8_or(bytes, file, |byte| {
            format!("not UTF-8 text (byte 0x{byte:02X}); save `{file}` as UTF-8 in your editor")
        })
    }

    /// Text saved as UTF-16 (Windows Notepad's "Unicode") or UTF-32, told by
    /// its byte-order mark: the UTF-8 error would name its first byte and
    /// suggest GBK. `must` follows the encoding's name ("; notes must be UTF-8").
    pub(crate) fn other_unicode(bytes: &[u8], file: &str, must: &str) -> Option<Diagnostic> {
        // UTF-32LE's mark starts with UTF-16LE's, so it is looked for first.
        let name = match bytes {
            [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => "UTF-32",
            [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => "UTF-16",
            _ => return None,
        };
        let message = format!(
            "{name} text (it starts with a {name} byte-order mark){must}. \
             Save it as UTF-8 in your editor, or convert it with \
             `iconv -f {name} -t UTF-8 {file} -o x.tmp && mv x.tmp {file}`"
        );
        Some(Diagnostic::at(file, message).line(1).column(1))
    }

    /// [`Diagnostic::utf8`] with the message `say` makes of the first byte
    /// that is not UTF-8.
    pub(crate) fn utf8_or(
        bytes: Vec<u8>,
        file: &str,
        say: impl FnOnce(u8) -> String,
    ) -> Result<String, Diagnostic> {
        String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            // Everything before `at` is UTF-8.
            let good = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
            let line = 1 + good.matches('\n').count();
            let col = 1 + good.rsplit('\n').next().map_or(0, |l| l.chars().count());
            Diagnostic::at(file, say(e.as_bytes()[at]))
                .line(line)
                .column(col)
        })
    }

    /// Its line (a number or an `Option`); numbers beyond `u32` are
    /// dropped rather than wrapped.
    pub(crate) fn line(mut self, line: impl Into<Option<usize>>) -> Diagnostic {
        self.line = line.into().and_then(|n| u32::try_from(n).ok());
        self
    }

    pub(crate) fn column(mut self, column: impl Into<Option<usize>>) -> Diagnostic {
        self.column = column.into().and_then(|n| u32::try_from(n).ok());
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Shows `message` alone: it names the place itself.
    pub(crate) fn verbatim(mut self) -> Diagnostic {
        self.verbatim = true;
        self
    }

    /// Any error as one diagnostic: a plain `Diagnostic` as it is; anything
    /// else as its whole chain's text (`{e:#}`), placed where the first
    /// diagnostic in the chain is.
    pub(crate) fn from_error(e: &anyhow::Error) -> Diagnostic {
        match e.downcast_ref::<Diagnostic>() {
            Some(d) if e.chain().nth(1).is_none() => d.clone(),
            _ => Diagnostic::wrapping(e),
        }
    }

    /// The error's whole text, verbatim, with the place and hint of the
    /// first diagnostic in its chain.
    pub(crate) fn wrapping(e: &anyhow::Error) -> Diagnostic {
        let mut d = Diagnostic::new(format!("{e:#}")).verbatim();
        if let Some(found) = located(e) {
            d.file.clone_from(&found.file);
            d.line = found.line;
            d.column = found.column;
            d.hint.clone_from(&found.hint);
        }
        d
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.verbatim {
            return f.write_str(&self.message);
        }
        if let Some(file) = &self.file {
            f.write_str(file)?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Several problems reported at once (every broken link, every note that
/// failed to load), one a line, between an optional heading and closing line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Diagnostics {
    /// A line above the list (`3 broken link(s):`).
    pub head: Option<String>,
    pub items: Vec<Diagnostic>,
    /// A line below it (what to do about all of them, what was left out).
    pub tail: Option<String>,
}

impl Diagnostics {
    /// The list, without heading or closing line.
    pub(crate) fn of(items: Vec<Diagnostic>) -> Diagnostics {
        Diagnostics {
            items,
            ..Diagnostics::default()
        }
    }

    /// One item per error, each as [`Diagnostic::from_error`] makes it.
    pub(crate) fn of_errors<'a>(
        errors: impl IntoIterator<Item = &'a anyhow::Error>,
    ) -> Diagnostics {
        Diagnostics::of(errors.into_iter().map(Diagnostic::from_error).collect())
    }

    /// The first item that names a file: where the overlay points.
    pub(crate) fn first_located(&self) -> Option<&Diagnostic> {
        self.items.iter().find(|d| d.file.is_some())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(head) = &self.head {
            f.write_str(head)?;
            sep = "\n";
        }
        for d in &self.items {
            write!(f, "{sep}{d}")?;
            sep = "\n";
        }
        if let Some(tail) = &self.tail {
            write!(f, "{sep}{tail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The first diagnostic with a file in an error's chain (outermost first;
/// for a list, its first item with a file).
pub(crate) fn located(e: &anyhow::Error) -> Option<&Diagnostic> {
    // `anyhow::Error::downcast_ref` also sees diagnostics attached as context
    // (`with_context(|| Diagnostic::at(..))`), which `chain()` shows only as
    // anyhow's own wrapper; the chain then finds those further down.
    let outer = e
        .downcast_ref::<Diagnostic>()
        .or_else(|| e.downcast_ref::<Diagnostics>()?.first_located());
    outer.filter(|d| d.file.is_some()).or_else(|| {
        e.chain()
            .find_map(|cause| match cause.downcast_ref::<Diagnostic>() {
                Some(d) => d.file.is_some().then_some(d),
                None => cause.downcast_ref::<Diagnostics>()?.first_located(),
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn shows_the_place_then_the_message_then_the_hint() {
        let d = Diagnostic::at("notes/a.md", "invalid front matter: bad")
            .line(3)
            .column(7)
            .hint("fix the YAML");
        assert_eq!(
            d.to_string(),
            "notes/a.md:3:7: invalid front matter: bad\n  fix the YAML"
        );
        assert_eq!(
            Diagnostic::at("biji.yaml", "x").line(2).to_string(),
            "biji.yaml:2: x"
        );
        // A column without a line says nothing.
        assert_eq!(Diagnostic::at("a.md", "x").column(4).to_string(), "a.md: x");
        assert_eq!(Diagnostic::new("no file").to_string(), "no file");
        let v = Diagnostic::at("notes/a.md", "notes/a.md and notes/b.md clash")
            .line(1)
            .hint("rename one")
            .verbatim();
        assert_eq!(v.to_string(), "notes/a.md and notes/b.md clash");
        assert_eq!(v.file.as_deref(), Some("notes/a.md"));
    }

    #[test]
    fn lists_show_one_problem_a_line() {
        let mut list = Diagnostics::of(vec![
            Diagnostic::at("notes/a.md", "one").line(1),
            Diagnostic::new("two"),
        ]);
        assert_eq!(list.to_string(), "notes/a.md:1: one\ntwo");
        list.head = Some("2 problems:".into());
        list.tail = Some("(fix them)".into());
        assert_eq!(
            list.to_string(),
            "2 problems:\nnotes/a.md:1: one\ntwo\n(fix them)"
        );
        assert_eq!(Diagnostics::default().to_string(), "");
    }

    #[test]
    fn a_wrapped_diagnostic_keeps_its_place_and_the_whole_text() {
        let inner: anyhow::Error = Diagnostic::at("notes/a.md", "bad date").line(4).into();
        let plain = Diagnostic::from_error(&inner);
        assert_eq!(plain.to_string(), "notes/a.md:4: bad date");
        let wrapped = Err::<(), _>(inner)
            .context("while rendering notes/a.md")
            .unwrap_err();
        let d = Diagnostic::from_error(&wrapped);
        assert_eq!(
            d.to_string(),
            "while rendering notes/a.md: notes/a.md:4: bad date"
        );
        assert_eq!((d.file.as_deref(), d.line), (Some("notes/a.md"), Some(4)));
        // A diagnostic used as context over another error is found too.
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let e = Err::<(), _>(io)
            .context(Diagnostic::at("notes/b.md", "cannot read note `notes/b.md`").verbatim())
            .unwrap_err();
        assert_eq!(format!("{e:#}"), "cannot read note `notes/b.md`: gone");
        assert_eq!(
            located(&e).and_then(|d| d.file.as_deref()),
            Some("notes/b.md")
        );
    }

    #[test]
    fn a_list_is_located_by_its_first_placed_item() {
        let list = Diagnostics::of(vec![
            Diagnostic::new("no place"),
            Diagnostic::at("notes/c.md", "broken").line(9),
        ]);
        let e: anyhow::Error = list.into();
        assert_eq!(located(&e).and_then(|d| d.line), Some(9));
        assert!(located(&anyhow::anyhow!("notes/x.md:1: text only")).is_none());
    }
}
