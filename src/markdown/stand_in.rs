//! The characters [`prepare`](super::prepare)'s rewrites put in a note where
//! the parser must not see what the note wrote, and the one pass that takes
//! them out of the events again.
//!
//! Each is a noncharacter, one character for one written (so columns stay
//! the author's). A rewrite is skipped for a note that already has its
//! stand-in: its own character must come out as written, and the rewrite's
//! could not be told from it.

use pulldown_cmark::{CowStr, Event};
use std::borrow::Cow;

/// A space of a file path (`spaced_path`): no space to the parser.
pub(super) const PATH_SPACE: char = '\u{FDD1}';
/// After a Typora `<img>` line (`img_line`): makes the line a paragraph.
pub(super) const IMG_MARK: char = '\u{FDD2}';
/// A space inside a spaced formula, `$ x $` (`spaced_math`).
pub(super) const MATH_SPACE: char = '\u{FDD3}';
/// A dollar glued to a word that opens no formula (`glued_dollar`).
pub(super) const DOLLAR: char = '\u{FDD4}';
/// The inner brackets of `[[1]](url)` (`bracket_link`).
pub(super) const OPEN: char = '\u{FDD5}';
pub(super) const CLOSE: char = '\u{FDD6}';
/// A blank line inside a `$$` formula (`math_gaps`).
pub(super) const GAP: char = '\u{FDD7}';

/// The rewrites that use stand-ins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rewrite {
    PathSpaces,
    ImgLines,
    MathSpaces,
    Dollars,
    Brackets,
    MathGaps,
}

impl Rewrite {
    /// Its characters, each with what the events show in its place.
    fn chars(self) -> &'static [(char, &'static str)] {
        match self {
            Rewrite::PathSpaces => &[(PATH_SPACE, " ")],
            Rewrite::ImgLines => &[(IMG_MARK, "")],
            Rewrite::MathSpaces => &[(MATH_SPACE, " ")],
            Rewrite::Dollars => &[(DOLLAR, "$")],
            Rewrite::Brackets => &[(OPEN, "["), (CLOSE, "]")],
            Rewrite::MathGaps => &[(GAP, "")],
        }
    }

    /// Whether its stand-ins can be in `event`: a formula's only in
    /// formulas, the image mark only in text; the others may end up in
    /// any string (a link's destination, or text where the parser found no
    /// link after all).
    fn reaches(self, event: &Event) -> bool {
        match self {
            Rewrite::MathSpaces => matches!(event, Event::InlineMath(_)),
            Rewrite::MathGaps => matches!(event, Event::DisplayMath(_)),
            Rewrite::ImgLines => matches!(event, Event::Text(_)),
            _ => true,
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The rewrites that put stand-ins in a note. Only a note that has some is
/// looked through: looking at every string of every event costs a list per
/// event.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Used(u8);

impl Used {
    /// `body` through `rewrite`, unless the note has its stand-ins already.
    pub(super) fn run<'b>(
        &mut self,
        which: Rewrite,
        body: Cow<'b, str>,
        rewrite: impl FnOnce(&str) -> Cow<'_, str>,
    ) -> Cow<'b, str> {
        // `contains` of one char searches its bytes (memchr), a closure
        // decodes every character: on every note, twice, that was 3% of a build.
        if which.chars().iter().any(|&(c, _)| body.contains(c)) {
            return body;
        }
        match rewrite(&body) {
            Cow::Owned(text) => {
                self.0 |= which.bit();
                Cow::Owned(text)
            }
            Cow::Borrowed(_) => body,
        }
    }

    fn has(self, which: Rewrite) -> bool {
        self.0 & which.bit() != 0
    }

    /// `event` as the note wrote it; `None` for a text that was only a
    /// stand-in.
    pub(super) fn restore(self, mut event: Event<'_>) -> Option<Event<'_>> {
        if self.0 == 0 {
            return Some(event);
        }
        let active: Vec<Rewrite> = ALL
            .into_iter()
            .filter(|&r| self.has(r) && r.reaches(&event))
            .collect();
        if active.is_empty() {
            return Some(event);
        }
        let text = matches!(event, Event::Text(_));
        for s in super::cjk_emphasis::strings(&mut event) {
            if let Cow::Owned(r) = restored(s, &active) {
                if text && r.is_empty() {
                    return None;
                }
                *s = CowStr::from(r);
            }
        }
        Some(event)
    }

    /// A formula as the note has it (`$ x $`), with its spaces back.
    pub(super) fn formula<'s>(self, written: &'s str) -> Cow<'s, str> {
        match self.has(Rewrite::MathSpaces) {
            true => restored(written, &[Rewrite::MathSpaces]),
            false => Cow::Borrowed(written),
        }
    }
}

