"""The daily press digest of an agency: the day's items routed to it, one per story, with the
agency's route and its status; as a PDF (app/services/documents.py) and as an e-mail.

The day's items: those published on the local day (HAMZABAN_TIMEZONE) that have a route to the
agency, whatever its status. Copies of one story (the monitor's clusters, app/services/stories.py)
show once, through the newest copy, with the other outlets named. Routes are read in the
agency's own scope, so a digest never says where else an item went.

Mail: the worker's job "press-digest" (when the setting ``press_digest`` has ``enabled``, SMTP
is configured and the local hour has reached ``hour``) sends each active agency the day's digest
once: the recipients are the agency's active managers with an e-mail address (the person who
answers for the desk; no per-user subscription table was added for this: decided in issue 13).
An agency with no item that day gets no mail. The sent-marker is a ``settings`` row
``press_digest.sent:<agency id>`` holding the last day sent, committed after the server accepted
the message: a run killed between the two sends that digest again (at least once, never lost),
and a run after it sends nothing. One sender at a time (the lease ``press_digest.lease``).
"""
from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.jalali import format_jalali_date
from app.leases import claim_lease, new_owner, release_lease
from app.policy import MANAGER
from app.scoping import agency_scope
from app.services import ServiceError
from app.services.alert_digest import _base_url, _connect, smtp_configured
from app.services.audit import record
from app.services.documents import render_pdf
from app.services.search_export import STATUS_LABELS as ROUTE_STATUS_LABELS
from app.services.settings import DEFAULTS, get_setting, set_setting
from app.services.stories import Story, stories_of
from models import Agency, Item, ItemRoute, User
from search_index.persian import ascii_digits, to_persian_digits

log = logging.getLogger("hamzaban.press_digest")
SETTING_KEY = "press_digest"
SENT_PREFIX = "press_digest.sent:"
LEASE = "press_digest.lease"
LEASE_SECONDS = 300


@dataclass(frozen=True)
class PressDigest:
    agency: Agency
    day: date
    stories: list[Story]

    @property
    def items(self) -> int:
        return sum(1 + len(story.others) for story in self.stories)


def press_digest(agency: Agency, day: date) -> PressDigest:
    """The day's stories routed to ``agency`` (read in the agency's own scope)."""
    start, end = clock.local_day_bounds(day, day)
    with agency_scope(agency.id):
        items = list(db.session.scalars(
            select(Item).join(ItemRoute, ItemRoute.item_id == Item.id)
            .where(ItemRoute.agency_id == agency.id, Item.published_at >= start, Item.published_at < end)
            .order_by(Item.published_at.desc(), Item.id.desc())))
        shown, seen = [], set()
        for item in items:  # newest first: the first copy of a cluster met is its newest
            if item.cluster_id is not None:
                if item.cluster_id in seen:
                    continue
                seen.add(item.cluster_id)
            shown.append(item)
        stories = stories_of(shown)  # with the story's copies in other outlets
    return PressDigest(agency, day, stories)


def digest_pdf(digest: PressDigest) -> bytes:
    with force_locale("fa"):
        title = _("خلاصهٔ خبری روزانه")
    return render_pdf("reports/doc_digest.html", report=digest, title=title, route_labels=ROUTE_STATUS_LABELS)


# --- the setting --------------------------------------------------------------------------------


def digest_setting() -> dict:
    value = get_setting(SETTING_KEY)
    default = DEFAULTS[SETTING_KEY]
    if not isinstance(value, dict):
        return dict(default)
    hour = value.get("hour")
    return {"enabled": bool(value.get("enabled")),
            "hour": hour if isinstance(hour, int) and 0 <= hour <= 23 else default["hour"]}


def set_digest_setting(enabled: bool, hour: str | int | None, *, actor=None) -> dict:
    """Turn the daily e-mail on or off and set the local hour it is sent from (audited; commits).
    :raise ServiceError: an hour that is not 0–23."""
    value = digest_setting()
    if hour not in (None, ""):
        text = ascii_digits(str(hour)).strip()
        if not (text.isascii() and text.isdecimal() and len(text) <= 2 and 0 <= int(text) <= 23):
            raise ServiceError(_("ساعت «%(value)s» پذیرفته نیست؛ عددی از ۰ تا ۲۳ بنویسید.", value=hour))
        value["hour"] = int(text)
    value["enabled"] = bool(enabled)
    set_setting(SETTING_KEY, value, actor=actor, audit=True)
    db.session.commit()
    return value


