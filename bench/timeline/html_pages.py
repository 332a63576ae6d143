"""HTML captures of the generator's snapshots, in the three kinds live-blog
pages come in, and a WARC that holds them.

    kind "jsonld"  schema.org LiveBlogPosting with a liveBlogUpdate per post
                   (headline, articleBody, datePublished with offset,
                   dateModified, author), and the visible page beside it
    kind "blocks"  one <article> per post with <time datetime> amid site
                   chrome (navigation, asides, share rows, teaser cards)
    kind "legacy"  no markup of posts: every line of the text snapshot a
                   paragraph of one content column, times only as text;
                   chrome in its usual elements around the column

A page is rendered from the snapshot's flat line list (text, role, ref) and
the spans where each post was printed (see gen_crawls.Blog.render_posts),
so the HTML shows exactly what the text snapshot shows: the same furniture
in the same places, the same copy of a post printed twice, the same
versions. Markup follows what publishers do, not what thresh looks for.
"""

import gzip
import hashlib
import html
import json
import uuid

import clocks

KINDS = ["jsonld", "blocks", "legacy"]

# Where furniture of each kind stands in the markup of a page.
FURNITURE_TAGS = {
    "chrome": ("nav", "site-nav"),
    "teaser": ("aside", "related-card"),
    "share": ("div", "share-tools"),
    "ad": ("div", "ad-slot"),
    "newsletter": ("div", "newsletter-signup"),
    "donate": ("div", "contributions-epic"),
    "donate_button": ("div", "contributions-epic"),
    "follow": ("div", "follow-prompt"),
    "comments": ("div", "comments-notice"),
    "copy_link": ("div", "copy-link"),
    "key_events_nav": ("nav", "key-events"),
}


def esc(text):
    return html.escape(text, quote=True)


