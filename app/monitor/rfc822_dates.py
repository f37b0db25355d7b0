"""RFC 822 and asctime dates feedparser misreads, for feedparser (split from feed_dates.py, hostile feeds, round 20).

* A zone's name feedparser does not know («… 10:00:00 IRST»: UTC to it): ``zone_named_date``.
* Offsets written otherwise than ±HHMM («+330», «GMT+3:30», «UTC+3:30», «(GMT+3:30)»), which feedparser took for 33
  hours or for UTC, and Java's Date.toString («Wed Nov 26 10:30:00 IRST 2025»): ``offset_date`` and
  ``asctime_zone_date`` (a review of hostile feeds, round 11).
* An RFC 822 or asctime date with a clock and no zone: the installation's clock (``app.clock.local_zone``), as a
  Jalali one is: ``rfc822_zoneless_date``, ``asctime_zoneless_date``.

Registered on import, after worded_dates's handler (imported first: tried after these) and before feed_dates's own.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import feedparser
from feedparser.datetimes.rfc822 import _parse_date_rfc822

from app.clock import local_zone
from app.monitor import worded_dates  # noqa: F401 - its handler registered before these: tried after them
from app.monitor.date_forms import MAX_OFFSET_HOURS, ZONE_OFFSETS
from app.monitor.jalali_feed_dates import MAX_DATE_CHARS

_ZONE_NAME = re.compile(r"\d:\d{2}(?::\d{2})?\s+([a-z]{3,4})\s*$", re.IGNORECASE)


def zone_named_date(text: str):
    """feedparser's date handler for an RFC 822 date whose zone is a name of ``ZONE_OFFSETS``: the
    name read as its offset, the rest as feedparser reads it; None otherwise."""
    if len(text) > MAX_DATE_CHARS:
        return None
    found = _ZONE_NAME.search(text)
    offset = ZONE_OFFSETS.get(found.group(1).lower()) if found else None
    if offset is None:
        return None
    return _parse_date_rfc822(text[:found.start(1)] + offset)


feedparser.registerDateHandler(zone_named_date)

# An offset after a clock as Iranian servers write it besides ±HHMM: «+330», «-330», «+3:30», «GMT+3:30»,
# «UTC+3:30», «(GMT+3:30)», «+03». feedparser read «+330» and «GMT+3:30» as 33 hours (an item 33 hours
# early, «-330» 33 hours late) and «UTC+3:30», «(GMT+3:30)» as UTC (a review of hostile feeds, round 11).
_LOOSE_OFFSET = re.compile(r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(\(?)\s*(gmt|utc)?\s*([+-])(\d{1,2})(:?)(\d{2})?\s*\)?\s*$",
                           re.IGNORECASE)


def offset_date(text: str):
    """feedparser's date handler for an RFC 822 date whose offset is not written ±HHMM (``_LOOSE_OFFSET``):
    its UTC 9-tuple; None for one written so (feedparser reads it), for an ISO-like or Jalali date
    (their handlers') and for an offset no zone has (``plausible`` refuses feedparser's reading)."""
    if len(text) > MAX_DATE_CHARS or _ISO.match(text) or _JALALI_YEAR_FIRST.match(text):
        return None
    found = _LOOSE_OFFSET.search(text)
    if not found:
        return None
    paren, name, sign, hours, colon, minutes = found.groups()
    if not (paren or name or colon or len(hours) == 1 or minutes is None):
        return None  # ±HHMM
    if not _possible_offset(int(hours), int(minutes or 0)):
        return None
    return _parse_date_rfc822(f"{text[:found.start(1)].rstrip()} {sign}{int(hours):02d}{minutes or '00'}")


feedparser.registerDateHandler(offset_date)

# Java's Date.toString and C's asctime with a zone, «Wed Nov 26 10:30:00 IRST 2025»: feedparser read its
# clock as UTC whatever the zone (a review of hostile feeds, round 11). Read as the RFC 822 date it says.
_ASCTIME_ZONE = re.compile(r"^\s*(?:[a-z]{3},?\s+)?([a-z]{3})\s+(\d{1,2})\s+(\d{1,2}:\d{2}(?::\d{2})?)\s+"
                           r"([a-z]{2,5}|[+-]\d{4})\s+(\d{4})\s*$", re.IGNORECASE)


def asctime_zone_date(text: str):
    """feedparser's date handler for an asctime date with a zone (``_ASCTIME_ZONE``): its UTC
    9-tuple, the zone read as in an RFC 822 date; None otherwise."""
    found = _ASCTIME_ZONE.match(text) if len(text) <= MAX_DATE_CHARS else None
    if not found:
        return None
    month, day, clock, zone, year = found.groups()
    rfc822 = f"{day} {month} {year} {clock} {zone}"
    return zone_named_date(rfc822) or _parse_date_rfc822(rfc822)


feedparser.registerDateHandler(asctime_zone_date)

# An RFC 822 date with a clock and no zone, «Wed, 26 Nov 2025 10:30:00» (with the weekday feedparser
# gave no date at all; without it, it read the clock as UTC): the installation's, as an ISO-like or a
# Jalali date without a zone is (the code review of round 11; the corpus writes none).
_RFC822_ZONELESS = re.compile(r"^\s*(?:[a-z]{3},?\s+)?(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{4})\s+"
                              r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s+uhr)?\s*$", re.IGNORECASE | re.ASCII)  # «Uhr»: o'clock
_MONTHS = {name: n for n, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                             "nov", "dec"), 1)}


def rfc822_zoneless_date(text: str):
    """feedparser's date handler for an RFC 822 date with a clock and no zone (``_RFC822_ZONELESS``):
    its UTC 9-tuple, read on the installation's clock; None otherwise."""
    found = _RFC822_ZONELESS.match(text) if len(text) <= MAX_DATE_CHARS else None
    if not found or found.group(2).lower() not in _MONTHS:
        return None
    day, month, year, hour, minute, second = found.groups()
    return _on_local_clock(int(year), _MONTHS[month.lower()], int(day), hour, minute, second)


