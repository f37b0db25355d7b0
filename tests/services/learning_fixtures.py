"""A desk that has decided enough for the classifier to learn (issue 15), built through the
services a province's ingest and staff use: items stored and routed (``route_items``, one
commit per batch, as the feed pipeline does), then triaged (``set_routes_status``) and corrected
(``label_question``).

The water agency's rule «آب» is broad, as real rules are: it takes residents' questions about
water cuts (the agency's, and public questions; half of them use none of the detector's cue
words: «مردم … یک هفته است با سطل از مسجد آب می‌برند»), the agency's own news (the agency's,
not questions) and news that only mentions water (the weather, a swimming race, health advice:
not the agency's). The sentences are the demo's generator (app/services/demo_learning.py),
seeded, so the world is the same on every run.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.services.demo_learning import desk_month_texts, question_text
from app.services.question_labels import label_question
from app.services.routing import create_rule, route_items
from app.services.triage import set_routes_status
from models import Agency, Item, ItemRoute
from tests.search_index.item_factory import ItemFactory


@dataclass
class DeskWorld:
    agency: Agency
    questions: list[int] = field(default_factory=list)  # items: residents' questions (the agency's)
    news: list[int] = field(default_factory=list)  # the agency's own news (not questions)
    others: list[int] = field(default_factory=list)  # only mention water (not the agency's)
    unmarked: int | None = None  # a question without cue words, left undecided for the browser test to mark


def _ingest(factory: ItemFactory, texts: list[tuple[str, str]], start: datetime) -> list[Item]:
    """Store items as the ingest does and route them in the same transaction, one commit."""
    items = [factory.make(title, body, published_at=start + timedelta(minutes=i), commit=False)
             for i, (title, body) in enumerate(texts)]
    route_items(db.session, items)
    db.session.commit()
    return items


def route_of(item_id: int, agency_id: int) -> ItemRoute:
    return db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == item_id, ItemRoute.agency_id == agency_id))


def build_desk_world(staff, agency: Agency, *, leave_unmarked: bool = True, seed: int = 15) -> DeskWorld:
    """The water agency's rule, the 90 items it took and the desk's decisions about them:
    questions accepted and marked as public questions where the detector missed them (one quiet
    one left undecided when ``leave_unmarked``: the browser test marks it), the agency's news
    accepted (not questions), the rest dismissed. ``staff`` is a staff user of ``agency``."""
    create_rule(agency, "آب", "آب", actor_label="test")
    month = desk_month_texts(random.Random(seed))
    items = _ingest(ItemFactory(), [(t, b) for _k, t, b in month], datetime(2026, 3, 1, 6, 0, tzinfo=UTC))
    world = DeskWorld(agency)
    for (kind, _t, _b), item in zip(month, items):
        {"news": world.news, "other": world.others}.get(kind, world.questions).append(item.id)
    if leave_unmarked:  # the last quiet one: the detector did not flag it
        world.unmarked = [item.id for (kind, _t, _b), item in zip(month, items) if kind == "quiet"][-1]
    for item_id in world.questions + world.news + world.others:
        if item_id == world.unmarked:
            continue
        route = route_of(item_id, agency.id)
        is_question = item_id in world.questions
        if bool(route.is_question) != is_question:
            label_question(route, is_question, staff)
        set_routes_status([route], "dismissed" if item_id in world.others else "accepted", staff)
    return world


def ingest_new_question(seed: int = 99, *, published_at: datetime | None = None) -> Item:
    """A new residents' question about a water cut without the detector's cue words, in words the
    desk has seen, stored and routed."""
    title, body = question_text(random.Random(seed), quiet=True)
    return _ingest(ItemFactory(), [(title, body)], published_at or datetime(2026, 3, 10, 6, 0, tzinfo=UTC))[0]
