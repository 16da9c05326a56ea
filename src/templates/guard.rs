//! Keeps a template that recurses without end from overflowing the stack,
//! and one whose loops would turn for minutes from holding the build (see
//! [`TURN`]).
//!
//! Tera 1.x has no depth limit: a macro that calls itself unconditionally, or
//! `a.html` including `b.html` including `a.html`, recurses until the thread's
//! stack overflows, and Rust aborts the process (exit 134, no file named): a
//! stack overflow cannot be caught, so it has to be prevented.
//!
//! Which recursion ends depends on the data (a macro that walks a tree stops at
//! its leaves; an include can stop on a variable it sets), so it cannot be
//! told from the template's text. Instead, after parsing, every macro body and
//! every `{% include %}` is wrapped in calls to two functions of ours
//! ([`ENTER`] at the start, [`LEAVE`] at the end; they print nothing). `ENTER`
//! counts the nesting on the rendering thread and fails the render, naming the
//! chain, when it passes [`MAX_DEPTH`] or when the render has used more than
//! [`STACK_BUDGET`] of the stack, measured from where the render started. The
//! stack check is what makes this sound whatever one level costs (it differs by
//! build and by what the template nests); the depth limit gives the same answer
//! in every build for the common case. Every thread that renders has at least
//! 2 MiB of stack (Rust's and rayon's default), so the budget leaves a margin
//! for the callers and for one more level between two checks.
//!
//! Imports are resolved by Tera before rendering, recursively and without a
//! cycle check, so a cycle of `{% import %}` is refused when loading
//! ([`import_cycle`]).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::{Tera, Value};

/// The functions wrapped around macro bodies and includes (names no theme uses).
pub(crate) const ENTER: &str = "__biji_recursion_enter";
pub(crate) const LEAVE: &str = "__biji_recursion_leave";

/// Nesting of macro calls and includes a render may reach: a tree-walking
/// macro goes as deep as the folders, far below this. (A level of include
/// takes about 8 KB of stack, of macro about 2 KB: both fit the budget.)
pub(crate) const MAX_DEPTH: usize = 100;

/// Stack a render may use; see the module docs.
const STACK_BUDGET: usize = 1024 * 1024;

/// Called first in every `{% for %}` body: counts the turns of a render's
/// loops. Loops over the site's notes nested in each other take minutes
/// on a large site (Tera cannot be interrupted, and `serve` waits on every
/// page), so a render that passes [`MAX_TURNS`] fails, naming its template.
pub(crate) const TURN: &str = "__biji_loop_turn";

/// Loop turns one page's render may take: a listing of 100k notes with a
/// few tags each takes under a million.
pub(crate) const MAX_TURNS: u64 = 10_000_000;

