"""Seeded text for generated live blogs: a small template expander and a news
grammar (topics, sentences, headlines, and the lines without closing
punctuation that real posts hold: embedded tweets, photo captions, quote
lead-ins, readers' comments, list items).

Template syntax, expanded by `expand`:
  {a|b|c}   one alternative, chosen by the rng (alternatives may nest);
  {NAME}    a slot: a list of templates (one is chosen) or a function of rng;
  [text]    optional: included half of the time.
Everything is drawn from the rng handed in, so a seed fixes every word.
"""

import random
import re

# ---------------------------------------------------------------- expander


def expand(template, rng, slots):
    """Expand one template string with the given slots."""
    out, _ = _expand_seq(template, 0, rng, slots, stop="")
    return _tidy(out)


def _expand_seq(t, i, rng, slots, stop):
    """Expand t from i until a character in stop (at nesting level 0)."""
    parts = []
    while i < len(t):
        c = t[i]
        if c in stop:
            break
        if c == "{":
            text, i = _expand_brace(t, i + 1, rng, slots)
            parts.append(text)
        elif c == "[":
            text, i = _expand_seq(t, i + 1, rng, slots, stop="]")
            i += 1  # the closing ]
            if rng.random() < 0.5:
                parts.append(text)
        else:
            parts.append(c)
            i += 1
    return "".join(parts), i


def _expand_brace(t, i, rng, slots):
    """{NAME} or {a|b|c}: returns the expansion and the index after '}'."""
    m = re.match(r"([A-Z][A-Z0-9_]*)\}", t[i:])
    if m:
        return _fill_slot(m.group(1), rng, slots), i + m.end()
    # Collect the alternatives unexpanded, then expand only the chosen one,
    # so that unchosen alternatives draw nothing from the rng.
    alts, depth, start = [], 0, i
    while i < len(t):
        c = t[i]
        if c in "{[":
            depth += 1
        elif c in "}]" and depth:
            depth -= 1
        elif c == "}":
            alts.append(t[start:i])
            break
        elif c == "|" and depth == 0:
            alts.append(t[start:i])
            start = i + 1
        i += 1
    chosen = rng.choice(alts)
    text, _ = _expand_seq(chosen, 0, rng, slots, stop="")
    return text, i + 1


def _fill_slot(name, rng, slots):
    value = slots[name]
    if callable(value):
        return value(rng)
    if isinstance(value, (list, tuple)):
        value = rng.choice(value)
    return expand(value, rng, slots)


def _tidy(s):
    """Collapse the double spaces that empty alternatives leave behind."""
    s = re.sub(r" {2,}", " ", s)
    s = re.sub(r" ([,.;:?!])", r"\1", s)
    # a/an by the next word's first letter (good enough for generated text)
    s = re.sub(r"\b([Aa])n? (?=([A-Za-z]))",
               lambda m: m.group(1) + ("n " if m.group(2).lower() in "aeiou" else " "), s)
    return s.strip()


def cap(s):
    return s[:1].upper() + s[1:] if s else s


# ---------------------------------------------------------------- topics

