"""Who is invited to a conference, their answers and who came: invitations chosen from the
media directory (journalists, outlets, or every outlet of a scope at once: «all local outlets»),
RSVP changes, attendance once it is held, and the invitation list as rows (the printable page
and the CSV).

One invitation per journalist; one per outlet invited without a journalist (its desk). Inviting
by scope invites each active outlet of that scope through its active journalists (each for that
outlet), or its desk when it has none; who is already invited is skipped, so it can be run again.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.clock import utcnow
from app.extensions import db
from app.i18n import N_
from app.services import NotFound, ServiceError, spreadsheets
from app.services.conference_timeline import RSVP_LABELS, add_event, label
from app.services.conferences import get_conference, require_writer
from app.services.phones import display_phone
from app.services.row_guard import update_if_unchanged
from models import (
    OUTLET_SCOPES,
    RSVP_STATES,
    ConferenceInvitation,
    Journalist,
    Outlet,
    PressConference,
)
from search_index.persian import to_persian_digits

SCOPE_LABELS = {"local": N_("محلی"), "provincial": N_("استانی"), "national": N_("سراسری")}
CSV_HEADER = (N_("ردیف"), N_("نام"), N_("رسانه"), N_("سطح رسانه"), N_("تلفن"), N_("ایمیل"), N_("پاسخ دعوت"),
              N_("حضور"))


@dataclass
class InviteRequest:
    """Whom to invite: directory ids, and/or every outlet of these scopes (``local`` …)."""

    journalist_ids: list[int] = field(default_factory=list)
    outlet_ids: list[int] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InviteResult:
    added: int
    skipped: int  # already invited


@dataclass(frozen=True)
class InvitationRow:
    """One line of the printable list and the CSV."""

    number: int
    name: str
    outlet: str
    scope: str  # translated
    phones: tuple[str, ...]
    email: str
    rsvp: str  # the state's key
    attended: bool



def attendance_text(count: int, digits: str = "fa") -> str:
    """«۱۲ نفر حاضر بودند.», the attendance event's sentence."""
    text = _("%(count)s نفر حاضر بودند.", count=count)
    return to_persian_digits(text) if digits == "fa" else text

def _open_for_invitations(conference: PressConference) -> None:
    if conference.status == "cancelled":
        raise ServiceError(_("نشست لغو شده است؛ دعوت و پاسخ دعوت برای آن ثبت نمی‌شود."))


def _existing(conference: PressConference) -> tuple[set[int], set[int]]:
    """Who is invited, read from the database (not the loaded list: it may predate another invite)."""
    rows = db.session.execute(select(ConferenceInvitation.journalist_id, ConferenceInvitation.outlet_id)
                              .where(ConferenceInvitation.conference_id == conference.id)).all()
    return {j for j, _o in rows if j}, {o for j, o in rows if j is None and o}


