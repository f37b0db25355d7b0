"""Commitments made at a held conference («قول‌ها»): the text, who owns it (a user of the agency or
a name as typed), the Jalali due day; marked done, reopened if need be, and followed until done.

A commitment is overdue when it is not done and its due day is before today in the configured
zone (``app.clock.local_today``): due on the last day of a Jalali month, it is overdue from the
first day of the next. The follow-up list (``follow_up``) shows the open ones, overdue first, for
the reader's agency (the agency scope); the governorate sees every agency's and may filter by one.
Only the conference's agency (manager, staff) adds and closes them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.clock import local_today, to_local, utcnow
from app.extensions import db
from app.jalali import format_jalali_date
from app.policy import can_write_conference, sees_all_agencies
from app.services import NotFound, ServiceError
from app.services.conference_inputs import ConferenceInputError
from app.services.conference_questions import clean_field
from app.services.conference_timeline import add_event
from app.services.conferences import get_conference, require_writer
from app.services.row_guard import update_if_unchanged
from models import Agency, ConferenceCommitment, PressConference, User

TEXT_MAX = 2000
OWNER_MAX = 200


@dataclass
class CommitmentInput:
    """A commitment as typed: ``due_on`` already read from its Jalali field by the form."""

    text: str = ""
    owner_user_id: int | None = None
    owner_label: str = ""
    due_on: date | None = None
    question_id: int | None = None


def owner_choices(agency_id: int) -> list[User]:
    """The agency's active users, by name: who a commitment can be given to."""
    return list(db.session.scalars(select(User).where(User.agency_id == agency_id, User.is_active_account)
                                   .order_by(User.display_name, User.username)))


def add_commitment(conference_id: int, data: CommitmentInput, actor) -> ConferenceCommitment:
    """Record a commitment made at a held conference of the actor's agency; timeline, audit, commit.

    :raise NotFound: the conference is not in the actor's scope.
    :raise NotAllowed: the actor is not the conference agency's manager or staff.
    :raise ConferenceInputError: no text, no owner, an owner of another agency, an unknown question.
    """
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    if conference.status != "held":
        raise ServiceError(_("قول‌های نشست پس از برگزاری آن ثبت می‌شوند."))
    text = clean_field(data.text, TEXT_MAX, _("متن قول"), "text")
    if not text:
        raise ConferenceInputError(_("بنویسید چه قولی داده شد."), "text")
    owner = db.session.get(User, data.owner_user_id) if data.owner_user_id else None
    if data.owner_user_id and (owner is None or owner.agency_id != conference.agency_id):
        raise ConferenceInputError(_("مسئول قول باید از کاربران همین سازمان باشد، یا نامش را بنویسید."), "owner_user_id")
    label = clean_field(data.owner_label, OWNER_MAX, _("مسئول"), "owner_label")
    if owner is None and not label:
        raise ConferenceInputError(_("مسئول پیگیری قول را برگزینید یا نامش را بنویسید."), "owner_label")
    if data.question_id and all(q.id != data.question_id for q in conference.questions):
        raise ConferenceInputError(_("این پرسش در این نشست نیست."), "question_id")
    held_on = to_local(conference.starts_at).date()
    if data.due_on is not None and data.due_on < held_on:
        # «1405/02/30» for «1405/09/30»: 199 days late on the governor's dashboard the day it was
        # made (a walk through the pages, session 30)
        raise ConferenceInputError(_("موعد قول (%(due)s) پیش از روز نشست (%(day)s) است؛ روزی از همان روز به بعد "
                                     "بنویسید.", due=format_jalali_date(data.due_on),
                                     day=format_jalali_date(held_on)), "due_on")
    commitment = ConferenceCommitment(conference_id=conference.id, text=text, owner_user_id=owner.id if owner else None,
                                      owner_label="" if owner else label, due_on=data.due_on,
                                      question_id=data.question_id or None, created_by_id=getattr(actor, "id", None))
    conference.commitments.append(commitment)
    db.session.flush()
    add_event(conference, "commitment_added", actor, text=text[:200], commitment_id=commitment.id,
              owner=owner_name(commitment), due_on=data.due_on.isoformat() if data.due_on else None)
    db.session.commit()
    return commitment