# Each topic gives a blog its cast. Names are invented; the mix of roles,
# places and nouns is what keeps posts of one blog about one story while
# posts differ from each other in most of their words.
TOPICS = {
    "war": dict(
        people=["Olena Marchuk|the regional governor", "Pavlo Dmytrenko|the army spokesperson",
                "Irina Vasko|the foreign minister", "Dmitri Orlov|the defence ministry spokesman",
                "Tomas Heller|the Nato deputy secretary general", "Serhiy Kovalenko|the city's mayor"],
        places=["Kharkiv", "Zaporizhzhia", "Odesa", "Dnipro", "the Kursk region", "Pokrovsk",
                "the eastern front", "Kherson", "Sumy", "the Black Sea coast"],
        orgs=["the defence ministry", "the general staff", "the UN monitoring mission",
              "the Institute for the Study of War", "the air force", "the Red Cross"],
        nouns=["drone strike", "missile attack", "counteroffensive", "prisoner exchange", "air-raid alert",
               "artillery barrage", "power outage", "evacuation order", "ceasefire proposal", "supply convoy"],
    ),
    "election": dict(
        people=["Maria Lindqvist|the incumbent", "Jonah Whitfield|the opposition leader",
                "Priya Raman|the campaign manager", "Hector Alvarez|the electoral commissioner",
                "Ruth Okafor|a senior pollster", "Colm Brennan|the party chair"],
        places=["the capital", "the northern provinces", "the swing districts", "Riverside County",
                "the coastal constituencies", "the old mill towns", "the university wards", "the border region"],
        orgs=["the electoral commission", "the governing party", "the opposition alliance",
              "the national broadcaster", "the observer mission", "the supreme court"],
        nouns=["exit poll", "recount", "turnout figure", "concession speech", "postal ballot",
               "coalition talk", "leaders' debate", "polling station", "manifesto pledge", "results declaration"],
    ),
    "storm": dict(
        people=["Gwen Morales|the state governor", "Ahmed Sidiqi|the fire chief",
                "Lena Hartmann|the chief meteorologist", "Bruno Costa|the emergency management director",
                "Keisha Lawson|the county sheriff", "Martin Doyle|the utility's chief executive"],
        places=["the Gulf coast", "Port Albany", "the barrier islands", "Lake Merritt", "the river valley",
                "downtown", "the low-lying suburbs", "the interstate corridor", "Bayside", "the airport"],
        orgs=["the national weather service", "the coast guard", "the power company",
              "the emergency management agency", "the national guard", "the transport department"],
        nouns=["storm surge", "flash flood warning", "evacuation route", "power cut", "landfall",
               "wind gust", "rescue operation", "shelter", "curfew", "damage assessment"],
    ),
    "parliament": dict(
        people=["Harriet Cole|the prime minister", "Desmond Achebe|the leader of the opposition",
                "Fiona Gray|the home secretary", "Rajiv Mehta|the chancellor",
                "Alan Pritchard|the Speaker", "Nadia Rahman|the shadow health secretary"],
        places=["the Commons", "Westminster", "Downing Street", "the Lords", "Whitehall",
                "the committee corridor", "the despatch box", "the red benches"],
        orgs=["the Treasury", "the Home Office", "the backbench committee", "the Office for Budget Responsibility",
              "the cabinet", "the whips' office"],
        nouns=["amendment", "second reading", "urgent question", "confidence vote", "spending review",
               "select committee hearing", "rebellion", "policy U-turn", "ministerial statement", "bill"],
    ),
    "space": dict(
        people=["Dr Alma Reyes|the mission's deputy project manager", "Kenji Watanabe|the flight director",
                "Sofia Brandt|the lead scientist", "Omar Haddad|the agency administrator",
                "Beth Kowalski|the engineering lead", "Luis Ferreira|the imaging team lead"],
        places=["mission control", "the landing site", "the crater floor", "the launch pad",
                "the deep space network", "orbit", "the clean room", "the delta deposit"],
        orgs=["the space agency", "the jet propulsion laboratory", "the science team",
              "the European partner agency", "the rover team", "the navigation team"],
        nouns=["descent stage", "heat shield", "sample tube", "telemetry", "helicopter flight",
               "panorama", "parachute deployment", "rock core", "radio blackout", "software update"],
    ),
    "trial": dict(
        people=["Judge Miriam Oduya|the presiding judge", "Carl Benton|the defendant",
                "Sasha Petrov|the lead prosecutor", "Imogen Tate|the defence barrister",
                "Victor Lamb|a former finance director", "Grace Mwangi|a key witness"],
        places=["court 4", "the Old Bailey", "the public gallery", "the courthouse steps",
                "the jury room", "the witness box", "the press annexe", "the appeals chamber"],
        orgs=["the prosecution", "the defence team", "the jury", "the regulator",
              "the court of appeal", "the victims' families"],
        nouns=["verdict", "cross-examination", "closing argument", "sentencing hearing", "exhibit",
               "plea deal", "adjournment", "testimony", "bail application", "charge sheet"],
    ),
    "markets": dict(
        people=["Elena Rossi|the central bank governor", "Tom Achterberg|the chief economist",
                "Mei Lin|a currency strategist", "Patrick O'Rourke|the finance minister",
                "Dana Whitcombe|a fund manager", "Yusuf Demir|the exchange's chief executive"],
        places=["the City", "Wall Street", "Frankfurt", "the bond market", "Tokyo", "the trading floor",
                "the Asian session", "the eurozone"],
        orgs=["the central bank", "the stock exchange", "the statistics office", "the ratings agency",
              "the IMF", "the banking regulator"],
        nouns=["rate decision", "bond yield", "inflation figure", "sell-off", "profit warning",
               "jobs report", "currency swing", "earnings season", "rate cut", "stress test"],
    ),
    "football": dict(
        people=["Marco Bellini|the home side's manager", "Kwame Asante|the captain",
                "Lucy Harper|our reporter at the ground", "Diego Salas|the visiting coach",
                "Ben Ashworth|the referee", "Ivan Petrovic|the club's sporting director"],
        places=["the stadium", "the away end", "the touchline", "the penalty area", "the tunnel",
                "the dressing room", "the training ground", "the fan zone"],
        orgs=["the league", "the home club", "the supporters' trust", "the football association",
              "the visiting side", "the broadcaster"],
        nouns=["penalty", "red card", "substitution", "transfer bid", "VAR review",
               "corner", "injury update", "team sheet", "press conference", "late equaliser"],
    ),
}

