"""`flask --app app cases remind --now … --json`: one JSON line per notification sent (case, kind,
to: the contract), nothing else on stdout, nothing the second time; a bad --now exits 2 with a
Persian {"error": …} and writes nothing."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.leases import claim_lease, release_lease
from app.services.case_reminders import LEASE_KEY
from models import CaseNotification
from tests.services import case_fixtures
from tests.services.reminder_fixtures import with_holiday

desk = case_fixtures.desk


def _remind(app, *args: str):
    return app.test_cli_runner().invoke(args=["cases", "remind", *args])


def _lines(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_contract_and_the_second_run(app, desk):
    with_holiday(desk)
    case = desk.open("assigned")  # due 1405/02/27
    other = desk.open("accepted", agency=desk.b)  # unassigned: B's manager is reminded
    lines = _lines(_remind(app, "--now", "1405/02/26T10:00", "--json"))
    assert [{k: line[k] for k in ("case", "kind", "to")} for line in lines] == [
        {"case": case.ref, "kind": "reminder", "to": "water.staff"},
        {"case": other.ref, "kind": "reminder", "to": "power.manager"}]
    assert lines[0] == {"case": case.ref, "kind": "reminder", "to": "water.staff", "level": 0, "notice": "reminder",
                        "agency": "water", "deadline": "1405/02/27"}
    assert _remind(app, "--now", "1405/02/26T10:00", "--json").stdout == ""

    lines = _lines(_remind(app, "--now", "۱۴۰۵/۰۲/۳۰ ۰۹:۰۰", "--json"))  # Persian digits, a space
    assert sorted((line["case"], line["kind"], line["level"], line["to"]) for line in lines) == sorted([
        (case.ref, "escalation", 1, "water.manager"), (case.ref, "escalation", 2, "supervisor"),
        (other.ref, "escalation", 1, "power.manager"), (other.ref, "escalation", 2, "supervisor")])
    assert {line["notice"] for line in lines if line["level"] == 1} == {"breach"}
    assert _remind(app, "--now", "1405/02/30T09:00", "--json").stdout == ""


def test_a_run_with_an_earlier_now_after_the_breach_sends_no_reminder_of_that_deadline(app, desk):
    """A review of the commands, round 7: after the breach of a deadline was sent, `cases remind
    --now` a day before the deadline stored a «reminder» of it (unread, e-mailed), as if not missed."""
    with_holiday(desk)
    case = desk.open("assigned")  # due 1405/02/27
    assert {line["kind"] for line in _lines(_remind(app, "--now", "1405/02/30T09:00", "--json"))} == {"escalation"}
    assert _remind(app, "--now", "1405/02/26T10:00", "--json").stdout == ""
    assert db.session.scalar(select(func.count()).select_from(CaseNotification).where(
        CaseNotification.case_id == case.id, CaseNotification.kind == "reminder")) == 0


def test_without_json_one_summary_line(app, desk):
    desk.open("assigned")
    result = _remind(app, "--now", "1405/03/20T10:00")
    assert result.exit_code == 0
    assert result.stdout == ("case reminders: 2 sent (0 reminders, 1 breach notices, 1 escalations) for 1 cases\n")


@pytest.mark.parametrize("value, words", [
    ("1405/13/01T10:00", "ماه باید از ۱ تا ۱۲ باشد"),
    # the time typed, as typed: «ساعت «1405/09/20T25:00»» called the whole value a time (session 46's note)
    ("1405/09/20T25:00", "ساعت «25:00» خوانده نشد"),
    ("1405/09/20 ۱۰:۶۱", "ساعت «۱۰:۶۱» خوانده نشد"),
    ("1405/09/20Tده", "ساعت «ده» خوانده نشد"),
    ("1405/09/40T10:00", "روز باید از ۱ تا ۳۰ باشد (نوشته‌شده: ۴۰)"),  # the period's message gives it so
    ("1405/12/30T10:00", "اسفند سال ۱۴۰۵ فقط ۲۹ روز دارد"),
    ("2026-12-11T10:00", "سال باید از ۱۳۰۰ تا ۱۴۹۹ باشد"),
    ("فردا", "تاریخ «فردا» خوانده نشد"),
    ("", "تاریخ را بنویسید"),
])
def test_a_bad_now_exits_2_with_a_persian_error(app, desk, value, words):
    desk.open("assigned")
    result = _remind(app, "--now", value, "--json")
    assert result.exit_code == 2
    (line,) = result.stdout.splitlines()
    error = json.loads(line)
    assert list(error) == ["error"] and words in error["error"], error
    assert error["error"].startswith("زمان --now خوانده نشد")
    assert db.session.scalar(select(func.count(CaseNotification.id))) == 0
    plain = _remind(app, "--now", value)
    assert plain.exit_code == 2 and plain.stdout == "" and words in plain.stderr


def test_busy_exits_2_and_sends_nothing(app, desk):
    desk.open("assigned")
    assert claim_lease(LEASE_KEY, "another-worker", 300)
    result = _remind(app, "--now", "1405/03/20T10:00", "--json")
    assert result.exit_code == 2
    assert "فرایند دیگری" in json.loads(result.stdout)["error"]
    release_lease(LEASE_KEY, "another-worker")
    assert len(_lines(_remind(app, "--now", "1405/03/20T10:00", "--json"))) == 2


def test_the_worker_runs_it_as_a_job(app, desk):
    from app.worker import scheduled_jobs

    jobs = {job.name: job for job in scheduled_jobs(app)}
    assert jobs["case-reminders"].interval_seconds == app.config["CASE_REMIND_EVERY_SECONDS"] == 600
    desk.open("assigned")  # long overdue by the real clock
    assert jobs["case-reminders"].run(app) == ("case reminders: 2 sent (0 reminders, 1 breach notices, "
                                                "1 escalations) for 1 cases")
    assert jobs["case-reminders"].run(app).startswith("case reminders: 0 sent")


def test_a_dry_run_shows_the_same_lines_and_stores_nothing(app, desk):
    """`--dry-run` with a --now in the future: the lines the real run gives then, and nothing stored
    (without it, a trial --now wrote real notices and the real day sent none)."""
    with_holiday(desk)
    desk.open("assigned")
    desk.open("accepted", agency=desk.b)
    preview = _lines(_remind(app, "--now", "1405/02/30T09:00", "--dry-run", "--json"))
    assert preview and db.session.scalar(select(func.count()).select_from(CaseNotification)) == 0
    assert _remind(app, "--now", "1405/02/30T09:00", "--dry-run").stdout.startswith(
        f"case reminders: {len(preview)} would be sent (")
    assert _lines(_remind(app, "--now", "1405/02/30T09:00", "--json")) == preview
    assert _remind(app, "--now", "1405/02/30T09:00", "--dry-run", "--json").stdout == ""


def test_a_now_still_to_come_sends_nothing_without_a_dry_run(app, desk):
    """The review of the commands (session 26): `--now` ahead of the real time, without --dry-run,
    stored the notices of deadlines not yet passed (35 of them, dated in the future), and on the
    real day nothing was sent. Looking ahead is --dry-run's job; the real run refuses."""
    desk.open("assigned")
    future = "1499/01/01T10:00"
    result = _remind(app, "--now", future, "--json")
    assert result.exit_code == 2 and "هنوز نرسیده" in json.loads(result.stdout)["error"]
    assert db.session.scalar(select(func.count()).select_from(CaseNotification)) == 0
    assert _lines(_remind(app, "--now", future, "--dry-run", "--json"))  # the look ahead: what would be sent
