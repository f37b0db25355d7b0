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
* A French or Spanish month and weekday («mardi 25 novembre 2025 à 10h30», «martes, 25 de noviembre de 2025»,
  «15 févr. 2025»): no date, or midnight UTC when the month's first letters were an English month's (round 19).
* A German or Russian month and weekday («Mo, 03 Mär 2025 10:00:00 +0100», «3. November 2025, 10:00 Uhr», «3 ноября
  2025 г.», «Пн, 03 ноя 2025 10:00:00 +0300»): no date; a zone's name no zone has («Uhr» was one) UTC (round 20).
* HTTP's RFC 850 date with a two-digit year («Sunday, 06-Nov-94 08:49:37 GMT»; RFC 9110 §5.6.7: a year more than
  50 years ahead is the past's) and Apache's log date («10/Oct/2000:13:55:36 -0700»): no date (``log_date``).

``worded_date`` writes such a date as RFC 822 does («22 Nov 2025 22:30:00 +0330», the Jalali day as its Gregorian
one) and reads that with feedparser's handlers (feed_dates's included: the zone's name, an offset written
otherwise, no zone the installation's clock); a date alone is midnight on the installation's clock, as a Jalali
one is («22 Nov 2025» too: feedparser's midnight UTC, round 19). A day written so that feedparser reads it already
(day, month, year in English, a 24-hour clock) is left to it."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

import feedparser
import jdatetime
from feedparser.datetimes import _parse_date
from feedparser.datetimes.rfc822 import _parse_date_rfc822, timezone_names

from app.monitor.date_forms import ZONE_OFFSETS
from app.monitor.jalali_feed_dates import MAX_DATE_CHARS
from search_index.persian import ascii_digits, normalize

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
# French and Spanish, written with and without their accents (a review of round 18's note; round 19)
_FOREIGN = {name: n for names, n in (
    (("janvier", "janv", "enero", "ene"), 1), (("février", "fevrier", "févr", "fevr", "febrero"), 2), (("mars", "marzo"), 3),
    (("avril", "avr", "abril", "abr"), 4), (("mai", "mayo"), 5), (("juin", "junio"), 6),
    (("juillet", "juil", "julio"), 7), (("août", "aout", "agosto", "ago"), 8), (("septiembre", "setiembre"), 9),
    (("octobre", "octubre"), 10), (("novembre", "noviembre"), 11), (("décembre", "decembre", "déc", "dec", "diciembre", "dic"), 12),
    (("septembre",), 9)) for name in names}
# German (with Austria's «Jänner», «Feber») and Russian (the genitive a date writes, the nominative, the abbreviations
# «ноя», «нояб.») months: no date to feedparser, «Mo, 03 Nov 2025 …» neither (its weekday; hostile feeds, round 20)
_GERMAN_RUSSIAN = {name: n for names, n in (
    (("januar", "jänner", "jän", "января", "январь", "янв"), 1), (("februar", "feber", "февраля", "февраль", "фев", "февр"), 2),
    (("märz", "mär", "mrz", "marz", "марта", "март", "мар"), 3), (("апреля", "апрель", "апр"), 4),
    (("мая", "май"), 5), (("juni", "июня", "июнь", "июн"), 6), (("juli", "июля", "июль", "июл"), 7),
    (("августа", "август", "авг"), 8), (("сентября", "сентябрь", "сен", "сент"), 9),
    (("oktober", "okt", "октября", "октябрь", "окт"), 10), (("ноября", "ноябрь", "ноя", "нояб"), 11),
    (("dezember", "dez", "декабря", "декабрь", "дек"), 12)) for name in names}
_MONTH_NUMBERS = _GREGORIAN | _GREGORIAN_WORDS | _FOREIGN | _GERMAN_RUSSIAN | _JALALI
_MONTH = "(" + "|".join(sorted(map(re.escape, _MONTH_NUMBERS), key=len, reverse=True)) + r")\.?"
_WEEKDAY = (r"(?:(?:mon|tue|wed|thu|fri|sat|sun|lun|mar|mer|mi[eé]|jeu|jue|ven|vie|sam|s[aá]b|dim|dom|mo|di|mi|do|fr|sa|so)"
            r"[a-zéá]*\.?|(?:пн|вт|ср|чт|пт|сб|вс|понедельник|вторник|сред[ау]|четверг|пятниц[ау]|суббот[ау]|воскресенье)\.?"
            r"|[\u0600-\u06ff\u200c]*(?:شنبه|جمعه))")
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er)?"
_NUMBER_END = r"(?![\w\u0600-\u06ff])"
# The separators before the clock: each takes the spaces before it, the run's last the spaces after («(\s*sep\s*)+»
# shared them every way: 2 s of CPU for a pubDate of 66 characters, four times more for each «,»; a review of round 18)
_CLOCK = (r"(?:(?:\s*(?:[,،|@\-–]|at|à|a las|um|в|ساعت))+\s*|\s+)(\d{1,2})[:h](\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
          r"(?:\s*(a\.?\s?m\.?|p\.?\s?m\.?|ق\.?\s?ظ\.?|ب\.?\s?ظ\.?))?(?:\s*uhr)?")  # «10:00 Uhr»: o'clock, no zone
