//! Code fences followed line by line, for the rewrites made before parsing
//! that must leave code as written and look at too few notes to parse each.
//! Any indent opens a fence (a list item's is indented); it closes with a
//! run of its character at least as long, as CommonMark reads it, so a
//! ```` ```` ```` fence may hold a ```` ``` ```` one.

/// A fence's character and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Fence {
    mark: char,
    len: usize,
}

impl Fence {
    /// The fence `line` opens, with its info string (` ```ad-note `).
    /// A backtick fence's info has no backtick: ```` ```x``` ```` is a code
    /// span.
    pub(super) fn opening(line: &str) -> Option<(Fence, &str)> {
        let t = line.trim_start_matches([' ', '\t']);
        let mark = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let len = t.bytes().take_while(|&b| b == mark as u8).count();
        let info = t[len..].trim();
        let code_span = mark == '`' && info.contains('`');
        (len >= 3 && !code_span).then_some((Fence { mark, len }, info))
    }

    /// Whether `line` closes this fence.
    pub(super) fn closed_by(self, line: &str) -> bool {
        let t = line.trim();
        let run = t.bytes().take_while(|&b| b == self.mark as u8).count();
        run >= self.len && run == t.len()
    }
}

/// A walk through a note's lines: whether it is inside a fence.
#[derive(Default)]
pub(super) struct Fences(Option<Fence>);

impl Fences {
    /// Whether `line`, the next line, is code: a fence or inside one.
    pub(super) fn code(&mut self, line: &str) -> bool {
        match self.0 {
            Some(fence) => {
                if fence.closed_by(line) {
                    self.0 = None;
                }
                true
            }
            None => {
                self.0 = Fence::opening(line).map(|(f, _)| f);
                self.0.is_some()
            }
        }
    }

    /// Whether the lines read so far left a fence open.
    pub(super) fn inside(&self) -> bool {
        self.0.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_lines(body: &str) -> Vec<bool> {
        let mut f = Fences::default();
        body.lines().map(|l| f.code(l)).collect()
    }

    #[test]
    fn fences_close_with_their_own_mark_at_least_as_long() {
        let body = "a\n````md\n```\nx\n```\n````\nb\n";
        assert_eq!(
            code_lines(body),
            [false, true, true, true, true, true, false]
        );
        let body = "~~~\n```\n~~~~ \nc\n";
        assert_eq!(code_lines(body), [true, true, true, false]);
        // In a list item, indented; a code span of three backticks opens none.
        let body = "- a\n\n    ```sh\n    $ ls\n    ```\n```x``` y\n";
        assert_eq!(code_lines(body), [false, false, true, true, true, false]);
        // `` ```a `` does not close: only the mark may be on the line.
        assert_eq!(code_lines("```\n```a\n```\nz\n"), [true, true, true, false]);
    }

    #[test]
    fn an_opening_fence_gives_its_info_string() {
        let (f, info) = Fence::opening("  ```ad-note ").unwrap();
        assert_eq!((f.len, info), (3, "ad-note"));
        assert_eq!(
            Fence::opening("~~~~ py").map(|(f, i)| (f.len, i)),
            Some((4, "py"))
        );
        assert!(Fence::opening("``x").is_none());
        assert!(Fence::opening("text ```").is_none());
    }
}
