//! Build-time syntax highlighting (syntect + bat's extra syntaxes), each
//! token classed by its colours in the two themes (see `styles`).
//!
//! A language syntect ships is highlighted with syntect's own definition; bat's
//! set (two-face) is used only for the languages syntect lacks (Dockerfile,
//! TOML, TypeScript, ...). bat's newer definitions of the common languages are
//! slower (Go takes ~1.8x as long on the benchmark corpus) for no visible gain.
//!
//! Highlighting is nearly all of a build's CPU time, so the syntax set is
//! loaded once from a binary dump and every highlighted block is cached by
//! content: the same block is never highlighted twice, within a build (the
//! corpus repeats snippets) or across `serve` rebuilds. Below that, a line
//! parsed before from the same parser state is not parsed again (`lines`).

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use syntect::html::{line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

mod aliases;
mod contrast;
mod css;
mod lines;
mod session;
mod styles;
pub(crate) use css::stylesheet;
pub(crate) use styles::{theme_names, CodeStyles};

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Cache size for one-off builds: sites rarely repeat a block, and classed HTML
/// is ~3x the code's size, so a big cache would only raise peak memory.
pub(crate) const BUILD_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// Cache size for `serve`, where every rebuild re-renders pages whose blocks
/// have not changed: large enough to hold a 1k-note site's highlighted code.
pub(crate) const SERVE_CACHE_BYTES: usize = 512 * 1024 * 1024;

/// A block with a line longer than this (bytes) is shown plain: syntect's
/// time grows faster than the line (one 1 MB line of Markdown took 109 s,
/// 100 KB took 5 s), and a minified line is not read for its colours anyway.
/// At this length a 256 KB block of such lines takes about 0.4 s.
pub const MAX_LINE_BYTES: usize = 5_000;

/// A block larger than this (bytes) is shown plain: long enough for any code
/// listing, short enough that no block takes more than about half a second.
pub const MAX_BLOCK_BYTES: usize = 256 * 1024;

/// Fence labels no syntax has: how many blocks, and the first by file and line.
pub(crate) type Unknown = BTreeMap<String, (usize, (String, usize))>;

/// Highlights code blocks; shared by all render threads (and kept across
/// rebuilds in `serve` for its cache).
pub struct Highlighter {
    /// syntect's own definitions: tried first.
    defaults: SyntaxSet,
    /// bat's set, for languages `defaults` lacks.
    extras: SyntaxSet,
    cache: Mutex<Cache>,
    budget: usize,
    unknown: Mutex<Unknown>,
    /// Blocks too long to highlight (see [`MAX_LINE_BYTES`]), by `file:line`,
    /// and why.
    too_long: Mutex<BTreeMap<(String, usize), String>>,
    /// Fence label -> (in `extras`?, index of its syntax), or `None` when no
    /// syntax has it: finding a label scans the sets' extension lists, and a
    /// site uses a handful of labels on thousands of blocks.
    labels: Mutex<HashMap<String, Option<(bool, usize)>>>,
}

#[derive(Default)]
struct Cache {
    map: HashMap<u64, Arc<str>>,
    bytes: usize,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// Loads syntect's defaults plus bat's extras (Dockerfile, TOML, TypeScript, ...)
    /// from the dump compiled into the binary; sized for a one-off build.
    pub fn new() -> Highlighter {
        Self::with_cache_budget(BUILD_CACHE_BYTES)
    }

    /// A highlighter whose block cache may hold up to `bytes` of HTML.
    pub fn with_cache_budget(bytes: usize) -> Highlighter {
        Highlighter {
            defaults: SyntaxSet::load_defaults_newlines(),
            extras: two_face::syntax::extra_newlines(),
            cache: Mutex::new(Cache::default()),
            budget: bytes,
            unknown: Mutex::new(BTreeMap::new()),
            too_long: Mutex::new(BTreeMap::new()),
            labels: Mutex::new(HashMap::new()),
        }
    }

    /// The syntax for a fence label and the set it belongs to.
    fn find(&self, label: &str) -> Option<(&SyntaxReference, &SyntaxSet)> {
        let mut labels = self.labels.lock().unwrap_or_else(|e| e.into_inner());
        let at = match labels.get(label) {
            Some(at) => *at,
            None => {
                let at = self.look_up(label).and_then(|(syntax, set)| {
                    let extra = std::ptr::eq(set, &self.extras);
                    let i = set
                        .syntaxes()
                        .iter()
                        .position(|s| std::ptr::eq(s, syntax))?;
                    Some((extra, i))
                });
                labels.insert(label.to_string(), at);
                at
            }
        };
        let (extra, i) = at?;
        let set = if extra { &self.extras } else { &self.defaults };
        Some((set.syntaxes().get(i)?, set))
    }

    /// [`Highlighter::find`] without the memo.
    fn look_up(&self, label: &str) -> Option<(&SyntaxReference, &SyntaxSet)> {
        let lower = label.to_ascii_lowercase();
        let token = aliases::ALIASES
            .iter()
            .find(|(a, _)| *a == lower)
            .map(|(_, t)| *t)
            .unwrap_or(&lower);
        if token.is_empty() {
            return None;
        }
        // bat's set knows more labels (`fish` is Fish there, bash in syntect's):
        // it decides which language a label means, syntect's set supplies the
        // definition when it has that language.
        let found = self
            .extras
            .find_syntax_by_token(token)
            .or_else(|| self.extras.find_syntax_by_name(label))?;
        match self.defaults.find_syntax_by_name(&found.name) {
            Some(own) => Some((own, &self.defaults)),
            None => Some((found, &self.extras)),
        }
    }

    /// True when `label` names a language we can highlight.
    pub fn knows(&self, label: &str) -> bool {
        self.find(label).is_some()
    }

    /// Renders a fenced or indented code block to `<pre>` HTML. `label` is the
    /// fence's first word (empty for unlabelled fences and indented code);
    /// `file` and `line` say where the block is, for the report of blocks
    /// too long to highlight; `styles`, how tokens are coloured.
    pub(crate) fn block(
        &self,
        label: &str,
        code: &str,
        (file, line): (&str, usize),
        styles: &CodeStyles,
    ) -> Arc<str> {
        let label = label.trim();
        let syntax = if label.is_empty() {
            None
        } else {
            let s = self.find(label);
            if s.is_none() && !is_plain_label(label) {
                let mut unknown = self.unknown.lock().unwrap_or_else(|e| e.into_inner());
                let at = (file.to_string(), line);
                let e = unknown
                    .entry(label.to_ascii_lowercase())
                    .or_insert((0, at.clone()));
                e.0 += 1;
                if at < e.1 {
                    e.1 = at;
                }
            }
            s
        };
        let Some((syntax, set)) = syntax else {
            return plain_block(label, code).into();
        };
        if let Some(why) = too_long(code) {
            self.lock_too_long().insert((file.to_string(), line), why);
            return plain_block(label, code).into();
        }
        let key = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (&syntax.name, code, styles, session::is_session(label)).hash(&mut h);
            h.finish()
        };
        if let Some(hit) = self.lock_cache().map.get(&key) {
            return hit.clone();
        }
        let html: Arc<str> = self.highlight(set, syntax, (label, code), styles).into();
        let mut cache = self.lock_cache();
        if cache.bytes + html.len() <= self.budget {
            cache.bytes += html.len();
            cache.map.insert(key, html.clone());
        }
        html
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_too_long(&self) -> std::sync::MutexGuard<'_, BTreeMap<(String, usize), String>> {
        self.too_long.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Empties the memo of parsed lines on every thread of the render pool
    /// (a long-running `serve` between full rebuilds).
    pub(crate) fn forget_lines(&self) {
        rayon::broadcast(|_| lines::forget());
    }

    /// Labelled blocks whose language is unknown, with counts and the first
    /// `(file, line)`; the build reports them once at the end instead of a
    /// line per block.
    pub fn take_unknown(&self) -> Unknown {
        std::mem::take(&mut *self.unknown.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Blocks shown plain because they are too long to highlight, as
    /// `file:line (why)`, in file order; reported like [`Highlighter::take_unknown`].
    pub fn take_too_long(&self) -> Vec<String> {
        let all = std::mem::take(&mut *self.lock_too_long());
        all.into_iter()
            .map(|((file, line), why)| format!("{file}:{line} ({why})"))
            .collect()
    }
}

/// Why `code` is too long to highlight, if it is (see [`MAX_LINE_BYTES`]).
fn too_long(code: &str) -> Option<String> {
    let longest = code.split('\n').map(str::len).max().unwrap_or(0);
    if longest > MAX_LINE_BYTES {
        Some(format!("a line of {longest} bytes"))
    } else if code.len() > MAX_BLOCK_BYTES {
        Some(format!("{} KB", code.len() / 1024))
    } else {
        None
    }
}

impl Highlighter {
    /// The block as HTML, each line parsed through the line memo: with
    /// scope classes as syntect's `ClassedHTMLGenerator` writes them, or with
    /// the classes of each token's colours (see [`styles`]).
    fn highlight(
        &self,
        set: &SyntaxSet,
        syntax: &SyntaxReference,
        (label, code): (&str, &str),
        styles: &CodeStyles,
    ) -> String {
        let set_id = u8::from(std::ptr::eq(set, &self.extras));
        let mut state = ParseState::new(syntax);
        let mut scopes = ScopeStack::new();
        let mut html = String::with_capacity(code.len() * 2);
        let mut open: isize = 0;
        let session = session::is_session(label);
        let mut continued = false;
        for line in LinesWithEndings::from(code) {
            // A session's prompts and output stay plain; its commands are code.
            let line = match session {
                false => line,
                true => match session::command_at(line, continued) {
                    Some(at) => {
                        continued = session::continues(line);
                        html.push_str(&html_escape::encode_text(&line[..at]));
                        &line[at..]
                    }
                    None => {
                        html.push_str(&html_escape::encode_text(line));
                        continue;
                    }
                },
            };
            let done = lines::with_parsed(set, set_id, &mut state, line, |ops| match styles {
                CodeStyles::Resolved(r) => r.push_line(line, ops, &mut scopes, &mut html),
                CodeStyles::Scopes => {
                    match line_tokens_to_classed_spans(line, ops, CLASS_STYLE, &mut scopes) {
                        Ok((spans, delta)) => {
                            html.push_str(&spans);
                            open += delta;
                            true
                        }
                        Err(_) => false,
                    }
                }
            });
            if !matches!(done, Ok(true)) {
                log::debug!("syntect failed on a `{label}` block; rendering it plain");
                return plain_block(label, code);
            }
        }
        for _ in 0..open {
            html.push_str("</span>");
        }
        let lang = css_lang(label);
        format!(
            "<pre class=\"code hl-code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{html}</code></pre>\n"
        )
    }
}

fn is_plain_label(label: &str) -> bool {
    aliases::ALIASES
        .iter()
        .any(|(a, t)| t.is_empty() && a.eq_ignore_ascii_case(label))
}

fn css_lang(label: &str) -> String {
    label
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '_' | '#'))
        .collect::<String>()
        .to_ascii_lowercase()
}

fn plain_block(label: &str, code: &str) -> String {
    let escaped = html_escape::encode_text(code);
    let lang = css_lang(label);
    if lang.is_empty() {
        format!("<pre class=\"code\"><code>{escaped}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{escaped}</code></pre>\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles() -> CodeStyles {
        CodeStyles::new("OneHalfLight", "OneHalfDark", false).unwrap()
    }

    #[test]
    fn aliases_and_extras_resolve() {
        let h = Highlighter::new();
        for l in [
            "python",
            "py",
            "PY",
            "sh",
            "shell",
            "console",
            "yml",
            "c++",
            "cpp",
            "golang",
            "js",
            "ts",
            "dockerfile",
            "Dockerfile",
            "toml",
            "sql",
            "nginx",
            "ini",
            "json",
            "xml",
            "html",
            "diff",
            "rust",
            "go",
            "bash",
            "yaml",
            "csharp",
            "objc",
            "fsharp",
            "fortran",
            "vb.net",
            "pgsql",
            "shell-session",
            "cuda",
        ] {
            assert!(h.knows(l), "{l} should be highlighted");
        }
        assert!(!h.knows("nosuchlang"));
    }

    #[test]
    fn syntect_definitions_first_bat_for_the_rest() {
        let h = Highlighter::new();
        let name = |l: &str| {
            h.find(l)
                .map(|(s, set)| (s.name.clone(), set.syntaxes().len()))
        };
        let defaults = h.defaults.syntaxes().len();
        let extras = h.extras.syntaxes().len();
        // Go is in both sets: syntect's own (faster) definition is used.
        assert_eq!(name("golang"), Some(("Go".to_string(), defaults)));
        // Only bat has these.
        assert_eq!(name("Dockerfile"), Some(("Dockerfile".to_string(), extras)));
        assert_eq!(name("toml"), Some(("TOML".to_string(), extras)));
        // bat decides what a label means: `fish` is Fish, not syntect's bash.
        assert_eq!(name("fish"), Some(("Fish".to_string(), extras)));
        // Aliases pick the language they name, not a neighbour's extension.
        assert_eq!(name("csharp").unwrap().0, "C#");
        assert_eq!(name("fsharp").unwrap().0, "F#");
        assert_eq!(name("objc").unwrap().0, "Objective-C");
        assert_eq!(name("fortran").unwrap().0, "Fortran (Modern)");
        assert_eq!(name("regex").unwrap().0, "Regular Expression");
    }

    #[test]
    fn highlighted_has_classes_and_escapes() {
        let h = Highlighter::new();
        let code = "fn main() { let a = 1 < 2; }\n";
        let html = h.block("rust", code, ("a.md", 1), &styles());
        assert!(html.contains("<span class=\"hl"), "{html}");
        assert!(!html.contains("hl-source"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
        // With a site's own syntax.css, scope classes as before.
        let own = CodeStyles::new("OneHalfLight", "OneHalfDark", true).unwrap();
        let html = h.block("rust", code, ("a.md", 1), &own);
        assert!(html.contains("hl-source hl-rust"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
        assert!(h.take_unknown().is_empty());
    }

    #[test]
    fn unknown_is_plain_and_counted() {
        let h = Highlighter::new();
        let html = h.block("klingon", "a <b>\n", ("a.md", 1), &styles());
        assert!(html.contains("a &lt;b&gt;"));
        h.block("klingon", "x\n", ("a.md", 5), &styles());
        h.block("text", "x\n", ("a.md", 9), &styles());
        assert_eq!(
            h.take_unknown().get("klingon"),
            Some(&(2, ("a.md".to_string(), 1)))
        );
    }

    #[test]
    fn too_long_blocks_are_plain_and_listed() {
        let h = Highlighter::new();
        let long_line = format!("let s = \"{}\";\n", "x".repeat(MAX_LINE_BYTES));
        let html = h.block("rust", &long_line, ("notes/a.md", 7), &styles());
        assert!(
            !html.contains("hl-") && html.contains("language-rust"),
            "{html}"
        );
        let many_lines = "let x = 1 < 2;\n".repeat(MAX_BLOCK_BYTES / 15 + 1);
        let html = h.block("rust", &many_lines, ("notes/b.md", 2), &styles());
        assert!(!html.contains("hl-") && html.contains("1 &lt; 2"));
        // Just under both limits: highlighted.
        let fits = "x".repeat(MAX_LINE_BYTES - 1);
        assert!(h
            .block("rust", &fits, ("notes/c.md", 1), &styles())
            .contains("hl-"));
        assert_eq!(
            h.take_too_long(),
            [
                format!("notes/a.md:7 (a line of {} bytes)", long_line.len() - 1),
                "notes/b.md:2 (256 KB)".to_string()
            ]
        );
        assert!(h.take_too_long().is_empty());
    }

    #[test]
    fn cache_returns_same_html() {
        let h = Highlighter::new();
        let a = h.block("python", "print('x')\n", ("a.md", 1), &styles());
        let b = h.block("py", "print('x')\n", ("b.md", 1), &styles());
        assert!(Arc::ptr_eq(&a, &b));
    }
}
