"""Regenerate BENCHMARKS.md and bench/results/scaling.svg from
bench/results/*.json (written by bench/run)."""

import glob
import json
import math
import os

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
RESULTS = os.path.join(BENCH, "results")
ORDER = ["floor", "thresh", "datasketch", "rensa", "gaoya", "datatrove", "text-dedup"]
COLORS = {"floor": "#888888", "thresh": "#d62728", "datasketch": "#1f77b4", "rensa": "#2ca02c",
          "gaoya": "#9467bd", "datatrove": "#ff7f0e", "text-dedup": "#8c564b"}


def fmt(x, digits=2):
    if x is None:
        return "—"
    if isinstance(x, float):
        if abs(x) >= 100:
            return f"{x:,.0f}"
        return f"{x:.{digits}f}"
    return str(x)


def ratio(a, b):
    if a is None or b is None or not b:
        return "—"
    return f"{a / b:.2f}×"


def load():
    corpora = {}
    for path in sorted(glob.glob(os.path.join(RESULTS, "*.json"))):
        name = os.path.splitext(os.path.basename(path))[0]
        corpora[name] = json.load(open(path))
    return corpora


def table(records):
    by = {r["tool"]: r for r in records}
    th = by.get("thresh") if by.get("thresh", {}).get("status") == "ok" else None
    lines = [
        "| tool | version | threads | wall s | CPU s | peak RSS MB | docs/s | MB/s "
        "| P | R | F1 | ARI | P exact | R exact | F1 exact | ARI exact | wall ÷ thresh | RSS ÷ thresh | status |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in sorted(records, key=lambda r: ORDER.index(r["tool"]) if r["tool"] in ORDER else 99):
        ok = r.get("status") == "ok"
        lines.append("| " + " | ".join([
            f"**{r['tool']}**" if r["tool"] == "thresh" else r["tool"],
            r.get("version", "—") or "—",
            fmt(r.get("threads")),
            fmt(r.get("wall_s")) if ok else "—",
            fmt(r.get("cpu_s")) if ok else "—",
            fmt(r.get("peak_rss_mb"), 0) if ok else "—",
            fmt(r.get("docs_per_s"), 0),
            fmt(r.get("mb_per_s")),
            fmt(r.get("precision"), 3), fmt(r.get("recall"), 3), fmt(r.get("f1"), 3), fmt(r.get("ari"), 3),
            fmt(r.get("precision_exact"), 3), fmt(r.get("recall_exact"), 3),
            fmt(r.get("f1_exact"), 3), fmt(r.get("ari_exact"), 3),
            ratio(r.get("wall_s"), th and th["wall_s"]) if ok else "—",
            ratio(r.get("peak_rss_mb"), th and th["peak_rss_mb"]) if ok else "—",
            r.get("status", "?").replace("|", "/")[:160],
        ]) + " |")
    return "\n".join(lines)


def svg(corpora):
    """Two log-log panels: wall seconds and peak RSS against documents."""
    series = {}
    for name, recs in corpora.items():
        if not name.startswith("generated-"):
            continue
        for r in recs:
            if r.get("status") == "ok":
                series.setdefault(r["tool"], []).append((r["docs"], r["wall_s"], r["peak_rss_mb"]))
    if not series:
        return None
    W, H, pad = 420, 300, 55
    docs = [p[0] for s in series.values() for p in s]
    x0, x1 = math.log10(min(docs)) - 0.1, math.log10(max(docs)) + 0.1

    def panel(ox, idx, title, unit):
        vals = [p[idx] for s in series.values() for p in s if p[idx]]
        y0, y1 = math.floor(math.log10(min(vals))), math.ceil(math.log10(max(vals)))
        if y0 == y1:
            y1 += 1
        X = lambda d: ox + pad + (math.log10(d) - x0) / (x1 - x0) * (W - pad - 10)  # noqa: E731
        Y = lambda v: H - pad + 10 - (math.log10(v) - y0) / (y1 - y0) * (H - pad - 20)  # noqa: E731
        out = [f'<text x="{ox + W / 2}" y="16" text-anchor="middle" font-size="13">{title}</text>',
               f'<line x1="{ox + pad}" y1="{H - pad + 10}" x2="{ox + W - 10}" y2="{H - pad + 10}" stroke="#000"/>',
               f'<line x1="{ox + pad}" y1="{H - pad + 10}" x2="{ox + pad}" y2="10" stroke="#000"/>']
        for e in range(y0, y1 + 1):
            y = Y(10**e)
            out.append(f'<line x1="{ox + pad}" y1="{y}" x2="{ox + W - 10}" y2="{y}" stroke="#ddd"/>')
            out.append(f'<text x="{ox + pad - 4}" y="{y + 4}" text-anchor="end" font-size="10">{10**e:g}</text>')
        for d in sorted(set(docs)):
            out.append(f'<text x="{X(d)}" y="{H - pad + 24}" text-anchor="middle" font-size="10">{d:,}</text>')
        out.append(f'<text x="{ox + W / 2}" y="{H - pad + 40}" text-anchor="middle" font-size="11">documents</text>')
        out.append(f'<text x="{ox + 12}" y="{H / 2}" font-size="11" transform="rotate(-90 {ox + 12} {H / 2})" '
                   f'text-anchor="middle">{unit}</text>')
        for tool, pts in series.items():
            pts = sorted(p for p in pts if p[idx])
            c = COLORS.get(tool, "#000")
            if len(pts) > 1:
                path = " ".join(f"{X(p[0]):.1f},{Y(p[idx]):.1f}" for p in pts)
                out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
            for p in pts:
                out.append(f'<circle cx="{X(p[0]):.1f}" cy="{Y(p[idx]):.1f}" r="3" fill="{c}"/>')
        return out

    parts = panel(0, 1, "Wall time", "seconds") + panel(W, 2, "Peak resident memory", "MB")
    for k, tool in enumerate(t for t in ORDER if t in series):
        x = 70 + k * 110
        parts.append(f'<rect x="{x}" y="{H + 8}" width="12" height="12" fill="{COLORS.get(tool, "#000")}"/>')
        parts.append(f'<text x="{x + 16}" y="{H + 18}" font-size="11">{tool}</text>')
    body = "\n".join(parts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 30}" '
            f'font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n{body}\n</svg>\n')


