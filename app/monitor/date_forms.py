"""Date forms feedparser misreads, read before its handlers (hostile feeds, round 17).

* Direction marks in a date: a Persian CMS writes an RLM or LRM at a field's edges and around numbers (as
  before links: round 16), and «Mon, 07 Dec 2026 10:30:00 +0330» after or before one was no date, with a
  zero-width space before its zone a date of the wrong hour. ``unmarked`` is the date without them (the
  marks, a BOM, zero-width spaces, the embeddings and isolates; not a ZWNJ, part of «سه‌شنبه»);
  ``marked_date`` reads that with feedparser's handlers (``feed_dates`` registers it last: tried first), and ``feed_dates.plausible`` judges it.

ISO 8601's week dates in a feed («2026-W49-1», the Monday of week 49; «2026W491»; «2026-W49», the week's
Monday; a clock and a zone after them): feedparser read every one as 1 December of its year, whatever its
week and day (round 16's note; hostile feeds, round 17). ``week_date`` is registered as feedparser's date
handler for them, and gives None for a week or a day that does not exist («W49-8», «2025-W53»);
``feed_dates.plausible`` then refuses the text, so that feedparser's reading is not kept either.

A Gregorian date in numbers day first («22/11/2025», «22-11-2025»), as European and Iranian CMSs write it: no date to
feedparser (with «-» and a clock, a day of the wrong year: «22-11-2025 10:30» was 20 November 2022).
``numeric_date`` reads it when only one order of day and month makes a day; an ambiguous one («05/06/2025»,
«05-06-2025 10:30») is no date (a review of session 43; hostile feeds, round 18).

A clock in 12 hours after an ISO-like or RFC 822 date («2025-11-22 10:30 PM»: feedparser read 10:30 UTC, the
afternoon and the zone lost) is read as its 24 hours (``twelve_hour_date``); a zone by its IANA name after the clock
(«2025-11-22T10:30:00 Asia/Kabul», «… 10:30:00 Europe/London»: read as UTC) as that zone's offset of the day
(``zone_id_date``); «GMT+03:30» after an ISO-like or Jalali date (its clock and zone lost) as the offset (``gmt_offset_date``); a clock
before its date («۱۰:۳۰ - ۱۴۰۴/۰۹/۰۱»: the fetch's day) or after a bar («2025/11/22 - 10:30»: 1 December) as the
date and its clock (``clock_first_date``).
``verdict`` is ``feed_dates.plausible``'s judgement of these forms (hostile feeds, round 18)."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import feedparser
from feedparser.datetimes import _parse_date

from app.clock import local_zone
from search_index.persian import ascii_digits

MAX_OFFSET_HOURS = 14  # the world's time zones run from -12:00 to +14:00

# Zone names feedparser's RFC 822 handler does not know, which it read as UTC without a word:
# Iran's own above all (a review of hostile feeds, round 6: «… 10:00:00 IRST» was stored 3½ hours
# late); the ones a name means unambiguously. «IST», «AST» (Arabia or Atlantic), «GST», «BST» (British or
# Bangladesh) mean several.
ZONE_OFFSETS = {"irst": "+0330", "irdt": "+0430", "cet": "+0100", "cest": "+0200", "eet": "+0200",
                "eest": "+0300", "wet": "+0000", "west": "+0100", "msk": "+0300",
                "trt": "+0300", "pkt": "+0500", "aft": "+0430", "jst": "+0900", "kst": "+0900",
                "mez": "+0100", "mesz": "+0200"}  # CET and CEST in German (round 20)

WEEK_DATE = re.compile(r"\s*(\d{4})(-?)w(\d{2})(?:\2([1-9]))?(?:(?:t|\s+)(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?"
                       r"\s*(?:(z)|([+-])(\d{2})(?::?(\d{2}))?)?\s*", re.IGNORECASE | re.ASCII)


def week_date(text: str):
    """feedparser's date handler for an ISO week date (``WEEK_DATE``): its UTC 9-tuple; None otherwise. Without
    a zone, the installation's clock (as any date written without one)."""
    found = WEEK_DATE.fullmatch(ascii_digits(text)) if len(text) <= 64 else None
    if not found:
        return None
    year, _, week, day, *clock_and_zone = found.groups()
    return _utc_tuple(lambda: datetime.fromisocalendar(int(year), int(week), int(day or 1)).date(), *clock_and_zone)


