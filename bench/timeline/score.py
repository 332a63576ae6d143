#!/usr/bin/env python3
"""Score `thresh timeline` against the truth of gen_crawls.py's crawls.

    python3 bench/timeline/score.py --thresh BIN --crawls DIR [--json]

For every blog in DIR/truth.json, runs `BIN timeline DIR/<blog> --format
json` (or, with --outputs OUT, reads OUT/<blog>.json written earlier) and
compares its posts with the true posts:

- recall, precision: a true post and an output post match when the word
  Jaccard of their texts (headline and body; for the true post its newest
  version) is at least 0.8; matching is one-to-one, best pairs first.
- duplicates: true posts that two or more output posts match (at 0.8 to any
  of the true post's versions, so an edit reported as a second post counts).
- furniture in posts: the share of output post lines (headline and body
  lines) that are furniture on the page (sign-ups, appeals, labels, teaser
  cards, day dividers, key-point labels, page times...).
- edited with versions: the share of truly edited posts whose matched output
  post has two or more versions (an unmatched edited post counts as a miss).
- times right: the share of matched posts whose `published` equals the true
  time. A time with an offset is compared as an instant; a time without one
  (thresh writes `YYYY-MM-DDTHH:MM`) is read in the page's own zone, that is,
  compared with the true time's local clock reading.

Counts are summed over the blogs of each page shape and over all blogs, then
turned into fractions. Words are compared after NFKC, quote folding and lower
casing, as thresh itself normalizes.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from datetime import datetime

MATCH = 0.8
FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
# Line roles in the truth that should never be inside a post.
FURNITURE_ROLES = {"furniture", "day", "summary_label", "page_time", "title", "header"}
STAMP_ROLES = {"stamp", "updated"}
SUMMARY_ROLES = {"standfirst", "summary"}


# ---------------------------------------------------------------- text


def norm(line):
    return " ".join(unicodedata.normalize("NFKC", line).translate(FOLD).lower().split())


def words(text):
    return set(re.findall(r"\w+", norm(text)))


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 1.0


def post_text(headline, body):
    return "\n".join(([headline] if headline else []) + list(body))


# ---------------------------------------------------------------- running thresh


def thresh_output(args, blog):
    """thresh's JSON for one blog, and the seconds it took (None if read)."""
    if args.oracle:
        return [oracle_output(blog)], None
    if args.outputs:
        with open(os.path.join(args.outputs, blog["id"] + ".json"), encoding="utf-8") as f:
            return json_lines(f.read()), None
    cmd = [args.thresh, "timeline", os.path.join(args.crawls, blog["dir"]), "--format", "json"] + args.extra
    t0 = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    seconds = time.perf_counter() - t0
    if run.returncode != 0:
        print(f"score: {blog['id']}: thresh exited {run.returncode}: {run.stderr.strip()[:300]}", file=sys.stderr)
        return None, seconds
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        with open(os.path.join(args.save, blog["id"] + ".json"), "w", encoding="utf-8") as f:
            f.write(run.stdout)
    return json_lines(run.stdout), seconds


def oracle_output(blog):
    """The truth in thresh's JSON shape: scores 1.0 everywhere (a check of
    the scorer itself)."""
    posts = [{"id": f"p{k + 1}", "headline": p["headline"] or "", "body": p["body"],
              "published": p["published"][:16],
              "versions": [{"headline": v["headline"] or "", "body": v["body"]} for v in p["versions"]]}
             for k, p in enumerate(blog["posts"])]
    summary = ([blog["standfirst"][-1]] if blog["standfirst"][-1] else []) + blog["key_points"][-1]
    return {"title": blog["snapshots"][-1]["title"], "summary": summary, "posts": posts}


