#!/usr/bin/env python3
"""Cold full-build benchmark: biji vs. the floor program, in the same run.

Generates the corpus with ../shared/bench/gen_corpus.py (once), builds the
floor (../shared/bench/floor) and biji in release mode, then alternates cold
runs of `floor hl` (2 threads), `biji build` with `search: false` (the core
build: pages, listings, topics, highlighting) and `biji build` as it comes
(with its search index), output (and biji's `.biji-cache/`) removed first,
inside the timing, as in the anchor benchmark, each under /usr/bin/time -v.
Prints wall, CPU and peak RSS medians and both biji/floor ratios.

Usage (from the repository root):
    python3 bench/build.py [--notes 1000] [--runs 5] [--work ../bench-work] [--out-dir DIR]

--out-dir puts every program's output folder in DIR (e.g. /dev/shm, a tmpfs)
instead of beside the corpus: on an ext4 without a journal, creating files
soon after many were deleted costs kernel time that grows with the number of
recently deleted files (ext4 skips recently freed inodes one by one), so
there the figures depend on how many files each program writes and on what
ran just before; on tmpfs they show the work itself.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")


def sh(cmd, **kw):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, **kw)


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v; returns (wall s, user s, sys s, peak MiB)."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed: {cmd}\n{p.stderr[-2000:]}")
    err = p.stderr

    def field(name):
        m = re.search(re.escape(name) + r":\s*(.+)", err)
        return m.group(1).strip()

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(x) for x in wall.split(":")]
    secs = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) == 3 else 0)
    user = float(field("User time (seconds)"))
    system = float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    return secs, user, system, rss


def common_args(ap):
    """The options every benchmark here takes: runs, work folder, output folder."""
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", default=os.path.join(os.path.dirname(ROOT), "bench-work"))
    ap.add_argument("--out-dir", help="where the programs write their output (default: beside the corpus)")


def ensure_corpus(work, notes):
    """The corpus of `notes` notes under `work`, generated the first time,
    with a `biji.yaml` of `links: warn`: the corpus repeats seed 002's broken
    `#editing-this-readme` anchor, which biji reports (as it should), so the
    benchmarks build with warnings instead."""
    os.makedirs(work, exist_ok=True)
    label = f"{notes // 1000}k" if notes % 1000 == 0 else str(notes)
    corpus = os.path.join(work, f"notes-{label}")
    if not os.path.isdir(os.path.join(corpus, "notes")):
        sh([sys.executable, os.path.join(SHARED, "gen_corpus.py"), "--notes", str(notes),
            "--out", corpus, "--force"])
    with open(os.path.join(corpus, "biji.yaml"), "w") as f:
        f.write("links: warn\n")
    return corpus


def release_biji():
    """biji built in release mode from this repository; its path (under
    CARGO_TARGET_DIR when set)."""
    sh(["cargo", "build", "--release", "--quiet", "--manifest-path", os.path.join(ROOT, "Cargo.toml")])
    target = os.path.abspath(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")))
    return os.path.join(target, "release", "biji")


def linked_site(site, corpus, config):
    """A site folder `site` whose `notes/` links to the corpus's notes, with
    `config` as its biji.yaml: the same notes under other settings, without
    a copy and without touching the corpus."""
    os.makedirs(site, exist_ok=True)
    link = os.path.join(site, "notes")
    if not os.path.islink(link):
        os.symlink(os.path.join(corpus, "notes"), link)
    with open(os.path.join(site, "biji.yaml"), "w") as f:
        f.write(config)
    return site


def alternate(cmds, runs, env):
    """Each command once as a warm-up (page cache, lazy loading), then `runs`
    rounds of all of them in turn, so drift in the machine's speed hits
    every command alike. Returns {name: [timed(...) per run]}."""
    for c in cmds.values():
        timed(c, env)
    results = {k: [] for k in cmds}
    for _ in range(runs):
        for name, c in cmds.items():
            results[name].append(timed(c, env))
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=int, default=1000)
    common_args(ap)
    args = ap.parse_args()

    work = os.path.abspath(args.work)
    corpus = ensure_corpus(work, args.notes)
    # The same notes as a site with `search: false`.
    core = linked_site(corpus + "-nosearch", corpus, "links: warn\nsearch: false\n")
    floor_target = os.path.join(work, "floor-target")
    sh(["cargo", "build", "--release", "--quiet", "--manifest-path",
        os.path.join(SHARED, "floor", "Cargo.toml"), "--target-dir", floor_target])
    floor = os.path.join(floor_target, "release", "floor")
    biji = release_biji()

    out_dir = os.path.abspath(args.out_dir) if args.out_dir else corpus
    os.makedirs(out_dir, exist_ok=True)
    fout = os.path.join(out_dir, "fout")
    site = os.path.join(out_dir, "site")
    core_site = os.path.join(out_dir, "site-nosearch")
    env = dict(os.environ, THREADS="2", RAYON_NUM_THREADS="2")
    cmds = {
        "floor hl, 2 threads": ["sh", "-c", f"rm -rf {fout} && {floor} hl {corpus}/notes {fout}"],
        "biji, search: false": ["sh", "-c", f"rm -rf {core_site} {core}/.biji-cache && {biji} build -q --root {core} -o {core_site}"],
        "biji build": ["sh", "-c", f"rm -rf {site} {corpus}/.biji-cache && {biji} build -q --root {corpus} -o {site}"],
    }
    results = alternate(cmds, args.runs, env)

    print(f"\n{args.notes} notes, {args.runs} runs each (alternating, 1 warm-up), output in {out_dir}")
    print(f"{'command':<22} {'wall s median (min-max)':<26} {'user s':>7} {'sys s':>7} {'peak MiB':>9}   (medians)")
    med = {}
    for name, rs in results.items():
        walls = [r[0] for r in rs]
        med[name] = statistics.median(walls)
        print(f"{name:<22} {statistics.median(walls):6.2f} ({min(walls):.2f}-{max(walls):.2f}){'':<8}"
              f" {statistics.median(r[1] for r in rs):7.2f} {statistics.median(r[2] for r in rs):7.2f}"
              f" {statistics.median(r[3] for r in rs):9.1f}")
    floor_wall = med["floor hl, 2 threads"]
    ratio = med["biji build"] / floor_wall
    core_ratio = med["biji, search: false"] / floor_wall
    print(f"\nbiji / floor (wall, medians): {ratio:.2f}x; with search: false {core_ratio:.2f}x")
    out = {k: [{"wall": w, "user": u, "sys": s, "rss_mib": r} for w, u, s, r in v] for k, v in results.items()}
    out["ratio"] = ratio
    out["ratio_search_off"] = core_ratio
    out["out_dir"] = out_dir
    with open(os.path.join(work, f"bench-build-{args.notes}.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