VERBS_PAST = ["confirmed", "denied", "announced", "warned of", "welcomed", "criticised", "postponed",
              "approved", "rejected", "questioned", "defended", "downplayed", "reported", "described",
              "called for", "promised", "ruled out", "played down", "pointed to", "raised concerns about"]
VERBS_BASE = ["support", "review", "stop", "delay", "publish", "investigate", "accept", "extend",
              "protect", "rebuild", "explain", "restore", "fund", "challenge", "monitor"]
ADJ = ["fresh", "renewed", "urgent", "significant", "unexpected", "long-awaited", "disputed", "temporary",
       "major", "limited", "second", "further", "widespread", "emergency", "preliminary", "sharp"]
EXTRA_NOUNS = ["talks", "plans", "figures", "reports", "measures", "claims", "delays", "concerns",
               "warnings", "negotiations", "findings", "costs", "restrictions", "repairs", "payments"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TIMEWORDS = ["earlier today", "this morning", "overnight", "late on {DAY}", "on {DAY} evening",
             "in the past hour", "within minutes", "shortly after midday", "yesterday"]
OUTLETS = ["reporters", "the BBC", "Reuters", "the Associated Press", "local radio", "a press conference",
           "the broadcaster", "journalists outside", "a news agency", "state television"]
AGENCIES = ["Reuters", "AP", "AFP", "Getty Images", "EPA", "PA", "Bloomberg", "Shutterstock"]
FIRST = ["Anna", "Jon", "Maya", "Sam", "Leila", "Tom", "Chloe", "Ravi", "Ellie", "Oscar", "Noor", "Ian",
         "Zara", "Hugo", "Ines", "Kofi", "Rosa", "Felix", "Hana", "Owen"]
LAST = ["Ward", "Novak", "Sharma", "Quinn", "Baptiste", "Kerr", "Lindgren", "Osei", "Moreau", "Fischer",
        "Doherty", "Yilmaz", "Santos", "Reid", "Adeyemi", "Holt", "Nakamura", "Pryce", "Vidal", "Byrne"]
CITIES = ["Leeds", "Glasgow", "Cardiff", "Bristol", "Norwich", "Belfast", "Toronto", "Dublin", "Lyon",
          "Perth", "Austin", "Leicester"]

SENTENCES = [
    "{PERSON_ROLE}, {said|told {OUTLET}} {TIMEWORD} that {CLAUSE}.",
    "{ORG_CAP} {said|confirmed|reported} {TIMEWORD} that {CLAUSE}.",
    "{CLAUSE_CAP}, {according to|said} {ORG}.",
    "“{QUOTE}.” {PERSON_SHORT} {said|told {OUTLET}|added|wrote on social media}.",
    "“{QUOTE},” {he|she} {said|added}, {calling|describing} the {NOUN} {“{ADJ}”|{a necessary|an important|a difficult} step}.",
    "{CLAUSE_CAP} {after|as|while|even as} {CLAUSE}.",
    "It {came|comes} as {CLAUSE}.",
    "{NUM_CAP} {people|residents|officials|workers|families} {were|have been} {affected|moved|evacuated|"
    "questioned|contacted} in {PLACE} {since|over|during} the {NOUN}, {ORG} said.",
    "{Meanwhile|Separately|Elsewhere|Earlier}, {CLAUSE}.",
    "The {NOUN} {is expected to|could|will} {VERB_BASE} {NP} {by|before|after} {DAY}, {PERSON_SHORT} said.",
    "{PERSON_SHORT}’s {office|team|spokesperson} {said|insisted} the {NOUN} {would {VERB_BASE}|had {VERB_PAST}} {NP}.",
    "There {was|has been} no {immediate comment|word|response} from {ORG} on the {NOUN} in {PLACE}.",
    "Asked about the {NOUN}, {PERSON_SHORT} {said|replied}: “{QUOTE}.”",
    "We’ll bring you {more|updates} on the {NOUN} in {PLACE} as {we get them|it develops}.",
]
CLAUSES = [
    "{SUBJ} {VERB_PAST} {NP} {PREP}",
    "{SUBJ} had {VERB_PAST} the {NOUN} {PREP}",
    "the {NOUN} {PREP} was {ADJ} {and|but} {ADJ}",
    "{NUM} {EXTRA_NOUN} {were|had been} {VERB_PAST} by {ORG}",
    "{SUBJ} would {VERB_BASE} the {NOUN} {PREP}",
    "{PERSON_SHORT} {VERB_PAST} the {ADJ} {NOUN} and {VERB_PAST} {NP}",
]
QUOTES = [
    "We {will|must|cannot} {VERB_BASE} {NP} {PREP}. {This is|It is} {a hard|a decisive|an important} moment for {PLACE}",
    "{Nobody|No one} {expected|wanted} the {NOUN} to {VERB_BASE} {NP}",
    "The {NOUN} {shows|proves|suggests} that {CLAUSE}",
    "I {have|had} {never seen|not seen} {a|an} {NOUN} like this {in|across} {PLACE}",
    "Our {priority|focus|job} {is|remains} to {VERB_BASE} {NP}, and we {will|won’t} {stop|back down}",
]
HEADLINES = [
    "{PERSON_SHORT} {says|warns|vows|insists|denies} {CLAUSE}",
    "{PLACE_CAP}: {CLAUSE}",
    "{NOUN_CAP} {in|near|across} {PLACE} as {CLAUSE}",
    "‘{SHORT_QUOTE}’, says {PERSON_SHORT}",
    "{ORG_CAP} {confirms|announces|rules out|reports} {ADJ} {NOUN}",
    "{NUM_CAP} {EXTRA_NOUN} after {NOUN} in {PLACE}",
    "{ADJ_CAP} {NOUN} {expected|delayed|confirmed} {PREP}",
    "{What we know about|Explained:|Watch:|In pictures:} the {NOUN} in {PLACE}",
]
PREPS = ["in {PLACE}", "near {PLACE}", "on {DAY}", "for the {second|third|first} time", "amid {NP}",
         "after the {NOUN}", "before the {NOUN}", "ahead of {DAY}", "across {PLACE}", "{TIMEWORD}"]
NUMBERS = ["two", "three", "five", "dozens of", "hundreds of", "at least 12", "more than 40", "about 300",
           "nearly 1,500", "some 80", "seven", "several"]


def topic_slots(topic):
    """The slots of the news grammar for one topic."""
    people = [p.split("|") for p in topic["people"]]
    slots = {
        "PERSON_ROLE": lambda r: ", ".join(r.choice(people)),
        "PERSON_SHORT": lambda r: _short(r.choice(people)[0]),
        "PLACE": topic["places"],
        "PLACE_CAP": lambda r: cap(r.choice(topic["places"])),
        "ORG": topic["orgs"],
        "ORG_CAP": lambda r: cap(r.choice(topic["orgs"])),
        "NOUN": topic["nouns"],
        "NOUN_CAP": lambda r: cap(r.choice(topic["nouns"])),
        "EXTRA_NOUN": EXTRA_NOUNS,
        "VERB_PAST": VERBS_PAST,
        "VERB_BASE": VERBS_BASE,
        "ADJ": ADJ,
        "ADJ_CAP": lambda r: cap(r.choice(ADJ)),
        "DAY": DAYS,
        "TIMEWORD": TIMEWORDS,
        "OUTLET": OUTLETS,
        "NUM": NUMBERS,
        "NUM_CAP": lambda r: cap(r.choice(NUMBERS)),
        "NP": ["the {ADJ} {NOUN}", "{ADJ} {EXTRA_NOUN}", "the {EXTRA_NOUN} over the {NOUN}",
               "{EXTRA_NOUN} in {PLACE}", "the {NOUN} {PREP}"],
        "PREP": PREPS,
        "SUBJ": ["{PERSON_SHORT}", "{ORG}", "officials in {PLACE}", "{ORG}’s {EXTRA_NOUN}"],
        "QUOTE": QUOTES,
        "SHORT_QUOTE": ["We {will|must} {VERB_BASE} {NP}", "This {NOUN} is {ADJ}", "No one is {safe|listening}"],
    }
    slots["CLAUSE"] = CLAUSES
    slots["CLAUSE_CAP"] = lambda r: cap(expand(r.choice(CLAUSES), r, slots))
    return slots


def _short(full):
    """Surname for the second mention ('Judge Miriam Oduya' -> 'Oduya')."""
    return full.split()[-1]


class NewsText:
    """Sentences, headlines and post lines about one topic."""

    def __init__(self, topic_name, rng):
        self.rng = rng
        self.slots = topic_slots(TOPICS[topic_name])

    def sentence(self):
        return cap(expand(self.rng.choice(SENTENCES), self.rng, self.slots))

    def paragraph(self, sentences=None):
        n = sentences or self.rng.choice([1, 1, 2, 2, 2, 3])
        return " ".join(self.sentence() for _ in range(n))

    def headline(self):
        h = cap(expand(self.rng.choice(HEADLINES), self.rng, self.slots))
        return h.rstrip(".")

    def point(self):
        """A key-points line: one short sentence, with or without a full stop."""
        s = cap(expand(self.rng.choice(CLAUSES), self.rng, self.slots))
        return s + ("." if self.rng.random() < 0.6 else "")

    def expand(self, template):
        return expand(template, self.rng, self.slots)

    # Lines inside posts that have no closing punctuation. Each returns the
    # lines as printed, and its kind (for the truth).

    def tweet(self):
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        handle = (name.replace(" ", "")[: self.rng.randint(6, 12)] + str(self.rng.randint(1, 99))).lower()
        text = self.expand("{CLAUSE_CAP} {PREP}") + f" pic.twitter.com/{_token(self.rng, 10)}"
        month = self.rng.choice(["January", "March", "June", "October", "November", "December"])
        return [text, f"— {name} (@{handle}) {month} {self.rng.randint(1, 28)}, {self.rng.randint(2016, 2025)}"]

    def caption(self):
        t = self.expand("{NOUN_CAP} {in|at|near} {PLACE} {on {DAY}|{TIMEWORD}|}")
        if self.rng.random() < 0.6:
            credit = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}/{self.rng.choice(AGENCIES)}"
            t += f" {self.rng.choice(['Photograph:', 'Photo:', 'Image:', 'Picture:'])} {credit}"
        return [t]

    def quote_lead_in(self):
        lead = self.expand("{In a statement, |Speaking {TIMEWORD}, |}{PERSON_SHORT} {said|added|wrote|told {OUTLET}}")
        if self.rng.random() < 0.4:
            lead += ":"
        return [lead, "“" + self.expand("{QUOTE}").rstrip(".") + ".”"]

    def reader_comment(self):
        who = f"{self.rng.choice(FIRST)} in {self.rng.choice(CITIES)}"
        lead = self.rng.choice([f"{who} writes", f"A reader, {who}, got in touch", f"From {who}",
                                f"{who} emailed", f"Reader comment from {who}"])
        body = expand("{{honestly|i think|cant believe|so} the {NOUN} {PREP}|"
                      "why is nobody talking about the {NOUN}|{ADJ} {NOUN} again in {PLACE}}",
                      self.rng, self.slots).lower()
        return [lead, body]

    def list_items(self):
        n = self.rng.randint(2, 4)
        return [cap(self.expand("{NUM} {EXTRA_NOUN} {PREP}")) for _ in range(n)]


def _token(rng, n):
    return "".join(rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(n))


def person_name(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


if __name__ == "__main__":  # a quick look at the grammar's output
    r = random.Random(1)
    t = NewsText("war", r)
    for _ in range(4):
        print(t.headline())
        print(t.paragraph())
    print(t.tweet(), t.caption(), t.quote_lead_in(), t.reader_comment(), t.list_items(), sep="\n")
