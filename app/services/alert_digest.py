"""The e-mail digest of saved-search notifications and case notifications (deadline reminders,
breach notices, escalations: app/services/case_reminders.py): one message per user, when SMTP is
configured.

Each run mails every active user with an e-mail address one digest of their notifications of
both kinds that are neither read nor e-mailed yet (the case notices first, all of them up to
``DIGEST_MAX_ITEMS``; then ``DIGEST_MAX_ITEMS`` saved-search ones, shared out among the searches,
the newest of each first; the rest counted, per search and in all),
then sets ``emailed_at`` on exactly those rows, only after the server accepted the message. A
failed send leaves them for the next run and is logged; a run killed between the send and the
commit sends that one digest again (at least once, never lost). One process sends at a time:
the holder of the ``settings`` row ``alerts.digest_lease`` (claimed with one conditional UPDATE,
as the search indexer's writer lease). Without ``SMTP_HOST`` nothing is sent and nothing fails.
"""
from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from collections import Counter
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import formatdate

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.leases import claim_lease, new_owner, release_lease
from app.services import case_notifications
from app.services.audit import record
from models import CaseNotification, Item, Notification, SavedSearch, User, utcnow
from search_index.persian import to_persian_digits

log = logging.getLogger("hamzaban.alerts")
DIGEST_MAX_ITEMS = 50
LEASE_KEY = "alerts.digest_lease"
LEASE_SECONDS = 300


@dataclass
class DigestSummary:
    users: int = 0  # users with something to send
    sent: int = 0  # digests the server accepted
    notifications: int = 0  # notifications marked e-mailed
    failed: int = 0  # users whose digest could not be sent (left for the next run)
    skipped: str = ""  # why nothing was tried: "smtp_off", "busy"

    def line(self) -> str:
        if self.skipped == "smtp_off":
            return "alert digest: SMTP not configured, nothing sent"
        if self.skipped == "busy":
            return "alert digest: another process is sending"
        return (f"alert digest: {self.sent} sent ({self.notifications} notifications), "
                f"{self.failed} failed, {self.users} users pending")

    def as_dict(self) -> dict:
        return asdict(self)


def smtp_configured(config) -> bool:
    return bool(config["SMTP_HOST"].strip())


def _claim(owner: str) -> bool:
    return claim_lease(LEASE_KEY, owner, LEASE_SECONDS)


def _release(owner: str) -> None:
    release_lease(LEASE_KEY, owner)


def pending_by_user() -> dict[int, list[tuple[int, int]]]:
    """(notification id, saved search id) to e-mail, per active user with an address (oldest first)."""
    # Not a saved search's whose alert was switched off since (they were mailed after it: a review of
    # the alerts); they stay on the notifications page.
    rows = db.session.execute(
        select(Notification.user_id, Notification.id, Notification.saved_search_id)
        .join(User, User.id == Notification.user_id)
        .join(SavedSearch, SavedSearch.id == Notification.saved_search_id)
        .where(Notification.emailed_at.is_(None), Notification.read_at.is_(None),
               User.email != "", User.may_sign_in_clause(), SavedSearch.is_alert_on.is_(True))
        .order_by(Notification.user_id, Notification.id).execution_options(unscoped=True))
    found: dict[int, list[tuple[int, int]]] = {}
    for user_id, notification_id, saved_search_id in rows:
        found.setdefault(user_id, []).append((notification_id, saved_search_id))
    return found


def shared_out(pending: list[tuple[int, int]], limit: int) -> list[int]:
    """At most ``limit`` of the (notification id, saved search id) ``pending`` (oldest first), shared
    out among the searches in turn, the newest of each first: a search of common words that matched
    hundreds of items took all the digest's places, the newest ones, and the other searches' news were
    only counted (a review of the alerts)."""
    queues: dict[int, list[int]] = {}
    for notification_id, saved_search_id in reversed(pending):
        queues.setdefault(saved_search_id, []).append(notification_id)
    chosen: list[int] = []
    depth = 0
    while len(chosen) < limit and any(len(queue) > depth for queue in queues.values()):
        chosen += [queue[depth] for queue in queues.values() if len(queue) > depth][:limit - len(chosen)]
        depth += 1
    return chosen


