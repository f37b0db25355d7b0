"""The e-mail digest against a real SMTP server on localhost (aiosmtpd): one message per user
with their new notifications, nothing the second time, nothing lost when the server fails."""
from __future__ import annotations

import email
import email.policy
import logging
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from app.extensions import db
from app.services.alert_digest import digest_job, send_digests
from app.services.alerts import create_saved_search, mark_read
from models import AuditEntry, Notification, SavedSearch, User
from tests.monitor.test_ingest import cli_import
from tests.services.test_alerts import POWER, ROAD, WATER, write_feed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps what it receives, or refuses recipients it is told to."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"


@pytest.fixture
def smtp(app):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_FROM="hamzaban@ostan.example.ir",
                      BASE_URL="https://hamzaban.ostan.example.ir")
    yield mailbox
    controller.stop()


@pytest.fixture
def two_users_notified(app, tmp_path, make_user):
    alice = make_user(email="alice@ostan.example.ir", display_name="آلیس")
    bob = make_user(email="bob@ostan.example.ir")
    no_mail = make_user(email="")
    create_saved_search(alice, "آب", "قطعی آب")
    create_saved_search(alice, "برق", "خاموشی")
    create_saved_search(bob, "جاده", "جاده")
    create_saved_search(no_mail, "آب", "آب")
    cli_import(app, write_feed(tmp_path, "one", WATER, POWER, ROAD))
    return alice, bob, no_mail


def emailed(user) -> list:
    return db.session.scalars(select(Notification.emailed_at).where(Notification.user_id == user.id)).all()


def test_one_digest_per_user_then_nothing(app, smtp, two_users_notified):
    alice, bob, no_mail = two_users_notified
    summary = send_digests(app)
    assert (summary.sent, summary.notifications, summary.failed) == (2, 3, 0)
    by_recipient = {m["To"]: m for m in smtp.messages}
    assert sorted(by_recipient) == ["alice@ostan.example.ir", "bob@ostan.example.ir"]
    message = by_recipient["alice@ostan.example.ir"]
    assert message["From"] == "hamzaban@ostan.example.ir"
    assert "۲ خبر تازه" in message["Subject"]
    body = message.get_content()
    assert "آلیس گرامی" in body
    assert "قطعی آب در محلهٔ شمالی" in body and "خاموشی برق در مرکز شهر" in body
    assert "بازگشایی جاده" not in body  # bob's, not alice's
    assert "«آب»" in body and "«برق»" in body
    assert "https://hamzaban.ostan.example.ir/alerts/" in body
    first = db.session.scalar(select(Notification.id).where(Notification.user_id == alice.id).order_by(Notification.id))
    assert f"https://hamzaban.ostan.example.ir/alerts/{first}/open" in body
    db.session.expire_all()
    assert all(emailed(alice)) and all(emailed(bob))
    assert emailed(no_mail) == [None]  # no address: nothing sent, nothing marked

    again = send_digests(app)
    assert (again.sent, again.users) == (0, 0)
    assert len(smtp.messages) == 2
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "alert_digest.sent",
                                                      AuditEntry.object_id == alice.id)).details == {"notifications": 2}


def test_a_digest_built_again_for_the_same_notifications_has_the_same_message_id(app, smtp, two_users_notified):
    """Sent again after a crash between the server's acceptance and the commit, the digest had a new
    Message-ID and the reader's mail program kept both (a review of the alerts); one of other
    notifications has another."""
    from app.services.alert_digest import build_message

    alice, _bob, _ = two_users_notified
    mine = db.session.scalars(select(Notification).where(Notification.user_id == alice.id)).all()
    first, again = build_message(app, alice, mine, len(mine)), build_message(app, alice, mine, len(mine))
    assert first["Message-ID"] == again["Message-ID"] and first["Message-ID"].endswith("@ostan.example.ir>")
    assert build_message(app, alice, mine[:1], 1)["Message-ID"] != first["Message-ID"]


