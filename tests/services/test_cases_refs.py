"""Case reference numbers: «1405-000123», a sequence per Jalali year, unique under concurrent opens
(SQLite and PostgreSQL alike)."""
from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services.cases import ManualSource, allocate_ref, open_case
from models import Agency, CaseRefCounter, Item, PublicQuestion, User
from tests.services import case_fixtures
from tests.services.concurrency import in_background

# The shared fixtures (bound here so pytest finds them in this module).
desk, make_item = case_fixtures.desk, case_fixtures.make_item

THREADS = 6


def test_numbers_run_per_jalali_year(desk):
    refs = [desk.open(opened_on=day).ref for day in
            (J("1405/02/20"), J("1404/12/24"), J("1405/01/15"), J("1404/11/01"))]
    assert refs == ["1405-000001", "1404-000001", "1405-000002", "1404-000002"]
    assert dict(db.session.execute(select(CaseRefCounter.year, CaseRefCounter.last_number)).all()) == {
        1404: 2, 1405: 2}


def _open_in_thread(app, agency_id: int, user_id: int, title: str, start: threading.Barrier | None,
                    results: list, errors: list, item_id: int | None = None, opened_on: str = "1405/02/20") -> None:
    with app.app_context():
        try:
            actor = db.session.get(User, user_id)
            agency = db.session.get(Agency, agency_id)
            if start is not None:
                start.wait()
            source = {"item_id": item_id} if item_id else {"manual": ManualSource(channel="tv", outlet_name="سیمای استان")}
            case = open_case(actor, agency=agency, title=title, opened_on=J(opened_on), **source)
            results.append(case.ref)
        except Exception as error:  # noqa: BLE001 - any failure is reported by the test thread
            errors.append(repr(error))
        finally:
            db.session.remove()


def test_concurrent_opens_get_distinct_consecutive_numbers(app, desk):
    start = threading.Barrier(THREADS)
    results, errors = [], []
    threads = [threading.Thread(target=_open_in_thread,
                                args=(app, desk.a.id, desk.staff.id, f"پرسش {n}", start, results, errors))
               for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == [f"1405-{n:06d}" for n in range(1, THREADS + 1)]
    assert db.session.scalar(select(CaseRefCounter.last_number).where(CaseRefCounter.year == 1405)) == THREADS


def test_a_second_opener_waits_for_the_first_ones_commit(app, desk):
    """One transaction has taken number 1 and not committed: another opener waits, then takes 2."""
    taken, release = threading.Event(), threading.Event()
    results, errors = [], []

    def first():
        with app.app_context():
            try:
                results.append(allocate_ref(1405)[1])
                taken.set()
                release.wait(timeout=30)
                db.session.commit()
            finally:
                db.session.remove()

    holder = threading.Thread(target=first)
    holder.start()
    assert taken.wait(timeout=30)
    second = threading.Thread(target=_open_in_thread,
                              args=(app, desk.a.id, desk.staff.id, "پرسش دوم", None, results, errors))
    second.start()
    time.sleep(0.5)
    assert second.is_alive(), "the second opener did not wait for the first one's transaction"
    release.set()
    holder.join(timeout=30)
    second.join(timeout=30)
    assert errors == []
    assert results == ["1405-000001", "1405-000002"]
    assert db.session.scalar(select(PublicQuestion.ref)) == "1405-000002"


def test_two_openers_of_one_item_in_different_years_make_one_case(app, desk, make_item):
    """A review of the case commands (session 37), on PostgreSQL: two people opening a case of one
    item for one agency at once, one dating it 1404/12/28 and the other 1405/01/05, each held their
    own year's counter and both made a case. The first holds the item until it commits; the second
    waits, sees its case, and is refused."""
    from app.services.cases import build_case

    item_id = make_item(published_at=datetime(2026, 3, 1, 6, tzinfo=UTC)).id  # 1404/12/10
    built, release = threading.Event(), threading.Event()

    def first():
        actor, agency = db.session.get(User, desk.staff.id), db.session.get(Agency, desk.a.id)
        build_case(actor, agency=agency, item=db.session.get(Item, item_id), manual=None, title="پرسش",
                   question="", kind="question", priority="normal", opened_on=J("1404/12/28"), notes="",
                   accept=False)
        built.set()
        release.wait(timeout=30)
        db.session.commit()

    holder, errors = in_background(app, first)
    assert built.wait(timeout=30)
    other = threading.Thread(target=_open_in_thread, args=(app, desk.a.id, desk.staff.id, "پرسش", None, [], errors),
                             kwargs={"item_id": item_id, "opened_on": "1405/01/05"})
    other.start()
    time.sleep(0.5)
    release.set()
    holder.join(timeout=30)
    other.join(timeout=30)
    assert len(errors) == 1 and "ServiceError" in errors[0] and "باز شده است" in errors[0], errors
    assert db.session.scalar(select(func.count()).select_from(PublicQuestion)) == 1
