"""Time zones and the clock formats live blogs print.

Zones carry their own daylight-saving rules (EU and US), so the generator
gives the same times on every machine whatever its tz database. Every post
time is a UTC instant; pages print it in the blog's zone, and the truth
writes it as ISO 8601 with that zone's offset.
"""

from datetime import datetime, timedelta, timezone

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
AP_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
             "Dec."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _last_sunday(year, month):
    d = datetime(year, month + 1, 1) - timedelta(days=1) if month < 12 else datetime(year, 12, 31)
    return d - timedelta(days=(d.weekday() + 1) % 7)


def _nth_sunday(year, month, n):
    d = datetime(year, month, 1)
    first = d + timedelta(days=(6 - d.weekday()) % 7)
    return first + timedelta(weeks=n - 1)


class Zone:
    """A zone with standard and summer offsets (minutes east of UTC)."""

    def __init__(self, name, std, dst, std_abbr, dst_abbr, rule):
        self.name, self.std, self.dst = name, std, dst
        self.std_abbr, self.dst_abbr, self.rule = std_abbr, dst_abbr, rule

    def is_summer(self, utc):
        y = utc.year
        if self.rule == "eu":  # last Sunday of March to last Sunday of October, 01:00 UTC
            start = _last_sunday(y, 3) + timedelta(hours=1)
            end = _last_sunday(y, 10) + timedelta(hours=1)
        elif self.rule == "us":  # 2nd Sunday of March 02:00 local to 1st Sunday of November 02:00 local
            start = _nth_sunday(y, 3, 2) + timedelta(hours=2, minutes=-self.std)
            end = _nth_sunday(y, 11, 1) + timedelta(hours=2, minutes=-self.dst)
        else:
            return False
        naive = utc.replace(tzinfo=None)
        return start <= naive < end

    def offset(self, utc):
        return self.dst if self.is_summer(utc) else self.std

    def abbr(self, utc):
        return self.dst_abbr if self.is_summer(utc) else self.std_abbr

    def local(self, utc):
        """The aware local datetime of a UTC instant."""
        off = self.offset(utc)
        return utc.astimezone(timezone(timedelta(minutes=off)))


ZONES = {
    "uk": Zone("uk", 0, 60, "GMT", "BST", "eu"),
    "cet": Zone("cet", 60, 120, "CET", "CEST", "eu"),
    "us_et": Zone("us_et", -300, -240, "EST", "EDT", "us"),
    "utc": Zone("utc", 0, 0, "UTC", "UTC", None),
}


def iso(local):
    """ISO 8601 with offset, to the minute's second ('2024-11-01T20:00:00+00:00')."""
    return local.isoformat(timespec="seconds")


# ---------------------------------------------------------------- formats
# Each takes (utc instant, zone, author) and returns the printed stamp. The
# author is only used by formats that glue it to the time.


def fmt_g12(utc, zone, author=None):
    """'10.32am GMT' (Guardian, 12-hour)."""
    t = zone.local(utc)
    h = t.hour % 12 or 12
    return f"{h}.{t.minute:02d}{'am' if t.hour < 12 else 'pm'} {zone.abbr(utc)}"


def fmt_g24(utc, zone, author=None):
    """'19.30 GMT' (Guardian, 24-hour)."""
    t = zone.local(utc)
    return f"{t.hour:02d}.{t.minute:02d} {zone.abbr(utc)}"


def fmt_c24(utc, zone, author=None):
    """'16:53' (BBC style: clock only, zone and date implied by the page)."""
    t = zone.local(utc)
    return f"{t.hour:02d}:{t.minute:02d}"


def fmt_glued(utc, zone, author=None):
    """'Andy Gregory1 November 2024 20:00' (Independent: name glued to the date)."""
    t = zone.local(utc)
    return f"{author or ''}{t.day} {MONTHS[t.month - 1]} {t.year} {t.hour:02d}:{t.minute:02d}"


def fmt_iso(utc, zone, author=None):
    """'2024-11-01T20:00:00+00:00' (feeds and wire desks)."""
    return iso(zone.local(utc))


def fmt_iso_z(utc, zone, author=None):
    """'2024-11-01T20:00Z' (UTC, minute precision)."""
    return utc.strftime("%Y-%m-%dT%H:%MZ")


def fmt_us(utc, zone, author=None):
    """'Nov. 1, 2024, 4:53 p.m. ET' (US papers, AP months)."""
    t = zone.local(utc)
    h = t.hour % 12 or 12
    return f"{AP_MONTHS[t.month - 1]} {t.day}, {t.year}, {h}:{t.minute:02d} {'a.m.' if t.hour < 12 else 'p.m.'} ET"


def fmt_cet(utc, zone, author=None):
    """'1 March 2016, 16:53 CET' (continental English-language sites)."""
    t = zone.local(utc)
    return f"{t.day} {MONTHS[t.month - 1]} {t.year}, {t.hour:02d}:{t.minute:02d} {zone.abbr(utc)}"


FORMATS = {
    "g12": fmt_g12, "g24": fmt_g24, "c24": fmt_c24, "glued": fmt_glued, "iso": fmt_iso,
    "iso_z": fmt_iso_z, "us": fmt_us, "cet": fmt_cet,
}
# Formats that print no date: their posts are dated by the page (snapshot
# date line, day dividers).
CLOCK_ONLY = {"g12", "g24", "c24"}


def day_divider(local, rng):
    """A day heading printed where the day changes ('Saturday 2 November')."""
    wd, mo = WEEKDAYS[local.weekday()], MONTHS[local.month - 1]
    forms = [f"{wd} {local.day} {mo}", f"{wd}, {local.day} {mo} {local.year}", f"{local.day} {mo} {local.year}",
             f"{wd[:3]} {local.day} {mo[:3]} {local.year}"]
    return rng.choice(forms)


def page_updated(utc, zone):
    """BBC's page-level line, a time that belongs to no post."""
    t = zone.local(utc)
    return (f"Page last updated at {t.hour:02d}:{t.minute:02d} {zone.abbr(utc)}, "
            f"{WEEKDAYS[t.weekday()]}, {t.day} {MONTHS[t.month - 1]} {t.year}")
