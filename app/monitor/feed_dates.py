"""An entry's dates: Jalali dates read, impossible ones refused.

* Jalali dates, as some Iranian sites write pubDate («۱۴۰۳/۰۵/۱۲ ۱۴:۳۰», «دوشنبه ۱۲ مرداد ۱۴۰۳»):
  feedparser reads none of them. ``jalali_date`` (app/monitor/jalali_feed_dates.py) is registered as one
  of its date handlers, the first (the others registered after it are tried before it).
* ISO-like dates feedparser misreads: a basic offset («…T10:00:00+0330» lost its minutes, every
  Iranian date in PHP's DATE_ISO8601 form stored 30 minutes late), «/» or «.» between the parts
  («2024/05/10 08:00:00» read as 1 December 2024), a zone's name («2025-11-26 10:00:00 IRST» lost
  clock and zone). ``iso_like_date`` is registered for those, and only those.
* RFC 822 and asctime dates with a zone's name, an offset written otherwise than ±HHMM, or no zone:
  app/monitor/rfc822_dates.py.
* ISO 8601's basic format («20251126T103000», a compact Jalali «14040905»), of which feedparser kept
  the day alone: ``compact_date`` (round 12).
* A Unix time (ten digits, or thirteen for milliseconds), which feedparser read as a year: ``unix_time_date``
  (round 16), unless the number spells a day and an hour or is ahead of now (round 17); any other number of
  more than eight digits is no date.
* A date or a date and clock written without a zone (RFC 822, ISO-like, asctime) is the installation's (``app.clock.local_zone``,
  its daylight saving of the day included), as a Jalali one is: Iranian sites write their own clock.
* ISO week dates («2026-W49-1»), each read as 1 December, and direction marks in a date: app/monitor/date_forms.py.
* Impossible dates: feedparser's ISO 8601 handler carries over what overflows
  («2025-13-45T99:99:99Z» became 2026-01-01, «2025-02-30» 2 March), and both its handlers take
  «+9900» as an offset of 99 hours. ``entry_date`` gives None for those, as for no date: the store
  then dates the entry by its fetch, marked estimated, rather than on a day nobody wrote.
"""
from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, date, datetime, timedelta, timezone

import feedparser
import jdatetime
from feedparser.datetimes.rfc822 import timezone_names

from app.clock import local_zone
from app.monitor.date_forms import clock_moved, marked_date, unmarked, verdict, week_date
from app.monitor.jalali_feed_dates import MAX_DATE_CHARS, jalali_date
from app.monitor.rfc822_dates import (  # registered on import (worded_dates's before them): tried after ours
    _ISO,
    _LOOSE_OFFSET,
    ZONE_OFFSETS,
    _on_local_clock,
    _possible_clock,
    _possible_offset,
    asctime_zone_date,
    asctime_zoneless_date,
    offset_date,
    zone_named_date,
)
from app.monitor.worded_dates import worded_date, worded_verdict
from search_index.persian import ascii_digits

__all__ = ["MAX_DATE_CHARS", "asctime_zone_date", "asctime_zoneless_date", "compact_date", "entry_date", "iso_like_date", "jalali_date", "offset_date", "plausible",
           "zone_named_date"]

# ISO 8601's basic format, «20251126T103000», «20251126T1030Z», «20251126T103000+0330», «20251126», or
# a basic clock after an extended date («2025-11-26T103000»): feedparser kept the day alone, at
# midnight UTC, whatever the clock and zone (a morning's item dated the night before). Without a zone
# the installation's clock; a year of jalali_date's years is a Jalali date («14040905») (round 12).
_COMPACT = re.compile(r"(\d{4})(-?)(\d{2})\2(\d{2})(?:(?:t|\s+)(\d{2})(:?)(\d{2})(?:\6(\d{2})(?:[.,]\d+)?)?)?"
                      r"\s*(?:(z)|([+-])(\d{2})(?::?(\d{2}))?)?", re.IGNORECASE | re.ASCII)


