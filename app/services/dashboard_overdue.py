"""What is overdue now, for the province dashboard (every agency) and an agency's own:

- **cases** waiting for their answer past their deadline (the local day is after it);
- **conference commitments** not done and due before today (conference_commitments.is_overdue);
- **lapsed local outlets**: no contact from the agency in more than N days (contact_lapsed.py);
  the province lists the agencies with any, most first;
- **stale portals** (clause 10): a watched portal unchanged in more than N days
  (portal_freshness.py, the setting ``portal.stale_days``), the longest first.

Each list shows at most ``ROWS`` rows, with the full count beside it. Read-only, through the
request's agency scope too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.services.contact_lapsed import (
    AgencyLapsed,
    lapsed_by_agency,
    lapsed_days,
    local_outlets,
)
from app.services.portal_freshness import PortalFigures, portal_figures
from models import (
    OPEN_STATUSES,
    Agency,
    ConferenceCommitment,
    PressConference,
    PublicQuestion,
)

ROWS = 10


@dataclass
class OverdueNow:
    today: date
    cases: list[PublicQuestion] = field(default_factory=list)
    cases_total: int = 0
    commitments: list[ConferenceCommitment] = field(default_factory=list)
    commitments_total: int = 0
    lapsed_days: int = 0
    lapsed: list[AgencyLapsed] = field(default_factory=list)  # agencies with lapsed outlets (or the one agency)
    local_outlets: int = 0
    stale_portals: list[tuple[Agency, PortalFigures]] = field(default_factory=list)

    def days_late(self, day: date | None) -> int:
        return (self.today - day).days if day else 0

    @property
    def lapsed_total(self) -> int:
        return sum(len(row.lapsed) for row in self.lapsed)


def _overdue_cases(agency_id: int | None, today: date) -> tuple[list[PublicQuestion], int]:
    conditions = [PublicQuestion.status.in_(OPEN_STATUSES), PublicQuestion.deadline < today]
    if agency_id is not None:
        conditions.append(PublicQuestion.agency_id == agency_id)
    total = db.session.scalar(select(func.count(PublicQuestion.id)).where(*conditions)) or 0
    rows = db.session.scalars(select(PublicQuestion).options(joinedload(PublicQuestion.agency)).where(*conditions)
                              .order_by(PublicQuestion.deadline, PublicQuestion.id).limit(ROWS)).all()
    return list(rows), int(total)


def _overdue_commitments(agency_id: int | None, today: date) -> tuple[list[ConferenceCommitment], int]:
    conditions = [ConferenceCommitment.done_at.is_(None), ConferenceCommitment.due_on < today]
    if agency_id is not None:
        conditions.append(PressConference.agency_id == agency_id)
    base = select(ConferenceCommitment).join(PressConference, PressConference.id == ConferenceCommitment.conference_id)
    total = db.session.scalar(select(func.count()).select_from(base.where(*conditions).subquery())) or 0
    rows = db.session.scalars(
        base.options(joinedload(ConferenceCommitment.conference).joinedload(PressConference.agency))
        .where(*conditions).order_by(ConferenceCommitment.due_on, ConferenceCommitment.id).limit(ROWS)).all()
    return list(rows), int(total)


def overdue_now(agencies: list[Agency], *, agency_id: int | None, today: date) -> OverdueNow:
    """The three lists for ``agency_id`` (None: the province, ``agencies`` being its active ones)."""
    result = OverdueNow(today=today)
    result.cases, result.cases_total = _overdue_cases(agency_id, today)
    result.commitments, result.commitments_total = _overdue_commitments(agency_id, today)
    if local_outlets():
        result.lapsed_days = lapsed_days()
        rows = lapsed_by_agency(agencies, days=result.lapsed_days, today=today)
        result.local_outlets = rows[0].local_total if rows else 0
        result.lapsed = sorted((r for r in rows if r.lapsed), key=lambda r: (-len(r.lapsed), r.agency.name_order))
    if agencies:
        named = {a.id: a for a in agencies}
        figures = portal_figures(today, today, list(named), today=today)
        result.stale_portals = sorted(((named[k], f) for k, f in figures.items() if f.stale and k in named),
                                      key=lambda pair: (-(pair[1].days_since_update or 0), pair[0].name_order))
    return result
