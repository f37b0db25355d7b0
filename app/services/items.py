"""What the item pages read: the latest monitored items with their filters, and one item with its
story cluster and the other feeds that carried it (read-only; scoped like every query)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.clock import local_day_bounds
from app.extensions import db
from app.services.stories import Story, newest_copy_only, stories_of
from app.services.triage import routes_of_item
from models import OUTLET_SCOPES, Feed, Item, ItemRoute, ItemSighting, Outlet


@dataclass
class ItemFilters:
    """The filters of the items page; a value left None (or unknown) does not narrow."""
    outlet_id: int | None = None
    scope: str | None = None
    since: date | None = None  # local days, both included
    until: date | None = None


@dataclass
class ItemsPage:
    stories: list[Story]  # one per story: the copy shown, the other copies, the visible routes
    has_next: bool

    @property
    def items(self) -> list[Item]:
        return [story.item for story in self.stories]


@dataclass
class ItemDetail:
    item: Item
    cluster_items: list[Item] = field(default_factory=list)  # the same story in other outlets
    other_feeds: list[Feed] = field(default_factory=list)  # other feeds that carried this very item
    routes: list[ItemRoute] = field(default_factory=list)  # the agencies it went to (as the scope shows)


def items_page(filters: ItemFilters, *, page: int = 1, page_size: int = 50) -> ItemsPage:
    """The newest stories that pass ``filters``, one page of them: one row per story, shown by its
    newest copy that passes the filters, with the story's other copies (filtered or not) and the
    routes the reader's agency may see (``services/stories.py``)."""
    start, end = local_day_bounds(filters.since, filters.until)

    def conditions(item) -> list:
        where = []
        if filters.outlet_id is not None:
            where.append(item.outlet_id == filters.outlet_id)
        if filters.scope in OUTLET_SCOPES:
            where.append(item.outlet_id.in_(select(Outlet.id).where(Outlet.scope == filters.scope)))
        if start is not None:
            where.append(item.published_at >= start)
        if end is not None:
            where.append(item.published_at < end)
        return where

    query = newest_copy_only(select(Item).options(joinedload(Item.outlet), joinedload(Item.feed))
                             .where(*conditions(Item)), conditions)
    rows = db.session.scalars(query.order_by(Item.published_at.desc(), Item.id.desc())
                              .limit(page_size + 1).offset((max(page, 1) - 1) * page_size)).unique().all()
    return ItemsPage(stories_of(rows[:page_size]), len(rows) > page_size)


def item_detail(item: Item) -> ItemDetail:
    """One item with its cluster, the other feeds that carried it and its routes."""
    cluster_items = []
    if item.cluster_id is not None:
        cluster_items = db.session.scalars(
            select(Item).options(joinedload(Item.outlet), joinedload(Item.feed))
            .where(Item.cluster_id == item.cluster_id, Item.id != item.id)
            .order_by(Item.published_at, Item.id)).all()
    other_feeds = db.session.scalars(
        select(Feed).options(joinedload(Feed.outlet)).join(ItemSighting, ItemSighting.feed_id == Feed.id)
        .where(ItemSighting.item_id == item.id, Feed.id != item.feed_id).order_by(Feed.id)).all()
    return ItemDetail(item, cluster_items, other_feeds, routes_of_item(item.id))
