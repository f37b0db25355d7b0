"""Figures for the scorecard (clause 12), per agency and Jalali period (month, season or year:
``case_figures_between``; ``case_figures`` is the month of `cases stats`).

For the period: ``opened`` (cases opened in it, less those rejected as not a question or merged
as duplicates before any answer: ``counted_case``), ``answered`` (cases whose first answer was published in it: a reopened case's
next answer counts nowhere again), ``answered_on_time`` (published on or before the deadline it
was due by, ``answer_deadline``: a reopen's new deadline does not judge the first answer), ``on_time_pct`` (of ``answered``, one decimal; None without answers),
``median_working_days_to_answer`` (working days from the day opened, not counted, to the day
published; None without answers). As of a day (today for `cases stats`; the scorecard uses the
period's last day, or today while it runs): ``open`` (cases waiting for their answer) and
``overdue`` (those past their deadline on that day), whatever month they were opened in.
"""
from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from app.clock import local_today
from app.extensions import db
from app.jalali import (
    MAX_YEAR,
    MIN_YEAR,
    MSG_MONTH,
    MSG_YEAR,
    MSG_YEAR_RANGE,
    format_jalali_date,
    jalali_month_range,
)
from app.scoping import current_scope
from app.services import ServiceError
from app.services.digits import shown_number
from app.services.working_days import get_rest_days, holidays_between
from models import OPEN_STATUSES, Agency, PublicQuestion
from search_index.persian import ascii_digits, fold_pasted

_PERIOD = re.compile(r"\s*(\d{4})\s*[-/]\s*(\d{1,2})\s*")
NOT_COUNTED = ("rejected", "merged")


def counted_case():
    """The cases a month's figures count: not rejected or merged — unless answered first. A case
    answered, reopened and then rejected or merged kept out of the figures the answer it had
    published, and a desk could take its late answers out of its on-time rate so (a review of the
    cases commands, round 4); the first answer stays what the figures count."""
    pq = PublicQuestion
    return or_(pq.status.not_in(NOT_COUNTED), pq.answered_on.is_not(None))


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
    overdue_longest_days: int | None = None
    records: dict[str, list[str]] = field(default_factory=dict, compare=False)  # figure → case refs
    as_of: date | None = None  # the day ``open`` and ``overdue`` were counted on

    def as_dict(self) -> dict:
        """The CLI's JSON line (`cases stats`): issue 11's keys in its order, then ``as_of`` (the
        Jalali day ``open``/``overdue`` were counted on: today, as issue 11 asks, whatever the
        month) and ``overdue_longest_days``."""
        return {"agency": self.agency, "period": self.period, "opened": self.opened, "answered": self.answered,
                "answered_on_time": self.answered_on_time, "on_time_pct": self.on_time_pct,
                "median_working_days_to_answer": self.median_working_days_to_answer,
                "open": self.open, "overdue": self.overdue,
                "as_of": format_jalali_date(self.as_of, digits="en") if self.as_of else None,
                "overdue_longest_days": self.overdue_longest_days}


def parse_period(text: str) -> tuple[int, int]:
    """A Jalali month written 1405-09 (or 1405/9, Persian digits, a dash or minus sign as word
    processors write it, bidi marks). :raise ServiceError: unreadable."""
    if not (text or "").strip():  # «ماه «» خوانده نشد» read as a month typed wrong (a review of the commands, round 8)
        raise ServiceError(_("ماه را بنویسید (--period)، به شکل سال-ماه، مانند ۱۴۰۵-۰۹."))
    match = _PERIOD.fullmatch(fold_pasted(ascii_digits(text or "")))
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12:
            return year, month
        # written as asked, out of range: told why («1405-13» was told to write year-month; session 45)
        # its numbers in the reader's digits, as the date's same message (it said «از 1300 تا 1499» beside «۱ تا ۱۲»)
        reason = (_(MSG_MONTH, month=shown_number(match.group(2))) if MIN_YEAR <= year <= MAX_YEAR else
                  _(MSG_YEAR if year >= 1700 else MSG_YEAR_RANGE, min=shown_number(MIN_YEAR),
                    max=shown_number(MAX_YEAR), year=shown_number(match.group(1))))
        raise ServiceError(_("ماه «%(value)s» خوانده نشد: %(reason)s", value=text, reason=reason))
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
    """One CaseFigures per agency (active ones, or ``agency_id``'s), as the current scope sees them:
    the month's figures, ``open``/``overdue`` as of today (`cases stats`)."""
    first, last = jalali_month_range(year, month)
    today = today or local_today()
    return case_figures_between(first, last, f"{year:04d}-{month:02d}", agency_id=agency_id, as_of=today,
                                waiting_now=True)


