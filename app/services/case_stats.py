"""Figures for the scorecard (clause 12), per agency and Jalali month.

For the month: ``opened`` (cases opened in it, less those rejected as not a question or merged
as duplicates), ``answered`` (answers published in it), ``answered_on_time`` (published on or
before the deadline), ``on_time_pct`` (of ``answered``, one decimal; None without answers),
``median_working_days_to_answer`` (working days from the day opened, not counted, to the day
published; None without answers). Now: ``open`` (cases waiting for their answer) and
``overdue`` (those past their deadline today), whatever month they were opened in.
"""
from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.clock import local_today
from app.extensions import db
from app.jalali import MAX_YEAR, MIN_YEAR, jalali_month_range
from app.scoping import current_scope
from app.services import ServiceError
from app.services.working_days import get_rest_days, holidays_between
from models import OPEN_STATUSES, Agency, PublicQuestion
from search_index.persian import ascii_digits

_PERIOD = re.compile(r"\s*(\d{4})\s*[-/]\s*(\d{1,2})\s*")
NOT_COUNTED = ("rejected", "merged")


@dataclass(frozen=True)
class CaseFigures:
    agency_id: int
    agency: str  # slug
    period: str  # "1405-09"
    opened: int
    answered: int
    answered_on_time: int
    on_time_pct: float | None
    median_working_days_to_answer: float | int | None
    open: int
    overdue: int

    def as_dict(self) -> dict:
        """The CLI's JSON line (`cases stats`): exactly these keys, in this order."""
        return {"agency": self.agency, "period": self.period, "opened": self.opened, "answered": self.answered,
                "answered_on_time": self.answered_on_time, "on_time_pct": self.on_time_pct,
                "median_working_days_to_answer": self.median_working_days_to_answer,
                "open": self.open, "overdue": self.overdue}


def parse_period(text: str) -> tuple[int, int]:
    """A Jalali month written 1405-09 (or 1405/9, Persian digits). :raise ServiceError: unreadable."""
    match = _PERIOD.fullmatch(ascii_digits(text or ""))
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12:
            return year, month
    raise ServiceError(_("ماه «%(value)s» خوانده نشد؛ آن را به شکل سال-ماه بنویسید، مانند ۱۴۰۵-۰۹.",
                         value=text or ""))


def working_days_between(start: date, end: date, holidays: set[date], rest_days: frozenset[int]) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() not in rest_days and day not in holidays:
            count += 1
    return count


def scorecard_agencies(agency_id: int | None) -> list[Agency]:
    """The agencies a scorecard figure is counted for: the active ones (or ``agency_id``'s), as the
    current scope sees them (the contact figures use it too)."""
    query = select(Agency).order_by(Agency.id)
    scope = current_scope()
    if scope is not None:
        query = query.where(Agency.id == scope)
    if agency_id is not None:
        return list(db.session.scalars(query.where(Agency.id == agency_id)))
    return list(db.session.scalars(query.where(Agency.is_active.is_(True))))


def case_figures(year: int, month: int, *, agency_id: int | None = None,
                 today: date | None = None) -> list[CaseFigures]:
    """One CaseFigures per agency (active ones, or ``agency_id``'s), as the current scope sees them."""
    first, last = jalali_month_range(year, month)
    today = today or local_today()
    agencies = scorecard_agencies(agency_id)
    ids = [a.id for a in agencies]
    pq = PublicQuestion
    opened = dict(db.session.execute(
        select(pq.agency_id, func.count(pq.id)).where(pq.agency_id.in_(ids), pq.opened_on.between(first, last),
                                                      pq.status.not_in(NOT_COUNTED)).group_by(pq.agency_id)).all())
    waiting = {row.agency_id: row for row in db.session.execute(
        select(pq.agency_id, func.count(pq.id).label("open"),
               func.count(case((pq.deadline < today, pq.id))).label("overdue"))
        .where(pq.agency_id.in_(ids), pq.status.in_(OPEN_STATUSES)).group_by(pq.agency_id))}
    answers = db.session.execute(
        select(pq.agency_id, pq.opened_on, pq.answered_on, pq.deadline)
        .where(pq.agency_id.in_(ids), pq.answered_on.between(first, last), pq.status.not_in(NOT_COUNTED))).all()
    by_agency: dict[int, list] = defaultdict(list)
    for row in answers:
        by_agency[row.agency_id].append(row)
    holidays: set[date] = set()
    if answers:
        holidays = set(holidays_between(min(r.opened_on for r in answers), last))
    rest_days = get_rest_days()
    period = f"{year:04d}-{month:02d}"
    figures = []
    for agency in agencies:
        rows = by_agency.get(agency.id, [])
        on_time = sum(1 for r in rows if r.answered_on <= r.deadline)
        days = [working_days_between(r.opened_on, r.answered_on, holidays, rest_days) for r in rows]
        median = statistics.median(days) if days else None
        if isinstance(median, float) and median.is_integer():
            median = int(median)
        row = waiting.get(agency.id)
        figures.append(CaseFigures(
            agency_id=agency.id, agency=agency.slug, period=period, opened=opened.get(agency.id, 0),
            answered=len(rows), answered_on_time=on_time,
            on_time_pct=round(100 * on_time / len(rows), 1) if rows else None,
            median_working_days_to_answer=median, open=row.open if row else 0, overdue=row.overdue if row else 0))
    return figures
