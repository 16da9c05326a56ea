#!/usr/bin/env python3
"""Is a change slower? Times `biji build` of the 1k corpus at two commits in
the same run, alternating them (so a machine that is slower now and then
slows both), each build under /usr/bin/time -v with its output deleted
first.

Usage (from the repository root):
    python3 bench/ab.py BEFORE [AFTER] [--runs 9] [--out-dir /dev/shm/biji-ab]
    python3 bench/ab.py --bins OLD_BINARY NEW_BINARY      # already built

Prints the median, minimum and maximum wall time and the median peak RSS
of each, and the after/before ratio of the medians.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import ROOT, ensure_corpus  # noqa: E402
from same_output import binary  # noqa: E402


def timed(binary_path, root, out):
    """(wall seconds, peak RSS MiB) of one cold build."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(root, ".biji-cache"), ignore_errors=True)
    start = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v", binary_path, "build", "-q", "--root", root, "-o", out],
                       capture_output=True, text=True)
    wall = time.monotonic() - start
    if p.returncode != 0:
        sys.exit(f"{binary_path} failed:\n{p.stderr[-1500:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return wall, int(rss.group(1)) / 1024 if rss else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before", nargs="?")
    ap.add_argument("after", nargs="?")
    ap.add_argument("--bins", nargs=2, metavar=("BEFORE_BIN", "AFTER_BIN"))
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--out-dir", default=None, help="where the builds write (a tmpfs is steadier)")
    ap.add_argument("--work", default=os.path.join(os.path.dirname(ROOT), "bench-work"))
    args = ap.parse_args()
    corpus = ensure_corpus(os.path.abspath(args.work), 1000)
    scratch = tempfile.mkdtemp(prefix="biji-ab-")
    if args.bins:
        bins = args.bins
    elif args.before:
        target = os.path.join(scratch, "target")
        bins = [binary(args.before, target, scratch), binary(args.after, target, scratch)]
    else:
        sys.exit("give BEFORE [AFTER] commits, or --bins BEFORE_BIN AFTER_BIN")
    out_dir = args.out_dir or scratch
    os.makedirs(out_dir, exist_ok=True)
    names = ["before", "after"]
    runs = {n: [] for n in names}
    timed(bins[0], corpus, os.path.join(out_dir, "warm"))  # warm the page cache
    for r in range(args.runs):
        order = [0, 1] if r % 2 == 0 else [1, 0]
        for k in order:
            runs[names[k]].append(timed(bins[k], corpus, os.path.join(out_dir, names[k])))
    for n in names:
        walls = [w for w, _ in runs[n]]
        rss = statistics.median(m for _, m in runs[n])
        print(f"{n}: median {statistics.median(walls):.3f} s, min {min(walls):.3f}, "
              f"max {max(walls):.3f}, peak RSS {rss:.0f} MiB ({len(walls)} runs)")
    ratio = statistics.median(w for w, _ in runs["after"]) / statistics.median(w for w, _ in runs["before"])
    print(f"after/before (medians): {ratio:.3f}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
