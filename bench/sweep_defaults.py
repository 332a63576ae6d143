"""How thresh's defaults were chosen: F1 of `thresh dedup` over a grid of
settings on a corpus with known clusters.

    python3 bench/sweep_defaults.py ngram  CORPUS TRUTH [EXACT_TRUTH]
    python3 bench/sweep_defaults.py bands  CORPUS TRUTH [EXACT_TRUTH]

`ngram` varies the shingle size and threshold; `bands` varies the banding at
threshold 0.7 with both verification modes. TRUTH is the generator's labels,
EXACT_TRUTH the exact-Jaccard clusters that bench/run writes (both under
bench/scratch/). Uses target/release/thresh: build it first."""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from score import score  # noqa: E402

THRESH = os.path.join(os.path.dirname(__file__), "..", "target", "release", "thresh")


def run(corpus, out, *options):
    summary = subprocess.check_output(
        [THRESH, "dedup", corpus, "--out", out, "--force", "--quiet", "--dry-run", "--json", *options])
    predicted = os.path.join(out, "predicted.jsonl")
    with open(os.path.join(out, "clusters.jsonl")) as f, open(predicted, "w") as g:
        for line in f:
            c = json.loads(line)
            g.write(json.dumps({"members": [c["representative"]] + [m["id"] for m in c["members"]]}) + "\n")
    return json.loads(summary), predicted


def main():
    grid, corpus, truth = sys.argv[1:4]
    exact = sys.argv[4] if len(sys.argv) > 4 else None
    docs = sum(1 for line in open(corpus) if line.strip())
    if grid == "ngram":
        settings = [["--ngram", str(n), "--threshold", str(t)] for n in (3, 5, 7) for t in (0.5, 0.6, 0.7, 0.8)]
    else:
        settings = [["--bands", str(b), "--rows", str(r), "--verify", v]
                    for b, r in ((14, 9), (16, 8), (18, 7), (20, 6), (25, 5)) for v in ("signature", "exact")]
    print("| settings | P | R | F1 | F1 exact | candidates | seconds |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for options in settings:
            summary, predicted = run(corpus, os.path.join(scratch, "out"), *options)
            labels = score(predicted, truth, docs)
            f1_exact = f"{score(predicted, exact, docs)['f1']:.3f}" if exact else "—"
            print(f"| {' '.join(options)} | {labels['precision']:.3f} | {labels['recall']:.3f} | {labels['f1']:.3f} "
                  f"| {f1_exact} | {summary['candidate_pairs']} | {summary['seconds']['total']:.1f} |")


if __name__ == "__main__":
    main()
