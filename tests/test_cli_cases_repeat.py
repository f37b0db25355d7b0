"""`cases open --manual` run twice with the same question opens one case (session 43's decision).

A script re-run (a cron line retried, a loop started again after a failure) opened the same manual
question twice: two cases, two reference numbers, each reminded and counted. Now a manual opening
whose agency, title, question, outlet, channel, programme and day are those of a case of the
agency that still holds the question (not rejected, not merged) returns that case, exit 0, with
``"existing": true`` (``false`` on a case opened now). Letters and spacing are compared as the
search reads them: a title with Arabic «ي»/«ك» or another ZWNJ is the same title. A different
outlet, day or agency is another question: a new case.
"""
from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from app.extensions import db
from models import AuditEntry, CaseRefCounter, PublicQuestion
from tests.conftest import shared_data
from tests.services import case_fixtures

desk, make_item = case_fixtures.desk, case_fixtures.make_item



def _title() -> str:
    return json.loads(shared_data("persian-news", "fars-news-1.json").read_text(encoding="utf-8"))[0]["title"]


def _open(app, title, *, outlet="رادیو استان", opened="1405/02/20", agency="water", extra=()):
    result = app.test_cli_runner().invoke(args=[
        "cases", "open", "--manual", "--title", title, "--outlet", outlet, "--channel", "radio",
        "--agency", agency, "--opened", opened, *extra, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _count() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count(PublicQuestion.id))),
            db.session.scalar(select(func.count(AuditEntry.id))))


def test_a_manual_question_opened_twice_is_one_case(app, desk):
    title = _title()
    assert "ي" in title or "ك" in title
    first = _open(app, title)
    assert first["existing"] is False and first["ref"] == "1405-000001"
    before = _count()
    again = _open(app, title)
    assert again == {**first, "existing": True}
    # The same title typed with Persian letters and Persian digits in the day: the same question.
    persian = title.replace("ي", "ی").replace("ك", "ک")
    assert _open(app, "  " + persian + " ", opened="۱۴۰۵/۰۲/۲۰")["id"] == first["id"]
    assert _count() == before  # nothing stored, nothing audited
    text = app.test_cli_runner().invoke(args=["cases", "open", "--manual", "--title", title, "--outlet", "رادیو استان",
                                              "--channel", "radio", "--agency", "water", "--opened", "1405/02/20"])
    assert text.exit_code == 0 and "1405-000001" in text.stdout and "پیش‌تر" in text.stdout


def test_another_outlet_day_or_agency_is_another_case(app, desk):
    title = _title()
    ids = {_open(app, title)["id"], _open(app, title, outlet="سیمای مرکز")["id"],
           _open(app, title, opened="1405/02/21")["id"], _open(app, title, agency="power")["id"]}
    assert len(ids) == 4 and _count()[0] == 4


def test_a_rejected_case_does_not_hold_the_question(app, desk):
    first = _open(app, "قطعی آب در محله")
    case = db.session.get(PublicQuestion, first["id"])
    case.status = "rejected"
    db.session.commit()
    assert _open(app, "قطعی آب در محله")["existing"] is False and _count()[0] == 2


def test_the_same_question_with_another_priority_or_kind_is_refused_not_dropped(app, desk):
    """Returned as «existing», a re-run that changed --priority or --kind dropped what it typed in silence
    (the case stayed «normal», its deadline five days): refused in Persian, the case named, nothing changed."""
    first = _open(app, "قطعی آب در محله")
    before = _count()
    for extra in (("--priority", "urgent"), ("--kind", "rumour")):
        result = app.test_cli_runner().invoke(args=[
            "cases", "open", "--manual", "--title", "قطعی آب در محله", "--outlet", "رادیو استان", "--channel", "radio",
            "--agency", "water", "--opened", "1405/02/20", *extra, "--json"])
        assert result.exit_code == 2, result.output
        error = json.loads(result.stdout)["error"]
        assert "۱۴۰۵-۰۰۰۰۰۱" in error and ("فوری" in error or "شایعه" in error), error
    assert _count() == before and db.session.get(PublicQuestion, first["id"]).priority == "normal"


