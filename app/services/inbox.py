"""What the agency inbox reads: the routes that pass the filters, one page of them, the inbox's
counts (the same ones the menu shows), the agencies a route can be sent to and the classifier's
suggestions nobody decided yet (issue 15). Read-only; the
request's agency scope narrows every query, so an agency sees only its own routes.

The default view is the queue: what still needs the user (``triage.needs_attention``); handled
routes leave it and come back with the status filter (``all`` or one status)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from app.clock import local_day_bounds
from app.extensions import db
from app.policy import REASSIGN_ROLES, REQUEST_ROLES, can_reassign
from app.services.agencies import list_agencies
from app.services.learning_suggestions import new_suggestions
from app.services.triage import (
    WAITING_STATUSES,
    InboxCounts,
    inbox_counts,
    needs_attention,
    routes_of_rule,
    waits_for_governorate,
)
from models import (
    OUTLET_SCOPES,
    ROUTE_STATUSES,
    Agency,
    Item,
    ItemRoute,
    Outlet,
    RouteSuggestion,
)

QUEUE, ALL = "", "all"  # the status filter's two views besides the statuses themselves


@dataclass
class InboxFilters:
    """The inbox's filters; a value left None (or unknown) does not narrow. ``status`` is a route
    status, ``"all"``, or anything else for the queue (what still needs the user)."""
    status: str | None = None
    agency_id: int | None = None  # the governorate looks at one agency (others see only their own)
    scope: str | None = None
    rule_id: int | None = None
    since: date | None = None  # local days, both included
    until: date | None = None
    question: bool = False  # public questions only
    requests: bool = False  # pending reassignment requests only
    unassigned: bool = False  # routes no agency's rule took


@dataclass
class InboxPage:
    routes: list[ItemRoute]
    total: int  # routes that pass the filters
    has_next: bool
    counts: InboxCounts
    agencies: list[Agency] = field(default_factory=list)  # where the user may send or ask to send a route
    suggestions: list[RouteSuggestion] = field(default_factory=list)  # the classifier's, not decided yet


def is_queue(filters: InboxFilters) -> bool:
    return filters.status != ALL and filters.status not in ROUTE_STATUSES


def _filtered(query, filters: InboxFilters, user, queue=None):
    """``query`` narrowed by the filters; ``queue``: a part of the queue to read instead of the
    whole (``needs_attention``), when the status filter is the queue."""
    if filters.status in ROUTE_STATUSES:
        query = query.where(ItemRoute.status == filters.status)
    elif is_queue(filters):
        query = query.where(needs_attention(user) if queue is None else queue)
    if filters.agency_id is not None:
        query = query.where(ItemRoute.agency_id == filters.agency_id)
    if filters.scope in OUTLET_SCOPES:
        query = query.where(Item.outlet_id.in_(select(Outlet.id).where(Outlet.scope == filters.scope)))
    if filters.rule_id is not None:
        query = query.where(routes_of_rule(filters.rule_id))
    start, end = local_day_bounds(filters.since, filters.until)
    if start is not None:
        query = query.where(Item.published_at >= start)
    if end is not None:
        query = query.where(Item.published_at < end)
    if filters.question:
        query = query.where(ItemRoute.is_question)
    if filters.requests:
        query = query.where(ItemRoute.request_at.is_not(None))
    if filters.unassigned:
        query = query.where(ItemRoute.agency_id.is_(None))
    return query


def _needs_items(filters: InboxFilters) -> bool:
    """Whether the filters read the item's columns (its outlet or publication day): only then does
    counting need the items table (every route has its item: ``item_id`` is not null, cascaded)."""
    start, end = local_day_bounds(filters.since, filters.until)
    return filters.scope in OUTLET_SCOPES or start is not None or end is not None


def _count(query) -> int:
    """Routes that pass ``query``; the status (never null) is counted: an index on it answers
    without reading the table (the id is not in that index)."""
    return db.session.scalar(query.with_only_columns(func.count(ItemRoute.status)).order_by(None)) or 0


def _ids(query, offset: int, limit: int) -> list[int]:
    """One page of route ids, newest items first: walks the items by publication (an index) and
    stops at the page, rather than sorting every route that passes."""
    if limit <= 0:
        return []
    return list(db.session.scalars(query.with_only_columns(ItemRoute.id)
                                   .order_by(Item.published_at.desc(), ItemRoute.id.desc())
                                   .offset(offset).limit(limit)))


def inbox_page(user, filters: InboxFilters, *, page: int = 1, page_size: int = 50) -> InboxPage:
    """One page of the inbox, newest items first, with its counts. In the governorate's queue what
    waits for its decision (requests, questions no agency took) comes first.

    The page's route ids are read first (narrow queries that an index on the items' publication
    serves), then those routes with what the page shows. The governorate's queue is read as its
    two parts, what waits for its decision before the rest, rather than sorted by a computed first
    key; its total is counted as two disjoint parts that indexes serve (waiting routes; pending
    requests on routes no longer waiting)."""
    joined = select(ItemRoute).join(Item, ItemRoute.item_id == Item.id)
    counted = joined if _needs_items(filters) else select(ItemRoute)
    offset, limit = (max(page, 1) - 1) * page_size, page_size + 1
    if is_queue(filters) and can_reassign(user):
        waiting = ItemRoute.status.in_(WAITING_STATUSES)
        total = _count(_filtered(counted, filters, user, queue=waiting)) + _count(_filtered(
            counted, filters, user, queue=and_(ItemRoute.request_at.is_not(None), ~waiting)))
        first = _filtered(joined, filters, user, queue=waits_for_governorate())
        rest = _filtered(joined, filters, user, queue=and_(
            waiting, ItemRoute.agency_id.is_not(None), ItemRoute.request_at.is_(None)))
        first_total = _count(first if _needs_items(filters) else _filtered(
            select(ItemRoute), filters, user, queue=waits_for_governorate()))
        ids = _ids(first, offset, min(limit, first_total - offset))
        ids += _ids(rest, max(offset - first_total, 0), limit - len(ids))
    else:
        total = _count(_filtered(counted, filters, user))
        ids = _ids(_filtered(joined, filters, user), offset, limit)
    found = {route.id: route for route in db.session.scalars(
        select(ItemRoute).where(ItemRoute.id.in_(ids))
        .options(joinedload(ItemRoute.item).joinedload(Item.outlet), joinedload(ItemRoute.agency),
                 joinedload(ItemRoute.request_agency), joinedload(ItemRoute.received_from_agency))).unique()}
    routes = [found[route_id] for route_id in ids if route_id in found]
    role = getattr(user, "role", None)
    agencies = list_agencies(active_only=True, order="name") if role in REASSIGN_ROLES | REQUEST_ROLES else []
    suggestions = new_suggestions() if page <= 1 else []
    return InboxPage(routes[:page_size], total, len(routes) > page_size, inbox_counts(), agencies, suggestions)
