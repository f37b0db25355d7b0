"""The contact log (clause 11): log, correct and delete an agency's contacts with journalists and
outlets, with the items and cases they concern.

Every action takes the actor, checks app/policy.py (``can_log_contact``, ``can_change_contact``),
validates the whole draft (each bad field gets its Persian message in ``ContactInvalid.errors``,
so a form shows all of them at once and keeps what was typed), writes the audit entry and commits.
Reads for the pages are in app/services/contact_pages.py; lapsed contact in contact_lapsed.py;
the scorecard's figures in contact_stats.py.

Decisions: the contact belongs to the actor's agency; a journalist without an outlet named is
counted for their outlet when they work for exactly one; a date and time more than a day in the
future is refused (a contact planned for tomorrow morning may be logged the evening before); a
date without a time is taken at noon; an empty date and time is now.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.i18n import N_, digit_style
from app.jalali import JalaliDateError, format_jalali_date, parse_jalali_date
from app.policy import can_change_contact, can_log_contact
from app.services import NotAllowed, NotFound, ServiceError
from app.services.audit import record
from app.services.digits import row_id, shown_number
from app.services.record_days import earliest_day
from app.services.row_guard import STALE_PAGE, changed_since, version_of
from models import (
    CONTACT_CHANNELS,
    CONTACT_DIRECTIONS,
    Contact,
    Item,
    Journalist,
    Outlet,
    PublicQuestion,
)
from search_index.normalization import name_typed
from search_index.persian import ascii_digits, to_persian_digits

MAX_FUTURE = timedelta(days=1)
TOPIC_MAX, NOTES_MAX, MAX_LINKS = 300, 5000, 50
DEFAULT_HOUR = 12  # a date typed without a time
_TIME = re.compile(r"([0-9]{1,2})\s*:\s*([0-9]{1,2})")
_SEPARATORS = re.compile(r"[\s,،;؛]+")

DIRECTION_LABELS = {"inbound": N_("آن‌ها با ما تماس گرفتند"), "outbound": N_("ما با آن‌ها تماس گرفتیم")}
DIRECTION_SHORT_LABELS = {"inbound": N_("ورودی"), "outbound": N_("خروجی")}
CHANNEL_LABELS = {
    "phone": N_("تلفن"),
    "visit": N_("دیدار حضوری"),
    "interview": N_("مصاحبه"),
    "press_release": N_("خبر و بیانیهٔ مطبوعاتی"),
    "message": N_("پیام"),
    "event": N_("رویداد و برنامه"),
}


class ContactInvalid(ServiceError):
    """The draft has bad fields: ``errors`` maps each field name to its Persian message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(next(iter(errors.values())))


@dataclass
class ContactDraft:
    """A contact as typed (text, any digits); the service reads and checks every field."""

    journalist: str = ""  # id
    outlet: str = ""  # id
    direction: str = "outbound"
    channel: str = "phone"
    topic: str = ""
    date: str = ""  # Jalali, e.g. 1405/09/10; empty: today
    time: str = ""  # HH:MM local; empty: now (with an empty date) or noon
    notes: str = ""
    items: str = ""  # item ids, separated by spaces or commas
    cases: str = ""  # case refs, e.g. 1405-000123


@dataclass
class _Clean:
    journalist: Journalist | None
    outlet: Outlet | None
    direction: str
    channel: str
    topic: str
    happened_at: datetime
    notes: str
    items: list[Item]
    cases: list[PublicQuestion]


def _fa(text: str) -> str:
    """The message with Persian digits, unless the request is in English (its page reads ASCII)."""
    return to_persian_digits(text) if digit_style() == "fa" else text


def _row(model, text: str):
    value = ascii_digits(text or "").strip()
    if not value:
        return None, False
    found = row_id(value)
    if found is None:
        return None, True
    row = db.session.get(model, found)
    return row, row is None or not getattr(row, "is_active", True)