def test_the_digest_is_persian_whatever_the_pages_default_language(app, smtp, two_users_notified):
    """Its body is rendered in a request context of its own, which follows HAMZABAN_DEFAULT_LOCALE
    now that the pages do: it stays Persian, as its subject."""
    from app.services.alert_digest import build_message

    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    alice, _bob, _ = two_users_notified
    mine = db.session.scalars(select(Notification).where(Notification.user_id == alice.id)).all()
    body = build_message(app, alice, mine, len(mine)).get_content()
    assert "گرامی" in body and "Dear" not in body


def test_a_muted_searchs_notifications_are_not_mailed(app, smtp, two_users_notified):
    """Notifications made before a saved search's alert was switched off were still mailed after it
    (a review of the alerts); they stay on the notifications page."""
    from app.services.alerts import set_alert

    alice, _bob, _ = two_users_notified
    water = db.session.scalar(select(SavedSearch).where(SavedSearch.user_id == alice.id, SavedSearch.name == "آب"))
    set_alert(water, alice, False)
    send_digests(app)
    body = {m["To"]: m for m in smtp.messages}["alice@ostan.example.ir"].get_content()
    assert "خاموشی برق در مرکز شهر" in body and "قطعی آب در محلهٔ شمالی" not in body


def test_read_notifications_are_not_mailed(app, smtp, two_users_notified):
    _alice, bob, _ = two_users_notified
    for notification in db.session.scalars(select(Notification).where(Notification.user_id == bob.id)):
        mark_read(notification, bob)
    send_digests(app)
    assert [m["To"] for m in smtp.messages] == ["alice@ostan.example.ir"]


def test_the_cli_command_and_the_worker_job(app, smtp, two_users_notified):
    import json

    result = app.test_cli_runner().invoke(args=["alerts", "send-digest", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["sent"] == 2
    assert digest_job(app) == "alert digest: 0 sent (0 notifications), 0 failed, 0 users pending"
    assert len(smtp.messages) == 2


def test_a_refused_recipient_keeps_its_notifications_for_the_next_run(app, smtp, two_users_notified, caplog):
    alice, bob, _ = two_users_notified
    smtp.refuse.add("bob@ostan.example.ir")
    with caplog.at_level(logging.WARNING, logger="hamzaban.alerts"):
        summary = send_digests(app)
    assert (summary.sent, summary.failed) == (1, 1)
    assert f"user {bob.id} not sent" in caplog.text
    db.session.expire_all()
    assert emailed(bob) == [None] and all(emailed(alice))
    smtp.refuse.clear()
    assert send_digests(app).sent == 1
    assert [m["To"] for m in smtp.messages] == ["alice@ostan.example.ir", "bob@ostan.example.ir"]


def test_an_address_no_header_can_hold_holds_up_nobody_elses_digest(app, smtp, two_users_notified, caplog):
    """An address with a line break (stored by `user create` before it was checked) made building its
    digest raise, and every user after it went without mail on every run (a review of the commands,
    round 5)."""
    alice, _bob, _ = two_users_notified
    db.session.execute(update(User).where(User.id == alice.id).values(email="alice@ostan.example.ir\nBcc: x@evil.ir"))
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger="hamzaban.alerts"):
        summary = send_digests(app)
    assert (summary.sent, summary.failed) == (1, 1) and f"user {alice.id} not built" in caplog.text
    assert [m["To"] for m in smtp.messages] == ["bob@ostan.example.ir"]


def test_a_server_that_does_not_answer_sends_nothing_and_marks_nothing(app, two_users_notified, caplog):
    alice, bob, _ = two_users_notified
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_TIMEOUT=5)  # nobody listens there
    with caplog.at_level(logging.WARNING, logger="hamzaban.alerts"):
        summary = send_digests(app)
    assert (summary.sent, summary.failed) == (0, 2)
    assert "SMTP 127.0.0.1" in caplog.text and "kept for the next run" in caplog.text
    db.session.expire_all()
    assert emailed(alice) == [None, None] and emailed(bob) == [None]


