"""The portal-freshness page (clause 10): each agency's portal, stalest first, with its updates
per Jalali month over the last year, how it is watched (a feed, or its page's own change) and the
last page check's outcome. Supervisors and admins see every active agency; an agency's user sees
their own (the scope). The number of days that make a portal stale is the governorate's setting.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.jalali import jalali_month_range
from app.policy import can_edit_portal_settings
from app.services.portal_freshness import (
    PortalFigures,
    month_keys,
    monthly_updates,
    portal_figures,
    rank_stalest,
    stale_days,
)
from models import Agency, PortalCheck

HISTORY_MONTHS = 12


@dataclass(frozen=True)
class PortalRow:
    agency: Agency
    figures: PortalFigures  # of the current Jalali month, as of today
    history: list[tuple[int, int, int]]  # (Jalali year, month, updates), oldest first
    check: PortalCheck | None  # the page check (agencies without a feed)


@dataclass(frozen=True)
class PortalPage:
    rows: list[PortalRow]
    months: list[tuple[int, int]]
    stale_days: int
    can_edit: bool
    stale_count: int


def portal_page(user) -> PortalPage:
    """Every agency's portal the user may see, stalest first, with its monthly history."""
    today = clock.local_today()
    months = month_keys(today, HISTORY_MONTHS)
    first, last = jalali_month_range(*months[-1])
    figures = portal_figures(first, last, None, today=today)
    history = monthly_updates(list(figures), months)
    agencies = {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(list(figures))))}
    checks = {c.agency_id: c for c in db.session.scalars(select(PortalCheck))}
    rows = [PortalRow(agencies[f.agency_id], f, history.get(f.agency_id, []), checks.get(f.agency_id))
            for f in rank_stalest(list(figures.values()))]
    return PortalPage(rows, months, stale_days(), can_edit_portal_settings(user), sum(1 for r in rows if r.figures.stale))