const ALL: [Rewrite; 6] = [
    Rewrite::PathSpaces,
    Rewrite::ImgLines,
    Rewrite::MathSpaces,
    Rewrite::Dollars,
    Rewrite::Brackets,
    Rewrite::MathGaps,
];

/// `s` with the stand-ins of `active` as written.
fn restored<'s>(s: &'s str, active: &[Rewrite]) -> Cow<'s, str> {
    let shown = |c: char| {
        active
            .iter()
            .flat_map(|r| r.chars())
            .find(|&&(s, _)| s == c)
            .map(|&(_, w)| w)
    };
    let Some(first) = s.find(|c| shown(c).is_some()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match shown(c) {
            Some(w) => out.push_str(w),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(rewrites: &[Rewrite]) -> Used {
        Used(rewrites.iter().fold(0, |b, r| b | r.bit()))
    }

    fn text(s: &str) -> Event<'_> {
        Event::Text(CowStr::from(s))
    }

    #[test]
    fn each_stand_in_shows_what_was_written() {
        let all = used(&ALL);
        let t = format!("a{DOLLAR}SHELL {OPEN}1{CLOSE} b{PATH_SPACE}c.png");
        assert_eq!(all.restore(text(&t)), Some(text("a$SHELL [1] b c.png")));
        let e = Event::InlineMath(CowStr::from(format!("{MATH_SPACE}x^2{MATH_SPACE}")));
        assert_eq!(all.restore(e), Some(Event::InlineMath(" x^2 ".into())));
        let e = Event::DisplayMath(CowStr::from(format!("a\n{GAP}\nb")));
        assert_eq!(all.restore(e), Some(Event::DisplayMath("a\n\nb".into())));
        assert_eq!(all.restore(text(&IMG_MARK.to_string())), None);
        assert_eq!(
            all.restore(text(&format!("{IMG_MARK}图"))),
            Some(text("图"))
        );
        assert_eq!(all.formula(&format!("${MATH_SPACE}x$")), "$ x$");
    }

    #[test]
    fn stand_ins_stay_where_their_rewrite_cannot_reach() {
        let all = used(&ALL);
        // A formula's space is no space in text, a gap none in inline math.
        let t = format!("{MATH_SPACE}{GAP}");
        assert_eq!(all.restore(text(&t)), Some(text(&t)));
        let e = Event::InlineMath(CowStr::from(GAP.to_string()));
        assert_eq!(all.restore(e.clone()), Some(e));
    }

    #[test]
    fn a_notes_own_noncharacters_are_kept() {
        // The note has a U+FDD4 of its own: the glued-dollar rewrite is
        // skipped, and nothing turns it into a dollar.
        let mut u = Used::default();
        let own = format!("a{DOLLAR}b 价格$5\n");
        let body = u.run(Rewrite::Dollars, Cow::Borrowed(&own), |_| {
            Cow::Owned(String::from("rewritten"))
        });
        assert_eq!(body, own);
        assert_eq!(u.restore(text(&own)), Some(text(&own)));
        // A rewrite that ran is undone; another's characters stay.
        let body = u.run(Rewrite::Brackets, Cow::Borrowed("x"), |_| {
            Cow::Owned(format!("{OPEN}{CLOSE}"))
        });
        assert_eq!(body, format!("{OPEN}{CLOSE}"));
        let t = format!("{OPEN}1{CLOSE}{DOLLAR}");
        assert_eq!(u.restore(text(&t)), Some(text(&format!("[1]{DOLLAR}"))));
    }
}
