"""The Solar Hijri (Jalali) calendar: reading typed dates, showing dates, month/season/year spans.

Pure functions on `datetime.date`/`datetime.datetime`, built on jdatetime, so the forms, the
Jinja filters, the services, the CLI and the reports all read and write dates alike. Dates are
kept Gregorian (and datetimes UTC) everywhere else; Jalali is only what people see, in the local
zone of app.clock (HAMZABAN_TIMEZONE).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

import jdatetime
from flask_babel import gettext

from app.clock import as_utc, from_local, to_local, utcnow
from app.i18n import N_
from search_index.persian import ascii_digits, to_persian_digits

# Years a date field accepts: wide enough for any archive, narrow enough to catch a Gregorian
# year (2025) or a two-digit year (05) typed by mistake.
MIN_YEAR, MAX_YEAR = 1300, 1499

MONTHS_FA = tuple(jdatetime.date.j_months_fa)
MONTHS_EN = tuple(jdatetime.date.j_months_en)
# Seasons as (first month, last month): spring, summer, autumn, winter.
SEASONS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}

# Bidi marks and invisible characters that copy-paste or RTL keyboards leave around a date.
_INVISIBLE = re.compile("[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff\u00a0\u00ad]")
# «/», «-», «.», and the dashes and minus sign word processors put for «-» («۱۴۰۵–۰۹–۱۰», «1405−09−10»)
_DATE = re.compile(r"([0-9]{1,4})\s*[/\-.\u2010-\u2015\u2212]\s*([0-9]{1,2})\s*[/\-.\u2010-\u2015\u2212]\s*([0-9]{1,4})")
_ASCII_DIGITS = re.compile("[0-9]+")
# A date and a time: «1405/09/20T10:00», «1405/09/20 10:00», «1405/09/20T10:00:30».
_DATE_TIME = re.compile(r"(.+?)(?:\s*[Tt]\s*|\s+)([0-9]{1,2})\s*:\s*([0-9]{1,2})(?:\s*:\s*([0-9]{1,2}))?")



MSG_EMPTY = N_("تاریخ را بنویسید.")
MSG_FORMAT = N_("تاریخ «%(value)s» خوانده نشد؛ آن را به شکل سال/ماه/روز بنویسید، مانند ۱۴۰۵/۰۹/۰۵.")
MSG_FORMAT_REVERSED = N_("تاریخ «%(value)s» خوانده نشد؛ سال را اول بنویسید: سال/ماه/روز، مانند ۱۴۰۵/۰۹/۰۵.")
MSG_YEAR = N_("سال باید از %(min)s تا %(max)s باشد (نوشته‌شده: %(year)s). تاریخ میلادی را به خورشیدی بنویسید.")
MSG_YEAR_RANGE = N_("سال باید از %(min)s تا %(max)s باشد (نوشته‌شده: %(year)s).")
MSG_SHORT_YEAR = N_("سال «%(year)s» را با چهار رقم بنویسید، مانند %(example)s.")
MSG_MONTH = N_("ماه باید از ۱ تا ۱۲ باشد (نوشته‌شده: %(month)s).")
MSG_DAY = N_("روز باید از ۱ تا %(max)s باشد (نوشته‌شده: %(day)s).")
MSG_DAY_IN_MONTH = N_("%(month_name)s %(max)s روز دارد؛ روز %(day)s در آن نیست.")
MSG_DAY_NOT_LEAP = N_("اسفند سال %(year)s فقط %(max)s روز دارد، چون %(year)s سال کبیسه نیست؛ روز %(day)s در آن نیست.")
MSG_TIME = N_("ساعت «%(value)s» خوانده نشد؛ آن را به شکل ساعت:دقیقه از ۰۰:۰۰ تا ۲۳:۵۹ بنویسید، مانند ۱۴۰۵/۰۹/۲۰T۱۰:۰۰.")


class JalaliDateError(ValueError):
    """A typed date could not be read; str() is the Persian message (its numbers in Persian digits, a
    typed number it echoes too, «(نوشته‌شده: ۴۰)», as the period's message says it: «40» stood beside «۱ تا ۳۰»,
    session 46; a value in «…» as typed), for the shell.

    `template` and `params` are kept so a page can translate the message: `message(shown_number)`.
    An int parameter is a number (a bound, the year or day the message is about), shown in the
    reader's digits; a str parameter is text the user typed, shown as typed.
    """

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % {
            key: to_persian_digits(str(value)) if isinstance(value, int) or (
                value.isascii() and value.isdigit() and f"«%({key})s»" not in template) else value
            for key, value in params.items()})

    def _shown_params(self, number: Callable[[object], str],
                      typed: Callable[[str], str] = lambda text: text) -> dict[str, str]:
        return {key: number(value) if isinstance(value, int) else typed(value) for key, value in self.params.items()}

    def message(self, number: Callable[[object], str]) -> str:
        """The message in the request's language, its numbers through ``number`` (a page passes
        app.services.digits.shown_number, which this layer cannot import: the reader's digits),
        and what the user typed with its ASCII digits through ``number`` too: the form shows the
        typed date back in the reader's digits, and its message said «(نوشته‌شده: 13)» beside
        «۱۴۰۳/۱۳/۴۰» (session 41's walk). Other characters, and digits of another script, as typed."""
        def typed(text: str) -> str:
            return _ASCII_DIGITS.sub(lambda digits: number(digits.group()), text)

        return gettext(self.template, **self._shown_params(number, typed))


def _clean(text: str) -> str:
    return _INVISIBLE.sub("", ascii_digits(text or "")).strip()


def _typed(text: str, cleaned: str, match: re.Match, group: int) -> str:
    """A group of ``match`` (on ``cleaned``) as the user typed it, their digits kept, for messages;
    the cleaned group when the two texts do not line up character for character."""
    typed = _INVISIBLE.sub("", text or "").strip()
    if len(typed) != len(cleaned):
        return match.group(group)
    start, end = match.span(group)
    return typed[start:end]


def parse_jalali_date(text: str) -> date:
    """Read a Jalali date typed as 1405/09/05, ۱۴۰۵/۰۹/۰۵, ١٤٠٥-٩-٥ or 1405-9-5; return it Gregorian.

    Raises JalaliDateError (a ValueError) saying what is wrong: the shape, the year range, the
    month, or a day the month does not have (with the leap-year reason for 30 Esfand).
    """
    cleaned = _clean(text)
    if not cleaned:
        raise JalaliDateError(MSG_EMPTY)
    shown = _INVISIBLE.sub("", text).strip()  # as typed, in the user's digits
    match = _DATE.fullmatch(cleaned)
    if not match:
        raise JalaliDateError(MSG_FORMAT, value=shown)
    year_s, month_s, day_s = match.groups()
    if len(day_s) > 2:
        if len(day_s) == 4 and len(year_s) <= 2:
            raise JalaliDateError(MSG_FORMAT_REVERSED, value=shown)
        raise JalaliDateError(MSG_FORMAT, value=shown)
    year, month, day = int(year_s), int(month_s), int(day_s)
    typed_year, typed_month, typed_day = (_typed(text, cleaned, match, group) for group in (1, 2, 3))
    if len(year_s) <= 2:  # «99/09/10», «05/09/05»: a year of two digits, not a Gregorian date
        this_year = jdatetime.date.today().year  # «05» is 1405, «99» 1399: the century that is not ahead
        example = 1400 + year if 1400 + year <= this_year + 1 else 1300 + year
        raise JalaliDateError(MSG_SHORT_YEAR, year=typed_year, example=example)
    if not MIN_YEAR <= year <= MAX_YEAR:  # a Gregorian year is told so; «1200» is only out of range
        raise JalaliDateError(MSG_YEAR if year >= 1700 else MSG_YEAR_RANGE, min=MIN_YEAR, max=MAX_YEAR, year=typed_year)
    if not 1 <= month <= 12:
        raise JalaliDateError(MSG_MONTH, month=typed_month)
    last = days_in_month(year, month)
    if day < 1 or day > 31:
        raise JalaliDateError(MSG_DAY, max=last, day=typed_day)
    if day > last:
        if month == 12 and last == 29:
            raise JalaliDateError(MSG_DAY_NOT_LEAP, year=year, max=last, day=day)
        raise JalaliDateError(MSG_DAY_IN_MONTH, month_name=MONTHS_FA[month - 1], max=last, day=day)
    return jdatetime.date(year, month, day).togregorian()


def parse_jalali_datetime(text: str) -> datetime:
    """Read a local Jalali date and time typed as 1405/09/20T10:00 (or with a space, Persian digits,
    seconds; a date alone is its midnight) in the configured zone; return it aware UTC.

    Raises JalaliDateError saying what is wrong with the date or the time.
    """
    cleaned = _clean(text)
    match = _DATE_TIME.fullmatch(cleaned)
    if match is None:
        if ":" in cleaned or "t" in cleaned.lower():
            raise JalaliDateError(MSG_TIME, value=_typed_time(text, cleaned))
        day, hour, minute, second = parse_jalali_date(text), 0, 0, 0
    else:
        day = parse_jalali_date(_typed(text, cleaned, match, 1))
        hour, minute, second = (int(part or 0) for part in match.group(2, 3, 4))
        if hour > 23 or minute > 59 or second > 59:
            raise JalaliDateError(MSG_TIME, value=_typed_time(text, cleaned))
    return from_local(datetime(day.year, day.month, day.day, hour, minute, second))


def _typed_time(text: str, cleaned: str) -> str:
    """The time part of a date and time as typed (after a date and a «T» or space), for MSG_TIME: it quoted the
    whole value, «ساعت «1405/09/20T25:00» خوانده نشد» (session 46's note); the whole when no date leads it."""
    typed = _INVISIBLE.sub("", text or "").strip()
    date_part = _DATE.match(cleaned)
    if date_part is None or len(typed) != len(cleaned):
        return typed
    time = re.sub(r"^(?:\s*[Tt]\s*|\s+)", "", typed[date_part.end():]).strip()
    return time or typed


def days_in_month(year: int, month: int) -> int:
    """Days in a Jalali month (Esfand has 30 in leap years, by jdatetime's rule)."""
    if month == 12:
        return 30 if jdatetime.date(year, 1, 1).isleap() else 29
    return jdatetime.j_days_in_month[month - 1]


def is_leap_year(year: int) -> bool:
    return jdatetime.date(year, 1, 1).isleap()


def to_jalali(value: date | datetime) -> jdatetime.date:
    """The Jalali date of a date, or of a (UTC) datetime as seen in the local zone."""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return jdatetime.date.fromgregorian(date=value)


def jalali_today(now: datetime | None = None) -> jdatetime.date:
    return to_jalali(now or utcnow())


def _digits(text: str, digits: str) -> str:
    return to_persian_digits(text) if digits == "fa" else text


def _month_names(digits: str) -> tuple[str, ...]:
    return MONTHS_FA if digits == "fa" else MONTHS_EN


def format_jalali_date(value: date | datetime | None, digits: str = "fa", long: bool = False) -> str:
    """1405/09/05 (Persian digits unless digits="en"); long=True gives «۵ آذر ۱۴۰۵»."""
    if value is None:
        return ""
    j = to_jalali(value)
    if long:
        return _digits(f"{j.day} {_month_names(digits)[j.month - 1]} {j.year}", digits)
    return _digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}", digits)


