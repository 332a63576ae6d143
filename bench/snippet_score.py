#!/usr/bin/env python3
"""Share of true snippets found verbatim in each extractor's text.

    python3 bench/snippet_score.py AEB_DIR PRED.json [PRED.json ...]

Word F1 forgives text that is split or run together wrongly: "( Twitter )"
and "(Twitter)" have the same words. Snippet benchmarks do not: a snippet
of the true text must stand in the output as written. Here, five spans of
six words are drawn from each page's true text (seeded, so they repeat;
pages of fewer than 20 words are skipped), white space is collapsed on both
sides, and the share of spans found in each prediction is printed. It is
a recall measure only: no snippet says what must not appear.
"""

import json
import random
import sys
from pathlib import Path

SPANS_PER_PAGE = 5
SPAN_WORDS = 6


def snippets(truth):
    rng = random.Random(1)
    out = {}
    for page in sorted(truth):
        words = (truth[page].get("articleBody") or "").split()
        if len(words) < 20:
            continue
        starts = [rng.randrange(0, len(words) - SPAN_WORDS) for _ in range(SPANS_PER_PAGE)]
        out[page] = [" ".join(words[i:i + SPAN_WORDS]) for i in starts]
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    truth = json.loads((Path(sys.argv[1]) / "ground-truth.json").read_text(encoding="utf8"))
    spans = snippets(truth)
    total = sum(len(s) for s in spans.values())
    print(f"{'system':<22} {'snippets found':>15}   ({total} snippets, {len(spans)} pages)")
    for path in sys.argv[2:]:
        data = json.loads(Path(path).read_text(encoding="utf8"))
        pred = data.get("output", data)
        found = 0
        for page, page_spans in spans.items():
            text = " ".join((pred.get(page, {}).get("articleBody") or "").split())
            found += sum(span in text for span in page_spans)
        name = data.get("version", Path(path).stem)
        print(f"{name:<22} {found / total:>15.3f}")


if __name__ == "__main__":
    main()
