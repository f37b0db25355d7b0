"""What the feed pages read: each feed's health state, the count per state, the entries each
feed brought per local day, and a feed's latest items (read-only; the pages' one source).

The health state is written once, as a SQL expression: the list filters and counts by it and
the list and the detail page read it with the feed, so no page can disagree with another.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from itertools import pairwise

from sqlalchemy import and_, case, func, not_, select

from app.clock import local_midnight, local_today
from app.extensions import db
from models import Feed, Item, ItemSighting

# Health at a glance; "file" feeds are local files read by `feeds import-file`, never polled.
FEED_STATES = ("working", "not_modified", "failing", "new", "disabled", "file")
CHART_DAYS = 7


def _state():
    """The health state of a feed, in SQL: the first condition that holds wins."""
    is_file = Feed.url.like("file:%")
    return case(
        (is_file, "file"),
        (not_(Feed.is_active), "disabled"),
        (Feed.consecutive_failures > 0, "failing"),
        (Feed.last_checked_at.is_(None), "new"),
        (Feed.last_status == 304, "not_modified"),
        else_="working",
    )


@dataclass
class FeedHealth:
    feed: Feed
    state: str  # one of FEED_STATES
    per_day: list[int] = field(default_factory=list)  # entries per local day, oldest first, today last


@dataclass
class FeedHealthPage:
    rows: list[FeedHealth]
    counts: dict[str, int]  # feeds per state, every state present
    has_next: bool


def state_counts() -> dict[str, int]:
    """How many feeds are in each health state (zero for a state no feed is in)."""
    state = _state()
    found = dict(db.session.execute(select(state, func.count(Feed.id)).group_by(state)).all())
    return {name: found.get(name, 0) for name in FEED_STATES}


def feed_health_rows(state: str = "", *, page: int = 1, page_size: int = 100) -> FeedHealthPage:
    """The feeds (those in ``state`` when it is one of FEED_STATES), failing ones first."""
    expression = _state()
    query = select(Feed, expression).order_by(Feed.consecutive_failures.desc(), Feed.id)
    if state in FEED_STATES:
        query = query.where(expression == state)
    found = db.session.execute(query.limit(page_size + 1).offset((max(page, 1) - 1) * page_size)).all()
    shown = found[:page_size]
    per_day = items_per_day([feed.id for feed, _state_name in shown])
    rows = [FeedHealth(feed, state_name, per_day.get(feed.id, [])) for feed, state_name in shown]
    return FeedHealthPage(rows, state_counts(), len(found) > page_size)


def feed_health(feed: Feed) -> FeedHealth:
    """One feed's state and its entries per day (the detail page)."""
    state = db.session.scalar(select(_state()).where(Feed.id == feed.id))
    return FeedHealth(feed, state, items_per_day([feed.id]).get(feed.id, []))


def items_per_day(feed_ids: list[int], days: int = CHART_DAYS) -> dict[int, list[int]]:
    """Entries each feed brought (its sightings) per local day, ``days`` days to today, oldest first.

    The days are cut where the configured zone's midnights fall (app.clock), so the count is right
    in any zone and across a daylight-saving change, on every database alike.
    """
    if not feed_ids:
        return {}
    today = local_today()
    bounds = [local_midnight(today - timedelta(days=days - 1 - n)) for n in range(days + 1)]
    seen = ItemSighting.first_seen_at
    per_day = [func.count(case((and_(seen >= start, seen < end), 1))) for start, end in pairwise(bounds)]
    rows = db.session.execute(
        select(ItemSighting.feed_id, *per_day)
        .where(ItemSighting.feed_id.in_(feed_ids), seen >= bounds[0], seen < bounds[-1])
        .group_by(ItemSighting.feed_id)).all()
    result = {feed_id: [0] * days for feed_id in feed_ids}
    for feed_id, *counts in rows:
        result[feed_id] = list(counts)
    return result


def recent_items_of_feed(feed: Feed, limit: int = 20) -> list[Item]:
    """The newest items the feed brought (including those another feed brought first)."""
    return db.session.scalars(
        select(Item).join(ItemSighting, ItemSighting.item_id == Item.id).where(ItemSighting.feed_id == feed.id)
        .order_by(Item.published_at.desc(), Item.id.desc()).limit(limit)).all()
