#!/usr/bin/env python3
"""Where an extractor loses precision (and recall) on the article-extraction
benchmark.

    python3 bench/aeb_diagnose.py AEB_DIR PRED.json [--pages N] [--lines N]

Per page: precision and recall as bench/aeb_score.py computes them, and the
precision lost (1 - P, averaged over pages, is what the mean precision
misses). Then every extracted line whose 4-token shingles are mostly (> half)
absent from the true body is an "extra" line; extra lines are grouped by a
rough kind (call to action, share, related, caption/credit, byline/date,
copyright, comment, short link-like, headline repeat, duplicate line, other)
and by where they sit (first/last three lines, middle), weighted by the
precision they cost. Also prints the true-body lines the extractor missed
most, for the recall side. Diagnostic only: nothing here feeds extraction.
"""

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from aeb_score import TOKEN, precision, recall, shingles, tp_fp_fn  # noqa: E402

KINDS = [
    ("call-to-action", re.compile(
        r"\b(sign up|subscribe|newsletter|follow us|download (the|our) app|"
        r"click here|register|log ?in|become a member|support (us|our)|donate)\b", re.I)),
    ("share", re.compile(r"\b(share (this|on|via)|tweet|facebook|whatsapp|linkedin|pinterest|email this|print)\b", re.I)),
    ("related", re.compile(r"\b(read more|related|see also|more (from|on|stories)|recommended|you may also|also read|most (read|popular)|trending)\b", re.I)),
    ("caption/credit", re.compile(r"(\b(photo|image|picture|getty|reuters|afp|ap photo|credit|illustration)\b|©)", re.I)),
    ("copyright/legal", re.compile(r"\b(copyright|all rights reserved|cookie|privacy policy|terms of (use|service))\b", re.I)),
    ("comment", re.compile(r"\b(comments?|reply|replies|posted by|said\.\.\.)\b", re.I)),
    ("byline/date", re.compile(
        r"(^by\b|\b(updated|published|posted)\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
        r"\b\d{1,2}:\d{2}\b|\b(19|20)\d\d\b)", re.I)),
]


def kind_of(line, title_tokens, seen):
    tokens = TOKEN.findall(line.lower())
    if tuple(tokens) in seen:
        return "duplicate line"
    if title_tokens and tokens and set(tokens) <= title_tokens:
        return "headline/first-line repeat"
    for name, rx in KINDS:
        if rx.search(line):
            return name
    if len(tokens) <= 4:
        return "short (<=4 words)"
    return "other"


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    n_pages = int(args[args.index("--pages") + 1]) if "--pages" in args else 25
    n_lines = int(args[args.index("--lines") + 1]) if "--lines" in args else 40
    aeb = Path(args[0])
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf8"))
    data = json.loads(Path(args[1]).read_text(encoding="utf8"))
    pred = data.get("output", data)

    rows = []
    kind_cost = Counter()
    kind_lines = Counter()
    where_cost = Counter()
    examples = defaultdict(list)
    missed = []
    for key in sorted(truth):
        true_text = truth[key].get("articleBody", "")
        text = pred.get(key, {}).get("articleBody", "")
        c = tp_fp_fn(true_text, text)
        p, r = precision(*c), recall(*c)
        rows.append((1 - p, 1 - r, p, r, key))
        true_sh = shingles(true_text)
        lines = [ln for ln in text.split("\n") if ln.strip()]
        # Cost of a line: its share of the page's predicted shingles that
        # are false, i.e. roughly the precision it takes from this page.
        pred_total = sum(shingles(text).values()) or 1
        first = TOKEN.findall(lines[0].lower()) if lines else []
        seen = set()
        for i, line in enumerate(lines):
            sh = shingles(line)
            n = sum(sh.values())
            false = sum((sh - true_sh).values())
            tokens = tuple(TOKEN.findall(line.lower()))
            if n and false * 2 > n:
                kind = kind_of(line, set(first) if i > 0 else set(), seen)
                cost = false / pred_total / len(truth)
                kind_cost[kind] += cost
                kind_lines[kind] += 1
                where = "first 3" if i < 3 else "last 3" if i >= len(lines) - 3 else "middle"
                where_cost[where] += cost
                examples[kind].append((cost, key, line[:110]))
            seen.add(tokens)
        pred_sh = shingles(text)
        for line in true_text.split("\n"):
            sh = shingles(line)
            n = sum(sh.values())
            lost = sum((sh - pred_sh).values())
            if n and lost * 2 > n:
                missed.append((lost, key, line[:110]))

    print(f"mean precision {1 - sum(r[0] for r in rows) / len(rows):.4f}, "
          f"mean recall {1 - sum(r[1] for r in rows) / len(rows):.4f}")
    print(f"\nworst {n_pages} pages by precision (P, R, id):")
    for lp, lr, p, r, key in sorted(rows, reverse=True)[:n_pages]:
        print(f"  {p:.3f} {r:.3f} {key}")
    print(f"\nworst {min(n_pages, 10)} pages by recall (P, R, id):")
    for lp, lr, p, r, key in sorted(rows, key=lambda x: -x[1])[:min(n_pages, 10)]:
        print(f"  {p:.3f} {r:.3f} {key}")
    print("\nextra lines by kind (precision points lost, lines):")
    for kind, cost in kind_cost.most_common():
        print(f"  {kind:<28} {100 * cost:6.2f}  {kind_lines[kind]:5}")
    print("by position:", ", ".join(f"{w} {100 * c:.2f}" for w, c in where_cost.most_common()))
    for kind, _ in kind_cost.most_common():
        print(f"\n== {kind}")
        for cost, key, line in sorted(examples[kind], reverse=True)[:n_lines // 4]:
            print(f"  {100 * cost:5.2f} {key[:10]} {line}")
    print(f"\nmost-missed true lines (shingles lost):")
    for lost, key, line in sorted(missed, reverse=True)[:n_lines // 2]:
        print(f"  {lost:5} {key[:10]} {line}")


if __name__ == "__main__":
    main()
