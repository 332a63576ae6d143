"""Smoke check of the ground truth: brute-force all-pairs Jaccard in Python
over the adapters' shingles (bench/peers/common.py) must give the same
clusters as the Rust prefix-filtering tool (thresh-jaccard) on a small
corpus. Catches a drift between the two shinglers or a bug in the filter."""

import itertools
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
import common  # noqa: E402


def main():
    corpus, exact, t, n = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    docs = [(i, common.shingles(text, n)) for i, text in common.read_corpus(corpus)]
    if len(docs) > 3000:
        print("skipped: more than 3000 documents")
        return 0
    uf = common.UnionFind()
    for (a, sa), (b, sb) in itertools.combinations(docs, 2):
        if not sa or not sb or min(len(sa), len(sb)) < t * max(len(sa), len(sb)) - 1e-9:
            continue
        inter = len(sa & sb)
        if inter / (len(sa) + len(sb) - inter) >= t - 1e-9:
            uf.union(a, b)
    mine = sorted(map(tuple, uf.groups()))
    theirs = sorted(tuple(sorted(json.loads(line)["members"])) for line in open(exact) if line.strip())
    if mine != theirs:
        print(f"MISMATCH: python {len(mine)} clusters, rust {len(theirs)}; "
              f"only python: {sorted(set(mine) - set(theirs))[:3]}, only rust: {sorted(set(theirs) - set(mine))[:3]}")
        return 1
    print(f"ok: {len(mine)} clusters agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
