"""The Jalali periods a scorecard or report is asked for: a month, a season or a year.

Written (the ``--period`` option, the ``period`` query parameter, the JSON ``period`` key):

- a month ``1405-09`` (also ``1405/9``, Persian digits);
- a season ``1405-S3`` (S1 spring: Farvardin–Khordad … S4 winter: Dey–Esfand; also «پاییز ۱۴۰۵»);
- a year ``1405``.

``parse_report_period`` reads any of them and keeps the canonical key (``1405-09``,
``1405-S3``, ``1405``); ``months`` lists the Jalali months inside, for figures kept per month.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from app.i18n import N_, digit_style
from app.jalali import (
    MAX_YEAR,
    MIN_YEAR,
    format_jalali_month,
    jalali_month_range,
    jalali_season_range,
    jalali_year_range,
    to_jalali,
)
from app.services import ServiceError
from search_index.persian import ascii_digits, to_persian_digits

KINDS = ("month", "season", "year")
SEASON_NAMES = (N_("بهار"), N_("تابستان"), N_("پاییز"), N_("زمستان"))
_MONTH = re.compile(r"(\d{4})\s*[-/]\s*(\d{1,2})")
_SEASON = re.compile(r"(\d{4})\s*-\s*[sS]([1-4])")
_YEAR = re.compile(r"(\d{4})")
_SEASON_BY_NAME = {name: number for number, name in enumerate(SEASON_NAMES, start=1)}


@dataclass(frozen=True)
class ReportPeriod:
    kind: str  # month | season | year
    year: int
    number: int  # the month (1–12), the season (1–4), or 0 for a year
    first: date  # Gregorian, both days included
    last: date

    @property
    def key(self) -> str:
        """The canonical written form: ``1405-09``, ``1405-S3``, ``1405``."""
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "season":
            return f"{self.year}-S{self.number}"
        return str(self.year)

    @property
    def name(self) -> str:
        """For people, in the reader's language: «آذر ۱۴۰۵», «پاییز ۱۴۰۵», «۱۴۰۵»."""
        digits = digit_style()
        if self.kind == "month":
            return format_jalali_month(self.year, self.number, digits=digits)
        text = f"{_(SEASON_NAMES[self.number - 1]).capitalize()} {self.year}" if self.kind == "season" else str(self.year)
        return to_persian_digits(text) if digits == "fa" else text

    def months(self) -> list[tuple[int, int]]:
        """The (year, month) pairs inside the period, in order."""
        if self.kind == "month":
            return [(self.year, self.number)]
        if self.kind == "season":
            start = (self.number - 1) * 3 + 1
            return [(self.year, m) for m in range(start, start + 3)]
        return [(self.year, m) for m in range(1, 13)]

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def previous(self) -> ReportPeriod:
        """The period of the same kind just before this one (Farvardin → Esfand of the year before)."""
        if self.kind == "year":
            return year_period(self.year - 1)
        count = 12 if self.kind == "month" else 4
        year, number = (self.year, self.number - 1) if self.number > 1 else (self.year - 1, count)
        return month_period(year, number) if self.kind == "month" else season_period(year, number)


def month_period(year: int, month: int) -> ReportPeriod:
    first, last = jalali_month_range(year, month)
    return ReportPeriod("month", year, month, first, last)


def season_period(year: int, season: int) -> ReportPeriod:
    first, last = jalali_season_range(year, season)
    return ReportPeriod("season", year, season, first, last)


def year_period(year: int) -> ReportPeriod:
    first, last = jalali_year_range(year)
    return ReportPeriod("year", year, 0, first, last)


def period_holding(kind: str, day: date) -> ReportPeriod:
    """The Jalali month, season or year that holds ``day``."""
    j = to_jalali(day)
    if kind == "month":
        return month_period(j.year, j.month)
    if kind == "season":
        return season_period(j.year, (j.month - 1) // 3 + 1)
    return year_period(j.year)


def _bad(text: str) -> ServiceError:
    return ServiceError(_("دوره «%(value)s» خوانده نشد؛ ماه را به شکل ۱۴۰۵-۰۹، فصل را به شکل ۱۴۰۵-S3 "
                          "(یا «پاییز ۱۴۰۵») و سال را به شکل ۱۴۰۵ بنویسید.", value=text))


def parse_report_period(text: str | None) -> ReportPeriod:
    """A written period (see the module doc). :raise ServiceError: unreadable or out of range."""
    raw = (text or "").strip()
    clean = " ".join(ascii_digits(raw).split())
    period = None
    if match := _MONTH.fullmatch(clean):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR:
            period = month_period(year, month)
    elif match := _SEASON.fullmatch(clean):
        year = int(match.group(1))
        if MIN_YEAR <= year <= MAX_YEAR:
            period = season_period(year, int(match.group(2)))
    elif match := _YEAR.fullmatch(clean):
        year = int(match.group(1))
        if MIN_YEAR <= year <= MAX_YEAR:
            period = year_period(year)
    else:
        name, _sep, year_text = clean.partition(" ")
        if name in _SEASON_BY_NAME and _YEAR.fullmatch(year_text) and MIN_YEAR <= int(year_text) <= MAX_YEAR:
            period = season_period(int(year_text), _SEASON_BY_NAME[name])
    if period is None:
        raise _bad(raw)
    return period