def owner_name(commitment: ConferenceCommitment) -> str:
    if commitment.owner is not None:
        return commitment.owner.display_name or commitment.owner.username
    return commitment.owner_label


def set_done(conference_id: int, commitment_id: int | None, done: bool, actor, note: str = "") -> ConferenceCommitment:
    """Mark a commitment done (``done``) or reopen it; the same state twice changes nothing.
    Timeline, audit, commit. :raise NotFound, NotAllowed: as ``add_commitment``."""
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    commitment = next((c for c in conference.commitments if c.id == commitment_id), None) if commitment_id else None
    if commitment is None:
        raise NotFound(_("این قول در این نشست نیست."))
    if commitment.is_done == done:
        return commitment
    note = clean_field(note, TEXT_MAX, _("یادداشت"), "note")
    values = {"done_at": utcnow(), "done_by_id": getattr(actor, "id", None)} if done else \
        {"done_at": None, "done_by_id": None}
    if note:
        values["note"] = note
    # Only while it is as read: two people closing it at once would both be on the timeline, the
    # second's name and note over the first's.
    update_if_unchanged(commitment, values, _("این قول هم‌زمان به دست کس دیگری تغییر کرد؛ صفحهٔ نشست را دوباره بخوانید."),
                        done_at=commitment.done_at)
    add_event(conference, "commitment_done" if done else "commitment_reopened", actor, text=commitment.text[:200],
              commitment_id=commitment.id, note=note)
    db.session.commit()
    return commitment


def is_overdue(commitment: ConferenceCommitment, today: date | None = None) -> bool:
    """Not done and due before today (the configured zone's day)."""
    return not commitment.is_done and commitment.due_on is not None and commitment.due_on < (today or local_today())


@dataclass
class FollowUp:
    """The follow-up list: open commitments (overdue first, then by due day)."""

    rows: list[ConferenceCommitment]
    today: date
    overdue: int
    agencies: list[Agency] = field(default_factory=list)  # the governorate's filter
    agency: str = ""
    only_overdue: bool = False
    error: str = ""

    def is_overdue(self, commitment: ConferenceCommitment) -> bool:
        return is_overdue(commitment, self.today)


def follow_up(actor, *, agency: str = "", only_overdue: bool = False, today: date | None = None) -> FollowUp:
    """The open commitments the actor may read (their agency's; the governorate's: every agency's
    or one ``agency`` slug's), overdue first."""
    today = today or local_today()
    stmt = (select(ConferenceCommitment).join(PressConference, PressConference.id == ConferenceCommitment.conference_id)
            .options(joinedload(ConferenceCommitment.conference).joinedload(PressConference.agency),
                     joinedload(ConferenceCommitment.owner))
            .where(ConferenceCommitment.done_at.is_(None)))
    result = FollowUp(rows=[], today=today, overdue=0, agency=agency, only_overdue=only_overdue)
    if sees_all_agencies(actor):
        result.agencies = list(db.session.scalars(select(Agency).where(Agency.is_active).order_by(Agency.name_order, Agency.id)))
        if agency:
            match = next((a for a in result.agencies if a.slug == agency), None)
            if match is None:
                result.error = _("سازمان «%(value)s» شناخته نیست.", value=agency)
            else:
                stmt = stmt.where(PressConference.agency_id == match.id)
    if only_overdue:
        stmt = stmt.where(ConferenceCommitment.due_on < today)
    rows = list(db.session.scalars(stmt))
    rows.sort(key=lambda c: (not is_overdue(c, today), c.due_on or date.max, c.id))
    result.rows = rows
    result.overdue = sum(1 for c in rows if is_overdue(c, today))
    return result


def commitments_section(conference: PressConference, actor) -> dict:
    """The conference page's commitments, with the owners a writer may choose."""
    can_write = can_write_conference(actor, conference.agency_id)
    today = local_today()
    return {"rows": [{"commitment": c, "owner": owner_name(c), "overdue": is_overdue(c, today)}
                     for c in conference.commitments],
            "owners": owner_choices(conference.agency_id) if can_write else [],
            "can_write": can_write, "is_held": conference.status == "held"}
