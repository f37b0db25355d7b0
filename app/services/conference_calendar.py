"""Conferences as iCalendar (RFC 5545, written with ``icalendar``): one conference, or an
agency's feed. Served to logged-in readers only (the pages' access and scope), never public.

- UID ``conference-<id>@hamzaban`` never changes, so a calendar that imported the file again
  updates the event instead of adding a second one; SEQUENCE counts the date and status moves.
- DTSTART/DTEND are UTC (``…Z``); the calendar names the configured zone (X-WR-TIMEZONE), the
  one the pages show the time in.
- SUMMARY is Persian («نشست خبری: …»); a postponed conference is TENTATIVE, a cancelled one
  CANCELLED (calendars strike it out), the others CONFIRMED.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.clock import local_zone
from app.extensions import db
from app.policy import sees_all_agencies
from app.services import NotFound
from app.services.conference_timeline import STATUS_LABELS, label
from app.services.conferences import get_conference
from models import Agency, PressConference

ICS_STATUS = {"planned": "CONFIRMED", "held": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}
PRODID = "-//Hamzaban//Press conferences//FA"
MAX_EVENTS = 2000


@dataclass(frozen=True)
class CalendarFile:
    data: bytes
    filename: str
    mimetype: str = "text/calendar"  # Werkzeug adds "; charset=utf-8" (given here too, it came twice)


def uid(conference: PressConference) -> str:
    return f"conference-{conference.id}@hamzaban"


def _sequence(conference: PressConference) -> int:
    """How many times the date or the status changed (calendars keep the highest SEQUENCE)."""
    return sum(1 for e in conference.events if e.kind == "moved" or (
        e.kind == "edited" and "starts_at" in (e.data or {}).get("changes", {})))


def _event(conference: PressConference):
    from icalendar import Event

    event = Event()
    event.add("uid", uid(conference))
    event.add("dtstamp", conference.updated_at)
    event.add("dtstart", conference.starts_at)
    event.add("dtend", conference.starts_at + timedelta(minutes=conference.duration_minutes))
    event.add("summary", _("نشست خبری: %(title)s", title=conference.title))
    lines = [_("سازمان: %(name)s", name=conference.agency.name_fa)]
    if conference.topics:
        lines.append(_("محورها: %(topics)s", topics="، ".join(conference.topics)))
    if conference.spokespeople:
        lines.append(_("سخنگویان: %(names)s", names="، ".join(conference.spokespeople)))
    lines.append(_("وضعیت: %(status)s", status=label(STATUS_LABELS, conference.status)))
    if conference.status_note:
        lines.append(conference.status_note)
    event.add("description", "\n".join(lines))
    if conference.place:
        event.add("location", conference.place)
    event.add("status", ICS_STATUS[conference.status])
    event.add("sequence", _sequence(conference))
    if conference.topics:
        event.add("categories", conference.topics)
    return event


def _calendar(name: str, conferences: list[PressConference]) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", local_zone().key)
    for conference in conferences:
        calendar.add_component(_event(conference))
    return calendar.to_ical()


def conference_ics(conference_id: int) -> CalendarFile:
    """One conference as an .ics file. :raise NotFound: missing or another agency's."""
    conference = get_conference(conference_id)
    return CalendarFile(_calendar(_("نشست خبری: %(title)s", title=conference.title), [conference]),
                        f"conference-{conference.id}.ics")


def agency_feed(actor, agency_slug: str = "") -> CalendarFile:
    """The conferences of the reader's agency (the governorate: of ``agency_slug``, or of every
    agency when empty), newest first. :raise NotFound: an unknown agency."""
    stmt = select(PressConference)
    name = _("نشست‌های خبری")
    filename = "conferences.ics"
    agency = None
    if sees_all_agencies(actor) and agency_slug:
        agency = db.session.scalar(select(Agency).where(Agency.slug == agency_slug))
        if agency is None:
            raise NotFound(_("سازمان «%(value)s» شناخته نیست.", value=agency_slug))
    elif not sees_all_agencies(actor):
        agency = getattr(actor, "agency", None)
    if agency is not None:
        stmt = stmt.where(PressConference.agency_id == agency.id)
        name = _("نشست‌های خبری %(agency)s", agency=agency.name_fa)
        filename = f"conferences-{agency.slug}.ics"
    conferences = list(db.session.scalars(stmt.order_by(PressConference.starts_at.desc()).limit(MAX_EVENTS)))
    return CalendarFile(_calendar(name, conferences), filename)
