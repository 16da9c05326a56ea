//! The sink `serve` writes through: it adds the live-reload client to every
//! HTML page on its way to the served folder, so the build itself never
//! knows about serve.

use crate::output::{Key, Sink};
use anyhow::Result;
use std::path::Path;

/// Passes everything to `inner`, with `script` before each page's `</body>`.
pub(crate) struct Injecting<'a> {
    pub inner: &'a dyn Sink,
    pub script: &'a str,
}

impl Sink for Injecting<'_> {
    fn wants(&self, rel: &str, key: Key) -> bool {
        self.inner.wants(rel, key)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if !rel.ends_with(".html") {
            return self.inner.write(rel, bytes);
        }
        let at = bytes
            .windows(7)
            .rposition(|w| w == b"</body>")
            .unwrap_or(bytes.len());
        let mut page = Vec::with_capacity(bytes.len() + self.script.len());
        page.extend_from_slice(&bytes[..at]);
        page.extend_from_slice(self.script.as_bytes());
        page.extend_from_slice(&bytes[at..]);
        self.inner.write(rel, &page)
    }

    /// Files from the notes are served as they are.
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        self.inner.copy(from, rel)
    }

    fn keep_group(&self, prefix: &str, key: Key) -> bool {
        self.inner.keep_group(prefix, key)
    }

    fn keeps(&self, rel: &str, key: Key) -> bool {
        self.inner.keeps(rel, key)
    }

    fn keep_all(&self, files: &[(String, Key)]) -> Vec<bool> {
        self.inner.keep_all(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Memory(Mutex<Vec<(String, Vec<u8>)>>);
    impl Sink for Memory {
        fn wants(&self, _: &str, _: Key) -> bool {
            true
        }
        fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
            self.0.lock().unwrap().push((rel.into(), bytes.to_vec()));
            Ok(())
        }
    }

    #[test]
    fn pages_get_the_script_before_their_last_body_end() {
        let m = Memory(Mutex::new(Vec::new()));
        let s = Injecting {
            inner: &m,
            script: "<s>",
        };
        s.write("a/index.html", b"<body>x</body></body>").unwrap();
        s.write("b.html", b"no end").unwrap();
        s.write("static/x.css", b"</body>").unwrap();
        let got = m.0.into_inner().unwrap();
        assert_eq!(got[0].1, b"<body>x</body><s></body>");
        assert_eq!(got[1].1, b"no end<s>");
        assert_eq!(got[2].1, b"</body>");
    }
}