def _utc_tuple(day_of, hour, minute, second, zulu, sign, off_hours, off_minutes):
    """The UTC 9-tuple of the day ``day_of()`` gives (ValueError: no such day) at a clock and zone as written
    (strings or None; without a zone, the installation's clock); None for no such day, clock or zone."""
    zone = local_zone()
    if zulu or sign:
        if int(off_hours or 0) > MAX_OFFSET_HOURS or int(off_minutes or 0) > 59:
            return None
        offset = timedelta(hours=int(off_hours or 0), minutes=int(off_minutes or 0))
        zone = timezone(-offset if sign == "-" else offset)
    clock = timedelta(hours=int(hour or 0), minutes=int(minute or 0), seconds=int(second or 0))
    if clock > timedelta(hours=24) or int(minute or 0) > 59 or int(second or 0) > 59:
        return None
    try:
        midnight = datetime.combine(day_of(), datetime.min.time(), tzinfo=zone)
        return (midnight + clock).astimezone(UTC).timetuple()
    except (ValueError, OverflowError):  # no such week or day
        return None


# A Gregorian date in numbers, day and month in either order («22/11/2025», «11/22/2025», «22.11.2025», «22-11-2025»),
# a clock and a zone after it. ``verdict`` keeps ``feed_dates.plausible`` from reading «-2025» as an offset. A weekday
# in words before it is passed over («Di., 03.06.2025», «Вт, 03.06.2025»: a German or Russian CMS's; it made the date
# none: round 20's note), and German's «Uhr» after the clock (o'clock, no zone).
NUMERIC_DATE = re.compile(r"\s*(?:[a-zA-Zа-яёА-ЯЁ]{2,11}\.?\s*,?\s*)?"
                          r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:(?:t|\s+|\s*[,|-]\s*)(\d{2}):(\d{2})(?::(\d{2}))?(?:\s*uhr)?)?"
                          r"\s*(?:(z)|([+-])(\d{2}):?(\d{2}))?\s*", re.IGNORECASE | re.ASCII)


def numeric_date(text: str):
    """feedparser's date handler for ``NUMERIC_DATE`` when only one order of its day and month makes a day: day
    first when the first number is no month (> 12), month first when the second is none: «22/11/2025» was no
    date (a review of session 43); with dots, when both orders make a day, day first («03.11.2025»; in an en-US
    feed too: American English writes no dotted dates). None otherwise: «05/06/2025» (5 June or 6 May)
    stays as feedparser reads it, no date; a year of jalali_date's (1300-1499) is its."""
    found = NUMERIC_DATE.fullmatch(ascii_digits(text)) if len(text) <= 64 else None
    if not found:
        return None
    first, separator, second, year, *clock_and_zone = found.groups()
    first, second, year = int(first), int(second), int(year)
    if 1300 <= year < 1500 or first > 12 and second > 12:
        return None
    if first <= 12 and second <= 12 and separator != ".":
        return None
    # Dots are day first where a date is written so (German, Russian, Turkish: «03.11.2025» is 3 November; round 20),
    # when both orders make a day: «11.22.2025» is 22 November, as with slashes (a review of round 20)
    day, month = (first, second) if first > 12 or (separator == "." and second <= 12) else (second, first)
    return _utc_tuple(lambda: date(year, month, day), *clock_and_zone)


_TWELVE_HOUR = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(:\d{2}(?:[.,]\d+)?)?\s*([ap])\.?\s?m\.?(?![a-z])",
                          re.IGNORECASE | re.ASCII)


def twelve_hour_date(text: str):
    """feedparser's date handler for a date whose clock is in 12 hours (``_TWELVE_HOUR``): the date with the clock in
    24 hours, read by the handlers; None otherwise, and for an hour that is not one of 1-12."""
    found = _TWELVE_HOUR.search(text) if len(text) <= 100 else None
    if not found or not 1 <= int(found[1]) <= 12:
        return None
    hour = int(found[1]) % 12 + (12 if found[4].lower() == "p" else 0)
    return _parse_date(f"{text[:found.start()]}{hour:02d}:{found[2]}{found[3] or ''}{text[found.end():]}")


# A clock, then a zone's IANA name (in brackets too): not after an offset («…+04:30[Asia/Kabul]», read as its offset)
_ZONE_ID = re.compile(r"(?<=[\sT])(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*[(\[]?\s*([A-Za-z]+(?:/[A-Za-z0-9_+-]+){1,2})"
                      r"\s*[)\]]?\s*", re.ASCII)


def zone_id_date(text: str):
    """feedparser's date handler for a date whose zone is an IANA name (``_ZONE_ID``): the wall clock written, read by
    the handlers, in that zone; None otherwise, and for a name no zone has."""
    found = _ZONE_ID.search(text) if len(text) <= 100 else None
    if not found or found.end() != len(text):
        return None
    try:
        zone = ZoneInfo(found[2])
    except (ZoneInfoNotFoundError, ValueError):
        return None
    wall = _parse_date(f"{text[:found.end(1)]} +0000")
    try:
        return datetime(*wall[:6], tzinfo=zone).astimezone(UTC).timetuple() if wall else None
    except (ValueError, OverflowError):
        return None


