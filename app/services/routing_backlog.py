"""Routing after the ingest commit (``FEED_ROUTING=after_commit``, the default).

The ingest stores a feed's new items with one ``routing_backlog`` row each, in its transaction,
and commits without routing them (``queue_items``); ``drain_backlog`` later routes them, announces
them to the saved searches (whose agency filters read the routes) and queues them for reindexing
(the index carries routes), then deletes their rows, all in one transaction per batch. Run by the
worker's ``routing-backlog`` job, by ``flask routing backlog``, and at the end of the one-shot
commands that ingest (``feeds import-file``, ``feeds poll``, ``seed-demo``), so what they stored is
routed when they return.

Idempotent and safe to kill: a batch is claimed by deleting its rows (``DELETE … RETURNING``; on
PostgreSQL the rows are picked ``FOR UPDATE SKIP LOCKED``, so two workers take different items,
and on SQLite the delete takes the write lock first), and the claim commits with the routes or
rolls back with them. An item routed meanwhile by other means (a rule applied to stored items)
is not routed twice to the same agency.
"""
from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy import delete, func, insert, select

from app.extensions import db
from app.services.alerts import notify_new_items
from app.services.routing import Analyses, route_items
from models import Item, ItemRoute, RouteSuggestion, RoutingBacklog, utcnow


def routing_after_commit() -> bool:
    """True when the ingest leaves routing to the backlog (``FEED_ROUTING``)."""
    return current_app.config["FEED_ROUTING"] == "after_commit"


def queue_items(session, items: list[Item]) -> None:
    """Queue NEW items (ids assigned) for routing after the caller's commit (the caller commits)."""
    if items:
        now = utcnow()
        session.connection().execute(insert(RoutingBacklog.__table__),
                                     [{"item_id": item.id, "queued_at": now} for item in items])


def _claim(session, limit: int) -> list[int]:
    pick = select(RoutingBacklog.item_id).order_by(RoutingBacklog.item_id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    table = RoutingBacklog.__table__
    claimed = session.connection().execute(delete(table).where(table.c.item_id.in_(pick))
                                           .returning(table.c.item_id))
    return sorted(claimed.scalars())


def _already_routed(session, ids: list[int]) -> set[tuple[int, int | None]]:
    routes = session.execute(select(ItemRoute.item_id, ItemRoute.agency_id).where(ItemRoute.item_id.in_(ids))
                             .execution_options(unscoped=True))
    suggestions = session.execute(select(RouteSuggestion.item_id, RouteSuggestion.agency_id)
                                  .where(RouteSuggestion.item_id.in_(ids)).execution_options(unscoped=True))
    return {tuple(row) for row in routes} | {tuple(row) for row in suggestions}


def drain_batch(limit: int) -> dict | None:
    """Route up to ``limit`` queued items in one committed transaction; None when the backlog is
    empty (for this process: rows another worker holds are skipped)."""
    session = db.session
    ids = _claim(session, limit)
    if not ids:
        session.rollback()
        return None
    items = list(session.scalars(select(Item).where(Item.id.in_(ids)).order_by(Item.id)
                                 .execution_options(unscoped=True)))
    analyses = Analyses(items)  # one analysis per item, for routing and alerts
    routes = route_items(session, items, analyses, reindex=True, skip=_already_routed(session, ids))
    notifications = notify_new_items(session, items, analyses)
    session.commit()
    return {"items": len(items), "routes": routes, "notifications": notifications}


def drain_backlog(*, batch: int | None = None, max_batches: int | None = None) -> dict:
    """Route queued items batch by batch until the backlog is empty (or ``max_batches``); returns
    the counts and the rows ``left``."""
    config = current_app.config
    batch = batch or config["ROUTING_BACKLOG_BATCH"]
    total = {"batches": 0, "items": 0, "routes": 0, "notifications": 0}
    while max_batches is None or total["batches"] < max_batches:
        done = drain_batch(batch)
        if done is None:
            break
        total["batches"] += 1
        for key, value in done.items():
            total[key] += value
    total["left"] = backlog_size()
    return total


def backlog_size() -> int:
    """Items waiting to be routed."""
    return db.session.scalar(select(func.count()).select_from(RoutingBacklog)) or 0


def drain_job(app: Flask) -> str:
    """Worker job: route what the ingests queued (``ROUTING_BACKLOG_BATCHES_PER_RUN`` batches)."""
    total = drain_backlog(max_batches=app.config["ROUTING_BACKLOG_BATCHES_PER_RUN"])
    return " ".join(f"{key}={value}" for key, value in total.items())


def register_jobs(app: Flask) -> None:
    """The worker routes the backlog every ROUTING_BACKLOG_EVERY_SECONDS."""
    app.extensions.setdefault("hamzaban_jobs", []).append(
        ("routing-backlog", app.config["ROUTING_BACKLOG_EVERY_SECONDS"], drain_job))
