#!/usr/bin/env python3
"""Score article-body predictions against the article-extraction benchmark.

    python3 bench/aeb_score.py [--paired] [--ngram N] AEB_DIR PRED.json [PRED.json ...]

Scoring as the benchmark's README describes (re-implemented here, no code
from it): each text is split into word tokens (regex \\w+), tokens are
joined into 4-token shingles, and per page true positives, false positives
and false negatives are counted over the shingle multisets and normalised
to sum to 1 (so long pages weigh no more than short ones). Precision and
recall are averaged over pages; F1 is the harmonic mean of the two means.
The ± is 1.96 standard deviations over 1000 bootstrap resamples of pages
(seeded, so the numbers repeat).

With --ngram N, shingles are N tokens long (default 4; 1 scores the word
multisets, as the Readability test in crates/io/tests does).

With --paired, also prints the F1 of the first file minus each other's
over the same 1000 page resamples (paired, so page difficulty cancels),
with its 95% interval (2.5th to 97.5th percentile).

A prediction file is either {id: {"articleBody": text}} or
{"version": ..., "output": {...}, "seconds": s}; with "seconds" the pages
per second is printed too.
"""

import json
import random
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

TOKEN = re.compile(r"\w+", re.UNICODE)


SHINGLE = 4


def shingles(text, n=None):
    n = n or SHINGLE
    tokens = TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def tp_fp_fn(true, pred):
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def precision(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics(counts):
    p = statistics.mean(precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in counts if c[0] + c[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(truth, pred, n_boot=1000):
    counts = [
        tp_fp_fn(truth[k].get("articleBody", ""), pred.get(k, {}).get("articleBody", ""))
        for k in sorted(truth)
    ]
    result = metrics(counts)
    rng = random.Random(0)
    boot = {k: [] for k in result}
    for _ in range(n_boot):
        sample = [counts[rng.randrange(len(counts))] for _ in counts]
        for k, v in metrics(sample).items():
            boot[k].append(v)
    for k, values in boot.items():
        result[k + "_ci"] = 1.96 * statistics.stdev(values)
    return result


def page_counts(truth, pred):
    return [
        tp_fp_fn(truth[k].get("articleBody", ""), pred.get(k, {}).get("articleBody", ""))
        for k in sorted(truth)
    ]


def paired(truth, preds, n_boot=1000):
    """F1 of preds[0] minus each other's, on shared seeded page resamples."""
    counts = [page_counts(truth, pred) for _, pred in preds]
    rng = random.Random(0)
    diffs = [[] for _ in preds[1:]]
    for _ in range(n_boot):
        idx = [rng.randrange(len(truth)) for _ in truth]
        first = metrics([counts[0][i] for i in idx])["f1"]
        for d, other in zip(diffs, counts[1:]):
            d.append(first - metrics([other[i] for i in idx])["f1"])
    for (name, _), d in zip(preds[1:], diffs):
        d.sort()
        lo, hi = d[int(0.025 * n_boot)], d[int(0.975 * n_boot) - 1]
        print(f"{preds[0][0]} - {name}: F1 {sum(d) / n_boot:+.4f} (95% {lo:+.4f} .. {hi:+.4f})")


def main():
    args = sys.argv[1:]
    with_paired = "--paired" in args
    args = [a for a in args if a != "--paired"]
    if "--ngram" in args:
        at = args.index("--ngram")
        global SHINGLE
        SHINGLE = int(args[at + 1])
        del args[at:at + 2]
    if len(args) < 2:
        sys.exit(__doc__)
    aeb = Path(args[0])
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf8"))
    print(f"{'system':<22} {'F1':>13} {'precision':>13} {'recall':>13} {'pages/s':>8}")
    preds = []
    for path in args[1:]:
        data = json.loads(Path(path).read_text(encoding="utf8"))
        pred = data.get("output", data) if "output" in data else data
        missing = set(truth) - set(pred)
        if missing:
            print(f"{path}: {len(missing)} pages missing, scored as empty", file=sys.stderr)
        m = score(truth, pred)
        rate = f"{len(truth) / data['seconds']:.1f}" if "seconds" in data else "-"
        name = data.get("version", Path(path).stem) if "output" in data else Path(path).stem
        print(
            f"{name:<22} {m['f1']:.3f} ± {m['f1_ci']:.3f} {m['precision']:.3f} ± {m['precision_ci']:.3f}"
            f" {m['recall']:.3f} ± {m['recall_ci']:.3f} {rate:>8}"
        )
        preds.append((name, pred))
    if with_paired and len(preds) > 1:
        paired(truth, preds)


if __name__ == "__main__":
    main()
