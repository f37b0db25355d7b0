"""What a case's deadline makes due on a day, and to whom (app/services/case_reminders.py sends it):
working days counted before and after a deadline (``WorkingCalendar``), the notices due
(``due_kinds``), and the active accounts that hear each (``Recipients``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.policy import ADMIN, MANAGER, STAFF, SUPERVISOR
from app.services import ServiceError
from app.services.working_days import add_working_days, get_rest_days, holidays_between
from models import User


class WorkingCalendar:
    """Working days before and after a deadline, remembered for one run (deadlines repeat)."""

    def __init__(self):
        self.rest_days = get_rest_days()
        self._after: dict[tuple[date, int], date] = {}
        self._before: dict[tuple[date, int], date] = {}

    def after(self, day: date, n: int) -> date:
        """The day ``n`` working days after ``day`` (add_working_days' rule: ``day`` not counted)."""
        if (day, n) not in self._after:
            self._after[(day, n)] = add_working_days(day, n).due
        return self._after[(day, n)]

    def before(self, day: date, n: int) -> date:
        """The working day with ``n`` working days from it to ``day`` (``day`` counted, it not):
        after(before(D, n), n) == D for a working day D. n = 0 gives ``day``."""
        if (day, n) not in self._before:
            if len(self.rest_days) == 7:
                raise ServiceError(_("همهٔ روزهای هفته تعطیل تعریف شده‌اند؛ روز کاری‌ای برای شمردن نیست."))
            holidays = holidays_between(day - timedelta(days=7 * n + 120), day)
            found, counted = day, 0
            while counted < n:
                found -= timedelta(days=1)
                if found.weekday() not in self.rest_days and found not in holidays:
                    counted += 1
            self._before[(day, n)] = found
        return self._before[(day, n)]


def due_kinds(deadline: date, today: date, days: dict[str, int], calendar: WorkingCalendar) -> list[str]:
    """The notices due today for an open case with this deadline (reminder, breach, escalation)."""
    kinds = []
    if calendar.before(deadline, days["days_before"]) <= today <= deadline:
        kinds.append("reminder")
    if today > deadline:
        kinds.append("breach")
    if today > calendar.after(deadline, days["escalate_after"]):
        kinds.append("escalation")
    return kinds


@dataclass(frozen=True)
class Person:
    """A recipient as read once per run (plain values: they outlive every per-case commit)."""

    id: int
    username: str
    display_name: str
    role: str
    agency_id: int | None


class Recipients:
    """Who hears what, from the active accounts (read once per run, every agency)."""

    def __init__(self):
        rows = db.session.execute(select(User.id, User.username, User.display_name, User.role, User.agency_id)
                                  .where(User.may_sign_in_clause(), User.role.in_((ADMIN, SUPERVISOR, MANAGER, STAFF)))
                                  .order_by(User.id).execution_options(unscoped=True)).all()
        people = [Person(*row) for row in rows]
        self.by_id = {p.id: p for p in people}
        self.governorate = [p for p in people if p.role == SUPERVISOR] or [p for p in people if p.role == ADMIN]
        self.managers: dict[int, list[Person]] = {}
        self.staff: dict[int, list[Person]] = {}
        for person in people:
            if person.role in (MANAGER, STAFF) and person.agency_id is not None:
                (self.managers if person.role == MANAGER else self.staff).setdefault(person.agency_id, []).append(person)

    def of(self, kind: str, agency_id: int | None, assignee_id: int | None) -> list[Person]:
        if agency_id is None or kind == "escalation":
            return self.governorate
        managers = self.managers.get(agency_id, [])
        if kind == "breach":
            return managers or self.governorate
        assignee = self.by_id.get(assignee_id)
        if assignee is not None and assignee.agency_id == agency_id and assignee.role in (MANAGER, STAFF):
            return [assignee]
        return managers or self.staff.get(agency_id, []) or self.governorate
