"""What the conference pages read (views/conferences.py): the list with its filters, one
conference with everything its page shows, the directory's choices for invitations.

Reads go through the agency scope (app/scoping.py): agency users see their own agency's
conferences, the governorate every agency's; another agency's conference is NotFound.

The conference page is built from sections: invitations (here), then questions, commitments,
photos and coverage, each a template partial (templates/conferences/_<name>.html) fed by a
provider listed in ``SECTION_PROVIDERS`` (name → function(conference, actor) → dict).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.clock import local_day_bounds, local_today, to_local
from app.extensions import db
from app.i18n import digit_style
from app.policy import can_move_conference, can_write_conference, sees_all_agencies
from app.services.conference_commitments import commitments_section
from app.services.conference_coverage import coverage_section
from app.services.conference_inputs import when_text
from app.services.conference_invitations import InvitationRow, attendance_text, invitation_rows
from app.services.conference_photos import photos_section
from app.services.conference_questions import questions_section
from app.services.conferences import TRANSITIONS, get_conference
from models import (
    CONFERENCE_STATUSES,
    OUTLET_SCOPES,
    Agency,
    ConferenceInvitation,
    Journalist,
    Outlet,
    PressConference,
)

PAGE_SIZE = 50
# name → provider(conference, actor) → the dict its partial (templates/conferences/_<name>.html) reads.
SECTION_PROVIDERS: dict[str, Callable[[PressConference, object], dict]] = {
    "questions": questions_section,
    "commitments": commitments_section,
    "photos": photos_section,
    "coverage": coverage_section,
}
SECTIONS = ("questions", "commitments", "photos", "coverage")


@dataclass(frozen=True)
class ConferenceListQuery:
    """The list's filters as typed; dates already read by the form (Jalali → date)."""

    status: str = ""
    agency: str = ""  # a slug (the governorate's filter)
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class ConferenceList:
    conferences: list[PressConference]
    total: int
    page: int
    counts: dict[int, tuple[int, int]]  # conference id → (invited, accepted)
    agencies: list[Agency] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.page * PAGE_SIZE < self.total


@dataclass
class ConferencePage:
    conference: PressConference
    can_write: bool
    moves: list[tuple[str, str]]  # (move, to status) the reader may make
    invitations: list[ConferenceInvitation]
    rsvp_counts: dict[str, int]
    attended: int
    local_day: date
    local_time: str
    ends_time: str
    journalists: list[Journalist] = field(default_factory=list)  # invitation choices (writers only)
    outlets: list[Outlet] = field(default_factory=list)
    sections: dict[str, dict] = field(default_factory=dict)
    sentences: dict[int, str] = field(default_factory=dict)  # event id → its sentence in the reader's language


