"""The real-text corpus: news article bodies from ../shared/data and the seeds,
plus copies made from them by realistic edits, with known clusters.

Sources (read in place, never copied into the repository): aeb/ground-truth.json
article bodies; readability/*/expected.html as text; Reuters-21578 BODY texts;
the Lee corpus (lee.cor, lee_background.cor; one document a line); the seeds;
nyt-versions/*.jsonl, real repeat crawls, whose captures of one article are
labelled as one cluster. About 30 % more documents are copies of a source
document: exact, re-crawl (paragraphs of another source appended or
prepended), revision (paragraph deleted or inserted, words changed), syndicated
(boilerplate header and footer, straight quotes), restyled quotes, truncated.
Labels are what the construction knows: sources that happen to repeat each
other (a few readability test pages carry the same article) are not labelled,
which the exact-Jaccard truth catches."""

import argparse
import glob
import html
import json
import os
import random
import re
from html.parser import HTMLParser

BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "section", "article",
         "figcaption", "ul", "ol", "table"}


class Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [""], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in BLOCK:
            self.parts.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        if tag in BLOCK:
            self.parts.append("")

    def handle_data(self, data):
        if not self.skip:
            self.parts[-1] += data

    def text(self):
        paras = [re.sub(r"\s+", " ", p).strip() for p in self.parts]
        return "\n".join(p for p in paras if p)


def html_text(path):
    t = Text()
    t.feed(open(path, encoding="utf-8", errors="replace").read())
    return t.text()


def sources(data, seeds):
    out = []  # (source, title, text, group or None)
    gt = os.path.join(data, "aeb", "ground-truth.json")
    if os.path.exists(gt):
        for k, v in sorted(json.load(open(gt, encoding="utf-8")).items()):
            body = (v.get("articleBody") or "").strip()
            if body:
                out.append((f"aeb/{k}", "", body, None))
    for p in sorted(glob.glob(os.path.join(data, "readability", "*", "expected.html"))):
        name = p.split(os.sep)[-2]
        meta = os.path.join(os.path.dirname(p), "expected-metadata.json")
        title = json.load(open(meta)).get("title") or "" if os.path.exists(meta) else ""
        out.append((f"readability/{name}", title, html_text(p), None))
    for p in sorted(glob.glob(os.path.join(data, "reuters", "*", "*.xml"))):
        x = open(p, encoding="utf-8", errors="replace").read()
        body = re.search(r"<BODY>(.*?)</BODY>", x, re.S)
        title = re.search(r"<TITLE>(.*?)</TITLE>", x, re.S)
        if body:
            text = html.unescape(body.group(1)).replace(" Reuter\n&#3;", "")
            paras = [re.sub(r"\s+", " ", q).strip() for q in re.split(r"\n\s{3,}", text)]
            out.append((f"reuters/{os.path.basename(p)}", html.unescape(title.group(1)) if title else "",
                        "\n".join(q for q in paras if q), None))
    for name in ("lee.cor", "lee_background.cor"):
        p = os.path.join(data, "lee", name)
        if os.path.exists(p):
            for i, line in enumerate(open(p, encoding="utf-8", errors="replace")):
                if line.strip():
                    out.append((f"lee/{name}:{i + 1}", "", line.strip(), None))
    for p in sorted(glob.glob(os.path.join(data, "nyt-versions", "*.jsonl"))):
        for i, line in enumerate(open(p, encoding="utf-8")):
            d = json.loads(line)
            text = "\n".join(q.strip() for q in re.split(r"\n\s*\n", d.get("text") or "") if q.strip())
            if text:
                out.append((f"nyt/{os.path.basename(p)}:{i + 1}", d.get("title") or "", text, "nyt:" + p))
    for p in sorted(glob.glob(os.path.join(seeds, "*.txt"))):
        lines = open(p, encoding="utf-8").read().split("\n")
        title = ""
        if lines and lines[0].startswith(" date "):
            title = lines[0][len(" date YYYY-MM-DD "):].strip()
            lines = lines[1:]
        out.append((f"seeds/{os.path.basename(p)}", title, "\n".join(x for x in lines if x.strip()), None))
    return [s for s in out if len(s[2]) >= 200]


