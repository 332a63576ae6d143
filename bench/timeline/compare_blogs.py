#!/usr/bin/env python3
"""Blog by blog, which measures two builds' `score.py --json` reports differ on.

    python3 bench/timeline/score.py --thresh OLD --crawls /tmp/tl12 --json > before.json
    python3 bench/timeline/score.py --thresh NEW --crawls /tmp/tl12 --json > after.json
    python3 bench/timeline/compare_blogs.py before.json after.json [more pairs]

Prints one line per changed measure ("better" or "WORSE", the blog, its
shape, the measure, before and after), then the counts.
"""

import json
import sys

HIGHER_IS_BETTER = ["recall", "precision", "edited_with_versions", "times_right"]
LOWER_IS_BETTER = ["duplicated_true_posts", "furniture_in_posts", "spurious_versions"]


def main(paths):
    if len(paths) < 2 or len(paths) % 2:
        sys.exit(__doc__)
    counts = {"better": 0, "WORSE": 0}
    for before_path, after_path in zip(paths[::2], paths[1::2]):
        with open(before_path) as f:
            before = json.load(f)["per_blog"]
        with open(after_path) as f:
            after = json.load(f)["per_blog"]
        for blog, old in before.items():
            new = after[blog]
            for measure in HIGHER_IS_BETTER + LOWER_IS_BETTER:
                x, y = old[measure], new[measure]
                if x is None or y is None or abs(x - y) < 1e-9:
                    continue
                worse = y < x if measure in HIGHER_IS_BETTER else y > x
                verdict = "WORSE" if worse else "better"
                counts[verdict] += 1
                print(f"{verdict:6} {after_path} {blog} {old.get('shape', '')} {measure} "
                      f"{x:.3f} -> {y:.3f}")
    print(f"{counts['better']} measures better, {counts['WORSE']} worse")


if __name__ == "__main__":
    main(sys.argv[1:])
