//! Yes-or-no keys (`draft`, `publish`) read as the editors read them.

use serde::Deserialize;

/// A yes-or-no key as people write it: YAML's `true`/`false`, or `yes`,
/// `no`, `on`, `off` (YAML 1.1, which Obsidian's properties and many other
/// tools read), quoted or not, in any case, or `1`/`0`. An empty value is no.
fn as_flag(v: &serde_yaml::Value) -> Option<bool> {
    use serde_yaml::Value;
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "on" | "1" => Some(true),
            "false" | "no" | "n" | "off" | "0" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(flag_or_unset(d)?.unwrap_or(false))
}

pub(super) fn flag_or_unset<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<bool>, D::Error> {
    let v = serde_yaml::Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    as_flag(&v).map(Some).ok_or_else(|| {
        serde::de::Error::custom(
            "`draft` and `publish` take true or false (yes, no, 1 and 0 work too)",
        )
    })
}