def _connect(config) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"],
                        timeout=config["SMTP_TIMEOUT"])
    try:
        if config["SMTP_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
    except Exception:
        smtp.close()
        raise
    return smtp


def _base_url(config) -> str:
    return (config["BASE_URL"] or f"http://{config['HOST']}:{config['PORT']}").rstrip("/")


def _subject(total: int, cases: int) -> str:
    if not cases:
        return _("همزبان: %(count)s خبر تازه برای جست‌وجوهای شما", count=to_persian_digits(total))
    if not total:
        return _("همزبان: %(cases)s یادآوری پرونده", cases=to_persian_digits(cases))
    return _("همزبان: %(cases)s یادآوری پرونده و %(count)s خبر تازه برای جست‌وجوهای شما",
             cases=to_persian_digits(cases), count=to_persian_digits(total))


def build_message(app: Flask, user: User, notifications: list[Notification], total: int,
                  cases: list[CaseNotification] = (), cases_total: int | None = None,
                  per_search: dict[int, int] | None = None) -> EmailMessage:
    """The digest for ``user``: the case notices ``cases`` (of ``cases_total``), then the saved-search
    ``notifications`` (at most DIGEST_MAX_ITEMS of ``total``; ``per_search``: saved search id → its
    notifications pending, shown or not)."""
    config = app.config
    cases_total = len(cases) if cases_total is None else cases_total
    groups: dict[int, list[Notification]] = {}
    for notification in notifications:
        groups.setdefault(notification.saved_search_id, []).append(notification)
    # Persian as its subject, whatever the pages' default language (HAMZABAN_DEFAULT_LOCALE) is.
    with app.test_request_context("/", base_url=_base_url(config)), force_locale("fa"):
        # Jinja drops a template's last newline; the message ends with one.
        # the notifications of searches with no place in the digest (over DIGEST_MAX_ITEMS searches)
        others = total - sum((per_search or {}).get(search_id, len(group)) for search_id, group in groups.items())
        body = render_template("alerts/digest_email.txt", user=user, groups=list(groups.values()), total=total,
                               more=total - len(notifications), per_search=per_search or {}, others=others,
                               cases=list(cases),
                               cases_more=cases_total - len(cases)) + "\n"
    message = EmailMessage()
    message["Subject"] = _subject(total, cases_total)
    message["From"] = config["SMTP_FROM"]
    message["To"] = user.email
    message["Date"] = formatdate(localtime=False)
    # Made of what the digest tells: sent again after a crash between the server's acceptance and the
    # commit (at least once), it is the same message to the reader's mail program, which keeps one
    # (a review of the alerts; each retry had a new id).
    told = ",".join([f"n{n.id}" for n in notifications] + [f"c{c.id}" for c in cases])
    digest = hashlib.sha1(f"{user.id}:{told}".encode()).hexdigest()[:24]
    message["Message-ID"] = f"<digest-{digest}@{config['SMTP_FROM'].rpartition('@')[2] or 'hamzaban.local'}>"
    message.set_content(body, charset="utf-8")
    return message


def send_digests(app: Flask | None = None, *, actor_label: str = "worker") -> DigestSummary:
    """E-mail each user one digest of their notifications not yet e-mailed (idempotent; commits)."""
    app = app or current_app._get_current_object()
    config = app.config
    summary = DigestSummary()
    if not smtp_configured(config):
        return DigestSummary(skipped="smtp_off")
    owner = new_owner()
    if not _claim(owner):
        return DigestSummary(skipped="busy")
    smtp = None
    try:
        pending = pending_by_user()
        pending_cases = case_notifications.pending_mail_by_user()
        users = sorted(set(pending) | set(pending_cases))
        summary.users = len(users)
        for user_id in users:
            if not _claim(owner):  # renew; lost it (stalled past expiry): another process goes on
                break
            mine, case_ids = pending.get(user_id, []), pending_cases.get(user_id, [])
            ids = [notification_id for notification_id, _search in mine]
            user = db.session.get(User, user_id, execution_options={"unscoped": True})
            shown = db.session.scalars(
                select(Notification).where(Notification.id.in_(shared_out(mine, DIGEST_MAX_ITEMS)))
                .options(joinedload(Notification.item).joinedload(Item.outlet), joinedload(Notification.saved_search))
                .order_by(Notification.saved_search_id, Notification.created_at.desc(), Notification.id.desc())).all()
            cases = case_notifications.for_mail(case_ids)[:DIGEST_MAX_ITEMS]
            try:
                message = build_message(app, user, shown, len(ids), cases, len(case_ids),
                                        per_search=Counter(search for _id, search in mine))
            except ValueError as error:  # an address no header can hold (a line break: stored before it was checked)
                summary.failed += 1
                log.warning("alert digest for user %s not built (%s); kept for the next run", user_id, error)
                continue
            try:
                if smtp is None:
                    smtp = _connect(config)
                smtp.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused,
                    smtplib.SMTPNotSupportedError) as error:  # this address only (one the server cannot take)
                summary.failed += 1
                log.warning("alert digest for user %s not sent (refused: %s); kept for the next run", user_id, error)
                continue
            except (OSError, smtplib.SMTPException) as error:
                # The server is down or dropped us: stop; every pending digest waits for the next run.
                waiting = summary.users - summary.sent - summary.failed
                summary.failed += waiting
                log.warning("alert digest: SMTP %s:%s failed (%s); %s digests kept for the next run",
                            config["SMTP_HOST"], config["SMTP_PORT"], error, waiting)
                smtp = None
                break
            now = utcnow()
            for start in range(0, len(ids), 500):
                db.session.execute(update(Notification).where(Notification.id.in_(ids[start:start + 500]),
                                                              Notification.emailed_at.is_(None))
                                   .values(emailed_at=now).execution_options(synchronize_session=False))
            case_notifications.mark_emailed(case_ids)
            counts = {"notifications": len(ids), **({"case_notifications": len(case_ids)} if case_ids else {})}
            record("alert_digest.sent", actor_label=actor_label, obj=user, **counts)
            db.session.commit()
            summary.sent += 1
            summary.notifications += len(ids) + len(case_ids)
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        _release(owner)
    return summary


def digest_job(app: Flask) -> str:
    """The worker's "alert-digest" job: one pass of send_digests (a no-op without SMTP)."""
    return send_digests(app).line()


def register_jobs(app: Flask) -> None:
    """Add the "alert-digest" job (every ALERT_DIGEST_EVERY_SECONDS) to the worker's schedule."""
    jobs = app.extensions.setdefault("hamzaban_jobs", [])
    jobs.append(("alert-digest", app.config["ALERT_DIGEST_EVERY_SECONDS"], digest_job))
