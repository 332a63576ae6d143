#!/usr/bin/env python3
"""Seeded generator of repeated text crawls of live blogs, with their truth.

    python3 bench/timeline/gen_crawls.py --seed 1 --blogs 20 --out DIR

writes DIR/blogNN/ (3–5 text snapshots of one live blog, like examples/*.txt,
and nothing else, so `thresh timeline DIR/blogNN` reads only snapshots) and
DIR/truth.json (every blog's true posts, furniture and line roles).

Each blog is one publisher's page in one of several shapes (SHAPES): posts
with or without headlines; byline/time lines before, after or beside the
posts; clocks such as "10.32am GMT", "16:53", "Andy Gregory1 November 2024
20:00", ISO, "Nov. 1, 2024, 4:53 p.m. ET"; single- and multi-day blogs (day
dividers where the shape prints them). Between crawls new posts arrive on
top, older posts are edited (a sentence appended or replaced, a paragraph
added, a word fixed, a headline changed), a post may be printed twice in one
crawl (the copy with ' for ’), and the standfirst and key points grow and
change. Furniture comes from furniture.py's templates (each site its own
wording), placed at the top and bottom, between posts, directly above posts
without headlines, inside long posts; posts hold lines without closing
punctuation (tweets, captions, quote lead-ins, readers' comments, lists).

Post texts come from a seeded grammar (textgen.py) and, when
../shared/data/guardian-liveblogs is present, also from the Guardian
fixtures' real posts (guardian.py); without the fixtures the generator says
so and uses the grammar alone. Same seed, same files, byte for byte.
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
from datetime import datetime, timedelta, timezone

# The helper modules sit beside this script; write no __pycache__ into the repository.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import clocks  # noqa: E402
import guardian  # noqa: E402
import html_pages  # noqa: E402
from furniture import SiteFurniture, phrasings  # noqa: E402
from textgen import TOPICS, NewsText, cap, expand, person_name  # noqa: E402

# ---------------------------------------------------------------- shapes
# headline: share of posts with a headline. position: where the byline/time
# stands (before the post, after it, or beside: on the post's first line).
# clock: formats (one is chosen per blog). author: how the author is
# printed with the time. date_line: share of snapshots with a
# ` date YYYY-MM-DD Title` first line (clock-only formats always get one,
# or their posts could not be dated).
SHAPES = {
    "indy": dict(headline=0.9, position="after", clock=["glued"], author="glued", date_line=0.7,
                 zone=["uk"], donate_top=1.0, key_points=0.5),
    "guardian": dict(headline=0.5, position="before", clock=["g12", "g24"], author="line_after_time",
                     date_line=1.0, zone=["uk"], copy_link_posts=0.8, updated_lines=True, key_points=1.0,
                     key_events_nav=0.6),
    "bbc": dict(headline=0.85, position="before", clock=["c24"], author=None, date_line=1.0, zone=["uk"],
                day_dividers=True, page_time=True, key_points=0.4),
    "wire_iso": dict(headline=1.0, position="beside", clock=["iso", "iso_z"], author=None, date_line=0.5,
                     zone=["utc", "uk", "cet"], key_points=0.3),
    "us_live": dict(headline=0.25, position="before", clock=["us"], author="line_after_time", date_line=0.5,
                    zone=["us_et"], key_points=0.6),
    "nohead_after": dict(headline=0.0, position="after", clock=["g12", "g24"], author="comma", date_line=1.0,
                         zone=["uk"], key_points=0.5),
    "eu_beside": dict(headline=0.5, position="beside", clock=["c24"], author=None, date_line=1.0, zone=["cet"],
                      day_dividers=True, key_points=0.4),
    "continental": dict(headline=0.95, position="after", clock=["cet"], author="line_before_time",
                        date_line=0.6, zone=["cet"], key_points=0.4),
}
SHAPE_NAMES = list(SHAPES)

SUMMARY_LABELS = ["{Key|Main} {points|events|developments}", "What we know so far", "{Summary|Catch up|Recap}",
                  "The latest{| at a glance}", "Here{’s| is} what you need to know", "{Today|So far} at a glance",
                  "{In brief|Key takeaways}{|:}"]
NAV_LABELS = ["Key events", "{Show|Jump to} key events", "Highlights", "Top moments", "Pinned updates"]
IN_POST_CALLS = ["You can {read|follow} {our|the} {full story|explainer|earlier coverage|live blog} here.",
                 "{Send|Email} us your {views|questions|photos} and we’ll {use|publish} some of them.",
                 "{Our|The} {correspondent|reporter} has more in this {report|video|piece}."]

QUOTE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
SENTENCE_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”’\"]))\s+(?=[A-Z“‘\"])")


class Post:
    """One true post: its time, author and versions (oldest first)."""

    def __init__(self, utc, author, headline, body, kinds):
        self.id = None
        self.utc = utc
        self.author = author
        self.key_event = False
        self.final = (headline, body, kinds)
        # versions: [(headline, body, kinds, first snapshot index)]
        self.versions = []
        self.edits = []
        self.inner_ad_after = None
        self.share_after = False
        self.visible = []

    def version_at(self, s):
        """Index of the version shown in snapshot s."""
        return max(i for i, v in enumerate(self.versions) if v[3] <= s)


class Blog:
    def __init__(self, blog_id, shape_name, rng, blocks, words=None):
        self.id, self.shape_name, self.rng = blog_id, shape_name, rng
        self.shape = {"author": None, "key_points": 0.5, **SHAPES[shape_name]}
        self.topic = rng.choice(sorted(TOPICS))
        self.text = NewsText(self.topic, rng)
        self.blocks = blocks  # real post texts, or None for the grammar
        self.site = SiteFurniture(rng, self.topic, words)
        self.zone = clocks.ZONES[rng.choice(self.shape["zone"])]
        self.clock = rng.choice(self.shape["clock"])
        self.fmt = clocks.FORMATS[self.clock]
        self.multi_day = rng.random() < 0.4
        self.authors = [person_name(rng) for _ in range(rng.randint(1, 3))]
        self.options()

    # ------------------------------------------------------------ planning

    def options(self):
        r, sh = self.rng, self.shape
        self.n_snapshots = r.randint(3, 5)
        self.furniture_rate = r.uniform(0.15, 0.4)
        self.page_limit = r.randint(14, 24) if r.random() < 0.25 else None
        self.dup_rate = r.uniform(0.3, 0.7)
        self.beside_sep = r.choice([" ", " | ", " – ", ": "])
        self.comma_style = r.choice(["{a}, {t}", "{t}, {a}", "By {a}, {t}", "{a} · {t}"])
        self.has_standfirst = r.random() < 0.85
        self.has_key_points = r.random() < sh["key_points"]
        self.points_labelled = r.random() < 0.75
        self.copy_link_top = sh.get("copy_link_posts") or r.random() < 0.25
        self.title_line_without_date = r.random() < 0.6
        self.title_changes = r.random() < 0.2
        self.share_rate = r.choice([0.0, 0.0, 0.0, 0.3, 1.0])
        self.comments_at_top = r.random() < 0.5
        self.nav = r.random() < sh.get("key_events_nav", 0)
        self.file_order = r.choice(["chronological", "reversed", "shuffled"])

    def plan(self):
        self.plan_times()
        self.make_posts()
        self.plan_visibility()
        self.plan_edits()
        self.plan_summary()

    def plan_times(self):
        """Post instants (oldest first) and capture instants."""
        r = self.rng
        start = datetime(r.randint(2016, 2025), r.randint(1, 12), r.randint(1, 28), tzinfo=timezone.utc)
        start += timedelta(hours=r.randint(5, 15) - self.zone.std // 60, minutes=r.randint(0, 59))
        span_h = r.uniform(28, 54) if self.multi_day else r.uniform(5, 12)
        n = r.randint(14, 34)
        mean_gap = span_h * 60 / n
        times, t = [], start
        while len(times) < n:
            times.append(t)
            gap = max(2.0, min(r.expovariate(1 / mean_gap), 3 * mean_gap))
            if 1 <= self.zone.local(t).hour < 7:  # quiet nights on multi-day blogs
                gap *= 2
            t += timedelta(minutes=round(gap))
        self.post_times = times
        first = times[max(3, int(n * r.uniform(0.3, 0.5)))]
        last = times[-1] + timedelta(minutes=r.randint(3, 90))
        # Crawls spread over the blog's life (a crawler on a schedule, with jitter).
        k = self.n_snapshots - 1
        middle = [(j + r.uniform(-0.3, 0.3)) / k for j in range(1, k)]
        self.captures = [first] + [first + (last - first) * f for f in middle] + [last]
        self.captures = [c.replace(second=0, microsecond=0) + timedelta(minutes=1) for c in self.captures]

    def make_posts(self):
        r = self.rng
        pool = list(self.blocks) if self.blocks else None
        if pool:
            r.shuffle(pool)
        self.posts = []
        for k, t in enumerate(self.post_times):
            has_headline = r.random() < self.shape["headline"]
            if pool and k < len(pool):
                headline, body, kinds = self.real_post(pool[k], has_headline)
            else:
                headline, body, kinds = self.grammar_post(has_headline)
            author = r.choice(self.authors) if self.shape["author"] or r.random() < 0.5 else None
            post = Post(t, author, headline, body, kinds)
            post.key_event = bool(headline) and r.random() < 0.3
            if len(body) >= 3 and r.random() < 0.15:  # an ad slot inside a long post
                post.inner_ad_after = r.choice(range(1, len(body)))
            post.share_after = r.random() < self.share_rate
            self.posts.append(post)

    def real_post(self, block, has_headline):
        title, lines = block
        headline = title if has_headline and title else None
        return headline, list(lines), ["text" if _ends_sentence(x) else "real_unpunct" for x in lines]

    def grammar_post(self, has_headline):
        """A post from the grammar: paragraphs, and sometimes lines without
        closing punctuation among them."""
        r, t = self.rng, self.text
        headline = t.headline() if has_headline else None
        body = [t.paragraph() for _ in range(r.choice([1, 1, 2, 2, 3, 3, 4, 5]))]
        kinds = ["text"] * len(body)
        if r.random() < 0.3:
            kind = r.choice(["tweet", "caption", "quote_lead_in", "reader_comment", "list_items"])
            inner = getattr(t, kind)()
            # Never first in a post without a headline: there it would be the
            # post's opening line, which a reader too would take for a title.
            at = r.randint(1, len(body)) if not headline or r.random() < 0.7 else 0
            body[at:at] = inner
            kinds[at:at] = [kind] * len(inner)
        if r.random() < 0.06:
            body.append(cap(expand(r.choice(IN_POST_CALLS), r, t.slots)))
            kinds.append("in_post_call")
        return headline, body, kinds

    def plan_visibility(self):
        """Which posts each snapshot shows (newest first, page limit); posts
        never shown are dropped; ids are given in time order."""
        self.visible = []
        for c in self.captures:
            shown = [p for p in reversed(self.posts) if p.utc <= c]
            self.visible.append(shown[: self.page_limit] if self.page_limit else shown)
        for s, shown in enumerate(self.visible):
            for p in shown:
                p.visible.append(s)
        self.posts = [p for p in self.posts if p.visible]
        for k, p in enumerate(self.posts):
            p.id = f"p{k + 1:02d}"

    def plan_edits(self):
        """Versions of each post, derived backwards from its final text."""
        r = self.rng
        for p in self.posts:
            headline, body, kinds = p.final
            edit_at = []
            if len(p.visible) >= 2 and r.random() < 0.3:
                edit_at = sorted(r.sample(p.visible[1:], min(len(p.visible) - 1, 2 if r.random() < 0.15 else 1)))
            versions = [(headline, body, kinds)]
            for _ in edit_at:
                older, change = self.inverse_edit(*versions[0])
                versions.insert(0, older)
                p.edits.insert(0, change)
            starts = [p.visible[0]] + edit_at
            p.versions = [(h, b, k, s) for (h, b, k), s in zip(versions, starts)]

    def inverse_edit(self, headline, body, kinds):
        """The version before one edit, and the edit's kind."""
        r = self.rng
        text_idx = [i for i, k in enumerate(kinds) if k == "text"]
        multi = [i for i in text_idx if len(_sentences(body[i])) >= 2]
        options = ["replace_sentence", "word_fix"]
        if multi:
            options += ["append_sentence"] * 3
        if len(text_idx) >= 2 and text_idx[-1] > 0:
            options.append("new_paragraph")
        if headline:
            options.append("headline")
        change = r.choice(options)
        body, kinds = list(body), list(kinds)
        if change == "append_sentence":  # the older version lacks a closing sentence
            i = r.choice(multi)
            body[i] = " ".join(_sentences(body[i])[:-1])
        elif change == "new_paragraph":  # the older version lacks a later paragraph
            i = r.choice([j for j in text_idx if j > 0])
            del body[i], kinds[i]
        elif change == "replace_sentence" and text_idx:
            i = r.choice(text_idx)
            parts = _sentences(body[i])
            parts[r.randrange(len(parts))] = self.text.sentence()
            body[i] = " ".join(parts)
        elif change == "headline":
            headline = self.text.headline() if r.random() < 0.5 else _swap_word(headline, r)
        else:
            change = "word_fix"
            i = r.choice(text_idx or range(len(body)))
            body[i] = _swap_word(body[i], r)
        return (headline, body, kinds), change

    def plan_summary(self):
        """Title, standfirst and key points per snapshot."""
        r, t, k = self.rng, self.text, self.n_snapshots
        base = t.headline()
        style = r.choice(["{h} – live", "{h} – live updates", "{T} live: {h}", "{h}", "Live: {h}"])
        title = style.format(h=base, T=cap(self.topic))
        self.titles = [title] * k
        if self.title_changes:
            self.titles[-1] = r.choice([base + " – as it happened", style.format(h=t.headline(), T=cap(self.topic))])
        self.standfirsts = [None] * k
        if self.has_standfirst:
            first = t.paragraph(1) if r.random() < 0.6 else t.headline()
            later = first + " " + t.sentence() if r.random() < 0.5 else t.paragraph(1)
            change = r.randint(1, k) if r.random() < 0.5 else k
            self.standfirsts = [first if s < change else later for s in range(k)]
        self.points = [[] for _ in range(k)]
        if self.has_key_points:
            pool = [t.point() for _ in range(r.randint(4, 8))]
            shown = r.randint(2, 3)
            edited = r.randrange(len(pool)) if r.random() < 0.5 else None
            edit_from = r.randint(1, k - 1)
            for s in range(k):
                pts = list(reversed(pool[:shown]))  # newest point on top
                if edited is not None and s >= edit_from and edited < shown:
                    j = shown - 1 - edited
                    pts[j] = pts[j].rstrip(".") + ", " + t.expand("{PREP}") + "."
                self.points[s] = pts
                shown = min(len(pool), shown + r.choice([0, 1, 1, 2]))
        self.summary_label = cap(expand(r.choice(SUMMARY_LABELS), r, {}))
        self.nav_label = cap(expand(r.choice(NAV_LABELS), r, {}))

    # ------------------------------------------------------------ rendering
    # A snapshot is a list of (text, role, ref): role is one of header,
    # title, standfirst, summary_label, summary, post, stamp, updated, day,
    # page_time, furniture; ref is the post id or the furniture kind.

    def render(self, s):
        self.spans = []  # (start, end, post, is the copy) of each printed post
        out = []
        self.render_head(s, out)
        self.render_posts(s, out)
        self.render_foot(s, out)
        return out

    def render_head(self, s, out):
        r, site = self.rng, self.site
        title = self.titles[s]
        if self.date_lines[s]:
            out.append((f" date {self.captures[s].date().isoformat()} {title}", "header", None))
        elif self.title_line_without_date:
            out.append((title, "title", None))
        if r.random() < 0.5:
            out += _furn(site.chrome_unit())
        if self.shape.get("page_time"):
            last = self.visible[s][0].utc + timedelta(minutes=r.randint(1, 20))
            out.append((clocks.page_updated(last, self.zone), "page_time", None))
        if r.random() < self.shape.get("donate_top", 0.3):
            out += _furn(site.donate_unit(full=True))
        if r.random() < 0.35:
            out += _furn(site.newsletter_unit() if r.random() < 0.5 else site.follow_unit())
        if self.standfirsts[s]:
            out.append((self.standfirsts[s], "standfirst", None))
        if self.comments_at_top and r.random() < 0.7:
            out += _furn(site.comments_unit())
        if self.copy_link_top:
            out += _furn(site.copy_link_unit())
        if self.points[s]:
            if self.points_labelled:
                out.append((self.summary_label, "summary_label", None))
            out += [(p, "summary", None) for p in self.points[s]]
        if self.nav:
            self.render_nav(s, out)

    def render_nav(self, s, out):
        """Guardian's key-events list: times and headlines of key posts."""
        keys = [p for p in self.visible[s] if p.key_event][:5]
        if not keys:
            return
        out.append((self.nav_label, "furniture", "key_events_nav"))
        for p in keys:
            out.append((self.fmt(p.utc, self.zone), "furniture", "key_events_nav"))
            out.append((p.versions[p.version_at(s)][0], "furniture", "key_events_nav"))

    def render_posts(self, s, out):
        r = self.rng
        shown = self.visible[s]
        dup = r.choice(shown) if r.random() < self.dup_rate else None
        dup_gap = 0 if r.random() < 0.6 else r.randint(1, 3)
        pending_copy, prev_day = None, None
        for n, post in enumerate(shown):
            day = self.zone.local(post.utc).date()
            if self.shape.get("day_dividers") and day != prev_day and (prev_day or r.random() < 0.7):
                out.append((clocks.day_divider(self.zone.local(post.utc), r), "day", None))
            prev_day = day
            block = self.post_block(post, s)
            self.spans.append((len(out), len(out) + len(block), post, False))
            out += block
            if post is dup:
                pending_copy = (n + dup_gap, [(x.translate(QUOTE_FOLD), role, ref) for x, role, ref in block])
            if pending_copy and pending_copy[0] == n:
                self.spans.append((len(out), len(out) + len(pending_copy[1]), dup, True))
                out += pending_copy[1]
                self.printed_twice.append((dup.id, s))
                pending_copy = None
            if n < len(shown) - 1 and r.random() < self.furniture_rate:
                out += _furn(self.site.between_posts())
        if pending_copy:  # the copy was due after the last post
            self.spans.append((len(out), len(out) + len(pending_copy[1]), dup, True))
            out += pending_copy[1]
            self.printed_twice.append((dup.id, s))

    def post_block(self, post, s):
        """The lines of one post as this shape prints it."""
        v = post.version_at(s)
        headline, body, _, _ = post.versions[v]
        pid = post.id
        stamp = [(x, "stamp", pid) for x in self.stamp_lines(post)]
        if v > 0 and self.shape.get("updated_lines"):
            stamp.append((self.updated_line(post, v), "updated", pid))
        text = ([(headline, "post", pid)] if headline else []) + [(x, "post", pid) for x in body]
        if post.inner_ad_after is not None and post.inner_ad_after < len(body):
            at = post.inner_ad_after + (1 if headline else 0)
            text[at:at] = _furn(self.site.ad_unit())
        pos = self.shape["position"]
        if pos == "beside":
            first, _, ref = text[0]
            return [(stamp[0][0] + self.beside_sep + first, "post", ref)] + stamp[1:] + text[1:] + self.after(post)
        if pos == "before":
            mid = _furn(self.site.copy_link_unit()) if self.rng.random() < self.shape.get("copy_link_posts", 0) else []
            return stamp + mid + text + self.after(post)
        return text + stamp + self.after(post)

    def after(self, post):
        return _furn(self.site.share_unit()) if post.share_after else []

    def stamp_lines(self, post):
        t = self.fmt(post.utc, self.zone, post.author)
        style, a = self.shape["author"], post.author
        if style == "glued" or not a:
            return [t]
        if style == "line_after_time":
            return [t, a]
        if style == "line_before_time":
            return [a, t]
        if style == "comma":
            return [self.comma_style.format(a=a, t=t)]
        return [t]

    def updated_line(self, post, v):
        """'Updated at …': the time of the edit, not of the post."""
        s = post.versions[v][3]
        lo = max(post.utc, self.captures[s - 1])
        when = lo + (self.captures[s] - lo) * self.rng.uniform(0.1, 0.9)
        stamp = self.fmt(when.replace(second=0, microsecond=0), self.zone, None)
        return self.rng.choice(["Updated at {}", "Updated {}", "Last updated: {}"]).format(stamp)

    def render_foot(self, s, out):
        r, site = self.rng, self.site
        if r.random() < 0.6:
            out += _furn(site.chrome_unit()[:1])
        if not self.comments_at_top and r.random() < 0.7:
            out += _furn(site.comments_unit())
        for _ in range(r.choice([0, 1, 2, 3])):
            out += _furn(site.teaser_unit())
        if r.random() < 0.4:
            out += _furn(site.newsletter_unit())

    # ------------------------------------------------------------ output

    def write(self, out_dir, pages=None):
        """Write the snapshots; return this blog's truth. With `pages` (an
        html_pages.PageRenderer) the blog's directory holds HTML captures
        of the snapshots (or one WARC of them) and the text snapshots, which
        the truth's line roles describe, go to text/ beside it."""
        r = self.rng
        self.plan()
        clock_only = self.clock in clocks.CLOCK_ONLY
        self.date_lines = [clock_only or r.random() < self.shape["date_line"] for _ in range(self.n_snapshots)]
        self.printed_twice = []
        blog_dir = os.path.join(out_dir, self.id)
        text_rel = os.path.join("text", self.id) if pages else self.id
        os.makedirs(blog_dir)
        os.makedirs(os.path.join(out_dir, text_rel), exist_ok=True)
        warc = []
        numbers = list(range(self.n_snapshots))
        if self.file_order == "reversed":
            numbers.reverse()
        elif self.file_order == "shuffled":
            r.shuffle(numbers)
        files, lines = [], {}
        for s in range(self.n_snapshots):
            page = self.render(s)
            text = "\n".join(x for x, _, _ in page) + "\n"
            name = f"{numbers[s]:03d}_{hashlib.sha1(text.encode()).hexdigest()[:16]}.txt"
            with open(os.path.join(out_dir, text_rel, name), "w", encoding="utf-8") as f:
                f.write(text)
            rel = f"{text_rel}/{name}"
            files.append(rel)
            lines[rel] = page
            if pages:
                markup = pages.page(s, page, self.spans)
                if pages.warc:
                    warc.append(html_pages.warc_record(pages.url, self.captures[s].strftime("%Y-%m-%dT%H:%M:%SZ"), markup))
                else:
                    with open(os.path.join(blog_dir, name[:-4] + ".html"), "w", encoding="utf-8") as f:
                        f.write(markup)
        if warc:
            with open(os.path.join(blog_dir, "captures.warc.gz"), "wb") as f:
                f.write(b"".join(warc))
        truth = self.truth(files, lines)
        if pages:
            truth["page_kind"] = pages.kind + ("+warc" if pages.warc else "")
        return truth

    def truth(self, files, pages):
        furniture = {}
        for page in pages.values():
            for text, role, ref in page:
                if role in ("furniture", "day", "summary_label", "page_time"):
                    furniture.setdefault(text, ref or role)
        return {
            "id": self.id, "dir": self.id, "shape": self.shape_name, "topic": self.topic,
            "text_source": "guardian" if self.blocks else "grammar", "zone": self.zone.name,
            "clock": self.clock, "multi_day": self.multi_day, "page_limit": self.page_limit,
            "snapshots": [{"file": f, "captured": self.captures[s].strftime("%Y-%m-%dT%H:%M:%SZ"),
                           "date_line": self.date_lines[s], "title": self.titles[s]} for s, f in enumerate(files)],
            "standfirst": self.standfirsts,
            "key_points": self.points,
            "posts": [self.post_truth(p, files) for p in reversed(self.posts)],
            "furniture": [{"text": t, "kind": k} for t, k in furniture.items()],
            "lines": {f: [[role, ref] for _, role, ref in page] for f, page in pages.items()},
            "stats": self.stats(pages),
        }

    def stats(self, pages):
        """How often the hard cases occur, so that a run shows it covers them."""
        headless = {p.id for p in self.posts if p.versions[-1][0] is None}
        calls = {"follow", "donate", "donate_button", "newsletter", "comments"}
        st = dict(furniture_above_headless_post=0, call_then_post=0, furniture_between_lines_of_one_post=0,
                  posts_with_unpunctuated_lines=sum(1 for p in self.posts if set(p.final[2]) - {"text"}),
                  edited_posts=sum(1 for p in self.posts if len(p.versions) > 1),
                  printed_twice=len(self.printed_twice))
        for page in pages.values():
            for (_, r0, k0), (_, r1, k1), (_, r2, k2) in zip(page, page[1:], page[2:]):
                starts = r2 == "post" and r0 != "post" or (r2 == "post" and k0 != k2)
                if r1 == "furniture" and starts and k2 in headless:
                    st["furniture_above_headless_post"] += 1
                if r1 == "furniture" and k1 in calls and r2 == "post":
                    st["call_then_post"] += 1
                if r1 == "furniture" and r0 == "post" and r2 == "post" and k0 == k2:
                    st["furniture_between_lines_of_one_post"] += 1
        return st

    def post_truth(self, p, files):
        headline, body, kinds, _ = p.versions[-1]
        versions = []
        for i, (h, b, _, start) in enumerate(p.versions):
            shown = [files[s] for s in p.visible if p.version_at(s) == i]
            versions.append({"headline": h, "body": b, "snapshots": shown})
        return {
            "id": p.id, "headline": headline, "body": body, "line_kinds": kinds,
            "published": clocks.iso(self.zone.local(p.utc)), "author": p.author,
            "edited": len(p.versions) > 1, "edits": p.edits, "versions": versions,
            "key_event": p.key_event, "seen_in": [files[s] for s in p.visible],
            "printed_twice_in": sorted({files[s] for pid, s in self.printed_twice if pid == p.id}),
        }


