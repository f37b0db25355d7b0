"""Clause 9's targets through time: each change of an agency's target is kept with the time it was
set (``ConferenceTarget``), by the cadence page and the agency form alike, so a period is judged by
the targets of its own months (a review of the scorecard: a target raised today failed a season
that had met the old one).

A period's target is the sum of its months' shares: each month takes the target in force at its
end (today, for the month running), ``target × 1 ÷ months of the target's period``. A change made
during a month judges that month and the later ones, never the months before it.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from app.clock import local_day_bounds
from app.extensions import db
from app.jalali import jalali_month_range, to_jalali
from models import Agency, ConferenceTarget, utcnow

# Before an agency's first change its target is the one it always had.
_BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


def months_in(kind: str) -> int:
    """Months of a target's period."""
    return {"month": 1, "season": 3, "year": 12}[kind]


def keep_target_history(agency: Agency, target: int, period: str) -> None:
    """Keep the new target with the time it is set, and at the agency's first change the one before it
    from the beginning (call before the agency's own columns change; no commit)."""
    if db.session.scalar(select(ConferenceTarget.id).where(ConferenceTarget.agency_id == agency.id).limit(1)) is None:
        db.session.add(ConferenceTarget(agency_id=agency.id, target=agency.conference_target or 0,
                                        period=agency.conference_target_period or "year", since=_BEGINNING))
    db.session.add(ConferenceTarget(agency_id=agency.id, target=target, period=period, since=utcnow()))


def _history(agencies: list[Agency]) -> dict[int, list[tuple[datetime, int, str]]]:
    found: dict[int, list[tuple[datetime, int, str]]] = {a.id: [] for a in agencies}
    for agency_id, since, target, period in db.session.execute(
            select(ConferenceTarget.agency_id, ConferenceTarget.since, ConferenceTarget.target, ConferenceTarget.period)
            .where(ConferenceTarget.agency_id.in_(list(found))).order_by(ConferenceTarget.since, ConferenceTarget.id)):
        found[agency_id].append((since, target, period))
    return found


def _in_force(agency: Agency, history: list[tuple[datetime, int, str]], at: datetime) -> tuple[int, str]:
    current = (agency.conference_target or 0, agency.conference_target_period or "year")
    for since, target, period in history:
        if since >= at:
            break
        current = (target, period)
    return current


def period_targets(agencies: list[Agency], first: date, last: date, as_of: date) -> dict[int, tuple[float, int, str]]:
    """agency id → (the period's target, the target and its period in force at ``as_of``) for the local
    days [first, last] (whole Jalali months) read as of ``as_of``."""
    history = _history(agencies)
    ends = []
    start = to_jalali(first)
    year, month = start.year, start.month
    while True:
        _first, month_last = jalali_month_range(year, month)
        ends.append(local_day_bounds(None, min(month_last, as_of))[1])
        if month_last >= last:
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    now_end = local_day_bounds(None, as_of)[1]
    out = {}
    for agency in agencies:
        mine = history[agency.id]
        share = 0.0
        for end in ends:
            target, period = _in_force(agency, mine, end)
            share += target / months_in(period)
        target, period = _in_force(agency, mine, now_end)
        out[agency.id] = (round(share, 2), target, period)
    return out