def compact_date(text: str):
    """feedparser's date handler for a date or clock in ISO 8601's basic format (``_COMPACT``): its
    UTC 9-tuple; None for one written in the extended format alone (others read it) or not a date."""
    found = _basic_format(text)
    if not found:
        return None
    year, _, month, day, hour, _, minute, second, zulu, sign, off_hours, off_minutes = found.groups()
    zone = None
    if zulu or sign:
        if not _possible_offset(int(off_hours or 0), int(off_minutes or 0)):
            return None
        offset = timedelta(hours=int(off_hours or 0), minutes=int(off_minutes or 0))
        zone = timezone(-offset if sign == "-" else offset)
    return _day_and_clock(int(year), int(month), int(day), hour, minute, second, zone)


feedparser.registerDateHandler(compact_date)


# Seconds since 1970 (ten digits) or milliseconds (thirteen): feedparser read «1764054000» as a day of 1764 (round
# 16). But a number that spells a day and an hour («1404090410», Jalali: as seconds a moment of 2014; MySQL's
# «20251125103000») is that day on the installation's clock; else a Unix time at most a day ahead; else no date.
_UNIX_TIME = re.compile(r"\s*(\d{10}|\d{13})\s*", re.ASCII)
_SPELT_SINCE = calendar.timegm((1990, 1, 1, 0, 0, 0))  # «1764011210» spells a day of 1764: a Unix time
_DATE_NUMBER = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{2})?)?\s*", re.ASCII)


def unix_time_date(text: str):
    """feedparser's date handler for a number (``_DATE_NUMBER``, ``_UNIX_TIME``): its UTC 9-tuple, else None."""
    spelt = _DATE_NUMBER.fullmatch(text) if len(text) <= MAX_DATE_CHARS else None
    if spelt:
        year, month, day, hour, minute, second = spelt.groups()
        when = _day_and_clock(int(year), int(month), int(day), hour, minute, second)
        if when is not None and _SPELT_SINCE <= calendar.timegm(when):
            # a day ahead is no date, in Jalali as in Gregorian: not the Unix time of 2014 it also spells (a review, session 43)
            return when if calendar.timegm(when) <= time.time() + 86400 else None
    found = _UNIX_TIME.fullmatch(text)
    if not found:
        return None
    seconds = int(found[1]) // (1000 if len(found[1]) == 13 else 1)
    return time.gmtime(seconds) if seconds <= time.time() + 86400 else None


def _day_and_clock(year: int, month: int, day: int, hour, minute, second, zone=None):
    """``_on_local_clock`` of a day in a Gregorian year or one of jalali_date's (``_JALALI_YEARS``); None for no such day."""
    if year in _JALALI_YEARS:
        try:
            gregorian = jdatetime.date(year, month, day).togregorian()
        except ValueError:
            return None
        year, month, day = gregorian.year, gregorian.month, gregorian.day
    return _on_local_clock(year, month, day, hour, minute, second, zone)


feedparser.registerDateHandler(unix_time_date)


def _basic_format(text: str) -> re.Match | None:
    """``_COMPACT``'s match of a date or clock written in the basic format; None for the extended
    format alone («2025-11-26», «2025-11-26T10:30:00»: iso_like_date's and feedparser's)."""
    found = _COMPACT.fullmatch(ascii_digits(text.strip())) if len(text) <= MAX_DATE_CHARS else None
    if found and found.group(2) and (found.group(5) is None or found.group(6)):
        return None
    return found


# A Gregorian date year first, «-», «/» or «.» between its parts, an optional clock (a fraction of a
# second dropped), and an offset: «Z», ±HHMM, ±HH:MM, ±HH, ±HMM, ±H:MM or a zone's name.
_ISO_LIKE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:(?:t|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
                       r"\s*(?:(z)|([+-])(\d{1,2})(?:(:?)(\d{2}))?|([a-z]{2,4}))?", re.IGNORECASE | re.ASCII)
