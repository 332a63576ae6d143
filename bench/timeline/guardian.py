"""Real post texts from the Guardian live-blog fixtures in
../shared/data/guardian-liveblogs/ (TypeScript object literals).

Every block object is read (from `blocks`, `keyEvents` and `pinnedPost`, each
block once by its id), with regexes: its `title` and the `html` of its text,
quote and tweet elements, turned into
lines the way a text crawl prints them (one paragraph, list item or quote
paragraph per line). The fixtures' times are not used: the generator gives
posts times in the shape of the page it builds.
"""

import html
import os
import re

FIXTURES = ("perseverance-briefing.ts", "pmqs-sunak-starmer.ts", "key-events-blocks.ts")
DEFAULT_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data",
                                            "guardian-liveblogs"))
KEPT_TYPES = ("TextBlockElement", "BlockquoteBlockElement", "TweetBlockElement")

_ELEMENT = re.compile(r"_type: 'model\.dotcomrendering\.pageElements\.(\w+)',\s*\n\s*html: '((?:[^'\\]|\\.)*)'")
# A block is a `{` line followed by its 24-hex-digit id one indent deeper; it
# ends at the next `}` line at its own indent.
_BLOCK = re.compile(r"^(\t+)\{\n\1\tid: '([0-9a-f]{24})',\n(.*?)^\1\},?$", re.M | re.S)
# A title: a single- or double-quoted string literal.
_TITLE_VALUE = r"title: (?:'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"),?$"


def load_blocks(directory=DEFAULT_DIR):
    """[(title or None, [lines])] for every distinct block with text, in
    fixture order (newest first within a blog), or None when the fixtures
    are absent."""
    paths = [os.path.join(directory, f) for f in FIXTURES]
    if not all(os.path.exists(p) for p in paths):
        return None
    blocks, seen = [], set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for block_id, block in _blocks_of(f.read()):
                if block_id not in seen:
                    seen.add(block_id)
                    blocks.append(block)
    return blocks


def _blocks_of(source):
    for m in _BLOCK.finditer(source):
        indent, block_id, body = m.groups()
        # The block's own title sits one indent deeper than its braces; a
        # deeper `title:` belongs to a rich link inside it.
        own = re.compile("^" + indent + "\t" + _TITLE_VALUE, re.M)
        lines = [line for typ, raw in _ELEMENT.findall(body) if typ in KEPT_TYPES
                 for line in html_lines(js_unescape(raw))]
        if not lines:
            continue
        t = own.search(body)
        title = js_unescape(t.group(1) or t.group(2) or "").strip() if t else ""
        yield block_id, (html.unescape(title) or None, lines)


def js_unescape(s):
    """Undo the escapes of a JavaScript string literal."""
    def one(m):
        c = m.group(1)
        if c.startswith("u"):
            return chr(int(c[1:], 16))
        return {"n": "\n", "t": "\t", "r": ""}.get(c, c)
    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", one, s)


_BREAKS = re.compile(r"<br\s*/?>|</?(?:p|li|ul|ol|blockquote|h[1-6]|div|figcaption)\b[^>]*>", re.I)


def html_lines(fragment):
    """An HTML fragment as the lines a text crawl would print."""
    text = _BREAKS.sub("\n", fragment)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


if __name__ == "__main__":
    blocks = load_blocks()
    if blocks is None:
        print("fixtures absent")
    else:
        print(len(blocks), "blocks")
        for title, lines in blocks[:3]:
            print(repr(title), lines[:3])
