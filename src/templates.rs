//! The default theme (embedded in the binary) and a site's own overrides.

use crate::diagnostic::Diagnostic;
use anyhow::{Context, Result};
use include_dir::{include_dir, Dir};
use std::path::Path;
use tera::Tera;

mod guard;
mod nesting;
mod statics;

pub use statics::{embedded_theme, theme_search_script};
pub(crate) use statics::{is_search_part, search_script, site_files, static_files};

static THEME_TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static THEME_STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// Loaded templates: the embedded theme, with any `templates/NAME.html` of the
/// site replacing the embedded file of the same name.
pub(crate) struct Templates {
    tera: Tera,
    /// Each template's name, where it came from and its text, for error messages.
    sources: Vec<Source>,
}

struct Source {
    name: String,
    origin: String,
    text: String,
    /// The site's file, to point at; `None` for the built-in theme's.
    file: Option<String>,
}

/// Escapes only what HTML needs (`& < > " '`); Tera's default also escapes
/// `/`, which makes every URL in the output unreadable.
fn escape_html(input: &str) -> String {
    // One pass (every `{{ value }}` of every page goes through here).
    let mut out = String::with_capacity(input.len() + 16);
    let mut last = 0;
    for (i, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&input[last..]);
    out
}

/// The error for templates that `extends` or `import` each other in a
/// circle (`cycle`: names, the first again at the end), naming their files.
fn circle(cycle: &[String], sources: &[Source], verb: &str, verbs: &str) -> Diagnostic {
    let source = |name: &String| sources.iter().find(|s| s.name == *name);
    let origin = |name: &String| source(name).map_or(name.clone(), |s| s.origin.clone());
    let files: Vec<String> = cycle.iter().map(origin).collect();
    let advice = match verb {
        "extend" => {
            "a template must not extend, directly or through others, a template that extends it"
        }
        _ => "a file of macros must not import, directly or through others, a file that imports it",
    };
    let mut d = Diagnostic::new(format!(
        "template error: templates {verb} each other in a circle: {}; {advice}",
        files.join(&format!(" {verbs} "))
    ))
    .verbatim();
    d.file = cycle.iter().find_map(|n| source(n)?.file.clone());
    d
}

impl Templates {
    pub(crate) fn load(site_templates: &Path) -> Result<Templates> {
        // (name, text, origin, a site file)
        let mut files: Vec<(String, String, String, bool)> = Vec::new();
        for f in THEME_TEMPLATES.files() {
            let name = f.path().to_string_lossy().replace('\\', "/");
            let text = f
                .contents_utf8()
                .with_context(|| format!("embedded template `{name}` is not UTF-8"))?;
            files.push((
                name.clone(),
                text.to_string(),
                format!("(built-in theme) templates/{name}"),
                false,
            ));
        }
        for (name, path) in site_files(site_templates)? {
            // As a note is named (`notes/a.md`): from the site's folder,
            // whatever path the site was given by.
            let origin = format!("templates/{name}");
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read template `{origin}`"))?;
            let text = Diagnostic::utf8(bytes, &origin)?;
            match files.iter_mut().find(|(n, _, _, _)| *n == name) {
                Some(slot) => *slot = (name, text, origin, true),
                None => files.push((name, text, origin, true)),
            }
        }
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        let sources: Vec<Source> = files
            .into_iter()
            .map(|(name, text, origin, site)| Source {
                file: site.then(|| origin.clone()),
                name,
                origin,
                text,
            })
            .collect();
        for s in &sources {
            if let Some((line, column, what)) = nesting::too_deep(&s.text) {
                let mut d = Diagnostic::new(format!(
                    "template error: {what} nested more than {} deep in `{}`; \
                     simplify the template (Tera would overflow its stack)",
                    nesting::MAX_NESTING,
                    s.name
                ));
                d.file = Some(s.origin.clone());
                return Err(d.line(Some(line)).column(Some(column)).into());
            }
        }
        let texts = || sources.iter().map(|s| (s.name.as_str(), s.text.as_str()));
        if let Some(cycle) = guard::extends_cycle(texts()) {
            return Err(circle(&cycle, &sources, "extend", "extends").into());
        }
        tera.add_raw_templates(texts())
            .map_err(|e| describe(&e, &sources))?;
        if let Some(cycle) = guard::import_cycle(&tera) {
            return Err(circle(&cycle, &sources, "import", "imports").into());
        }
        guard::install(&mut tera);
        Ok(Templates { tera, sources })
    }

    /// Renders a template into `out`; errors name the template file and line
    /// (bytes: pages go straight to files, so they need no UTF-8 check, and
    /// `out` can be sized for the page up front).
    /// A hash of every template's name and text: pages depend on all of them
    /// (through `extends`, `include` and macros).
    pub(crate) fn key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for s in &self.sources {
            (&s.name, &s.text).hash(&mut h);
        }
        h.finish()
    }

    pub(crate) fn render_to(
        &self,
        name: &str,
        ctx: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        guard::rendering(name, || self.tera.render_to(name, ctx, out))
            .map_err(|e| describe(&e, &self.sources).into())
    }
}