def test_without_smtp_nothing_is_sent_and_nothing_fails(app, two_users_notified):
    alice, _, _ = two_users_notified
    assert not app.config["SMTP_HOST"]
    summary = send_digests(app)
    assert summary.skipped == "smtp_off" and summary.sent == 0
    assert digest_job(app) == "alert digest: SMTP not configured, nothing sent"
    result = app.test_cli_runner().invoke(args=["alerts", "send-digest"])
    assert result.exit_code == 0 and "not configured" in result.output
    assert emailed(alice) == [None, None]


def test_a_switched_off_agencys_staff_get_no_digest(app, smtp, two_users_notified):
    """Its staff are out while it is off (policy.may_sign_in); its items still reached them by e-mail
    (the review of that change)."""
    _alice, bob, _ = two_users_notified
    bob.agency.is_active = False
    db.session.commit()
    send_digests(app)
    assert [m["To"] for m in smtp.messages] == ["alice@ostan.example.ir"]
    db.session.expire_all()
    assert emailed(bob) == [None]  # kept, for when the agency is switched on again


def test_a_search_of_many_matches_leaves_the_other_searches_their_places(app, smtp, tmp_path, make_user):
    """A search of common words matched 60 items: the digest's 50 places were all its newest ones
    and the other search's news only counted (a review of the alerts). Now each search gets its
    turn, its newest first, and says how many of its own are not shown."""
    from app.services import alert_digest

    reader = make_user(email="reader@ostan.example.ir")
    create_saved_search(reader, "آب", "آب")
    create_saved_search(reader, "جاده", "جاده")
    words = ["شمالی", "جنوبی", "شرقی", "غربی", "مرکزی", "کوهستانی"]
    water = [(f"w{i}", f"https://t.example.ir/w{i}", f"آب محلهٔ {i} {words[i % 6]}",
              f"گزارش شمارهٔ {i} از آب محله {words[(i + 1) % 6]} و {i * 7} خانوار") for i in range(60)]
    cli_import(app, write_feed(tmp_path, "many", ROAD, *water))
    assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 61

    assert send_digests(app).sent == 1
    body = smtp.messages[0].get_content()
    assert "بازگشایی جاده" in body  # the older, lone item of the other search is shown
    from search_index.persian import to_persian_digits

    # a Persian item's title in Persian digits, as the pages show it (app/web/item_text.py)
    shown = [n for n in range(60) if f"آب محلهٔ {to_persian_digits(n)} " in body]
    assert len(shown) == alert_digest.DIGEST_MAX_ITEMS - 1 == 49
    assert shown == list(range(11, 60))  # the newest of the search of many
    assert "و ۱۱ خبر دیگر از این جست‌وجو." in body
    assert "۶۱ خبر تازه" in body
    db.session.expire_all()
    assert all(emailed(reader))  # every one counted is marked e-mailed, as before


def test_shared_out_takes_the_searches_in_turn_newest_first():
    from app.services.alert_digest import shared_out

    pending = [(1, 7), (2, 7), (3, 8), (4, 7), (5, 9), (6, 7)]  # (notification, saved search), oldest first
    assert shared_out(pending, 3) == [6, 5, 3]
    assert sorted(shared_out(pending, 5)) == [2, 3, 4, 5, 6]
    assert sorted(shared_out(pending, 10)) == [1, 2, 3, 4, 5, 6]
    assert shared_out([], 5) == []


def test_the_searches_left_without_a_place_are_counted(app, smtp, tmp_path, make_user, monkeypatch):
    """The code review of the sharing out: with more searches than places, the searches given none
    were never mentioned, though their notifications were marked e-mailed."""
    from app.services import alert_digest

    monkeypatch.setattr(alert_digest, "DIGEST_MAX_ITEMS", 2)
    reader = make_user(email="reader@ostan.example.ir")
    for word in ("آب", "برق", "جاده"):
        create_saved_search(reader, word, word)
    cli_import(app, write_feed(tmp_path, "three", WATER, POWER, ROAD))
    assert send_digests(app).notifications == 3
    body = smtp.messages[0].get_content()
    assert "و ۱ خبر دیگر از جست‌وجوهای دیگر شما." in body
