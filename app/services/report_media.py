"""The clause-9/11 report's data: an agency's press conferences against its cadence, and its
contacts with the media, in a Jalali period.

Conferences (clause 9): those held with a local start day in the period (as
app/services/conference_cadence.held_counts counts them), each with its questions and confirmed
coverage; the target for the period is the agency's cadence setting scaled to the period's
months (4 a year → 1 a season; 1 a month → 12 a year), two decimals.

Contacts (clause 11): every contact of the agency in the period (its local days), counted by
channel and direction; the local outlets contacted in it against the active local outlets;
each local outlet with the agency's last contact as of the period's last day (or today while
the period runs) and whether it has lapsed (no contact in more than ``contacts.lapsed_days``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import clock
from app.extensions import db
from app.services.conference_targets import period_targets
from app.services.contact_lapsed import OutletContact, lapsed_days, outlet_contacts
from app.services.contact_stats import contact_figures_between
from app.services.report_periods import ReportPeriod
from models import (
    CONTACT_CHANNELS,
    CONTACT_DIRECTIONS,
    Agency,
    ConferenceCoverage,
    ConferenceQuestion,
    Contact,
    PressConference,
)


@dataclass(frozen=True)
class ConferenceRow:
    id: int
    title: str
    starts_at: datetime
    questions: int
    coverage: int  # confirmed coverage items


@dataclass(frozen=True)
class ContactRow:
    id: int
    happened_at: datetime
    outlet: str
    journalist: str
    channel: str
    direction: str
    topic: str


@dataclass(frozen=True)
class MediaReport:
    agency: Agency
    period: ReportPeriod
    as_of: date
    target: float  # conferences due in the period
    conferences: list[ConferenceRow]
    contacts: list[ContactRow]
    by_channel: dict[str, int]
    by_direction: dict[str, int]
    local_outlets: list[OutletContact]
    lapsed_after: int  # days
    local_contacted: int = 0  # local outlets contacted in the period, as the scorecard counts them
    local_total: int = 0  # local outlets, as the scorecard counts them

    @property
    def held(self) -> int:
        return len(self.conferences)

    @property
    def coverage(self) -> int:
        return sum(row.coverage for row in self.conferences)

    def is_lapsed(self, row: OutletContact) -> bool:
        return row.days is None or row.days > self.lapsed_after


def _bounds(period: ReportPeriod) -> tuple[datetime, datetime]:
    start, end = clock.local_day_bounds(period.first, period.last)
    return start, end


def count_media_rows(agency_id: int, period: ReportPeriod) -> int:
    """Conferences and contacts the report will list (to decide whether it is built in the request)."""
    start, end = _bounds(period)
    held = db.session.scalar(select(func.count(PressConference.id)).where(
        PressConference.agency_id == agency_id, PressConference.status == "held",
        PressConference.starts_at >= start, PressConference.starts_at < end)) or 0
    contacts = db.session.scalar(select(func.count(Contact.id)).where(
        Contact.agency_id == agency_id, Contact.happened_at >= start, Contact.happened_at < end)) or 0
    return held + contacts


def _count_by_conference(model, ids: list[int], *conditions) -> dict[int, int]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.conference_id, func.count(model.id))
                                   .where(model.conference_id.in_(ids), *conditions)
                                   .group_by(model.conference_id)).all())


def media_report(agency: Agency, period: ReportPeriod, *, today: date | None = None) -> MediaReport:
    """The clause-9/11 report of ``agency`` for ``period`` (read in the caller's agency scope)."""
    today = today or clock.local_today()
    as_of = min(period.last, today)
    start, end = _bounds(period)
    held = list(db.session.scalars(select(PressConference).where(
        PressConference.agency_id == agency.id, PressConference.status == "held",
        PressConference.starts_at >= start, PressConference.starts_at < end).order_by(PressConference.starts_at)))
    ids = [c.id for c in held]
    questions = _count_by_conference(ConferenceQuestion, ids)
    coverage = _count_by_conference(ConferenceCoverage, ids, ConferenceCoverage.state == "confirmed")
    conferences = [ConferenceRow(c.id, c.title, c.starts_at, questions.get(c.id, 0), coverage.get(c.id, 0))
                   for c in held]
    contacts = list(db.session.scalars(
        select(Contact).options(joinedload(Contact.outlet), joinedload(Contact.journalist))
        .where(Contact.agency_id == agency.id, Contact.happened_at >= start, Contact.happened_at < end)
        .order_by(Contact.happened_at, Contact.id)))
    rows = [ContactRow(c.id, c.happened_at, c.outlet.name if c.outlet else "", c.journalist.name if c.journalist else "",
                       c.channel, c.direction, c.topic) for c in contacts]
    # as the scorecard reads them (a review: the report took today's target and counted an outlet by
    # its last contact, and disagreed with the scorecard on closed periods)
    target = period_targets([agency], period.first, period.last, as_of)[agency.id][0]
    figures = contact_figures_between(period.first, period.last, "", agency_id=agency.id, today=today,
                                      with_lapsed=False)[0]
    return MediaReport(
        agency=agency, period=period, as_of=as_of, target=target, conferences=conferences, contacts=rows,
        local_contacted=figures.local_outlets_contacted, local_total=figures.local_outlets,
        by_channel={c: sum(1 for r in rows if r.channel == c) for c in CONTACT_CHANNELS},
        by_direction={d: sum(1 for r in rows if r.direction == d) for d in CONTACT_DIRECTIONS},
        local_outlets=outlet_contacts(agency.id, as_of), lapsed_after=lapsed_days())