def json_lines(text):
    """thresh writes one timeline object per page, one per line."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def timelines_of(output):
    """The timelines of one run (None when it failed)."""
    return output or []


# ---------------------------------------------------------------- truth


def line_roles(blog, crawls):
    """norm(line text) -> set of roles, from the snapshots and the truth's
    line roles (file line k has role lines[k]); true post texts are added
    as post lines, since a printed line may carry a stamp beside it."""
    roles = defaultdict(set)
    for rel, labels in blog["lines"].items():
        with open(os.path.join(crawls, rel), encoding="utf-8") as f:
            texts = f.read().split("\n")
        for text, (role, _ref) in zip(texts, labels):
            roles[norm(text)].add(role)
    for p in blog["posts"]:
        for v in p["versions"]:
            for line in ([v["headline"]] if v["headline"] else []) + v["body"]:
                roles[norm(line)].add("post")
    return roles


def line_class(line, roles):
    """furniture, stamp, summary, post or unknown, for one output line."""
    r = roles.get(norm(line), set())
    if "post" in r:
        return "post"
    if r & FURNITURE_ROLES:
        return "furniture"
    if r & STAMP_ROLES:
        return "stamp"
    if r & SUMMARY_ROLES:
        return "summary"
    return "unknown"


# ---------------------------------------------------------------- times


def parse_time(s):
    """(aware datetime or None, naive local datetime), or None."""
    if not s:
        return None
    s = s.strip().replace("Z", "+00:00")
    try:
        t = datetime.fromisoformat(s)
    except ValueError:
        return None
    return (t if t.tzinfo else None), t.replace(tzinfo=None, second=0, microsecond=0)


def time_right(out_time, true_iso):
    got = parse_time(out_time)
    if got is None:
        return False
    aware, naive = got
    true = datetime.fromisoformat(true_iso)
    if aware is not None:
        return aware == true
    return naive == true.replace(tzinfo=None, second=0, microsecond=0)


# ---------------------------------------------------------------- one blog


def score_blog(blog, output, crawls):
    timelines = timelines_of(output)
    outs = [p for t in timelines for p in t.get("posts", [])]
    truths = blog["posts"]
    roles = line_roles(blog, crawls)
    out_words = [words(post_text(o.get("headline"), o.get("body", []))) for o in outs]
    newest = [words(post_text(p["headline"], p["body"])) for p in truths]
    any_version = [[words(post_text(v["headline"], v["body"])) for v in p["versions"]] for p in truths]

    match = one_to_one(newest, out_words)  # true index -> output index
    matched_out = set(match.values())
    dup_of = Counter()
    for j, ow in enumerate(out_words):
        for i, versions in enumerate(any_version):
            if max(jaccard(vw, ow) for vw in versions) >= MATCH:
                dup_of[i] += 1
    c = Counter(blogs=1, true_posts=len(truths), out_posts=len(outs), matched=len(match),
                timelines=len(timelines), extra_timelines=max(0, len(timelines) - 1))
    c["duplicated_true_posts"] = sum(1 for n in dup_of.values() if n >= 2)
    count_lines(outs, roles, c)
    count_versions_and_times(truths, outs, match, c)
    count_summary(blog, timelines, c)
    failures = describe_failures(blog, truths, outs, match, matched_out, out_words, any_version, roles)
    return c, failures


def one_to_one(true_sets, out_sets):
    pairs = []
    for i, tw in enumerate(true_sets):
        for j, ow in enumerate(out_sets):
            j_ = jaccard(tw, ow)
            if j_ >= MATCH:
                pairs.append((-j_, i, j))
    match, used = {}, set()
    for _, i, j in sorted(pairs):
        if i not in match and j not in used:
            match[i] = j
            used.add(j)
    return match


def count_lines(outs, roles, c):
    for o in outs:
        lines = ([o["headline"]] if o.get("headline") else []) + list(o.get("body", []))
        for line in lines:
            c["out_post_lines"] += 1
            c["lines_" + line_class(line, roles)] += 1


def count_versions_and_times(truths, outs, match, c):
    for i, p in enumerate(truths):
        o = outs[match[i]] if i in match else None
        n_versions = len(o.get("versions", [])) if o else 0
        if p["edited"]:
            c["edited"] += 1
            c["edited_with_versions"] += n_versions >= 2
        elif o is not None:
            c["unedited_matched"] += 1
            c["unedited_with_versions"] += n_versions >= 2
        if o is not None:
            c["times_present"] += bool(o.get("published"))
            c["times_right"] += time_right(o.get("published"), p["published"])


def count_summary(blog, timelines, c):
    """The newest standfirst and key points, each once (issue 11, item 3)."""
    want = [blog["standfirst"][-1]] if blog["standfirst"][-1] else []
    want += blog["key_points"][-1]
    got = Counter(norm(x) for t in timelines for x in t.get("summary", []))
    c["summary_newest"] += len(want)
    c["summary_newest_found"] += sum(1 for x in want if got[norm(x)] >= 1)
    older = {norm(x) for x in blog["standfirst"][:-1] if x} | {norm(x) for pts in blog["key_points"][:-1] for x in pts}
    older -= {norm(x) for x in want}
    c["summary_stale_shown"] += sum(1 for x in got if x in older)


# ---------------------------------------------------------------- failures


def describe_failures(blog, truths, outs, match, matched_out, out_words, any_version, roles):
    """Examples of each failure shape, for the report (--show)."""
    f = defaultdict(list)
    for i, p in enumerate(truths):
        if i not in match:
            best = max((jaccard(any_version[i][-1], ow), j) for j, ow in enumerate(out_words)) if outs else (0, None)
            f["missed"].append({"blog": blog["id"], "true": p["id"], "headline": p["headline"],
                                "first": p["body"][0][:90], "best_jaccard": round(best[0], 2)})
        else:
            o = outs[match[i]]
            if not time_right(o.get("published"), p["published"]):
                f["wrong_time"].append({"blog": blog["id"], "true": p["id"], "true_time": p["published"],
                                        "out_time": o.get("published"), "headline": (p["headline"] or p["body"][0])[:70]})
            if p["edited"] and len(o.get("versions", [])) < 2:
                f["edit_not_versioned"].append({"blog": blog["id"], "true": p["id"], "edits": p["edits"],
                                                "out_versions": len(o.get("versions", []))})
            if not p["edited"] and len(o.get("versions", [])) >= 2:
                f["spurious_versions"].append({"blog": blog["id"], "true": p["id"],
                                               "version_headlines": [v.get("headline") for v in o["versions"]]})
    for j, o in enumerate(outs):
        lines = ([o["headline"]] if o.get("headline") else []) + list(o.get("body", []))
        kinds = Counter(line_class(x, roles) for x in lines)
        if o.get("headline") and line_class(o["headline"], roles) == "furniture":
            f["furniture_headline"].append({"blog": blog["id"], "out": o["id"], "headline": o["headline"]})
        if j in matched_out:
            continue
        dup = any(max(jaccard(vw, out_words[j]) for vw in vs) >= MATCH for vs in any_version)
        shape = "duplicate" if dup else classify_extra(kinds)
        f["extra_" + shape].append({"blog": blog["id"], "out": o["id"], "headline": o.get("headline"),
                                    "lines": [x[:80] for x in lines[:4]], "n_lines": len(lines)})
    return f


def classify_extra(kinds):
    total = sum(kinds.values()) or 1
    top, n = kinds.most_common(1)[0] if kinds else ("unknown", 0)
    if top == "post" and n == total:
        return "fragment"
    if top == "post":
        return "fragment_with_other_lines"
    return top  # furniture, summary, stamp or unknown


# ---------------------------------------------------------------- report


def fractions(c):
    def div(a, b):
        return round(c[a] / c[b], 4) if c[b] else None
    return {
        "blogs": c["blogs"], "true_posts": c["true_posts"], "out_posts": c["out_posts"],
        "recall": div("matched", "true_posts"), "precision": div("matched", "out_posts"),
        "duplicated_true_posts": c["duplicated_true_posts"],
        "furniture_in_posts": div("lines_furniture", "out_post_lines"),
        "stamps_in_posts": div("lines_stamp", "out_post_lines"),
        "summary_in_posts": div("lines_summary", "out_post_lines"),
        "edited": c["edited"], "edited_with_versions": div("edited_with_versions", "edited"),
        "spurious_versions": div("unedited_with_versions", "unedited_matched"),
        "times_right": div("times_right", "matched"), "times_present": div("times_present", "matched"),
        "extra_timelines": c["extra_timelines"],
        "summary_newest_found": div("summary_newest_found", "summary_newest"),
        "summary_stale_shown": c["summary_stale_shown"],
    }


COLUMNS = [("shape", "shape", "{}"), ("blogs", "blogs", "{}"), ("true", "true_posts", "{}"),
           ("out", "out_posts", "{}"), ("recall", "recall", "{:.3f}"), ("precision", "precision", "{:.3f}"),
           ("dup", "duplicated_true_posts", "{}"), ("furn%", "furniture_in_posts", "{:.1%}"),
           ("edit≥2v", "edited_with_versions", "{:.3f}"), ("times", "times_right", "{:.3f}"),
           ("stamp%", "stamps_in_posts", "{:.1%}"), ("spur.v", "spurious_versions", "{:.3f}"),
           ("summ", "summary_newest_found", "{:.3f}"), ("+tl", "extra_timelines", "{}")]


def table(rows):
    head = [c[0] for c in COLUMNS]
    body = [[("—" if r.get(k) is None else f.format(r[k])) for _, k, f in COLUMNS] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    line = lambda cells: "| " + " | ".join(x.rjust(w) if i else x.ljust(w) for i, (x, w) in enumerate(zip(cells, widths))) + " |"  # noqa: E731
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    return "\n".join(out + [line(r) for r in body])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--thresh", help="the thresh binary")
    ap.add_argument("--crawls", required=True, help="gen_crawls.py's output directory")
    ap.add_argument("--outputs", help="read OUT/<blog>.json instead of running thresh")
    ap.add_argument("--oracle", action="store_true", help="score the truth itself (checks the scorer)")
    ap.add_argument("--save", help="save thresh's JSON per blog here")
    ap.add_argument("--json", action="store_true", help="machine-readable results on stdout")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="print N examples of each failure shape")
    ap.add_argument("--blog", action="append", help="score only this blog (repeatable)")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("extra", nargs="*", help="extra thresh arguments, after --")
    args = ap.parse_args()
    if not (args.thresh or args.outputs or args.oracle):
        ap.error("give --thresh BIN, --outputs DIR or --oracle")

    with open(os.path.join(args.crawls, "truth.json"), encoding="utf-8") as f:
        truth = json.load(f)
    per_shape, per_kind, overall, per_blog = defaultdict(Counter), defaultdict(Counter), Counter(), {}
    failures, seconds = defaultdict(list), 0.0
    for blog in truth["blogs"]:
        if args.blog and blog["id"] not in args.blog:
            continue
        output, secs = thresh_output(args, blog)
        seconds += secs or 0.0
        c, fails = score_blog(blog, output, args.crawls)
        per_blog[blog["id"]] = dict(fractions(c), shape=blog["shape"], seconds=secs)
        per_shape[blog["shape"]].update(c)
        if "page_kind" in blog:  # HTML captures (gen_crawls.py --as html|warc)
            per_kind[blog["page_kind"]].update(c)
        overall.update(c)
        for k, v in fails.items():
            failures[k].extend(v)
    shapes = {s: fractions(c) for s, c in sorted(per_shape.items())}
    result = {"crawls": args.crawls, "seed": truth.get("seed"), "thresh": args.thresh, "overall": fractions(overall),
              "per_shape": shapes, "per_page_kind": {k: fractions(c) for k, c in sorted(per_kind.items())},
              "per_blog": per_blog, "failure_counts": {k: len(v) for k, v in sorted(failures.items())},
              "thresh_seconds": round(seconds, 2)}
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        rows = [dict(v, shape=k) for k, v in shapes.items()] + [dict(result["overall"], shape="**overall**")]
        print(table(rows))
        if per_kind:
            print()
            print(table([dict(v, shape=k) for k, v in result["per_page_kind"].items()]))
        print("\nfailure shapes (counts):", ", ".join(f"{k} {v}" for k, v in result["failure_counts"].items()))
    if args.show:
        for k, v in sorted(failures.items()):
            print(f"\n## {k} ({len(v)})", file=sys.stderr if args.json else sys.stdout)
            for x in v[: args.show]:
                print("  " + json.dumps(x, ensure_ascii=False), file=sys.stderr if args.json else sys.stdout)


if __name__ == "__main__":
    main()
