"""The lunar Hijri calendar, through the maintained `hijridate` package (the one place that imports it).

hijridate converts by the Umm al-Qura tables (the calendar of Saudi Arabia). Iran's official
lunar dates are set for Iran (the official calendar prepared by the Institute of Geophysics'
calendar centre, «مرکز تقویم مؤسسهٔ ژئوفیزیک دانشگاه تهران», adjusted by moon sighting), so a
converted day is a proposal: in every official 1403 and 1404 date checked
(tests/services/test_lunar_holidays.py) the Iranian day was the converted day or the day after
it, never before. An administrator confirms or moves it.

Dates are kept as Gregorian `datetime.date`s; a Hijri day is named by its key «1447-10-01».
"""
from __future__ import annotations

from datetime import date, timedelta

import jdatetime
from hijridate import Gregorian, Hijri
from hijridate.ummalqura import GREGORIAN_RANGE

from search_index.persian import to_persian_digits

MONTHS_FA = ("محرم", "صفر", "ربیع‌الاول", "ربیع‌الثانی", "جمادی‌الاول", "جمادی‌الثانی",
             "رجب", "شعبان", "رمضان", "شوال", "ذی‌القعده", "ذی‌الحجه")
MONTHS_EN = ("Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Awwal", "Jumada al-Thani",
             "Rajab", "Sha'ban", "Ramadan", "Shawwal", "Dhu al-Qa'da", "Dhu al-Hijja")


def supported_jalali_years() -> tuple[int, int]:
    """The first and last Jalali years the converter's tables cover whole (1304 and 1455)."""
    first, last = date(*GREGORIAN_RANGE[0]), date(*GREGORIAN_RANGE[1])
    first_year = jdatetime.date.fromgregorian(date=first).year + 1
    last_year = jdatetime.date.fromgregorian(date=last + timedelta(days=1)).year - 1
    return first_year, last_year


def hijri_years_between(first: date, last: date) -> range:
    """The Hijri years that have a day between `first` and `last` (two for any Jalali year)."""
    return range(Gregorian.fromdate(first).to_hijri().year, Gregorian.fromdate(last).to_hijri().year + 1)


def month_length(year: int, month: int) -> int:
    """29 or 30: the days of a Hijri month in the converter's calendar."""
    return Hijri(year, month, 1).month_length()


def to_gregorian(year: int, month: int, day: int) -> date:
    """The Gregorian day of a Hijri date. Raises ValueError for a day the month does not have."""
    converted = Hijri(year, month, day).to_gregorian()
    return date(converted.year, converted.month, converted.day)  # a plain date, not the package's subclass


def hijri_key(year: int, month: int, day: int) -> str:
    """«1447-10-01»: how a Hijri day is stored."""
    return f"{year:04d}-{month:02d}-{day:02d}"


def format_hijri(key: str | None, digits: str = "fa") -> str:
    """«۱ شوال ۱۴۴۷» from «1447-10-01» ("1 Shawwal 1447" with digits="en"); "" for None."""
    if not key:
        return ""
    year, month, day = (int(part) for part in key.split("-"))
    if digits == "fa":
        return to_persian_digits(f"{day} {MONTHS_FA[month - 1]} {year}")
    return f"{day} {MONTHS_EN[month - 1]} {year}"
