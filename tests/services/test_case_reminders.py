"""Reminders, breach notices and escalations of cases: when (working days, rest days, a holiday),
to whom (the assignee, the agency's managers, the supervisors), once each, never another agency's."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.leases import claim_lease, release_lease
from app.services import NotAllowed, ServiceError
from app.services.case_notice_due import WorkingCalendar
from app.services.case_reminders import (
    LEASE_KEY,
    reminder_days,
    send_reminders,
    set_reminder_days,
)
from app.services.cases import move
from app.services.holidays import add_holiday
from app.services.working_days import add_working_days
from models import AuditEntry, CaseNotification
from tests.services import case_fixtures
from tests.services.reminder_fixtures import notice_events, remind, stored, with_holiday

desk = case_fixtures.desk


def test_reminder_breach_and_escalation_by_working_days(desk):
    with_holiday(desk)  # Wed 1405/02/23
    case = desk.open("assigned")  # Sun 1405/02/20, normal: 5 working days
    assert case.deadline == J("1405/02/27")  # Mon, Tue, (holiday), Thu, (Friday), Sat, Sun
    ref = case.ref
    assert remind("1405/02/25T10:00") == []  # a Friday: the reminder is due on Saturday
    assert remind("1405/02/26T08:00") == [(ref, "reminder", "water.staff")]  # 1 working day before
    assert remind("1405/02/27T23:59") == []  # the deadline day: reminded already
    assert remind("1405/02/28T00:01") == [(ref, "breach", "water.manager")]  # the day after
    assert remind("1405/02/29T12:00") == []  # 1 of the 2 more working days
    assert remind("1405/02/30T09:00") == [(ref, "escalation", "supervisor")]  # after the 2nd
    assert remind("1405/03/10T09:00") == []
    assert notice_events(case) == [("reminder", ["water.staff"]), ("breach", ["water.manager"]),
                                   ("escalation", ["supervisor"])]


def test_other_settings_skip_the_rest_day_and_the_holiday(desk):
    with_holiday(desk)
    set_reminder_days({"days_before": "2", "escalate_after": "3"}, desk.admin)
    case = desk.open("assigned")
    ref = case.ref
    # 2 working days before Sun 27: Sat 26 and Thu 24 (Friday 25 is not counted).
    assert remind("1405/02/23T10:00") == []
    assert remind("1405/02/24T10:00") == [(ref, "reminder", "water.staff")]
    assert remind("1405/02/28T10:00") == [(ref, "breach", "water.manager")]
    # 3 more working days: Mon 28, Tue 29, Wed 30; then Thu 31 escalates.
    assert remind("1405/02/30T23:00") == []
    assert remind("1405/02/31T08:00") == [(ref, "escalation", "supervisor")]


def test_run_twice_one_notification_each(desk):
    cases = [desk.open("assigned"), desk.open("accepted"), desk.open("drafted")]
    first = remind("1405/03/20T10:00")  # long overdue: breach and escalation for each
    assert len(first) == 6
    assert remind("1405/03/20T10:00") == [] and remind("1405/03/21T10:00") == []
    assert len(stored()) == 6 and len(set(stored())) == 6
    for case in cases:
        assert [kind for kind, _to in notice_events(case)] == ["breach", "escalation"]
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "case.escalation")) == 3


def test_a_late_run_sends_what_is_due_and_no_stale_reminder(desk):
    case = desk.open("assigned")  # due Sat 1405/02/26 (no holiday)
    assert case.deadline == J("1405/02/26")
    assert sorted(remind("1405/03/05T10:00")) == [(case.ref, "breach", "water.manager"),
                                                  (case.ref, "escalation", "supervisor")]


def test_who_hears_when_nobody_is_assigned(desk, make_agency, make_user):
    accepted = desk.open("accepted")  # unassigned: the agency's managers assign it
    assert remind("1405/02/26T10:00") == [(accepted.ref, "reminder", "water.manager")]
    lonely = make_agency(slug="roads")
    worker = make_user(role="staff", agency=lonely, username="roads.staff")
    no_manager = desk.open("new", agency=lonely)  # no manager: its staff; breach: the governorate
    assert remind("1405/02/26T11:00") == [(no_manager.ref, "reminder", worker.username)]
    assert (no_manager.ref, "breach", "supervisor") in remind("1405/02/28T10:00")


def test_a_case_without_agency_goes_to_the_supervisors(desk, make_user):
    from app.services.cases import ManualSource, open_case

    second = make_user(role="supervisor", username="supervisor2")
    case = open_case(desk.admin, agency=None, manual=ManualSource(channel="tv", outlet_name="شبکهٔ استانی"),
                     title="پرسشی که هنوز سازمانی ندارد", opened_on=J("1405/02/20"))
    sent = remind("1405/02/26T10:00")
    assert sent == [(case.ref, "reminder", "supervisor"), (case.ref, "reminder", second.username)]
    assert {n.agency_id for n in db.session.scalars(select(CaseNotification))} == {None}


def test_answered_cases_are_left_alone(desk):
    answered = [desk.open(status) for status in ("published", "closed", "rejected", "merged")]
    target = answered[-1].merged_into  # an open case of its own
    open_one = desk.open("approved")
    refs = {ref for ref, _kind, _to in remind("1405/03/20T10:00")}
    assert refs == {open_one.ref, target.ref}


def test_an_answer_stops_what_is_not_sent_yet(desk):
    case = desk.open("approved")
    assert remind("1405/02/26T10:00") == [(case.ref, "reminder", "water.staff")]
    move(case, "published", desk.staff, link="https://water.example.ir/news/1")
    assert remind("1405/03/20T10:00") == []


def test_a_moved_deadline_is_reminded_once_more(desk):
    case = desk.open("assigned")  # due Sat 1405/02/26
    assert remind("1405/02/26T10:00") == [(case.ref, "reminder", "water.staff")]
    add_holiday(J("1405/02/26"), "تعطیلی تازه", actor=desk.admin)  # the deadline day becomes a holiday
    db.session.refresh(case)
    assert case.deadline == J("1405/02/27")
    assert remind("1405/02/26T11:00") == [(case.ref, "reminder", "water.staff")]  # the new deadline's
    assert remind("1405/02/27T10:00") == []
    assert [step for _c, kind, step, _u in stored()] == ["2026-05-16", "2026-05-17"]


def test_a_new_assignee_is_reminded_too(desk):
    case = desk.open("assigned")
    assert remind("1405/02/26T10:00") == [(case.ref, "reminder", "water.staff")]
    move(case, "assigned", desk.manager, assignee=desk.staff2)  # reassigned
    assert remind("1405/02/26T11:00") == [(case.ref, "reminder", "water.staff2")]
    assert remind("1405/02/26T12:00") == []


def test_inactive_accounts_are_not_notified(desk):
    desk.manager.is_active_account = False
    db.session.commit()
    case = desk.open("assigned")
    sent = remind("1405/02/28T10:00")
    assert sent == [(case.ref, "breach", "supervisor")]  # no active manager: the governorate hears


def test_agency_isolation_of_notifications(desk):
    a_case, b_case = desk.open("assigned"), desk.open("assigned", agency=desk.b)
    sent = remind("1405/02/28T10:00")
    assert sorted(sent) == sorted([(a_case.ref, "breach", "water.manager"), (b_case.ref, "breach", "power.manager")])
    rows = {(n.case_id, n.user.username, n.agency_id) for n in db.session.scalars(select(CaseNotification))}
    assert rows == {(a_case.id, "water.manager", desk.a.id), (b_case.id, "power.manager", desk.b.id)}
    sent = remind("1405/03/20T10:00")
    assert sorted(sent) == sorted([(a_case.ref, "escalation", "supervisor"), (b_case.ref, "escalation", "supervisor")])


def test_settings_are_checked_and_audited(desk):
    assert reminder_days() == {"days_before": 1, "escalate_after": 2}
    with pytest.raises(NotAllowed):
        set_reminder_days({"days_before": "1", "escalate_after": "2"}, desk.manager)
    for bad in ({"days_before": "-1", "escalate_after": "2"}, {"days_before": "یک", "escalate_after": "2"},
                {"days_before": "1"}, {"days_before": "1", "escalate_after": "31"}):
        with pytest.raises(ServiceError) as refused:
            set_reminder_days(bad, desk.admin)
        assert "۰ تا ۳۰" in str(refused.value)
    assert reminder_days() == {"days_before": 1, "escalate_after": 2}  # nothing stored
    assert set_reminder_days({"days_before": "۰", "escalate_after": " 0 "}, desk.admin) == \
        {"days_before": 0, "escalate_after": 0}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "setting.changed"))
    assert entry.details["key"] == "cases.reminders"


def test_zero_days_remind_on_the_deadline_and_escalate_with_the_breach(desk):
    set_reminder_days({"days_before": "0", "escalate_after": "0"}, desk.admin)
    case = desk.open("assigned")  # due Sat 1405/02/26
    assert remind("1405/02/25T10:00") == []
    assert remind("1405/02/26T10:00") == [(case.ref, "reminder", "water.staff")]
    assert sorted(remind("1405/02/27T10:00")) == [(case.ref, "breach", "water.manager"),
                                                  (case.ref, "escalation", "supervisor")]


def test_counting_back_is_the_inverse_of_counting_forward(desk):
    with_holiday(desk)
    calendar = WorkingCalendar()
    day = J("1405/02/10")
    for offset in range(40):
        deadline = add_working_days(day + timedelta(days=offset), 1).due  # a working day
        for n in range(4):
            assert calendar.after(calendar.before(deadline, n), n) == deadline


def test_a_second_process_waits_for_the_lease(desk):
    desk.open("assigned")
    assert claim_lease(LEASE_KEY, "another-worker", 300)
    summary = send_reminders(None)
    assert summary.skipped == "busy" and summary.sent == []
    assert stored() == []
    release_lease(LEASE_KEY, "another-worker")
    assert send_reminders(None).sent  # the real today is long after the scenario's deadline


def test_a_row_another_process_wrote_first_is_neither_sent_nor_told_twice(desk):
    """Two runs at once (no lease, e.g. a clock jump) both plan the same notice: the UNIQUE key lets
    one write it; the other sends nothing and adds no timeline event."""
    from app.clock import utcnow
    from app.services.case_notice_due import Recipients
    from app.services.case_reminders import SystemActor, _notify_case

    case = desk.open("assigned")
    person = Recipients().by_id[desk.staff.id]
    days = reminder_days()
    first = _notify_case(case.id, [("reminder", person)], utcnow(), days, SystemActor("worker"))
    db.session.commit()
    second = _notify_case(case.id, [("reminder", person)], utcnow(), days, SystemActor("worker"))
    db.session.commit()
    assert [s.username for s in first] == ["water.staff"] and second == []
    assert notice_events(case) == [("reminder", ["water.staff"])]


def test_the_timeline_says_what_was_sent_in_persian(desk):
    from app.services.cases import timeline

    case = desk.open("assigned")
    remind("1405/03/20T10:00")
    texts = {e.kind: (e.actor_label, e.text) for e in timeline(case)}
    assert texts["breach"] == ("worker", ("موعد پاسخ (۱۴۰۵/۰۲/۲۶) گذشت و پاسخی منتشر نشد؛ به مدیر روابط عمومی "
                                          f"سازمان خبر داده شد: {desk.manager.display_name}."))
    assert texts["escalation"][1].startswith("۲ روز کاری پس از موعد پاسخ (۱۴۰۵/۰۲/۲۶)")


def test_no_notice_is_addressed_to_the_users_of_a_switched_off_agency(desk):
    """A review of the cases commands, round 9: `cases remind` addressed breach notices to a manager
    whose agency was switched off (who cannot log in); the governorate's are not bound by theirs."""
    from app.services.case_notice_due import Recipients

    desk.a.is_active = False
    db.session.commit()
    recipients = Recipients()
    assert desk.manager.id not in recipients.by_id and desk.staff.id not in recipients.by_id
    assert desk.manager_b.id in recipients.by_id and desk.supervisor.id in recipients.by_id


