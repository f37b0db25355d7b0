"""Coverage volume for the dashboards: the monitored items about an agency (routed to it) in a
period, by outlet and by topic.

- An item counts when it was published in the period's local days and routed to the agency
  (still in its inbox or accepted; a dismissed or sent-on route does not count); the province
  counts each item once, however many agencies it went to.
- **By outlet**: the item's outlet (``Item.outlet_id``; an item of a feed with no outlet is
  «بدون رسانه»).
- **By topic**: the routing rule that matched (``item_route_rules`` → ``RoutingRule.name``): a
  rule is the agency's own name for a subject it follows («کم‌آبی», «قطعی برق»). An item two
  rules matched counts under both. The province adds up rules of the same name across agencies.
  The rule's current name is shown (a renamed rule's items move with it); a deleted rule takes
  its links with it, so its items drop out of the topics (not out of the outlets).

The longest lists are cut to ``TOP`` rows and the rest summed into one «سایر» row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.clock import local_day_bounds
from app.extensions import db
from models import (
    ROUTED_STATUSES,
    Item,
    ItemRoute,
    Outlet,
    RoutingRule,
    item_route_rules,
)

TOP = 10


@dataclass(frozen=True)
class Volume:
    label: str
    count: int
    outlet_id: int | None = None  # by outlet: the directory's outlet (a link), None for «سایر»


def _routed(first: date, last: date, agency_id: int | None) -> tuple:
    start, end = local_day_bounds(first, last)
    conditions = [Item.published_at >= start, Item.published_at < end, ItemRoute.status.in_(ROUTED_STATUSES),
                  ItemRoute.agency_id.is_not(None)]
    if agency_id is not None:
        conditions.append(ItemRoute.agency_id == agency_id)
    return tuple(conditions)


def _top(rows: list[Volume], top: int) -> list[Volume]:
    rows = sorted(rows, key=lambda r: (-r.count, r.label))
    if len(rows) <= top:
        return rows
    rest = sum(r.count for r in rows[top - 1:])
    return rows[:top - 1] + [Volume(_("سایر"), rest)]


def by_outlet(first: date, last: date, *, agency_id: int | None = None, top: int = TOP) -> list[Volume]:
    """Items per outlet, most first."""
    rows = db.session.execute(
        select(Item.outlet_id, Outlet.name, func.count(func.distinct(Item.id)))
        .select_from(ItemRoute).join(Item, Item.id == ItemRoute.item_id)
        .outerjoin(Outlet, Outlet.id == Item.outlet_id)
        .where(*_routed(first, last, agency_id)).group_by(Item.outlet_id, Outlet.name)).all()
    return _top([Volume(name or _("بدون رسانه"), int(n), outlet_id) for outlet_id, name, n in rows], top)


def by_topic(first: date, last: date, *, agency_id: int | None = None, top: int = TOP) -> list[Volume]:
    """Items per matching rule name, most first."""
    rows = db.session.execute(
        select(RoutingRule.name, func.count(func.distinct(Item.id)))
        .select_from(ItemRoute).join(Item, Item.id == ItemRoute.item_id)
        .join(item_route_rules, item_route_rules.c.item_route_id == ItemRoute.id)
        .join(RoutingRule, RoutingRule.id == item_route_rules.c.rule_id)
        .where(*_routed(first, last, agency_id)).group_by(RoutingRule.name)).all()
    return _top([Volume(name, int(n)) for name, n in rows], top)