# The zone names it reads: feedparser's own (of more than a letter: «A», «N», «M», «Y» are military
# letters, no feed's), UTC, and ``ZONE_OFFSETS``.
_ZONE_NAMES = ({name: f"{hours:+03d}00" for name, hours in timezone_names.items() if len(name) > 1}
               | {"utc": "+0000"} | ZONE_OFFSETS)
_JALALI_YEARS = range(1300, 1500)  # jalali_date's years: no Gregorian year a feed writes


def iso_like_date(text: str):
    """feedparser's date handler for an ISO-like Gregorian date it misreads: its UTC 9-tuple; None
    for what feedparser reads right («-» between the parts and «Z» or ±HH:MM) and for what is not
    one. feedparser took «+0330» for +03:00 (and «+0545» for +05:05), «+330» for 33 hours, read
    «2024/05/10 08:00:00», «2025/3/7» and «2025.11.26» as 1 December of their year, and dropped the
    clock and the zone of «2025-11-26 10:00:00 IRST» (a review of hostile feeds). A date without a
    zone is the installation's (feedparser: UTC), a date alone its midnight there."""
    if len(text) > MAX_DATE_CHARS:
        return None
    found = _ISO_LIKE.fullmatch(ascii_digits(text.strip()))  # «۲۰۲۵/۰۳/۰۷» too
    if not found or int(found.group(1)) in _JALALI_YEARS:
        return None
    (year, separator, month, day, hour, minute, second, zulu, sign, off_hours, colon, off_minutes,
     name) = found.groups()
    extended_offset = sign and len(off_hours) == 2 and (colon or not off_minutes)
    if separator == "-" and (zulu or extended_offset):
        return None
    offset = _offset(sign, off_hours, off_minutes, name)
    clock = tuple(int(part or 0) for part in (hour, minute, second))
    if offset is None or not _possible_clock(*clock):
        return None  # not a date (``plausible`` refuses feedparser's reading of it too)
    zone = UTC if zulu else timezone(offset) if sign or name else local_zone()
    midnight = datetime(int(year), int(month), int(day), tzinfo=zone)  # ValueError: no such day
    hours, minutes, seconds = clock
    # On the wall clock: a zone's daylight saving is the one of that moment
    return (midnight + timedelta(hours=hours, minutes=minutes, seconds=seconds)).astimezone(UTC).timetuple()


def _offset(sign: str | None, hours: str | None, minutes: str | None, name: str | None) -> timedelta | None:
    """The offset from UTC an ISO-like date ends in (none and «Z»: 0, the caller decides); None for a
    name it does not know or an offset no zone has."""
    if name:
        written = _ZONE_NAMES.get(name.lower())
        if written is None:
            return None
        sign, hours, minutes = written[0], written[1:3], written[3:]
    if not sign:
        return timedelta(0)
    if not _possible_offset(int(hours), int(minutes or 0)):
        return None
    offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return offset if sign == "+" else -offset


feedparser.registerDateHandler(iso_like_date)
feedparser.registerDateHandler(week_date)



def _possible_day(year: int, month: int, day: int) -> bool:
    """Whether a day is one: in the Jalali calendar for jalali_date's years, else the Gregorian."""
    try:
        if year in _JALALI_YEARS:
            jdatetime.date(year, month, day)
        else:
            date(year, month, day)
    except ValueError:
        return False
    return True


