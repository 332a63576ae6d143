#!/usr/bin/env python3
"""Mozilla Readability's test pages in the article-extraction benchmark's layout.

    python3 bench/readability_as_aeb.py ../shared/data/readability bench/scratch/readability-set

Each case of the Readability set (`source.html`, the page, and
`expected.html`, the article Readability.js finds) becomes a page
`html/<case>.html.gz` and an entry of `ground-truth.json` whose
`articleBody` is the expected article as text: tags dropped, a line break
at every block element, none at inline ones (so `<b>D</b>ata` stays one
word), entities decoded. `bench/aeb_run`, `aeb_score.py` and
`aeb_trafilatura.py` then run on it unchanged. The pages stay in
`../shared`; the copy goes under the git-ignored `bench/scratch`.
"""

import gzip
import json
import sys
from html.parser import HTMLParser
from pathlib import Path

INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "img", "wbr",
}


class TextOf(HTMLParser):
    """The text of an HTML fragment, one block per line."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag not in INLINE:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag not in INLINE:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)

    def text(self):
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    cases = sorted(p for p in source.iterdir()
                   if (p / "source.html").is_file() and (p / "expected.html").is_file())
    if not cases:
        sys.exit(f"no Readability cases in {source}")
    (out / "html").mkdir(parents=True, exist_ok=True)
    truth = {}
    for case in cases:
        parser = TextOf()
        parser.feed((case / "expected.html").read_text(encoding="utf8", errors="replace"))
        truth[case.name] = {"articleBody": parser.text(), "url": None}
        page = (case / "source.html").read_bytes()
        (out / "html" / f"{case.name}.html.gz").write_bytes(gzip.compress(page, mtime=0))
    (out / "ground-truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    print(f"{len(cases)} Readability cases in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
