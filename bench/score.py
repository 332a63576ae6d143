"""Pairwise precision, recall, F1 and adjusted Rand index of a clustering
against a reference clustering. Both are JSONL files of clusters of two or
more ({"cluster": k, "members": [ids]}); every other document of the corpus
is a singleton. Computed from the contingency table, so the cost is linear in
the number of clustered documents."""

import json
import sys
from collections import Counter


def load(path):
    label = {}
    with open(path, encoding="utf-8") as f:
        for k, line in enumerate(f):
            if line.strip():
                for m in json.loads(line)["members"]:
                    label[str(m)] = k
    return label


def pairs(n):
    return n * (n - 1) // 2


def score(pred_path, truth_path, n_docs):
    pred, truth = load(pred_path), load(truth_path)
    a = Counter(pred.values())
    b = Counter(truth.values())
    joint = Counter((pred[d], truth[d]) for d in pred.keys() & truth.keys())
    tp = sum(pairs(n) for n in joint.values())
    p_pairs = sum(pairs(n) for n in a.values())
    t_pairs = sum(pairs(n) for n in b.values())
    precision = tp / p_pairs if p_pairs else 1.0
    recall = tp / t_pairs if t_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = pairs(n_docs)
    expected = p_pairs * t_pairs / total if total else 0.0
    max_index = (p_pairs + t_pairs) / 2
    ari = (tp - expected) / (max_index - expected) if max_index != expected else 1.0
    return {
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "ari": round(ari, 5),
        "pairs_found": p_pairs,
        "pairs_true": t_pairs,
    }


if __name__ == "__main__":
    print(json.dumps(score(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