_RFC_CLOCK = re.compile(r"\s(\d{1,2}):(\d{2})(?::(\d{2}))?\b")
_OFFSET = re.compile(r"\d(?::\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(?:gmt|utc)?\s*[+-](\d{2}):?(\d{2})\s*$", re.IGNORECASE)
_LONG_YEAR = re.compile(r"\s*\d{5,}[-/.]")  # «10000-01-01»: feedparser read 2010
_JALALI_DAY_FIRST_HEAD = re.compile(r"^\D*?(\d{1,2})[/\-.](\d{1,2})[/\-.](1[34]\d\d)(?!\d)")
_JALALI_YEAR_SPACED = re.compile(r"^\D*?1[34]\d\d\s+\D")  # «۱۴۰۳ مهر ۳۱»: jalali_date's or none (feedparser: 1403 AD)


def plausible(text: str) -> bool:
    """False for a date string with a field out of its range (month 13, day 45, hour 99, an
    offset of 99 hours), which feedparser would carry over into another date; True otherwise,
    also for a form this does not know (feedparser's handlers decide). A year before zero
    («-0001-01-01», which feedparser read as 2000) or past 9999 is none either, and a text longer
    than any date (``MAX_DATE_CHARS``). A date in jalali_date's years is checked in the Jalali
    calendar («1403-02-31», the 31st of Ordibehesht, is one), day first too («31-07-1403» is none)."""
    text = unmarked(text).strip()
    if text.startswith("-") or len(text) > MAX_DATE_CHARS or _LONG_YEAR.match(text):
        return False
    if (moved := clock_moved(text)) is not None and not plausible(moved):  # «۱۰:۳۰ - ۱۴۰۴/۱۲/۳۰»: as the date, then the clock
        return False
    if (known := worded_verdict(text)) is not None or (known := verdict(text)) is not None:  # «2026-W49-8», «22-11-2025», «05-06-2025 10:30»: date_forms's
        return known
    if text.isdigit() and len(text) > 8:  # a number: a day and hour, a Unix time, or no date (not a year of 7640)
        return unix_time_date(text) is not None
    if _basic_format(text):  # «20251131T103000»: feedparser's reading is the day alone, any day
        return compact_date(text) is not None
    iso = _ISO.match(text)
    if iso:
        year, _, month, day, hour, minute, second = (int(g) if g and g.isdigit() else 0 for g in iso.groups())
        if not _possible_day(year, month, day) or not _possible_clock(hour, minute, second):
            return False
    else:
        clock = _RFC_CLOCK.search(text)
        if clock and (int(clock.group(1)) > 23 or int(clock.group(2)) > 59 or int(clock.group(3) or 0) > 60):
            return False
        jalali = _JALALI_DAY_FIRST_HEAD.match(ascii_digits(text))  # «31-07-1403»: feedparser read 2031
        if jalali and not _possible_day(*(int(jalali.group(n)) for n in (3, 2, 1))):
            return False
        if _JALALI_YEAR_SPACED.match(ascii_digits(text)) and not _read_as_jalali(text):
            return False
    offset = _OFFSET.search(text)
    if offset and not _possible_offset(int(offset.group(1)), int(offset.group(2))):
        return False
    loose = _LOOSE_OFFSET.search(text)  # «+999», «GMT+3:75»
    return not (loose and not _possible_offset(int(loose.group(4)), int(loose.group(6) or 0)))


def _read_as_jalali(text: str) -> bool:
    try:
        return jalali_date(text) is not None or worded_date(text) is not None  # «1404 Azar 1»
    except ValueError:  # no such day
        return False


def entry_date(entry: dict, key: str) -> datetime | None:
    """An entry's ``published`` or ``updated`` as an aware UTC datetime; None when it has none, when feedparser's
    reading of it is impossible or came from an impossible date, or is in year 1 (Go's zero time: Hugo's undated page)."""
    # dict.get: FeedParserDict.get maps updated_parsed <-> published_parsed (deprecated magic)
    value = dict.get(entry, key + "_parsed")
    if not value or value[0] == 1:
        return None
    written = dict.get(entry, key)
    if isinstance(written, str) and not plausible(written):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


feedparser.registerDateHandler(marked_date)  # the last registered, the first tried: marks out before any reading
