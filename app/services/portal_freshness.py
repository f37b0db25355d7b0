"""Portal freshness (clause 10): when each agency's portal last changed, whether it is stale, and
its updates per Jalali month. The reads; the page checks are in ``portal_checks.py``.

An update is one of:

- an item of the agency's portal feed (a ``Feed`` with ``agency_id``, active or not): dated by
  the item's ``published_at`` (the fetch time when the feed gave no date), each item once per
  agency even when two of its feeds carry it;
- a ``PortalChange``: the main text of the portal's page (``Agency.portal_url``, checked when the
  agency has no active portal feed) was seen to change, dated by the check that saw it.

Days are local days (HAMZABAN_TIMEZONE). ``days_since_update`` counts from the latest update on or
before ``as_of`` (the period's last day, or today while the period runs); when no update is known
it counts from when the watching began (the first feed's creation, the first page check) and
``latest_update`` is None. A watched portal is ``stale`` when that count is greater than N, the
setting ``portal.stale_days`` (default 7): an update exactly N days ago still keeps it fresh. A
portal nobody watches (no feed, no address, or not checked yet by then) is never stale: its
``watched`` is False and the scorecard has no data for it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.jalali import jalali_month_range, to_jalali
from app.policy import can_edit_portal_settings
from app.scoping import current_scope
from app.services import NotAllowed
from app.services.settings import DaysSetting
from models import Agency, Feed, Item, ItemSighting, PortalChange, PortalCheck

SETTING_KEY = "portal.stale_days"
MIN_DAYS, MAX_DAYS = 1, 365
STALE_DAYS = DaysSetting(SETTING_KEY, MIN_DAYS, MAX_DAYS)

__all__ = ["PortalFigures", "monthly_updates", "portal_figures", "rank_stalest", "stale_days"]


@dataclass(frozen=True)
class PortalFigures:
    """Clause 10's figures of one agency for the days ``first`` … ``last``."""

    agency_id: int
    agency: str  # slug
    updates: int  # in the period
    latest_update: date | None  # on or before as_of
    days_since_update: int | None  # as of as_of (see the module's docstring)
    stale: bool
    has_feed: bool  # an active portal feed
    watched: bool  # a feed or a checked page by as_of
    as_of: date
    stale_days: int
    records: dict = field(default_factory=dict)  # {"feeds": [feed ids], "portal_changes": [ids in the period]}

    def as_dict(self) -> dict:
        return {"agency": self.agency, "updates": self.updates,
                "latest_update": self.latest_update.isoformat() if self.latest_update else None,
                "days_since_update": self.days_since_update, "stale": self.stale, "has_feed": self.has_feed,
                "watched": self.watched, "as_of": self.as_of.isoformat(), "stale_days": self.stale_days,
                "records": self.records}


def stale_days() -> int:
    """N: the setting when it is a whole number in range, else the default (7)."""
    return STALE_DAYS.value()


def parse_days(text) -> int:
    """A number of days as typed (any digits). :raise ServiceError: not a whole number from 1 to 365."""
    return STALE_DAYS.parse(text)


def set_stale_days(text, actor) -> int:
    """Store N (the governorate: admins and supervisors), audited, commit. :raise NotAllowed, ServiceError."""
    if not can_edit_portal_settings(actor):
        raise NotAllowed(_("فقط استانداری مرز کهنگی درگاه‌ها را تغییر می‌دهد."))
    return STALE_DAYS.save(text, actor)


def _agencies(agency_ids: list[int] | None) -> list[Agency]:
    query = select(Agency).order_by(Agency.id)
    scope = current_scope()
    if scope is not None:
        query = query.where(Agency.id == scope)
    if agency_ids is None:
        query = query.where(Agency.is_active.is_(True))
    else:
        query = query.where(Agency.id.in_(list(agency_ids)))
    return list(db.session.scalars(query))


def _local_day(value: datetime) -> date:
    return clock.to_local(clock.as_utc(value)).date()