# ---------------------------------------------------------------- helpers


def _furn(unit):
    return [(text, "furniture", kind) for text, kind in unit]


def _ends_sentence(line):
    return bool(re.search(r"[.!?:][”’\"')]*$", line))


def _sentences(paragraph):
    return [x for x in SENTENCE_SPLIT.split(paragraph) if x]


def _swap_word(line, rng):
    """A one-word change: a number or a longer word replaced."""
    words = line.split(" ")
    idx = [i for i, w in enumerate(words) if len(w.strip(".,;:’”“‘")) > 5] or list(range(len(words)))
    i = rng.choice(idx)
    words[i] = rng.choice(["several", "dozens", "nearly", "reported", "confirmed", "eastern", "northern"])
    return " ".join(words)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--blogs", type=int, default=20)
    ap.add_argument("--out", required=True, help="output directory (its blogNN/ and truth.json are replaced)")
    ap.add_argument("--fixtures", default=guardian.DEFAULT_DIR, help="Guardian live-blog fixtures directory")
    ap.add_argument("--no-fixtures", action="store_true", help="grammar text only")
    ap.add_argument("--real-share", type=float, default=0.35, help="share of blogs with real post texts")
    ap.add_argument("--as", dest="form", choices=["text", "html", "warc"], default="text",
                    help="snapshots as text files (default), HTML captures (JSON-LD, per-post blocks or legacy "
                         "markup, one kind per blog), or one WARC of a blog's HTML captures")
    ap.add_argument("--phrasings", default="default",
                    help="furniture phrase lists: default (furniture.py) or alt (furniture_alt.py, other words for "
                         "the same kinds, written without sight of the engine: a stand-in for held-out sites)")
    args = ap.parse_args()
    words = phrasings(args.phrasings)

    blocks = None if args.no_fixtures else guardian.load_blocks(args.fixtures)
    if blocks is None and not args.no_fixtures:
        print(f"gen_crawls: no Guardian fixtures at {args.fixtures}; using the grammar for every post",
              file=sys.stderr)
    if blocks:  # tiny blocks ('#TBT') are not posts worth scoring
        blocks = [b for b in blocks if sum(len(x.split()) for x in b[1]) >= 12]
    prepare_out(args.out)
    truth = {"generator": "bench/timeline/gen_crawls.py", "seed": args.seed, "phrasings": args.phrasings,
             "blogs": []}
    for i in range(args.blogs):
        rng = random.Random(f"thresh-timeline-{args.seed}-{i}")
        real = blocks if blocks and rng.random() < args.real_share else None
        blog = Blog(f"blog{i + 1:02d}", SHAPE_NAMES[i % len(SHAPE_NAMES)], rng, real, words)
        pages = None
        if args.form != "text":
            # Its own random stream, so the text snapshots stay the same in every form.
            page_rng = random.Random(f"thresh-timeline-html-{args.seed}-{i}")
            pages = html_pages.PageRenderer(blog, page_rng.choice(html_pages.KINDS), page_rng,
                                            warc=args.form == "warc")
        truth["blogs"].append(blog.write(args.out, pages))
    with open(os.path.join(args.out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
    n_posts = sum(len(b["posts"]) for b in truth["blogs"])
    print(f"gen_crawls: {args.blogs} blogs, {n_posts} posts, "
          f"{sum(len(b['snapshots']) for b in truth['blogs'])} snapshots in {args.out}", file=sys.stderr)
    totals = {k: sum(b["stats"][k] for b in truth["blogs"]) for k in truth["blogs"][0]["stats"]}
    print("gen_crawls: " + ", ".join(f"{k} {v}" for k, v in totals.items()), file=sys.stderr)


def prepare_out(out):
    """Remove what an earlier run wrote there (only blogNN/ and truth.json)."""
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        path = os.path.join(out, name)
        if (re.fullmatch(r"blog\d+", name) or name == "text") and os.path.isdir(path):
            shutil.rmtree(path)
        elif name == "truth.json":
            os.remove(path)


if __name__ == "__main__":
    main()
