#!/usr/bin/env python3
"""A syndication-style corpus: wire stories as many outlets print them.

Each of `--stories` wire stories (Reuters-21578 bodies of four paragraphs or
more, from ../shared/data, read in place) is printed by `--outlets` outlets.
An outlet has a house style, the same for every story it prints: a header
and a footer line (sentences of the Lee background corpus), straight or
curly quotes. Each printing keeps the first paragraphs of the wire copy
(the rest cut at a random point), rewrites a few words in some paragraphs,
and may add a local paragraph. So the printings of one story spread over
the whole range of similarity, many of them near any threshold: the
corpus where estimating similarity from signatures goes wrong most often.

Writes JSONL (id, url, text) and the stories as labelled clusters; score
against exact Jaccard (`thresh-jaccard CORPUS --clusters TRUTH`), which is
what a MinHash tool should reproduce.

    python3 bench/syndication.py --data ../shared/data --out synd.jsonl --truth synd.truth.jsonl
"""

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from realcorpus import curl, sources, straighten  # noqa: E402


def printing(rng, paragraphs, outlet, filler):
    """One outlet's printing of a wire story."""
    keep = rng.randint(min(3, len(paragraphs)), len(paragraphs))
    body = list(paragraphs[:keep])
    for i in range(len(body)):
        if rng.random() < 0.3:
            words = body[i].split(" ")
            for _ in range(rng.randint(1, 4)):
                words[rng.randrange(len(words))] = rng.choice(rng.choice(filler).split(" "))
            body[i] = " ".join(words)
    if rng.random() < 0.3:
        body.insert(rng.randint(1, len(body)), rng.choice(filler))
    text = "\n".join([outlet["header"]] + body + [outlet["footer"]])
    return curl(straighten(text)) if outlet["curly"] else straighten(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stories", type=int, default=12)
    ap.add_argument("--outlets", type=int, default=60)
    ap.add_argument("--out", required=True)
    ap.add_argument("--truth", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    everything = sources(args.data, os.devnull)
    filler = [p for s in everything if s[0].startswith("lee/lee_background") for p in s[2].split("\n")]
    wire = [s for s in everything if s[0].startswith("reuters/") and s[2].count("\n") >= 3]
    if not wire or not filler:
        sys.exit(f"syndication.py: no Reuters or Lee texts under {args.data}")
    outlets = [{"header": rng.choice(filler), "footer": rng.choice(filler), "curly": rng.random() < 0.5}
               for _ in range(args.outlets)]
    docs, clusters = [], []
    for name, _, text, _ in rng.sample(wire, min(args.stories, len(wire))):
        paragraphs = text.split("\n")
        members = []
        for number, outlet in enumerate(outlets):
            doc_id = f"s{len(docs):05d}"
            docs.append({"id": doc_id, "url": f"outlet{number}/{name}", "text": printing(rng, paragraphs, outlet, filler)})
            members.append(doc_id)
        clusters.append(members)
    rng.shuffle(docs)
    with open(args.out, "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    with open(args.truth, "w", encoding="utf-8") as f:
        for k, members in enumerate(clusters):
            f.write(json.dumps({"cluster": k, "members": members}) + "\n")
    print(f"syndication corpus: {len(clusters)} stories x {len(outlets)} outlets = {len(docs)} documents")


if __name__ == "__main__":
    main()
