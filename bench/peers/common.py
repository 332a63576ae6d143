"""Shared code for the peer adapters: thresh's normalization and shingling
re-done in Python, argument parsing, union-find and the common cluster format.

Normalization follows thresh (issue 2, item 3): Unicode NFKC; typographic
quotes and dashes folded to ASCII, invisible characters dropped; lower case.
Words: thresh uses Unicode word boundaries (UAX #29). Python has no UAX #29
word segmenter in the standard library, so WORD below approximates it: runs of
word characters, joined across an apostrophe, period, colon or middle dot
between two word characters ("don't", "u.s", "3.5") and across a comma or
semicolon between two digits ("1,000"). Characters of scripts written without
spaces (Han, Kana, Thai, Lao, Khmer, Myanmar) are one token each. The smoke
run (bench/check_truth.py) checks that brute-force Jaccard over these shingles
gives the same pairs as the Rust ground truth (bench/gen/src/shingle.rs).

A shingle is `ngram` consecutive tokens joined by one space; a document with
fewer tokens has one shingle made of all of them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unicodedata

import re

try:  # the `regex` module's \w includes combining marks, as UAX #29 does
    import regex as _re
except ImportError:  # pragma: no cover
    _re = re

FOLD = {}
for c in "\u2018\u2019\u201a\u201b\u2032\u02bc":
    FOLD[ord(c)] = "'"
for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb":
    FOLD[ord(c)] = '"'
for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
    FOLD[ord(c)] = "-"
for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff":
    FOLD[ord(c)] = None

FOLD_ITEMS = [(chr(k), v or "") for k, v in FOLD.items()]

WORD_PATTERN = r"\w+(?:(?:['.:\u00b7]|(?<=\d)[,;](?=\d))\w+)*"
WORD = _re.compile(WORD_PATTERN)
# The same pattern in the standard `re`, faster, used on ASCII text, where the
# two agree.
WORD_ASCII = re.compile(WORD_PATTERN)
UNSPACED = _re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff]"
)


def normalize(text: str) -> str:
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        # str.translate is slow on non-ASCII strings; a few replaces are not.
        for c, r in FOLD_ITEMS:
            if c in text:
                text = text.replace(c, r)
    return text.lower()


def tokens(text: str) -> list[str]:
    text = normalize(text)
    if text.isascii():
        return WORD_ASCII.findall(text)
    words = WORD.findall(text)
    if UNSPACED.search(text):
        out = []
        for w in words:
            if UNSPACED.match(w):
                out.extend(w)
            else:
                out.append(w)
        return out
    return words


def shingles(text: str, ngram: int) -> set[str]:
    toks = tokens(text)
    if not toks:
        return set()
    if len(toks) < ngram:
        return {" ".join(toks)}
    return {" ".join(toks[i : i + ngram]) for i in range(len(toks) - ngram + 1)}


def read_corpus(path: str):
    """Yield (id, text) for each JSONL line."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            yield str(d.get("id")), d.get("text") or ""


def optimal_param(threshold: float, num_perm: int, fp_weight=0.5, fn_weight=0.5):
    """Bands and rows minimising the weighted probabilities of a false positive
    and a false negative (the criterion datasketch and thresh use), by
    midpoint integration of the LSH S-curve."""

    def integrate(f, a, b, steps=400):
        h = (b - a) / steps
        return sum(f(a + (i + 0.5) * h) for i in range(steps)) * h

    best, best_err = (1, num_perm), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = integrate(lambda s: 1 - (1 - s**r) ** b, 0.0, threshold)
            fn = integrate(lambda s: 1 - (1 - (1 - s**r) ** b), threshold, 1.0)
            err = fp_weight * fp + fn_weight * fn
            if err < best_err:
                best, best_err = (b, r), err
    return best


class UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        p = self.parent.setdefault(x, x)
        if p != x:
            root = self.find(p)
            self.parent[x] = root
            return root
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra

    def groups(self):
        out = {}
        for x in list(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return [sorted(g) for g in out.values() if len(g) >= 2]


def write_clusters(path: str, groups, ids=None):
    """One JSON line per cluster of two or more: {"cluster": k, "members": [ids]}.
    `groups` holds document indexes when `ids` is given, else ids."""
    groups = sorted(groups, key=lambda g: g[0])
    with open(path, "w", encoding="utf-8") as f:
        for k, g in enumerate(groups):
            members = [ids[i] for i in g] if ids is not None else list(g)
            f.write(json.dumps({"cluster": k, "members": members}) + "\n")
    return len(groups)


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("corpus")
    p.add_argument("--out", required=True, help="clusters JSONL to write")
    p.add_argument("--meta", help="JSON file for version, threads and stage times")
    p.add_argument("--threshold", type=float, default=0.7)
    p.add_argument("--num-perm", type=int, default=128)
    p.add_argument("--ngram", type=int, default=5)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--workdir", default=None, help="scratch folder for tools that write files")
    return p


class Stages:
    """Wall seconds per stage, written to --meta with the tool's version."""

    def __init__(self):
        self.times = {}
        self._t = time.perf_counter()

    def mark(self, name):
        now = time.perf_counter()
        self.times[name] = round(now - self._t, 3)
        self._t = now

    def write(self, args, version, threads, **extra):
        if args.meta:
            with open(args.meta, "w") as f:
                json.dump({"version": version, "threads": threads, "stages": self.times, **extra}, f)


def log(msg):
    print(msg, file=sys.stderr, flush=True)
