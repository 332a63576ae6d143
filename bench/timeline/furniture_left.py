#!/usr/bin/env python3
"""Which kinds of furniture a timeline still leaves inside its posts.

For each generated crawl set and the timelines `score.py --save` wrote for
it, counts the post lines the truth labels as furniture, by the generator's
kind of furniture (teaser, donate, follow, ...), and for teaser cards where
they stand: in the newest, oldest or a middle post, in how many of the
page's crawls that post was seen, and at the post's foot ("tail"), inside it,
or the whole post.

    python3 bench/timeline/gen_crawls.py --seed 12 --blogs 20 --out /tmp/tl12
    python3 bench/timeline/score.py --thresh target/release/thresh \\
        --crawls /tmp/tl12 --save /tmp/saved/tl12
    python3 bench/timeline/furniture_left.py /tmp/tl12=/tmp/saved/tl12 [more sets]
"""

import json
import os
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score  # noqa: E402


def line_kinds(blog, crawls):
    """Every labelled line's text (normalised) -> its (role, ref) labels."""
    kinds = defaultdict(set)
    for rel, labels in blog["lines"].items():
        with open(os.path.join(crawls, rel), encoding="utf-8") as f:
            texts = f.read().split("\n")
        for text, (role, ref) in zip(texts, labels):
            kinds[score.norm(text)].add((role, str(ref)))
    return kinds


def post_lines(post):
    head = [post["headline"]] if post.get("headline") else []
    return head + list(post.get("body", []))


def main(pairs):
    by_kind = Counter()
    examples = defaultdict(list)
    teaser_places = Counter()
    for pair in pairs:
        crawls, saved = pair.split("=", 1)
        with open(os.path.join(crawls, "truth.json"), encoding="utf-8") as f:
            truth = json.load(f)
        for blog in truth["blogs"]:
            path = os.path.join(saved, blog["id"] + ".json")
            if not os.path.exists(path):
                continue
            kinds = line_kinds(blog, crawls)
            roles = score.line_roles(blog, crawls)
            with open(path, encoding="utf-8") as f:
                timelines = score.json_lines(f.read())
            crawl_count = len(blog["snapshots"])
            for timeline in timelines:
                posts = timeline.get("posts", [])
                for at, post in enumerate(posts):
                    lines = post_lines(post)
                    teasers = []
                    for i, line in enumerate(lines):
                        if score.line_class(line, roles) != "furniture":
                            continue
                        labels = sorted(kinds.get(score.norm(line), []))
                        kind = labels[0][1] if labels else "?"
                        by_kind[kind] += 1
                        examples[kind].append((blog["id"], line[:70]))
                        if kind == "teaser":
                            teasers.append(i)
                    if not teasers:
                        continue
                    where = "newest" if at == 0 else "oldest" if at == len(posts) - 1 else "mid"
                    seen = f"seen {len(post['seen_in'])}/{crawl_count}"
                    if len(teasers) == len(lines):
                        place = "whole"
                    elif all(i >= len(lines) - len(teasers) for i in teasers):
                        place = "tail"
                    else:
                        place = "inside"
                    teaser_places[(where, seen, place)] += len(teasers)
    print(f"furniture lines inside posts: {sum(by_kind.values())}")
    for kind, n in by_kind.most_common():
        print(f"{n:6}  {kind:14}  e.g. {examples[kind][0]}")
    print("\nteaser lines by place (post, crawls that show it, where in it):")
    for place, n in teaser_places.most_common():
        print(f"{n:6}  {' · '.join(place)}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