BOILER = [
    ("Share this article: Facebook Twitter Email", "Copyright 2024 Wire Services. All rights reserved. "
     "This material may not be published, broadcast, rewritten or redistributed."),
    ("Advertisement", "Sign up for our morning newsletter to get the day's top stories in your inbox."),
    ("From our correspondents", "Reporting by staff; editing by the news desk. Read more at our website."),
]


def straighten(t):
    return t.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def curl(t):
    out, open_q = [], True
    for c in t:
        if c == '"':
            out.append("\u201c" if open_q else "\u201d")
            open_q = not open_q
        elif c == "'":
            out.append("\u2019")
        else:
            out.append(c)
    return "".join(out)


def edit(rng, text, filler):
    paras = text.split("\n")
    kind = rng.choices(["exact", "recrawl", "revise", "syndicate", "restyle", "truncate"], [12, 22, 25, 24, 9, 8])[0]
    if kind == "recrawl":
        new = rng.sample(filler, k=min(len(filler), rng.randint(1, 2)))
        paras = new + paras if rng.random() < 0.5 else paras + new
    elif kind == "revise":
        for _ in range(rng.randint(1, 3)):
            op = rng.randrange(3)
            if op == 0 and len(paras) > 3:
                paras.pop(rng.randrange(len(paras)))
            elif op == 1:
                paras.insert(rng.randrange(len(paras) + 1), rng.choice(filler))
            else:
                i = rng.randrange(len(paras))
                words = paras[i].split(" ")
                for _ in range(rng.randint(1, 3)):
                    words[rng.randrange(len(words))] = rng.choice(rng.choice(filler).split(" "))
                paras[i] = " ".join(words)
    elif kind == "syndicate":
        head, foot = rng.choice(BOILER)
        paras = ([head] if rng.random() < 0.5 else []) + paras + [foot]
        if rng.random() < 0.5:
            paras = [straighten(p) for p in paras]
    elif kind == "restyle":
        t = "\n".join(paras)
        paras = (curl(t) if t == straighten(t) else straighten(t)).replace(". ", ".  ").split("\n")
    elif kind == "truncate" and len(paras) > 4:
        paras = paras[: max(3, int(len(paras) * rng.uniform(0.75, 0.95)))] + ["Subscribe to continue reading."]
    return "\n".join(paras), kind


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--copies", type=float, default=0.3, help="copies per source document")
    ap.add_argument("--out", required=True)
    ap.add_argument("--truth", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    src = sources(args.data, args.seeds)
    filler = [p for s in src if s[0].startswith("lee/lee_background") for p in s[2].split("\n")] or ["More to follow."]
    docs, groups = [], {}
    for k, (name, title, text, group) in enumerate(src):
        doc_id = f"r{len(docs):05d}"
        docs.append({"id": doc_id, "url": name, "date": "", "title": title, "text": text})
        groups.setdefault(group or doc_id, []).append(doc_id)
    originals = [d for d in docs if not d["url"].startswith("nyt/")]
    for _ in range(int(len(originals) * args.copies)):
        base = rng.choice(originals)
        text, kind = edit(rng, base["text"], filler)
        doc_id = f"r{len(docs):05d}"
        docs.append({"id": doc_id, "url": f"{base['url']}#{kind}", "date": "", "title": base["title"], "text": text})
        groups[next(g for g, m in groups.items() if base["id"] in m)].append(doc_id)
    order = list(range(len(docs)))
    rng.shuffle(order)
    with open(args.out, "w", encoding="utf-8") as f:
        for i in order:
            f.write(json.dumps(docs[i], ensure_ascii=False) + "\n")
    with open(args.truth, "w", encoding="utf-8") as f:
        k = 0
        for members in groups.values():
            if len(members) >= 2:
                f.write(json.dumps({"cluster": k, "members": sorted(members)}) + "\n")
                k += 1
    print(f"real corpus: {len(src)} source documents, {len(docs)} in all, {k} labelled clusters")


if __name__ == "__main__":
    main()
