#!/usr/bin/env python3
"""What the build cache (`.biji-cache/` in the site folder) buys: cold and
warm builds of the same corpus, next to the floor program's cold time.

For each corpus size (1k and 10k notes by default), `--runs` rounds of:

* floor: `floor hl` with 2 threads, output removed inside the timing, as
  bench/build.py runs it;
* cold: output folder and `.biji-cache/` removed first (outside the timing),
  then `biji build`;
* warm, no change: `biji build` again;
* warm, one body edit: a line appended to one note's body;
* warm, one title edit: that note's `title:` (or first `# ` heading) changed;
* warm, template edit: an HTML comment in the site's `templates/note.html`
  (inside its content block, so every note page changes);
* `--no-cache`: a build that ignores the cache (only if the binary has the
  flag), over the warm output.

Each edit is undone (original bytes and mtime) right after its build, and an
untimed build brings the cache back in step before the next row. Every biji
build runs under /usr/bin/time -v; for each row the script also counts the
output files whose (mtime, size) changed. Prints Markdown tables of medians.

The builds use a sibling site `notes-<n>-cache/` whose `notes/` links to the
corpus's notes, with the corpus's `biji.yaml` and a copy of the repository's
`templates/` (so the template edit has a file to change): the corpus itself
gets no `templates/` and no cache, and the other benchmarks stay cold.

Usage (from the repository root):
    python3 bench/cache.py [--notes 1000,10000] [--runs 3] [--work ../bench-work]
                           [--out-dir DIR] [--bin PATH]
"""
import argparse
import contextlib
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import (ROOT, SHARED, common_args, ensure_corpus, linked_site, release_biji,  # noqa: E402
                   sh, timed)

# The note bench/serve.py edits (a 30 KB note), if the corpus has it.
NOTE = "cpp/interview/process-00031.md"
NEW_TITLE = "改过的标题（基准测试）"
MARKER = "<!-- cache benchmark: template edit -->"
ROWS = ["cold", "warm, no change", "warm, one body edit", "warm, one title edit",
        "warm, template edit", "--no-cache"]


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


def binaries(args, work):
    """(floor, biji): the floor built as bench/build.py builds it; biji from
    --bin, else a release build of this repository."""
    floor_target = os.path.join(work, "floor-target")
    sh(["cargo", "build", "--release", "--quiet", "--manifest-path",
        os.path.join(SHARED, "floor", "Cargo.toml"), "--target-dir", floor_target])
    floor = os.path.join(floor_target, "release", "floor")
    return floor, os.path.abspath(args.bin) if args.bin else release_biji()


def cache_site(corpus):
    """The sibling site: the corpus's notes (linked) and biji.yaml, and a fresh
    copy of the repository's templates."""
    with open(os.path.join(corpus, "biji.yaml")) as f:
        site = linked_site(corpus + "-cache", corpus, f.read())
    shutil.rmtree(os.path.join(site, "templates"), ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(site, "templates"))
    return site


def pick_note(notes):
    """A fixed note: serve.py's if present, else the first in sorted order."""
    if os.path.exists(os.path.join(notes, NOTE)):
        return NOTE
    return sorted(
        os.path.relpath(os.path.join(d, f), notes).replace(os.sep, "/")
        for d, _, fs in os.walk(notes) for f in fs if f.endswith(".md")
    )[0]


def edit_body(text):
    return text + "\n追加的一行，缓存基准测试用。\n"


