"""Case deadlines in working days: weekly rest days, Nowruz, a lunar holiday, and calendar changes
made while cases are open (the deadlines move, and their timelines say so)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services import NotAllowed, ServiceError
from app.services.case_deadlines import deadline_days_by_priority, set_deadline_days
from app.services.cases import case_as_dict, timeline
from app.services.holidays import add_holiday, remove_holiday, set_rest_days
from models import AuditEntry, CaseEvent, PublicQuestion
from tests.services import case_fixtures

# The shared fixtures (bound here so pytest finds them in this module).
desk, make_item = case_fixtures.desk, case_fixtures.make_item


def _moved_events(case):
    return [e for e in timeline(case) if e.kind == "deadline_moved"]


def test_priorities_count_working_days_across_the_weekly_rest_day(desk):
    wednesday = J("1405/02/23")
    urgent = desk.open(opened_on=wednesday, priority="urgent")  # Thu, (Fri), Sat
    normal = desk.open(opened_on=wednesday, priority="normal")  # Thu, (Fri), Sat, Sun, Mon, Tue
    low = desk.open(opened_on=wednesday, priority="low")
    assert (urgent.deadline, normal.deadline) == (J("1405/02/26"), J("1405/02/29"))
    assert low.deadline == J("1405/03/04")  # Fridays 02/25 and 03/01 skipped
    assert "۲ روز کاری پس از ۱۴۰۵/۰۲/۲۳" in urgent.deadline_note and "۱ جمعه" in urgent.deadline_note
    counting = case_as_dict(urgent)["deadline_counting"]
    assert counting["skipped"] == [{"date": "1405/02/25", "reason": "جمعه، تعطیل هفتگی", "holiday": None}]
    assert counting["rest_days"] == [4]  # Friday: what the page says the counting again in the reader's language with


def test_across_nowruz(desk):
    case = desk.open(opened_on=J("1404/12/24"))  # Sunday
    # Mon–Thu count; Friday 29 Esfand (also a holiday), 1–4 Farvardin are skipped; Wednesday 5 Farvardin is day 5.
    assert case.deadline == J("1405/01/05")
    assert "نوروز" in case.deadline_note and "ملی شدن صنعت نفت" in case.deadline_note


def test_a_lunar_holiday_in_the_calendar_is_skipped(desk):
    add_holiday(J("1405/03/02"), "عید سعید قربان", actor=desk.admin)  # a Saturday
    case = desk.open(opened_on=J("1405/02/27"))  # Sunday: Mon–Thu, (Friday, the holiday), Sunday
    assert case.deadline == J("1405/03/03")
    assert J("1405/03/02") in [J(row["date"]) for row in case.deadline_counting["skipped"]]
    assert "عید سعید قربان" in case.deadline_note


def test_a_holiday_added_and_removed_while_cases_are_open_moves_their_deadlines(desk):
    touched = desk.open("assigned", opened_on=J("1405/02/20"))  # due 1405/02/26
    untouched = desk.open(opened_on=J("1405/02/10"))  # due 1405/02/16, before the holiday
    closed = desk.open("closed", opened_on=J("1405/02/20"))  # answered: keeps its deadline
    assert touched.deadline == closed.deadline == J("1405/02/26")

    holiday = add_holiday(J("1405/02/22"), "تاسوعای حسینی", actor=desk.admin)
    db.session.expire_all()
    touched, untouched, closed = (db.session.get(PublicQuestion, c.id) for c in (touched, untouched, closed))
    assert touched.deadline == J("1405/02/27") and "تاسوعای حسینی" in touched.deadline_note
    assert untouched.deadline == J("1405/02/16") and closed.deadline == J("1405/02/26")
    [event] = _moved_events(touched)
    assert event.actor_id == desk.admin.id and event.data["holiday_added"] is True
    assert event.text == "روز ۱۴۰۵/۰۲/۲۲ (تاسوعای حسینی) تعطیل شد؛ موعد پاسخ از ۱۴۰۵/۰۲/۲۶ به ۱۴۰۵/۰۲/۲۷ رفت."
    assert _moved_events(untouched) == [] and _moved_events(closed) == []
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "case.deadline_moved")).all()
    assert [(a.object_id, a.agency_id) for a in audit] == [(touched.id, desk.a.id)]

    remove_holiday(holiday, actor=desk.admin)
    db.session.expire_all()
    touched = db.session.get(PublicQuestion, touched.id)
    assert touched.deadline == J("1405/02/26")
    assert _moved_events(touched)[-1].text == (
        "تعطیلی روز ۱۴۰۵/۰۲/۲۲ (تاسوعای حسینی) برداشته شد؛ موعد پاسخ از ۱۴۰۵/۰۲/۲۷ به ۱۴۰۵/۰۲/۲۶ آمد.")


def test_a_holiday_on_a_rest_day_moves_nothing(desk):
    case = desk.open(opened_on=J("1405/02/20"))
    add_holiday(J("1405/02/25"), "تعطیلی روز جمعه", actor=desk.admin)  # a Friday
    db.session.expire_all()
    assert db.session.get(PublicQuestion, case.id).deadline == J("1405/02/26")
    assert _moved_events(case) == []


def test_changing_the_rest_days_moves_open_deadlines(desk):
    case = desk.open(opened_on=J("1405/02/20"))  # Sunday; due Saturday 1405/02/26
    set_rest_days([3, 4], actor=desk.admin)  # Thursday too
    db.session.expire_all()
    case = db.session.get(PublicQuestion, case.id)
    assert case.deadline == J("1405/02/27")
    assert _moved_events(case)[-1].text == "روزهای تعطیل هفته تغییر کرد؛ موعد پاسخ از ۱۴۰۵/۰۲/۲۶ به ۱۴۰۵/۰۲/۲۷ رسید."


def test_a_refused_calendar_change_moves_no_deadline(desk):
    case = desk.open(opened_on=J("1405/02/20"))
    with pytest.raises(NotAllowed):
        add_holiday(J("1405/02/22"), "تعطیلی", actor=desk.manager)
    assert db.session.scalars(select(CaseEvent).where(CaseEvent.kind == "deadline_moved")).all() == []
    assert db.session.get(PublicQuestion, case.id).deadline == J("1405/02/26")


def test_deadline_days_are_a_setting_admins_edit(desk):
    assert deadline_days_by_priority() == {"urgent": 2, "normal": 5, "low": 10}
    for role in ("supervisor", "manager", "staff", "viewer"):
        with pytest.raises(NotAllowed):
            set_deadline_days({"urgent": 1, "normal": 3, "low": 7}, actor=getattr(desk, role))
    for bad in ({"urgent": 0, "normal": 3, "low": 7}, {"urgent": "یک", "normal": 3, "low": 7},
                {"urgent": 1, "normal": 3}, {"urgent": 1, "normal": 3, "low": 61}):
        with pytest.raises(ServiceError, match="عددی از ۱ تا ۶۰"):
            set_deadline_days(bad, actor=desk.admin)
    before = desk.open(opened_on=J("1405/02/20"))
    assert set_deadline_days({"urgent": "1", "normal": 3, "low": 7}, actor=desk.admin) == {
        "urgent": 1, "normal": 3, "low": 7}
    assert desk.open(opened_on=J("1405/02/20")).deadline == J("1405/02/23")
    assert db.session.get(PublicQuestion, before.id).deadline == J("1405/02/26")  # kept
    assert db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "setting.changed"))["key"] == \
        "cases.deadline_days"