# «GMT» or «UTC» before an offset after a date year first («2025-11-22 10:30:00 GMT+03:30»: feedparser kept the day
# alone; «۱۴۰۴/۰۹/۰۱ ۱۰:۳۰ (GMT+3:30)»: 1 December 1404 AD), in brackets or not
_NAMED_OFFSET = re.compile(r"(?<=\d)\s*\(?\s*(?:gmt|utc)\s*([+-])(\d{1,2})(?::?(\d{2}))?\s*\)?\s*$", re.IGNORECASE | re.ASCII)
_YEAR_FIRST = re.compile(r"\s*\d{4}[-/.]", re.ASCII)


def gmt_offset_date(text: str):
    """feedparser's date handler for a date year first whose offset follows «GMT» or «UTC»: read with it as ±HHMM."""
    bare = ascii_digits(text) if len(text) <= 100 else ""
    found = _NAMED_OFFSET.search(bare) if _YEAR_FIRST.match(bare) else None
    if not found or int(found[2]) > MAX_OFFSET_HOURS or int(found[3] or 0) > 59:
        return None
    return _parse_date(f"{bare[:found.start()]} {found[1]}{int(found[2]):02d}{found[3] or '00'}")


# The clock before the date («۱۰:۳۰ - ۱۴۰۴/۰۹/۰۱», «ساعت ۱۰:۳۰ - شنبه ۱ آذر ۱۴۰۴», «10:30:00 22/11/2025»), as Persian
# news sites write it: feedparser read the clock alone, on the day of the fetch (not marked estimated), or nothing;
# a date year first and its clock after «-» or «|» («2025/11/22 - 10:30»: 1 December)
_CLOCK_FIRST = re.compile(r"\s*(?:ساعت\s*)?(\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[ap]\.?m\.?|[قب]\.?\s?ظ\.?))?)\s*[-–|,،]?\s*"
                          r"((?=.*\d{4}).+)", re.IGNORECASE)
_CLOCK_AFTER_BAR = re.compile(r"(\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*[-–|,،@]\s*(\d{1,2}:\d{2}.*)", re.ASCII)


def clock_moved(text: str) -> str | None:
    """A clock written before its date, or after a year-first date and a bar, written as the date then the clock
    (``feed_dates.plausible`` judges that); None for another text, and for a clock before a year alone («10:30 2025»:
    1 January; a review of round 18)."""
    bare = ascii_digits(text) if len(text) <= 100 else ""
    first = _CLOCK_FIRST.fullmatch(bare)
    if first:
        return f"{first[2].strip()} {first[1]}" if len(re.findall(r"\d+", first[2])) >= 2 else None
    after = _CLOCK_AFTER_BAR.fullmatch(bare)
    return f"{after[1]} {after[2]}" if after else None


def clock_first_date(text: str):
    """feedparser's date handler for a clock written before its date, or after a year-first date and a bar: the date
    then the clock (``clock_moved``), read by the handlers; None otherwise."""
    moved = clock_moved(text)
    return _parse_date(moved) if moved else None


def verdict(text: str) -> bool | None:
    """Whether a date of this module's forms is one, that is whether its handler read it (feedparser's reading of
    «2026-W49-8», «05-06-2025 10:30», «22-11-2025» (offset 20:25), «13:30 PM», «10:30 Foo/Bar» is none); None for
    another form."""
    bare = ascii_digits(text)
    numeric = NUMERIC_DATE.fullmatch(bare)
    if numeric and not 1300 <= int(numeric[4]) < 1500:
        return numeric_date(text) is not None
    if WEEK_DATE.fullmatch(bare):
        return week_date(text) is not None
    if _CLOCK_FIRST.fullmatch(bare) or _CLOCK_AFTER_BAR.fullmatch(bare):  # feedparser: the fetch's day, 1 December
        return clock_first_date(text) is not None
    zone_id = _ZONE_ID.search(text)  # «… 10:30:00 Foo/Bar»: feedparser read UTC
    if zone_id and zone_id.end() == len(text):
        return zone_id_date(text) is not None
    return twelve_hour_date(text) is not None if _TWELVE_HOUR.search(text) else None


for _handler in (numeric_date, twelve_hour_date, zone_id_date, gmt_offset_date, clock_first_date):  # on import, as jalali_date: before feed_dates's own
    feedparser.registerDateHandler(_handler)  # (tried after them)


_MARKS = re.compile("[\u061c\u200b\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def unmarked(text: str) -> str:
    """A date's text without the characters drawn as nothing that are no part of it (``_MARKS``)."""
    return _MARKS.sub("", text)


def marked_date(text: str):
    """feedparser's date handler for a date with marks in it: feedparser's reading of it without them."""
    bare = unmarked(text)
    return _parse_date(bare) if bare != text else None
