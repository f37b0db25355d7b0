"""Case notifications in the e-mail digest (a real SMTP server on localhost): one message with the
case notices first and the saved-search news after, each notice mailed once, none once read."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.services.alert_digest import send_digests
from app.services.case_notifications import read_notification
from models import (
    AuditEntry,
    CaseNotification,
    Feed,
    Item,
    Notification,
    SavedSearch,
    utcnow,
)
from tests.services import case_fixtures, test_alert_digest
from tests.services.reminder_fixtures import remind

desk = case_fixtures.desk
smtp = test_alert_digest.smtp


def _with_mail(*users):
    for user in users:
        user.email = f"{user.username}@ostan.example.ir"
    db.session.commit()


def _alert_for(user) -> None:
    """A saved-search notification of ``user`` (as ingest writes one)."""
    feed = Feed(url="https://news.example.ir/rss", title="خوراک")
    db.session.add(feed)
    db.session.flush()
    item = Item(feed_id=feed.id, title="خبر قطعی آب در شهرک", published_at=utcnow(), content_hash="1")
    saved = SavedSearch(user_id=user.id, name="آب", query="آب", filters={})
    db.session.add_all([item, saved])
    db.session.flush()
    db.session.add(Notification(user_id=user.id, saved_search_id=saved.id, item_id=item.id, words=["آب"]))
    db.session.commit()


def test_one_digest_with_the_case_notices_then_the_news(app, smtp, desk):
    _with_mail(desk.manager, desk.staff, desk.supervisor)
    case = desk.open("assigned")
    _alert_for(desk.manager)
    remind("1405/03/20T10:00")  # the breach notice to the manager, the escalation to the supervisor
    summary = send_digests(app)
    assert (summary.sent, summary.notifications) == (2, 3)
    by_recipient = {m["To"]: m for m in smtp.messages}
    manager = by_recipient["water.manager@ostan.example.ir"]
    assert manager["Subject"] == "همزبان: ۱ یادآوری پرونده و ۱ خبر تازه برای جست‌وجوهای شما"
    body = manager.get_content()
    assert body.index("موعد پاسخ این پرونده (۱۴۰۵/۰۲/۲۶) گذشت") < body.index("خبر قطعی آب در شهرک")
    assert "پرونده \u2066۱۴۰۵-۰۰۰۰۰۱\u2069: چرا آب محله قطع است؟ — آب و فاضلاب" in body  # the number isolated LTR
    notice = db.session.scalar(select(CaseNotification).where(CaseNotification.user_id == desk.manager.id))
    assert f"https://hamzaban.ostan.example.ir/reminders/{notice.id}/open" in body
    supervisor = by_recipient["supervisor@ostan.example.ir"]
    assert supervisor["Subject"] == "همزبان: ۱ یادآوری پرونده"
    assert "ارجاع به ناظران استانداری" in supervisor.get_content()
    assert "خبر تازه" not in supervisor.get_content()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "alert_digest.sent",
                                                      AuditEntry.object_id == desk.manager.id))
    assert entry.details == {"notifications": 1, "case_notifications": 1}

    assert send_digests(app).sent == 0 and len(smtp.messages) == 2  # each once
    assert case.ref == "1405-000001"


def test_a_notice_read_in_the_app_is_not_mailed(app, smtp, desk):
    _with_mail(desk.staff)
    desk.open("assigned")
    remind("1405/02/26T10:00")  # the reminder to the assignee
    notice = db.session.scalar(select(CaseNotification))
    read_notification(notice.id, desk.staff)
    assert send_digests(app).users == 0 and smtp.messages == []


def test_without_smtp_nothing_is_sent_and_nothing_is_marked(app, desk):
    _with_mail(desk.staff)
    desk.open("assigned")
    remind("1405/02/26T10:00")
    assert send_digests(app).skipped == "smtp_off"
    assert db.session.scalar(select(CaseNotification.emailed_at)) is None
