//! Typora's two older diagram languages, also in CSDN's editor and its
//! article template: ```` ```sequence ```` (js-sequence-diagrams) and
//! ```` ```flow ```` (flowchart.js). Both are rewritten into Mermaid, which
//! the site already ships, so a note drawn that way shows a diagram instead
//! of its source. Lines neither language knows are left out, so a typo
//! costs that line, not the diagram.

use std::collections::HashMap;
use std::fmt::Write;

/// The Mermaid source for a fence labelled `label`, if it is one of these.
pub(crate) fn to_mermaid(label: &str, code: &str) -> Option<String> {
    if label.eq_ignore_ascii_case("sequence") {
        Some(sequence(code))
    } else if label.eq_ignore_ascii_case("flow") {
        Some(flow(code))
    } else {
        None
    }
}

/// Text as Mermaid shows it inside a label: `;`, `#` and quotes would end
/// or change the statement, so they are written as Mermaid's entities, and
/// js-sequence-diagrams' `\n` becomes a line break.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().replace("\\n", "\n").chars() {
        match c {
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '"' => out.push_str("#quot;"),
            '\n' => out.push_str("<br/>"),
            c => out.push(c),
        }
    }
    out
}

/// Gives each name as written a plain id (`p0`, `p1`, ...): names may be
/// Chinese, hold spaces, or be Mermaid keywords (`end`).
#[derive(Default)]
struct Ids {
    ids: HashMap<String, String>,
    order: Vec<String>,
    prefix: &'static str,
    /// What a name is shown as, when not itself: `participant 浏览器 as B`
    /// names `B` in messages and shows `浏览器`.
    shown: HashMap<String, String>,
}

impl Ids {
    fn id(&mut self, name: &str) -> String {
        let name = name.trim();
        if let Some(id) = self.ids.get(name) {
            return id.clone();
        }
        let id = format!("{}{}", self.prefix, self.ids.len());
        self.ids.insert(name.to_string(), id.clone());
        self.order.push(name.to_string());
        id
    }
}

/// js-sequence-diagrams: `A->B: text` (solid), `A-->B` (dashed), `->>` (open
/// arrow), `Note left of A: text`, `Note over A,B: text`, `participant A`,
/// `Title: text`.
fn sequence(code: &str) -> String {
    let mut ids = Ids {
        prefix: "p",
        ..Ids::default()
    };
    let mut title = None;
    let mut body = String::new();
    for line in code.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(t) = strip_prefix_ci(line, "title:") {
            title = Some(label(t));
        } else if let Some(name) = strip_prefix_ci(line, "participant ") {
            let unquoted = |s: &str| {
                let s = s.trim();
                s.strip_prefix('"')
                    .and_then(|s| s.strip_suffix('"'))
                    .unwrap_or(s)
                    .to_string()
            };
            match name.split_once(" as ") {
                Some((shown, alias)) => {
                    ids.id(alias);
                    ids.shown.insert(alias.trim().to_string(), unquoted(shown));
                }
                None => _ = ids.id(name),
            }
        } else if let Some(rest) = strip_prefix_ci(line, "note ") {
            let Some((place, text)) = rest.split_once(':') else {
                continue;
            };
            let place = place.trim();
            let (at, who) = ["left of ", "right of ", "over "]
                .iter()
                .find_map(|p| strip_prefix_ci(place, p).map(|w| (p.trim_end(), w)))
                .unwrap_or(("over", place));
            let who: Vec<String> = who.split(',').map(|w| ids.id(w)).collect();
            let _ = writeln!(body, "  Note {at} {}: {}", who.join(","), label(text));
        } else if let Some((from, arrow, to, text)) = message(line) {
            let (from, to) = (ids.id(from), ids.id(to));
            let _ = writeln!(body, "  {from}{arrow}{to}: {}", label(text));
        }
    }
    let mut out = String::from("sequenceDiagram\n");
    if let Some(t) = title {
        let _ = writeln!(out, "  title {t}");
    }
    for (i, name) in ids.order.iter().enumerate() {
        let shown = ids.shown.get(name).unwrap_or(name);
        let _ = writeln!(out, "  participant {}{i} as {}", ids.prefix, label(shown));
    }
    out + &body
}