def invite(conference_id: int, request: InviteRequest, actor) -> InviteResult:
    """Add invitations from the directory; returns how many were added and skipped."""
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    _open_for_invitations(conference)
    bad_scopes = [s for s in request.scopes if s not in OUTLET_SCOPES]
    if bad_scopes:
        raise ServiceError(_("سطح رسانهٔ «%(value)s» شناخته نیست: محلی، استانی یا سراسری.", value=bad_scopes[0]))
    if not (request.journalist_ids or request.outlet_ids or request.scopes):
        raise ServiceError(_("دست‌کم یک خبرنگار، یک رسانه یا یک سطح رسانه را برای دعوت برگزینید."))
    journalists = db.session.scalars(select(Journalist).options(selectinload(Journalist.outlets)).where(
        Journalist.id.in_(request.journalist_ids))).all() if request.journalist_ids else []
    if len(journalists) != len(set(request.journalist_ids)):
        raise NotFound(_("خبرنگاری که برگزیدید در فهرست رسانه‌ها نیست."))
    outlets = db.session.scalars(select(Outlet).where(Outlet.id.in_(request.outlet_ids))).all() \
        if request.outlet_ids else []
    if len(outlets) != len(set(request.outlet_ids)):
        raise NotFound(_("رسانه‌ای که برگزیدید در فهرست رسانه‌ها نیست."))
    # the picker offers the active ones only; a request naming another was stored (a review of the conferences)
    if any(not j.is_active for j in journalists) or any(not o.is_active for o in outlets):
        raise ServiceError(_("خبرنگار یا رسانه‌ای که برگزیدید غیرفعال است و دعوت نمی‌شود."))
    wanted: list[tuple[Journalist | None, Outlet | None]] = [
        (j, next((o for o in j.outlets if o.is_active), None)) for j in journalists]  # not a switched-off one
    wanted += [(None, o) for o in outlets]
    if request.scopes:
        wanted += _by_scope(request.scopes)
    # Two people inviting at once (the same scope, say) would invite everyone twice: the
    # conference's row is written first, which holds the second inviter until the first commits
    # (and refuses one cancelled meanwhile); who is invited is read after that.
    update_if_unchanged(conference, {"status": conference.status}, _(
        "نشست «%(title)s» هم‌زمان به دست کس دیگری تغییر کرد و دعوتی ثبت نشد؛ آن را دوباره بخوانید.",
        title=conference.title), touch=False, status=conference.status)
    invited_journalists, invited_desks = _existing(conference)
    # «skipped» counts those invited before this request: one named twice in it (a journalist and
    # «every local outlet» that holds them) was «already invited» on a conference nobody was invited to
    before = (set(invited_journalists), set(invited_desks))
    added = skipped = 0
    names = []
    for journalist, outlet in wanted:
        if journalist is not None:
            if journalist.id in invited_journalists:
                skipped += journalist.id in before[0]
                continue
            invited_journalists.add(journalist.id)
        elif outlet.id in invited_desks:
            skipped += outlet.id in before[1]
            continue
        else:
            invited_desks.add(outlet.id)
        conference.invitations.append(ConferenceInvitation(
            journalist_id=journalist.id if journalist else None, outlet_id=outlet.id if outlet else None,
            invited_by_id=getattr(actor, "id", None)))
        names.append(journalist.name if journalist else outlet.name)
        added += 1
    if added:
        add_event(conference, "invited", actor, text="، ".join(names[:20]), added=added, scopes=request.scopes)
    db.session.commit()
    return InviteResult(added=added, skipped=skipped)


def _by_scope(scopes: list[str]) -> list[tuple[Journalist | None, Outlet]]:
    outlets = db.session.scalars(select(Outlet).where(Outlet.scope.in_(scopes), Outlet.is_active)
                                 .order_by(Outlet.name_order, Outlet.id)).all()
    if not outlets:
        return []
    staff = db.session.scalars(select(Journalist).options(selectinload(Journalist.outlets))
                               .where(Journalist.is_active, Journalist.outlets.any(Outlet.id.in_([o.id for o in outlets])))
                               .order_by(Journalist.name_order, Journalist.id)).all()
    wanted: list[tuple[Journalist | None, Outlet]] = []
    for outlet in outlets:
        theirs = [j for j in staff if any(o.id == outlet.id for o in j.outlets)]
        wanted += [(j, outlet) for j in theirs] if theirs else [(None, outlet)]
    return wanted


def _invitation(conference: PressConference, invitation_id: int | None) -> ConferenceInvitation:
    for invitation in conference.invitations:
        if invitation.id == invitation_id:
            return invitation
    raise NotFound(_("این دعوت در فهرست این نشست نیست."))


def invitee_name(invitation: ConferenceInvitation) -> str:
    if invitation.journalist is not None:
        return invitation.journalist.name
    return invitation.outlet.name if invitation.outlet is not None else ""


