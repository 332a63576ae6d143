"""Exact-substring dedup in bytes mode: thresh against deduplicate-text-datasets.

For each corpus size this makes a news-like corpus with thresh-gen (--seed 1
--dup-fraction 0.3), then runs, one after the other on the same documents:

* thresh: `thresh dedup CORPUS --out DIR --level substring --unit byte
  --min-span L --quiet`, which keeps the first copy (in input order) of every
  span of >= L bytes repeated in the corpus and lists the later copies in
  removed_spans.jsonl, each with the place of an earlier copy ("first");
* the peer, google-research/deduplicate-text-datasets (Lee et al. 2022), built
  at run time from the snapshot in /work/.mirror (`cargo build --release`,
  cached under the work folder) and run as its own scripts run it: the texts
  written each behind b"\xff\xff" + a 4-byte little-endian document number
  (scripts/load_dataset_hf.py); the suffix array made by `make-part` on
  overlapping slices, 2 at a time, then `merge --num-threads 2` and `cat`
  (scripts/make_suffix_array.py); then `self-similar --length-threshold L
  --num-threads 2` and `collect`, which prints the byte ranges covered by
  repeated L-byte windows, first copies included.

It prints a markdown table per tool and size (wall time, peak RSS from
/usr/bin/time -v, bytes removed or reported), the same per step (the peer's
concurrent make-part processes are added up), and how the two agree, byte by
byte in the documents' texts (the peer's ranges clipped to them): bytes both
flag; the peer's bytes that thresh keeps inside a "first" copy; the peer's
bytes in no "first" copy (partial characters, ranges at a document's start or
end, others); thresh's bytes the peer does not report. For a few examples of
each difference it searches the corpus for an earlier copy of an L-byte
window over them, which decides whether thresh should have removed them.
Everything on stdout but the times, memory and load is the same from run to run.

Run from the repository root, with thresh and thresh-gen built
(`cargo build --release -p thresh-cli -p thresh-gen`):

    python3 bench/substring.py --sizes 100M,1G

Options: --thresh BIN, --sizes (default 100M), --min-span (default 100 bytes),
--work-dir (default /tmp/subbench), --peer-git, --keep (keep the corpora and
intermediate files).
"""

from __future__ import annotations

import argparse
import bisect
import io
import json
import math
import mmap
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER_GIT = "/work/.mirror/google-research+deduplicate-text-datasets/repo"
THREADS = 2
HACK = 100_000  # overlap of make-part slices; the peer's merge expects exactly this (HACKSIZE)
SLICE = 100 * 10**6  # largest make-part slice, so that 1 GB needs ~2.5 GB at a time, not ~12
BYTES_PER_DOC = 369e6 / 100_000  # thresh-gen: 100,000 documents make about 369 MB
SEPARATOR = b"\xff\xff"  # then struct.pack("<I", n), n from 1, as the peer's load scripts do
EXAMPLES = 5
TIME = "/usr/bin/time"


