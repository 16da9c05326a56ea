//! The stack of elements a note's raw HTML has open.

/// The elements the note's raw HTML has open, with how many of each name
/// and of code: a note of 200,000 unclosed `<span>`s took 23 s when each
/// tag searched the whole stack.
#[derive(Debug, Default)]
pub(super) struct Stack {
    pub(super) names: Vec<String>,
    counts: std::collections::HashMap<String, usize>,
    /// Open elements whose text is code as written.
    pub(super) code: usize,
    /// Open `svg` and `math` elements, where `<x/>` closes itself.
    pub(super) foreign: usize,
    /// Per open element: whether it is a link (`<a href>`), and how many are.
    is_link: Vec<bool>,
    pub(super) links: usize,
}

impl Stack {
    fn is_code(name: &str) -> bool {
        matches!(name, "code" | "pre" | "kbd" | "samp" | "tt")
    }

    fn is_foreign(name: &str) -> bool {
        matches!(name, "svg" | "math")
    }

    /// Opens `name`; `link`: it is an `<a href>`.
    pub(super) fn push(&mut self, name: &str, link: bool) {
        self.is_link.push(link);
        self.links += usize::from(link);
        match self.counts.get_mut(name) {
            Some(n) => *n += 1,
            None => _ = self.counts.insert(name.to_string(), 1),
        }
        self.code += usize::from(Self::is_code(name));
        self.foreign += usize::from(Self::is_foreign(name));
        self.names.push(name.to_string());
    }

    pub(super) fn pop(&mut self) -> Option<String> {
        let name = self.names.pop()?;
        if self.is_link.pop() == Some(true) {
            self.links -= 1;
        }
        if let Some(n) = self.counts.get_mut(&name) {
            *n -= 1;
        }
        self.code -= usize::from(Self::is_code(&name));
        self.foreign -= usize::from(Self::is_foreign(&name));
        Some(name)
    }

    /// Whether an element `name` is open.
    pub(super) fn has(&self, name: &str) -> bool {
        self.counts.get(name).is_some_and(|&n| n > 0)
    }

    /// Closes the innermost open `name` and what was opened inside it;
    /// false (nothing closed) when none is open.
    pub(super) fn close(&mut self, name: &str) -> bool {
        if !self.has(name) {
            return false;
        }
        while let Some(closed) = self.pop() {
            if closed == name {
                break;
            }
        }
        true
    }
}
