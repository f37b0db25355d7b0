"""Crash safety of the case reminders, with real processes on the test database (SQLite, and
PostgreSQL when HAMZABAN_TEST_DATABASE_URL is set):

1. `flask cases remind` SIGKILLed twice part-way, then run to the end: every notification
   that was due is written once, each case's timeline says so once, and what the killed runs
   printed was written (a line is printed only after its commit).
2. The e-mail step: a digest that fails before the server accepted (the server down, then a
   digest process SIGKILLed while the server holds its message unanswered) has marked nothing;
   the next digest mails every notification once, and the one after that mails nothing.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, func, select, text

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.jalali import parse_jalali_datetime
from app.services import alert_digest
from app.services.case_reminders import send_reminders
from models import AuditEntry, CaseEvent, CaseNotification, PublicQuestion, User
from tests.conftest import REPO
from tests.services.test_alert_digest import Mailbox, free_port

CASES = 120
NOW = "1405/03/20T10:00"  # Wed 2026-06-10
TODAY = J("1405/03/20")
LEASE = 1


def _env(app, tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_SECRET_KEY="kill-test-" + "k" * 32,
               HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               HAMZABAN_CASE_REMIND_LEASE_SECONDS=str(LEASE))
    return env


def _desk(make_agency, make_user) -> tuple[dict, list[str]]:
    """Four agencies (a manager and a staff user each), two supervisors, CASES open cases: every
    fourth due today (a reminder to its assignee), the others long overdue (a breach notice to the
    manager, an escalation to both supervisors)."""
    supervisors = [make_user(role="supervisor", username=f"sup{n}", email=f"sup{n}@ostan.example.ir")
                   for n in range(2)]
    people = []
    for n in range(4):
        agency = make_agency(slug=f"ag{n}")
        people.append((agency, make_user(role="manager", agency=agency, username=f"ag{n}.manager",
                                         email=f"m{n}@ostan.example.ir"),
                       make_user(role="staff", agency=agency, username=f"ag{n}.staff", email=f"s{n}@ostan.example.ir")))
    expected = {}
    for i in range(CASES):
        agency, manager, staff = people[i % 4]
        due_today = i % 4 == 0
        deadline = TODAY if due_today else TODAY - timedelta(days=30)
        case = PublicQuestion(ref=f"1405-{i + 1:06d}", ref_year=1405, ref_number=i + 1, title=f"پرسش {i}",
                              status="assigned", agency_id=agency.id, assignee_id=staff.id, opened_on=deadline,
                              deadline_start=deadline - timedelta(days=7), deadline_days=5, deadline=deadline)
        db.session.add(case)
        db.session.flush()
        if due_today:
            expected[(case.ref, "reminder", staff.username)] = case.id
        else:
            expected[(case.ref, "breach", manager.username)] = case.id
            for supervisor in supervisors:
                expected[(case.ref, "escalation", supervisor.username)] = case.id
    db.session.commit()
    return expected, [u.username for u in supervisors]


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT count(*) FROM case_notifications"))


def _run_killed(command, env, engine, at_least: int) -> list[str]:
    """Start `cases remind`, SIGKILL it once `at_least` notifications are stored; its stdout lines."""
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _count(engine) < at_least:
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be killed: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("no progress within two minutes")
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    out, _err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return out.splitlines()


def _key(line: str) -> tuple[str, str, str]:
    data = json.loads(line)
    return data["case"], data["notice"], data["to"]


def test_killed_runs_write_each_notification_once(app, tmp_path, make_agency, make_user):
    expected, _ = _desk(make_agency, make_user)
    db.session.remove()
    env = _env(app, tmp_path)
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    command = [sys.executable, "-m", "flask", "--app", "app", "cases", "remind", "--now", NOW, "--json"]
    printed: list[str] = []
    stored_before = 0
    for share in (0.3, 0.65):
        time.sleep(LEASE + 0.2)  # the killed run's lease expires
        printed += _run_killed(command, env, engine, int(len(expected) * share))
        stored = _count(engine)
        assert stored_before < stored < len(expected), (stored_before, stored)
        stored_before = stored
    time.sleep(LEASE + 0.2)
    final = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert final.returncode == 0, final.stderr
    printed += final.stdout.splitlines()
    engine.dispose()
    assert send_reminders(parse_jalali_datetime(NOW)).sent == []  # and once more: nothing

    rows = db.session.execute(select(PublicQuestion.ref, CaseNotification.kind, CaseNotification.user_id)
                              .join(PublicQuestion, PublicQuestion.id == CaseNotification.case_id)).all()
    names = dict(db.session.execute(select(User.id, User.username)).all())
    written = [(ref, kind, names[user_id]) for ref, kind, user_id in rows]
    assert sorted(written) == sorted(expected)  # everything due, nothing twice
    keys = [_key(line) for line in printed]
    assert len(keys) == len(set(keys))  # no line printed twice
    assert set(keys) <= set(expected)  # every printed line was written
    # A kill between a commit and its lines loses those lines (at most one case, 3 notices, per kill).
    assert len(expected) - len(keys) <= 2 * 3
    # The timeline and the audit log: one event per (case, kind), all in the same commits.
    events = db.session.execute(select(CaseEvent.case_id, CaseEvent.kind, func.count())
                                .where(CaseEvent.kind.in_(("reminder", "breach", "escalation")))
                                .group_by(CaseEvent.case_id, CaseEvent.kind)).all()
    assert {count for _c, _k, count in events} == {1}
    assert len(events) == len({(case_id, kind) for (_r, kind, _u), case_id in expected.items()})
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action.in_(("case.reminder", "case.breach", "case.escalation")))) == len(events)


class StallingMailbox(Mailbox):
    """Holds DATA unanswered while ``stall`` is set (``stalled`` tells the test it got there); a
    held message is then refused, never stored: the sender died before the server accepted it."""

    def __init__(self):
        super().__init__()
        self.stall = threading.Event()
        self.stalled = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.stall.is_set():
            self.stalled.set()
            while self.stall.is_set():
                await asyncio.sleep(0.01)
            return "451 4.3.0 not stored"
        return await super().handle_DATA(server, session, envelope)


def test_the_digest_mails_each_case_notification_once_after_failures(app, tmp_path, make_agency, make_user,
                                                                   monkeypatch):
    expected, _ = _desk(make_agency, make_user)
    assert len(send_reminders(parse_jalali_datetime(NOW)).sent) == len(expected)  # step 1: written
    mailbox = StallingMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    # Step 2 fails: the server is down.
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_FROM="hamzaban@ostan.example.ir",
                      BASE_URL="https://hamzaban.ostan.example.ir", SMTP_TIMEOUT=5.0)
    down = alert_digest.send_digests(app)
    assert down.sent == 0 and down.failed == down.users == 6  # 2 supervisors, 3 managers, 1 staff
    controller.start()
    try:
        # Step 2 killed: a digest process dies while the server holds its first message.
        mailbox.stall.set()
        env = {**_env(app, tmp_path), "HAMZABAN_SMTP_HOST": "127.0.0.1", "HAMZABAN_SMTP_PORT": str(controller.port),
               "HAMZABAN_SMTP_FROM": "hamzaban@ostan.example.ir"}
        db.session.remove()
        proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "alerts", "send-digest", "--json"],
                                cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert mailbox.stalled.wait(60), proc.communicate()
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        mailbox.stall.clear()
        assert mailbox.messages == []
        assert db.session.scalar(select(func.count(CaseNotification.id)).where(
            CaseNotification.emailed_at.is_not(None))) == 0
        # The killed process's lease would hold for LEASE_SECONDS: let it have expired.
        monkeypatch.setattr(alert_digest, "LEASE_SECONDS", 0.5)
        time.sleep(0.6)
        done = alert_digest.send_digests(app)
        assert (done.sent, done.failed, done.notifications) == (6, 0, len(expected))
        again = alert_digest.send_digests(app)
        assert (again.users, again.sent) == (0, 0)
    finally:
        controller.stop()
    recipients = sorted(m["To"] for m in mailbox.messages)
    assert len(recipients) == len(set(recipients)) == 6  # one digest per person, once
    by_recipient = {m["To"]: m.get_content() for m in mailbox.messages}
    manager = by_recipient["m1@ostan.example.ir"]  # agency 1's 30 breach notices, once each
    assert manager.count("موعد پاسخ این پرونده") == CASES // 4
    assert "۱۴۰۵-۰۰۰۰۰۲" in manager and "۱۴۰۵-۰۰۰۰۰۳" not in manager  # agency 2's case is not theirs
    supervisor = by_recipient["sup0@ostan.example.ir"]  # 90 escalations: the first 50 listed, the rest counted
    assert supervisor.count("ارجاع به ناظران استانداری") == alert_digest.DIGEST_MAX_ITEMS == 50
    assert "و ۴۰ یادآوری دیگر." in supervisor
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CaseNotification.id)).where(
        CaseNotification.emailed_at.is_(None))) == 0
