"""`cases move` run again to the state it left the case in: refused, exit 2, changing nothing (session 45).

Issue 11's contract: «an illegal move, or a user who may not make it, exits 2 with {"error": ...} and
changes nothing». The workflow's moves are the issue's arrows (new → accepted → assigned → …, rejected,
merged, reopened); «closed → closed» is none of them. Session 44 answered it exit 0 with
``"unchanged": true`` (a script re-run); session 45 read the contract again and made it exit 2 again,
with a clear Persian message («… پیش‌تر «بسته» شده است …؛ چیزی تغییر نکرد») and, beside ``"error"``
(keys may be added), ``"already": true``, the case's ``ref`` and ``status``: a re-run script tells
«already there» from other refusals by that key, and nothing is ever written twice. A re-run asking
something else of it (another reason, answer, link, merge target or agency) is refused without
``"already"``, the case and what it holds named. A user who could not have made the move is refused as
the move refuses them. ``--to assigned`` with another assignee is a reassignment, made (exit 0).
"""
from __future__ import annotations

import json

import pytest
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


def _already(data: dict, case, status: str) -> bool:
    """The refusal of a move to the status the case is in: Persian, ``already``, the case named."""
    return (data["already"] is True and data["ref"] == case.ref and data["status"] == status
            and "پیش‌تر" in data["error"] and "چیزی تغییر نکرد" in data["error"] and "unchanged" not in data)


def test_a_move_run_again_is_refused_and_changes_nothing(app, desk):
    for status, options in AGAIN.items():
        case = desk.open(status)
        before = _stored()
        data = _move(app, case.ref, status, *options, stdin=ANSWER if "--answer-stdin" in options else None, code=2)
        assert _already(data, case, status), (status, data)
        assert _stored() == before, status
    published = desk.open("published")  # the link typed with its scheme and host in capitals, or a final «/»: the same
    for link in (case_fixtures.LINK.replace("https://water.example.ir", "HTTPS://WATER.example.IR"),
                 case_fixtures.LINK + "/"):
        assert _already(_move(app, published.ref, "published", "--by", "water.staff", "--link", link, code=2),
                        published, "published"), link
    merged = desk.open("merged")
    assert _move(app, merged.ref, "merged", "--by", "water.manager", "--into", merged.merged_into.ref,
                 code=2)["already"]
    # the staff member assigned, taking it «again» (--assignee defaults to --by), and a move made now
    assigned = desk.open("assigned")
    assert _already(_move(app, assigned.ref, "assigned", "--by", "water.staff", code=2), assigned, "assigned")
    fresh = desk.open("new")
    assert _move(app, fresh.ref, "accepted", "--by", "water.manager")["unchanged"] is False
    # the other assignee is a reassignment, made as before
    moved = _move(app, assigned.ref, "assigned", "--by", "water.manager", "--assignee", "water.staff2")
    assert moved["unchanged"] is False and moved["assignee"] == "water.staff2"


def test_without_json_the_refusal_is_on_stderr_and_stdout_is_empty(app, desk):
    case = desk.open("closed")
    result = app.test_cli_runner().invoke(args=["cases", "move", case.ref, "--to", "بسته", "--by", "water.manager"])
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and result.stderr.startswith("خطا: ") and "چیزی تغییر نکرد" in result.stderr


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
        refused = _move(app, ref, status, *options, stdin=stdin, code=2)
        assert said in refused["error"] and "چیزی تغییر نکرد" in refused["error"], refused
        assert "already" not in refused, refused  # not the case as asked: a script must not go on
    assert _stored() == before
    # an option no move into the status reads, and a user who could not have made the move
    closed = desk.open("closed")
    before = _stored()
    assert "--link" in _move(app, closed.ref, "closed", "--by", "water.manager", "--link", case_fixtures.LINK,
                             code=2)["error"]
    refused = _move(app, closed.ref, "closed", "--by", "water.viewer", code=2)
    assert "بستن پرونده" in refused["error"] and "already" not in refused
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
    assert _move(app, published.ref, "published", "--by", "water.staff", "--link", case_fixtures.LINK, code=2)["already"]


@pytest.mark.one_database  # the exit status as the shell sees it; the database's part is the runner tests' above
def test_a_real_flask_process_exits_2_with_already(app, desk, tmp_path):
    """The contract as a script meets it: `flask --app app cases move REF --to closed` on a closed case, a real
    process — exit status 2, one JSON object on standard output with "error" and "already", no traceback."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    case = desk.open("closed")
    before = _stored()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "cases", "move", case.ref, "--to", "closed",
                           "--by", "water.manager", "--json"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    data = json.loads(done.stdout)
    assert _already(data, case, "closed"), data
    assert _stored() == before
