"""The clause-12 report's data: an agency's public-question cases in a Jalali period.

Rows: every case of the agency opened in the period or answered in it (rejected and merged
cases left out unless answered first, as case_stats does), oldest first, with its reference, question, the day it was
opened, its deadline, the day its answer was published, whether that was on time, and the
working days it took (from the day opened, not counted, to the day published; the calendar's
rest days and holidays are not counted). An open case shows how late it is today.

Totals are those of app/services/case_stats.py over the whole period (a month gives exactly
``case_figures``; a season or a year the same definitions over its days): ``opened``,
``answered``, ``answered_on_time``, ``on_time_pct``, ``median_working_days_to_answer``, and now
``open`` and ``overdue``.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from app.clock import local_today
from app.extensions import db
from app.services.case_stats import counted_case, working_days_between
from app.services.report_periods import ReportPeriod
from app.services.working_days import get_rest_days, holidays_between
from models import OPEN_STATUSES, Agency, PublicQuestion


@dataclass(frozen=True)
class CaseRow:
    ref: str
    question: str  # the question in one sentence, else the title
    status: str
    opened_on: date
    deadline: date
    answered_on: date | None
    on_time: bool | None  # None: not answered
    working_days: int | None  # to the answer; None: not answered
    overdue: bool  # open and past its deadline today


@dataclass(frozen=True)
class CaseReport:
    agency: Agency
    period: ReportPeriod
    today: date
    rows: list[CaseRow]
    totals: dict  # the case_stats keys (see the module doc)


def count_case_rows(agency_id: int, period: ReportPeriod) -> int:
    """How many rows the report will have (to decide whether it is built in the request)."""
    pq = PublicQuestion
    return db.session.scalar(select(func.count(pq.id)).where(*_in_period(agency_id, period))) or 0


def _in_period(agency_id: int, period: ReportPeriod) -> tuple:
    pq = PublicQuestion
    return (pq.agency_id == agency_id, counted_case(),
            or_(pq.opened_on.between(period.first, period.last), pq.answered_on.between(period.first, period.last)))


def case_report(agency: Agency, period: ReportPeriod, *, today: date | None = None) -> CaseReport:
    """The clause-12 report of ``agency`` for ``period`` (read in the caller's agency scope)."""
    today = today or local_today()
    pq = PublicQuestion
    cases = list(db.session.scalars(select(pq).where(*_in_period(agency.id, period))
                                    .order_by(pq.opened_on, pq.ref)))
    answered = [c for c in cases if c.answered_on is not None]
    holidays: set[date] = set()
    if answered:
        holidays = set(holidays_between(min(c.opened_on for c in answered), max(c.answered_on for c in answered)))
    rest_days = get_rest_days()
    rows = []
    for case in cases:
        days = (working_days_between(case.opened_on, case.answered_on, holidays, rest_days)
                if case.answered_on is not None else None)
        rows.append(CaseRow(
            ref=case.ref, question=case.question or case.title, status=case.status, opened_on=case.opened_on,
            deadline=case.deadline, answered_on=case.answered_on,
            on_time=None if case.answered_on is None else case.answered_on <= case.first_answer_due,
            working_days=days,
            overdue=case.status in OPEN_STATUSES and case.deadline < today))
    return CaseReport(agency, period, today, rows, _totals(agency.id, period, rows, today))


def _totals(agency_id: int, period: ReportPeriod, rows: list[CaseRow], today: date) -> dict:
    opened = sum(1 for r in rows if period.contains(r.opened_on))
    answered = [r for r in rows if r.answered_on is not None and period.contains(r.answered_on)]
    on_time = sum(1 for r in answered if r.on_time)
    median = statistics.median([r.working_days for r in answered]) if answered else None
    if isinstance(median, float) and median.is_integer():
        median = int(median)
    pq = PublicQuestion
    waiting = db.session.execute(
        select(func.count(pq.id), func.count(pq.id).filter(pq.deadline < today))
        .where(pq.agency_id == agency_id, pq.status.in_(OPEN_STATUSES))).one()
    return {"opened": opened, "answered": len(answered), "answered_on_time": on_time,
            "on_time_pct": round(100 * on_time / len(answered), 1) if answered else None,
            "median_working_days_to_answer": median, "open": waiting[0], "overdue": waiting[1]}