def set_rsvp(conference_id: int, invitation_id: int | None, rsvp: str, actor) -> ConferenceInvitation:
    """Record an invitee's answer (pending, accepted, declined, maybe, no_answer)."""
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    invitation = _invitation(conference, invitation_id)
    _open_for_invitations(conference)
    if conference.status == "held":
        raise ServiceError(_("نشست برگزار شده است؛ به جای پاسخ دعوت، حضور را ثبت کنید."))
    if rsvp not in RSVP_STATES:
        raise ServiceError(_("پاسخ دعوت «%(value)s» شناخته نیست؛ یکی از این‌ها را برگزینید: %(choices)s.",
                             value=rsvp, choices="، ".join(label(RSVP_LABELS, s) for s in RSVP_STATES)))
    if invitation.rsvp != rsvp:
        add_event(conference, "rsvp", actor, text=invitee_name(invitation), invitation_id=invitation.id,
                  **{"from": invitation.rsvp, "to": rsvp})
        invitation.rsvp, invitation.rsvp_at = rsvp, utcnow()
    db.session.commit()
    return invitation


def remove_invitation(conference_id: int, invitation_id: int | None, actor) -> str:
    """Take an invitation off the list before the conference is held; returns the invitee's name."""
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    invitation = _invitation(conference, invitation_id)
    if conference.status in ("held", "cancelled"):
        raise ServiceError(_("فهرست دعوت نشست برگزارشده یا لغوشده تغییر نمی‌کند."))
    name = invitee_name(invitation)
    conference.invitations.remove(invitation)
    add_event(conference, "uninvited", actor, text=name)
    db.session.commit()
    return name


def record_attendance(conference_id: int, attended_ids: Iterable[int], actor) -> int:
    """Who came, once the conference is held: the invitations in ``attended_ids`` attended, the
    others not. Returns how many attended."""
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    if conference.status != "held":
        raise ServiceError(_("حضور پس از برگزاری نشست ثبت می‌شود."))
    attended = set(attended_ids)
    known = {i.id for i in conference.invitations}
    if attended - known:
        raise NotFound(_("این دعوت در فهرست این نشست نیست."))
    changed = []
    for invitation in conference.invitations:
        came = invitation.id in attended
        if invitation.attended != came:
            invitation.attended = came
            changed.append(invitation.id)
    if changed:
        add_event(conference, "attendance", actor, text=attendance_text(len(attended)), attended=sorted(attended))
    db.session.commit()
    return len(attended)


def invitation_rows(conference: PressConference) -> list[InvitationRow]:
    """The invitation list in print order: by outlet scope (local first), outlet, name."""
    order = {scope: n for n, scope in enumerate(OUTLET_SCOPES)}

    def key(i: ConferenceInvitation):
        outlet = i.outlet
        return (order.get(outlet.scope, 9) if outlet else 9, outlet.name if outlet else "", invitee_name(i))

    rows = []
    for number, invitation in enumerate(sorted(conference.invitations, key=key), 1):
        journalist, outlet = invitation.journalist, invitation.outlet
        rows.append(InvitationRow(
            number=number, name=journalist.name if journalist else _("دبیر خبر"),
            outlet=outlet.name if outlet else "", scope=label(SCOPE_LABELS, outlet.scope) if outlet else "",
            phones=tuple(display_phone(p.e164) for p in journalist.phones) if journalist else (),
            email=journalist.email if journalist else "", rsvp=invitation.rsvp, attended=invitation.attended))
    return rows


def invitations_csv(conference_id: int) -> tuple[bytes, str]:
    """The invitation list as CSV (UTF-8 with a BOM, formulas defused) and its file name."""
    conference = get_conference(conference_id)
    held = conference.status == "held"
    rows = ((str(r.number), r.name, r.outlet, r.scope, " / ".join(r.phones), r.email, label(RSVP_LABELS, r.rsvp),
             (_("حاضر") if r.attended else _("غایب")) if held else "") for r in invitation_rows(conference))
    data = "".join(spreadsheets.csv_chunks([_(h) for h in CSV_HEADER], rows)).encode("utf-8")
    return data, f"conference-{conference.id}-invitations.csv"
