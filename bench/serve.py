#!/usr/bin/env python3
"""Live-preview benchmark: `biji serve` on the 1k-note corpus.

Generates the corpus with ../shared/bench/gen_corpus.py (once), copies it to a
scratch folder (the copy gets edited), starts `target/release/biji serve` on a
free port, and measures, like the anchor benchmark's watch-mode table:

* note edit: append a unique line to one note (20 times, 2 s apart) and time
  from the write until the served page contains the line (HTTP GET every 5 ms);
* template edit: write a site override `templates/note.html` with a unique
  marker (a full re-render) and time until the note's page contains it;
* memory: the server's RSS (VmRSS) after each edit, and over a run of 200
  note edits (each waited for, no pause) to show it stays flat;
* start-up, warm cache: once that server is stopped, a second `biji serve` on
  the same site (with whatever `.biji-cache/` the first left), timed the same
  way until the note's page is served.

Prints medians, maximums and RSS, and writes the raw figures as JSON.

Usage (from the repository root; build first with `cargo build --release`):
    python3 bench/serve.py [--notes 1000] [--edits 20] [--template-edits 10]
                           [--memory-edits 200] [--work ../bench-work] [--bin PATH]

`--notes 10000` serves the 10k corpus (generated once, as bench/build.py does).
"""
import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import ROOT, ensure_corpus  # noqa: E402

# The note the anchor benchmark edits (a 30 KB note), if the corpus has it.
NOTE = "cpp/interview/process-00031.md"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def note_url(rel):
    """`a b/c.md` -> `/a-b/c/`, percent-encoded as biji writes it."""
    stem = rel.rsplit(".", 1)[0]
    segs = ["-".join(s.split()) for s in stem.split("/")]
    return "/" + "/".join(urllib.parse.quote(s) for s in segs) + "/"


class Page:
    """Polls one URL over a kept-alive connection."""

    def __init__(self, port, path):
        self.port, self.path = port, path
        self.conn = None

    def body(self):
        for _ in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                self.conn.request("GET", self.path)
                r = self.conn.getresponse()
                data = r.read()
                return r.status, data
            except (http.client.HTTPException, OSError):
                self.conn = None
        raise RuntimeError(f"cannot GET {self.path}")

    def wait_for(self, needle, t0, limit=30.0):
        needle = needle.encode()
        while True:
            status, data = self.body()
            if status == 200 and needle in data:
                return time.perf_counter() - t0
            if time.perf_counter() - t0 > limit:
                raise RuntimeError(f"{self.path} never showed {needle!r}")
            time.sleep(0.005)


def append(path, line):
    with open(path, "a", encoding="utf-8") as f:
        f.write(line)


def summary(xs):
    xs = sorted(xs)
    return {
        "n": len(xs),
        "median_ms": round(statistics.median(xs) * 1000, 1),
        "min_ms": round(xs[0] * 1000, 1),
        "max_ms": round(xs[-1] * 1000, 1),
    }


