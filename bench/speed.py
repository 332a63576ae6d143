#!/usr/bin/env python3
"""Before and after, side by side: thresh builds and floors on one corpus,
run in turn (round after round, so a noisy machine weighs on all alike),
with the median wall time, CPU seconds and peak memory of each, CPU
seconds as a multiple of the last floor's, and F1 against an exact-Jaccard
truth when one is given.

    bench/speed.py CORPUS --tool before=/tmp/thresh-old --tool after=target/release/thresh \\
        --floor floor=target/release/thresh-floor --truth CORPUS.exact-t0.7-n5.jsonl \\
        [--runs 3] [--threads 2] [--full] [--arg=--verify --arg=signature]

A `--tool` runs `thresh dedup CORPUS --dry-run` (or the whole run with
`--full`); `LABEL=BIN ARG...` gives that tool its own arguments. A
`--floor` runs `thresh-floor CORPUS`. The truth is the clusters file that
`thresh-jaccard CORPUS --clusters FILE` writes (`bench/run` keeps one
beside each generated corpus).
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score  # noqa: E402


def timed(cmd):
    """Wall s, CPU s and peak RSS MB of `cmd`, from GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", t.name] + cmd,
                       check=True, stdout=subprocess.DEVNULL)
        wall, user, system, rss_kb = t.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss_kb) / 1024


def thresh_f1(out_dir, truth, docs):
    """Pairwise F1 of thresh's clusters (representative and members) against `truth`."""
    flat = os.path.join(out_dir, "flat-clusters.jsonl")
    with open(os.path.join(out_dir, "clusters.jsonl")) as src, open(flat, "w") as dst:
        for line in src:
            c = json.loads(line)
            ids = [c["representative"]] + [m["id"] for m in c["members"]]
            dst.write(json.dumps({"members": ids}) + "\n")
    return score.score(flat, truth, docs)["f1"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--tool", action="append", default=[], help="LABEL=BIN [ARG...]: a thresh build")
    ap.add_argument("--floor", action="append", default=[], help="LABEL=BIN: a thresh-floor build")
    ap.add_argument("--truth", help="exact-Jaccard clusters of the corpus, for F1")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--full", action="store_true", help="the whole run, kept documents written")
    ap.add_argument("--arg", action="append", default=[], help="an argument for every thresh run")
    args = ap.parse_args()

    docs = sum(1 for _ in open(args.corpus, "rb"))
    work = tempfile.mkdtemp(prefix="thresh-speed-")
    tools = []
    for spec in args.floor:
        label, command = spec.split("=", 1)
        tools.append((label, shlex.split(command) + [args.corpus, "--threads", str(args.threads)], None))
    for spec in args.tool:
        label, command = spec.split("=", 1)
        out = os.path.join(work, label)
        cmd = shlex.split(command)
        cmd = cmd[:1] + ["dedup", args.corpus, "--out", out, "--force", "--quiet",
                         "--threads", str(args.threads)] + cmd[1:] + args.arg
        if not args.full:
            cmd.append("--dry-run")
        tools.append((label, cmd, out))

    samples = {label: [] for label, _, _ in tools}
    f1 = {}
    for round_ in range(args.runs):
        for label, cmd, out in tools:
            samples[label].append(timed(cmd))
            if out and args.truth and label not in f1:
                f1[label] = thresh_f1(out, args.truth, docs)
        print(f"round {round_ + 1} of {args.runs} done", file=sys.stderr)

    # The last floor given is the one the ratios are to.
    floor_label = args.floor[-1].split("=", 1)[0] if args.floor else None
    floor_cpu = statistics.median(s[1] for s in samples[floor_label]) if floor_label else None
    print(f"{docs:,} documents, {args.runs} rounds, {args.threads} threads; medians (spread)")
    print()
    print(f"| run | wall s | CPU s | peak RSS MB | CPU ÷ {floor_label or 'floor'} | F1 exact |")
    print("|---|--:|--:|--:|--:|--:|")
    for label, _, _ in tools:
        walls, cpus, rss = zip(*samples[label])
        ratio = f"{statistics.median(cpus) / floor_cpu:.2f}" if floor_cpu else "—"
        print(f"| {label} | {statistics.median(walls):.2f} ({min(walls):.2f}–{max(walls):.2f}) "
              f"| {statistics.median(cpus):.2f} ({min(cpus):.2f}–{max(cpus):.2f}) "
              f"| {statistics.median(rss):.0f} | {ratio} | {f1.get(label, '—')} |")


if __name__ == "__main__":
    main()
