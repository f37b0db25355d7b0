"""Press conferences (clause 9): planning, editing, the lifecycle and the minutes.

    planned → held | postponed (a new date, or none yet) | cancelled (with a reason)
    postponed → planned (on a new date) | held | cancelled

``held`` and ``cancelled`` are final. Every action checks the policy (app/policy.py:
``can_write_conference``, ``can_move_conference``; the agency's manager and staff write,
cancelling is the manager's), then the input, before it changes anything; a refusal raises
NotAllowed / ServiceError with a Persian message and leaves the conference as it was. Each
change adds a timeline event and an audit entry and commits once.

Invitations, RSVPs and attendance: app/services/conference_invitations.py; the pages' reads:
conference_pages.py; ICS: conference_calendar.py; cadence: conference_cadence.py; figures:
conference_stats.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.clock import local_today, to_local, utcnow
from app.extensions import db
from app.i18n import N_
from app.policy import can_move_conference, can_write_conference
from app.services import NotAllowed, NotFound, ServiceError
from app.services.conference_inputs import (
    ConferenceDraft,
    ConferenceInputError,
    clean_draft,
    starts_at,
    when_text,
)
from app.services.conference_timeline import STATUS_LABELS, add_event, label
from app.services.row_guard import STALE_PAGE, changed_since, update_if_unchanged, version_of
from models import CONFERENCE_STATUSES, ConferenceEvent, PressConference
from search_index.persian import normalize_for_storage

# (from status, to status) → the move's name (the key of app.policy.CONFERENCE_MOVE_ROLES).
TRANSITIONS: dict[tuple[str, str], str] = {
    ("planned", "held"): "hold",
    ("planned", "postponed"): "postpone",
    ("planned", "cancelled"): "cancel",
    ("postponed", "planned"): "replan",
    ("postponed", "held"): "hold",
    ("postponed", "cancelled"): "cancel",
}
NOT_ALLOWED = {
    "hold": N_("ثبت برگزاری نشست کار کارکنان روابط عمومی همان سازمان است."),
    "postpone": N_("به تعویق انداختن نشست کار کارکنان روابط عمومی همان سازمان است."),
    "replan": N_("برنامه‌ریزی دوبارهٔ نشست کار کارکنان روابط عمومی همان سازمان است."),
    "cancel": N_("لغو نشست خبری تنها کار مدیر روابط عمومی همان سازمان است."),
}
MSG_WRITE = N_("نشست‌های خبری را کارکنان روابط عمومی همان سازمان برنامه‌ریزی و ثبت می‌کنند؛ ناظران و "
               "بینندگان تنها می‌خوانند.")
REASON_MAX = 2000
MINUTES_MAX = 50000


@dataclass
class MoveRequest:
    """A status move as typed: ``day``/``start_time`` the new date (postpone, replan) or the day it
    was really held (hold, optional); ``reason`` why (cancel: required)."""

    to_status: str
    day: date | None = None
    start_time: str = ""
    reason: str = ""


def get_conference(conference_id: int | None) -> PressConference:
    """The conference, through the agency scope. :raise NotFound: missing or another agency's."""
    conference = db.session.scalar(select(PressConference).where(PressConference.id == conference_id)) \
        if conference_id else None
    if conference is None:
        raise NotFound(_("این نشست خبری پیدا نشد."))
    return conference


def require_writer(actor, conference_or_agency_id) -> None:
    """:raise NotAllowed: ``actor`` may not write the agency's conferences."""
    agency_id = getattr(conference_or_agency_id, "agency_id", conference_or_agency_id)
    if not can_write_conference(actor, agency_id):
        raise NotAllowed(_(MSG_WRITE))