# --- the mail -----------------------------------------------------------------------------------


def recipients(agency: Agency) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.agency_id == agency.id, User.role == MANAGER, User.is_active_account.is_(True),
                           User.email != "").order_by(User.id).execution_options(unscoped=True)))


def build_digest_message(app: Flask, digest: PressDigest, to: list[str]) -> EmailMessage:
    """The e-mail: the digest as text, the PDF attached."""
    config = app.config
    day = to_persian_digits(format_jalali_date(digest.day))
    with app.test_request_context("/", base_url=_base_url(config)), force_locale("fa"):
        body = render_template("reports/digest_email.txt", digest=digest, route_labels=ROUTE_STATUS_LABELS) + "\n"
        subject = _("همزبان: خلاصهٔ خبری %(agency)s، %(day)s", agency=digest.agency.name_fa, day=day)
        pdf = digest_pdf(digest)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config["SMTP_FROM"]
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config["SMTP_FROM"].rpartition("@")[2])
    message.set_content(body, charset="utf-8")
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=f"press-digest-{digest.agency.slug}-{digest.day.isoformat()}.pdf")
    return message


def send_press_digests(app: Flask | None = None, *, day: date | None = None, force: bool = False) -> str:
    """Mail each active agency its digest of ``day`` (default today) once; one summary line.
    ``force`` skips the setting and the hour (the CLI's ``--send``), never the sent-marker."""
    app = app or current_app._get_current_object()
    if not smtp_configured(app.config):
        return "press digest: SMTP not configured, nothing sent"
    setting = digest_setting()
    now = clock.to_local(clock.utcnow())
    day = day or now.date()
    if not force and not setting["enabled"]:
        return "press digest: off (setting press_digest)"
    if not force and now.hour < setting["hour"]:
        return f"press digest: waiting for {setting['hour']:02d}:00"
    owner = new_owner()
    if not claim_lease(LEASE, owner, LEASE_SECONDS):
        return "press digest: another process is sending"
    sent = empty = failed = 0
    smtp = None
    try:
        for agency in db.session.scalars(select(Agency).where(Agency.is_active.is_(True)).order_by(Agency.id)).all():
            marker = SENT_PREFIX + str(agency.id)
            if get_setting(marker) and get_setting(marker) >= day.isoformat():
                continue
            people = recipients(agency)
            digest = press_digest(agency, day)
            if not people or not digest.stories:
                empty += 1
                continue
            claim_lease(LEASE, owner, LEASE_SECONDS)
            try:
                message = build_digest_message(app, digest, [u.email for u in people])
            except ValueError as error:  # an address no header can hold (a line break: stored before it was checked)
                failed += 1
                log.warning("press digest of %s not built (%s); tried again next run", agency.slug, error)
                continue
            try:
                if smtp is None:
                    smtp = _connect(app.config)
                smtp.send_message(message)
            except (OSError, smtplib.SMTPException) as error:
                failed += 1
                log.warning("press digest of %s not sent (%s); tried again next run", agency.slug, error)
                smtp = None
                continue
            set_setting(marker, day.isoformat())
            record("press_digest.sent", actor_label="worker", obj=agency, agency_id=agency.id,
                   day=day.isoformat(), stories=len(digest.stories), recipients=len(people))
            db.session.commit()
            sent += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        release_lease(LEASE, owner)
    return f"press digest: {sent} sent, {failed} failed, {empty} with nothing to send"


def press_digest_job(app: Flask) -> str:
    """The worker's "press-digest" job."""
    return send_press_digests(app)


def register_jobs(app: Flask) -> None:
    """Add the "press-digest" job (every ALERT_DIGEST_EVERY_SECONDS) to the worker's schedule."""
    app.extensions.setdefault("hamzaban_jobs", []).append(
        ("press-digest", app.config["ALERT_DIGEST_EVERY_SECONDS"], press_digest_job))
