#!/usr/bin/env python3
"""What dead links cost a build: a vault of notes that each link to a few
notes that do not exist (imported docs, notes not written yet), built cold
with `links: warn`, beside the same vault whose links all resolve.

A broken link's message suggests the nearest name of every note and file,
which is a pass over the whole site; made for every broken link, the build
grew with (broken links x notes). Each binary builds both sites, rounds
alternating, under /usr/bin/time -v; prints the medians and the ratio of
the dead-link build to the clean one.

Usage (from the repository root):
    python3 bench/dead_links.py [--notes 4000] [--dead 5] [--runs 5]
                                [--bin PATH ...] [--work ../bench-work] [--out-dir DIR]
"""
import argparse
import os
import shutil
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import common_args, release_biji, timed  # noqa: E402


def make_site(root, notes, dead, broken):
    """`notes` notes of `dead` links each: to notes that are not there
    (`broken`), or to the next notes along."""
    d = os.path.join(root, "notes")
    if os.path.isdir(d):
        return root
    os.makedirs(d)
    with open(os.path.join(root, "biji.yaml"), "w") as f:
        f.write("links: warn\n")
    for i in range(notes):
        if broken:
            links = " ".join(f"[x](/docs/page{i}-{k}.md)" for k in range(dead))
        else:
            links = " ".join(f"[x](p{(i + k + 1) % notes}.md)" for k in range(dead))
        with open(os.path.join(d, f"p{i}.md"), "w") as f:
            f.write(f"# 笔记 {i}\n\n正文，见 {links}\n")
    return root


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=int, default=4000)
    ap.add_argument("--dead", type=int, default=5, help="links per note")
    ap.add_argument("--bin", action="append", help="biji binaries to compare (default: this repository's)")
    common_args(ap)
    a = ap.parse_args()
    bins = a.bin or [release_biji()]
    base = os.path.join(a.work, f"dead-links-{a.notes}x{a.dead}")
    sites = {kind: make_site(os.path.join(base, kind), a.notes, a.dead, kind == "dead")
             for kind in ("dead", "clean")}
    out_root = a.out_dir or base
    cmds = {}
    for i, b in enumerate(bins):
        for kind, site in sites.items():
            out = os.path.join(out_root, f"out-{i}-{kind}")
            cmds[(i, kind)] = (out, [b, "build", "-q", "--no-cache", "--root", site, "-o", out])
    results = {k: [] for k in cmds}
    for r in range(a.runs + 1):
        for k, (out, c) in cmds.items():
            shutil.rmtree(out, ignore_errors=True)
            t = timed(c)
            if r > 0:  # the first round warms the page cache
                results[k].append(t)
    print(f"{a.notes} notes, {a.dead} links each, {a.runs} runs (medians)")
    for i, b in enumerate(bins):
        wall = {kind: statistics.median(t[0] for t in results[(i, kind)]) for kind in sites}
        rss = {kind: statistics.median(t[3] for t in results[(i, kind)]) for kind in sites}
        print(f"{b}: dead {wall['dead']:.2f} s ({rss['dead']:.0f} MiB), "
              f"clean {wall['clean']:.2f} s ({rss['clean']:.0f} MiB), "
              f"ratio {wall['dead'] / wall['clean']:.2f}")


if __name__ == "__main__":
    main()