def format_jalali_datetime(value: datetime | None, digits: str = "fa") -> str:
    """A UTC datetime as local time: «۵ آذر ۱۴۰۵، ۱۴:۳۰» (English: "5 Azar 1405, 14:30")."""
    if value is None:
        return ""
    local = to_local(value)
    j = jdatetime.date.fromgregorian(date=local.date())
    sep = "، " if digits == "fa" else ", "
    text = f"{j.day} {_month_names(digits)[j.month - 1]} {j.year}{sep}{local:%H:%M}"
    return _digits(text, digits)


def format_jalali_month(year: int, month: int, digits: str = "fa") -> str:
    """«آذر ۱۴۰۵»."""
    return _digits(f"{_month_names(digits)[month - 1]} {year}", digits)


_UNITS_FA = (("سال", 365 * 86400), ("ماه", 30 * 86400), ("روز", 86400), ("ساعت", 3600), ("دقیقه", 60))
_UNITS_EN = (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))


def relative_time(value: datetime | None, now: datetime | None = None, digits: str = "fa") -> str:
    """«۳ روز پیش», «۲ ساعت دیگر», «همین حالا» (under a minute); English with digits="en"."""
    if value is None:
        return ""
    seconds = (as_utc(value) - as_utc(now or utcnow())).total_seconds()
    future, seconds = seconds > 0, abs(seconds)
    if seconds < 60:
        return "همین حالا" if digits == "fa" else "just now"
    units = _UNITS_FA if digits == "fa" else _UNITS_EN
    name, size = next((n, s) for n, s in units if seconds >= s)
    count = int(seconds // size)
    # One is said in words, «یک ساعت پیش» / "an hour ago", as people say it: «۱ ساعت پیش» and
    # "1 hour ago" read as a counter's output (session 43's walk). Two and more stay digits.
    if digits == "fa":
        amount = "یک" if count == 1 else to_persian_digits(str(count))
        return f"{amount} {name} {'دیگر' if future else 'پیش'}"
    label = (("an " if name == "hour" else "a ") + name) if count == 1 else f"{count} {name}s"
    return f"in {label}" if future else f"{label} ago"


def jalali_month_range(year: int, month: int) -> tuple[date, date]:
    """First and last Gregorian day (both included) of a Jalali month."""
    first = jdatetime.date(year, month, 1).togregorian()
    return first, first + timedelta(days=days_in_month(year, month) - 1)


def jalali_season_range(year: int, season: int) -> tuple[date, date]:
    """First and last day of a Jalali season (1 spring … 4 winter)."""
    first_month, last_month = SEASONS[season]
    return jalali_month_range(year, first_month)[0], jalali_month_range(year, last_month)[1]


def jalali_year_range(year: int) -> tuple[date, date]:
    """1 Farvardin to the last day of Esfand of a Jalali year."""
    return jalali_month_range(year, 1)[0], jalali_month_range(year, 12)[1]


def weekday_name(weekday: int, digits: str = "fa") -> str:
    """Name of a Python weekday number (Monday=0 … Sunday=6): 4 → «جمعه»."""
    names = jdatetime.date.j_weekdays_fa if digits == "fa" else jdatetime.date.j_weekdays_en
    return names[(weekday + 2) % 7]  # jdatetime lists start on Saturday (Python 5)