def plan_conference(draft: ConferenceDraft, actor) -> PressConference:
    """Plan a conference of the actor's agency (status planned)."""
    agency_id = getattr(actor, "agency_id", None)
    require_writer(actor, agency_id)
    clean = clean_draft(draft)
    conference = PressConference(agency_id=agency_id, title=clean.title, topics=clean.topics,
                                 starts_at=clean.starts_at, duration_minutes=clean.duration_minutes,
                                 place=clean.place, spokespeople=clean.spokespeople, status="planned",
                                 created_by_id=getattr(actor, "id", None))
    db.session.add(conference)
    db.session.flush()
    add_event(conference, "planned", actor, text=when_text(conference.starts_at),
              starts_at=conference.starts_at.isoformat())
    db.session.commit()
    return conference


def conference_version(conference: PressConference) -> str:
    """The conference's ``version_of`` its edit form's values and its status."""
    return version_of({name: getattr(conference, name) for name in (
        "title", "topics", "starts_at", "duration_minutes", "place", "spokespeople", "status")})


def edit_conference(conference_id: int, draft: ConferenceDraft, actor, *, seen: str | None = None) -> PressConference:
    """Change a conference's details. A cancelled one is closed; a held one keeps its date
    (the day it was held); a date is moved by editing while planned, else by the moves.
    ``seen``: the version the edit page showed (``conference_version``), refused if changed since."""
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    if changed_since(conference, seen, conference_version):
        raise ServiceError(_(STALE_PAGE))
    if conference.status == "cancelled":
        raise ServiceError(_("نشست لغوشده ویرایش نمی‌شود."))
    clean = clean_draft(draft, kept_day=to_local(conference.starts_at).date())
    if clean.starts_at != conference.starts_at and conference.status != "planned":
        raise ConferenceInputError(_("زمان نشست «%(status)s» با ویرایش عوض نمی‌شود؛ از دکمه‌های وضعیت بهره بگیرید.",
                                     status=label(STATUS_LABELS, conference.status)), "day")
    values = {name: getattr(clean, name) for name in ("title", "topics", "starts_at", "duration_minutes", "place",
                                                       "spokespeople") if getattr(conference, name) != getattr(clean, name)}
    if values:
        changes = {name: [getattr(conference, name), new] for name, new in values.items()}
        if "starts_at" in changes:
            changes["starts_at"] = [when.isoformat() for when in changes["starts_at"]]
        # Only while the conference is as this request read it: one cancelled or held between
        # that read and this write is not edited (nor its date moved).
        update_if_unchanged(conference, values, _(
            "نشست «%(title)s» هم‌زمان به دست کس دیگری تغییر کرد و ویرایش ذخیره نشد؛ آن را دوباره بخوانید.",
            title=conference.title), status=conference.status)
        add_event(conference, "edited", actor, changes=changes)
    db.session.commit()
    return conference


def _check_move(conference: PressConference, to_status: str) -> str:
    if to_status not in CONFERENCE_STATUSES:
        raise ServiceError(_("وضعیت «%(status)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(choices)s.",
                             status=to_status, choices="، ".join(f"{label(STATUS_LABELS, code)} ({code})"
                                                                for code in CONFERENCE_STATUSES)))
    move = TRANSITIONS.get((conference.status, to_status))
    if move is None:
        raise ServiceError(_("نشست «%(title)s» «%(from)s» است و از این وضعیت به «%(to)s» نمی‌رود.",
                             title=conference.title, **{"from": label(STATUS_LABELS, conference.status)},
                             to=label(STATUS_LABELS, to_status)))
    return move


