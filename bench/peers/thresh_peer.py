"""thresh: runs `thresh dedup CORPUS --out DIR --dry-run` and converts
DIR/clusters.jsonl ({"cluster", "representative", "members": [{"id", ...}]})
to the common format. `members` lists the removed copies only; the kept
representative is a separate field and belongs to the cluster too. The harness times the thresh binary itself, not this
wrapper: see harness.py, which calls `convert` after the timed run."""

import json
import sys


def convert(thresh_clusters: str, out: str) -> int:
    groups = []
    with open(thresh_clusters, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                c = json.loads(line)
                ids = [str(m["id"]) if isinstance(m, dict) else str(m) for m in c["members"]]
                rep = c.get("representative")
                if rep is not None:
                    rep = str(rep["id"]) if isinstance(rep, dict) else str(rep)
                    if rep not in ids:
                        ids.append(rep)
                if len(ids) >= 2:
                    groups.append(sorted(ids))
    groups.sort(key=lambda g: g[0])
    with open(out, "w", encoding="utf-8") as f:
        for k, g in enumerate(groups):
            f.write(json.dumps({"cluster": k, "members": g}) + "\n")
    return len(groups)


def command(binary, corpus, outdir, threshold, num_perm, ngram):
    return [
        binary, "dedup", corpus, "--out", outdir,
        "--threshold", str(threshold), "--num-perm", str(num_perm), "--ngram", str(ngram),
        "--dry-run", "--quiet", "--force",
    ]


if __name__ == "__main__":
    print(convert(sys.argv[1], sys.argv[2]))