def main():
    corpora = load()
    order = sorted(corpora, key=lambda n: max((r.get("docs") or 0) for r in corpora[n]) if corpora[n] else 0)
    out = ["# Benchmarks", "",
           "<!-- Generated by bench/report.py from bench/results/*.json: edit those scripts, not this file. -->", "",
           "thresh against the deduplication tools people would otherwise pick, on the same corpora, in the same "
           "run, on the same machine, one tool after the other. Every tool gets the same shingles (word n-grams "
           "after thresh's normalization), the same Jaccard threshold and the same number of permutations; see "
           "[How it is measured](#how-it-is-measured).", ""]
    mach = next((r["machine"] for recs in corpora.values() for r in recs if r.get("machine")), None)
    if mach:
        out += ["## Machine", "",
                f"{mach['nproc']} cores ({mach['cpu']}), {mach['memory']} of memory, {mach['os']}, "
                f"Python {mach['python']}. The machine is shared with other engineers compiling: single runs are "
                "noisy, so compare ratios within one table (one run) rather than across tables.", ""]
    if os.path.exists(os.path.join(BENCH, "notes.md")):
        out += [open(os.path.join(BENCH, "notes.md")).read().strip(), ""]
    picture = svg(corpora)
    if picture:
        open(os.path.join(RESULTS, "scaling.svg"), "w").write(picture)
        out += ["## Time and memory against corpus size", "", "![time and memory](bench/results/scaling.svg)", ""]
    out += ["## Results", "",
            "P, R, F1, ARI: pairwise precision, recall, F1 and adjusted Rand index of the tool's clusters against "
            "the generator's labels; *exact*: against the connected components of all pairs whose exact Jaccard "
            "similarity (of the same shingle sets) is at least the threshold. `wall ÷ thresh` above 1 means slower "
            "than thresh. The floor only reads and splits words.", ""]
    for name in order:
        recs = corpora[name]
        if not recs:
            continue
        r0 = next((r for r in recs if r.get("docs")), {})
        p = r0.get("params", {})
        runs = {}  # a table may merge several runs (bench/run keeps the tools it did not rerun)
        for r in recs:
            if r.get("docs"):
                runs.setdefault((r.get("date"), r.get("command")), []).append(r["tool"])
        if len(runs) > 1:
            when = "; ".join(f"{d} ({', '.join(t)})" for (d, _), t in sorted(runs.items(), key=lambda kv: kv[0][0] or ""))
            cmds = "; ".join(f"`{c}`" for c in dict.fromkeys(c for (_, c) in sorted(runs, key=lambda k: k[0] or "")))
        else:
            when, cmds = r0.get("date"), f"`{r0.get('command')}`"
        out += [f"### {name}", "",
                f"{r0.get('docs', 0):,} documents, {r0.get('bytes', 0) / 1e6:,.1f} MB; threshold {p.get('threshold')}, "
                f"{p.get('num_perm')} permutations, {p.get('ngram')}-word shingles; time bound "
                f"{r0.get('bound_s')} s per tool; run {when}."
                + ("" if any(r.get("f1_exact") is not None for r in recs) else
                   f" **No exact-Jaccard truth for this corpus** (all-pairs exact Jaccard is capped at "
                   f"`--exact-limit` 100,000 documents), so the *exact* columns are empty; F1 is against the "
                   f"generator's labels only."), "",
                f"Command{'s' if len(runs) > 1 else ''}: {cmds}", "", table(recs), ""]
    out += [open(os.path.join(BENCH, "method.md")).read().strip(), ""]
    # Hand-measured sections (bench/sections/*.md, e.g. the end-to-end run, the timeline speed), verbatim, in
    # name order, after everything generated; README.md there only explains the folder.
    for path in sorted(glob.glob(os.path.join(BENCH, "sections", "*.md"))):
        if os.path.basename(path).lower() == "readme.md":
            continue
        out += [open(path, encoding="utf-8").read().rstrip("\n"), ""]
    open(os.path.join(ROOT, "BENCHMARKS.md"), "w").write("\n".join(out))
    print("wrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