def say(msg):
    print(f"substring: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- running


@dataclass
class Step:
    tool: str
    name: str
    wall: float
    peak_kb: int | None  # None: not measured (work done in this process)


def peak_kb(proc, timefile):
    """Wait for a child; its peak RSS in KB, from /usr/bin/time -v when it ran
    under it, else from wait4 (which counts the forked copy of this process
    too, so small figures are too high)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if not os.path.exists(TIME):
        return usage.ru_maxrss
    with open(timefile) as f:
        line = next(ln for ln in f if "Maximum resident set size" in ln)
    return int(line.rsplit(":", 1)[1])


def run(tool, name, cmds, work, stdout=None):
    """Run `cmds` concurrently (usually one), each logging to WORK/TOOL-NAME-I.log
    (a single command may send its stdout to `stdout` instead); one Step with
    the wall time of all and the sum of their peak RSS."""
    logs = [os.path.join(work, f"{tool}-{name}-{i}.log") for i in range(len(cmds))]
    timefiles = [log + ".time" for log in logs]
    start = time.monotonic()
    procs = []
    for cmd, log, timefile in zip(cmds, logs, timefiles):
        timed = [TIME, "-v", "-o", timefile, *cmd] if os.path.exists(TIME) else cmd
        with open(log, "wb") as err, open(stdout or os.devnull, "wb") as out:
            procs.append(subprocess.Popen(timed, stdout=out if stdout else err, stderr=err))
    peaks = [peak_kb(p, t) for p, t in zip(procs, timefiles)]
    wall = time.monotonic() - start
    for proc, cmd, log in zip(procs, cmds, logs):
        if proc.returncode != 0:
            with open(log, "rb") as f:
                tail = f.read()[-1500:].decode(errors="replace")
            raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{tail}")
    say(f"{tool} {name}: {wall:.1f} s")
    return Step(tool, name, wall, sum(peaks))


# ---------------------------------------------------------------- corpus


@dataclass
class Corpus:
    """The documents in input order, and where each text stands in the
    peer's data file (which is also how this script reads the texts)."""

    jsonl: str
    data: str
    ids: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    lens: list[int] = field(default_factory=list)

    def index(self):
        return {doc_id: n for n, doc_id in enumerate(self.ids)}

    def text(self, data, doc, start, end):
        """Bytes `start..end` of a document's text, `data` the data file's bytes."""
        at = self.starts[doc]
        return data[at + start:at + min(end, self.lens[doc])]


def parse_size(text):
    units = {"K": 10**3, "M": 10**6, "G": 10**9}
    text = text.strip().upper()
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def make_corpus(label, nbytes, work):
    gen = os.path.join(ROOT, "target", "release", "thresh-gen")
    if not os.path.exists(gen):
        sys.exit(f"substring: no {gen}; build it with `cargo build --release -p thresh-gen`")
    path = os.path.join(work, f"corpus-{label}.jsonl")
    if os.path.exists(path):
        say(f"reusing {path}")
        return path
    docs = max(1, round(nbytes / BYTES_PER_DOC))
    say(f"generating {docs} documents into {path}")
    tmp = path + ".part"
    subprocess.run(
        [gen, "--docs", str(docs), "--seed", "1", "--dup-fraction", "0.3",
         "--out", tmp, "--truth", os.path.join(work, f"truth-{label}.jsonl")],
        check=True, stdout=subprocess.DEVNULL,
    )
    os.replace(tmp, path)
    return path


def write_data_file(jsonl, data):
    """The peer's input: every text behind a separator of its own."""
    corpus = Corpus(jsonl, data)
    with open(jsonl, "rb") as fin, open(data, "wb") as fout:
        at = 0
        for line in fin:
            doc = json.loads(line)
            text = doc["text"].encode("utf-8")
            head = SEPARATOR + struct.pack("<I", len(corpus.ids) + 1)
            fout.write(head + text)
            corpus.ids.append(doc["id"])
            corpus.starts.append(at + len(head))
            corpus.lens.append(len(text))
            at += len(head) + len(text)
    return corpus


# ---------------------------------------------------------------- byte sets
# A byte set is {document number: sorted, disjoint [(start, end), ...]}.


def union(ranges):
    merged = []
    for s, e in sorted(ranges):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        elif s < e:
            merged.append((s, e))
    return merged


def subtract(a, b):
    """Ranges of `a` outside `b` (both sorted and disjoint)."""
    out, j = [], 0
    for s, e in a:
        while j < len(b) and b[j][1] <= s:
            j += 1
        k = j
        while k < len(b) and b[k][0] < e:
            if b[k][0] > s:
                out.append((s, b[k][0]))
            s = max(s, b[k][1])
            k += 1
        if s < e:
            out.append((s, e))
    return out


def set_op(op, a, b):
    return {d: r for d in a if (r := op(a[d], b.get(d, [])))}


def intersect(a, b):
    return subtract(a, subtract(a, b))


def size(byteset):
    return sum(e - s for ranges in byteset.values() for s, e in ranges)


def grouped(pairs):
    """(document, (start, end)) pairs as a byte set."""
    out = {}
    for doc, rng in pairs:
        out.setdefault(doc, []).append(rng)
    return {d: union(r) for d, r in out.items()}


# ---------------------------------------------------------------- the peer


def build_peer(git_dir, work):
    """The peer's binary, built once per snapshot commit; or why not."""
    if not os.path.isdir(git_dir):
        return None, f"no snapshot at {git_dir}"
    commit = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "HEAD"],
                            check=True, capture_output=True, text=True).stdout.strip()
    src = os.path.join(work, "peer", commit[:12])
    binary = os.path.join(src, "target", "release", "dedup_dataset")
    if not os.path.exists(binary):
        say(f"building the peer at {commit[:12]} in {src}")
        shutil.rmtree(src, ignore_errors=True)
        os.makedirs(src)
        archive = subprocess.run(["git", "--git-dir", git_dir, "archive", "HEAD"],
                                 check=True, capture_output=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(src, filter="data")
        built = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=src,
                               capture_output=True, text=True)
        if built.returncode != 0:
            return None, f"cargo build --release failed:\n{built.stderr[-1500:]}"
    return binary, commit[:12]