class PageRenderer:
    """Renders one blog's snapshots as HTML of one kind."""

    def __init__(self, blog, kind, rng, warc=False):
        self.blog, self.kind, self.rng, self.warc = blog, kind, rng, warc
        self.url = f"https://news.example/{blog.topic.replace(' ', '-')}/live/{blog.id}"
        self.body_joiner = rng.choice(["\n\n", " "])  # how articleBody separates paragraphs

    # ------------------------------------------------------------ page

    def page(self, s, lines, spans):
        b = self.blog
        title = b.titles[s]
        head = [f"<title>{esc(title)}</title>", f'<link rel="canonical" href="{self.url}">']
        newest = b.visible[s][0].utc if b.visible[s] else b.captures[s]
        if self.kind != "jsonld":
            # Pages state when they were published and modified (a legacy
            # page with clock-only times is dated by these alone).
            head.append(f'<meta property="article:published_time" content="{self.iso(b.post_times[0])}">')
            head.append(f'<meta property="article:modified_time" content="{self.iso(newest)}">')
        else:
            head.append(self.json_ld(s, title))
        column = self.column(s, lines, spans)
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" + "".join(head) + "</head>\n"
                "<body><header class=\"masthead\"><a href=\"/\">Home</a> <a href=\"/news\">News</a></header>\n"
                f"<main><article class=\"live-blog\"><h1>{esc(title)}</h1>\n{column}</article></main>\n"
                "<footer class=\"site-footer\"><a href=\"/terms\">Terms</a> <a href=\"/privacy\">Privacy</a></footer>"
                "</body></html>\n")

    def iso(self, utc):
        return clocks.iso(self.blog.zone.local(utc))

    def column(self, s, lines, spans):
        """The page's column: head lines, posts (as blocks, or as plain
        paragraphs on a legacy page) and the furniture between them."""
        out, k = [], 0
        starts = {start: (end, post, copy) for start, end, post, copy in spans}
        while k < len(lines):
            if k in starts and self.kind != "legacy":
                end, post, copy = starts[k]
                out.append(self.block(s, post, copy, lines[k:end]))
                k = end
                continue
            j = k + 1
            text, role, ref = lines[k]
            while j < len(lines) and j not in starts and lines[j][1] == role and lines[j][2] == ref:
                j += 1
            out.append(self.run(lines[k:j]))
            k = j
        return "\n".join(x for x in out if x)

    def run(self, lines):
        """A run of lines of one role (and one furniture kind) outside posts."""
        text, role, ref = lines[0]
        if role in ("header", "title"):
            return ""  # the <title> and <h1> carry the title
        if role == "furniture":
            tag, cls = FURNITURE_TAGS.get(ref, ("div", "promo"))
            inner = self.furniture_inner(ref, [x for x, _, _ in lines])
            return f'<{tag} class="{cls}">{inner}</{tag}>'
        if role == "summary_label":
            return f'<h2 class="key-points-label">{esc(text)}</h2>'
        if role == "summary":
            return '<ul class="key-points">' + "".join(f"<li>{esc(x)}</li>" for x, _, _ in lines) + "</ul>"
        if role == "standfirst":
            return "".join(f'<p class="standfirst">{esc(x)}</p>' for x, _, _ in lines)
        if role == "day":
            return "".join(f'<h3 class="day-divider">{esc(x)}</h3>' for x, _, _ in lines)
        if role == "page_time":
            return "".join(f'<p class="page-updated">{esc(x)}</p>' for x, _, _ in lines)
        # A legacy page: a post's lines as plain paragraphs, times as text.
        return "".join(self.legacy_line(x, role) for x, role, _ in lines)

    def legacy_line(self, text, role):
        if role in ("stamp", "updated"):
            return f'<p class="time"><strong>{esc(text)}</strong></p>'
        return f"<p>{esc(text)}</p>"

    def furniture_inner(self, kind, texts):
        if kind in ("chrome", "share", "key_events_nav"):
            return " ".join(f'<a href="/{k}">{esc(x)}</a>' for k, x in enumerate(texts))
        if kind == "teaser":
            return f'<a href="/story/{len(texts[-1])}">' + "".join(f"<p>{esc(x)}</p>" for x in texts) + "</a>"
        if kind in ("donate_button", "copy_link"):
            return "".join(f"<button>{esc(x)}</button>" for x in texts)
        if kind in ("donate", "newsletter") and len(texts) > 1:
            *paras, button = texts
            return "".join(f"<p>{esc(x)}</p>" for x in paras) + f'<a class="button" href="/signup">{esc(button)}</a>'
        return "".join(f"<p>{esc(x)}</p>" for x in texts)

    # ------------------------------------------------------------ posts

    def block(self, s, post, copy, lines):
        """One post as an <article>: time and byline, headline, paragraphs,
        the furniture printed inside it (an ad slot, a share row)."""
        v = post.version_at(s)
        headline, body, _, _ = post.versions[v]
        fold = (lambda x: x.translate(QUOTE_FOLD)) if copy else (lambda x: x)
        clock = self.blog.fmt(post.utc, self.blog.zone, None)
        if self.kind == "blocks":
            when = f'<time datetime="{self.iso(post.utc)}">{esc(clock)}</time>'
        else:
            when = f'<span class="post-time">{esc(clock)}</span>'
        meta = [when]
        if post.author:
            meta.append(f'<span class="byline">{esc(post.author)}</span>')
        for text, role, _ in lines:
            if role == "updated":
                meta.append(f'<span class="updated">{esc(text)}</span>')
        parts = [f'<header class="post-meta">{" ".join(meta)}</header>']
        if headline:
            parts.append(f"<h2>{esc(fold(headline))}</h2>")
        body_lines = iter(body)
        # Walk the printed lines for where the furniture inside stands.
        seen_body = 0
        for text, role, ref in lines:
            if role == "post" and seen_body < len(body) and _is_body_line(text, body[seen_body], fold):
                parts.append(f"<p>{esc(fold(next(body_lines)))}</p>")
                seen_body += 1
            elif role == "furniture":
                tag, cls = FURNITURE_TAGS.get(ref, ("div", "promo"))
                parts.append(f'<{tag} class="{cls}">{self.furniture_inner(ref, [text])}</{tag}>')
        parts += [f"<p>{esc(fold(x))}</p>" for x in body_lines]
        ident = f"post-{post.id}" + ("-pinned" if copy else "")
        return f'<article class="live-post" id="{ident}">' + "".join(parts) + "</article>"

    def json_ld(self, s, title):
        b = self.blog
        updates = []
        for post in b.visible[s]:
            v = post.version_at(s)
            headline, body, _, start = post.versions[v]
            update = {"@type": "BlogPosting", "datePublished": self.iso(post.utc),
                      "articleBody": self.body_joiner.join(body)}
            if headline:
                update["headline"] = headline
            if v > 0:
                update["dateModified"] = self.iso(b.captures[start])
            if post.author:
                update["author"] = {"@type": "Person", "name": post.author}
            updates.append(update)
        posting = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": title,
                   "url": self.url, "datePublished": self.iso(b.post_times[0]),
                   "dateModified": self.iso(b.visible[s][0].utc if b.visible[s] else b.captures[s]),
                   "liveBlogUpdate": updates}
        if b.standfirsts[s]:
            posting["description"] = b.standfirsts[s]
        text = json.dumps(posting, ensure_ascii=False).replace("</", "<\\/")
        return f'<script type="application/ld+json">{text}</script>'


QUOTE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _is_body_line(printed, line, fold):
    """Whether a printed post line is this body line (a beside-stamp shape
    prints the stamp glued to the post's first line)."""
    return printed == fold(line) or printed.endswith(fold(line))


# ---------------------------------------------------------------- WARC


def warc_record(url, captured, page):
    """One gzip member: a WARC response record holding an HTTP response."""
    body = page.encode("utf-8")
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    record_id = uuid.UUID(hashlib.md5(url.encode() + captured.encode()).hexdigest())
    head = ("WARC/1.0\r\nWARC-Type: response\r\n"
            f"WARC-Target-URI: {url}\r\nWARC-Date: {captured}\r\n"
            f"WARC-Record-ID: <urn:uuid:{record_id}>\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return gzip.compress(head + http + b"\r\n\r\n", mtime=0)