/// `A->B: text` as (from, Mermaid arrow, to, text).
fn message(line: &str) -> Option<(&str, &'static str, &str, &str)> {
    let (head, text) = line.split_once(':').unwrap_or((line, ""));
    // Longest first: `-->>` holds `->>`, `-->` and `->`.
    for (js, mermaid) in [
        ("-->>", "--)"),
        ("->>", "-)"),
        ("-->", "-->>"),
        ("->", "->>"),
    ] {
        if let Some((from, to)) = head.split_once(js) {
            let (from, to) = (from.trim(), to.trim());
            if !from.is_empty() && !to.is_empty() {
                return Some((from, mermaid, to, text));
            }
        }
    }
    None
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// flowchart.js: nodes as `id=>type: text` (start, end, operation,
/// inputoutput, subroutine, condition, parallel), then chains of
/// `a->b->c`, where a step may carry `(yes)`, `(no)`, `(path1)` or a
/// direction (`(right)`, `(yes, right)`): the branch names become edge
/// labels, directions are left to Mermaid's layout.
fn flow(code: &str) -> String {
    let mut ids = Ids {
        prefix: "n",
        ..Ids::default()
    };
    let mut nodes = String::new();
    let mut edges = String::new();
    let mut defined = std::collections::HashSet::new();
    for line in code.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some((id, def)) = line.split_once("=>") {
            defined.insert(id.trim());
            let (kind, text) = def.split_once(':').unwrap_or((def, ""));
            // `text|state` and `text:>url[blank]` carry styling and links.
            let text = text.split_once(":>").map_or(text, |(t, _)| t);
            let text = text.rsplit_once('|').map_or(text, |(t, _)| t);
            let text = if text.trim().is_empty() { id } else { text };
            let (open, close) = match kind.trim() {
                "start" | "end" => ("([\"", "\"])"),
                "condition" => ("{\"", "\"}"),
                "inputoutput" => ("[/\"", "\"/]"),
                "subroutine" => ("[[\"", "\"]]"),
                _ => ("[\"", "\"]"),
            };
            let _ = writeln!(nodes, "  {}{open}{}{close}", ids.id(id), label(text));
        } else if line.contains("->") && !line.contains("@>") {
            let steps: Vec<&str> = line.split("->").collect();
            for pair in steps.windows(2) {
                let (from, branch) = step(pair[0]);
                let (to, _) = step(pair[1]);
                if from.is_empty() || to.is_empty() {
                    continue;
                }
                let (from, to) = (ids.id(from), ids.id(to));
                match branch {
                    Some(b) => {
                        let _ = writeln!(edges, "  {from} -->|{}| {to}", label(b));
                    }
                    None => {
                        let _ = writeln!(edges, "  {from} --> {to}");
                    }
                }
            }
        }
    }
    // A step no line defines is drawn with its name, not an internal id.
    for name in ids.order.iter().filter(|n| !defined.contains(n.as_str())) {
        let _ = writeln!(nodes, "  {}[\"{}\"]", ids.ids[name], label(name));
    }
    format!("flowchart TD\n{nodes}{edges}")
}

/// A step of a chain: its node id and the branch it leaves by, if named
/// (`cond(yes, right)` -> `cond`, `yes`; `op(right)` -> `op`, none).
fn step(s: &str) -> (&str, Option<&str>) {
    let s = s.trim();
    let Some((id, args)) = s.split_once('(') else {
        return (s, None);
    };
    let args = args.trim_end_matches(')');
    let branch = args
        .split(',')
        .map(str::trim)
        .find(|a| !matches!(*a, "left" | "right" | "top" | "bottom" | ""));
    (id.trim(), branch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_diagrams_become_mermaid() {
        let src = "Title: 登录\n客户端->服务器: 请求; 带 #号\nNote right of 服务器: 校验\\n密码\n服务器-->客户端: 返回\n客户端->>end: 异步\n";
        assert_eq!(
            to_mermaid("sequence", src).unwrap(),
            "sequenceDiagram\n  title 登录\n  participant p0 as 客户端\n  participant p1 as 服务器\n  participant p2 as end\n\
             \x20 p0->>p1: 请求#59; 带 #35;号\n  Note right of p1: 校验<br/>密码\n  p1-->>p0: 返回\n  p0-)p2: 异步\n"
        );
    }

    #[test]
    fn a_participant_named_as_an_alias_is_one_lifeline() {
        let src =
            "participant 浏览器 as B\nparticipant \"Web 服务器\" as W\nB->W: GET\nW-->B: 200\n";
        assert_eq!(
            to_mermaid("sequence", src).unwrap(),
            "sequenceDiagram\n  participant p0 as 浏览器\n  participant p1 as Web 服务器\n\
             \x20 p0->>p1: GET\n  p1-->>p0: 200\n"
        );
    }

    #[test]
    fn undefined_flow_steps_show_their_names() {
        let out = flow("st=>start: 开始\nst->missing\n");
        assert_eq!(
            out,
            "flowchart TD\n  n0([\"开始\"])\n  n1[\"missing\"]\n  n0 --> n1\n"
        );
    }

    #[test]
    fn flowcharts_become_mermaid() {
        let src = "st=>start: 开始\nop=>operation: 处理|past\ncond=>condition: 成功?:>http://x.org\ne=>end\n\nst->op->cond\ncond(yes)->e\ncond(no, right)->op\nst@>op({\"stroke\":\"Red\"})\n";
        assert_eq!(
            to_mermaid("FLOW", src).unwrap(),
            "flowchart TD\n  n0([\"开始\"])\n  n1[\"处理\"]\n  n2{\"成功?\"}\n  n3([\"e\"])\n\
             \x20 n0 --> n1\n  n1 --> n2\n  n2 -->|yes| n3\n  n2 -->|no| n1\n"
        );
        assert_eq!(to_mermaid("rust", "x"), None);
    }
}
