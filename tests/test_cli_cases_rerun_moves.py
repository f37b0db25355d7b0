"""`cases move` run again to the state it left the case in: exit 0, ``"unchanged": true`` (session 44).

A script re-run (a cron line retried, a loop started again after a failure) was refused, exit 2,
«… «بسته» است و از این وضعیت به «بسته» نمی‌رود», where `cases open` run again answers with its case
and ``"existing": true``: the script stopped as if the move had failed. A case already in the status
asked, holding what the options name, is printed as a move prints it, with ``"unchanged": true``
(``false`` on a move made now), and nothing is stored. A re-run asking something else of it (another
reason, answer, link, merge target or agency) is refused, the case and what it holds named: returned
as done, what it typed would be dropped in silence. A user who could not have made the move is refused.
"""
from __future__ import annotations

import json

from sqlalchemy import func, select

from app.extensions import db
from models import AuditEntry, CaseEvent, PublicQuestion
from tests.services import case_fixtures

desk = case_fixtures.desk
ANSWER = "لوله‌گذاری تا پایان هفته تمام می‌شود."
# What the fixture's path did to reach each status, typed again (case_fixtures.Desk.open).
AGAIN = {
    "accepted": ["--by", "water.manager"],
    "assigned": ["--by", "water.manager", "--assignee", "water.staff"],
    "drafted": ["--by", "water.staff", "--answer-stdin"],
    "approved": ["--by", "water.manager"],
    "published": ["--by", "water.staff", "--link", case_fixtures.LINK],
    "closed": ["--by", "water.manager"],
    "rejected": ["--by", "water.manager", "--reason", "پرسش نیست"],
}


def _move(app, ref, status, *options, stdin=None, code=0):
    result = app.test_cli_runner().invoke(args=["cases", "move", ref, "--to", status, *options, "--json"], input=stdin)
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def _stored() -> tuple[int, int]:
    db.session.expire_all()
    return db.session.scalar(select(func.count(CaseEvent.id))), db.session.scalar(select(func.count(AuditEntry.id)))


def test_a_move_run_again_is_the_case_unchanged(app, desk):
    for status, options in AGAIN.items():
        case = desk.open(status)
        before = _stored()
        data = _move(app, case.ref, status, *options, stdin=ANSWER if "--answer-stdin" in options else None)
        assert data["unchanged"] is True and data["status"] == status and data["ref"] == case.ref, status
        assert _stored() == before, status
    published = desk.open("published")  # the link typed with its scheme and host in capitals: the same
    assert _move(app, published.ref, "published", "--by", "water.staff", "--link",
                 case_fixtures.LINK.replace("https://water.example.ir", "HTTPS://WATER.example.IR"))["unchanged"]
    merged = desk.open("merged")
    assert _move(app, merged.ref, "merged", "--by", "water.manager", "--into", merged.merged_into.ref)["unchanged"]
    # the staff member assigned, taking it «again» (--assignee defaults to --by), and a move made now
    assigned = desk.open("assigned")
    assert _move(app, assigned.ref, "assigned", "--by", "water.staff")["unchanged"] is True
    fresh = desk.open("new")
    assert _move(app, fresh.ref, "accepted", "--by", "water.manager")["unchanged"] is False
    # the other assignee is a reassignment, made as before
    moved = _move(app, assigned.ref, "assigned", "--by", "water.manager", "--assignee", "water.staff2")
    assert moved["unchanged"] is False and moved["assignee"] == "water.staff2"