def _when(draft: ContactDraft, now: datetime, errors: dict[str, str], kept_day: date | None = None) -> datetime | None:
    """The contact's time; ``kept_day``: the day it has now (a correction that leaves it is not
    refused for a bound that moved past it since: the bound moves every Nowruz)."""
    date_text, time_text = (draft.date or "").strip(), ascii_digits(draft.time or "").strip()
    if not date_text and not time_text:
        # to the minute, as a date and time typed are: an edit that changed nothing recorded a change
        # of its time (the seconds dropped by the form; a review of the contact log)
        return now.replace(second=0, microsecond=0)
    day: date | None = clock.local_today(now)
    if date_text:
        try:
            day = parse_jalali_date(date_text)
        except JalaliDateError as error:
            errors["date"] = error.message(shown_number)
            day = None
        earliest = earliest_day(clock.local_today(now))
        if day is not None and day < earliest and day != kept_day:  # «1300/01/01» was stored as a contact of 1921
            errors["date"] = _fa(_("روز تماس (%(day)s) پیش از %(earliest)s است؛ سال را درست بنویسید.",
                                   day=format_jalali_date(day, digits="en"),
                                   earliest=format_jalali_date(earliest, digits="en")))
            day = None
    hour, minute = DEFAULT_HOUR, 0
    if time_text:
        match = _TIME.fullmatch(time_text)
        if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            errors["time"] = _fa(_("ساعت «%(value)s» خوانده نشد؛ آن را به شکل ساعت:دقیقه بنویسید، مانند ۱۰:۳۰.",
                                   value=draft.time.strip()))
            return None
        hour, minute = int(match.group(1)), int(match.group(2))
    if day is None:
        return None
    when = clock.from_local(datetime(day.year, day.month, day.day, hour, minute))
    if when > now + MAX_FUTURE:
        typed = f"{format_jalali_date(when, digits='en')} {hour:02d}:{minute:02d}"
        errors["date"] = _fa(_("زمان تماس (%(when)s) بیش از یک روز پس از اکنون است؛ تماسی را که هنوز رخ نداده "
                               "ثبت نکنید.", when=typed))
        return None
    return when


def _links(draft: ContactDraft, errors: dict[str, str]) -> tuple[list[Item], list[PublicQuestion]]:
    items, cases = [], []
    for token in [t for t in _SEPARATORS.split(ascii_digits(draft.items or "")) if t][:MAX_LINKS]:
        item = db.session.get(Item, found) if (found := row_id(token)) is not None else None
        if item is None:
            errors["items"] = _fa(_("خبری با شمارهٔ «%(value)s» نیست.", value=token))
            break
        if item not in items:
            items.append(item)
    for token in [t for t in _SEPARATORS.split(ascii_digits(draft.cases or "")) if t][:MAX_LINKS]:
        # Through the agency scope: another agency's case is not found, like a missing one.
        case = db.session.scalar(select(PublicQuestion).where(PublicQuestion.ref == token))
        if case is None:
            errors["cases"] = _fa(_("پرونده‌ای با شمارهٔ «%(value)s» در دسترس شما نیست.", value=token))
            break
        if case not in cases:
            cases.append(case)
    return items, cases


def _clean(draft: ContactDraft, now: datetime, kept_day: date | None = None) -> _Clean:
    """Read and check the whole draft. :raise ContactInvalid: with every bad field's message."""
    errors: dict[str, str] = {}
    journalist, bad_journalist = _row(Journalist, draft.journalist)
    outlet, bad_outlet = _row(Outlet, draft.outlet)
    if bad_journalist:
        errors["journalist"] = _("این خبرنگار در فهرست رسانه‌ها نیست؛ از فهرست برگزینید.")
    if bad_outlet:
        errors["outlet"] = _("این رسانه در فهرست رسانه‌ها نیست؛ از فهرست برگزینید.")
    if journalist is None and outlet is None and not errors:
        errors["journalist"] = _("خبرنگار یا رسانه‌ای را که با آن تماس بود برگزینید.")
    working = [o for o in journalist.outlets if o.is_active] if journalist is not None else []
    if journalist is not None and outlet is None and not bad_outlet and len(working) == 1:
        outlet = working[0]
    elif journalist is not None and outlet is None and not bad_outlet and len(working) > 1:
        # asked, as the form's hint says: saved without one, the contact counted for no outlet (the
        # scorecard's local media, the lapsed list; a review of the contact log)
        errors["outlet"] = _("این خبرنگار برای چند رسانه کار می‌کند؛ رسانه‌ای را که تماس برای آن بود برگزینید.")
    direction = (draft.direction or "").strip()
    if direction not in CONTACT_DIRECTIONS:
        errors["direction"] = _("سوی تماس را برگزینید: آن‌ها با ما یا ما با آن‌ها.")
    channel = (draft.channel or "").strip()
    if channel not in CONTACT_CHANNELS:
        errors["channel"] = _("راه تماس را از فهرست برگزینید.")
    topic = " ".join((draft.topic or "").split())
    if not name_typed(topic):  # spaces and a ZWNJ alone were an invisible topic (a review of the contact log)
        errors["topic"] = _("موضوع تماس را بنویسید.")
    elif len(topic) > TOPIC_MAX:
        errors["topic"] = _fa(_("موضوع نباید بیش از %(max)s نویسه باشد.", max=TOPIC_MAX))
    notes = (draft.notes or "").strip()
    if len(notes) > NOTES_MAX:
        errors["notes"] = _fa(_("یادداشت نباید بیش از %(max)s نویسه باشد.", max=NOTES_MAX))
    when = _when(draft, now, errors, kept_day)
    items, cases = _links(draft, errors)
    if errors:
        raise ContactInvalid(errors)
    return _Clean(journalist, outlet, direction, channel, topic, when, notes, items, cases)


