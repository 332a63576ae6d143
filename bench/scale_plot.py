"""Draw bench/results/scale.svg from bench/results/scale.jsonl (written by
bench/scale.sh): wall seconds and peak RSS against documents, log-log, one
point per run (the last run of each size and budget), with the line a cost
linear in documents would follow from the smallest run.

Usage: python3 bench/scale_plot.py
"""

import json
import math
import os

BENCH = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(BENCH, "results")
W, H, PAD = 360, 260, 50


def runs():
    latest = {}
    with open(os.path.join(RESULTS, "scale.jsonl")) as lines:
        for line in lines:
            run = json.loads(line)
            latest[(run["memory"], run["docs"])] = run
    return sorted(latest.values(), key=lambda run: (run["memory"], run["docs"]))


def panel(x0, title, unit, points, linear_from):
    """One log-log panel: `points` are (docs, value)."""
    xs = [docs for docs, _ in points]
    ys = [value for _, value in points] + [linear_from[1] * max(xs) / linear_from[0]]
    lx = (math.log10(min(xs)) - 0.2, math.log10(max(xs)) + 0.2)
    ly = (math.log10(min(ys)) - 0.3, math.log10(max(ys)) + 0.3)

    def at(docs, value):
        x = x0 + PAD + (math.log10(docs) - lx[0]) / (lx[1] - lx[0]) * (W - 1.5 * PAD)
        y = H - PAD + 20 - (math.log10(value) - ly[0]) / (ly[1] - ly[0]) * (H - 1.5 * PAD)
        return x, y

    out = [f'<text x="{x0 + W / 2}" y="18" text-anchor="middle" font-size="14">{title}</text>']
    left, bottom = at(10 ** lx[0], 10 ** ly[0])
    right, top = at(10 ** lx[1], 10 ** ly[1])
    out.append(f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
               'fill="none" stroke="#999"/>')
    for exponent in range(math.ceil(lx[0]), math.floor(lx[1]) + 1):
        x, _ = at(10 ** exponent, 10 ** ly[0])
        out.append(f'<text x="{x}" y="{bottom + 16}" text-anchor="middle" font-size="11">'
                   f'1e{exponent}</text>')
    for exponent in range(math.ceil(ly[0]), math.floor(ly[1]) + 1):
        _, y = at(10 ** lx[0], 10 ** exponent)
        out.append(f'<text x="{left - 4}" y="{y + 4}" text-anchor="end" font-size="11">'
                   f'{10 ** exponent:g}</text>')
    out.append(f'<text x="{x0 + W / 2}" y="{H + 12}" text-anchor="middle" font-size="11">'
               f'documents</text>')
    out.append(f'<text x="{x0 + 12}" y="{H / 2}" font-size="11" '
               f'transform="rotate(-90 {x0 + 12} {H / 2})" text-anchor="middle">{unit}</text>')
    a = at(linear_from[0], linear_from[1])
    b = at(max(xs), linear_from[1] * max(xs) / linear_from[0])
    out.append(f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" stroke="#aaa" '
               'stroke-dasharray="4 3"/>')
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(d, v) for d, v in points))
    out.append(f'<polyline points="{path}" fill="none" stroke="#d62728"/>')
    for docs, value in points:
        x, y = at(docs, value)
        out.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="#d62728"/>')
        out.append(f'<text x="{x + 6}" y="{y - 6}" font-size="10">{value:,.0f}</text>')
    return out


def main():
    default = [run for run in runs() if run["memory"] == "default"]
    time = [(run["docs"], run["wall_s"]) for run in default]
    memory = [(run["docs"], run["peak_rss_mb"]) for run in default]
    body = panel(0, "wall seconds (dashed: linear)", "seconds", time, time[0])
    body += panel(W, "peak RSS, MB (dashed: linear)", "MB", memory, memory[0])
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 20}" '
           f'font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n'
           + "\n".join(body) + "\n</svg>\n")
    with open(os.path.join(RESULTS, "scale.svg"), "w") as out:
        out.write(svg)


if __name__ == "__main__":
    main()