def move_conference(conference_id: int, request: MoveRequest, actor) -> PressConference:
    """Hold, postpone, replan or cancel a conference (see the module's diagram)."""
    conference = get_conference(conference_id)
    move = _check_move(conference, (request.to_status or "").strip())
    if not can_move_conference(actor, move, conference.agency_id):
        raise NotAllowed(_(NOT_ALLOWED[move]))
    reason = " ".join((request.reason or "").split())
    if len(reason) > REASON_MAX:
        raise ConferenceInputError(_("دلیل بیش از اندازه بلند است."), "reason")
    new_start = None
    if request.day is not None or (request.start_time or "").strip():
        time_text = request.start_time or to_local(conference.starts_at).strftime("%H:%M")
        new_start = starts_at(request.day, time_text)
    now = utcnow()
    if move == "hold":
        if new_start is None and conference.status == "postponed" and not _postponed_to_a_day(conference):
            # its day is the one it was put off from: held «on the planned day» counted it there (a
            # review of the conferences, MEDIUM)
            raise ConferenceInputError(_("این نشست بی روز تازه به تعویق افتاده بود؛ روز برگزاری آن را بنویسید."), "day")
        held_start = new_start or conference.starts_at
        if to_local(held_start).date() > local_today():
            raise ServiceError(_("نشست «%(title)s» برای %(when)s است؛ پیش از آن روز برگزارشده ثبت نمی‌شود.",
                                 title=conference.title, when=when_text(held_start)))
    elif move == "cancel" and not reason:
        raise ConferenceInputError(_("دلیل لغو نشست را بنویسید؛ در کارنامهٔ نشست می‌ماند."), "reason")
    elif move == "replan" and new_start is None and conference.starts_at <= now:
        raise ConferenceInputError(_("روز و ساعت تازهٔ نشست را بنویسید."), "day")
    if move in ("postpone", "replan") and new_start is not None and new_start <= now:
        raise ConferenceInputError(_("زمان تازهٔ نشست باید پس از اکنون باشد."), "day")
    if move == "postpone" and new_start is not None and new_start <= conference.starts_at:
        raise ConferenceInputError(_("نشست به تعویق می‌افتد، پس زمان تازه باید پس از %(when)s باشد.",
                                     when=when_text(conference.starts_at)), "day")
    from_status, from_start, data = conference.status, conference.starts_at, {"move": move}
    values: dict = {"status": request.to_status}
    if new_start is not None and new_start != from_start:
        data["starts_at"] = [from_start.isoformat(), new_start.isoformat()]
        values["starts_at"] = new_start
    if move in ("postpone", "cancel"):
        values["status_note"] = reason
    if move == "hold":
        values["held_at"] = now
    # Only from the status (and date) read: a hold and a cancel at once would both stand on the
    # timeline, the second overwriting the first, and «held» and «cancelled» are final.
    update_if_unchanged(conference, values, _(
        "نشست «%(title)s» هم‌زمان به دست کس دیگری تغییر کرد و وضعیت آن تغییر نکرد؛ آن را دوباره بخوانید.",
        title=conference.title), status=from_status, starts_at=from_start)
    text = reason or (when_text(conference.starts_at) if "starts_at" in data else "")
    add_event(conference, "moved", actor, text=text, from_status=from_status, to_status=conference.status, **data)
    db.session.commit()
    return conference


def _postponed_to_a_day(conference: PressConference) -> bool:
    """Whether the move that postponed the conference gave it a new day (its ``starts_at`` then)."""
    last = db.session.scalar(select(ConferenceEvent).where(
        ConferenceEvent.conference_id == conference.id, ConferenceEvent.to_status == "postponed")
        .order_by(ConferenceEvent.created_at.desc(), ConferenceEvent.id.desc()).limit(1))
    return last is None or "starts_at" in (last.data or {})


def save_minutes(conference_id: int, minutes: str, actor) -> PressConference:
    """Record the minutes («صورت‌جلسه») of a held conference (plain text; replaces the last version)."""
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    if conference.status != "held":
        raise ServiceError(_("صورت‌جلسه پس از برگزاری نشست ثبت می‌شود؛ این نشست «%(status)s» است.",
                             status=label(STATUS_LABELS, conference.status)))
    text = normalize_minutes(minutes)
    if text != conference.minutes:
        conference.minutes = text
        add_event(conference, "minutes_saved", actor, chars=len(text))
    db.session.commit()
    return conference


def normalize_minutes(minutes: str | None) -> str:
    """The minutes' text tidied (line ends, trailing spaces). :raise ConferenceInputError: too long."""
    text = "\n".join(line.rstrip() for line in normalize_for_storage(minutes or "").replace("\r\n", "\n").split("\n"))
    if len(text.strip()) > MINUTES_MAX:
        raise ConferenceInputError(_("صورت‌جلسه بیش از اندازه بلند است."), "minutes")
    return text.strip()
