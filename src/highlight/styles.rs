//! Code colours resolved when a block is highlighted: each run of text gets
//! the classes of its colour in the light and in the dark theme
//! (`<span class="hl3 hd7">`), not the classes of its scopes.
//!
//! Scope classes (`hl-source hl-python`, `hl-keyword hl-control hl-import
//! hl-python`, ... nested per token) made 72% of the bytes of a note page
//! with code, for the browser to match against every rule of two themes.
//! Resolving a scope stack to a colour is what an editor does with a
//! TextMate theme, so the colours are also the theme's own (syntect's
//! scoring of its rules), not CSS's reading of them.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use syntect::highlighting::{Color, FontStyle, Highlighter as Themer, Theme};
use syntect::parsing::{Scope, ScopeStack, ScopeStackOp};

/// Raised when the classes a stack gets change meaning, so that the body
/// cache (its key hashes [`CodeStyles`]) renders code again.
const FORMAT: u32 = 1;

/// Stacks one thread's memo keeps before it starts over.
const MEMO_STACKS: usize = 100_000;

/// How code blocks are coloured.
pub(crate) enum CodeStyles {
    /// The site's own `static/syntax.css` styles syntect's scope classes
    /// (`hl-keyword`), so blocks keep them.
    Scopes,
    /// The configured themes, resolved per token (see the module's doc).
    Resolved(Box<Resolved>),
}

impl Hash for CodeStyles {
    fn hash<H: Hasher>(&self, h: &mut H) {
        match self {
            CodeStyles::Scopes => 0u8.hash(h),
            CodeStyles::Resolved(r) => (1u8, r.id).hash(h),
        }
    }
}

/// The light and the dark theme, each with its palette.
pub(crate) struct Resolved {
    /// Tells the pairs of themes apart in the per-thread memo and in keys.
    id: u64,
    pub(super) light: Table,
    pub(super) dark: Table,
}

/// One theme and the colours its rules name.
pub(super) struct Table {
    pub(super) name: String,
    pub(super) theme: Theme,
    /// Every foreground colour of the theme's rules, sorted: a token's
    /// class is its colour's place here (`hl3`), the same in every build.
    pub(super) palette: Vec<Color>,
}

/// Theme names a site may pick for `highlight_theme_light` / `_dark`.
pub(crate) fn theme_names() -> Vec<String> {
    let set = two_face::theme::LazyThemeSet::from(two_face::theme::extra());
    let mut v: Vec<String> = set.theme_names().map(str::to_string).collect();
    v.sort();
    v
}

impl CodeStyles {
    /// The styles for the configured themes; `own_css`: the site has its
    /// own `static/syntax.css`. Unknown theme names are an error either way.
    pub(crate) fn new(light: &str, dark: &str, own_css: bool) -> anyhow::Result<CodeStyles> {
        let set = two_face::theme::LazyThemeSet::from(two_face::theme::extra());
        let get = |name: &str, key: &str| -> anyhow::Result<Table> {
            let theme = set.get(name).ok_or_else(|| {
                anyhow::anyhow!(
                    "biji.yaml: {key} `{name}` is not a known theme; choose one of: {}",
                    theme_names().join(", ")
                )
            })?;
            Ok(Table::new(name, theme.clone()))
        };
        let (light, dark) = (
            get(light, "highlight_theme_light")?,
            get(dark, "highlight_theme_dark")?,
        );
        if own_css {
            return Ok(CodeStyles::Scopes);
        }
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        (FORMAT, &light.name, &dark.name).hash(&mut h);
        Ok(CodeStyles::Resolved(Box::new(Resolved {
            id: h.finish(),
            light,
            dark,
        })))
    }
}

impl Table {
    fn new(name: &str, theme: Theme) -> Table {
        let mut palette: Vec<Color> = theme
            .scopes
            .iter()
            .filter_map(|item| item.style.foreground)
            .chain(theme.settings.foreground)
            .collect();
        palette.sort_by_key(|c| (c.r, c.g, c.b, c.a));
        palette.dedup();
        Table {
            name: name.to_string(),
            theme,
            palette,
        }
    }

    /// The block's text colour: tokens of this colour need no class.
    pub(super) fn default_fg(&self) -> Color {
        self.theme.settings.foreground.unwrap_or(Color::BLACK)
    }

