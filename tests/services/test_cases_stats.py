"""The scorecard's figures per agency and Jalali month, on a month built case by case."""
from __future__ import annotations

import re
from datetime import date

import pytest

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.scoping import agency_scope
from app.services import ServiceError
from app.services.case_stats import case_figures, parse_period, working_days_between
from app.services.cases import move
from models import PublicQuestion
from tests.services import case_fixtures

# The shared fixtures (bound here so pytest finds them in this module).
desk, make_item = case_fixtures.desk, case_fixtures.make_item

TODAY = J("1405/03/10")


def _answered(desk, opened: str, answered: str):
    case = desk.open("published", opened_on=J(opened))
    case.answered_on = J(answered)  # the day it was published, as if the month had run
    db.session.commit()
    return case


@pytest.fixture
def month(desk):
    """Ordibehesht 1405 at agency A (water); agency B (power) has one open case from Khordad."""
    _answered(desk, "1405/02/20", "1405/02/22")  # due 02/26: on time, 2 working days
    _answered(desk, "1405/02/06", "1405/02/14")  # due 02/12: late, 7 working days
    _answered(desk, "1405/01/30", "1405/02/05")  # opened in Farvardin, answered on its deadline: 5 days
    waiting = desk.open("assigned", opened_on=J("1405/02/20"))  # open, overdue by TODAY
    desk.open("rejected", opened_on=J("1405/02/15"))  # not a question: not counted
    duplicate = desk.open("new", opened_on=J("1405/02/25"))
    move(duplicate, "merged", desk.manager, into=waiting)  # a duplicate: not counted
    _answered(desk, "1405/02/28", "1405/03/02")  # answered next month: 4 working days
    desk.open("accepted", agency=desk.b, opened_on=J("1405/03/08"), priority="low")
    return desk


def test_a_month_of_one_agency(month):
    water, power = case_figures(1405, 2, today=TODAY)
    assert water.as_dict() == {
        "agency": "water", "period": "1405-02", "opened": 4, "answered": 3, "answered_on_time": 2,
        "on_time_pct": 66.7, "median_working_days_to_answer": 5, "open": 1, "overdue": 1,
        "as_of": "1405/03/10", "overdue_longest_days": 15}
    assert power.as_dict() == {
        "agency": "power", "period": "1405-02", "opened": 0, "answered": 0, "answered_on_time": 0,
        "on_time_pct": None, "median_working_days_to_answer": None, "open": 1, "overdue": 0,
        "as_of": "1405/03/10", "overdue_longest_days": None}
    [water_next] = case_figures(1405, 3, agency_id=month.a.id, today=TODAY)
    assert (water_next.opened, water_next.answered, water_next.on_time_pct,
            water_next.median_working_days_to_answer) == (0, 1, 100.0, 4)


def test_an_agency_sees_only_its_own_figures(month):
    with agency_scope(month.b.id):
        assert [f.agency for f in case_figures(1405, 2, today=TODAY)] == ["power"]
        assert case_figures(1405, 2, agency_id=month.a.id, today=TODAY) == []


def test_working_days_and_an_even_median(desk):
    assert working_days_between(J("1405/02/20"), J("1405/02/26"), set(), frozenset({4})) == 5
    assert working_days_between(J("1405/02/20"), J("1405/02/20"), set(), frozenset({4})) == 0
    assert working_days_between(J("1405/02/20"), J("1405/02/26"), {J("1405/02/22")}, frozenset({4})) == 4
    _answered(desk, "1405/02/20", "1405/02/22")  # 2
    _answered(desk, "1405/02/20", "1405/02/23")  # 3
    [water, _power] = case_figures(1405, 2, today=TODAY)
    assert water.median_working_days_to_answer == 2.5


def test_period_is_read_in_any_digits():
    assert parse_period("1405-09") == (1405, 9)
    assert parse_period("۱۴۰۵/۹") == (1405, 9)
    with pytest.raises(ServiceError, match="ماه را بنویسید"):  # nothing typed: said so, not «ماه «» خوانده نشد»
        parse_period("  ")
    for bad in ("1405-13", "05-09", "آذر", "2026-01"):
        with pytest.raises(ServiceError, match="ماه «.*» خوانده نشد"):
            parse_period(bad)
    # a month written as asked but out of range is told why («… به شکل سال-ماه بنویسید» of «1405-13», session 45)
    with pytest.raises(ServiceError, match="ماه باید از ۱ تا ۱۲ باشد"):
        parse_period("1405-13")
    with pytest.raises(ServiceError, match="تاریخ میلادی را به خورشیدی بنویسید"):
        parse_period("2026-01")
    # its numbers in Persian digits, as the date's same message gives them («سال باید از 1300 تا 1499 باشد
    # (نوشته‌شده: 2026)» beside «۱ تا ۱۲»: a review of session 45)
    for typed, said in (("2026-01", "سال باید از ۱۳۰۰ تا ۱۴۹۹ باشد (نوشته‌شده: ۲۰۲۶)"),
                        ("1299-05", "سال باید از ۱۳۰۰ تا ۱۴۹۹ باشد (نوشته‌شده: ۱۲۹۹)"),
                        ("۱۴۰۵-۱۳", "ماه باید از ۱ تا ۱۲ باشد (نوشته‌شده: ۱۳)")):
        with pytest.raises(ServiceError, match=re.escape(said)):
            parse_period(typed)
    assert isinstance(J("1405/02/20"), date)


