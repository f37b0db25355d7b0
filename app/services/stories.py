"""One story, one row: what a result or a list row shows besides its item.

The monitor clusters copies of one story published by several outlets (``Item.cluster_id``,
app/monitor/dedupe.py). The search page and the items list show each story once, through one of
its copies, with the other copies ("and N other outlets", expandable), and, for every copy, the
agencies it was routed to with their status.

Routes are read with the request's agency scope (app/scoping.py), so **which agency an item went
to is that agency's business**: a user of agency A sees A's routes and A's status only, never
that an item went to B (nor a route waiting for a supervisor); supervisors and admins see every
route; a viewer (no agency) sees none. Two queries per page whatever its size: the copies of the
page's stories, then the routes of every item shown (no query per row).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased, joinedload, load_only

from app.extensions import db
from models import Item, ItemRoute

# The columns a copy's line needs (its text is never read).
_COPY_COLUMNS = (Item.id, Item.title, Item.link, Item.cluster_id, Item.outlet_id, Item.feed_id,
                 Item.published_at)


@dataclass
class Story:
    """The copy shown (``item``), the story's other copies (oldest first) and the routes the
    reader may see of each, by item id."""

    item: Item
    others: list[Item] = field(default_factory=list)
    routes: dict[int, list[ItemRoute]] = field(default_factory=dict)

    @property
    def own_routes(self) -> list[ItemRoute]:
        return self.routes.get(self.item.id, [])

    def routes_of(self, item: Item) -> list[ItemRoute]:
        return self.routes.get(item.id, [])


def stories_of(items: Sequence[Item]) -> list[Story]:
    """A ``Story`` for each of ``items`` (in their order), with two queries in all."""
    clusters = {item.cluster_id for item in items if item.cluster_id is not None}
    copies: dict[int, list[Item]] = {}
    if clusters:
        for copy in db.session.scalars(
                select(Item).options(load_only(*_COPY_COLUMNS), joinedload(Item.outlet), joinedload(Item.feed))
                .where(Item.cluster_id.in_(clusters)).order_by(Item.published_at, Item.id)).unique():
            copies.setdefault(copy.cluster_id, []).append(copy)
    stories = [Story(item, [c for c in copies.get(item.cluster_id, ()) if c.id != item.id])
               for item in items]
    routes = routes_by_item({i.id for s in stories for i in (s.item, *s.others)})
    for story in stories:
        story.routes = {i.id: routes[i.id] for i in (story.item, *story.others) if i.id in routes}
    return stories


def routes_by_item(item_ids: Iterable[int]) -> dict[int, list[ItemRoute]]:
    """The routes of ``item_ids`` that the current agency scope may see, by item id (one query)."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    found: dict[int, list[ItemRoute]] = {}
    for route in db.session.scalars(select(ItemRoute).options(joinedload(ItemRoute.agency))
                                    .where(ItemRoute.item_id.in_(ids)).order_by(ItemRoute.id)):
        found.setdefault(route.item_id, []).append(route)
    return found


def newest_copy_only(query, conditions):
    """``query`` over ``Item`` narrowed to each story's newest copy among the items that pass
    ``conditions`` (a function of an Item alias giving the filter's SQL conditions): a copy is
    left out when another copy of its cluster that passes the same filters is newer (at equal
    times: has the larger id, the list's own order). An item in no cluster is always kept."""
    newer = aliased(Item)
    return query.where(~exists().where(
        Item.cluster_id.is_not(None), newer.cluster_id == Item.cluster_id, newer.id != Item.id,
        or_(newer.published_at > Item.published_at,
            and_(newer.published_at == Item.published_at, newer.id > Item.id)),
        *conditions(newer)))

