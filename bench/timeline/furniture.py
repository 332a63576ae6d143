"""Page furniture for generated live blogs, from templates with many
alternatives.

A real site repeats its own furniture word for word, but sites differ from
each other; so each blog (one site) draws its own phrasings once, from
templates whose alternatives multiply into thousands of wordings. An engine
that recognises a list of phrases will meet mostly phrases it has never
seen; one that recognises kinds of lines (calls to the reader, labels,
recurring lines, teaser cards) will not care.

Every unit is a list of (line, kind) pairs.
"""

import importlib
import sys

from textgen import expand, cap, person_name, TOPICS, NewsText

SITE_NAMES = ["The Courier", "Daily Ledger", "Northern Echo Live", "The Meridian", "Pressline", "The Standard Post",
              "Harbour Times", "Capital Wire", "The Observer Desk", "Metro Bulletin", "Evening Herald",
              "The Signal", "Kestrel News", "Atlas Daily", "The Lantern"]
NEWSLETTER_NAMES = ["First Edition", "Morning Mail", "The Briefing", "Week in Review", "Breaking News Alerts",
                    "This Is Europe", "Fight to Vote", "The Long Read", "Headlines", "The Download", "Night Desk",
                    "Business Today", "Down to Earth", "Inside Politics"]

SLOTS = {
    "CHANNEL": ["WhatsApp", "Telegram", "Google News", "our app", "Instagram", "Threads", "Bluesky", "X",
                "Facebook", "Flipboard", "YouTube", "LinkedIn", "Apple News"],
    "UPDATES": ["live coverage", "latest updates", "breaking news", "live updates", "the latest",
                "every development", "our reporting", "all the news"],
    "MONEY": ["£1", "$1", "€2", "£5 a month", "$3", "just £2", "as little as $1"],
    "JOURNALISM": ["our journalism", "independent journalism", "reporting like this", "fact-based news",
                   "quality reporting", "journalism that holds power to account", "our newsroom"],
    "READERS": ["readers", "people like you", "our readers", "supporters", "subscribers", "members"],
}

FOLLOW = [
    "{Follow|Join|Find} {SITE} on {CHANNEL}",
    "{Get|Receive} {UPDATES} {on|via|through} {CHANNEL}[ – it’s free]",
    "{Never|Don’t} miss {a story|an update|a moment} – follow us on {CHANNEL}",
    "{Tap|Click|Hit} the {bell|follow button|star|plus sign} to {be notified|get alerts|hear first} {when we post|about new posts|as news breaks}",
    "Add {SITE} as a {preferred|trusted} source on {Google|Google News}",
    "{Stay|Keep} {informed|up to date|in the loop} with {UPDATES} {from|by} {SITE}",
    "{Want|Would you like} {UPDATES} {sent to your phone|in your pocket}? {Download|Get} the {SITE} app",
    "{FOLLOW US|Follow us}: {CHANNEL} | {CHANNEL} | {CHANNEL}",
]
DONATE_PARAGRAPHS = [
    "{SITE} is {funded|supported|sustained} by {READERS}. {If you can, please|Whenever you can, please|Please|If you can,|We ask you to} {consider|think about} {supporting|backing|funding} {JOURNALISM} {today|this year|from {MONEY}}.",
    "{Unlike many|Unlike other} {outlets|news organisations|publishers}, we {choose|decided} not to {put {JOURNALISM} behind a paywall|lock {READERS} out}. {That|This} {is only possible|only works} {because of|thanks to} {READERS} who {give|contribute|chip in}.",
    "{At such a critical moment|In a year like this|Right now}, we {need|rely on} {reporters on the ground|your help|independent voices}. Your {donation|contribution|support} {allows us to|helps us} {keep {JOURNALISM} free|send journalists where the story is|stay independent}.",
    "{Every|Each} {contribution|gift|donation}, {big or small|however big or small|of any size}, {powers|makes possible|keeps going} {JOURNALISM}. {Thank you|We are grateful}.",
]
DONATE_HEADINGS = [
    "{Your|Reader} support {helps us to tell|keeps us telling|makes} the story",
    "{Help|Support} {SITE} {today|this year|now}",
    "{Can you|Will you} {help|support|chip in} {today|now}?",
    "{Before you go|Before you scroll on|One more thing}{ …|:|}",
    "{We|The newsroom} {need|needs} {your help|you}",
]
DONATE_BUTTONS = [
    "{Support|Back|Fund} {us|{SITE}|{JOURNALISM}}{| now| today| →}",
    "{Donate|Give|Contribute} {now|today|from {MONEY}|{MONEY}}",
    "{Become|Join as} a {member|supporter|subscriber}",
    "{Make|Set up} a {one-off|monthly|regular} {gift|contribution}",
]
NEWSLETTER_HEADINGS = [
    "{Sign up to|Subscribe to|Get|Join} {NEWSLETTER}",
    "{Sign up|Subscribe} {for|to} {our|the} {free|daily|weekly} {NEWSLETTER} {newsletter|email|briefing}",
    "{Get|Receive} {NEWSLETTER} {in|straight to} your inbox",
    "{Want|Like} {the news|this|the headlines} {in your inbox|by email}?",
]
NEWSLETTER_BLURBS = [
    "{Our|The} {free|daily|weekly|morning} {newsletter|email|briefing} {brings you|with|rounding up} {the day’s top stories|what you need to know|the best of our journalism}{|, every {morning|weekday|Sunday}}",
    "{The|All the} {biggest|most important} stories {of the day|from around the world}{|, {explained|curated} by our {editors|journalists}}",
    "{Newsletters|Emails} may contain {info|information} about {charities|offers}, online ads, and content funded by outside parties",
]
NEWSLETTER_BUTTONS = ["{Sign up|Subscribe|Sign me up|Join}{| now| for free| →}", "Enter your email{ address|}",
                      "{after|skip past} newsletter promotion", "{Privacy|Privacy notice}{: we will never share your email|}",
                      "{I’m|I am} {already|} a subscriber"]
