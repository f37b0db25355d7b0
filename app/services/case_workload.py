"""The work waiting, for the dashboards: a user's open cases by deadline (due today, later this
week, later), overdue, and escalated to the supervisors; the governorate's roles see the
province's, per agency.

Read-only, one grouped query per figure set, through the current agency scope as well.
``templates/cases/_dashboard_cases.html`` shows a ``Workload`` passed as ``case_load``: a page's
read service puts ``case_workload(user)`` in what it returns (the reminders page does:
app/services/case_notifications.reminders_page), and the template includes the partial.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, exists, func, select

from app.clock import local_today
from app.extensions import db
from app.policy import MANAGER, STAFF, sees_all_agencies
from models import OPEN_STATUSES, Agency, CaseNotification, PublicQuestion

FRIDAY = 4  # the last day of the Iranian week (Saturday … Friday)


@dataclass(frozen=True)
class CaseLoad:
    """Open cases by deadline; ``escalated`` counts those (overdue) already escalated to the
    supervisors for their current deadline."""

    overdue: int = 0
    due_today: int = 0
    this_week: int = 0  # after today, until Friday
    later: int = 0
    escalated: int = 0

    @property
    def open(self) -> int:
        return self.overdue + self.due_today + self.this_week + self.later

    def __add__(self, other: CaseLoad) -> CaseLoad:
        return CaseLoad(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple())))

    def as_tuple(self) -> tuple[int, ...]:
        return self.overdue, self.due_today, self.this_week, self.later, self.escalated


@dataclass(frozen=True)
class Workload:
    today: date
    week_end: date
    mine: CaseLoad | None = None  # assigned to the user (managers and staff)
    agency: CaseLoad | None = None  # the user's agency (agency roles)
    agencies: tuple[tuple[Agency | None, CaseLoad], ...] = ()  # per agency (governorate roles); None: no agency yet
    province: CaseLoad | None = None  # the sum of ``agencies``


def week_end(today: date) -> date:
    return today + timedelta(days=(FRIDAY - today.weekday()) % 7)


def _counts(today: date, end: date, *conditions, by_agency: bool = False) -> dict[int | None, CaseLoad]:
    deadline = PublicQuestion.deadline

    def total(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    escalated = exists().where(CaseNotification.case_id == PublicQuestion.id, CaseNotification.kind == "escalation",
                               CaseNotification.deadline == PublicQuestion.deadline)
    columns = [total(deadline < today), total(deadline == today), total(and_(deadline > today, deadline <= end)),
               total(deadline > end), total(escalated)]
    key = PublicQuestion.agency_id if by_agency else None
    query = select(*([key] if by_agency else []), *columns).where(PublicQuestion.status.in_(OPEN_STATUSES), *conditions)
    if by_agency:
        query = query.group_by(PublicQuestion.agency_id)
    loads = {}
    for row in db.session.execute(query):
        values = tuple(int(v) for v in (row[1:] if by_agency else row))
        loads[row[0] if by_agency else None] = CaseLoad(*values)
    return loads


def case_workload(user, today: date | None = None) -> Workload:
    """The open cases that concern ``user``, by deadline (through the current agency scope too)."""
    today = today or local_today()
    end = week_end(today)
    if sees_all_agencies(user):
        loads = _counts(today, end, by_agency=True)
        agencies = {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(
            [k for k in loads if k is not None])))}
        rows = sorted(((agencies.get(k), v) for k, v in loads.items()),
                      key=lambda pair: (-pair[1].overdue, -pair[1].open, pair[0].name_order if pair[0] else b""))
        province = sum((v for _a, v in rows), CaseLoad())
        return Workload(today, end, agencies=tuple(rows), province=province)
    if user.agency_id is None:
        return Workload(today, end)
    agency = _counts(today, end, PublicQuestion.agency_id == user.agency_id).get(None, CaseLoad())
    mine = None
    if user.role in (MANAGER, STAFF):
        mine = _counts(today, end, PublicQuestion.agency_id == user.agency_id,
                       PublicQuestion.assignee_id == user.id).get(None, CaseLoad())
    return Workload(today, end, mine=mine, agency=agency)
