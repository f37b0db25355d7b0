"""The work waiting on the dashboards: open cases by deadline for a user, their agency, and the
province per agency; answered cases do not count, another agency's never do."""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.scoping import agency_scope
from app.services.case_workload import CaseLoad, case_workload, week_end
from tests.services import case_fixtures
from tests.services.reminder_fixtures import remind

desk = case_fixtures.desk

TODAY = J("1405/03/18")  # a Monday; the week ends on Friday 1405/03/22


def _due(case, day):
    case.deadline = day
    db.session.commit()
    return case


def test_buckets_for_staff_manager_and_supervisor(desk):
    assert week_end(TODAY) == J("1405/03/22") and week_end(J("1405/03/22")) == J("1405/03/22")
    _due(desk.open("assigned"), TODAY - timedelta(days=1))  # overdue, mine
    _due(desk.open("drafted"), TODAY)  # due today, mine
    _due(desk.open("accepted"), TODAY + timedelta(days=4))  # Friday: this week
    _due(desk.open("accepted"), TODAY + timedelta(days=5))  # Saturday: later
    _due(desk.open("published"), TODAY - timedelta(days=9))  # answered: not counted
    _due(desk.open("assigned", agency=desk.b), TODAY - timedelta(days=3))

    staff = case_workload(desk.staff, TODAY)
    assert staff.mine == CaseLoad(overdue=1, due_today=1)
    assert staff.agency == CaseLoad(overdue=1, due_today=1, this_week=1, later=1) and staff.agency.open == 4
    assert staff.agencies == () and staff.province is None
    assert case_workload(desk.manager, TODAY).mine == CaseLoad()
    assert case_workload(desk.viewer, TODAY).mine is None
    assert case_workload(desk.manager_b, TODAY).agency == CaseLoad(overdue=1)

    supervisor = case_workload(desk.supervisor, TODAY)
    assert [(a.slug, load) for a, load in supervisor.agencies] == [
        ("water", CaseLoad(overdue=1, due_today=1, this_week=1, later=1)), ("power", CaseLoad(overdue=1))]
    assert supervisor.province == CaseLoad(overdue=2, due_today=1, this_week=1, later=1)


def test_escalated_counts_the_current_deadline_only(desk):
    case = desk.open("assigned")  # due 1405/02/26
    remind("1405/03/01T10:00")
    assert case_workload(desk.staff, J("1405/03/01")).mine == CaseLoad(overdue=1, escalated=1)
    case.deadline = J("1405/03/05")  # e.g. reopened with a new deadline: not escalated for it
    db.session.commit()
    assert case_workload(desk.staff, J("1405/03/01")).mine == CaseLoad(later=1)  # a Friday: next week


def test_the_agency_scope_holds_for_supervisor_figures_too(desk):
    desk.open("assigned")
    desk.open("assigned", agency=desk.b)
    with agency_scope(desk.a.id):  # a request of agency A's user: B's rows are not there at all
        loads = case_workload(desk.supervisor, TODAY)
    assert [a.slug for a, _load in loads.agencies] == ["water"]