def test_an_item_opened_again_is_its_case_too(app, desk, make_item):
    """`cases open --item` run again was refused, exit 2 («برای این خبر پیش‌تر پرونده … باز شده است»),
    where the same manual entry is answered with its case: a script re-run failed. The agency's case
    of the item comes back with "existing": true; another agency still opens its own."""
    item = make_item(title=_title())

    def run(*extra, status=0):
        result = app.test_cli_runner().invoke(args=["cases", "open", "--item", str(item.id), *extra, "--json"])
        assert result.exit_code == status, result.output
        return json.loads(result.stdout)

    first = run("--agency", "water")
    before = _count()
    assert run("--agency", "water") == {**first, "existing": True} and _count() == before
    assert "فوری" in run("--agency", "water", "--priority", "urgent", status=2)["error"]
    assert run("--agency", "power")["existing"] is False


def test_two_questions_one_space_or_zwnj_apart_are_two_cases(app, desk):
    """The key joined every word (the directory's name key: «علی رضایی» is «علیرضایی»): «حقوق بهروز»
    (a man's name) and «حقوق به‌روز» / «حقوق به روز» (wages paid on time) were one question, the second
    caller's answered «existing» and dropped in silence. A ZWNJ is read as a space, and words stay words."""
    first = _open(app, "چرا حقوق بهروز پرداخت نشد؟")
    assert _open(app, "چرا حقوق به‌روز پرداخت نشد؟")["existing"] is False
    assert _open(app, "چرا حقوق به روز پرداخت نشد؟")["existing"] is True  # the ZWNJ'd one typed with a space
    assert _open(app, "چرا  حقوق   بهروز پرداخت نشد؟ ")["id"] == first["id"]  # spacing alone: the same
    assert _count()[0] == 2
    # decided (session 44): a tashdid or a Latin letter's case is no other question, as in a search
    tashdid = _open(app, "چرا کارت بنّا و ATM کار نمی‌کند؟")
    assert _open(app, "چرا کارت بنا و atm کار نمی‌کند؟") == {**tashdid, "existing": True}


def test_two_runs_at_once_open_one_case(app, desk):
    """Two runs of one `cases open --manual` at the same instant (two cron lines, a retry started while
    the first still ran; session 43 checked it by hand with four processes): both checked the question
    before either committed. The year's reference counter is held here until both wait on it; then
    each goes on in turn, and the second finds the first's case. Real transactions, each its own
    thread and connection (a process each cost ~4 s of CPU to start, against 0.5 s here)."""
    from app.jalali import parse_jalali_date as J
    from app.services.case_twins import open_manual_once
    from app.services.cases import ManualSource, allocate_ref, user_by_username
    from models import Agency
    from tests.services.concurrency import in_background

    agency_id = desk.a.id  # read here: the threads must not load the test's own session's objects
    allocate_ref(1405)  # the year's counter row, to hold
    db.session.commit()
    held = db.engine.connect()
    transaction = held.begin()
    held.execute(CaseRefCounter.__table__.update().where(CaseRefCounter.year == 1405)
                 .values(last_number=CaseRefCounter.last_number))
    results = []

    def run():
        case, opened = open_manual_once(
            user_by_username("water.staff"), agency=db.session.get(Agency, agency_id), title="قطعی آب در محله",
            question="", kind="question", priority="normal", opened_on=J("1405/02/20"),
            manual=ManualSource(channel="radio", outlet_name="رادیو استان", programme="", reported_on=J("1405/02/20")))
        results.append((case.ref, opened))

    try:
        runs = [in_background(app, run) for _ in range(2)]
        time.sleep(0.5)
        waited = [thread.is_alive() for thread, _ in runs]
    finally:
        transaction.rollback()
        held.close()
    assert waited == [True, True], [errors for _, errors in runs]
    for thread, errors in runs:
        thread.join(timeout=60)
        assert not thread.is_alive() and errors == []
    assert sorted(opened for _, opened in results) == [False, True]
    assert len({ref for ref, _ in results}) == 1 and _count()[0] == 1
