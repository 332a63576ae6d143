"""HTML captures rewritten in the markup other publishers use, to score the
timeline on post markup it was not built against.

gen_crawls.py --as html writes its "blocks" pages one way (an <article
class="live-post"> per post, <time datetime> in a <header>) and its "jsonld"
pages one way (a top-level LiveBlogPosting, bodies as text). Publishers vary
both. This copies a crawl set and rewrites those pages as one variant; the
truth (truth.json) is unchanged, so score.py scores the copy as it is.

Variants of the "blocks" pages:
    listitem    each post's <article> alone in an <li> of an <ol> stream
    plaindiv    posts as plain <div>s (no class, no id) inside the page's <article>
    blockdiv    <div id="block-…" class="block …">, the time in a <p>
    section     <section data-post-id> with an unrelated class
    timelast    the time and byline after the post's text
    printed     <time> without datetime: the clock only as text
    utc         datetime in UTC with milliseconds and Z
    naive       datetime without a zone
    updated     an edited post's update time as a <time datetime> before its
                publication time ("Updated <time>…</time>")
    address     the byline in an <address> with a rel="author" link
    stronghead  the headline as the post's first paragraph, in <strong>
    timelink    the time inside a link to the post ("#block-…")
    reverse     the stream oldest first
    dateonly    datetime gives the day only; the clock is the <time>'s text
    microdata   schema.org microdata: the page a LiveBlogPosting item, each
                post a liveBlogUpdate with datePublished, author, articleBody
Variants of the "legacy" pages (no markup of posts: one column of
paragraphs, stamps in <p class="time"><strong>):
    bare        stamps as plain paragraphs, no class, no <strong>
    h3time      stamps as <h3> headings
    divsoup     every paragraph a <div>, stamps too
    brlines     the paragraphs between two stamps one <p>, lines split by <br>
Variants of the "jsonld" pages:
    graph       the LiveBlogPosting in an @graph beside a WebPage
    mainentity  the LiveBlogPosting as a WebPage's mainEntity
    twoscripts  a NewsArticle script before the LiveBlogPosting's
    textbody    updates' text under "text", not "articleBody"
    htmlbody    articleBody written as HTML paragraphs
    partial     only the newest five updates in the JSON-LD; the page shows all
    headlines   updates by headline and time only (no articleBody): the
                posts are read from the page, whose times are printed text
    utc, naive  as above, for datePublished

    python3 bench/timeline/gen_crawls.py --seed 75 --blogs 20 --as html --out /tmp/tl75h
    python3 bench/timeline/markup_variants.py /tmp/tl75h /tmp/tl75h-listitem listitem
    python3 bench/timeline/score.py --thresh target/release/thresh --crawls /tmp/tl75h-listitem
"""

import argparse
import html as html_lib
import json
import os
import re
import shutil
from datetime import datetime, timedelta, timezone

BLOCK_VARIANTS = ["listitem", "plaindiv", "blockdiv", "section", "timelast", "printed", "utc", "naive", "updated",
                  "address", "stronghead", "timelink", "reverse", "dateonly", "microdata"]
JSONLD_VARIANTS = ["graph", "mainentity", "twoscripts", "textbody", "htmlbody", "headlines", "partial", "utc", "naive"]
LEGACY_VARIANTS = ["bare", "h3time", "divsoup", "brlines"]
VARIANTS = sorted(set(BLOCK_VARIANTS) | set(JSONLD_VARIANTS) | set(LEGACY_VARIANTS))
STAMP_P = re.compile(r'<p class="time"><strong>(.*?)</strong></p>')

POST = re.compile(r'<article class="live-post" id="post-([^"]+)">(.*?)</article>', re.S)
META = re.compile(r'<header class="post-meta">(.*?)</header>', re.S)
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def utc_iso(text):
    return datetime.fromisoformat(text).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def rewrite_post(variant, ident, inner):
    """One post's <article> as the variant writes it."""
    if variant == "listitem":
        return f'<li class="stream-item"><article class="stream-entry">{inner}</article></li>'
    if variant == "plaindiv":
        return "<div>" + META.sub(r"<div>\1</div>", inner, count=1) + "</div>"
    if variant == "blockdiv":
        inner = META.sub(r'<p class="block-time published-time">\1</p>', inner, count=1)
        return f'<div id="block-{ident}" class="block block--content">{inner}</div>'
    if variant == "section":
        return f'<section data-post-id="{ident}" class="c-item">{inner}</section>'
    if variant == "timelast":
        meta = META.search(inner)
        inner = inner.replace(meta.group(0), "") + f"<footer>{meta.group(1)}</footer>"
    elif variant == "printed":
        inner = re.sub(r'<time datetime="[^"]+">', "<time>", inner)
    elif variant == "utc":
        inner = re.sub(r'datetime="([^"]+)"', lambda m: f'datetime="{utc_iso(m.group(1))}"', inner)
    elif variant == "naive":
        inner = re.sub(r'datetime="([^"]{19})[^"]*"', r'datetime="\1"', inner)
    elif variant == "microdata":
        return microdata_post(ident, inner)
    elif variant == "address":
        inner = re.sub(r'<span class="byline">(.*?)</span>', r'<address>By <a rel="author" href="/profile">\1</a></address>', inner)
    elif variant == "dateonly":
        inner = re.sub(r'<time datetime="(\d{4}-\d\d-\d\d)T[^"]*">', r'<time datetime="\1">', inner)
    elif variant == "stronghead":
        inner = re.sub(r"<h2>(.*?)</h2>", r"<p><strong>\1</strong></p>", inner)
    elif variant == "timelink":
        inner = re.sub(r'(<time datetime="[^"]+">.*?</time>)', rf'<a href="#post-{ident}">\1</a>', inner)
    elif variant == "updated":
        inner = re.sub(r'<span class="updated">(.*?)</span>', "", inner)
        published = re.search(r'<time datetime="([^"]+)">', inner)
        if published and "post-meta" in inner:
            later = datetime.fromisoformat(published.group(1)) + timedelta(minutes=47)
            update = f'<span class="updated">Updated <time datetime="{later.isoformat()}">{later:%H:%M}</time></span> '
            inner = inner.replace('<header class="post-meta">', '<header class="post-meta">' + update, 1)
    return f'<article class="live-post" id="post-{ident}">{inner}</article>'


