#!/usr/bin/env python3
"""Time `thresh timeline` on adversarial page shapes of about 1,000,000 lines.

Issue 11 asks for cost that grows about linearly with lines on every page
shape, and 1,000,000 lines in under 10 s on 2 cores for each shape:

- near_identical: one page of stamped posts that differ by one word;
- furniture: one page where every other line is a short prompt, in many
  wordings;
- unpunctuated: one page of short lines without closing punctuation;
- snapshots: 2,000 crawls of a growing blog, 500 lines each.

    python3 bench/timeline/adversarial.py --thresh target/release/thresh [--lines 1000000]

Writes the inputs under a temporary directory, runs thresh once per shape
(JSON to /dev/null) and prints wall seconds and peak memory (from
/usr/bin/time when present). Standard library only.
"""

import argparse
import os
import random
import subprocess
import tempfile
import time

WORDS = ("storm river bridge council homes police rail power winds night crews roads "
         "schools damage teams flood water town minister court vote budget").split()


def phrase(r, lo, hi):
    return " ".join(r.choice(WORDS) for _ in range(r.randint(lo, hi)))


def clock(minute):
    return f"{(minute // 60) % 24:02d}:{minute % 60:02d} GMT"


def near_identical(r, n):
    lines, m = [" date 2024-05-10 Near-identical posts"], 0
    base = phrase(r, 14, 14)
    while len(lines) < n:
        m += 1
        lines += [clock(m), f"Update {m % 7}", f"{base} {r.choice(WORDS)}."]
    return {"page.txt": lines[:n]}


def furniture(r, n):
    prompts = [f"{v} {w}" for v in ("Follow", "Share", "Sign up for", "Read more on", "Tap for")
               for w in WORDS]
    lines = [" date 2024-05-10 Furniture everywhere"]
    while len(lines) < n:
        lines.append(r.choice(prompts))
        lines.append(phrase(r, 12, 20).capitalize() + ".")
    return {"page.txt": lines[:n]}


def unpunctuated(r, n):
    lines = [" date 2024-05-10 Short lines"]
    lines += [phrase(r, 2, 6).capitalize() for _ in range(n - 1)]
    return {"page.txt": lines}


def snapshots(r, n):
    crawls, per = max(1, n // 500), 500
    posts, files = [], {}
    for k in range(crawls):
        posts.insert(0, [clock(k), phrase(r, 5, 9).capitalize(), phrase(r, 15, 25).capitalize() + "."])
        page = [f" date 2024-05-{1 + k // 1440:02d} Growing blog"]
        for post in posts:
            if len(page) + 3 > per:
                break
            page += post
        files[f"{k:05d}.txt"] = page
    return files


SHAPES = {"near_identical": near_identical, "furniture": furniture, "unpunctuated": unpunctuated,
          "snapshots": snapshots}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--thresh", default="target/release/thresh")
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--shape", action="append", choices=sorted(SHAPES))
    args = ap.parse_args()
    timer = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
    print(f"| shape | lines | files | wall s | peak MB |\n|---|--:|--:|--:|--:|")
    for name in args.shape or list(SHAPES):
        r = random.Random(11)
        files = SHAPES[name](r, args.lines)
        with tempfile.TemporaryDirectory() as tmp:
            for file, lines in files.items():
                with open(os.path.join(tmp, file), "w", encoding="utf-8") as f:
                    f.write("\n".join(lines) + "\n")
            command = [args.thresh, "timeline", tmp, "--format", "json"]
            if timer:
                command = [timer, "-f", "%M"] + command
            started = time.monotonic()
            done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            wall = time.monotonic() - started
            if done.returncode != 0:
                raise SystemExit(f"{name}: thresh failed: {done.stderr[-500:]}")
            peak = int(done.stderr.strip().splitlines()[-1]) / 1024 if timer else float("nan")
        total = sum(len(v) for v in files.values())
        print(f"| {name} | {total:,} | {len(files):,} | {wall:.2f} | {peak:.0f} |", flush=True)


if __name__ == "__main__":
    main()