def list_conferences(actor, query: ConferenceListQuery, page: int = 1) -> ConferenceList:
    """One page of conferences, newest first, filtered; a bad filter is reported, not applied."""
    errors: dict[str, str] = {}
    stmt = select(PressConference)
    if query.status:
        if query.status in CONFERENCE_STATUSES:
            stmt = stmt.where(PressConference.status == query.status)
        else:
            errors["status"] = _("وضعیت «%(value)s» شناخته نیست.", value=query.status)
    agencies = []
    if sees_all_agencies(actor):
        agencies = list(db.session.scalars(select(Agency).where(Agency.is_active).order_by(Agency.name_order, Agency.id)))
        if query.agency:
            match = next((a for a in agencies if a.slug == query.agency), None)
            if match is None:
                errors["agency"] = _("سازمان «%(value)s» شناخته نیست.", value=query.agency)
            else:
                stmt = stmt.where(PressConference.agency_id == match.id)
    if query.date_from and query.date_to and query.date_from > query.date_to:
        errors["date_to"] = _("«تا تاریخ» پیش از «از تاریخ» است.")
    else:
        start, end = local_day_bounds(query.date_from, query.date_to)
        if start is not None:
            stmt = stmt.where(PressConference.starts_at >= start)
        if end is not None:
            stmt = stmt.where(PressConference.starts_at < end)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    page = max(1, page)
    rows = list(db.session.scalars(stmt.options(selectinload(PressConference.agency))
                                   .order_by(PressConference.starts_at.desc(), PressConference.id.desc())
                                   .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    counts = _invitation_counts([c.id for c in rows])
    return ConferenceList(conferences=rows, total=total, page=page, counts=counts, agencies=agencies, errors=errors)


def _invitation_counts(ids: list[int]) -> dict[int, tuple[int, int]]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(ConferenceInvitation.conference_id, func.count(),
               func.sum(func.cast(ConferenceInvitation.rsvp == "accepted", db.Integer)))
        .where(ConferenceInvitation.conference_id.in_(ids)).group_by(ConferenceInvitation.conference_id)).all()
    return {cid: (invited, int(accepted or 0)) for cid, invited, accepted in rows}


def conference_page(conference_id: int, actor) -> ConferencePage:
    """Everything the conference's page shows. :raise NotFound: missing or another agency's."""
    conference = get_conference(conference_id)
    can_write = can_write_conference(actor, conference.agency_id)
    moves = [(move, to) for (frm, to), move in TRANSITIONS.items()
             if frm == conference.status and can_move_conference(actor, move, conference.agency_id)]
    invitations = sorted(conference.invitations, key=lambda i: (
        i.outlet.name if i.outlet else "", i.journalist.name if i.journalist else ""))
    counts = {state: 0 for state in ("pending", "accepted", "declined", "maybe", "no_answer")}
    for invitation in invitations:
        counts[invitation.rsvp] = counts.get(invitation.rsvp, 0) + 1
    local = to_local(conference.starts_at)
    page = ConferencePage(
        conference=conference, can_write=can_write, moves=moves, invitations=invitations, rsvp_counts=counts,
        attended=sum(1 for i in invitations if i.attended), local_day=local.date(), local_time=local.strftime("%H:%M"),
        ends_time=(local + timedelta(minutes=conference.duration_minutes)).strftime("%H:%M"))
    if can_write and conference.status != "cancelled":
        page.journalists, page.outlets = directory_choices()
    for name in SECTIONS:
        provider = SECTION_PROVIDERS.get(name)
        page.sections[name] = provider(conference, actor) if provider else {}
    page.sentences = _sentences(conference.events)
    return page


def _sentences(events) -> dict[int, str]:
    """The sentences the system wrote on the history (when it was planned or moved to, how many
    came), said again from the event's values in the reader's language: they were stored in
    Persian. A reason someone typed stays as typed."""
    digits, said = digit_style(), {}
    for event in events:
        data = event.data or {}
        try:
            if event.kind == "planned" and isinstance(data.get("starts_at"), str):
                said[event.id] = when_text(datetime.fromisoformat(data["starts_at"]), digits)
            elif event.kind == "moved" and isinstance(data.get("starts_at"), list):
                start = datetime.fromisoformat(data["starts_at"][-1])
                with force_locale("fa"):
                    written = {when_text(start)}
                with force_locale("en"):
                    written.add(when_text(start, "en"))
                if event.text in written:  # no reason was typed: the sentence is the new time
                    said[event.id] = when_text(start, digits)
            elif event.kind == "attendance" and isinstance(data.get("attended"), list):
                said[event.id] = attendance_text(len(data["attended"]), digits)
        except (TypeError, ValueError, IndexError):
            continue
    return said


def directory_choices() -> tuple[list[Journalist], list[Outlet]]:
    """Active journalists (with their outlets) and outlets, by name: the invitation form's choices."""
    journalists = list(db.session.scalars(select(Journalist).options(selectinload(Journalist.outlets))
                                          .where(Journalist.is_active).order_by(Journalist.name_order, Journalist.id)))
    order = {scope: n for n, scope in enumerate(OUTLET_SCOPES)}
    outlets = sorted(db.session.scalars(select(Outlet).where(Outlet.is_active)),
                     key=lambda o: (order.get(o.scope, 9), o.name_order))
    return journalists, outlets


@dataclass(frozen=True)
class PrintableList:
    conference: PressConference
    rows: list[InvitationRow]
    printed_on: date


def printable_invitations(conference_id: int) -> PrintableList:
    """The invitation list for the printable page. :raise NotFound: missing or another agency's."""
    conference = get_conference(conference_id)
    return PrintableList(conference=conference, rows=invitation_rows(conference), printed_on=local_today())

