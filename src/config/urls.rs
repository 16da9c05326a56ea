//! Where the site is published: `base_url` and `cname`, checked.

use anyhow::{bail, Result};

/// Splits a base URL into origin and path: `https://a.io/x` -> (`https://a.io`, `/x/`).
/// A bare path (`/notes/`) is accepted too, with an empty origin.
pub(crate) fn parse_base_url(url: &str) -> Result<(String, String)> {
    let url = url.trim();
    if url.is_empty() {
        return Ok((String::new(), "/".into()));
    }
    // The scheme in any case (`HTTPS://`), written as browsers write it.
    let after = |scheme: &'static str| {
        let n = scheme.len();
        let head = url.get(..n).filter(|h| h.eq_ignore_ascii_case(scheme))?;
        Some((scheme, &url[head.len()..]))
    };
    let (origin, path) = if let Some(rest) = after("https://").or_else(|| after("http://")) {
        let (scheme, rest) = rest;
        let host = &rest[..rest.find('/').unwrap_or(rest.len())];
        if host.is_empty() {
            bail!("`{url}` has no host");
        }
        if host.contains(['?', '#']) || host.contains(char::is_whitespace) {
            bail!("`{url}`: the host must not contain a query, fragment or space");
        }
        match rest.find('/') {
            Some(i) => (format!("{scheme}{}", &rest[..i]), rest[i..].to_string()),
            None => (format!("{scheme}{rest}"), "/".to_string()),
        }
    } else if url.starts_with("//") {
        bail!(
            "`{url}` names a host without a scheme; write https:{url}, or a path such as /notes/"
        );
    } else if url.starts_with('/') {
        (String::new(), url.to_string())
    } else {
        bail!("`{url}` must start with http://, https:// or /");
    };
    if path.contains(['?', '#']) {
        bail!("`{url}` must not contain a query or fragment");
    }
    // `https://a.io//notes/` would write every link as `//notes/...`,
    // which browsers read as another host: empty segments are dropped
    // (after decoding: `%2F` is a slash too).
    let path = percent_encoding::percent_decode_str(&path).decode_utf8_lossy();
    let path = path
        .split('/')
        .filter(|s| !s.is_empty())
        .fold(String::from("/"), |mut p, s| {
            p.push_str(s);
            p.push('/');
            p
        });
    // Encoded as every other URL biji writes (`/笔记/` as `/%E7%AC%94%E8%AE%B0/`),
    // and as browsers ask for it; written encoded already, it stays so.
    Ok((origin, crate::url::encode_path(&path)))
}

/// Checks a `cname` value: a bare host name such as `notes.example.com`.
pub(crate) fn check_cname(cname: &str) -> Result<()> {
    let c = cname.trim();
    if c.is_empty() {
        return Ok(());
    }
    if c.contains("://") || c.contains('/') {
        bail!("`{c}` must be a bare domain such as `notes.example.com`, without scheme or path");
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
    };
    if c.len() > 253 || !c.contains('.') || !c.split('.').all(label_ok) {
        bail!("`{c}` is not a domain name such as `notes.example.com`");
    }
    Ok(())
}