def _apply(contact: Contact, clean: _Clean) -> None:
    if clean.outlet is None:
        contact.outlet_scope = None
    elif contact.outlet is not clean.outlet:  # a correction that keeps the outlet keeps its scope then
        # as it is when chosen, kept if the outlet changes later (one switched off counts for none)
        contact.outlet_scope = clean.outlet.scope if clean.outlet.is_active else None
    contact.journalist, contact.outlet = clean.journalist, clean.outlet
    contact.direction, contact.channel, contact.topic = clean.direction, clean.channel, clean.topic
    contact.happened_at, contact.notes = clean.happened_at, clean.notes
    contact.items, contact.cases = clean.items, clean.cases


def _audit_details(contact: Contact) -> dict:
    return {"journalist_id": contact.journalist_id, "outlet_id": contact.outlet_id, "direction": contact.direction,
            "channel": contact.channel, "topic": contact.topic, "happened_at": contact.happened_at.isoformat(),
            "notes": contact.notes,  # a deleted contact's notes were lost with it (a review, round 1 of the log)
            "items": [i.id for i in contact.items], "cases": [c.ref for c in contact.cases]}


def log_contact(draft: ContactDraft, actor, *, now: datetime | None = None) -> Contact:
    """Log a contact of the actor's agency; audited, committed.

    :raise NotAllowed: the actor is not a manager or staff user of an agency.
    :raise ContactInvalid: a field is missing or bad (every such field has its message).
    """
    agency_id = getattr(actor, "agency_id", None)
    if not can_log_contact(actor, agency_id):
        raise NotAllowed(_("تماس‌ها را مدیر و کارشناسان روابط عمومی خود سازمان ثبت می‌کنند."))
    clean = _clean(draft, now or clock.utcnow())
    contact = Contact(agency_id=agency_id, logged_by_id=actor.id)
    _apply(contact, clean)
    db.session.add(contact)
    db.session.flush()
    record("contact.logged", actor=actor, obj=contact, **_audit_details(contact))
    db.session.commit()
    return contact


def get_contact(contact_id: int) -> Contact:
    """A contact through the agency scope. :raise NotFound: missing or another agency's."""
    contact = db.session.scalar(select(Contact).where(Contact.id == contact_id))
    if contact is None:
        raise NotFound(_("این تماس یافت نشد."))
    return contact


def _changeable(contact_id: int, actor) -> Contact:
    contact = get_contact(contact_id)
    if not can_change_contact(actor, contact.agency_id, contact.logged_by_id):
        raise NotAllowed(_("تنها کسی که این تماس را ثبت کرده یا مدیر روابط عمومی سازمان آن را ویرایش یا حذف می‌کند."))
    return contact


def contact_version(contact: Contact) -> str:
    """The contact's ``version_of`` its edit form's values."""
    return version_of({**_audit_details(contact), "notes": contact.notes})


def update_contact(contact_id: int, draft: ContactDraft, actor, *, now: datetime | None = None,
                   seen: str | None = None) -> Contact:
    """Correct a contact (its logger or the agency's manager); audited, committed. ``seen``: the
    version the edit page showed (``contact_version``), refused if the contact changed since.

    :raise NotFound: missing or another agency's. :raise NotAllowed: not the logger or the manager.
    :raise ContactInvalid: a bad field, or ``seen`` (under "seen") out of date.
    """
    contact = _changeable(contact_id, actor)
    if changed_since(contact, seen, contact_version):
        raise ContactInvalid({"seen": _(STALE_PAGE)})
    clean = _clean(draft, now or clock.utcnow(), kept_day=clock.to_local(contact.happened_at).date())
    before = _audit_details(contact)
    _apply(contact, clean)
    after = _audit_details(contact)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:  # a save that changed nothing is no correction (it was audited as one)
        record("contact.updated", actor=actor, obj=contact, changed=changed)
    db.session.commit()
    return contact


def delete_contact(contact_id: int, actor) -> None:
    """Delete a contact (its logger or the agency's manager); what it was stays in the audit entry.

    :raise NotFound: missing or another agency's. :raise NotAllowed: not the logger or the manager.
    """
    contact = _changeable(contact_id, actor)
    record("contact.deleted", actor=actor, obj=contact, **_audit_details(contact))
    db.session.delete(contact)
    db.session.commit()


def draft_of(contact: Contact) -> ContactDraft:
    """A contact as the edit form shows it (ASCII digits; the form shows what it is given)."""
    local = clock.to_local(contact.happened_at)
    return ContactDraft(
        journalist=str(contact.journalist_id or ""), outlet=str(contact.outlet_id or ""),
        direction=contact.direction, channel=contact.channel, topic=contact.topic,
        date=format_jalali_date(contact.happened_at, digits="en"), time=f"{local:%H:%M}", notes=contact.notes,
        items=" ".join(str(i.id) for i in contact.items), cases=" ".join(c.ref for c in contact.cases))