def test_a_reopened_case_keeps_its_first_answer_and_the_deadline_it_was_due_by(month):
    """Reopening recounted the deadline and kept the first answer's day, so the figures judged a late
    answer against the new deadline: the past month's on-time share rose from 2 of 3 to 3 of 3, and
    answering again moved the answer out of its month (a helper's probe). The first answer and the
    deadline it was due by are kept; the next round has a deadline of its own."""
    from app.services.cases import case_as_dict  # noqa: PLC0415 (the workflow's public face)

    late = db.session.scalar(db.select(PublicQuestion).where(PublicQuestion.answered_on == J("1405/02/14")))
    before = case_figures(1405, 2, agency_id=month.a.id, today=TODAY)[0].as_dict()
    assert (before["answered"], before["answered_on_time"]) == (3, 2)
    move(late, "closed", month.manager)
    move(late, "accepted", month.manager, reason="خبرنگار پرسش تازه‌ای دارد")
    assert late.deadline > J("1405/02/12") and late.answer_deadline == J("1405/02/12")
    assert late.assignee_id is None  # a new round: the manager assigns it again
    assert late.events[-1].data["previous_assignee"] == month.staff.username
    shown = case_as_dict(late)
    assert (shown["answered"], shown["first_answered"], shown["answer_deadline"]) == (None, "1405/02/14", "1405/02/12")
    # The month's figures stand; the case waits again, so it is open now (as any waiting case)
    assert case_figures(1405, 2, agency_id=month.a.id, today=TODAY)[0].as_dict() == {**before, "open": 2}
    for status, by, kwargs in (("assigned", month.manager, {"assignee": month.staff2}),
                               ("drafted", month.staff2, {"answer": "پاسخ دوم"}), ("approved", month.manager, {}),
                               ("published", month.staff2, {"link": "https://water.example.ir/news/answer-2"})):
        move(late, status, by, **kwargs)
    assert (late.answered_on, late.answer_deadline) == (J("1405/02/14"), J("1405/02/12"))
    assert case_as_dict(late)["answered"] not in (None, "1405/02/14")  # the answer in force: today's
    assert case_figures(1405, 2, agency_id=month.a.id, today=TODAY)[0].as_dict() == before


@pytest.mark.parametrize("then", ["rejected", "merged"])
def test_an_answered_case_reopened_and_then_rejected_or_merged_keeps_its_answer_in_the_figures(month, then):
    """A late answer reopened and then rejected (or merged into another case) left the month's
    figures: «answered» 3 → 2 and the on-time share 66.7 % → 100 %, a desk's way to take its own late
    answers out of its rate (a review of the cases commands, round 4)."""
    late = db.session.scalar(db.select(PublicQuestion).where(PublicQuestion.answered_on == J("1405/02/14")))
    before = case_figures(1405, 2, agency_id=month.a.id, today=TODAY)[0].as_dict()
    move(late, "closed", month.manager)
    move(late, "accepted", month.manager, reason="بازبینی")
    other = month.open("new", opened_on=J("1405/03/01"))
    move(late, then, month.manager, **({"into": other} if then == "merged" else {"reason": "پرسش نبود"}))
    assert late.status == then
    after = case_figures(1405, 2, agency_id=month.a.id, today=TODAY)[0].as_dict()
    assert (after["opened"], after["answered"], after["answered_on_time"], after["on_time_pct"]) == (
        before["opened"], 3, 2, 66.7)


def test_a_case_overdue_in_a_closed_month_stays_so_when_it_is_reopened_later(desk):
    """A case overdue at Aban's end, answered in Azar, closed and reopened: its new deadline took it out
    of Aban's overdue figure (4 → 3 in a review of the cases). A past day's waiting case was due by its
    first round's deadline."""
    from app.clock import local_today
    from app.services.case_stats import case_figures_between

    def aban():
        return case_figures_between(J("1405/08/01"), J("1405/08/30"), "1405-08", agency_id=desk.a.id,
                                    as_of=J("1405/08/30"))[0]

    case = desk.open("assigned", opened_on=J("1405/08/01"))  # due 1405/08/06
    assert local_today() > J("1405/08/30")
    before = aban().as_dict()
    assert before["overdue"] == 1 and aban().records["overdue"] == [case.ref]
    for status, by, kwargs in (("drafted", desk.staff, {"answer": "پاسخ"}), ("approved", desk.manager, {}),
                               ("published", desk.manager, {"link": "https://water.example.ir/answer/9"}),
                               ("closed", desk.manager, {}), ("accepted", desk.manager, {"reason": "پرسش تازه"})):
        move(case, status, by, **kwargs)
    assert case.deadline > local_today()
    assert aban().as_dict() == before
