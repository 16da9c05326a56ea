#!/usr/bin/env python3
"""What the search index costs a build: the same notes built with search on
and with `search: false`, for the three builds a user runs.

* `cold`: no cache (`--no-cache`), output folder removed first;
* `edit`: with the cache, over the last output, after one line was appended
  to one note (a build while writing, or `serve`'s full rebuilds);
* `ci`: with the cache, into a new output folder, after such an edit (the
  Pages workflow restores `.biji-cache/` but not `public/`).

Each binary gets its own pair of sites (`share-<n>/<i>-on`, `<i>-off` under
--work, whose `notes/` link to the corpus's), because a cache belongs to
the binary that wrote it. Every round runs all binaries and both sites, in
alternating order, so a machine that is slower now and then slows all alike.
Wall time comes from the clock around the process, CPU time (user + system)
from its rusage. The edit is undone at the end.

Prints, per mode and binary, the medians with and without search, and what
the index adds: seconds and its share of the build with search.

Usage (from the repository root):
    python3 bench/search_share.py [--notes 10000] [--modes cold,edit,ci] [--runs 5]
                                  [--bin PATH ...] [--work ../bench-work] [--out-dir DIR]
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import common_args, ensure_corpus, linked_site, release_biji  # noqa: E402

# A 30 KB note of the generated corpus (bench/serve.py and cache.py edit it too).
NOTE = "cpp/interview/process-00031.md"


def sites(work, corpus, count, n):
    """{(binary index, search on): site folder}."""
    return {
        (i, on): linked_site(os.path.join(work, f"share-{count}", f"{i}-{'on' if on else 'off'}"),
                             corpus, "links: warn\n" + ("" if on else "search: false\n"))
        for i in range(n) for on in (True, False)
    }


def build(binary, site, out, mode):
    """(wall s, CPU s) of one build in `mode`."""
    if mode != "edit":
        shutil.rmtree(out, ignore_errors=True)
    cmd = [binary, "build", "-q", "--root", site, "-o", out]
    if mode == "cold":
        cmd.append("--no-cache")
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stderr.read().decode()[-1500:]}")
    return wall, usage.ru_utime + usage.ru_stime


def run_mode(mode, bins, site_of, out_dir, args, note):
    """{(binary index, on): [(wall, cpu)]} over `args.runs` rounds."""
    outs = {k: os.path.join(out_dir, f"share-{k[0]}-{'on' if k[1] else 'off'}") for k in site_of}
    for (i, on), site in site_of.items():
        # Fill the cache and the output (twice: the second build settles it).
        for _ in range(1 if mode == "cold" else 2):
            build(bins[i], site, outs[(i, on)], "edit" if mode != "cold" else "cold")
    results = {k: [] for k in site_of}
    for r in range(args.runs):
        if mode != "cold":
            with open(note, "a", encoding="utf-8") as f:
                f.write(f"\n基准测试的一行 {r} {random.randrange(1 << 30)}\n")
        order = sorted(site_of, reverse=bool(r % 2))
        for k in order:
            results[k].append(build(bins[k[0]], site_of[k], outs[k], mode))
    for o in outs.values():
        shutil.rmtree(o, ignore_errors=True)
    return results


def report(mode, bins, results):
    print(f"\n{mode}:\n")
    print("| binary | with search | CPU | `search: false` | CPU | index adds | share (wall) | share (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for i, b in enumerate(bins):
        on = [statistics.median(c) for c in zip(*results[(i, True)])]
        off = [statistics.median(c) for c in zip(*results[(i, False)])]
        print(f"| {os.path.basename(b)} | {on[0]:.3f} s | {on[1]:.2f} s | {off[0]:.3f} s | {off[1]:.2f} s "
              f"| {on[0] - off[0]:+.3f} s | {100 * (on[0] - off[0]) / on[0]:.1f}% "
              f"| {100 * (on[1] - off[1]) / on[1]:.1f}% |")


def main():
    ap = argparse.ArgumentParser()
    common_args(ap)
    ap.add_argument("--notes", type=int, default=10000)
    ap.add_argument("--modes", default="cold,edit,ci", help="comma-separated: cold, edit, ci")
    ap.add_argument("--bin", action="append", help="a biji binary (repeat to compare; default: build this one)")
    args = ap.parse_args()
    modes = args.modes.split(",")
    for m in modes:
        if m not in ("cold", "edit", "ci"):
            sys.exit(f"unknown mode `{m}`: cold, edit or ci")
    corpus = ensure_corpus(args.work, args.notes)
    note = os.path.join(corpus, "notes", NOTE)
    if not os.path.isfile(note):
        sys.exit(f"the corpus has no `{NOTE}` to edit")
    bins = [os.path.abspath(b) for b in args.bin] if args.bin else [release_biji()]
    site_of = sites(args.work, corpus, args.notes, len(bins))
    out_dir = args.out_dir or os.path.join(args.work, f"share-{args.notes}")
    with open(note, "rb") as f:
        original = f.read()
    stat = os.stat(note)
    try:
        for mode in modes:
            report(mode, bins, run_mode(mode, bins, site_of, out_dir, args, note))
    finally:
        with open(note, "wb") as f:
            f.write(original)
        os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))


if __name__ == "__main__":
    main()