/// Tera's error chain on one line per cause, with template names mapped to
/// files, placed in the site's template file. Tera gives no line for errors
/// found while rendering (an unknown variable, filter or function), so the
/// first line that uses the name is looked up in the template being
/// rendered, then in the others (a parent or a macro file).
fn describe(e: &tera::Error, sources: &[Source]) -> Diagnostic {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        // "Function call '__biji_recursion_enter' failed": ours, not the theme's.
        let line = s.to_string();
        if !line.contains(guard::ENTER) && !line.contains(guard::TURN) {
            parts.push(line);
        }
        src = s.source();
    }
    let mut msg = parts.join("\n  ");
    let mut rendering = None;
    for s in sources {
        let quoted = format!("'{}'", s.name);
        if msg.contains(&quoted) {
            msg = msg.replace(&quoted, &format!("'{}' ({})", s.name, s.origin));
            rendering = Some(s);
            break;
        }
    }
    // (file, line, column) to point at.
    let mut place = rendering.map(|s| (s.file.clone(), parse_position(&msg)));
    if let Some((what, (s, l, c))) = unknown_name(&msg).and_then(|(what, name)| {
        let first = rendering.into_iter().chain(sources.iter());
        first
            .filter_map(|s| find_use(&s.text, &name).map(|(l, c)| (s, l, c)))
            .next()
            .map(|found| (what, found))
    }) {
        let fix = match what {
            "template" => {
                "no such file is in templates/ or the built-in theme; check its name".into()
            }
            _ => format!("check the {what}'s spelling, or that this kind of page has it"),
        };
        msg.push_str(&format!(
            "\n  at {}:{l}:{c}: {fix} (README: Theme and templates)",
            s.origin
        ));
        place = Some((s.file.clone(), Some((l, c))));
    }
    let mut d = Diagnostic::new(format!("template error: {msg}")).verbatim();
    if let Some((file @ Some(_), at)) = place {
        d.file = file;
        d = d.line(at.map(|a| a.0)).column(at.map(|a| a.1));
    }
    d
}

/// Line and column of a template syntax error: Tera hands over the parser's
/// report only as text (`  --> 7:4`), so this is the one place it is read.
fn parse_position(msg: &str) -> Option<(usize, usize)> {
    let at = &msg[msg.find("--> ")? + 4..];
    let (line, rest) = at.split_once(':')?;
    let column = rest.split(|c: char| !c.is_ascii_digit()).next()?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// The kind and name in Tera's "Variable `x` not found", "Filter 'x' not
/// found" and "Function 'x' not found" messages.
fn unknown_name(msg: &str) -> Option<(&'static str, String)> {
    // `{% include "nope.html" %}`: "Template '[nope.html]' not found".
    if let Some(i) = msg.find("Template '[") {
        let rest = &msg[i + "Template '[".len()..];
        let end = rest.find("]'")?;
        if rest[end..].starts_with("]' not found") {
            return Some(("template", rest[..end].to_string()));
        }
    }
    for (prefix, what) in [
        ("Variable `", "variable"),
        ("Filter '", "filter"),
        ("Function '", "function"),
        ("Test '", "test"),
    ] {
        if let Some(i) = msg.find(prefix) {
            let rest = &msg[i + prefix.len()..];
            let end = rest.find(['`', '\''])?;
            if rest[end..].contains("not found") {
                return Some((what, rest[..end].to_string()));
            }
        }
    }
    None
}

/// Line and column (1-based) of the first use of `name` as a whole word
/// inside a `{{ }}` or `{% %}` tag of a template.
fn find_use(text: &str, name: &str) -> Option<(usize, usize)> {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut from = 0;
    while let Some(i) = text[from..].find(name).map(|i| i + from) {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        let head = &text[..i];
        let inside_tag =
            head.rfind("{{").max(head.rfind("{%")) > head.rfind("}}").max(head.rfind("%}"));
        if !before.is_some_and(word) && !after.is_some_and(word) && inside_tag {
            let line = text[..i].matches('\n').count() + 1;
            let col = text[..i]
                .rsplit('\n')
                .next()
                .map_or(0, |l| l.chars().count())
                + 1;
            return Some((line, col));
        }
        from = i + name.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_point_at_the_sites_template_file() {
        let d = tempfile::tempdir().unwrap();
        let file = d.path().join("note.html");
        std::fs::write(&file, "<p>\n{{ oops }\n").unwrap();
        let e = Templates::load(d.path()).err().unwrap();
        let diag = e.downcast_ref::<Diagnostic>().unwrap();
        // Named from the site's folder, as a note is.
        let origin = "templates/note.html";
        assert_eq!(diag.file.as_deref(), Some(origin));
        assert_eq!(diag.line, Some(2), "{e}");
        assert!(
            e.to_string().starts_with("template error: Failed to parse"),
            "{e}"
        );

        std::fs::write(&file, "<p>\n  {{ note.titel }}\n").unwrap();
        let t = Templates::load(d.path()).unwrap();
        let e = t
            .render_to("note.html", &tera::Context::new(), &mut Vec::new())
            .unwrap_err();
        let diag = e.downcast_ref::<Diagnostic>().unwrap();
        assert_eq!(diag.file.as_deref(), Some(origin));
        assert_eq!((diag.line, diag.column), (Some(2), Some(6)), "{e}");
        assert!(
            e.to_string().contains(&format!("at {origin}:2:6: check")),
            "{e}"
        );
    }

    #[test]
    fn runtime_errors_point_at_the_first_use() {
        assert_eq!(
            unknown_name("Variable `note.titel` not found in context while rendering 'note.html'"),
            Some(("variable", "note.titel".to_string()))
        );
        assert_eq!(
            unknown_name("Filter 'nosuch' not found"),
            Some(("filter", "nosuch".to_string()))
        );
        assert_eq!(unknown_name("Failed to parse 'x'"), None);
        let text =
            "<p>note.titel in text</p>\n{{ note.titel_x }}\n  {% if note.titel %}x{% endif %}";
        // Not in plain text, not as part of a longer name: line 3, column 9.
        assert_eq!(find_use(text, "note.titel"), Some((3, 9)));
        assert_eq!(find_use(text, "missing"), None);
    }

    #[test]
    fn escapes_the_five_html_characters_and_nothing_else() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a> 进程"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; 进程"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("plain 文本"), "plain 文本");
    }
}