def slices(nbytes):
    """make-part slices as scripts/make_suffix_array.py cuts them (overlapping
    by HACK), of at most about SLICE bytes, a multiple of THREADS of them."""
    count = THREADS * max(1, math.ceil(nbytes / (THREADS * SLICE)))
    step = nbytes // count
    out = []
    for i in range(count):
        s, e = i * step, min((i + 1) * step + HACK, nbytes)
        out.append((s, e))
        if e == nbytes:
            break
    return out


def make_parts(binary, data, work):
    """make-part on every slice, THREADS at a time; one Step for all (the
    wall time of all batches, the peak of the largest batch)."""
    cuts = slices(os.path.getsize(data))
    batches = [run("peer", "make-part", [
        [binary, "make-part", "--data-file", data, "--start-byte", str(s), "--end-byte", str(e)]
        for s, e in cuts[i:i + THREADS]], work) for i in range(0, len(cuts), THREADS)]
    step = Step("peer", f"make-part ({len(cuts)} slices, {THREADS} at a time)",
                sum(b.wall for b in batches), max(b.peak_kb for b in batches))
    return step, [f"{data}.part.{s}-{e}" for s, e in cuts]


def run_peer(binary, corpus, span, work):
    """The peer's pipeline; its steps and its ranges as (start, end) in the data file."""
    data = corpus.data
    cache, merged = os.path.join(work, "peer-cache"), os.path.join(work, "peer-merged")
    shutil.rmtree(cache, ignore_errors=True)
    make, parts = make_parts(binary, data, work)
    merge = [binary, "merge", "--output-file", merged, "--num-threads", str(THREADS)]
    for part in parts:
        merge += ["--suffix-path", part]
    steps = [make, run("peer", "merge", [merge], work)]
    for path in [merged, *parts, *(p + ".table.bin" for p in parts)]:
        os.remove(path)
    tables = sorted(f.path for f in os.scandir(work) if f.name.startswith("peer-merged.table.bin."))
    steps.append(run("peer", "cat", [["cat", *tables]], work, stdout=data + ".table.bin"))
    for path in tables:
        os.remove(path)
    steps.append(run("peer", "self-similar", [[
        binary, "self-similar", "--data-file", data, "--length-threshold", str(span),
        "--cache-dir", cache, "--num-threads", str(THREADS)]], work))
    ranges_file = os.path.join(work, "peer-ranges.txt")
    steps.append(run("peer", "collect", [[
        binary, "collect", "--data-file", data, "--cache-dir", cache,
        "--length-threshold", str(span)]], work, stdout=ranges_file))
    return steps, read_collect(ranges_file)


