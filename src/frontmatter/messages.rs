//! serde_yaml's errors in the words of someone writing YAML, placed by the
//! caller in the file rather than in the block.

/// serde_yaml's message without its ` at line L column C` positions
/// (relative to the YAML text; a parser error can carry two, where it
/// failed and where the construct began): callers put the position in the
/// file in front instead.
pub(crate) fn yaml_message(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    if e.location().is_none() {
        // A "billion laughs" of aliases: say what to change.
        return plain_words(&msg.replace(
            "repetition limit exceeded",
            "aliases (`*name`) repeat too often; write the values out",
        ));
    }
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg.as_str();
    while let Some(i) = rest.find(" at line ") {
        let tail = &rest[i + " at line ".len()..];
        let digits = |t: &str| t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let line_len = digits(tail);
        let after_line = &tail[line_len..];
        match after_line.strip_prefix(" column ") {
            Some(col) if line_len > 0 && digits(col) > 0 => {
                out.push_str(&rest[..i]);
                rest = &col[digits(col)..];
            }
            _ => {
                out.push_str(&rest[..i + 1]);
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    plain_words(&out)
}

/// serde's words for Rust types (`as u128`, `expected usize`) in the words
/// of someone writing YAML. (A block that is no fields at all never gets
/// here: `frontmatter::split` shows it as text.)
fn plain_words(message: &str) -> String {
    let mut m = message.to_string();
    for (serde, plain) in [
        (" as u128", " (too large)"),
        (" as i128", " (too large)"),
        ("expected usize", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("unit value", "an empty value"),
        (
            "deserializing from YAML containing more than one document is not supported",
            "it reads as more than one YAML document: is its first key indented? \
             (keys at the top start the line)",
        ),
        (
            "mapping values are not allowed in this context",
            "a `key: value` where none may start: a value with `: ` in it needs \
             quotes (`title: \"Redis: 持久化\"`), or the line is indented too far",
        ),
        (
            "found character that cannot start any token",
            "found a character no YAML value may start with (a tab, which YAML \
             does not indent with, or `@`, `` ` ``: put such a value in quotes)",
        ),
    ] {
        m = m.replace(serde, plain);
    }
    m
}
