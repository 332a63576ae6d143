"""The benchmark harness behind bench/run: builds the Rust tools, sets up the
peers' virtual environment, makes the corpora and their ground truth, runs
every tool one after the other under /usr/bin/time with a time bound, scores
the clusters and writes bench/results/CORPUS.json, then BENCHMARKS.md."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
SCRATCH = os.path.join(BENCH, "scratch")
RESULTS = os.path.join(BENCH, "results")
VENV = os.path.join(BENCH, ".venv")
VPY = os.path.join(VENV, "bin", "python")
DATA = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
SEEDS = os.path.normpath(os.path.join(ROOT, "..", "shared", "seeds"))
sys.path.insert(0, BENCH)
import score  # noqa: E402

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
BOUNDS = {1_000: 120, 10_000: 900, 100_000: 1800, 1_000_000: 1800}
PEERS = {
    "datasketch": ("datasketch_peer.py", "datasketch"),
    "rensa": ("rensa_peer.py", "rensa"),
    "gaoya": ("gaoya_peer.py", "gaoya"),
    "gaoya-native": ("gaoya_native_peer.py", "gaoya"),
    "datatrove": ("datatrove_peer.py", "datatrove"),
    "text-dedup": ("textdedup_peer.py", "text-dedup"),
}
ALL_TOOLS = ["floor", "thresh", *PEERS]


def say(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run_quiet(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


# ---------------------------------------------------------------- building


def target_dir(package="thresh-gen"):
    """Where a package is built: CARGO_TARGET_DIR or target/, unless
    THRESH_TARGET_DIR (for thresh-cli) or BENCH_TARGET_DIR (for thresh-gen)
    says otherwise, so the bench tools need not wait on the lock of a
    target folder shared with someone building thresh."""
    own = "THRESH_TARGET_DIR" if package == "thresh-cli" else "BENCH_TARGET_DIR"
    return os.environ.get(own) or os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")


def build(package):
    env = dict(os.environ, CARGO_TARGET_DIR=target_dir(package))
    r = run_quiet(["cargo", "build", "--release", "--quiet", "-p", package], cwd=ROOT, env=env)
    if r.returncode != 0:
        say(f"building {package} failed:\n{r.stdout[-2000:]}")
    return r.returncode == 0


def binary(name):
    return os.path.join(target_dir("thresh-cli" if name == "thresh" else "thresh-gen"), "release", name)


def thresh_ready():
    """thresh with a working `dedup` subcommand, else why not."""
    if not build("thresh-cli"):
        return "build of thresh-cli failed"
    r = run_quiet([binary("thresh"), "dedup", "--help"])
    if r.returncode != 0:
        return "`thresh dedup` is not there yet"
    return None


# ---------------------------------------------------------------- peers' venv


def setup_venv(tools):
    """Create bench/.venv and install, line by line, the pinned requirements
    that the requested peers need (the lines without a peer's name are common
    to all). Returns {peer: None if importable, else why not}."""
    want = [t for t in tools if t in PEERS]
    if not want:
        return {}
    lines = [ln.split("#")[0].strip() for ln in open(os.path.join(BENCH, "requirements.txt"))]
    lines = [ln for ln in lines if ln]

    def needed(ln):
        name = ln.split("==")[0]
        return name in {PEERS[t][1] for t in want} or name not in {p[1] for p in PEERS.values()}

    log = {}
    if not os.path.exists(VPY):
        r = run_quiet([sys.executable, "-m", "venv", VENV])
        if r.returncode != 0:
            return {t: f"cannot create the venv: {r.stdout.strip()[-300:]}" for t in want}
    for ln in filter(needed, lines):
        stamp = os.path.join(VENV, ".ok-" + hashlib.sha1(ln.encode()).hexdigest()[:12])
        if os.path.exists(stamp):
            continue
        say(f"pip install {ln}")
        try:
            r = run_quiet([VPY, "-m", "pip", "install", "--disable-pip-version-check", "-q", *ln.split()], timeout=900)
            ok = r.returncode == 0
            log[ln] = "ok" if ok else (r.stdout.strip().splitlines() or ["?"])[-1][:300]
        except subprocess.TimeoutExpired:
            ok, log[ln] = False, "pip timed out after 900 s"
        if ok:
            open(stamp, "w").close()
    if log:
        os.makedirs(SCRATCH, exist_ok=True)
        json.dump(log, open(os.path.join(SCRATCH, "install-log.json"), "w"), indent=1)
    status = {}
    for t in want:
        r = run_quiet([VPY, "-c", f"import {PEERS[t][1].replace('-', '_')}"])
        if r.returncode == 0:
            status[t] = None
        else:
            why = [f"{k}: {v}" for k, v in log.items() if k.startswith(PEERS[t][1]) and v != "ok"]
            status[t] = "not installable: " + (why[0] if why else (r.stdout.strip().splitlines() or ["?"])[-1])
    return status


# ---------------------------------------------------------------- corpora


def corpus_generated(docs, seed, dup):
    os.makedirs(SCRATCH, exist_ok=True)
    base = os.path.join(SCRATCH, f"gen-{docs}-s{seed}-d{dup}")
    path, truth = base + ".jsonl", base + ".truth.jsonl"
    if not (os.path.exists(path) and os.path.exists(truth)):
        say(f"generating {docs} documents")
        t = time.time()
        subprocess.run(
            [binary("thresh-gen"), "--docs", str(docs), "--seed", str(seed), "--dup-fraction", str(dup),
             "--out", path + ".tmp", "--truth", truth],
            check=True,
        )
        os.replace(path + ".tmp", path)
        say(f"generated in {time.time() - t:.1f}s")
    return path, truth


def corpus_real(seed):
    if not os.path.isdir(DATA):
        return None
    path = os.path.join(SCRATCH, f"real-s{seed}.jsonl")
    truth = os.path.join(SCRATCH, f"real-s{seed}.truth.jsonl")
    if not (os.path.exists(path) and os.path.exists(truth)):
        subprocess.run(
            [sys.executable, os.path.join(BENCH, "realcorpus.py"), "--data", DATA, "--seeds", SEEDS,
             "--seed", str(seed), "--out", path, "--truth", truth],
            check=True,
        )
    return path, truth


def exact_truth(corpus, threshold, ngram, limit, docs):
    out = corpus[: -len(".jsonl")] + f".exact-t{threshold}-n{ngram}.jsonl"
    if os.path.exists(out):
        return out
    if docs > limit:
        say(f"exact all-pairs Jaccard skipped: {docs} documents > --exact-limit {limit}")
        return None
    say("exact all-pairs Jaccard (prefix filtering)")
    t = time.time()
    subprocess.run(
        [binary("thresh-jaccard"), corpus, "--threshold", str(threshold), "--ngram", str(ngram),
         "--clusters", out + ".tmp"],
        check=True,
    )
    os.replace(out + ".tmp", out)
    say(f"exact Jaccard in {time.time() - t:.1f}s")
    return out


# ---------------------------------------------------------------- timing


def timed(cmd, bound, log_path):
    """Run cmd under /usr/bin/time -v (or getrusage when it is missing),
    killed after `bound` seconds. Returns (status, wall, cpu, rss_mb)."""
    tfile = log_path + ".time"
    use_time = os.path.exists("/usr/bin/time")
    full = (["/usr/bin/time", "-v", "-o", tfile] if use_time else []) + cmd
    t0 = time.perf_counter()
    before = os.times()
    with open(log_path, "w") as log:
        p = subprocess.Popen(full, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            rc = p.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return f"timeout after {bound} s", time.perf_counter() - t0, None, None
    wall = time.perf_counter() - t0
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    rss = None
    if use_time and os.path.exists(tfile):
        for line in open(tfile):
            line = line.strip()
            if line.startswith("Maximum resident set size"):
                rss = int(line.rsplit(":", 1)[1]) / 1024
            elif line.startswith("User time"):
                user = float(line.rsplit(":", 1)[1])
            elif line.startswith("System time"):
                cpu = user + float(line.rsplit(":", 1)[1])
    else:
        import resource

        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if rc != 0:
        tail = open(log_path, errors="replace").read()[-400:].strip().replace("\n", " | ")
        return f"failed (exit {rc}): {tail}", wall, cpu, rss
    return "ok", wall, cpu, rss


# ---------------------------------------------------------------- machine


def machine():
    cpu = platform.processor() or "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "os": platform.platform(), "python": platform.python_version()}


def version_of(cmd):
    r = run_quiet(cmd)
    return r.stdout.strip().split()[-1] if r.returncode == 0 and r.stdout.strip() else "?"


# ---------------------------------------------------------------- main


def save(records, name, smoke):
    if smoke:
        path = os.path.join(SCRATCH, "smoke.json")
    else:
        os.makedirs(RESULTS, exist_ok=True)
        path = os.path.join(RESULTS, f"{name}.json")
        if os.path.exists(path):  # keep earlier results of tools not run this time
            mine = {r["tool"] for r in records if "docs" in r}  # a skip does not erase a measurement
            old = [r for r in json.load(open(path)) if r["tool"] not in mine]
            records = old + [r for r in records if "docs" in r or not any(o["tool"] == r["tool"] for o in old)]
        records = sorted(records, key=lambda r: ALL_TOOLS.index(r["tool"]) if r["tool"] in ALL_TOOLS else 99)
    json.dump(records, open(path, "w"), indent=1)
    return path


def main():
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    ap.add_argument("--size", default="10k", help="1k, 10k, 100k, 1m or a number of documents")
    ap.add_argument("--tools", default=",".join(ALL_TOOLS), help="comma-separated: " + ",".join(ALL_TOOLS))
    ap.add_argument("--corpus", choices=["generated", "real"], default="generated")
    ap.add_argument("--smoke", action="store_true", help="1k documents, floor, thresh and datasketch, < 2 min")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dup-fraction", type=float, default=0.3)
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--ngram", type=int, default=5)
    ap.add_argument("--bound", type=int, help="seconds allowed per tool run (default by size)")
    ap.add_argument("--exact-limit", type=int, default=100_000, help="largest corpus for exact all-pairs Jaccard")
    ap.add_argument("--no-report", action="store_true", help="do not regenerate BENCHMARKS.md")
    ap.add_argument("--no-build", action="store_true",
                    help="use the release binaries already in the target folders (one fixed thresh for several runs, "
                         "no wait on a shared target folder)")
    args = ap.parse_args()
    if args.smoke:
        args.size, args.tools, args.corpus = "1k", "floor,thresh,datasketch", "generated"
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in ALL_TOOLS]
    if unknown:
        ap.error(f"unknown tools {unknown}; known: {ALL_TOOLS}")
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    command = "bench/run " + " ".join(shlex.quote(a) for a in sys.argv[1:])

    global build
    if args.no_build:
        build = lambda package: os.path.exists(binary("thresh" if package == "thresh-cli" else "thresh-gen"))  # noqa: E731
    if shutil.which("cargo") is None or not build("thresh-gen"):
        say("cargo or the thresh-gen build is unavailable: skipping the benchmark")
        return 0
    skip = {}
    if "thresh" in tools:
        why = thresh_ready()
        if why:
            skip["thresh"] = why
    skip.update({t: why for t, why in setup_venv(tools).items() if why})
    for t, why in skip.items():
        say(f"skipping {t}: {why}")

    if args.corpus == "generated":
        docs = SIZES.get(args.size.lower()) or int(args.size)
        corpus, labels = corpus_generated(docs, args.seed, args.dup_fraction)
        name = f"generated-{args.size.lower()}"
    else:
        got = corpus_real(args.seed)
        if got is None:
            say(f"real-text corpus skipped: {DATA} is absent")
            return 0
        corpus, labels = got
        name = "real"
    docs = sum(1 for line in open(corpus) if line.strip())
    nbytes = os.path.getsize(corpus)
    exact = exact_truth(corpus, args.threshold, args.ngram, args.exact_limit, docs)
    if args.smoke and exact:
        r = run_quiet([VPY if os.path.exists(VPY) else sys.executable, os.path.join(BENCH, "check_truth.py"), corpus,
                       exact, str(args.threshold), str(args.ngram)])
        say(f"check_truth: {r.stdout.strip()}")
        if r.returncode != 0:
            say("the Python shingler and the Rust exact-Jaccard truth disagree")
            return 1
    bound = args.bound or BOUNDS.get(docs, 1800)
    nproc = os.cpu_count() or 1
    outdir = os.path.join(SCRATCH, "runs", name)
    os.makedirs(outdir, exist_ok=True)
    mach = machine()
    records = []
    path = None
    for tool in tools:
        if tool in skip:
            records.append({"tool": tool, "status": "skipped: " + skip[tool]})
            continue
        clusters = os.path.join(outdir, f"{tool}.clusters.jsonl")
        meta_path = os.path.join(outdir, f"{tool}.meta.json")
        for p in (clusters, meta_path):
            if os.path.exists(p):
                os.remove(p)
        params = {"threshold": args.threshold, "num_perm": args.num_perm, "ngram": args.ngram}
        if tool == "floor":
            cmd = [binary("thresh-floor"), corpus]
            version, threads = version_of([binary("thresh-floor"), "--version"]), nproc
        elif tool == "thresh":
            sys.path.insert(0, os.path.join(BENCH, "peers"))
            import thresh_peer

            tdir = os.path.join(outdir, "thresh-out")
            cmd = thresh_peer.command(binary("thresh"), corpus, tdir, args.threshold, args.num_perm, args.ngram)
            version, threads = version_of([binary("thresh"), "--version"]), nproc
        else:
            script = os.path.join(BENCH, "peers", PEERS[tool][0])
            cmd = [VPY, script, corpus, "--out", clusters, "--meta", meta_path, "--threshold", str(args.threshold),
                   "--num-perm", str(args.num_perm), "--ngram", str(args.ngram), "--threads", str(nproc),
                   "--workdir", os.path.join(outdir, f"{tool}.work")]
            version, threads = "?", None
        say(f"{name}: {tool} …")
        status, wall, cpu, rss = timed(cmd, bound, os.path.join(outdir, f"{tool}.log"))
        rec = {"tool": tool, "version": version, "corpus": name, "docs": docs, "bytes": nbytes, "threads": threads,
               "wall_s": round(wall, 3), "cpu_s": None if cpu is None else round(cpu, 3),
               "peak_rss_mb": None if rss is None else round(rss, 1), "precision": None, "recall": None, "f1": None,
               "ari": None, "status": status, "bound_s": bound, "params": params, "command": command,
               "date": started, "machine": mach}
        if status == "ok":
            rec["docs_per_s"] = round(docs / wall, 1)
            rec["mb_per_s"] = round(nbytes / 1e6 / wall, 2)
            if tool == "thresh":
                thresh_peer.convert(os.path.join(tdir, "clusters.jsonl"), clusters)
                try:
                    summary = json.load(open(os.path.join(tdir, "summary.json")))
                    rec["stages"] = summary.get("seconds") or summary.get("stages")
                except (OSError, ValueError):
                    pass
            if os.path.exists(meta_path):
                meta = json.load(open(meta_path))
                rec["version"], rec["threads"] = meta.get("version", "?"), meta.get("threads")
                rec["stages"] = meta.get("stages")
            if tool != "floor" and os.path.exists(clusters):
                s = score.score(clusters, labels, docs)
                rec.update({k: s[k] for k in ("precision", "recall", "f1", "ari")})
                rec["pairs_found"], rec["pairs_true_labels"] = s["pairs_found"], s["pairs_true"]
                if exact:
                    e = score.score(clusters, exact, docs)
                    rec.update({k + "_exact": e[k] for k in ("precision", "recall", "f1", "ari")})
                    rec["pairs_true_exact"] = e["pairs_true"]
        say(f"{name}: {tool}: {status}, {wall:.1f}s wall, "
            f"{'?' if rss is None else round(rss)} MB, F1 {rec.get('f1')} (labels) {rec.get('f1_exact')} (exact)")
        records.append(rec)

        path = save(records, name, args.smoke)  # after every tool, so a stopped run keeps what it measured
    path = save(records, name, args.smoke)
    say(f"results in {os.path.relpath(path, ROOT)}")
    if not args.smoke and not args.no_report:
        subprocess.run([sys.executable, os.path.join(BENCH, "report.py")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
