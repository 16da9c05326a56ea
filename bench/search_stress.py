#!/usr/bin/env python3
"""Search precision on a built site: tests/fixtures/search/stress.js over it.

Random Han n-grams (2, 3 and 4 characters, each in two notes or more, picked
with a seed from the notes' indexed text) run through the site's own
static/search.js; a substring search in the same text is the ground truth.
Prints, per n and overall, the precision of the listed results (above the
部分匹配 separator), recall, and the share of queries where every note with
the phrase ranks above every note without it, then the same over all hits.

Usage (from the repository root):
    python3 bench/search_stress.py --site DIR [--base /]     # a site already built
    python3 bench/search_stress.py --notes 10000             # builds the corpus first

With --notes, the corpus (generated once, as bench/build.py does) is built by
biji in release mode (or --bin) with --no-cache, so the corpus folder gets no
cache, into --out-dir (default: ../bench-work/stress-site-<n>), and kept for
later runs unless --rebuild. --queries, --seed and --json go to stress.js.
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import ROOT, ensure_corpus, sh  # noqa: E402

STRESS = os.path.join(ROOT, "tests", "fixtures", "search", "stress.js")


def built_site(args):
    """The site to measure: --site as given, or the corpus built once."""
    if args.site:
        return args.site
    out = args.out_dir or os.path.join(args.work, f"stress-site-{args.notes}")
    if args.rebuild or not os.path.isfile(os.path.join(out, "search", "meta.json")):
        corpus = ensure_corpus(args.work, args.notes)
        binary = args.bin
        if not binary:
            sh(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
            target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
            binary = os.path.join(target, "release", "biji")
        sh([binary, "build", "--quiet", "--no-cache", "--root", corpus, "-o", out])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", help="a built site folder (skips building)")
    ap.add_argument("--base", default="/", help="the site's base path (default /)")
    ap.add_argument("--notes", type=int, default=10000, help="corpus size to build without --site")
    ap.add_argument("--work", default=os.path.join(os.path.dirname(ROOT), "bench-work"))
    ap.add_argument("--out-dir", help="where to build the corpus's site")
    ap.add_argument("--bin", help="a built biji (default: cargo build --release)")
    ap.add_argument("--rebuild", action="store_true", help="build the site even if it is there")
    ap.add_argument("--queries", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    site = built_site(args)
    cmd = ["node", STRESS, site, args.base, "--queries", str(args.queries), "--seed", str(args.seed)]
    if args.json:
        cmd.append("--json")
    print("+", " ".join(cmd), file=sys.stderr)
    start = time.monotonic()
    subprocess.run(cmd, check=True)
    print(f"({time.monotonic() - start:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
