#!/usr/bin/env python3
"""First-load weight of pages of a built site: gzip -9 bytes of each page's
HTML plus the stylesheets and scripts its HTML loads before any interaction
(a `<link rel=stylesheet>` or a `<script src>`), as a browser with an empty
cache fetches them. Images and fonts are left out (the theme has none).

    python3 bench/page_weight.py SITE_DIR [PAGE ...]

PAGE is a URL path such as `/` or `/python/进程线程协程/`; without one, the
home page and the note page with the most code blocks are measured.
"""

import gzip
import pathlib
import re
import sys
from urllib.parse import unquote, urlparse

ASSET = re.compile(
    r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"|<script[^>]*\ssrc="([^"]+)"'
)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def page_file(site: pathlib.Path, url: str) -> pathlib.Path:
    path = unquote(urlparse(url).path).lstrip("/")
    f = site / path
    return f / "index.html" if f.is_dir() or not path else f


def weigh(site: pathlib.Path, url: str) -> list[tuple[str, int]]:
    html = page_file(site, url).read_bytes()
    rows = [(url, gz(html))]
    for m in ASSET.finditer(html.decode("utf-8", "replace")):
        ref = m.group(1) or m.group(2)
        if urlparse(ref).scheme:
            continue
        rows.append((ref, gz(page_file(site, ref).read_bytes())))
    return rows


def most_code(site: pathlib.Path) -> str:
    best, url = -1, "/"
    for f in sorted(site.rglob("index.html")):
        text = f.read_text("utf-8", "replace")
        if 'class="note' not in text:
            continue
        n = text.count("<pre")
        if n > best:
            rel = f.parent.relative_to(site).as_posix()
            best, url = n, f"/{rel}/"
    return url


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    site = pathlib.Path(sys.argv[1])
    pages = sys.argv[2:] or ["/", most_code(site)]
    for url in pages:
        rows = weigh(site, url)
        total = sum(n for _, n in rows)
        print(f"{url}: {total} bytes gzip ({total / 1024:.1f} KiB)")
        for ref, n in rows:
            print(f"  {n:>7}  {ref}")


if __name__ == "__main__":
    main()
