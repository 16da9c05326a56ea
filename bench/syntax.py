#!/usr/bin/env python3
"""What the Typora/Obsidian extensions (`markdown:` in biji.yaml) cost a build.

Builds the same 1k-note corpus as bench/build.py, alternating cold runs of:

* `biji build` as it comes (every extension on but inline tags);
* with `markdown: {math: false}`;
* with every extension off;
* and, to price the math itself, the corpus plus `--math-notes` notes that
  each hold the 59 good formulas of tests/fixtures/math/formulas.txt, with
  math on and with math off.

All runs use `search: false`, so the figures show the Markdown work rather
than the search index. Prints wall, CPU and peak RSS medians and the ratios
to the default build.

Usage (from the repository root):
    python3 bench/syntax.py [--runs 5] [--math-notes 100] [--work ../bench-work] [--out-dir /dev/shm/x]
"""
import argparse
import os
import shutil
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import ROOT, alternate, common_args, ensure_corpus, release_biji  # noqa: E402

OFF = "markdown:\n" + "".join(f"  {k}: false\n" for k in [
    "math", "diagrams", "highlight", "sup_sub", "toc", "comments", "callouts", "embeds"])


def site(path, notes, config):
    """A site folder at `path` whose notes are `notes` (a symlink) and biji.yaml `config`."""
    os.makedirs(path, exist_ok=True)
    link = os.path.join(path, "notes")
    if not os.path.islink(link):
        os.symlink(notes, link)
    with open(os.path.join(path, "biji.yaml"), "w") as f:
        f.write("links: warn\nsearch: false\n" + config)
    return path


def math_notes(corpus, count, out):
    """The corpus's notes plus `count` notes of formulas, in `out`."""
    if os.path.isdir(out):
        shutil.rmtree(out)
    shutil.copytree(os.path.join(corpus, "notes"), out)
    with open(os.path.join(ROOT, "tests", "fixtures", "math", "formulas.txt")) as f:
        blocks = f.read().split("\n%%%\n")
    body = []
    for b in blocks:
        head, tex = b.split("\n", 1)
        if head.startswith("# bad"):
            continue
        tex = tex.strip()
        body.append(f"$$\n{tex}\n$$\n" if head.endswith("display") else f"公式 ${tex}$ 在句中。\n")
    os.makedirs(os.path.join(out, "math"), exist_ok=True)
    for i in range(count):
        with open(os.path.join(out, "math", f"公式-{i:03}.md"), "w") as f:
            f.write(f"# 公式 {i}\n\n" + "\n".join(body))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--math-notes", type=int, default=100)
    common_args(ap)
    args = ap.parse_args()

    work = os.path.abspath(args.work)
    corpus = ensure_corpus(work, 1000)
    biji = release_biji()
    with_math = os.path.join(work, "notes-1k-math")
    math_notes(corpus, args.math_notes, with_math)
    notes = os.path.join(corpus, "notes")
    sites = {
        "default": site(os.path.join(work, "syn-default"), notes, ""),
        "math: false": site(os.path.join(work, "syn-nomath"), notes, "markdown:\n  math: false\n"),
        "all extensions off": site(os.path.join(work, "syn-off"), notes, OFF),
        f"+{args.math_notes} math notes": site(os.path.join(work, "syn-math"), with_math, ""),
        f"+{args.math_notes} math notes, math: false":
            site(os.path.join(work, "syn-math-off"), with_math, "markdown:\n  math: false\n"),
    }
    out_dir = os.path.abspath(args.out_dir) if args.out_dir else work
    os.makedirs(out_dir, exist_ok=True)
    env = dict(os.environ, RAYON_NUM_THREADS="2")
    cmds = {}
    for i, (name, root) in enumerate(sites.items()):
        out = os.path.join(out_dir, f"syn-out-{i}")
        cmds[name] = ["sh", "-c", f"rm -rf {out} {root}/.biji-cache && {biji} build -q --root {root} -o {out}"]
    results = alternate(cmds, args.runs, env)

    print(f"\n{args.runs} runs each (alternating, 1 warm-up), search: false")
    print(f"{'site':<34} {'wall s median (min-max)':<24} {'user s':>7} {'peak MiB':>9} {'ratio':>6}")
    base = statistics.median(r[0] for r in results["default"])
    for name, rs in results.items():
        walls = [r[0] for r in rs]
        med = statistics.median(walls)
        print(f"{name:<34} {med:6.2f} ({min(walls):.2f}-{max(walls):.2f}){'':<6}"
              f" {statistics.median(r[1] for r in rs):7.2f} {statistics.median(r[3] for r in rs):9.1f}"
              f" {med / base:6.2f}")


if __name__ == "__main__":
    main()
