#!/usr/bin/env python3
"""Run trafilatura (Python) over the article-extraction benchmark's pages.

    bench/.venv/bin/python bench/aeb_trafilatura.py AEB_DIR OUT.json

Writes predictions for bench/aeb_score.py. Pages are read and gunzipped
before the clock starts; the time covers extraction only, one process,
default settings, comments excluded.
"""

import gzip
import json
import sys
import time
from pathlib import Path

import trafilatura


def main():
    aeb, out = Path(sys.argv[1]), Path(sys.argv[2])
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf8"))
    pages = {
        k: gzip.decompress((aeb / "html" / f"{k}.html.gz").read_bytes()).decode("utf8", "replace")
        for k in sorted(truth)
    }
    start = time.perf_counter()
    output = {}
    for k, html in pages.items():
        text = trafilatura.extract(html, url=truth[k].get("url"), include_comments=False)
        output[k] = {"articleBody": text or ""}
    secs = time.perf_counter() - start
    print(f"trafilatura {trafilatura.__version__}: {len(pages)} pages in {secs:.2f} s, "
          f"{len(pages) / secs:.1f} pages/s", file=sys.stderr)
    out.write_text(json.dumps({"version": f"trafilatura {trafilatura.__version__}",
                               "output": output, "seconds": secs}))


if __name__ == "__main__":
    main()
