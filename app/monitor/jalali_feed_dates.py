"""Jalali dates as Iranian sites write an entry's pubDate, read for feedparser (``jalali_date``, registered
as one of its date handlers when this is imported: app/monitor/feed_dates.py imports it before registering
its own). Numeric year first or day first, the month's name with the day first or the year first, a clock
and an offset after them."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import feedparser
import jdatetime

from app.clock import local_zone
from search_index.persian import normalize

__all__ = ["MAX_DATE_CHARS", "jalali_date"]

# No date is written in more characters (the longest forms, a weekday's and a month's names, a
# clock and a zone's name, take about 50). Past it a date is none: the patterns here end in
# «\s*…\s*$», whose cost grows with the square of a run of spaces before a last letter — a
# date of 120 KB froze the worker, and the web process's feed preview, for 70 s (a review of
# hostile feeds, round 4).
MAX_DATE_CHARS = 100

# Jalali dates, as some Iranian sites write pubDate («۱۴۰۳/۰۵/۱۲ ۱۴:۳۰», «دوشنبه ۱۲ مرداد ۱۴۰۳»):
# feedparser reads none of them, and the fetch time stood in. Years 1300–1499 only (no Gregorian
# year is one); without an offset, the installation's zone with its daylight saving of that day (Iran
# kept +04:30 in summer until 1401: «1401/05/12 14:30» was stored an hour late at a fixed +03:30).
# Day first too («05-09-1404», 5 Azar: feedparser read 14 September 2005).
# jdatetime's month names, in ``normalize``'s form as the text is («آبان» and «ابان» alike), and «امرداد».
_JALALI_MONTHS = {normalize(name): n for n, name in enumerate(jdatetime.date.j_months_fa, 1)} | {"امرداد": 5}
# The clock may follow «ساعت» or «|» and end in «ق.ظ»/«ب.ظ» (or am/pm), the month «ماه»: «۱۴۰۴/۰۹/۰۵ ۱۰:۳۰ ب.ظ»,
# «شنبه ۱۵ آذر ۱۴۰۵ ساعت ۱۰:۳۰», «۵ آذر ماه ۱۴۰۴ | ۱۰:۳۰» were dated at the fetch (reviews of hostile feeds, rounds 9, 13).
_CLOCK = (r"(?:[t\s,،|\-–]+(?:ساعت\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(ق\.?\s*ظ|ب\.?\s*ظ|am|pm)\.?)?)?"
          r"\s*(?:(z)|([+-])(\d{2}):?(\d{2}))?\s*$")
_JALALI_NUMERIC = re.compile(r"^\D*?(1[34]\d\d)[/\-.](\d{1,2})[/\-.](\d{1,2})" + _CLOCK)
_JALALI_DAY_FIRST = re.compile(r"^\D*?(\d{1,2})[/\-.](\d{1,2})[/\-.](1[34]\d\d)" + _CLOCK)
_JALALI_NAMED = re.compile(r"^\D*?(\d{1,2})\s+(" + "|".join(_JALALI_MONTHS) + r")(?:[\s\u200c]*ماه)?\s+(1[34]\d\d)" + _CLOCK)
# Year first, «۱۴۰۳ مرداد ۱۲» (as a date is said in some CMSs' templates): feedparser read 1 December 1403 AD, and
# the item was dated by its fetch (a review of hostile feeds, round 13).
_JALALI_NAMED_YEAR_FIRST = re.compile(r"^\D*?(1[34]\d\d)\s+(" + "|".join(_JALALI_MONTHS) + r")(?:[\s\u200c]*ماه)?\s+(\d{1,2})"
                                      + _CLOCK)


def jalali_date(text: str):
    """feedparser's date handler for a Jalali date: its UTC 9-tuple, or None (not one)."""
    text = text.strip()
    if len(text) > MAX_DATE_CHARS:
        return None
    text = normalize(text)  # ASCII digits, «ی», «ک», lower case
    numeric = _JALALI_NUMERIC.match(text)
    day_first = None if numeric else _JALALI_DAY_FIRST.match(text)
    if numeric:
        year, month, day, *clock = numeric.groups()
    elif day_first:
        day, month, year, *clock = day_first.groups()
    elif named := _JALALI_NAMED.match(text):
        day, month_name, year, *clock = named.groups()
        month = _JALALI_MONTHS[month_name]
    elif named := _JALALI_NAMED_YEAR_FIRST.match(text):
        year, month_name, day, *clock = named.groups()
        month = _JALALI_MONTHS[month_name]
    else:
        return None
    hour, minute, second, half, zulu, sign, off_hours, off_minutes = clock
    if half and hour:
        afternoon = half[0] in "بp"
        hour = int(hour) % 12 + (12 if afternoon else 0)
    zone = local_zone()
    if zulu:
        zone = UTC
    elif sign:
        offset = timedelta(hours=int(off_hours), minutes=int(off_minutes))
        zone = timezone(offset if sign == "+" else -offset)
    day_of = jdatetime.date(int(year), int(month), int(day)).togregorian()  # ValueError: no such day
    local = datetime(day_of.year, day_of.month, day_of.day, int(hour or 0), int(minute or 0), int(second or 0),
                     tzinfo=zone)
    return local.astimezone(UTC).timetuple()


feedparser.registerDateHandler(jalali_date)