    /// Appends the classes of `stack`'s style, each after a space: `h` and
    /// `mode`, then the colour's place in the palette or `b`, `i`, `u`.
    fn push_classes(&self, mode: char, themer: &Themer, stack: &[Scope], out: &mut String) {
        let style = themer.style_for_stack(stack);
        if style.foreground != self.default_fg() {
            match self.palette.iter().position(|&c| c == style.foreground) {
                Some(i) => {
                    use std::fmt::Write;
                    let _ = write!(out, " h{mode}{i}");
                }
                None => log::debug!(
                    "code colour {:?} is not in {}'s palette",
                    style.foreground,
                    self.name
                ),
            }
        }
        for (bit, letter, _) in FONT_CLASSES {
            if style.font_style.contains(bit) {
                out.extend([' ', 'h', mode, letter]);
            }
        }
    }
}

/// Font styles, the letter of their class and its declaration.
pub(super) const FONT_CLASSES: [(FontStyle, char, &str); 3] = [
    (FontStyle::BOLD, 'b', "font-weight:bold"),
    (FontStyle::ITALIC, 'i', "font-style:italic"),
    (FontStyle::UNDERLINE, 'u', "text-decoration:underline"),
];

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// One thread's resolved stacks: resolving scores every rule of both
/// themes, and a site's code has a few thousand distinct stacks.
#[derive(Default)]
struct Memo {
    /// The [`Resolved::id`] the entries are for.
    id: u64,
    by_stack: FxHashMap<Box<[Scope]>, u32>,
    /// Class attributes by number; 0 is none (no span).
    classes: Vec<Box<str>>,
    numbers: FxHashMap<Box<str>, u32>,
}

impl Memo {
    fn fit(&mut self, id: u64) {
        if self.id != id || self.by_stack.len() > MEMO_STACKS || self.classes.is_empty() {
            *self = Memo {
                id,
                classes: vec!["".into()],
                ..Memo::default()
            };
            self.numbers.insert("".into(), 0);
        }
    }

    /// The number of `stack`'s class attribute.
    fn class(&mut self, r: &Resolved, stack: &[Scope]) -> u32 {
        if let Some(&n) = self.by_stack.get(stack) {
            return n;
        }
        let mut s = String::new();
        r.light
            .push_classes('l', &Themer::new(&r.light.theme), stack, &mut s);
        r.dark
            .push_classes('d', &Themer::new(&r.dark.theme), stack, &mut s);
        let s = s.trim_start();
        let n = match self.numbers.get(s) {
            Some(&n) => n,
            None => {
                let n = self.classes.len() as u32;
                self.classes.push(s.into());
                self.numbers.insert(s.into(), n);
                n
            }
        };
        self.by_stack.insert(stack.into(), n);
        n
    }
}

impl Resolved {
    /// Appends `line` (with its newline, if any) as HTML, given the parser's
    /// `ops` for it: each run of text that is not the block's plain colour in
    /// a span of its classes, closed before the newline so that no span
    /// crosses a line. `false` if the ops do not apply to `stack`.
    pub(super) fn push_line(
        &self,
        line: &str,
        ops: &[(usize, ScopeStackOp)],
        stack: &mut ScopeStack,
        out: &mut String,
    ) -> bool {
        let body = line.strip_suffix('\n').unwrap_or(line);
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            m.fit(self.id);
            let mut open = 0;
            let mut at = 0;
            for (i, op) in ops {
                let i = (*i).min(body.len());
                if i > at {
                    run(&mut m, self, stack, &body[at..i], &mut open, out);
                    at = i;
                }
                if stack.apply(op).is_err() {
                    return false;
                }
            }
            if at < body.len() {
                run(&mut m, self, stack, &body[at..], &mut open, out);
            }
            if open != 0 {
                out.push_str("</span>");
            }
            out.push_str(&line[body.len()..]);
            true
        })
    }
}

/// Appends one run of text in `stack`'s style: a span opens when the class
/// changes. White space keeps the span it is in (it shows no colour), so
/// `a = b` of one colour is one span.
fn run(
    m: &mut Memo,
    r: &Resolved,
    stack: &ScopeStack,
    text: &str,
    open: &mut u32,
    out: &mut String,
) {
    if !text.bytes().all(|b| b == b' ' || b == b'\t') {
        let class = m.class(r, stack.as_slice());
        if class != *open {
            if *open != 0 {
                out.push_str("</span>");
            }
            if class != 0 {
                out.push_str("<span class=\"");
                out.push_str(&m.classes[class as usize]);
                out.push_str("\">");
            }
            *open = class;
        }
    }
    html_escape::encode_text_to_string(text, out);
}

#[cfg(test)]
mod tests {
    use super::super::Highlighter;
    use super::*;
    use syntect::easy::HighlightLines;
    use syntect::util::LinesWithEndings;

