"""Helpers for the case reminder tests: run the job at a Jalali local time, read what it wrote.

The calendar of the scenarios (1405, Ordibehesht): 20 Sun, 21 Mon, 22 Tue, 23 Wed (made a holiday
by ``with_holiday``), 24 Thu, 25 Fri (the weekly rest day), 26 Sat, 27 Sun, 28 Mon, 29 Tue, 30 Wed.
A normal case opened on the 20th (5 working days) is due on the 27th when the 23rd is a holiday.
"""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.jalali import parse_jalali_datetime
from app.services.case_reminders import send_reminders
from app.services.holidays import add_holiday
from models import CaseEvent, CaseNotification, User


def remind(at: str) -> list[tuple[str, str, str]]:
    """Run the job as if it were ``at`` (e.g. "1405/02/24T10:00"): (ref, notice, username) sent."""
    summary = send_reminders(parse_jalali_datetime(at))
    assert summary.skipped == "", summary
    return [(s.ref, s.notice, s.username) for s in summary.sent]


def with_holiday(desk, day: str = "1405/02/23", name: str = "تعطیلی آزمایشی") -> None:
    add_holiday(J(day), name, actor=desk.admin)


def stored() -> list[tuple[int, str, str, str]]:
    """Every case notification as (case id, kind, step, username), in the order written."""
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(
        select(CaseNotification.case_id, CaseNotification.kind, CaseNotification.step, User.username)
        .join(User, User.id == CaseNotification.user_id).order_by(CaseNotification.id)
        .execution_options(unscoped=True))]


def notice_events(case) -> list[tuple[str, list]]:
    """The case's reminder / breach / escalation timeline events as (kind, recipients)."""
    db.session.expire_all()
    return [(e.kind, e.data["to"]) for e in db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id,
                                CaseEvent.kind.in_(("reminder", "breach", "escalation"))).order_by(CaseEvent.id))]