def microdata_post(ident, inner):
    """A post as a liveBlogUpdate item: its time, author and headline as
    properties, the rest of its elements as the articleBody."""
    meta = META.search(inner)
    head = re.sub(r"<time ", '<time itemprop="datePublished" ', meta.group(1))
    head = re.sub(r'<span class="byline">(.*?)</span>',
                  r'<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
                  r'<span itemprop="name">\1</span></span>', head)
    rest = inner.replace(meta.group(0), "")
    headline = re.match(r"<h2>.*?</h2>", rest)
    if headline:
        rest = rest[headline.end():]
        head += headline.group(0).replace("<h2>", '<h2 itemprop="headline">')
    return (f'<div id="{ident}" itemprop="liveBlogUpdate" itemscope itemtype="https://schema.org/BlogPosting">'
            f'{head}<div itemprop="articleBody">{rest}</div></div>')


def rewrite_blocks(variant, page):
    if variant == "reverse":
        posts = list(POST.finditer(page))
        for old, new in zip(posts, reversed(posts)):
            page = page.replace(old.group(0), "\0" + new.group(0).replace("<article", "<article data-moved", 1), 1)
        return page.replace("\0", "").replace("<article data-moved", "<article")
    page = POST.sub(lambda m: rewrite_post(variant, m.group(1), m.group(2)), page)
    if variant == "microdata":
        page = page.replace('<article class="live-blog">',
                            '<article class="live-blog" itemscope itemtype="https://schema.org/LiveBlogPosting">')
    if variant == "listitem":
        page = page.replace('<article class="live-blog">', '<div class="live-blog"><ol class="stream">')
        page = page.replace("</article></main>", "</ol></div></main>")
    return page


def rewrite_legacy(variant, page):
    if variant == "bare":
        return STAMP_P.sub(r"<p>\1</p>", page)
    if variant == "h3time":
        return STAMP_P.sub(r"<h3>\1</h3>", page)
    if variant == "divsoup":
        page = STAMP_P.sub(r"<div>\1</div>", page)
        return re.sub(r"<p>(.*?)</p>", r"<div>\1</div>", page)
    # brlines: runs of plain paragraphs become one paragraph of lines.
    return re.sub(r"(?:<p>(?:(?!</p>).)*</p>)+",
                  lambda m: "<p>" + "<br>".join(re.findall(r"<p>(.*?)</p>", m.group(0))) + "</p>", page)


def rewrite_json_ld(variant, page):
    found = JSON_LD.search(page)
    data = json.loads(found.group(1).replace("<\\/", "</"))
    updates = data["liveBlogUpdate"]
    before = ""
    if variant == "graph":
        data.pop("@context")
        data = {"@context": "https://schema.org",
                "@graph": [{"@type": "WebPage", "name": data["headline"], "url": data["url"]}, data]}
    elif variant == "mainentity":
        data.pop("@context")
        data = {"@context": "https://schema.org", "@type": "WebPage", "mainEntity": data}
    elif variant == "twoscripts":
        article = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": data["headline"],
                   "datePublished": data["datePublished"], "articleBody": "Follow the latest updates."}
        before = script(article)
    elif variant == "textbody":
        for u in updates:
            u["text"] = u.pop("articleBody")
    elif variant == "htmlbody":
        for u in updates:
            u["articleBody"] = "".join(f"<p>{html_lib.escape(p)}</p>"
                                       for p in u["articleBody"].split("\n\n") if p)
    elif variant == "partial":
        del updates[5:]
    elif variant == "headlines":
        for u in updates:
            u.pop("articleBody")
    elif variant == "utc":
        for u in updates:
            u["datePublished"] = utc_iso(u["datePublished"])
    elif variant == "naive":
        for u in updates:
            u["datePublished"] = u["datePublished"][:19]
    return page.replace(found.group(0), before + script(data))


def script(data):
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", help="a crawl set written by gen_crawls.py --as html")
    ap.add_argument("out", help="where to write the rewritten copy (replaced)")
    ap.add_argument("variant", choices=VARIANTS)
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    shutil.copytree(args.source, args.out)
    with open(os.path.join(args.source, "truth.json"), encoding="utf-8") as f:
        kinds = {b["id"]: b.get("page_kind") for b in json.load(f)["blogs"]}
    for blog, kind in kinds.items():
        if kind == "blocks" and args.variant in BLOCK_VARIANTS:
            rewrite = rewrite_blocks
        elif kind == "jsonld" and args.variant in JSONLD_VARIANTS:
            rewrite = rewrite_json_ld
        elif kind == "legacy" and args.variant in LEGACY_VARIANTS:
            rewrite = rewrite_legacy
        else:
            continue
        folder = os.path.join(args.out, blog)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    page = f.read()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(rewrite(args.variant, page))


if __name__ == "__main__":
    main()
