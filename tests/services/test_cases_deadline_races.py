"""A holiday added while a case is being opened or its priority changed: the deadline the case keeps
counts the holiday (a review of the cases, session 38: on PostgreSQL the case counted before the
holiday and committed after the calendar change had recounted the open cases kept a deadline that
ignored it). SQLite and PostgreSQL alike."""
from __future__ import annotations

import threading
import time

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services import case_edits
from app.services.case_edits import update_details
from app.services.cases import ManualSource, build_case
from app.services.holidays import add_holiday
from models import Agency, PublicQuestion, User
from tests.services import case_fixtures
from tests.services.concurrency import in_background

# The shared fixtures (bound here so pytest finds them in this module).
desk, make_item = case_fixtures.desk, case_fixtures.make_item

HOLIDAY = J("1405/02/22")  # a Tuesday


def _add_holiday_meanwhile(app, admin_id: int, holder, holder_errors: list, held: threading.Event,
                           release: threading.Event) -> None:
    """Once the case's transaction is ``held`` open, the administrator adds the holiday in another
    request; the case's transaction then commits, and both went through."""
    assert held.wait(timeout=30)
    adder, adder_errors = in_background(
        app, lambda: add_holiday(HOLIDAY, "تاسوعای حسینی", actor=db.session.get(User, admin_id)))
    time.sleep(0.5)
    release.set()
    holder.join(timeout=30)
    adder.join(timeout=30)
    assert holder_errors == [] and adder_errors == []


def test_a_holiday_added_while_a_case_is_being_opened_counts_in_its_deadline(app, desk):
    built, release = threading.Event(), threading.Event()
    case_ids: list[int] = []
    staff_id, agency_id, admin_id = desk.staff.id, desk.a.id, desk.admin.id  # read here: the thread has its own session

    def opener():
        actor, agency = db.session.get(User, staff_id), db.session.get(Agency, agency_id)
        case = build_case(actor, agency=agency, item=None, manual=ManualSource(
            channel="tv", outlet_name="سیمای استان"), title="پرسش", question="", kind="question", priority="normal",
            opened_on=J("1405/02/20"), notes="", accept=False)  # Sunday: due Saturday 02/26 without the holiday
        case_ids.append(case.id)
        built.set()
        release.wait(timeout=30)
        db.session.commit()

    holder, errors = in_background(app, opener)
    _add_holiday_meanwhile(app, admin_id, holder, errors, built, release)
    case = db.session.get(PublicQuestion, case_ids[0])
    assert case.deadline == J("1405/02/27") and "تاسوعای حسینی" in case.deadline_note


def test_a_holiday_added_while_a_priority_is_changed_counts_in_the_new_deadline(app, desk, monkeypatch):
    case_id, admin_id = desk.open(opened_on=J("1405/02/20")).id, desk.admin.id  # normal: due 02/26
    counted, release = threading.Event(), threading.Event()
    add_event = case_edits.add_event

    def add_event_then_wait(*args, **kwargs):  # the edit's transaction held open after its recount
        add_event(*args, **kwargs)
        counted.set()
        release.wait(timeout=30)

    monkeypatch.setattr(case_edits, "add_event", add_event_then_wait)
    editor, errors = in_background(app, lambda: update_details(
        db.session.get(PublicQuestion, case_id), db.session.get(User, admin_id), priority="urgent"))
    _add_holiday_meanwhile(app, admin_id, editor, errors, counted, release)
    db.session.expire_all()
    case = db.session.get(PublicQuestion, case_id)
    assert case.priority == "urgent"
    assert case.deadline == J("1405/02/23") and "تاسوعای حسینی" in case.deadline_note  # Mon, (the holiday), Wed
