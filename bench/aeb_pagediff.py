#!/usr/bin/env python3
"""Page by page, what changed between two extractions of one page set.

    python3 bench/aeb_pagediff.py AEB_DIR BEFORE.json AFTER.json

For every page whose text differs: its precision and recall before and
after (as bench/aeb_score.py computes them), each line that went with
whether the true text has it (TRUE when at least half of its 4-token
shingles are in the true body, FALSE otherwise), and each line that came.
Diagnostic only: how a change to extraction was checked before it was kept.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from aeb_score import precision, recall, shingles, tp_fp_fn  # noqa: E402


def load(path):
    data = json.loads(Path(path).read_text(encoding="utf8"))
    return data.get("output", data)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    truth = json.loads((Path(sys.argv[1]) / "ground-truth.json").read_text(encoding="utf8"))
    before, after = load(sys.argv[2]), load(sys.argv[3])
    changed = 0
    for key in sorted(truth):
        true_text = truth[key].get("articleBody", "")
        old = before.get(key, {}).get("articleBody", "")
        new = after.get(key, {}).get("articleBody", "")
        if old == new:
            continue
        changed += 1
        c_old, c_new = tp_fp_fn(true_text, old), tp_fp_fn(true_text, new)
        print(f"== {key[:10]} P {precision(*c_old):.3f} -> {precision(*c_new):.3f}"
              f"  R {recall(*c_old):.3f} -> {recall(*c_new):.3f}")
        true_shingles = shingles(true_text)
        old_lines, new_lines = old.split("\n"), new.split("\n")
        for line in old_lines:
            if line not in new_lines:
                sh = shingles(line)
                false = sum((sh - true_shingles).values())
                print("   -", "FALSE" if false * 2 > sum(sh.values()) else "TRUE ", line[:120])
        for line in new_lines:
            if line not in old_lines:
                print("   +", line[:120])
    print(f"{changed} of {len(truth)} pages changed")


if __name__ == "__main__":
    main()
