#!/usr/bin/env python3
"""Time `thresh extract` on one page of article markup at several sizes.

    python3 bench/page_size.py --thresh target/release/thresh [--sizes 1 4 16]

Each page is an <article> of sections (a heading, five paragraphs of
sixty seeded words, a link list) grown to SIZE megabytes; the same seed
gives the same pages. Prints seconds and peak memory per size: the basis of
the 16 MiB bound on a page (io::html::MAX_PAGE_BYTES). Pages are written to
a temporary directory and removed.
"""

import argparse
import os
import random
import subprocess
import tempfile

WORDS = ("the of and to in a is that for it as was with be by on not he this are "
         "or his from at which but have an they you were her she there").split()


def page(megabytes: int, rng: random.Random) -> str:
    def paragraph() -> str:
        return "<p>" + " ".join(rng.choice(WORDS) for _ in range(60)) + ".</p>"

    blocks, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        block = (f'<div class="c{i % 7}"><h2>Heading {i}</h2>'
                 + "".join(paragraph() for _ in range(5))
                 + f'<ul><li><a href="/x{i}">link {i}</a></li></ul></div>')
        blocks.append(block)
        size += len(block)
        i += 1
    return ("<html><head><title>Big</title></head><body><article>"
            + "".join(blocks) + "</article></body></html>")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--thresh", required=True)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16])
    args = ap.parse_args()
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in args.sizes:
            path = os.path.join(tmp, f"big{megabytes}.html")
            with open(path, "w") as out:
                out.write(page(megabytes, rng))
            timed = subprocess.run(
                ["/usr/bin/time", "-f", "%e %M", args.thresh, "extract", path,
                 "--out", os.devnull, "-q", "--skip-bad"],
                capture_output=True, text=True)
            seconds, kilobytes = timed.stderr.strip().splitlines()[-1].split()
            print(f"{os.path.getsize(path) / 1e6:.1f} MB: {seconds} s, "
                  f"{int(kilobytes) // 1024} MB peak")


if __name__ == "__main__":
    main()