def edit_title(text):
    """The front matter's `title:` line, else the first `# ` heading."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                break
            if lines[i].startswith("title:"):
                lines[i] = f'title: "{NEW_TITLE}"'
                return "\n".join(lines)
    for i, line in enumerate(lines):
        if line.startswith("# "):
            lines[i] = f"# {NEW_TITLE}"
            return "\n".join(lines)
    sys.exit("the picked note has neither a title: nor a # heading")


def edit_template(text):
    """A comment inside the content block (appended after it would be text
    outside any block of a child template, which never reaches a page)."""
    block = "{% block content %}"
    if block in text:
        return text.replace(block, block + MARKER, 1)
    return text + MARKER + "\n"


@contextlib.contextmanager
def edited(path, change):
    """`path` rewritten by `change` for the duration; then its original bytes
    and mtime come back, so the corpus stays as generated."""
    st = os.stat(path)
    with open(path, "rb") as f:
        original = f.read()
    try:
        with open(path, "wb") as f:
            f.write(change(original.decode("utf-8")).encode("utf-8"))
        yield
    finally:
        with open(path, "wb") as f:
            f.write(original)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def snapshot(out):
    """{path: (mtime_ns, size)} of every file under `out`."""
    snap = {}
    for d, _, fs in os.walk(out):
        for f in fs:
            p = os.path.join(d, f)
            st = os.stat(p)
            snap[p] = (st.st_mtime_ns, st.st_size)
    return snap


def rewritten(before, after):
    """Files new or with another (mtime, size) after the build."""
    return sum(1 for p, v in after.items() if before.get(p) != v)


def one_round(build, floor_cmd, site, out, edits, no_cache, env, rec):
    """One run of every row, in order; `rec(row, timing, files rewritten)`."""
    rec("floor", timed(floor_cmd, env), None)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(site, ".biji-cache"), ignore_errors=True)
    t = timed(build, env)
    rec("cold", t, len(snapshot(out)))
    before = snapshot(out)
    t = timed(build, env)
    rec("warm, no change", t, rewritten(before, snapshot(out)))
    for row, path, change in edits:
        with edited(path, change):
            before = snapshot(out)
            t = timed(build, env)
            n = rewritten(before, snapshot(out))
        rec(row, t, n)
        timed(build, env)  # untimed: the cache catches up with the undo
    if no_cache:
        before = snapshot(out)
        t = timed(build + ["--no-cache"], env)
        rec("--no-cache", t, rewritten(before, snapshot(out)))


def bench(args, notes_count, floor, biji, no_cache, env):
    """Runs every row `args.runs` times on one corpus; returns {row: [(wall,
    user, sys, rss, rewritten)]} and the edited note."""
    corpus = ensure_corpus(os.path.abspath(args.work), notes_count)
    site = cache_site(corpus)
    label = os.path.basename(corpus)
    out_dir = os.path.abspath(args.out_dir) if args.out_dir else site
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, f"cache-out-{label}")
    fout = os.path.join(out_dir, f"fout-cache-{label}")
    build = [biji, "build", "-q", "--root", site, "-o", out]
    floor_cmd = ["sh", "-c", f"rm -rf {fout} && {floor} hl {corpus}/notes {fout}"]
    rel = pick_note(os.path.join(corpus, "notes"))
    note = os.path.join(corpus, "notes", rel)
    edits = [
        ("warm, one body edit", note, edit_body),
        ("warm, one title edit", note, edit_title),
        ("warm, template edit", os.path.join(site, "templates", "note.html"), edit_template),
    ]
    results = {}

    def rec(row, t, n):
        results.setdefault(row, []).append(t + (n,))

    progress(f"{label}: warm-up (page cache), then {args.runs} round(s)")
    timed(floor_cmd, env)
    timed(build, env)
    for r in range(args.runs):
        progress(f"{label}: round {r + 1}/{args.runs}")
        one_round(build, floor_cmd, site, out, edits, no_cache, env, rec)
    return results, rel, out_dir


def table(notes_count, results, rel, out_dir, runs):
    """The Markdown table of one corpus."""
    med = {row: [statistics.median(r[i] for r in rs) if rs[0][i] is not None else None
                 for i in range(5)] for row, rs in results.items()}
    floor_wall, cold_wall = med["floor"][0], med["cold"][0]
    print(f"\n**{notes_count} notes**, medians of {runs} run(s); edited note `{rel}`; output in `{out_dir}`\n")
    print("| build | wall s | % of cold | × floor | CPU s (user+sys) | peak RSS MiB | files rewritten |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    f = med["floor"]
    print(f"| floor `hl`, 2 threads, cold | {f[0]:.2f} | | 1.00 | {f[1] + f[2]:.2f} | {f[3]:.0f} | |")
    for row in ROWS:
        if row not in med:
            continue
        wall, user, system, rss, n = med[row]
        files = f"{n:.0f}" if row != "cold" else f"{n:.0f} (all)"
        print(f"| {row} | {wall:.2f} | {100 * wall / cold_wall:.0f} % | {wall / floor_wall:.2f} "
              f"| {user + system:.2f} | {rss:.0f} | {files} |")
    if "--no-cache" not in med:
        print("\n(no `--no-cache` row: this binary has no such flag)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", default="1000,10000", help="corpus sizes, comma-separated")
    ap.add_argument("--bin", help="an already built biji binary (default: cargo build --release here)")
    common_args(ap)
    ap.set_defaults(runs=3)
    args = ap.parse_args()
    sizes = [int(n) for n in args.notes.split(",") if n.strip()]
    work = os.path.abspath(args.work)
    floor, biji = binaries(args, work)
    help_text = subprocess.run([biji, "build", "--help"], capture_output=True, text=True).stdout
    no_cache = "--no-cache" in help_text
    version = subprocess.run([biji, "--version"], capture_output=True, text=True).stdout.strip()
    env = dict(os.environ, THREADS="2", RAYON_NUM_THREADS="2")

    print("```\npython3 " + " ".join(shlex.quote(a) for a in sys.argv) + "\n```")
    print(f"\n{version or biji}, {os.cpu_count()} CPUs; floor and biji with 2 threads")
    raw = {}
    for n in sizes:
        results, rel, out_dir = bench(args, n, floor, biji, no_cache, env)
        table(n, results, rel, out_dir, args.runs)
        sys.stdout.flush()
        raw[n] = {row: [dict(zip(("wall", "user", "sys", "rss_mib", "rewritten"), r)) for r in rs]
                  for row, rs in results.items()}
    with open(os.path.join(work, "bench-cache.json"), "w") as f:
        json.dump(raw, f, indent=1)


if __name__ == "__main__":
    main()