def read_collect(path):
    """collect's ranges: the lines after "out" (none when it found none)."""
    ranges, seen_out = [], False
    with open(path) as f:
        for line in f:
            if seen_out:
                s, e = line.split()
                ranges.append((int(s), int(e)))
            seen_out = seen_out or line.strip() == "out"
    return ranges


def peer_byteset(ranges, corpus):
    """The peer's ranges clipped to the texts; and how many of its bytes
    fell on separators instead."""
    pairs, inside = [], 0
    for s, e in union(ranges):
        doc = max(0, bisect.bisect_right(corpus.starts, s) - 1)
        while doc < len(corpus.ids) and corpus.starts[doc] < e:
            lo = max(s, corpus.starts[doc])
            hi = min(e, corpus.starts[doc] + corpus.lens[doc])
            if lo < hi:
                pairs.append((doc, (lo - corpus.starts[doc], hi - corpus.starts[doc])))
                inside += hi - lo
            doc += 1
    return grouped(pairs), sum(e - s for s, e in union(ranges)) - inside


# ---------------------------------------------------------------- thresh


def thresh_ready(binary):
    """`binary` and its version when it has the substring level, else None and why not."""
    if not os.path.exists(binary):
        return None, f"no binary at {binary}"
    helptext = subprocess.run([binary, "dedup", "--help"], capture_output=True, text=True).stdout
    if "--min-span" not in helptext:
        return None, f"{binary} dedup has no --min-span yet"
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    return binary, f"{binary} ({version.strip()})"


def run_thresh(binary, corpus, span, work):
    out = os.path.join(work, "thresh-out")
    shutil.rmtree(out, ignore_errors=True)
    step = run("thresh", "dedup", [[
        binary, "dedup", corpus.jsonl, "--out", out, "--level", "substring",
        "--unit", "byte", "--min-span", str(span), "--quiet"]], work)
    with open(os.path.join(out, "summary.json")) as f:
        summary = json.load(f)
    with open(os.path.join(out, "removed_spans.jsonl")) as f:
        spans = [json.loads(line) for line in f]
    return step, summary, spans


def thresh_bytesets(spans, corpus):
    """Removed bytes and first-copy bytes, as byte sets."""
    index = corpus.index()
    removed = grouped((index[r["id"]], (r["start"], r["end"])) for r in spans)
    firsts = grouped((index[r["first"]["id"]], (r["first"]["start"], r["first"]["end"]))
                     for r in spans)
    return removed, firsts


def bad_pieces(spans, corpus, data):
    """Removed pieces whose text or first copy is not the document's bytes."""
    index, bad = corpus.index(), 0
    for r in spans:
        doc, first = index[r["id"]], index[r["first"]["id"]]
        piece = corpus.text(data, doc, r["start"], r["end"])
        bad += (r["end"] > corpus.lens[doc] or r["first"]["end"] > corpus.lens[first]
                or piece != r["text"].encode("utf-8")
                or piece != corpus.text(data, first, r["first"]["start"], r["first"]["end"]))
    return bad


# ---------------------------------------------------------------- report