def case_figures_between(first: date, last: date, label: str, *, agency_id: int | None = None,
                         as_of: date | None = None, waiting_now: bool = False) -> list[CaseFigures]:
    """The figures of the local days [first, last] (a Jalali month, season or year), per agency.

    ``open``/``overdue`` are counted as of ``as_of`` (default today): on today (or later) the cases
    waiting now (their status; also with ``waiting_now``); on a past day from the cases' history:
    opened on or before it and not answered by then (``answered_on`` empty or later). Overdue: the
    deadline is before ``as_of``. ``records`` names the case refs behind each figure;
    ``overdue_longest_days`` is the most calendar days one of them is past its deadline.
    """
    today = local_today()
    as_of = as_of or today
    agencies = scorecard_agencies(agency_id)
    ids = [a.id for a in agencies]
    pq = PublicQuestion
    rows = db.session.execute(
        select(pq.agency_id, pq.ref, pq.status, pq.opened_on, pq.answered_on, pq.deadline,
               pq.first_answer_due.label("first_answer_due"))
        .where(pq.agency_id.in_(ids), counted_case(),
               or_(pq.opened_on.between(first, last), pq.answered_on.between(first, last),
                   pq.status.in_(OPEN_STATUSES), and_(pq.opened_on <= as_of, or_(pq.answered_on.is_(None), pq.answered_on > as_of))))
        .order_by(pq.opened_on, pq.id)).all()
    answered = [r for r in rows if r.answered_on is not None and first <= r.answered_on <= last]
    holidays: set[date] = set()
    if answered:
        holidays = set(holidays_between(min(r.opened_on for r in answered), last))
    rest_days = get_rest_days()
    by_agency: dict[int, list] = defaultdict(list)
    for row in rows:
        by_agency[row.agency_id].append(row)
    return [_agency_figures(agency, label, by_agency.get(agency.id, []), first, last, as_of, holidays, rest_days,
                            now=waiting_now or as_of >= today) for agency in agencies]


def _agency_figures(agency: Agency, label: str, rows: list, first: date, last: date, as_of: date,
                    holidays: set[date], rest_days: frozenset[int], *, now: bool) -> CaseFigures:
    opened = [r for r in rows if first <= r.opened_on <= last]
    answered = [r for r in rows if r.answered_on is not None and first <= r.answered_on <= last]
    on_time = [r for r in answered if r.answered_on <= r.first_answer_due]
    if now:
        waiting = [r for r in rows if r.status in OPEN_STATUSES]
    else:
        waiting = [r for r in rows if r.opened_on <= as_of and (r.answered_on is None or r.answered_on > as_of)]
    # A past day's waiting cases waited for their first answer, due by the first round's deadline: a
    # reopen's new deadline took a closed month's overdue case out of its figure (a review of the cases).
    due = (lambda r: r.deadline) if now else (lambda r: r.first_answer_due)
    overdue = [r for r in waiting if due(r) < as_of]
    days = [working_days_between(r.opened_on, r.answered_on, holidays, rest_days) for r in answered]
    median = statistics.median(days) if days else None
    if isinstance(median, float) and median.is_integer():
        median = int(median)
    records = {"opened": [r.ref for r in opened], "answered": [r.ref for r in answered],
               "answered_on_time": [r.ref for r in on_time], "open": [r.ref for r in waiting],
               "overdue": [r.ref for r in overdue]}
    return CaseFigures(
        agency_id=agency.id, agency=agency.slug, period=label, opened=len(opened), answered=len(answered),
        answered_on_time=len(on_time), on_time_pct=round(100 * len(on_time) / len(answered), 1) if answered else None,
        median_working_days_to_answer=median, open=len(waiting), overdue=len(overdue),
        overdue_longest_days=max(((as_of - due(r)).days for r in overdue), default=None), records=records,
        as_of=as_of)