def _updates(ids: list[int], until: datetime, since: datetime | None = None) -> dict[int, list[tuple[date, str, int]]]:
    """agency → its updates before ``until`` (from ``since``): (local day, "item"|"change", id)."""
    out: dict[int, list[tuple[date, str, int]]] = {a: [] for a in ids}
    if not ids:
        return out
    items = (select(Feed.agency_id, Item.id, Item.published_at).distinct()
             .join(ItemSighting, ItemSighting.feed_id == Feed.id).join(Item, Item.id == ItemSighting.item_id)
             .where(Feed.agency_id.in_(ids), Item.published_at < until))
    changes = select(PortalChange.agency_id, PortalChange.id, PortalChange.changed_at).where(
        PortalChange.agency_id.in_(ids), PortalChange.changed_at < until)
    if since is not None:
        items = items.where(Item.published_at >= since)
        changes = changes.where(PortalChange.changed_at >= since)
    for agency_id, item_id, at in db.session.execute(items):
        out[agency_id].append((_local_day(at), "item", item_id))
    for agency_id, change_id, at in db.session.execute(changes):
        out[agency_id].append((_local_day(at), "change", change_id))
    return out


def portal_figures(first: date, last: date, agency_ids: list[int] | None = None, *,
                   today: date | None = None) -> dict[int, PortalFigures]:
    """agency id → clause 10's figures for the local days ``first`` … ``last`` (both included),
    for ``agency_ids`` (None: every active agency the scope sees)."""
    agencies = _agencies(agency_ids)
    ids = [a.id for a in agencies]
    as_of = min(last, today or clock.local_today())
    until = clock.local_midnight(as_of + timedelta(days=1))
    n = stale_days()
    feeds = list(db.session.execute(select(Feed.agency_id, Feed.id, Feed.is_active, Feed.created_at)
                                    .where(Feed.agency_id.in_(ids)).order_by(Feed.id))) if ids else []
    checks = {c.agency_id: c for c in db.session.scalars(select(PortalCheck).where(PortalCheck.agency_id.in_(ids)))} \
        if ids else {}
    updates = _updates(ids, until)
    result = {}
    for agency in agencies:
        own = [f for f in feeds if f.agency_id == agency.id]
        starts = [_local_day(f.created_at) for f in own]
        check = checks.get(agency.id)
        if check is not None and check.first_checked_at is not None:
            starts.append(_local_day(check.first_checked_at))
        began = min(starts) if starts else None
        rows = updates[agency.id]
        latest = max((day for day, _kind, _id in rows), default=None)
        watched = began is not None and began <= as_of or latest is not None
        since = latest if latest is not None else (began if watched else None)
        days = (as_of - since).days if since is not None else None
        in_period = [(day, kind, ident) for day, kind, ident in rows if first <= day <= last]
        result[agency.id] = PortalFigures(
            agency_id=agency.id, agency=agency.slug, updates=len(in_period), latest_update=latest,
            days_since_update=days, stale=bool(watched and days is not None and days > n),
            has_feed=any(f.is_active for f in own), watched=bool(watched), as_of=as_of, stale_days=n,
            records={"feeds": [f.id for f in own],
                     "portal_changes": sorted(ident for _day, kind, ident in in_period if kind == "change")})
    return result


def rank_stalest(figures: list[PortalFigures]) -> list[PortalFigures]:
    """Stalest first: watched portals by days without an update (most first), then the unwatched."""
    return sorted(figures, key=lambda f: (not f.watched, -(f.days_since_update or 0), f.agency))


def month_keys(last: date, count: int) -> list[tuple[int, int]]:
    """The ``count`` Jalali months ending with ``last``'s month, oldest first."""
    j = to_jalali(last)
    year, month, keys = j.year, j.month, []
    for _step in range(count):
        keys.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def monthly_updates(agency_ids: list[int] | None, months: list[tuple[int, int]]) -> dict[int, list[tuple[int, int, int]]]:
    """agency id → [(Jalali year, month, updates)] for each of ``months`` (in that order)."""
    ids = [a.id for a in _agencies(agency_ids)]
    if not months:
        return {a: [] for a in ids}
    start = clock.local_midnight(jalali_month_range(*min(months))[0])
    until = clock.local_midnight(jalali_month_range(*max(months))[1] + timedelta(days=1))
    result = {}
    for agency_id, rows in _updates(ids, until, start).items():
        counts = Counter((j.year, j.month) for j in (to_jalali(day) for day, _kind, _id in rows))
        result[agency_id] = [(y, m, counts.get((y, m), 0)) for y, m in months]
    return result