def test_a_breach_is_told_again_when_the_deadline_moved_to_a_day_not_yet_past_is_missed(desk):
    """A review of the cases commands (session 37): the deadline of a case whose breach was told moved
    to a day not yet past (holidays entered late: a closure for pollution), and that new deadline's
    breach was never told to the managers; the supervisors heard of it first. Only a deadline moved
    between days already past when the breach was told is left untold."""
    case = desk.open("assigned")  # due Sat 1405/02/26
    assert remind("1405/02/28T09:00") == [(case.ref, "breach", "water.manager")]
    for day in ("1405/02/26", "1405/02/27"):
        add_holiday(J(day), "تعطیلی آلودگی هوا", actor=desk.admin)
    db.session.refresh(case)
    assert case.deadline == J("1405/02/28")  # the day the breach was told: not yet past then
    assert (case.ref, "breach", "water.manager") in remind("1405/02/29T09:00")


def test_a_breach_already_told_is_not_told_again_when_the_deadline_moves_between_past_days(desk):
    """A holiday set after the fact (or a rest day changed) moved an overdue case's deadline from one
    past day to another, and the managers and the supervisors heard of the breach again (a review of
    the cases, MEDIUM). A reopened case's new round is told again."""
    from app.clock import local_today
    from app.services.cases import move

    case = desk.open("assigned")  # due Sat 1405/02/26
    assert remind("1405/02/26T10:00") == [(case.ref, "reminder", "water.staff")]
    assert remind("1405/02/28T09:00") == [(case.ref, "breach", "water.manager")]
    add_holiday(J("1405/02/26"), "تعطیلی پس از رویداد", actor=desk.admin)  # the deadline moves to 02/27
    db.session.refresh(case)
    assert case.deadline == J("1405/02/27")
    assert remind("1405/02/28T10:00") == []  # told already for this round
    for status, who in (("drafted", desk.staff), ("approved", desk.manager)):
        move(case, status, who, answer="پاسخ" if status == "drafted" else None)
    move(case, "published", desk.manager, link="https://water.example.ir/answer/1")
    move(case, "closed", desk.manager)
    move(case, "accepted", desk.manager, reason="پاسخ کامل نبود")
    db.session.refresh(case)
    assert case.deadline > local_today()
    late = case.deadline.toordinal() + 3
    from datetime import date

    from app.jalali import format_jalali_date
    when = format_jalali_date(date.fromordinal(late), digits="en") + "T10:00"
    assert (case.ref, "breach", "water.manager") in remind(when)  # a new round: told again
