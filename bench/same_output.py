#!/usr/bin/env python3
"""Does a change alter any page? Builds the same sites with biji at two
commits and compares the output trees byte by byte.

The sites: this repository's bundled notes (as they are in the working
tree, so both commits render the same input) and the 1k benchmark corpus
(generated once, as bench/build.py does). Each commit is checked out in a
temporary git worktree and built in release mode into one shared target
folder (so only biji itself is compiled twice).

Usage (from the repository root):
    python3 bench/same_output.py BEFORE [AFTER]     # AFTER: the working tree

Exits 0 when every tree is identical, 1 otherwise (listing the first
differing files).
"""
import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import ROOT, ensure_corpus, sh  # noqa: E402


def binary(rev, target, scratch):
    """biji built at `rev` (None: the working tree); returns the binary's path."""
    if rev is None:
        src = ROOT
    else:
        src = os.path.join(scratch, f"src-{rev.replace('/', '_')}")
        sh(["git", "-C", ROOT, "worktree", "add", "--detach", "--force", src, rev],
           stdout=subprocess.DEVNULL)
    sh(["cargo", "build", "--release", "--quiet", "--manifest-path",
        os.path.join(src, "Cargo.toml"), "--target-dir", target])
    out = os.path.join(scratch, f"biji-{rev or 'worktree'}".replace("/", "_"))
    shutil.copy(os.path.join(target, "release", "biji"), out)
    if rev is not None:
        sh(["git", "-C", ROOT, "worktree", "remove", "--force", src])
    return out


def differences(a, b, rel=""):
    """Paths (relative) that differ between trees `a` and `b`."""
    cmp = filecmp.dircmp(a, b)
    out = [os.path.join(rel, n) for n in cmp.left_only + cmp.right_only + cmp.funny_files]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    out += [os.path.join(rel, n) for n in mismatch + errors]
    for d in cmp.common_dirs:
        out += differences(os.path.join(a, d), os.path.join(b, d), os.path.join(rel, d))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after", nargs="?")
    ap.add_argument("--work", default=os.path.join(os.path.dirname(ROOT), "bench-work"))
    args = ap.parse_args()
    corpus = ensure_corpus(os.path.abspath(args.work), 1000)
    scratch = tempfile.mkdtemp(prefix="biji-same-")
    target = os.path.join(scratch, "target")
    bins = [binary(args.before, target, scratch), binary(args.after, target, scratch)]
    sites = {"bundled notes": ROOT, "1k corpus": corpus}
    same = True
    for name, root in sites.items():
        outs = []
        for i, b in enumerate(bins):
            out = os.path.join(scratch, f"out-{i}-{name.replace(' ', '-')}")
            # The other commit's cache may share this one's version string.
            shutil.rmtree(os.path.join(root, ".biji-cache"), ignore_errors=True)
            p = subprocess.run([b, "build", "-q", "--root", root, "-o", out],
                               capture_output=True, text=True)
            if p.returncode != 0:
                # An older biji may not read notes written for a newer one.
                print(f"{name}: {os.path.basename(b)} cannot build it:\n{p.stderr[-1500:]}")
                break
            outs.append(out)
        if len(outs) < 2:
            same = False
            continue
        diff = differences(*outs)
        print(f"{name}: {'identical' if not diff else f'{len(diff)} files differ'}")
        for d in diff[:10]:
            print(f"  {d}")
        same &= not diff
    shutil.rmtree(scratch, ignore_errors=True)
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
