//! Notes that embed each other in a circle (`![[a]]` in b, `![[b]]` in a):
//! found before rendering, since such a page would never end.

use super::{resolve, Target};
use crate::diagnostic::Diagnostic;
use crate::markdown::LinkKind;
use crate::site::SiteIndex;

/// A chain of note embeds (`![[note]]`) that comes back to where it started,
/// as an error naming each step; such a page would never end.
pub(crate) fn embed_cycle(site: &SiteIndex) -> Option<Diagnostic> {
    // Per note: the notes it embeds, with the line of each embed.
    let edges: Vec<Vec<(usize, usize)>> = site
        .notes
        .iter()
        .map(|n| {
            n.links()
                .iter()
                .filter(|l| l.kind == LinkKind::WikiEmbed)
                .filter_map(|l| match resolve(site, n, &l.dest, l.kind) {
                    Ok(Target::Note { index, .. }) => Some((index, l.line)),
                    _ => None,
                })
                .collect()
        })
        .collect();
    // 0: not seen, 1: on the current path, 2: done.
    let mut state = vec![0u8; edges.len()];
    for start in 0..edges.len() {
        if state[start] != 0 {
            continue;
        }
        // The path as (note, index of its next edge to follow).
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let Some(&(to, _)) = edges[node].get(*next) else {
                state[node] = 2;
                path.pop();
                continue;
            };
            *next += 1;
            match state[to] {
                0 => {
                    state[to] = 1;
                    path.push((to, 0));
                }
                1 => return Some(describe_cycle(site, &edges, &path, to)),
                _ => {}
            }
        }
    }
    None
}

fn describe_cycle(
    site: &SiteIndex,
    edges: &[Vec<(usize, usize)>],
    path: &[(usize, usize)],
    back_to: usize,
) -> Diagnostic {
    let from = path.iter().position(|&(n, _)| n == back_to).unwrap_or(0);
    let steps: Vec<String> = path[from..]
        .iter()
        .map(|&(n, next)| {
            let line = edges[n][next - 1].1;
            format!("notes/{}:{line}", site.notes[n].rel)
        })
        .collect();
    let message = format!(
        "notes embed each other in a circle: {} -> notes/{}; remove one of these embeds (a link [[...]] is fine)",
        steps.join(" -> "),
        site.notes[back_to].rel
    );
    // Placed at the first embed of the circle; the message names them all.
    let (first, next) = path[from];
    Diagnostic::at(format!("notes/{}", site.notes[first].rel), message)
        .line(edges[first][next - 1].1)
        .verbatim()
}