def start(binary, site, rel, log, log_path):
    """Starts `biji serve` on a free port; returns (process, the note's Page,
    seconds from the start until that page is served)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [binary, "serve", "--root", site, "--port", "0"],
        stdout=subprocess.PIPE, stderr=log, text=True,
    )
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            raise RuntimeError(f"no URL from biji serve: {line!r} (see {log_path})")
        page = Page(int(m.group(1)), note_url(rel))
        while page.body()[0] != 200:
            time.sleep(0.02)
    except BaseException:
        stop(proc)
        raise
    return proc, page, round(time.perf_counter() - started, 2)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--template-edits", type=int, default=10)
    ap.add_argument("--memory-edits", type=int, default=200)
    ap.add_argument("--pause", type=float, default=2.0, help="seconds between timed edits")
    ap.add_argument("--work", default=os.path.join(os.path.dirname(ROOT), "bench-work"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "biji"))
    args = ap.parse_args()

    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} not found: run `cargo build --release` first")
    corpus = ensure_corpus(os.path.abspath(args.work), args.notes)
    # Only the site's input: not other benchmarks' output folders or cache.
    site = os.path.join(args.work, "serve-site")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(os.path.join(corpus, "notes"), os.path.join(site, "notes"))
    shutil.copyfile(os.path.join(corpus, "biji.yaml"), os.path.join(site, "biji.yaml"))
    notes = os.path.join(site, "notes")
    rel = NOTE if os.path.exists(os.path.join(notes, NOTE)) else None
    if rel is None:
        rel = sorted(
            os.path.relpath(os.path.join(d, f), notes).replace(os.sep, "/")
            for d, _, fs in os.walk(notes) for f in fs if f.endswith(".md")
        )[0]
    note = os.path.join(notes, rel)
    log_path = os.path.join(args.work, "serve-bench.log")
    log = open(log_path, "w")
    results = {"note": rel, "notes": args.notes}
    # A full re-render of 10k notes takes far longer than one of 1k.
    limit = 30.0 * max(1, args.notes / 1000)
    proc, page, results["startup_s"] = start(args.bin, site, rel, log, log_path)
    try:
        results["rss_after_start_kib"] = rss_kib(proc.pid)
        time.sleep(1.0)

        # 1. Note edits.
        lat, rss = [], []
        for i in range(args.edits):
            marker = f"NOTE-EDIT-{i}-{uuid.uuid4().hex[:8]}"
            t0 = time.perf_counter()
            append(note, f"\n追加的一行 {marker}\n")
            lat.append(page.wait_for(marker, t0, limit))
            rss.append(rss_kib(proc.pid))
            time.sleep(args.pause)
        results["note_edit"] = summary(lat)
        results["note_edit_ms"] = [round(x * 1000, 1) for x in lat]
        results["note_edit_rss_kib"] = rss

        # 2. Template edits (a site override of the theme's note.html).
        theme = open(os.path.join(ROOT, "templates", "note.html"), encoding="utf-8").read()
        if "{% block content %}" not in theme:
            sys.exit("templates/note.html has no content block to mark")
        os.makedirs(os.path.join(site, "templates"), exist_ok=True)
        lat, rss = [], []
        for i in range(args.template_edits):
            marker = f"TEMPLATE-EDIT-{i}-{uuid.uuid4().hex[:8]}"
            text = theme.replace("{% block content %}", "{% block content %}<!-- " + marker + " -->", 1)
            t0 = time.perf_counter()
            with open(os.path.join(site, "templates", "note.html"), "w", encoding="utf-8") as f:
                f.write(text)
            lat.append(page.wait_for(marker, t0, limit))
            rss.append(rss_kib(proc.pid))
            time.sleep(args.pause)
        results["template_edit"] = summary(lat)
        results["template_edit_ms"] = [round(x * 1000, 1) for x in lat]
        results["template_edit_rss_kib"] = rss

        # 3. Memory over many note edits, back to back.
        lat, rss = [], []
        for i in range(args.memory_edits):
            marker = f"MEM-EDIT-{i}-{uuid.uuid4().hex[:8]}"
            t0 = time.perf_counter()
            append(note, f"\n{marker}\n")
            lat.append(page.wait_for(marker, t0, limit))
            time.sleep(0.05)
            rss.append(rss_kib(proc.pid))
        results["memory_run"] = summary(lat)
        results["memory_rss_kib"] = {
            str(k): rss[k - 1] for k in (1, 10, 50, 100, 150, 200) if k <= len(rss)
        }
        results["memory_rss_max_kib"] = max(rss)
        # The served folder (tmpfs on Linux: RAM, though not the server's RSS).
        for parent in ("/dev/shm", "/tmp"):
            folder = os.path.join(parent, f"biji-serve-{proc.pid}")
            if os.path.isdir(folder):
                results["served_folder"] = folder
                results["served_folder_mib"] = round(sum(
                    os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs
                ) / 2**20, 1)
                break
    finally:
        stop(proc)

    # 4. A second start on the same site: the cache, if any, is warm now.
    proc, _, results["startup_warm_s"] = start(args.bin, site, rel, log, log_path)
    try:
        results["rss_after_warm_start_kib"] = rss_kib(proc.pid)
    finally:
        stop(proc)
        log.close()

    internal = []
    for line in open(log_path, encoding="utf-8", errors="replace"):
        m = re.search(r"rebuilt in (\d+) ms", line)
        if m:
            internal.append(int(m.group(1)))
    if internal:
        results["server_rebuild_ms_median"] = statistics.median(internal)
    out = os.path.join(args.work, "serve-results.json")
    with open(out, "w") as f:
        json.dump(results, f, indent=2, ensure_ascii=False)

    ne, te = results["note_edit"], results["template_edit"]
    print(f"biji serve, {args.notes} notes, edited note {rel}")
    print(f"start-up until the page is served: {results['startup_s']} s")
    print(f"start-up, warm cache (second start on the same site): {results['startup_warm_s']} s "
          f"(RSS {results['rss_after_warm_start_kib'] / 1024:.1f} MiB)")
    print("| edit | n | median | min | max |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| note (append a line) | {ne['n']} | {ne['median_ms']} ms | {ne['min_ms']} ms | {ne['max_ms']} ms |")
    print(f"| template (note.html override) | {te['n']} | {te['median_ms']} ms | {te['min_ms']} ms | {te['max_ms']} ms |")
    mr = results["memory_run"]
    print(f"| note, back to back | {mr['n']} | {mr['median_ms']} ms | {mr['min_ms']} ms | {mr['max_ms']} ms |")
    if internal:
        print(f"server-side incremental rebuild, median: {results['server_rebuild_ms_median']} ms")
    print(f"RSS after start: {results['rss_after_start_kib'] / 1024:.1f} MiB; after note edits: "
          f"{results['note_edit_rss_kib'][-1] / 1024:.1f} MiB; after template edits: "
          f"{results['template_edit_rss_kib'][-1] / 1024:.1f} MiB")
    print("RSS over the back-to-back run (edit: MiB): " + ", ".join(
        f"{k}: {v / 1024:.1f}" for k, v in results["memory_rss_kib"].items()))
    if "served_folder" in results:
        print(f"served folder {results['served_folder']}: {results['served_folder_mib']} MiB")
    print(f"raw figures: {out}")


if __name__ == "__main__":
    main()