COMMENTS = [
    "{Comments|Comment} on this {page|blog|article} {are|is} open until {CLOCK} on {WEEKDAY}",
    "{Comments|The comment section} will {close|be closed} at {CLOCK}",
    "{Comments are|Commenting is} {now closed|closed for this blog|switched off}",
    "{Join|Have your say in|Read} the {conversation|discussion|debate}{| ({N} comments)}",
    "{View|Show|Read} {N} comments",
    "{Let us know|Tell us} what you think in the comments{| below}",
]
COPY_LINK = ["Copy link to this {update|post|entry}", "{Copy|Share} link", "Link {copied|copied to clipboard}",
             "Permalink", "{Share|Link to} this {update|post|entry}", "{Copy|Get} the link", "Share{ this|}"]
SHARE_LABELS = ["Share on {CHANNEL}", "Share via {email|Email|WhatsApp}", "Share", "{Share|Copy} {|this }story",
                "{Facebook|Twitter|Email|Pinterest|WhatsApp}"]
AD_LABELS = ["Advertisement", "ADVERTISEMENT", "Skip past advertisement", "{Article|Story} continues below{| advertisement| this ad}",
             "Sponsored{| content| by {SITE} partners}", "Ad Feedback", "{Promoted|Recommended} {stories|links}",
             "{Continue|Keep} reading below", "AD", "{Paid|Partner} content"]
TEASER_LABELS = ["Read more", "{Related|Recommended|Most read|Most popular}{|:}", "{Read|See} {also|next}",
                 "{Explainer|Analysis|Opinion|Live}", "{You might|You may} also {like|be interested in}",
                 "{More|Further} on this story"]
PAGE_CHROME = ["{Show|Hide} key events only", "{Load|Show} {more|older} {updates|posts|entries}",
               "{Newest|Latest} first", "{Oldest|Earliest} first", "{Live|LIVE}{| updates| blog}",
               "{Please|} {turn on|enable} JavaScript {to see|for} {live updates|the latest}",
               "{Back to top|Return to top|Top of page}", "{Previous|Next} {page|posts}"]


def phrasings(name):
    """The module of phrase lists called `name`: this one ("default"), or
    another with the same lists in other words ("alt": furniture_alt.py,
    written without sight of the engine, as a stand-in for held-out sites)."""
    if name == "default":
        return sys.modules[__name__]
    return importlib.import_module(f"furniture_{name}")