#[derive(Default)]
struct State {
    /// Stack address where the current render started; 0 outside a render.
    base: usize,
    /// The page's template, and what it is rendering inside it, outermost
    /// first (`a.html`, ``macro `walk` (m.html)``).
    root: String,
    chain: Vec<String>,
    /// Loop turns so far (see [`TURN`]).
    turns: u64,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// An address in the current stack frame (stacks grow down on every platform
/// biji runs on, but only the distance between two of these is used).
#[inline(never)]
fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// Runs one render with the guard armed on this thread (and restores the
/// previous state, should a render ever run inside another).
pub(crate) fn rendering<R>(template: &str, render: impl FnOnce() -> R) -> R {
    let fresh = State {
        base: stack_address(),
        root: template.to_string(),
        chain: Vec::new(),
        turns: 0,
    };
    let before = STATE.with(|s| std::mem::replace(&mut *s.borrow_mut(), fresh));
    let out = render();
    STATE.with(|s| *s.borrow_mut() = before);
    out
}

/// Registers [`ENTER`] and [`LEAVE`] and wraps every macro body and include of
/// every loaded template in them.
pub(crate) fn install(tera: &mut Tera) {
    tera.register_function(ENTER, enter);
    tera.register_function(LEAVE, leave);
    tera.register_function(TURN, turn);
    tera.register_function("range", range);
    let names: Vec<String> = tera.templates.keys().cloned().collect();
    let exists = |n: &String| names.contains(n);
    for t in tera.templates.values_mut() {
        for (name, m) in t.macros.iter_mut() {
            wrap_includes(&mut m.body, &exists);
            let label = format!("macro `{name}` ({})", t.name);
            m.body.insert(0, call(ENTER, Some(&label)));
            m.body.push(call(LEAVE, None));
        }
        wrap_includes(&mut t.ast, &exists);
        for b in t.blocks.values_mut() {
            wrap_includes(&mut b.body, &exists);
        }
        for defs in t.blocks_definitions.values_mut() {
            for (_, b) in defs.iter_mut() {
                wrap_includes(&mut b.body, &exists);
            }
        }
    }
}

/// Numbers a template's `range()` may make: a page never lists more, and
/// Tera's own `range(end=100000000)` held 3 GB while `serve` waited on it
/// (and `step_by=0` never ended).
pub(crate) const MAX_RANGE: u64 = 100_000;

/// Tera's `range(end, start=0, step_by=1)`, refusing more than [`MAX_RANGE`]
/// numbers and a step of 0.
fn range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |name: &str, default: Option<u64>| match args.get(name) {
        Some(v) => v.as_u64().ok_or_else(|| {
            tera::Error::msg(format!("`range`: `{name}` must be a whole number, got {v}"))
        }),
        None => default.ok_or_else(|| tera::Error::msg("`range` needs `end`")),
    };
    let (start, end, step) = (
        number("start", Some(0))?,
        number("end", None)?,
        number("step_by", Some(1))?,
    );
    if start > end {
        return Err(tera::Error::msg("`range`: `start` is greater than `end`"));
    }
    if step == 0 {
        return Err(tera::Error::msg("`range`: `step_by` must be at least 1"));
    }
    let count = (end - start).div_ceil(step);
    if count > MAX_RANGE {
        return Err(tera::Error::msg(format!(
            "`range` would make {count} numbers; a template may make at most {MAX_RANGE}"
        )));
    }
    Ok(Value::from(
        (start..end).step_by(step as usize).collect::<Vec<u64>>(),
    ))
}

/// `{{ name(what="...") }}` as a node.
fn call(name: &str, what: Option<&str>) -> Node {
    let mut args = HashMap::new();
    if let Some(w) = what {
        args.insert(
            "what".to_string(),
            Expr::new(ExprVal::String(w.to_string())),
        );
    }
    let f = FunctionCall {
        name: name.to_string(),
        args,
    };
    Node::VariableBlock(WS::default(), Expr::new(ExprVal::FunctionCall(f)))
}

/// Puts [`ENTER`] before and [`LEAVE`] after every include in `body`, and
/// [`TURN`] first in every loop's body, at any depth of `if`, `for`, `block`
/// and `filter`.
fn wrap_includes(body: &mut Vec<Node>, exists: &dyn Fn(&String) -> bool) {
    for node in std::mem::take(body) {
        match node {
            Node::Include(ws, names, ignore_missing) => {
                // The template Tera renders: the first of the list that exists.
                let shown = names.iter().find(|n| exists(n)).or(names.first());
                body.push(call(ENTER, shown.map(String::as_str)));
                body.push(Node::Include(ws, names, ignore_missing));
                body.push(call(LEAVE, None));
            }
            Node::If(mut i, ws) => {
                for (_, _, b) in &mut i.conditions {
                    wrap_includes(b, exists);
                }
                if let Some((_, b)) = &mut i.otherwise {
                    wrap_includes(b, exists);
                }
                body.push(Node::If(i, ws));
            }
            Node::Forloop(a, mut f, b) => {
                wrap_includes(&mut f.body, exists);
                if let Some(otherwise) = &mut f.empty_body {
                    wrap_includes(otherwise, exists);
                }
                f.body.insert(0, call(TURN, None));
                body.push(Node::Forloop(a, f, b));
            }
            Node::Block(a, mut bl, b) => {
                wrap_includes(&mut bl.body, exists);
                body.push(Node::Block(a, bl, b));
            }
            Node::FilterSection(a, mut f, b) => {
                wrap_includes(&mut f.body, exists);
                body.push(Node::FilterSection(a, f, b));
            }
            other => body.push(other),
        }
    }
}

fn enter(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let what = match args.get("what") {
        Some(Value::String(s)) => s.clone(),
        _ => String::from("?"),
    };
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.base == 0 {
            return Ok(Value::String(String::new()));
        }
        s.chain.push(what);
        let used = s.base.abs_diff(stack_address());
        if s.chain.len() > MAX_DEPTH || used > STACK_BUDGET {
            return Err(tera::Error::msg(too_deep(&s.root, &s.chain)));
        }
        Ok(Value::String(String::new()))
    })
}