def compare(peer, removed, firsts, corpus, data, span):
    """Byte counts of the agreement, and a few examples of each difference.
    The peer's bytes in no thresh first copy are told apart by why they may
    be there: parts of a multi-byte character (thresh moves its ranges inward
    to whole characters), ranges touching a document's start or end (the
    peer's windows may run into the separators), and the rest."""
    peer_only = set_op(subtract, peer, removed)
    unexplained = set_op(subtract, peer_only, firsts)
    kinds = {"partial character": {}, "document edge": {}, "other": {}}
    for d, ranges in unexplained.items():
        for s, e in ranges:
            if e - s <= 3 and min(corpus.text(data, d, s, e)) >= 0x80:
                kind = "partial character"
            elif s == 0 or e == corpus.lens[d]:
                kind = "document edge"
            else:
                kind = "other"
            kinds[kind].setdefault(d, []).append((s, e))
    thresh_only = set_op(subtract, removed, peer)
    return {
        "both": size(set_op(intersect, peer, removed)),
        "first": size(peer_only) - size(unexplained),
        "unexplained": {k: size(v) for k, v in kinds.items()},
        "examples": [(k, ex) for k, v in kinds.items() for ex in examples(v, corpus, data, span)],
        "thresh_only": size(thresh_only),
        "thresh_only_examples": examples(thresh_only, corpus, data, span),
    }


def examples(byteset, corpus, data, span):
    """The first few ranges of a byte set, with their text, and whether a
    window of `span` bytes around them occurs earlier in input order (if so,
    thresh should remove them; if not, keep them)."""
    flat = [(d, s, e) for d in sorted(byteset) for s, e in byteset[d]]
    return [f"{corpus.ids[d]} [{s}, {e}) of {corpus.lens[d]}: "
            f"{corpus.text(data, d, max(0, s - 10), e + 10)!r}; "
            f"earlier copy of a {span}-byte window over it: {earlier_copy(corpus, data, d, s, e, span)}"
            for d, s, e in flat[:EXAMPLES]]


def earlier_copy(corpus, data, doc, start, end, span):
    """Where a window of `span` bytes of the document covering start..end
    occurs earlier (document id and offset), or "none"."""
    at = corpus.starts[doc]
    for p in range(max(0, end - span), min(start, corpus.lens[doc] - span) + 1):
        hit = data.find(corpus.text(data, doc, p, p + span), 0, at + p + span - 1)
        if hit >= 0:
            d = bisect.bisect_right(corpus.starts, hit) - 1
            return f"{corpus.ids[d]} at {hit - corpus.starts[d]}"
    return "none"


def mb(kb):
    return "—" if kb is None else f"{kb / 1024:,.0f}"