def _on_local_clock(year: int, month: int, day: int, hour, minute, second, zone=None):
    """The UTC 9-tuple of a day and clock (strings or None) on ``zone``'s wall clock, the
    installation's by default (its daylight saving of that moment); None for no such day or clock,
    or an instant Python's datetime cannot hold."""
    clock = tuple(int(part or 0) for part in (hour, minute, second))
    if not _possible_clock(*clock):
        return None
    try:
        midnight = datetime(year, month, day, tzinfo=zone or local_zone())
        return (midnight + timedelta(hours=clock[0], minutes=clock[1], seconds=clock[2])).astimezone(UTC).timetuple()
    except (ValueError, OverflowError):  # no such day; or its instant before year 1 or past 9999 («00010101»)
        return None


feedparser.registerDateHandler(rfc822_zoneless_date)

# C's asctime without a zone, «Wed Nov 26 10:30:00 2025» (the weekday may be left out): feedparser read
# it as UTC, where an RFC 822 or ISO-like date without a zone is the installation's (round 12).
_ASCTIME_ZONELESS = re.compile(r"^\s*(?:[a-z]{3},?\s+)?([a-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+"
                               r"(\d{4})\s*$", re.IGNORECASE | re.ASCII)


def asctime_zoneless_date(text: str):
    """feedparser's date handler for an asctime date without a zone: its UTC 9-tuple on the
    installation's clock; None otherwise."""
    found = _ASCTIME_ZONELESS.match(text) if len(text) <= MAX_DATE_CHARS else None
    if not found or found.group(1).lower() not in _MONTHS:
        return None
    month, day, hour, minute, second, year = found.groups()
    return _on_local_clock(int(year), _MONTHS[month.lower()], int(day), hour, minute, second)


feedparser.registerDateHandler(asctime_zoneless_date)

def _possible_clock(hour: int, minute: int, second: int) -> bool:
    """Whether a clock is one: 24:00:00 (the day's end) and a leap second are."""
    return not (hour > 23 and (hour, minute, second) != (24, 0, 0) or minute > 59 or second > 60)


def _possible_offset(hours: int, minutes: int) -> bool:
    return hours <= MAX_OFFSET_HOURS and minutes <= 59


# A date year first as ISO 8601 / RFC 3339 writes it (or with «/» or «.»), and the clock and offset
# at the end of any date (or after a date alone).
_ISO = re.compile(r"^\s*(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:(?:t|\s+)(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?",
                  re.IGNORECASE)
_JALALI_YEAR_FIRST = re.compile(r"^\D*?1[34]\d\d[/\-.]")