fn turn(_: &HashMap<String, Value>) -> tera::Result<Value> {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.turns += 1;
        if s.base != 0 && s.turns > MAX_TURNS {
            return Err(tera::Error::msg(format!(
                "the loops of `{}` ran more than {MAX_TURNS} times for one page; \
                 a `{{% for %}}` over the notes inside another takes minutes on a large site: \
                 loop over fewer items (`| slice(end=20)`), or filter the list before the loop",
                s.root
            )));
        }
        Ok(Value::String(String::new()))
    })
}

fn leave(_: &HashMap<String, Value>) -> tera::Result<Value> {
    STATE.with(|s| s.borrow_mut().chain.pop());
    Ok(Value::String(String::new()))
}

/// The message for a render that went too deep: the chain from the page's
/// template to the first step that repeats (`note.html → a.html → b.html →
/// a.html → …`).
fn too_deep(root: &str, chain: &[String]) -> String {
    let depth = chain.len();
    let repeat = (1..depth)
        .find(|&k| chain[..k].contains(&chain[k]))
        .unwrap_or(depth - 1);
    let mut steps = vec![root];
    steps.extend(chain[..=repeat].iter().map(String::as_str));
    format!(
        "templates recurse without end ({depth} levels deep): {} → …; \
         a template that includes itself (directly or through others), or a macro \
         that calls itself, must stop, behind an {{% if %}} whose condition changes \
         on the way down",
        steps.join(" → ")
    )
}

/// A cycle of `{% import %}` among the loaded templates (`a.html`, `b.html`,
/// `a.html`); Tera would recurse through it without end.
pub(crate) fn import_cycle(tera: &Tera) -> Option<Vec<String>> {
    let imports: HashMap<&str, Vec<&str>> = tera
        .templates
        .iter()
        .map(|(name, t)| {
            let files = t.imported_macro_files.iter().map(|(f, _)| f.as_str());
            (name.as_str(), files.collect())
        })
        .collect();
    let mut names: Vec<&str> = imports.keys().copied().collect();
    names.sort_unstable();
    // Depth-first, without recursion (a theme may have many templates): each
    // entry of `path` is a template and how many of its imports were followed.
    let mut done: HashSet<&str> = HashSet::new();
    for start in names {
        let mut path: Vec<(&str, usize)> = vec![(start, 0)];
        while let Some((name, next)) = path.last_mut() {
            let Some(&to) = imports.get(*name).and_then(|v| v.get(*next)) else {
                done.insert(*name);
                path.pop();
                continue;
            };
            *next += 1;
            if let Some(i) = path.iter().position(|(p, _)| *p == to) {
                let mut cycle: Vec<String> = path[i..].iter().map(|(p, _)| p.to_string()).collect();
                cycle.push(to.to_string());
                return Some(cycle);
            }
            if !done.contains(to) {
                path.push((to, 0));
            }
        }
    }
    None
}

/// A cycle of `{% extends %}` that a template leads into (`base.html`,
/// `note.html`, `base.html`), if any, from each template's own text. Tera
/// reports a cycle only when it comes back to the template it started from:
/// one that leads into a cycle (`index.html` extends `base.html`, which
/// extends `note.html`, which extends `base.html`) recurses while loading
/// until the stack overflows. A template that does not parse is left to
/// Tera, which reports it with its line.
pub(crate) fn extends_cycle<'a>(
    templates: impl Iterator<Item = (&'a str, &'a str)>,
) -> Option<Vec<String>> {
    let parent: HashMap<String, String> = templates
        .filter_map(|(name, text)| {
            let t = tera::Template::new(name, None, text).ok()?;
            Some((name.to_string(), t.parent?))
        })
        .collect();
    let mut names: Vec<&String> = parent.keys().collect();
    names.sort_unstable();
    for start in names {
        let mut path = vec![start];
        while let Some(next) = parent.get(*path.last()?) {
            if let Some(i) = path.iter().position(|p| *p == next) {
                let mut cycle: Vec<String> = path[i..].iter().map(|p| p.to_string()).collect();
                cycle.push(next.clone());
                return Some(cycle);
            }
            path.push(next);
        }
    }
    None
}
