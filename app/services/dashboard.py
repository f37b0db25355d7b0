"""What the dashboard shows a user: the work waiting for them (read-only; scoped by the agency
scope of the request). An agency's users see their agency's queue; the governorate sees what
waits for its decision and the province's queue per agency; the administrator also a short
system status and the lunar holidays still to confirm.

Later features add their own work (open cases by deadline, overdue, escalated) as a section:
a provider in ``SECTION_PROVIDERS`` returns a ``DashboardSection`` (or None when it has nothing
to show) and the page includes its template.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from app.clock import utcnow
from app.extensions import db
from app.policy import ADMIN_ROLES, can_reassign, role_of, sees_all_agencies
from app.services.case_workload import case_workload
from app.services.contact_lapsed import lapsed_overview
from app.services.lunar_holidays import lunar_warnings_for
from app.services.settings import get_setting
from app.services.triage import (
    WAITING_STATUSES,
    InboxCounts,
    inbox_counts,
    needs_attention,
)
from models import Agency, Item, ItemRoute

LATEST_WAITING = 5


def worker_status() -> dict:
    """When the worker last reported; `alive` when within two minutes."""
    beat = get_setting("worker.heartbeat")
    if not beat:
        return {"alive": False, "at": None}
    at = datetime.fromisoformat(beat["at"])
    age = (utcnow() - at).total_seconds()
    return {"alive": age < 120, "at": at}


@dataclass(frozen=True)
class AgencyWork:
    """One agency's waiting routes (``agency`` None: public questions no agency's rule took)."""
    agency: Agency | None
    new: int  # not yet looked at
    seen: int  # looked at, not yet accepted, dismissed or reassigned
    questions: int  # waiting ones flagged as public questions
    received: int  # waiting ones another agency's item sent here
    requested: int  # reassignment requests waiting for the governorate

    @property
    def waiting(self) -> int:
        return self.new + self.seen


@dataclass(frozen=True)
class DashboardSection:
    """A block of the dashboard that a later feature provides: its template and its data."""
    key: str
    template: str
    data: Any


@dataclass
class Dashboard:
    agency: Agency | None
    work: list[AgencyWork]  # one row for an agency's user; the province's agencies for the governorate
    latest: list[ItemRoute]  # the newest routes still waiting for the user
    is_governorate: bool = False  # admins and supervisors: the province's work
    pending: int = 0  # the governorate: requests waiting for its decision
    unassigned: int = 0  # the governorate: new public questions no agency took
    worker: dict | None = None  # the administrator's system status
    lunar_warnings: list = field(default_factory=list)  # the coming years' lunar holidays to confirm (admins)
    sections: list[DashboardSection] = field(default_factory=list)
    inbox_counts: InboxCounts | None = None  # the governorate's, read for the board (the menu reuses them)

    @property
    def mine(self) -> AgencyWork | None:
        """An agency user's own row (None for the governorate)."""
        return self.work[0] if self.agency is not None and self.work else None


def _count(condition):
    # the status is never null, and lies in the index that serves these counts (the id does not)
    return func.count(case((condition, ItemRoute.status)))


def work_by_agency() -> list[AgencyWork]:
    """Waiting routes per agency as the request's scope sees them (most waiting first): an agency
    with waiting routes or pending requests has a row. Two narrow queries (the waiting routes, an
    index-only scan on ``(status, agency_id)`` with the flags it includes; the pending requests,
    a few by their index) rather than one pass over every route."""
    counts: dict[int | None, list[int]] = {}
    for agency_id, *figures in db.session.execute(
            select(ItemRoute.agency_id, _count(ItemRoute.status == "new"), _count(ItemRoute.status == "seen"),
                   _count(ItemRoute.is_question), _count(ItemRoute.received_at.is_not(None)))
            .where(ItemRoute.status.in_(WAITING_STATUSES)).group_by(ItemRoute.agency_id)):
        counts[agency_id] = [*figures, 0]
    for agency_id, requested in db.session.execute(
            select(ItemRoute.agency_id, func.count(ItemRoute.id)).where(ItemRoute.request_at.is_not(None))
            .group_by(ItemRoute.agency_id)):
        counts.setdefault(agency_id, [0, 0, 0, 0, 0])[4] = requested
    agencies = {a.id: a for a in db.session.scalars(
        select(Agency).where(Agency.id.in_([agency_id for agency_id in counts if agency_id is not None])))}
    work = [AgencyWork(agencies.get(agency_id), *figures) for agency_id, figures in counts.items()]
    return sorted(work, key=lambda w: (-w.waiting, -w.requested, w.agency.slug if w.agency else ""))


def latest_waiting(user, limit: int = LATEST_WAITING) -> list[ItemRoute]:
    """The newest routes in the user's queue (the inbox's default view)."""
    return db.session.scalars(
        select(ItemRoute).join(Item, ItemRoute.item_id == Item.id).where(needs_attention(user))
        .options(joinedload(ItemRoute.item), joinedload(ItemRoute.agency))
        .order_by(Item.published_at.desc(), ItemRoute.id.desc()).limit(limit)).unique().all()


def _case_work(user) -> DashboardSection | None:
    """Open cases by deadline, overdue and escalated ones (app/services/case_workload.py)."""
    load = case_workload(user)
    if not (load.agency or load.province or load.mine):
        return None
    return DashboardSection("cases", "cases/_dashboard_section.html", load)


def _lapsed_contacts(user) -> DashboardSection | None:
    """Local outlets the agency has not contacted in N days (app/services/contact_lapsed.py)."""
    overview = lapsed_overview(user)
    return None if overview is None else DashboardSection("lapsed_contacts", "contacts/_dashboard_section.html",
                                                          overview)


# Each provider takes the user and returns a section or None (nothing to show: no block at all).
SECTION_PROVIDERS: list[Callable[[Any], DashboardSection | None]] = [_case_work, _lapsed_contacts]


def dashboard_for(user) -> Dashboard:
    """The work waiting for ``user``, for the dashboard."""
    agency = getattr(user, "agency", None)
    work = work_by_agency()
    if not sees_all_agencies(user):
        mine = [w for w in work if agency is not None and w.agency is not None and w.agency.id == agency.id]
        work = mine or ([AgencyWork(agency, 0, 0, 0, 0, 0)] if agency is not None else [])
    board = Dashboard(agency=agency, work=work, latest=latest_waiting(user), is_governorate=can_reassign(user))
    if board.is_governorate:
        counts = board.inbox_counts = inbox_counts()
        board.pending, board.unassigned = counts.pending, counts.unassigned
    if role_of(user) in ADMIN_ROLES:
        board.worker = worker_status()
    board.lunar_warnings = lunar_warnings_for(user)
    board.sections = [s for s in (provider(user) for provider in SECTION_PROVIDERS) if s is not None]
    return board