class SiteFurniture:
    """One site's furniture: fixed phrasings drawn once, and fresh teaser
    cards on demand. `words` is the module of phrase lists (see
    `phrasings`)."""

    def __init__(self, rng, topic_name, words=None):
        self.rng = rng
        w = self.words = words or sys.modules[__name__]
        site = rng.choice(w.SITE_NAMES)
        slots = dict(w.SLOTS, SITE=site, NEWSLETTER=rng.choice(w.NEWSLETTER_NAMES),
                     CLOCK=lambda r: f"{r.randint(1, 11)}{r.choice(['pm', 'am', '.00pm', ' pm'])} {r.choice(['GMT', 'BST', 'ET', 'CET', ''])}",
                     WEEKDAY=["Monday", "Tuesday", "Friday", "Saturday", "Sunday", "16 March", "2 November"],
                     N=lambda r: str(r.randint(3, 2400)))
        self.slots = slots
        one = lambda templates: cap(expand(rng.choice(templates), rng, slots))  # noqa: E731
        self.follow = [one(w.FOLLOW) for _ in range(2)]
        self.donate_heading = one(w.DONATE_HEADINGS)
        self.donate_paras = [one([t]) for t in rng.sample(w.DONATE_PARAGRAPHS, rng.randint(1, 3))]
        self.donate_button = one(w.DONATE_BUTTONS)
        self.news_heading = one(w.NEWSLETTER_HEADINGS)
        self.news_blurb = one(w.NEWSLETTER_BLURBS)
        self.news_buttons = [one(w.NEWSLETTER_BUTTONS) for _ in range(rng.randint(1, 2))]
        self.comments = one(w.COMMENTS)
        self.copy_link = one(w.COPY_LINK)
        self.share = list(dict.fromkeys(one(w.SHARE_LABELS) for _ in range(rng.randint(1, 2))))
        self.ad = one(w.AD_LABELS)
        self.chrome = list(dict.fromkeys(one(w.PAGE_CHROME) for _ in range(rng.randint(1, 3))))
        # Teasers advertise other articles: headlines about other topics
        # (and sometimes the same one) from the same grammar as the posts.
        others = [t for t in TOPICS if t != topic_name] + [topic_name]
        self._teaser_text = NewsText(rng.choice(others), rng)

    # Units: lists of (line, kind).

    def follow_unit(self):
        return [(self.rng.choice(self.follow), "follow")]

    def donate_unit(self, full):
        """The full appeal (heading, paragraphs, button) or just a button."""
        if not full:
            return [(self.donate_button, "donate_button")]
        unit = [(self.donate_heading, "donate")] + [(p, "donate") for p in self.donate_paras]
        return unit + [(self.donate_button, "donate_button")]

    def newsletter_unit(self):
        unit = [(self.news_heading, "newsletter")]
        if self.rng.random() < 0.7:
            unit.append((self.news_blurb, "newsletter"))
        return unit + [(b, "newsletter") for b in self.news_buttons]

    def comments_unit(self):
        return [(self.comments, "comments")]

    def copy_link_unit(self):
        return [(self.copy_link, "copy_link")]

    def share_unit(self):
        return [(s, "share") for s in self.share]

    def ad_unit(self):
        return [(self.ad, "ad")]

    def chrome_unit(self):
        return [(c, "chrome") for c in self.chrome]

    def teaser_unit(self):
        """A card for another article: optional label, headline, optional blurb."""
        unit = []
        if self.rng.random() < 0.5:
            unit.append((cap(expand(self.rng.choice(self.words.TEASER_LABELS), self.rng, self.slots)), "teaser"))
        unit.append((self._teaser_text.headline(), "teaser"))
        if self.rng.random() < 0.5:
            blurb = self._teaser_text.expand("{CLAUSE_CAP}")
            unit.append((blurb + ("." if self.rng.random() < 0.3 else ""), "teaser"))
        return unit

    def between_posts(self):
        """One unit of the kinds that stand between posts."""
        kinds = [self.follow_unit, self.newsletter_unit, self.ad_unit, self.teaser_unit, self.share_unit,
                 lambda: self.donate_unit(full=self.rng.random() < 0.3), self.comments_unit]
        return self.rng.choice(kinds)()

    def byline_author(self):
        return person_name(self.rng)