def test_without_json_the_line_is_the_cases_and_the_note_is_on_stderr(app, desk):
    case = desk.open("closed")
    result = app.test_cli_runner().invoke(args=["cases", "move", case.ref, "--to", "بسته", "--by", "water.manager"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(case.ref + "  closed") and "چیزی تغییر نکرد" in result.stderr


def test_a_rerun_asking_something_else_is_refused_and_changes_nothing(app, desk):
    rejected, drafted, published = desk.open("rejected"), desk.open("drafted"), desk.open("published")
    merged, other = desk.open("merged"), desk.open("new")
    accepted = desk.open("accepted")
    before = _stored()
    for ref, status, options, stdin, said in (
            (rejected.ref, "rejected", ["--by", "water.manager", "--reason", "تکراری است"], None, "پرسش نیست"),
            (drafted.ref, "drafted", ["--by", "water.staff", "--answer-stdin"], "پاسخی دیگر", "لوله‌گذاری"),
            (published.ref, "published", ["--by", "water.staff", "--link", "https://water.example.ir/news/2"], None,
             case_fixtures.LINK),
            (merged.ref, "merged", ["--by", "water.manager", "--into", other.ref], None, "۱۴۰۵-"),
            (accepted.ref, "accepted", ["--by", "supervisor", "--agency", "power"], None, "آب و فاضلاب")):
        error = _move(app, ref, status, *options, stdin=stdin, code=2)["error"]
        assert said in error and "چیزی تغییر نکرد" in error, error
    assert _stored() == before
    # an option no move into the status reads, and a user who could not have made the move
    closed = desk.open("closed")
    before = _stored()
    assert "--link" in _move(app, closed.ref, "closed", "--by", "water.manager", "--link", case_fixtures.LINK,
                             code=2)["error"]
    assert "بستن پرونده" in _move(app, closed.ref, "closed", "--by", "water.viewer", code=2)["error"]
    assert _stored() == before
    assert db.session.get(PublicQuestion, rejected.id).reject_reason == "پرسش نیست"
    assert db.session.get(PublicQuestion, drafted.id).answer == ANSWER


def test_the_same_move_made_at_the_same_instant_elsewhere_is_the_case_unchanged(app, desk):
    """Two runs of one script at once (`cases move REF --to closed` from two cron lines): both read the
    case published, one closed it, and the other was refused «… هم‌زمان به دست کس دیگری جابه‌جا شد»,
    exit 2. The case it finds, closed as it asked, is the move done: unchanged, nothing stored; another
    move made meanwhile (a reopen) is still refused."""
    from app.services.case_reruns import move_once
    from app.services.cases import move as move_now
    from models import User
    from tests.services.concurrency import elsewhere

    case, manager_id = desk.open("published"), desk.manager.id
    assert case.status == "published"  # read here, as the other run read it

    def close():
        move_now(db.session.get(PublicQuestion, case.id), "closed", db.session.get(User, manager_id))

    assert elsewhere(app, close) == []
    with db.engine.connect() as other:  # counted on a connection of its own: this session's case stays as read
        before = other.scalar(select(func.count(CaseEvent.id)))
    assert case.status == "published"
    assert move_once(case, "closed", desk.manager) is False and case.status == "closed"
    assert _stored()[0] == before
    stale = desk.open("published")

    def close_and_reopen():
        manager, other = db.session.get(User, manager_id), db.session.get(PublicQuestion, stale.id)
        move_now(other, "closed", manager)
        move_now(other, "accepted", manager, reason="پاسخ ناقص بود")

    assert elsewhere(app, close_and_reopen) == []
    assert stale.status == "published"
    try:
        move_once(stale, "closed", desk.manager)
    except Exception as error:  # noqa: BLE001 - the refusal is what is checked
        assert "هم‌زمان" in str(error), error
    else:
        raise AssertionError("a case reopened meanwhile was closed again, or said closed")
    db.session.expire_all()
    assert db.session.get(PublicQuestion, stale.id).status == "accepted"


def test_a_rerun_naming_the_link_with_another_label_is_refused(app, desk):
    """`--link-label` is read with `--link` (session 44's review): a re-run giving the published link another label
    answered "unchanged": true and dropped the label typed in silence, where another link is refused. The label the
    case holds, or none typed, is the same move."""
    published = desk.open("published")
    before = _stored()
    error = _move(app, published.ref, "published", "--by", "water.staff", "--link", case_fixtures.LINK,
                  "--link-label", "پاسخ در درگاه سازمان", code=2)["error"]
    assert "پاسخ در درگاه سازمان" in error and "چیزی تغییر نکرد" in error, error
    assert _stored() == before
    assert _move(app, published.ref, "published", "--by", "water.staff", "--link", case_fixtures.LINK)["unchanged"]
