"""Dates whose month is a word feedparser does not read there (hostile feeds, round 18), for feedparser.

* The month first, as WordPress's and Drupal's default templates write a date: «November 22, 2025», «Saturday,
  November 22, 2025 - 10:30», «Nov 22, 2025 10:30 AM»: no date to feedparser (dated by the fetch).
* A Jalali month in Latin letters, as Iranian sites' English pages write it: «17 Azar 1405», «Sat, 01 Azar 1404
  10:30:00 +0330»: no date (session 43's note).
* A Gregorian month in Persian or Arabic letters, as Persian services abroad write it: «۲۲ نوامبر ۲۰۲۵ - ۱۰:۳۰»,
  «22 نوفمبر 2025»: no date.
* The year first with a month's name («2025-Nov-22»: 1 December to feedparser), «22.Nov.2025», «22. November 2025».
* A weekday run into the day («Sat,22 Nov 2025 10:30:00 +0330»), an English ordinal («22nd November 2025»), a
  clock after «at», «|», «-» or «ساعت», in 12 hours («10:30 PM», «ق.ظ»/«ب.ظ»).

``worded_date`` writes such a date as RFC 822 does («22 Nov 2025 22:30:00 +0330», the Jalali day as its Gregorian
one) and reads that with feedparser's handlers (feed_dates's included: the zone's name, an offset written
otherwise, no zone the installation's clock); a date alone is midnight on the installation's clock, as a Jalali
one is. A day written so that feedparser reads it already (day, month, year in English, a 24-hour clock) is left
to it."""
from __future__ import annotations

import re

import feedparser
import jdatetime
from feedparser.datetimes import _parse_date
from feedparser.datetimes.rfc822 import _parse_date_rfc822

from app.monitor.jalali_feed_dates import MAX_DATE_CHARS
from search_index.persian import normalize

_ENGLISH = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december")
_GREGORIAN = ({name: n for n, name in enumerate(_ENGLISH, 1)} | {name[:3]: n for n, name in enumerate(_ENGLISH, 1)}
              | {"sept": 9})
# In Persian and Arabic letters, in ``normalize``'s form (Arabic «يناير» is «ینایر», «أكتوبر» «اکتوبر»).
_GREGORIAN_WORDS = {normalize(name): n for names, n in (
    (("ژانویه", "ینایر", "ژانویهٔ"), 1), (("فوریه", "فبرایر", "فوریهٔ"), 2), (("مارس",), 3), (("آوریل", "أبریل", "ابریل"), 4),
    (("مه", "می", "مایو"), 5), (("ژوئن", "یونیو"), 6), (("ژوئیه", "جولای", "یولیو", "ژوییه"), 7),
    (("اوت", "آگوست", "أغسطس"), 8), (("سپتامبر", "سبتمبر"), 9), (("اکتبر", "أکتوبر"), 10), (("نوامبر", "نوفمبر"), 11),
    (("دسامبر", "دیسمبر"), 12)) for name in names}
_JALALI = {name.lower(): n for n, name in enumerate(jdatetime.date.j_months_en, 1)} | {"amordad": 5, "esfand": 12}
_MONTH_NUMBERS = _GREGORIAN | _GREGORIAN_WORDS | _JALALI
_MONTH = "(" + "|".join(sorted(map(re.escape, _MONTH_NUMBERS), key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|[\u0600-\u06ff\u200c]*(?:شنبه|جمعه))"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_NUMBER_END = r"(?![\w\u0600-\u06ff])"
# The separators before the clock: each takes the spaces before it, the run's last the spaces after («(\s*sep\s*)+»
# shared them every way: 2 s of CPU for a pubDate of 66 characters, four times more for each «,»; a review of round 18)
_CLOCK = (r"(?:(?:\s*(?:[,،|@\-–]|at|ساعت))+\s*|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
          r"(?:\s*(a\.?\s?m\.?|p\.?\s?m\.?|ق\.?\s?ظ\.?|ب\.?\s?ظ\.?))?")
_ZONE = r"(?:\s*\(?\s*((?:gmt|utc)?\s*[+-]\d{1,2}(?::?\d{2})?|z|[a-z]{2,5})\s*\)?)?"
_WORDED = re.compile(r"\s*(?:" + _WEEKDAY + r"\s*[,،]?\s*)?(?:"
                     + _DAY + r"[\s\-/.]*" + _MONTH + r"(?:\s*[,،]?\s*|[-/.])(\d{4})" + _NUMBER_END + "|"
                     + _MONTH + r"\s*" + _DAY + r"\s*[,،]?\s*(\d{4})" + _NUMBER_END + "|"
                     + r"(\d{4})(?:\s+|[-/.])" + _MONTH + r"(?:\s+|[-/.])" + _DAY + _NUMBER_END + ")"
                     + "(?:" + _CLOCK + ")?" + _ZONE + r"\s*", re.IGNORECASE)
_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_JALALI_YEARS = range(1300, 1500)  # jalali_date's


def worded_date(text: str):
    """feedparser's date handler for a date with its month in words that feedparser does not read (the module's
    docstring): its UTC 9-tuple; None for another text, no such day, clock or zone, a Jalali month in a Gregorian
    year or the other way round."""
    if len(text) > MAX_DATE_CHARS:
        return None
    found = _WORDED.fullmatch(normalize(text))
    if not found:
        return None
    groups = found.groups()
    if groups[0] is not None:
        day, month, year = groups[0:3]
    elif groups[3] is not None:
        month, day, year = groups[3:6]
    else:
        year, month, day = groups[6:9]
    hour, minute, second, half, zone = groups[9:]
    jalali = month.lower().rstrip(".") in _JALALI
    if jalali != (int(year) in _JALALI_YEARS) or (half and not hour):
        return None
    if zone and zone.lower() in ("am", "pm"):
        return None
    number = _MONTH_NUMBERS[month.lower().rstrip(".")]
    if jalali:
        try:
            gregorian = jdatetime.date(int(year), number, int(day)).togregorian()
        except ValueError:
            return None
        year, number, day = gregorian.year, gregorian.month, gregorian.day
    if half:
        if not 1 <= int(hour) <= 12:
            return None
        hour = int(hour) % 12 + (12 if half[0] in "pب" else 0)
    if groups[0] is not None and month.lower().rstrip(".") in _GREGORIAN and not half and _parse_date_rfc822(text) is not None:
        return None  # feedparser's own reading (a weekday run into the day is not one)
    written = f"{int(day):02d} {_NAMES[number - 1]} {year} {int(hour or 0):02d}:{minute or '00'}:{second or '00'}"
    written += f" {zone.upper()}" if zone else ""
    if written == text.strip():
        return None  # not read by the handlers this hands it to: none
    return _parse_date(written)


feedparser.registerDateHandler(worded_date)  # imported by feed_dates before it registers its own: tried after them