def print_report(results):
    print("## Exact-substring dedup, bytes mode: thresh and deduplicate-text-datasets\n")
    for note in results.notes:
        print(f"- {note}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"- load average at the end (1, 5, 15 min; the times depend on it): {load}")
    print("\n| tool | size | docs | text MB | wall s | peak MB | bytes removed/reported |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for r in results.rows:
        print(f"| {r['tool']} | {r['size']} | {r['docs']:,} | {r['text_mb']:,.1f} | "
              f"{r['wall']:.1f} | {mb(r['peak'])} | {r['bytes']:,} |")
    print("\n| tool | size | step | wall s | peak MB |")
    print("|---|---|---|--:|--:|")
    for label, step in results.steps:
        print(f"| {step.tool} | {label} | {step.name} | {step.wall:.1f} | {mb(step.peak_kb)} |")
    for label, a in results.agreements:
        print(f"\n### Agreement at {label} (bytes of document text)\n")
        print(f"- peer bytes on separators, not text (dropped): {a['on_separators']:,}")
        print(f"- thresh pieces whose text or first copy is not the corpus's: {a['bad_pieces']:,}")
        print(f"- flagged by both (peer reports, thresh removes): {a['both']:,}")
        print(f"- peer only, inside a thresh first copy (kept as the first occurrence): {a['first']:,}")
        print(f"- peer only, in no thresh first copy: {sum(a['unexplained'].values()):,} ("
              + ", ".join(f"{kind} {n:,}" for kind, n in a["unexplained"].items()) + ")")
        for kind, ex in a["examples"]:
            print(f"  - {kind}: {ex}")
        print(f"- thresh removes, peer does not report: {a['thresh_only']:,}")
        for ex in a["thresh_only_examples"]:
            print(f"  - {ex}")


# ---------------------------------------------------------------- main


@dataclass
class Results:
    notes: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    steps: list[tuple[str, Step]] = field(default_factory=list)
    agreements: list[tuple[str, dict]] = field(default_factory=list)


def bench_size(label, args, peer_bin, thresh_bin, results):
    """One corpus size: its rows, steps and agreement, added to `results`."""
    work = os.path.join(args.work_dir, label)
    os.makedirs(work, exist_ok=True)
    nbytes = parse_size(label)
    need = 16 * nbytes + 5 * 10**9
    if shutil.disk_usage(work).free < need:
        results.notes.append(f"{label} skipped: under {need / 1e9:.0f} GB free in {work}")
        return
    jsonl = make_corpus(label, nbytes, work)
    say(f"{label}: writing the peer's data file")
    start = time.monotonic()
    corpus = write_data_file(jsonl, os.path.join(work, f"corpus-{label}.peer"))
    prep = Step("peer", "JSONL to data file (this script)", time.monotonic() - start, None)
    base = {"size": label, "docs": len(corpus.ids), "text_mb": sum(corpus.lens) / 1e6}
    peer = removed = None
    if peer_bin:
        steps, ranges = run_peer(peer_bin, corpus, args.min_span, work)
        results.steps += [(label, s) for s in [prep, *steps]]
        peer, on_separators = peer_byteset(ranges, corpus)
        results.rows.append(dict(base, tool="peer", wall=sum(s.wall for s in steps),
                                 peak=max(s.peak_kb for s in steps), bytes=size(peer)))
    if thresh_bin:
        step, summary, spans = run_thresh(thresh_bin, corpus, args.min_span, work)
        results.steps.append((label, step))
        removed, firsts = thresh_bytesets(spans, corpus)
        results.rows.append(dict(base, tool="thresh", wall=step.wall, peak=step.peak_kb,
                                 bytes=summary["span_bytes_removed"]))
        if (size(removed), len(spans)) != (summary["span_bytes_removed"], summary["spans_removed"]):
            results.notes.append(f"{label}: summary.json says {summary['spans_removed']:,} spans, "
                                 f"{summary['span_bytes_removed']:,} bytes; removed_spans.jsonl "
                                 f"has {len(spans):,} spans covering {size(removed):,} bytes")
    if peer is not None and removed is not None:
        with open(corpus.data, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            agreement = compare(peer, removed, firsts, corpus, data, args.min_span)
            agreement.update(on_separators=on_separators, bad_pieces=bad_pieces(spans, corpus, data))
        results.agreements.append((label, agreement))
    if not args.keep:
        shutil.rmtree(work)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--thresh", default=os.path.join(ROOT, "target", "release", "thresh"))
    ap.add_argument("--sizes", default="100M", help="comma-separated corpus sizes, e.g. 100M,1G")
    ap.add_argument("--min-span", type=int, default=100, help="shortest repeat, in bytes")
    ap.add_argument("--work-dir", default="/tmp/subbench")
    ap.add_argument("--peer-git", default=PEER_GIT, help="bare git dir of the peer's snapshot")
    ap.add_argument("--keep", action="store_true", help="keep corpora and intermediate files")
    args = ap.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)

    results = Results([f"min span {args.min_span} bytes, {THREADS} threads, corpora: "
                       "thresh-gen --seed 1 --dup-fraction 0.3"])
    peer_bin, peer_what = build_peer(args.peer_git, args.work_dir)
    results.notes.append(f"peer: deduplicate-text-datasets @ {peer_what}" if peer_bin
                         else f"peer skipped: {peer_what}")
    thresh_bin, thresh_what = thresh_ready(args.thresh)
    results.notes.append(f"thresh: {thresh_what}" if thresh_bin else f"thresh skipped: {thresh_what}")
    for label in args.sizes.split(","):
        bench_size(label, args, peer_bin, thresh_bin, results)
    print_report(results)


if __name__ == "__main__":
    main()