_YEAR_WORD = r"(?:\s*(?:года|г\.|г(?!\w)))?"  # Russian «2025 г.», «2025 года»
_ZONE = r"(?:\s*\(?\s*((?:gmt|utc)?\s*[+-]\d{1,2}(?::?\d{2})?|z|[a-z]{2,5})\s*\)?)?"
_WORDED = re.compile(r"\s*(?:" + _WEEKDAY + r"\s*[,،]?\s*)?(?:"
                     + _DAY + r"[\s\-/.]*(?:de\s+)?" + _MONTH + r"(?:\s*[,،]?\s*(?:de\s+)?|[-/.])(\d{4})" + _NUMBER_END + _YEAR_WORD + "|"
                     + _MONTH + r"\s*" + _DAY + r"\s*[,،]?\s*(\d{4})" + _NUMBER_END + "|"
                     + r"(\d{4})(?:\s+|[-/.])" + _MONTH + r"(?:\s+|[-/.])" + _DAY + _NUMBER_END + ")"
                     + "(?:" + _CLOCK + ")?" + _ZONE + r"\s*", re.IGNORECASE)
_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_JALALI_YEARS = range(1300, 1500)  # jalali_date's
_ZONE_NAMES = {name for name in timezone_names if len(name) > 1} | set(ZONE_OFFSETS) | {"z", "utc"}


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
    if zone and zone.isalpha() and zone.lower() not in _ZONE_NAMES:
        return None  # «am», «pm»; a name no zone has was UTC («10:00 Uhr», German's o'clock: round 20)
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
    if groups[0] is not None and month.lower().rstrip(".") in _GREGORIAN and hour and not half and _parse_date_rfc822(text):
        return None  # feedparser's own reading (a weekday run into the day is not one; a date alone is midnight UTC there)
    written = f"{int(day):02d} {_NAMES[number - 1]} {year} {int(hour or 0):02d}:{minute or '00'}:{second or '00'}"
    written += f" {zone.upper()}" if zone else ""
    if written == text.strip():
        return None  # not read by the handlers this hands it to: none
    return _parse_date(written)


feedparser.registerDateHandler(worded_date)  # imported by feed_dates before it registers its own: tried after them


# RFC 850's date, «Sunday, 06-Nov-94 08:49:37 GMT» (HTTP's obsolete form), and Apache's log date, «10/Oct/2000:13:55:36
# -0700»: written as RFC 822 («06 Nov 1994 08:49:37 GMT») and read by the handlers (a zone or none, as there)
_RFC850 = re.compile(r"\s*(?:[a-z]+,?\s*)?(\d{1,2})-([a-z]{3})-(\d{2})\s+(\d{1,2}:\d{2}(?::\d{2})?)((?:\s+\S+)?)\s*",
                     re.IGNORECASE | re.ASCII)
_APACHE = re.compile(r"\s*(\d{1,2})/([a-z]{3})/(\d{4}):(\d{1,2}:\d{2}:\d{2})((?:\s*[+-]\d{4})?)\s*", re.IGNORECASE | re.ASCII)


def log_date(text: str):
    """feedparser's date handler for RFC 850's and Apache's log dates (``_RFC850``, ``_APACHE``): its UTC 9-tuple; None
    otherwise and for no such day. A two-digit year more than 50 years ahead is the past's (RFC 9110 §5.6.7)."""
    found = (_RFC850.fullmatch(text) or _APACHE.fullmatch(text)) if len(text) <= MAX_DATE_CHARS else None
    if not found or found[2].lower() not in _GREGORIAN:
        return None
    day, month, year, clock, zone = found.groups()
    year = int(year)
    if len(found[3]) == 2:
        year += 2000 if 2000 + year <= datetime.now(UTC).year + 50 else 1900
    try:
        date(year, _GREGORIAN[month.lower()], int(day))
    except ValueError:
        return None
    return _parse_date(f"{int(day):02d} {month.title()} {year} {clock}{zone}")


feedparser.registerDateHandler(log_date)

# A clock alone, as a news site's feed writes the hour of today's items («۱۰:۳۰», «ساعت ۱۰:۳۰»): feedparser read it as
# the fetch's day at that clock in UTC (round 19)
_CLOCK_ALONE = re.compile(r"\s*(?:ساعت\s*)?\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?\s?m\.?|[قب]\.?\s?ظ\.?)?"
                          r"\s*(?:z|(?:gmt|utc)?\s*[+-]\d{1,2}(?::?\d{2})?|[a-z]{2,5})?\s*", re.IGNORECASE)


def worded_verdict(text: str) -> bool | None:
    """``feed_dates.plausible``'s judgement of this module's forms: False for a clock alone (no day written: dated by
    the fetch, marked estimated) and for a Gregorian month in a Jalali year or the other way round («22 Nov 1405»:
    a day of 1405 AD to feedparser); None for another text."""
    if len(text) > MAX_DATE_CHARS:
        return None
    if _CLOCK_ALONE.fullmatch(ascii_digits(text)):
        return False
    found = _WORDED.fullmatch(normalize(text))
    if not found:
        return None
    month, year = (found[2], found[3]) if found[1] is not None else (found[4], found[6]) if found[4] else (found[8], found[7])
    return False if (month.lower().rstrip(".") in _JALALI) != (int(year) in _JALALI_YEARS) else None
