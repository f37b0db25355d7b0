"""Two people moving the same case at once: each read it in the status it was in, both passed the
checks; the second move to reach the database is refused (a Persian message) and changes nothing,
instead of overwriting the first one (SQLite and PostgreSQL alike)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services import ServiceError
from app.services.cases import add_note, move, save_answer, transfer, update_details
from models import CaseEvent, PublicQuestion, User
from tests.services import case_fixtures
from tests.services.concurrency import elsewhere

desk = case_fixtures.desk  # the shared fixture, by name


def _elsewhere(app, action) -> list:
    """Run ``action(case_of, user_of)`` in another session, committed before returning; its errors."""
    return elsewhere(app, lambda: action(lambda case_id: db.session.get(PublicQuestion, case_id),
                                         lambda user_id: db.session.get(User, user_id)))


def _move_elsewhere(app, case_id: int, user_id: int, to_status: str, **inputs) -> list:
    return _elsewhere(app, lambda case_of, user_of: move(case_of(case_id), to_status, user_of(user_id), **inputs))


def _moves(case_id: int) -> list[tuple[str, str]]:
    return [(e.from_status, e.to_status) for e in db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == "moved").order_by(CaseEvent.id))]


def test_accepting_a_case_rejected_meanwhile_is_refused(app, desk):
    case = desk.open("new")
    assert case.status == "new"  # what this reader saw
    assert _move_elsewhere(app, case.id, desk.manager.id, "rejected", reason="پرسش نیست") == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        move(case, "accepted", desk.staff)
    db.session.expire_all()
    again = db.session.get(PublicQuestion, case.id)
    assert again.status == "rejected" and again.reject_reason == "پرسش نیست"
    assert _moves(case.id) == [("new", "rejected")]


def test_an_answer_is_not_published_twice_nor_after_a_return(app, desk):
    case = desk.open("approved")
    assert case.status == "approved"
    assert _move_elsewhere(app, case.id, desk.manager.id, "assigned") == []  # sent back for rework
    with pytest.raises(ServiceError, match="هم‌زمان"):
        move(case, "published", desk.staff, link=case_fixtures.LINK)
    db.session.expire_all()
    again = db.session.get(PublicQuestion, case.id)
    assert again.status == "assigned" and again.publications == [] and again.answered_on is None


def test_an_answer_saved_while_the_manager_approved_it_does_not_replace_the_approved_one(app, desk):
    case = desk.open("drafted")
    approved = case.answer
    assert case.status == "drafted"  # the assignee's page, still open
    assert _move_elsewhere(app, case.id, desk.manager.id, "approved") == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        save_answer(case, "متن دیگری که کسی تأیید نکرده است.", desk.staff)
    db.session.expire_all()
    again = db.session.get(PublicQuestion, case.id)
    assert again.status == "approved" and again.answer == approved


def test_two_notes_added_at_once_are_both_kept(app, desk):
    case = desk.open("accepted")
    assert case.notes == ""  # what this reader saw
    assert _elsewhere(app, lambda case_of, user_of: add_note(case_of(case.id), "یادداشت نخست",
                                                             user_of(desk.manager.id))) == []
    add_note(case, "یادداشت دوم", desk.staff)
    db.session.expire_all()
    assert db.session.get(PublicQuestion, case.id).notes == "یادداشت نخست\n\nیادداشت دوم"


def test_a_case_answered_meanwhile_is_not_sent_to_another_agency(app, desk):
    """The supervisor read the case while it was approved; the agency published the answer before
    the supervisor's transfer reached the database: the published case stays published, with its
    agency and its link, instead of going back to «accepted» at the other agency."""
    case = desk.open("approved")
    assert case.is_open
    assert _move_elsewhere(app, case.id, desk.staff.id, "published", link=case_fixtures.LINK) == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        transfer(case, desk.b, desk.supervisor, reason="کار برق است")
    db.session.expire_all()
    again = db.session.get(PublicQuestion, case.id)
    assert (again.status, again.agency_id) == ("published", desk.a.id)
    assert [p.url for p in again.publications] == [case_fixtures.LINK]
    assert not db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                           CaseEvent.kind == "agency_changed")).all()


def test_two_supervisors_sending_a_case_elsewhere_at_once_keep_the_first_choice(app, desk, make_agency):
    roads = make_agency(slug="roads", name_fa="راه و شهرسازی")
    case = desk.open("assigned")
    assert _elsewhere(app, lambda case_of, user_of: transfer(case_of(case.id), db.session.get(type(roads), roads.id),
                                                             user_of(desk.admin.id), reason="کار راه است")) == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        transfer(case, desk.b, desk.supervisor, reason="کار برق است")
    db.session.expire_all()
    again = db.session.get(PublicQuestion, case.id)
    assert (again.agency_id, again.status, again.assignee_id) == (roads.id, "accepted", None)
    assert [e.text for e in db.session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.kind == "agency_changed"))] == ["کار راه است"]


def test_a_priority_set_on_a_case_merged_meanwhile_does_not_recount_its_deadline(app, desk):
    case, target = desk.open("assigned"), desk.open("new")
    deadline, priority = case.deadline, case.priority
    assert case.is_open  # what this reader saw
    assert _elsewhere(app, lambda case_of, user_of: move(case_of(case.id), "merged", user_of(desk.manager.id),
                                                         into=case_of(target.id))) == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        update_details(case, desk.manager, priority="urgent", title="عنوان تازه")
    db.session.expire_all()
    again = db.session.get(PublicQuestion, case.id)
    assert (again.status, again.priority, again.deadline, again.title) == ("merged", priority, deadline,
                                                                           "چرا آب محله قطع است؟")