    const SAMPLES: &[(&str, &str)] = &[
        ("rust", "/// Doc.\nfn main() -> Result<(), E> {\n    let s = \"a & b\"; // x < y\n    println!(\"{s}\");\n}\n"),
        ("python", "import os\n\n@dataclass\nclass A(B):\n    \"\"\"Doc\n    more\"\"\"\n    def f(self, x=1):\n        return f\"{x!r}\" if x > 0 else None\n"),
        ("go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tch := make(chan int, 3)\n\tfmt.Println(<-ch)\n}\n"),
        ("bash", "#!/bin/bash\nfor f in *.md; do\n  echo \"$f\" | grep -v '^#' > /dev/null\ndone\n"),
        ("cpp", "#include <iostream>\ntemplate <typename T>\nint main() { std::vector<T> v; return 0; }\n"),
        ("yaml", "on:\n  push:\n    branches: [main]  # deploy\n"),
        ("html", "<div class=\"a\">&amp; <b>x</b></div>\n<script>let a = 1;</script>\n"),
    ];

    /// Per byte of the block's text: the foreground and font style the
    /// page's classes give it in theme `t` (`mode` its letter).
    fn shown(html: &str, t: &Table, mode: char) -> Vec<(Color, FontStyle)> {
        let inner = &html[html.find("<code").unwrap()..html.rfind("</code>").unwrap()];
        let inner = &inner[inner.find('>').unwrap() + 1..];
        let plain = (t.default_fg(), FontStyle::empty());
        let (mut out, mut now, mut rest) = (Vec::new(), plain, inner);
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix("</span>") {
                now = plain;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("<span class=\"") {
                let end = r.find("\">").unwrap();
                now = plain;
                for c in r[..end].split(' ') {
                    let Some(v) = c.strip_prefix(&format!("h{mode}")) else {
                        continue;
                    };
                    match FONT_CLASSES.iter().find(|(_, l, _)| v == l.to_string()) {
                        Some((bit, _, _)) => now.1 |= *bit,
                        None => now.0 = t.palette[v.parse::<usize>().unwrap()],
                    }
                }
                rest = &r[end + 2..];
            } else {
                let (len, n) = [("&amp;", 1), ("&lt;", 1), ("&gt;", 1)]
                    .iter()
                    .find(|(e, _)| rest.starts_with(e))
                    .map_or((rest.chars().next().unwrap().len_utf8(), 0), |&(e, n)| {
                        (e.len(), n)
                    });
                out.extend(std::iter::repeat_n(now, if n == 1 { 1 } else { len }));
                rest = &rest[len..];
            }
        }
        out
    }

    /// Per byte: what syntect's own highlighter gives with theme `t`.
    fn reference(h: &Highlighter, label: &str, code: &str, t: &Table) -> Vec<(Color, FontStyle)> {
        let (syntax, set) = h.find(label).unwrap();
        let mut lines = HighlightLines::new(syntax, &t.theme);
        let mut out = Vec::new();
        for line in LinesWithEndings::from(code) {
            for (style, text) in lines.highlight_line(line, set).unwrap() {
                out.extend(std::iter::repeat_n(
                    (style.foreground, style.font_style),
                    text.len(),
                ));
            }
        }
        out
    }

    /// Every character that is not white space shows the colour and font
    /// style the theme gives it, in both themes, for several pairs of themes.
    #[test]
    fn classes_show_the_themes_own_colours() {
        let h = Highlighter::new();
        for (light, dark) in [
            ("OneHalfLight", "OneHalfDark"),
            ("GitHub", "Monokai Extended"),
            ("Solarized (light)", "Dracula"),
        ] {
            let styles = CodeStyles::new(light, dark, false).unwrap();
            let CodeStyles::Resolved(r) = &styles else {
                unreachable!()
            };
            for (label, code) in SAMPLES {
                let html = h.block(label, code, ("t.md", 1), &styles);
                for (t, mode) in [(&r.light, 'l'), (&r.dark, 'd')] {
                    let got = shown(&html, t, mode);
                    let want = reference(&h, label, code, t);
                    assert_eq!(got.len(), want.len(), "{label}: {html}");
                    for (i, b) in code.bytes().enumerate() {
                        if !b.is_ascii_whitespace() {
                            assert_eq!(
                                got[i], want[i],
                                "{} {label} byte {i} of {code:?}\n{html}",
                                t.name
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn runs_of_one_colour_are_one_span_and_none_crosses_a_line() {
        let h = Highlighter::new();
        let styles = CodeStyles::new("OneHalfLight", "OneHalfDark", false).unwrap();
        let html = h.block("python", "x = \"\"\"a\nb\"\"\"\n", ("t.md", 1), &styles);
        for line in html.lines() {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{html}"
            );
        }
        // The string's quotes and text are one colour: one span per line.
        assert!(
            html.contains(">&quot;&quot;&quot;a</span>") || html.contains(">\"\"\"a</span>"),
            "{html}"
        );
    }
}
