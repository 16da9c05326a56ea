//! Front matter as Typora and Obsidian let it stand, which YAML reads
//! otherwise: `title: Redis: 持久化` (read as text, the value quoted) and
//! `title: [草稿] 笔记` (a list to YAML: the error's hint quotes it).

/// `title: [draft] 笔记` is a list to YAML, and the type error would not
/// say why: the value quoted, for a value that starts with `[` or `{`.
pub(super) fn quote_hint(yaml: &str, e: &serde_yaml::Error) -> Option<String> {
    let text = yaml.lines().nth(e.location()?.line().checked_sub(1)?)?;
    let (key, value) = text.split_once(':')?;
    let value = value.trim();
    let what = match (value.chars().next()?, e.to_string()) {
        ('[', m) if m.contains("invalid type: sequence") => "a list",
        ('{', m) if m.contains("invalid type: map") => "a mapping",
        _ => return None,
    };
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!(
        "to YAML, a value that starts with `{}` is {what}; for text, quote it: `{}: \"{quoted}\"`",
        &value[..1],
        key.trim()
    ))
}

/// For YAML that failed with `mapping values are not allowed` on a
/// top-level `key: value` line whose plain value has `: ` in it, the YAML
/// with that value quoted, and the line (0-based).
pub(super) fn quote_colon_value(yaml: &str, e: &serde_yaml::Error) -> Option<(String, usize)> {
    if !e.to_string().starts_with("mapping values are not allowed") {
        return None;
    }
    let line = e.location()?.line().checked_sub(1)?;
    let text = yaml.lines().nth(line)?;
    let (key, value) = text.split_once(": ")?;
    let value = value.trim();
    let plain_key = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || "_-".contains(c));
    if !plain_key
        || !value.contains(": ")
        || value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!'])
    {
        return None;
    }
    // A ` #` starts a comment, which stays one.
    let (value, comment) = match value.find(" #") {
        Some(at) => (value[..at].trim_end(), &value[at..]),
        None => (value, ""),
    };
    let quoted = format!("{key}: '{}'{comment}", value.replace('\'', "''"));
    let fixed: Vec<&str> = yaml
        .lines()
        .enumerate()
        .map(|(n, l)| if n == line { quoted.as_str() } else { l })
        .collect();
    Some((fixed.join("\n"), line))
}
