//! Notes no one means to write but a build meets anyway (a minified line in a
//! code block, a stray NUL byte, an unlucky file name): the build neither
//! stalls, nor writes broken pages, nor names its own temporary files.

mod common;
use common::*;

#[test]
fn a_code_block_too_long_to_highlight_is_plain_and_reported() {
    // One 1 MB line: syntect took 109 s on it.
    let line = "**粗体** `code` [链接](x.md) <b>".repeat(30_000);
    assert!(line.len() > 1_000_000);
    let note = format!("# 大\n\n```markdown\n{line}\n```\n\n```rust\nfn main() {{}}\n```\n");
    let site = site_with([("big.md", note.as_str())]);
    let o = biji(site.path(), &["build"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("1 code block(s) too long to highlight")
            && err.contains("notes/big.md:3 (a line of"),
        "{err}"
    );
    let page = read(&site.path().join("public"), "big/index.html");
    let start = page.find("<code class=\"language-markdown\">").unwrap();
    let block = &page[start..start + page[start..].find("</code>").unwrap()];
    assert!(block.contains("**粗体** `code` [链接](x.md) &lt;b&gt;"));
    assert!(!block.contains("hl-"), "not highlighted");
    // The short block beside it still is.
    assert!(page.contains("hl-source hl-rust"));
}
